//! Server functions for an incident's timeline, 5-Why chains and action items.

use leptos::prelude::*;

#[cfg(feature = "ssr")]
use super::flow::{finish, tz};
use crate::domain::{ActionId, ChainId, EventId, IncidentId, StepId};
use crate::error::AppError;
use crate::forms::{ActionForm, ChainForm, EventForm};
#[cfg(feature = "ssr")]
use crate::{domain::*, service::*};

/// After an edit page saves: back to the incident.
#[cfg(feature = "ssr")]
fn back(incident: IncidentId) -> Option<String> {
    Some(format!("/incidents/{incident}"))
}

#[server(endpoint = "timeline/add")]
pub async fn add_event(incident: IncidentId, form: EventForm) -> Result<(), AppError> {
    let result = async {
        let input = form.to_input(tz()?)?;
        service::<dyn TimelineService>()?
            .add(&actor()?, incident, input)
            .await?;
        Ok(None)
    };
    finish(result.await, "event", &form)
}

#[server(endpoint = "timeline/update")]
pub async fn update_event(
    incident: IncidentId,
    event: EventId,
    form: EventForm,
) -> Result<(), AppError> {
    let result = async {
        let detail = service::<dyn IncidentService>()?
            .get(&actor()?, incident)
            .await?;
        let current = detail
            .timeline
            .iter()
            .find(|e| e.id == event)
            .ok_or_else(|| AppError::not_found("timeline event"))?;
        let patch = form.to_patch(current, tz()?)?;
        service::<dyn TimelineService>()?
            .update(&actor()?, incident, event, patch)
            .await?;
        Ok(back(incident))
    };
    finish(result.await, "event", &form)
}

#[server(endpoint = "timeline/delete")]
pub async fn delete_event(incident: IncidentId, event: EventId) -> Result<(), AppError> {
    let result = async {
        service::<dyn TimelineService>()?
            .delete(&actor()?, incident, event)
            .await?;
        Ok(back(incident))
    };
    finish(result.await, "delete", &())
}

#[server(endpoint = "five-whys/add")]
pub async fn add_chain(incident: IncidentId, form: ChainForm) -> Result<(), AppError> {
    let result = async {
        service::<dyn FiveWhyService>()?
            .add(&actor()?, incident, form.to_input()?)
            .await?;
        Ok(None)
    };
    finish(result.await, "chain", &form.compacted())
}

#[server(endpoint = "five-whys/update")]
pub async fn update_chain(
    incident: IncidentId,
    chain: ChainId,
    form: ChainForm,
) -> Result<(), AppError> {
    let result = async {
        let c = form.to_input()?;
        let patch = ChainPatch {
            version: form.version.trim().parse().ok(),
            problem: Some(c.problem),
            steps: Some(c.steps),
            root_cause: Some(c.root_cause),
            category: Some(c.category),
        };
        service::<dyn FiveWhyService>()?
            .update(&actor()?, incident, chain, patch)
            .await?;
        Ok(back(incident))
    };
    finish(result.await, "chain", &form.compacted())
}

/// Moves a step `up` or `down`, or `remove`s it (see [`StepMove`]).
#[server(endpoint = "five-whys/step")]
pub async fn edit_step(
    incident: IncidentId,
    chain: ChainId,
    step: StepId,
    op: String,
) -> Result<(), AppError> {
    let result = async {
        let op: StepMove = crate::forms::choice("op", &op)?;
        let detail = service::<dyn IncidentService>()?
            .get(&actor()?, incident)
            .await?;
        let current = detail
            .five_whys
            .iter()
            .find(|c| c.id == chain)
            .ok_or_else(|| AppError::not_found("5-Why chain"))?;
        let steps = op
            .apply(current, step)
            .ok_or_else(|| AppError::not_found("5-Why step"))?;
        // The new order is made from the chain as read: refused if it changed since.
        let patch = ChainPatch {
            version: Some(current.version),
            steps: Some(steps),
            ..Default::default()
        };
        service::<dyn FiveWhyService>()?
            .update(&actor()?, incident, chain, patch)
            .await?;
        Ok(None)
    };
    finish(result.await, "step", &())
}

#[server(endpoint = "five-whys/delete")]
pub async fn delete_chain(incident: IncidentId, chain: ChainId) -> Result<(), AppError> {
    let result = async {
        service::<dyn FiveWhyService>()?
            .delete(&actor()?, incident, chain)
            .await?;
        Ok(back(incident))
    };
    finish(result.await, "delete", &())
}

#[server(endpoint = "action-items/add")]
pub async fn add_action(incident: IncidentId, form: ActionForm) -> Result<(), AppError> {
    let result = async {
        service::<dyn ActionItemService>()?
            .add(&actor()?, incident, form.to_input()?)
            .await?;
        Ok(None)
    };
    finish(result.await, "action", &form)
}

#[server(endpoint = "action-items/update")]
pub async fn update_action(
    incident: IncidentId,
    action: ActionId,
    form: ActionForm,
) -> Result<(), AppError> {
    let result = async {
        service::<dyn ActionItemService>()?
            .update(&actor()?, incident, action, form.to_patch()?)
            .await?;
        Ok(back(incident))
    };
    finish(result.await, "action", &form)
}

/// The one-click status change in action-item tables.
#[server(endpoint = "action-items/status")]
pub async fn set_action_status(
    incident: IncidentId,
    action: ActionId,
    status: String,
) -> Result<(), AppError> {
    let result = async {
        let patch = ActionPatch {
            status: Some(crate::forms::choice("status", &status)?),
            ..Default::default()
        };
        service::<dyn ActionItemService>()?
            .update(&actor()?, incident, action, patch)
            .await?;
        Ok(None)
    };
    finish(result.await, "action-status", &())
}

#[server(endpoint = "action-items/delete")]
pub async fn delete_action(incident: IncidentId, action: ActionId) -> Result<(), AppError> {
    let result = async {
        service::<dyn ActionItemService>()?
            .delete(&actor()?, incident, action)
            .await?;
        Ok(back(incident))
    };
    finish(result.await, "delete", &())
}
