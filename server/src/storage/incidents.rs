//! Incident rows: list, read, write.

use std::sync::LazyLock;

use app::domain::*;
use app::error::AppError;
use app::queries::{IncidentDetail, IncidentQuery};
use chrono::Utc;
use sqlx::{QueryBuilder, Sqlite, SqliteConnection};

use super::Store;
use super::rows::{self, INCIDENT_FIELD_COLUMNS, IncidentRow, SummaryRow};
use crate::error::Result;

/// What lists show of an incident; its services as a JSON array in entry order.
const SUMMARY_COLUMNS: &str = "i.id, i.title, i.severity, i.status, \
     i.started_at, i.started_at_provenance, i.detected_at, i.detected_at_provenance, \
     i.acknowledged_at, i.acknowledged_at_provenance, i.recovered_at, i.recovered_at_provenance, \
     i.resolved_at, i.resolved_at_provenance, i.created_at, i.updated_at, \
     (SELECT json_group_array(service) FROM \
        (SELECT service FROM incident_services s WHERE s.incident_id = i.id ORDER BY position)) AS services";

/// The long and detail-only columns.
const DETAIL_COLUMNS: &str = "i.customer_impact, i.business_impact, i.failed_requests, i.customers_affected, i.summary AS summary_text, i.narrative, i.summary_html, i.narrative_html";

static SELECT_SUMMARY: LazyLock<String> =
    LazyLock::new(|| format!("SELECT {SUMMARY_COLUMNS} FROM incidents i"));

static SELECT: LazyLock<String> =
    LazyLock::new(|| format!("SELECT {SUMMARY_COLUMNS}, {DETAIL_COLUMNS} FROM incidents i"));

static INSERT: LazyLock<String> = LazyLock::new(|| {
    format!(
        "INSERT INTO incidents ({}, created_at, updated_at) VALUES ({}, ?, ?) RETURNING id",
        INCIDENT_FIELD_COLUMNS.join(", "),
        vec!["?"; INCIDENT_FIELD_COLUMNS.len()].join(", ")
    )
});

static UPDATE: LazyLock<String> = LazyLock::new(|| {
    let sets: Vec<String> = INCIDENT_FIELD_COLUMNS
        .iter()
        .map(|c| format!("{c} = ?"))
        .collect();
    format!(
        "UPDATE incidents SET {}, updated_at = ? WHERE id = ?",
        sets.join(", ")
    )
});

type Query<'q> = sqlx::query::Query<'q, Sqlite, sqlx::sqlite::SqliteArguments<'q>>;

/// Binds `f` in the order of [`INCIDENT_FIELD_COLUMNS`].
fn bind_fields<'q>(q: Query<'q>, f: &'q IncidentFields) -> Query<'q> {
    let mut q = q
        .bind(&f.title)
        .bind(f.severity.as_str())
        .bind(f.status.as_str())
        .bind(&f.customer_impact)
        .bind(&f.business_impact)
        .bind(f.failed_requests)
        .bind(f.customers_affected)
        .bind(&f.summary)
        .bind(&f.narrative)
        .bind(crate::markdown::render(&f.summary))
        .bind(crate::markdown::render(&f.narrative));
    for m in Moment::ALL {
        let (at, by) = f.times.get(m);
        q = q.bind(at).bind(by.map(Provenance::as_str));
    }
    q
}

/// Appends the WHERE clause. With no filter there is no WHERE at all, which lets SQLite answer
/// `count(*)` from the b-tree's own count instead of scanning an index (0.01 ms vs 0.2 ms at
/// 10,000 incidents).
fn push_filters(b: &mut QueryBuilder<'_, Sqlite>, q: &IncidentQuery) {
    let mut clause = Clause::default();
    if let Some(s) = q.status {
        clause.next(b).push("i.status = ").push_bind(s.as_str());
    }
    if let Some(s) = q.severity {
        clause.next(b).push("i.severity = ").push_bind(s.as_str());
    }
    if let Some(s) = &q.service {
        clause
            .next(b)
            .push("EXISTS (SELECT 1 FROM incident_services s WHERE s.incident_id = i.id AND s.service = ")
            .push_bind(s.clone())
            .push(")");
    }
}

/// Writes ` WHERE ` before the first condition and ` AND ` before the others.
#[derive(Default)]
pub struct Clause(bool);

impl Clause {
    pub fn next<'a, 'q>(
        &mut self,
        b: &'a mut QueryBuilder<'q, Sqlite>,
    ) -> &'a mut QueryBuilder<'q, Sqlite> {
        b.push(if std::mem::replace(&mut self.0, true) {
            " AND "
        } else {
            " WHERE "
        })
    }
}

