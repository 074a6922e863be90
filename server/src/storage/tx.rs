//! A write: one SQLite transaction that remembers which incidents it changed.

use std::collections::BTreeSet;
use std::ops::{Deref, DerefMut};

use app::domain::IncidentId;
use app::error::AppError;
use chrono::Utc;
use sqlx::{Sqlite, SqliteConnection, SqlitePool, Transaction};
use tokio::sync::OwnedMutexGuard;

use crate::error::Result;

/// A transaction opened with `BEGIN IMMEDIATE`, so two writers queue on SQLite's write lock
/// instead of failing on a read-to-write upgrade. It dereferences to the connection the storage
/// functions run their statements on.
///
/// Storage functions that change an incident or anything filed under it say so
/// ([`touch`](Self::touch), [`changed`](Self::changed)); [`commit`](Self::commit) returns those
/// incidents, so the caller that keeps the search index in step does it in one place
/// (`Backend::commit`) for every kind of write.
pub struct Tx {
    // Declared before `_turn`, so a dropped write rolls back before the next one's turn.
    inner: Transaction<'static, Sqlite>,
    changed: BTreeSet<IncidentId>,
    _turn: OwnedMutexGuard<()>,
}

impl Tx {
    /// Begins a write; `turn` is this process's write turn ([`super::Store`] hands it out).
    pub(super) async fn begin(pool: &SqlitePool, turn: OwnedMutexGuard<()>) -> Result<Tx> {
        Ok(Tx {
            inner: pool.begin_with("BEGIN IMMEDIATE").await?,
            changed: BTreeSet::new(),
            _turn: turn,
        })
    }

    /// Records that `incident` was created, changed or deleted by this write.
    pub fn changed(&mut self, incident: IncidentId) {
        self.changed.insert(incident);
    }

    /// Marks the incident as updated now (something filed under it was written) and records
    /// it; `NotFound` if there is no such incident.
    pub async fn touch(&mut self, incident: IncidentId) -> Result<()> {
        let done = sqlx::query("UPDATE incidents SET updated_at = ? WHERE id = ?")
            .bind(Utc::now())
            .bind(incident.get())
            .execute(&mut *self.inner)
            .await?;
        if done.rows_affected() == 0 {
            return Err(AppError::not_found("incident").into());
        }
        self.changed(incident);
        Ok(())
    }

    /// Marks a point this write can go back to ([`Tx::rollback_to`]) without undoing what
    /// came before it: several alert webhooks share one transaction, and one that fails must
    /// leave the others whole. One savepoint at a time.
    pub async fn savepoint(&mut self) -> Result<Savepoint> {
        sqlx::query("SAVEPOINT part")
            .execute(&mut *self.inner)
            .await?;
        Ok(Savepoint {
            changed: self.changed.clone(),
        })
    }

    /// Keeps what was written since the savepoint.
    pub async fn release(&mut self, _: Savepoint) -> Result<()> {
        sqlx::query("RELEASE part")
            .execute(&mut *self.inner)
            .await?;
        Ok(())
    }

    /// Undoes what was written since the savepoint, including its record of changed incidents.
    pub async fn rollback_to(&mut self, savepoint: Savepoint) -> Result<()> {
        sqlx::query("ROLLBACK TO part")
            .execute(&mut *self.inner)
            .await?;
        sqlx::query("RELEASE part")
            .execute(&mut *self.inner)
            .await?;
        self.changed = savepoint.changed;
        Ok(())
    }

    /// Commits; returns the incidents this write changed. Each of them gets a new
    /// `updated_at` in the same transaction, whatever under it changed (a timeline event
    /// removed, an alert linked): readers that keep a copy of incidents (the insights) find
    /// what to refresh by it, including after writes by another process. Each is also marked
    /// as not yet in the search index (`search_marks`), so a write whose indexing never
    /// happened is indexed at the next start.
    pub async fn commit(mut self) -> Result<BTreeSet<IncidentId>> {
        if !self.changed.is_empty() {
            let mut q = sqlx::QueryBuilder::<Sqlite>::new("UPDATE incidents SET updated_at = ");
            q.push_bind(Utc::now()).push(" WHERE id IN (");
            let mut ids = q.separated(", ");
            for id in &self.changed {
                ids.push_bind(id.get());
            }
            q.push(")");
            q.build().execute(&mut *self.inner).await?;
            super::search_marks::mark(&mut self.inner, &self.changed).await?;
        }
        self.inner.commit().await?;
        Ok(self.changed)
    }
}

/// A point inside a write ([`Tx::savepoint`]) and the incidents changed before it.
pub struct Savepoint {
    changed: BTreeSet<IncidentId>,
}

impl Deref for Tx {
    type Target = SqliteConnection;
    fn deref(&self) -> &SqliteConnection {
        &self.inner
    }
}

impl DerefMut for Tx {
    fn deref_mut(&mut self) -> &mut SqliteConnection {
        &mut self.inner
    }
}
