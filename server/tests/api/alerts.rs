//! Alertmanager and Grafana webhooks: stored once, linked by the rules, linked by hand,
//! refused whole when wrong.

use app::domain::{Actor, Role, Scope, TokenInput};
use app::service::TokenService;
use reqwest::{Client, StatusCode};
use serde_json::{Value, json};

use crate::helpers::*;

/// A machine's token (as `hoego token create` makes one).
pub async fn machine_token(app: &TestApp, name: &str, scopes: &[Scope]) -> String {
    let accounts = server::accounts::Accounts::new(app.store.clone());
    TokenService::create(
        &accounts,
        &Actor::system(),
        TokenInput {
            name: name.into(),
            scopes: scopes.to_vec(),
        },
    )
    .await
    .unwrap()
    .secret
}

pub async fn sender(app: &TestApp) -> Client {
    client(bearer(
        &machine_token(app, "alertmanager", &[Scope::Ingest]).await,
    ))
}

/// An Alertmanager (v4) notification.
pub fn notification(group: &str, alerts: Vec<Value>) -> Value {
    json!({
        "version": "4", "receiver": "hoego", "status": "firing", "groupKey": group,
        "truncatedAlerts": 0, "groupLabels": {"alertname": "x"}, "commonLabels": {},
        "commonAnnotations": {}, "externalURL": "http://alertmanager.example:9093",
        "alerts": alerts
    })
}

/// One alert: firing unless `ends` is given.
pub fn alert(
    fp: &str,
    name: &str,
    service: &str,
    priority: &str,
    starts: &str,
    ends: Option<&str>,
) -> Value {
    json!({
        "status": if ends.is_some() { "resolved" } else { "firing" },
        "labels": {"alertname": name, "service": service, "priority": priority, "severity": "critical"},
        "annotations": {"summary": format!("{name} on {service}"), "description": "쿠폰 API 응답 지연이 급증했습니다"},
        "startsAt": starts,
        "endsAt": ends.unwrap_or("0001-01-01T00:00:00Z"),
        "generatorURL": "http://prometheus.example:9090/graph?g0.expr=up",
        "fingerprint": fp
    })
}

async fn post(c: &Client, app: &TestApp, body: &Value) -> (StatusCode, Value) {
    let r = c
        .post(app.url("/api/v1/alerts/alertmanager"))
        .json(body)
        .send()
        .await
        .unwrap();
    let status = r.status();
    (status, r.json().await.unwrap_or(Value::Null))
}

async fn alerts(app: &TestApp, query: &str) -> Value {
    app.get_json(&format!("/api/v1/alerts{query}")).await.1
}

#[tokio::test]
async fn a_p1_alert_opens_an_incident_with_its_times_and_events() {
    let app = spawn_app().await;
    let am = sender(&app).await;
    let body = notification(
        "{}:{alertname=\"RedisPoolHigh\"}",
        vec![alert(
            "a1",
            "RedisPoolHigh",
            "coupon-api",
            "P1",
            "2026-11-30T05:00:00Z",
            None,
        )],
    );
    let (status, got) = post(&am, &app, &body).await;
    assert_eq!(status, StatusCode::OK, "{got}");
    assert_eq!(
        (got["new"].as_i64(), got["opened"].as_array().map(Vec::len)),
        (Some(1), Some(1))
    );
    let id = got["opened"][0].as_i64().unwrap();
    let (_, inc) = app.get_json(&format!("/api/v1/incidents/{id}")).await;
    assert_eq!(inc["title"], "RedisPoolHigh on coupon-api");
    assert_eq!(inc["severity"], "P1");
    assert_eq!(inc["status"], "detected");
    assert_eq!(inc["services"], json!(["coupon-api"]));
    assert_eq!(inc["started_at"], "2026-11-30T05:00:00Z");
    assert_eq!(inc["started_at_provenance"], "alert");
    assert_eq!(inc["detected_at_provenance"], "alert");
    // Detected when hoego received it: TTD is known (and, for a start long ago, breached).
    assert!(inc["ttd_seconds"].as_i64().unwrap() > 0);
    assert_eq!(inc["timeline"][0]["kind"], "alert_fired");
    assert_eq!(inc["timeline"][0]["source"], "alert");
    assert_eq!(inc["timeline"][0]["at"], "2026-11-30T05:00:00Z");
    assert_eq!(inc["alerts"][0]["fingerprint"], "a1");
    assert_eq!(inc["alerts"][0]["linked_by"], "rule");
    assert_eq!(
        inc["alerts"][0]["external_url"],
        "http://alertmanager.example:9093"
    );
    // The alert's description is searchable with its incident.
    let (_, found) = app.get_json("/api/v1/search?q=응답%20지연").await;
    assert_eq!(
        found["hits"][0]["incident_id"].as_i64(),
        Some(id),
        "{found}"
    );
}

