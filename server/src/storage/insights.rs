//! What the insights read: each incident's times, services, root-cause categories, action
//! items and first review, for every incident or those changed since a time; titles of the
//! incidents a figure names; alerts per rule.

use app::domain::*;
use chrono::{DateTime, NaiveDate, Utc};
use sqlx::{QueryBuilder, Sqlite, SqliteConnection};

use super::Store;
use super::rows::parse;
use crate::error::Result;

/// Which incidents to read.
#[derive(Clone, Copy, Debug)]
pub enum Which<'a> {
    All,
    /// These ids (at most a few hundred at a time; the caller chunks).
    Ids(&'a [i64]),
}

impl Which<'_> {
    /// ` WHERE {column} IN (…)` for ids; nothing for all.
    fn push(self, b: &mut QueryBuilder<'_, Sqlite>, column: &str) {
        if let Which::Ids(ids) = self {
            b.push(format!(" WHERE {column} IN ("));
            let mut list = b.separated(", ");
            for id in ids {
                list.push_bind(*id);
            }
            b.push(")");
        }
    }
}

/// A connection of the pool, for a reader that runs several statements.
pub async fn connection(store: &Store) -> Result<sqlx::pool::PoolConnection<Sqlite>> {
    Ok(store.pool.acquire().await?)
}

/// How many incidents there are and the latest `updated_at`: when either moves, the copy the
/// insights keep is out of date.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Stamp {
    pub count: i64,
    pub updated: Option<DateTime<Utc>>,
}

pub async fn stamp(store: &Store) -> Result<Stamp> {
    // Two subqueries, not `SELECT count(*), max(updated_at)`: SQLite reads a lone max() from
    // the end of the `updated_at` index, but with count(*) beside it it steps through every
    // row (12 ms a view at 100,000 incidents, most of what a kept view costs).
    let (count, updated): (i64, Option<DateTime<Utc>>) = sqlx::query_as(
        "SELECT (SELECT count(*) FROM incidents), (SELECT max(updated_at) FROM incidents)",
    )
    .fetch_one(&store.pool)
    .await?;
    Ok(Stamp { count, updated })
}

/// The ids of incidents updated at or after `since`.
pub async fn updated_since(conn: &mut SqliteConnection, since: DateTime<Utc>) -> Result<Vec<i64>> {
    Ok(
        sqlx::query_scalar("SELECT id FROM incidents WHERE updated_at >= ?")
            .bind(since)
            .fetch_all(&mut *conn)
            .await?,
    )
}

/// An incident's facts the figures need.
#[derive(Clone, Debug, PartialEq)]
pub struct IncidentFacts {
    pub id: i64,
    pub severity: Severity,
    pub status: Status,
    pub drill: bool,
    pub started_at: Option<DateTime<Utc>>,
    pub detected_at: Option<DateTime<Utc>>,
    pub acknowledged_at: Option<DateTime<Utc>>,
    pub recovered_at: Option<DateTime<Utc>>,
    /// When impact began, else when it was filed: what the views' dates select on.
    pub sort_at: DateTime<Utc>,
}

#[derive(sqlx::FromRow)]
struct FactsRow {
    id: i64,
    severity: String,
    status: String,
    drill: bool,
    started_at: Option<DateTime<Utc>>,
    detected_at: Option<DateTime<Utc>>,
    acknowledged_at: Option<DateTime<Utc>>,
    recovered_at: Option<DateTime<Utc>>,
    sort_at: DateTime<Utc>,
}

pub async fn incidents(
    conn: &mut SqliteConnection,
    which: Which<'_>,
) -> Result<Vec<IncidentFacts>> {
    let mut b = QueryBuilder::<Sqlite>::new(
        "SELECT id, severity, status, drill, started_at, detected_at, acknowledged_at, recovered_at, \
         sort_at FROM incidents",
    );
    which.push(&mut b, "id");
    let rows: Vec<FactsRow> = b.build_query_as().fetch_all(&mut *conn).await?;
    rows.into_iter()
        .map(|r| {
            Ok(IncidentFacts {
                id: r.id,
                severity: parse(&r.severity, Severity::parse, "severity")?,
                status: parse(&r.status, Status::parse, "status")?,
                drill: r.drill,
                started_at: r.started_at,
                detected_at: r.detected_at,
                acknowledged_at: r.acknowledged_at,
                recovered_at: r.recovered_at,
                sort_at: r.sort_at,
            })
        })
        .collect()
}

