//! The figures of a view, from the in-memory copy of incidents: plain functions over rows.

use std::collections::{BTreeMap, HashMap, VecDeque};

use app::domain::*;
use app::queries::{Figure, InsightsQuery};
use chrono::{DateTime, Datelike, Duration, Months, NaiveDate, Utc};
use chrono_tz::Tz;

use super::dataset::{Action, Dataset, Row};

/// The longest list a figure names in the answer (the rest are behind its link).
pub const LIST_MAX: usize = 100;
/// Periods shown when the view gives no `from`.
const DEFAULT_PERIODS: u32 = 12;
/// The seed's rule: the review begins within a day of recovery.
const REVIEW_WITHIN: Duration = Duration::hours(24);

/// A view with its dates settled and its service found.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct View {
    pub from: NaiveDate,
    pub to: NaiveDate,
    pub severity: Option<Severity>,
    /// The service asked for: `Some(None)` if no incident has it.
    pub service: Option<Option<u32>>,
    pub drills: Drills,
    pub period: Period,
}

impl View {
    /// `to` defaults to today, `from` to the start of the period eleven periods before.
    pub fn resolve(q: &InsightsQuery, data: &Dataset, today: NaiveDate) -> Self {
        let to = q.to.unwrap_or(today);
        let from = q.from.unwrap_or_else(|| {
            let mut start = period_start(to, q.period);
            for _ in 1..DEFAULT_PERIODS {
                start = previous_period(start, q.period);
            }
            start
        });
        Self {
            from,
            to,
            severity: q.severity,
            service: q.service.as_deref().map(|s| data.services.find(s)),
            drills: q.drills,
            period: q.period,
        }
    }

    /// The incident counts in this view, whatever its date.
    pub fn admits_kind(&self, r: &Row) -> bool {
        let drills = match self.drills {
            Drills::Exclude => !r.facts.drill,
            Drills::Include => true,
            Drills::Only => r.facts.drill,
        };
        drills
            && self.severity.is_none_or(|s| r.facts.severity == s)
            && match self.service {
                None => true,
                Some(None) => false,
                Some(Some(s)) => r.services.contains(&s),
            }
    }

    pub fn admits(&self, r: &Row) -> bool {
        r.day >= self.from && r.day <= self.to && self.admits_kind(r)
    }
}

/// The first day of the period `day` is in.
pub fn period_start(day: NaiveDate, p: Period) -> NaiveDate {
    match p {
        Period::Week => day - Duration::days(i64::from(day.weekday().num_days_from_monday())),
        Period::Month => day.with_day(1).expect("the 1st exists"),
        Period::Quarter => NaiveDate::from_ymd_opt(day.year(), (day.month0() / 3) * 3 + 1, 1)
            .expect("a quarter's first day exists"),
    }
}

fn next_period(start: NaiveDate, p: Period) -> NaiveDate {
    match p {
        Period::Week => start + Duration::days(7),
        Period::Month => start + Months::new(1),
        Period::Quarter => start + Months::new(3),
    }
}

fn previous_period(start: NaiveDate, p: Period) -> NaiveDate {
    match p {
        Period::Week => start - Duration::days(7),
        Period::Month => start - Months::new(1),
        Period::Quarter => start - Months::new(3),
    }
}

/// The target `m` is judged against for an incident of `severity`; TTA has none.
fn target(m: Measure, severity: Severity, t: &Targets) -> Option<i64> {
    match m {
        Measure::Ttd => Some(t.ttd_seconds),
        Measure::Tta => None,
        Measure::Ttr => Some(t.ttr_for(severity)),
    }
}

/// One duration figure, accumulating.
#[derive(Default)]
struct MeasureAcc {
    values: Vec<f64>,
    excluded: u32,
    within: u32,
    breached: u32,
}

impl MeasureAcc {
    fn add(&mut self, r: &Row, m: Measure, t: &Targets) {
        let Some(s) = r.seconds(m) else {
            self.excluded += 1;
            return;
        };
        self.values.push(s as f64);
        match target(m, r.facts.severity, t) {
            Some(limit) if s <= limit => self.within += 1,
            Some(_) => self.breached += 1,
            None => {}
        }
    }

