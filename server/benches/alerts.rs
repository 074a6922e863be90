//! Alert ingestion benchmark: `hoego serve` (the release binary) taking Alertmanager webhooks
//! from 32 concurrent senders, 50 new alerts (distinct fingerprints) per request, for a minute;
//! then, in the same run, the ceiling: the same rows inserted into SQLite directly, a batch per
//! transaction, with the same pragmas and statement.
//!
//! Prints alerts/s, the acknowledgement time (p50/p99/max, HDR histogram), the count in the
//! database afterwards against the acknowledged count (none lost), and the ratio to the
//! ceiling.
//!
//! Run: `cargo bench -p server --bench alerts` (see scripts/bench-alerts).

use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::time::{Duration, Instant};

use clap::Parser;
use hdrhistogram::Histogram;
use serde_json::{Value, json};
use sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode, SqliteSynchronous};
use sqlx::{Connection, SqliteConnection};

#[derive(Parser)]
struct Args {
    /// Concurrent senders.
    #[arg(long, default_value_t = 32)]
    senders: usize,
    /// Alerts per request.
    #[arg(long, default_value_t = 50)]
    batch: usize,
    /// Seconds of sustained load.
    #[arg(long, default_value_t = 60)]
    seconds: u64,
    /// Offered load in alerts/s, spread evenly over the senders (open loop, as Alertmanagers
    /// send: on their own schedule, not when the last answer came). Without it each sender
    /// posts again as soon as it is answered (closed loop: the most hoego can take).
    #[arg(long)]
    rate: Option<f64>,
    /// Ignored (cargo bench passes it).
    #[arg(long, hide = true)]
    bench: bool,
}

struct Running(Child);

impl Drop for Running {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

/// `hoego COMMAND --data-dir DIR`.
fn hoego(command: &str, dir: &Path) -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_hoego"));
    c.env("RUST_LOG", "error")
        .arg(command)
        .arg("--data-dir")
        .arg(dir);
    c
}

/// An Alertmanager notification of `n` new alerts of one group: a storm of warnings (P3), so
/// each is stored and listed but opens no incident.
fn notification(sender: usize, batch: u64, n: usize) -> Value {
    let alerts: Vec<Value> = (0..n)
        .map(|i| {
            json!({
                "status": "firing",
                "labels": {"alertname": "DiskPressure", "service": format!("svc-{}", i % 8),
                           "instance": format!("node-{sender}-{batch}-{i}:9100"), "severity": "warning"},
                "annotations": {"summary": "Disk 90 % full", "description": "Logs are filling the disk."},
                "startsAt": "2026-11-30T05:00:00Z",
                "endsAt": "0001-01-01T00:00:00Z",
                "generatorURL": "http://prometheus:9090/graph",
                "fingerprint": format!("{sender:02x}{batch:08x}{i:04x}")
            })
        })
        .collect();
    json!({
        "version": "4", "receiver": "hoego", "status": "firing",
        "groupKey": format!("{{}}:{{alertname=\"DiskPressure\", sender=\"{sender}\"}}"),
        "truncatedAlerts": 0, "groupLabels": {"alertname": "DiskPressure"}, "commonLabels": {},
        "commonAnnotations": {}, "externalURL": "http://alertmanager:9093", "alerts": alerts
    })
}

fn ms(us: u64) -> String {
    format!("{:.2} ms", us as f64 / 1000.0)
}

