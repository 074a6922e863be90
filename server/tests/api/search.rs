//! Full-text search: exact matching in Korean, English and mixed text, filters, the index life
//! cycle and lenient reading of bad queries. Ranking of questions and the glossary: relevance.rs.

use reqwest::StatusCode;
use serde_json::{Value, json};

use crate::helpers::{TestApp, spawn_app};

/// `GET /api/v1/search` with `query` (already URL-encoded pairs after `?`).
async fn search(app: &TestApp, query: &str) -> Value {
    let (status, body) = app.get_json(&format!("/api/v1/search?{query}")).await;
    assert_eq!(status, StatusCode::OK, "{query}: {body}");
    body
}

/// The titles found for the words `q`, best first.
pub async fn titles(app: &TestApp, q: &str) -> Vec<String> {
    let body = search(app, &format!("q={}", urlencoding(q))).await;
    body["hits"]
        .as_array()
        .unwrap()
        .iter()
        .map(|h| h["title"].as_str().unwrap().to_owned())
        .collect()
}

/// The titles of the hits that hold every word of `q` as typed (they come first, `exact` of
/// them); the ranked hits that lack some word follow them in `titles`.
async fn exact(app: &TestApp, q: &str) -> Vec<String> {
    let body = search(app, &format!("q={}", urlencoding(q))).await;
    let n = body["exact"].as_u64().unwrap() as usize;
    body["hits"].as_array().unwrap()[..n]
        .iter()
        .map(|h| h["title"].as_str().unwrap().to_owned())
        .collect()
}

pub fn urlencoding(s: &str) -> String {
    s.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' => (b as char).to_string(),
            _ => format!("%{b:02X}"),
        })
        .collect()
}

fn sorted(mut v: Vec<String>) -> Vec<String> {
    v.sort();
    v
}

/// A small corpus whose words are placed to tell the behaviours apart.
async fn corpus(app: &TestApp) {
    let chain = |problem: &str, because: &str, root: &str, category: &str| {
        json!({"problem": problem, "steps": [{"why": problem, "because": because}],
               "root_cause": root, "category": category})
    };
    let a = app
        .incident(json!({"title": "결제 API 응답 지연", "severity": "P2",
            "services": ["payment-api"], "started_at": "2025-03-02T01:00:00Z"}))
        .await;
    app.post(
        &format!("/api/v1/incidents/{a}/five-whys"),
        &chain(
            "왜 DB 연결 풀이 부족했는가?",
            "최대 연결 수를 기본값으로 두었습니다.",
            "용량 계획 부재",
            "capacity_planning",
        ),
    )
    .await;
    app.incident(
        json!({"title": "Connection pools exhausted on checkout", "severity": "P1",
        "services": ["checkout"], "started_at": "2025-04-10T01:00:00Z",
        "narrative": "The checkout service hit **timeouts** while all pools were busy."}),
    )
    .await;
    app.incident(json!({"title": "Redis 연결 타임아웃", "severity": "P1",
        "services": ["coupon-api", "redis"], "started_at": "2025-06-06T05:00:00Z",
        "summary": "Redis connection timeout during the sale"}))
        .await;
    app.incident(json!({"title": "CDN 인증서 만료", "severity": "P3",
        "services": ["cdn"], "started_at": "2025-07-01T01:00:00Z"}))
        .await;
    let e = app
        .incident(json!({"title": "주문 DB 장애", "severity": "P0",
            "services": ["order-api", "mysql"], "started_at": "2025-08-15T01:00:00Z",
            "summary": "A pool of workers waited on each connection for minutes."}))
        .await;
    app.post(
        &format!("/api/v1/incidents/{e}/five-whys"),
        &chain(
            "왜 커넥션이 고갈되었는가?",
            "Circuit Breaker가 없어 모든 요청이 DB로 갔습니다.",
            "회복탄력성 설계 미흡",
            "missing_resilience",
        ),
    )
    .await;
}

#[tokio::test]
async fn korean_words_match_inside_longer_words() {
    let app = spawn_app().await;
    corpus(&app).await;
    // 고갈 is the stem of 고갈되었는가 in a 5-Why step.
    assert_eq!(exact(&app, "고갈").await, ["주문 DB 장애"]);
    // 연결 풀 finds 연결 풀이; 연결 alone is also in "Redis 연결 타임아웃", which lacks 풀.
    assert_eq!(exact(&app, "연결 풀").await, ["결제 API 응답 지연"]);
    assert_eq!(
        sorted(exact(&app, "연결").await),
        ["Redis 연결 타임아웃", "결제 API 응답 지연"]
    );
    assert!(
        exact(&app, "인증")
            .await
            .contains(&"CDN 인증서 만료".to_owned())
    );
    assert_eq!(exact(&app, "장애물").await, Vec::<String>::new());
}

