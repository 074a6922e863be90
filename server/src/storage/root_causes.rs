//! Root causes across postmortems: every 5-Why chain's conclusion with its incident.

use app::domain::*;
use chrono::{DateTime, Utc};

use super::Store;
use crate::error::{Error, Result};

#[derive(sqlx::FromRow)]
struct EntryRow {
    category: String,
    incident_id: i64,
    incident_title: String,
    severity: String,
    started_at: Option<DateTime<Utc>>,
    problem: String,
    root_cause: String,
    /// Problem, steps and root cause, for matching a query against this chain alone.
    text: String,
}

/// A chain's entry, its category and its whole text.
pub struct Chain {
    pub category: RootCauseCategory,
    pub entry: RootCauseEntry,
    pub text: String,
}

impl TryFrom<EntryRow> for Chain {
    type Error = Error;
    fn try_from(r: EntryRow) -> Result<Self> {
        let corrupt = |what: &str, v: &str| Error::Corrupt(format!("{what} `{v}`"));
        Ok(Chain {
            category: RootCauseCategory::parse(&r.category)
                .ok_or_else(|| corrupt("category", &r.category))?,
            entry: RootCauseEntry {
                incident_id: r.incident_id.into(),
                incident_title: r.incident_title,
                severity: Severity::parse(&r.severity)
                    .ok_or_else(|| corrupt("severity", &r.severity))?,
                started_at: r.started_at,
                problem: r.problem,
                root_cause: r.root_cause,
            },
            text: r.text,
        })
    }
}

const ENTRY_COLUMNS: &str = "w.category, w.incident_id, i.title AS incident_title, i.severity, \
    i.started_at, w.problem, w.root_cause, \
    w.problem || char(10) || w.root_cause || char(10) || coalesce((SELECT group_concat(s.why || char(10) || s.because, char(10)) \
        FROM five_why_steps s WHERE s.chain_id = w.id), '') AS text";

/// All root causes: each category's count and its newest [`ROOT_CAUSES_PER_GROUP`] chains.
pub async fn report(store: &Store) -> Result<RootCauseReport> {
    let counts: Vec<(String, i64)> =
        sqlx::query_as("SELECT category, count(*) FROM five_whys GROUP BY category")
            .fetch_all(&store.pool)
            .await?;
    let rows: Vec<EntryRow> = sqlx::query_as(&format!(
        "SELECT * FROM (SELECT {ENTRY_COLUMNS}, row_number() OVER \
           (PARTITION BY w.category ORDER BY i.sort_at DESC, w.id DESC) AS n \
         FROM five_whys w JOIN incidents i ON i.id = w.incident_id) WHERE n <= ? ORDER BY n"
    ))
    .bind(ROOT_CAUSES_PER_GROUP as i64)
    .fetch_all(&store.pool)
    .await?;
    let chains = rows
        .into_iter()
        .map(Chain::try_from)
        .collect::<Result<Vec<_>>>()?;
    let mut groups = Vec::new();
    for (category, count) in counts {
        let category = RootCauseCategory::parse(&category)
            .ok_or_else(|| Error::Corrupt(format!("category `{category}`")))?;
        groups.push(RootCauseGroup {
            category,
            count: count as u64,
            entries: chains
                .iter()
                .filter(|c| c.category == category)
                .map(|c| c.entry.clone())
                .collect(),
        });
    }
    sort_groups(&mut groups);
    Ok(RootCauseReport {
        groups,
        lenient: false,
    })
}

/// The chains of the given incidents, newest incident first.
pub async fn chains_of(store: &Store, incidents: &[IncidentId]) -> Result<Vec<Chain>> {
    let ids = serde_json::to_string(incidents).expect("ids serialize");
    let rows: Vec<EntryRow> = sqlx::query_as(&format!(
        "SELECT {ENTRY_COLUMNS} FROM five_whys w JOIN incidents i ON i.id = w.incident_id \
         WHERE w.incident_id IN (SELECT value FROM json_each(?)) ORDER BY i.sort_at DESC, w.id DESC"
    ))
    .bind(ids)
    .fetch_all(&store.pool)
    .await?;
    rows.into_iter().map(Chain::try_from).collect()
}

/// Groups chains by category, counting all and listing the first [`ROOT_CAUSES_PER_GROUP`].
pub fn group(chains: impl IntoIterator<Item = Chain>) -> Vec<RootCauseGroup> {
    let mut groups: Vec<RootCauseGroup> = Vec::new();
    for c in chains {
        let i = match groups.iter().position(|g| g.category == c.category) {
            Some(i) => i,
            None => {
                groups.push(RootCauseGroup {
                    category: c.category,
                    count: 0,
                    entries: Vec::new(),
                });
                groups.len() - 1
            }
        };
        let g = &mut groups[i];
        g.count += 1;
        if g.entries.len() < ROOT_CAUSES_PER_GROUP {
            g.entries.push(c.entry);
        }
    }
    sort_groups(&mut groups);
    groups
}

/// Largest group first; ties in category order.
fn sort_groups(groups: &mut [RootCauseGroup]) {
    groups.sort_by(|a, b| b.count.cmp(&a.count).then(a.category.cmp(&b.category)));
}
