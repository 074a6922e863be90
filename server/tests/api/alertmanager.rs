//! A real Alertmanager (Debian's `prometheus-alertmanager`) notifying hoego through its webhook
//! receiver with a bearer token: an alert added with `amtool` opens an incident, and ending it
//! adds the resolution. Also: hoego killed with SIGKILL while alerts arrive keeps every batch it
//! acknowledged.

use std::net::TcpListener;
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::Duration;

use app::domain::Scope;
use chrono::{SecondsFormat, Utc};
use reqwest::StatusCode;
use serde_json::Value;

use crate::alerts::{alert, machine_token, notification};
use crate::helpers::*;

fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

/// A child process killed when dropped.
struct Running(Child);

impl Drop for Running {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

fn alertmanager_binary() -> &'static str {
    for b in ["/usr/bin/prometheus-alertmanager", "/usr/bin/alertmanager"] {
        if Path::new(b).exists() {
            return b;
        }
    }
    panic!("Alertmanager is not installed (scripts/setup.sh installs prometheus-alertmanager)")
}

/// Polls `check` every 200 ms until it gives a value (a generous deadline: what is asserted is
/// the outcome, not how quickly Alertmanager delivered it).
async fn eventually<T>(what: &str, mut check: impl AsyncFnMut() -> Option<T>) -> T {
    for _ in 0..300 {
        if let Some(v) = check().await {
            return v;
        }
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
    panic!("{what} did not happen within 60 s")
}

fn amtool(url: &str, args: &[&str]) {
    let out = Command::new("amtool")
        .arg(format!("--alertmanager.url={url}"))
        .args(["alert", "add"])
        .args(args)
        .output()
        .expect("amtool runs");
    assert!(
        out.status.success(),
        "amtool: {}",
        String::from_utf8_lossy(&out.stderr)
    );
}

#[tokio::test]
async fn an_alert_from_alertmanager_opens_an_incident_and_resolves() {
    let app = spawn_app().await;
    let token = machine_token(&app, "alertmanager", &[Scope::Ingest]).await;
    let dir = tempfile::tempdir().unwrap();
    let config = format!(
        r#"
route:
  receiver: hoego
  group_by: ['alertname']
  group_wait: 1s
  group_interval: 1s
  repeat_interval: 1h
receivers:
  - name: hoego
    webhook_configs:
      - url: {}/api/v1/alerts/alertmanager
        send_resolved: true
        http_config:
          authorization:
            credentials: {token}
"#,
        app.addr
    );
    std::fs::write(dir.path().join("alertmanager.yml"), config).unwrap();
    let port = free_port();
    let url = format!("http://127.0.0.1:{port}");
    let _am = Running(
        Command::new(alertmanager_binary())
            .arg(format!(
                "--config.file={}",
                dir.path().join("alertmanager.yml").display()
            ))
            .arg(format!(
                "--storage.path={}",
                dir.path().join("data").display()
            ))
            .arg(format!("--web.listen-address=127.0.0.1:{port}"))
            .arg("--cluster.listen-address=")
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("alertmanager starts"),
    );
    let probe = reqwest::Client::new();
    eventually("Alertmanager ready", async || {
        let r = probe.get(format!("{url}/-/ready")).send().await.ok()?;
        r.status().is_success().then_some(())
    })
    .await;

    let started =
        (Utc::now() - chrono::Duration::seconds(90)).to_rfc3339_opts(SecondsFormat::Secs, true);
    let labels = ["RedisPoolExhausted", "service=coupon-api", "priority=P1"];
    let mut add: Vec<String> = labels.iter().map(|s| s.to_string()).collect();
    add.push("--annotation=summary=Redis 연결 풀 사용률 95 %".into());
    add.push(format!("--start={started}"));
    amtool(&url, &add.iter().map(String::as_str).collect::<Vec<_>>());

    let incident = eventually("the incident opened", async || {
        let (_, list) = app.get_json("/api/v1/incidents").await;
        list["items"].as_array()?.first()?["id"].as_i64()
    })
    .await;
    let (_, inc) = app.get_json(&format!("/api/v1/incidents/{incident}")).await;
    assert_eq!(inc["title"], "Redis 연결 풀 사용률 95 %");
    assert_eq!(inc["severity"], "P1");
    assert_eq!(inc["started_at_provenance"], "alert");
    // Started 90 s before it was added: TTD is at least that.
    assert!(inc["ttd_seconds"].as_i64().unwrap() >= 90, "{inc}");
    assert_eq!(inc["alerts"][0]["receiver"], "hoego");
    assert!(!inc["alerts"][0]["fingerprint"].as_str().unwrap().is_empty());

    // Ending it: Alertmanager sends the resolution.
    let ended =
        (Utc::now() - chrono::Duration::seconds(1)).to_rfc3339_opts(SecondsFormat::Secs, true);
    let mut end = add.clone();
    end.push(format!("--end={ended}"));
    amtool(&url, &end.iter().map(String::as_str).collect::<Vec<_>>());
    let kinds = eventually("the resolution", async || {
        let (_, inc) = app.get_json(&format!("/api/v1/incidents/{incident}")).await;
        let kinds: Vec<String> = inc["timeline"]
            .as_array()?
            .iter()
            .map(|e| e["kind"].as_str().unwrap_or_default().to_owned())
            .collect();
        kinds
            .contains(&"alert_resolved".to_owned())
            .then_some(kinds)
    })
    .await;
    assert_eq!(kinds, ["alert_fired", "alert_resolved"]);
}

/// `hoego` as its own process, so it can be killed.
fn hoego(dir: &Path, args: &[&str]) -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_hoego"));
    c.args(args)
        .arg("--data-dir")
        .arg(dir)
        .env("RUST_LOG", "error")
        .stderr(Stdio::null());
    c
}

