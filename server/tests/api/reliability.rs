//! Nothing lost, nothing silently wrong: a busy database, the search index against the
//! database after a crash or damage, `/metrics`, and backup and restore.

use std::path::Path;
use std::process::Command;

use app::domain::{IncidentId, Role, Scope};
use reqwest::StatusCode;
use serde_json::{Value, json};
use sqlx::Connection;
use sqlx::sqlite::SqliteConnection;

use crate::alerts::{alert, notification, sender};
use crate::helpers::*;
use crate::search::titles;

/// Runs `hoego ARGS --data-dir DIR`; returns whether it succeeded and what it printed.
fn hoego(dir: &Path, args: &[&str]) -> (bool, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_hoego"))
        .args(args)
        .arg("--data-dir")
        .arg(dir)
        .env("RUST_LOG", "warn")
        .output()
        .expect("hoego runs");
    let text = format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    (out.status.success(), text)
}

/// Commits a new title as a write does (marking the incident) but never tells the index: what
/// a crash between a write and its indexing leaves.
async fn retitle_behind_the_index(app: &TestApp, id: i64, title: &str) {
    let mut tx = app.store.begin().await.unwrap();
    sqlx::query("UPDATE incidents SET title = ? WHERE id = ?")
        .bind(title)
        .bind(id)
        .execute(&mut *tx)
        .await
        .unwrap();
    tx.changed(IncidentId::from(id));
    tx.commit().await.unwrap();
}

/// The value of one sample line of `/metrics`, e.g. `hoego_search_index_lag`.
fn sample(metrics: &str, series: &str) -> Option<f64> {
    metrics
        .lines()
        .find_map(|l| l.strip_prefix(series)?.strip_prefix(' ')?.parse().ok())
}

async fn metrics(app: &TestApp) -> String {
    let r = app.get("/metrics").await;
    assert_eq!(r.status(), StatusCode::OK);
    assert!(
        r.headers()["content-type"]
            .to_str()
            .unwrap()
            .starts_with("text/plain; version=0.0.4")
    );
    r.text().await.unwrap()
}

#[tokio::test]
async fn a_locked_database_answers_503_with_retry_after_and_writes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let mut data = server::config::DataArgs::at(dir.path());
    data.busy_timeout_ms = 200;
    let app = spawn_app_on(dir, data, Default::default(), Default::default()).await;
    // Another process's write holds SQLite's lock.
    let db = app.dir.path().join("hoego.db");
    let mut other = SqliteConnection::connect(&format!("sqlite://{}", db.display()))
        .await
        .unwrap();
    sqlx::query("BEGIN IMMEDIATE")
        .execute(&mut other)
        .await
        .unwrap();
    let r = app
        .client
        .post(app.url("/api/v1/incidents"))
        .json(&redis_incident())
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::SERVICE_UNAVAILABLE);
    let retry_after = r.headers().get("retry-after").cloned();
    let body: Value = r.json().await.unwrap();
    assert_eq!(
        retry_after.as_ref().map(|v| v.to_str().unwrap()),
        Some("1"),
        "{body}"
    );
    assert_eq!(
        body["error"],
        "the database is busy; nothing was written; try again in 1 s"
    );
    // Reads go on meanwhile (WAL), and show nothing was written.
    assert_eq!(app.total_incidents().await, 0);
    sqlx::query("ROLLBACK").execute(&mut other).await.unwrap();
    // The same request, sent again as Retry-After says, is taken.
    app.incident(redis_incident()).await;
    assert_eq!(app.total_incidents().await, 1);
    assert_eq!(
        sample(&metrics(&app).await, "hoego_db_busy_total"),
        Some(1.0)
    );
}

