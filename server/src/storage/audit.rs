//! The audit log: every write, in the transaction that made it.

use app::domain::*;
use app::service::AuditQuery;
use chrono::{DateTime, Utc};
use serde_json::Value;
use sqlx::{QueryBuilder, Sqlite, SqliteConnection};

use super::Store;
use super::clause::{Clause, push_page};
use super::rows::parse;
use crate::error::{Error, Result};

/// What a write touched: the kind of record, its id, and its incident.
#[derive(Clone, Copy, Debug)]
pub struct Record {
    pub kind: &'static str,
    pub id: i64,
    pub incident: Option<IncidentId>,
}

impl Record {
    pub fn incident(id: IncidentId) -> Self {
        Self {
            kind: "incident",
            id: id.get(),
            incident: Some(id),
        }
    }

    /// Something filed under an incident (`timeline_event`, `five_why_chain`, `action_item`).
    pub fn child(kind: &'static str, id: i64, incident: IncidentId) -> Self {
        Self {
            kind,
            id,
            incident: Some(incident),
        }
    }

    pub fn other(kind: &'static str, id: i64) -> Self {
        Self {
            kind,
            id,
            incident: None,
        }
    }
}

/// For an update, only what changed: the top-level fields whose values differ, before and
/// after. A create keeps the whole record as `after`, a delete as `before`.
fn changed(before: Option<Value>, after: Option<Value>) -> (Option<Value>, Option<Value>) {
    match (before, after) {
        (Some(Value::Object(b)), Some(Value::Object(a))) => {
            let differ: Vec<&String> = b
                .keys()
                .chain(a.keys().filter(|k| !b.contains_key(*k)))
                .filter(|k| b.get(*k) != a.get(*k))
                .collect();
            let pick = |m: &serde_json::Map<String, Value>| -> serde_json::Map<String, Value> {
                differ
                    .iter()
                    .filter_map(|k| m.get(*k).map(|v| ((*k).clone(), v.clone())))
                    .collect()
            };
            (Some(Value::Object(pick(&b))), Some(Value::Object(pick(&a))))
        }
        other => other,
    }
}

/// Writes one entry, in the write's transaction.
pub async fn record(
    conn: &mut SqliteConnection,
    by: &Actor,
    verb: Verb,
    what: Record,
    before: Option<Value>,
    after: Option<Value>,
) -> Result<()> {
    let (before, after) = changed(before, after);
    sqlx::query(
        "INSERT INTO audit_log (at, actor, person_id, token_id, verb, kind, record_id, incident_id, before, after) \
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
    )
    .bind(Utc::now())
    .bind(&by.name)
    .bind(by.person.map(PersonId::get))
    .bind(by.token.as_ref().map(|t| t.id.get()))
    .bind(verb.as_str())
    .bind(what.kind)
    .bind(what.id)
    .bind(what.incident.map(IncidentId::get))
    .bind(before.map(|v| v.to_string()))
    .bind(after.map(|v| v.to_string()))
    .execute(&mut *conn)
    .await?;
    Ok(())
}

#[derive(sqlx::FromRow)]
struct EntryRow {
    id: i64,
    at: DateTime<Utc>,
    actor: String,
    verb: String,
    kind: String,
    record_id: Option<i64>,
    incident_id: Option<i64>,
    before: Option<String>,
    after: Option<String>,
}

impl TryFrom<EntryRow> for AuditEntry {
    type Error = Error;
    fn try_from(r: EntryRow) -> Result<AuditEntry> {
        let json = |t: Option<String>| {
            t.map(|t| serde_json::from_str(&t).map_err(|e| Error::Corrupt(format!("audit: {e}"))))
                .transpose()
        };
        Ok(AuditEntry {
            id: r.id,
            at: r.at,
            actor: r.actor,
            verb: parse(&r.verb, Verb::parse, "verb")?,
            kind: r.kind,
            record: r.record_id,
            incident_id: r.incident_id.map(IncidentId::from),
            before: json(r.before)?,
            after: json(r.after)?,
        })
    }
}

fn push_filters(b: &mut QueryBuilder<'_, Sqlite>, q: &AuditQuery) {
    let mut clause = Clause::default();
    if let Some(actor) = &q.actor {
        clause
            .next(b)
            .push("actor = ")
            .push_bind(actor.clone())
            .push(" COLLATE NOCASE");
    }
    if let Some(i) = q.incident {
        clause.next(b).push("incident_id = ").push_bind(i.get());
    }
}

/// Newest first.
pub async fn list(store: &Store, q: &AuditQuery) -> Result<Page<AuditEntry>> {
    let mut conn = store.pool.acquire().await?;
    let mut count = QueryBuilder::<Sqlite>::new("SELECT count(*) FROM audit_log");
    push_filters(&mut count, q);
    let total: i64 = count.build_query_scalar().fetch_one(&mut *conn).await?;
    let mut select = QueryBuilder::<Sqlite>::new(
        "SELECT id, at, actor, verb, kind, record_id, incident_id, before, after FROM audit_log",
    );
    push_filters(&mut select, q);
    select.push(" ORDER BY id DESC");
    push_page(&mut select, q.limit, q.offset);
    let rows: Vec<EntryRow> = select.build_query_as().fetch_all(&mut *conn).await?;
    let items = rows
        .into_iter()
        .map(TryInto::try_into)
        .collect::<Result<_>>()?;
    Ok(Page { items, total })
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn an_update_keeps_only_what_changed() {
        let (b, a) = changed(
            Some(json!({"title": "old", "severity": "P1", "narrative": "long"})),
            Some(json!({"title": "new", "severity": "P1", "narrative": "long"})),
        );
        assert_eq!(b, Some(json!({"title": "old"})));
        assert_eq!(a, Some(json!({"title": "new"})));
        let (b, a) = changed(None, Some(json!({"title": "t"})));
        assert_eq!((b, a), (None, Some(json!({"title": "t"}))));
    }
}
