//! Database rows and their conversion to domain types.
//!
//! Enum columns are read as text and parsed here, once; the `CHECK` constraints in the
//! migrations make a failure here mean a corrupt file, reported as such.

use app::domain::*;
use chrono::{DateTime, NaiveDate, Utc};

use crate::error::{Error, Result};

pub fn parse<T>(value: &str, parse: fn(&str) -> Option<T>, column: &str) -> Result<T> {
    parse(value).ok_or_else(|| Error::Corrupt(format!("{column} = {value:?}")))
}

pub fn parse_opt<T>(
    value: Option<&str>,
    p: fn(&str) -> Option<T>,
    column: &str,
) -> Result<Option<T>> {
    value.map(|v| parse(v, p, column)).transpose()
}

/// A JSON column read back; a failure means a corrupt file.
pub fn from_json<T: serde::de::DeserializeOwned>(what: &str, json: &str) -> Result<T> {
    serde_json::from_str(json).map_err(|e| Error::Corrupt(format!("{what}: {e}")))
}

/// A value for a JSON column.
pub fn json<T: serde::Serialize>(value: &T) -> String {
    serde_json::to_string(value).expect("domain values serialize")
}

#[derive(sqlx::FromRow, serde::Deserialize)]
pub struct EventRow {
    pub id: i64,
    pub incident_id: i64,
    pub at: DateTime<Utc>,
    pub kind: String,
    pub text: String,
    pub source: String,
    pub author: String,
    pub recorded_by: String,
    pub version: i64,
}

impl TryFrom<EventRow> for TimelineEvent {
    type Error = Error;
    fn try_from(r: EventRow) -> Result<Self> {
        Ok(TimelineEvent {
            id: r.id.into(),
            incident_id: r.incident_id.into(),
            at: r.at,
            kind: parse(&r.kind, EventKind::parse, "kind")?,
            text: r.text,
            source: parse(&r.source, Provenance::parse, "source")?,
            author: r.author,
            recorded_by: r.recorded_by,
            version: r.version,
        })
    }
}

#[derive(sqlx::FromRow, serde::Deserialize)]
pub struct ChainRow {
    pub id: i64,
    pub incident_id: i64,
    pub problem: String,
    pub root_cause: String,
    pub category: String,
    pub version: i64,
}

#[derive(sqlx::FromRow, serde::Deserialize)]
pub struct StepRow {
    pub id: i64,
    pub chain_id: i64,
    pub why: String,
    pub because: String,
}

/// Assembles chains from their rows and all their steps (steps in position order).
pub fn chains(rows: Vec<ChainRow>, steps: Vec<StepRow>) -> Result<Vec<FiveWhyChain>> {
    rows.into_iter()
        .map(|c| {
            Ok(FiveWhyChain {
                id: c.id.into(),
                incident_id: c.incident_id.into(),
                problem: c.problem,
                steps: steps
                    .iter()
                    .filter(|s| s.chain_id == c.id)
                    .map(|s| WhyStep {
                        id: s.id.into(),
                        why: s.why.clone(),
                        because: s.because.clone(),
                    })
                    .collect(),
                root_cause: c.root_cause,
                category: parse(&c.category, RootCauseCategory::parse, "category")?,
                version: c.version,
            })
        })
        .collect()
}

#[derive(sqlx::FromRow, serde::Deserialize)]
pub struct ActionRow {
    pub id: i64,
    pub incident_id: i64,
    pub title: String,
    pub owner: String,
    pub due: Option<NaiveDate>,
    pub status: String,
    pub horizon: String,
    pub kind: String,
    pub five_why_step_id: Option<i64>,
    pub created_by: String,
    pub done_at: Option<DateTime<Utc>>,
    pub version: i64,
}

impl TryFrom<ActionRow> for ActionItem {
    type Error = Error;
    fn try_from(r: ActionRow) -> Result<Self> {
        Ok(ActionItem {
            id: r.id.into(),
            incident_id: r.incident_id.into(),
            title: r.title,
            owner: r.owner,
            due: r.due,
            status: parse(&r.status, ActionStatus::parse, "status")?,
            horizon: parse(&r.horizon, Horizon::parse, "horizon")?,
            kind: parse(&r.kind, ActionKind::parse, "kind")?,
            five_why_step_id: r.five_why_step_id.map(StepId::from),
            created_by: r.created_by,
            done_at: r.done_at,
            version: r.version,
        })
    }
}

#[derive(sqlx::FromRow, serde::Deserialize)]
pub struct StatusChangeRow {
    pub from_status: String,
    pub to_status: String,
    pub reason: String,
    pub at: DateTime<Utc>,
    pub changed_by: String,
}

impl TryFrom<StatusChangeRow> for app::queries::StatusChange {
    type Error = Error;
    fn try_from(r: StatusChangeRow) -> Result<Self> {
        Ok(app::queries::StatusChange {
            from: parse(&r.from_status, Status::parse, "from_status")?,
            to: parse(&r.to_status, Status::parse, "to_status")?,
            reason: r.reason,
            at: r.at,
            by: r.changed_by,
        })
    }
}
