//! Drills end to end with real parts only: `coupon up`'s stack (Redis, MariaDB, tansu and the
//! service with its fault endpoints), Debian's Prometheus and Alertmanager with the drill
//! profile, and a real hoego (the workspace's own binary). Nothing here asserts a duration:
//! every wait polls up to a generous deadline.
//!
//! The two tests take turns (one lock): each runs a whole stack and its load, and on two cores
//! a quiet baseline must not be judged while another stack's drill shares them.

#[path = "support/hoego.rs"]
mod hoego;

use std::collections::BTreeSet;
use std::time::{Duration, Instant};

use coupon::config::ServeConfig;
use coupon::drill::load::{Load, LoadShape};
use coupon::drill::monitoring::Monitoring;
use coupon::drill::profile::{self, GroupTimings, RuleTimings};
use coupon::drill::{DrillArgs, Which};
use coupon::up::{Up, UpArgs};

use hoego::Hoego;

static ONE_AT_A_TIME: tokio::sync::Mutex<()> = tokio::sync::Mutex::const_new(());

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_redis_pool_drill_opens_a_drill_incident_in_hoego_with_its_ttd() {
    let _turn = ONE_AT_A_TIME.lock().await;
    let hoego = Hoego::start();
    let args = DrillArgs::new(Which::RedisPool, &hoego.url, &hoego.token);
    let reports = coupon::drill::drill(&args).await.expect("the drill ran");
    assert_eq!(reports.len(), 1);
    let report = &reports[0];
    println!("{}", coupon::drill::report::render(report));
    assert!(report.passed, "the drill failed its own checks");

    // What hoego says, asked directly.
    let (status, incident) = hoego
        .get(&format!("/incidents/{}", report.incident_id))
        .await;
    assert_eq!(status, 200, "{incident}");
    let alerts: BTreeSet<&str> = incident["alerts"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a["alertname"].as_str().unwrap())
        .collect();
    assert!(
        alerts.contains("RedisPoolCritical"),
        "linked alerts: {alerts:?}"
    );
    for alert in incident["alerts"].as_array().unwrap() {
        assert_eq!(alert["status"], "resolved", "{alert}");
        assert_eq!(alert["labels"]["service"], "coupon-api");
    }
    assert_eq!(incident["drill"], true);
    assert_eq!(
        incident["severity"], "P1",
        "opened by the P1 Redis pool alert"
    );
    let started_at: chrono::DateTime<chrono::Utc> =
        serde_json::from_value(incident["started_at"].clone()).unwrap();
    assert_eq!(
        started_at, report.injected_at,
        "started_at is the injection"
    );
    assert_eq!(incident["started_at_provenance"], "manual");
    let ttd = incident["ttd_seconds"].as_i64().expect("a TTD");
    assert_eq!(Some(ttd), report.ttd_seconds, "the TTD the drill reported");
    assert_eq!(
        ttd,
        report.ttd_ms / 1000,
        "whole seconds of the drill's own measure"
    );
    assert!(ttd > 0, "detection follows the fault");
    assert_eq!(incident["status"], "recovered");

    // Every stage is on the timeline, at its time, beside the alerts' own events.
    let timeline = incident["timeline"].as_array().unwrap();
    for stage in &report.stages {
        let label = stage.kind.label();
        let entry = timeline
            .iter()
            .find(|e| {
                e["text"]
                    .as_str()
                    .is_some_and(|t| t.contains(&format!(": {label} /")))
            })
            .unwrap_or_else(|| panic!("no timeline entry for {label}: {timeline:#?}"));
        let at: chrono::DateTime<chrono::Utc> =
            serde_json::from_value(entry["at"].clone()).unwrap();
        assert_eq!(at, stage.at.trunc_subsecs_ms(), "{label}");
        assert!(
            !["detected", "recovered"].contains(&entry["kind"].as_str().unwrap()),
            "{entry}"
        );
    }
    assert!(
        timeline.iter().any(|e| e["kind"] == "alert_fired"),
        "{timeline:#?}"
    );
    // The stages follow each other.
    let at = |kind| {
        report
            .at(kind)
            .unwrap_or_else(|| panic!("{kind:?} missing"))
    };
    use coupon::drill::report::StageKind::*;
    for pair in [
        FaultInjected,
        AlertPending,
        AlertFiring,
        WebhookReceived,
        IncidentOpened,
        FaultRemoved,
        Resolved,
    ]
    .windows(2)
    {
        assert!(
            at(pair[0]) <= at(pair[1]),
            "{:?} after {:?}",
            pair[0],
            pair[1]
        );
    }
}

