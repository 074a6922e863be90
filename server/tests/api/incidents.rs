use reqwest::StatusCode;
use serde_json::json;

use crate::helpers::*;

#[tokio::test]
async fn create_returns_201_with_the_incident_and_unknown_metrics() {
    let app = spawn_app().await;
    let (status, body) = app.post("/api/v1/incidents", &redis_incident()).await;
    assert_eq!(status, StatusCode::CREATED, "{body}");
    assert!(body["id"].as_i64().unwrap() > 0);
    assert_eq!(body["title"], "Redis 연결 풀 고갈");
    assert_eq!(body["severity"], "P1");
    assert_eq!(body["status"], "detected");
    assert_eq!(body["services"], json!(["coupon-api", "redis"]));
    assert_eq!(body["started_at"], "2025-06-06T05:00:00Z");
    assert_eq!(body["started_at_provenance"], "manual");
    assert_eq!(body["ttd_seconds"], json!(null));
    assert_eq!(body["ttr_seconds"], json!(null));
    assert_eq!(body["timeline"], json!([]));
    assert_eq!(app.total_incidents().await, 1);
}

#[tokio::test]
async fn ttd_and_ttr_are_computed_and_breaches_flagged() {
    let app = spawn_app().await;
    let mut body = redis_incident();
    body["severity"] = json!("P0");
    body["detected_at"] = json!("2025-06-06T05:03:00Z");
    body["detected_at_provenance"] = json!("alert");
    body["recovered_at"] = json!("2025-06-06T05:20:00Z");
    let id = app.incident(body).await;
    let (_, got) = app.get_json(&format!("/api/v1/incidents/{id}")).await;
    assert_eq!(got["ttd_seconds"], 180);
    assert_eq!(got["ttr_seconds"], 1200);
    assert_eq!(got["ttd_breached"], true, "3 min > MTTD target of 2 min");
    assert_eq!(got["ttr_breached"], true, "20 min > P0 target of 15 min");
    assert_eq!(got["ttr_target_seconds"], 900);
    assert_eq!(got["detected_at_provenance"], "alert");
}

#[tokio::test]
async fn bad_input_is_422_with_the_field_and_saves_nothing() {
    let app = spawn_app().await;
    let mut empty_title = redis_incident();
    empty_title["title"] = json!("   ");
    assert_invalid(app.post("/api/v1/incidents", &empty_title).await, "title");

    let mut bad_severity = redis_incident();
    bad_severity["severity"] = json!("P7");
    assert_invalid(
        app.post("/api/v1/incidents", &bad_severity).await,
        "severity",
    );

    let mut backwards = redis_incident();
    backwards["recovered_at"] = json!("2025-06-06T04:59:59Z");
    assert_invalid(
        app.post("/api/v1/incidents", &backwards).await,
        "recovered_at",
    );

    let mut not_a_time = redis_incident();
    not_a_time["detected_at"] = json!("yesterday");
    assert_invalid(
        app.post("/api/v1/incidents", &not_a_time).await,
        "detected_at",
    );

    assert_invalid(
        app.post("/api/v1/incidents", &json!({"severity": "P1"}))
            .await,
        "title",
    );
    assert_eq!(app.total_incidents().await, 0);
}

#[tokio::test]
async fn malformed_json_is_400_and_wrong_content_type_415() {
    let app = spawn_app().await;
    let r = app
        .client
        .post(app.url("/api/v1/incidents"))
        .header("content-type", "application/json")
        .body("{\"title\": \"x\", ")
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::BAD_REQUEST);
    let body: serde_json::Value = r.json().await.unwrap();
    assert!(
        body["error"]
            .as_str()
            .unwrap()
            .starts_with("malformed JSON"),
        "{body}"
    );

    let r = app
        .client
        .post(app.url("/api/v1/incidents"))
        .body("title=x")
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::UNSUPPORTED_MEDIA_TYPE);
    assert_eq!(app.total_incidents().await, 0);
}

