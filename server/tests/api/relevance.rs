//! Ranked search: questions in other words than the postmortem, Korean and English questions,
//! the glossary across languages (a literal match above a translated one), explicit syntax
//! beside ranked words, a team's own glossary, and suggestions from a description.

use reqwest::StatusCode;
use serde_json::{Value, json};

use crate::helpers::{TestApp, spawn_app};
use crate::search::urlencoding;

async fn search(app: &TestApp, q: &str) -> Value {
    let (status, body) = app
        .get_json(&format!("/api/v1/search?q={}", urlencoding(q)))
        .await;
    assert_eq!(status, StatusCode::OK, "{q}: {body}");
    body
}

async fn titles(app: &TestApp, q: &str) -> Vec<String> {
    search(app, q).await["hits"]
        .as_array()
        .unwrap()
        .iter()
        .map(|h| h["title"].as_str().unwrap().to_owned())
        .collect()
}

async fn first(app: &TestApp, q: &str) -> String {
    titles(app, q)
        .await
        .into_iter()
        .next()
        .unwrap_or_else(|| panic!("nothing found for {q}"))
}

const CONFIG_PUSH: &str = "Checkout card payments failing after gateway client rollout";
const SLOW_QUERIES: &str = "Payments API slow: missing index on transactions";
const CERTIFICATE: &str = "TLS certificate expired on the login service";
const DISK: &str = "Nightly settlement batch filled the root volume";
const ORDER_LAG: &str = "Order notification emails delayed by consumer lag";
const COUPON_LAG: &str = "쿠폰 발급 지연: 카프카 컨슈머 랙 누적";
const REDIS_POOL: &str = "Redis 연결 풀 고갈로 쿠폰 발급 실패";
const PG_TIMEOUT: &str = "결제 승인 타임아웃 급증";
const LOG_DISK: &str = "디스크 용량 부족으로 로그 수집 중단";

/// Nine postmortems in two languages, several sharing vocabulary, so a question must be
/// ranked to find its own.
async fn corpus(app: &TestApp) {
    for (title, summary) in [
        (
            CONFIG_PUSH,
            "A configuration change pushed to the payment gateway client lowered its request \
             timeout to 200 ms. Card authorisations started timing out within a minute of the \
             deploy and checkout failed for 18 minutes until the change was reverted.",
        ),
        (
            SLOW_QUERIES,
            "A migration dropped the index on transactions.created_at; every payments lookup \
             became a full table scan and p99 latency rose to 4 s.",
        ),
        (
            CERTIFICATE,
            "The certificate for auth.example.com expired at midnight. Sign-ins failed with \
             handshake errors until a renewed certificate was deployed; auto-renewal had been \
             failing silently for a month.",
        ),
        (
            DISK,
            "The settlement batch wrote debug output to /var/log on the root volume until it \
             was full; the order service could no longer write its files and orders stopped.",
        ),
        (
            ORDER_LAG,
            "After a broker restart the notification consumers rebalanced for 40 minutes; \
             order confirmation emails were sent up to an hour late.",
        ),
        (
            COUPON_LAG,
            "선착순 이벤트 중 쿠폰 발급 요청이 몰리며 Kafka 컨슈머 처리 속도가 떨어져 랙이 30만 \
             건까지 쌓였습니다. 발급 결과 반영이 20분 늦어졌습니다.",
        ),
        (
            REDIS_POOL,
            "이벤트 시작 직후 Redis 연결 수가 maxActive 50에 도달해 쿠폰 발급 요청이 대기하다 \
             실패했습니다.",
        ),
        (
            PG_TIMEOUT,
            "PG사 응답 지연으로 결제 승인 API의 타임아웃이 급증했습니다. 재시도가 겹치며 \
             주문 실패가 늘었습니다.",
        ),
        (
            LOG_DISK,
            "로그 수집 서버의 디스크가 가득 차 수집 에이전트가 멈췄습니다. 오래된 로그 삭제 \
             배치가 2주 전부터 실패하고 있었습니다.",
        ),
    ] {
        app.incident(json!({"title": title, "severity": "P2", "summary": summary}))
            .await;
    }
}

#[tokio::test]
async fn questions_in_other_words_find_their_postmortem_first() {
    let app = spawn_app().await;
    corpus(&app).await;
    for (question, expected) in [
        ("payments timed out right after a config push", CONFIG_PUSH),
        ("why did sign-in break when the cert ran out", CERTIFICATE),
        ("what filled up the root disk and stopped orders", DISK),
        (
            "emails about orders went out late after the broker restarted",
            ORDER_LAG,
        ),
        ("쿠폰 발급이 느려지고 카프카 지연이 쌓임", COUPON_LAG),
        ("PG 응답이 늦어서 결제가 타임아웃 났던 적", PG_TIMEOUT),
        ("로그 서버 디스크가 꽉 차서 수집이 멈춘 건", LOG_DISK),
    ] {
        assert_eq!(first(&app, question).await, expected, "{question}");
    }
}

