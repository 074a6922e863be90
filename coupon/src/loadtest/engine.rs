//! Drives the requests and measures them.

use std::collections::BTreeMap;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use anyhow::{Context, Result, bail};
use hdrhistogram::Histogram;
use indicatif::{ProgressBar, ProgressStyle};
use serde_json::json;

use super::series::Recorder;
use super::summary::{IssueCheck, Summary, failed_status};
use super::{LoadtestArgs, Scenario};

/// Latencies and outcomes, shared by all virtual users.
pub struct Stats {
    /// Microseconds, 1 µs to 60 s at three significant digits.
    pub latency: Histogram<u64>,
    /// Answers by HTTP status; transport failures under 0.
    pub statuses: BTreeMap<i32, u64>,
    /// The same requests, second by second (under the same lock, so the totals agree).
    pub series: Recorder,
}

struct Shared {
    client: reqwest::Client,
    url: String,
    body_prefix: Option<String>,
    stats: Mutex<Stats>,
    sent: AtomicU64,
    next_user: AtomicU64,
    budget: Option<AtomicU64>,
    /// The run's start, second 0 of its series.
    began: Instant,
    end: Instant,
    /// Set when the caller's stop signal came ([`execute_until`]).
    stopped: Arc<AtomicBool>,
}

impl Shared {
    /// Takes one request from the iteration budget; false when it is spent or time is up.
    fn take(&self) -> bool {
        if Instant::now() >= self.end || self.stopped.load(Ordering::Relaxed) {
            return false;
        }
        match &self.budget {
            None => true,
            Some(b) => b
                .fetch_update(Ordering::AcqRel, Ordering::Acquire, |n| n.checked_sub(1))
                .is_ok(),
        }
    }

    async fn one(&self) {
        let start = Instant::now();
        let answer = match &self.body_prefix {
            Some(prefix) => {
                let user = self.next_user.fetch_add(1, Ordering::Relaxed);
                let body = format!("{{\"user_id\":\"{prefix}{user}\"}}");
                self.client
                    .post(&self.url)
                    .header("content-type", "application/json")
                    .body(body)
                    .send()
                    .await
            }
            None => self.client.get(&self.url).send().await,
        };
        let status = match answer {
            Ok(r) => {
                let s = r.status().as_u16() as i32;
                let _ = r.bytes().await;
                s
            }
            Err(_) => -1,
        };
        let done = Instant::now();
        let micros = (done - start).as_micros() as u64;
        self.sent.fetch_add(1, Ordering::Relaxed);
        let mut stats = self.stats.lock().expect("stats lock");
        stats.latency.saturating_record(micros.max(1));
        *stats.statuses.entry(status).or_default() += 1;
        stats
            .series
            .record(done - self.began, micros, failed_status(status));
    }
}

/// Runs the load test and returns its summary.
pub async fn execute(args: &LoadtestArgs) -> Result<Summary> {
    execute_until(args, std::future::pending()).await
}

/// [`execute`], ending early once `stop` resolves (a drill keeps its load on until it is done):
/// no request starts after it, and those in flight are awaited and counted.
pub async fn execute_until(
    args: &LoadtestArgs,
    stop: impl Future<Output = ()> + Send + 'static,
) -> Result<Summary> {
    let stopped = Arc::new(AtomicBool::new(false));
    let stopper = tokio::spawn({
        let stopped = stopped.clone();
        async move {
            stop.await;
            stopped.store(true, Ordering::Relaxed);
        }
    });
    let summary = run(args, stopped).await;
    stopper.abort();
    summary
}

