//! Versions of incidents and their children: the check a change makes against the version it
//! was based on, the bump a write makes, and what changed in between (from the audit log,
//! where every update's `after` carries the version it made).

use app::domain::{Change, FieldChange};
use app::error::AppError;
use chrono::{DateTime, Utc};
use serde_json::Value;
use sqlx::SqliteConnection;

use crate::error::Result;

/// A table whose rows carry a version, and the audit log's name for its records.
#[derive(Clone, Copy, Debug)]
pub enum Versioned {
    Incident,
    TimelineEvent,
    FiveWhyChain,
    ActionItem,
}

impl Versioned {
    fn table(self) -> &'static str {
        match self {
            Versioned::Incident => "incidents",
            Versioned::TimelineEvent => "timeline_events",
            Versioned::FiveWhyChain => "five_whys",
            Versioned::ActionItem => "action_items",
        }
    }

    /// The `kind` its audit entries have.
    pub fn audit_kind(self) -> &'static str {
        match self {
            Versioned::Incident => "incident",
            Versioned::TimelineEvent => "timeline_event",
            Versioned::FiveWhyChain => "five_why_chain",
            Versioned::ActionItem => "action_item",
        }
    }
}

/// Refuses a change based on a version other than `version`, the one the record has (as the
/// write just read it), with the writes since. No `based_on`: no check.
pub async fn check(
    conn: &mut SqliteConnection,
    what: Versioned,
    id: i64,
    based_on: Option<i64>,
    version: i64,
) -> Result<()> {
    match based_on {
        Some(based_on) if based_on != version => Err(AppError::Conflict {
            based_on,
            version,
            changes: changes_since(conn, what, id, based_on).await?,
        }
        .into()),
        _ => Ok(()),
    }
}

/// Counts a write to the record.
pub async fn bump(conn: &mut SqliteConnection, what: Versioned, id: i64) -> Result<()> {
    sqlx::query(&format!(
        "UPDATE {} SET version = version + 1 WHERE id = ?",
        what.table()
    ))
    .bind(id)
    .execute(&mut *conn)
    .await?;
    Ok(())
}

/// `record` as the audit log keeps it, with the version it had (before) or got (after).
pub fn with_version(record: Option<Value>, version: i64) -> Option<Value> {
    record.map(|mut v| {
        if let Value::Object(m) = &mut v {
            m.insert("version".into(), Value::from(version));
        }
        v
    })
}

#[derive(sqlx::FromRow)]
struct ChangeRow {
    at: DateTime<Utc>,
    actor: String,
    before: Option<String>,
    after: Option<String>,
}

/// The updates made to the record after version `since`, oldest first.
async fn changes_since(
    conn: &mut SqliteConnection,
    what: Versioned,
    id: i64,
    since: i64,
) -> Result<Vec<Change>> {
    let rows: Vec<ChangeRow> = sqlx::query_as(
        "SELECT at, actor, before, after FROM audit_log \
         WHERE kind = ? AND record_id = ? AND verb = 'update' \
         AND json_extract(after, '$.version') > ? ORDER BY id",
    )
    .bind(what.audit_kind())
    .bind(id)
    .bind(since)
    .fetch_all(&mut *conn)
    .await?;
    Ok(rows.into_iter().map(ChangeRow::into_change).collect())
}

impl ChangeRow {
    fn into_change(self) -> Change {
        let object = |t: Option<String>| match t.and_then(|t| serde_json::from_str(&t).ok()) {
            Some(Value::Object(m)) => m,
            _ => serde_json::Map::new(),
        };
        let (before, after) = (object(self.before), object(self.after));
        let fields = after
            .iter()
            .filter(|(k, _)| k.as_str() != "version")
            .map(|(k, a)| FieldChange {
                field: k.clone(),
                before: shown(before.get(k)),
                after: shown(Some(a)),
            })
            .collect();
        Change {
            at: self.at,
            actor: self.actor,
            fields,
        }
    }
}

/// A recorded value as a person reads it: text as is, nothing as empty, the rest as JSON.
fn shown(v: Option<&Value>) -> String {
    match v {
        None | Some(Value::Null) => String::new(),
        Some(Value::String(s)) => s.clone(),
        Some(Value::Array(items)) => items
            .iter()
            .map(|i| shown(Some(i)))
            .collect::<Vec<_>>()
            .join(", "),
        Some(other) => other.to_string(),
    }
}
