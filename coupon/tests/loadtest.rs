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
    args.admin_token = Some(stack.admin_token.clone());
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
    // A TTL no slow machine outlasts: the warm list cannot expire (a miss) during the run.
    let stack = Stack::start_with(|c| c.top_ttl_secs = 3600);
    assert_eq!(
        stack.get("/api/products/top").await.1["source"],
        "database",
        "warm-up miss"
    );
    let mut args = LoadtestArgs::new(&stack.base, Scenario::TopProducts);
    args.rate = Some(400);
    args.vus = 50;
    // 800 starts at 400/s: the run is 2 s long by its rate, and ends on its count rather
    // than on the clock (the duration is only a backstop), so how many starts it makes
    // does not depend on how fast a loaded machine runs it.
    args.iterations = Some(800);
    args.duration = Duration::from_secs(600);
    let s = coupon::loadtest::execute(&args).await.unwrap();
    assert_eq!(
        s.requests() + s.dropped,
        800,
        "every start was made or dropped at the in-flight cap"
    );
    assert!(s.requests() > 0, "{} dropped", s.dropped);
    // Started at the rate, not faster: the 800th start was due at 2 s.
    assert!(
        s.elapsed >= Duration::from_millis(1_995),
        "800 starts at 400/s took {:?}",
        s.elapsed
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

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_command_prints_the_summary_and_writes_the_k6_export() {
    let stack = Stack::start();
    let export = tempfile::NamedTempFile::new().unwrap();
    let out = tokio::process::Command::new(env!("CARGO_BIN_EXE_coupon"))
        .args([
            "loadtest",
            "--target",
            &stack.base,
            "--scenario",
            "issue",
            "--vus",
            "5",
        ])
        .args([
            "--iterations",
            "40",
            "--think-time",
            "0s",
            "--stock",
            "30",
            "--summary-export",
        ])
        .arg(export.path())
        .env("COUPON_ADMIN_TOKEN", &stack.admin_token)
        .output()
        .await
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let stdout = String::from_utf8(out.stdout).unwrap();
    assert!(stdout.contains("requests ......... 40 in"), "{stdout}");
    assert!(stdout.contains("201 ...... 30 (75.00 %)"), "{stdout}");
    assert!(stdout.contains("410 ...... 10 (25.00 %)"), "{stdout}");
    assert!(
        stdout.contains("30 issued of 30 stock, 30 answered 201, 30 in MySQL"),
        "{stdout}"
    );
    assert!(
        stdout.contains("0 users with two coupons — consistent"),
        "{stdout}"
    );
    let json: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(export.path()).unwrap()).unwrap();
    assert_eq!(json["metrics"]["http_reqs"]["count"], 40);
    assert_eq!(json["metrics"]["checks"]["passes"], 30);
    assert_eq!(json["coupon"]["tool"], "coupon-loadtest");
    assert_eq!(json["coupon"]["issue"]["persisted"], 30);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_issue_run_without_the_admin_token_says_how_to_pass_it_and_needs_none_for_an_event() {
    let stack = Stack::start();
    let mut args = LoadtestArgs::new(&stack.base, Scenario::Issue);
    args.vus = 2;
    args.iterations = Some(4);
    args.think_time = Duration::ZERO;
    let Err(err) = coupon::loadtest::execute(&args).await else {
        panic!("an issue run without the admin token created its event");
    };
    let message = format!("{err:#}");
    assert!(
        message.contains("401") && message.contains("--admin-token"),
        "{message}"
    );
    assert_eq!(
        stack.get("/api/events/1").await.0,
        404,
        "no event was created"
    );

    // Issuing is public: a run against an existing event needs no token.
    args.event = Some(stack.create_event(3).await);
    let s = coupon::loadtest::execute(&args).await.unwrap();
    assert_eq!(s.statuses.get(&201), Some(&3));
    assert_eq!(s.statuses.get(&410), Some(&1));
}
