//! The timeline section: events in time order, grouped by local date, and the add form.

use leptos::form::ActionForm;
use leptos::prelude::*;

use super::detail::DetailActions;
use crate::api::Flash;
use crate::domain::{EventKind, IncidentId, TimelineEvent};
use crate::forms::EventForm;
use crate::ui::form::{Field, FormError, FormState, form_name, options};
use crate::ui::use_ui;

#[component]
pub fn TimelineSection(
    incident: IncidentId,
    /// In time order.
    timeline: Vec<TimelineEvent>,
    flash: Option<Flash>,
    acts: DetailActions,
) -> impl IntoView {
    let ui = use_ui();
    let t = ui.t();
    let empty = timeline.is_empty();
    let mut last_date = String::new();
    let rows = timeline
        .into_iter()
        .map(|e| {
            let date =
                e.at.with_timezone(&ui.tz)
                    .format("%Y-%m-%d (%a)")
                    .to_string();
            let heading =
                (date != last_date).then(|| view! { <li class="date">{date.clone()}</li> });
            last_date = date;
            view! { {heading} <EventRow e=e/> }
        })
        .collect_view();
    let state = FormState::new("event", flash);
    view! {
        <section class="panel timeline" id="timeline">
            <h2>{t.timeline}</h2>
            {empty.then(|| view! { <p class="empty-inline">{t.no_events}</p> })}
            <ol class="events">{rows}</ol>
            <details class="add" open=state.error().get_untracked().is_some()>
                <summary>{t.add_event}</summary>
                <ActionForm action=acts.add_event attr:class="form">
                    <input type="hidden" name="incident" value=incident/>
                    <EventInputs state=state form=EventForm { kind: "note".into(), ..Default::default() }/>
                    <button type="submit" class="primary">{t.add_event}</button>
                </ActionForm>
            </details>
        </section>
    }
}

#[component]
fn EventRow(e: TimelineEvent) -> impl IntoView {
    let ui = use_ui();
    let t = ui.t();
    view! {
        <li class=format!("event kind-{}", e.kind)>
            <time datetime=e.at.to_rfc3339()>{crate::time::format_clock(e.at, ui.tz)}</time>
            <span class="kind">{t.event_kind_label(e.kind)}</span>
            <p class="text">{e.text}</p>
            <span class="by">
                {(!e.author.is_empty()).then(|| e.author.clone())}
                {(e.source != crate::domain::Provenance::Manual).then(|| view! { <span class="provenance">{t.provenance_label(e.source)}</span> })}
                {(!e.recorded_by.is_empty() && e.recorded_by != e.author).then(|| view! {
                    <span class="recorded-by">{format!("{} {}", ui.accounts().recorded_by, e.recorded_by)}</span>
                })}
            </span>
            <a class="row-actions" href=format!("/incidents/{}/timeline/{}/edit", e.incident_id, e.id)>{t.edit}</a>
        </li>
    }
}

/// The inputs of an event form (add and edit).
#[component]
pub fn EventInputs(state: FormState, form: EventForm) -> impl IntoView {
    let ui = use_ui();
    let t = ui.t();
    let kind = state.value("kind", form.kind.clone());
    view! {
        <FormError state=state/>
        <div class="row">
            <Field state=state name="at" label=format!("{} ({})", t.f_at, ui.tz.name())>
                <input type="datetime-local" id=state.input_id("at") name=form_name("at") value=state.value("at", form.at.clone()) required/>
            </Field>
            <Field state=state name="kind" label=t.f_kind.to_string() hint=t.kind_hint>
                <select id=state.input_id("kind") name=form_name("kind")>
                    {options(EventKind::ALL, |k| t.event_kind_label(k), &kind)}
                </select>
            </Field>
            <Field state=state name="author" label=t.f_author.to_string()>
                <input type="text" id=state.input_id("author") name=form_name("author") value=state.value("author", form.author.clone())/>
            </Field>
        </div>
        <Field state=state name="text" label=t.f_text.to_string()>
            <textarea id=state.input_id("text") name=form_name("text") rows="2">{state.value("text", form.text.clone())}</textarea>
        </Field>
    }
}