#[tokio::test]
async fn the_glossary_answers_across_languages() {
    let app = spawn_app().await;
    corpus(&app).await;
    // A Korean question about an English postmortem, and the reverse.
    assert_eq!(first(&app, "로그인 인증서 만료").await, CERTIFICATE);
    assert_eq!(
        first(&app, "coupon issuance delayed by kafka consumer lag").await,
        COUPON_LAG
    );
    assert_eq!(
        first(&app, "redis connection pool exhausted").await,
        REDIS_POOL
    );
    // The answer names what the glossary added.
    let body = search(&app, "인증서 만료").await;
    let used = body["glossary"].as_array().unwrap();
    let expiry = used
        .iter()
        .find(|g| g["term"] == "인증서 만료")
        .unwrap_or_else(|| panic!("{body}"));
    assert!(
        expiry["also"]
            .as_array()
            .unwrap()
            .iter()
            .any(|t| t == "certificate expiry"),
        "{expiry}"
    );
    assert_eq!(body["hits"][0]["title"], CERTIFICATE);
    assert_eq!(body["exact"], 0, "no postmortem says 인증서 만료 literally");
}

#[tokio::test]
async fn a_literal_match_ranks_above_a_glossary_one() {
    let app = spawn_app().await;
    for title in ["검색 클러스터 타임아웃", "Search cluster timeout"] {
        app.incident(json!({"title": title, "severity": "P3"}))
            .await;
    }
    let body = search(&app, "timeout").await;
    assert_eq!(
        titles(&app, "timeout").await,
        ["Search cluster timeout", "검색 클러스터 타임아웃"]
    );
    assert_eq!(body["exact"], 1);
    assert_eq!(body["total"], 2);
    assert_eq!(
        titles(&app, "타임아웃").await,
        ["검색 클러스터 타임아웃", "Search cluster timeout"]
    );
}

#[tokio::test]
async fn every_word_first_and_syntax_keeps_its_meaning() {
    let app = spawn_app().await;
    for (title, summary) in [
        ("Redis and Kafka down together", "Both went down."),
        (
            "Redis outage",
            "Redis failover took 3 minutes; redis clients kept old redis addresses.",
        ),
        ("Kafka lag on orders", "Consumers fell behind."),
        ("Disk full", "Nothing about either."),
    ] {
        app.incident(json!({"title": title, "severity": "P2", "summary": summary}))
            .await;
    }
    let body = search(&app, "redis kafka").await;
    assert_eq!(body["ranked"], true);
    assert_eq!(body["exact"], 1);
    assert_eq!(body["total"], 3);
    assert_eq!(body["hits"][0]["title"], "Redis and Kafka down together");

    assert_eq!(
        titles(&app, "+kafka redis").await,
        ["Redis and Kafka down together", "Kafka lag on orders"]
    );
    assert_eq!(titles(&app, "\"kafka lag\"").await, ["Kafka lag on orders"]);
    assert_eq!(titles(&app, "redis -kafka").await, ["Redis outage"]);
    assert_eq!(
        titles(&app, "title:kafka").await.len(),
        2,
        "a field restricts, it does not rank"
    );
    let body = search(&app, "redis AND kafka").await;
    assert_eq!(body["total"], 1);
    assert_eq!(body["ranked"], false);
}

#[tokio::test]
async fn a_team_glossary_applies_at_the_next_start_without_reindexing() {
    let app = spawn_app().await;
    corpus(&app).await;
    assert_eq!(search(&app, "cpn").await["total"], 0);
    let app = app
        .restart(|dir| std::fs::write(dir.join("glossary.txt"), "# ours\ncpn / 쿠폰\n").unwrap())
        .await;
    let found = titles(&app, "cpn").await;
    assert_eq!(found.len(), 2, "{found:?}");
    assert!(found.contains(&COUPON_LAG.to_owned()) && found.contains(&REDIS_POOL.to_owned()));
}

#[tokio::test]
async fn suggestions_come_from_a_description() {
    let app = spawn_app().await;
    corpus(&app).await;
    let suggest = |text: &'static str| {
        let app = &app;
        async move {
            let r = app
                .client
                .post(app.url("/api/incidents/suggest"))
                .form(&[("text", text)])
                .send()
                .await
                .unwrap();
            assert_eq!(r.status(), StatusCode::OK);
            let hits: Value = r.json().await.unwrap();
            hits.as_array()
                .unwrap()
                .iter()
                .map(|h| h["title"].as_str().unwrap().to_owned())
                .collect::<Vec<_>>()
        }
    };
    // No title word is in the description, and the description is in other words.
    assert_eq!(
        suggest("New incident\nThe PG took too long to answer and payment approvals timed out")
            .await[0],
        PG_TIMEOUT
    );
    assert_eq!(
        suggest("결제 장애\n인증서가 만료되어 로그인이 안 됨").await[0],
        CERTIFICATE
    );
}
