//! The load generator against a real stack: counts, consistency and the k6-style export.

mod support;

use std::time::Duration;

use coupon::loadtest::{LoadtestArgs, Scenario, k6_export};
use support::Stack;

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn issue_run_reports_every_request_and_checks_the_coupons() {
    let stack = Stack::start();
    let mut args = LoadtestArgs::new(&stack.base, Scenario::Issue);
    args.vus = 20;
    args.iterations = Some(300);
    args.think_time = Duration::from_millis(5);
    args.stock = 250;
    let s = coupon::loadtest::execute(&args).await.unwrap();
    assert_eq!(s.requests(), 300);
    assert_eq!(s.statuses.get(&201), Some(&250));
    assert_eq!(s.statuses.get(&410), Some(&50));
    let check = s.issue.clone().unwrap();
    assert_eq!(
        (check.stock, check.issued, check.accepted, check.persisted),
        (250, 250, 250, 250)
    );
    assert!(check.drained && check.consistent());
    assert_eq!(check.duplicates(), 0);

    let export = k6_export(&s);
    assert_eq!(export["metrics"]["http_reqs"]["count"], 300);
    assert_eq!(export["metrics"]["checks"]["passes"], 250);
    assert_eq!(
        export["metrics"]["http_req_failed"]["passes"], 50,
        "410s count as failed requests, as in k6"
    );
    let p99 = export["metrics"]["http_req_duration"]["p(99)"]
        .as_f64()
        .unwrap();
    let max = export["metrics"]["http_req_duration"]["max"]
        .as_f64()
        .unwrap();
    assert!(p99 > 0.0 && p99 <= max);
    assert_eq!(export["coupon"]["issue"]["consistent"], true);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn open_loop_top_products_run_reports_the_cache_hit_rate() {
    let stack = Stack::start();
    assert_eq!(
        stack.get("/api/products/top").await.1["source"],
        "database",
        "warm-up miss"
    );
    let mut args = LoadtestArgs::new(&stack.base, Scenario::TopProducts);
    args.rate = Some(400);
    args.vus = 50;
    args.duration = Duration::from_secs(2);
    let s = coupon::loadtest::execute(&args).await.unwrap();
    assert!(
        s.requests() >= 600,
        "about 800 requests at 400/s for 2 s, got {}",
        s.requests()
    );
    assert_eq!(
        s.statuses.get(&200).copied(),
        Some(s.requests()),
        "{:?}",
        s.statuses
    );
    assert_eq!(
        s.cache_hit_rate,
        Some(1.0),
        "a warm cache answers every request"
    );
}
