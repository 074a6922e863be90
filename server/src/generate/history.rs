//! When things happened in a synthetic incident: the five timestamps, the status they lead
//! to, the review and each action item's life. Durations are log-normal, as response times
//! are in practice (most incidents are handled quickly, a few take many times longer), so
//! means and medians differ the way they do in real data and the insights' p90s have a tail
//! to show. Nothing happens after `now`: a recent incident is still open, its review not yet
//! held, its action items not yet done.

use app::domain::{ActionStatus, Horizon, Moment, Provenance, Severity, Status, Timestamps};
use chrono::{DateTime, Duration, NaiveDate, Utc};

use super::pick;

/// The generated incidents spread evenly over this many days before `now`.
pub const SPAN_DAYS: i64 = 3 * 365;

/// A log-normal duration: `median` seconds, spread `sigma` (the standard deviation of its
/// logarithm), from two deterministic uniforms (Box–Muller).
fn log_normal(n: usize, salt: usize, median: f64, sigma: f64) -> Duration {
    const STEPS: usize = 1_000_000;
    let u1 = (pick(n, salt, STEPS) as f64 + 0.5) / STEPS as f64;
    let u2 = (pick(n, salt + 1, STEPS) as f64 + 0.5) / STEPS as f64;
    let z = (-2.0 * u1.ln()).sqrt() * (std::f64::consts::TAU * u2).cos();
    Duration::seconds((median * (sigma * z).exp()).round().max(1.0) as i64)
}

/// `true` in `percent` of incidents.
fn chance(n: usize, salt: usize, percent: usize) -> bool {
    pick(n, salt, 100) < percent
}

/// Mostly low severities, as in real incident logs: P0 5 %, P1 15 %, P2 35 %, P3 45 %.
pub fn severity(n: usize) -> Severity {
    match pick(n, 6, 100) {
        0..5 => Severity::P0,
        5..20 => Severity::P1,
        20..55 => Severity::P2,
        _ => Severity::P3,
    }
}

/// The incident's life as far as `now`.
pub struct Life {
    pub times: Timestamps,
    pub status: Status,
    /// When it reached `in_review`, if it has.
    pub reviewed_at: Option<DateTime<Utc>>,
    /// Where its action items' clocks start: detection.
    pub detected_at: DateTime<Utc>,
}

/// Incident `n` of `total`, started at an even step through the last [`SPAN_DAYS`] days.
pub fn life(n: usize, total: usize, severity: Severity, now: DateTime<Utc>) -> Life {
    let step = SPAN_DAYS * 86_400 / total.max(1) as i64;
    let start = now - Duration::days(SPAN_DAYS)
        + Duration::seconds(step * n as i64 + pick(n, 90, step.max(1) as usize) as i64);
    // Alerts catch most incidents within a couple of minutes; some are found by customers.
    let detected = start + log_normal(n, 91, 100.0, 1.0);
    let acknowledged = detected + log_normal(n, 93, 180.0, 0.9);
    let ttr_median = match severity {
        Severity::P0 => 20.0 * 60.0,
        Severity::P1 => 35.0 * 60.0,
        Severity::P2 => 75.0 * 60.0,
        Severity::P3 => 180.0 * 60.0,
    };
    let recovered = (start + log_normal(n, 95, ttr_median, 0.9)).max(acknowledged);
    // Two in three reviews are held within a day of recovery; some never are.
    let reviewed = (!chance(n, 97, 7)).then(|| recovered + log_normal(n, 98, 16.0 * 3600.0, 1.0));
    let resolved = reviewed.map(|r| r + log_normal(n, 100, 5.0 * 86_400.0, 0.7));

    let happened = |at: DateTime<Utc>| (at <= now).then_some(at);
    let mut times = Timestamps::default();
    // A few postmortems never say when impact began, some never who took it on.
    let started = (!chance(n, 102, 2)).then_some(start);
    times.set(Moment::Started, started, started.map(|_| Provenance::Alert));
    let detected_at = happened(detected);
    times.set(
        Moment::Detected,
        detected_at,
        detected_at.map(|_| Provenance::Alert),
    );
    let acked = happened(acknowledged).filter(|_| !chance(n, 103, 12));
    times.set(
        Moment::Acknowledged,
        acked,
        acked.map(|_| Provenance::Manual),
    );
    let recovered_at = happened(recovered);
    times.set(
        Moment::Recovered,
        recovered_at,
        recovered_at.map(|_| Provenance::Manual),
    );
    let reviewed_at = reviewed.and_then(happened);
    let resolved_at = resolved.and_then(happened);
    times.set(
        Moment::Resolved,
        resolved_at,
        resolved_at.map(|_| Provenance::Manual),
    );
    let status = if resolved_at.is_some() {
        Status::Closed
    } else if reviewed_at.is_some() {
        Status::InReview
    } else if recovered_at.is_some() {
        Status::Recovered
    } else if acked.is_some() {
        Status::Mitigating
    } else {
        Status::Detected
    };
    Life {
        times,
        status,
        reviewed_at,
        detected_at: detected,
    }
}

