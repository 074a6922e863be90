//! Small read-only pieces: severity and status badges, a TTD/TTR figure.

use leptos::prelude::*;

use crate::domain::{Severity, Status, format_duration};
use crate::ui::use_ui;

#[component]
pub fn SeverityBadge(severity: Severity) -> impl IntoView {
    let t = use_ui().t();
    view! {
        <span class=format!("sev sev-{}", severity.as_str().to_lowercase()) title=t.severity_label(severity)>
            {severity.as_str()}
        </span>
    }
}

#[component]
pub fn StatusBadge(status: Status) -> impl IntoView {
    let t = use_ui().t();
    view! { <span class=format!("status status-{}", status.as_str())>{t.status_label(status)}</span> }
}

/// A TTD or TTR value with its target; over target is marked in words, not colour alone.
#[component]
pub fn MetricValue(seconds: Option<i64>, target: i64, breached: bool) -> impl IntoView {
    let t = use_ui().t();
    match seconds {
        None => view! { <span class="metric unknown">"—"</span> }.into_any(),
        Some(s) => view! {
            <span class="metric" class:breach=breached title=format!("{} {}", t.target, format_duration(target))>
                {format_duration(s)}
                {breached.then(|| view! { <span class="breach-tag">{t.breached}</span> })}
            </span>
        }
        .into_any(),
    }
}
