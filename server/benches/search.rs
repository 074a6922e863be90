//! Search benchmark: tantivy (hoego's index) beside SQLite FTS5 over the same corpus.
//!
//! Generates N synthetic postmortems (Korean and English, 1–3 KB narratives, see
//! `server::generate`), builds both indexes from the same database and times a fixed list of
//! queries (single words, Korean words, phrases, mixed, filtered) on each: top 10 with a
//! highlighted snippet plus the total count, as the search page asks.
//!
//! FTS5 is configured as a person would for this text: `porter unicode61` (stemmed English);
//! Korean words become prefix queries (`고갈*`) because unicode61 keeps `고갈되었는가` as one
//! token; filters join the incidents table.
//!
//! Run: `cargo bench -p server --bench search -- --incidents 100000` (see scripts/bench-search).
//! Questions are answered by hoego's ranked reading and, in FTS5, as OR-ed words (`common::fts_any`).

use std::time::{Duration, Instant};

use app::domain::{SearchQuery, Severity};
use clap::Parser;
use server::config::DisplayArgs;
use server::search::Search;
use sqlx::SqlitePool;

mod common;
use common::{build_fts, ms, percentile};

#[derive(Parser)]
struct Args {
    /// Postmortems in the corpus.
    #[arg(long, default_value_t = 100_000)]
    incidents: usize,
    /// Timed passes over the query list (after one warm-up pass).
    #[arg(long, default_value_t = 5)]
    rounds: usize,
    /// Ignored (cargo bench passes it).
    #[arg(long, hide = true)]
    bench: bool,
}

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Kind {
    English,
    Korean,
    Phrase,
    Mixed,
    Filtered,
    /// Questions in other words: ranked by hoego, OR-ed words in FTS5.
    Question,
}

struct Q {
    kind: Kind,
    text: &'static str,
    severity: Option<Severity>,
    service: Option<&'static str>,
}

const fn q(kind: Kind, text: &'static str) -> Q {
    Q {
        kind,
        text,
        severity: None,
        service: None,
    }
}

const QUERIES: &[Q] = &[
    q(Kind::English, "pool"),
    q(Kind::English, "timeouts"),
    q(Kind::English, "redis"),
    q(Kind::English, "kafka"),
    q(Kind::English, "lag"),
    q(Kind::English, "latency"),
    q(Kind::English, "certificate"),
    q(Kind::English, "binlog"),
    q(Kind::English, "stampede"),
    q(Kind::English, "rollback"),
    q(Kind::English, "idempotent"),
    q(Kind::English, "dns"),
    q(Kind::English, "bulkhead"),
    q(Kind::English, "partition"),
    q(Kind::Korean, "고갈"),
    q(Kind::Korean, "지연"),
    q(Kind::Korean, "장애"),
    q(Kind::Korean, "인증서"),
    q(Kind::Korean, "커넥션"),
    q(Kind::Korean, "브로커"),
    q(Kind::Korean, "캐시"),
    q(Kind::Korean, "롤백"),
    q(Kind::Korean, "디스크"),
    q(Kind::Korean, "메모리"),
    q(Kind::Korean, "멱등"),
    q(Kind::Korean, "리밸런스"),
    q(Kind::Korean, "임계값"),
    q(Kind::Korean, "용량 계획"),
    q(Kind::Phrase, "\"connection pool\""),
    q(Kind::Phrase, "\"circuit breaker\""),
    q(Kind::Phrase, "\"consumer lag\""),
    q(Kind::Phrase, "\"cache hit rate\""),
    q(Kind::Phrase, "\"full table\""),
    q(Kind::Phrase, "\"연결 풀\""),
    q(Kind::Phrase, "\"장애 드릴\""),
    q(Kind::Phrase, "\"캐시 히트율\""),
    q(Kind::Phrase, "\"p99 latency\""),
    q(Kind::Phrase, "\"rate limit\""),
    q(Kind::Mixed, "Redis 연결"),
    q(Kind::Mixed, "Kafka 지연"),
    q(Kind::Mixed, "MySQL 커넥션"),
    q(Kind::Mixed, "Circuit Breaker 적용"),
    q(Kind::Mixed, "TTL 지터"),
    q(Kind::Mixed, "p99 알림"),
    q(Kind::Mixed, "consumer 멱등"),
    q(Kind::Mixed, "DNS 리졸버"),
    q(
        Kind::Question,
        "why did redis connections run out during the coupon event",
    ),
    q(
        Kind::Question,
        "kafka consumers fell behind after a rebalance",
    ),
    q(
        Kind::Question,
        "the certificate expired and clients could not connect",
    ),
    q(Kind::Question, "logs filled the disk and writes stopped"),
    q(
        Kind::Question,
        "cache hit rate dropped and the database got hammered",
    ),
    q(Kind::Question, "쿠폰 이벤트 때 레디스 연결이 모자랐던 장애"),
    q(Kind::Question, "배포하고 나서 롤백했던 적 있나"),
    q(Kind::Question, "카프카 컨슈머 랙이 계속 쌓였던 건"),
    q(Kind::Question, "인증서가 만료돼서 접속이 안 됐던 장애"),
    q(Kind::Question, "DB 쿼리가 느려져서 타임아웃 난 경우"),
    Q {
        severity: Some(Severity::P0),
        ..q(Kind::Filtered, "pool")
    },
    Q {
        severity: Some(Severity::P1),
        ..q(Kind::Filtered, "고갈")
    },
    Q {
        service: Some("redis"),
        ..q(Kind::Filtered, "timeout")
    },
    Q {
        service: Some("kafka"),
        ..q(Kind::Filtered, "지연")
    },
    Q {
        severity: Some(Severity::P2),
        service: Some("mysql"),
        ..q(Kind::Filtered, "connection")
    },
    Q {
        service: Some("gateway"),
        ..q(Kind::Filtered, "\"p99 latency\"")
    },
];

