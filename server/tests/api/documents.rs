//! Postmortem documents in and out: an incident exported as Markdown imports back to the same
//! incident; the printable page shows it escaped; postmortems in the shapes teams write (the
//! SRE book's, PagerDuty's, Atlassian's, free-form Korean with front matter) become incidents
//! with their timeline, 5-Why chains and action items, and whatever is not mapped stays in the
//! narrative.

use reqwest::StatusCode;
use serde_json::{Value, json};

use crate::helpers::*;

pub async fn import(
    app: &TestApp,
    query: &str,
    body: impl Into<reqwest::Body>,
) -> (StatusCode, Value) {
    let r = app
        .client
        .post(app.url(&format!("/api/v1/imports{query}")))
        .header("content-type", "text/markdown")
        .body(body)
        .send()
        .await
        .unwrap();
    let status = r.status();
    (status, r.json().await.unwrap_or(Value::Null))
}

/// An incident with every part set: times with their provenance, a multi-line event with a
/// `|` in it, a chain, a done and an open action item, a narrative with headings of its own.
async fn full_incident(app: &TestApp) -> i64 {
    let id = app
        .incident(json!({
            "title": "Redis \"연결\" 풀 고갈 | coupon: impact",
            "severity": "P1",
            "status": "in_review",
            "services": ["coupon-api", "redis"],
            "customer_impact": "쿠폰 발급 실패\n상품 조회 지연",
            "business_impact": "이벤트 신뢰도 하락",
            "failed_requests": 41280,
            "customers_affected": 1200,
            "summary": "Pool **exhausted** at 3× traffic.\n\nRan:\n```\nkubectl rollout restart deploy/coupon-api",
            "narrative": "## 경과\n\n- 20:00 트래픽 급증\n\n## Timeline\n\nThis heading is part of the narrative.",
            "drill": true,
            "started_at": "2025-06-06T05:00:00Z", "started_at_provenance": "alert",
            "detected_at": "2025-06-06T05:02:00Z", "detected_at_provenance": "alert",
            "acknowledged_at": "2025-06-06T05:04:00Z",
            "recovered_at": "2025-06-06T05:30:00Z", "recovered_at_provenance": "load_test",
            "resolved_at": "2025-06-07T00:00:00Z"
        }))
        .await;
    for body in [
        json!({"at": "2025-06-06T05:02:00Z", "kind": "alert_fired", "text": "RedisPoolSaturated fired", "source": "alert"}),
        json!({"at": "2025-06-06T05:10:00Z", "kind": "mitigation", "text": "maxActive 50 → 100\nthen | restart", "author": "김민지"}),
        json!({"at": "2025-06-06T05:10:00Z", "kind": "note", "text": "<script>alert(1)</script> same minute"}),
        json!({"at": "2025-06-06T05:11:00Z", "kind": "action", "text": "- *urgent* [runbook](https://wiki.example/r) 1. `x` # y"}),
    ] {
        let (status, e) = app
            .post(&format!("/api/v1/incidents/{id}/timeline"), &body)
            .await;
        assert_eq!(status, StatusCode::CREATED, "{e}");
    }
    let (status, c) = app
        .post(
            &format!("/api/v1/incidents/{id}/five-whys"),
            &json!({"problem": "쿠폰 발급 실패", "steps": [
                {"why": "왜 실패했는가?", "because": "Redis 연결 풀 고갈"},
                {"why": "왜 고갈되었는가?", "because": "트래픽 3배"}
            ], "root_cause": "용량 계획 부족", "category": "capacity_planning"}),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED, "{c}");
    for body in [
        json!({"title": "Redis 연결 풀 확장", "owner": "김민지", "due": "2025-06-10", "status": "done",
               "horizon": "immediate", "kind": "technical", "done_at": "2025-06-08T01:00:00Z"}),
        json!({"title": "용량 계획 리뷰", "owner": "", "status": "open", "horizon": "long_term", "kind": "process"}),
    ] {
        let (status, a) = app
            .post(&format!("/api/v1/incidents/{id}/action-items"), &body)
            .await;
        assert_eq!(status, StatusCode::CREATED, "{a}");
    }
    id
}

