//! Failure scenarios: the seed report imported as data, scenarios written and refused through
//! the API, linked to incidents by hand and by alerts, their plans ticked on the timeline with
//! adherence judged from chosen times, and exported back in the seed's shape.

use app::domain::{Role, Scope};
use reqwest::StatusCode;
use serde_json::{Value, json};

use crate::alerts::{alert, notification, sender};
use crate::documents::import;
use crate::helpers::*;

const SEED: &str = include_str!("../../../seeds/load-test-incident-report.ko.md");

async fn scenario_total(app: &TestApp) -> i64 {
    app.get_json("/api/v1/scenarios").await.1["total"]
        .as_i64()
        .unwrap()
}

fn redis_scenario() -> Value {
    json!({
        "title": "Redis connection pool exhausted",
        "severity": "P1",
        "trigger": "traffic 3x the load-tested level",
        "services": ["coupon-api", "redis"],
        "detection": {"alerts": ["RedisPoolSaturated", "redis-pool"]},
        "stages": [
            {"name": "Immediate", "within_minutes": 5, "steps": [
                {"text": "Grow the pool", "changes": ["maxActive: 50 → 100"]},
                {"text": "Drop idle connections"}
            ]},
            {"name": "Short term", "within_minutes": 30, "steps": [{"text": "Scale Redis up"}]}
        ],
        "chain": {"whys": [{"why": "Why did the pool run out?", "because": "3x traffic"}],
                  "root_cause": "no capacity plan", "category": "capacity_planning"}
    })
}

#[tokio::test]
async fn the_seed_report_imports_as_three_scenarios_once() {
    let app = spawn_app().await;
    let (status, dry) = import(&app, "?name=seed.md&dry_run=true", SEED).await;
    assert_eq!(status, StatusCode::OK, "{dry}");
    assert_eq!(dry["premortem"]["scenarios"].as_array().unwrap().len(), 3);
    assert_eq!(dry["created"], json!([]));
    assert_eq!(scenario_total(&app).await, 0, "a dry run creates nothing");

    let (status, report) = import(&app, "?name=seed.md", SEED).await;
    assert_eq!(status, StatusCode::CREATED, "{report}");
    let created = report["created"].as_array().unwrap();
    assert_eq!(created.len(), 3);
    assert_eq!(report["premortem"]["matrix"].as_array().unwrap().len(), 4);
    assert_eq!(report["premortem"]["targets"]["ttd_minutes"], 2);
    assert_eq!(report["matrix_applied"], false);

    let mysql_id = created[2][0].as_i64().unwrap();
    let (_, mysql) = app.get_json(&format!("/api/v1/scenarios/{mysql_id}")).await;
    assert_eq!(mysql["title"], "MySQL 커넥션 풀 고갈");
    assert_eq!(mysql["severity"], "P0");
    assert_eq!(mysql["trigger"], "Redis 장애로 DB 직접 조회 급증 시");
    let deadlines: Vec<i64> = mysql["stages"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["within_minutes"].as_i64().unwrap())
        .collect();
    assert_eq!(deadlines, [2, 15, 10_080]);
    assert_eq!(
        mysql["stages"][0]["steps"][0]["text"],
        "커넥션 풀 긴급 확장"
    );
    assert_eq!(
        mysql["stages"][0]["steps"][0]["changes"],
        json!(["maxActive: 20 → 50"])
    );
    assert_eq!(mysql["chain"]["whys"].as_array().unwrap().len(), 5);
    assert_eq!(
        mysql["chain"]["root_cause"],
        "분산 시스템 장애 패턴에 대한 이해 부족 및 회복탄력성 설계 미흡"
    );
    assert_eq!(mysql["chain"]["category"], "missing_resilience");
    // Every step has its own id, for incidents' ticks.
    let ids: Vec<i64> = mysql["stages"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|s| {
            s["steps"]
                .as_array()
                .unwrap()
                .iter()
                .map(|p| p["id"].as_i64().unwrap())
        })
        .collect();
    assert_eq!(ids, (1..=9).collect::<Vec<_>>());

    let (status, again) = import(&app, "?name=copy.md", SEED.replace('\n', "\r\n")).await;
    assert_eq!(status, StatusCode::OK, "{again}");
    assert!(again["imported_before"].is_string(), "{again}");
    assert_eq!(again["created"].as_array().unwrap().len(), 3);
    assert_eq!(
        scenario_total(&app).await,
        3,
        "the same document twice creates nothing new"
    );
}

