//! `coupon drill <scenario>`: the seed's alert matrix, live — a fault injected into the coupon
//! service under load, detected by the shipped Prometheus rules, routed by Alertmanager to
//! hoego, and filed there as a drill incident with its stages on the timeline.
//!
//! It starts `coupon up`'s stack with the fault endpoints on (or attaches to a running service
//! with `--target` and `--admin-token`), Prometheus (scraping every second, the drill profile
//! of coupon/monitoring/alerts.yml) and Alertmanager (the drill profile of
//! coupon/monitoring/alertmanager.yml, posting to `--hoego` with `--token`), then drills each
//! scenario in turn ([`exercise`]) and prints a report per scenario. It fails (exit status 1)
//! if a scenario's expected alert did not reach hoego's incident or a critical alert of
//! another scenario fired.
//!
//! # Layout
//!
//! - [`scenario`]: the three scenarios: their faults and expected alerts.
//! - [`profile`]: the drill profile, rewritten from the shipped rules and Alertmanager config.
//! - [`monitoring`]: Prometheus and Alertmanager as child processes; Prometheus's alerts.
//! - [`hoego`]: the calls the drill makes to hoego (alerts, incidents, timeline, its runs), on
//!   the shared [`crate::hoego`] client.
//! - [`faults`]: the service's fault endpoints over HTTP.
//! - [`load`]: the drill's load (the load generator's two runs, stopped on demand).
//! - [`exercise`]: one scenario, from a quiet service to a recovered incident.
//! - [`report`]: the stages and alerts found, as text and JSON.

pub mod exercise;
pub mod faults;
pub mod hoego;
pub mod load;
pub mod monitoring;
pub mod profile;
pub mod report;
pub mod scenario;

use std::path::PathBuf;
use std::time::Duration;

use anyhow::{Context, Result, bail};
use clap::{Args, ValueEnum};

use crate::config::ServeConfig;
use crate::up::{Up, UpArgs};

use self::exercise::Setting;
use self::faults::Service;
use self::hoego::Hoego;
use self::load::LoadShape;
use self::monitoring::Monitoring;
use self::profile::{GroupTimings, RuleTimings};
pub use self::report::ScenarioReport;
pub use self::scenario::Scenario;

/// Which scenarios to drill.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Which {
    /// Scenario 1: Redis connection-pool exhaustion (P1).
    RedisPool,
    /// Scenario 2: Kafka producer latency and consumer lag (P2).
    KafkaLag,
    /// Scenario 3: MySQL connection-pool exhaustion (P0).
    MysqlPool,
    /// All three, one after the other.
    All,
}

impl Which {
    pub fn scenarios(self) -> Vec<Scenario> {
        match self {
            Which::RedisPool => vec![Scenario::RedisPool],
            Which::KafkaLag => vec![Scenario::KafkaLag],
            Which::MysqlPool => vec![Scenario::MysqlPool],
            Which::All => Scenario::ALL.to_vec(),
        }
    }
}

#[derive(Debug, Clone, Args)]
pub struct DrillArgs {
    #[arg(value_enum)]
    pub scenario: Which,
    /// hoego's base URL.
    #[arg(long, env = "COUPON_HOEGO_URL")]
    pub hoego: String,
    /// A hoego token with the scopes ingest,write (`hoego token create --name drill --scope
    /// ingest,write`): Alertmanager posts with it, and the drill files the incident with it.
    #[arg(long, env = "COUPON_HOEGO_TOKEN", hide_env_values = true)]
    pub token: String,
    /// Drill a running service (started with --enable-faults) instead of starting `coupon
    /// up`'s stack.
    #[arg(long)]
    pub target: Option<String>,
    /// The running service's admin token (with --target).
    #[arg(long, env = "COUPON_ADMIN_TOKEN", hide_env_values = true)]
    pub admin_token: Option<String>,
    /// Load before the fault is injected.
    #[arg(long, value_parser = humantime::parse_duration, default_value = "10s")]
    pub baseline: Duration,
    /// Longest wait for the incident after the fault, and for the resolution after lifting it.
    #[arg(long, value_parser = humantime::parse_duration, default_value = "3m")]
    pub timeout: Duration,
    /// Issue requests a second during the drill.
    #[arg(long, default_value_t = 200)]
    pub issue_rate: u32,
    /// Top-products requests a second during the drill.
    #[arg(long, default_value_t = 100)]
    pub top_rate: u32,
    /// The drill profile's `for:` of every rule.
    #[arg(long, value_parser = humantime::parse_duration, default_value = "5s")]
    pub rule_for: Duration,
    /// The drill profile's range of every rate window.
    #[arg(long, value_parser = humantime::parse_duration, default_value = "15s")]
    pub rule_window: Duration,
    /// Also write the reports as JSON to this file.
    #[arg(long)]
    pub report_json: Option<PathBuf>,
}

