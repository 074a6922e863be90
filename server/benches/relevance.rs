//! Search relevance: how often the postmortem a query is about is in the top 10 (recall@10),
//! and how high (MRR, the mean of 1/rank, 0 when missing), for hoego and, in the same run over
//! the same documents, SQLite FTS5 with bm25 requiring every word (AND) and any word (OR).
//!
//! The corpus (`benches/relevance/*.jsonl`) is ours: 220 short postmortems, Korean and
//! English, in clusters that share vocabulary (four DNS incidents, four certificate
//! expiries, …) so that a query must tell them apart. Queries are of two kinds: *keyword*
//! (words a person who remembers the incident would type, taken from it) and *question*
//! (asked in other words than the postmortem, some in the other language). Each names the
//! postmortem(s) that answer it.
//!
//! Run: `cargo bench -p server --bench relevance` (scripts/bench-search runs it too).

use std::collections::HashMap;
use std::time::Instant;

use app::domain::*;
use chrono::{DateTime, Utc};
use clap::Parser;
use serde::Deserialize;
use server::config::DisplayArgs;
use server::search::Search;
use server::storage::bulk::{PlannedAction, Postmortem, insert_postmortems};

mod common;
use common::{build_fts, fts_all, fts_any, fts_top10, ms, percentile};

#[derive(Parser)]
struct Args {
    /// Print every question hoego misses (not in its top 10).
    #[arg(long)]
    misses: bool,
    /// Ignored (cargo bench passes it).
    #[arg(long, hide = true)]
    bench: bool,
}

const CORPUS: &[&str] = &[
    include_str!("relevance/en.jsonl"),
    include_str!("relevance/ko.jsonl"),
];
const QUERIES: &[&str] = &[
    include_str!("relevance/en-queries.jsonl"),
    include_str!("relevance/ko-queries.jsonl"),
];

#[derive(Deserialize)]
struct Doc {
    key: String,
    title: String,
    severity: Severity,
    services: Vec<String>,
    category: RootCauseCategory,
    summary: String,
    impact: String,
    root_cause: String,
    timeline: Vec<(DateTime<Utc>, String)>,
    five_whys: Vec<(String, String)>,
    action_items: Vec<String>,
}

#[derive(Deserialize)]
struct Query {
    q: String,
    kind: String,
    lang: String,
    expect: Vec<String>,
}

impl Doc {
    fn postmortem(self) -> Postmortem {
        let mut times = Timestamps::default();
        let first = self.timeline.first().map(|(at, _)| *at);
        times.set(Moment::Started, first, Some(Provenance::Manual));
        let incident = IncidentFields {
            services: self.services,
            summary: self.summary,
            customer_impact: self.impact,
            times,
            ..IncidentFields::new(&self.title, self.severity)
        };
        let timeline = self
            .timeline
            .into_iter()
            .map(|(at, text)| EventInput {
                at,
                kind: EventKind::Note,
                text,
                source: Provenance::Manual,
                author: String::new(),
            })
            .collect();
        let five_whys = vec![ChainInput {
            problem: self
                .five_whys
                .first()
                .map_or_else(|| self.title.clone(), |(why, _)| why.clone()),
            steps: self
                .five_whys
                .into_iter()
                .map(|(why, because)| StepInput {
                    id: None,
                    why,
                    because,
                })
                .collect(),
            root_cause: self.root_cause,
            category: self.category,
        }];
        let action_items = self
            .action_items
            .into_iter()
            .map(|title| PlannedAction {
                item: ActionInput {
                    title,
                    owner: String::new(),
                    due: None,
                    status: ActionStatus::Open,
                    horizon: Horizon::ShortTerm,
                    kind: ActionKind::Technical,
                    five_why_step_id: None,
                    done_at: None,
                },
                addresses: None,
            })
            .collect();
        Postmortem {
            incident,
            timeline,
            five_whys,
            action_items,
            reviewed_at: None,
        }
    }
}

/// Recall@10 and MRR over a set of queries.
#[derive(Default, Clone, Copy)]
struct Score {
    queries: usize,
    found: usize,
    reciprocal: f64,
}

impl Score {
    fn add(&mut self, top: &[String], expect: &[String]) {
        self.queries += 1;
        if let Some(rank) = top.iter().position(|k| expect.contains(k)) {
            self.found += 1;
            self.reciprocal += 1.0 / (rank + 1) as f64;
        }
    }
    fn recall(&self) -> f64 {
        self.found as f64 / self.queries.max(1) as f64
    }
    fn mrr(&self) -> f64 {
        self.reciprocal / self.queries.max(1) as f64
    }
}

