//! Top products through the cache, metrics, readiness and the drill endpoints.

mod support;

use reqwest::Method;
use serde_json::json;
use support::Stack;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn top_products_are_ranked_by_sales_and_served_from_the_cache_after_the_first_miss() {
    // A TTL no slow machine outlasts: the list cannot expire (a second miss) mid-test.
    let stack = Stack::start_with(|c| c.top_ttl_secs = 3600);
    let (status, first) = stack.get("/api/products/top?limit=3").await;
    assert_eq!(status, 200, "{first}");
    assert_eq!(first["source"], "database");
    let ids: Vec<u64> = first["products"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["id"].as_u64().unwrap())
        .collect();
    assert_eq!(ids, [1, 2, 3], "the sample catalogue sells product 1 most");
    assert_eq!(first["products"][0]["name"], "상품 001");
    let sold: Vec<u64> = first["products"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["sold"].as_u64().unwrap())
        .collect();
    assert!(sold[0] > sold[1] && sold[1] > sold[2], "{sold:?}");

    for _ in 0..20 {
        let (status, again) = stack.get("/api/products/top?limit=3").await;
        assert_eq!((status, &again["source"]), (200, &json!("cache")));
        assert_eq!(again["products"], first["products"]);
    }
    let (_, ten) = stack.get("/api/products/top").await;
    assert_eq!(
        ten["products"].as_array().unwrap().len(),
        10,
        "default limit"
    );
    assert_eq!(
        stack
            .metric("coupon_cache_requests_total{result=\"hit\"}")
            .await,
        21.0
    );
    assert_eq!(
        stack
            .metric("coupon_cache_requests_total{result=\"miss\"}")
            .await,
        1.0
    );

    for bad in ["0", "101", "ten", "-1"] {
        let (status, body) = stack.get(&format!("/api/products/top?limit={bad}")).await;
        assert_eq!(
            (status, body["field"].as_str()),
            (422, Some("limit")),
            "{bad}"
        );
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn metrics_health_and_readiness() {
    let stack = Stack::start();
    let event = stack.create_event(5).await;
    stack
        .post(
            &format!("/api/events/{event}/issue"),
            json!({ "user_id": "a" }),
        )
        .await;
    stack.drained(event).await;
    let text = stack.metrics().await;
    for name in [
        "coupon_http_request_duration_seconds_bucket{method=\"POST\",route=\"/api/events/{id}/issue\",status=\"201\",le=\"0.01\"}",
        "coupon_redis_pool_connections{state=\"max\"} 50",
        "coupon_mysql_pool_connections{state=\"max\"} 20",
        "coupon_producer_send_duration_seconds_count 1",
        "coupon_producer_queue_depth 0",
        "coupon_consumer_lag_messages",
        "coupon_issue_total{result=\"issued\"} 1",
        "coupon_redis_breaker_state 0",
        "coupon_db_fallback_in_use 0",
    ] {
        assert!(text.contains(name), "metrics lack {name}:\n{text}");
    }
    assert_eq!(
        stack
            .http
            .get(stack.url("/healthz"))
            .send()
            .await
            .unwrap()
            .text()
            .await
            .unwrap(),
        "ok"
    );
    let (status, ready) = stack.get("/readyz").await;
    assert_eq!(
        (status, ready),
        (200, json!({ "redis": "ok", "mysql": "ok", "broker": "ok" }))
    );
    let (status, _) = stack.get("/nope").await;
    assert_eq!(status, 404);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn drills_inject_and_reset_faults() {
    let stack = Stack::start_with(|c| {
        c.redis_timeout_ms = 200;
        c.breaker_failures = 2;
        c.breaker_open_ms = 60_000;
    });
    let event = stack.create_event(100).await;
    let issue = format!("/api/events/{event}/issue");
    let put = |target: &str, body: serde_json::Value| {
        let req = stack
            .admin(Method::PUT, &format!("/admin/faults/{target}"))
            .json(&body);
        async move {
            let r = req.send().await.unwrap();
            (
                r.status().as_u16(),
                r.json::<serde_json::Value>().await.unwrap(),
            )
        }
    };

    // Scenario 3: MySQL pool shrunk to 2.
    let (status, state) = put("mysql", json!({ "pool_size": 2 })).await;
    assert_eq!((status, &state["mysql"]["pool_size"]), (200, &json!(2)));
    // The 18 held, and nothing else once a connection the event's creation used is back in the
    // pool (a dropped connection goes back in a task of its own, not at once).
    stack
        .metric_until("coupon_mysql_pool_connections{state=\"in_use\"}", |v| {
            v == 18.0
        })
        .await;
    let (status, _) = put("mysql", json!({ "pool_size": 0 })).await;
    assert_eq!(status, 422);
    let (status, body) = put("producer", json!({ "unreachable": true })).await;
    assert_eq!((status, body["field"].as_str()), (422, Some("unreachable")));
    let (status, _) = put("kafka", json!({})).await;
    assert_eq!(status, 404);

    // Scenario 2: a slow producer shows in the send-latency histogram.
    put("producer", json!({ "latency_ms": 150 })).await;
    assert_eq!(
        stack.post(&issue, json!({ "user_id": "slow" })).await.0,
        201
    );
    // Drained: in MySQL, and acknowledged to the producer, so its send time is in the histogram.
    stack.drained(event).await;
    let fast = stack
        .metric("coupon_producer_send_duration_seconds_bucket{le=\"0.1\"}")
        .await;
    let all = stack
        .metric("coupon_producer_send_duration_seconds_count")
        .await;
    assert_eq!((fast, all), (0.0, 1.0), "the one delivery took over 100 ms");

    // Scenario 1: Redis unreachable — the breaker opens after 2 failures and answers at once.
    // (The outbox relay's reads fail too and count: the breaker may open before a request
    // has failed twice.)
    put("redis", json!({ "unreachable": true })).await;
    let mut reasons = Vec::new();
    for _ in 0..3 {
        let (status, body) = stack.post(&issue, json!({ "user_id": "x" })).await;
        assert_eq!(status, 503, "{body}");
        reasons.push(body["reason"].as_str().unwrap().to_owned());
    }
    assert!(
        reasons
            .iter()
            .all(|r| r == "redis_unavailable" || r == "redis_circuit_open"),
        "{reasons:?}"
    );
    assert_eq!(reasons[2], "redis_circuit_open", "{reasons:?}");

    let r = stack
        .admin(Method::DELETE, "/admin/faults")
        .send()
        .await
        .unwrap();
    assert_eq!(r.status().as_u16(), 200);
    let state: serde_json::Value = r.json().await.unwrap();
    assert_eq!(
        state["redis"],
        json!({ "latency_ms": 0, "unreachable": false })
    );
    assert_eq!(state["mysql"], json!({ "latency_ms": 0 }));
    // Released connections go back to the pool as it takes them in, not at once.
    stack
        .metric_until("coupon_mysql_pool_connections{state=\"in_use\"}", |v| {
            v == 0.0
        })
        .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn fault_endpoints_are_absent_unless_enabled() {
    let stack = Stack::start_with(|c| c.enable_faults = false);
    let r = stack
        .http
        .put(stack.url("/admin/faults/redis"))
        .json(&json!({ "unreachable": true }))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status().as_u16(), 404);
    assert_eq!(stack.get("/admin/faults").await.0, 404);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn consumer_lag_grows_while_mysql_is_slow_and_drains_after() {
    const N: u64 = 40;
    // The MySQL timeout is pinned (whatever COUPON_MYSQL_TIMEOUT_MS says) below the stall.
    let stack = Stack::start_with(|c| c.mysql_timeout_ms = 5_000);
    let event = stack.create_event(100).await;
    // MySQL stalls first: every call now waits 60 s, longer than the MySQL timeout (5 s), so
    // each insert of the consumer times out before it reaches MySQL and is retried. Nothing
    // can be persisted until the fault is lifted, whatever the timing: the window in which
    // the lag must show is held open by the test, not by the sleep of a slow call.
    let r = stack
        .admin(Method::PUT, "/admin/faults/mysql")
        .json(&json!({ "latency_ms": 60_000 }))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status().as_u16(), 200);
    let state: serde_json::Value = r.json().await.unwrap();
    assert_eq!(
        state["mysql"]["latency_ms"], 60_000,
        "the stall is in effect"
    );
    // Only now are coupons produced: every insert that could carry one starts stalled.
    for n in 0..N {
        let (status, _) = stack
            .post(
                &format!("/api/events/{event}/issue"),
                json!({ "user_id": format!("u{n}") }),
            )
            .await;
        assert_eq!(status, 201);
    }
    // So the lag reaches all of them: N messages on the topic, none persisted. (That includes
    // the batch the consumer already holds and keeps retrying: received is not persisted.)
    let lag = stack
        .metric_until("coupon_consumer_lag_messages", |v| v >= N as f64)
        .await;
    assert_eq!(lag, N as f64, "every coupon produced, none persisted");
    assert_eq!(stack.metric("coupon_coupons_persisted_total").await, 0.0);

    let r = stack
        .admin(Method::DELETE, "/admin/faults")
        .send()
        .await
        .unwrap();
    assert_eq!(r.status().as_u16(), 200);
    let state: serde_json::Value = r.json().await.unwrap();
    assert_eq!(state["mysql"]["latency_ms"], 0);
    stack
        .metric_until("coupon_consumer_lag_messages", |v| v == 0.0)
        .await;
    let status = stack.drained(event).await;
    assert_eq!(
        (status["issued"].as_u64(), status["persisted"].as_u64()),
        (Some(N), Some(N))
    );
    assert_eq!(
        stack.metric("coupon_coupons_persisted_total").await,
        N as f64
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn creating_an_event_needs_the_admin_token_and_a_refusal_creates_nothing() {
    let stack = Stack::start();
    let body = json!({ "name": "drop", "stock": 5 });
    let r = stack
        .http
        .post(stack.url("/api/events"))
        .json(&body)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status().as_u16(), 401);
    assert_eq!(
        r.headers()["www-authenticate"],
        r#"Bearer realm="coupon-admin""#
    );
    let answer: serde_json::Value = r.json().await.unwrap();
    assert!(
        answer["error"].as_str().unwrap().contains("admin token"),
        "the service's JSON error body: {answer}"
    );
    let refusals = [
        (format!("Bearer {}x", stack.admin_token), 403),
        (format!("Bearer {}", &stack.admin_token[1..]), 403),
        ("Bearer not-the-admin-token-at-all".to_owned(), 403),
        (stack.admin_token.clone(), 401),
        (format!("Basic {}", stack.admin_token), 401),
        ("Bearer ".to_owned(), 401),
    ];
    for (authorization, expected) in refusals {
        let r = stack
            .http
            .post(stack.url("/api/events"))
            .header("authorization", &authorization)
            .json(&body)
            .send()
            .await
            .unwrap();
        let status = r.status().as_u16();
        let answer: serde_json::Value = r.json().await.unwrap();
        assert_eq!(status, expected, "{authorization:?} → {answer}");
        assert!(answer["error"].is_string(), "{answer}");
    }
    // The right token with a body not declared as JSON: 415.
    let r = stack
        .admin(Method::POST, "/api/events")
        .header("content-type", "text/plain;x=+json")
        .body(body.to_string())
        .send()
        .await
        .unwrap();
    assert_eq!(r.status().as_u16(), 415);

    assert_eq!(
        stack.get("/api/events/1").await.0,
        404,
        "no event was created"
    );
    let (status, created) = stack.admin_post("/api/events", body).await;
    assert_eq!(status, 201, "{created}");
    assert_eq!(
        created["id"], 1,
        "the refused requests left no rows behind: the first event gets the first id"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn fault_injection_needs_the_admin_token_even_when_enabled() {
    let stack = Stack::start();
    let event = stack.create_event(10).await;
    let wrong = format!("{}x", stack.admin_token);
    let unreachable = json!({ "unreachable": true });
    for (method, path) in [
        (Method::PUT, "/admin/faults/redis"),
        (Method::DELETE, "/admin/faults/redis"),
        (Method::GET, "/admin/faults"),
        (Method::DELETE, "/admin/faults"),
    ] {
        for (token, expected) in [(None, 401), (Some(&wrong), 403)] {
            let mut req = stack.http.request(method.clone(), stack.url(path));
            if method == Method::PUT {
                req = req.json(&unreachable);
            }
            if let Some(token) = token {
                req = req.bearer_auth(token);
            }
            let r = req.send().await.unwrap();
            let status = r.status().as_u16();
            let answer: serde_json::Value = r.json().await.unwrap();
            assert_eq!(status, expected, "{method} {path} → {answer}");
            assert!(answer["error"].is_string(), "{answer}");
        }
    }
    // With the token, a body that is not declared as JSON is refused too (curl -d sends a form).
    for content_type in ["text/plain;x=+json", "application/x-www-form-urlencoded"] {
        let r = stack
            .admin(Method::PUT, "/admin/faults/redis")
            .header("content-type", content_type)
            .body(unreachable.to_string())
            .send()
            .await
            .unwrap();
        assert_eq!(r.status().as_u16(), 415, "{content_type}");
    }

    // None of it was applied: the state says so, and Redis still issues coupons.
    let state: serde_json::Value = stack
        .admin(Method::GET, "/admin/faults")
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(
        state["redis"],
        json!({ "latency_ms": 0, "unreachable": false })
    );
    assert_eq!(
        stack
            .post(
                &format!("/api/events/{event}/issue"),
                json!({ "user_id": "kim" })
            )
            .await
            .0,
        201
    );

    // The token and JSON: applied.
    let r = stack
        .admin(Method::PUT, "/admin/faults/producer")
        .header("content-type", "application/json; charset=utf-8")
        .body(json!({ "latency_ms": 5 }).to_string())
        .send()
        .await
        .unwrap();
    assert_eq!(r.status().as_u16(), 200);
    let state: serde_json::Value = r.json().await.unwrap();
    assert_eq!(state["producer"]["latency_ms"], 5);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn without_a_configured_token_event_creation_and_faults_are_refused_to_everyone() {
    let stack = Stack::start_with(|c| c.admin_token = None);
    let event = json!({ "name": "drop", "stock": 5 });
    for token in [None, Some(&stack.admin_token)] {
        for (method, path, body) in [
            (Method::POST, "/api/events", Some(&event)),
            (
                Method::PUT,
                "/admin/faults/redis",
                Some(&json!({ "unreachable": true })),
            ),
            (Method::GET, "/admin/faults", None),
            (Method::DELETE, "/admin/faults", None),
        ] {
            let mut req = stack.http.request(method.clone(), stack.url(path));
            if let Some(body) = body {
                req = req.json(body);
            }
            if let Some(token) = token {
                req = req.bearer_auth(token);
            }
            let r = req.send().await.unwrap();
            let status = r.status().as_u16();
            let answer: serde_json::Value = r.json().await.unwrap();
            assert_eq!(status, 403, "{method} {path} → {answer}");
            assert!(
                answer["error"]
                    .as_str()
                    .unwrap()
                    .contains("COUPON_ADMIN_TOKEN"),
                "{answer}"
            );
        }
    }
    // The public API of a drop stays open.
    assert_eq!(stack.get("/api/events/1").await.0, 404, "nothing created");
    assert_eq!(stack.get("/api/products/top?limit=1").await.0, 200);
    assert_eq!(stack.get("/readyz").await.0, 200);
}
