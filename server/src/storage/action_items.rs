//! Action items, per incident and across all of them.

use app::domain::*;
use app::error::AppError;
use app::queries::{ActionQuery, ActionState};
use sqlx::{QueryBuilder, Sqlite, SqliteConnection};

use super::Store;
use super::incidents::{self, Clause};
use super::rows::{self, ActionRow};
use crate::error::Result;

const SELECT: &str = "SELECT a.id, a.incident_id, a.title, a.owner, a.due, a.status, a.horizon, a.kind, a.five_why_step_id FROM action_items a";

async fn fetch(conn: &mut SqliteConnection, incident: i64, id: i64) -> Result<ActionItem> {
    let row: Option<ActionRow> =
        sqlx::query_as(&format!("{SELECT} WHERE a.incident_id = ? AND a.id = ?"))
            .bind(incident)
            .bind(id)
            .fetch_optional(&mut *conn)
            .await?;
    row.ok_or_else(|| AppError::not_found("action item"))?
        .try_into()
}

/// A linked step must belong to one of this incident's chains.
async fn check_step(conn: &mut SqliteConnection, incident: i64, step: Option<i64>) -> Result<()> {
    let Some(step) = step else { return Ok(()) };
    let found: Option<i64> = sqlx::query_scalar(
        "SELECT s.id FROM five_why_steps s JOIN five_whys c ON c.id = s.chain_id WHERE s.id = ? AND c.incident_id = ?",
    )
    .bind(step)
    .bind(incident)
    .fetch_optional(&mut *conn)
    .await?;
    match found {
        Some(_) => Ok(()),
        None => Err(Invalid::new("five_why_step_id", Problem::NotInIncident).into()),
    }
}

/// Inserts a validated action item whose step link has been checked; returns its id.
pub async fn insert(conn: &mut SqliteConnection, incident: i64, a: &ActionInput) -> Result<i64> {
    Ok(sqlx::query_scalar(
        "INSERT INTO action_items (incident_id, title, owner, due, status, horizon, kind, five_why_step_id) \
         VALUES (?, ?, ?, ?, ?, ?, ?, ?) RETURNING id",
    )
    .bind(incident)
    .bind(&a.title)
    .bind(&a.owner)
    .bind(a.due)
    .bind(a.status.as_str())
    .bind(a.horizon.as_str())
    .bind(a.kind.as_str())
    .bind(a.five_why_step_id)
    .fetch_one(&mut *conn)
    .await?)
}

#[tracing::instrument(skip(store, a))]
pub async fn add(store: &Store, incident: i64, a: ActionInput) -> Result<ActionItem> {
    let a = a.validated()?;
    let mut tx = store.pool.begin_with("BEGIN IMMEDIATE").await?;
    incidents::touch(&mut tx, incident).await?;
    check_step(&mut tx, incident, a.five_why_step_id).await?;
    let id = insert(&mut tx, incident, &a).await?;
    let item = fetch(&mut tx, incident, id).await?;
    tx.commit().await?;
    Ok(item)
}

#[tracing::instrument(skip(store, p))]
pub async fn update(store: &Store, incident: i64, id: i64, p: ActionPatch) -> Result<ActionItem> {
    let mut tx = store.pool.begin_with("BEGIN IMMEDIATE").await?;
    let current = fetch(&mut tx, incident, id).await?;
    let a = p.apply(&current).validated()?;
    check_step(&mut tx, incident, a.five_why_step_id).await?;
    sqlx::query(
        "UPDATE action_items SET title = ?, owner = ?, due = ?, status = ?, horizon = ?, kind = ?, five_why_step_id = ? WHERE id = ?",
    )
    .bind(&a.title)
    .bind(&a.owner)
    .bind(a.due)
    .bind(a.status.as_str())
    .bind(a.horizon.as_str())
    .bind(a.kind.as_str())
    .bind(a.five_why_step_id)
    .bind(id)
    .execute(&mut *tx)
    .await?;
    incidents::touch(&mut tx, incident).await?;
    let item = fetch(&mut tx, incident, id).await?;
    tx.commit().await?;
    Ok(item)
}

#[tracing::instrument(skip(store))]
pub async fn delete(store: &Store, incident: i64, id: i64) -> Result<()> {
    let done = sqlx::query("DELETE FROM action_items WHERE incident_id = ? AND id = ?")
        .bind(incident)
        .bind(id)
        .execute(&store.pool)
        .await?;
    if done.rows_affected() == 0 {
        return Err(AppError::not_found("action item").into());
    }
    Ok(())
}

/// Open and in-progress items, as the index `action_items_open_by_due` is defined.
const OPEN: &str = "(a.status IN ('open', 'in_progress')) = 1";

fn push_filters(b: &mut QueryBuilder<'_, Sqlite>, q: &ActionQuery, today: chrono::NaiveDate) {
    let mut clause = Clause::default();
    match q.state {
        ActionState::All => {}
        // Written as the indexes are (see the migration `list_orders`), so SQLite reads the
        // page off an index in order.
        ActionState::Open => {
            clause.next(b).push(OPEN);
        }
        ActionState::Overdue => {
            clause
                .next(b)
                .push(OPEN)
                .push(" AND (a.due IS NULL) = 0 AND a.due < ")
                .push_bind(today);
        }
    }
    if let Some(owner) = &q.owner {
        clause
            .next(b)
            .push("a.owner = ")
            .push_bind(owner.clone())
            .push(" COLLATE NOCASE");
    }
}

#[derive(sqlx::FromRow)]
struct OverviewRow {
    #[sqlx(flatten)]
    item: ActionRow,
    incident_title: String,
    incident_severity: String,
}

/// Action items across incidents, soonest due first (undated last), with their incident.
#[tracing::instrument(skip(store))]
pub async fn list(store: &Store, q: &ActionQuery) -> Result<Page<ActionItemRow>> {
    let today = app::time::today(store.tz);
    // One connection for both statements, as in `incidents::list`.
    let mut conn = store.pool.acquire().await?;
    let mut count = QueryBuilder::<Sqlite>::new("SELECT count(*) FROM action_items a");
    push_filters(&mut count, q, today);
    let total: i64 = count.build_query_scalar().fetch_one(&mut *conn).await?;

    let mut select = QueryBuilder::<Sqlite>::new(
        "SELECT a.id, a.incident_id, a.title, a.owner, a.due, a.status, a.horizon, a.kind, a.five_why_step_id, \
         i.title AS incident_title, i.severity AS incident_severity \
         FROM action_items a JOIN incidents i ON i.id = a.incident_id",
    );
    push_filters(&mut select, q, today);
    // Overdue items all have a date, and the index gives them in date order only when the
    // query does not ask to put undated ones last again.
    select.push(match q.state {
        ActionState::Overdue => " ORDER BY a.due, a.id LIMIT ",
        ActionState::All | ActionState::Open => " ORDER BY a.due IS NULL, a.due, a.id LIMIT ",
    });
    select.push_bind(q.limit);
    select.push(" OFFSET ").push_bind(q.offset);
    let rows: Vec<OverviewRow> = select.build_query_as().fetch_all(&mut *conn).await?;
    drop(conn);
    let items = rows
        .into_iter()
        .map(|r| {
            Ok(ActionItemRow {
                incident_severity: rows::parse(&r.incident_severity, Severity::parse, "severity")?,
                incident_title: r.incident_title,
                item: r.item.try_into()?,
            })
        })
        .collect::<Result<_>>()?;
    Ok(Page { items, total })
}
