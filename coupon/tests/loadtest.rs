//! The load generator against a real stack: counts, consistency, the k6-style export with its
//! per-second series, and the run filed in a real hoego (the workspace's own binary).

#[path = "support/hoego.rs"]
mod hoego;
mod support;

use std::time::Duration;

use coupon::loadtest::{LoadtestArgs, Scenario, k6_export};
use hoego::Hoego;
use serde_json::{Value, json};
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
        .env_remove("COUPON_HOEGO_URL")
        .env_remove("COUPON_HOEGO_TOKEN")
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
    assert!(!stdout.contains("hoego"), "filed nowhere: {stdout}");
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

/// `coupon loadtest` as a user runs it, with the hoego flags; its output and export.
async fn loadtest(
    stack: &Stack,
    export: &std::path::Path,
    hoego_token: &str,
    args: &[&str],
) -> (std::process::ExitStatus, String, String, Value) {
    let out = tokio::process::Command::new(env!("CARGO_BIN_EXE_coupon"))
        .args([
            "loadtest",
            "--quiet",
            "--target",
            &stack.base,
            "--scenario",
            "issue",
        ])
        .args(args)
        .arg("--summary-export")
        .arg(export)
        .env("COUPON_ADMIN_TOKEN", &stack.admin_token)
        .env("COUPON_HOEGO_TOKEN", hoego_token)
        .env_remove("COUPON_HOEGO_URL")
        .output()
        .await
        .unwrap();
    let document = std::fs::read_to_string(export)
        .ok()
        .and_then(|text| serde_json::from_str(&text).ok())
        .unwrap_or(Value::Null);
    (
        out.status,
        String::from_utf8(out.stdout).unwrap(),
        String::from_utf8(out.stderr).unwrap(),
        document,
    )
}

