//! What the search benchmarks share: the SQLite FTS5 index they compare hoego's with, built
//! from the same database, and the arithmetic of their reports.
// Each bench compiles this module on its own and uses only part of it.
#![allow(dead_code)]

use std::time::Duration;

use sqlx::SqlitePool;

pub const FTS_COLUMNS: &str =
    "title, root_cause, five_whys, summary, impact, timeline, action_items, narrative";

/// Builds an FTS5 table `fts` over every incident, the parts as hoego indexes them, stemmed
/// English (`porter unicode61`).
pub async fn build_fts(pool: &SqlitePool, store: &server::storage::Store) -> anyhow::Result<()> {
    sqlx::query("DROP TABLE IF EXISTS fts")
        .execute(pool)
        .await?;
    sqlx::query(&format!(
        "CREATE VIRTUAL TABLE fts USING fts5({FTS_COLUMNS}, tokenize = 'porter unicode61')"
    ))
    .execute(pool)
    .await?;
    let mut after = app::domain::IncidentId::default();
    loop {
        let batch = server::storage::search_source::batch(store, after, 1_000).await?;
        let Some(last) = batch.last() else { break };
        after = last.incident.id;
        let mut tx = pool.begin().await?;
        for s in &batch {
            let f = &s.incident.fields;
            sqlx::query(&format!(
                "INSERT INTO fts (rowid, {FTS_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)"
            ))
            .bind(s.incident.id.get())
            .bind(&f.title)
            .bind(&s.root_causes)
            .bind(&s.five_whys)
            .bind(server::markdown::plain_text(&f.summary))
            .bind(format!("{}\n{}", f.customer_impact, f.business_impact))
            .bind(&s.timeline)
            .bind(&s.action_items)
            .bind(server::markdown::plain_text(&f.narrative))
            .execute(&mut *tx)
            .await?;
        }
        tx.commit().await?;
    }
    Ok(())
}

/// The nearest-rank percentile `p` (0–1) of sorted durations.
pub fn percentile(sorted: &[Duration], p: f64) -> Duration {
    if sorted.is_empty() {
        return Duration::ZERO;
    }
    let i = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    sorted[i]
}

/// Milliseconds with two decimals.
pub fn ms(d: Duration) -> String {
    format!("{:.2}", d.as_secs_f64() * 1e3)
}

/// Words of free text as FTS5 tokens: English quoted, Korean as prefixes (unicode61 keeps
/// `고갈되었는가` as one token, so `고갈*` is how a person would search it).
fn fts_words(text: &str) -> Vec<String> {
    text.split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(|w| {
            if w.chars().any(|c| ('\u{AC00}'..='\u{D7AF}').contains(&c)) {
                format!("{w}*")
            } else {
                format!("\"{w}\"")
            }
        })
        .collect()
}

/// Free text as an FTS5 query requiring every word.
pub fn fts_all(text: &str) -> String {
    fts_words(text).join(" AND ")
}

/// Free text as an FTS5 query of any word (bm25 then ranks by how many and how rare).
pub fn fts_any(text: &str) -> String {
    fts_words(text).join(" OR ")
}

/// The ids of the 10 best FTS5 matches for `query`, by bm25 with hoego's part weights.
pub async fn fts_top10(pool: &SqlitePool, query: &str) -> anyhow::Result<Vec<i64>> {
    if query.is_empty() {
        return Ok(Vec::new());
    }
    Ok(sqlx::query_scalar(
        "SELECT rowid FROM fts WHERE fts MATCH ?1 \
         ORDER BY bm25(fts, 3.0, 1.5, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0) LIMIT 10",
    )
    .bind(query)
    .fetch_all(pool)
    .await?)
}
