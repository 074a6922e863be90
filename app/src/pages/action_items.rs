//! The action-item overview across all incidents: open, overdue, by owner.

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::components::Form;

use crate::api::list_action_items;
use crate::domain::ActionItemRow;
use crate::pages::incident::list::Pager;
use crate::pages::{ErrorPanel, due_cell, list_params, loading, page_offset, page_resource};
use crate::queries::{ActionQuery, ActionState, DEFAULT_LIMIT, FromParams};
use crate::ui::badges::SeverityBadge;
use crate::ui::use_ui;

#[component]
pub fn ActionOverview() -> impl IntoView {
    let ui = use_ui();
    let t = ui.t();
    let (params, page) = list_params();
    let items = page_resource(
        move || (params.get(), page.get()),
        |(p, page)| async move {
            let mut q = ActionQuery::from_map(&p)?;
            q.offset = page_offset(page, DEFAULT_LIMIT);
            q.limit = DEFAULT_LIMIT;
            list_action_items(q).await
        },
    );
    let state = move || {
        params
            .read()
            .get("state")
            .cloned()
            .unwrap_or_else(|| "open".into())
    };
    let owner = move || params.read().get("owner").cloned().unwrap_or_default();
    let tab = move |s: ActionState| {
        let owner = owner();
        let href = if owner.is_empty() {
            format!("?state={}", s.as_str())
        } else {
            format!(
                "?state={}&owner={}",
                s.as_str(),
                urlencoding::encode(&owner)
            )
        };
        let current = state() == s.as_str();
        view! { <a href=href class:current=current aria-current=current.then_some("page")>{t.action_state_label(s)}</a> }
    };
    view! {
        <Title text=t.nav_action_items/>
        <div class="page-head"><h1>{t.nav_action_items}</h1></div>
        <div class="filters">
            <nav class="tabs">{ActionState::ALL.iter().copied().map(tab).collect_view()}</nav>
            <Form method="GET" action="" attr:class="inline">
                <input type="hidden" name="state" value=state/>
                <label>
                    <span>{t.f_owner}</span>
                    <input type="search" name="owner" value=owner/>
                </label>
                <button type="submit">{t.filter}</button>
            </Form>
        </div>
        <Suspense fallback=loading>
            {move || Suspend::new(async move {
                match items.await {
                    Err(e) => view! { <ErrorPanel error=e/> }.into_any(),
                    Ok(p) if p.items.is_empty() => view! { <p class="empty">{t.no_action_items}</p> }.into_any(),
                    Ok(p) => {
                        let pages = (p.total as u64).div_ceil(DEFAULT_LIMIT);
                        let today = crate::time::today(ui.tz);
                        view! {
                            <p class="count">{t.action_count(p.total)}</p>
                            <div class="table-wrap">
                                <table class="action-items">
                                    <thead><tr>
                                        <th>{t.incident}</th><th>{t.f_title}</th><th>{t.f_owner}</th><th>{t.f_due}</th>
                                        <th>{t.f_status}</th><th>{t.f_horizon}</th><th>{t.f_kind}</th>
                                    </tr></thead>
                                    <tbody>{p.items.into_iter().map(|r| row(r, today)).collect_view()}</tbody>
                                </table>
                            </div>
                            <Pager page=page.get() pages=pages/>
                        }
                        .into_any()
                    }
                }
            })}
        </Suspense>
    }
}

fn row(r: ActionItemRow, today: chrono::NaiveDate) -> impl IntoView {
    let t = use_ui().t();
    let overdue = r.item.is_overdue(today);
    let a = r.item;
    view! {
        <tr class:overdue=overdue class:done=!a.status.is_open()>
            <td class="incident">
                <SeverityBadge severity=r.incident_severity/>
                " "
                <a href=format!("/incidents/{}#action-items", a.incident_id)>{r.incident_title}</a>
            </td>
            <td class="title">{a.title}</td>
            <td>{a.owner}</td>
            {due_cell(a.due, overdue)}
            <td>{t.action_status_label(a.status)}</td>
            <td>{t.horizon_label(a.horizon)}</td>
            <td>{t.action_kind_label(a.kind)}</td>
        </tr>
    }
}