/// Milliseconds, as the drill sends times to hoego.
trait Millis {
    fn trunc_subsecs_ms(self) -> Self;
}

impl Millis for chrono::DateTime<chrono::Utc> {
    fn trunc_subsecs_ms(self) -> Self {
        chrono::SubsecRound::trunc_subsecs(self, 3)
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_quiet_baseline_under_the_drill_load_raises_no_critical_alert() {
    let _turn = ONE_AT_A_TIME.lock().await;
    let mut config = ServeConfig::from_env();
    config.enable_faults = true;
    let up = Up::start(&UpArgs::default(), config).await.unwrap();
    let rules = profile::rules(profile::SHIPPED_RULES, RuleTimings::default()).unwrap();
    // Nobody listens there: what matters is what Prometheus decides, not where it goes.
    let alertmanager = profile::alertmanager(
        profile::SHIPPED_ALERTMANAGER,
        "http://127.0.0.1:9/api/v1/alerts/alertmanager",
        "unused",
        GroupTimings::default(),
    )
    .unwrap();
    let monitoring = Monitoring::start(&up.url, &rules, &alertmanager)
        .await
        .unwrap();
    monitoring
        .wait_scraping(Duration::from_secs(60))
        .await
        .unwrap();
    let load = Load::start(&up.url, &up.admin_token, LoadShape::default());

    // Long enough for the drill profile's `for:` (5 s) to pass six times over, and its 15 s
    // windows twice.
    let http = reqwest::Client::new();
    let run_for = Duration::from_secs(30);
    let start = Instant::now();
    let mut critical = BTreeSet::new();
    let mut warnings = BTreeSet::new();
    while start.elapsed() < run_for {
        assert!(!load.failed_early(), "the load stopped");
        for alert in monitoring.alerts().await.unwrap() {
            let name = format!("{} ({})", alert.name(), alert.state);
            if alert.label("severity") == "critical" && alert.firing() {
                critical.insert(name);
            } else {
                warnings.insert(name);
            }
        }
        tokio::time::sleep(Duration::from_millis(500)).await;
    }
    // Prometheus did judge this load: the rules are loaded and healthy, and the requests are in
    // its data.
    let rules: serde_json::Value = http
        .get(format!("{}/api/v1/rules", monitoring.prometheus))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let loaded: Vec<&serde_json::Value> = rules["data"]["groups"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|g| g["rules"].as_array().unwrap())
        .collect();
    assert_eq!(loaded.len(), 13, "{rules}");
    for rule in &loaded {
        assert_eq!(rule["health"], "ok", "{rule}");
    }
    let rate: serde_json::Value = http
        .get(format!("{}/api/v1/query", monitoring.prometheus))
        .query(&[(
            "query",
            "sum(rate(coupon_http_request_duration_seconds_count[15s]))",
        )])
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let per_second: f64 = rate["data"]["result"][0]["value"][1]
        .as_str()
        .and_then(|v| v.parse().ok())
        .unwrap_or(0.0);
    assert!(
        per_second > 100.0,
        "Prometheus saw {per_second} requests/s of the drill's 300: {rate}"
    );
    let summaries = load.stop().await.unwrap();
    for s in &summaries {
        assert!(s.requests() > 0, "{} sent nothing", s.scenario.as_str());
    }
    monitoring.stop().await;
    up.stop().await.unwrap();
    if !warnings.is_empty() {
        eprintln!("warnings or pending alerts during the baseline: {warnings:?}");
    }
    assert!(
        critical.is_empty(),
        "critical alerts fired with no fault: {critical:?}"
    );
}
