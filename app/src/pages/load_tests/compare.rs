//! `/load-tests/compare?baseline=&candidate=`: two runs side by side, regressions flagged.

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

use super::{figure_text, verdict_badge};
use crate::api::compare_load_tests;
use crate::domain::{Comparison, Invalid, LoadTestId, Problem};
use crate::error::AppError;
use crate::pages::{ErrorPanel, loading, page_resource};
use crate::ui::use_ui;

fn id(value: Option<String>, field: &str) -> Result<LoadTestId, AppError> {
    value
        .and_then(|v| v.trim().parse::<i64>().ok())
        .map(LoadTestId::from)
        .ok_or_else(|| Invalid::new(field, Problem::Required).into())
}

#[component]
pub fn ComparePage() -> impl IntoView {
    let query = use_query_map();
    let comparison = page_resource(
        move || (query.read().get("baseline"), query.read().get("candidate")),
        |(b, c)| async move {
            let (b, c) = (id(b, "baseline")?, id(c, "candidate")?);
            compare_load_tests(b, c).await
        },
    );
    view! {
        <Suspense fallback=loading>
            {move || Suspend::new(async move {
                match comparison.await {
                    Err(e) => view! { <ErrorPanel error=e/> }.into_any(),
                    Ok(c) => render(c).into_any(),
                }
            })}
        </Suspense>
    }
}

fn render(c: Comparison) -> impl IntoView {
    let ui = use_ui();
    let l = ui.load_tests();
    let (b, k) = (&c.baseline, &c.candidate);
    view! {
        <Title text=l.compare/>
        <div class="page-head"><h1>{l.compare}</h1><a href="/load-tests">{l.load_tests}</a></div>
        <p class="meta">
            {if c.regressed {
                view! { <span class="badge verdict-failed">{l.regression}</span> }.into_any()
            } else {
                view! { <span class="badge verdict-passed">{l.no_regression}</span> }.into_any()
            }}
        </p>
        <table class="list compare">
            <thead><tr>
                <th></th>
                <th>{l.baseline}": "<a href=format!("/load-tests/{}", b.id)>{b.title()}</a>" "{verdict_badge(b.passed)}</th>
                <th>{l.candidate}": "<a href=format!("/load-tests/{}", k.id)>{k.title()}</a>" "{verdict_badge(k.passed)}</th>
                <th>{l.delta}</th>
            </tr></thead>
            <tbody>
                {c.figures.iter().map(|f| {
                    let change = f.change.map(|r| format!("{:+.1} %", r * 100.0)).unwrap_or_default();
                    view! {
                        <tr class:regression=f.regression>
                            <th>{l.figure(&f.figure)}</th>
                            <td>{figure_text(&f.figure, Some(f.baseline))}</td>
                            <td>{figure_text(&f.figure, Some(f.candidate))}</td>
                            <td>{change}{f.regression.then(|| view! { " " <span class="badge verdict-failed">{l.regression}</span> })}</td>
                        </tr>
                    }
                }).collect_view()}
            </tbody>
        </table>
        {(!c.newly_failing.is_empty()).then(|| view! {
            <section class="panel">
                <h2>{l.newly_failing}</h2>
                <ul>
                    {c.newly_failing.iter().map(|t| view! { <li><code>{t.metric.clone()}</code>" "<code>{t.expression.clone()}</code></li> }).collect_view()}
                </ul>
            </section>
        })}
    }
}
