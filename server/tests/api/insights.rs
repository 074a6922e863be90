//! Insights over a fixture small enough to work out by hand: eight incidents in October and
//! November 2026 (and a drill), every figure asserted with its value.
//!
//! Targets are the defaults: TTD 2 min; TTR P0 15 min, P1 30 min, P2 60 min. Times are UTC
//! and the display zone is Asia/Seoul (+9), so each incident's day is the same in both.
//!
//! | incident | severity | services | TTD | TTA | TTR | category | notes |
//! |---|---|---|---|---|---|---|---|
//! | A Oct 5 | P1 | coupon-api, redis | 60 | 180 | 1200 | capacity_planning | 2 items done; reviewed (late) |
//! | B Oct 12 | P0 | coupon-api, mysql | 300 | 400 | 900 | dependency | |
//! | C Oct 20 | P2 | kafka | 90 | – | 4000 | monitoring_gap | |
//! | D Nov 2 | P1 | coupon-api, redis | 120 | 200 | 2400 | capacity_planning | repeats A |
//! | E Nov 5 | P3 | search | 30 | – | – | – | still open |
//! | F Nov 10 | P2 | kafka | – | – | 1800 | monitoring_gap | repeats C |
//! | G Nov 15 | P1 | coupon-api | 600 | 700 | 1500 | code_defect | 3 items open/open/won't do |
//! | H Nov 16 | P1 drill | coupon-api | 45 | – | 500 | capacity_planning | left out by default |
//! | I Nov 20 | P2 | mysql | 100 | 150 | 3000 | – | reviewed (late) |

use reqwest::StatusCode;
use serde_json::{Value, json};

use crate::helpers::*;

const VIEW: &str = "from=2026-10-01&to=2026-11-30";

fn at(base: &str, plus_seconds: i64) -> String {
    let t: chrono::DateTime<chrono::Utc> = base.parse().unwrap();
    (t + chrono::Duration::seconds(plus_seconds)).to_rfc3339()
}

struct Spec<'a> {
    title: &'a str,
    severity: &'a str,
    services: &'a [&'a str],
    started: &'a str,
    ttd: Option<i64>,
    tta: Option<i64>,
    ttr: Option<i64>,
    category: Option<&'a str>,
    drill: bool,
}

async fn file(app: &TestApp, s: Spec<'_>) -> i64 {
    let mut body = json!({
        "title": s.title, "severity": s.severity, "services": s.services,
        "started_at": s.started, "drill": s.drill,
    });
    for (field, secs) in [
        ("detected_at", s.ttd),
        ("acknowledged_at", s.tta),
        ("recovered_at", s.ttr),
    ] {
        if let Some(secs) = secs {
            body[field] = json!(at(s.started, secs));
        }
    }
    let id = app.incident(body).await;
    if let Some(category) = s.category {
        let (status, c) = app
            .post(
                &format!("/api/v1/incidents/{id}/five-whys"),
                &json!({"problem": "Why?", "steps": [{"why": "why", "because": "because"}],
                        "root_cause": "cause", "category": category}),
            )
            .await;
        assert_eq!(status, StatusCode::CREATED, "{c}");
    }
    id
}

async fn action(app: &TestApp, incident: i64, body: Value) {
    let (status, a) = app
        .post(&format!("/api/v1/incidents/{incident}/action-items"), &body)
        .await;
    assert_eq!(status, StatusCode::CREATED, "{a}");
}

