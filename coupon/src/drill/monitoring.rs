//! Prometheus and Alertmanager (Debian's `prometheus` and `prometheus-alertmanager`) as child
//! processes on free ports with their data in a temporary directory: Prometheus scrapes the
//! service every second, evaluates the drill profile's rules every second and sends to this
//! Alertmanager, which sends to hoego. Also what the drill asks Prometheus: its alerts.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

use anyhow::{Context, Result, bail};
use chrono::{DateTime, Utc};
use serde::Deserialize;

use crate::stack::{Kept, Process, free_port, tail, wait_for_port};

/// The scrape job's name.
pub const JOB: &str = "coupon";

/// Prometheus and Alertmanager, running.
pub struct Monitoring {
    /// Prometheus's base URL.
    pub prometheus: String,
    /// Alertmanager's base URL.
    pub alertmanager: String,
    http: reqwest::Client,
    kept: Kept<(u16, u16)>,
    dir: tempfile::TempDir,
}

/// An alert as Prometheus's `GET /api/v1/alerts` lists it.
#[derive(Debug, Clone, Deserialize)]
pub struct PromAlert {
    pub labels: BTreeMap<String, String>,
    /// `pending` or `firing`.
    pub state: String,
    /// When its condition started to hold (it went pending).
    #[serde(rename = "activeAt")]
    pub active_at: DateTime<Utc>,
}

impl PromAlert {
    pub fn name(&self) -> &str {
        self.label("alertname")
    }

    pub fn label(&self, name: &str) -> &str {
        self.labels.get(name).map(String::as_str).unwrap_or("")
    }

    pub fn firing(&self) -> bool {
        self.state == "firing"
    }
}

#[derive(Deserialize)]
struct Answer<T> {
    data: T,
}

#[derive(Deserialize)]
struct Alerts {
    alerts: Vec<PromAlert>,
}

#[derive(Deserialize)]
struct Targets {
    #[serde(rename = "activeTargets")]
    active: Vec<Target>,
}

#[derive(Deserialize)]
struct Target {
    health: String,
    #[serde(rename = "lastError", default)]
    last_error: String,
}

/// The first of `names` found on `PATH`.
fn binary(names: &[&str]) -> Result<PathBuf> {
    let path = std::env::var_os("PATH").unwrap_or_default();
    for name in names {
        for dir in std::env::split_paths(&path) {
            let candidate = dir.join(name);
            if candidate.is_file() {
                return Ok(candidate);
            }
        }
    }
    bail!(
        "{} not found on PATH (install Debian's prometheus and prometheus-alertmanager: \
         source scripts/setup.sh; setup_monitoring)",
        names.join(" or ")
    )
}

/// `http://HOST:PORT[/prefix]` → (`HOST:PORT`, `/prefix/metrics`).
fn scrape_target(service: &str) -> Result<(String, String)> {
    let rest = service
        .strip_prefix("http://")
        .with_context(|| format!("the service URL must be http://HOST:PORT, not {service:?}"))?;
    let (host, prefix) = match rest.find('/') {
        Some(i) => (&rest[..i], rest[i..].trim_end_matches('/')),
        None => (rest, ""),
    };
    if host.is_empty() {
        bail!("the service URL {service:?} has no host");
    }
    Ok((host.to_owned(), format!("{prefix}/metrics")))
}

fn prometheus_config(service: &str, rules: &Path, alertmanager_port: u16) -> Result<String> {
    let (target, metrics_path) = scrape_target(service)?;
    Ok(format!(
        "global:\n  scrape_interval: 1s\n  evaluation_interval: 1s\n\
         rule_files:\n  - '{rules}'\n\
         alerting:\n  alertmanagers:\n    - static_configs:\n        - targets: ['127.0.0.1:{alertmanager_port}']\n\
         scrape_configs:\n  - job_name: {JOB}\n    scrape_interval: 1s\n    scrape_timeout: 1s\n    \
         metrics_path: '{metrics_path}'\n    static_configs:\n      - targets: ['{target}']\n",
        rules = rules.display(),
    ))
}

