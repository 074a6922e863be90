//! The incident page: facts and metrics, then timeline, 5-Why chains and action items, each
//! editable in place.

use leptos::form::ActionForm;
use leptos::prelude::*;
use leptos_meta::Title;

use super::{
    actions::ActionsSection, alerts::AlertsSection, chains::ChainsSection, param_id,
    timeline::TimelineSection,
};
use crate::api::{
    AddAction, AddChain, AddEvent, ChangeStatus, EditStep, Flash, LinkScenario, RecoverFromAlerts,
    SetActionStatus, TickStep, UnlinkScenario, get_incident, similar_incidents,
};
use crate::domain::{Incident, IncidentId, Moment, SearchHit, Status, format_duration};
use crate::error::AppError;
use crate::pages::{ErrorPanel, flash_resource, loading, page_resource};
use crate::queries::{IncidentDetail, StatusChange};
use crate::ui::badges::{MetricValue, SeverityBadge, StatusBadge};
use crate::ui::form::{Field, FormError, FormState, options};
use crate::ui::use_ui;

/// The page's mutations (each form posts to its server function, which sends the reader back
/// here).
#[derive(Clone, Copy)]
pub struct DetailActions {
    pub status: ServerAction<ChangeStatus>,
    pub add_event: ServerAction<AddEvent>,
    pub add_chain: ServerAction<AddChain>,
    pub edit_step: ServerAction<EditStep>,
    pub add_action: ServerAction<AddAction>,
    pub action_status: ServerAction<SetActionStatus>,
    pub recover: ServerAction<RecoverFromAlerts>,
    pub link_scenario: ServerAction<LinkScenario>,
    pub unlink_scenario: ServerAction<UnlinkScenario>,
    pub tick_step: ServerAction<TickStep>,
}

impl DetailActions {
    fn new() -> Self {
        Self {
            status: ServerAction::new(),
            add_event: ServerAction::new(),
            add_chain: ServerAction::new(),
            edit_step: ServerAction::new(),
            add_action: ServerAction::new(),
            action_status: ServerAction::new(),
            recover: ServerAction::new(),
            link_scenario: ServerAction::new(),
            unlink_scenario: ServerAction::new(),
            tick_step: ServerAction::new(),
        }
    }
}

#[component]
pub fn IncidentPage() -> impl IntoView {
    let id = param_id::<IncidentId>("id");
    let acts = DetailActions::new();
    // Similar incidents load with the incident, in one resource: every further resource on a
    // page is another chance for Leptos's server rendering to stall (see `server::runtime`).
    let data = page_resource(
        move || id.get(),
        |id| async move {
            let detail = get_incident(id).await;
            let similar = match detail {
                Ok(_) => similar_incidents(id).await.unwrap_or_default(),
                Err(_) => Vec::new(),
            };
            (detail, similar)
        },
    );
    let flash = flash_resource();
    view! {
        <Suspense fallback=loading>
            {move || Suspend::new(async move {
                let (d, similar) = data.await;
                render(d, flash.await, similar, acts)
            })}
        </Suspense>
    }
}

fn render(
    data: Result<IncidentDetail, AppError>,
    flash: Option<Flash>,
    similar: Vec<SearchHit>,
    acts: DetailActions,
) -> AnyView {
    match data {
        Err(e) => view! { <ErrorPanel error=e/> }.into_any(),
        Ok(d) => {
            // Each section gets its own part, moved: the detail holds the long texts, and
            // cloning it whole per section was a measurable share of the page's time.
            let IncidentDetail {
                incident,
                summary_html,
                narrative_html,
                timeline,
                five_whys,
                action_items,
                status_changes,
                alerts,
                load_tests,
                capacity,
                scenarios,
                scenario_choices,
            } = d;
            let id = incident.id;
            let recovered = incident.fields.times.recovered_at;
            view! {
                <Title text=incident.fields.title.clone()/>
                <Facts incident=incident summary_html=summary_html narrative_html=narrative_html flash=flash.clone() acts=acts/>
                <AlertsSection incident=id alerts=alerts recovered=recovered acts=acts/>
                <crate::pages::scenarios::checklist::ScenariosSection incident=id scenarios=scenarios
                    choices=scenario_choices flash=flash.clone() acts=acts/>
                <TimelineSection incident=id timeline=timeline flash=flash.clone() acts=acts/>
                <ChainsSection incident=id chains=five_whys.clone() flash=flash.clone() acts=acts/>
                <ActionsSection incident=id items=action_items chains=five_whys flash=flash acts=acts/>
                <super::load_tests::LoadTestsSection runs=load_tests capacity=capacity/>
                <crate::pages::search::SimilarIncidents hits=similar/>
                <StatusHistory changes=status_changes/>
            }
            .into_any()
        }
    }
}