/// One action item's horizon, status, due day and completion.
pub struct Plan {
    pub horizon: Horizon,
    pub status: ActionStatus,
    pub due: NaiveDate,
    pub done_at: Option<DateTime<Utc>>,
}

/// How many action items incident `n` has: one to five.
pub fn action_count(n: usize) -> usize {
    1 + pick(n, 50, 5)
}

/// Action item `i` of incident `n`, whose clock starts at `from`: immediate items are done
/// within the hour, short-term ones within days, long-term ones within weeks, and some
/// long-term ones are forgotten (still open, overdue).
pub fn action(n: usize, i: usize, from: DateTime<Utc>, now: DateTime<Utc>) -> Plan {
    let salt = 200 + i * 10;
    let (horizon, due_days, median, forgotten) = match pick(n, salt, 10) {
        0..3 => (Horizon::Immediate, 0, 40.0 * 60.0, 0),
        3..7 => (Horizon::ShortTerm, 2, 30.0 * 3600.0, 3),
        _ => (Horizon::LongTerm, 28, 21.0 * 86_400.0, 12),
    };
    let due = (from + Duration::days(due_days)).date_naive();
    if chance(n, salt + 1, 4) {
        return Plan {
            horizon,
            status: ActionStatus::WontDo,
            due,
            done_at: None,
        };
    }
    let done = from + log_normal(n, salt + 2, median, 0.9);
    let (status, done_at) = match (chance(n, salt + 4, forgotten), done <= now) {
        (false, true) => (ActionStatus::Done, Some(done)),
        _ if chance(n, salt + 5, 50) => (ActionStatus::InProgress, None),
        _ => (ActionStatus::Open, None),
    };
    Plan {
        horizon,
        status,
        due,
        done_at,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn now() -> DateTime<Utc> {
        "2026-12-01T09:00:00Z".parse().unwrap()
    }

    #[test]
    fn times_keep_their_order_and_nothing_happens_after_now() {
        for n in 0..2_000 {
            let l = life(n, 2_000, severity(n), now());
            let t = l.times.clone();
            assert!(t.clone().normalized().is_ok(), "incident {n}: {t:?}");
            for m in Moment::ALL {
                assert!(
                    t.get(m).0.is_none_or(|at| at <= now()),
                    "incident {n} {m:?}"
                );
            }
            assert!(l.reviewed_at.is_none_or(|r| r <= now()));
            // Status follows the timestamps.
            assert_eq!(
                matches!(
                    l.status,
                    Status::Recovered | Status::InReview | Status::Closed
                ),
                t.recovered_at.is_some(),
                "incident {n}"
            );
        }
    }

    #[test]
    fn durations_are_skewed_like_real_ones() {
        let total = 10_000;
        let mut ttd: Vec<i64> = (0..total)
            .filter_map(|n| {
                let t = life(n, total, severity(n), now()).times;
                Some((t.detected_at? - t.started_at?).num_seconds())
            })
            .collect();
        ttd.sort();
        let median = ttd[ttd.len() / 2];
        let mean = ttd.iter().sum::<i64>() / ttd.len() as i64;
        // Median near the chosen 100 s, and the mean pulled well above it by the tail.
        assert!((85..=115).contains(&median), "median {median}");
        assert!(mean > median * 3 / 2, "mean {mean}, median {median}");
        // Some started times are missing, so some TTDs are excluded, but few.
        assert!(
            ttd.len() > total * 95 / 100 && ttd.len() < total,
            "{}",
            ttd.len()
        );
    }

    #[test]
    fn severities_and_action_items_have_the_stated_mix() {
        let p0 = (0..10_000).filter(|n| severity(*n) == Severity::P0).count();
        assert!((400..600).contains(&p0), "{p0}");
        let from = now() - Duration::days(400);
        let plans: Vec<Plan> = (0..3_000).map(|n| action(n, 0, from, now())).collect();
        let open_long = plans
            .iter()
            .filter(|p| p.horizon == Horizon::LongTerm && p.status.is_open())
            .count();
        let long = plans
            .iter()
            .filter(|p| p.horizon == Horizon::LongTerm)
            .count();
        // A year on, the forgotten long-term items (about one in eight) are still open.
        assert!(open_long * 100 / long >= 8 && open_long * 100 / long <= 16);
        assert!(
            plans
                .iter()
                .all(|p| p.done_at.is_some() == (p.status == ActionStatus::Done))
        );
    }
}