#[tokio::test]
async fn english_matches_inflections_case_and_phrases() {
    let app = spawn_app().await;
    corpus(&app).await;
    // pools ↔ pool: the checkout incident says "pools", the order incident "pool".
    assert_eq!(
        sorted(exact(&app, "pool").await),
        ["Connection pools exhausted on checkout", "주문 DB 장애"]
    );
    assert_eq!(
        sorted(exact(&app, "TIMEOUTS").await),
        [
            "Connection pools exhausted on checkout",
            "Redis 연결 타임아웃"
        ]
    );
    // Both words anywhere vs. the exact phrase.
    assert_eq!(
        sorted(exact(&app, "connection pool").await),
        ["Connection pools exhausted on checkout", "주문 DB 장애"]
    );
    assert_eq!(
        exact(&app, "\"connection pool\"").await,
        ["Connection pools exhausted on checkout"]
    );
    assert_eq!(exact(&app, "\"연결 풀\"").await, ["결제 API 응답 지연"]);
}

#[tokio::test]
async fn mixed_queries_need_every_word() {
    let app = spawn_app().await;
    corpus(&app).await;
    assert_eq!(exact(&app, "Redis 연결").await, ["Redis 연결 타임아웃"]);
    assert_eq!(exact(&app, "circuit breaker 고갈").await, ["주문 DB 장애"]);
    assert_eq!(exact(&app, "Redis -타임아웃").await, Vec::<String>::new());
}

#[tokio::test]
async fn the_title_weighs_more_than_the_body() {
    let app = spawn_app().await;
    app.incident(json!({"title": "Deploy rollback", "severity": "P2",
        "narrative": "Kafka consumers restarted during the rollback."}))
        .await;
    app.incident(json!({"title": "Kafka broker disk full", "severity": "P2",
        "narrative": "The broker stopped accepting writes."}))
        .await;
    assert_eq!(
        exact(&app, "kafka").await,
        ["Kafka broker disk full", "Deploy rollback"]
    );
}

#[tokio::test]
async fn hits_show_where_they_matched_with_marked_snippets() {
    let app = spawn_app().await;
    corpus(&app).await;
    let body = search(&app, "q=%EA%B3%A0%EA%B0%88").await; // 고갈
    // One says 고갈; the other is found through the glossary (exhausted), below it.
    assert_eq!(body["exact"], 1);
    assert_eq!(body["total"], 2);
    let hit = &body["hits"][0];
    assert_eq!(hit["severity"], "P0");
    assert_eq!(hit["started_at"], "2025-08-15T01:00:00Z");
    assert_eq!(hit["matched_in"], json!(["five_whys"]));
    assert!(
        hit["snippet"]
            .as_str()
            .unwrap()
            .contains("커넥션이 <mark>고갈</mark>되었는가"),
        "{hit}"
    );
    assert!(hit["score"].as_f64().unwrap() > 0.0);

    // A title match is named too; the snippet then comes from the body part that matched.
    let body = search(&app, "q=pools").await;
    let hit = &body["hits"][0];
    assert_eq!(hit["matched_in"], json!(["title", "narrative"]));
    assert!(
        hit["snippet"]
            .as_str()
            .unwrap()
            .contains("all <mark>pools</mark> were busy"),
        "{hit}"
    );
}

#[tokio::test]
async fn snippets_escape_the_text_around_marks() {
    let app = spawn_app().await;
    app.incident(json!({"title": "XSS probe", "severity": "P3",
        "summary": "`<img src=x onerror=alert(1)>` appeared in the outage banner"}))
        .await;
    let body = search(&app, "q=banner").await;
    let snippet = body["hits"][0]["snippet"].as_str().unwrap();
    assert!(!snippet.contains("<img"), "{snippet}");
    assert!(snippet.contains("&lt;img"), "{snippet}");
    assert!(snippet.contains("<mark>banner</mark>"), "{snippet}");
}

