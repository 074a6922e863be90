//! Failure scenarios: the list (`/scenarios`), one scenario (`/scenarios/{id}`), the form
//! (`/scenarios/new`, `/scenarios/{id}/edit`), the import page (`/import`), and the
//! plan checklist an incident page shows for its linked scenarios.

pub mod checklist;
pub mod detail;
pub mod form;
pub mod import;
pub mod list;

use leptos::prelude::*;

use crate::domain::{Severity, Stage, minutes_label};
use crate::ui::badges::SeverityBadge;
use crate::ui::use_ui;

/// A severity badge, or "not set".
pub fn severity_cell(severity: Option<Severity>) -> AnyView {
    match severity {
        Some(s) => view! { <SeverityBadge severity=s/> }.into_any(),
        None => view! { <span class="muted">{use_ui().scenarios().no_severity}</span> }.into_any(),
    }
}

/// A plan's stages, steps and setting changes (read-only).
pub fn plan_view(stages: Vec<Stage>) -> AnyView {
    let s = use_ui().scenarios();
    view! {
        <ol class="plan">
            {stages.into_iter().map(|st| view! {
                <li>
                    <h3>{st.name}" "<small class="deadline">{format!("{} {}", s.within, minutes_label(st.within_minutes))}</small></h3>
                    <ol>
                        {st.steps.into_iter().map(|p| view! {
                            <li>
                                <strong>{p.text}</strong>
                                {(!p.detail.is_empty()).then(|| view! { " — "{p.detail} })}
                                {p.changes.into_iter().map(|c| view! { " "<code>{c}</code> }).collect_view()}
                                {(!p.owner.is_empty()).then(|| view! { <small class="owner">{format!(" ({}: {})", s.owner, p.owner)}</small> })}
                            </li>
                        }).collect_view()}
                    </ol>
                </li>
            }).collect_view()}
        </ol>
    }
    .into_any()
}
