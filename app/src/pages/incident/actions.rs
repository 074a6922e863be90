//! The action-item section of an incident: the table with quick status changes, and the add form.

use leptos::form::ActionForm;
use leptos::prelude::*;

use super::detail::DetailActions;
use crate::api::Flash;
use crate::domain::{
    ActionId, ActionItem, ActionKind, ActionStatus, FiveWhyChain, Horizon, IncidentId, StepId,
};
use crate::forms::ActionForm as ActionItemForm;
use crate::pages::due_cell;
use crate::ui::form::{Field, FormError, FormState, form_name, options};
use crate::ui::use_ui;

#[component]
pub fn ActionsSection(
    incident: IncidentId,
    items: Vec<ActionItem>,
    /// The incident's 5-Why chains, to name the step an item is linked to.
    chains: Vec<FiveWhyChain>,
    flash: Option<Flash>,
    acts: DetailActions,
) -> impl IntoView {
    let ui = use_ui();
    let t = ui.t();
    let today = crate::time::today(ui.tz);
    let state = FormState::new("action", flash);
    let blank = ActionItemForm {
        status: "open".into(),
        horizon: "short_term".into(),
        kind: "technical".into(),
        ..Default::default()
    };
    let empty = items.is_empty();
    let rows = items
        .into_iter()
        .map(|a| {
            let overdue = a.is_overdue(today);
            let step = step_label(&chains, a.five_why_step_id, t.why);
            view! { <ActionRow a=a overdue=overdue step=step acts=acts/> }
        })
        .collect_view();
    view! {
        <section class="panel action-items-section" id="action-items">
            <h2>{t.action_items}</h2>
            {empty.then(|| view! { <p class="empty-inline">{t.no_actions_here}</p> })}
            <div class="table-wrap" class:hidden=empty>
                <table class="action-items">
                    <thead><tr>
                        <th>{t.f_title}</th><th>{t.f_owner}</th><th>{t.f_due}</th><th>{t.f_status}</th>
                        <th>{t.f_horizon}</th><th>{t.f_kind}</th><th>{t.f_step}</th><th></th>
                    </tr></thead>
                    <tbody>{rows}</tbody>
                </table>
            </div>
            <details class="add" open=state.error().get_untracked().is_some()>
                <summary>{t.add_action}</summary>
                <ActionForm action=acts.add_action attr:class="form">
                    <input type="hidden" name="incident" value=incident/>
                    <ActionInputs state=state form=blank chains=chains/>
                    <button type="submit" class="primary">{t.add_action}</button>
                </ActionForm>
            </details>
        </section>
    }
}

/// "Why 2 — problem…" for a linked step, or empty.
pub fn step_label(chains: &[FiveWhyChain], step: Option<StepId>, why: &str) -> String {
    let Some(step) = step else {
        return String::new();
    };
    chains
        .iter()
        .find_map(|c| {
            c.steps
                .iter()
                .position(|s| s.id == step)
                .map(|i| format!("{why} {} — {}", i + 1, c.steps[i].why))
        })
        .unwrap_or_default()
}

#[component]
fn ActionRow(a: ActionItem, overdue: bool, step: String, acts: DetailActions) -> impl IntoView {
    let t = use_ui().t();
    view! {
        <tr class:overdue=overdue class:done=!a.status.is_open()>
            <td class="title" title=(!a.created_by.is_empty()).then(|| format!("{} {}", use_ui().accounts().recorded_by, a.created_by))>{a.title}</td>
            <td>{a.owner}</td>
            {due_cell(a.due, overdue)}
            <td><StatusSwitch incident=a.incident_id action=a.id status=a.status acts=acts/></td>
            <td>{t.horizon_label(a.horizon)}</td>
            <td>{t.action_kind_label(a.kind)}</td>
            <td class="step">{step}</td>
            <td class="row-actions"><a href=format!("/incidents/{}/action-items/{}/edit", a.incident_id, a.id)>{t.edit}</a></td>
        </tr>
    }
}

/// A select and a button: changes one item's status (works without JavaScript).
#[component]
fn StatusSwitch(
    incident: IncidentId,
    action: ActionId,
    status: ActionStatus,
    acts: DetailActions,
) -> impl IntoView {
    let t = use_ui().t();
    view! {
        <ActionForm action=acts.action_status attr:class="inline status-switch">
            <input type="hidden" name="incident" value=incident/>
            <input type="hidden" name="action" value=action/>
            <select name="status" aria-label=t.f_status>
                {options(ActionStatus::ALL, |s| t.action_status_label(s), status.as_str())}
            </select>
            <button type="submit" class="small">{t.set}</button>
        </ActionForm>
    }
}

/// The inputs of an action-item form (add and edit).
#[component]
pub fn ActionInputs(
    state: FormState,
    form: ActionItemForm,
    chains: Vec<FiveWhyChain>,
) -> impl IntoView {
    let t = use_ui().t();
    let v = move |field: &str, default: &str| state.value(field, default);
    let (title, owner, due) = (
        v("title", &form.title),
        v("owner", &form.owner),
        v("due", &form.due),
    );
    let (status, horizon, kind, step) = (
        v("status", &form.status),
        v("horizon", &form.horizon),
        v("kind", &form.kind),
        v("five_why_step_id", &form.five_why_step_id),
    );
    let step_options = chains
        .iter()
        .flat_map(|c| {
            c.steps.iter().enumerate().map(|(i, s)| {
                let id = s.id.to_string();
                let selected = id == step;
                let label = format!("{} {} — {}", t.why, i + 1, s.why);
                view! { <option value=id selected=selected>{label}</option> }
            })
        })
        .collect_view();
    view! {
        <FormError state=state/>
        <Field state=state name="title" label=t.f_title.to_string()>
            <input type="text" id=state.input_id("title") name=form_name("title") value=title required/>
        </Field>
        <div class="row">
            <Field state=state name="owner" label=t.f_owner.to_string()>
                <input type="text" id=state.input_id("owner") name=form_name("owner") value=owner/>
            </Field>
            <Field state=state name="due" label=t.f_due.to_string()>
                <input type="date" id=state.input_id("due") name=form_name("due") value=due/>
            </Field>
            <Field state=state name="status" label=t.f_status.to_string()>
                <select id=state.input_id("status") name=form_name("status")>
                    {options(ActionStatus::ALL, |s| t.action_status_label(s), &status)}
                </select>
            </Field>
        </div>
        <div class="row">
            <Field state=state name="horizon" label=t.f_horizon.to_string()>
                <select id=state.input_id("horizon") name=form_name("horizon")>
                    {options(Horizon::ALL, |h| t.horizon_label(h), &horizon)}
                </select>
            </Field>
            <Field state=state name="kind" label=t.f_kind.to_string()>
                <select id=state.input_id("kind") name=form_name("kind")>
                    {options(ActionKind::ALL, |k| t.action_kind_label(k), &kind)}
                </select>
            </Field>
            <Field state=state name="five_why_step_id" label=t.f_step.to_string()>
                <select id=state.input_id("five_why_step_id") name=form_name("five_why_step_id")>
                    <option value="" selected=step.is_empty()>{t.none}</option>
                    {step_options}
                </select>
            </Field>
        </div>
    }
}