#[tracing::instrument(skip(store))]
pub async fn list(store: &Store, q: &IncidentQuery) -> Result<Page<IncidentSummary>> {
    // Both statements on one connection: sqlx pings a connection each time it goes back to
    // the pool, a round trip to its thread.
    let mut conn = store.pool.acquire().await?;
    let mut count = QueryBuilder::<Sqlite>::new("SELECT count(*) FROM incidents i");
    push_filters(&mut count, q);
    let total: i64 = count.build_query_scalar().fetch_one(&mut *conn).await?;

    let mut select = QueryBuilder::<Sqlite>::new(SELECT_SUMMARY.as_str());
    push_filters(&mut select, q);
    select
        .push(" ORDER BY i.sort_at DESC, i.id DESC LIMIT ")
        .push_bind(q.limit);
    select.push(" OFFSET ").push_bind(q.offset);
    let rows: Vec<SummaryRow> = select.build_query_as().fetch_all(&mut *conn).await?;
    drop(conn);
    let items = rows
        .into_iter()
        .map(|r| r.into_summary(&store.targets))
        .collect::<Result<_>>()?;
    Ok(Page { items, total })
}

/// The incident's row, or `NotFound`.
async fn fetch_row(conn: &mut SqliteConnection, id: i64) -> Result<IncidentRow> {
    let row: Option<IncidentRow> = sqlx::query_as(&format!("{} WHERE i.id = ?", *SELECT))
        .bind(id)
        .fetch_optional(&mut *conn)
        .await?;
    Ok(row.ok_or_else(|| AppError::not_found("incident"))?)
}

/// The incident, or `NotFound`.
pub async fn fetch(conn: &mut SqliteConnection, store: &Store, id: i64) -> Result<Incident> {
    fetch_row(conn, id).await?.into_incident(&store.targets)
}

/// Everything filed under an incident, as JSON arrays built by SQLite in the statement that
/// reads the incident: each statement is a round trip to sqlx's SQLite worker thread, and the
/// detail page is read far more often than anything else.
const CHILDREN_COLUMNS: &str = "\
    (SELECT json_group_array(json_object('id', id, 'incident_id', incident_id, 'at', at, 'kind', kind, \
        'text', text, 'source', source, 'author', author)) \
     FROM (SELECT * FROM timeline_events WHERE incident_id = i.id ORDER BY at, id)) AS timeline, \
    (SELECT json_group_array(json_object('id', id, 'incident_id', incident_id, 'problem', problem, \
        'root_cause', root_cause, 'category', category)) \
     FROM (SELECT * FROM five_whys WHERE incident_id = i.id ORDER BY id)) AS chains, \
    (SELECT json_group_array(json_object('id', id, 'chain_id', chain_id, 'why', why, 'because', because)) \
     FROM (SELECT s.* FROM five_why_steps s JOIN five_whys c ON c.id = s.chain_id \
           WHERE c.incident_id = i.id ORDER BY s.chain_id, s.position, s.id)) AS steps, \
    (SELECT json_group_array(json_object('id', id, 'incident_id', incident_id, 'title', title, 'owner', owner, \
        'due', due, 'status', status, 'horizon', horizon, 'kind', kind, 'five_why_step_id', five_why_step_id)) \
     FROM (SELECT * FROM action_items WHERE incident_id = i.id ORDER BY id)) AS actions, \
    (SELECT json_group_array(json_object('from_status', from_status, 'to_status', to_status, \
        'reason', reason, 'at', at)) \
     FROM (SELECT * FROM status_changes WHERE incident_id = i.id ORDER BY at, id)) AS changes";

static SELECT_DETAIL: LazyLock<String> = LazyLock::new(|| {
    format!(
        "SELECT {SUMMARY_COLUMNS}, {DETAIL_COLUMNS}, {CHILDREN_COLUMNS} FROM incidents i WHERE i.id = ?"
    )
});

#[derive(sqlx::FromRow)]
struct DetailRow {
    #[sqlx(flatten)]
    incident: IncidentRow,
    #[sqlx(flatten)]
    children: ChildrenRow,
}

#[derive(sqlx::FromRow)]
struct ChildrenRow {
    timeline: String,
    chains: String,
    steps: String,
    actions: String,
    changes: String,
}

fn from_json<T: serde::de::DeserializeOwned>(what: &str, json: &str) -> Result<T> {
    serde_json::from_str(json).map_err(|e| crate::error::Error::Corrupt(format!("{what}: {e}")))
}

#[tracing::instrument(skip(store))]
pub async fn detail(store: &Store, id: i64) -> Result<IncidentDetail> {
    let found: Option<DetailRow> = sqlx::query_as(&SELECT_DETAIL)
        .bind(id)
        .fetch_optional(&store.pool)
        .await?;
    let DetailRow {
        incident: mut row,
        children,
    } = found.ok_or_else(|| AppError::not_found("incident"))?;
    let timeline: Vec<rows::EventRow> = from_json("timeline", &children.timeline)?;
    let chains: Vec<rows::ChainRow> = from_json("chains", &children.chains)?;
    let steps: Vec<rows::StepRow> = from_json("steps", &children.steps)?;
    let actions: Vec<rows::ActionRow> = from_json("actions", &children.actions)?;
    let changes: Vec<rows::StatusChangeRow> = from_json("status changes", &children.changes)?;
    Ok(IncidentDetail {
        summary_html: std::mem::take(&mut row.summary_html),
        narrative_html: std::mem::take(&mut row.narrative_html),
        incident: row.into_incident(&store.targets)?,
        timeline: timeline
            .into_iter()
            .map(TryInto::try_into)
            .collect::<Result<_>>()?,
        five_whys: rows::chains(chains, steps)?,
        action_items: actions
            .into_iter()
            .map(TryInto::try_into)
            .collect::<Result<_>>()?,
        status_changes: changes
            .into_iter()
            .map(TryInto::try_into)
            .collect::<Result<_>>()?,
    })
}