#[tokio::test]
async fn redelivery_changes_nothing_and_resolution_is_recorded() {
    let app = spawn_app().await;
    let am = sender(&app).await;
    let firing = notification(
        "g",
        vec![alert(
            "fp",
            "Lag",
            "kafka",
            "P2",
            "2026-11-30T05:00:00Z",
            None,
        )],
    );
    let (_, first) = post(&am, &app, &firing).await;
    let id = first["opened"][0].as_i64().unwrap();
    let (_, again) = post(&am, &app, &firing).await;
    assert_eq!(
        (again["new"].as_i64(), again["unchanged"].as_i64()),
        (Some(0), Some(1)),
        "{again}"
    );
    assert_eq!(again["opened"], json!([]));
    assert_eq!(alerts(&app, "").await["total"], 1);
    let resolved = notification(
        "g",
        vec![alert(
            "fp",
            "Lag",
            "kafka",
            "P2",
            "2026-11-30T05:00:00Z",
            Some("2026-11-30T05:12:00Z"),
        )],
    );
    let (_, r) = post(&am, &app, &resolved).await;
    assert_eq!(r["updated"], 1);
    let (_, again) = post(&am, &app, &resolved).await;
    assert_eq!(again["unchanged"], 1);
    let (_, inc) = app.get_json(&format!("/api/v1/incidents/{id}")).await;
    let kinds: Vec<&str> = inc["timeline"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["kind"].as_str().unwrap())
        .collect();
    assert_eq!(kinds, ["alert_fired", "alert_resolved"]);
    assert_eq!(inc["alerts"][0]["status"], "resolved");
    assert_eq!(inc["alerts"][0]["ends_at"], "2026-11-30T05:12:00Z");
    assert_eq!(
        inc["recovered_at"],
        Value::Null,
        "recovery is offered, not set"
    );
    // One click on the incident page takes the recovery time from the alerts.
    let r = app
        .client
        .post(app.url("/api/incidents/recover-from-alerts"))
        .header("accept", "application/json")
        .form(&[("incident", id.to_string())])
        .send()
        .await
        .unwrap();
    assert!(r.status().is_success(), "{}", r.status());
    let (_, inc) = app.get_json(&format!("/api/v1/incidents/{id}")).await;
    assert_eq!(inc["recovered_at"], "2026-11-30T05:12:00Z");
    assert_eq!(inc["recovered_at_provenance"], "alert");
    assert_eq!(inc["ttr_seconds"], 720);
}

