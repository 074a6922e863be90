use reqwest::StatusCode;
use serde_json::json;

use crate::helpers::*;

#[tokio::test]
async fn detection_and_recovery_events_set_the_incident_times() {
    let app = spawn_app().await;
    let id = app.incident(redis_incident()).await;
    let path = format!("/api/v1/incidents/{id}/timeline");
    let (status, ev) = app
        .post(&path, &json!({"at": "2025-06-06T05:01:30Z", "kind": "detected", "text": "온콜 호출", "author": "홍석호"}))
        .await;
    assert_eq!(status, StatusCode::CREATED, "{ev}");
    assert_eq!(
        (ev["kind"].as_str(), ev["source"].as_str()),
        (Some("detected"), Some("manual"))
    );
    app.post(
        &path,
        &json!({"at": "2025-06-06T05:24:00Z", "kind": "recovered", "text": "에러율 정상화"}),
    )
    .await;
    let (_, d) = app.get_json(&format!("/api/v1/incidents/{id}")).await;
    assert_eq!(d["detected_at"], "2025-06-06T05:01:30Z");
    assert_eq!(d["detected_at_provenance"], "manual");
    assert_eq!(d["recovered_at"], "2025-06-06T05:24:00Z");
    assert_eq!(
        (d["ttd_seconds"].as_i64(), d["ttr_seconds"].as_i64()),
        (Some(90), Some(1440))
    );
}

#[tokio::test]
async fn events_are_listed_in_time_order_and_can_be_edited_and_deleted() {
    let app = spawn_app().await;
    let id = app.incident(redis_incident()).await;
    let path = format!("/api/v1/incidents/{id}/timeline");
    for (at, text) in [("05:10", "third"), ("05:00", "first"), ("05:05", "second")] {
        app.post(
            &path,
            &json!({"at": format!("2025-06-06T{at}:00Z"), "kind": "note", "text": text}),
        )
        .await;
    }
    let (_, d) = app.get_json(&format!("/api/v1/incidents/{id}")).await;
    let texts: Vec<&str> = d["timeline"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["text"].as_str().unwrap())
        .collect();
    assert_eq!(texts, ["first", "second", "third"]);

    let third = d["timeline"][2]["id"].as_i64().unwrap();
    let (status, e) = app
        .patch(
            &format!("{path}/{third}"),
            &json!({"at": "2025-06-06T04:59:00Z", "text": "zeroth"}),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{e}");
    let (_, d) = app.get_json(&format!("/api/v1/incidents/{id}")).await;
    assert_eq!(d["timeline"][0]["text"], "zeroth");

    let first = d["timeline"][1]["id"].as_i64().unwrap();
    assert_eq!(
        app.delete(&format!("{path}/{first}")).await,
        StatusCode::NO_CONTENT
    );
    assert_eq!(
        app.delete(&format!("{path}/{first}")).await,
        StatusCode::NOT_FOUND
    );
    let (_, d) = app.get_json(&format!("/api/v1/incidents/{id}")).await;
    assert_eq!(d["timeline"].as_array().unwrap().len(), 2);
}

#[tokio::test]
async fn bad_events_are_refused_without_touching_the_incident() {
    let app = spawn_app().await;
    let id = app.incident(redis_incident()).await;
    let path = format!("/api/v1/incidents/{id}/timeline");
    assert_invalid(
        app.post(
            &path,
            &json!({"at": "2025-06-06T05:01:00Z", "kind": "note", "text": " "}),
        )
        .await,
        "text",
    );
    assert_invalid(
        app.post(
            &path,
            &json!({"at": "2025-06-06T05:01:00Z", "kind": "party", "text": "x"}),
        )
        .await,
        "kind",
    );
    assert_invalid(
        app.post(&path, &json!({"at": "soon", "kind": "note", "text": "x"}))
            .await,
        "at",
    );
    // Detection before the incident started would make TTD negative.
    assert_invalid(
        app.post(
            &path,
            &json!({"at": "2025-06-06T04:00:00Z", "kind": "detected", "text": "x"}),
        )
        .await,
        "at",
    );
    let (_, d) = app.get_json(&format!("/api/v1/incidents/{id}")).await;
    assert_eq!(
        d["timeline"],
        json!([]),
        "the refused detection event was rolled back"
    );
    assert_eq!(d["detected_at"], json!(null));
    let other = json!({"at": "2025-06-06T05:01:00Z", "kind": "note", "text": "x"});
    assert_eq!(
        app.post("/api/v1/incidents/999/timeline", &other).await.0,
        StatusCode::NOT_FOUND
    );
}
