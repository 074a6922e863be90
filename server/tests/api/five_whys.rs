use reqwest::StatusCode;
use serde_json::{Value, json};

use crate::helpers::*;

fn chain() -> Value {
    json!({
        "problem": "왜 Redis 연결 풀이 고갈되었는가?",
        "steps": [
            {"why": "왜 풀이 고갈되었나?", "because": "동시 연결 수가 50개를 초과"},
            {"why": "왜 초과했나?", "because": "용량 계획 부족"},
            {"why": "왜 부족했나?", "because": "과거 데이터 분석 없음"}
        ],
        "root_cause": "운영 중심 설계 사고 부족",
        "category": "capacity_planning"
    })
}

#[tokio::test]
async fn a_chain_keeps_its_steps_in_order() {
    let app = spawn_app().await;
    let id = app.incident(redis_incident()).await;
    let (status, c) = app
        .post(&format!("/api/v1/incidents/{id}/five-whys"), &chain())
        .await;
    assert_eq!(status, StatusCode::CREATED, "{c}");
    let becauses: Vec<&str> = c["steps"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["because"].as_str().unwrap())
        .collect();
    assert_eq!(
        becauses,
        [
            "동시 연결 수가 50개를 초과",
            "용량 계획 부족",
            "과거 데이터 분석 없음"
        ]
    );
    assert_eq!(c["category"], "capacity_planning");
}

#[tokio::test]
async fn an_empty_step_is_422_on_that_step() {
    let app = spawn_app().await;
    let id = app.incident(redis_incident()).await;
    let mut bad = chain();
    bad["steps"][1]["because"] = json!("");
    assert_invalid(
        app.post(&format!("/api/v1/incidents/{id}/five-whys"), &bad)
            .await,
        "steps[1].because",
    );
    let mut no_category = chain();
    no_category["category"] = json!("bad_luck");
    assert_invalid(
        app.post(&format!("/api/v1/incidents/{id}/five-whys"), &no_category)
            .await,
        "category",
    );
    assert_eq!(
        app.get_json(&format!("/api/v1/incidents/{id}")).await.1["five_whys"],
        json!([])
    );
}

#[tokio::test]
async fn reordering_keeps_step_ids_and_removing_a_step_unlinks_its_action_items() {
    let app = spawn_app().await;
    let id = app.incident(redis_incident()).await;
    let (_, c) = app
        .post(&format!("/api/v1/incidents/{id}/five-whys"), &chain())
        .await;
    let ids: Vec<i64> = c["steps"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["id"].as_i64().unwrap())
        .collect();
    let item = json!({"title": "용량 계획 체크리스트", "horizon": "long_term", "kind": "process", "five_why_step_id": ids[1]});
    let (_, action) = app
        .post(&format!("/api/v1/incidents/{id}/action-items"), &item)
        .await;

    let path = format!("/api/v1/incidents/{id}/five-whys/{}", c["id"]);
    let reordered = json!({"steps": [
        {"id": ids[2], "why": "왜 부족했나?", "because": "과거 데이터 분석 없음"},
        {"id": ids[0], "why": "왜 풀이 고갈되었나?", "because": "동시 연결 수가 50개를 초과"},
        {"why": "새 단계", "because": "새 답"}
    ]});
    let (status, c2) = app.patch(&path, &reordered).await;
    assert_eq!(status, StatusCode::OK, "{c2}");
    let after: Vec<i64> = c2["steps"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["id"].as_i64().unwrap())
        .collect();
    assert_eq!(&after[..2], &[ids[2], ids[0]]);
    assert_eq!(c2["steps"][2]["why"], "새 단계");
    assert_eq!(
        c2["problem"], "왜 Redis 연결 풀이 고갈되었는가?",
        "unnamed fields kept"
    );

    let (_, d) = app.get_json(&format!("/api/v1/incidents/{id}")).await;
    let linked = d["action_items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|a| a["id"] == action["id"])
        .unwrap();
    assert_eq!(
        linked["five_why_step_id"],
        json!(null),
        "step {} was removed",
        ids[1]
    );
}

#[tokio::test]
async fn steps_of_another_chain_cannot_be_claimed() {
    let app = spawn_app().await;
    let id = app.incident(redis_incident()).await;
    let (_, a) = app
        .post(&format!("/api/v1/incidents/{id}/five-whys"), &chain())
        .await;
    let (_, b) = app
        .post(&format!("/api/v1/incidents/{id}/five-whys"), &chain())
        .await;
    let foreign = a["steps"][0]["id"].as_i64().unwrap();
    let path = format!("/api/v1/incidents/{id}/five-whys/{}", b["id"]);
    assert_invalid(
        app.patch(
            &path,
            &json!({"steps": [{"id": foreign, "why": "w", "because": "b"}]}),
        )
        .await,
        "steps[0].id",
    );
    assert_eq!(app.delete(&path).await, StatusCode::NO_CONTENT);
    assert_eq!(
        app.get_json(&format!("/api/v1/incidents/{id}")).await.1["five_whys"]
            .as_array()
            .unwrap()
            .len(),
        1
    );
}