#[tokio::test]
async fn metrics_count_requests_alerts_and_what_the_index_has_not_caught_up_with() {
    let app = spawn_app().await;
    // A scrape needs a token that may read; an ingest-only token may not.
    let r = app.anonymous.get(app.url("/metrics")).send().await.unwrap();
    assert_eq!(r.status(), StatusCode::UNAUTHORIZED);
    let ingest = app
        .client_as("scraper", Role::Engineer, &[Scope::Ingest])
        .await;
    let r = ingest.get(app.url("/metrics")).send().await.unwrap();
    assert_eq!(r.status(), StatusCode::FORBIDDEN);

    let id = app.incident(redis_incident()).await;
    for _ in 0..2 {
        let (status, _) = app.get_json(&format!("/api/v1/incidents/{id}")).await;
        assert_eq!(status, StatusCode::OK);
    }
    let (status, _) = app.get_json("/api/v1/incidents/999").await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    let machine = sender(&app).await;
    let batch = notification(
        "g1",
        vec![
            alert(
                "fp1",
                "HighLatency",
                "coupon-api",
                "P3",
                "2025-06-06T05:00:00Z",
                None,
            ),
            alert(
                "fp2",
                "RedisPool",
                "redis",
                "P3",
                "2025-06-06T05:01:00Z",
                None,
            ),
        ],
    );
    for _ in 0..2 {
        let r = machine
            .post(app.url("/api/v1/alerts/alertmanager"))
            .json(&batch)
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), StatusCode::OK);
    }
    let text = metrics(&app).await;
    let count = |labels: &str| {
        sample(
            &text,
            &format!("hoego_http_request_duration_seconds_count{{{labels}}}"),
        )
    };
    // Counted by route pattern, not by the id in the path.
    assert_eq!(
        count(r#"method="POST",route="/api/v1/incidents",status="201""#),
        Some(1.0)
    );
    assert_eq!(
        count(r#"method="GET",route="/api/v1/incidents/{id}",status="200""#),
        Some(2.0)
    );
    assert_eq!(
        count(r#"method="GET",route="/api/v1/incidents/{id}",status="404""#),
        Some(1.0)
    );
    assert_eq!(
        count(r#"method="GET",route="/metrics",status="401""#),
        Some(1.0)
    );
    assert_eq!(
        sample(&text, r#"hoego_alerts_ingested_total{outcome="new"}"#),
        Some(2.0)
    );
    assert_eq!(
        sample(&text, r#"hoego_alerts_ingested_total{outcome="unchanged"}"#),
        Some(2.0)
    );
    assert_eq!(sample(&text, "hoego_search_index_lag"), Some(0.0));
    assert_eq!(sample(&text, "hoego_outbox_backlog"), Some(0.0));
    assert_eq!(sample(&text, "hoego_db_busy_total"), Some(0.0));
    assert_eq!(
        sample(&text, r#"hoego_db_connections{state="max"}"#),
        Some(8.0)
    );

    // A write whose indexing never happened (hoego stopped between the two) shows as lag.
    retitle_behind_the_index(&app, id, "Kafka consumer lag").await;
    assert_eq!(
        sample(&metrics(&app).await, "hoego_search_index_lag"),
        Some(1.0)
    );
}

#[tokio::test]
async fn a_write_that_was_never_indexed_is_indexed_at_the_next_start() {
    let app = spawn_app().await;
    let id = app.incident(redis_incident()).await;
    app.incident(json!({"title": "MySQL 커넥션 풀 고갈", "severity": "P2"}))
        .await;
    // Committed, but hoego stops before the index hears of it.
    retitle_behind_the_index(&app, id, "Kafka consumer lag after deploy").await;
    assert!(titles(&app, "kafka").await.is_empty());
    let app = app
        .restart(|dir| {
            let (agrees, said) = hoego(dir, &["check"]);
            assert!(!agrees, "{said}");
            assert!(
                said.contains("incident 1: the index differs in title"),
                "{said}"
            );
            assert!(
                said.contains("1 incidents written since last indexed"),
                "{said}"
            );
        })
        .await;
    assert_eq!(
        titles(&app, "kafka").await,
        ["Kafka consumer lag after deploy"]
    );
    assert!(titles(&app, "redis").await.is_empty());
    app.restart(|dir| {
        let (agrees, said) = hoego(dir, &["check"]);
        assert!(agrees, "{said}");
        assert_eq!(
            said,
            "database: 2 incidents; search index: 2 documents\nindex and database agree\n"
        );
    })
    .await;
}

#[tokio::test]
async fn a_damaged_index_is_set_aside_and_rebuilt_at_start() {
    let app = spawn_app().await;
    app.incident(redis_incident()).await;
    app.incident(json!({"title": "Kafka consumer lag", "severity": "P2"}))
        .await;
    let app = app
        .restart(|dir| {
            let index = dir.join("search-v2");
            for entry in std::fs::read_dir(&index).unwrap().flatten() {
                let name = entry.file_name().to_string_lossy().into_owned();
                if !name.starts_with('.') && name != "meta.json" {
                    let len = entry.metadata().unwrap().len() as usize;
                    std::fs::write(entry.path(), vec![0u8; len]).unwrap();
                }
            }
        })
        .await;
    assert_eq!(titles(&app, "kafka").await, ["Kafka consumer lag"]);
    assert_eq!(titles(&app, "redis").await, ["Redis 연결 풀 고갈"]);
    let aside: Vec<String> = std::fs::read_dir(app.dir.path())
        .unwrap()
        .flatten()
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| n.starts_with("search-v2.unreadable-"))
        .collect();
    assert_eq!(aside.len(), 1, "{aside:?}");
}

#[tokio::test]
async fn a_backup_taken_while_serving_restores_the_records_and_their_search() {
    let app = spawn_app().await;
    let first = app.incident(redis_incident()).await;
    app.incident(json!({"title": "Kafka consumer lag", "severity": "P2", "services": ["kafka"]}))
        .await;
    let (status, _) = app
        .post(
            &format!("/api/v1/incidents/{first}/timeline"),
            &json!({"at": "2025-06-06T05:02:00Z", "kind": "detected", "text": "redis pool alert fired"}),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED);
    let (_, before) = app.get_json(&format!("/api/v1/incidents/{first}")).await;
    let found_before = titles(&app, "redis").await;
    assert_eq!(found_before, ["Redis 연결 풀 고갈"]);

    let backups = tempfile::tempdir().unwrap();
    let file = backups.path().join("hoego-backup.db");
    let file = file.to_str().unwrap();
    let (ok, said) = hoego(app.dir.path(), &["backup", file]);
    assert!(ok, "{said}");
    assert!(said.starts_with("backed up 2 incidents to "), "{said}");
    // A backup never overwrites.
    let (ok, said) = hoego(app.dir.path(), &["backup", file]);
    assert!(
        !ok && said.contains("exists; a backup never overwrites"),
        "{said}"
    );

    // Later changes, which the restore undoes.
    assert_eq!(
        app.delete(&format!("/api/v1/incidents/{first}")).await,
        StatusCode::NO_CONTENT
    );
    app.incident(json!({"title": "Batch host ran out of inodes", "severity": "P3"}))
        .await;
    // Not while hoego serves.
    let (ok, said) = hoego(app.dir.path(), &["restore", file]);
    assert!(!ok && said.contains("stop it before restoring"), "{said}");
    assert_eq!(app.total_incidents().await, 2);

    let backup = file.to_owned();
    let app = app
        .restart(move |dir| {
            let (ok, said) = hoego(dir, &["restore", &backup]);
            assert!(ok, "{said}");
            assert!(said.contains("restored 2 incidents from"), "{said}");
        })
        .await;
    let (status, after) = app.get_json(&format!("/api/v1/incidents/{first}")).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(after, before);
    assert_eq!(titles(&app, "redis").await, found_before);
    assert!(titles(&app, "inodes").await.is_empty());
    let kept = std::fs::read_dir(app.dir.path())
        .unwrap()
        .flatten()
        .filter(|e| {
            e.file_name()
                .to_string_lossy()
                .starts_with("hoego.db.before-restore-")
        })
        .count();
    assert_eq!(kept, 1);
    // Something that is not a hoego database is refused, and nothing changes.
    let junk = backups.path().join("notes.db");
    std::fs::write(&junk, "not a database").unwrap();
    let app = app
        .restart(|dir| {
            let (ok, said) = hoego(dir, &["restore", junk.to_str().unwrap()]);
            assert!(!ok, "{said}");
            assert!(said.contains("notes.db"), "{said}");
        })
        .await;
    assert_eq!(app.total_incidents().await, 2);
}

#[tokio::test]
async fn an_edit_made_from_an_old_version_is_refused_with_what_changed_since() {
    let app = spawn_app().await;
    let id = app.incident(redis_incident()).await;
    let path = format!("/api/v1/incidents/{id}");
    let r = app.get(&path).await;
    assert_eq!(r.headers()["etag"], "\"1\"");
    let patch = |if_match: &'static str, body: Value| {
        app.client
            .patch(app.url(&path))
            .header("if-match", if_match)
            .json(&body)
            .send()
    };
    // Kim raises the severity from version 1.
    let r = patch("\"1\"", json!({"severity": "P0"})).await.unwrap();
    assert_eq!(r.status(), StatusCode::OK);
    assert_eq!(r.headers()["etag"], "\"2\"");
    let body: Value = r.json().await.unwrap();
    assert_eq!(body["version"], 2);
    // Lee, still looking at version 1, renames it: refused, with Kim's change.
    let r = patch("\"1\"", json!({"title": "Redis pool exhausted"}))
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::PRECONDITION_FAILED);
    let refused: Value = r.json().await.unwrap();
    assert_eq!(refused["conflict"]["version"], 2);
    let changes = &refused["conflict"]["changes"];
    assert_eq!(changes.as_array().unwrap().len(), 1, "{refused}");
    assert_eq!(changes[0]["actor"], "tester");
    assert_eq!(
        changes[0]["fields"],
        json!([{"field": "severity", "before": "P1", "after": "P0"}])
    );
    let (_, now) = app.get_json(&path).await;
    assert_eq!(now["title"], "Redis 연결 풀 고갈");
    assert_eq!(now["version"], 2);
    // The version in the body works the same; a weak ETag and `*` are understood.
    let (status, _) = app
        .patch(
            &path,
            &json!({"version": 1, "title": "Redis pool exhausted"}),
        )
        .await;
    assert_eq!(status, StatusCode::PRECONDITION_FAILED);
    let r = patch("W/\"2\"", json!({"title": "Redis pool exhausted"}))
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::OK);
    let r = patch("*", json!({"status": "mitigating"})).await.unwrap();
    assert_eq!(r.headers()["etag"], "\"4\"");
    let r = patch("three", json!({"title": "x"})).await.unwrap();
    assert_eq!(r.status(), StatusCode::BAD_REQUEST);
    let body: Value = r.json().await.unwrap();
    assert_eq!(body["field"], "If-Match");
    // Without a version, a change is taken as before.
    let (status, body) = app.patch(&path, &json!({"severity": "P1"})).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(body["version"], 5);

    // The edit form carries the version it was opened at: a save after someone else's comes
    // back with their change shown and the typed values kept.
    let r = crate::pages::form_post(
        &app,
        "/api/incidents/update",
        &format!("/incidents/{id}/edit"),
        &[
            ("id", &id.to_string()),
            ("form[version]", "4"),
            ("form[title]", "Redis 풀 고갈 (제목 수정)"),
            ("form[severity]", "P0"),
            ("form[status]", "mitigating"),
        ],
    )
    .send()
    .await
    .unwrap();
    assert_eq!(r.status(), StatusCode::FOUND);
    let back = r.headers()["location"].to_str().unwrap().to_owned();
    assert!(back.contains("flash="), "{back}");
    let (_, html) = crate::pages::page(&app, &back, "en").await;
    let text = visible_text(&html);
    assert!(
        text.contains("Someone else saved this while you were editing."),
        "{text}"
    );
    assert!(text.contains("tester ("), "{text}");
    assert!(text.contains("Severity: P0 → P1"), "{text}");
    assert!(
        html.contains("Redis 풀 고갈 (제목 수정)"),
        "typed title kept"
    );
    assert!(
        html.contains(r#"name="form[version]" value="5""#),
        "the form now carries the current version"
    );
    let (_, now) = app.get_json(&path).await;
    assert_eq!(now["title"], "Redis pool exhausted");
}

#[tokio::test]
async fn a_retried_post_with_the_same_idempotency_key_writes_once() {
    let app = spawn_app().await;
    let post = |key: &'static str, body: Value| {
        app.client
            .post(app.url("/api/v1/incidents"))
            .header("idempotency-key", key)
            .json(&body)
            .send()
    };
    let first = post("5f0c2b7e-create-1", redis_incident()).await.unwrap();
    assert_eq!(first.status(), StatusCode::CREATED);
    assert!(first.headers().get("idempotent-replayed").is_none());
    let first: Value = first.json().await.unwrap();
    // The client lost that answer and sends the same request again: the same answer, nothing new.
    let again = post("5f0c2b7e-create-1", redis_incident()).await.unwrap();
    assert_eq!(again.status(), StatusCode::CREATED);
    assert_eq!(again.headers()["idempotent-replayed"], "true");
    assert_eq!(again.headers()["content-type"], "application/json");
    let again: Value = again.json().await.unwrap();
    assert_eq!(again["id"], first["id"]);
    assert_eq!(app.total_incidents().await, 1);
    // The same key for another request is a mistake, refused whole.
    let r = post(
        "5f0c2b7e-create-1",
        json!({"title": "Kafka consumer lag", "severity": "P2"}),
    )
    .await
    .unwrap();
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let body: Value = r.json().await.unwrap();
    assert_eq!(body["field"], "Idempotency-Key");
    assert_eq!(app.total_incidents().await, 1);
    // A refused request's answer is kept too: the retry is refused the same way.
    for _ in 0..2 {
        let r = post("bad-title", json!({"title": "", "severity": "P2"}))
            .await
            .unwrap();
        assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    }
    // Keys belong to their caller: another's same key is another request.
    let other = app
        .client_as("lee", Role::Engineer, &[Scope::Write, Scope::Read])
        .await;
    let r = other
        .post(app.url("/api/v1/incidents"))
        .header("idempotency-key", "5f0c2b7e-create-1")
        .json(&redis_incident())
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::CREATED);
    assert!(r.headers().get("idempotent-replayed").is_none());
    assert_eq!(app.total_incidents().await, 2);
    // Without a key, a repeat is a second incident, as before; a key that is not one is a 400.
    let r = app
        .client
        .post(app.url("/api/v1/incidents"))
        .header("idempotency-key", "")
        .json(&redis_incident())
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::BAD_REQUEST);
    assert_eq!(app.total_incidents().await, 2);
}