fn is_hangul(c: char) -> bool {
    ('\u{AC00}'..='\u{D7AF}').contains(&c)
}

/// The query in FTS5 syntax: Korean words as prefixes, phrases kept, questions' words OR-ed.
fn fts_query(kind: Kind, text: &str) -> String {
    if kind == Kind::Question {
        return common::fts_any(text);
    }
    let prefix = |w: &str| {
        if w.chars().any(is_hangul) {
            format!("{w}*")
        } else {
            w.to_owned()
        }
    };
    if let Some(inner) = text.strip_prefix('"').and_then(|t| t.strip_suffix('"')) {
        // `"연결 풀" *` makes the phrase's last token a prefix (풀 → 풀이).
        return if inner.chars().any(is_hangul) {
            format!("\"{inner}\" *")
        } else {
            format!("\"{inner}\"")
        };
    }
    text.split_whitespace()
        .map(|w| {
            let p = prefix(w);
            if p.ends_with('*') {
                p
            } else {
                format!("\"{p}\"")
            }
        })
        .collect::<Vec<_>>()
        .join(" ")
}

/// One FTS5 search: top 10 by bm25 (title weighed 3×, root cause 1.5×) with a snippet, and
/// the count.
async fn fts_search(pool: &SqlitePool, query: &Q) -> anyhow::Result<u64> {
    let mut filter = String::new();
    if query.severity.is_some() {
        filter.push_str(" AND i.severity = ?2");
    }
    if query.service.is_some() {
        filter.push_str(
            " AND EXISTS (SELECT 1 FROM incident_services s WHERE s.incident_id = i.id AND s.service = ?3)",
        );
    }
    let from = format!("FROM fts JOIN incidents i ON i.id = fts.rowid WHERE fts MATCH ?1{filter}");
    let text = fts_query(query.kind, query.text);
    let severity = query.severity.map(|s| s.as_str());
    let top: Vec<(i64, String, String)> = sqlx::query_as(&format!(
        "SELECT fts.rowid, i.title, snippet(fts, -1, '<mark>', '</mark>', '…', 24) {from} \
         ORDER BY bm25(fts, 3.0, 1.5, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0) LIMIT 10"
    ))
    .bind(&text)
    .bind(severity)
    .bind(query.service)
    .fetch_all(pool)
    .await?;
    let total: i64 = sqlx::query_scalar(&format!("SELECT count(*) {from}"))
        .bind(&text)
        .bind(severity)
        .bind(query.service)
        .fetch_one(pool)
        .await?;
    std::hint::black_box(top);
    Ok(total as u64)
}

async fn tantivy_search(search: &Search, query: &Q) -> anyhow::Result<u64> {
    let mut q = SearchQuery::text(query.text);
    q.limit = 10;
    q.severity = query.severity;
    q.service = query.service.map(str::to_owned);
    let r = search.search(q).await?;
    Ok(r.total)
}

