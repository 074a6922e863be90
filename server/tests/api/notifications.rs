//! Outgoing webhooks: queued with the change, delivered by the background task, retried when
//! the receiver fails, and never sent twice.

use std::sync::{Arc, Mutex};
use std::time::Duration;

use app::domain::{HookEvent, HookFormat, HookInput};
use axum::Json;
use axum::http::StatusCode;
use serde_json::{Value, json};

use crate::helpers::*;

/// A receiver on a free port that answers 500 to its first `failures` requests, then 200,
/// and keeps every body it got with the status it answered.
async fn receiver(failures: usize) -> (String, Arc<Mutex<Vec<(u16, Value)>>>) {
    let got: Arc<Mutex<Vec<(u16, Value)>>> = Arc::default();
    let seen = got.clone();
    let app = axum::Router::new().route(
        "/hook",
        axum::routing::post(move |Json(body): Json<Value>| {
            let seen = seen.clone();
            async move {
                let mut seen = seen.lock().unwrap();
                let status = if seen.len() < failures { 500 } else { 200 };
                seen.push((status, body));
                StatusCode::from_u16(status).unwrap()
            }
        }),
    );
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
    (format!("http://{addr}/hook"), got)
}

/// Polls until `done` holds (a generous deadline; what is asserted is the outcome, not how
/// fast it came).
async fn until(what: &str, mut done: impl FnMut() -> bool) {
    for _ in 0..600 {
        if done() {
            return;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    panic!("{what} did not happen within 60 s");
}

async fn app_with_fast_retries() -> TestApp {
    let options = server::backend::Options {
        retry_base: Duration::from_millis(100),
        check_every: Duration::from_millis(200),
        base_url: "http://hoego.example".into(),
        ..Default::default()
    };
    spawn_app_configured(tempfile::tempdir().unwrap(), Default::default(), options).await
}

async fn hook(app: &TestApp, url: &str, format: HookFormat, events: Vec<HookEvent>) {
    let mut tx = app.store.begin().await.unwrap();
    server::storage::hooks::insert(
        &mut tx,
        &HookInput {
            name: format!("{format}"),
            url: url.into(),
            format,
            events,
            routing_key: "R0UT1NG".into(),
        },
    )
    .await
    .unwrap();
    tx.commit().await.unwrap();
}

#[tokio::test]
async fn a_failing_receiver_gets_it_again_and_only_once_it_answers() {
    let app = app_with_fast_retries().await;
    let (url, got) = receiver(2).await;
    hook(
        &app,
        &url,
        HookFormat::Json,
        vec![HookEvent::IncidentOpened],
    )
    .await;
    let first = app.incident(redis_incident()).await;
    until("delivery after two failures", || {
        got.lock().unwrap().iter().any(|(s, _)| *s == 200)
    })
    .await;
    // A second notification, delivered after the first: had the first been sent again, it
    // would be between them.
    let mut second = redis_incident();
    second["title"] = json!("second");
    let second = app.incident(second).await;
    until("the second delivery", || got.lock().unwrap().len() >= 4).await;
    let got = got.lock().unwrap().clone();
    let incidents: Vec<(u16, i64)> = got
        .iter()
        .map(|(s, b)| (*s, b["incident"]["id"].as_i64().unwrap()))
        .collect();
    assert_eq!(
        incidents,
        [(500, first), (500, first), (200, first), (200, second)]
    );
    assert_eq!(got[2].1["event"], "incident_opened");
    assert_eq!(
        got[2].1["url"],
        format!("http://hoego.example/incidents/{first}")
    );
}

#[tokio::test]
async fn slack_hears_status_changes_and_the_log_shows_each_attempt() {
    let app = app_with_fast_retries().await;
    let (url, got) = receiver(1).await;
    hook(
        &app,
        &url,
        HookFormat::Slack,
        vec![HookEvent::StatusChanged],
    )
    .await;
    let id = app.incident(redis_incident()).await;
    app.patch(
        &format!("/api/v1/incidents/{id}"),
        &json!({"status": "mitigating"}),
    )
    .await;
    until("the status change delivered", || {
        got.lock().unwrap().len() >= 2
    })
    .await;
    let text = got.lock().unwrap()[1].1["text"]
        .as_str()
        .unwrap()
        .to_owned();
    assert_eq!(
        text,
        format!(
            "Status detected → mitigating: Redis 연결 풀 고갈 <http://hoego.example/incidents/{id}|open in hoego>"
        )
    );
    // The incident's opening was not asked for, so only the change went out.
    assert_eq!(got.lock().unwrap().len(), 2);
    use server::storage::hooks;
    let hook = hooks::list(&app.store).await.unwrap().remove(0);
    // The receiver has the body before hoego records the attempt that sent it.
    let mut status = hooks::status(&app.store, hook.clone(), 20).await.unwrap();
    for _ in 0..600 {
        if status.deliveries.len() >= 2 {
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
        status = hooks::status(&app.store, hook.clone(), 20).await.unwrap();
    }
    let attempts: Vec<(u32, Option<u16>)> = status
        .deliveries
        .iter()
        .map(|d| (d.attempt, d.status_code))
        .collect();
    assert_eq!(attempts, [(2, Some(200)), (1, Some(500))]);
    assert_eq!((status.pending, status.failed), (0, 0));
}
