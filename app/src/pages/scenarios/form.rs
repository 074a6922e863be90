//! Create and edit a scenario: plain fields, and its lists as lines (see
//! [`crate::forms::scenario`] for the line formats, which the hints repeat).

use leptos::form::ActionForm;
use leptos::prelude::*;
use leptos_meta::Title;

use crate::api::{CreateScenario, DeleteScenario, UpdateScenario, get_scenario};
use crate::domain::{RootCauseCategory, ScenarioId, Severity};
use crate::forms::ScenarioForm;
use crate::pages::incident::param_id;
use crate::pages::{ErrorPanel, flash_resource, loading, page_resource};
use crate::ui::form::{Field, FormError, FormState, area_field, form_name, options, text_field};
use crate::ui::use_ui;

#[component]
pub fn NewScenario() -> impl IntoView {
    let ui = use_ui();
    let (t, s) = (ui.t(), ui.scenarios());
    let action = ServerAction::<CreateScenario>::new();
    let flash = flash_resource();
    view! {
        <Title text=s.new_scenario/>
        <div class="page-head"><h1>{s.new_scenario}</h1></div>
        <Suspense fallback=loading>
            {move || Suspend::new(async move {
                let state = FormState::new("scenario", flash.await);
                let blank = ScenarioForm {
                    stages: "5m Immediate\n- \n\n30m Short term\n- \n\n1w Long term\n- ".into(),
                    ..ScenarioForm::default()
                };
                view! {
                    <ActionForm action=action attr:class="panel form scenario-form">
                        <ScenarioInputs state=state form=blank/>
                        <div class="actions">
                            <button type="submit" class="primary">{s.create}</button>
                            <a href="/scenarios">{t.cancel}</a>
                        </div>
                    </ActionForm>
                }
            })}
        </Suspense>
    }
}

#[component]
pub fn EditScenario() -> impl IntoView {
    let ui = use_ui();
    let (t, s) = (ui.t(), ui.scenarios());
    let id = param_id::<ScenarioId>("id");
    let action = ServerAction::<UpdateScenario>::new();
    let delete = ServerAction::<DeleteScenario>::new();
    let scenario = page_resource(move || id.get(), get_scenario);
    let flash = flash_resource();
    view! {
        <Title text=s.edit_scenario/>
        <Suspense fallback=loading>
            {move || Suspend::new(async move {
                let sc = match scenario.await {
                    Ok(sc) => sc,
                    Err(e) => return view! { <ErrorPanel error=e/> }.into_any(),
                };
                let state = FormState::new("scenario", flash.await);
                let id = sc.id;
                view! {
                    <div class="page-head">
                        <h1>{s.edit_scenario}</h1>
                        <a href=format!("/scenarios/{id}")>{sc.title.clone()}</a>
                    </div>
                    <ActionForm action=action attr:class="panel form scenario-form">
                        <input type="hidden" name="id" value=id/>
                        <ScenarioInputs state=state form=ScenarioForm::from_scenario(&sc)/>
                        <div class="actions">
                            <button type="submit" class="primary">{t.save}</button>
                            <a href=format!("/scenarios/{id}")>{t.cancel}</a>
                        </div>
                    </ActionForm>
                    <ActionForm action=delete attr:class="panel danger">
                        <input type="hidden" name="id" value=id/>
                        <p>{s.delete_warning}</p>
                        <button type="submit" class="danger">{s.delete}</button>
                    </ActionForm>
                }
                .into_any()
            })}
        </Suspense>
    }
}

/// Every input of the scenario form.
#[component]
fn ScenarioInputs(state: FormState, form: ScenarioForm) -> impl IntoView {
    let ui = use_ui();
    let (t, s) = (ui.t(), ui.scenarios());
    let v = move |field: &str, default: &str| state.value(field, default);
    let text =
        |name, label, default: &str, hint| text_field(state, name, label, default, hint, false);
    let area = |name, label, default: &str, rows, hint| {
        area_field(state, name, label, default, rows, hint)
    };
    let severity = v("severity", &form.severity);
    let category = v("category", &form.category);
    view! {
        <FormError state=state/>
        <Field state=state name="title" label=s.title.to_string()>
            <input type="text" id=state.input_id("title") name=form_name("title") value=v("title", &form.title) required=true/>
        </Field>
        <div class="row">
            <Field state=state name="severity" label=s.severity.to_string()>
                <select id=state.input_id("severity") name=form_name("severity")>
                    <option value="" selected=severity.is_empty()>{s.no_severity}</option>
                    {options(Severity::ALL, |x| t.severity_label(x), &severity)}
                </select>
            </Field>
            {text("services", s.services, &form.services, t.services_hint)}
        </div>
        {text("trigger", s.trigger, &form.trigger, s.trigger_hint)}
        <div class="row">
            {area("symptoms", s.symptoms, &form.symptoms, 3, s.one_per_line)}
            {area("business_impact", s.impact, &form.business_impact, 3, "")}
        </div>
        <fieldset>
            <legend>{s.detection}</legend>
            {area("metrics", s.metrics, &form.metrics, 4, s.metrics_hint)}
            {area("alert_levels", s.alert_levels, &form.alert_levels, 3, s.alert_levels_hint)}
            <div class="row">
                {text("alerts", s.alerts, &form.alerts, s.alerts_hint)}
                {text("channels", s.channels, &form.channels, "")}
            </div>
            {area("detection_notes", s.detection_notes, &form.detection_notes, 3, "")}
        </fieldset>
        {area("stages", s.stages, &form.stages, 12, s.stages_hint)}
        <fieldset>
            <legend>{s.chain}</legend>
            {area("whys", s.chain, &form.whys, 5, s.whys_hint)}
            <div class="row">
                {text("root_cause", s.root_cause, &form.root_cause, "")}
                <Field state=state name="category" label=s.category.to_string()>
                    <select id=state.input_id("category") name=form_name("category")>
                        <option value="" selected=category.is_empty()>"—"</option>
                        {options(RootCauseCategory::ALL, |c| t.category_label(c), &category)}
                    </select>
                </Field>
            </div>
        </fieldset>
        {text("load_tests", s.load_tests, &form.load_tests, s.load_tests_hint)}
        {area("notes", s.notes, &form.notes, 4, "")}
    }
}
