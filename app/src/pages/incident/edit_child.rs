//! Edit pages for one timeline event, 5-Why chain or action item.

use leptos::form::ActionForm;
use leptos::prelude::*;
use leptos_meta::Title;

use super::{actions::ActionInputs, chains::ChainInputs, param_id, timeline::EventInputs};
use crate::api::{
    DeleteAction, DeleteChain, DeleteEvent, UpdateAction, UpdateChain, UpdateEvent, get_incident,
};
use crate::domain::{ActionId, ChainId, EventId, IncidentId};
use crate::error::AppError;
use crate::forms::five_why::{SPARE_ROWS, StepForm};
use crate::forms::{ActionForm as ActionItemForm, ChainForm, EventForm};
use crate::pages::{ErrorPanel, flash_resource, loading, page_resource};
use crate::queries::IncidentDetail;
use crate::ui::form::{FormState, VersionInput};
use crate::ui::use_ui;

/// Loads the incident and the flash, then renders `body` or an error panel.
fn with_incident<C, V>(
    child: &'static str,
    body: impl Fn(IncidentDetail, C, FormStateSeed) -> Result<V, AppError>
    + Copy
    + Send
    + Sync
    + 'static,
) -> impl IntoView
where
    C: From<i64> + Copy + PartialEq + Send + Sync + 'static,
    V: IntoView + 'static,
{
    let id = param_id::<IncidentId>("id");
    let child_id = param_id(child);
    let incident = page_resource(move || id.get(), get_incident);
    let flash = flash_resource();
    view! {
        <Suspense fallback=loading>
            {move || Suspend::new(async move {
                let seed = FormStateSeed(flash.await);
                match incident.await.and_then(|d| body(d, child_id.get_untracked(), seed)) {
                    Ok(v) => v.into_any(),
                    Err(e) => view! { <ErrorPanel error=e/> }.into_any(),
                }
            })}
        </Suspense>
    }
}

/// The flash, handed to an edit page body to build its form state.
pub struct FormStateSeed(Option<crate::api::Flash>);

fn back_link(incident: IncidentId) -> impl IntoView {
    let t = use_ui().t();
    view! { <a href=format!("/incidents/{incident}")>{t.back_to_incident}</a> }
}

#[component]
pub fn EditEvent() -> impl IntoView {
    let action = ServerAction::<UpdateEvent>::new();
    let delete = ServerAction::<DeleteEvent>::new();
    with_incident("event", move |d, event: EventId, seed| {
        let ui = use_ui();
        let t = ui.t();
        let e = d
            .timeline
            .iter()
            .find(|e| e.id == event)
            .ok_or_else(|| AppError::not_found("timeline event"))?;
        let form = EventForm::from_event(e, ui.tz);
        let version = e.version;
        let state = FormState::new("event", seed.0);
        Ok(view! {
            <Title text=t.edit_event/>
            <div class="page-head"><h1>{t.edit_event}</h1>{back_link(d.incident.id)}</div>
            <p class="context">{d.incident.fields.title.clone()}</p>
            <ActionForm action=action attr:class="panel form">
                <input type="hidden" name="incident" value=d.incident.id/>
                <input type="hidden" name="event" value=event/>
                <VersionInput state=state version=version/>
                <EventInputs state=state form=form/>
                <button type="submit" class="primary">{t.save}</button>
            </ActionForm>
            <ActionForm action=delete attr:class="panel danger">
                <input type="hidden" name="incident" value=d.incident.id/>
                <input type="hidden" name="event" value=event/>
                <button type="submit" class="danger">{t.delete_event}</button>
            </ActionForm>
        })
    })
}

#[component]
pub fn EditChain() -> impl IntoView {
    let action = ServerAction::<UpdateChain>::new();
    let delete = ServerAction::<DeleteChain>::new();
    with_incident("chain", move |d, chain: ChainId, seed| {
        let t = use_ui().t();
        let c = d
            .five_whys
            .iter()
            .find(|c| c.id == chain)
            .ok_or_else(|| AppError::not_found("5-Why chain"))?;
        let mut form = ChainForm::from_chain(c);
        let version = c.version;
        form.steps
            .extend(std::iter::repeat_n(StepForm::default(), SPARE_ROWS));
        let state = FormState::new("chain", seed.0);
        Ok(view! {
            <Title text=t.edit_chain/>
            <div class="page-head"><h1>{t.edit_chain}</h1>{back_link(d.incident.id)}</div>
            <p class="context">{d.incident.fields.title.clone()}</p>
            <ActionForm action=action attr:class="panel form">
                <input type="hidden" name="incident" value=d.incident.id/>
                <input type="hidden" name="chain" value=chain/>
                <VersionInput state=state version=version/>
                <ChainInputs state=state form=form/>
                <p class="hint">{t.steps_edit_hint}</p>
                <button type="submit" class="primary">{t.save}</button>
            </ActionForm>
            <ActionForm action=delete attr:class="panel danger">
                <input type="hidden" name="incident" value=d.incident.id/>
                <input type="hidden" name="chain" value=chain/>
                <button type="submit" class="danger">{t.delete_chain}</button>
            </ActionForm>
        })
    })
}

#[component]
pub fn EditAction() -> impl IntoView {
    let action = ServerAction::<UpdateAction>::new();
    let delete = ServerAction::<DeleteAction>::new();
    with_incident("action", move |d, item: ActionId, seed| {
        let t = use_ui().t();
        let a = d
            .action_items
            .iter()
            .find(|a| a.id == item)
            .ok_or_else(|| AppError::not_found("action item"))?;
        let form = ActionItemForm::from_item(a);
        let version = a.version;
        let state = FormState::new("action", seed.0);
        Ok(view! {
            <Title text=t.edit_action/>
            <div class="page-head"><h1>{t.edit_action}</h1>{back_link(d.incident.id)}</div>
            <p class="context">{d.incident.fields.title.clone()}</p>
            <ActionForm action=action attr:class="panel form">
                <input type="hidden" name="incident" value=d.incident.id/>
                <input type="hidden" name="action" value=item/>
                <VersionInput state=state version=version/>
                <ActionInputs state=state form=form chains=d.five_whys.clone()/>
                <button type="submit" class="primary">{t.save}</button>
            </ActionForm>
            <ActionForm action=delete attr:class="panel danger">
                <input type="hidden" name="incident" value=d.incident.id/>
                <input type="hidden" name="action" value=item/>
                <button type="submit" class="danger">{t.delete_action}</button>
            </ActionForm>
        })
    })
}
