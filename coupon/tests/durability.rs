//! No issued coupon is lost between Redis and MySQL, and none is issued over the stock: with
//! the service killed while the broker was away, with clients that hang up mid-request, with
//! the broker restarted, with an outbox entry nobody can read. And the service stops when
//! asked.

mod support;

use std::time::Duration;

use coupon::stack::BrokerStorage;
use serde_json::json;
use support::{Deps, Stack, mysql_users, redis_users};

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn killed_while_the_broker_was_paused_the_service_loses_no_coupon_after_a_restart() {
    let mut deps = Deps::start(BrokerStorage::Memory);
    let service = deps.spawn_service().await;
    let event = service.create_event(1500).await;
    for n in 0..10 {
        assert_eq!(service.issue(event, &format!("early-{n}")).await, 201);
    }
    service.drained(event).await;
    // Three stored coupons go missing from MySQL, as coupons did before the outbox existed
    // when the producer lost them: the restart must find and restore them.
    {
        use sqlx::Connection;
        let mut conn = sqlx::MySqlConnection::connect(&deps.mysql_url)
            .await
            .unwrap();
        let gone = sqlx::query(
            "DELETE FROM coupons WHERE event_id = ? AND user_id IN ('early-1', 'early-4', 'early-7')",
        )
        .bind(event)
        .execute(&mut conn)
        .await
        .unwrap();
        assert_eq!(gone.rows_affected(), 3);
    }

    deps.broker.pause();
    for n in 0..1000 {
        let user = format!("paused-{n}");
        assert_eq!(
            service.issue(event, &user).await,
            201,
            "{user}: the outbox takes coupons while the broker is away"
        );
    }
    service.kill9();
    deps.broker.unpause();

    let service = deps.spawn_service().await;
    let status = service.drained(event).await;
    assert_eq!(
        (status["issued"].as_u64(), status["persisted"].as_u64()),
        (Some(1010), Some(1010)),
        "{status}"
    );
    assert_eq!(
        mysql_users(&deps.mysql_url, event).await,
        redis_users(&deps.redis.url(), event).await,
        "MySQL holds exactly what Redis issued"
    );
    let metrics = service.metrics().await;
    assert!(
        metrics.contains("coupon_reconciled_total 3\n"),
        "the three missing coupons were put back at start"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn clients_that_hang_up_mid_request_lose_no_coupon_and_never_get_more_than_the_stock() {
    let stack = Stack::start();
    let event = stack.create_event(300).await;
    // Each client sends its request and closes the connection at once, or after a few
    // milliseconds: some requests are dropped before Redis decided, some after.
    let mut clients = Vec::new();
    for n in 0..500u64 {
        let addr = stack.base.trim_start_matches("http://").to_owned();
        clients.push(tokio::spawn(async move {
            use tokio::io::AsyncWriteExt;
            let body = json!({ "user_id": format!("hangup-{n}") }).to_string();
            let request = format!(
                "POST /api/events/{event}/issue HTTP/1.1\r\nHost: {addr}\r\nContent-Type: application/json\r\nContent-Length: {}\r\n\r\n{body}",
                body.len()
            );
            let mut socket = tokio::net::TcpStream::connect(&addr).await.unwrap();
            socket.write_all(request.as_bytes()).await.unwrap();
            tokio::time::sleep(Duration::from_millis(n % 4)).await;
            drop(socket);
        }));
    }
    for c in clients {
        c.await.unwrap();
    }
    // And some who wait for their answer, until the stock is gone.
    for n in 0..400 {
        match stack
            .post(
                &format!("/api/events/{event}/issue"),
                json!({ "user_id": format!("patient-{n}") }),
            )
            .await
        {
            (201, _) => {}
            (410, _) => break,
            // Told to retry (the hang-ups' stampede may have opened the breaker): a real
            // client waits and asks again.
            (503, _) => tokio::time::sleep(Duration::from_millis(200)).await,
            (other, body) => panic!("unexpected {other}: {body}"),
        }
    }
    let status = stack.drained(event).await;
    assert_eq!(status["issued"], 300, "never more than the stock: {status}");
    assert_eq!(status["persisted"], 300);
    assert_eq!(
        mysql_users(&stack.mysql_url, event).await,
        redis_users(&stack.redis.url(), event).await
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_broker_restarted_mid_run_keeps_what_it_acknowledged_and_gets_the_rest() {
    let mut stack = Stack::start_on(BrokerStorage::File, |_| {});
    let event = stack.create_event(600).await;
    let issue = format!("/api/events/{event}/issue");
    for n in 0..300 {
        assert_eq!(
            stack
                .post(&issue, json!({ "user_id": format!("before-{n}") }))
                .await
                .0,
            201
        );
    }
    stack.drained(event).await;
    stack.broker.restart().unwrap();
    let mut accepted = 0;
    for n in 0..400 {
        match stack
            .post(&issue, json!({ "user_id": format!("after-{n}") }))
            .await
            .0
        {
            201 => accepted += 1,
            410 => {}
            other => panic!("unexpected {other}"),
        }
    }
    assert_eq!(accepted, 300, "the rest of the stock, and no more");
    let status = stack.drained(event).await;
    assert_eq!(
        (status["issued"].as_u64(), status["persisted"].as_u64()),
        (Some(600), Some(600)),
        "{status}"
    );
    assert_eq!(
        mysql_users(&stack.mysql_url, event).await,
        redis_users(&stack.redis.url(), event).await
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_outbox_entry_nobody_can_read_goes_to_the_dead_letters_and_the_rest_flow_on() {
    let stack = Stack::start();
    let event = stack.create_event(10).await;
    let client = redis::Client::open(stack.redis.url()).unwrap();
    let mut conn = client.get_multiplexed_async_connection().await.unwrap();
    let _: String = redis::cmd("XADD")
        .arg(coupon::redis::outbox_key(event))
        .arg("*")
        .arg("seq")
        .arg(1)
        .query_async(&mut conn)
        .await
        .unwrap();
    let issue = format!("/api/events/{event}/issue");
    assert_eq!(stack.post(&issue, json!({ "user_id": "kim" })).await.0, 201);
    stack
        .metric_until("coupon_dead_letters_total", |v| v == 1.0)
        .await;
    let status = stack.drained(event).await;
    assert_eq!(
        (status["issued"].as_u64(), status["persisted"].as_u64()),
        (Some(1), Some(1))
    );
    use sqlx::Connection;
    let mut db = sqlx::MySqlConnection::connect(&stack.mysql_url)
        .await
        .unwrap();
    let letters: Vec<(u64, String, String)> =
        sqlx::query_as("SELECT event_id, payload, error FROM dead_letters")
            .fetch_all(&mut db)
            .await
            .unwrap();
    assert_eq!(
        letters,
        vec![(
            event,
            r#"{"seq":"1"}"#.to_owned(),
            "outbox entry without user".to_owned()
        )]
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn sigterm_stops_the_service_within_10_s_even_with_the_broker_gone_and_a_second_stops_it_at_once()
 {
    let mut deps = Deps::start(BrokerStorage::Memory);
    for second_signal in [false, true] {
        deps.broker.unpause();
        let mut service = deps.spawn_service().await;
        let event = service.create_event(100).await;
        deps.broker.pause();
        for n in 0..20 {
            assert_eq!(service.issue(event, &format!("u{n}")).await, 201);
        }
        service.signal(libc::SIGTERM);
        if second_signal {
            tokio::time::sleep(Duration::from_millis(300)).await;
            service.signal(libc::SIGTERM);
            let took = service.exits_within(Duration::from_secs(3));
            assert!(took.is_some(), "a second SIGTERM stops it at once");
        } else {
            let took = service.exits_within(coupon::STOP_WITHIN + Duration::from_secs(2));
            assert!(took.is_some(), "still running 12 s after SIGTERM");
        }
    }
    deps.broker.unpause();
}
