//! Every field written through the REST API reads back as written: a create with every field
//! set, then a patch of every field to another value. The values are Rust struct literals, so a
//! new field does not compile here until it is given a value, and then fails this test until it
//! is stored, read and patched everywhere.

use app::domain::*;
use app::queries::IncidentDetail;
use chrono::{DateTime, NaiveDate, TimeZone, Utc};
use reqwest::StatusCode;
use serde_json::Value;

use crate::helpers::*;

fn at(day: u32, h: u32, m: u32) -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2025, 6, day, h, m, 7).unwrap()
}

/// Every field set, as validation leaves it (trimmed, services lower-case).
fn first() -> IncidentFields {
    IncidentFields {
        title: "Redis 연결 풀 고갈".into(),
        severity: Severity::P1,
        status: Status::Mitigating,
        services: vec!["coupon-api".into(), "redis".into()],
        customer_impact: "쿠폰 발급 실패".into(),
        business_impact: "이벤트 신뢰도 하락".into(),
        failed_requests: Some(41_280),
        customers_affected: Some(1_200),
        summary: "Pool **exhausted** at 3× traffic.".into(),
        narrative: "## 경과\n\n- 20:00 트래픽 급증".into(),
        drill: true,
        times: Timestamps {
            started_at: Some(at(6, 11, 0)),
            started_at_provenance: Some(Provenance::Alert),
            detected_at: Some(at(6, 11, 2)),
            detected_at_provenance: Some(Provenance::Alert),
            acknowledged_at: Some(at(6, 11, 4)),
            acknowledged_at_provenance: Some(Provenance::Manual),
            recovered_at: Some(at(6, 11, 30)),
            recovered_at_provenance: Some(Provenance::LoadTest),
            resolved_at: Some(at(7, 9, 0)),
            resolved_at_provenance: Some(Provenance::Manual),
        },
    }
}

/// Every field different from [`first`], nullable ones cleared where they were set.
fn second() -> IncidentFields {
    IncidentFields {
        title: "MySQL connection pool exhausted".into(),
        severity: Severity::P0,
        status: Status::Closed,
        services: vec!["mysql".into()],
        customer_impact: "Checkout unavailable".into(),
        business_impact: "Orders lost for 14 minutes".into(),
        failed_requests: None,
        customers_affected: Some(9),
        summary: "Fallback sent every read to MySQL.".into(),
        narrative: "Circuit breaker was missing.".into(),
        drill: false,
        times: Timestamps {
            started_at: Some(at(8, 1, 0)),
            started_at_provenance: Some(Provenance::Manual),
            detected_at: Some(at(8, 1, 5)),
            detected_at_provenance: Some(Provenance::LoadTest),
            acknowledged_at: None,
            acknowledged_at_provenance: None,
            recovered_at: Some(at(8, 1, 20)),
            recovered_at_provenance: Some(Provenance::Alert),
            resolved_at: Some(at(9, 2, 0)),
            resolved_at_provenance: Some(Provenance::Alert),
        },
    }
}

fn json<T: serde::Serialize>(v: &T) -> Value {
    serde_json::to_value(v).unwrap()
}

async fn read(app: &TestApp, id: i64) -> IncidentDetail {
    let (status, body) = app.get_json(&format!("/api/v1/incidents/{id}")).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    serde_json::from_value(body).expect("an incident detail")
}

#[tokio::test]
async fn every_incident_field_is_stored_and_patched() {
    let app = spawn_app().await;
    let id = app.incident(json(&first())).await;
    assert_eq!(read(&app, id).await.incident.fields, first());

    // A patch body with every field: the fields' own JSON shape (the patch refuses unknown
    // keys, so a field the patch does not know fails here too).
    let (status, body) = app
        .patch(&format!("/api/v1/incidents/{id}"), &json(&second()))
        .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let got = read(&app, id).await;
    assert_eq!(got.incident.fields, second());
    assert_eq!(
        got.summary_html,
        "<p>Fallback sent every read to MySQL.</p>\n"
    );
}

#[tokio::test]
async fn every_child_field_is_stored_and_patched() {
    let app = spawn_app().await;
    let id = app.incident(json(&first())).await;
    let base = format!("/api/v1/incidents/{id}");

    let chain = ChainInput {
        problem: "왜 풀이 고갈되었나?".into(),
        steps: vec![StepInput {
            id: None,
            why: "왜 연결이 모자랐나?".into(),
            because: "트래픽 3배".into(),
        }],
        root_cause: "용량 계획 부족".into(),
        category: RootCauseCategory::CapacityPlanning,
    };
    let (status, c) = app.post(&format!("{base}/five-whys"), &json(&chain)).await;
    assert_eq!(status, StatusCode::CREATED, "{c}");
    let c: FiveWhyChain = serde_json::from_value(c).unwrap();
    let step = c.steps[0].id;

    let event = EventInput {
        at: at(6, 11, 10),
        kind: EventKind::Mitigation,
        text: "maxActive 50 → 100".into(),
        source: Provenance::Alert,
        author: "홍석호".into(),
    };
    let (status, e) = app.post(&format!("{base}/timeline"), &json(&event)).await;
    assert_eq!(status, StatusCode::CREATED, "{e}");
    let e: TimelineEvent = serde_json::from_value(e).unwrap();
    let event2 = EventInput {
        at: at(6, 11, 12),
        kind: EventKind::Communication,
        text: "Status page updated".into(),
        source: Provenance::Manual,
        author: "kim".into(),
    };
    app.patch(&format!("{base}/timeline/{}", e.id), &json(&event2))
        .await;

    let action = ActionInput {
        title: "Circuit Breaker 적용".into(),
        owner: "홍석호".into(),
        due: NaiveDate::from_ymd_opt(2025, 6, 20),
        status: ActionStatus::InProgress,
        horizon: Horizon::LongTerm,
        kind: ActionKind::Technical,
        five_why_step_id: Some(step),
        done_at: None,
    };
    let (status, a) = app
        .post(&format!("{base}/action-items"), &json(&action))
        .await;
    assert_eq!(status, StatusCode::CREATED, "{a}");
    let a: ActionItem = serde_json::from_value(a).unwrap();
    let action2 = ActionInput {
        title: "Pool size alert".into(),
        owner: "lee".into(),
        due: None,
        status: ActionStatus::Done,
        horizon: Horizon::Immediate,
        kind: ActionKind::Process,
        five_why_step_id: None,
        done_at: Some("2025-06-21T03:00:00Z".parse().unwrap()),
    };
    app.patch(&format!("{base}/action-items/{}", a.id), &json(&action2))
        .await;

    let got = read(&app, id).await;
    let e = &got.timeline[0];
    let as_input = EventInput {
        at: e.at,
        kind: e.kind,
        text: e.text.clone(),
        source: e.source,
        author: e.author.clone(),
    };
    assert_eq!(as_input, event2);
    let a = &got.action_items[0];
    let as_input = ActionInput {
        title: a.title.clone(),
        owner: a.owner.clone(),
        due: a.due,
        status: a.status,
        horizon: a.horizon,
        kind: a.kind,
        five_why_step_id: a.five_why_step_id,
        done_at: a.done_at,
    };
    assert_eq!(as_input, action2);
    let c = &got.five_whys[0];
    assert_eq!(
        (c.problem.as_str(), c.root_cause.as_str(), c.category),
        ("왜 풀이 고갈되었나?", "용량 계획 부족", chain.category)
    );
    assert_eq!(c.steps[0].because, "트래픽 3배");
}
