//! `/scenarios/{id}`: a scenario whole: trigger and symptoms, detection, the staged plan, the
//! predicted chain, the runs it came from.

use leptos::prelude::*;
use leptos_meta::Title;

use super::{plan_view, severity_cell};
use crate::api::get_scenario;
use crate::domain::{Scenario, ScenarioId, minutes_label};
use crate::pages::incident::param_id;
use crate::pages::{ErrorPanel, loading, page_resource};
use crate::ui::use_ui;

#[component]
pub fn ScenarioPage() -> impl IntoView {
    let id = param_id::<ScenarioId>("id");
    let scenario = page_resource(move || id.get(), get_scenario);
    view! {
        <Suspense fallback=loading>
            {move || Suspend::new(async move {
                match scenario.await {
                    Err(e) => view! { <ErrorPanel error=e/> }.into_any(),
                    Ok(s) => render(s),
                }
            })}
        </Suspense>
    }
}

fn render(sc: Scenario) -> AnyView {
    let ui = use_ui();
    let (t, s) = (ui.t(), ui.scenarios());
    let id = sc.id;
    let d = sc.detection;
    let respond = |w: Option<u32>, c: Option<u32>| match (w, c) {
        (None, None) => String::new(),
        (w, c) => format!(
            "{} / {}",
            w.map_or("—".into(), minutes_label),
            c.map_or("—".into(), minutes_label)
        ),
    };
    let metrics = (!d.metrics.is_empty()).then(|| view! {
        <table class="list metrics">
            <thead><tr><th>{s.metric}</th><th>"Warning"</th><th>"Critical"</th><th>{s.respond_in}</th></tr></thead>
            <tbody>
                {d.metrics.into_iter().map(|m| view! {
                    <tr><td>{m.metric}</td><td>{m.warning}</td><td>{m.critical}</td>
                        <td>{respond(m.warning_response_minutes, m.critical_response_minutes)}</td></tr>
                }).collect_view()}
            </tbody>
        </table>
    });
    let levels = (!d.alert_levels.is_empty()).then(|| view! {
        <h3>{s.alert_levels}</h3>
        <ul>{d.alert_levels.into_iter().map(|a| view! { <li><strong>{a.priority.as_str()}</strong>" "{a.condition}</li> }).collect_view()}</ul>
    });
    let chain = sc.chain;
    let category = chain.category.map(|c| t.category_label(c));
    view! {
        <Title text=sc.title.clone()/>
        <div class="page-head">
            <h1>{severity_cell(sc.severity)}" "{sc.title}</h1>
            <a class="button" href=format!("/scenarios/{id}/export.md") rel="external" download="">{s.export_md}</a>
            <a class="button" href=format!("/scenarios/{id}/edit")>{t.edit}</a>
        </div>
        <section class="panel">
            <dl class="facts">
                {(!sc.trigger.is_empty()).then(|| view! { <dt>{s.trigger}</dt><dd>{sc.trigger}</dd> })}
                {(!sc.services.is_empty()).then(|| view! { <dt>{s.services}</dt><dd>{sc.services.join(", ")}</dd> })}
                {(!sc.business_impact.is_empty()).then(|| view! { <dt>{s.impact}</dt><dd class="pre">{sc.business_impact}</dd> })}
            </dl>
            {(!sc.symptoms.is_empty()).then(|| view! {
                <h2>{s.symptoms}</h2>
                <ul>{sc.symptoms.into_iter().map(|x| view! { <li>{x}</li> }).collect_view()}</ul>
            })}
        </section>
        <section class="panel">
            <h2>{s.detection}</h2>
            {metrics}
            {levels}
            {(!d.alerts.is_empty()).then(|| view! {
                <p><strong>{s.alerts}": "</strong>{d.alerts.into_iter().map(|a| view! { <code>{a}</code>" " }).collect_view()}</p>
            })}
            {(!d.channels.is_empty()).then(|| view! { <p><strong>{s.channels}": "</strong>{d.channels.join(", ")}</p> })}
            {(!d.notes.is_empty()).then(|| view! { <pre class="notes">{d.notes}</pre> })}
        </section>
        <section class="panel">
            <h2>{s.stages}</h2>
            {plan_view(sc.stages)}
        </section>
        <section class="panel">
            <h2>{s.chain}</h2>
            <ol class="whys">
                {chain.whys.into_iter().map(|w| view! { <li><strong>{w.why}</strong><br/>{w.because}</li> }).collect_view()}
            </ol>
            {(!chain.root_cause.is_empty()).then(|| view! {
                <p><strong>{s.root_cause}": "</strong>{chain.root_cause}
                    {category.map(|c| view! { " "<span class="badge">{c}</span> })}</p>
            })}
        </section>
        {(!sc.incidents.is_empty()).then(|| view! {
            <section class="panel">
                <h2>{s.incidents}</h2>
                <ul>{sc.incidents.into_iter().map(|i| view! {
                    <li><a href=format!("/incidents/{}", i.id)>{i.title}</a>
                        {(i.linked_by == crate::domain::LinkedBy::Rule).then(|| view! { " "<span class="badge">{s.by_alert}</span> })}</li>
                }).collect_view()}</ul>
            </section>
        })}
        {(!sc.load_tests.is_empty()).then(|| view! {
            <section class="panel">
                <h2>{s.load_tests}</h2>
                <ul>{sc.load_tests.into_iter().map(|r| view! { <li><a href=format!("/load-tests/{}", r.id)>{r.title}</a></li> }).collect_view()}</ul>
            </section>
        })}
        {(!sc.notes.is_empty()).then(|| view! {
            <section class="panel"><h2>{s.notes}</h2><pre class="notes">{sc.notes}</pre></section>
        })}
    }
    .into_any()
}