#[tokio::test]
async fn applying_the_matrix_is_asked_for() {
    let app = spawn_app().await;
    let (status, report) = import(&app, "?apply_matrix=true", SEED).await;
    assert_eq!(status, StatusCode::CREATED, "{report}");
    let id = report["created"][0][0].as_i64().unwrap();
    let (_, redis) = app.get_json(&format!("/api/v1/scenarios/{id}")).await;
    let m = &redis["detection"]["metrics"][0];
    assert_eq!(
        (
            m["metric"].as_str(),
            m["warning"].as_str(),
            m["critical"].as_str()
        ),
        (Some("Redis 연결 수 사용률"), Some("> 70%"), Some("> 90%"))
    );
    assert_eq!(
        (
            m["warning_response_minutes"].as_i64(),
            m["critical_response_minutes"].as_i64()
        ),
        (Some(15), Some(5))
    );
}

#[tokio::test]
async fn bad_documents_are_refused_and_create_nothing() {
    let app = spawn_app().await;
    let (status, body) = import(&app, "", vec![0xffu8, 0xfe, b'#', b' ', b'x']).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
    assert_eq!(body["field"], "file");
    assert!(body["error"].as_str().unwrap().contains("UTF-8"), "{body}");
    let (status, body) = import(&app, "", "# Minutes\n\nWe met and talked.\n").await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
    assert!(
        body["error"]
            .as_str()
            .unwrap()
            .contains("no failure scenario"),
        "{body}"
    );
    let (status, body) = import(&app, "", b"# x\0\0\0\x01\x02".to_vec()).await;
    assert_eq!(
        (status, body["field"].as_str()),
        (StatusCode::UNPROCESSABLE_ENTITY, Some("file"))
    );
    // One bad scenario refuses the whole document, named by its place.
    let bad = SEED.replace(
        "**2. 왜 브로커 처리 한계를 초과했는가?**",
        &format!("**2. 왜 {}?**", "x".repeat(2_100)),
    );
    let (status, body) = import(&app, "", bad).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
    assert_eq!(body["field"], "scenarios[1].chain.whys[1].why");
    // Refused from its Content-Length, before it is read (so the request is made by hand: a
    // client still writing 3 MB would see the connection close under it).
    let token = token_for(&app.store, "uploader", Role::Engineer, &[Scope::Write]).await;
    let head = format!(
        "POST /api/v1/imports HTTP/1.1\r\nAuthorization: Bearer {token}\r\n\
         Content-Type: text/markdown\r\nContent-Length: {}\r\n",
        3 * 1024 * 1024
    );
    assert_eq!(answer_to_head(&app, &head).await, "HTTP/1.1 413");
    assert_eq!(scenario_total(&app).await, 0);
}