async fn ingest(args: &Args) -> anyhow::Result<(f64, Histogram<u64>, u64, u64)> {
    let dir = tempfile::tempdir()?;
    let out = hoego("token", dir.path())
        .args(["create", "--name", "bench", "--scope", "ingest,read"])
        .stderr(Stdio::null())
        .output()?;
    let token = String::from_utf8(out.stdout)?.trim().to_owned();
    let port = std::net::TcpListener::bind("127.0.0.1:0")?
        .local_addr()?
        .port();
    let _server = Running(
        hoego("serve", dir.path())
            .args([
                "--addr",
                &format!("127.0.0.1:{port}"),
                "--site-root",
                "/nonexistent",
            ])
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()?,
    );
    let base = format!("http://127.0.0.1:{port}");
    let client = reqwest::Client::builder()
        .pool_max_idle_per_host(args.senders)
        .build()?;
    for _ in 0..200 {
        if client.get(format!("{base}/healthz")).send().await.is_ok() {
            break;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    let stop = Arc::new(AtomicBool::new(false));
    let acked = Arc::new(AtomicU64::new(0));
    let started = Instant::now();
    let mut tasks = Vec::new();
    for s in 0..args.senders {
        let (client, base, token, stop, acked) = (
            client.clone(),
            base.clone(),
            token.clone(),
            stop.clone(),
            acked.clone(),
        );
        let n = args.batch;
        // Open loop: this sender's requests are due every `every`, staggered across senders;
        // the time is measured from when a request was due, so a slow answer that delays the
        // next request counts against hoego (no coordinated omission).
        let every = args
            .rate
            .map(|r| Duration::from_secs_f64(args.senders as f64 * n as f64 / r));
        let offset = every.map(|e| e.mul_f64(s as f64 / args.senders as f64));
        tasks.push(tokio::spawn(async move {
            let mut h = Histogram::<u64>::new_with_bounds(1, 60_000_000, 3).unwrap();
            let mut errors = 0u64;
            let begin = Instant::now();
            for batch in 0u64.. {
                if stop.load(Ordering::Relaxed) {
                    break;
                }
                let body = notification(s, batch, n);
                let sent = match (every, offset) {
                    (Some(e), Some(o)) => {
                        let due = begin + o + e * batch as u32;
                        tokio::time::sleep_until(due.into()).await;
                        due
                    }
                    _ => Instant::now(),
                };
                let r = client
                    .post(format!("{base}/api/v1/alerts/alertmanager"))
                    .bearer_auth(&token)
                    .json(&body)
                    .send()
                    .await;
                match r {
                    Ok(r) if r.status().is_success() => {
                        h.record(sent.elapsed().as_micros() as u64).unwrap();
                        acked.fetch_add(n as u64, Ordering::Relaxed);
                    }
                    _ => errors += 1,
                }
            }
            (h, errors)
        }));
    }
    tokio::time::sleep(Duration::from_secs(args.seconds)).await;
    stop.store(true, Ordering::Relaxed);
    let mut hist = Histogram::<u64>::new_with_bounds(1, 60_000_000, 3)?;
    let mut errors = 0;
    for t in tasks {
        let (h, e) = t.await?;
        hist.add(h)?;
        errors += e;
    }
    let elapsed = started.elapsed().as_secs_f64();
    let acked = acked.load(Ordering::Relaxed);
    let total: Value = client
        .get(format!("{base}/api/v1/alerts?limit=1"))
        .bearer_auth(&token)
        .send()
        .await?
        .json()
        .await?;
    if errors > 0 {
        eprintln!("{errors} requests failed");
    }
    Ok((
        acked as f64 / elapsed,
        hist,
        acked,
        total["total"].as_u64().unwrap_or(0),
    ))
}

/// The same rows straight into SQLite: one connection, one `BEGIN IMMEDIATE` transaction per
/// batch with hoego's own multi-row statement, WAL and `synchronous = NORMAL` as hoego opens it.
async fn ceiling(args: &Args, seconds: u64) -> anyhow::Result<f64> {
    let dir = tempfile::tempdir()?;
    // The schema as hoego makes it.
    let pool = server::storage::open(dir.path(), Default::default()).await?;
    pool.close().await;
    let options = SqliteConnectOptions::new()
        .filename(dir.path().join(server::storage::DB_FILE))
        .journal_mode(SqliteJournalMode::Wal)
        .synchronous(SqliteSynchronous::Normal);
    let mut conn = SqliteConnection::connect_with(&options).await?;
    let started = Instant::now();
    let mut rows = 0u64;
    for batch in 0u64.. {
        if started.elapsed() >= Duration::from_secs(seconds) {
            break;
        }
        let body = notification(99, batch, args.batch);
        let alerts = body["alerts"].as_array().unwrap();
        let sql = server::storage::alerts::insert_statement(alerts.len());
        let mut q = sqlx::query(&sql);
        for a in alerts {
            q = q
                .bind(a["fingerprint"].as_str())
                .bind(chrono::Utc::now())
                .bind(None::<String>)
                .bind("firing")
                .bind("alertmanager")
                .bind("DiskPressure")
                .bind(a["labels"]["service"].as_str())
                .bind("P3")
                .bind(a["labels"].to_string())
                .bind(a["annotations"].to_string())
                .bind(a["generatorURL"].as_str())
                .bind("hoego")
                .bind(body["groupKey"].as_str())
                .bind("http://alertmanager:9093")
                .bind(0i64)
                .bind(None::<String>)
                .bind(chrono::Utc::now())
                .bind(None::<String>);
        }
        let mut tx = conn.begin_with("BEGIN IMMEDIATE").await?;
        rows += q.fetch_all(&mut *tx).await?.len() as u64;
        tx.commit().await?;
    }
    Ok(rows as f64 / started.elapsed().as_secs_f64())
}

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let args = Args::parse();
    eprintln!(
        "ingesting for {} s: {} senders × {} alerts per request…",
        args.seconds, args.senders, args.batch
    );
    let (rate, hist, acked, stored) = ingest(&args).await?;
    eprintln!("the ceiling: the same rows into SQLite directly…");
    let ceiling = ceiling(&args, args.seconds.min(20)).await?;
    println!();
    println!(
        "alert ingestion — {} senders, {} alerts per request, {}, {} s, {} cores, {}",
        args.senders,
        args.batch,
        match args.rate {
            Some(r) => format!("open loop at {r:.0} alerts/s offered"),
            None => "closed loop (each sender posts again when answered)".into(),
        },
        args.seconds,
        std::thread::available_parallelism().map_or(1, |n| n.get()),
        chrono::Utc::now().format("%F")
    );
    println!();
    println!("| figure | value |");
    println!("|---|---|");
    println!("| alerts acknowledged | {acked} |");
    println!(
        "| alerts stored afterwards | {stored} ({}) |",
        if stored >= acked {
            "none lost"
        } else {
            "LOST SOME"
        }
    );
    println!("| **alerts/s through hoego** | **{rate:.0}** |");
    println!("| requests/s | {:.0} |", rate / args.batch as f64);
    println!(
        "| acknowledgement p50 | {} |",
        ms(hist.value_at_quantile(0.50))
    );
    println!(
        "| acknowledgement p99 | **{}** |",
        ms(hist.value_at_quantile(0.99))
    );
    println!("| acknowledgement max | {} |", ms(hist.max()));
    println!(
        "| ceiling: rows/s into SQLite directly, {} per transaction | {ceiling:.0} |",
        args.batch
    );
    println!("| ratio to the ceiling | {:.2} |", rate / ceiling);
    Ok(())
}
