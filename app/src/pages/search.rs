//! The search page (`/search?q=…` with filters), and the pieces other pages reuse: the header's
//! search box and the "similar past incidents" list.

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::components::Form;

use crate::api::search;
use crate::domain::{RootCauseCategory, SearchHit, SearchQuery, Severity, Status};
use crate::pages::incident::list::Pager;
use crate::pages::{ErrorPanel, list_params, loading, page_resource};
use crate::queries::FromParams;
use crate::ui::badges::SeverityBadge;
use crate::ui::form::options;
use crate::ui::use_ui;

const PER_PAGE: usize = 20;

#[component]
pub fn SearchPage() -> impl IntoView {
    let ui = use_ui();
    let t = ui.t();
    let (params, page) = list_params();
    let results = page_resource(
        move || (params.get(), page.get()),
        |(p, page)| async move {
            let mut q = SearchQuery::from_map(&p)?;
            if q.text.is_empty() && !q.filtered() {
                return Ok(None);
            }
            q.limit = PER_PAGE;
            q.offset = (page.max(1) as usize - 1) * PER_PAGE;
            search(q).await.map(Some)
        },
    );
    let selected = move |key: &str| params.read().get(key).cloned().unwrap_or_default();
    view! {
        <Title text=t.search/>
        <div class="page-head">
            <h1>{t.search}</h1>
            <a href="/root-causes">{t.nav_root_causes}</a>
        </div>
        <Form method="GET" action="/search" attr:class="filters search-form" attr:role="search">
            <label class="grow">
                <span>{t.search_words}</span>
                <input type="search" name="q" value=selected("q") placeholder=t.search_placeholder autofocus=true/>
            </label>
            <label>
                <span>{t.f_severity}</span>
                <select name="severity">
                    <option value="">{t.any}</option>
                    {options(Severity::ALL, |s| t.severity_label(s), &selected("severity"))}
                </select>
            </label>
            <label>
                <span>{t.f_status}</span>
                <select name="status">
                    <option value="">{t.any}</option>
                    {options(Status::ALL, |s| t.status_label(s), &selected("status"))}
                </select>
            </label>
            <label>
                <span>{t.f_service}</span>
                <input type="search" name="service" value=selected("service") placeholder="coupon-api" size="12"/>
            </label>
            <label>
                <span>{t.f_category}</span>
                <select name="category">
                    <option value="">{t.any}</option>
                    {options(RootCauseCategory::ALL, |c| t.category_label(c), &selected("category"))}
                </select>
            </label>
            <label>
                <span>{t.search_from}</span>
                <input type="date" name="from" value=selected("from")/>
            </label>
            <label>
                <span>{t.search_to}</span>
                <input type="date" name="to" value=selected("to")/>
            </label>
            <button type="submit" class="primary">{t.search}</button>
        </Form>
        <Suspense fallback=loading>
            {move || Suspend::new(async move {
                match results.await {
                    Err(e) => view! { <ErrorPanel error=e/> }.into_any(),
                    Ok(None) => view! { <p class="hint">{t.search_hint}</p> }.into_any(),
                    Ok(Some(r)) => {
                        let pages = r.total.div_ceil(PER_PAGE as u64);
                        view! {
                            {r.lenient.then(|| view! { <p class="notice">{t.search_lenient}</p> })}
                            {r.truncated.then(|| view! { <p class="notice">{t.search_truncated}</p> })}
                            <p class="count">{t.search_count(r.total)}</p>
                            {(r.ranked && r.exact < r.total).then(|| view! {
                                <p class="ranked">{t.search_ranked(r.exact, r.total)}</p>
                            })}
                            {(!r.glossary.is_empty()).then(|| view! {
                                <p class="glossary">{format!("{}: ", t.search_glossary)}
                                    {r.glossary.iter().map(|g| format!("{} → {}", g.term, g.also.join(", "))).collect::<Vec<_>>().join(" · ")}
                                </p>
                            })}
                            {(!r.scenarios.is_empty()).then(|| scenario_hits(r.scenarios))}
                            {if r.hits.is_empty() {
                                view! { <div class="empty"><p>{t.search_none}</p></div> }.into_any()
                            } else {
                                view! {
                                    <ol class="hits">{r.hits.into_iter().map(|h| view! { <Hit hit=h/> }).collect_view()}</ol>
                                    <Pager page=page.get() pages=pages/>
                                }.into_any()
                            }}
                        }.into_any()
                    }
                }
            })}
        </Suspense>
    }
}

