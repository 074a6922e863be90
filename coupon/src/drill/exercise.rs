//! One scenario's drill, from a quiet service to a recovered incident:
//!
//! 1. wait until Prometheus shows no alert, and refuse if hoego has an open incident of the
//!    coupon service (the drill's alerts would join it);
//! 2. run the load for the baseline, then inject the scenario's faults, keeping the load on;
//! 3. watch Prometheus (pending, firing) and hoego (received, linked) until hoego has opened an
//!    incident holding every expected alert;
//! 4. lift the faults and wait until hoego has every alert of the incident resolved;
//! 5. stop the load, then file the drill in hoego: `drill` and `started_at` (the injection),
//!    a timeline entry per stage, status `recovered` at the last resolution, and the load's
//!    runs as `reproduced_by` load tests.

use std::collections::BTreeMap;
use std::time::{Duration, Instant};

use anyhow::{Result, bail};
use chrono::{DateTime, SubsecRound, Utc};
use serde_json::json;

use super::faults::Service;
use super::hoego::{AlertEvent, Entry, Hoego, Incident, Posted};
use super::load::{Load, LoadShape};
use super::monitoring::{Monitoring, PromAlert};
use super::report::{FiredAlert, ScenarioReport, Stage, StageKind};
use super::scenario::Scenario;
use crate::loadtest::{Summary, k6_export};

/// What a drill runs against, and how.
pub struct Setting<'a> {
    pub service: &'a Service,
    pub monitoring: &'a Monitoring,
    pub hoego: &'a Hoego,
    pub load: LoadShape,
    /// Load before the fault.
    pub baseline: Duration,
    /// Longest wait for quiet, for the incident, and for the resolution, each.
    pub timeout: Duration,
}

/// How often Prometheus and hoego are asked while something is awaited.
const POLL: Duration = Duration::from_millis(250);

/// What the drill saw of one alert in Prometheus.
#[derive(Debug, Clone)]
struct Seen {
    labels: BTreeMap<String, String>,
    /// Its `activeAt` when last seen pending (a condition that lapses and returns restarts it).
    active_at: DateTime<Utc>,
    /// When the drill first saw it firing.
    firing_seen: Option<DateTime<Utc>>,
}

#[derive(Default)]
struct Watch {
    seen: BTreeMap<String, Seen>,
}

impl Watch {
    fn observe(&mut self, alerts: &[PromAlert]) {
        let now = Utc::now();
        for a in alerts {
            let seen = self
                .seen
                .entry(a.name().to_owned())
                .or_insert_with(|| Seen {
                    labels: a.labels.clone(),
                    active_at: a.active_at,
                    firing_seen: None,
                });
            if seen.firing_seen.is_none() {
                seen.active_at = a.active_at;
                if a.firing() {
                    seen.firing_seen = Some(now);
                }
            }
        }
    }
}

/// What the drill saw between the injection and the resolution.
struct Run {
    injected_at: DateTime<Utc>,
    removed_at: DateTime<Utc>,
    incident: Incident,
    watch: Watch,
}

/// Drills one scenario; see the module's description.
pub async fn exercise(s: &Setting<'_>, scenario: Scenario) -> Result<ScenarioReport> {
    wait_quiet(s).await?;
    let open = s.hoego.open_incidents().await?;
    if let Some(i) = open.first() {
        bail!(
            "hoego has an open incident of {} (#{} {:?}, {}): the drill's alerts would join it. \
             Move it to recovered (or later) first.",
            super::hoego::SERVICE,
            i.id,
            i.title,
            i.status
        );
    }
    let load = Load::start(&s.service.url, &s.service.admin_token, s.load);
    let run = inject_and_recover(s, scenario, &load).await;
    if run.is_err() {
        // Never leave a fault behind.
        let _ = s.service.lift_all().await;
    }
    let summaries = load.stop().await;
    let run = run?;
    file(s, scenario, run, summaries?).await
}

