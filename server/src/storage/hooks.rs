//! Outgoing webhooks, the outbox of notifications waiting for them, and the delivery log.

use app::domain::*;
use app::error::AppError;
use chrono::{DateTime, Utc};
use sqlx::SqliteConnection;

use super::rows::parse;
use super::{Store, Tx};
use crate::error::{Error, Result};

#[derive(sqlx::FromRow)]
struct HookRow {
    id: i64,
    name: String,
    url: String,
    format: String,
    events: String,
    routing_key: String,
    enabled: bool,
    created_at: DateTime<Utc>,
}

impl TryFrom<HookRow> for Hook {
    type Error = Error;
    fn try_from(r: HookRow) -> Result<Hook> {
        Ok(Hook {
            id: r.id.into(),
            name: r.name,
            url: r.url,
            format: parse(&r.format, HookFormat::parse, "format")?,
            events: r
                .events
                .split(' ')
                .map(|e| parse(e, HookEvent::parse, "events"))
                .collect::<Result<_>>()?,
            routing_key: r.routing_key,
            enabled: r.enabled,
            created_at: r.created_at,
        })
    }
}

const SELECT: &str =
    "SELECT id, name, url, format, events, routing_key, enabled, created_at FROM webhooks";

pub async fn insert(tx: &mut Tx, h: &HookInput) -> Result<HookId> {
    let events: Vec<&str> = h.events.iter().map(|e| e.as_str()).collect();
    let id: i64 = sqlx::query_scalar(
        "INSERT INTO webhooks (name, url, format, events, routing_key, created_at) \
         VALUES (?, ?, ?, ?, ?, ?) RETURNING id",
    )
    .bind(&h.name)
    .bind(&h.url)
    .bind(h.format.as_str())
    .bind(events.join(" "))
    .bind(&h.routing_key)
    .bind(Utc::now())
    .fetch_one(&mut **tx)
    .await
    .map_err(|e| match &e {
        sqlx::Error::Database(d) if d.is_unique_violation() => {
            Error::from(Invalid::new("name", Problem::Taken))
        }
        _ => e.into(),
    })?;
    Ok(id.into())
}

pub async fn get(conn: &mut SqliteConnection, id: HookId) -> Result<Hook> {
    let row: Option<HookRow> = sqlx::query_as(&format!("{SELECT} WHERE id = ?"))
        .bind(id.get())
        .fetch_optional(&mut *conn)
        .await?;
    row.ok_or_else(|| AppError::not_found("webhook"))?
        .try_into()
}

pub async fn list(store: &Store) -> Result<Vec<Hook>> {
    let rows: Vec<HookRow> = sqlx::query_as(&format!("{SELECT} ORDER BY name COLLATE NOCASE"))
        .fetch_all(&store.pool)
        .await?;
    rows.into_iter().map(TryInto::try_into).collect()
}

/// The enabled hooks that want `event`.
pub async fn wanting(conn: &mut SqliteConnection, event: HookEvent) -> Result<Vec<Hook>> {
    let rows: Vec<HookRow> = sqlx::query_as(&format!(
        "{SELECT} WHERE enabled = 1 AND (' ' || events || ' ') LIKE ('% ' || ? || ' %')"
    ))
    .bind(event.as_str())
    .fetch_all(&mut *conn)
    .await?;
    rows.into_iter().map(TryInto::try_into).collect()
}

pub async fn set_enabled(tx: &mut Tx, id: HookId, enabled: bool) -> Result<()> {
    sqlx::query("UPDATE webhooks SET enabled = ? WHERE id = ?")
        .bind(enabled)
        .bind(id.get())
        .execute(&mut **tx)
        .await?;
    Ok(())
}

pub async fn delete(tx: &mut Tx, id: HookId) -> Result<()> {
    sqlx::query("DELETE FROM webhooks WHERE id = ?")
        .bind(id.get())
        .execute(&mut **tx)
        .await?;
    Ok(())
}