#[tokio::test]
async fn a_key_still_being_answered_is_a_409_until_it_is_abandoned() {
    let app = spawn_app().await;
    // The tester's token, as the guard names its caller.
    let token: i64 = sqlx::query_scalar("SELECT max(id) FROM api_tokens")
        .fetch_one(&mut *app.store.begin().await.unwrap())
        .await
        .unwrap();
    let claim = |age_seconds: i64| {
        let store = app.store.clone();
        async move {
            let mut tx = store.begin().await.unwrap();
            sqlx::query(
                "INSERT OR REPLACE INTO idempotency_keys (actor, key, fingerprint, created_at) \
                 VALUES (?, 'k1', x'00', ?)",
            )
            .bind(format!("token:{token}"))
            .bind(chrono::Utc::now() - chrono::Duration::seconds(age_seconds))
            .execute(&mut *tx)
            .await
            .unwrap();
            tx.commit().await.unwrap();
        }
    };
    let send = || {
        app.client
            .post(app.url("/api/v1/incidents"))
            .header("idempotency-key", "k1")
            .json(&redis_incident())
            .send()
    };
    // The first request with this key is still being answered.
    claim(5).await;
    let r = send().await.unwrap();
    assert_eq!(r.status(), StatusCode::CONFLICT);
    assert_eq!(r.headers()["retry-after"], "1");
    assert_eq!(app.total_incidents().await, 0);
    // One that has not finished in a minute never will (hoego stopped under it): taken over.
    claim(120).await;
    let r = send().await.unwrap();
    assert_eq!(r.status(), StatusCode::CREATED);
    let r = send().await.unwrap();
    assert_eq!(r.headers()["idempotent-replayed"], "true");
    assert_eq!(app.total_incidents().await, 1);
}

