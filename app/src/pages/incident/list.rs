//! The incident list: filters, newest first, paged.

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::{components::Form, hooks::use_query_map};

use crate::api::list_incidents;
use crate::domain::{IncidentSummary, Severity, Status};
use crate::pages::{ErrorPanel, list_params, loading, page_offset, page_resource};
use crate::queries::{DEFAULT_LIMIT, FromParams, IncidentQuery};
use crate::ui::{
    badges::{MetricValue, SeverityBadge, StatusBadge},
    use_ui,
};

#[component]
pub fn IncidentList() -> impl IntoView {
    let ui = use_ui();
    let t = ui.t();
    let (params, page) = list_params();
    let incidents = page_resource(
        move || (params.get(), page.get()),
        |(p, page)| async move {
            let mut q = IncidentQuery::from_map(&p)?;
            q.offset = page_offset(page, DEFAULT_LIMIT);
            q.limit = DEFAULT_LIMIT;
            list_incidents(q).await
        },
    );
    let selected = move |key: &str| params.read().get(key).cloned().unwrap_or_default();
    let filtered = move || {
        ["status", "severity", "service", "drill"]
            .iter()
            .any(|k| !selected(k).is_empty())
    };

    view! {
        <Title text=t.nav_incidents/>
        <div class="page-head">
            <h1>{t.nav_incidents}</h1>
            <a class="button" href="/import">{use_ui().scenarios().import}</a>
        </div>
        <Form method="GET" action="" attr:class="filters">
            <label>
                <span>{t.f_status}</span>
                <select name="status">
                    <option value="">{t.any}</option>
                    {crate::ui::form::options(Status::ALL, |s| t.status_label(s), &selected("status"))}
                </select>
            </label>
            <label>
                <span>{t.f_severity}</span>
                <select name="severity">
                    <option value="">{t.any}</option>
                    {crate::ui::form::options(Severity::ALL, |s| t.severity_label(s), &selected("severity"))}
                </select>
            </label>
            <label>
                <span>{t.f_service}</span>
                <input type="search" name="service" value=selected("service") placeholder="coupon-api"/>
            </label>
            <label>
                <span>{t.drills}</span>
                <select name="drill">
                    <option value="">{t.drills_included}</option>
                    <option value="no" selected=selected("drill") == "no">{t.drills_excluded}</option>
                    <option value="only" selected=selected("drill") == "only">{t.drills_only}</option>
                </select>
            </label>
            <button type="submit">{t.filter}</button>
            {move || filtered().then(|| view! { <a class="clear" href="/incidents">{t.clear_filters}</a> })}
        </Form>
        <Suspense fallback=loading>
            {move || Suspend::new(async move {
                match incidents.await {
                    Err(e) => view! { <ErrorPanel error=e/> }.into_any(),
                    Ok(p) if p.items.is_empty() => view! {
                        <div class="empty">
                            <p>{if filtered() { t.no_match } else { t.no_incidents }}</p>
                            <a class="button primary" href="/incidents/new">{t.file_first}</a>
                        </div>
                    }.into_any(),
                    Ok(p) => {
                        let total = p.total;
                        let pages = (total as u64).div_ceil(DEFAULT_LIMIT);
                        view! {
                            <p class="count">{t.incident_count(total)}</p>
                            <div class="table-wrap">
                                <table class="incidents">
                                    <thead><tr>
                                        <th>{t.f_severity}</th><th>{t.f_title}</th><th>{t.f_status}</th>
                                        <th>{t.f_services}</th><th>{t.f_started_at}</th>
                                        <th title=t.ttd_definition>"TTD"</th><th title=t.ttr_definition>"TTR"</th>
                                    </tr></thead>
                                    <tbody>{p.items.into_iter().map(row).collect_view()}</tbody>
                                </table>
                            </div>
                            <Pager page=page.get() pages=pages/>
                        }.into_any()
                    }
                }
            })}
        </Suspense>
    }
}

fn row(i: IncidentSummary) -> impl IntoView {
    let ui = use_ui();
    let m = i.metrics;
    view! {
        <tr>
            <td><SeverityBadge severity=i.severity/></td>
            <td class="title">
                <a href=format!("/incidents/{}", i.id)>{i.title}</a>
                {i.drill.then(|| view! { " " <span class="badge drill">{ui.t().drill}</span> })}
            </td>
            <td><StatusBadge status=i.status/></td>
            <td class="services">{i.services.join(", ")}</td>
            <td class="time">{ui.opt_time(i.times.started_at)}</td>
            <td><MetricValue seconds=m.ttd_seconds target=m.ttd_target_seconds breached=m.ttd_breached/></td>
            <td><MetricValue seconds=m.ttr_seconds target=m.ttr_target_seconds breached=m.ttr_breached/></td>
        </tr>
    }
}

/// Previous/next links that keep the current filters.
#[component]
pub fn Pager(page: u64, pages: u64) -> impl IntoView {
    let t = use_ui().t();
    let query = use_query_map();
    let href = move |n: u64| {
        let mut pairs: Vec<(String, String)> = query
            .get_untracked()
            .into_iter()
            .map(|(k, v)| (k.to_string(), v))
            .filter(|(k, _)| k != "page" && k != "flash")
            .collect();
        pairs.push(("page".into(), n.to_string()));
        let qs: Vec<String> = pairs
            .iter()
            .map(|(k, v)| format!("{k}={}", urlencoding::encode(v)))
            .collect();
        format!("?{}", qs.join("&"))
    };
    (pages > 1).then(|| {
        view! {
            <nav class="pager" aria-label=t.pages>
                {(page > 1).then(|| view! { <a rel="prev" href=href(page - 1)>{t.prev}</a> })}
                <span>{format!("{page} / {pages}")}</span>
                {(page < pages).then(|| view! { <a rel="next" href=href(page + 1)>{t.next}</a> })}
            </nav>
        }
    })
}