/// Queues a notification; one with the same `dedupe_key` for the hook is kept, not doubled.
pub async fn enqueue(
    conn: &mut SqliteConnection,
    hook: HookId,
    event: HookEvent,
    incident: Option<IncidentId>,
    body: &serde_json::Value,
    dedupe_key: &str,
) -> Result<bool> {
    let now = Utc::now();
    let done = sqlx::query(
        "INSERT INTO outbox (webhook_id, event, incident_id, body, dedupe_key, created_at, next_attempt_at) \
         VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT (webhook_id, dedupe_key) DO NOTHING",
    )
    .bind(hook.get())
    .bind(event.as_str())
    .bind(incident.map(IncidentId::get))
    .bind(body.to_string())
    .bind(dedupe_key)
    .bind(now)
    .bind(now)
    .execute(&mut *conn)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// A notification due for an attempt.
#[derive(Clone, Debug, sqlx::FromRow)]
pub struct Due {
    pub id: i64,
    pub webhook_id: i64,
    pub url: String,
    pub body: String,
    pub attempts: i64,
}

/// Notifications due now, oldest first.
pub async fn due(store: &Store, now: DateTime<Utc>, limit: i64) -> Result<Vec<Due>> {
    Ok(sqlx::query_as(
        "SELECT o.id, o.webhook_id, w.url, o.body, o.attempts FROM outbox o \
         JOIN webhooks w ON w.id = o.webhook_id \
         WHERE o.delivered_at IS NULL AND o.failed_at IS NULL AND o.next_attempt_at <= ? \
         AND w.enabled = 1 ORDER BY o.next_attempt_at, o.id LIMIT ?",
    )
    .bind(now)
    .bind(limit)
    .fetch_all(&store.pool)
    .await?)
}

/// The earliest time a notification is due, if any waits.
pub async fn next_due(store: &Store) -> Result<Option<DateTime<Utc>>> {
    Ok(sqlx::query_scalar(
        "SELECT min(o.next_attempt_at) FROM outbox o JOIN webhooks w ON w.id = o.webhook_id \
         WHERE o.delivered_at IS NULL AND o.failed_at IS NULL AND w.enabled = 1",
    )
    .fetch_one(&store.pool)
    .await?)
}

/// Notifications waiting to be delivered to enabled hooks, and when the oldest was queued.
pub async fn backlog(store: &Store) -> Result<(i64, Option<DateTime<Utc>>)> {
    Ok(sqlx::query_as(
        "SELECT count(*), min(o.created_at) FROM outbox o JOIN webhooks w ON w.id = o.webhook_id \
         WHERE o.delivered_at IS NULL AND o.failed_at IS NULL AND w.enabled = 1",
    )
    .fetch_one(&store.pool)
    .await?)
}

/// What an attempt came to.
pub enum Outcome {
    Delivered,
    Retry(DateTime<Utc>),
    GiveUp,
}

/// Records an attempt and its outcome, in one transaction.
pub async fn attempted(
    store: &Store,
    due: &Due,
    status_code: Option<u16>,
    error: Option<&str>,
    duration_ms: u64,
    outcome: Outcome,
) -> Result<()> {
    let now = Utc::now();
    let mut tx = store.begin().await?;
    sqlx::query(
        "INSERT INTO deliveries (outbox_id, webhook_id, at, status_code, error, duration_ms) VALUES (?, ?, ?, ?, ?, ?)",
    )
    .bind(due.id)
    .bind(due.webhook_id)
    .bind(now)
    .bind(status_code.map(i64::from))
    .bind(error)
    .bind(duration_ms as i64)
    .execute(&mut *tx)
    .await?;
    let (delivered, next, failed) = match outcome {
        Outcome::Delivered => (Some(now), None, None),
        Outcome::Retry(at) => (None, Some(at), None),
        Outcome::GiveUp => (None, None, Some(now)),
    };
    sqlx::query(
        "UPDATE outbox SET attempts = attempts + 1, delivered_at = ?, \
         next_attempt_at = coalesce(?, next_attempt_at), failed_at = ?, last_error = ? WHERE id = ?",
    )
    .bind(delivered)
    .bind(next)
    .bind(failed)
    .bind(error)
    .bind(due.id)
    .execute(&mut *tx)
    .await?;
    tx.commit().await?;
    Ok(())
}

/// A hook's latest deliveries, newest first, and its waiting and failed counts.
pub async fn status(store: &Store, hook: Hook, limit: i64) -> Result<HookStatus> {
    #[derive(sqlx::FromRow)]
    struct Row {
        at: DateTime<Utc>,
        event: String,
        incident_id: Option<i64>,
        status_code: Option<i64>,
        error: Option<String>,
        duration_ms: i64,
        attempt: i64,
    }
    let rows: Vec<Row> = sqlx::query_as(
        "SELECT d.at, o.event, o.incident_id, d.status_code, d.error, d.duration_ms, \
         (SELECT count(*) FROM deliveries e WHERE e.outbox_id = d.outbox_id AND e.id <= d.id) AS attempt \
         FROM deliveries d JOIN outbox o ON o.id = d.outbox_id WHERE d.webhook_id = ? \
         ORDER BY d.id DESC LIMIT ?",
    )
    .bind(hook.id.get())
    .bind(limit)
    .fetch_all(&store.pool)
    .await?;
    let (pending, failed): (i64, i64) = sqlx::query_as(
        "SELECT coalesce(sum(delivered_at IS NULL AND failed_at IS NULL), 0), \
         coalesce(sum(failed_at IS NOT NULL), 0) FROM outbox WHERE webhook_id = ?",
    )
    .bind(hook.id.get())
    .fetch_one(&store.pool)
    .await?;
    let deliveries = rows
        .into_iter()
        .map(|r| {
            Ok(Delivery {
                at: r.at,
                event: parse(&r.event, HookEvent::parse, "event")?,
                incident_id: r.incident_id.map(IncidentId::from),
                status_code: r.status_code.map(|c| c as u16),
                error: r.error,
                duration_ms: r.duration_ms.max(0) as u64,
                attempt: r.attempt as u32,
            })
        })
        .collect::<Result<_>>()?;
    Ok(HookStatus {
        hook,
        deliveries,
        pending: pending as u64,
        failed: failed as u64,
    })
}