#[tokio::test]
async fn filters_narrow_by_severity_service_category_and_date() {
    let app = spawn_app().await;
    corpus(&app).await;
    let ids = |body: &Value| -> Vec<String> {
        body["hits"]
            .as_array()
            .unwrap()
            .iter()
            .map(|h| h["title"].as_str().unwrap().to_owned())
            .collect()
    };
    let body = search(&app, "q=%EC%97%B0%EA%B2%B0&severity=P1").await; // 연결
    // The literal match, then the P1 found through the glossary (연결 / connection); the P2
    // that says 연결 is filtered out.
    assert_eq!(
        ids(&body),
        [
            "Redis 연결 타임아웃",
            "Connection pools exhausted on checkout"
        ]
    );
    let body = search(&app, "service=redis").await;
    assert_eq!(ids(&body), ["Redis 연결 타임아웃"]);
    let body = search(&app, "category=missing_resilience").await;
    assert_eq!(ids(&body), ["주문 DB 장애"]);
    // No words: everything in the range, newest first. Days are in the display zone (KST).
    let body = search(&app, "from=2025-04-10&to=2025-07-01").await;
    assert_eq!(
        ids(&body),
        [
            "CDN 인증서 만료",
            "Redis 연결 타임아웃",
            "Connection pools exhausted on checkout"
        ]
    );
    assert_eq!(body["total"], 3);
    let body = search(&app, "from=2025-07-02").await;
    assert_eq!(ids(&body), ["주문 DB 장애"]);
    // Paging.
    let body = search(&app, "from=2025-01-01&limit=2&offset=2").await;
    assert_eq!(body["total"], 5);
    assert_eq!(
        ids(&body),
        [
            "Redis 연결 타임아웃",
            "Connection pools exhausted on checkout"
        ]
    );
}

#[tokio::test]
async fn bad_filters_are_422_with_the_parameter() {
    let app = spawn_app().await;
    for (query, field) in [
        ("q=x&severity=P9", "severity"),
        ("category=bad_luck", "category"),
        ("from=yesterday", "from"),
        ("from=2025-02-01&to=2025-01-01", "to"),
        ("limit=lots", "limit"),
    ] {
        let (status, body) = app.get_json(&format!("/api/v1/search?{query}")).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{query}: {body}");
        assert_eq!(body["field"], field, "{query}: {body}");
    }
}

#[tokio::test]
async fn unreadable_queries_are_searched_as_plain_words() {
    let app = spawn_app().await;
    corpus(&app).await;
    let long = "연결 ".repeat(2_500);
    for (q, lenient) in [
        ("\"connection pool", true),
        ("AND", true),
        ("-", true),
        (":", true),
        ("nosuchfield:pool", true),
        ("title:(Redis", true),
        ("!!! ??? ...", true),
        ("", false),
        (long.as_str(), false),
    ] {
        let body = search(&app, &format!("q={}", urlencoding(q))).await;
        assert_eq!(body["lenient"], lenient, "{q:.40}: {body:.300}");
    }
    // Read as words, the unbalanced quote still finds what the words find.
    assert_eq!(
        sorted(exact(&app, "\"connection pool").await),
        ["Connection pools exhausted on checkout", "주문 DB 장애"]
    );
    assert_eq!(exact(&app, "nosuchfield:pools").await.len(), 2);
    let body = search(&app, &format!("q={}", urlencoding(&long))).await;
    assert_eq!(body["truncated"], true);
    assert_eq!(body["hits"][0]["title"], "Redis 연결 타임아웃");
}

#[tokio::test]
async fn every_write_is_searchable_when_it_returns() {
    let app = spawn_app().await;
    let id = app
        .incident(json!({"title": "Nightly batch overran", "severity": "P3"}))
        .await;
    assert_eq!(titles(&app, "batch").await, ["Nightly batch overran"]);

    let path = format!("/api/v1/incidents/{id}");
    app.patch(&path, &json!({"title": "Nightly 정산 작업 지연"}))
        .await;
    assert_eq!(exact(&app, "batch").await, Vec::<String>::new());
    assert_eq!(titles(&app, "정산").await, ["Nightly 정산 작업 지연"]);

    let (_, event) = app
        .post(
            &format!("{path}/timeline"),
            &json!({"at": "2025-06-06T05:00:00Z", "kind": "note", "text": "디스크 I/O 포화 확인"}),
        )
        .await;
    let body = search(&app, "q=%ED%8F%AC%ED%99%94").await; // 포화
    assert_eq!(body["hits"][0]["matched_in"], json!(["timeline"]));
    app.delete(&format!("{path}/timeline/{}", event["id"]))
        .await;
    assert_eq!(titles(&app, "포화").await, Vec::<String>::new());

    app.post(
        &format!("{path}/action-items"),
        &json!({"title": "배치 파티셔닝 도입", "status": "open", "horizon": "long_term", "kind": "technical"}),
    )
    .await;
    assert_eq!(titles(&app, "파티셔닝").await, ["Nightly 정산 작업 지연"]);

    assert_eq!(app.delete(&path).await, StatusCode::NO_CONTENT);
    assert_eq!(titles(&app, "정산").await, Vec::<String>::new());
    assert_eq!(search(&app, "from=2000-01-01").await["total"], 0);
}

