//! Synthetic postmortems for benchmarks: realistic sizes (about 10 timeline events, one
//! five-step chain and one to five action items each) in Korean and English from [`corpus`],
//! with realistic times ([`history`]), deterministic so runs compare.

use std::time::Instant;

use app::domain::*;
use chrono::{DateTime, Duration, Utc};

mod corpus;
mod history;

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

/// Who owns action items: a team's worth of people, some with Korean names.
const OWNERS: [&str; 12] = [
    "홍석호",
    "김민지",
    "이준호",
    "박서연",
    "최지훈",
    "정하은",
    "kim",
    "lee",
    "park",
    "alice",
    "bob",
    "oncall",
];

/// Postmortem number `n` of `total`, as of `now`: one of the corpus's kinds of incident, in
/// Korean or English, with a narrative of 6–14 paragraphs (about 1–3 KB) that sometimes
/// borrows from other kinds.
pub fn postmortem(n: usize, total: usize, now: DateTime<Utc>) -> Postmortem {
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
    let severity = history::severity(n);
    let life = history::life(n, total, severity, now);
    let start = life.times.started_at.unwrap_or(life.detected_at);
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
        status: life.status,
        drill: pick(n, 41, 100) < 3,
        services,
        customer_impact: sentence(8).into(),
        business_impact: sentence(9).into(),
        failed_requests: Some(pick(n, 10, 50_000) as i64),
        customers_affected: Some(pick(n, 11, 5_000) as i64),
        summary: format!("**{}** {}", sentence(12), sentence(13)),
        narrative,
        times: life.times,
        ..IncidentFields::new(t.titles[pick(n, 5, t.titles.len())], severity)
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
    let action_items = (0..history::action_count(n))
        .map(|i| {
            let plan = history::action(n, i, life.detected_at, now);
            PlannedAction {
                item: ActionInput {
                    title: t.actions[i % t.actions.len()].into(),
                    owner: OWNERS[pick(n, 60 + i, OWNERS.len())].into(),
                    due: Some(plan.due),
                    status: plan.status,
                    horizon: plan.horizon,
                    kind: ActionKind::ALL[pick(n, 80 + i, 3)],
                    five_why_step_id: None,
                    done_at: plan.done_at,
                },
                addresses: Some(StepRef {
                    chain: 0,
                    step: i % t.steps.len(),
                }),
            }
        })
        .collect();
    Postmortem {
        incident,
        timeline,
        five_whys: vec![chain],
        action_items,
        reviewed_at: life.reviewed_at,
    }
}

/// Adds `total` synthetic incidents in batches, printing progress.
pub async fn fill(store: &Store, total: usize) -> anyhow::Result<()> {
    let began = Instant::now();
    let now = Utc::now();
    let mut done = 0;
    while done < total {
        let batch: Vec<Postmortem> = (done..(done + BATCH).min(total))
            .map(|n| postmortem(n, total, now))
            .collect();
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

#[cfg(test)]
mod tests {
    use app::domain::{Drills, Period};
    use app::queries::InsightsQuery;

    use super::*;
    use crate::insights::Insights;
    use crate::insights::compute::{View, insights};
    use app::service::Settings;

    use crate::storage::{Database, open};

    /// A generated set looks like a real team's history to the insights: some TTAs are
    /// missing, reviews are held in time and late, action items are done and forgotten.
    #[tokio::test]
    async fn generated_incidents_give_the_insights_every_kind_of_case() {
        let dir = tempfile::tempdir().unwrap();
        let pool = open(dir.path(), Database::default()).await.unwrap();
        let settings = Settings {
            tz: chrono_tz::UTC,
            targets: Default::default(),
        };
        let store = Store::new(pool, settings);
        fill(&store, 600).await.unwrap();
        let data = Insights::default()
            .dataset(&store, chrono_tz::UTC)
            .await
            .unwrap();
        assert_eq!(data.rows.len(), 600);
        let now = Utc::now();
        let q = InsightsQuery {
            from: Some((now - Duration::days(history::SPAN_DAYS + 1)).date_naive()),
            drills: Drills::Include,
            period: Period::Quarter,
            ..InsightsQuery::default()
        };
        let view = View::resolve(&q, &data, now.date_naive());
        let (i, _) = insights(&data, &view, &settings.targets, chrono_tz::UTC, now);
        assert_eq!(i.overall.incidents, 600);
        let d = &i.overall.durations;
        assert!(d.tta.excluded > 30 && d.tta.excluded < 150, "{:?}", d.tta);
        assert!(d.ttd.within_target.unwrap() > 200 && d.ttd.breached.unwrap() > 100);
        assert!(d.ttr.mean_seconds.unwrap() > d.ttr.median_seconds.unwrap());
        assert!(
            i.reviews.in_time > 200 && i.reviews.late > 50,
            "{:?}",
            i.reviews
        );
        let a = &i.actions.all;
        assert!(
            a.done_on_time > 0 && a.done_late > 0 && a.overdue > 0,
            "{a:?}"
        );
        assert!(a.wont_do > 0 && a.done_not_judged == 0, "{a:?}");
        // Three years by quarter: 13 periods, each with incidents.
        assert_eq!(i.trend.len(), 13);
        assert!(i.trend.iter().all(|p| p.incidents > 0), "{:?}", i.trend);
    }
}