#[tokio::test]
async fn timeline_events_chains_and_action_items_keep_their_own_versions() {
    let app = spawn_app().await;
    let id = app.incident(redis_incident()).await;
    let base = format!("/api/v1/incidents/{id}");
    let (_, event) = app
        .post(
            &format!("{base}/timeline"),
            &json!({"at": "2025-06-06T05:02:00Z", "kind": "note", "text": "풀 사용률 95%"}),
        )
        .await;
    let (_, chain) = app
        .post(
            &format!("{base}/five-whys"),
            &json!({"problem": "쿠폰 발급 실패", "steps": [{"why": "왜?", "because": "풀 고갈"}],
                    "root_cause": "풀 크기 부족", "category": "capacity_planning"}),
        )
        .await;
    let (_, item) = app
        .post(
            &format!("{base}/action-items"),
            &json!({"title": "maxActive 50 → 100", "owner": "김", "horizon": "immediate", "kind": "technical"}),
        )
        .await;
    for (path, record, first, second) in [
        (
            format!("{base}/timeline/{}", event["id"]),
            event,
            json!({"text": "풀 사용률 97%"}),
            json!({"text": "풀 사용률 99%"}),
        ),
        (
            format!("{base}/five-whys/{}", chain["id"]),
            chain,
            json!({"root_cause": "풀 크기 50"}),
            json!({"root_cause": "풀 크기 고정"}),
        ),
        (
            format!("{base}/action-items/{}", item["id"]),
            item,
            json!({"owner": "이"}),
            json!({"owner": "박"}),
        ),
    ] {
        assert_eq!(record["version"], 1, "{record}");
        let send = |body: &Value| {
            app.client
                .patch(app.url(&path))
                .header("if-match", "\"1\"")
                .json(body)
                .send()
        };
        let r = send(&first).await.unwrap();
        assert_eq!(r.status(), StatusCode::OK, "{path}");
        assert_eq!(r.headers()["etag"], "\"2\"", "{path}");
        let r = send(&second).await.unwrap();
        assert_eq!(r.status(), StatusCode::PRECONDITION_FAILED, "{path}");
        let refused: Value = r.json().await.unwrap();
        let field = first.as_object().unwrap().keys().next().unwrap().clone();
        assert_eq!(
            refused["conflict"]["changes"][0]["fields"][0]["field"],
            field.as_str(),
            "{refused}"
        );
        assert_eq!(
            refused["conflict"]["changes"][0]["fields"][0]["after"], first[&field],
            "{refused}"
        );
    }
    // The incident's own version counts only its own fields.
    let (_, d) = app.get_json(&base).await;
    assert_eq!(d["version"], 1);
    assert_eq!(d["timeline"][0]["version"], 2);
    assert_eq!(d["five_whys"][0]["version"], 2);
    assert_eq!(d["action_items"][0]["version"], 2);
}

