//! Server functions for incidents and the lists.

use leptos::prelude::*;

#[cfg(feature = "ssr")]
use super::flow::{finish, tz};
use crate::domain::{ActionItemRow, IncidentId, IncidentSummary, Page};
use crate::error::AppError;
use crate::forms::IncidentForm;
use crate::queries::{ActionQuery, IncidentDetail, IncidentQuery};
#[cfg(feature = "ssr")]
use crate::service::{ActionItemService, IncidentService, actor, service};

#[server(endpoint = "incidents/list")]
pub async fn list_incidents(query: IncidentQuery) -> Result<Page<IncidentSummary>, AppError> {
    service::<dyn IncidentService>()?
        .list(&actor()?, query)
        .await
}

#[server(endpoint = "incidents/get")]
pub async fn get_incident(id: IncidentId) -> Result<IncidentDetail, AppError> {
    service::<dyn IncidentService>()?.get(&actor()?, id).await
}

#[server(endpoint = "incidents/create")]
pub async fn create_incident(form: IncidentForm) -> Result<(), AppError> {
    let result = async {
        let fields = form.to_fields(tz()?)?;
        let created = service::<dyn IncidentService>()?
            .create(&actor()?, fields)
            .await?;
        Ok(Some(format!("/incidents/{}", created.incident.id)))
    };
    finish(result.await, "incident", &form)
}

#[server(endpoint = "incidents/update")]
pub async fn update_incident(id: IncidentId, form: IncidentForm) -> Result<(), AppError> {
    let result = async {
        let svc = service::<dyn IncidentService>()?;
        let current = svc.get(&actor()?, id).await?;
        let patch = form.to_patch(&current.incident, tz()?)?;
        svc.update(&actor()?, id, patch).await?;
        Ok(Some(format!("/incidents/{id}")))
    };
    finish(result.await, "incident", &form)
}

/// The quick status control on the detail page.
#[server(endpoint = "incidents/status")]
pub async fn change_status(id: IncidentId, status: String, reason: String) -> Result<(), AppError> {
    let result = async {
        let patch = crate::domain::IncidentPatch {
            status: Some(crate::forms::choice("status", &status)?),
            status_reason: Some(reason.clone()),
            ..Default::default()
        };
        service::<dyn IncidentService>()?
            .update(&actor()?, id, patch)
            .await?;
        Ok(None)
    };
    finish(
        result.await,
        "status",
        &serde_json::json!({ "status": status, "reason": reason }),
    )
}

#[server(endpoint = "incidents/delete")]
pub async fn delete_incident(id: IncidentId) -> Result<(), AppError> {
    let result = async {
        service::<dyn IncidentService>()?
            .delete(&actor()?, id)
            .await?;
        Ok(Some("/incidents".to_owned()))
    };
    finish(result.await, "delete", &())
}

#[server(endpoint = "action-items/list")]
pub async fn list_action_items(query: ActionQuery) -> Result<Page<ActionItemRow>, AppError> {
    service::<dyn ActionItemService>()?
        .list(&actor()?, query)
        .await
}
