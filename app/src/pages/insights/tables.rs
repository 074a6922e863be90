//! The insights' tables: a breakdown's groups with their three figures, and follow-through.

use leptos::prelude::*;

use crate::domain::*;
use crate::ui::use_ui;

/// A duration as responders say it (`1m 40s`), or a dash.
pub fn seconds_text(v: Option<f64>) -> String {
    v.map(|s| format_duration(s.round() as i64))
        .unwrap_or_else(|| "—".into())
}

/// A share as a whole percentage, or a dash.
pub fn share_text(v: Option<f64>) -> String {
    v.map(|s| format!("{:.0} %", s * 100.0))
        .unwrap_or_else(|| "—".into())
}

/// The list behind a figure: the view, a group of a breakdown, a measure and a subset.
pub fn figure_link(
    view_qs: &str,
    group: Option<(Breakdown, &str)>,
    measure: Option<Measure>,
    subset: Subset,
) -> String {
    let mut parts: Vec<String> = Vec::new();
    if !view_qs.is_empty() {
        parts.push(view_qs.to_owned());
    }
    if let Some((b, key)) = group {
        parts.push(format!("breakdown={b}&key={}", urlencoding::encode(key)));
    }
    if let Some(m) = measure {
        parts.push(format!("measure={m}"));
    }
    if subset != Subset::All {
        parts.push(format!("subset={subset}"));
    }
    format!("/insights/incidents?{}", parts.join("&"))
}

/// An incident named in a list: severity, title, a drill's mark.
#[component]
pub fn IncidentLink(r: IncidentRef) -> impl IntoView {
    let t = use_ui().t();
    view! {
        <span class=format!("sev sev-{}", r.severity.as_str().to_lowercase())>{r.severity.as_str()}</span>" "
        <a href=format!("/incidents/{}", r.id)>{r.title}</a>
        {r.drill.then(|| view! { " "<span class="badge drill">{t.drill}</span> })}
    }
}

/// A breakdown: each group with TTD, TTA and TTR (median, p90, within target, over target).
#[component]
pub fn GroupTable(groups: Vec<Group>, breakdown: Breakdown, view_qs: String) -> AnyView {
    let ui = use_ui();
    let (t, i) = (ui.t(), ui.insights());
    let name = move |key: &str| -> String {
        match breakdown {
            Breakdown::Severity => {
                Severity::parse(key).map_or(key.to_owned(), |s| t.severity_label(s).to_owned())
            }
            Breakdown::Category => RootCauseCategory::parse(key)
                .map_or(key.to_owned(), |c| t.category_label(c).to_owned()),
            _ => key.to_owned(),
        }
    };
    view! {
        <div class="table-wrap">
            <table class="list groups">
                <thead>
                    <tr>
                        <th rowspan="2">{i.group}</th><th rowspan="2">{i.incidents}</th>
                        {Measure::ALL.iter().map(|m| view! {
                            <th colspan=if *m == Measure::Tta { "2" } else { "4" } class="measure-head">{i.measure_abbr(*m)}</th>
                        }).collect_view()}
                    </tr>
                    <tr>
                        {Measure::ALL.iter().map(|m| view! {
                            <th>{i.median}</th><th>{i.p90}</th>
                            {(*m != Measure::Tta).then(|| view! { <th>{i.within}</th><th>{i.breaches}</th> })}
                        }).collect_view()}
                    </tr>
                </thead>
                <tbody>
                    {groups.into_iter().map(|g| {
                        let key = g.key.clone();
                        let link = |m: Option<Measure>, subset| figure_link(&view_qs, Some((breakdown, key.as_str())), m, subset);
                        view! {
                            <tr>
                                <th scope="row">{name(&g.key)}</th>
                                <td><a href=link(None, Subset::All)>{g.incidents}</a></td>
                                {Measure::ALL.iter().map(|m| {
                                    let s = g.durations.get(*m).clone();
                                    view! {
                                        <td>{seconds_text(s.median_seconds)}</td>
                                        <td>{seconds_text(s.p90_seconds)}</td>
                                        {(*m != Measure::Tta).then(|| view! {
                                            <td><a href=link(Some(*m), Subset::Within)>{share_text(s.within_share())}</a></td>
                                            <td class:breach={s.breached.unwrap_or(0) > 0}><a href=link(Some(*m), Subset::Breached)>{s.breached.unwrap_or(0)}</a></td>
                                        })}
                                    }
                                }).collect_view()}
                            </tr>
                        }
                    }).collect_view()}
                </tbody>
            </table>
        </div>
    }
    .into_any()
}

/// Follow-through: every item, then by owner and by horizon.
#[component]
pub fn ActionTable(actions: Actions) -> AnyView {
    let ui = use_ui();
    let (t, i) = (ui.t(), ui.insights());
    let row = move |label: String, f: FollowThrough, overdue_link: Option<String>| {
        view! {
            <tr>
                <th scope="row">{label}</th>
                <td>{f.total}</td>
                <td>{f.open}</td>
                <td class:breach={f.overdue > 0}>{match overdue_link {
                    Some(href) => view! { <a href=href>{f.overdue}</a> }.into_any(),
                    None => view! { <span>{f.overdue}</span> }.into_any(),
                }}</td>
                <td>{f.done}</td>
                <td>{f.done_on_time}</td>
                <td>{f.done_late}</td>
                <td>{f.done_not_judged}</td>
                <td>{f.wont_do}</td>
                <td>{f.median_days_to_done.map(|d| format!("{d:.1}")).unwrap_or_else(|| "—".into())}</td>
            </tr>
        }
    };
    let head = move |first: &'static str| {
        view! {
            <thead><tr>
                <th>{first}</th><th>{i.total}</th><th>{i.open}</th><th>{i.overdue}</th><th>{i.done}</th>
                <th>{i.on_time}</th><th>{i.late}</th><th>{i.not_judged}</th><th>{i.wont_do}</th><th>{i.days_to_done}</th>
            </tr></thead>
        }
    };
    view! {
        <div class="table-wrap">
            <table class="list actions-by-owner">
                {head(i.owner)}
                <tbody>
                    {row(i.total.to_owned(), actions.all.clone(), Some("/action-items?state=overdue".into()))}
                    {actions.by_owner.into_iter().map(|f| {
                        let label = if f.key.is_empty() { i.no_owner.to_owned() } else { f.key.clone() };
                        let href = (!f.key.is_empty()).then(|| format!("/action-items?state=overdue&owner={}", urlencoding::encode(&f.key)));
                        row(label, f, href)
                    }).collect_view()}
                </tbody>
            </table>
            <table class="list actions-by-horizon">
                {head(i.horizon)}
                <tbody>
                    {actions.by_horizon.into_iter().map(|f| {
                        let label = Horizon::parse(&f.key).map_or(f.key.clone(), |h| t.horizon_label(h).to_owned());
                        row(label, f, None)
                    }).collect_view()}
                </tbody>
            </table>
        </div>
    }
    .into_any()
}