/// The parts of an incident's detail a document carries (ids and bookkeeping left out).
fn carried(d: &Value) -> Value {
    let mut fields = d.clone();
    for k in [
        "id",
        "created_at",
        "updated_at",
        "timeline",
        "five_whys",
        "action_items",
        "status_changes",
        "alerts",
        "load_tests",
        "capacity",
        "scenarios",
        "scenario_choices",
        "summary_html",
        "narrative_html",
    ] {
        fields.as_object_mut().unwrap().remove(k);
    }
    let events: Vec<Value> = d["timeline"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| json!([e["at"], e["kind"], e["text"], e["source"], e["author"]]))
        .collect();
    let chains: Vec<Value> = d["five_whys"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| {
            json!([
                c["problem"],
                c["steps"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .map(|s| json!([s["why"], s["because"]]))
                    .collect::<Vec<_>>(),
                c["root_cause"],
                c["category"]
            ])
        })
        .collect();
    let actions: Vec<Value> = d["action_items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| {
            json!([
                a["title"],
                a["owner"],
                a["due"],
                a["status"],
                a["horizon"],
                a["kind"],
                a["done_at"]
            ])
        })
        .collect();
    json!({"fields": fields, "timeline": events, "chains": chains, "actions": actions})
}

#[tokio::test]
async fn an_incident_exported_as_markdown_imports_back_the_same() {
    let app = spawn_app().await;
    let id = full_incident(&app).await;
    let r = app.get(&format!("/incidents/{id}/export.md")).await;
    assert_eq!(r.status(), StatusCode::OK);
    assert!(
        r.headers()["content-disposition"]
            .to_str()
            .unwrap()
            .contains("incident-")
    );
    let md = r.text().await.unwrap();
    let (status, report) = import(&app, "?name=incident.md", md.clone()).await;
    assert_eq!(status, StatusCode::CREATED, "{report}\n{md}");
    assert_eq!(report["kind"], "postmortem");
    let copy = report["incident"].as_i64().unwrap();
    assert_ne!(copy, id);
    let (_, original) = app.get_json(&format!("/api/v1/incidents/{id}")).await;
    let (_, imported) = app.get_json(&format!("/api/v1/incidents/{copy}")).await;
    assert_eq!(carried(&imported), carried(&original), "\n{md}");
    // The same document again creates nothing.
    let (status, again) = import(&app, "?name=incident.md", md).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(again["incident"], copy);
    assert_eq!(app.total_incidents().await, 2);
}

