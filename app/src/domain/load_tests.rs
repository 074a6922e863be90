//! Load-test runs as evidence: what a run measured, how two runs compare, and how runs relate
//! to incidents. Reading the summaries tools write is in [`super::summaries`].

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use super::ids::{IncidentId, LoadTestId};
use super::invalid::{Invalid, optional_text};

str_enum! {
    /// Which document a run was read from.
    SummaryFormat {
        /// k6's `handleSummary(data)`: `metrics.<name>.values`, thresholds with `ok`.
        K6Summary => "k6_summary",
        /// k6's `--summary-export`: values flat, thresholds `true` when they FAILED.
        K6Export => "k6_export",
        /// `coupon loadtest --summary-export`: the k6 export with a `coupon` section.
        CouponLoadtest => "coupon_loadtest",
    }
}

str_enum! {
    /// How a run relates to an incident.
    RunRelation {
        /// The run foresaw it (a failure scenario derived from it).
        PredictedBy => "predicted_by",
        /// The run made it happen again (a drill, a reproduction).
        ReproducedBy => "reproduced_by",
        /// The run showed the fix holds.
        VerifiedFix => "verified_fix",
    }
}

/// What a run measured. A figure its document does not carry is `None`, never worked out
/// from others.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct Figures {
    pub vus_max: Option<f64>,
    pub duration_seconds: Option<f64>,
    pub requests: Option<f64>,
    pub rps: Option<f64>,
    pub p50_ms: Option<f64>,
    pub p90_ms: Option<f64>,
    pub p95_ms: Option<f64>,
    pub p99_ms: Option<f64>,
    pub max_ms: Option<f64>,
    /// Failed requests' share, 0–1.
    pub error_rate: Option<f64>,
    pub checks_passed: Option<f64>,
    pub checks_failed: Option<f64>,
    /// Cache lookups that hit, 0–1 (coupon loadtest).
    pub cache_hit_rate: Option<f64>,
    pub coupons_issued: Option<f64>,
    pub stock: Option<f64>,
}

/// One threshold of a run and whether it held.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct Threshold {
    pub metric: String,
    /// As written in the test, e.g. `p(95)<500`.
    pub expression: String,
    pub passed: bool,
}

/// One named check and how often it passed and failed.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct Check {
    pub name: String,
    pub passes: f64,
    pub fails: f64,
}

/// One second of a run (when the tool reports a series).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct SeriesPoint {
    /// Seconds since the run began.
    pub second: f64,
    pub rps: Option<f64>,
    pub errors: Option<f64>,
    pub p50_ms: Option<f64>,
    pub p99_ms: Option<f64>,
}

/// What is known about a run besides its document.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct RunMeta {
    #[serde(default)]
    pub name: String,
    #[serde(default)]
    pub scenario: String,
    #[serde(default)]
    pub services: Vec<String>,
    #[serde(default)]
    pub environment: String,
    #[serde(default)]
    pub started_at: Option<DateTime<Utc>>,
    /// A version or git ref of what was tested.
    #[serde(default)]
    pub version: String,
    #[serde(default)]
    pub notes: String,
}

pub const RUN_TEXT_MAX: usize = 200;
pub const RUN_NOTES_MAX: usize = 10_000;

impl RunMeta {
    pub fn validated(self) -> Result<Self, Invalid> {
        let mut services: Vec<String> = Vec::new();
        if self.services.len() > super::SERVICES_MAX {
            return Err(Invalid::new(
                "services",
                super::Problem::TooMany {
                    max: super::SERVICES_MAX,
                },
            ));
        }
        for (i, s) in self.services.iter().enumerate() {
            let s = optional_text(&format!("services[{i}]"), s, super::SERVICE_MAX)?.to_lowercase();
            if !s.is_empty() && !services.contains(&s) {
                services.push(s);
            }
        }
        Ok(Self {
            name: optional_text("name", &self.name, RUN_TEXT_MAX)?,
            scenario: optional_text("scenario", &self.scenario, RUN_TEXT_MAX)?,
            services,
            environment: optional_text("environment", &self.environment, RUN_TEXT_MAX)?,
            started_at: self.started_at,
            version: optional_text("version", &self.version, RUN_TEXT_MAX)?,
            notes: optional_text("notes", &self.notes, RUN_NOTES_MAX)?,
        })
    }
}