#[tokio::test]
async fn refused_writes_change_nothing_in_the_index() {
    let app = spawn_app().await;
    let id = app
        .incident(json!({"title": "Queue backlog", "severity": "P2"}))
        .await;
    let (status, _) = app
        .patch(
            &format!("/api/v1/incidents/{id}"),
            &json!({"title": "Mystery", "severity": "P9"}),
        )
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(titles(&app, "backlog").await, ["Queue backlog"]);
    assert_eq!(titles(&app, "mystery").await, Vec::<String>::new());
}

#[tokio::test]
async fn a_deleted_index_is_rebuilt_at_start_with_the_same_results() {
    let app = spawn_app().await;
    corpus(&app).await;
    let queries = [
        "연결 풀",
        "pool",
        "Redis 연결",
        "\"connection pool\"",
        "고갈",
    ];
    let mut before = Vec::new();
    for q in queries {
        before.push(titles(&app, q).await);
    }
    let app = app
        .restart(|dir| {
            let index = server::search::Search::dir(dir);
            assert!(index.is_dir());
            std::fs::remove_dir_all(index).unwrap();
        })
        .await;
    for (q, expected) in queries.iter().zip(&before) {
        assert_eq!(&titles(&app, q).await, expected, "{q}");
    }
    assert!(server::search::Search::dir(app.dir.path()).is_dir());
}

#[tokio::test]
async fn incidents_loaded_behind_its_back_are_indexed_at_the_next_start() {
    // `hoego seed` writes the database only; `hoego serve` then finds the index short.
    let app = spawn_app().await;
    assert_eq!(server::seed::load(&app.store).await.unwrap(), 3);
    assert_eq!(titles(&app, "고갈").await, Vec::<String>::new());
    let app = app.restart(|_| {}).await;
    assert_eq!(
        sorted(titles(&app, "고갈").await),
        [
            "Redis 장애 후 MySQL 커넥션 풀 고갈로 전체 서비스 응답 불가",
            "선착순 쿠폰 이벤트 중 Redis 연결 풀 고갈"
        ]
    );
    // The seed's three scenarios, found by their own vocabulary.
    assert_eq!(
        exact(&app, "프로듀서 지연").await,
        ["Kafka 프로듀서 지연으로 쿠폰 발급 상태 불일치"]
    );
    assert_eq!(
        titles(&app, "circuit breaker").await[0],
        "Redis 장애 후 MySQL 커넥션 풀 고갈로 전체 서비스 응답 불가"
    );
}

