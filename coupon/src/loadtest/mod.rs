//! `coupon loadtest`: virtual users against a running service, like k6.
//!
//! Closed loop (default): each virtual user sends a request, waits for the answer, then thinks
//! (500 ms by default, like a k6 script's `sleep(0.5)`), so 1,000 users offer ~2,000 requests/s.
//! Open loop (`--rate`): requests start at a fixed rate whatever the answers, with `--vus` as
//! the cap on requests in flight; starts that would pass the cap are counted as dropped.
//!
//! An `issue` run creates its event unless given `--event`; creating one needs the service's
//! admin token (`--admin-token` or `COUPON_ADMIN_TOKEN`). Issuing itself needs none.
//!
//! When it ends, the run is printed ([`report`]), written as k6-style JSON if asked
//! (`--summary-export`, [`summary`], with its per-second [`series`]), and filed in hoego if
//! asked (`--report-to`, [`post`]): the local file first, so it is kept if hoego is down.

mod engine;
mod post;
mod report;
pub mod series;
mod summary;

pub use engine::{execute, execute_until};
pub use post::ReportArgs;
pub use summary::{Summary, k6_export};

use std::path::PathBuf;
use std::time::Duration;

use anyhow::{Context, Result, bail};
use clap::{Args, ValueEnum};

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum, serde::Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Scenario {
    /// POST /api/events/{id}/issue with a unique user id per request.
    Issue,
    /// GET /api/products/top.
    TopProducts,
}

impl Scenario {
    pub fn as_str(self) -> &'static str {
        match self {
            Scenario::Issue => "issue",
            Scenario::TopProducts => "top-products",
        }
    }
}

#[derive(Debug, Clone, Args)]
pub struct LoadtestArgs {
    /// The service's base URL.
    #[arg(long, env = "COUPON_TARGET", default_value = "http://127.0.0.1:8080")]
    pub target: String,
    #[arg(long, value_enum)]
    pub scenario: Scenario,
    /// Virtual users (closed loop), or the cap on requests in flight (open loop).
    #[arg(long, default_value_t = 100)]
    pub vus: u32,
    /// How long to run, e.g. `30s`, `2m`.
    #[arg(long, value_parser = humantime::parse_duration, default_value = "30s")]
    pub duration: Duration,
    /// Stop after this many requests in all (whichever comes first with --duration).
    #[arg(long)]
    pub iterations: Option<u64>,
    /// Pause of each virtual user after an answer.
    #[arg(long, value_parser = humantime::parse_duration, default_value = "500ms")]
    pub think_time: Duration,
    /// Start the virtual users evenly over this time.
    #[arg(long, value_parser = humantime::parse_duration, default_value = "0s")]
    pub ramp_up: Duration,
    /// Open loop: start this many requests per second instead of thinking virtual users.
    #[arg(long)]
    pub rate: Option<u32>,
    /// `issue`: the event to issue from (default: create one with --stock coupons, which
    /// needs --admin-token).
    #[arg(long)]
    pub event: Option<u64>,
    /// The service's admin token, to create the event for an `issue` run (`coupon up` prints
    /// it). Sent as `Authorization: Bearer TOKEN`; not needed with --event.
    #[arg(long, env = "COUPON_ADMIN_TOKEN", hide_env_values = true)]
    pub admin_token: Option<String>,
    /// `issue`: stock of the event created for the run.
    #[arg(long, default_value_t = 10_000_000)]
    pub stock: i64,
    /// `top-products`: how many products to ask for.
    #[arg(long, default_value_t = 10)]
    pub limit: u32,
    /// Write the summary as k6-compatible summary JSON (plus a `coupon` section).
    #[arg(long)]
    pub summary_export: Option<PathBuf>,
    /// No progress bar (logs and CI).
    #[arg(long)]
    pub quiet: bool,
    #[command(flatten)]
    pub report: ReportArgs,
}

impl LoadtestArgs {
    /// Settings for a run against `target` with defaults elsewhere (tests and benches).
    pub fn new(target: &str, scenario: Scenario) -> LoadtestArgs {
        LoadtestArgs {
            target: target.trim_end_matches('/').to_owned(),
            scenario,
            vus: 100,
            duration: Duration::from_secs(30),
            iterations: None,
            think_time: Duration::from_millis(500),
            ramp_up: Duration::ZERO,
            rate: None,
            event: None,
            admin_token: None,
            stock: 10_000_000,
            limit: 10,
            summary_export: None,
            quiet: true,
            report: ReportArgs::default(),
        }
    }
}

/// Runs the load test, prints the summary, writes the export and files the run in hoego if
/// asked. An error if hoego did not take the run, after the export was written all the same.
pub async fn run(mut args: LoadtestArgs) -> Result<()> {
    args.target = args.target.trim_end_matches('/').to_owned();
    if args.vus == 0 {
        bail!("--vus must be at least 1");
    }
    let hoego = args.report.client()?;
    let summary = execute(&args).await?;
    println!("{}", report::render(&summary));
    let document = serde_json::to_string_pretty(&k6_export(&summary)).expect("summary serializes");
    let written = match &args.summary_export {
        Some(path) => std::fs::write(path, &document)
            .with_context(|| format!("writing {}", path.display()))
            .map(|()| println!("summary written to {}", path.display())),
        None => Ok(()),
    };
    let kept = written.as_ref().ok().and(args.summary_export.as_deref());
    let filed = match &hoego {
        Some(hoego) => post::file(hoego, &args.report, &summary, document, kept).await,
        None => Ok(()),
    };
    match (written, filed) {
        (Err(written), Err(filed)) => {
            eprintln!("Error: {filed:?}");
            Err(written)
        }
        (written, filed) => written.and(filed),
    }
}