#[component]
fn Facts(
    incident: Incident,
    summary_html: String,
    narrative_html: String,
    flash: Option<Flash>,
    acts: DetailActions,
) -> impl IntoView {
    let ui = use_ui();
    let t = ui.t();
    let i = incident;
    let f = i.fields;
    let m = i.metrics;
    let state = FormState::new("status", flash);
    let current = f.status.to_string();
    let times = Moment::ALL
        .into_iter()
        .map(|moment| {
            let (at, by) = f.times.get(moment);
            view! {
                <div class="fact">
                    <dt>{t.moment_label(moment)}</dt>
                    <dd>
                        <span class="time">{ui.opt_time(at)}</span>
                        {by.map(|b| view! { <span class="provenance">{t.provenance_label(b)}</span> })}
                    </dd>
                </div>
            }
        })
        .collect_view();
    let count = |n: Option<i64>| n.map(crate::i18n::grouped).unwrap_or_else(|| "—".into());
    view! {
        <article class="incident-head">
            <div class="title-row">
                <SeverityBadge severity=f.severity/>
                {f.drill.then(|| view! { <span class="badge drill">{t.drill}</span> })}
                <h1>{f.title}</h1>
                <a class="button" href=format!("/incidents/{}/export.md", i.id) rel="external" download="" title=t.export_md_hint>{t.export_md}</a>
                <a class="button" href=format!("/incidents/{}/export.html", i.id) rel="external" target="_blank" title=t.print_html_hint>{t.print_html}</a>
                <a class="button" href=format!("/incidents/{}/edit", i.id)>{t.edit}</a>
            </div>
            <p class="meta">
                <StatusBadge status=f.status/>
                <span class="services">{f.services.join(" · ")}</span>
                <span class="sev-label">{t.severity_label(f.severity)}</span>
            </p>
        </article>
        <section class="metrics" aria-label=t.metrics>
            <div class="metric-card" class:breach=m.ttd_breached>
                <h2>"TTD"</h2>
                <p class="value"><MetricValue seconds=m.ttd_seconds target=m.ttd_target_seconds breached=m.ttd_breached/></p>
                <p class="target">{format!("{} ≤ {}", t.target, format_duration(m.ttd_target_seconds))}</p>
                <p class="definition">{t.ttd_definition}</p>
            </div>
            <div class="metric-card" class:breach=m.ttr_breached>
                <h2>"TTR"</h2>
                <p class="value"><MetricValue seconds=m.ttr_seconds target=m.ttr_target_seconds breached=m.ttr_breached/></p>
                <p class="target">{format!("{} ≤ {} ({})", t.target, format_duration(m.ttr_target_seconds), f.severity)}</p>
                <p class="definition">{t.ttr_definition}</p>
            </div>
            <ActionForm action=acts.status attr:class="status-form">
                <input type="hidden" name="id" value=i.id/>
                <FormError state=state/>
                <Field state=state name="status" label=t.f_status.to_string()>
                    <select id=state.input_id("status") name="status">
                        {options(Status::ALL, |s| t.status_label(s), &state.value("status", current))}
                    </select>
                </Field>
                <Field state=state name="reason" label=t.f_status_reason.to_string()>
                    <input type="text" id=state.input_id("reason") name="reason" value=state.value("reason", "")/>
                </Field>
                <button type="submit">{t.change_status}</button>
            </ActionForm>
        </section>
        <section class="panel facts">
            <dl class="times">{times}</dl>
            <dl class="impact">
                <div class="fact"><dt>{t.f_customer_impact}</dt><dd>{f.customer_impact}</dd></div>
                <div class="fact"><dt>{t.f_business_impact}</dt><dd>{f.business_impact}</dd></div>
                <div class="fact"><dt>{t.f_failed_requests}</dt><dd>{count(f.failed_requests)}</dd></div>
                <div class="fact"><dt>{t.f_customers_affected}</dt><dd>{count(f.customers_affected)}</dd></div>
            </dl>
        </section>
        {(!summary_html.is_empty()).then(|| view! {
            <section class="panel prose"><h2>{t.f_summary}</h2><div inner_html=summary_html/></section>
        })}
        {(!narrative_html.is_empty()).then(|| view! {
            <section class="panel prose"><h2>{t.f_narrative}</h2><div inner_html=narrative_html/></section>
        })}
    }
}

#[component]
fn StatusHistory(changes: Vec<StatusChange>) -> impl IntoView {
    let ui = use_ui();
    let t = ui.t();
    (!changes.is_empty()).then(|| {
        view! {
            <section class="panel history">
                <h2>{t.status_history}</h2>
                <ol>
                    {changes.into_iter().map(|c| view! {
                        <li>
                            <span class="time">{ui.time(c.at)}</span>
                            <StatusBadge status=c.from/>" → "<StatusBadge status=c.to/>
                            {(!c.reason.is_empty()).then(|| view! { <span class="reason">{c.reason}</span> })}
                            {(!c.by.is_empty()).then(|| view! { <span class="by">{c.by}</span> })}
                        </li>
                    }).collect_view()}
                </ol>
            </section>
        }
    })
}
