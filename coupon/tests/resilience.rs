//! The seed's failure scenarios against real parts: Redis restarting mid-run, Redis down with
//! the top-products query falling back to MySQL in a single flight, and the broker down.

mod support;

use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

use serde_json::json;
use sqlx::Connection;
use support::Stack;

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn redis_restarting_mid_run_never_issues_over_stock_and_the_breaker_opens_and_closes() {
    let mut stack = Stack::start_with(|c| {
        c.redis_timeout_ms = 200;
        c.breaker_failures = 3;
        c.breaker_open_ms = 300;
    });
    let event = stack.create_event(400).await;
    let accepted = Arc::new(AtomicU64::new(0));
    let unavailable = Arc::new(AtomicU64::new(0));
    let stop = Arc::new(std::sync::atomic::AtomicBool::new(false));
    let mut users = Vec::new();
    for vu in 0..50 {
        let (http, url) = (
            stack.http.clone(),
            stack.url(&format!("/api/events/{event}/issue")),
        );
        let (accepted, unavailable, stop) = (accepted.clone(), unavailable.clone(), stop.clone());
        users.push(tokio::spawn(async move {
            let mut n = 0;
            while !stop.load(Ordering::Relaxed) {
                n += 1;
                let r = http
                    .post(&url)
                    .json(&json!({ "user_id": format!("vu{vu}-{n}") }))
                    .send()
                    .await
                    .unwrap();
                match r.status().as_u16() {
                    201 => {
                        accepted.fetch_add(1, Ordering::Relaxed);
                    }
                    503 => {
                        assert!(
                            r.headers().contains_key("retry-after"),
                            "503 without Retry-After"
                        );
                        unavailable.fetch_add(1, Ordering::Relaxed);
                    }
                    410 => {}
                    other => panic!("unexpected {other}: {}", r.text().await.unwrap()),
                }
                tokio::time::sleep(Duration::from_millis(20)).await;
            }
        }));
    }
    // Let some coupons go, then restart Redis (gracefully: it keeps its append-only file).
    support::until("100 coupons accepted", || {
        accepted.load(Ordering::Relaxed) >= 100
    })
    .await;
    stack.redis.stop();
    // Redis stays down until what must happen during the outage has happened, however long
    // a loaded machine takes: the breaker opened, let a probe through once its 300 ms were up
    // and opened again when the probe failed, and a request was told to retry.
    stack
        .metric_until("coupon_redis_breaker_transitions_total{to=\"open\"}", |v| {
            v >= 2.0
        })
        .await;
    assert!(
        stack
            .metric("coupon_redis_breaker_transitions_total{to=\"half_open\"}")
            .await
            >= 1.0
    );
    support::until("a 503 during the outage", || {
        unavailable.load(Ordering::Relaxed) > 0
    })
    .await;
    // Open, or half-open for the moment a probe is due: never closed while Redis is down.
    let state = stack.metric("coupon_redis_breaker_state").await;
    assert!(state >= 1.0, "breaker closed while Redis is down");
    assert_eq!(
        stack
            .metric("coupon_redis_breaker_transitions_total{to=\"closed\"}")
            .await,
        0.0,
        "no probe succeeded while Redis was down"
    );
    stack.redis.resume().unwrap();
    // Run on until sold out.
    let deadline = std::time::Instant::now() + Duration::from_secs(120);
    loop {
        let (_, status) = stack.get(&format!("/api/events/{event}")).await;
        if status["remaining"] == 0 {
            break;
        }
        assert!(
            std::time::Instant::now() < deadline,
            "not sold out after Redis came back: {status}"
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    stop.store(true, Ordering::Relaxed);
    for u in users {
        u.await.unwrap();
    }
    let status = stack.drained(event).await;
    assert_eq!(status["issued"], 400, "never more than the stock");
    assert_eq!(status["persisted"], 400);
    assert_eq!(status["persisted_users"], 400);
    // A request cut off by the restart may have been issued in Redis without hearing so: its
    // coupon was in the outbox all the same. MySQL holds exactly the users Redis issued to,
    // every accepted one among them.
    let accepted = accepted.load(Ordering::Relaxed);
    assert!(accepted <= 400, "{accepted} accepted");
    assert_eq!(
        support::mysql_users(&stack.mysql_url, event).await,
        support::redis_users(&stack.redis.url(), event).await
    );
    assert!(
        unavailable.load(Ordering::Relaxed) > 0,
        "requests during the outage were told to retry"
    );
    assert!(
        stack
            .metric("coupon_redis_breaker_transitions_total{to=\"open\"}")
            .await
            >= 1.0
    );
    assert!(
        stack
            .metric("coupon_redis_breaker_transitions_total{to=\"closed\"}")
            .await
            >= 1.0
    );
    assert_eq!(
        stack.metric("coupon_redis_breaker_state").await,
        0.0,
        "closed again after Redis came back"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn with_redis_down_top_products_answers_from_mysql_without_exhausting_its_pool() {
    let mut stack = Stack::start_with(|c| c.redis_timeout_ms = 200);
    let (status, cached) = stack.get("/api/products/top?limit=5").await;
    assert_eq!(status, 200);
    stack.redis.stop();

    let answered = Arc::new(AtomicU64::new(0));
    let mut requests = Vec::new();
    for _ in 0..200 {
        let (http, url) = (stack.http.clone(), stack.url("/api/products/top?limit=5"));
        let answered = answered.clone();
        requests.push(tokio::spawn(async move {
            let r = http.get(url).send().await.unwrap();
            let status = r.status().as_u16();
            let body: serde_json::Value = r.json().await.unwrap();
            match status {
                200 => {
                    answered.fetch_add(1, Ordering::Relaxed);
                    body
                }
                503 => {
                    assert_eq!(body["reason"], "db_fallback_busy");
                    serde_json::Value::Null
                }
                other => panic!("unexpected {other} {body}"),
            }
        }));
    }
    for r in requests {
        let body = r.await.unwrap();
        if !body.is_null() {
            assert_eq!(body["source"], "fallback");
            assert_eq!(
                body["products"], cached["products"],
                "MySQL gives the same ranking"
            );
        }
    }
    assert_eq!(
        answered.load(Ordering::Relaxed),
        200,
        "every request was answered from MySQL"
    );
    // One query at a time answered all the waiters: the pool of 20 was never exhausted.
    let mut conn = sqlx::MySqlConnection::connect(&stack.mysql_url)
        .await
        .unwrap();
    let (_, max_used): (String, String) =
        sqlx::query_as("SHOW GLOBAL STATUS LIKE 'Max_used_connections'")
            .fetch_one(&mut conn)
            .await
            .unwrap();
    let max_used: u32 = max_used.parse().unwrap();
    assert!(
        max_used <= 6,
        "MySQL saw {max_used} connections at once (fallbacks + consumer + this check)"
    );
    assert!(
        stack.metric("coupon_redis_breaker_state").await >= 1.0,
        "breaker not closed while Redis is down"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn with_the_broker_down_issuing_pushes_back_with_503_and_loses_nothing() {
    let mut stack = Stack::start_with(|c| c.producer_queue = 20);
    let event = stack.create_event(1000).await;
    let issue = format!("/api/events/{event}/issue");
    for n in 0..10 {
        assert_eq!(
            stack
                .post(&issue, json!({ "user_id": format!("before-{n}") }))
                .await
                .0,
            201
        );
    }
    stack.drained(event).await;
    stack.broker.pause();

    let mut accepted = 0;
    let mut pushed_back = 0;
    for n in 0..60 {
        let r = stack
            .http
            .post(stack.url(&issue))
            .json(&json!({ "user_id": format!("during-{n}") }))
            .send()
            .await
            .unwrap();
        match r.status().as_u16() {
            201 => accepted += 1,
            503 => {
                assert_eq!(r.headers()["retry-after"], "1");
                let body: serde_json::Value = r.json().await.unwrap();
                assert_eq!(body["reason"], "producer_queue_full");
                pushed_back += 1;
            }
            other => panic!("unexpected {other}"),
        }
    }
    assert_eq!(
        (accepted, pushed_back),
        (20, 40),
        "the queue holds 20 coupons, then the service pushes back"
    );
    let (_, status) = stack.get(&format!("/api/events/{event}")).await;
    assert_eq!(
        status["issued"], 30,
        "refused coupons were never taken from the stock"
    );
    assert_eq!(stack.metric("coupon_producer_queue_depth").await, 20.0);

    stack.broker.unpause();
    let status = stack.drained(event).await;
    assert_eq!(
        (status["issued"].as_u64(), status["persisted"].as_u64()),
        (Some(30), Some(30)),
        "nothing lost"
    );
    assert_eq!(
        stack.post(&issue, json!({ "user_id": "after" })).await.0,
        201
    );
}
