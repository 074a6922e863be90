//! Load-test runs: each summary format read right, compared, linked to incidents, and the
//! capacity a service was last proven to carry.

use app::domain::{Role, Scope};
use reqwest::StatusCode;
use reqwest::header::{COOKIE, LOCATION, ORIGIN};
use serde_json::{Value, json};

use crate::helpers::*;

const HANDLE_SUMMARY: &str = include_str!("../fixtures/load_tests/k6-handle-summary.json");
const EXPORT_FAILED: &str = include_str!("../fixtures/load_tests/k6-summary-export-failed.json");
const COUPON: &str = include_str!("../fixtures/load_tests/coupon-loadtest.json");

async fn post_run(app: &TestApp, query: &str, body: &str) -> (StatusCode, Value) {
    let r = app
        .client
        .post(app.url(&format!("/api/v1/load-tests{query}")))
        .header("content-type", "application/json")
        .body(body.to_owned())
        .send()
        .await
        .unwrap();
    let status = r.status();
    (status, r.json().await.unwrap_or(Value::Null))
}

async fn run(app: &TestApp, query: &str, body: &str) -> Value {
    let (status, run) = post_run(app, query, body).await;
    assert_eq!(status, StatusCode::CREATED, "{run}");
    run
}

#[tokio::test]
async fn a_k6_handle_summary_is_read_figure_by_figure() {
    let app = spawn_app().await;
    let r = run(
        &app,
        "?name=top%20products%20800%20VUs&services=coupon-api,redis&environment=staging",
        HANDLE_SUMMARY,
    )
    .await;
    assert_eq!(r["format"], "k6_summary");
    let f = &r["figures"];
    assert_eq!(
        (
            f["vus_max"].as_f64(),
            f["requests"].as_f64(),
            f["rps"].as_f64()
        ),
        (Some(800.0), Some(24000.0), Some(399.86))
    );
    assert_eq!(
        (
            f["p50_ms"].as_f64(),
            f["p95_ms"].as_f64(),
            f["p99_ms"].as_f64(),
            f["max_ms"].as_f64()
        ),
        (Some(6.2), Some(18.4), Some(24.97), Some(141.3))
    );
    assert_eq!(f["error_rate"].as_f64(), Some(0.0004));
    assert_eq!(f["duration_seconds"].as_f64(), Some(60.0217));
    assert_eq!(
        (f["checks_passed"].as_f64(), f["checks_failed"].as_f64()),
        (Some(47990.0), Some(10.0))
    );
    // The document has no cache figure and no coupons: absent, not zero.
    assert_eq!(
        (f["cache_hit_rate"].clone(), f["coupons_issued"].clone()),
        (Value::Null, Value::Null)
    );
    assert_eq!(r["thresholds"].as_array().unwrap().len(), 3);
    assert_eq!(r["passed"], true);
    assert_eq!(r["meta"]["services"], json!(["coupon-api", "redis"]));
    let checks: Vec<&str> = r["checks"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["name"].as_str().unwrap())
        .collect();
    assert_eq!(checks, ["served from cache", "is 200"]);
    // The raw document is kept as sent.
    let id = r["id"].as_i64().unwrap();
    let raw: Value = app
        .client
        .get(app.url(&format!("/api/v1/load-tests/{id}/raw")))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(raw["state"]["testRunDurationMs"], 60021.7);
}

