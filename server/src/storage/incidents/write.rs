//! Writing incidents: insert, overwrite, delete, and the status history.

use std::sync::LazyLock;

use app::domain::{Actor, Children, Incident, IncidentFields, IncidentId, Status};
use app::error::AppError;
use chrono::{DateTime, Utc};
use sqlx::SqliteConnection;

use super::{IncidentRow, SERVICES, columns};
use crate::error::Result;
use crate::storage::versions::{self, Versioned};
use crate::storage::{Store, Tx};

static SELECT: LazyLock<String> =
    LazyLock::new(|| format!("SELECT i.*, {SERVICES} FROM incidents i WHERE i.id = ?"));

/// The incident as stored, or `NotFound`.
pub async fn fetch(conn: &mut SqliteConnection, store: &Store, id: IncidentId) -> Result<Incident> {
    let row: Option<IncidentRow> = sqlx::query_as(&SELECT)
        .bind(id.get())
        .fetch_optional(&mut *conn)
        .await?;
    row.ok_or_else(|| AppError::not_found("incident"))?
        .into_incident(&store.settings.targets)
}

/// Whether the incident exists.
pub async fn exists(store: &Store, id: IncidentId) -> Result<bool> {
    let found: Option<i64> = sqlx::query_scalar("SELECT 1 FROM incidents WHERE id = ?")
        .bind(id.get())
        .fetch_optional(&store.pool)
        .await?;
    Ok(found.is_some())
}

/// Every incident's id, oldest first (for exporting them all).
pub async fn ids(store: &Store) -> Result<Vec<IncidentId>> {
    let ids: Vec<i64> = sqlx::query_scalar("SELECT id FROM incidents ORDER BY id")
        .fetch_all(&store.pool)
        .await?;
    Ok(ids.into_iter().map(IncidentId::from).collect())
}

async fn write_services(
    conn: &mut SqliteConnection,
    id: IncidentId,
    services: &[String],
) -> Result<()> {
    sqlx::query("DELETE FROM incident_services WHERE incident_id = ?")
        .bind(id.get())
        .execute(&mut *conn)
        .await?;
    for (position, service) in services.iter().enumerate() {
        sqlx::query(
            "INSERT INTO incident_services (incident_id, service, position) VALUES (?, ?, ?)",
        )
        .bind(id.get())
        .bind(service)
        .bind(position as i64)
        .execute(&mut *conn)
        .await?;
    }
    Ok(())
}

/// Inserts a validated incident; returns its id.
pub async fn insert(tx: &mut Tx, f: &IncidentFields) -> Result<IncidentId> {
    let now = Utc::now();
    let id = IncidentId::from(
        columns(f)
            .set("created_at", now)
            .set("updated_at", now)
            .insert(tx, "incidents")
            .await?,
    );
    write_services(tx, id, &f.services).await?;
    tx.changed(id);
    Ok(id)
}

/// Overwrites an incident's fields with validated ones, and counts the write in its version.
pub async fn write(tx: &mut Tx, id: IncidentId, f: &IncidentFields) -> Result<()> {
    let updated = columns(f)
        .set("updated_at", Utc::now())
        .update(tx, "incidents", id.get())
        .await?;
    if updated == 0 {
        return Err(AppError::not_found("incident").into());
    }
    write_services(tx, id, &f.services).await?;
    versions::bump(tx, Versioned::Incident, id.get()).await?;
    tx.changed(id);
    Ok(())
}

/// Keeps a status move, made at `at`, in the incident's history.
pub async fn record_status_change(
    tx: &mut Tx,
    id: IncidentId,
    from: Status,
    to: Status,
    reason: &str,
    by: &Actor,
    at: DateTime<Utc>,
) -> Result<()> {
    sqlx::query(
        "INSERT INTO status_changes (incident_id, from_status, to_status, reason, at, changed_by) \
         VALUES (?, ?, ?, ?, ?, ?)",
    )
    .bind(id.get())
    .bind(from.as_str())
    .bind(to.as_str())
    .bind(reason)
    .bind(at)
    .bind(&by.name)
    .execute(&mut **tx)
    .await?;
    Ok(())
}

/// Deletes the incident; its children go with it (`ON DELETE CASCADE`).
pub async fn delete(tx: &mut Tx, id: IncidentId) -> Result<()> {
    let done = sqlx::query("DELETE FROM incidents WHERE id = ?")
        .bind(id.get())
        .execute(&mut **tx)
        .await?;
    if done.rows_affected() == 0 {
        return Err(AppError::not_found("incident").into());
    }
    tx.changed(id);
    Ok(())
}

/// How many of a kind of child the incident has.
pub async fn children(
    conn: &mut SqliteConnection,
    kind: Children,
    id: IncidentId,
) -> Result<usize> {
    let sql = match kind {
        Children::TimelineEvents => "SELECT count(*) FROM timeline_events WHERE incident_id = ?",
        Children::Chains => "SELECT count(*) FROM five_whys WHERE incident_id = ?",
        Children::ActionItems => "SELECT count(*) FROM action_items WHERE incident_id = ?",
    };
    let n: i64 = sqlx::query_scalar(sql)
        .bind(id.get())
        .fetch_one(&mut *conn)
        .await?;
    Ok(n as usize)
}
