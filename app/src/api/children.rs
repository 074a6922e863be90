//! Server functions for an incident's timeline, 5-Why chains and action items.

use leptos::prelude::*;

#[cfg(feature = "ssr")]
use super::flow::{finish, tz};
use crate::error::AppError;
use crate::forms::{ActionForm, ChainForm, EventForm};
#[cfg(feature = "ssr")]
use crate::{domain::*, service::service};

#[cfg(feature = "ssr")]
fn back(incident: i64) -> Option<String> {
    Some(format!("/incidents/{incident}"))
}

#[server(endpoint = "timeline/add")]
pub async fn add_event(incident: i64, form: EventForm) -> Result<(), AppError> {
    let result = async {
        service()?
            .add_event(incident, form.to_input(tz()?)?)
            .await?;
        Ok(None)
    };
    finish(result.await, "event", &form)
}

#[server(endpoint = "timeline/update")]
pub async fn update_event(incident: i64, event: i64, form: EventForm) -> Result<(), AppError> {
    let result = async {
        let svc = service()?;
        let detail = svc.incident(incident).await?;
        let current = detail
            .timeline
            .iter()
            .find(|e| e.id == event)
            .ok_or_else(|| AppError::not_found("timeline event"))?;
        svc.update_event(incident, event, form.to_patch(current, tz()?)?)
            .await?;
        Ok(back(incident))
    };
    finish(result.await, "event", &form)
}

#[server(endpoint = "timeline/delete")]
pub async fn delete_event(incident: i64, event: i64) -> Result<(), AppError> {
    let result = async {
        service()?.delete_event(incident, event).await?;
        Ok(back(incident))
    };
    finish(result.await, "delete", &())
}

#[server(endpoint = "five-whys/add")]
pub async fn add_chain(incident: i64, form: ChainForm) -> Result<(), AppError> {
    let result = async {
        service()?.add_chain(incident, form.to_input()?).await?;
        Ok(None)
    };
    finish(result.await, "chain", &form.compacted())
}

#[server(endpoint = "five-whys/update")]
pub async fn update_chain(incident: i64, chain: i64, form: ChainForm) -> Result<(), AppError> {
    let result = async {
        let c = form.to_input()?;
        let patch = ChainPatch {
            problem: Some(c.problem),
            steps: Some(c.steps),
            root_cause: Some(c.root_cause),
            category: Some(c.category),
        };
        service()?.update_chain(incident, chain, patch).await?;
        Ok(back(incident))
    };
    finish(result.await, "chain", &form.compacted())
}

/// Moves a step `up` or `down`, or `remove`s it: the chain's step list, rewritten.
#[server(endpoint = "five-whys/step")]
pub async fn edit_step(incident: i64, chain: i64, step: i64, op: String) -> Result<(), AppError> {
    let result = async {
        let svc = service()?;
        let detail = svc.incident(incident).await?;
        let c = detail
            .five_whys
            .iter()
            .find(|c| c.id == chain)
            .ok_or_else(|| AppError::not_found("5-Why chain"))?;
        let mut steps: Vec<StepInput> = c.steps.iter().map(StepInput::from).collect();
        let i = steps
            .iter()
            .position(|s| s.id == Some(step))
            .ok_or_else(|| AppError::not_found("5-Why step"))?;
        match op.as_str() {
            "up" if i > 0 => steps.swap(i, i - 1),
            "down" if i + 1 < steps.len() => steps.swap(i, i + 1),
            "remove" => {
                steps.remove(i);
            }
            "up" | "down" => {}
            other => {
                return Err(Invalid::new(
                    "op",
                    Problem::UnknownValue {
                        allowed: vec!["up".into(), "down".into(), format!("remove (not {other})")],
                    },
                )
                .into());
            }
        }
        svc.update_chain(
            incident,
            chain,
            ChainPatch {
                steps: Some(steps),
                ..Default::default()
            },
        )
        .await?;
        Ok(None)
    };
    finish(result.await, "step", &())
}

#[server(endpoint = "five-whys/delete")]
pub async fn delete_chain(incident: i64, chain: i64) -> Result<(), AppError> {
    let result = async {
        service()?.delete_chain(incident, chain).await?;
        Ok(back(incident))
    };
    finish(result.await, "delete", &())
}

#[server(endpoint = "action-items/add")]
pub async fn add_action(incident: i64, form: ActionForm) -> Result<(), AppError> {
    let result = async {
        service()?.add_action(incident, form.to_input()?).await?;
        Ok(None)
    };
    finish(result.await, "action", &form)
}

#[server(endpoint = "action-items/update")]
pub async fn update_action(incident: i64, action: i64, form: ActionForm) -> Result<(), AppError> {
    let result = async {
        service()?
            .update_action(incident, action, form.to_patch()?)
            .await?;
        Ok(back(incident))
    };
    finish(result.await, "action", &form)
}

/// The one-click status change in action-item tables.
#[server(endpoint = "action-items/status")]
pub async fn set_action_status(incident: i64, action: i64, status: String) -> Result<(), AppError> {
    let result = async {
        let status =
            crate::forms::choice("status", &status, ActionStatus::parse, ActionStatus::NAMES)?;
        let patch = ActionPatch {
            status: Some(status),
            ..Default::default()
        };
        service()?.update_action(incident, action, patch).await?;
        Ok(None)
    };
    finish(result.await, "action-status", &())
}

#[server(endpoint = "action-items/delete")]
pub async fn delete_action(incident: i64, action: i64) -> Result<(), AppError> {
    let result = async {
        service()?.delete_action(incident, action).await?;
        Ok(back(incident))
    };
    finish(result.await, "delete", &())
}
