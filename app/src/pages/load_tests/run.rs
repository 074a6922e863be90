//! `/load-tests/{id}`: one run's figures, thresholds, checks and charts, and its incidents.

use leptos::form::ActionForm;
use leptos::prelude::*;
use leptos_meta::Title;

use super::{figure_text, figures, verdict_badge};
use crate::api::{LinkLoadTest, UnlinkLoadTest, get_load_test};
use crate::domain::{LoadTestId, LoadTestRun, RunRelation};
use crate::pages::incident::param_id;
use crate::pages::{ErrorPanel, flash_resource, loading, page_resource};
use crate::ui::chart::{Line, bars, lines, number, with_unit};
use crate::ui::form::{Field, FormError, FormState};
use crate::ui::use_ui;

#[component]
pub fn LoadTestPage() -> impl IntoView {
    let id = param_id::<LoadTestId>("id");
    let link = ServerAction::<LinkLoadTest>::new();
    let unlink = ServerAction::<UnlinkLoadTest>::new();
    let run = page_resource(move || id.get(), get_load_test);
    let flash = flash_resource();
    view! {
        <Suspense fallback=loading>
            {move || Suspend::new(async move {
                let flash = flash.await;
                match run.await {
                    Err(e) => view! { <ErrorPanel error=e/> }.into_any(),
                    Ok(r) => render(r, FormState::new("run-link", flash), link, unlink).into_any(),
                }
            })}
        </Suspense>
    }
}

/// The latency percentiles the run carries, as bars.
fn latency_chart(r: &LoadTestRun) -> Option<String> {
    let f = &r.figures;
    let items: Vec<(String, f64)> = [
        ("p50", f.p50_ms),
        ("p90", f.p90_ms),
        ("p95", f.p95_ms),
        ("p99", f.p99_ms),
        ("max", f.max_ms),
    ]
    .into_iter()
    .filter_map(|(k, v)| Some((k.to_owned(), v?)))
    .collect();
    (!items.is_empty()).then(|| bars(&format!("{} latency", r.title()), &items, "ms"))
}

/// The per-second series, when the run has one: requests/s, and p50/p99.
fn series_charts(r: &LoadTestRun) -> Option<(String, String)> {
    if r.series.is_empty() {
        return None;
    }
    let line = |name: &str, pick: fn(&crate::domain::SeriesPoint) -> Option<f64>| Line {
        name: name.into(),
        points: r
            .series
            .iter()
            .filter_map(|p| Some((p.second, pick(p)?)))
            .collect(),
    };
    let at = |x: f64| format!("{}s", number(x));
    let rps = lines(
        "requests per second",
        &[line("req/s", |p| p.rps)],
        "req/s",
        None,
        &at,
        &with_unit("req/s"),
    );
    let latency = lines(
        "latency per second",
        &[line("p50", |p| p.p50_ms), line("p99", |p| p.p99_ms)],
        "ms",
        None,
        &at,
        &with_unit("ms"),
    );
    Some((rps, latency))
}

fn render(
    r: LoadTestRun,
    state: FormState,
    link: ServerAction<LinkLoadTest>,
    unlink: ServerAction<UnlinkLoadTest>,
) -> impl IntoView {
    let ui = use_ui();
    let l = ui.load_tests();
    let title = r.title();
    let latency = latency_chart(&r);
    let series = series_charts(&r);
    let figs = figures(&r);
    let id = r.id;
    view! {
        <Title text=title.clone()/>
        <div class="page-head"><h1>{title}</h1><a href="/load-tests">{l.load_tests}</a></div>
        <p class="meta">
            {verdict_badge(r.passed)} " "
            <span class="time">{ui.time(r.when())}</span>
            {(!r.meta.scenario.is_empty()).then(|| format!(" · {} {}", l.scenario, r.meta.scenario))}
            {(!r.meta.services.is_empty()).then(|| format!(" · {}", r.meta.services.join(", ")))}
            {(!r.meta.environment.is_empty()).then(|| format!(" · {}", r.meta.environment))}
            {(!r.meta.version.is_empty()).then(|| format!(" · {}", r.meta.version))}
            " · " {r.format.as_str()} " · "
            <a href=format!("/api/v1/load-tests/{id}/raw")>{l.raw}</a>
        </p>
        {(!r.meta.notes.is_empty()).then(|| view! { <p class="panel">{r.meta.notes.clone()}</p> })}
        <section class="panel">
            <h2>{l.latency}</h2>
            {latency.map(|svg| view! { <div class="chart-box" inner_html=svg/> })}
            <table class="list figures">
                <tbody>
                    {figs.into_iter().filter(|(_, v)| v.is_some()).map(|(k, v)| view! {
                        <tr><th>{l.figure(k)}</th><td>{figure_text(k, v)}</td></tr>
                    }).collect_view()}
                </tbody>
            </table>
        </section>
        {series.map(|(rps, latency)| view! {
            <section class="panel">
                <h2>{l.over_time}</h2>
                <div class="chart-box" inner_html=rps/>
                <div class="chart-box" inner_html=latency/>
            </section>
        })}
        {(!r.thresholds.is_empty()).then(|| view! {
            <section class="panel">
                <h2>{l.thresholds}</h2>
                <table class="list">
                    <tbody>
                        {r.thresholds.clone().into_iter().map(|t| view! {
                            <tr class:failed=!t.passed>
                                <td><code>{t.metric}</code></td>
                                <td><code>{t.expression}</code></td>
                                <td>{verdict_badge(Some(t.passed))}</td>
                            </tr>
                        }).collect_view()}
                    </tbody>
                </table>
            </section>
        })}
        {(!r.checks.is_empty()).then(|| view! {
            <section class="panel">
                <h2>{l.checks}</h2>
                <table class="list">
                    <tbody>
                        {r.checks.clone().into_iter().map(|c| {
                            let failed = c.fails > 0.0;
                            view! {
                            <tr class:failed=failed>
                                <td>{c.name}</td>
                                <td>{format!("✓ {}", number(c.passes))}</td>
                                <td>{format!("✗ {}", number(c.fails))}</td>
                            </tr>
                        }}).collect_view()}
                    </tbody>
                </table>
            </section>
        })}
        <section class="panel">
            <h2>{l.incidents}</h2>
            <ul>
                {r.links.clone().into_iter().map(|k| view! {
                    <li>
                        <a href=format!("/incidents/{}", k.incident_id)>{k.incident_title}</a>
                        " · " {l.relation_name(k.relation)} " "
                        <ActionForm action=unlink attr:class="inline">
                            <input type="hidden" name="id" value=id/>
                            <input type="hidden" name="incident" value=k.incident_id/>
                            <button type="submit">{l.unlink}</button>
                        </ActionForm>
                    </li>
                }).collect_view()}
            </ul>
            <ActionForm action=link attr:class="inline">
                <FormError state=state/>
                <input type="hidden" name="id" value=id/>
                <Field state=state name="incident" label=l.link_to.to_string()>
                    <input id=state.input_id("incident") name="incident" inputmode="numeric" size="8" value=state.value("incident", "")/>
                </Field>
                <Field state=state name="relation" label=l.relation.to_string()>
                    <select id=state.input_id("relation") name="relation">
                        {RunRelation::ALL.iter().map(|x| view! { <option value=x.as_str()>{l.relation_name(*x)}</option> }).collect_view()}
                    </select>
                </Field>
                <button type="submit">{l.link}</button>
            </ActionForm>
        </section>
    }
}