async fn run(args: &LoadtestArgs, stopped: Arc<AtomicBool>) -> Result<Summary> {
    let client = reqwest::Client::builder()
        .pool_max_idle_per_host(args.vus as usize)
        .tcp_nodelay(true)
        .timeout(Duration::from_secs(30))
        .build()?;
    let event = match args.scenario {
        Scenario::Issue => Some(match args.event {
            Some(id) => id,
            None => {
                create_event(
                    &client,
                    &args.target,
                    args.stock,
                    args.admin_token.as_deref(),
                )
                .await?
            }
        }),
        Scenario::TopProducts => None,
    };
    let url = match (args.scenario, event) {
        (Scenario::Issue, Some(id)) => format!("{}/api/events/{id}/issue", args.target),
        _ => format!("{}/api/products/top?limit={}", args.target, args.limit),
    };
    let cache_before = cache_counts(&client, &args.target).await;
    let run_id = format!(
        "{:x}",
        std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)?
            .as_micros()
    );
    let started_at = chrono::Utc::now();
    let start = Instant::now();
    let shared = Arc::new(Shared {
        client: client.clone(),
        url,
        body_prefix: event.map(|_| format!("lt-{run_id}-")),
        stats: Mutex::new(Stats {
            latency: Histogram::new_with_bounds(1, 60_000_000, 3).expect("histogram bounds"),
            statuses: BTreeMap::new(),
            series: Recorder::new(),
        }),
        sent: AtomicU64::new(0),
        next_user: AtomicU64::new(0),
        budget: args.iterations.map(AtomicU64::new),
        began: start,
        end: start + args.duration,
        stopped,
    });

    let progress = progress_bar(args);
    let ticker = {
        let (shared, progress) = (shared.clone(), progress.clone());
        tokio::spawn(async move {
            loop {
                tokio::time::sleep(Duration::from_millis(250)).await;
                let sent = shared.sent.load(Ordering::Relaxed);
                let secs = start.elapsed().as_secs_f64().max(0.001);
                progress.set_position(start.elapsed().as_millis() as u64);
                progress.set_message(format!("{sent} requests, {:.0}/s", sent as f64 / secs));
            }
        })
    };
    let dropped = match args.rate {
        None => closed_loop(args, &shared).await,
        Some(rate) => open_loop(args, &shared, rate).await,
    };
    let elapsed = start.elapsed();
    ticker.abort();
    progress.finish_and_clear();

    let cache_after = cache_counts(&client, &args.target).await;
    let cache_hit_rate = match (cache_before, cache_after) {
        (Some((h0, m0)), Some((h1, m1))) if (h1 + m1) > (h0 + m0) => {
            Some((h1 - h0) as f64 / ((h1 + m1) - (h0 + m0)) as f64)
        }
        _ => None,
    };
    let stats = Arc::try_unwrap(shared)
        .ok()
        .expect("all users finished")
        .stats
        .into_inner()
        .expect("stats lock");
    let issue = match event {
        Some(id) => {
            let accepted = stats.statuses.get(&201).copied().unwrap_or(0);
            Some(check_issue(&client, &args.target, id, accepted).await?)
        }
        None => None,
    };
    Ok(Summary {
        scenario: args.scenario,
        target: args.target.clone(),
        started_at,
        elapsed,
        vus: args.vus,
        think_time: args.think_time,
        rate: args.rate,
        latency: stats.latency,
        statuses: stats.statuses,
        series: stats.series.finish(elapsed),
        dropped,
        cache_hit_rate,
        issue,
    })
}

async fn closed_loop(args: &LoadtestArgs, shared: &Arc<Shared>) -> u64 {
    let mut users = Vec::with_capacity(args.vus as usize);
    for vu in 0..args.vus {
        let shared = shared.clone();
        let delay = args.ramp_up.mul_f64(vu as f64 / args.vus as f64);
        let think = args.think_time;
        users.push(tokio::spawn(async move {
            tokio::time::sleep(delay).await;
            while shared.take() {
                shared.one().await;
                if !think.is_zero() {
                    tokio::time::sleep(think).await;
                }
            }
        }));
    }
    for u in users {
        let _ = u.await;
    }
    0
}

