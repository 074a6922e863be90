//! The incident page's alerts: each linked alert, when it first fired and last resolved, and
//! — once every one has resolved — the offer to take the recovery time from them.

use chrono::{DateTime, Utc};
use leptos::form::ActionForm;
use leptos::prelude::*;

use super::detail::DetailActions;
use crate::domain::{AlertEvent, AlertStatus, IncidentId, recovery_from};
use crate::ui::use_ui;

#[component]
pub fn AlertsSection(
    incident: IncidentId,
    alerts: Vec<AlertEvent>,
    recovered: Option<DateTime<Utc>>,
    acts: DetailActions,
) -> impl IntoView {
    let ui = use_ui();
    let a = ui.alerts();
    // Most incidents are filed by hand without alerts; the section stays out of their way.
    if alerts.is_empty() {
        return None;
    }
    let first = alerts.iter().map(|x| x.starts_at).min();
    let last = recovery_from(&alerts);
    let firing = alerts.iter().any(|x| x.status == AlertStatus::Firing);
    let offer = last.filter(|at| recovered != Some(*at));
    Some(view! {
        <section class="panel alerts-section" id="alerts">
            <h2>{a.section}</h2>
            <p class="meta">
                {first.map(|f| format!("{} {}", a.first_fired, ui.time(f)))}
                " · "
                {if firing { a.still_firing.to_string() } else {
                    last.map(|l| format!("{} {}", a.last_resolved, ui.time(l))).unwrap_or_default()
                }}
            </p>
            <ul class="alert-list">
                {alerts.into_iter().map(|x| view! {
                    <li class=format!("alert {}", x.status)>
                        <span class=format!("badge alert-{}", x.status)>{a.status_label(x.status)}</span>
                        {x.priority.map(|p| view! { <span class="badge">{p.as_str()}</span> })}
                        <a href=format!("/alerts/{}", x.id)>{x.summary()}</a>
                        <span class="time">{ui.time(x.starts_at)}</span>
                        {x.ends_at.map(|e| view! { " → " <span class="time">{ui.time(e)}</span> })}
                    </li>
                }).collect_view()}
            </ul>
            {offer.map(|at| view! {
                <ActionForm action=acts.recover attr:class="inline recover-offer">
                    <input type="hidden" name="incident" value=incident/>
                    <span>{(a.recover_offer)(&ui.time(at))}</span>
                    " "
                    <button type="submit">{a.recover_button}</button>
                </ActionForm>
            })}
        </section>
    })
}