    fn stat(mut self, m: Measure) -> Stat {
        let n = self.values.len();
        let has_target = m != Measure::Tta;
        Stat {
            included: n as u32,
            excluded: self.excluded,
            mean_seconds: (n > 0).then(|| self.values.iter().sum::<f64>() / n as f64),
            median_seconds: quantile_of(&mut self.values, 0.5),
            p90_seconds: quantile_of(&mut self.values, 0.9),
            within_target: has_target.then_some(self.within),
            breached: has_target.then_some(self.breached),
        }
    }
}

/// [`quantile`] without sorting everything: the order statistics it needs are selected in
/// linear time (a view over 100,000 incidents computes dozens of these).
fn quantile_of(values: &mut [f64], q: f64) -> Option<f64> {
    let last = values.len().checked_sub(1)?;
    let pos = q.clamp(0.0, 1.0) * last as f64;
    let i = pos.floor() as usize;
    let f = pos - i as f64;
    let (_, lo, above) = values.select_nth_unstable_by(i, f64::total_cmp);
    let lo = *lo;
    if f == 0.0 || above.is_empty() {
        return Some(lo);
    }
    let hi = above.iter().copied().fold(f64::INFINITY, f64::min);
    Some(lo + f * (hi - lo))
}

/// A group's three figures, accumulating.
#[derive(Default)]
struct Acc {
    incidents: u32,
    ttd: MeasureAcc,
    tta: MeasureAcc,
    ttr: MeasureAcc,
}

impl Acc {
    fn add(&mut self, r: &Row, t: &Targets) {
        self.incidents += 1;
        self.ttd.add(r, Measure::Ttd, t);
        self.tta.add(r, Measure::Tta, t);
        self.ttr.add(r, Measure::Ttr, t);
    }

    fn durations(self) -> Durations {
        Durations {
            ttd: self.ttd.stat(Measure::Ttd),
            tta: self.tta.stat(Measure::Tta),
            ttr: self.ttr.stat(Measure::Ttr),
        }
    }

    fn group(self, key: String) -> Group {
        Group {
            key,
            incidents: self.incidents,
            durations: self.durations(),
        }
    }
}

/// What the figures name, by id: the service turns them into titled references.
#[derive(Clone, Debug)]
pub struct Named {
    /// Recovered over a day ago and not yet in review, most overdue first.
    pub overdue_reviews: Vec<i64>,
    pub recurrences: Vec<RecurrenceIds>,
}

#[derive(Clone, Debug)]
pub struct RecurrenceIds {
    pub earlier: i64,
    pub later: i64,
    pub category: RootCauseCategory,
    pub service: String,
    pub fix_did_not_hold: bool,
}

