//! Root causes across all postmortems, grouped by category with counts; searchable.

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::components::Form;

use crate::api::root_causes;
use crate::domain::{RootCauseGroup, RootCauseReport};
use crate::pages::{ErrorPanel, list_params, loading, page_resource};
use crate::ui::badges::SeverityBadge;
use crate::ui::use_ui;

#[component]
pub fn RootCausesPage() -> impl IntoView {
    let t = use_ui().t();
    let (params, _) = list_params();
    let text = Memo::new(move |_| params.read().get("q").cloned().unwrap_or_default());
    let report = page_resource(move || text.get(), root_causes);
    view! {
        <Title text=t.nav_root_causes/>
        <div class="page-head">
            <h1>{t.nav_root_causes}</h1>
        </div>
        <Form method="GET" action="/root-causes" attr:class="filters" attr:role="search">
            <label class="grow">
                <span>{t.search_words}</span>
                <input type="search" name="q" value=move || text.get() placeholder=t.search_placeholder/>
            </label>
            <button type="submit" class="primary">{t.search}</button>
            {move || (!text.get().is_empty()).then(|| view! { <a class="clear" href="/root-causes">{t.clear_filters}</a> })}
        </Form>
        <Suspense fallback=loading>
            {move || Suspend::new(async move {
                match report.await {
                    Err(e) => view! { <ErrorPanel error=e/> }.into_any(),
                    Ok(r) => view! { <Report report=r text=text.get_untracked()/> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn Report(report: RootCauseReport, text: String) -> impl IntoView {
    let t = use_ui().t();
    if report.groups.is_empty() {
        let message = if text.is_empty() {
            t.root_causes_empty
        } else {
            t.search_none
        };
        return view! { <div class="empty"><p>{message}</p></div> }.into_any();
    }
    view! {
        {report.lenient.then(|| view! { <p class="notice">{t.search_lenient}</p> })}
        <nav class="category-counts" aria-label=t.f_category>
            {report.groups.iter().map(|g| view! {
                <a href=format!("#{}", g.category)>{t.category_label(g.category)}" "<span class="count-badge">{crate::i18n::grouped(g.count)}</span></a>
            }).collect_view()}
        </nav>
        {report.groups.into_iter().map(|g| view! { <Group group=g text=text.clone()/> }).collect_view()}
    }
    .into_any()
}

#[component]
fn Group(group: RootCauseGroup, text: String) -> impl IntoView {
    let ui = use_ui();
    let t = ui.t();
    let more = group.count as usize > group.entries.len();
    let search_href = format!(
        "/search?category={}&q={}",
        group.category,
        urlencoding::encode(&text)
    );
    view! {
        <section class="panel root-cause-group" id=group.category.as_str()>
            <h2>{t.category_label(group.category)}" "<span class="count-badge">{crate::i18n::grouped(group.count)}</span></h2>
            <div class="table-wrap">
                <table class="root-causes">
                    <thead><tr>
                        <th>{t.f_root_cause}</th><th>{t.f_problem}</th><th>{t.incident}</th><th>{t.f_started_at}</th>
                    </tr></thead>
                    <tbody>
                        {group.entries.into_iter().map(|e| view! {
                            <tr>
                                <td class="root-cause">{e.root_cause}</td>
                                <td>{e.problem}</td>
                                <td class="title">
                                    <SeverityBadge severity=e.severity/>" "
                                    <a href=format!("/incidents/{}", e.incident_id)>{e.incident_title}</a>
                                </td>
                                <td class="time">{ui.opt_time(e.started_at)}</td>
                            </tr>
                        }).collect_view()}
                    </tbody>
                </table>
            </div>
            {more.then(|| view! { <p class="more"><a href=search_href>{t.root_causes_more(group.count)}</a></p> })}
        </section>
    }
}