#[tokio::test]
async fn similar_incidents_share_the_most_words() {
    let app = spawn_app().await;
    server::seed::load(&app.store).await.unwrap();
    let app = app.restart(|_| {}).await;
    let (_, list) = app.get_json("/api/v1/incidents?limit=10").await;
    let id_of = |needle: &str| {
        list["items"]
            .as_array()
            .unwrap()
            .iter()
            .find(|i| i["title"].as_str().unwrap().contains(needle))
            .unwrap()["id"]
            .as_i64()
            .unwrap()
    };
    let redis_pool = id_of("Redis 연결 풀 고갈");
    let (status, body) = app
        .get_json(&format!("/api/v1/incidents/{redis_pool}/similar"))
        .await;
    assert_eq!(status, StatusCode::OK);
    let similar: Vec<&str> = body["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|h| h["title"].as_str().unwrap())
        .collect();
    // The other Redis/pool exhaustion first; never the incident itself.
    assert_eq!(
        similar[0],
        "Redis 장애 후 MySQL 커넥션 풀 고갈로 전체 서비스 응답 불가"
    );
    assert!(!similar.contains(&"선착순 쿠폰 이벤트 중 Redis 연결 풀 고갈"));
    let (status, _) = app.get_json("/api/v1/incidents/999/similar").await;
    assert_eq!(status, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn similar_incidents_follow_writes() {
    let app = spawn_app().await;
    let payment = app
        .incident(json!({"title": "결제 API 응답 지연", "severity": "P2",
            "started_at": "2025-03-02T01:00:00Z", "summary": "결제 승인 응답이 느려졌습니다."}))
        .await;
    app.incident(json!({"title": "검색 색인 지연", "severity": "P3",
        "started_at": "2025-03-03T01:00:00Z"}))
        .await;
    let similar = |body: Value| -> Vec<String> {
        body["items"]
            .as_array()
            .unwrap()
            .iter()
            .map(|h| h["title"].as_str().unwrap().to_owned())
            .collect()
    };
    let path = format!("/api/v1/incidents/{payment}/similar");
    let (_, before) = app.get_json(&path).await;
    assert!(!similar(before).iter().any(|t| t.contains("결제")));
    // Asked again after a write, the list includes what was just written.
    let twin = app
        .incident(json!({"title": "결제 API 응답 지연 재발", "severity": "P2",
            "started_at": "2025-05-02T01:00:00Z", "summary": "결제 승인 응답이 다시 느려졌습니다."}))
        .await;
    let (_, after) = app.get_json(&path).await;
    assert_eq!(similar(after)[0], "결제 API 응답 지연 재발");
    // A renamed incident is listed under its new title.
    app.patch(
        &format!("/api/v1/incidents/{twin}"),
        &json!({"title": "결제 승인 지연 재발"}),
    )
    .await;
    let (_, renamed) = app.get_json(&path).await;
    assert_eq!(similar(renamed)[0], "결제 승인 지연 재발");
    // A deleted incident leaves the lists it was in.
    app.delete(&format!("/api/v1/incidents/{twin}")).await;
    let (_, deleted) = app.get_json(&path).await;
    assert!(!similar(deleted).iter().any(|t| t.contains("결제")));
}

#[tokio::test]
async fn similar_lists_longer_than_the_page_shows() {
    let app = spawn_app().await;
    let first = app
        .incident(json!({"title": "Redis 연결 풀 고갈 0", "severity": "P1",
            "started_at": "2025-03-01T00:00:00Z"}))
        .await;
    for n in 1..=7 {
        app.incident(
            json!({"title": format!("Redis 연결 풀 고갈 {n}"), "severity": "P1",
            "started_at": format!("2025-03-0{n}T01:00:00Z")}),
        )
        .await;
    }
    let count = |limit: usize| {
        let app = &app;
        async move {
            let path = format!("/api/v1/incidents/{first}/similar?limit={limit}");
            let (_, body) = app.get_json(&path).await;
            body["items"].as_array().unwrap().len()
        }
    };
    assert_eq!(count(3).await, 3);
    assert_eq!(count(5).await, 5);
    assert_eq!(count(7).await, 7);
    assert_eq!(count(20).await, 7);
}

#[tokio::test]
async fn root_causes_are_grouped_by_category_and_searchable() {
    let app = spawn_app().await;
    corpus(&app).await;
    let (status, body) = app.get_json("/api/v1/root-causes").await;
    assert_eq!(status, StatusCode::OK);
    let groups: Vec<(String, u64, String)> = body["groups"]
        .as_array()
        .unwrap()
        .iter()
        .map(|g| {
            (
                g["category"].as_str().unwrap().to_owned(),
                g["count"].as_u64().unwrap(),
                g["entries"][0]["incident_title"]
                    .as_str()
                    .unwrap()
                    .to_owned(),
            )
        })
        .collect();
    assert_eq!(
        groups,
        [
            ("capacity_planning".into(), 1, "결제 API 응답 지연".into()),
            ("missing_resilience".into(), 1, "주문 DB 장애".into()),
        ]
    );
    let (_, body) = app
        .get_json("/api/v1/root-causes?q=circuit%20breaker")
        .await;
    assert_eq!(body["groups"].as_array().unwrap().len(), 1);
    assert_eq!(body["groups"][0]["category"], "missing_resilience");
    assert_eq!(
        body["groups"][0]["entries"][0]["root_cause"],
        "회복탄력성 설계 미흡"
    );
    let (_, body) = app
        .get_json("/api/v1/root-causes?q=%EC%9D%B8%EC%A6%9D")
        .await; // 인증
    assert_eq!(body["groups"], json!([]));
}
