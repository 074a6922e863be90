//! Which incidents the search index may not show as the database has them (`search_marks`).
//!
//! A write marks what it changed in its own transaction ([`mark`], from `Tx::commit`); the
//! index clears a mark after committing that incident ([`clear`]), naming the generation it
//! read before it read the incident, so a write that landed in between keeps its mark.

use std::collections::BTreeSet;

use app::domain::IncidentId;
use sqlx::{Sqlite, SqliteConnection};

use super::Store;
use crate::error::Result;

/// A mark as read: the incident and how many writes have marked it since it was last cleared.
#[derive(Clone, Copy, Debug, PartialEq, Eq, sqlx::FromRow)]
pub struct Mark {
    pub incident_id: i64,
    pub generation: i64,
}

impl Mark {
    pub fn incident(&self) -> IncidentId {
        IncidentId::from(self.incident_id)
    }
}

/// Marks `incidents` (inside the write that changed them).
pub(super) async fn mark(
    conn: &mut SqliteConnection,
    incidents: &BTreeSet<IncidentId>,
) -> Result<()> {
    let mut q = sqlx::QueryBuilder::<Sqlite>::new("INSERT INTO search_marks (incident_id) ");
    q.push_values(incidents, |mut row, id| {
        row.push_bind(id.get());
    });
    q.push(" ON CONFLICT (incident_id) DO UPDATE SET generation = generation + 1");
    q.build().execute(conn).await?;
    Ok(())
}

/// The mark on one incident, if any.
pub async fn one(store: &Store, id: IncidentId) -> Result<Option<Mark>> {
    Ok(
        sqlx::query_as("SELECT incident_id, generation FROM search_marks WHERE incident_id = ?")
            .bind(id.get())
            .fetch_optional(&store.pool)
            .await?,
    )
}

/// Every mark, by incident.
pub async fn all(store: &Store) -> Result<Vec<Mark>> {
    Ok(
        sqlx::query_as("SELECT incident_id, generation FROM search_marks ORDER BY incident_id")
            .fetch_all(&store.pool)
            .await?,
    )
}

/// How many incidents are marked: writes the index has not caught up with.
pub async fn count(store: &Store) -> Result<u64> {
    let n: i64 = sqlx::query_scalar("SELECT count(*) FROM search_marks")
        .fetch_one(&store.pool)
        .await?;
    Ok(n as u64)
}

/// Clears the marks the index has caught up with: each only if it still has the generation
/// read before the incident was indexed.
pub async fn clear(store: &Store, marks: &[Mark]) -> Result<()> {
    if marks.is_empty() {
        return Ok(());
    }
    let mut tx = store.begin().await?;
    // SQLite allows 32,766 variables per statement; two per mark.
    for chunk in marks.chunks(10_000) {
        let mut q = sqlx::QueryBuilder::<Sqlite>::new(
            "DELETE FROM search_marks WHERE (incident_id, generation) IN (VALUES ",
        );
        let mut rows = q.separated(", ");
        for m in chunk {
            rows.push("(")
                .push_bind_unseparated(m.incident_id)
                .push_unseparated(", ")
                .push_bind_unseparated(m.generation)
                .push_unseparated(")");
        }
        q.push(")");
        q.build().execute(&mut *tx).await?;
    }
    tx.commit().await?;
    Ok(())
}
