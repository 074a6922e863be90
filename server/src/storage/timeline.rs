//! Timeline events. Writing a `detected` or `recovered` event sets the incident's timestamp in
//! the same transaction.

use app::domain::*;
use app::error::AppError;
use sqlx::SqliteConnection;

use super::rows::EventRow;
use super::{Store, incidents};
use crate::error::Result;

const SELECT: &str = "SELECT id, incident_id, at, kind, text, source, author FROM timeline_events";

async fn fetch(conn: &mut SqliteConnection, incident: i64, id: i64) -> Result<TimelineEvent> {
    let row: Option<EventRow> =
        sqlx::query_as(&format!("{SELECT} WHERE incident_id = ? AND id = ?"))
            .bind(incident)
            .bind(id)
            .fetch_optional(&mut *conn)
            .await?;
    row.ok_or_else(|| AppError::not_found("timeline event"))?
        .try_into()
}

/// Inserts a validated event; the caller sets incident timestamps if it should.
pub async fn insert(conn: &mut SqliteConnection, incident: i64, e: &EventInput) -> Result<i64> {
    Ok(sqlx::query_scalar(
        "INSERT INTO timeline_events (incident_id, at, kind, text, source, author) VALUES (?, ?, ?, ?, ?, ?) RETURNING id",
    )
    .bind(incident)
    .bind(e.at)
    .bind(e.kind.as_str())
    .bind(&e.text)
    .bind(e.source.as_str())
    .bind(&e.author)
    .fetch_one(&mut *conn)
    .await?)
}

#[tracing::instrument(skip(store, e))]
pub async fn add(store: &Store, incident: i64, e: EventInput) -> Result<TimelineEvent> {
    let e = e.validated()?;
    let mut tx = store.pool.begin_with("BEGIN IMMEDIATE").await?;
    incidents::touch(&mut tx, incident).await?;
    let id = insert(&mut tx, incident, &e).await?;
    if let Some(moment) = e.kind.moment() {
        incidents::set_moment(&mut tx, store, incident, moment, e.at, e.source).await?;
    }
    let event = fetch(&mut tx, incident, id).await?;
    tx.commit().await?;
    Ok(event)
}

#[tracing::instrument(skip(store, p))]
pub async fn update(store: &Store, incident: i64, id: i64, p: EventPatch) -> Result<TimelineEvent> {
    let mut tx = store.pool.begin_with("BEGIN IMMEDIATE").await?;
    let current = fetch(&mut tx, incident, id).await?;
    let e = p.apply(&current).validated()?;
    sqlx::query("UPDATE timeline_events SET at = ?, kind = ?, text = ?, source = ?, author = ? WHERE id = ?")
        .bind(e.at)
        .bind(e.kind.as_str())
        .bind(&e.text)
        .bind(e.source.as_str())
        .bind(&e.author)
        .bind(id)
        .execute(&mut *tx)
        .await?;
    incidents::touch(&mut tx, incident).await?;
    if let Some(moment) = e.kind.moment() {
        incidents::set_moment(&mut tx, store, incident, moment, e.at, e.source).await?;
    }
    let event = fetch(&mut tx, incident, id).await?;
    tx.commit().await?;
    Ok(event)
}

/// Deletes the event. The incident's timestamps stay as they are: they are facts of the
/// incident, editable there, not views of the timeline.
#[tracing::instrument(skip(store))]
pub async fn delete(store: &Store, incident: i64, id: i64) -> Result<()> {
    let done = sqlx::query("DELETE FROM timeline_events WHERE incident_id = ? AND id = ?")
        .bind(incident)
        .bind(id)
        .execute(&store.pool)
        .await?;
    if done.rows_affected() == 0 {
        return Err(AppError::not_found("timeline event").into());
    }
    Ok(())
}