#[tokio::test]
async fn scenarios_are_written_read_and_refused_with_the_field() {
    let app = spawn_app().await;
    let (status, created) = app.post("/api/v1/scenarios", &redis_scenario()).await;
    assert_eq!(status, StatusCode::CREATED, "{created}");
    let id = created["id"].as_i64().unwrap();
    assert_eq!(created["services"], json!(["coupon-api", "redis"]));
    assert_eq!(created["stages"][0]["steps"][1]["id"], 2);

    let mut body = redis_scenario();
    body["stages"][1]["steps"][0]["text"] = json!("  ");
    assert_invalid(
        app.post("/api/v1/scenarios", &body).await,
        "stages[1].steps[0].text",
    );
    let mut body = redis_scenario();
    body["title"] = json!("");
    assert_invalid(app.post("/api/v1/scenarios", &body).await, "title");
    let mut body = redis_scenario();
    body["stages"][0]["within_minutes"] = json!(100_000);
    assert_invalid(
        app.post("/api/v1/scenarios", &body).await,
        "stages[0].within_minutes",
    );
    let mut body = redis_scenario();
    body["load_tests"] = json!([999]);
    assert_invalid(app.post("/api/v1/scenarios", &body).await, "load_tests[0]");

    // A replace that reorders steps keeps their ids; a new step gets a new one.
    let mut body = redis_scenario();
    body["stages"][0]["steps"] = json!([
        {"text": "Drop idle connections"},
        {"text": "Grow the pool", "changes": ["maxActive: 50 → 100"]},
        {"text": "Turn on the DB fallback"}
    ]);
    let (status, replaced) = app
        .send_json(
            reqwest::Method::PUT,
            &format!("/api/v1/scenarios/{id}"),
            &body,
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{replaced}");
    let ids: Vec<i64> = replaced["stages"][0]["steps"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["id"].as_i64().unwrap())
        .collect();
    assert_eq!(ids, [2, 1, 4]);

    let (_, list) = app.get_json("/api/v1/scenarios?severity=P1&q=pool").await;
    assert_eq!(list["total"], 1);
    let (_, none) = app.get_json("/api/v1/scenarios?severity=P0").await;
    assert_eq!(none["total"], 0);
    assert_invalid(
        app.get_json("/api/v1/scenarios?severity=P9").await,
        "severity",
    );

    let viewer = app.client_as("viewer", Role::Viewer, &[Scope::Read]).await;
    let r = viewer
        .post(app.url("/api/v1/scenarios"))
        .json(&redis_scenario())
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::FORBIDDEN);
    let r = app
        .anonymous
        .get(app.url("/api/v1/scenarios"))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::UNAUTHORIZED);

    assert_eq!(
        app.delete(&format!("/api/v1/scenarios/{id}")).await,
        StatusCode::NO_CONTENT
    );
    assert_eq!(
        app.get_json(&format!("/api/v1/scenarios/{id}")).await.0,
        StatusCode::NOT_FOUND
    );
}

#[tokio::test]
async fn a_ticked_plan_is_judged_against_deadlines_from_detection() {
    let app = spawn_app().await;
    let (_, created) = app.post("/api/v1/scenarios", &redis_scenario()).await;
    let sid = created["id"].as_i64().unwrap();
    let mut incident = redis_incident();
    incident["detected_at"] = json!("2025-06-06T05:02:00Z");
    let id = app.incident(incident).await;
    let (status, linked) = app
        .post(
            &format!("/api/v1/incidents/{id}/scenarios"),
            &json!({"scenario_id": sid}),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{linked}");
    assert_eq!(linked[0]["linked_by"], "hand");
    assert_eq!(linked[0]["stages"][0]["deadline"], "2025-06-06T05:07:00Z");

    let tick = |step: i64, at: &str| {
        let path = format!("/api/v1/incidents/{id}/scenarios/{sid}/steps/{step}");
        let body = json!({"at": at});
        let app = &app;
        async move { app.post(&path, &body).await }
    };
    // Detected 05:02: the 5-minute stage is due 05:07, the 30-minute one 05:32.
    tick(1, "2025-06-06T05:04:00Z").await;
    tick(2, "2025-06-06T05:09:00Z").await;
    let (status, plan) = tick(3, "2025-06-06T05:20:00Z").await;
    assert_eq!(status, StatusCode::OK, "{plan}");
    let stages = &plan[0]["stages"];
    assert_eq!(stages[0]["adherence"], "missed", "{plan}");
    assert_eq!(stages[0]["steps"][1]["late"], true);
    assert_eq!(stages[1]["adherence"], "met");

    // Each tick is a timeline event naming its step.
    let (_, detail) = app.get_json(&format!("/api/v1/incidents/{id}")).await;
    let texts: Vec<&str> = detail["timeline"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["text"].as_str().unwrap())
        .collect();
    assert!(
        texts.contains(&"Drop idle connections — Redis connection pool exhausted (Immediate)"),
        "{texts:?}"
    );
    assert_eq!(detail["scenarios"][0]["stages"][1]["adherence"], "met");

    // Un-ticking removes the event; the stage is then missed for want of a step.
    let r = app
        .client
        .delete(app.url(&format!("/api/v1/incidents/{id}/scenarios/{sid}/steps/3")))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::OK);
    let plan: Value = r.json().await.unwrap();
    assert_eq!(plan[0]["stages"][1]["adherence"], "missed");
    let (_, detail) = app.get_json(&format!("/api/v1/incidents/{id}")).await;
    assert_eq!(detail["timeline"].as_array().unwrap().len(), 2);

    let (status, _) = tick(99, "2025-06-06T05:20:00Z").await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    assert_invalid(tick(1, "2099-01-01T00:00:00Z").await, "at");
}