/// Waits until Prometheus shows no pending or firing alert (a previous drill's have ended).
async fn wait_quiet(s: &Setting<'_>) -> Result<()> {
    let deadline = Instant::now() + s.timeout;
    loop {
        let alerts = s.monitoring.alerts().await?;
        if alerts.is_empty() {
            return Ok(());
        }
        if Instant::now() > deadline {
            let names: Vec<String> = alerts
                .iter()
                .map(|a| format!("{} ({})", a.name(), a.state))
                .collect();
            bail!(
                "alerts still active before the drill, after {:?}: {}",
                s.timeout,
                names.join(", ")
            );
        }
        tokio::time::sleep(POLL).await;
    }
}

async fn inject_and_recover(s: &Setting<'_>, scenario: Scenario, load: &Load) -> Result<Run> {
    let mut watch = Watch::default();
    let baseline_end = Instant::now() + s.baseline;
    while Instant::now() < baseline_end {
        if load.failed_early() {
            bail!("the drill's load stopped during the baseline");
        }
        watch.observe(&s.monitoring.alerts().await?);
        tokio::time::sleep(POLL).await;
    }
    // What fired during the baseline belongs to no fault.
    watch = Watch::default();
    // hoego keeps times to the nanosecond; milliseconds are what the report and RFC 3339 show.
    let injected_at = Utc::now().trunc_subsecs(3);
    for fault in scenario.faults() {
        s.service.inject(&fault).await?;
    }
    tracing::info!(scenario = scenario.as_str(), "fault injected");

    let deadline = Instant::now() + s.timeout;
    let incident = loop {
        watch.observe(&s.monitoring.alerts().await?);
        if let Some(incident) = detected(s.hoego, scenario, injected_at).await? {
            break incident;
        }
        if load.failed_early() {
            bail!("the drill's load stopped while waiting for the incident");
        }
        if Instant::now() > deadline {
            let seen: Vec<String> = watch
                .seen
                .iter()
                .map(|(name, seen)| {
                    format!(
                        "{name} ({})",
                        if seen.firing_seen.is_some() {
                            "firing"
                        } else {
                            "pending"
                        }
                    )
                })
                .collect();
            bail!(
                "no incident in hoego with {} within {:?} of the fault; Prometheus showed: {}\n{}",
                scenario.expected().join(" and "),
                s.timeout,
                if seen.is_empty() {
                    "nothing".to_owned()
                } else {
                    seen.join(", ")
                },
                s.monitoring.logs()
            );
        }
        tokio::time::sleep(POLL).await;
    };
    tracing::info!(incident = incident.id, "incident opened");

    for fault in scenario.faults().iter().rev() {
        s.service.lift(fault).await?;
    }
    let removed_at = Utc::now().trunc_subsecs(3);
    tracing::info!(scenario = scenario.as_str(), "fault removed");

    let deadline = Instant::now() + s.timeout;
    let incident = loop {
        let alerts = s.monitoring.alerts().await?;
        watch.observe(&alerts);
        let incident = s.hoego.incident(incident.id).await?;
        let firing_in_prometheus = alerts
            .iter()
            .any(|a| a.firing() && incident.alerts.iter().any(|e| e.alertname == a.name()));
        if incident.alerts.iter().all(AlertEvent::resolved) && !firing_in_prometheus {
            break incident;
        }
        if Instant::now() > deadline {
            let open: Vec<&str> = incident
                .alerts
                .iter()
                .filter(|a| !a.resolved())
                .map(|a| a.alertname.as_str())
                .collect();
            bail!(
                "incident #{}'s alerts did not resolve within {:?} of lifting the fault: {} still firing",
                incident.id,
                s.timeout,
                open.join(", ")
            );
        }
        tokio::time::sleep(POLL).await;
    };
    Ok(Run {
        injected_at,
        removed_at,
        incident,
        watch,
    })
}

