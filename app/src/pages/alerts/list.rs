//! `/alerts`: firing and resolved alerts, newest first, with filters and paging.

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::components::Form;

use crate::api::list_alerts;
use crate::domain::{AlertEvent, AlertStatus, Severity};
use crate::pages::incident::list::Pager;
use crate::pages::{ErrorPanel, list_params, loading, page_offset, page_resource};
use crate::queries::{AlertQuery, DEFAULT_LIMIT, FromParams};
use crate::ui::form::options;
use crate::ui::use_ui;

#[component]
pub fn AlertList() -> impl IntoView {
    let ui = use_ui();
    let (t, a) = (ui.t(), ui.alerts());
    let (params, page) = list_params();
    let alerts = page_resource(
        move || (params.get(), page.get()),
        |(p, page)| async move {
            let mut q = AlertQuery::from_map(&p)?;
            q.limit = DEFAULT_LIMIT;
            q.offset = page_offset(page, DEFAULT_LIMIT);
            list_alerts(q).await
        },
    );
    let selected = move |key: &str| params.read().get(key).cloned().unwrap_or_default();
    let filtered = move || {
        [
            "status",
            "alertname",
            "service",
            "priority",
            "linked",
            "from",
            "to",
        ]
        .iter()
        .any(|k| !selected(k).is_empty())
    };
    view! {
        <Title text=a.alerts/>
        <div class="page-head"><h1>{a.alerts}</h1></div>
        <p class="hint">{a.intro}</p>
        <Form method="GET" action="" attr:class="filters">
            <label><span>{t.f_status}</span>
                <select name="status">
                    <option value="">{t.any}</option>
                    {AlertStatus::ALL.iter().map(|s| {
                        let is = selected("status") == s.as_str();
                        view! { <option value=s.as_str() selected=is>{a.status_label(*s)}</option> }
                    }).collect_view()}
                </select>
            </label>
            <label><span>{a.alertname}</span><input type="search" name="alertname" value=selected("alertname") size="14"/></label>
            <label><span>{a.service}</span><input type="search" name="service" value=selected("service") size="12"/></label>
            <label><span>{a.priority}</span>
                <select name="priority">
                    <option value="">{t.any}</option>
                    {options(Severity::ALL, |s| s.as_str(), &selected("priority"))}
                </select>
            </label>
            <label><span>{a.linked}</span>
                <select name="linked">
                    <option value="">{a.linked_any}</option>
                    <option value="yes" selected=selected("linked") == "yes">{a.linked_yes}</option>
                    <option value="no" selected=selected("linked") == "no">{a.linked_no}</option>
                </select>
            </label>
            <label><span>{t.search_from}</span><input type="date" name="from" value=selected("from")/></label>
            <label><span>{t.search_to}</span><input type="date" name="to" value=selected("to")/></label>
            <button type="submit">{t.filter}</button>
        </Form>
        <Suspense fallback=loading>
            {move || Suspend::new(async move {
                match alerts.await {
                    Err(e) => view! { <ErrorPanel error=e/> }.into_any(),
                    Ok(p) if p.items.is_empty() => {
                        let text = if filtered() { a.none_match } else { a.none };
                        view! { <p class="empty">{text}</p> }.into_any()
                    }
                    Ok(p) => {
                        let pages = (p.total as u64).div_ceil(DEFAULT_LIMIT);
                        view! {
                            <table class="list alerts">
                                <thead><tr>
                                    <th>{t.f_status}</th><th>{a.priority}</th><th>{a.alertname}</th>
                                    <th>{a.service}</th><th>{a.fired}</th><th>{a.resolved}</th><th>{a.linked}</th>
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

fn row(x: AlertEvent) -> impl IntoView {
    let ui = use_ui();
    let a = ui.alerts();
    view! {
        <tr class=format!("alert {}", x.status)>
            <td><span class=format!("badge alert-{}", x.status)>{a.status_label(x.status)}</span></td>
            <td>{x.priority.map(|p| p.as_str()).unwrap_or("—")}</td>
            <td><a href=format!("/alerts/{}", x.id)>{x.summary()}</a><br/><small>{x.alertname.clone()}</small></td>
            <td>{x.service.clone()}</td>
            <td class="time">{ui.time(x.starts_at)}</td>
            <td class="time">{ui.opt_time(x.ends_at)}</td>
            <td>{x.incident_id.map(|i| view! { <a href=format!("/incidents/{i}")>{format!("#{i}")}</a> })}</td>
        </tr>
    }
}
