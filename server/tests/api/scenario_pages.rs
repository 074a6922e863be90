//! The scenario pages, the import page and an incident's plan checklist, rendered on the server
//! and driven by plain (no-JavaScript) form posts.

use reqwest::StatusCode;
use reqwest::header::{ACCEPT, LOCATION};
use serde_json::json;

use crate::helpers::*;
use crate::pages::{form_post, page};

const SEED: &str = include_str!("../../../seeds/load-test-incident-report.ko.md");

/// Posts the import form (multipart, as a browser without script sends it); returns where it
/// redirected.
async fn upload(app: &TestApp, file: &str, mode: &str) -> String {
    let form = reqwest::multipart::Form::new()
        .part(
            "file",
            reqwest::multipart::Part::text(file.to_owned()).file_name("report.md"),
        )
        .text("mode", mode.to_owned());
    let r = app
        .client
        .post(app.url("/import/upload"))
        .header(ACCEPT, "text/html")
        .multipart(form)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    r.headers()[LOCATION].to_str().unwrap().to_owned()
}

#[tokio::test]
async fn the_seed_previews_then_imports_through_the_upload_form() {
    let app = spawn_app().await;
    let back = upload(&app, SEED, "preview").await;
    assert!(back.starts_with("/import?report="), "{back}");
    let (status, html) = page(&app, &back, "ko").await;
    assert_eq!(status, StatusCode::OK);
    let text = visible_text(&html);
    assert!(text.contains("가져오면 만들어질 시나리오"), "{text}");
    assert!(text.contains("MySQL 커넥션 풀 고갈"), "{text}");
    assert!(text.contains("MTTD 2m"), "{text}");
    assert_eq!(
        app.get_json("/api/v1/scenarios").await.1["total"],
        0,
        "a preview creates nothing"
    );
    // The preview carries the document, so importing needs no second upload.
    assert!(html.contains(r#"name="text""#));

    let back = upload(&app, SEED, "import").await;
    let (_, html) = page(&app, &back, "en").await;
    let text = visible_text(&html);
    assert!(text.contains("Created"), "{text}");
    let (_, list) = app.get_json("/api/v1/scenarios").await;
    assert_eq!(list["total"], 3);
    let id = list["items"][0]["id"].as_i64().unwrap();
    assert!(
        html.contains(&format!("href=\"/scenarios/{id}\"")),
        "links to what was made"
    );

    let (_, html) = page(&app, "/scenarios", "ko").await;
    let text = visible_text(&html);
    assert!(
        text.contains("Redis 연결 풀 고갈")
            && text.contains("트래픽이 현재 테스트 대비 3배 이상 급증 시"),
        "{text}"
    );
    let (_, html) = page(&app, &format!("/scenarios/{id}"), "ko").await;
    let text = visible_text(&html);
    assert!(
        text.contains("커넥션 풀 긴급 확장") && text.contains("maxActive: 20 → 50"),
        "{text}"
    );
    assert!(text.contains("기한 2m"), "{text}");
}

#[tokio::test]
async fn a_file_that_is_not_a_document_comes_back_with_the_reason() {
    let app = spawn_app().await;
    let back = upload(&app, "# Minutes\n\nWe met.\n", "import").await;
    let (_, html) = page(&app, &back, "en").await;
    assert!(
        visible_text(&html).contains("No failure scenario or postmortem found"),
        "{html}"
    );
}

#[tokio::test]
async fn a_postmortem_uploads_as_an_incident() {
    let app = spawn_app().await;
    let doc = include_str!("../fixtures/postmortems/freeform.ko.md");
    let back = upload(&app, doc, "import").await;
    let (_, html) = page(&app, &back, "ko").await;
    let text = visible_text(&html);
    assert!(text.contains("만들어진 장애"), "{text}");
    assert!(text.contains("6 개 타임라인 이벤트"), "{text}");
    let (_, list) = app.get_json("/api/v1/incidents").await;
    let id = list["items"][0]["id"].as_i64().unwrap();
    assert!(html.contains(&format!("href=\"/incidents/{id}\"")));
}

#[tokio::test]
async fn the_scenario_form_reads_lines_and_names_the_line_it_refuses() {
    let app = spawn_app().await;
    let fields = |stages: &'static str| {
        vec![
            ("form[title]", "Redis pool exhausted"),
            ("form[severity]", "P1"),
            ("form[services]", "coupon-api, redis"),
            (
                "form[metrics]",
                "Redis connections | > 70% | > 90% | 15m/5m",
            ),
            ("form[alert_levels]", "P1 | connections over 90%"),
            ("form[alerts]", "redis-pool"),
            ("form[stages]", stages),
            ("form[whys]", "Why did the pool run out? | 3x traffic"),
            ("form[category]", "capacity_planning"),
        ]
    };
    let r = form_post(
        &app,
        "/api/scenarios/create",
        "/scenarios/new",
        &fields("soon Immediate\n- Grow the pool"),
    )
    .send()
    .await
    .unwrap();
    assert_eq!(r.status(), StatusCode::FOUND);
    let back = r.headers()[LOCATION].to_str().unwrap().to_owned();
    assert!(back.starts_with("/scenarios/new?flash="), "{back}");
    let (_, html) = page(&app, &back, "en").await;
    assert!(
        visible_text(&html).contains("line 1: a stage line starts with its deadline"),
        "{html}"
    );
    assert!(
        html.contains("Redis connections | > 70% | > 90% | 15m/5m</textarea>"),
        "what was typed is kept: {html}"
    );

    let r = form_post(
        &app,
        "/api/scenarios/create",
        "/scenarios/new",
        &fields("5m Immediate\n- Grow the pool | change: maxActive: 50 → 100 | owner: on-call\n\n30m Short term\n- Scale Redis up"),
    )
    .send()
    .await
    .unwrap();
    assert_eq!(r.status(), StatusCode::FOUND);
    let at = r.headers()[LOCATION].to_str().unwrap().to_owned();
    let id: i64 = at.rsplit('/').next().unwrap().parse().expect(&at);
    let (_, s) = app.get_json(&format!("/api/v1/scenarios/{id}")).await;
    assert_eq!(
        s["stages"][0]["steps"][0]["changes"],
        json!(["maxActive: 50 → 100"])
    );
    assert_eq!(s["detection"]["metrics"][0]["critical_response_minutes"], 5);
    let (_, html) = page(&app, &format!("/scenarios/{id}/edit"), "en").await;
    assert!(
        html.contains(
            "5m Immediate\n- Grow the pool | change: maxActive: 50 → 100 | owner: on-call"
        ),
        "the form shows the lines back"
    );
}

#[tokio::test]
async fn the_incident_page_checks_off_a_linked_plan() {
    let app = spawn_app().await;
    let (_, s) = app
        .post(
            "/api/v1/scenarios",
            &json!({"title": "Redis pool exhausted", "severity": "P1", "stages": [
                {"name": "Immediate", "within_minutes": 5, "steps": [{"text": "Grow the pool"}]}
            ]}),
        )
        .await;
    let sid = s["id"].as_i64().unwrap().to_string();
    let mut incident = redis_incident();
    incident["detected_at"] = json!("2025-06-06T05:02:00Z");
    let id = app.incident(incident).await;
    let detail = format!("/incidents/{id}");
    let (_, html) = page(&app, &detail, "en").await;
    assert!(visible_text(&html).contains("No scenario linked."));
    let r = form_post(
        &app,
        "/api/scenarios/link",
        &detail,
        &[("incident", &id.to_string()), ("scenario", &sid)],
    )
    .send()
    .await
    .unwrap();
    assert_eq!(r.status(), StatusCode::FOUND);
    // Done at 14:09 KST, two minutes after the 14:07 deadline.
    let r = form_post(
        &app,
        "/api/scenarios/tick",
        &detail,
        &[
            ("incident", &id.to_string()),
            ("scenario", &sid),
            ("step", "1"),
            ("done", "true"),
            ("at", "2025-06-06T14:09"),
        ],
    )
    .send()
    .await
    .unwrap();
    assert_eq!(r.status(), StatusCode::FOUND);
    let (_, html) = page(&app, &detail, "en").await;
    let text = visible_text(&html);
    assert!(
        text.contains("Immediate due 2025-06-06 14:07 KST missed"),
        "{text}"
    );
    assert!(text.contains("done 2025-06-06 14:09 KST late"), "{text}");
    assert!(
        text.contains("Grow the pool — Redis pool exhausted (Immediate)"),
        "the tick is on the timeline: {text}"
    );
}

#[tokio::test]
async fn a_new_postmortem_starts_from_a_template() {
    let app = spawn_app().await;
    let (_, html) = page(&app, "/incidents/new?template=sre", "en").await;
    assert!(html.contains("## Trigger\n\n\n## Resolution"), "{html}");
    let (_, html) = page(&app, "/incidents/new?template=atlassian", "ko").await;
    assert!(html.contains("## 발단 (Leadup)"), "{html}");
    let (_, html) = page(&app, "/incidents/new", "en").await;
    assert!(!html.contains("## Trigger"));
}