/// The incident hoego opened for this drill, once it holds every expected alert.
async fn detected(
    hoego: &Hoego,
    scenario: Scenario,
    injected_at: DateTime<Utc>,
) -> Result<Option<Incident>> {
    let mut linked: Vec<AlertEvent> = hoego
        .linked_alerts()
        .await?
        .into_iter()
        .filter(|a| a.received_at >= injected_at)
        .collect();
    linked.sort_by_key(|a| a.received_at);
    let Some(id) = linked.first().and_then(|a| a.incident_id) else {
        return Ok(None);
    };
    let all_there = scenario.expected().iter().all(|name| {
        linked
            .iter()
            .any(|a| a.alertname == *name && a.incident_id == Some(id))
    });
    if !all_there {
        return Ok(None);
    }
    let incident = hoego.incident(id).await?;
    if incident.created_at < injected_at {
        bail!(
            "the drill's alerts joined incident #{} ({:?}), opened before the fault; it was not \
             open when the drill checked",
            incident.id,
            incident.title
        );
    }
    Ok(Some(incident))
}

/// Files the drill in hoego and builds the report.
async fn file(
    s: &Setting<'_>,
    scenario: Scenario,
    run: Run,
    summaries: Vec<Summary>,
) -> Result<ScenarioReport> {
    let Run {
        injected_at,
        removed_at,
        incident,
        watch,
    } = run;
    let id = incident.id;
    let rfc3339 = |t: DateTime<Utc>| t.to_rfc3339_opts(chrono::SecondsFormat::Millis, true);
    s.hoego
        .patch_incident(
            id,
            &json!({
                "drill": true,
                "started_at": rfc3339(injected_at),
                "started_at_provenance": "manual",
            }),
        )
        .await?;

    let alerts = fired(&incident, &watch);
    let stages = stages(scenario, injected_at, removed_at, &incident, &alerts);
    for stage in &stages {
        let kind = match stage.kind {
            StageKind::FaultInjected => "action",
            StageKind::FaultRemoved => "mitigation",
            _ => "note",
        };
        let text = format!(
            "Drill {}: {} / {} (+{:.1} s) — {}",
            scenario.as_str(),
            stage.kind.label(),
            stage.kind.label_ko(),
            (stage.at - injected_at).num_milliseconds() as f64 / 1000.0,
            stage.detail
        );
        s.hoego
            .add_entry(
                id,
                &Entry {
                    at: stage.at,
                    kind,
                    text,
                },
            )
            .await?;
    }
    if let Some(recovered) = incident.alerts.iter().filter_map(|a| a.ends_at).max() {
        s.hoego
            .patch_incident(
                id,
                &json!({
                    "status": "recovered",
                    "recovered_at": rfc3339(recovered.max(injected_at)),
                    "recovered_at_provenance": "alert",
                }),
            )
            .await?;
    }

    let mut load_tests = Vec::new();
    for summary in &summaries {
        let name = format!(
            "coupon drill {} — {}",
            scenario.as_str(),
            summary.scenario.as_str()
        );
        let posted = s
            .hoego
            .post_load_test(id, &name, scenario.as_str(), k6_export(summary).to_string())
            .await?;
        if posted == Posted::NoEndpoint {
            tracing::warn!(
                hoego = s.hoego.url(),
                "hoego answered 404 to POST /api/v1/load-tests: the load-test run was not filed"
            );
        }
        load_tests.push((name, posted));
    }

    let filed = s.hoego.incident(id).await?;
    let detected_at = filed.detected_at.unwrap_or(filed.created_at);
    let expected: Vec<String> = scenario.expected().iter().map(|n| n.to_string()).collect();
    let missing: Vec<String> = expected
        .iter()
        .filter(|name| !filed.alerts.iter().any(|a| &a.alertname == *name))
        .cloned()
        .collect();
    let unexpected_critical: Vec<String> = alerts
        .iter()
        .filter(|a| a.severity == "critical" && !scenario.owns(&a.scenario))
        .map(|a| format!("{} (scenario {})", a.name, a.scenario))
        .collect();
    let ttd_ms = (detected_at - injected_at).num_milliseconds();
    let passed = missing.is_empty()
        && unexpected_critical.is_empty()
        && filed.drill
        && filed.started_at == Some(injected_at)
        && ttd_ms > 0;
    Ok(ScenarioReport {
        scenario,
        fault: scenario.fault_text(),
        incident_id: id,
        incident_title: filed.title,
        incident_severity: filed.severity,
        drill: filed.drill,
        injected_at,
        detected_at,
        ttd_ms,
        ttd_seconds: filed.ttd_seconds,
        stages,
        alerts,
        expected,
        missing,
        unexpected_critical,
        load_tests,
        passed,
    })
}