async fn review(app: &TestApp, incident: i64) {
    let (status, r) = app
        .patch(
            &format!("/api/v1/incidents/{incident}"),
            &json!({"status": "in_review"}),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{r}");
}

/// The fixture; returns the ids A…I.
async fn fixture(app: &TestApp) -> [i64; 9] {
    let spec = |title, severity, services, started, ttd, tta, ttr, category| Spec {
        title,
        severity,
        services,
        started,
        ttd,
        tta,
        ttr,
        category,
        drill: false,
    };
    let a = file(
        app,
        spec(
            "A",
            "P1",
            &["coupon-api", "redis"],
            "2026-10-05T01:00:00Z",
            Some(60),
            Some(180),
            Some(1200),
            Some("capacity_planning"),
        ),
    )
    .await;
    let b = file(
        app,
        spec(
            "B",
            "P0",
            &["coupon-api", "mysql"],
            "2026-10-12T02:00:00Z",
            Some(300),
            Some(400),
            Some(900),
            Some("dependency"),
        ),
    )
    .await;
    let c = file(
        app,
        spec(
            "C",
            "P2",
            &["kafka"],
            "2026-10-20T03:00:00Z",
            Some(90),
            None,
            Some(4000),
            Some("monitoring_gap"),
        ),
    )
    .await;
    let d = file(
        app,
        spec(
            "D",
            "P1",
            &["coupon-api", "redis"],
            "2026-11-02T01:00:00Z",
            Some(120),
            Some(200),
            Some(2400),
            Some("capacity_planning"),
        ),
    )
    .await;
    let e = file(
        app,
        spec(
            "E",
            "P3",
            &["search"],
            "2026-11-05T04:00:00Z",
            Some(30),
            None,
            None,
            None,
        ),
    )
    .await;
    let f = file(
        app,
        spec(
            "F",
            "P2",
            &["kafka"],
            "2026-11-10T05:00:00Z",
            None,
            None,
            Some(1800),
            Some("monitoring_gap"),
        ),
    )
    .await;
    let g = file(
        app,
        spec(
            "G",
            "P1",
            &["coupon-api"],
            "2026-11-15T01:00:00Z",
            Some(600),
            Some(700),
            Some(1500),
            Some("code_defect"),
        ),
    )
    .await;
    let h = file(
        app,
        Spec {
            drill: true,
            ..spec(
                "H",
                "P1",
                &["coupon-api"],
                "2026-11-16T01:00:00Z",
                Some(45),
                None,
                Some(500),
                Some("capacity_planning"),
            )
        },
    )
    .await;
    let i = file(
        app,
        spec(
            "I",
            "P2",
            &["mysql"],
            "2026-11-20T06:00:00Z",
            Some(100),
            Some(150),
            Some(3000),
            None,
        ),
    )
    .await;
    // A: an immediate item done 5 min after detection (on time: 10 min allowed), a long-term
    // one due Oct 20 done Oct 25 (late).
    action(
        app,
        a,
        json!({"title": "pool alert", "owner": "kim", "horizon": "immediate", "kind": "technical",
                          "status": "done", "done_at": "2026-10-05T01:06:00Z"}),
    )
    .await;
    action(app, a, json!({"title": "capacity plan", "owner": "lee", "horizon": "short_term", "kind": "process",
                          "due": "2026-10-20", "status": "done", "done_at": "2026-10-25T00:00:00Z"})).await;
    // G: short term, undated, open (its hour after detection is long past: overdue); long term
    // due in 2099 (open, not overdue); one not to be done.
    action(app, g, json!({"title": "rollback script", "owner": "kim", "horizon": "short_term", "kind": "technical"})).await;
    action(app, g, json!({"title": "canary", "horizon": "long_term", "kind": "technical", "due": "2099-01-01"})).await;
    action(app, g, json!({"title": "freeze", "owner": "lee", "horizon": "immediate", "kind": "process", "status": "wont_do"})).await;
    review(app, a).await;
    review(app, i).await;
    [a, b, c, d, e, f, g, h, i]
}

fn stat(v: &Value) -> (i64, i64, f64, f64, f64, Value, Value) {
    (
        v["included"].as_i64().unwrap(),
        v["excluded"].as_i64().unwrap(),
        (v["mean_seconds"].as_f64().unwrap() * 1000.0).round() / 1000.0,
        v["median_seconds"].as_f64().unwrap(),
        (v["p90_seconds"].as_f64().unwrap() * 1000.0).round() / 1000.0,
        v["within_target"].clone(),
        v["breached"].clone(),
    )
}

fn group<'a>(list: &'a Value, key: &str) -> &'a Value {
    list.as_array()
        .unwrap()
        .iter()
        .find(|g| g["key"] == key)
        .unwrap_or_else(|| panic!("no group {key} in {list}"))
}