impl DrillArgs {
    /// Settings for a drill of `scenario` against hoego with defaults elsewhere (tests).
    pub fn new(scenario: Which, hoego: &str, token: &str) -> DrillArgs {
        DrillArgs {
            scenario,
            hoego: hoego.to_owned(),
            token: token.to_owned(),
            target: None,
            admin_token: None,
            baseline: Duration::from_secs(10),
            timeout: Duration::from_secs(180),
            issue_rate: 200,
            top_rate: 100,
            rule_for: Duration::from_secs(5),
            rule_window: Duration::from_secs(15),
            report_json: None,
        }
    }
}

/// `coupon drill`: drills, prints each report, writes the JSON if asked; an error unless every
/// scenario passed.
pub async fn run(args: DrillArgs) -> Result<()> {
    let reports = drill(&args).await?;
    for r in &reports {
        println!("{}", report::render(r));
    }
    if let Some(path) = &args.report_json {
        let json = serde_json::to_string_pretty(&reports).expect("reports serialize");
        std::fs::write(path, json).with_context(|| format!("writing {}", path.display()))?;
    }
    let failed: Vec<&str> = reports
        .iter()
        .filter(|r| !r.passed)
        .map(|r| r.scenario.as_str())
        .collect();
    if !failed.is_empty() {
        bail!("drill failed: {}", failed.join(", "));
    }
    Ok(())
}

/// Runs the drill and returns a report per scenario; an error if a drill could not run to its
/// end (nothing detected in time, hoego refused, a part did not start).
pub async fn drill(args: &DrillArgs) -> Result<Vec<ScenarioReport>> {
    let hoego = Hoego::new(&args.hoego, &args.token)?;
    hoego.check().await?;
    let (up, service) = match &args.target {
        Some(target) => {
            let token = args.admin_token.as_deref().context(
                "--target needs the service's admin token: --admin-token or COUPON_ADMIN_TOKEN",
            )?;
            (None, Service::new(target, token)?)
        }
        None => {
            let mut config = ServeConfig::from_env();
            config.enable_faults = true;
            let up = Up::start(&UpArgs::default(), config).await?;
            let service = Service::new(&up.url, &up.admin_token)?;
            tracing::info!(url = %up.url, "coupon stack up for the drill");
            (Some(up), service)
        }
    };
    let result = with_service(args, &hoego, &service).await;
    if let Some(up) = up {
        up.stop().await?;
    }
    result
}

async fn with_service(
    args: &DrillArgs,
    hoego: &Hoego,
    service: &Service,
) -> Result<Vec<ScenarioReport>> {
    service.check().await?;
    service.warm().await?;
    let rules = profile::rules(
        profile::SHIPPED_RULES,
        RuleTimings {
            hold: args.rule_for,
            window: args.rule_window,
        },
    )?;
    let alertmanager = profile::alertmanager(
        profile::SHIPPED_ALERTMANAGER,
        &hoego.webhook_url(),
        hoego.token(),
        GroupTimings::default(),
    )?;
    let monitoring = Monitoring::start(&service.url, &rules, &alertmanager).await?;
    let result = drill_each(args, hoego, service, &monitoring).await;
    monitoring.stop().await;
    result
}

async fn drill_each(
    args: &DrillArgs,
    hoego: &Hoego,
    service: &Service,
    monitoring: &Monitoring,
) -> Result<Vec<ScenarioReport>> {
    monitoring.wait_scraping(Duration::from_secs(60)).await?;
    let setting = Setting {
        service,
        monitoring,
        hoego,
        load: LoadShape {
            issue_rate: args.issue_rate,
            top_rate: args.top_rate,
        },
        baseline: args.baseline,
        timeout: args.timeout,
    };
    let mut reports = Vec::new();
    for scenario in args.scenario.scenarios() {
        tracing::info!(scenario = scenario.as_str(), "drill starts");
        let report = exercise::exercise(&setting, scenario)
            .await
            .with_context(|| format!("drill {}", scenario.as_str()))?;
        reports.push(report);
    }
    Ok(reports)
}