#[tokio::test]
async fn alerts_acknowledged_before_a_kill_are_all_there_after_it() {
    let dir = tempfile::tempdir().unwrap();
    let out = hoego(
        dir.path(),
        &["token", "create", "--name", "am", "--scope", "ingest"],
    )
    .output()
    .unwrap();
    let token = String::from_utf8(out.stdout).unwrap().trim().to_owned();
    assert!(token.starts_with("hoego_"), "{token:?}");
    let port = free_port();
    let serve = |port: u16| {
        Running(
            hoego(
                dir.path(),
                &[
                    "serve",
                    "--addr",
                    &format!("127.0.0.1:{port}"),
                    "--site-root",
                    "/nonexistent",
                ],
            )
            .stdout(Stdio::null())
            .spawn()
            .unwrap(),
        )
    };
    let mut server = serve(port);
    let base = format!("http://127.0.0.1:{port}");
    let sender = client(bearer(&token));
    eventually("hoego up", async || {
        sender
            .get(format!("{base}/healthz"))
            .send()
            .await
            .ok()
            .map(|_| ())
    })
    .await;

    // Four senders post batches of 50 new alerts until the server is killed under them.
    let acknowledged = std::sync::Arc::new(std::sync::Mutex::new(Vec::<String>::new()));
    let mut senders = Vec::new();
    for s in 0..4 {
        let (sender, base, acked) = (sender.clone(), base.clone(), acknowledged.clone());
        senders.push(tokio::spawn(async move {
            for batch in 0.. {
                let fps: Vec<String> = (0..50).map(|i| format!("s{s}-b{batch}-a{i}")).collect();
                let body = notification(
                    &format!("g{s}"),
                    fps.iter()
                        .map(|fp| {
                            alert(
                                fp,
                                "Storm",
                                &format!("svc{s}"),
                                "P3",
                                "2026-11-30T05:00:00Z",
                                None,
                            )
                        })
                        .collect(),
                );
                match sender
                    .post(format!("{base}/api/v1/alerts/alertmanager"))
                    .json(&body)
                    .send()
                    .await
                {
                    Ok(r) if r.status() == StatusCode::OK => acked.lock().unwrap().extend(fps),
                    _ => return,
                }
            }
        }));
    }
    eventually("some batches acknowledged", async || {
        (acknowledged.lock().unwrap().len() >= 2_000).then_some(())
    })
    .await;
    server.0.kill().unwrap(); // SIGKILL
    server.0.wait().unwrap();
    for s in senders {
        s.await.unwrap();
    }
    drop(server);

    let acked = acknowledged.lock().unwrap().clone();
    let port = free_port();
    let _server = serve(port);
    let base = format!("http://127.0.0.1:{port}");
    eventually("hoego up again", async || {
        sender
            .get(format!("{base}/healthz"))
            .send()
            .await
            .ok()
            .map(|_| ())
    })
    .await;
    let mut stored = std::collections::HashSet::new();
    let reader = {
        let out = hoego(
            dir.path(),
            &["token", "create", "--name", "reader", "--scope", "read"],
        )
        .output()
        .unwrap();
        client(bearer(String::from_utf8(out.stdout).unwrap().trim()))
    };
    for offset in (0..).step_by(200) {
        let page: Value = reader
            .get(format!("{base}/api/v1/alerts?limit=200&offset={offset}"))
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        let items = page["items"].as_array().unwrap();
        if items.is_empty() {
            break;
        }
        stored.extend(
            items
                .iter()
                .map(|a| a["fingerprint"].as_str().unwrap().to_owned()),
        );
    }
    let missing: Vec<&String> = acked.iter().filter(|fp| !stored.contains(*fp)).collect();
    assert!(acked.len() >= 2_000);
    assert_eq!(
        missing.len(),
        0,
        "acknowledged but lost: {:?}",
        &missing[..missing.len().min(5)]
    );
}
