//! The incident list: filters, newest first.

use std::sync::LazyLock;

use app::domain::{IncidentSummary, Page};
use app::queries::IncidentQuery;
use sqlx::{QueryBuilder, Sqlite};

use super::{SERVICES, SummaryRow};
use crate::error::Result;
use crate::storage::Store;
use crate::storage::clause::{Clause, push_page};

/// The columns of [`SummaryRow`]: lists read no long texts.
static SELECT: LazyLock<String> = LazyLock::new(|| {
    format!(
        "SELECT i.id, i.title, i.severity, i.status, i.drill, \
         i.started_at, i.started_at_provenance, i.detected_at, i.detected_at_provenance, \
         i.acknowledged_at, i.acknowledged_at_provenance, i.recovered_at, i.recovered_at_provenance, \
         i.resolved_at, i.resolved_at_provenance, i.created_at, i.updated_at, {SERVICES} \
         FROM incidents i"
    )
});

fn push_filters(b: &mut QueryBuilder<'_, Sqlite>, q: &IncidentQuery) {
    let mut clause = Clause::default();
    if let Some(s) = q.status {
        clause.next(b).push("i.status = ").push_bind(s.as_str());
    }
    if let Some(s) = q.severity {
        clause.next(b).push("i.severity = ").push_bind(s.as_str());
    }
    if let Some(d) = q.drill {
        clause.next(b).push("i.drill = ").push_bind(d);
    }
    if let Some(s) = &q.service {
        clause
            .next(b)
            .push("EXISTS (SELECT 1 FROM incident_services s WHERE s.incident_id = i.id AND s.service = ")
            .push_bind(s.clone())
            .push(")");
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

    let mut select = QueryBuilder::<Sqlite>::new(SELECT.as_str());
    push_filters(&mut select, q);
    select.push(" ORDER BY i.sort_at DESC, i.id DESC");
    push_page(&mut select, q.limit, q.offset);
    let rows: Vec<SummaryRow> = select.build_query_as().fetch_all(&mut *conn).await?;
    drop(conn);
    let items = rows
        .into_iter()
        .map(|r| r.into_summary(&store.settings.targets))
        .collect::<Result<_>>()?;
    Ok(Page { items, total })
}