#[tokio::test]
async fn the_printable_page_is_escaped_and_self_contained() {
    let app = spawn_app().await;
    let id = full_incident(&app).await;
    let r = app
        .get(&format!("/incidents/{id}/export.html?lang=en"))
        .await;
    assert_eq!(r.status(), StatusCode::OK);
    let policy = r.headers()["content-security-policy"]
        .to_str()
        .unwrap()
        .to_owned();
    assert!(policy.starts_with("default-src 'none'"), "{policy}");
    let html = r.text().await.unwrap();
    assert!(
        html.contains("&#60;script&#62;alert(1)&#60;/script&#62; same minute"),
        "{html}"
    );
    assert!(!html.contains("<script>"));
    assert!(
        html.contains("<strong>exhausted</strong>"),
        "the summary is rendered"
    );
    let text = visible_text(&html);
    assert!(text.contains("Times (Asia/Seoul)"), "{text}");
    assert!(
        text.contains("2025-06-06 14:02"),
        "detected, in the display zone: {text}"
    );
    assert!(html.contains("<th>TTR</th><td>30m 00s</td>"), "{html}");
    assert!(
        html.contains(r#"<td>Redis 연결 풀 확장</td><td>김민지</td><td class="time">2025-06-10</td><td>Done</td>"#),
        "{html}"
    );
    assert!(text.contains("Status In review"), "{text}");
}

const SRE: &str = include_str!("../fixtures/postmortems/sre-book.md");
const PAGERDUTY: &str = include_str!("../fixtures/postmortems/pagerduty.md");
const ATLASSIAN: &str = include_str!("../fixtures/postmortems/atlassian.md");
const FREEFORM: &str = include_str!("../fixtures/postmortems/freeform.ko.md");

/// Imports `doc` and returns the report and the incident's detail.
async fn imported(app: &TestApp, name: &str, doc: &str) -> (Value, Value) {
    let (status, report) = import(app, &format!("?name={name}"), doc.to_owned()).await;
    assert_eq!(status, StatusCode::CREATED, "{report}");
    let id = report["incident"].as_i64().unwrap();
    let (_, detail) = app.get_json(&format!("/api/v1/incidents/{id}")).await;
    (report, detail)
}

fn events(d: &Value) -> Vec<(String, String)> {
    d["timeline"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| {
            (
                e["at"].as_str().unwrap().to_owned(),
                e["kind"].as_str().unwrap().to_owned(),
            )
        })
        .collect()
}

fn part_of(report: &Value, section: &str) -> String {
    report["postmortem"]["placements"]
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["section"] == section)
        .map(|p| p["part"].as_str().unwrap().to_owned())
        .unwrap_or_else(|| panic!("no placement for {section}: {report}"))
}

#[tokio::test]
async fn an_sre_book_postmortem_becomes_an_incident() {
    let app = spawn_app().await;
    let (report, d) = imported(&app, "sre-book.md", SRE).await;
    assert_eq!(d["title"], "Checkout latency during the spring flash sale");
    assert_eq!(d["severity"], "P1", "SEV-2 declared in the timeline");
    assert_eq!(d["status"], "closed", "**Status**: Complete");
    let ev = events(&d);
    assert_eq!(ev.len(), 10);
    assert_eq!(
        ev[0],
        ("2025-03-14T09:00:00Z".to_owned(), "note".to_owned()),
        "times are UTC as declared"
    );
    assert_eq!(ev[2].1, "detected");
    assert_eq!(ev[6].1, "mitigation");
    assert_eq!(
        ev[9],
        ("2025-03-14T11:20:00Z".to_owned(), "recovered".to_owned())
    );
    assert_eq!(d["started_at"], "2025-03-14T09:00:00Z");
    assert_eq!(d["detected_at"], "2025-03-14T09:12:00Z");
    assert_eq!(d["acknowledged_at"], "2025-03-14T09:18:00Z");
    assert_eq!(d["recovered_at"], "2025-03-14T11:20:00Z");
    assert_eq!(d["ttd_seconds"], 720);
    let actions = d["action_items"].as_array().unwrap();
    assert_eq!(actions.len(), 5);
    assert_eq!(actions[1]["owner"], "martin");
    assert!(
        actions[1]["title"]
            .as_str()
            .unwrap()
            .ends_with("[Bug: COUP-1413]"),
        "{}",
        actions[1]
    );
    assert_eq!(actions[4]["kind"], "process");
    // Root causes in prose: a one-step chain whose answer is the first paragraph.
    let chain = &d["five_whys"][0];
    assert_eq!(chain["steps"].as_array().unwrap().len(), 1);
    assert!(!chain["root_cause"].as_str().unwrap().is_empty());
    assert!(d["summary"].as_str().unwrap().len() > 100);
    for kept in [
        "Trigger",
        "Resolution",
        "Detection",
        "Lessons Learned",
        "Supporting information",
    ] {
        assert_eq!(part_of(&report, kept), "narrative", "{kept}");
    }
    let narrative = d["narrative"].as_str().unwrap();
    assert!(narrative.contains("### Where we got lucky"), "{narrative}");
    assert!(
        narrative.contains("**Authors**"),
        "the lines under the title are kept"
    );
    assert_eq!(part_of(&report, "Timeline"), "timeline");
}

