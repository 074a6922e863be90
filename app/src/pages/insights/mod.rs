//! `/insights`: the page a manager opens on Monday. Figures with their definitions beside
//! them, charts drawn on the server with the numbers in a table beneath, and every number a
//! link to the incidents behind it (`/insights/incidents`, [`behind`]).

pub mod behind;
mod tables;

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::components::Form;

use crate::api::get_insights;
use crate::domain::*;
use crate::pages::{ErrorPanel, list_params, loading, page_resource};
use crate::queries::{FromParams, InsightsQuery};
use crate::ui::chart::{Line, lines, with_unit};
use crate::ui::use_ui;
use tables::{ActionTable, GroupTable, figure_link, seconds_text};

#[component]
pub fn InsightsPage() -> impl IntoView {
    let ui = use_ui();
    let i = ui.insights();
    let (params, _) = list_params();
    let data = page_resource(
        move || params.get(),
        |p| async move {
            let q = InsightsQuery::from_map(&p)?;
            let figures = get_insights(q.clone()).await?;
            Ok::<_, crate::error::AppError>((q, figures))
        },
    );
    view! {
        <Title text=i.insights/>
        <div class="page-head"><h1>{i.insights}</h1></div>
        <p class="hint">{i.intro}</p>
        <Suspense fallback=loading>
            {move || Suspend::new(async move {
                match data.await {
                    Err(e) => view! { <ErrorPanel error=e/> }.into_any(),
                    Ok((q, figures)) => view! { <Insights q figures/> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn Filters(q: InsightsQuery, applied: Insights) -> AnyView {
    let ui = use_ui();
    let (t, i) = (ui.t(), ui.insights());
    let from = applied.from.map(|d| d.to_string()).unwrap_or_default();
    let to = applied.to.map(|d| d.to_string()).unwrap_or_default();
    let qs = InsightsQuery {
        from: applied.from,
        to: applied.to,
        ..q.clone()
    }
    .to_query_string();
    view! {
        <Form method="GET" action="" attr:class="filters">
            <label><span>{t.search_from}</span><input type="date" name="from" value=from/></label>
            <label><span>{t.search_to}</span><input type="date" name="to" value=to/></label>
            <label><span>{t.f_severity}</span>
                <select name="severity">
                    <option value="">{i.any_severity}</option>
                    {Severity::ALL.iter().map(|s| view! {
                        <option value=s.as_str() selected=q.severity == Some(*s)>{t.severity_label(*s)}</option>
                    }).collect_view()}
                </select>
            </label>
            <label><span>{i.service}</span><input type="search" name="service" value=q.service.clone().unwrap_or_default() size="12"/></label>
            <label><span>{i.drills}</span>
                <select name="drills">
                    {Drills::ALL.iter().map(|d| view! {
                        <option value=d.as_str() selected=q.drills == *d>{i.drills_name(*d)}</option>
                    }).collect_view()}
                </select>
            </label>
            <label><span>{i.period}</span>
                <select name="period">
                    {Period::ALL.iter().map(|p| view! {
                        <option value=p.as_str() selected=q.period == *p>{i.period_name(*p)}</option>
                    }).collect_view()}
                </select>
            </label>
            <button type="submit">{i.apply}</button>
        </Form>
        <p class="downloads">
            {i.download}" "
            <a href=format!("/api/v1/insights.csv?{qs}&table=durations") rel="external" download>{i.csv_durations}</a>
            " · "
            <a href=format!("/api/v1/insights.csv?{qs}&table=actions") rel="external" download>{i.csv_actions}</a>
        </p>
    }
    .into_any()
}

#[component]
fn Insights(q: InsightsQuery, figures: Insights) -> impl IntoView {
    let ui = use_ui();
    let i = ui.insights();
    // Links to the lists behind figures carry the view as applied (dates settled).
    let view_qs = InsightsQuery {
        from: figures.from,
        to: figures.to,
        ..q.clone()
    }
    .to_query_string();
    let empty = figures.overall.incidents == 0;
    view! {
        <Filters q=q.clone() applied=figures.clone()/>
        {if empty {
            view! { <p class="empty">{i.none}</p> }.into_any()
        } else {
            view! {
                <p class="count">
                    <a href=figure_link(&view_qs, None, None, Subset::All)>{figures.overall.incidents}" "{i.in_view}</a>
                </p>
                <Headline figures=figures.clone() view_qs=view_qs.clone()/>
                <Trend q=q.clone() figures=figures.clone() view_qs=view_qs.clone()/>
                <section class="panel">
                    <h2>{i.by_severity}</h2>
                    <GroupTable groups=figures.by_severity.clone() breakdown=Breakdown::Severity view_qs=view_qs.clone()/>
                </section>
                <section class="panel">
                    <h2>{i.by_service}</h2>
                    <GroupTable groups=figures.by_service.clone() breakdown=Breakdown::Service view_qs=view_qs.clone()/>
                </section>
                <section class="panel">
                    <h2>{i.by_category}</h2>
                    <GroupTable groups=figures.by_category.clone() breakdown=Breakdown::Category view_qs=view_qs.clone()/>
                </section>
                <section class="panel">
                    <h2>{i.follow_through}</h2>
                    <p class="hint">{i.follow_hint}</p>
                    <ActionTable actions=figures.actions.clone()/>
                </section>
                <Reviews reviews=figures.reviews.clone()/>
                <Recurrences list=figures.recurrences.clone()/>
            }
            .into_any()
        }}
        <AlertNoiseTable noise=figures.alert_noise.clone()/>
        <AdherenceTable stages=figures.adherence.clone()/>
        <p class="hint method">{i.method}</p>
    }
}

/// TTD, TTA and TTR over every incident in view, each with its definition.
#[component]
fn Headline(figures: Insights, view_qs: String) -> AnyView {
    let ui = use_ui();
    let i = ui.insights();
    Measure::ALL
        .iter()
        .map(|m| {
            let m = *m;
            let s = figures.overall.durations.get(m).clone();
            let link = |subset| figure_link(&view_qs, None, Some(m), subset);
            let within = s.within_share().map(|share| {
                view! {
                    <span class="figure">
                        <a href=link(Subset::Within)>{format!("{:.0} %", share * 100.0)}</a>" "{i.within}
                        " · "<a href=link(Subset::Breached) class="breach-count">{s.breached.unwrap_or(0)}</a>" "{i.breaches}
                    </span>
                }
                .into_any()
            });
            view! {
                <section class="panel measure" id=format!("measure-{}", m.as_str())>
                    <h2>{i.measure_name(m)}</h2>
                    <p class="definition">{i.definition_of(m)}" "{target_text(m, figures.targets, i)}</p>
                    <p class="figures">
                        <span class="figure big">{seconds_text(s.median_seconds)}" "<small>{i.median}</small></span>
                        <span class="figure">{seconds_text(s.p90_seconds)}" "<small>{i.p90}</small></span>
                        <span class="figure">{seconds_text(s.mean_seconds)}" "<small>{i.mean}</small></span>
                        {within.unwrap_or_else(|| view! { <span class="figure">{i.no_target}</span> }.into_any())}
                    </p>
                    <p class="counts">
                        <a href=link(Subset::Included)>{s.included}</a>" "{i.included}" · "
                        <a href=link(Subset::Excluded)>{s.excluded}</a>" "{i.excluded}
                    </p>
                    {s.skewed().then(|| view! { <p class="hint skewed">{i.skewed}</p> })}
                </section>
            }
        })
        .collect_view().into_any()
}

/// The target a measure is judged against, as configured (`--p3-ttr-minutes` and friends).
fn target_text(m: Measure, t: TargetSeconds, i: &crate::i18n::InsightTexts) -> String {
    match m {
        Measure::Ttd => format!("{} ≤ {}", i.target_is, seconds_text(Some(t.ttd as f64))),
        Measure::Tta => format!("{} {}", i.target_is, i.no_target),
        Measure::Ttr => {
            let each = Severity::ALL
                .iter()
                .zip(t.ttr)
                .map(|(s, secs)| format!("{} ≤ {}", s.as_str(), seconds_text(Some(secs as f64))))
                .collect::<Vec<_>>()
                .join(" · ");
            format!("{} {each}", i.target_is)
        }
    }
}

/// Median and p90 per period for each measure (minutes), and incidents per period.
#[component]
fn Trend(q: InsightsQuery, figures: Insights, view_qs: String) -> AnyView {
    let ui = use_ui();
    let i = ui.insights();
    let trend = figures.trend.clone();
    let label = move |x: f64| {
        trend
            .get(x.round() as usize)
            .map(|p| p.start.format("%Y-%m-%d").to_string())
            .unwrap_or_default()
    };
    let minutes = |v: Option<f64>| v.map(|s| s / 60.0);
    let chart = |m: Measure| {
        let pick = |f: fn(&Stat) -> Option<f64>| {
            figures
                .trend
                .iter()
                .enumerate()
                .filter_map(|(x, p)| Some((x as f64, minutes(f(p.durations.get(m)))?)))
                .collect::<Vec<_>>()
        };
        let series = [
            Line {
                name: i.median.into(),
                points: pick(|s| s.median_seconds),
            },
            Line {
                name: i.p90.into(),
                points: pick(|s| s.p90_seconds),
            },
        ];
        let target = match m {
            Measure::Ttd => Some(figures.targets.ttd as f64 / 60.0),
            Measure::Tta => None,
            Measure::Ttr => q
                .severity
                .map(|s| figures.targets.ttr[s as usize] as f64 / 60.0),
        };
        lines(
            i.measure_name(m),
            &series,
            "min",
            target,
            &label,
            &with_unit("min"),
        )
    };
    let counts = Severity::ALL
        .iter()
        .map(|s| Line {
            name: s.as_str().into(),
            points: figures
                .trend
                .iter()
                .enumerate()
                .map(|(x, p)| (x as f64, f64::from(p.by_severity[*s as usize])))
                .collect(),
        })
        .collect::<Vec<_>>();
    let per_period = lines(i.per_period, &counts, i.incidents, None, &label, &|n| {
        ui.t().incident_count(n.round() as i64)
    });
    let rows = figures.trend.clone();
    view! {
        <section class="panel trend">
            <h2>{i.trend}</h2>
            <p class="hint">{i.trend_hint}" "{q.severity.is_none().then_some(i.ttr_target_varies)}</p>
            <div class="charts">
                {Measure::ALL.iter().map(|m| view! { <div class="chart-box" inner_html=chart(*m)/> }).collect_view()}
                <div class="chart-box" inner_html=per_period/>
            </div>
            <div class="table-wrap">
                <table class="list trend-table">
                    <thead><tr>
                        <th>{i.period_start}</th><th>{i.incidents}</th>
                        {Severity::ALL.iter().map(|s| view! { <th>{s.as_str()}</th> }).collect_view()}
                        {Measure::ALL.iter().map(|m| view! { <th>{format!("{} {}", i.measure_abbr(*m), i.median)}</th> }).collect_view()}
                        <th>{format!("TTR {}", i.within)}</th>
                    </tr></thead>
                    <tbody>
                        {rows.into_iter().map(|p| {
                            let key = p.start.to_string();
                            let href = figure_link(&view_qs, Some((Breakdown::Period, key.as_str())), None, Subset::All);
                            view! {
                                <tr>
                                    <td>{key.clone()}</td>
                                    <td><a href=href>{p.incidents}</a></td>
                                    {p.by_severity.iter().map(|n| view! { <td>{*n}</td> }).collect_view()}
                                    {Measure::ALL.iter().map(|m| view! { <td>{seconds_text(p.durations.get(*m).median_seconds)}</td> }).collect_view()}
                                    <td>{tables::share_text(p.durations.ttr.within_share())}</td>
                                </tr>
                            }
                        }).collect_view()}
                    </tbody>
                </table>
            </div>
        </section>
    }
    .into_any()
}

#[component]
fn Reviews(reviews: crate::domain::Reviews) -> AnyView {
    let ui = use_ui();
    let i = ui.insights();
    view! {
        <section class="panel reviews">
            <h2>{i.reviews}</h2>
            <p class="hint">{i.reviews_hint}</p>
            <p class="figures">
                <span class="figure big">{tables::share_text(reviews.in_time_share())}" "<small>{i.reviews_in_time}</small></span>
                <span class="figure">{reviews.in_time}" / "{reviews.due}" "<small>{i.reviews_due}</small></span>
                <span class="figure">{reviews.late}" "{i.reviews_late}</span>
            </p>
            <h3>{i.reviews_overdue}</h3>
            {if reviews.overdue_now.is_empty() {
                view! { <p class="empty-inline">{i.reviews_none_overdue}</p> }.into_any()
            } else {
                view! {
                    <ul class="incident-refs">
                        {reviews.overdue_now.into_iter().map(|r| view! { <li><tables::IncidentLink r/></li> }).collect_view()}
                    </ul>
                }
                .into_any()
            }}
        </section>
    }
    .into_any()
}

#[component]
fn Recurrences(list: Vec<Recurrence>) -> AnyView {
    let ui = use_ui();
    let (t, i) = (ui.t(), ui.insights());
    view! {
        <section class="panel recurrences">
            <h2>{i.recurrences}</h2>
            <p class="hint">{i.recurrences_hint}</p>
            {if list.is_empty() {
                view! { <p class="empty-inline">{i.recurrences_none}</p> }.into_any()
            } else {
                view! {
                    <ul class="recurrence-list">
                        {list.into_iter().map(|r| view! {
                            <li class:did-not-hold=r.fix_did_not_hold>
                                <span class="tag">{t.category_label(r.category)}</span>" "
                                <span class="tag">{r.service.clone()}</span>" "
                                <tables::IncidentLink r=r.later/>" ← "{i.earlier}": "<tables::IncidentLink r=r.earlier/>
                                {r.fix_did_not_hold.then(|| view! { <span class="breach-tag">{i.fix_did_not_hold}</span> })}
                            </li>
                        }).collect_view()}
                    </ul>
                }
                .into_any()
            }}
        </section>
    }
    .into_any()
}

/// How incidents followed their scenarios' plans: each stage done in time, or not.
#[component]
fn AdherenceTable(stages: Vec<crate::domain::StageAdherence>) -> AnyView {
    let s = use_ui().scenarios();
    view! {
        <section class="panel adherence">
            <h2>{s.adherence_title}</h2>
            <p class="hint">{s.adherence_hint}</p>
            {if stages.is_empty() {
                view! { <p class="empty-inline">{s.adherence_none}</p> }.into_any()
            } else {
                view! {
                    <table class="list">
                        <thead><tr><th>{s.scenarios}</th><th>{s.stages}</th><th>{s.adherence(crate::domain::Adherence::Met)}</th>
                            <th>{s.adherence(crate::domain::Adherence::Missed)}</th><th>{s.adherence(crate::domain::Adherence::Open)}</th><th>{s.share_in_time}</th></tr></thead>
                        <tbody>
                            {stages.into_iter().map(|a| {
                                let share = a.share_met().map(|v| format!("{:.0} %", v * 100.0)).unwrap_or_else(|| "—".into());
                                view! {
                                    <tr>
                                        <td><a href=format!("/scenarios/{}", a.scenario_id)>{a.scenario.clone()}</a></td>
                                        <td>{format!("{} ({})", a.stage, crate::domain::minutes_label(a.within_minutes))}</td>
                                        <td>{a.met}</td><td>{a.missed}</td><td>{a.open}</td><td>{share}</td>
                                    </tr>
                                }
                            }).collect_view()}
                        </tbody>
                    </table>
                }
                .into_any()
            }}
        </section>
    }
    .into_any()
}

#[component]
fn AlertNoiseTable(noise: Vec<AlertNoise>) -> AnyView {
    let ui = use_ui();
    let i = ui.insights();
    view! {
        <section class="panel alert-noise">
            <h2>{i.alert_noise}</h2>
            <p class="hint">{i.alert_noise_hint}</p>
            {if noise.is_empty() {
                view! { <p class="empty-inline">{i.alert_noise_none}</p> }.into_any()
            } else {
                view! {
                    <table class="list">
                        <thead><tr><th>"alertname"</th><th>{i.alerts}</th><th>{i.linked}</th><th>{i.unlinked}</th></tr></thead>
                        <tbody>
                            {noise.into_iter().map(|n| {
                                let name = urlencoding::encode(&n.alertname).into_owned();
                                view! {
                                    <tr>
                                        <td><code>{n.alertname.clone()}</code></td>
                                        <td><a href=format!("/alerts?alertname={name}")>{n.alerts}</a></td>
                                        <td><a href=format!("/alerts?alertname={name}&linked=yes")>{n.linked}</a></td>
                                        <td><a href=format!("/alerts?alertname={name}&linked=no")>{n.unlinked}</a></td>
                                    </tr>
                                }
                            }).collect_view()}
                        </tbody>
                    </table>
                }
                .into_any()
            }}
        </section>
    }
    .into_any()
}
