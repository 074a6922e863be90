//! `/import`: upload a Markdown document, preview what it would create, import it.
//! The form posts to `/import/upload` (multipart, no WASM needed), which comes back
//! here with `?report=` naming the kept report.

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

use super::severity_cell;
use crate::api::{KeptImport, load_import_report};
use crate::domain::{ImportReport, minutes_label};
use crate::pages::loading;
use crate::ui::use_ui;

#[component]
pub fn ImportPage() -> impl IntoView {
    let s = use_ui().scenarios();
    let query = use_query_map();
    let kept = Resource::new(
        move || query.read().get("report"),
        |token| async move {
            match token {
                Some(t) => load_import_report(t).await.ok().flatten(),
                None => None,
            }
        },
    );
    view! {
        <Title text=s.import/>
        <div class="page-head"><h1>{s.import}</h1><a href="/scenarios">{s.scenarios}</a></div>
        <Suspense fallback=loading>
            {move || Suspend::new(async move { kept.await.map(outcome) })}
        </Suspense>
        <form method="post" action="/import/upload" enctype="multipart/form-data" class="panel form narrow">
            <p class="hint">{s.import_intro}</p>
            <div class="field">
                <label for="import-file">{s.file}</label>
                <input id="import-file" type="file" name="file" accept=".md,.markdown,.txt,text/markdown,text/plain" required=true/>
            </div>
            <div class="field checkbox">
                <label><input type="checkbox" name="apply_matrix" value="on"/>" "{s.apply_matrix}</label>
            </div>
            <div class="field checkbox">
                <label><input type="checkbox" name="apply_targets" value="on"/>" "{s.apply_targets}</label>
            </div>
            <div class="actions">
                <button type="submit" name="mode" value="preview">{s.preview}</button>
                <button type="submit" name="mode" value="import" class="primary">{s.import_now}</button>
            </div>
        </form>
    }
}

fn outcome(k: KeptImport) -> AnyView {
    let ui = use_ui();
    match (k.report, k.error) {
        (_, Some(error)) => {
            let text = match &error {
                crate::error::AppError::Invalid(i) => {
                    format!("{}: {}", i.field, ui.t().problem(&i.problem))
                }
                other => ui.t().error_text(other),
            };
            view! { <p class="form-error" role="alert">{text}</p> }.into_any()
        }
        (Some(report), None) if report.postmortem.is_some() => {
            postmortem_view(report, k.text).into_any()
        }
        (Some(report), None) => report_view(report, k.text).into_any(),
        (None, None) => ().into_any(),
    }
}

/// The form that imports a previewed document without a second upload.
fn confirm_form(name: String, text: Option<String>, apply_matrix: bool) -> impl IntoView {
    let s = use_ui().scenarios();
    text.map(|text| view! {
        <form method="post" action="/import/upload" enctype="multipart/form-data">
            <input type="hidden" name="name" value=name/>
            <textarea name="text" hidden=true>{text}</textarea>
            {apply_matrix.then(|| view! { <input type="hidden" name="apply_matrix" value="on"/> })}
            <button type="submit" name="mode" value="import" class="primary">{s.import_now}</button>
        </form>
    })
}

/// A postmortem's report: the incident (a link once made), what it holds, where each section
/// went and what was assumed.
fn postmortem_view(r: ImportReport, text: Option<String>) -> impl IntoView {
    let ui = use_ui();
    let (t, s) = (ui.t(), ui.scenarios());
    let p = r.postmortem.expect("a postmortem");
    let f = p.incident;
    let heading = if r.imported_before.is_some() {
        s.imported_before_incident
    } else if r.dry_run {
        s.would_create_incident
    } else {
        s.created_incident
    };
    let title = match r.incident {
        Some(id) => view! { <a href=format!("/incidents/{id}")>{f.title}</a> }.into_any(),
        None => view! { <strong>{f.title}</strong> }.into_any(),
    };
    let counts = format!(
        "{} · {} {} · {} {} · {} {}",
        t.severity_label(f.severity),
        p.timeline.len(),
        s.events_count,
        p.chains.len(),
        s.chains_count,
        p.actions.len(),
        s.actions_count
    );
    view! {
        <section class="panel import-report">
            <h2>{heading}" "<small>{r.name.clone()}</small></h2>
            <p class="imported-incident">{title}<br/><small>{counts}</small></p>
            <h3>{s.placements}</h3>
            <table class="list">
                <thead><tr><th>{s.section}</th><th>{s.went_to}</th></tr></thead>
                <tbody>{p.placements.into_iter().map(|pl| view! {
                    <tr><td>{pl.section}</td><td>{s.part(pl.part)}{(!pl.detail.is_empty()).then(|| format!(" ({})", pl.detail))}</td></tr>
                }).collect_view()}</tbody>
            </table>
            {(!p.notes.is_empty()).then(|| view! {
                <h3>{s.assumed}</h3>
                <ul>{p.notes.into_iter().map(|n| view! { <li>{n}</li> }).collect_view()}</ul>
            })}
            {confirm_form(r.name, text, false)}
        </section>
    }
}