#[tokio::test]
async fn one_webhook_may_carry_an_alert_twice_and_old_beside_new() {
    let app = spawn_app().await;
    let am = sender(&app).await;
    let old = alert("old", "Lag", "kafka", "P3", "2026-11-30T04:00:00Z", None);
    post(&am, &app, &notification("g", vec![old.clone()])).await;
    // The same alert firing and then resolved in one notification, beside the one already
    // stored and a new one: one row each, in order.
    let (status, r) = post(
        &am,
        &app,
        &notification(
            "g",
            vec![
                alert("fp", "Lag", "kafka", "P3", "2026-11-30T05:00:00Z", None),
                old,
                alert(
                    "fp",
                    "Lag",
                    "kafka",
                    "P3",
                    "2026-11-30T05:00:00Z",
                    Some("2026-11-30T05:09:00Z"),
                ),
                alert("new", "Lag", "kafka", "P3", "2026-11-30T05:01:00Z", None),
            ],
        ),
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{r}");
    assert_eq!(
        (
            r["new"].as_i64(),
            r["updated"].as_i64(),
            r["unchanged"].as_i64()
        ),
        (Some(2), Some(1), Some(1)),
        "{r}"
    );
    let list = alerts(&app, "").await;
    assert_eq!(list["total"], 3);
    let fp = list["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|a| a["fingerprint"] == "fp")
        .unwrap();
    assert_eq!(
        (fp["status"].as_str(), fp["ends_at"].as_str()),
        (Some("resolved"), Some("2026-11-30T05:09:00Z"))
    );
}

#[tokio::test]
async fn a_group_joins_one_incident_and_low_priorities_wait_unlinked() {
    let app = spawn_app().await;
    let am = sender(&app).await;
    let (_, first) = post(
        &am,
        &app,
        &notification(
            "grp",
            vec![alert(
                "a",
                "MySQLPool",
                "mysql",
                "P0",
                "2026-11-30T05:00:00Z",
                None,
            )],
        ),
    )
    .await;
    let id = first["opened"][0].as_i64().unwrap();
    // Same notification group, another service: the same incident.
    let (_, second) = post(
        &am,
        &app,
        &notification(
            "grp",
            vec![alert(
                "b",
                "HighLatency",
                "coupon-api",
                "P1",
                "2026-11-30T05:01:00Z",
                None,
            )],
        ),
    )
    .await;
    assert_eq!(second["joined"], json!([id]), "{second}");
    // Another group, but the open incident's service: joins it too.
    let (_, third) = post(
        &am,
        &app,
        &notification(
            "other",
            vec![alert(
                "c",
                "SlowQueries",
                "mysql",
                "P3",
                "2026-11-30T05:02:00Z",
                None,
            )],
        ),
    )
    .await;
    assert_eq!(third["joined"], json!([id]));
    // Below the threshold with nothing open for its service: kept, not linked.
    let (_, low) = post(
        &am,
        &app,
        &notification(
            "low",
            vec![alert(
                "d",
                "CacheHitLow",
                "redis",
                "P3",
                "2026-11-30T05:03:00Z",
                None,
            )],
        ),
    )
    .await;
    assert_eq!(
        (low["opened"].clone(), low["joined"].clone()),
        (json!([]), json!([]))
    );
    assert_eq!(app.total_incidents().await, 1);
    let unlinked = alerts(&app, "?linked=no").await;
    assert_eq!(unlinked["total"], 1);
    assert_eq!(unlinked["items"][0]["alertname"], "CacheHitLow");
    assert_eq!(alerts(&app, "?linked=yes&service=mysql").await["total"], 2);
}

#[tokio::test]
async fn alerts_are_linked_and_unlinked_by_hand() {
    let app = spawn_app().await;
    let am = sender(&app).await;
    post(
        &am,
        &app,
        &notification(
            "g",
            vec![alert(
                "d",
                "CacheHitLow",
                "redis",
                "P3",
                "2026-11-30T05:03:00Z",
                None,
            )],
        ),
    )
    .await;
    let alert_id = alerts(&app, "").await["items"][0]["id"].as_i64().unwrap();
    let incident = app.incident(redis_incident()).await;
    let (status, linked) = app
        .post(
            &format!("/api/v1/alerts/{alert_id}/link"),
            &json!({"incident_id": incident}),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{linked}");
    assert_eq!(
        (linked["incident_id"].as_i64(), linked["linked_by"].as_str()),
        (Some(incident), Some("hand"))
    );
    let (_, inc) = app.get_json(&format!("/api/v1/incidents/{incident}")).await;
    assert_eq!(inc["timeline"][0]["kind"], "alert_fired");
    let r = app
        .client
        .delete(app.url(&format!("/api/v1/alerts/{alert_id}/link")))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::OK);
    let (_, inc) = app.get_json(&format!("/api/v1/incidents/{incident}")).await;
    assert_eq!(inc["timeline"], json!([]), "its events left with it");
    assert_eq!(inc["alerts"], json!([]));
    let (status, _) = app
        .post(
            &format!("/api/v1/alerts/{alert_id}/link"),
            &json!({"incident": 1}),
        )
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
}

#[tokio::test]
async fn bad_bodies_are_refused_whole() {
    let app = spawn_app().await;
    let am = sender(&app).await;
    let good = alert("g1", "X", "svc", "P1", "2026-11-30T05:00:00Z", None);
    let mut bad_time = alert("g2", "X", "svc", "P1", "yesterday", None);
    bad_time["fingerprint"] = json!("g2");
    let cases = [
        (
            notification("g", vec![good.clone(), bad_time]),
            StatusCode::UNPROCESSABLE_ENTITY,
            "alerts[1].startsAt",
        ),
        (
            json!({"version": "4", "receiver": "x"}),
            StatusCode::UNPROCESSABLE_ENTITY,
            "alerts",
        ),
        (
            {
                let mut v = notification("g", vec![good.clone()]);
                v["version"] = json!("3");
                v
            },
            StatusCode::UNPROCESSABLE_ENTITY,
            "version",
        ),
        (
            {
                let mut a = good.clone();
                a["fingerprint"] = json!("");
                notification("g", vec![a])
            },
            StatusCode::UNPROCESSABLE_ENTITY,
            "alerts[0].fingerprint",
        ),
    ];
    for (body, status, field) in cases {
        let (got, err) = post(&am, &app, &body).await;
        assert_eq!((got, err["field"].as_str()), (status, Some(field)), "{err}");
    }
    let r = am
        .post(app.url("/api/v1/alerts/alertmanager"))
        .header("content-type", "application/json")
        .body("{not json")
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::BAD_REQUEST);
    // Nothing of any of them was stored: the good alert beside the bad one neither.
    assert_eq!(alerts(&app, "").await["total"], 0);
    assert_eq!(app.total_incidents().await, 0);
}

#[tokio::test]
async fn senders_need_an_ingest_token() {
    let app = spawn_app().await;
    let body = notification(
        "g",
        vec![alert("z", "X", "svc", "P0", "2026-11-30T05:00:00Z", None)],
    );
    let (status, _) = post(&app.anonymous, &app, &body).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
    let reader = client(bearer(&machine_token(&app, "reader", &[Scope::Read]).await));
    let (status, _) = post(&reader, &app, &body).await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    let viewer = app.client_as("v", Role::Viewer, &[Scope::Read]).await;
    let (status, _) = post(&viewer, &app, &body).await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    assert_eq!(alerts(&app, "").await["total"], 0);
}

#[tokio::test]
async fn grafana_notifications_are_read_too() {
    let app = spawn_app().await;
    let am = sender(&app).await;
    let body = json!({
        "receiver": "hoego", "status": "firing", "orgId": 1, "version": "1",
        "groupKey": "{}/{}:{}", "truncatedAlerts": 2, "groupLabels": {}, "commonLabels": {},
        "commonAnnotations": {}, "externalURL": "http://grafana.example:3000/",
        "title": "[FIRING:1] CouponErrors", "state": "alerting", "message": "…",
        "alerts": [{
            "status": "firing",
            "labels": {"alertname": "CouponErrors", "service": "coupon-api", "severity": "critical",
                       "grafana_folder": "coupon"},
            "annotations": {"summary": "5xx share over 5 %"},
            "startsAt": "2026-11-30T06:00:00Z", "endsAt": "0001-01-01T00:00:00Z",
            "generatorURL": "http://grafana.example:3000/alerting/grafana/abc/view",
            "fingerprint": "c0ffee",
            "silenceURL": "http://grafana.example:3000/alerting/silence/new",
            "dashboardURL": "http://grafana.example:3000/d/coupon",
            "panelURL": "http://grafana.example:3000/d/coupon?viewPanel=2",
            "values": {"B": 7.5}
        }]
    });
    let r = am
        .post(app.url("/api/v1/alerts/grafana"))
        .json(&body)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::OK);
    let got = alerts(&app, "").await["items"][0].clone();
    assert_eq!(got["source"], "grafana");
    assert_eq!(got["priority"], "P1", "severity critical maps to P1");
    assert_eq!(got["truncated_alerts"], 2);
    assert_eq!(
        got["extra"]["dashboardURL"],
        "http://grafana.example:3000/d/coupon"
    );
    assert_eq!(got["extra"]["values"]["B"], 7.5);
    assert_eq!(got["labels"]["grafana_folder"], "coupon");
}

