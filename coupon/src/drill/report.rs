//! What a drill found: the stages from the fault to the incident and back, with their times;
//! the alerts that fired; whether the scenario's expected alerts reached hoego and nothing
//! unexpected fired at critical. Printed for a person, written as JSON for scripts.

use std::fmt::Write;

use chrono::{DateTime, Utc};
use serde::Serialize;

use super::hoego::Posted;
use super::scenario::Scenario;

/// A stage of the drill, in the order they happen.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum StageKind {
    /// The fault endpoints were called (the first request was sent).
    FaultInjected,
    /// Prometheus: the detecting alert's condition started to hold (its `activeAt`).
    AlertPending,
    /// Prometheus: it fired (its `startsAt` as hoego received it).
    AlertFiring,
    /// hoego received it from Alertmanager.
    WebhookReceived,
    /// hoego opened the incident.
    IncidentOpened,
    /// The fault endpoints answered that the faults were lifted.
    FaultRemoved,
    /// hoego received the last resolution of the incident's alerts.
    Resolved,
}

impl StageKind {
    pub fn label(self) -> &'static str {
        match self {
            StageKind::FaultInjected => "fault injected",
            StageKind::AlertPending => "alert pending",
            StageKind::AlertFiring => "alert firing",
            StageKind::WebhookReceived => "webhook received",
            StageKind::IncidentOpened => "incident opened",
            StageKind::FaultRemoved => "fault removed",
            StageKind::Resolved => "resolved",
        }
    }

    pub fn label_ko(self) -> &'static str {
        match self {
            StageKind::FaultInjected => "장애 주입",
            StageKind::AlertPending => "알림 대기(pending)",
            StageKind::AlertFiring => "알림 발생(firing)",
            StageKind::WebhookReceived => "웹훅 수신",
            StageKind::IncidentOpened => "인시던트 생성",
            StageKind::FaultRemoved => "장애 제거",
            StageKind::Resolved => "알림 해제",
        }
    }
}

#[derive(Debug, Clone, Serialize)]
pub struct Stage {
    pub kind: StageKind,
    pub at: DateTime<Utc>,
    /// What happened, e.g. the alert's name.
    pub detail: String,
}

/// An alert that fired during the drill (in Prometheus, in hoego, or both).
#[derive(Debug, Clone, Serialize)]
pub struct FiredAlert {
    pub name: String,
    pub severity: String,
    pub priority: String,
    pub scenario: String,
    /// Prometheus: when its condition started to hold.
    pub pending_at: Option<DateTime<Utc>>,
    /// When it fired (hoego's `starts_at`, else when the drill first saw it firing).
    pub firing_at: Option<DateTime<Utc>>,
    /// When hoego received it (`None`: Alertmanager held it back, e.g. inhibited by its
    /// critical).
    pub received_at: Option<DateTime<Utc>>,
    /// When hoego received its resolution.
    pub resolved_at: Option<DateTime<Utc>>,
}

/// One scenario's drill.
#[derive(Debug, Clone, Serialize)]
pub struct ScenarioReport {
    pub scenario: Scenario,
    pub fault: &'static str,
    pub incident_id: i64,
    pub incident_title: String,
    pub incident_severity: String,
    /// The incident's `drill` flag, as hoego has it after the drill.
    pub drill: bool,
    /// The incident's `started_at`, set by the drill to the injection time.
    pub injected_at: DateTime<Utc>,
    /// The incident's `detected_at`.
    pub detected_at: DateTime<Utc>,
    /// Fault → incident, `detected_at − injected_at`, in milliseconds.
    pub ttd_ms: i64,
    /// hoego's TTD (whole seconds) after the drill set `started_at`.
    pub ttd_seconds: Option<i64>,
    pub stages: Vec<Stage>,
    pub alerts: Vec<FiredAlert>,
    pub expected: Vec<String>,
    /// Expected alerts that did not reach the incident.
    pub missing: Vec<String>,
    /// Critical alerts that fired with another scenario's label.
    pub unexpected_critical: Vec<String>,
    /// The load-test runs posted to hoego, by name.
    pub load_tests: Vec<(String, Posted)>,
    pub passed: bool,
}