#[tokio::test]
async fn an_exported_threshold_marked_true_is_a_failure() {
    let app = spawn_app().await;
    let r = run(&app, "?name=issue%203000%20VUs", EXPORT_FAILED).await;
    assert_eq!(r["format"], "k6_export");
    assert_eq!(r["passed"], false);
    let thresholds: Vec<(String, bool)> = r["thresholds"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| {
            (
                t["expression"].as_str().unwrap().to_owned(),
                t["passed"].as_bool().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        thresholds,
        [("p(95)<500".into(), false), ("rate<0.01".into(), false)]
    );
    assert_eq!(
        r["figures"]["p99_ms"],
        Value::Null,
        "the export carries no p(99)"
    );
    assert_eq!(r["figures"]["error_rate"].as_f64(), Some(0.0293));
    let failed = app.get_json("/api/v1/load-tests?passed=no").await.1;
    assert_eq!(failed["total"], 1);
}

#[tokio::test]
async fn a_coupon_loadtest_run_brings_its_series_and_coupons() {
    let app = spawn_app().await;
    let r = run(&app, "?services=coupon-api", COUPON).await;
    assert_eq!(r["format"], "coupon_loadtest");
    assert_eq!(r["meta"]["scenario"], "issue", "from the document");
    assert_eq!(r["meta"]["started_at"], "2026-11-25T10:00:00Z");
    assert_eq!(
        (
            r["figures"]["coupons_issued"].as_f64(),
            r["figures"]["stock"].as_f64()
        ),
        (Some(55297.0), Some(100000.0))
    );
    assert_eq!(r["figures"]["duration_seconds"].as_f64(), Some(30.0));
    assert_eq!(r["series"].as_array().unwrap().len(), 3);
    assert_eq!(r["passed"], true, "no thresholds; no check failed");
    // Its page draws the latency and the series without JavaScript.
    let id = r["id"].as_i64().unwrap();
    let html = app
        .client
        .get(app.url(&format!("/load-tests/{id}")))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(html.contains(r#"<svg class="chart bars""#), "{html}");
    assert!(html.contains("<title>p99: 2.9 ms</title>"));
    assert_eq!(html.matches(r#"<svg class="chart lines""#).count(), 2);
}

#[tokio::test]
async fn metadata_may_come_wrapped_and_runs_are_searchable() {
    let app = spawn_app().await;
    let wrapped = format!(
        r#"{{"meta": {{"name": "nightly", "scenario": "top-products", "services": ["coupon-api"], "notes": "after the pool fix", "version": "v1.4.2"}}, "summary": {HANDLE_SUMMARY}}}"#
    );
    let r = run(&app, "", &wrapped).await;
    assert_eq!(
        (r["meta"]["name"].as_str(), r["meta"]["version"].as_str()),
        (Some("nightly"), Some("v1.4.2"))
    );
    let found = app.get_json("/api/v1/load-tests?q=pool%20fix").await.1;
    assert_eq!(found["total"], 1);
    assert_eq!(
        app.get_json("/api/v1/load-tests?q=nothing%20like%20it")
            .await
            .1["total"],
        0
    );
}

#[tokio::test]
async fn two_runs_compare_with_regressions_flagged() {
    let app = spawn_app().await;
    let base = run(&app, "?name=before", HANDLE_SUMMARY).await["id"]
        .as_i64()
        .unwrap();
    let mut worse: Value = serde_json::from_str(HANDLE_SUMMARY).unwrap();
    worse["metrics"]["http_req_duration"]["values"]["p(99)"] = json!(31.0);
    worse["metrics"]["http_req_duration"]["thresholds"]["p(99)<250"] = json!({"ok": false});
    let cand = run(&app, "?name=after", &worse.to_string()).await["id"]
        .as_i64()
        .unwrap();
    let (status, c) = app
        .get_json(&format!(
            "/api/v1/load-tests/compare?baseline={base}&candidate={cand}"
        ))
        .await;
    assert_eq!(status, StatusCode::OK, "{c}");
    assert_eq!(c["regressed"], true);
    let p99 = c["figures"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["figure"] == "p99_ms")
        .unwrap();
    assert_eq!(
        (
            p99["baseline"].as_f64(),
            p99["candidate"].as_f64(),
            p99["regression"].as_bool()
        ),
        (Some(24.97), Some(31.0), Some(true))
    );
    let p50 = c["figures"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["figure"] == "p50_ms")
        .unwrap();
    assert_eq!(
        (p50["delta"].as_f64(), p50["regression"].as_bool()),
        (Some(0.0), Some(false))
    );
    assert_eq!(c["newly_failing"][0]["expression"], "p(99)<250");
    // The same run against itself: nothing regressed.
    let same = app
        .get_json(&format!(
            "/api/v1/load-tests/compare?baseline={base}&candidate={base}"
        ))
        .await
        .1;
    assert_eq!(same["regressed"], false);
    let page = app
        .client
        .get(app.url(&format!(
            "/load-tests/compare?baseline={base}&candidate={cand}"
        )))
        .send()
        .await
        .unwrap();
    assert!(page.text().await.unwrap().contains("regression"));
}

#[tokio::test]
async fn runs_link_to_incidents_and_capacity_is_the_latest_passing_run() {
    let app = spawn_app().await;
    let incident = app.incident(redis_incident()).await; // services: coupon-api, redis
    let old = run(
        &app,
        "?scenario=issue&services=coupon-api&started_at=2026-11-20T00:00:00Z",
        COUPON,
    )
    .await;
    let failing = run(
        &app,
        "?scenario=issue&services=coupon-api&started_at=2026-11-27T00:00:00Z",
        EXPORT_FAILED,
    )
    .await;
    let latest = run(
        &app,
        "?scenario=issue&services=coupon-api&started_at=2026-11-25T00:00:00Z",
        HANDLE_SUMMARY,
    )
    .await;
    let other = run(
        &app,
        "?scenario=top-products&services=redis&started_at=2026-11-21T00:00:00Z",
        HANDLE_SUMMARY,
    )
    .await;
    let _ = (old, failing);
    // Linked at upload, and afterwards by hand.
    let reproduced = run(
        &app,
        &format!("?incident={incident}&relation=reproduced_by"),
        EXPORT_FAILED,
    )
    .await;
    let (status, linked) = app
        .post(
            &format!("/api/v1/load-tests/{}/links", latest["id"]),
            &json!({"incident_id": incident, "relation": "verified_fix"}),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{linked}");
    assert_eq!(linked["links"][0]["relation"], "verified_fix");
    let (_, inc) = app.get_json(&format!("/api/v1/incidents/{incident}")).await;
    let mut relations: Vec<(i64, String)> = inc["load_tests"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| {
            (
                r["run"].as_i64().unwrap(),
                r["relation"].as_str().unwrap().to_owned(),
            )
        })
        .collect();
    relations.sort();
    assert_eq!(
        relations,
        [
            (latest["id"].as_i64().unwrap(), "verified_fix".into()),
            (reproduced["id"].as_i64().unwrap(), "reproduced_by".into())
        ]
    );
    // Capacity: per service and scenario, the newest run that passed (the failing one on the
    // 27th is newer but does not count).
    let mut capacity: Vec<(String, String, i64)> = inc["capacity"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| {
            (
                c["service"].as_str().unwrap().into(),
                c["scenario"].as_str().unwrap().into(),
                c["run"].as_i64().unwrap(),
            )
        })
        .collect();
    capacity.sort();
    assert_eq!(
        capacity,
        [
            (
                "coupon-api".into(),
                "issue".into(),
                latest["id"].as_i64().unwrap()
            ),
            (
                "redis".into(),
                "top-products".into(),
                other["id"].as_i64().unwrap()
            )
        ]
    );
    let html = app
        .client
        .get(app.url(&format!("/incidents/{incident}")))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    let text = visible_text(&html);
    assert!(
        text.contains("coupon-api (issue): 400 req/s, p99 25 ms, passed"),
        "{text}"
    );
    // Unlinking.
    let r = app
        .client
        .delete(app.url(&format!(
            "/api/v1/load-tests/{}/links/{incident}",
            latest["id"]
        )))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::OK);
    assert_eq!(
        app.get_json(&format!("/api/v1/incidents/{incident}"))
            .await
            .1["load_tests"]
            .as_array()
            .unwrap()
            .len(),
        1
    );
}

#[tokio::test]
async fn bad_documents_store_nothing() {
    let app = spawn_app().await;
    let cases: [(&str, &str, StatusCode, Option<&str>); 5] = [
        (
            "",
            r#"{"hello": "world"}"#,
            StatusCode::UNPROCESSABLE_ENTITY,
            Some("metrics"),
        ),
        (
            "",
            r#"{"metrics": {"http_reqs": {"type": "counter", "values": {"count": "many"}}}}"#,
            StatusCode::UNPROCESSABLE_ENTITY,
            Some("metrics.http_reqs.values.count"),
        ),
        (
            "",
            r#"{"metrics": {}, "state": {"testRunDurationMs": -5}}"#,
            StatusCode::UNPROCESSABLE_ENTITY,
            Some("state.testRunDurationMs"),
        ),
        (
            "?incident=1",
            HANDLE_SUMMARY,
            StatusCode::UNPROCESSABLE_ENTITY,
            Some("relation"),
        ),
        ("", "{not json", StatusCode::BAD_REQUEST, None),
    ];
    for (query, body, status, field) in cases {
        let (got, err) = post_run(&app, query, body).await;
        assert_eq!(
            (got, err["field"].as_str()),
            (status, field),
            "{body}: {err}"
        );
    }
    // Linked to an incident that does not exist: refused, and the run not kept either.
    let (got, _) = post_run(&app, "?incident=999&relation=predicted_by", HANDLE_SUMMARY).await;
    assert_eq!(got, StatusCode::NOT_FOUND);
    assert_eq!(app.get_json("/api/v1/load-tests").await.1["total"], 0);
    // A reader cannot file runs.
    let reader = app.client_as("r", Role::Viewer, &[Scope::Read]).await;
    let r = reader
        .post(app.url("/api/v1/load-tests"))
        .header("content-type", "application/json")
        .body(HANDLE_SUMMARY)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::FORBIDDEN);
}

#[tokio::test]
async fn a_person_uploads_a_run_on_the_page() {
    let app = spawn_app().await;
    let password = app.person("kim", Role::Engineer).await;
    let r = app
        .anonymous
        .post(app.url("/auth/sign-in"))
        .header(ORIGIN, &app.addr)
        .form(&[
            ("name", "kim"),
            ("password", password.as_str()),
            ("next", "/"),
        ])
        .send()
        .await
        .unwrap();
    let cookie = r.headers()["set-cookie"]
        .to_str()
        .unwrap()
        .split(';')
        .next()
        .unwrap()
        .to_owned();
    let form = reqwest::multipart::Form::new()
        .part(
            "file",
            reqwest::multipart::Part::text(COUPON).file_name("summary.json"),
        )
        .text("name", "issue 1000 VUs")
        .text("services", "coupon-api")
        .text("incident", "")
        .text("relation", "predicted_by");
    let r = app
        .anonymous
        .post(app.url("/load-tests/upload"))
        .header(COOKIE, &cookie)
        .header(ORIGIN, &app.addr)
        .multipart(form)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    let location = r.headers()[LOCATION].to_str().unwrap().to_owned();
    assert!(location.starts_with("/load-tests/"), "{location}");
    let list = app.get_json("/api/v1/load-tests").await.1;
    assert_eq!(
        (
            list["total"].as_i64(),
            list["items"][0]["created_by"].as_str()
        ),
        (Some(1), Some("kim"))
    );
    // Not JSON: back to the list, saying why, nothing filed.
    let form = reqwest::multipart::Form::new().part(
        "file",
        reqwest::multipart::Part::text("<html>").file_name("x.json"),
    );
    let r = app
        .anonymous
        .post(app.url("/load-tests/upload"))
        .header(COOKIE, &cookie)
        .header(ORIGIN, &app.addr)
        .multipart(form)
        .send()
        .await
        .unwrap();
    assert!(
        r.headers()[LOCATION]
            .to_str()
            .unwrap()
            .starts_with("/load-tests?upload_error=file")
    );
    assert_eq!(app.get_json("/api/v1/load-tests").await.1["total"], 1);
}