/// Everything but what needs the database again (titles, alerts).
pub fn insights(
    data: &Dataset,
    view: &View,
    targets: &Targets,
    tz: Tz,
    now: DateTime<Utc>,
) -> (Insights, Named) {
    let rows: Vec<&Row> = data
        .between(view.from, view.to)
        .iter()
        .filter(|r| view.admits_kind(r))
        .collect();
    let mut overall = Acc::default();
    let mut by_severity: [Acc; 4] = Default::default();
    let mut by_service: HashMap<u32, Acc> = HashMap::new();
    let mut by_category: BTreeMap<RootCauseCategory, Acc> = BTreeMap::new();
    let mut by_period: BTreeMap<NaiveDate, (Acc, [u32; 4])> = BTreeMap::new();
    let mut start = period_start(view.from, view.period);
    while start <= view.to {
        by_period.insert(start, Default::default());
        start = next_period(start, view.period);
    }
    for r in &rows {
        overall.add(r, targets);
        by_severity[r.facts.severity as usize].add(r, targets);
        for s in &r.services {
            by_service.entry(*s).or_default().add(r, targets);
        }
        for c in &r.categories {
            by_category.entry(*c).or_default().add(r, targets);
        }
        let (acc, counts) = by_period
            .entry(period_start(r.day, view.period))
            .or_default();
        acc.add(r, targets);
        counts[r.facts.severity as usize] += 1;
    }
    let mut services: Vec<Group> = by_service
        .into_iter()
        .map(|(s, acc)| acc.group(data.services.name(s).to_owned()))
        .collect();
    services.sort_by(|a, b| b.incidents.cmp(&a.incidents).then(a.key.cmp(&b.key)));
    let mut categories: Vec<Group> = by_category
        .into_iter()
        .map(|(c, acc)| acc.group(c.as_str().to_owned()))
        .collect();
    categories.sort_by_key(|g| std::cmp::Reverse(g.incidents));
    let today = now.with_timezone(&tz).date_naive();
    let (reviews, overdue_reviews) = reviews(&rows, now);
    let insights = Insights {
        from: Some(view.from),
        to: Some(view.to),
        period: Some(view.period),
        targets: TargetSeconds {
            ttd: targets.ttd_seconds,
            ttr: targets.ttr_seconds,
        },
        overall: overall.group("all".into()),
        by_severity: Severity::ALL
            .iter()
            .zip(by_severity)
            .map(|(s, acc)| acc.group(s.as_str().into()))
            .collect(),
        by_service: services,
        by_category: categories,
        trend: by_period
            .into_iter()
            .map(|(start, (acc, by_severity))| PeriodRow {
                start,
                incidents: acc.incidents,
                by_severity,
                durations: acc.durations(),
            })
            .collect(),
        actions: follow_through(data, &rows, today, now),
        reviews,
        recurrences: Vec::new(),
        alert_noise: Vec::new(),
        // Read from the scenarios by the service, like the alert noise.
        adherence: Vec::new(),
    };
    let named = Named {
        overdue_reviews,
        recurrences: recurrences(data, view, LIST_MAX),
    };
    (insights, named)
}

/// What became of one action item, judged once for every group it counts in.
#[derive(Clone, Copy)]
enum Judged {
    Open {
        overdue: bool,
    },
    Done {
        on_time: Option<bool>,
        days: Option<f64>,
    },
    WontDo,
}

fn judge(a: &Action, r: &Row, today: NaiveDate, now: DateTime<Utc>) -> Judged {
    match a.status {
        ActionStatus::Open | ActionStatus::InProgress => Judged::Open {
            overdue: match a.due {
                Some(d) => d < today,
                None => a.deadline.is_some_and(|d| d < now),
            },
        },
        ActionStatus::Done => Judged::Done {
            on_time: a.done_at.zip(a.deadline).map(|(at, by)| at <= by),
            days: a
                .done_at
                .zip(r.clock_start())
                .map(|(at, start)| (at - start).num_seconds() as f64 / 86_400.0),
        },
        ActionStatus::WontDo => Judged::WontDo,
    }
}

#[derive(Default)]
struct ActionAcc {
    counts: FollowThrough,
    days: Vec<f64>,
}

impl ActionAcc {
    fn add(&mut self, j: Judged) {
        let c = &mut self.counts;
        c.total += 1;
        match j {
            Judged::Open { overdue } => {
                c.open += 1;
                c.overdue += u32::from(overdue);
            }
            Judged::Done { on_time, days } => {
                c.done += 1;
                match on_time {
                    Some(true) => c.done_on_time += 1,
                    Some(false) => c.done_late += 1,
                    None => c.done_not_judged += 1,
                }
                self.days.extend(days);
            }
            Judged::WontDo => c.wont_do += 1,
        }
    }

    fn finish(mut self, key: String) -> FollowThrough {
        self.counts.key = key;
        self.counts.median_days_to_done = quantile_of(&mut self.days, 0.5);
        self.counts
    }
}