/// Starts requests at `rate` per second (ramping up linearly over `--ramp-up`), at most `vus`
/// in flight; returns how many starts were dropped at the cap.
async fn open_loop(args: &LoadtestArgs, shared: &Arc<Shared>, rate: u32) -> u64 {
    let in_flight = Arc::new(tokio::sync::Semaphore::new(args.vus as usize));
    let start = Instant::now();
    let ramp = args.ramp_up.as_secs_f64();
    let mut started = 0u64;
    let mut dropped = 0u64;
    let mut tasks = tokio::task::JoinSet::new();
    let mut tick = tokio::time::interval(Duration::from_millis(1));
    tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Skip);
    'run: loop {
        tick.tick().await;
        let t = start.elapsed().as_secs_f64();
        // Requests due by now: the integral of a rate that ramps from 0 to `rate` over `ramp`.
        let due = if t < ramp {
            rate as f64 * t * t / (2.0 * ramp)
        } else {
            rate as f64 * (t - ramp / 2.0)
        };
        while (started as f64) < due {
            if !shared.take() {
                break 'run;
            }
            started += 1;
            match in_flight.clone().try_acquire_owned() {
                Ok(permit) => {
                    let shared = shared.clone();
                    tasks.spawn(async move {
                        shared.one().await;
                        drop(permit);
                    });
                }
                Err(_) => dropped += 1,
            }
        }
        while tasks.try_join_next().is_some() {}
    }
    while tasks.join_next().await.is_some() {}
    dropped
}

fn progress_bar(args: &LoadtestArgs) -> ProgressBar {
    if args.quiet {
        return ProgressBar::hidden();
    }
    let bar = ProgressBar::new(args.duration.as_millis() as u64);
    bar.set_style(
        ProgressStyle::with_template("{spinner} {prefix} [{bar:30}] {elapsed}/{duration} {msg}")
            .expect("progress template")
            .progress_chars("=> "),
    );
    bar.set_prefix(format!("{} × {}", args.scenario.as_str(), args.vus));
    bar
}

/// Creates the run's event, with the admin token the service requires for it.
async fn create_event(
    client: &reqwest::Client,
    target: &str,
    stock: i64,
    admin_token: Option<&str>,
) -> Result<u64> {
    let name = format!(
        "loadtest {}",
        chrono::Utc::now().format("%Y-%m-%d %H:%M:%S")
    );
    let mut request = client
        .post(format!("{target}/api/events"))
        .json(&json!({ "name": name, "stock": stock }));
    if let Some(token) = admin_token {
        request = request.bearer_auth(token);
    }
    let answer = request
        .send()
        .await
        .with_context(|| format!("reaching {target}"))?;
    let status = answer.status();
    let body: serde_json::Value = answer.json().await.context("reading the created event")?;
    if matches!(status.as_u16(), 401 | 403) {
        bail!(
            "creating the event was refused with {status}: {body}; pass the service's admin \
             token with --admin-token or COUPON_ADMIN_TOKEN (`coupon up` prints it), or an \
             existing event with --event"
        );
    }
    if status.as_u16() != 201 {
        bail!("creating the event failed with {status}: {body}");
    }
    body["id"].as_u64().context("created event has no id")
}

/// Hit and miss counters of the service's cache, from its metrics.
async fn cache_counts(client: &reqwest::Client, target: &str) -> Option<(u64, u64)> {
    let text = client
        .get(format!("{target}/metrics"))
        .send()
        .await
        .ok()?
        .text()
        .await
        .ok()?;
    let value = |result: &str| {
        let prefix = format!("coupon_cache_requests_total{{result=\"{result}\"}} ");
        text.lines()
            .find_map(|l| l.strip_prefix(&prefix))
            .and_then(|v| v.trim().parse::<f64>().ok())
            .map(|v| v as u64)
    };
    Some((value("hit")?, value("miss")?))
}

/// After an issue run: waits for the pipeline to drain (MySQL catching up with Redis) and
/// checks the counts against each other.
async fn check_issue(
    client: &reqwest::Client,
    target: &str,
    event: u64,
    accepted: u64,
) -> Result<IssueCheck> {
    let deadline = Instant::now() + Duration::from_secs(60);
    loop {
        let status: serde_json::Value = client
            .get(format!("{target}/api/events/{event}"))
            .send()
            .await?
            .error_for_status()?
            .json()
            .await?;
        let get = |k: &str| status[k].as_u64().unwrap_or(0);
        let check = IssueCheck {
            event,
            stock: get("stock"),
            issued: get("issued"),
            accepted,
            persisted: get("persisted"),
            persisted_users: get("persisted_users"),
            drained: get("persisted") == get("issued"),
        };
        if check.drained || Instant::now() > deadline {
            return Ok(check);
        }
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
}