fn report_view(r: ImportReport, text: Option<String>) -> impl IntoView {
    let s = use_ui().scenarios();
    let p = r.premortem;
    let heading = if r.imported_before.is_some() {
        s.imported_before
    } else if r.dry_run {
        s.would_create
    } else {
        s.created
    };
    let created = r.created;
    let rows = p
        .scenarios
        .into_iter()
        .enumerate()
        .map(|(i, sc)| {
            let steps: usize = sc.stages.iter().map(|st| st.steps.len()).sum();
            let title = match created.get(i) {
                Some((id, _)) => {
                    view! { <a href=format!("/scenarios/{id}")>{sc.title}</a> }.into_any()
                }
                None => view! { <span>{sc.title}</span> }.into_any(),
            };
            let stages = sc
                .stages
                .iter()
                .map(|st| format!("{} ({})", st.name, minutes_label(st.within_minutes)))
                .collect::<Vec<_>>()
                .join(" · ");
            view! {
                <tr>
                    <td>{title}</td>
                    <td>{severity_cell(sc.severity)}</td>
                    <td>{sc.detection.metrics.len()}" / "{sc.detection.alert_levels.len()}</td>
                    <td>{stages}<br/><small>{format!("{steps} {}", s.steps_count)}</small></td>
                    <td>{sc.chain.whys.len()}</td>
                    <td>{sc.chain.root_cause}</td>
                </tr>
            }
        })
        .collect_view();
    let matrix = (!p.matrix.is_empty()).then(|| {
        let state = if r.matrix_applied { s.matrix_applied } else { s.matrix_not_applied };
        view! {
            <h3>{s.matrix}" "<small>{format!("({state})")}</small></h3>
            <table class="list">
                <thead><tr><th>{s.metric}</th><th>"Warning"</th><th>"Critical"</th><th>{s.respond_in}</th></tr></thead>
                <tbody>{p.matrix.into_iter().map(|m| view! {
                    <tr><td>{m.metric}</td><td>{m.warning}</td><td>{m.critical}</td>
                        <td>{format!("{} / {}",
                            m.warning_response_minutes.map_or("—".into(), minutes_label),
                            m.critical_response_minutes.map_or("—".into(), minutes_label))}</td></tr>
                }).collect_view()}</tbody>
            </table>
        }
    });
    let applied = r.targets_applied;
    let targets = p.targets.map(|t| {
        let ttr = t
            .ttr_minutes
            .iter()
            .map(|(sev, m)| format!("{sev} {}", minutes_label(*m)))
            .collect::<Vec<_>>()
            .join(", ");
        view! {
            <h3>{s.targets}</h3>
            <p>{format!("MTTD {} · MTTR {ttr}", t.ttd_minutes.map_or("—".into(), minutes_label))}
                <br/><small class="hint">{if applied { s.targets_applied } else { s.targets_note }}</small></p>
        }
    });
    let kept = (!p.kept.is_empty()).then(|| {
        view! {
            <h3>{s.kept}</h3>
            <p>{p.kept.join(" · ")}</p>
        }
    });
    let confirm = confirm_form(r.name.clone(), text, r.matrix_applied);
    view! {
        <section class="panel import-report">
            <h2>{heading}" "<small>{r.name}</small></h2>
            <table class="list">
                <thead><tr><th>{s.title}</th><th>{s.severity}</th><th>{s.metrics}" / "{s.alert_levels}</th>
                    <th>{s.stages}</th><th>{s.whys_count}</th><th>{s.root_cause}</th></tr></thead>
                <tbody>{rows}</tbody>
            </table>
            {matrix}
            {targets}
            {kept}
            {confirm}
        </section>
    }
}
