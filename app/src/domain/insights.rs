//! Insights for managers: TTD/TTA/TTR against targets, incidents per period, follow-through
//! on action items, review discipline, recurring causes and alert noise.
//!
//! These are the answer's types; the server computes them (`server/src/insights`).
//!
//! Definitions, as the page states them:
//! - **TTD, TTA, TTR**: detected, acknowledged and recovered, each minus `started_at`. An
//!   incident missing either timestamp is left out of that figure and counted as excluded.
//! - **Median and p90**: linear interpolation between the two nearest ranks (numpy's default,
//!   Excel's `PERCENTILE.INC`): for sorted values `x[0..n]`, `p(q) = x[i] + f·(x[i+1] − x[i])`
//!   where `i + f = q·(n − 1)`.
//! - **Within target**: TTD ≤ the TTD target; TTR ≤ the target for the incident's severity.
//!   TTA has no target.
//! - **Periods** begin on Monday (weeks), the 1st (months) and January, April, July, October
//!   (quarters), in the display time zone, by when impact started.

use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};

use super::action_item::Horizon;
use super::five_why::RootCauseCategory;
use super::ids::IncidentId;
use super::status::Severity;

str_enum! {
    /// How the trend is grouped.
    Period {
        Week => "week",
        Month => "month",
        Quarter => "quarter",
    }
}

str_enum! {
    /// Drills in the figures: left out (the default: they are not real incidents), in, or
    /// alone.
    Drills {
        Exclude => "exclude",
        Include => "include",
        Only => "only",
    }
}

str_enum! {
    /// A duration figure.
    Measure {
        /// Time to detect: detected − started.
        Ttd => "ttd",
        /// Time to acknowledge: acknowledged − started.
        Tta => "tta",
        /// Time to recover: recovered − started.
        Ttr => "ttr",
    }
}

str_enum! {
    /// How incidents are grouped in a breakdown.
    Breakdown {
        Severity => "severity",
        Service => "service",
        Category => "category",
        Period => "period",
    }
}

str_enum! {
    /// Which incidents of a figure to list.
    Subset {
        /// Every incident in the group.
        All => "all",
        /// Those the figure is computed from.
        Included => "included",
        /// Those left out for a missing timestamp.
        Excluded => "excluded",
        /// Those within the target.
        Within => "within",
        /// Those over the target.
        Breached => "breached",
    }
}

str_enum! {
    /// A table of the insights as CSV.
    CsvTable {
        /// A row per group of every breakdown, with TTD, TTA and TTR.
        Durations => "durations",
        /// Action-item follow-through, a row per owner and per horizon.
        Actions => "actions",
    }
}

/// One duration figure over a group of incidents.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct Stat {
    /// Incidents with both timestamps.
    pub included: u32,
    /// Incidents missing one of them.
    pub excluded: u32,
    pub mean_seconds: Option<f64>,
    pub median_seconds: Option<f64>,
    pub p90_seconds: Option<f64>,
    /// Included incidents within their target; `None` for a figure without a target (TTA).
    pub within_target: Option<u32>,
    /// Included incidents over their target.
    pub breached: Option<u32>,
}

impl Stat {
    /// The share of included incidents within target, 0–1.
    pub fn within_share(&self) -> Option<f64> {
        let within = self.within_target?;
        (self.included > 0).then(|| f64::from(within) / f64::from(self.included))
    }

    /// The mean is more than twice the median: a few long incidents pull it up, so the
    /// median says more about a typical one.
    pub fn skewed(&self) -> bool {
        matches!((self.mean_seconds, self.median_seconds), (Some(m), Some(d)) if d > 0.0 && m > 2.0 * d)
    }
}

/// The three duration figures of a group.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct Durations {
    pub ttd: Stat,
    pub tta: Stat,
    pub ttr: Stat,
}

impl Durations {
    pub fn get(&self, m: Measure) -> &Stat {
        match m {
            Measure::Ttd => &self.ttd,
            Measure::Tta => &self.tta,
            Measure::Ttr => &self.ttr,
        }
    }
}

/// A group of a breakdown: its key (`P1`, a service, a category's spelling, or a period's
/// first day) and its figures.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct Group {
    pub key: String,
    pub incidents: u32,
    #[serde(flatten)]
    pub durations: Durations,
}

/// Incidents of one period, by severity.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct PeriodRow {
    /// The period's first day.
    pub start: NaiveDate,
    pub incidents: u32,
    /// Counts for P0, P1, P2, P3.
    pub by_severity: [u32; 4],
    #[serde(flatten)]
    pub durations: Durations,
}

/// Action items of a group (all of them, an owner, or a horizon).
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct FollowThrough {
    pub key: String,
    pub total: u32,
    /// Open or in progress.
    pub open: u32,
    /// Open and past due; an undated item, past its horizon's allowance after the incident's
    /// detection ([`horizon_allowance_seconds`]).
    pub overdue: u32,
    pub done: u32,
    pub done_on_time: u32,
    pub done_late: u32,
    /// Done, but without when (done before hoego kept it) or without a deadline to judge by
    /// (no due date and an incident without detection or start time).
    pub done_not_judged: u32,
    pub wont_do: u32,
    /// Median days from the incident's detection to done (items with a known time).
    pub median_days_to_done: Option<f64>,
}