/// Every alert that fired: those of the incident, and those Prometheus fired that never
/// reached hoego; in the order they fired.
fn fired(incident: &Incident, watch: &Watch) -> Vec<FiredAlert> {
    let mut alerts: Vec<FiredAlert> = Vec::new();
    for e in &incident.alerts {
        let seen = watch.seen.get(&e.alertname);
        alerts.push(FiredAlert {
            name: e.alertname.clone(),
            severity: e.label("severity").to_owned(),
            priority: e
                .priority
                .clone()
                .unwrap_or_else(|| e.label("priority").to_owned()),
            scenario: e.label("scenario").to_owned(),
            pending_at: seen.map(|s| s.active_at),
            firing_at: Some(e.starts_at),
            received_at: Some(e.received_at),
            resolved_at: e.resolved_received_at,
        });
    }
    for (name, seen) in &watch.seen {
        if seen.firing_seen.is_none() || alerts.iter().any(|a| &a.name == name) {
            continue;
        }
        let label = |l: &str| seen.labels.get(l).cloned().unwrap_or_default();
        alerts.push(FiredAlert {
            name: name.clone(),
            severity: label("severity"),
            priority: label("priority"),
            scenario: label("scenario"),
            pending_at: Some(seen.active_at),
            firing_at: seen.firing_seen,
            received_at: None,
            resolved_at: None,
        });
    }
    alerts.sort_by_key(|a| a.firing_at);
    alerts
}

/// The stages, following the alert that opened the incident (the first hoego received).
fn stages(
    scenario: Scenario,
    injected_at: DateTime<Utc>,
    removed_at: DateTime<Utc>,
    incident: &Incident,
    alerts: &[FiredAlert],
) -> Vec<Stage> {
    let mut stages = vec![Stage {
        kind: StageKind::FaultInjected,
        at: injected_at,
        detail: scenario.fault_text().to_owned(),
    }];
    let opener = alerts
        .iter()
        .filter(|a| a.received_at.is_some())
        .min_by_key(|a| a.received_at);
    if let Some(a) = opener {
        let what = format!("{} ({} {})", a.name, a.severity, a.priority);
        if let Some(at) = a.pending_at {
            stages.push(Stage {
                kind: StageKind::AlertPending,
                at,
                detail: what.clone(),
            });
        }
        for (kind, at) in [
            (StageKind::AlertFiring, a.firing_at),
            (StageKind::WebhookReceived, a.received_at),
        ] {
            if let Some(at) = at {
                stages.push(Stage {
                    kind,
                    at,
                    detail: what.clone(),
                });
            }
        }
    }
    stages.push(Stage {
        kind: StageKind::IncidentOpened,
        at: incident.created_at,
        detail: format!("#{} {}", incident.id, incident.title),
    });
    stages.push(Stage {
        kind: StageKind::FaultRemoved,
        at: removed_at,
        detail: scenario.fault_text().to_owned(),
    });
    if let Some(at) = incident
        .alerts
        .iter()
        .filter_map(|a| a.resolved_received_at)
        .max()
    {
        stages.push(Stage {
            kind: StageKind::Resolved,
            at,
            detail: incident
                .alerts
                .iter()
                .map(|a| a.alertname.as_str())
                .collect::<Vec<_>>()
                .join(", "),
        });
    }
    stages
}