#[tokio::test]
async fn a_pagerduty_postmortem_becomes_an_incident() {
    let app = spawn_app().await;
    let (report, d) = imported(&app, "pagerduty.md", PAGERDUTY).await;
    assert_eq!(
        d["title"],
        "Coupon redemptions delayed after Kafka rolling restart"
    );
    let ev = events(&d);
    assert_eq!(ev.len(), 8);
    assert_eq!(ev[0].0, "2025-04-02T21:30:00Z", "the header says UTC");
    assert_eq!(d["detected_at"], "2025-04-02T22:41:00Z");
    assert_eq!(d["recovered_at"], "2025-04-02T23:58:00Z");
    let actions = d["action_items"].as_array().unwrap();
    let states: Vec<&str> = actions
        .iter()
        .map(|a| a["status"].as_str().unwrap())
        .collect();
    assert_eq!(states, ["done", "open", "open", "open"]);
    assert_eq!(
        (actions[0]["owner"].as_str(), actions[0]["due"].as_str()),
        (Some("kenji"), Some("2025-04-04"))
    );
    assert!(
        !actions[0]["title"].as_str().unwrap().contains("owner"),
        "{}",
        actions[0]
    );
    assert_eq!(part_of(&report, "Contributing Factors"), "root_cause");
    assert_eq!(part_of(&report, "How'd We Do?"), "narrative");
    assert!(
        d["summary"].as_str().unwrap().contains("\n\n"),
        "Overview and What Happened"
    );
}

#[tokio::test]
async fn an_atlassian_postmortem_keeps_its_five_whys() {
    let app = spawn_app().await;
    let (report, d) = imported(&app, "atlassian.md", ATLASSIAN).await;
    assert_eq!(
        d["title"],
        "Coupon wallet responses cached and shown to other customers"
    );
    assert_eq!(d["severity"], "P0", "SEV-1 declared");
    assert_eq!(events(&d).len(), 7);
    let chain = &d["five_whys"][0];
    let steps = chain["steps"].as_array().unwrap();
    assert_eq!(steps.len(), 5);
    assert_eq!(
        steps[0]["why"],
        "Why did customers see other customers' coupon wallets?"
    );
    assert!(
        steps[0]["because"]
            .as_str()
            .unwrap()
            .starts_with("the CDN served cached wallet responses"),
        "{}",
        steps[0]
    );
    assert!(
        chain["root_cause"]
            .as_str()
            .unwrap()
            .starts_with("CDN configuration was the one part")
    );
    let actions = d["action_items"].as_array().unwrap();
    assert_eq!(actions.len(), 3);
    assert_eq!(
        (actions[0]["owner"].as_str(), actions[0]["due"].as_str()),
        (Some("Priya"), Some("2025-06-15"))
    );
    assert_eq!(part_of(&report, "Blameless root cause"), "root_cause");
    assert_eq!(part_of(&report, "Leadup"), "narrative");
}

