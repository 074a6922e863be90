//! What the search index is built from: each incident's searchable text in one row.
//!
//! One statement reads a whole batch of incidents with their children folded in by SQLite
//! (`group_concat`), so a rebuild of 100,000 incidents is a few hundred statements, and the
//! same statement refreshes one incident after a write.

use chrono::{DateTime, Utc};

use super::Store;
use crate::error::Result;

/// An incident's searchable text and filter values. Children's texts are joined by newlines;
/// services and categories by the unit separator (U+001F), which no field contains.
#[derive(Clone, Debug, sqlx::FromRow)]
pub struct SearchSource {
    pub id: i64,
    pub title: String,
    pub severity: String,
    pub status: String,
    /// Markdown.
    pub summary: String,
    /// Markdown.
    pub narrative: String,
    /// Customer and business impact.
    pub impact: String,
    pub started_at: Option<DateTime<Utc>>,
    /// When impact began, or when the incident was filed if that is unknown.
    pub sort_at: DateTime<Utc>,
    pub services: String,
    pub timeline: String,
    /// Problem statements and why/because steps.
    pub five_whys: String,
    pub root_causes: String,
    pub categories: String,
    pub action_items: String,
}

impl SearchSource {
    pub fn services(&self) -> impl Iterator<Item = &str> {
        split_units(&self.services)
    }
    pub fn categories(&self) -> impl Iterator<Item = &str> {
        split_units(&self.categories)
    }
}

fn split_units(s: &str) -> impl Iterator<Item = &str> {
    s.split('\u{1f}').filter(|p| !p.is_empty())
}

const SELECT: &str = "SELECT i.id, i.title, i.severity, i.status, i.summary, i.narrative, \
    i.customer_impact || char(10) || i.business_impact AS impact, i.started_at, i.sort_at, \
    coalesce((SELECT group_concat(service, char(31)) FROM incident_services s WHERE s.incident_id = i.id), '') AS services, \
    coalesce((SELECT group_concat(text, char(10)) FROM \
        (SELECT text FROM timeline_events t WHERE t.incident_id = i.id ORDER BY at, id)), '') AS timeline, \
    coalesce((SELECT group_concat(part, char(10)) FROM \
        (SELECT w.problem AS part, w.id AS chain, -1 AS position FROM five_whys w WHERE w.incident_id = i.id \
         UNION ALL \
         SELECT st.why || char(10) || st.because, st.chain_id, st.position FROM five_why_steps st \
           JOIN five_whys w ON w.id = st.chain_id WHERE w.incident_id = i.id \
         ORDER BY chain, position)), '') AS five_whys, \
    coalesce((SELECT group_concat(root_cause, char(10)) FROM five_whys w WHERE w.incident_id = i.id), '') AS root_causes, \
    coalesce((SELECT group_concat(category, char(31)) FROM five_whys w WHERE w.incident_id = i.id), '') AS categories, \
    coalesce((SELECT group_concat(title, char(10)) FROM action_items a WHERE a.incident_id = i.id), '') AS action_items \
    FROM incidents i";

/// The incidents with ids above `after`, in id order, at most `limit`.
pub async fn batch(store: &Store, after: i64, limit: i64) -> Result<Vec<SearchSource>> {
    Ok(
        sqlx::query_as(&format!("{SELECT} WHERE i.id > ? ORDER BY i.id LIMIT ?"))
            .bind(after)
            .bind(limit)
            .fetch_all(&store.pool)
            .await?,
    )
}

/// One incident's source, or `None` when it no longer exists.
pub async fn one(store: &Store, id: i64) -> Result<Option<SearchSource>> {
    Ok(sqlx::query_as(&format!("{SELECT} WHERE i.id = ?"))
        .bind(id)
        .fetch_optional(&store.pool)
        .await?)
}

/// How many incidents there are (the index must hold as many documents).
pub async fn count(store: &Store) -> Result<u64> {
    let n: i64 = sqlx::query_scalar("SELECT count(*) FROM incidents")
        .fetch_one(&store.pool)
        .await?;
    Ok(n as u64)
}