#[tokio::test]
async fn removing_the_step_an_action_item_addresses_gives_the_item_a_new_version() {
    let app = spawn_app().await;
    let id = app.incident(redis_incident()).await;
    let base = format!("/api/v1/incidents/{id}");
    let (_, chain) = app
        .post(
            &format!("{base}/five-whys"),
            &json!({"problem": "쿠폰 발급 실패", "steps": [{"why": "왜?", "because": "풀 고갈"}],
                    "root_cause": "풀 크기 부족", "category": "capacity_planning"}),
        )
        .await;
    let step = chain["steps"][0]["id"].clone();
    let (status, item) = app
        .post(
            &format!("{base}/action-items"),
            &json!({"title": "maxActive 50 → 100", "horizon": "immediate", "kind": "technical",
                    "five_why_step_id": step}),
        )
        .await;
    assert_eq!(
        (status, &item["five_why_step_id"]),
        (StatusCode::CREATED, &step)
    );
    // The chain is rewritten with a new step in place of the old one.
    let r = app
        .client
        .patch(app.url(&format!("{base}/five-whys/{}", chain["id"])))
        .json(&json!({"steps": [{"why": "왜 고갈?", "because": "트래픽 5배"}]}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::OK);
    let (_, d) = app.get_json(&base).await;
    assert_eq!(d["action_items"][0]["five_why_step_id"], Value::Null);
    assert_eq!(d["action_items"][0]["version"], 2);
    // Someone who read the item while it was linked cannot put the link back unseen.
    let r = app
        .client
        .patch(app.url(&format!("{base}/action-items/{}", item["id"])))
        .header("if-match", "\"1\"")
        .json(&json!({"owner": "이", "five_why_step_id": step}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::PRECONDITION_FAILED);
    // Deleting a chain does the same for the items addressing its steps.
    let (_, chain) = app
        .post(
            &format!("{base}/five-whys"),
            &json!({"problem": "두 번째", "steps": [{"why": "왜?", "because": "설정"}],
                    "root_cause": "설정 누락", "category": "configuration"}),
        )
        .await;
    let (_, second) = app
        .post(
            &format!("{base}/action-items"),
            &json!({"title": "설정 점검", "horizon": "short_term", "kind": "process",
                    "five_why_step_id": chain["steps"][0]["id"]}),
        )
        .await;
    let r = app
        .client
        .delete(app.url(&format!("{base}/five-whys/{}", chain["id"])))
        .send()
        .await
        .unwrap();
    assert!(r.status().is_success(), "{}", r.status());
    let (_, d) = app.get_json(&base).await;
    let kept = d["action_items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|a| a["id"] == second["id"])
        .unwrap();
    assert_eq!(
        (&kept["five_why_step_id"], &kept["version"]),
        (&Value::Null, &json!(2))
    );
}