#[tokio::test]
async fn a_free_form_korean_postmortem_with_front_matter() {
    let app = spawn_app().await;
    let (_, d) = imported(&app, "freeform.ko.md", FREEFORM).await;
    assert_eq!(d["title"], "쿠폰 발급 API 응답 지연");
    assert_eq!(d["severity"], "P1");
    assert_eq!(d["services"], json!(["coupon-api", "redis"]));
    let ev = events(&d);
    let kinds: Vec<&str> = ev.iter().map(|e| e.1.as_str()).collect();
    assert_eq!(
        kinds,
        [
            "note",
            "alert_fired",
            "note",
            "mitigation",
            "recovered",
            "communication"
        ]
    );
    assert_eq!(
        ev[0].0, "2025-06-06T05:00:00Z",
        "14:00 KST on the front matter's date"
    );
    assert_eq!(d["detected_at"], "2025-06-06T05:02:00Z");
    assert_eq!(d["acknowledged_at"], "2025-06-06T05:05:00Z");
    assert_eq!(d["recovered_at"], "2025-06-06T05:31:00Z");
    let chain = &d["five_whys"][0];
    assert_eq!(chain["steps"].as_array().unwrap().len(), 5);
    assert_eq!(chain["steps"][0]["why"], "왜 쿠폰 발급 응답이 느려졌는가?");
    assert_eq!(
        chain["steps"][0]["because"],
        "Redis 연결 풀이 고갈되어 요청이 대기했습니다."
    );
    assert!(
        chain["root_cause"]
            .as_str()
            .unwrap()
            .starts_with("대규모 이벤트에 대한 사전 용량 검토 절차가 없었고")
    );
    let actions = d["action_items"].as_array().unwrap();
    assert_eq!(actions.len(), 3);
    assert_eq!(
        (
            actions[0]["title"].as_str(),
            actions[0]["owner"].as_str(),
            actions[0]["due"].as_str(),
            actions[0]["status"].as_str()
        ),
        (
            Some("Redis 연결 풀 확장"),
            Some("김민지"),
            Some("2025-06-10"),
            Some("done")
        )
    );
    assert!(d["narrative"].as_str().unwrap().contains("## 배운 점"));
}

#[tokio::test]
async fn a_dry_run_shows_where_each_section_would_go() {
    let app = spawn_app().await;
    let (status, report) = import(&app, "?name=sre.md&dry_run=true", SRE).await;
    assert_eq!(status, StatusCode::OK, "{report}");
    assert_eq!(report["incident"], Value::Null);
    assert_eq!(
        report["postmortem"]["timeline"].as_array().unwrap().len(),
        10
    );
    assert_eq!(part_of(&report, "Action Items"), "action_items");
    assert_eq!(app.total_incidents().await, 0);
}

/// `hoego import` and `hoego export` on a data dir, as their own processes.
#[test]
fn the_command_line_imports_and_exports_everything() {
    use std::process::Command;
    let dir = tempfile::tempdir().unwrap();
    let seed = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../seeds/load-test-incident-report.ko.md"
    );
    let pm = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/fixtures/postmortems/pagerduty.md"
    );
    let run = |args: &[&str]| {
        let out = Command::new(env!("CARGO_BIN_EXE_hoego"))
            .args(args)
            .arg("--data-dir")
            .arg(dir.path())
            .env("RUST_LOG", "error")
            .output()
            .unwrap();
        (
            out.status.success(),
            String::from_utf8_lossy(&out.stdout).into_owned(),
            String::from_utf8_lossy(&out.stderr).into_owned(),
        )
    };
    let (ok, out, err) = run(&["import", "--dry-run", seed]);
    assert!(ok, "{err}");
    assert!(
        out.contains("pre-mortem, 3 scenarios (dry run; nothing created)"),
        "{out}"
    );
    assert!(
        out.contains(
            "MySQL 커넥션 풀 고갈 (P0): 3 metrics, 1 alert levels, 3 stages / 9 steps, 5 whys"
        ),
        "{out}"
    );
    assert!(out.contains("alert matrix: 4 rows"), "{out}");
    let (ok, out, err) = run(&["import", seed, pm, "/nonexistent.md"]);
    assert!(!ok, "a missing file fails the command: {out}");
    assert!(
        out.contains("3 created") && out.contains("postmortem"),
        "{out}"
    );
    assert!(err.contains("/nonexistent.md: cannot read it"), "{err}");
    let (_, out, _) = run(&["import", seed]);
    assert!(out.contains("imported before"), "{out}");
    let export = dir.path().join("export");
    let (ok, out, err) = run(&["export", "--dir", export.to_str().unwrap()]);
    assert!(ok, "{err}");
    assert_eq!(
        out.trim(),
        format!("wrote 1 incidents and 3 scenarios to {}", export.display())
    );
    let mut files: Vec<String> = std::fs::read_dir(export.join("incidents"))
        .unwrap()
        .chain(std::fs::read_dir(export.join("scenarios")).unwrap())
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    files.sort();
    assert_eq!(
        files,
        [
            "00001-coupon-redemptions-delayed-after-kafka-rolling-restart.html",
            "00001-coupon-redemptions-delayed-after-kafka-rolling-restart.md",
            "0001-redis-연결-풀-고갈.md",
            "0002-kafka-프로듀서-지연.md",
            "0003-mysql-커넥션-풀-고갈.md",
        ]
    );
}