#[tokio::test]
async fn every_figure_of_a_hand_computed_fixture() {
    let app = spawn_app().await;
    let [a, b, c, d, _e, f, g, h, i] = fixture(&app).await;
    let (status, v) = app.get_json(&format!("/api/v1/insights?{VIEW}")).await;
    assert_eq!(status, StatusCode::OK, "{v}");

    // Overall: eight incidents (the drill left out).
    assert_eq!(v["overall"]["incidents"], 8);
    // TTD [30, 60, 90, 100, 120, 300, 600], F has none: mean 1300/7, median 100,
    // p90 at rank 5.4 = 300 + 0.4 × 300 = 420; within 2 min: five.
    assert_eq!(
        stat(&v["overall"]["ttd"]),
        (7, 1, 185.714, 100.0, 420.0, json!(5), json!(2))
    );
    // TTA [150, 180, 200, 400, 700]: no target.
    assert_eq!(
        stat(&v["overall"]["tta"]),
        (5, 3, 326.0, 200.0, 580.0, Value::Null, Value::Null)
    );
    // TTR [900, 1200, 1500, 1800, 2400, 3000, 4000]: C (P2, 4000 > 3600) and D (P1, 2400 >
    // 1800) over; B at exactly 900 is within.
    assert_eq!(
        stat(&v["overall"]["ttr"]),
        (7, 1, 2114.286, 1800.0, 3400.0, json!(5), json!(2))
    );

    // By severity, all four in order.
    let keys: Vec<&str> = v["by_severity"]
        .as_array()
        .unwrap()
        .iter()
        .map(|g| g["key"].as_str().unwrap())
        .collect();
    assert_eq!(keys, ["P0", "P1", "P2", "P3"]);
    let p1 = group(&v["by_severity"], "P1");
    assert_eq!(p1["incidents"], 3);
    // TTR [1200, 1500, 2400]: median 1500, p90 = 1500 + 0.8 × 900 = 2220.
    assert_eq!(
        stat(&p1["ttr"]),
        (3, 0, 1700.0, 1500.0, 2220.0, json!(2), json!(1))
    );
    assert_eq!(group(&v["by_severity"], "P3")["ttr"]["excluded"], 1);

    // By service: an incident counts for each of its services; most incidents first.
    let services: Vec<(&str, i64)> = v["by_service"]
        .as_array()
        .unwrap()
        .iter()
        .map(|g| (g["key"].as_str().unwrap(), g["incidents"].as_i64().unwrap()))
        .collect();
    assert_eq!(
        services,
        [
            ("coupon-api", 4),
            ("kafka", 2),
            ("mysql", 2),
            ("redis", 2),
            ("search", 1)
        ]
    );
    // coupon-api TTD [60, 120, 300, 600]: median 210.
    assert_eq!(
        stat(&group(&v["by_service"], "coupon-api")["ttd"]),
        (4, 0, 270.0, 210.0, 510.0, json!(2), json!(2))
    );

    // By root-cause category (incidents with a 5-Why chain).
    let categories: Vec<(&str, i64)> = v["by_category"]
        .as_array()
        .unwrap()
        .iter()
        .map(|g| (g["key"].as_str().unwrap(), g["incidents"].as_i64().unwrap()))
        .collect();
    assert_eq!(categories.len(), 4);
    assert!(
        categories.contains(&("capacity_planning", 2))
            && categories.contains(&("monitoring_gap", 2))
    );
    assert!(categories.contains(&("dependency", 1)) && categories.contains(&("code_defect", 1)));

    // The trend: October (A, B, C) and November (D, E, F, G, I).
    let trend = v["trend"].as_array().unwrap();
    assert_eq!(trend.len(), 2);
    assert_eq!(
        (trend[0]["start"].as_str(), trend[0]["incidents"].as_i64()),
        (Some("2026-10-01"), Some(3))
    );
    assert_eq!(trend[0]["by_severity"], json!([1, 1, 1, 0]));
    assert_eq!(trend[1]["by_severity"], json!([0, 2, 2, 1]));
    assert_eq!(trend[0]["ttr"]["median_seconds"], 1200.0);

    // Action items of A and G.
    let all = &v["actions"]["all"];
    assert_eq!(
        [
            &all["total"],
            &all["open"],
            &all["overdue"],
            &all["done"],
            &all["done_on_time"],
            &all["done_late"],
            &all["done_not_judged"],
            &all["wont_do"]
        ],
        [5, 2, 1, 2, 1, 1, 0, 1]
    );
    // Days from detection to done: 300 s and 19 d 22 h 59 m; their median is the midpoint.
    let median = all["median_days_to_done"].as_f64().unwrap();
    let expected = (300.0 + (19.0 * 86_400.0 + 22.0 * 3_600.0 + 59.0 * 60.0)) / 2.0 / 86_400.0;
    assert!((median - expected).abs() < 1e-9, "{median} vs {expected}");
    let owners: Vec<(&str, i64)> = v["actions"]["by_owner"]
        .as_array()
        .unwrap()
        .iter()
        .map(|o| (o["key"].as_str().unwrap(), o["total"].as_i64().unwrap()))
        .collect();
    assert_eq!(owners, [("kim", 2), ("lee", 2), ("", 1)]);
    let kim = group(&v["actions"]["by_owner"], "kim");
    assert_eq!(
        (kim["done_on_time"].as_i64(), kim["overdue"].as_i64()),
        (Some(1), Some(1))
    );
    let horizons: Vec<(&str, i64)> = v["actions"]["by_horizon"]
        .as_array()
        .unwrap()
        .iter()
        .map(|o| (o["key"].as_str().unwrap(), o["total"].as_i64().unwrap()))
        .collect();
    assert_eq!(
        horizons,
        [("immediate", 2), ("short_term", 2), ("long_term", 1)]
    );

    // Reviews: seven recovered, all more than a day ago; A and I reviewed (late), five overdue.
    let r = &v["reviews"];
    assert_eq!(
        (r["due"].as_i64(), r["in_time"].as_i64(), r["late"].as_i64()),
        (Some(7), Some(0), Some(2))
    );
    let overdue: Vec<i64> = r["overdue_now"]
        .as_array()
        .unwrap()
        .iter()
        .map(|x| x["id"].as_i64().unwrap())
        .collect();
    assert_eq!(overdue, [b, c, d, f, g], "most overdue first");

    // Recurrences, newest first: F repeats C (no action items to have held); D repeats A,
    // all of whose items were done before D began: a fix that did not hold.
    let rec: Vec<(i64, i64, &str, &str, bool)> = v["recurrences"]
        .as_array()
        .unwrap()
        .iter()
        .map(|x| {
            (
                x["earlier"]["id"].as_i64().unwrap(),
                x["later"]["id"].as_i64().unwrap(),
                x["category"].as_str().unwrap(),
                x["service"].as_str().unwrap(),
                x["fix_did_not_hold"].as_bool().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        rec,
        [
            (c, f, "monitoring_gap", "kafka", false),
            (a, d, "capacity_planning", "coupon-api", true)
        ]
    );

    // With drills in, H counts (TTD 45 s) and repeats D.
    let (_, with) = app
        .get_json(&format!("/api/v1/insights?{VIEW}&drills=include"))
        .await;
    assert_eq!(with["overall"]["incidents"], 9);
    assert_eq!(with["overall"]["ttd"]["included"], 8);
    assert_eq!(with["recurrences"][0]["later"]["id"], h);
    assert_eq!(with["recurrences"][0]["earlier"]["id"], d);
    let (_, only) = app
        .get_json(&format!("/api/v1/insights?{VIEW}&drills=only"))
        .await;
    assert_eq!(only["overall"]["incidents"], 1);

    // Filters: one severity, one service, a shorter range.
    let (_, p2) = app
        .get_json(&format!("/api/v1/insights?{VIEW}&severity=P2"))
        .await;
    assert_eq!(p2["overall"]["incidents"], 3);
    let (_, redis) = app
        .get_json(&format!("/api/v1/insights?{VIEW}&service=Redis"))
        .await;
    assert_eq!(redis["overall"]["incidents"], 2);
    let (_, nov) = app
        .get_json("/api/v1/insights?from=2026-11-01&to=2026-11-30&period=week")
        .await;
    assert_eq!(nov["overall"]["incidents"], 5);
    // Weeks from Monday Oct 26 (the week Nov 1 is in) to the week of Nov 30: six.
    assert_eq!(nov["trend"].as_array().unwrap().len(), 6);
    assert_eq!(nov["trend"][0]["start"], "2026-10-26");
    let _ = (g, i);
}

#[tokio::test]
async fn each_figure_lists_the_incidents_behind_it() {
    let app = spawn_app().await;
    let [a, b, c, d, e, f, g, _h, i] = fixture(&app).await;
    let ids = |v: &Value| -> Vec<i64> {
        v["items"]
            .as_array()
            .unwrap()
            .iter()
            .map(|x| x["id"].as_i64().unwrap())
            .collect()
    };
    // TTD over target: B (300) and G (600), newest first.
    let (_, v) = app
        .get_json(&format!(
            "/api/v1/insights/incidents?{VIEW}&measure=ttd&subset=breached"
        ))
        .await;
    assert_eq!((ids(&v), v["total"].as_i64()), (vec![g, b], Some(2)));
    // Left out of TTR for want of a recovery time: E.
    let (_, v) = app
        .get_json(&format!(
            "/api/v1/insights/incidents?{VIEW}&measure=ttr&subset=excluded"
        ))
        .await;
    assert_eq!(ids(&v), [e]);
    // P1's TTR within target: A and G.
    let (_, v) = app
        .get_json(&format!(
            "/api/v1/insights/incidents?{VIEW}&breakdown=severity&key=P1&measure=ttr&subset=within"
        ))
        .await;
    assert_eq!(ids(&v), [g, a]);
    // Everything in November, paged two at a time.
    let (_, v) = app
        .get_json(&format!(
            "/api/v1/insights/incidents?{VIEW}&breakdown=period&key=2026-11-01&limit=2&offset=2"
        ))
        .await;
    assert_eq!((ids(&v), v["total"].as_i64()), (vec![f, e], Some(5)));
    let (_, v) = app
        .get_json(&format!(
            "/api/v1/insights/incidents?{VIEW}&breakdown=category&key=capacity_planning"
        ))
        .await;
    assert_eq!(ids(&v), [d, a]);
    let (_, v) = app
        .get_json(&format!(
            "/api/v1/insights/incidents?{VIEW}&breakdown=service&key=kafka"
        ))
        .await;
    assert_eq!(ids(&v), [f, c]);
    let _ = i;
    // Asking wrongly names the parameter.
    assert_invalid(
        app.get_json(&format!(
            "/api/v1/insights/incidents?{VIEW}&subset=breached"
        ))
        .await,
        "measure",
    );
    assert_invalid(
        app.get_json(&format!(
            "/api/v1/insights/incidents?{VIEW}&breakdown=severity"
        ))
        .await,
        "key",
    );
    assert_invalid(
        app.get_json("/api/v1/insights?from=2026-11-30&to=2026-11-01")
            .await,
        "to",
    );
    assert_invalid(
        app.get_json("/api/v1/insights?period=fortnight").await,
        "period",
    );
    assert_invalid(
        app.get_json("/api/v1/insights?drills=sometimes").await,
        "drills",
    );
}

#[tokio::test]
async fn the_figures_follow_edits_and_deletions() {
    let app = spawn_app().await;
    let [a, ..] = fixture(&app).await;
    let ttd = |v: &Value| v["overall"]["ttd"]["included"].as_i64().unwrap();
    let (_, before) = app.get_json(&format!("/api/v1/insights?{VIEW}")).await;
    assert_eq!(ttd(&before), 7);
    // A's detection time removed: it moves to excluded.
    let (status, _) = app
        .patch(
            &format!("/api/v1/incidents/{a}"),
            &json!({"detected_at": null}),
        )
        .await;
    assert_eq!(status, StatusCode::OK);
    let (_, after) = app.get_json(&format!("/api/v1/insights?{VIEW}")).await;
    assert_eq!(
        (ttd(&after), after["overall"]["ttd"]["excluded"].as_i64()),
        (6, Some(2))
    );
    // A deleted: seven incidents, and D no longer repeats anything.
    assert_eq!(
        app.delete(&format!("/api/v1/incidents/{a}")).await,
        StatusCode::NO_CONTENT
    );
    let (_, gone) = app.get_json(&format!("/api/v1/insights?{VIEW}")).await;
    assert_eq!(gone["overall"]["incidents"], 7);
    assert_eq!(gone["recurrences"].as_array().unwrap().len(), 1);
}

#[tokio::test]
async fn reviews_are_judged_a_day_after_recovery() {
    let app = spawn_app().await;
    let now = chrono::Utc::now();
    let ago = |hours: i64| (now - chrono::Duration::hours(hours)).to_rfc3339();
    let incident = |title: &str, started: i64, recovered: i64| json!({"title": title, "severity": "P2", "started_at": ago(started), "recovered_at": ago(recovered)});
    // Reviewed two hours after recovery: in time. Recovered an hour ago: not due yet.
    // Recovered 30 hours ago and not reviewed: overdue.
    let reviewed = app.incident(incident("reviewed", 3, 2)).await;
    review(&app, reviewed).await;
    app.incident(incident("fresh", 2, 1)).await;
    let late = app.incident(incident("late", 31, 30)).await;
    let (_, v) = app.get_json("/api/v1/insights").await;
    let r = &v["reviews"];
    assert_eq!(
        (r["due"].as_i64(), r["in_time"].as_i64(), r["late"].as_i64()),
        (Some(2), Some(1), Some(0))
    );
    assert_eq!(r["overdue_now"][0]["id"], late);
    assert_eq!(r["overdue_now"][0]["title"], "late");
    assert_eq!(r["overdue_now"].as_array().unwrap().len(), 1);
}

#[tokio::test]
async fn the_view_downloads_as_csv() {
    let app = spawn_app().await;
    fixture(&app).await;
    let r = app.get(&format!("/api/v1/insights.csv?{VIEW}")).await;
    assert_eq!(r.status(), StatusCode::OK);
    assert_eq!(r.headers()["content-type"], "text/csv; charset=utf-8");
    let text = r.text().await.unwrap();
    let lines: Vec<&str> = text.lines().collect();
    assert!(
        lines[0].starts_with("breakdown,key,incidents,ttd_included,ttd_excluded,ttd_mean_seconds"),
        "{}",
        lines[0]
    );
    assert_eq!(
        lines[1],
        "all,all,8,7,1,185.7,100.0,420.0,5,2,5,3,326.0,200.0,580.0,,,7,1,2114.3,1800.0,3400.0,5,2"
    );
    assert!(lines.contains(&"period,2026-10-01,3,3,0,150.0,90.0,258.0,2,1,2,1,290.0,290.0,378.0,,,3,0,2033.3,1200.0,3440.0,2,1"), "{text}");
    let actions = app
        .get(&format!("/api/v1/insights.csv?{VIEW}&table=actions"))
        .await
        .text()
        .await
        .unwrap();
    assert!(
        actions
            .lines()
            .any(|l| l.starts_with("owner,kim,2,1,1,1,1,0,0,0,")),
        "{actions}"
    );
}

/// A page's text with every tag read as a space: figures set side by side in their own
/// elements stay apart.
fn spaced_text(html: &str) -> String {
    visible_text(&html.replace('<', " <"))
}

/// Each table row of a page as its cells' text joined by " | ".
fn table_rows(html: &str) -> Vec<String> {
    html.split("<tr")
        .skip(1)
        .map(|row| {
            let row = row.split("</tr>").next().unwrap_or_default();
            row.split("<t")
                .skip(1)
                .filter(|cell| cell.starts_with('d') || cell.starts_with('h'))
                .map(|cell| visible_text(&format!("<t{cell}")))
                .collect::<Vec<_>>()
                .join(" | ")
        })
        .collect()
}

#[tokio::test]
async fn the_page_shows_the_figures() {
    let app = spawn_app().await;
    let [a, b, c, d, _e, f, g, _h, _i] = fixture(&app).await;
    let page = app.get(&format!("/insights?{VIEW}")).await;
    assert_eq!(page.status(), StatusCode::OK);
    let html = page.text().await.unwrap();
    let text = spaced_text(&html);
    // The headline figures, each beside its definition and the configured targets.
    for shown in [
        "8 incidents in view",
        "Time to detect (TTD) detected − impact started. Target: ≤ 2m 00s",
        "1m 40s median 7m 00s p90 3m 06s mean 71 % within target · 2 over target 7 included · 1 excluded",
        "3m 20s median 9m 40s p90 5m 26s mean no target 5 included · 3 excluded",
        "Target: P0 ≤ 15m 00s · P1 ≤ 30m 00s · P2 ≤ 1h 00m · P3 ≤ 4h 00m",
        "30m 00s median 56m 40s p90 35m 14s mean 71 % within target · 2 over target 7 included · 1 excluded",
        "0 % reviewed within 24 h 0 / 7 of recovered incidents 2 reviewed later",
        "a fix that did not hold: every action item of the earlier one was done",
    ] {
        assert!(text.contains(shown), "{shown:?} not on the page: {text}");
    }
    // The charts carry each value in a <title>: October's TTD median of [60, 90, 300] s and
    // p90 at rank 1.8 = 90 + 0.8 × 210 = 258 s.
    assert!(html.contains("<title>median at 2026-10-01: 1.5 min</title>"));
    assert!(html.contains("<title>p90 at 2026-10-01: 4.3 min</title>"));
    // Counts per period are counted nouns: October had one P0 and no P3.
    assert!(html.contains("<title>P0 at 2026-10-01: 1 incident</title>"));
    assert!(html.contains("<title>P3 at 2026-10-01: 0 incidents</title>"));
    let rows = table_rows(&html);
    for row in [
        // Per period: incidents, P0–P3, then medians and TTR within target.
        "2026-10-01 | 3 | 1 | 1 | 1 | 0 | 1m 30s | 4m 50s | 20m 00s | 67 %",
        // P1: TTD [60, 120, 600], TTA [180, 200, 700], TTR [1200, 1500, 2400].
        "P1 · High | 3 | 2m 00s | 8m 24s | 67 % | 1 | 3m 20s | 10m 00s | 25m 00s | 37m 00s | 67 % | 1",
        "coupon-api | 4 | 3m 30s | 8m 30s | 50 % | 2 | 5m 00s | 10m 10s | 22m 30s | 35m 30s | 75 % | 1",
        // Follow-through: 5 items, 2 open, 1 overdue, 2 done (1 on time, 1 late), 1 won't do.
        "total | 5 | 2 | 1 | 2 | 1 | 1 | 0 | 1 | 10.0",
        "kim | 2 | 1 | 1 | 1 | 1 | 0 | 0 | 0 | 0.0",
    ] {
        assert!(rows.iter().any(|r| r == row), "no row {row:?} in {rows:#?}");
    }
    // Every figure links to the incidents behind it; the overdue reviews and recurrences link
    // to the incidents themselves.
    assert!(
        html.contains(&format!(
            "href=\"/insights/incidents?{}&amp;measure=ttd&amp;subset=breached\"",
            VIEW.replace('&', "&amp;")
        )),
        "no link to the TTD breaches"
    );
    for id in [b, c, d, f, g, a] {
        assert!(
            html.contains(&format!("href=\"/incidents/{id}\"")),
            "no link to {id}"
        );
    }

    // The same page in Korean.
    let ko = app
        .client
        .get(app.url(&format!("/insights?{VIEW}")))
        .header(reqwest::header::ACCEPT_LANGUAGE, "ko-KR")
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    let ko = spaced_text(&ko);
    for shown in [
        "8 이 보기의 장애",
        "감지 시간 (TTD) 감지 시각 − 영향 시작 시각. 목표: ≤ 2m 00s",
    ] {
        assert!(ko.contains(shown), "{shown:?} not on the page: {ko}");
    }
}
