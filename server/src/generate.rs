//! Synthetic postmortems for benchmarks: realistic sizes (about 10 timeline events, one
//! five-step chain and three action items each) in Korean and English, deterministic so runs
//! compare.

use std::time::Instant;

use app::domain::*;
use chrono::{Duration, TimeZone, Utc};

use crate::storage::Store;
use crate::storage::bulk::{PlannedAction, Postmortem, StepRef, insert_postmortems};

const BATCH: usize = 500;

const SERVICES: [&str; 6] = [
    "coupon-api",
    "redis",
    "kafka",
    "mysql",
    "product-api",
    "gateway",
];
const TITLES: [&str; 6] = [
    "Redis 연결 풀 고갈로 쿠폰 발급 실패",
    "Kafka producer lag delayed coupon issuance",
    "MySQL 커넥션 풀 고갈로 전체 서비스 응답 불가",
    "Top products cache stampede after TTL expiry",
    "게이트웨이 타임아웃 증가",
    "Consumer lag over 1,000 messages on coupon-issue",
];
const TEXTS: [&str; 6] = [
    "Redis 연결 수 사용률 90% 초과 알림 발생",
    "API p99 latency above 1s on /api/events/issue",
    "maxActive 50 → 100으로 연결 풀 확장",
    "Enabled DB fallback for cache misses, watched error rate",
    "Slack #alert-channel 공지, 15분 간격 상황 브리핑",
    "에러율 1% 미만으로 회복, 정상 상태 확인",
];

/// A small deterministic mixer, so the same `n` gives the same incident.
fn pick(n: usize, salt: usize, len: usize) -> usize {
    let mut x = (n as u64).wrapping_mul(0x9E37_79B9_7F4A_7C15)
        ^ (salt as u64).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    x ^= x >> 31;
    (x % len as u64) as usize
}

pub fn postmortem(n: usize) -> Postmortem {
    let start =
        Utc.with_ymd_and_hms(2024, 1, 1, 0, 0, 0).unwrap() + Duration::minutes((n as i64) * 53);
    let detect = start + Duration::seconds(30 + pick(n, 1, 300) as i64);
    let recover = detect + Duration::seconds(300 + pick(n, 2, 3_600) as i64);
    let mut times = Timestamps::default();
    times.set(Moment::Started, Some(start), Some(Provenance::Alert));
    times.set(Moment::Detected, Some(detect), Some(Provenance::Alert));
    times.set(Moment::Recovered, Some(recover), Some(Provenance::Manual));
    let severity = Severity::ALL[pick(n, 3, 4)];
    let narrative: String = (0..8)
        .map(|i| format!("{}. {}\n\n", i + 1, TEXTS[pick(n, 10 + i, TEXTS.len())]))
        .collect();
    let incident = IncidentFields {
        title: format!("{} #{n}", TITLES[pick(n, 4, TITLES.len())]),
        severity,
        status: Status::ALL[pick(n, 5, Status::ALL.len())],
        services: vec![
            SERVICES[pick(n, 6, 6)].into(),
            SERVICES[pick(n, 7, 6)].into(),
        ],
        customer_impact: "쿠폰 발급 요청 일부 실패, 고객 불만 증가".into(),
        business_impact: "Conversion dropped about 7% per second of added latency".into(),
        failed_requests: Some(pick(n, 8, 50_000) as i64),
        customers_affected: Some(pick(n, 9, 5_000) as i64),
        summary: format!(
            "**{}** — 트래픽 급증 시 장애.",
            TITLES[pick(n, 4, TITLES.len())]
        ),
        narrative,
        times,
    };
    let timeline = (0..10)
        .map(|i| EventInput {
            at: start + Duration::seconds(i * 60),
            kind: EventKind::ALL[pick(n, 20 + i as usize, EventKind::ALL.len())],
            text: TEXTS[pick(n, 30 + i as usize, TEXTS.len())].into(),
            source: Provenance::Manual,
            author: "oncall".into(),
        })
        .collect();
    let chain = ChainInput {
        problem: "왜 Redis 연결 풀이 고갈되었는가?".into(),
        steps: (0..5)
            .map(|i| StepInput {
                id: None,
                why: format!("왜 {i}단계?"),
                because: TEXTS[pick(n, 40 + i, TEXTS.len())].into(),
            })
            .collect(),
        root_cause: "운영 중심 설계 사고 부족 및 성능 모니터링 체계 미흡".into(),
        category: RootCauseCategory::ALL[pick(n, 50, RootCauseCategory::ALL.len())],
    };
    let action_items = Horizon::ALL
        .iter()
        .enumerate()
        .map(|(i, h)| PlannedAction {
            item: ActionInput {
                title: format!("Circuit Breaker 적용 {i}"),
                owner: ["홍석호", "kim", "lee"][pick(n, 60 + i, 3)].into(),
                due: Some(start.date_naive() + Duration::days(7 * (i as i64 + 1))),
                status: ActionStatus::ALL[pick(n, 70 + i, 4)],
                horizon: *h,
                kind: ActionKind::ALL[pick(n, 80 + i, 3)],
                five_why_step_id: None,
            },
            addresses: Some(StepRef { chain: 0, step: i }),
        })
        .collect();
    Postmortem {
        incident,
        timeline,
        five_whys: vec![chain],
        action_items,
    }
}

/// Adds `total` synthetic incidents in batches, printing progress.
pub async fn fill(store: &Store, total: usize) -> anyhow::Result<()> {
    let began = Instant::now();
    let mut done = 0;
    while done < total {
        let batch: Vec<Postmortem> = (done..(done + BATCH).min(total)).map(postmortem).collect();
        done += batch.len();
        insert_postmortems(store, batch)
            .await
            .map_err(|e| anyhow::anyhow!("generating: {e}"))?;
        eprintln!("{done}/{total} incidents");
    }
    println!(
        "added {total} incidents in {:.1}s",
        began.elapsed().as_secs_f64()
    );
    Ok(())
}