/// The shapes published postmortems take beyond the templates: a provider's blog post, a
/// GitLab-style review, a Korean engineering blog, a terse incident-channel export, an e-mail.
#[tokio::test]
async fn published_postmortems_of_many_shapes() {
    let app = spawn_app().await;
    let cases: [(&str, &str, &str, usize, &str, usize); 5] = [
        // file, title, severity, events, first event (UTC), action items
        (
            "cloud-blog.md",
            "Details of the March 3 outage",
            "P2",
            9,
            "2025-03-03T14:02:00Z",
            5,
        ),
        (
            "gitlab-style.md",
            "API 500 errors caused by PostgreSQL connection pool exhaustion",
            "P1",
            10,
            "2024-11-02T07:58:00Z",
            5,
        ),
        (
            "korean-blog.md",
            "결제 승인 지연",
            "P1",
            10,
            "2024-09-12T09:47:00Z",
            5,
        ),
        (
            "pagerduty-sev.md",
            "Checkout p99 latency / payments-db connection saturation",
            "P0",
            11,
            "2025-01-14T07:10:00Z",
            5,
        ),
        (
            "no-headings.md",
            "search indexing outage on Tuesday",
            "P2",
            9,
            "2025-05-08T16:05:00Z",
            5,
        ),
    ];
    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/postmortems/");
    for (file, title, severity, events, first, actions) in cases {
        let doc = std::fs::read_to_string(format!("{dir}{file}")).unwrap();
        let (_, d) = imported(&app, file, &doc).await;
        let ev = d["timeline"].as_array().unwrap();
        assert_eq!(
            (
                d["title"].as_str(),
                d["severity"].as_str(),
                ev.len(),
                ev[0]["at"].as_str(),
                d["action_items"].as_array().unwrap().len()
            ),
            (Some(title), Some(severity), events, Some(first), actions),
            "{file}"
        );
        assert_eq!(
            d["five_whys"].as_array().unwrap().len(),
            1,
            "{file}: the root cause is kept as a chain"
        );
    }
    // Stated times win over what the timeline suggests (its first row is before the start).
    let (_, list) = app.get_json("/api/v1/incidents?limit=10").await;
    let gitlab = list["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|i| i["severity"] == "P1" && i["title"].as_str().unwrap().starts_with("API 500"))
        .unwrap();
    let (_, d) = app
        .get_json(&format!("/api/v1/incidents/{}", gitlab["id"]))
        .await;
    assert_eq!(
        (
            d["started_at"].as_str(),
            d["detected_at"].as_str(),
            d["resolved_at"].as_str()
        ),
        (
            Some("2024-11-02T08:15:00Z"),
            Some("2024-11-02T08:23:00Z"),
            Some("2024-11-02T09:47:00Z")
        )
    );
    // `- [x] @bob: Restore …`: the owner before the colon, the box ticked.
    let pd = list["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|i| i["severity"] == "P0")
        .unwrap();
    let (_, d) = app
        .get_json(&format!("/api/v1/incidents/{}", pd["id"]))
        .await;
    let first = &d["action_items"][0];
    assert_eq!(
        (first["owner"].as_str(), first["status"].as_str()),
        (Some("bob"), Some("done"))
    );
    assert!(
        first["title"]
            .as_str()
            .unwrap()
            .starts_with("Restore db.pool.max=20 override"),
        "{first}"
    );
}
