//! Time to detect and time to recover, and the seed report's targets for them.
//!
//! TTD = `detected_at − started_at`; TTR = `recovered_at − started_at`. An incident without both
//! timestamps has no value (not zero), so it cannot flatter a mean.

use serde::{Deserialize, Serialize};

use super::incident::Timestamps;
use super::status::Severity;

/// Targets in seconds. The seed sets MTTD ≤ 2 min and MTTR P0 15 min, P1 30 min, P2 60 min; it
/// names no P3 target, so that one is configuration (default 4 h).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Targets {
    pub ttd_seconds: i64,
    /// Indexed by severity: P0, P1, P2, P3.
    pub ttr_seconds: [i64; 4],
}

impl Default for Targets {
    fn default() -> Self {
        Self {
            ttd_seconds: 2 * 60,
            ttr_seconds: [15 * 60, 30 * 60, 60 * 60, 4 * 60 * 60],
        }
    }
}

impl Targets {
    pub fn ttr_for(&self, severity: Severity) -> i64 {
        self.ttr_seconds[severity as usize]
    }
}

/// The computed figures of one incident, next to the targets they are judged against.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct Metrics {
    pub ttd_seconds: Option<i64>,
    pub ttr_seconds: Option<i64>,
    pub ttd_target_seconds: i64,
    pub ttr_target_seconds: i64,
    /// TTD is known and over its target.
    pub ttd_breached: bool,
    /// TTR is known and over the target for the incident's severity.
    pub ttr_breached: bool,
}

impl Metrics {
    pub fn compute(times: &Timestamps, severity: Severity, targets: &Targets) -> Self {
        let since_start =
            |t: Option<chrono::DateTime<chrono::Utc>>| Some((t? - times.started_at?).num_seconds());
        let ttd = since_start(times.detected_at);
        let ttr = since_start(times.recovered_at);
        let ttr_target = targets.ttr_for(severity);
        Self {
            ttd_seconds: ttd,
            ttr_seconds: ttr,
            ttd_target_seconds: targets.ttd_seconds,
            ttr_target_seconds: ttr_target,
            ttd_breached: ttd.is_some_and(|s| s > targets.ttd_seconds),
            ttr_breached: ttr.is_some_and(|s| s > ttr_target),
        }
    }
}

/// Formats a duration the way responders say it: `45s`, `4m 05s`, `1h 02m`, `2d 3h`.
pub fn format_duration(seconds: i64) -> String {
    let sign = if seconds < 0 { "-" } else { "" };
    let s = seconds.unsigned_abs();
    let body = match s {
        0..60 => format!("{s}s"),
        60..3_600 => format!("{}m {:02}s", s / 60, s % 60),
        3_600..86_400 => format!("{}h {:02}m", s / 3_600, (s % 3_600) / 60),
        _ => format!("{}d {}h", s / 86_400, (s % 86_400) / 3_600),
    };
    format!("{sign}{body}")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::{Moment, Provenance};
    use chrono::{TimeZone, Utc};

    fn times(detect_min: Option<i64>, recover_min: Option<i64>) -> Timestamps {
        let start = Utc.with_ymd_and_hms(2025, 6, 6, 14, 0, 0).unwrap();
        let mut t = Timestamps::default();
        t.set(Moment::Started, Some(start), Some(Provenance::Alert));
        let plus = |m: i64| start + chrono::Duration::minutes(m);
        t.set(Moment::Detected, detect_min.map(plus), None);
        t.set(Moment::Recovered, recover_min.map(plus), None);
        t
    }

    #[test]
    fn ttd_and_ttr_are_measured_from_start() {
        let m = Metrics::compute(&times(Some(1), Some(14)), Severity::P0, &Targets::default());
        assert_eq!((m.ttd_seconds, m.ttr_seconds), (Some(60), Some(840)));
        assert!(!m.ttd_breached && !m.ttr_breached);
    }

    #[test]
    fn breach_uses_the_severity_target() {
        // 20 minutes to recover: over P0's 15, inside P1's 30.
        let t = times(Some(3), Some(20));
        let p0 = Metrics::compute(&t, Severity::P0, &Targets::default());
        let p1 = Metrics::compute(&t, Severity::P1, &Targets::default());
        assert!(
            p0.ttd_breached,
            "3 min to detect is over the 2 min MTTD target"
        );
        assert!(p0.ttr_breached);
        assert!(!p1.ttr_breached);
        assert_eq!((p0.ttr_target_seconds, p1.ttr_target_seconds), (900, 1800));
    }

    #[test]
    fn exactly_on_target_is_not_a_breach() {
        let m = Metrics::compute(&times(Some(2), Some(60)), Severity::P2, &Targets::default());
        assert!(!m.ttd_breached && !m.ttr_breached);
    }

    #[test]
    fn unknown_without_both_timestamps() {
        let mut t = times(Some(1), None);
        let m = Metrics::compute(&t, Severity::P1, &Targets::default());
        assert_eq!(
            (m.ttd_seconds, m.ttr_seconds, m.ttr_breached),
            (Some(60), None, false)
        );
        t.set(Moment::Started, None, None);
        assert_eq!(
            Metrics::compute(&t, Severity::P1, &Targets::default()).ttd_seconds,
            None
        );
    }

    #[test]
    fn durations_read_naturally() {
        assert_eq!(format_duration(45), "45s");
        assert_eq!(format_duration(245), "4m 05s");
        assert_eq!(format_duration(3_720), "1h 02m");
        assert_eq!(format_duration(97_200), "1d 3h");
    }
}