#[tokio::test]
async fn hostile_labels_are_kept_whole_and_shown_escaped() {
    let app = spawn_app().await;
    let am = sender(&app).await;
    let mut a = alert(
        "x",
        "<script>alert(1)</script>",
        "svc",
        "P3",
        "2026-11-30T05:00:00Z",
        None,
    );
    a["annotations"]["summary"] = json!("</title><img src=x onerror=alert(1)>");
    a["labels"]["long"] = json!("긴".repeat(20_000));
    post(&am, &app, &notification("g", vec![a])).await;
    let got = alerts(&app, "").await["items"][0].clone();
    assert_eq!(got["alertname"], "<script>alert(1)</script>");
    assert_eq!(
        got["labels"]["long"].as_str().unwrap().chars().count(),
        20_000
    );
    let id = got["id"].as_i64().unwrap();
    let html = app
        .client
        .get(app.url(&format!("/alerts/{id}")))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(
        !html.contains("<script>alert(1)</script>") && !html.contains("<img src=x"),
        "raw markup in the page"
    );
    assert!(html.contains("&lt;/title&gt;&lt;img src=x onerror=alert(1)&gt;"));
}

#[tokio::test]
async fn a_storm_from_many_senders_opens_one_incident_and_keeps_every_alert() {
    let app = spawn_app().await;
    let am = sender(&app).await;
    // 24 Alertmanager groups of one service at once, and one of them delivered twice: written
    // together (several webhooks per transaction), they must still act as if one by one.
    let bodies: Vec<Value> = (0..24)
        .map(|s| {
            let alerts = (0..5)
                .map(|n| {
                    let fp = format!("s{s}a{n}");
                    alert(
                        &fp,
                        "CouponLatencyHigh",
                        "coupon-api",
                        "P1",
                        "2026-11-30T05:00:00Z",
                        None,
                    )
                })
                .collect();
            notification(&format!("{{}}:{{instance=\"{s}\"}}"), alerts)
        })
        .collect();
    let mut posts = tokio::task::JoinSet::new();
    for body in bodies.iter().chain(std::iter::once(&bodies[7])) {
        let (am, url, body) = (
            am.clone(),
            app.url("/api/v1/alerts/alertmanager"),
            body.clone(),
        );
        posts.spawn(async move {
            let r = am.post(url).json(&body).send().await.unwrap();
            (r.status(), r.json::<Value>().await.unwrap_or(Value::Null))
        });
    }
    let answers = posts.join_all().await;
    let sum = |k: &str| {
        answers
            .iter()
            .map(|(_, a)| a[k].as_i64().unwrap_or(0))
            .sum::<i64>()
    };
    assert!(
        answers.iter().all(|(s, _)| *s == StatusCode::OK),
        "{answers:?}"
    );
    assert_eq!((sum("new"), sum("unchanged")), (120, 5));
    let opened: Vec<i64> = answers
        .iter()
        .flat_map(|(_, a)| a["opened"].as_array().cloned().unwrap_or_default())
        .filter_map(|i| i.as_i64())
        .collect();
    assert_eq!(opened.len(), 1, "{answers:?}");
    assert_eq!(alerts(&app, "?linked=yes").await["total"], 120);
    let (_, inc) = app
        .get_json(&format!("/api/v1/incidents/{}", opened[0]))
        .await;
    assert_eq!(inc["alerts"].as_array().map(Vec::len), Some(120));
    let fired = inc["timeline"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|e| e["kind"] == "alert_fired")
        .count();
    assert_eq!(fired, 120);
}
