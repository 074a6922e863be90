//! What the search index is built from: each incident with its children's text, in one row.
//!
//! One statement reads a whole batch of incidents with their children folded in by SQLite
//! (`group_concat`), so a rebuild of 100,000 incidents is a few hundred statements, and the
//! same statement refreshes one incident after a write. The incident's own columns are read
//! through [`IncidentRow`], so a new incident field reaches the index builder
//! (`search::schema`) without another column list here.

use std::sync::LazyLock;

use app::domain::{Incident, IncidentId};

use super::Store;
use super::incidents::{IncidentRow, SERVICES};
use crate::error::Result;

/// An incident's own fields, and the texts of what is filed under it, each joined by newlines;
/// categories by the unit separator (U+001F), which no category contains.
#[derive(Clone, Debug)]
pub struct SearchSource {
    pub incident: Incident,
    pub timeline: String,
    /// Problem statements and why/because steps.
    pub five_whys: String,
    pub root_causes: String,
    pub categories: String,
    pub action_items: String,
    /// The summaries and descriptions of its alerts, and the names, scenarios and notes of
    /// its load-test runs (searched with the timeline).
    pub alerts: String,
}

impl SearchSource {
    pub fn categories(&self) -> impl Iterator<Item = &str> {
        self.categories.split('\u{1f}').filter(|p| !p.is_empty())
    }
}

#[derive(sqlx::FromRow)]
struct SourceRow {
    #[sqlx(flatten)]
    incident: IncidentRow,
    timeline: String,
    five_whys: String,
    root_causes: String,
    categories: String,
    action_items: String,
    alerts: String,
}

impl SourceRow {
    fn into_source(self, store: &Store) -> Result<SearchSource> {
        Ok(SearchSource {
            incident: self.incident.into_incident(&store.settings.targets)?,
            timeline: self.timeline,
            five_whys: self.five_whys,
            root_causes: self.root_causes,
            categories: self.categories,
            action_items: self.action_items,
            alerts: self.alerts,
        })
    }
}

/// The incident's own columns (whatever the incident row reads) and its children's texts.
static SELECT: LazyLock<String> = LazyLock::new(|| {
    format!(
        "SELECT i.*, {SERVICES}, \
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
    coalesce((SELECT group_concat(title, char(10)) FROM action_items a WHERE a.incident_id = i.id), '') AS action_items, \
    coalesce((SELECT group_concat(coalesce(json_extract(annotations, '$.summary'), '') || char(10) || \
        coalesce(json_extract(annotations, '$.description'), ''), char(10)) \
        FROM alert_events e WHERE e.incident_id = i.id), '') || char(10) || \
    coalesce((SELECT group_concat(r.name || char(10) || r.scenario || char(10) || r.notes, char(10)) \
        FROM incident_load_tests l JOIN load_test_runs r ON r.id = l.run_id WHERE l.incident_id = i.id), '') AS alerts \
    FROM incidents i"
    )
});

/// The incidents with ids above `after`, in id order, at most `limit`.
pub async fn batch(store: &Store, after: IncidentId, limit: i64) -> Result<Vec<SearchSource>> {
    let rows: Vec<SourceRow> =
        sqlx::query_as(&format!("{} WHERE i.id > ? ORDER BY i.id LIMIT ?", *SELECT))
            .bind(after.get())
            .bind(limit)
            .fetch_all(&store.pool)
            .await?;
    rows.into_iter().map(|r| r.into_source(store)).collect()
}

/// One incident's source, or `None` when it no longer exists.
pub async fn one(store: &Store, id: IncidentId) -> Result<Option<SearchSource>> {
    let row: Option<SourceRow> = sqlx::query_as(&format!("{} WHERE i.id = ?", *SELECT))
        .bind(id.get())
        .fetch_optional(&store.pool)
        .await?;
    row.map(|r| r.into_source(store)).transpose()
}

/// How many incidents there are (the index must hold as many documents).
pub async fn count(store: &Store) -> Result<u64> {
    let n: i64 = sqlx::query_scalar("SELECT count(*) FROM incidents")
        .fetch_one(&store.pool)
        .await?;
    Ok(n as u64)
}
