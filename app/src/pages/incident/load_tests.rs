//! The incident page's load tests: runs linked to it, and what each of its services was last
//! proven to carry (its validated capacity).

use leptos::prelude::*;

use crate::domain::{Capacity, IncidentRun};
use crate::pages::load_tests::verdict_badge;
use crate::ui::chart::number;
use crate::ui::use_ui;

#[component]
pub fn LoadTestsSection(runs: Vec<IncidentRun>, capacity: Vec<Capacity>) -> impl IntoView {
    let ui = use_ui();
    let l = ui.load_tests();
    if runs.is_empty() && capacity.is_empty() {
        return None;
    }
    let ms = |v: Option<f64>| {
        v.map(|v| format!("p99 {} ms", number(v)))
            .unwrap_or_default()
    };
    let rps = |v: Option<f64>| {
        v.map(|v| format!("{} req/s", crate::i18n::grouped(v.round() as i64)))
            .unwrap_or_default()
    };
    Some(view! {
        <section class="panel load-tests-section" id="load-tests">
            {(!capacity.is_empty()).then(|| view! {
                <h2>{l.capacity}</h2>
                <p class="hint">{l.capacity_hint}</p>
                <ul class="capacity">
                    {capacity.iter().map(|c| view! {
                        <li>
                            <strong>{c.service.clone()}</strong>
                            {(!c.scenario.is_empty()).then(|| format!(" ({})", c.scenario))}
                            ": " {rps(c.rps)} ", " {ms(c.p99_ms)} ", " {l.passed} ", "
                            <a href=format!("/load-tests/{}", c.run)>{ui.time(c.when)}</a>
                        </li>
                    }).collect_view()}
                </ul>
            })}
            {(!runs.is_empty()).then(|| view! {
                <h2>{l.load_tests}</h2>
                <ul>
                    {runs.iter().map(|r| view! {
                        <li>
                            <span class="relation">{l.relation_name(r.relation)}</span> " "
                            <a href=format!("/load-tests/{}", r.run)>{r.title.clone()}</a> " "
                            {verdict_badge(r.passed)} " " {rps(r.rps)} " " {ms(r.p99_ms)}
                        </li>
                    }).collect_view()}
                </ul>
            })}
        </section>
    })
}
