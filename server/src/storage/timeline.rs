//! Timeline events.

use app::domain::*;
use app::error::AppError;
use sqlx::SqliteConnection;

use super::Tx;
use super::columns::Columns;
use super::rows::EventRow;
use crate::error::Result;

/// The columns an event is written to, with its values.
fn columns(e: &EventInput) -> Columns<'_> {
    Columns::new()
        .set("at", e.at)
        .set("kind", e.kind.as_str())
        .set("text", e.text.as_str())
        .set("source", e.source.as_str())
        .set("author", e.author.as_str())
}

/// The event, or `NotFound` unless it belongs to `incident`.
pub async fn fetch(
    conn: &mut SqliteConnection,
    incident: IncidentId,
    id: EventId,
) -> Result<TimelineEvent> {
    let row: Option<EventRow> = sqlx::query_as(
        "SELECT id, incident_id, at, kind, text, source, author, recorded_by, version FROM timeline_events \
         WHERE incident_id = ? AND id = ?",
    )
    .bind(incident.get())
    .bind(id.get())
    .fetch_optional(&mut *conn)
    .await?;
    row.ok_or_else(|| AppError::not_found("timeline event"))?
        .try_into()
}

/// Inserts a validated event of an existing incident, recorded by `by`.
pub async fn insert(
    tx: &mut Tx,
    incident: IncidentId,
    e: &EventInput,
    by: &Actor,
) -> Result<EventId> {
    let id = columns(e)
        .set("incident_id", incident.get())
        .set("recorded_by", by.name.as_str())
        .insert(tx, "timeline_events")
        .await?;
    tx.changed(incident);
    Ok(id.into())
}

/// Inserts an event made for an alert (fired, resolved); unlinking the alert removes it.
pub async fn insert_for_alert(
    tx: &mut Tx,
    incident: IncidentId,
    e: &EventInput,
    alert: AlertId,
    by: &Actor,
) -> Result<EventId> {
    let id = columns(e)
        .set("incident_id", incident.get())
        .set("recorded_by", by.name.as_str())
        .set("alert_id", alert.get())
        .insert(tx, "timeline_events")
        .await?;
    tx.changed(incident);
    Ok(id.into())
}

/// Overwrites a validated event (checked to belong to `incident` by the caller's fetch).
pub async fn write(tx: &mut Tx, incident: IncidentId, id: EventId, e: &EventInput) -> Result<()> {
    columns(e).update(tx, "timeline_events", id.get()).await?;
    tx.changed(incident);
    Ok(())
}

pub async fn delete(tx: &mut Tx, incident: IncidentId, id: EventId) -> Result<()> {
    let done = sqlx::query("DELETE FROM timeline_events WHERE incident_id = ? AND id = ?")
        .bind(incident.get())
        .bind(id.get())
        .execute(&mut **tx)
        .await?;
    if done.rows_affected() == 0 {
        return Err(AppError::not_found("timeline event").into());
    }
    tx.changed(incident);
    Ok(())
}