#[tokio::test]
async fn an_alert_with_the_scenario_label_links_its_incident() {
    let app = spawn_app().await;
    let (_, created) = app.post("/api/v1/scenarios", &redis_scenario()).await;
    let sid = created["id"].as_i64().unwrap();
    let mut a = alert(
        "fp-redis",
        "RedisPoolNearlyFull",
        "coupon-api",
        "P1",
        "2025-06-06T05:01:00Z",
        None,
    );
    a["labels"]["scenario"] = json!("redis-pool");
    let r = sender(&app)
        .await
        .post(app.url("/api/v1/alerts/alertmanager"))
        .json(&notification("{}:{scenario=\"redis-pool\"}", vec![a]))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::OK);
    let (_, list) = app.get_json("/api/v1/incidents").await;
    let id = list["items"][0]["id"].as_i64().unwrap();
    let (_, linked) = app
        .get_json(&format!("/api/v1/incidents/{id}/scenarios"))
        .await;
    assert_eq!(linked.as_array().unwrap().len(), 1, "{linked}");
    assert_eq!(linked[0]["scenario_id"], sid);
    assert_eq!(linked[0]["linked_by"], "rule");
    // Detected when hoego heard of the alert: the first stage is due five minutes later.
    let (_, incident) = app.get_json(&format!("/api/v1/incidents/{id}")).await;
    let at = |v: &Value| chrono::DateTime::parse_from_rfc3339(v.as_str().unwrap()).unwrap();
    assert_eq!(
        at(&linked[0]["stages"][0]["deadline"]) - at(&incident["detected_at"]),
        chrono::Duration::minutes(5)
    );
    assert_eq!(linked[0]["stages"][0]["adherence"], "open");
}

#[tokio::test]
async fn a_scenario_exports_in_the_seed_shape_and_imports_back() {
    let app = spawn_app().await;
    let (_, created) = app.post("/api/v1/scenarios", &redis_scenario()).await;
    let id = created["id"].as_i64().unwrap();
    let r = app.get(&format!("/scenarios/{id}/export.md?lang=ko")).await;
    assert_eq!(r.status(), StatusCode::OK);
    assert!(
        r.headers()["content-type"]
            .to_str()
            .unwrap()
            .starts_with("text/markdown")
    );
    let md = r.text().await.unwrap();
    assert!(
        md.starts_with("## 시나리오 1: Redis connection pool exhausted (P1)"),
        "{md}"
    );
    assert!(md.contains("### Immediate (5분 내)"), "{md}");
    assert!(
        md.contains("1. **Grow the pool**: `maxActive: 50 → 100`"),
        "{md}"
    );

    let (status, report) = import(&app, "?name=export.md", md).await;
    assert_eq!(status, StatusCode::CREATED, "{report}");
    let copy = report["created"][0][0].as_i64().unwrap();
    let (_, copy) = app.get_json(&format!("/api/v1/scenarios/{copy}")).await;
    for part in [
        "title",
        "severity",
        "trigger",
        "services",
        "detection",
        "stages",
        "chain",
    ] {
        assert_eq!(copy[part], created[part], "{part}");
    }
}