#[tokio::test]
async fn unknown_and_unparseable_ids_are_404() {
    let app = spawn_app().await;
    assert_eq!(
        app.get_json("/api/v1/incidents/999").await.0,
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        app.get_json("/api/v1/incidents/abc").await.0,
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        app.patch("/api/v1/incidents/999", &json!({"title": "x"}))
            .await
            .0,
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        app.delete("/api/v1/incidents/999").await,
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        app.get_json("/api/v1/nothing-here").await.0,
        StatusCode::NOT_FOUND
    );
}

#[tokio::test]
async fn korean_emoji_and_long_narratives_round_trip() {
    let app = spawn_app().await;
    let narrative = "가🔥".repeat(5_000);
    let mut body = redis_incident();
    body["title"] = json!("🚨 쿠폰 발급 실패 — 연결 풀 고갈");
    body["narrative"] = json!(narrative);
    let id = app.incident(body).await;
    let (_, got) = app.get_json(&format!("/api/v1/incidents/{id}")).await;
    assert_eq!(got["title"], "🚨 쿠폰 발급 실패 — 연결 풀 고갈");
    assert_eq!(got["narrative"].as_str().unwrap().chars().count(), 10_000);
}

#[tokio::test]
async fn markdown_is_rendered_without_scripts() {
    let app = spawn_app().await;
    let mut body = redis_incident();
    body["narrative"] = json!(
        "## 경과\n\n<script>alert(1)</script>\n\n<img src=x onerror=alert(2)>\n\n[x](javascript:alert(3)) <a href=\"javascript:alert(4)\">y</a>"
    );
    let id = app.incident(body).await;
    let (_, got) = app.get_json(&format!("/api/v1/incidents/{id}")).await;
    let html = got["narrative_html"].as_str().unwrap();
    assert!(html.contains("<h2>경과</h2>"), "{html}");
    assert!(html.contains("<img src=\"x\">"), "{html}");
    for bad in ["<script", "onerror", "href=\"javascript:"] {
        assert!(!html.contains(bad), "{bad} in {html}");
    }
    let (_, page) = crate::pages::page(&app, &format!("/incidents/{id}"), "en").await;
    assert!(!page.contains("<script>alert(1)"));
}