/// Failure scenarios that answer the query, above the incidents: what was foreseen, with its
/// trigger and predicted root cause.
fn scenario_hits(hits: Vec<crate::domain::ScenarioHit>) -> AnyView {
    let s = use_ui().scenarios();
    view! {
        <section class="scenario-hits">
            <h2>{s.matching_scenarios}</h2>
            <ol class="hits">
                {hits.into_iter().map(|h| view! {
                    <li class="scenario-hit">
                        <div class="hit-head">
                            <span class="badge kind scenario">{s.kind_scenario}</span>
                            {crate::pages::scenarios::severity_cell(h.severity)}
                            <a class="hit-title" href=format!("/scenarios/{}", h.id)>{h.title}</a>
                            <span class="matched-words">{format!("{}/{}", h.matched, h.words)}</span>
                        </div>
                        {(!h.trigger.is_empty()).then(|| view! { <p class="scenario-line">{format!("{}: {}", s.trigger, h.trigger)}</p> })}
                        {(!h.root_cause.is_empty()).then(|| view! { <p class="scenario-line">{format!("{}: {}", s.root_cause, h.root_cause)}</p> })}
                    </li>
                }).collect_view()}
            </ol>
        </section>
    }
    .into_any()
}

/// One search result: title, severity, date, where it matched, and the snippet.
#[component]
fn Hit(hit: SearchHit) -> impl IntoView {
    let ui = use_ui();
    let t = ui.t();
    let parts = hit
        .matched_in
        .iter()
        .map(|p| t.part_label(*p))
        .collect::<Vec<_>>()
        .join(" · ");
    view! {
        <li class="hit">
            <div class="hit-head">
                <span class="badge kind">{ui.scenarios().kind_incident}</span>
                <SeverityBadge severity=hit.severity/>
                <a class="hit-title" href=format!("/incidents/{}", hit.incident_id)>{hit.title}</a>
                <span class="time">{ui.opt_time(hit.started_at)}</span>
            </div>
            {(!hit.matched_in.is_empty()).then(|| view! {
                <p class="matched-in">{format!("{}: {parts}", t.matched_in)}</p>
            })}
            // The snippet is escaped text with <mark> around matches, made by the server.
            {(!hit.snippet.is_empty()).then(|| view! { <p class="snippet" inner_html=hit.snippet></p> })}
        </li>
    }
}

/// The search box in the header: a plain GET form, so it works before the WASM loads.
#[component]
pub fn HeaderSearch() -> impl IntoView {
    let t = use_ui().t();
    view! {
        <Form method="GET" action="/search" attr:class="top-search" attr:role="search">
            <input type="search" name="q" placeholder=t.search_placeholder aria-label=t.search accesskey="s"/>
        </Form>
    }
}

/// Past incidents most like this one (the incident page's side note).
#[component]
pub fn SimilarIncidents(hits: Vec<SearchHit>) -> impl IntoView {
    let ui = use_ui();
    let t = ui.t();
    view! {
        <section class="panel similar">
            <h2>{t.similar_incidents}</h2>
            {if hits.is_empty() {
                view! { <p class="empty-note">{t.similar_none}</p> }.into_any()
            } else {
                view! {
                    <ul>
                        {hits.into_iter().map(|h| view! {
                            <li>
                                <SeverityBadge severity=h.severity/>
                                <a href=format!("/incidents/{}", h.incident_id)>{h.title}</a>
                                <span class="time">{ui.opt_time(h.started_at)}</span>
                            </li>
                        }).collect_view()}
                    </ul>
                }.into_any()
            }}
        </section>
    }
}