#[tokio::test]
async fn a_search_finds_scenarios_beside_incidents() {
    let app = spawn_app().await;
    import(&app, "", SEED).await;
    app.incident(redis_incident()).await;
    let titles = |r: &Value| -> Vec<String> {
        r["scenarios"]
            .as_array()
            .unwrap()
            .iter()
            .map(|s| s["title"].as_str().unwrap().to_owned())
            .collect()
    };
    let (_, r) = app
        .get_json("/api/v1/search?q=redis%20%ED%92%80%20%EA%B3%A0%EA%B0%88")
        .await;
    // The MySQL scenario is set off by a Redis failure: it answers too, after the one whose
    // title holds every word.
    assert_eq!(
        titles(&r),
        ["Redis 연결 풀 고갈", "MySQL 커넥션 풀 고갈"],
        "{r}"
    );
    assert_eq!(r["total"], 1, "the incident is found as before");
    // A question in English finds the Korean scenarios through the glossary.
    let (_, r) = app
        .get_json("/api/v1/search?q=why%20did%20the%20kafka%20producer%20lag")
        .await;
    assert_eq!(titles(&r), ["Kafka 프로듀서 지연"], "{r}");
    let (_, r) = app
        .get_json("/api/v1/search?q=payment%20gateway%20timeout")
        .await;
    assert_eq!(titles(&r), Vec::<String>::new());
    // Scenarios are shown with the first page only.
    let (_, r) = app.get_json("/api/v1/search?q=redis&offset=20").await;
    assert_eq!(r["scenarios"], json!([]));
    let (_, html) = crate::pages::page(&app, "/search?q=redis", "en").await;
    assert!(
        visible_text(&html).contains("Failure scenarios that match"),
        "{html}"
    );
    let scenario_hit = html
        .find(r#"<span class="badge kind scenario">Scenario</span>"#)
        .expect("a scenario hit says so");
    let incident_hit = html
        .find(r#"<span class="badge kind">Incident</span>"#)
        .expect("an incident hit says so");
    assert!(
        scenario_hit < incident_hit,
        "scenarios come above incidents"
    );
    assert!(html.contains(r#"href="/scenarios/1""#));
}

#[tokio::test]
async fn insights_count_each_stage_done_in_time_or_not() {
    let app = spawn_app().await;
    let (_, created) = app.post("/api/v1/scenarios", &redis_scenario()).await;
    let sid = created["id"].as_i64().unwrap();
    // Two incidents follow the plan: one ticks the first stage in time, one late.
    for (day, done) in [("06", "05:05:00Z"), ("07", "05:12:00Z")] {
        let mut incident = redis_incident();
        incident["started_at"] = json!(format!("2025-06-{day}T05:00:00Z"));
        incident["detected_at"] = json!(format!("2025-06-{day}T05:02:00Z"));
        let id = app.incident(incident).await;
        app.post(
            &format!("/api/v1/incidents/{id}/scenarios"),
            &json!({"scenario_id": sid}),
        )
        .await;
        for step in [1, 2] {
            let (status, _) = app
                .post(
                    &format!("/api/v1/incidents/{id}/scenarios/{sid}/steps/{step}"),
                    &json!({"at": format!("2025-06-{day}T{done}")}),
                )
                .await;
            assert_eq!(status, StatusCode::OK);
        }
    }
    let (_, i) = app
        .get_json("/api/v1/insights?from=2025-06-01&to=2025-06-30")
        .await;
    let a = &i["adherence"];
    assert_eq!(a.as_array().unwrap().len(), 2, "{a}");
    assert_eq!(
        (
            a[0]["stage"].as_str(),
            a[0]["met"].as_u64(),
            a[0]["missed"].as_u64()
        ),
        (Some("Immediate"), Some(1), Some(1))
    );
    // The second stage was never ticked and its deadline has long passed.
    assert_eq!(
        (a[1]["met"].as_u64(), a[1]["missed"].as_u64()),
        (Some(0), Some(2))
    );
    let (_, none) = app
        .get_json("/api/v1/insights?from=2025-07-01&to=2025-07-31")
        .await;
    assert_eq!(
        none["adherence"],
        json!([]),
        "incidents out of view are not counted"
    );
}

#[tokio::test]
async fn the_sample_data_holds_the_seed_scenarios_with_the_coupon_alert_labels() {
    let dir = tempfile::tempdir().unwrap();
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_hoego"))
        .args(["seed", "--data-dir"])
        .arg(dir.path())
        .env("RUST_LOG", "error")
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        stdout.contains("imported the seed report's 3 failure scenarios"),
        "{stdout}"
    );
    let app = spawn_app_in(dir).await;
    let (_, list) = app.get_json("/api/v1/scenarios").await;
    let labels: Vec<(String, Value)> = list["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| {
            (
                s["title"].as_str().unwrap().to_owned(),
                s["detection"]["alerts"].clone(),
            )
        })
        .collect();
    assert_eq!(
        labels,
        [
            ("MySQL 커넥션 풀 고갈".to_owned(), json!(["mysql-pool"])),
            ("Redis 연결 풀 고갈".to_owned(), json!(["redis-pool"])),
            ("Kafka 프로듀서 지연".to_owned(), json!(["kafka-lag"])),
        ]
    );
    // The report is kept as their document: importing it again creates nothing.
    let (status, again) = import(&app, "", SEED).await;
    assert_eq!(status, StatusCode::OK, "{again}");
    assert_eq!(again["created"].as_array().unwrap().len(), 3);
}

#[tokio::test]
async fn a_new_step_never_takes_a_ticked_steps_id() {
    let app = spawn_app().await;
    let (_, created) = app.post("/api/v1/scenarios", &redis_scenario()).await;
    let sid = created["id"].as_i64().unwrap();
    let id = app.incident(redis_incident()).await;
    app.post(
        &format!("/api/v1/incidents/{id}/scenarios"),
        &json!({"scenario_id": sid}),
    )
    .await;
    let (status, _) = app
        .post(
            &format!("/api/v1/incidents/{id}/scenarios/{sid}/steps/3"),
            &json!({}),
        )
        .await;
    assert_eq!(status, StatusCode::OK);
    // Step 3 is removed, then a step is added: it gets a new id, not the ticked one's.
    let mut body = redis_scenario();
    body["stages"][1]["steps"] = json!([]);
    app.send_json(
        reqwest::Method::PUT,
        &format!("/api/v1/scenarios/{sid}"),
        &body,
    )
    .await;
    body["stages"][1]["steps"] = json!([{"text": "Add a read replica"}]);
    let (_, s) = app
        .send_json(
            reqwest::Method::PUT,
            &format!("/api/v1/scenarios/{sid}"),
            &body,
        )
        .await;
    assert_eq!(s["stages"][1]["steps"][0]["id"], 4);
    let (_, plan) = app
        .get_json(&format!("/api/v1/incidents/{id}/scenarios"))
        .await;
    assert_eq!(plan[0]["stages"][1]["steps"][0]["done_at"], Value::Null);
}

#[tokio::test]
async fn a_document_whose_records_were_deleted_imports_again() {
    let app = spawn_app().await;
    let (_, first) = import(&app, "", SEED).await;
    for c in first["created"].as_array().unwrap() {
        let id = c[0].as_i64().unwrap();
        assert_eq!(
            app.delete(&format!("/api/v1/scenarios/{id}")).await,
            StatusCode::NO_CONTENT
        );
    }
    let (status, again) = import(&app, "", SEED).await;
    assert_eq!(status, StatusCode::CREATED, "{again}");
    assert_eq!(again["created"].as_array().unwrap().len(), 3);
}

#[tokio::test]
async fn a_reports_targets_apply_from_the_next_start_when_a_manager_asks() {
    let app = spawn_app().await;
    let report = "# Pre-mortem\n\n## Scenario 1: Queue backlog (P2)\n\n**Trigger**: 5x traffic\n\n\
        ### Immediate (within 10 min)\n\n1. **Add consumers**\n\n## Targets\n\n\
        - **MTTD**: 5 min\n- **MTTR**: P0 20 min, P1 45 min\n";
    let engineer = app.client_as("eng", Role::Engineer, &[Scope::Write]).await;
    let r = engineer
        .post(app.url("/api/v1/imports?apply_targets=true"))
        .header("content-type", "text/markdown")
        .body(report)
        .send()
        .await
        .unwrap();
    assert_eq!(
        r.status(),
        StatusCode::FORBIDDEN,
        "targets are a manager's setting"
    );
    // Tokens never carry a manager's rights; a manager ticks the box on the import page, or
    // runs the command (as hoego itself).
    let app = app
        .restart(|dir| {
            let file = dir.join("premortem.md");
            std::fs::write(&file, report).unwrap();
            let out = std::process::Command::new(env!("CARGO_BIN_EXE_hoego"))
                .args(["import", "--apply-targets", "--data-dir"])
                .arg(dir)
                .arg(&file)
                .env("RUST_LOG", "error")
                .output()
                .unwrap();
            let stdout = String::from_utf8_lossy(&out.stdout);
            assert!(
                stdout.contains(
                    "targets: MTTD 5m; MTTR P0 20m, P1 45m (applied from the next start)"
                ),
                "{stdout}"
            );
        })
        .await;
    let (_, after) = app.get_json("/api/v1/insights").await;
    assert_eq!(after["targets"]["ttd"], 300);
    assert_eq!(
        after["targets"]["ttr"],
        json!([1200, 2700, 3600, 14400]),
        "P2 and P3 as configured"
    );
}
