//! Server functions for outgoing webhooks (admins).

use leptos::prelude::*;
use serde::{Deserialize, Serialize};

#[cfg(feature = "ssr")]
use super::flow::finish;
use crate::domain::{HookId, HookStatus};
use crate::error::AppError;
#[cfg(feature = "ssr")]
use crate::{domain::*, service::*};

#[server(endpoint = "admin/webhooks")]
pub async fn list_hooks() -> Result<Vec<HookStatus>, AppError> {
    service::<dyn HookService>()?.list(&actor()?).await
}

/// The new-webhook form: the events it wants are checkboxes named after them.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct HookForm {
    pub name: String,
    pub url: String,
    pub format: String,
    pub routing_key: String,
    pub incident_opened: String,
    pub severity_changed: String,
    pub status_changed: String,
    pub status_update_due: String,
    pub ttr_breached: String,
    pub action_overdue: String,
    pub review_due: String,
}

#[cfg(feature = "ssr")]
impl HookForm {
    fn to_input(&self) -> Result<HookInput, Invalid> {
        let on = |v: &str| !v.is_empty();
        let events = [
            (HookEvent::IncidentOpened, on(&self.incident_opened)),
            (HookEvent::SeverityChanged, on(&self.severity_changed)),
            (HookEvent::StatusChanged, on(&self.status_changed)),
            (HookEvent::StatusUpdateDue, on(&self.status_update_due)),
            (HookEvent::TtrBreached, on(&self.ttr_breached)),
            (HookEvent::ActionOverdue, on(&self.action_overdue)),
            (HookEvent::ReviewDue, on(&self.review_due)),
        ]
        .into_iter()
        .filter_map(|(e, on)| on.then_some(e))
        .collect();
        Ok(HookInput {
            name: self.name.clone(),
            url: self.url.clone(),
            format: crate::forms::choice("format", &self.format)?,
            events,
            routing_key: self.routing_key.clone(),
        })
    }
}

#[server(endpoint = "admin/webhooks/create")]
pub async fn create_hook(form: HookForm) -> Result<(), AppError> {
    let result = async {
        service::<dyn HookService>()?
            .create(&actor()?, form.to_input()?)
            .await?;
        Ok(None)
    };
    finish(result.await, "hook", &form)
}

#[server(endpoint = "admin/webhooks/enabled")]
pub async fn set_hook_enabled(id: HookId, enabled: bool) -> Result<(), AppError> {
    let result = async {
        service::<dyn HookService>()?
            .set_enabled(&actor()?, id, enabled)
            .await?;
        Ok(None)
    };
    finish(result.await, "hook-enabled", &())
}

#[server(endpoint = "admin/webhooks/delete")]
pub async fn delete_hook(id: HookId) -> Result<(), AppError> {
    let result = async {
        service::<dyn HookService>()?.delete(&actor()?, id).await?;
        Ok(None)
    };
    finish(result.await, "hook-delete", &())
}