fn f64_at(v: &Value) -> f64 {
    v.as_f64().unwrap_or_else(|| panic!("not a number: {v}"))
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_run_reported_to_hoego_is_filed_with_its_counts_and_series_and_linked_to_the_incident() {
    let stack = Stack::start();
    let hoego = Hoego::start();
    let (status, incident) = hoego
        .post(
            "/incidents",
            json!({"title": "쿠폰 발급 지연", "severity": "P2", "services": ["coupon-api"]}),
        )
        .await;
    assert_eq!(status, 201, "{incident}");
    let incident_id = incident["id"].as_i64().unwrap();
    let export = tempfile::NamedTempFile::new().unwrap();
    // Characters a hand-built query would get wrong: spaces, `&`, `+`, `:`, Hangul.
    let notes = "p99 < 5 ms & no duplicates: 쿠폰 +1";
    // Two users, 100 requests with 50 ms between each user's requests: the run spans at least
    // 49 pauses of its busiest user, so 2.45 s, three seconds of series.
    let (status, stdout, stderr, doc) = loadtest(
        &stack,
        export.path(),
        &hoego.token,
        &[
            "--vus",
            "2",
            "--iterations",
            "100",
            "--think-time",
            "50ms",
            "--stock",
            "70",
            "--report-to",
            &hoego.url,
            "--incident",
            &incident_id.to_string(),
            "--relation",
            "reproduced_by",
            "--name",
            "issue, two users",
            "--environment",
            "test",
            "--version",
            "v1.2.3+abc",
            "--notes",
            notes,
        ],
    )
    .await;
    assert!(status.success(), "{stdout}\n{stderr}");

    // What the load generator counted.
    assert_eq!(doc["metrics"]["http_reqs"]["count"], 100, "{doc}");
    assert_eq!(doc["coupon"]["status_counts"]["201"], 70);
    assert_eq!(doc["coupon"]["status_counts"]["410"], 30);

    // The run's page, as printed.
    let page = stdout
        .lines()
        .find_map(|l| l.strip_prefix("filed in hoego as run #"))
        .unwrap_or_else(|| panic!("no hoego line: {stdout}"));
    let (id, url) = page.split_once(": ").unwrap();
    assert_eq!(url, format!("{}/load-tests/{id}", hoego.url));

    let (status, run) = hoego.read(&format!("/load-tests/{id}")).await;
    assert_eq!(status, 200, "{run}");
    assert_eq!(run["format"], "coupon_loadtest");
    let figures = &run["figures"];
    assert_eq!(f64_at(&figures["requests"]), 100.0);
    assert_eq!(f64_at(&figures["coupons_issued"]), 70.0, "one per 201");
    assert_eq!(f64_at(&figures["stock"]), 70.0);
    assert_eq!(f64_at(&figures["checks_passed"]), 70.0);
    assert_eq!(f64_at(&figures["error_rate"]), 0.3, "the 410s");
    assert_eq!(f64_at(&figures["vus_max"]), 2.0);
    let duration = f64_at(&doc["coupon"]["duration_s"]);
    assert_eq!(f64_at(&figures["duration_seconds"]), duration);

    let meta = &run["meta"];
    assert_eq!(meta["scenario"], "issue");
    assert_eq!(meta["services"], json!(["coupon-api"]));
    assert_eq!(meta["name"], "issue, two users");
    assert_eq!(meta["environment"], "test");
    assert_eq!(meta["version"], "v1.2.3+abc");
    assert_eq!(meta["notes"], notes);
    let started: chrono::DateTime<chrono::Utc> =
        serde_json::from_value(meta["started_at"].clone()).unwrap();
    let exported: chrono::DateTime<chrono::Utc> =
        serde_json::from_value(doc["coupon"]["started_at"].clone()).unwrap();
    assert_eq!(
        started,
        chrono::SubsecRound::trunc_subsecs(exported, 3),
        "the run's start, to the millisecond"
    );

    // One point per second of the run, each request in one of them.
    let series = run["series"].as_array().unwrap();
    assert_eq!(
        series.len(),
        duration.ceil() as usize,
        "{duration} s: {series:#?}"
    );
    assert!(series.len() >= 3, "{duration} s");
    for (i, point) in series.iter().enumerate() {
        assert_eq!(f64_at(&point["second"]), i as f64);
        if let (Some(p50), Some(p99)) = (point["p50_ms"].as_f64(), point["p99_ms"].as_f64()) {
            assert!(p99 >= p50, "{point}");
        }
    }
    let total = |key: &str| series.iter().map(|p| f64_at(&p[key])).sum::<f64>();
    assert_eq!(total("rps"), 100.0);
    assert_eq!(total("errors"), 30.0);
    assert_eq!(
        series.len(),
        doc["coupon"]["series"].as_array().unwrap().len()
    );

    // Linked both ways.
    assert_eq!(
        run["links"],
        json!([{"incident_id": incident_id, "incident_title": "쿠폰 발급 지연", "relation": "reproduced_by"}])
    );
    let (status, incident) = hoego.read(&format!("/incidents/{incident_id}")).await;
    assert_eq!(status, 200, "{incident}");
    let linked = incident["load_tests"].as_array().unwrap();
    assert_eq!(linked.len(), 1, "{incident}");
    assert_eq!(linked[0]["run"].to_string(), id);
    assert_eq!(linked[0]["relation"], "reproduced_by");

    // The body was the exported document.
    let (status, raw) = hoego.read(&format!("/load-tests/{id}/raw")).await;
    assert_eq!(status, 200);
    assert_eq!(raw, doc);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn when_hoego_is_down_or_refuses_the_command_fails_and_the_export_is_kept() {
    let stack = Stack::start();
    let hoego = Hoego::start();

    // Nothing listens there.
    let down = format!("http://127.0.0.1:{}", coupon::stack::free_port().unwrap());
    let export = tempfile::NamedTempFile::new().unwrap();
    let few = [
        "--vus",
        "2",
        "--iterations",
        "10",
        "--think-time",
        "0s",
        "--stock",
        "100",
    ];
    let (status, stdout, stderr, doc) = loadtest(
        &stack,
        export.path(),
        &hoego.token,
        &[&few[..], &["--report-to", &down]].concat(),
    )
    .await;
    assert!(!status.success(), "{stdout}");
    assert!(
        stderr.contains(&format!("could not reach hoego at {down}")),
        "{stderr}"
    );
    assert!(
        stderr.contains(&format!("its summary is in {}", export.path().display())),
        "{stderr}"
    );
    assert!(stdout.contains("summary written to"), "{stdout}");
    assert_eq!(
        doc["metrics"]["http_reqs"]["count"], 10,
        "the export was written"
    );

    // hoego refuses: no such incident. Its status and message are shown, nothing is stored.
    let export = tempfile::NamedTempFile::new().unwrap();
    let refused = [
        "--report-to",
        &hoego.url,
        "--incident",
        "4242",
        "--relation",
        "verified_fix",
    ];
    let (status, stdout, stderr, doc) = loadtest(
        &stack,
        export.path(),
        &hoego.token,
        &[&few[..], &refused[..]].concat(),
    )
    .await;
    assert!(!status.success(), "{stdout}");
    assert!(
        stderr.contains("hoego answered 404 Not Found to POST /api/v1/load-tests: "),
        "{stderr}"
    );
    assert!(stderr.contains("incident"), "{stderr}");
    assert_eq!(
        doc["metrics"]["http_reqs"]["count"], 10,
        "the export was written"
    );
    let (status, runs) = hoego.read("/load-tests").await;
    assert_eq!(status, 200);
    assert_eq!(runs["items"], json!([]), "nothing filed");
}
