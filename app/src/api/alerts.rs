//! Server functions for alert events: the list, one alert, linking, recovery from alerts.

use leptos::prelude::*;

#[cfg(feature = "ssr")]
use super::flow::finish;
use crate::domain::{AlertEvent, AlertId, IncidentId, Page};
use crate::error::AppError;
use crate::queries::AlertQuery;
#[cfg(feature = "ssr")]
use crate::service::{AlertService, actor, service};

#[server(endpoint = "alerts/list")]
pub async fn list_alerts(query: AlertQuery) -> Result<Page<AlertEvent>, AppError> {
    service::<dyn AlertService>()?.list(&actor()?, query).await
}

#[server(endpoint = "alerts/get")]
pub async fn get_alert(id: AlertId) -> Result<AlertEvent, AppError> {
    service::<dyn AlertService>()?.get(&actor()?, id).await
}

/// Links an alert to the incident typed in (its number).
#[server(endpoint = "alerts/link")]
pub async fn link_alert(id: AlertId, incident: String) -> Result<(), AppError> {
    let result = async {
        let incident: IncidentId =
            crate::forms::opt_id("incident", &incident)?.ok_or_else(|| {
                AppError::from(crate::domain::Invalid::new(
                    "incident",
                    crate::domain::Problem::Required,
                ))
            })?;
        service::<dyn AlertService>()?
            .link(&actor()?, id, incident)
            .await?;
        Ok(None)
    };
    finish(
        result.await,
        "link",
        &serde_json::json!({ "incident": incident }),
    )
}

#[server(endpoint = "alerts/unlink")]
pub async fn unlink_alert(id: AlertId) -> Result<(), AppError> {
    let result = async {
        service::<dyn AlertService>()?.unlink(&actor()?, id).await?;
        Ok(None)
    };
    finish(result.await, "unlink", &())
}

/// Sets the incident's recovery time from its alerts (the button on its page).
#[server(endpoint = "incidents/recover-from-alerts")]
pub async fn recover_from_alerts(incident: IncidentId) -> Result<(), AppError> {
    let result = async {
        service::<dyn AlertService>()?
            .recover_from_alerts(&actor()?, incident)
            .await?;
        Ok(None)
    };
    finish(result.await, "recover", &())
}
