//! Action items, per incident and across all of them.

use app::domain::*;
use app::error::AppError;
use app::queries::{ActionQuery, ActionState};
use sqlx::{QueryBuilder, Sqlite, SqliteConnection};

use super::clause::{Clause, push_page};
use super::columns::Columns;
use super::rows::{self, ActionRow};
use super::{Store, Tx};
use crate::error::Result;

/// The columns an action item is written to, with its values.
fn columns(a: &ActionInput) -> Columns<'_> {
    Columns::new()
        .set("title", a.title.as_str())
        .set("owner", a.owner.as_str())
        .set("due", a.due)
        .set("status", a.status.as_str())
        .set("horizon", a.horizon.as_str())
        .set("kind", a.kind.as_str())
        .set("five_why_step_id", a.five_why_step_id.map(StepId::get))
        .set("done_at", a.done_at)
}

/// The item, or `NotFound` unless it belongs to `incident`.
pub async fn fetch(
    conn: &mut SqliteConnection,
    incident: IncidentId,
    id: ActionId,
) -> Result<ActionItem> {
    let row: Option<ActionRow> = sqlx::query_as(
        "SELECT id, incident_id, title, owner, due, status, horizon, kind, five_why_step_id, created_by, done_at, version \
         FROM action_items WHERE incident_id = ? AND id = ?",
    )
    .bind(incident.get())
    .bind(id.get())
    .fetch_optional(&mut *conn)
    .await?;
    row.ok_or_else(|| AppError::not_found("action item"))?
        .try_into()
}

/// A linked step must belong to one of this incident's chains.
pub async fn check_step(
    conn: &mut SqliteConnection,
    incident: IncidentId,
    step: Option<StepId>,
) -> Result<()> {
    let Some(step) = step else { return Ok(()) };
    let found: Option<i64> = sqlx::query_scalar(
        "SELECT s.id FROM five_why_steps s JOIN five_whys c ON c.id = s.chain_id WHERE s.id = ? AND c.incident_id = ?",
    )
    .bind(step.get())
    .bind(incident.get())
    .fetch_optional(&mut *conn)
    .await?;
    match found {
        Some(_) => Ok(()),
        None => Err(Invalid::new("five_why_step_id", Problem::NotInIncident).into()),
    }
}

/// Inserts a validated action item whose step link has been checked, filed by `by`.
pub async fn insert(
    tx: &mut Tx,
    incident: IncidentId,
    a: &ActionInput,
    by: &Actor,
) -> Result<ActionId> {
    let id = columns(a)
        .set("incident_id", incident.get())
        .set("created_by", by.name.as_str())
        .insert(tx, "action_items")
        .await?;
    tx.changed(incident);
    Ok(id.into())
}

/// Overwrites a validated item (checked to belong to `incident` by the caller's fetch).
pub async fn write(tx: &mut Tx, incident: IncidentId, id: ActionId, a: &ActionInput) -> Result<()> {
    columns(a).update(tx, "action_items", id.get()).await?;
    tx.changed(incident);
    Ok(())
}

pub async fn delete(tx: &mut Tx, incident: IncidentId, id: ActionId) -> Result<()> {
    let done = sqlx::query("DELETE FROM action_items WHERE incident_id = ? AND id = ?")
        .bind(incident.get())
        .bind(id.get())
        .execute(&mut **tx)
        .await?;
    if done.rows_affected() == 0 {
        return Err(AppError::not_found("action item").into());
    }
    tx.changed(incident);
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
    let today = app::time::today(store.settings.tz);
    // One connection for both statements, as in `incidents::list`.
    let mut conn = store.pool.acquire().await?;
    let mut count = QueryBuilder::<Sqlite>::new("SELECT count(*) FROM action_items a");
    push_filters(&mut count, q, today);
    let total: i64 = count.build_query_scalar().fetch_one(&mut *conn).await?;

    let mut select = QueryBuilder::<Sqlite>::new(
        "SELECT a.id, a.incident_id, a.title, a.owner, a.due, a.status, a.horizon, a.kind, a.five_why_step_id, a.created_by, a.done_at, a.version, \
         i.title AS incident_title, i.severity AS incident_severity \
         FROM action_items a JOIN incidents i ON i.id = a.incident_id",
    );
    push_filters(&mut select, q, today);
    // Overdue items all have a date, and the index gives them in date order only when the
    // query does not ask to put undated ones last again.
    select.push(match q.state {
        ActionState::Overdue => " ORDER BY a.due, a.id",
        ActionState::All | ActionState::Open => " ORDER BY a.due IS NULL, a.due, a.id",
    });
    push_page(&mut select, q.limit, q.offset);
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