#[tokio::test]
async fn patch_changes_only_what_it_names_and_null_clears() {
    let app = spawn_app().await;
    let mut body = redis_incident();
    body["failed_requests"] = json!(120);
    let id = app.incident(body).await;
    let path = format!("/api/v1/incidents/{id}");
    let (status, got) = app
        .patch(
            &path,
            &json!({"title": "Redis 연결 풀 고갈 (수정)", "failed_requests": null}),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{got}");
    assert_eq!(got["title"], "Redis 연결 풀 고갈 (수정)");
    assert_eq!(got["failed_requests"], json!(null));
    assert_eq!(got["severity"], "P1");
    assert_eq!(got["started_at"], "2025-06-06T05:00:00Z");
    assert_invalid(app.patch(&path, &json!({"tittle": "typo"})).await, "tittle");
    assert_invalid(
        app.patch(&path, &json!({"recovered_at": "2025-06-06T04:00:00Z"}))
            .await,
        "recovered_at",
    );
    assert_eq!(
        app.get_json(&path).await.1["recovered_at"],
        json!(null),
        "refused patch wrote nothing"
    );
}

#[tokio::test]
async fn status_moves_forward_freely_and_back_one_step_with_a_reason() {
    let app = spawn_app().await;
    let id = app.incident(redis_incident()).await;
    let path = format!("/api/v1/incidents/{id}");
    assert_eq!(
        app.patch(&path, &json!({"status": "recovered"})).await.0,
        StatusCode::OK
    );
    assert_invalid(
        app.patch(&path, &json!({"status": "mitigating"})).await,
        "reason",
    );
    assert_invalid(
        app.patch(
            &path,
            &json!({"status": "detected", "status_reason": "oops"}),
        )
        .await,
        "status",
    );
    let (status, got) = app
        .patch(
            &path,
            &json!({"status": "mitigating", "status_reason": "에러율 재상승"}),
        )
        .await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(got["status"], "mitigating");
    let changes = got["status_changes"].as_array().unwrap();
    assert_eq!(changes.len(), 2);
    assert_eq!(
        (changes[1]["from"].as_str(), changes[1]["to"].as_str()),
        (Some("recovered"), Some("mitigating"))
    );
    assert_eq!(changes[1]["reason"], "에러율 재상승");
}

#[tokio::test]
async fn list_filters_pages_and_sorts_newest_first() {
    let app = spawn_app().await;
    for (i, (severity, service)) in [
        ("P0", "mysql"),
        ("P1", "redis"),
        ("P2", "kafka"),
        ("P1", "mysql"),
    ]
    .iter()
    .enumerate()
    {
        app.incident(json!({
            "title": format!("incident {i}"),
            "severity": severity,
            "services": [service],
            "started_at": format!("2025-06-0{}T00:00:00Z", i + 1),
        }))
        .await;
    }
    let (_, all) = app.get_json("/api/v1/incidents").await;
    let titles: Vec<&str> = all["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i["title"].as_str().unwrap())
        .collect();
    assert_eq!(
        titles,
        ["incident 3", "incident 2", "incident 1", "incident 0"]
    );
    assert_eq!(
        app.get_json("/api/v1/incidents?severity=P1").await.1["total"],
        2
    );
    assert_eq!(
        app.get_json("/api/v1/incidents?service=MySQL").await.1["total"],
        2
    );
    assert_eq!(
        app.get_json("/api/v1/incidents?severity=P1&service=mysql")
            .await
            .1["total"],
        1
    );
    assert_eq!(
        app.get_json("/api/v1/incidents?status=closed").await.1["total"],
        0
    );
    let (_, page) = app.get_json("/api/v1/incidents?limit=2&offset=2").await;
    assert_eq!(page["total"], 4);
    assert_eq!(page["items"][0]["title"], "incident 1");
    assert_invalid(
        app.get_json("/api/v1/incidents?severity=P9").await,
        "severity",
    );
}

#[tokio::test]
async fn delete_removes_the_incident_and_everything_under_it() {
    let app = spawn_app().await;
    let id = app.incident(redis_incident()).await;
    let event = json!({"at": "2025-06-06T05:01:00Z", "kind": "note", "text": "x"});
    assert_eq!(
        app.post(&format!("/api/v1/incidents/{id}/timeline"), &event)
            .await
            .0,
        StatusCode::CREATED
    );
    let item = json!({"title": "t", "horizon": "immediate", "kind": "technical"});
    assert_eq!(
        app.post(&format!("/api/v1/incidents/{id}/action-items"), &item)
            .await
            .0,
        StatusCode::CREATED
    );
    assert_eq!(
        app.delete(&format!("/api/v1/incidents/{id}")).await,
        StatusCode::NO_CONTENT
    );
    assert_eq!(
        app.get_json(&format!("/api/v1/incidents/{id}")).await.0,
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        app.get_json("/api/v1/action-items?state=all").await.1["total"],
        0
    );
}

#[tokio::test]
async fn seeding_is_idempotent_and_complete() {
    let app = spawn_app().await;
    assert_eq!(server::seed::load(&app.store).await.unwrap(), 3);
    assert_eq!(server::seed::load(&app.store).await.unwrap(), 0);
    let (_, list) = app.get_json("/api/v1/incidents").await;
    assert_eq!(list["total"], 3);
    for item in list["items"].as_array().unwrap() {
        let (_, d) = app
            .get_json(&format!("/api/v1/incidents/{}", item["id"]))
            .await;
        assert!(
            d["timeline"].as_array().unwrap().len() >= 8,
            "{}",
            d["title"]
        );
        assert_eq!(d["five_whys"][0]["steps"].as_array().unwrap().len(), 5);
        let horizons: std::collections::BTreeSet<&str> = d["action_items"]
            .as_array()
            .unwrap()
            .iter()
            .map(|a| a["horizon"].as_str().unwrap())
            .collect();
        assert_eq!(
            horizons.into_iter().collect::<Vec<_>>(),
            ["immediate", "long_term", "short_term"]
        );
        assert!(d["ttd_seconds"].is_i64() && d["ttr_seconds"].is_i64());
    }
}