impl Monitoring {
    /// Writes the configs into a temporary directory and starts Alertmanager, then Prometheus
    /// scraping `service` (`http://HOST:PORT`) with `rules`; returns once both answer ready.
    pub async fn start(
        service: &str,
        rules: &str,
        alertmanager_config: &str,
    ) -> Result<Monitoring> {
        let prometheus_bin = binary(&["prometheus"])?;
        let alertmanager_bin = binary(&["prometheus-alertmanager", "alertmanager"])?;
        let dir = tempfile::Builder::new()
            .prefix("coupon-drill-monitoring-")
            .tempdir()
            .context("creating a directory for Prometheus and Alertmanager")?;
        let root = dir.path().to_owned();
        let rules_file = root.join("alerts.drill.yml");
        std::fs::write(&rules_file, rules)?;
        std::fs::write(root.join("alertmanager.yml"), alertmanager_config)?;
        let (prometheus_port, alertmanager_port) = (free_port()?, free_port()?);
        std::fs::write(
            root.join("prometheus.yml"),
            prometheus_config(service, &rules_file, alertmanager_port)?,
        )?;
        let kept = Kept::start(
            "coupon-drill-monitoring",
            move || {
                let log = root.join("alertmanager.log");
                let mut alertmanager = Process::spawn(
                    "prometheus-alertmanager",
                    Command::new(&alertmanager_bin)
                        .arg(format!(
                            "--config.file={}",
                            root.join("alertmanager.yml").display()
                        ))
                        .arg(format!(
                            "--storage.path={}",
                            root.join("alertmanager-data").display()
                        ))
                        .arg(format!(
                            "--web.listen-address=127.0.0.1:{alertmanager_port}"
                        ))
                        // No cluster: a lone Alertmanager that opens no gossip port.
                        .arg("--cluster.listen-address=")
                        .arg("--log.level=warn"),
                    &log,
                )?;
                wait_for_port(
                    alertmanager_port,
                    &mut alertmanager,
                    &log,
                    Duration::from_secs(30),
                )?;
                let log = root.join("prometheus.log");
                let mut prometheus = Process::spawn(
                    "prometheus",
                    Command::new(&prometheus_bin)
                        .arg(format!(
                            "--config.file={}",
                            root.join("prometheus.yml").display()
                        ))
                        .arg(format!(
                            "--storage.tsdb.path={}",
                            root.join("prometheus-data").display()
                        ))
                        .arg(format!("--web.listen-address=127.0.0.1:{prometheus_port}"))
                        .arg("--log.level=warn"),
                    &log,
                )?;
                wait_for_port(
                    prometheus_port,
                    &mut prometheus,
                    &log,
                    Duration::from_secs(30),
                )?;
                Ok((
                    (prometheus, alertmanager),
                    (prometheus_port, alertmanager_port),
                ))
            },
            |(mut prometheus, mut alertmanager)| {
                prometheus.stop(Duration::from_secs(10));
                alertmanager.stop(Duration::from_secs(10));
            },
        )
        .await?;
        let (prometheus_port, alertmanager_port) = kept.info;
        let monitoring = Monitoring {
            prometheus: format!("http://127.0.0.1:{prometheus_port}"),
            alertmanager: format!("http://127.0.0.1:{alertmanager_port}"),
            http: reqwest::Client::builder()
                .timeout(Duration::from_secs(10))
                .build()?,
            kept,
            dir,
        };
        for (name, base, log) in [
            ("Alertmanager", &monitoring.alertmanager, "alertmanager.log"),
            ("Prometheus", &monitoring.prometheus, "prometheus.log"),
        ] {
            monitoring.wait_ready(name, base, log).await?;
        }
        Ok(monitoring)
    }

    async fn wait_ready(&self, name: &str, base: &str, log: &str) -> Result<()> {
        let deadline = Instant::now() + Duration::from_secs(60);
        loop {
            let ready = self.http.get(format!("{base}/-/ready")).send().await;
            if ready.is_ok_and(|r| r.status().is_success()) {
                return Ok(());
            }
            if Instant::now() > deadline {
                bail!(
                    "{name} did not become ready within 60 s; its log:\n{}",
                    tail(&self.dir.path().join(log))
                );
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    }

    /// Waits until Prometheus has scraped the service successfully.
    pub async fn wait_scraping(&self, limit: Duration) -> Result<()> {
        let deadline = Instant::now() + limit;
        loop {
            let answer: Answer<Targets> = self.get("/api/v1/targets?state=active").await?;
            let last_error = match answer.data.active.first() {
                Some(t) if t.health == "up" => return Ok(()),
                Some(t) => t.last_error.clone(),
                None => "no target yet".to_owned(),
            };
            if Instant::now() > deadline {
                bail!(
                    "Prometheus could not scrape the service's /metrics within {limit:?}: {last_error}"
                );
            }
            tokio::time::sleep(Duration::from_millis(200)).await;
        }
    }

    /// Prometheus's pending and firing alerts.
    pub async fn alerts(&self) -> Result<Vec<PromAlert>> {
        let answer: Answer<Alerts> = self.get("/api/v1/alerts").await?;
        Ok(answer.data.alerts)
    }

    async fn get<T: serde::de::DeserializeOwned>(&self, path: &str) -> Result<T> {
        let url = format!("{}{path}", self.prometheus);
        let answer = self
            .http
            .get(&url)
            .send()
            .await
            .with_context(|| format!("asking Prometheus {url}"))?;
        let status = answer.status();
        let text = answer.text().await.unwrap_or_default();
        if !status.is_success() {
            bail!("Prometheus answered {status} to {url}: {text}");
        }
        serde_json::from_str(&text).with_context(|| format!("reading Prometheus's {url}: {text}"))
    }

    /// The last lines of both logs (for a report of what went wrong).
    pub fn logs(&self) -> String {
        ["prometheus.log", "alertmanager.log"]
            .iter()
            .map(|log| format!("{log}:\n{}", tail(&self.dir.path().join(log))))
            .collect::<Vec<_>>()
            .join("\n")
    }

    /// Stops both and removes their data.
    pub async fn stop(self) {
        self.kept.stop().await;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_scrape_target_comes_from_the_service_url() {
        assert_eq!(
            scrape_target("http://127.0.0.1:8080").unwrap(),
            ("127.0.0.1:8080".to_owned(), "/metrics".to_owned())
        );
        assert_eq!(
            scrape_target("http://coupon.internal:80/shop/").unwrap(),
            ("coupon.internal:80".to_owned(), "/shop/metrics".to_owned())
        );
        assert!(scrape_target("https://x:1").is_err());
        assert!(scrape_target("http:///metrics").is_err());
    }

    #[test]
    fn prometheus_alerts_read_as_its_api_writes_them() {
        let a: Answer<Alerts> = serde_json::from_str(
            r#"{"status":"success","data":{"alerts":[{"labels":{"alertname":"RedisPoolCritical",
            "severity":"critical"},"annotations":{},"state":"pending",
            "activeAt":"2026-12-01T10:00:01.5Z","value":"1e+00"}]}}"#,
        )
        .unwrap();
        let alert = &a.data.alerts[0];
        assert_eq!(
            (alert.name(), alert.label("severity")),
            ("RedisPoolCritical", "critical")
        );
        assert!(!alert.firing());
    }
}
