//! Synthetic postmortems for benchmarks: realistic sizes (about 10 timeline events, one
//! five-step chain and three action items each) in Korean and English from [`corpus`],
//! deterministic so runs compare.

use std::time::Instant;

use app::domain::*;
use chrono::{Duration, TimeZone, Utc};

mod corpus;

use corpus::{FAMILIES, Family};

use crate::storage::Store;
use crate::storage::bulk::{PlannedAction, Postmortem, StepRef, insert_postmortems};

const BATCH: usize = 500;

/// About three in five postmortems are written in Korean, the rest in English.
const KOREAN_IN_FIVE: usize = 3;
/// A small deterministic mixer, so the same `n` gives the same incident.
fn pick(n: usize, salt: usize, len: usize) -> usize {
    let mut x = (n as u64).wrapping_mul(0x9E37_79B9_7F4A_7C15)
        ^ (salt as u64).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    x ^= x >> 31;
    (x % len as u64) as usize
}

/// Postmortem number `n`: one of the corpus's kinds of incident, in Korean or English, with
/// a narrative of 6–14 paragraphs (about 1–3 KB) that sometimes borrows from other kinds.
pub fn postmortem(n: usize) -> Postmortem {
    let family = &FAMILIES[pick(n, 0, FAMILIES.len())];
    let korean = pick(n, 1, 5) < KOREAN_IN_FIVE;
    let text = |f: &'static Family| if korean { &f.ko } else { &f.en };
    let t = text(family);
    let sentence = |salt: usize| {
        // One sentence in five comes from another kind of incident, as real narratives wander.
        let from = if pick(n, salt + 1, 5) == 0 {
            text(&FAMILIES[pick(n, salt + 2, FAMILIES.len())])
        } else {
            t
        };
        from.sentences[pick(n, salt, from.sentences.len())]
    };
    let start =
        Utc.with_ymd_and_hms(2024, 1, 1, 0, 0, 0).unwrap() + Duration::minutes((n as i64) * 53);
    let detect = start + Duration::seconds(30 + pick(n, 2, 300) as i64);
    let recover = detect + Duration::seconds(300 + pick(n, 3, 3_600) as i64);
    let mut times = Timestamps::default();
    times.set(Moment::Started, Some(start), Some(Provenance::Alert));
    times.set(Moment::Detected, Some(detect), Some(Provenance::Alert));
    times.set(Moment::Recovered, Some(recover), Some(Provenance::Manual));
    let paragraphs = 6 + pick(n, 4, 9);
    let narrative: String = (0..paragraphs)
        .map(|p| {
            let sentences = 2 + pick(n, 100 + p, 3);
            let body: Vec<&str> = (0..sentences).map(|i| sentence(200 + p * 10 + i)).collect();
            format!("{}\n\n", body.join(" "))
        })
        .collect();
    let services = family.services.iter().map(|s| s.to_string()).collect();
    let incident = IncidentFields {
        status: Status::ALL[pick(n, 7, Status::ALL.len())],
        services,
        customer_impact: sentence(8).into(),
        business_impact: sentence(9).into(),
        failed_requests: Some(pick(n, 10, 50_000) as i64),
        customers_affected: Some(pick(n, 11, 5_000) as i64),
        summary: format!("**{}** {}", sentence(12), sentence(13)),
        narrative,
        times,
        ..IncidentFields::new(
            t.titles[pick(n, 5, t.titles.len())],
            Severity::ALL[pick(n, 6, 4)],
        )
    };
    let timeline = (0..10)
        .map(|i| EventInput {
            at: start + Duration::seconds(i * 60),
            kind: EventKind::ALL[pick(n, 20 + i as usize, EventKind::ALL.len())],
            text: sentence(30 + i as usize).into(),
            source: Provenance::Manual,
            author: "oncall".into(),
        })
        .collect();
    let chain = ChainInput {
        problem: t.problem.into(),
        steps: t
            .steps
            .iter()
            .map(|(why, because)| StepInput {
                id: None,
                why: (*why).into(),
                because: (*because).into(),
            })
            .collect(),
        root_cause: t.root_cause.into(),
        category: family.category,
    };
    let action_items = Horizon::ALL
        .iter()
        .enumerate()
        .map(|(i, h)| PlannedAction {
            item: ActionInput {
                title: t.actions[i % t.actions.len()].into(),
                owner: ["홍석호", "kim", "lee"][pick(n, 60 + i, 3)].into(),
                due: Some(start.date_naive() + Duration::days(7 * (i as i64 + 1))),
                status: ActionStatus::ALL[pick(n, 70 + i, 4)],
                horizon: *h,
                kind: ActionKind::ALL[pick(n, 80 + i, 3)],
                five_why_step_id: None,
                done_at: None,
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
