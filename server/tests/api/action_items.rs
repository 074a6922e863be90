use reqwest::StatusCode;
use serde_json::json;

use crate::helpers::*;

#[tokio::test]
async fn action_items_are_created_validated_and_updated() {
    let app = spawn_app().await;
    let id = app.incident(redis_incident()).await;
    let path = format!("/api/v1/incidents/{id}/action-items");
    let (status, a) = app
        .post(&path, &json!({"title": "Circuit Breaker 적용", "owner": "홍석호", "due": "2025-06-20", "horizon": "long_term", "kind": "technical"}))
        .await;
    assert_eq!(status, StatusCode::CREATED, "{a}");
    assert_eq!(
        (a["status"].as_str(), a["due"].as_str()),
        (Some("open"), Some("2025-06-20"))
    );

    assert_invalid(app.post(&path, &json!({"title": "x", "due": "2025-02-30", "horizon": "immediate", "kind": "technical"})).await, "due");
    assert_invalid(
        app.post(
            &path,
            &json!({"title": "", "horizon": "immediate", "kind": "technical"}),
        )
        .await,
        "title",
    );
    assert_invalid(
        app.post(
            &path,
            &json!({"title": "x", "horizon": "someday", "kind": "technical"}),
        )
        .await,
        "horizon",
    );
    assert_invalid(app.post(&path, &json!({"title": "x", "horizon": "immediate", "kind": "technical", "five_why_step_id": 12345})).await, "five_why_step_id");

    let (status, a2) = app
        .patch(
            &format!("{path}/{}", a["id"]),
            &json!({"status": "done", "due": null}),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{a2}");
    assert_eq!(
        (
            a2["status"].as_str(),
            a2["due"].is_null(),
            a2["owner"].as_str()
        ),
        (Some("done"), true, Some("홍석호"))
    );
    let (_, d) = app.get_json(&format!("/api/v1/incidents/{id}")).await;
    assert_eq!(
        d["action_items"].as_array().unwrap().len(),
        1,
        "refused items were not saved"
    );
}

#[tokio::test]
async fn overview_filters_open_overdue_and_owner() {
    let app = spawn_app().await;
    let id = app.incident(redis_incident()).await;
    let path = format!("/api/v1/incidents/{id}/action-items");
    let items = [
        (
            "과거 기한, 진행 중",
            "kim",
            Some("2020-01-01"),
            "in_progress",
        ),
        ("과거 기한, 완료", "kim", Some("2020-01-01"), "done"),
        ("먼 기한", "lee", Some("2099-01-01"), "open"),
        ("기한 없음", "Lee", None, "open"),
    ];
    for (title, owner, due, status) in items {
        let (s, b) = app
            .post(&path, &json!({"title": title, "owner": owner, "due": due, "status": status, "horizon": "short_term", "kind": "process"}))
            .await;
        assert_eq!(s, StatusCode::CREATED, "{b}");
    }
    let titles = |v: &serde_json::Value| -> Vec<String> {
        v["items"]
            .as_array()
            .unwrap()
            .iter()
            .map(|i| i["title"].as_str().unwrap().to_owned())
            .collect()
    };
    let (_, open) = app.get_json("/api/v1/action-items").await;
    assert_eq!(
        titles(&open),
        ["과거 기한, 진행 중", "먼 기한", "기한 없음"]
    );
    assert_eq!(open["items"][0]["incident_title"], "Redis 연결 풀 고갈");
    let (_, overdue) = app.get_json("/api/v1/action-items?state=overdue").await;
    assert_eq!(titles(&overdue), ["과거 기한, 진행 중"]);
    let (_, lee) = app.get_json("/api/v1/action-items?owner=lee").await;
    assert_eq!(titles(&lee), ["먼 기한", "기한 없음"]);
    let (_, all) = app.get_json("/api/v1/action-items?state=all").await;
    assert_eq!(all["total"], 4);
    assert_eq!(
        titles(&all),
        [
            "과거 기한, 진행 중",
            "과거 기한, 완료",
            "먼 기한",
            "기한 없음"
        ],
        "soonest due first, undated last"
    );
    assert_invalid(
        app.get_json("/api/v1/action-items?state=late").await,
        "state",
    );
}

#[tokio::test]
async fn done_items_keep_when_they_were_done() {
    let app = spawn_app().await;
    let id = app.incident(redis_incident()).await;
    let path = format!("/api/v1/incidents/{id}/action-items");
    let (_, a) = app
        .post(
            &path,
            &json!({"title": "Pool size alert", "horizon": "immediate", "kind": "technical"}),
        )
        .await;
    assert_eq!(a["done_at"], serde_json::Value::Null);
    let item = format!("{path}/{}", a["id"]);
    // Moving to done stamps the time; a later edit keeps it.
    let before = chrono::Utc::now();
    let (_, done) = app.patch(&item, &json!({"status": "done"})).await;
    let at: chrono::DateTime<chrono::Utc> = done["done_at"].as_str().unwrap().parse().unwrap();
    assert!(at >= before - chrono::Duration::seconds(1), "{done}");
    let (_, edited) = app.patch(&item, &json!({"owner": "lee"})).await;
    assert_eq!(edited["done_at"], done["done_at"]);
    // Work done before it was filed says when; back to open clears it.
    let (_, dated) = app
        .patch(&item, &json!({"done_at": "2025-06-07T01:00:00Z"}))
        .await;
    assert_eq!(dated["done_at"], "2025-06-07T01:00:00Z");
    let (_, reopened) = app.patch(&item, &json!({"status": "open"})).await;
    assert_eq!(reopened["done_at"], serde_json::Value::Null);
    // A time on an item that is not done, or one in the future, is refused.
    assert_invalid(
        app.patch(&item, &json!({"done_at": "2025-06-07T01:00:00Z"}))
            .await,
        "done_at",
    );
    assert_invalid(
        app.post(&path, &json!({"title": "x", "horizon": "immediate", "kind": "technical", "status": "done", "done_at": "2999-01-01T00:00:00Z"})).await,
        "done_at",
    );
}
