//! Create and edit an incident.

use leptos::form::ActionForm;
use leptos::prelude::*;
use leptos_meta::Title;

use super::param_id;
use super::suggestions::SimilarIncidents;
use crate::api::{CreateIncident, DeleteIncident, UpdateIncident, get_incident};
use crate::domain::{IncidentId, Moment, Severity, Status};
use crate::forms::IncidentForm;
use crate::pages::{ErrorPanel, flash_resource, loading, page_resource};
use crate::ui::form::{
    Field, FormError, FormState, VersionInput, area_field, form_name, options, text_field,
};
use crate::ui::use_ui;

#[component]
pub fn NewIncident() -> impl IntoView {
    let ui = use_ui();
    let t = ui.t();
    let templates = crate::i18n::Templates::of(ui.lang);
    let action = ServerAction::<CreateIncident>::new();
    let flash = flash_resource();
    // `?template=sre|pagerduty|atlassian` starts the narrative with that template's sections.
    let template = leptos_router::hooks::use_query_map()
        .read_untracked()
        .get("template")
        .and_then(|t| crate::i18n::Template::parse(&t));
    view! {
        <Title text=t.new_incident/>
        <div class="page-head"><h1>{t.new_incident}</h1></div>
        <p class="templates">{templates.start_from}" "
            {crate::i18n::Template::ALL.iter().map(|tpl| view! {
                <a href=format!("/incidents/new?template={tpl}") aria-current=(template == Some(*tpl)).then_some("true")>{templates.name(*tpl)}</a>" "
            }).collect_view()}
        </p>
        <Suspense fallback=loading>
            {move || Suspend::new(async move {
                let state = FormState::new("incident", flash.await);
                let narrative = template.map(|tpl| templates.narrative(tpl).to_owned()).unwrap_or_default();
                let blank = IncidentForm { severity: "P2".into(), status: "detected".into(), narrative, ..Default::default() };
                view! {
                    <ActionForm action=action attr:class="panel form incident-form">
                        <IncidentInputs state=state form=blank editing=false/>
                        <div class="actions">
                            <button type="submit" class="primary">{t.create}</button>
                            <a href="/incidents">{t.cancel}</a>
                        </div>
                    </ActionForm>
                }
            })}
        </Suspense>
    }
}

#[component]
pub fn EditIncident() -> impl IntoView {
    let ui = use_ui();
    let t = ui.t();
    let id = param_id::<IncidentId>("id");
    let action = ServerAction::<UpdateIncident>::new();
    let delete = ServerAction::<DeleteIncident>::new();
    let incident = page_resource(move || id.get(), get_incident);
    let flash = flash_resource();
    view! {
        <Title text=t.edit_incident/>
        <Suspense fallback=loading>
            {move || Suspend::new(async move {
                let d = match incident.await {
                    Ok(d) => d,
                    Err(e) => return view! { <ErrorPanel error=e/> }.into_any(),
                };
                let state = FormState::new("incident", flash.await);
                let form = IncidentForm::from_incident(&d.incident, ui.tz);
                let id = d.incident.id;
                view! {
                    <div class="page-head">
                        <h1>{t.edit_incident}</h1>
                        <a href=format!("/incidents/{id}")>{t.back_to_incident}</a>
                    </div>
                    <ActionForm action=action attr:class="panel form incident-form">
                        <input type="hidden" name="id" value=id/>
                        <VersionInput state=state version=d.incident.version/>
                        <IncidentInputs state=state form=form editing=true/>
                        <div class="actions">
                            <button type="submit" class="primary">{t.save}</button>
                            <a href=format!("/incidents/{id}")>{t.cancel}</a>
                        </div>
                    </ActionForm>
                    <ActionForm action=delete attr:class="panel danger">
                        <input type="hidden" name="id" value=id/>
                        <p>{t.delete_incident_warning}</p>
                        <button type="submit" class="danger">{t.delete_incident}</button>
                    </ActionForm>
                }
                .into_any()
            })}
        </Suspense>
    }
}

/// Every input of the incident form; shared by create and edit.
#[component]
fn IncidentInputs(state: FormState, form: IncidentForm, editing: bool) -> impl IntoView {
    let ui = use_ui();
    let t = ui.t();
    let s = state;
    let v = move |field: &str, default: &str| s.value(field, default);
    let text = |name, label, default: &str, required| {
        text_field(state, name, label, default, "", required)
    };
    let area = |name, label, default: &str, rows, hint| {
        area_field(state, name, label, default, rows, hint)
    };
    let severity = v("severity", &form.severity);
    let status = v("status", &form.status);
    let zone_hint = t.times_in_zone;
    let times = Moment::ALL
        .into_iter()
        .map(|m| {
            let name = m.field();
            let default = match m {
                Moment::Started => &form.started_at,
                Moment::Detected => &form.detected_at,
                Moment::Acknowledged => &form.acknowledged_at,
                Moment::Recovered => &form.recovered_at,
                Moment::Resolved => &form.resolved_at,
            };
            let value = v(name, default);
            view! {
                <Field state=state name=name label=t.moment_label(m).to_string()>
                    <input type="datetime-local" id=state.input_id(name) name=form_name(name) value=value/>
                </Field>
            }
        })
        .collect_view();
    view! {
        <FormError state=state/>
        // A new incident's title: the browser's own autocomplete would cover the suggestions.
        <Field state=state name="title" label=t.f_title.to_string()>
            <input type="text" id=state.input_id("title") name=form_name("title") value=v("title", &form.title)
                required=true autocomplete=(!editing).then_some("off")/>
        </Field>
        {(!editing).then(|| view! { <SimilarIncidents lang=ui.lang/> })}
        <div class="row">
            <Field state=state name="severity" label=t.f_severity.to_string()>
                <select id=state.input_id("severity") name=form_name("severity")>
                    {options(Severity::ALL, |s| t.severity_label(s), &severity)}
                </select>
            </Field>
            <Field state=state name="status" label=t.f_status.to_string()>
                <select id=state.input_id("status") name=form_name("status")>
                    {options(Status::ALL, |s| t.status_label(s), &status)}
                </select>
            </Field>
            <Field state=state name="services" label=t.f_services.to_string() hint=t.services_hint>
                <input type="text" id=state.input_id("services") name=form_name("services") value=v("services", &form.services) placeholder="coupon-api, redis"/>
            </Field>
        </div>
        {editing.then(|| text("status_reason", t.f_status_reason, "", false))}
        <fieldset class="times">
            <legend>{t.timestamps}</legend>
            <p class="hint">{format!("{zone_hint} {}", ui.tz.name())}</p>
            <div class="grid">{times}</div>
        </fieldset>
        <div class="row">
            {area("customer_impact", t.f_customer_impact, &form.customer_impact, 3, "")}
            {area("business_impact", t.f_business_impact, &form.business_impact, 3, "")}
        </div>
        <div class="row">
            {text("failed_requests", t.f_failed_requests, &form.failed_requests, false)}
            {text("customers_affected", t.f_customers_affected, &form.customers_affected, false)}
            <Field state=state name="drill" label=t.drill.to_string() hint=t.drill_hint>
                <input type="checkbox" id=state.input_id("drill") name=form_name("drill") value="on" checked=!v("drill", &form.drill).is_empty()/>
            </Field>
        </div>
        <Field state=state name="summary" label=t.f_summary.to_string() hint=t.markdown_hint>
            <textarea id=state.input_id("summary") name=form_name("summary") rows=4>{v("summary", &form.summary)}</textarea>
        </Field>
        {area("narrative", t.f_narrative, &form.narrative, 12, t.markdown_hint)}
    }
}
