//! Load-test runs: the list with the upload form (`/load-tests`), one run with its charts
//! (`/load-tests/{id}`), and two runs compared (`/load-tests/compare`).

pub mod compare;
pub mod list;
pub mod run;

use leptos::prelude::*;

use crate::domain::LoadTestRun;
use crate::ui::use_ui;

/// "passed" / "failed" / "no verdict" as a badge.
pub fn verdict_badge(passed: Option<bool>) -> impl IntoView {
    let l = use_ui().load_tests();
    let (class, text) = match passed {
        Some(true) => ("badge verdict-passed", l.passed),
        Some(false) => ("badge verdict-failed", l.failed),
        None => ("badge", l.unknown),
    };
    view! { <span class=class>{text}</span> }
}

/// A figure for a table cell: `—` when the run does not carry it.
pub fn figure_text(field: &str, v: Option<f64>) -> String {
    match v {
        None => "—".into(),
        Some(v) if field == "error_rate" || field == "cache_hit_rate" => {
            format!("{} %", crate::ui::chart::number(v * 100.0))
        }
        Some(v) if v >= 1000.0 => crate::i18n::grouped(v.round() as i64),
        Some(v) => crate::ui::chart::number(v),
    }
}

/// Every figure of a run as `(field, value)`, in the order pages list them.
pub fn figures(run: &LoadTestRun) -> [(&'static str, Option<f64>); 15] {
    let f = &run.figures;
    [
        ("vus_max", f.vus_max),
        ("duration_seconds", f.duration_seconds),
        ("requests", f.requests),
        ("rps", f.rps),
        ("p50_ms", f.p50_ms),
        ("p90_ms", f.p90_ms),
        ("p95_ms", f.p95_ms),
        ("p99_ms", f.p99_ms),
        ("max_ms", f.max_ms),
        ("error_rate", f.error_rate),
        ("checks_passed", f.checks_passed),
        ("checks_failed", f.checks_failed),
        ("cache_hit_rate", f.cache_hit_rate),
        ("coupons_issued", f.coupons_issued),
        ("stock", f.stock),
    ]
}
