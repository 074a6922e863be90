//! `/scenarios`: every failure scenario, most severe first, with filters.

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::components::Form;

use super::severity_cell;
use crate::api::list_scenarios;
use crate::domain::{Scenario, Severity};
use crate::pages::incident::list::Pager;
use crate::pages::{ErrorPanel, list_params, loading, page_offset, page_resource};
use crate::queries::{DEFAULT_LIMIT, FromParams, ScenarioQuery};
use crate::ui::form::options;
use crate::ui::use_ui;

#[component]
pub fn ScenarioList() -> impl IntoView {
    let ui = use_ui();
    let (t, s) = (ui.t(), ui.scenarios());
    let (params, page) = list_params();
    let found = page_resource(
        move || (params.get(), page.get()),
        |(p, page)| async move {
            let mut q = ScenarioQuery::from_map(&p)?;
            q.limit = DEFAULT_LIMIT;
            q.offset = page_offset(page, DEFAULT_LIMIT);
            list_scenarios(q).await
        },
    );
    let selected = move |key: &str| params.read().get(key).cloned().unwrap_or_default();
    view! {
        <Title text=s.scenarios/>
        <div class="page-head">
            <h1>{s.scenarios}</h1>
            <a class="button" href="/import">{s.import}</a>
            <a class="button primary" href="/scenarios/new">{s.new_scenario}</a>
        </div>
        <p class="hint">{s.intro}</p>
        <Form method="GET" action="" attr:class="filters">
            <label class="grow"><span>{t.search_words}</span><input type="search" name="q" value=selected("q")/></label>
            <label><span>{s.severity}</span>
                <select name="severity">
                    <option value="">{t.any}</option>
                    {options(Severity::ALL, |v| t.severity_label(v), &selected("severity"))}
                </select>
            </label>
            <label><span>{s.services}</span><input type="search" name="service" value=selected("service") size="12"/></label>
            <button type="submit">{t.filter}</button>
        </Form>
        <Suspense fallback=loading>
            {move || Suspend::new(async move {
                match found.await {
                    Err(e) => view! { <ErrorPanel error=e/> }.into_any(),
                    Ok(p) if p.items.is_empty() => view! {
                        <p class="empty">{if params.read().is_empty() { s.none } else { s.none_match }}</p>
                    }.into_any(),
                    Ok(p) => {
                        let pages = (p.total as u64).div_ceil(DEFAULT_LIMIT);
                        view! {
                            <table class="list scenarios">
                                <thead><tr>
                                    <th>{s.title}</th><th>{s.severity}</th><th>{s.trigger}</th>
                                    <th>{s.stages}</th><th>{s.root_cause}</th>
                                </tr></thead>
                                <tbody>{p.items.into_iter().map(row).collect_view()}</tbody>
                            </table>
                            <Pager page=page.get() pages=pages/>
                        }
                        .into_any()
                    }
                }
            })}
        </Suspense>
    }
}

fn row(sc: Scenario) -> impl IntoView {
    let s = use_ui().scenarios();
    let steps: usize = sc.stages.iter().map(|st| st.steps.len()).sum();
    view! {
        <tr>
            <td><a href=format!("/scenarios/{}", sc.id)>{sc.title}</a>
                <br/><small>{sc.services.join(", ")}</small></td>
            <td>{severity_cell(sc.severity)}</td>
            <td>{sc.trigger}</td>
            <td>{format!("{} · {steps} {}", sc.stages.len(), s.steps_count)}</td>
            <td>{sc.chain.root_cause}</td>
        </tr>
    }
}
