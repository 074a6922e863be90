//! The incident page's "Response plan": each linked scenario's stages as a checklist, with
//! deadlines counted from detection and each stage's adherence; forms to tick and un-tick a
//! step (a timeline event), and to link or unlink a scenario.

use leptos::form::ActionForm;
use leptos::prelude::*;

use super::severity_cell;
use crate::api::Flash;
use crate::domain::{
    IncidentId, IncidentScenario, LinkedBy, ScenarioChoice, ScenarioId, StageProgress,
    StepProgress, minutes_label,
};
use crate::pages::incident::detail::DetailActions;
use crate::ui::form::{FormError, FormState};
use crate::ui::use_ui;

#[component]
pub fn ScenariosSection(
    incident: IncidentId,
    scenarios: Vec<IncidentScenario>,
    choices: Vec<ScenarioChoice>,
    flash: Option<Flash>,
    acts: DetailActions,
) -> impl IntoView {
    let s = use_ui().scenarios();
    let tick_state = FormState::new("scenario-tick", flash.clone());
    let link_state = FormState::new("scenario-link", flash);
    let linked: Vec<ScenarioId> = scenarios.iter().map(|x| x.scenario_id).collect();
    let choices: Vec<ScenarioChoice> = choices
        .into_iter()
        .filter(|c| !linked.contains(&c.id))
        .collect();
    let empty = scenarios.is_empty();
    view! {
        <section class="panel plan-section" id="plan">
            <h2>{s.plan}</h2>
            <p class="hint">{s.plan_hint}</p>
            <FormError state=tick_state/>
            {empty.then(|| view! { <p class="empty">{s.no_plan}</p> })}
            {scenarios.into_iter().map(|sc| followed(incident, sc, acts)).collect_view()}
            {(!choices.is_empty()).then(|| view! {
                <ActionForm action=acts.link_scenario attr:class="inline-form">
                    <FormError state=link_state/>
                    <input type="hidden" name="incident" value=incident/>
                    <label for="link-scenario">{s.link_scenario}</label>
                    <select id="link-scenario" name="scenario">
                        {choices.into_iter().map(|c| view! { <option value=c.id>{c.title}</option> }).collect_view()}
                    </select>
                    <button type="submit">{s.link}</button>
                </ActionForm>
            })}
        </section>
    }
}

fn followed(incident: IncidentId, sc: IncidentScenario, acts: DetailActions) -> impl IntoView {
    let s = use_ui().scenarios();
    let id = sc.scenario_id;
    view! {
        <article class="followed">
            <h3>
                {severity_cell(sc.severity)}" "
                <a href=format!("/scenarios/{id}")>{sc.title}</a>
                {(sc.linked_by == LinkedBy::Rule).then(|| view! { " "<span class="badge">{s.by_alert}</span> })}
            </h3>
            <ActionForm action=acts.unlink_scenario attr:class="inline-form unlink">
                <input type="hidden" name="incident" value=incident/>
                <input type="hidden" name="scenario" value=id/>
                <button type="submit" class="link">{s.unlink}</button>
            </ActionForm>
            {sc.stages.into_iter().map(|st| stage(incident, id, st, acts)).collect_view()}
        </article>
    }
}

fn stage(
    incident: IncidentId,
    scenario: ScenarioId,
    st: StageProgress,
    acts: DetailActions,
) -> impl IntoView {
    let ui = use_ui();
    let s = ui.scenarios();
    let due = match st.deadline {
        Some(d) => format!("{} {}", s.due, ui.time(d)),
        None => format!("{} {}", s.within, minutes_label(st.within_minutes)),
    };
    let class = format!("badge adherence-{}", st.adherence.as_str());
    view! {
        <div class="stage">
            <h4>{st.name}" "<small class="deadline">{due}</small>" "
                <span class=class data-adherence=st.adherence.as_str()>{s.adherence(st.adherence)}</span></h4>
            <ul class="checklist">
                {st.steps.into_iter().map(|p| step(incident, scenario, p, acts)).collect_view()}
            </ul>
        </div>
    }
}

fn step(
    incident: IncidentId,
    scenario: ScenarioId,
    p: StepProgress,
    acts: DetailActions,
) -> impl IntoView {
    let ui = use_ui();
    let s = ui.scenarios();
    let done = p.done_at.is_some();
    let changes = p
        .step
        .changes
        .into_iter()
        .map(|c| view! { " "<code>{c}</code> })
        .collect_view();
    let state = match p.done_at {
        Some(at) => view! {
            <small class="done-at">{format!("{} {}", s.done_at, ui.time(at))}
                {p.late.then(|| view! { " "<span class="badge late">{s.late}</span> })}</small>
        }
        .into_any(),
        None => ().into_any(),
    };
    view! {
        <li class:done=done class:late=p.late>
            <span class="mark" aria-hidden="true">{if done { "☑" } else { "☐" }}</span>
            <span class="text">{p.step.text}{changes}</span>
            {state}
            <ActionForm action=acts.tick_step attr:class="inline-form tick">
                <input type="hidden" name="incident" value=incident/>
                <input type="hidden" name="scenario" value=scenario/>
                <input type="hidden" name="step" value=p.step.id/>
                <input type="hidden" name="done" value=if done { "false" } else { "true" }/>
                {if done {
                    view! { <input type="hidden" name="at" value=""/><button type="submit" class="link">{s.untick}</button> }.into_any()
                } else {
                    view! {
                        <input type="datetime-local" name="at" aria-label=s.done_at/>
                        <button type="submit">{s.tick}</button>
                    }
                    .into_any()
                }}
            </ActionForm>
        </li>
    }
}
