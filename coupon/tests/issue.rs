//! Issuing coupons: first come, first served under a stampede, one per user, bad input refused.

mod support;

use std::collections::HashSet;

use serde_json::json;
use support::Stack;

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_stampede_of_1000_users_gets_exactly_100_coupons_and_mysql_matches_redis() {
    let stack = Stack::start();
    let event = stack.create_event(100).await;
    let mut racers = Vec::new();
    for user in 0..1000 {
        let (http, url) = (
            stack.http.clone(),
            stack.url(&format!("/api/events/{event}/issue")),
        );
        racers.push(tokio::spawn(async move {
            let r = http
                .post(url)
                .json(&json!({ "user_id": format!("user-{user}") }))
                .send()
                .await
                .unwrap();
            let status = r.status().as_u16();
            let body: serde_json::Value = r.json().await.unwrap();
            (user, status, body)
        }));
    }
    let mut winners = HashSet::new();
    let mut sold_out = 0;
    for racer in racers {
        let (user, status, body) = racer.await.unwrap();
        match status {
            201 => {
                assert_eq!(body["user_id"], format!("user-{user}"));
                assert!(winners.insert(user), "user {user} won twice");
            }
            410 => sold_out += 1,
            other => panic!("user {user}: unexpected {other} {body}"),
        }
    }
    assert_eq!(winners.len(), 100);
    assert_eq!(sold_out, 900);

    let status = stack.drained(event).await;
    assert_eq!(status["stock"], 100);
    assert_eq!(status["issued"], 100);
    assert_eq!(status["remaining"], 0);
    assert_eq!(
        status["persisted"], 100,
        "MySQL equals Redis after the pipeline drains"
    );
    assert_eq!(status["persisted_users"], 100, "nobody holds two coupons");
    assert_eq!(
        stack.metric("coupon_issue_total{result=\"issued\"}").await,
        100.0
    );
    assert_eq!(
        stack
            .metric("coupon_issue_total{result=\"sold_out\"}")
            .await,
        900.0
    );
    assert_eq!(stack.metric("coupon_coupons_persisted_total").await, 100.0);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn one_coupon_per_user_and_clear_answers_for_unknown_or_sold_out_events() {
    let stack = Stack::start();
    let event = stack.create_event(2).await;
    let issue = format!("/api/events/{event}/issue");
    assert_eq!(stack.post(&issue, json!({ "user_id": "kim" })).await.0, 201);
    let (status, body) = stack.post(&issue, json!({ "user_id": "kim" })).await;
    assert_eq!(
        (status, body["error"].as_str().unwrap()),
        (409, "this user already has a coupon of this event")
    );
    // Numbers are accepted as user ids and mean the same user as their text.
    assert_eq!(stack.post(&issue, json!({ "user_id": 42 })).await.0, 201);
    assert_eq!(stack.post(&issue, json!({ "user_id": "42" })).await.0, 409);
    assert_eq!(stack.post(&issue, json!({ "user_id": "lee" })).await.0, 410);
    let (status, body) = stack
        .post("/api/events/999999/issue", json!({ "user_id": "kim" }))
        .await;
    assert_eq!(
        (status, body["error"].as_str().unwrap()),
        (404, "no coupon event 999999")
    );
    let status = stack.drained(event).await;
    assert_eq!(
        (status["issued"].as_u64(), status["persisted"].as_u64()),
        (Some(2), Some(2))
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn bad_input_is_a_4xx_naming_the_field_and_issues_nothing() {
    let stack = Stack::start();
    let event = stack.create_event(10).await;
    let issue = stack.url(&format!("/api/events/{event}/issue"));

    let r = stack
        .http
        .post(&issue)
        .header("content-type", "application/json")
        .body("not json")
        .send()
        .await
        .unwrap();
    assert_eq!(r.status().as_u16(), 400);
    assert!(r.text().await.unwrap().contains("not valid JSON"));

    for (body, field) in [
        (json!({}), "user_id"),
        (json!({ "user_id": "" }), "user_id"),
        (json!({ "user_id": "x".repeat(65) }), "user_id"),
        (json!({ "user_id": ["a"] }), "user_id"),
        (json!({ "user_id": null }), "user_id"),
    ] {
        let (status, answer) = stack
            .post(&format!("/api/events/{event}/issue"), body.clone())
            .await;
        assert_eq!(
            (status, answer["field"].as_str()),
            (422, Some(field)),
            "{body} → {answer}"
        );
    }
    for (body, field) in [
        (json!({ "name": "x", "stock": -5 }), "stock"),
        (json!({ "name": "x", "stock": 0 }), "stock"),
        (json!({ "name": "x", "stock": 10_000_000_000i64 }), "stock"),
        (json!({ "name": "x", "stock": 1e30 }), "stock"),
        (json!({ "name": "x", "stock": "many" }), "stock"),
        (json!({ "name": "x" }), "stock"),
        (json!({ "name": "   ", "stock": 5 }), "name"),
        (json!({ "stock": 5 }), "name"),
    ] {
        let (status, answer) = stack.admin_post("/api/events", body.clone()).await;
        assert_eq!(
            (status, answer["field"].as_str()),
            (422, Some(field)),
            "{body} → {answer}"
        );
    }
    for id in ["abc", "-1", "0", "1.5", "99999999999999999999999"] {
        let (status, answer) = stack
            .post(
                &format!("/api/events/{id}/issue"),
                json!({ "user_id": "kim" }),
            )
            .await;
        assert_eq!(
            (status, answer["field"].as_str()),
            (400, Some("id")),
            "{id} → {answer}"
        );
        assert_eq!(stack.get(&format!("/api/events/{id}")).await.0, 400);
    }
    let status = stack.drained(event).await;
    assert_eq!(status["issued"], 0, "nothing was issued by bad requests");
    // Refused event creations left no rows behind: the next event gets the next id.
    assert_eq!(stack.create_event(1).await, event + 1);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn issuing_takes_only_a_body_declared_as_json() {
    let stack = Stack::start();
    let event = stack.create_event(10).await;
    let url = stack.url(&format!("/api/events/{event}/issue"));
    let send = |content_type: Option<&str>, user: &str| {
        let mut req = stack
            .http
            .post(&url)
            .body(json!({ "user_id": user }).to_string());
        if let Some(content_type) = content_type {
            req = req.header("content-type", content_type);
        }
        async move {
            let r = req.send().await.unwrap();
            let status = r.status().as_u16();
            (status, r.json::<serde_json::Value>().await.unwrap())
        }
    };
    for content_type in [
        Some("text/plain;x=+json"),
        Some("text/plain"),
        Some("application/x-www-form-urlencoded"),
        Some("multipart/form-data; boundary=x"),
        Some("text/json"),
        Some("application/json; charset=latin1"),
        Some("not a media type"),
        None,
    ] {
        let (status, answer) = send(content_type, "kim").await;
        assert_eq!(status, 415, "{content_type:?} → {answer}");
        assert!(
            answer["error"]
                .as_str()
                .unwrap()
                .contains("application/json"),
            "{answer}"
        );
    }
    let (_, status) = stack.get(&format!("/api/events/{event}")).await;
    assert_eq!(
        status["issued"], 0,
        "nothing was issued by refused requests"
    );

    let (status, coupon) = send(Some("application/json; charset=utf-8"), "kim").await;
    assert_eq!((status, &coupon["user_id"]), (201, &json!("kim")));
    let (status, coupon) = send(Some("application/vnd.coupon+json"), "lee").await;
    assert_eq!((status, &coupon["user_id"]), (201, &json!("lee")));
    let (_, status) = stack.get(&format!("/api/events/{event}")).await;
    assert_eq!(status["issued"], 2);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn user_ids_differing_only_in_case_or_accents_are_different_users_in_mysql_too() {
    let stack = Stack::start();
    let event = stack.create_event(10).await;
    let issue = format!("/api/events/{event}/issue");
    // A case-insensitive or accent-folding collation would make these one user in MySQL
    // while Redis counts five: four coupons issued and never stored.
    let users = [
        "alice", "ALICE", "Alice", "straße", "strasse", "café", "cafe",
    ];
    for user in users {
        assert_eq!(
            stack.post(&issue, json!({ "user_id": user })).await.0,
            201,
            "{user}"
        );
    }
    let status = stack.drained(event).await;
    assert_eq!(
        (status["issued"].as_u64(), status["persisted"].as_u64()),
        (Some(7), Some(7))
    );
    let mut expected: Vec<String> = users.iter().map(|u| u.to_string()).collect();
    expected.sort();
    assert_eq!(
        support::mysql_users(&stack.mysql_url, event).await,
        expected
    );
}