#[derive(Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
enum Engine {
    Hoego,
    FtsAnd,
    FtsOr,
}

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let args = Args::parse();
    let docs: Vec<Doc> = CORPUS
        .iter()
        .flat_map(|f| f.lines())
        .filter(|l| !l.trim().is_empty())
        .map(serde_json::from_str)
        .collect::<Result<_, _>>()?;
    let queries: Vec<Query> = QUERIES
        .iter()
        .flat_map(|f| f.lines())
        .filter(|l| !l.trim().is_empty())
        .map(serde_json::from_str)
        .collect::<Result<_, _>>()?;

    let dir = tempfile::tempdir()?;
    let display = DisplayArgs::default();
    let store = server::open_store(&server::config::DataArgs::at(dir.path()), &display).await?;
    let keys: Vec<String> = docs.iter().map(|d| d.key.clone()).collect();
    let ids = insert_postmortems(&store, docs.into_iter().map(Doc::postmortem).collect())
        .await
        .map_err(|e| anyhow::anyhow!("loading the corpus: {e}"))?;
    let key_of: HashMap<i64, String> = ids.iter().map(|id| id.get()).zip(keys).collect();
    let (search, _) = Search::open(dir.path(), display.tz)?;
    search.rebuild(&store, |_, _| {}).await?;
    let pool = server::storage::open(dir.path(), Default::default()).await?;
    build_fts(&pool, &store).await?;

    let mut scores: HashMap<(Engine, String, String), Score> = HashMap::new();
    let mut times = Vec::new();
    let mut misses = Vec::new();
    for query in &queries {
        let mut q = SearchQuery::text(&query.q);
        q.limit = 10;
        let started = Instant::now();
        let hoego = search.search(q).await?;
        times.push(started.elapsed());
        let hoego: Vec<String> = hoego
            .hits
            .iter()
            .map(|h| key_of[&h.incident_id.get()].clone())
            .collect();
        let to_keys =
            |ids: Vec<i64>| -> Vec<String> { ids.iter().map(|i| key_of[i].clone()).collect() };
        let and = to_keys(fts_top10(&pool, &fts_all(&query.q)).await?);
        let or = to_keys(fts_top10(&pool, &fts_any(&query.q)).await?);
        if args.misses && !hoego.iter().any(|k| query.expect.contains(k)) {
            misses.push(format!(
                "  {} → {:?}; got {:?}",
                query.q,
                query.expect,
                &hoego[..hoego.len().min(3)]
            ));
        }
        for (engine, top) in [
            (Engine::Hoego, &hoego),
            (Engine::FtsAnd, &and),
            (Engine::FtsOr, &or),
        ] {
            for lang in [query.lang.as_str(), "all"] {
                scores
                    .entry((engine, query.kind.clone(), lang.to_owned()))
                    .or_default()
                    .add(top, &query.expect);
            }
        }
    }
    times.sort();
    let docs = key_of.len();
    println!(
        "\nsearch relevance — {docs} postmortems, {} queries, {}\n",
        queries.len(),
        chrono::Utc::now().format("%Y-%m-%d")
    );
    println!(
        "| queries | n | hoego recall@10 | hoego MRR | FTS5 AND recall@10 | FTS5 AND MRR | FTS5 OR recall@10 | FTS5 OR MRR |"
    );
    println!("|---|---|---|---|---|---|---|---|");
    let mut rows: Vec<(String, String)> = scores
        .keys()
        .map(|(_, k, l)| (k.clone(), l.clone()))
        .collect();
    rows.sort();
    rows.dedup();
    for (kind, lang) in rows {
        let s = |e: Engine| scores[&(e, kind.clone(), lang.clone())];
        let (h, a, o) = (s(Engine::Hoego), s(Engine::FtsAnd), s(Engine::FtsOr));
        println!(
            "| {kind} ({lang}) | {} | {:.2} | {:.2} | {:.2} | {:.2} | {:.2} | {:.2} |",
            h.queries,
            h.recall(),
            h.mrr(),
            a.recall(),
            a.mrr(),
            o.recall(),
            o.mrr()
        );
    }
    println!(
        "\nhoego latency over these queries: p50 {} ms, p99 {} ms (one client; at 100,000 postmortems see the search bench)",
        ms(percentile(&times, 0.5)),
        ms(percentile(&times, 0.99)),
    );
    if args.misses {
        println!(
            "\nquestions and keywords hoego misses:\n{}",
            misses.join("\n")
        );
    }
    Ok(())
}
