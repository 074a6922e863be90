//! `/admin/audit`: every write, newest first, with what it changed.

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::components::Form;

use crate::api::list_audit;
use crate::domain::AuditEntry;
use crate::pages::incident::list::Pager;
use crate::pages::{ErrorPanel, list_params, loading, page_offset, page_resource};
use crate::queries::{AuditQuery, DEFAULT_LIMIT, FromParams};
use crate::ui::use_ui;

#[component]
pub fn AuditPage() -> impl IntoView {
    let ui = use_ui();
    let a = ui.accounts();
    let (params, page) = list_params();
    let entries = page_resource(
        move || (params.get(), page.get()),
        |(p, page)| async move {
            let mut q = AuditQuery::from_map(&p)?;
            q.limit = DEFAULT_LIMIT;
            q.offset = page_offset(page, DEFAULT_LIMIT);
            list_audit(q).await
        },
    );
    let selected = move |key: &str| params.read().get(key).cloned().unwrap_or_default();
    view! {
        <Title text=a.audit/>
        <div class="page-head"><h1>{a.audit}</h1><a href="/admin/people">{a.people}</a></div>
        <p class="hint">{a.audit_intro}</p>
        <Form method="GET" action="" attr:class="filters">
            <label><span>{a.actor}</span><input type="search" name="actor" value=selected("actor")/></label>
            <label><span>{ui.t().incident}</span><input type="search" name="incident" value=selected("incident") size="6" inputmode="numeric"/></label>
            <button type="submit">{ui.t().filter}</button>
        </Form>
        <Suspense fallback=loading>
            {move || Suspend::new(async move {
                match entries.await {
                    Err(e) => view! { <ErrorPanel error=e/> }.into_any(),
                    Ok(p) if p.items.is_empty() => view! { <p class="empty">{a.no_audit}</p> }.into_any(),
                    Ok(p) => {
                        let pages = (p.total as u64).div_ceil(DEFAULT_LIMIT);
                        view! {
                            <table class="list audit">
                                <thead><tr><th>{a.when}</th><th>{a.actor}</th><th>{a.what}</th><th>{a.before}</th><th>{a.after}</th></tr></thead>
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

fn row(e: AuditEntry) -> impl IntoView {
    let ui = use_ui();
    let a = ui.accounts();
    let json = |v: Option<serde_json::Value>| {
        v.map(|v| serde_json::to_string_pretty(&v).unwrap_or_default())
            .unwrap_or_default()
    };
    let what = format!(
        "{} {} {}",
        a.verb_label(e.verb),
        e.kind,
        e.record.map(|r| format!("#{r}")).unwrap_or_default()
    );
    view! {
        <tr>
            <td class="time">{ui.time(e.at)}</td>
            <td>{e.actor}</td>
            <td>
                {what}
                {e.incident_id.map(|i| view! { " " <a href=format!("/incidents/{i}")>{format!("→ {i}")}</a> })}
            </td>
            <td><pre class="json">{json(e.before)}</pre></td>
            <td><pre class="json">{json(e.after)}</pre></td>
        </tr>
    }
}