/// An incident a run is linked to.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct RunLink {
    pub incident_id: IncidentId,
    pub incident_title: String,
    pub relation: RunRelation,
}

/// A stored run.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct LoadTestRun {
    pub id: LoadTestId,
    pub meta: RunMeta,
    pub format: SummaryFormat,
    pub figures: Figures,
    pub thresholds: Vec<Threshold>,
    pub checks: Vec<Check>,
    pub series: Vec<SeriesPoint>,
    /// Its thresholds all held (or, without thresholds, no check failed); `None` when the
    /// document has neither.
    pub passed: Option<bool>,
    pub created_at: DateTime<Utc>,
    pub created_by: String,
    pub links: Vec<RunLink>,
}

impl LoadTestRun {
    /// A name to show: its own, else its scenario, else its number.
    pub fn title(&self) -> String {
        [&self.meta.name, &self.meta.scenario]
            .into_iter()
            .find(|s| !s.is_empty())
            .cloned()
            .unwrap_or_else(|| format!("run {}", self.id))
    }

    /// When it ran: as stated, else when it was filed.
    pub fn when(&self) -> DateTime<Utc> {
        self.meta.started_at.unwrap_or(self.created_at)
    }
}

/// The verdict of a run: its thresholds, or without any its checks.
pub fn verdict(thresholds: &[Threshold], figures: &Figures) -> Option<bool> {
    if !thresholds.is_empty() {
        return Some(thresholds.iter().all(|t| t.passed));
    }
    match (figures.checks_passed, figures.checks_failed) {
        (_, Some(failed)) => Some(failed == 0.0),
        (Some(_), None) => Some(true),
        _ => None,
    }
}

/// A run linked to an incident, as the incident shows it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct IncidentRun {
    pub run: LoadTestId,
    pub title: String,
    pub relation: RunRelation,
    pub passed: Option<bool>,
    pub rps: Option<f64>,
    pub p99_ms: Option<f64>,
    pub when: DateTime<Utc>,
}

/// A service's validated capacity: its latest passing run of a scenario.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct Capacity {
    pub service: String,
    pub scenario: String,
    pub run: LoadTestId,
    pub rps: Option<f64>,
    pub p99_ms: Option<f64>,
    pub when: DateTime<Utc>,
}

/// How a figure moved from the baseline to the candidate.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct FigureDelta {
    /// The figure's field name in [`Figures`], e.g. `p99_ms`.
    pub figure: String,
    pub baseline: f64,
    pub candidate: f64,
    pub delta: f64,
    /// Relative to the baseline; `None` when the baseline is 0.
    pub change: Option<f64>,
    pub regression: bool,
}

/// Two runs side by side.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct Comparison {
    pub baseline: LoadTestRun,
    pub candidate: LoadTestRun,
    /// Every figure both runs carry.
    pub figures: Vec<FigureDelta>,
    /// Thresholds that held in the baseline and fail in the candidate (by metric and
    /// expression), or fail only in the candidate.
    pub newly_failing: Vec<Threshold>,
    pub regressed: bool,
}

/// How much worse p99 may get before a comparison calls it a regression.
pub const P99_TOLERANCE: f64 = 0.10;
/// An error rate this much higher (absolute) is a regression.
pub const ERROR_RATE_TOLERANCE: f64 = 0.001;