/// `(incident, service)` pairs.
pub async fn services(conn: &mut SqliteConnection, which: Which<'_>) -> Result<Vec<(i64, String)>> {
    let mut b = QueryBuilder::<Sqlite>::new("SELECT incident_id, service FROM incident_services");
    which.push(&mut b, "incident_id");
    Ok(b.build_query_as().fetch_all(&mut *conn).await?)
}

/// `(incident, category)` of each 5-Why chain.
pub async fn categories(
    conn: &mut SqliteConnection,
    which: Which<'_>,
) -> Result<Vec<(i64, RootCauseCategory)>> {
    let mut b = QueryBuilder::<Sqlite>::new("SELECT incident_id, category FROM five_whys");
    which.push(&mut b, "incident_id");
    let rows: Vec<(i64, String)> = b.build_query_as().fetch_all(&mut *conn).await?;
    rows.into_iter()
        .map(|(i, c)| Ok((i, parse(&c, RootCauseCategory::parse, "category")?)))
        .collect()
}

/// An action item's facts the follow-through needs.
pub struct ActionFacts {
    pub incident_id: i64,
    pub status: ActionStatus,
    pub horizon: Horizon,
    pub owner: String,
    pub due: Option<NaiveDate>,
    pub done_at: Option<DateTime<Utc>>,
}

pub async fn actions(conn: &mut SqliteConnection, which: Which<'_>) -> Result<Vec<ActionFacts>> {
    let mut b = QueryBuilder::<Sqlite>::new(
        "SELECT incident_id, status, horizon, owner, due, done_at FROM action_items",
    );
    which.push(&mut b, "incident_id");
    type Row = (
        i64,
        String,
        String,
        String,
        Option<NaiveDate>,
        Option<DateTime<Utc>>,
    );
    let rows: Vec<Row> = b.build_query_as().fetch_all(&mut *conn).await?;
    rows.into_iter()
        .map(|(incident_id, status, horizon, owner, due, done_at)| {
            Ok(ActionFacts {
                incident_id,
                status: parse(&status, ActionStatus::parse, "status")?,
                horizon: parse(&horizon, Horizon::parse, "horizon")?,
                owner,
                due,
                done_at,
            })
        })
        .collect()
}

/// `(incident, when it first reached in_review or closed)`.
pub async fn reviews(
    conn: &mut SqliteConnection,
    which: Which<'_>,
) -> Result<Vec<(i64, DateTime<Utc>)>> {
    let mut b = QueryBuilder::<Sqlite>::new(
        "SELECT incident_id, min(at) FROM status_changes WHERE to_status IN ('in_review', 'closed')",
    );
    if let Which::Ids(ids) = which {
        b.push(" AND incident_id IN (");
        let mut list = b.separated(", ");
        for id in ids {
            list.push_bind(*id);
        }
        b.push(")");
    }
    b.push(" GROUP BY incident_id");
    Ok(b.build_query_as().fetch_all(&mut *conn).await?)
}

/// The incidents named by a figure, in the order of `ids`.
pub async fn refs(store: &Store, ids: &[i64]) -> Result<Vec<IncidentRef>> {
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    let mut conn = store.pool.acquire().await?;
    let mut b =
        QueryBuilder::<Sqlite>::new("SELECT id, title, severity, started_at, drill FROM incidents");
    Which::Ids(ids).push(&mut b, "id");
    type Row = (i64, String, String, Option<DateTime<Utc>>, bool);
    let rows: Vec<Row> = b.build_query_as().fetch_all(&mut *conn).await?;
    let mut found = std::collections::HashMap::with_capacity(rows.len());
    for (id, title, severity, started_at, drill) in rows {
        let r = IncidentRef {
            id: id.into(),
            title,
            severity: parse(&severity, Severity::parse, "severity")?,
            started_at,
            drill,
        };
        found.insert(id, r);
    }
    Ok(ids.iter().filter_map(|id| found.remove(id)).collect())
}

/// Alerts received in `[from, to)` per alert name, most first.
pub async fn alert_noise(
    store: &Store,
    from: DateTime<Utc>,
    to: DateTime<Utc>,
) -> Result<Vec<AlertNoise>> {
    let rows: Vec<(String, i64, i64)> = sqlx::query_as(
        "SELECT alertname, count(*), count(incident_id) FROM alert_events \
         WHERE received_at >= ? AND received_at < ? \
         GROUP BY alertname ORDER BY count(*) DESC, alertname LIMIT 50",
    )
    .bind(from)
    .bind(to)
    .fetch_all(&store.pool)
    .await?;
    Ok(rows
        .into_iter()
        .map(|(alertname, alerts, linked)| AlertNoise {
            alertname,
            alerts: alerts as u32,
            linked: linked as u32,
            unlinked: (alerts - linked) as u32,
        })
        .collect())
}