fn follow_through(data: &Dataset, rows: &[&Row], today: NaiveDate, now: DateTime<Utc>) -> Actions {
    let mut all = ActionAcc::default();
    let mut by_owner: HashMap<u32, ActionAcc> = HashMap::new();
    let mut by_horizon: BTreeMap<Horizon, ActionAcc> = BTreeMap::new();
    for r in rows {
        for a in &r.actions {
            let j = judge(a, r, today, now);
            all.add(j);
            by_owner.entry(a.owner).or_default().add(j);
            by_horizon.entry(a.horizon).or_default().add(j);
        }
    }
    let mut owners: Vec<FollowThrough> = by_owner
        .into_iter()
        .map(|(o, acc)| acc.finish(data.owners.name(o).to_owned()))
        .collect();
    owners.sort_by(|a, b| b.total.cmp(&a.total).then(a.key.cmp(&b.key)));
    Actions {
        all: all.finish("all".into()),
        by_owner: owners,
        by_horizon: by_horizon
            .into_iter()
            .map(|(h, acc)| acc.finish(h.as_str().into()))
            .collect(),
    }
}

/// Review discipline, and the ids of incidents whose review is overdue now.
fn reviews(rows: &[&Row], now: DateTime<Utc>) -> (Reviews, Vec<i64>) {
    let mut out = Reviews::default();
    let mut overdue: Vec<(DateTime<Utc>, i64)> = Vec::new();
    for r in rows {
        let Some(recovered) = r.facts.recovered_at else {
            continue;
        };
        match r.reviewed_at {
            Some(at) => {
                out.due += 1;
                if at - recovered <= REVIEW_WITHIN {
                    out.in_time += 1;
                } else {
                    out.late += 1;
                }
            }
            None if now - recovered > REVIEW_WITHIN => {
                out.due += 1;
                overdue.push((recovered, r.facts.id));
            }
            None => {}
        }
    }
    overdue.sort();
    (out, overdue.into_iter().map(|(_, id)| id).collect())
}

/// Later incidents in view whose root-cause category and service repeat an earlier
/// incident's (any time before, of the same kinds the view admits): the newest `max`, newest
/// first. One walk through time, with the latest incident of each category and service kept in
/// a table indexed by both.
fn recurrences(data: &Dataset, view: &View, max: usize) -> Vec<RecurrenceIds> {
    let services = data.services.len();
    let mut last: Vec<Option<&Row>> = vec![None; RootCauseCategory::ALL.len() * services];
    let mut found: VecDeque<(&Row, &Row, RootCauseCategory, u32)> = VecDeque::new();
    for r in data.between(NaiveDate::MIN, view.to) {
        if !view.admits_kind(r) {
            continue;
        }
        let mut seen_earlier: Vec<i64> = Vec::new();
        for c in &r.categories {
            for s in &r.services {
                let slot = &mut last[*c as usize * services + *s as usize];
                if let Some(earlier) = slot.replace(r)
                    && r.day >= view.from
                    && !seen_earlier.contains(&earlier.facts.id)
                {
                    seen_earlier.push(earlier.facts.id);
                    if found.len() == max {
                        found.pop_front();
                    }
                    found.push_back((earlier, r, *c, *s));
                }
            }
        }
    }
    found
        .into_iter()
        .rev()
        .map(|(earlier, later, category, s)| RecurrenceIds {
            earlier: earlier.facts.id,
            later: later.facts.id,
            category,
            service: data.services.name(s).to_owned(),
            fix_did_not_hold: fix_was_done(earlier, later.facts.sort_at),
        })
        .collect()
}

/// Every action item of `earlier` was done (before `by`, where the time is known).
fn fix_was_done(earlier: &Row, by: DateTime<Utc>) -> bool {
    !earlier.actions.is_empty()
        && earlier
            .actions
            .iter()
            .all(|a| a.status == ActionStatus::Done && a.done_at.is_none_or(|at| at <= by))
}

