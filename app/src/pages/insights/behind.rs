//! `/insights/incidents`: the incidents one figure of `/insights` counts.

use leptos::prelude::*;
use leptos_meta::Title;

use super::tables::IncidentLink;
use crate::api::insights_behind;
use crate::domain::*;
use crate::pages::incident::list::Pager;
use crate::pages::{ErrorPanel, list_params, loading, page_offset, page_resource};
use crate::queries::{BehindQuery, DEFAULT_LIMIT, FromParams};
use crate::ui::use_ui;

#[component]
pub fn BehindPage() -> impl IntoView {
    let ui = use_ui();
    let i = ui.insights();
    let (params, page) = list_params();
    let data = page_resource(
        move || (params.get(), page.get()),
        |(p, page)| async move {
            let mut q = BehindQuery::from_map(&p)?;
            q.figure.limit = DEFAULT_LIMIT;
            q.figure.offset = page_offset(page, DEFAULT_LIMIT);
            let found = insights_behind(q.clone()).await?;
            Ok::<_, crate::error::AppError>((q, found))
        },
    );
    view! {
        <Title text=i.behind/>
        <Suspense fallback=loading>
            {move || Suspend::new(async move {
                match data.await {
                    Err(e) => view! { <ErrorPanel error=e/> }.into_any(),
                    Ok((q, found)) => view! { <Behind q found page=page.get_untracked()/> }.into_any(),
                }
            })}
        </Suspense>
    }
}

/// What the figure is, in words: "P1 · TTR · over target".
fn describe(q: &BehindQuery) -> String {
    let ui = use_ui();
    let (t, i) = (ui.t(), ui.insights());
    let f = &q.figure;
    let mut parts: Vec<String> = Vec::new();
    if let (Some(b), Some(key)) = (f.breakdown, f.key.as_deref()) {
        parts.push(match b {
            Breakdown::Severity => {
                Severity::parse(key).map_or(key.into(), |s| t.severity_label(s).into())
            }
            Breakdown::Category => {
                RootCauseCategory::parse(key).map_or(key.into(), |c| t.category_label(c).into())
            }
            Breakdown::Service | Breakdown::Period => key.into(),
        });
    }
    if let Some(m) = f.measure {
        parts.push(i.measure_name(m).into());
    }
    parts.push(i.subset_name(f.subset).into());
    parts.join(" · ")
}

#[component]
fn Behind(q: BehindQuery, found: Page<IncidentRef>, page: u64) -> impl IntoView {
    let ui = use_ui();
    let i = ui.insights();
    let back = format!("/insights?{}", q.view.to_query_string());
    let pages = (found.total as u64).div_ceil(DEFAULT_LIMIT);
    view! {
        <div class="page-head"><h1>{i.behind}</h1><a href=back>{i.back}</a></div>
        <p class="meta">{describe(&q)}</p>
        <p class="count">{found.total}" "{i.incidents}</p>
        {if found.items.is_empty() {
            view! { <p class="empty">{i.behind_none}</p> }.into_any()
        } else {
            view! {
                <ul class="incident-refs">
                    {found.items.into_iter().map(|r| {
                        let when = ui.opt_time(r.started_at);
                        view! { <li><IncidentLink r/>" "<span class="time">{when}</span></li> }
                    }).collect_view()}
                </ul>
                <Pager page pages/>
            }
            .into_any()
        }}
    }
}