impl ScenarioReport {
    /// The stage's time, if it was recorded.
    pub fn at(&self, kind: StageKind) -> Option<DateTime<Utc>> {
        self.stages.iter().find(|s| s.kind == kind).map(|s| s.at)
    }
}

fn secs(from: DateTime<Utc>, to: DateTime<Utc>) -> f64 {
    (to - from).num_milliseconds() as f64 / 1000.0
}

fn since(from: DateTime<Utc>, to: Option<DateTime<Utc>>) -> String {
    match to {
        Some(to) => format!("+{:.1} s", secs(from, to)),
        None => "—".to_owned(),
    }
}

/// The report as text for the terminal.
pub fn render(r: &ScenarioReport) -> String {
    let mut out = String::new();
    let t0 = r.injected_at;
    let _ = writeln!(out, "\n== coupon drill {} ==", r.scenario.as_str());
    let _ = writeln!(out, "  fault ............. {}", r.fault);
    let _ = writeln!(
        out,
        "  incident .......... #{} {:?} {}{}",
        r.incident_id,
        r.incident_title,
        r.incident_severity,
        if r.drill {
            ", marked a drill"
        } else {
            ", NOT marked a drill"
        }
    );
    let _ = writeln!(
        out,
        "  TTD ............... {:.1} s fault → incident (hoego: {}; the seed's MTTD target is 2 min)",
        r.ttd_ms as f64 / 1000.0,
        r.ttd_seconds
            .map(|s| format!("{s} s"))
            .unwrap_or_else(|| "not computed".into())
    );
    let _ = writeln!(
        out,
        "  stages ............ at            since fault   step"
    );
    let mut previous = t0;
    for stage in &r.stages {
        let _ = writeln!(
            out,
            "    {:<18} {}  {:>9}  {:>9}  {}",
            stage.kind.label(),
            stage.at.format("%H:%M:%S%.3f"),
            format!("+{:.1} s", secs(t0, stage.at)),
            format!("+{:.1} s", secs(previous, stage.at)),
            stage.detail
        );
        previous = stage.at;
    }
    let _ = writeln!(
        out,
        "  alerts ............ severity priority scenario    pending  firing   in hoego  resolved"
    );
    for a in &r.alerts {
        let _ = writeln!(
            out,
            "    {:<26} {:<8} {:<8} {:<11} {:>8} {:>8} {:>9} {:>9}",
            a.name,
            a.severity,
            a.priority,
            a.scenario,
            since(t0, a.pending_at),
            since(t0, a.firing_at),
            match a.received_at {
                Some(_) => since(t0, a.received_at),
                None => "held".to_owned(),
            },
            since(t0, a.resolved_at),
        );
    }
    let _ = writeln!(
        out,
        "  expected .......... {}{}",
        r.expected.join(", "),
        if r.missing.is_empty() {
            " — fired and reached the incident".to_owned()
        } else {
            format!(" — MISSING: {}", r.missing.join(", "))
        }
    );
    let _ = writeln!(
        out,
        "  unexpected critical {}",
        if r.unexpected_critical.is_empty() {
            "none".to_owned()
        } else {
            r.unexpected_critical.join(", ")
        }
    );
    for (name, posted) in &r.load_tests {
        let what = match posted {
            Posted::Stored { id } => format!("posted as load test #{id} (reproduced_by)"),
            Posted::NoEndpoint => {
                "NOT posted: hoego has no /api/v1/load-tests yet (404)".to_owned()
            }
        };
        let _ = writeln!(out, "  load test ......... {name}: {what}");
    }
    let _ = writeln!(
        out,
        "  result ............ {}",
        if r.passed { "PASSED" } else { "FAILED" }
    );
    out
}