async fn write_services(conn: &mut SqliteConnection, id: i64, services: &[String]) -> Result<()> {
    sqlx::query("DELETE FROM incident_services WHERE incident_id = ?")
        .bind(id)
        .execute(&mut *conn)
        .await?;
    for (position, service) in services.iter().enumerate() {
        sqlx::query(
            "INSERT INTO incident_services (incident_id, service, position) VALUES (?, ?, ?)",
        )
        .bind(id)
        .bind(service)
        .bind(position as i64)
        .execute(&mut *conn)
        .await?;
    }
    Ok(())
}

/// Inserts a validated incident; returns its id.
pub async fn insert(conn: &mut SqliteConnection, f: &IncidentFields) -> Result<i64> {
    let now = Utc::now();
    let id: i64 = bind_fields(sqlx::query(&INSERT), f)
        .bind(now)
        .bind(now)
        .fetch_one(&mut *conn)
        .await
        .map(|row| sqlx::Row::get(&row, 0))?;
    write_services(conn, id, &f.services).await?;
    Ok(id)
}

/// Overwrites an incident's fields with validated ones.
pub async fn write(conn: &mut SqliteConnection, id: i64, f: &IncidentFields) -> Result<()> {
    bind_fields(sqlx::query(&UPDATE), f)
        .bind(Utc::now())
        .bind(id)
        .execute(&mut *conn)
        .await?;
    write_services(conn, id, &f.services).await
}

/// Marks the incident as changed (a child was written).
pub async fn touch(conn: &mut SqliteConnection, id: i64) -> Result<()> {
    let done = sqlx::query("UPDATE incidents SET updated_at = ? WHERE id = ?")
        .bind(Utc::now())
        .bind(id)
        .execute(&mut *conn)
        .await?;
    if done.rows_affected() == 0 {
        return Err(AppError::not_found("incident").into());
    }
    Ok(())
}

#[tracing::instrument(skip(store, f), fields(title = %f.title))]
pub async fn create(store: &Store, f: IncidentFields) -> Result<i64> {
    let f = f.validated()?;
    let mut tx = store.pool.begin_with("BEGIN IMMEDIATE").await?;
    let id = insert(&mut tx, &f).await?;
    tx.commit().await?;
    Ok(id)
}

#[tracing::instrument(skip(store, patch))]
pub async fn update(store: &Store, id: i64, mut patch: IncidentPatch) -> Result<()> {
    let mut tx = store.pool.begin_with("BEGIN IMMEDIATE").await?;
    let current = fetch(&mut tx, store, id).await?.fields;
    let reason = patch.status_reason.take().unwrap_or_default();
    let next = patch.apply(current.clone()).validated()?;
    if next.status != current.status {
        current.status.check_move(next.status, &reason)?;
        sqlx::query("INSERT INTO status_changes (incident_id, from_status, to_status, reason, at) VALUES (?, ?, ?, ?, ?)")
            .bind(id)
            .bind(current.status.as_str())
            .bind(next.status.as_str())
            .bind(reason.trim())
            .bind(Utc::now())
            .execute(&mut *tx)
            .await?;
    }
    write(&mut tx, id, &next).await?;
    tx.commit().await?;
    Ok(())
}

#[tracing::instrument(skip(store))]
pub async fn delete(store: &Store, id: i64) -> Result<()> {
    let done = sqlx::query("DELETE FROM incidents WHERE id = ?")
        .bind(id)
        .execute(&store.pool)
        .await?;
    if done.rows_affected() == 0 {
        return Err(AppError::not_found("incident").into());
    }
    Ok(())
}

/// Sets one of the incident's timestamps from a timeline event, keeping the incident valid.
/// A problem with the resulting order is reported on the event's `at`.
pub async fn set_moment(
    conn: &mut SqliteConnection,
    store: &Store,
    id: i64,
    moment: Moment,
    at: chrono::DateTime<Utc>,
    source: Provenance,
) -> Result<()> {
    let mut f = fetch(conn, store, id).await?.fields;
    f.times.set(moment, Some(at), Some(source));
    let f = f.validated().map_err(|e| {
        if e.field == moment.field() {
            Invalid::new("at", e.problem)
        } else {
            e
        }
    })?;
    write(conn, id, &f).await
}