/// The incidents behind `figure`, newest first.
pub fn behind(data: &Dataset, view: &View, figure: &Figure, targets: &Targets) -> Vec<i64> {
    let key = figure.key.as_deref().unwrap_or_default();
    let in_group = |r: &Row| match figure.breakdown {
        None => true,
        Some(Breakdown::Severity) => r.facts.severity.as_str() == key,
        Some(Breakdown::Service) => data
            .services
            .find(key)
            .is_some_and(|s| r.services.contains(&s)),
        Some(Breakdown::Category) => {
            RootCauseCategory::parse(key).is_some_and(|c| r.categories.contains(&c))
        }
        Some(Breakdown::Period) => NaiveDate::parse_from_str(key, "%Y-%m-%d")
            .is_ok_and(|d| period_start(r.day, view.period) == d),
    };
    let in_subset = |r: &Row| {
        let Some(m) = figure.measure else {
            return true;
        };
        let secs = r.seconds(m);
        let limit = target(m, r.facts.severity, targets);
        match figure.subset {
            Subset::All => true,
            Subset::Included => secs.is_some(),
            Subset::Excluded => secs.is_none(),
            Subset::Within => matches!((secs, limit), (Some(s), Some(l)) if s <= l),
            Subset::Breached => matches!((secs, limit), (Some(s), Some(l)) if s > l),
        }
    };
    // Rows are oldest first; the list is newest first.
    data.between(view.from, view.to)
        .iter()
        .rev()
        .filter(|r| view.admits_kind(r) && in_group(r) && in_subset(r))
        .map(|r| r.facts.id)
        .collect()
}

/// Each scenario stage's adherence across `followed` (incidents in view and their scenarios),
/// by scenario then in plan order.
pub fn adherence<'a>(
    followed: impl Iterator<Item = &'a app::domain::IncidentScenario>,
) -> Vec<app::domain::StageAdherence> {
    use app::domain::{Adherence, StageAdherence};
    let mut out: Vec<StageAdherence> = Vec::new();
    for f in followed {
        for st in &f.stages {
            let at = match out.iter().position(|a| {
                a.scenario_id == f.scenario_id
                    && a.stage == st.name
                    && a.within_minutes == st.within_minutes
            }) {
                Some(at) => at,
                None => {
                    out.push(StageAdherence {
                        scenario_id: f.scenario_id,
                        scenario: f.title.clone(),
                        stage: st.name.clone(),
                        within_minutes: st.within_minutes,
                        ..StageAdherence::default()
                    });
                    out.len() - 1
                }
            };
            let a = &mut out[at];
            match st.adherence {
                Adherence::Met => a.met += 1,
                Adherence::Missed => a.missed += 1,
                Adherence::Open => a.open += 1,
                Adherence::Unknown => a.unknown += 1,
            }
        }
    }
    // Scenarios in the order first seen would depend on link order: by scenario id instead,
    // stages kept in plan order (a stable sort).
    out.sort_by_key(|a| a.scenario_id);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }

    #[test]
    fn periods_start_on_monday_the_first_and_the_quarter() {
        // 2026-11-26 is a Thursday.
        assert_eq!(
            period_start(day("2026-11-26"), Period::Week),
            day("2026-11-23")
        );
        assert_eq!(
            period_start(day("2026-11-26"), Period::Month),
            day("2026-11-01")
        );
        assert_eq!(
            period_start(day("2026-11-26"), Period::Quarter),
            day("2026-10-01")
        );
        assert_eq!(
            previous_period(day("2026-01-01"), Period::Quarter),
            day("2025-10-01")
        );
    }

    #[test]
    fn selected_quantiles_equal_sorted_ones() {
        let mut v = vec![600.0, 60.0, 180.0, 120.0];
        assert_eq!(quantile_of(&mut v, 0.5), Some(150.0));
        let mut v = vec![600.0, 60.0, 180.0, 120.0];
        assert!((quantile_of(&mut v, 0.9).unwrap() - 474.0).abs() < 1e-9);
        let mut sorted: Vec<f64> = (0..97).map(|i| ((i * 37) % 101) as f64).collect();
        let mut shuffled = sorted.clone();
        sorted.sort_by(f64::total_cmp);
        for q in [0.0, 0.1, 0.5, 0.9, 0.99, 1.0] {
            assert_eq!(
                quantile_of(&mut shuffled, q),
                quantile(&sorted, q),
                "q = {q}"
            );
        }
        assert_eq!(quantile_of(&mut [], 0.5), None);
    }
}