/// Compares `candidate` with `baseline`: tail latency up more than [`P99_TOLERANCE`], the error
/// rate up more than [`ERROR_RATE_TOLERANCE`], or a threshold newly failing is a regression.
/// Tail latency is p99 when both runs have it, else the highest percentile they share (k6's
/// `--summary-export` writes p90 and p95 only unless told otherwise), so such runs still compare.
pub fn compare(baseline: LoadTestRun, candidate: LoadTestRun) -> Comparison {
    let b = &baseline.figures;
    let c = &candidate.figures;
    let tail = [
        ("p99_ms", b.p99_ms, c.p99_ms),
        ("p95_ms", b.p95_ms, c.p95_ms),
        ("p90_ms", b.p90_ms, c.p90_ms),
    ]
    .into_iter()
    .find(|(_, b, c)| b.is_some() && c.is_some())
    .map(|(name, _, _)| name);
    let pairs: [(&str, Option<f64>, Option<f64>); 15] = [
        ("vus_max", b.vus_max, c.vus_max),
        ("duration_seconds", b.duration_seconds, c.duration_seconds),
        ("requests", b.requests, c.requests),
        ("rps", b.rps, c.rps),
        ("p50_ms", b.p50_ms, c.p50_ms),
        ("p90_ms", b.p90_ms, c.p90_ms),
        ("p95_ms", b.p95_ms, c.p95_ms),
        ("p99_ms", b.p99_ms, c.p99_ms),
        ("max_ms", b.max_ms, c.max_ms),
        ("error_rate", b.error_rate, c.error_rate),
        ("checks_passed", b.checks_passed, c.checks_passed),
        ("checks_failed", b.checks_failed, c.checks_failed),
        ("cache_hit_rate", b.cache_hit_rate, c.cache_hit_rate),
        ("coupons_issued", b.coupons_issued, c.coupons_issued),
        ("stock", b.stock, c.stock),
    ];
    let figures: Vec<FigureDelta> = pairs
        .into_iter()
        .filter_map(|(name, b, c)| {
            let (b, c) = (b?, c?);
            let change = (b != 0.0).then(|| (c - b) / b);
            let regression = match name {
                _ if Some(name) == tail => change.is_some_and(|r| r > P99_TOLERANCE),
                "error_rate" => c - b > ERROR_RATE_TOLERANCE,
                _ => false,
            };
            Some(FigureDelta {
                figure: name.into(),
                baseline: b,
                candidate: c,
                delta: c - b,
                change,
                regression,
            })
        })
        .collect();
    let newly_failing: Vec<Threshold> = candidate
        .thresholds
        .iter()
        .filter(|t| !t.passed)
        .filter(|t| {
            !baseline
                .thresholds
                .iter()
                .any(|o| o.metric == t.metric && o.expression == t.expression && !o.passed)
        })
        .cloned()
        .collect();
    let regressed = !newly_failing.is_empty() || figures.iter().any(|f| f.regression);
    Comparison {
        baseline,
        candidate,
        figures,
        newly_failing,
        regressed,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn run(p95: f64, p99: Option<f64>) -> LoadTestRun {
        LoadTestRun {
            id: LoadTestId::from(1),
            meta: RunMeta::default(),
            format: SummaryFormat::K6Export,
            figures: Figures {
                p95_ms: Some(p95),
                p99_ms: p99,
                ..Figures::default()
            },
            thresholds: Vec::new(),
            checks: Vec::new(),
            series: Vec::new(),
            passed: None,
            created_at: DateTime::UNIX_EPOCH,
            created_by: String::new(),
            links: Vec::new(),
        }
    }

    fn flagged(c: &Comparison) -> Vec<&str> {
        c.figures
            .iter()
            .filter(|f| f.regression)
            .map(|f| f.figure.as_str())
            .collect()
    }

    #[test]
    fn tail_latency_is_p99_when_both_runs_have_it() {
        // p95 tripled but p99 held within 10 %: p99 decides.
        let c = compare(run(10.0, Some(100.0)), run(30.0, Some(109.0)));
        assert!(!c.regressed);
        let c = compare(run(10.0, Some(100.0)), run(10.0, Some(111.0)));
        assert_eq!(flagged(&c), ["p99_ms"]);
    }

    #[test]
    fn without_p99_on_both_sides_p95_is_the_tail() {
        let c = compare(run(10.0, Some(100.0)), run(12.0, None));
        assert_eq!(flagged(&c), ["p95_ms"]);
        assert!(c.regressed);
        let c = compare(run(10.0, None), run(10.5, None));
        assert!(!c.regressed);
    }
}