/// Action items across the incidents in view.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct Actions {
    pub all: FollowThrough,
    pub by_owner: Vec<FollowThrough>,
    pub by_horizon: Vec<FollowThrough>,
}

/// An incident named in a list.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct IncidentRef {
    pub id: IncidentId,
    pub title: String,
    pub severity: Severity,
    pub started_at: Option<DateTime<Utc>>,
    pub drill: bool,
}

/// The seed's rule: the postmortem review begins within 24 hours of recovery.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct Reviews {
    /// Recovered incidents in view whose 24 hours have passed (or that reached review).
    pub due: u32,
    /// Of those, reached `in_review` (or `closed`) within 24 h of recovery.
    pub in_time: u32,
    /// Reached it later.
    pub late: u32,
    /// Recovered more than 24 h ago and still not in review: overdue now.
    pub overdue_now: Vec<IncidentRef>,
}

impl Reviews {
    pub fn in_time_share(&self) -> Option<f64> {
        (self.due > 0).then(|| f64::from(self.in_time) / f64::from(self.due))
    }
}

/// A later incident with the same root-cause category and service as an earlier one.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct Recurrence {
    pub earlier: IncidentRef,
    pub later: IncidentRef,
    pub category: RootCauseCategory,
    pub service: String,
    /// Every action item of the earlier incident was done before the later one started:
    /// the fix did not hold.
    pub fix_did_not_hold: bool,
}

/// Alerts of one rule (alert name) in the period, and how many became part of an incident.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct AlertNoise {
    pub alertname: String,
    pub alerts: u32,
    pub linked: u32,
    /// Opened no incident and joined none.
    pub unlinked: u32,
}

/// The targets the figures are judged against.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct TargetSeconds {
    pub ttd: i64,
    /// P0, P1, P2, P3.
    pub ttr: [i64; 4],
}

/// Everything `/insights` shows.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct Insights {
    /// The first and last day in view (display zone), as applied.
    pub from: Option<NaiveDate>,
    pub to: Option<NaiveDate>,
    pub period: Option<Period>,
    pub targets: TargetSeconds,
    /// Every incident in view.
    pub overall: Group,
    pub by_severity: Vec<Group>,
    pub by_service: Vec<Group>,
    pub by_category: Vec<Group>,
    pub trend: Vec<PeriodRow>,
    pub actions: Actions,
    pub reviews: Reviews,
    pub recurrences: Vec<Recurrence>,
    pub alert_noise: Vec<AlertNoise>,
    /// How incidents in view followed their scenarios' plans, per scenario and stage.
    #[serde(default)]
    pub adherence: Vec<StageAdherence>,
}

/// One stage of a scenario's plan across the incidents in view that followed it.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct StageAdherence {
    pub scenario_id: super::ids::ScenarioId,
    pub scenario: String,
    pub stage: String,
    pub within_minutes: u32,
    /// Incidents that did every step by the deadline.
    pub met: u32,
    pub missed: u32,
    /// Deadline not yet passed, a step still open.
    pub open: u32,
    /// No detection time to count from.
    pub unknown: u32,
}

impl StageAdherence {
    /// Met among those judged (met or missed); `None` before any was.
    pub fn share_met(&self) -> Option<f64> {
        let judged = self.met + self.missed;
        (judged > 0).then(|| f64::from(self.met) / f64::from(judged))
    }
}

/// The days an action item of each horizon is expected to take, counted from the incident's
/// detection, when it has no due date: the seed's 즉시 (minutes), 단기 (hours) and 중장기
/// (weeks), at their far ends: 10 minutes, 1 hour, 2 weeks.
pub fn horizon_allowance_seconds(h: Horizon) -> i64 {
    match h {
        Horizon::Immediate => 10 * 60,
        Horizon::ShortTerm => 60 * 60,
        Horizon::LongTerm => 14 * 24 * 60 * 60,
    }
}

/// The `q`-quantile (0–1) of `sorted` values, interpolated linearly between the two nearest
/// ranks; `None` for no values.
pub fn quantile(sorted: &[f64], q: f64) -> Option<f64> {
    let last = sorted.len().checked_sub(1)?;
    let pos = q.clamp(0.0, 1.0) * last as f64;
    let i = pos.floor() as usize;
    let f = pos - i as f64;
    let lo = sorted[i];
    Some(match sorted.get(i + 1) {
        Some(hi) if f > 0.0 => lo + f * (hi - lo),
        _ => lo,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quantiles_interpolate_between_ranks() {
        let v = [60.0, 120.0, 180.0, 600.0];
        assert_eq!(quantile(&v, 0.5), Some(150.0));
        // 0.9 × 3 = 2.7: 180 + 0.7 × (600 − 180) = 474.
        assert!((quantile(&v, 0.9).unwrap() - 474.0).abs() < 1e-9);
        assert_eq!(quantile(&v, 1.0), Some(600.0));
        assert_eq!(quantile(&[42.0], 0.9), Some(42.0));
        assert_eq!(quantile(&[], 0.5), None);
    }

    #[test]
    fn skew_is_a_mean_over_twice_the_median() {
        let s = Stat {
            mean_seconds: Some(700.0),
            median_seconds: Some(300.0),
            ..Stat::default()
        };
        assert!(s.skewed());
        let s = Stat {
            mean_seconds: Some(500.0),
            ..s
        };
        assert!(!s.skewed());
    }
}
