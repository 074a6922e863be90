//! What the periodic check finds due: briefings, breaches, overdue action items, reviews.

use app::domain::*;
use chrono::{DateTime, NaiveDate, Utc};

use super::Store;
use crate::error::Result;

/// Not yet recovered.
const OPEN: &str = "status IN ('detected', 'triaged', 'mitigating')";

/// Open P0/P1 incidents and since when they have been known (detected, else started, else
/// filed), for the 15-minute briefings.
pub async fn open_urgent(store: &Store) -> Result<Vec<(IncidentId, DateTime<Utc>)>> {
    let rows: Vec<(i64, DateTime<Utc>)> = sqlx::query_as(&format!(
        "SELECT id, coalesce(detected_at, started_at, created_at) FROM incidents \
         WHERE severity IN ('P0', 'P1') AND {OPEN}"
    ))
    .fetch_all(&store.pool)
    .await?;
    Ok(rows.into_iter().map(|(i, t)| (i.into(), t)).collect())
}

/// Open incidents with a start, their severity and start, for TTR breaches.
pub async fn open_started(store: &Store) -> Result<Vec<(IncidentId, Severity, DateTime<Utc>)>> {
    let rows: Vec<(i64, String, DateTime<Utc>)> = sqlx::query_as(&format!(
        "SELECT id, severity, started_at FROM incidents WHERE started_at IS NOT NULL AND {OPEN}"
    ))
    .fetch_all(&store.pool)
    .await?;
    Ok(rows
        .into_iter()
        .filter_map(|(i, s, t)| Some((i.into(), Severity::parse(&s)?, t)))
        .collect())
}

/// Open action items past their due date: item, incident, title, owner, due.
pub async fn overdue_actions(
    store: &Store,
    today: NaiveDate,
) -> Result<Vec<(ActionId, IncidentId, String, String, NaiveDate)>> {
    let rows: Vec<(i64, i64, String, String, NaiveDate)> = sqlx::query_as(
        "SELECT a.id, a.incident_id, a.title, a.owner, a.due FROM action_items a \
         WHERE (a.status IN ('open', 'in_progress')) = 1 AND (a.due IS NULL) = 0 AND a.due < ?",
    )
    .bind(today)
    .fetch_all(&store.pool)
    .await?;
    Ok(rows
        .into_iter()
        .map(|(a, i, t, o, d)| (a.into(), i.into(), t, o, d))
        .collect())
}

/// Incidents recovered before `before` and not yet in review: the retrospective is overdue.
pub async fn reviews_due(store: &Store, before: DateTime<Utc>) -> Result<Vec<IncidentId>> {
    let rows: Vec<i64> = sqlx::query_scalar(
        "SELECT id FROM incidents WHERE status = 'recovered' AND recovered_at < ?",
    )
    .bind(before)
    .fetch_all(&store.pool)
    .await?;
    Ok(rows.into_iter().map(IncidentId::from).collect())
}