fn dir_size(path: &std::path::Path) -> u64 {
    std::fs::read_dir(path)
        .map(|entries| {
            entries
                .flatten()
                .map(|e| e.metadata().map(|m| m.len()).unwrap_or(0))
                .sum()
        })
        .unwrap_or(0)
}

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let args = Args::parse();
    let dir = tempfile::tempdir()?;
    let display = DisplayArgs::default();
    let store = server::open_store(&server::config::DataArgs::at(dir.path()), &display).await?;

    eprintln!("generating {} postmortems…", args.incidents);
    let t = Instant::now();
    server::generate::fill(&store, args.incidents).await?;
    let generated = t.elapsed();

    let (search, _) = Search::open(dir.path(), display.tz)?;
    eprintln!("building the tantivy index…");
    let t = Instant::now();
    search.rebuild(&store, |_, _| {}).await?;
    let tantivy_build = t.elapsed();
    let tantivy_bytes = dir_size(&Search::dir(dir.path()));

    let pool = server::storage::open(dir.path(), Default::default()).await?;
    let db_before: i64 = sqlx::query_scalar(
        "SELECT page_count * page_size FROM pragma_page_count(), pragma_page_size()",
    )
    .fetch_one(&pool)
    .await?;
    eprintln!("building the FTS5 index…");
    let t = Instant::now();
    build_fts(&pool, &store).await?;
    let fts_build = t.elapsed();
    let db_after: i64 = sqlx::query_scalar(
        "SELECT page_count * page_size FROM pragma_page_count(), pragma_page_size()",
    )
    .fetch_one(&pool)
    .await?;

    let mut tantivy_times: Vec<(Kind, Duration)> = Vec::new();
    let mut fts_times: Vec<(Kind, Duration)> = Vec::new();
    let mut matches = Vec::new();
    for round in 0..=args.rounds {
        for query in QUERIES {
            let t = Instant::now();
            let a = tantivy_search(&search, query).await?;
            let ta = t.elapsed();
            let t = Instant::now();
            let b = fts_search(&pool, query).await?;
            let tb = t.elapsed();
            if round == 0 {
                matches.push((query.text, a, b));
            } else {
                tantivy_times.push((query.kind, ta));
                fts_times.push((query.kind, tb));
            }
        }
    }

    let cores = std::thread::available_parallelism().map_or(0, |n| n.get());
    println!(
        "\nhoego search — {} postmortems, {} queries × {} rounds, {cores} cores, {}\n",
        args.incidents,
        QUERIES.len(),
        args.rounds,
        chrono::Utc::now().format("%Y-%m-%d")
    );
    println!(
        "generated in {:.1} s; tantivy index built in {:.1} s ({:.0} MB); FTS5 built in {:.1} s ({:.0} MB)\n",
        generated.as_secs_f64(),
        tantivy_build.as_secs_f64(),
        tantivy_bytes as f64 / 1e6,
        fts_build.as_secs_f64(),
        (db_after - db_before) as f64 / 1e6
    );
    println!("| queries | tantivy p50 | tantivy p99 | FTS5 p50 | FTS5 p99 |");
    println!("|---------|-------------|-------------|----------|----------|");
    let kinds = [
        None,
        Some(Kind::English),
        Some(Kind::Korean),
        Some(Kind::Phrase),
        Some(Kind::Mixed),
        Some(Kind::Filtered),
        Some(Kind::Question),
    ];
    for kind in kinds {
        let pick = |times: &[(Kind, Duration)]| {
            let mut v: Vec<Duration> = times
                .iter()
                .filter(|(k, _)| kind.is_none_or(|want| *k == want))
                .map(|(_, d)| *d)
                .collect();
            v.sort();
            v
        };
        let (a, b) = (pick(&tantivy_times), pick(&fts_times));
        println!(
            "| {:<7} | {:>11} | {:>11} | {:>8} | {:>8} |",
            kind.map_or("all".to_owned(), |k| format!("{k:?}").to_lowercase()),
            ms(percentile(&a, 0.5)),
            ms(percentile(&a, 0.99)),
            ms(percentile(&b, 0.5)),
            ms(percentile(&b, 0.99)),
        );
    }
    println!("\nmatches per query (tantivy / FTS5):");
    for (text, a, b) in matches {
        println!("  {text:<26} {a:>7} / {b:<7}");
    }
    Ok(())
}
