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

fn parse_opt<T>(value: Option<&str>, p: fn(&str) -> Option<T>, column: &str) -> Result<Option<T>> {
    value.map(|v| parse(v, p, column)).transpose()
}

/// The editable columns of `incidents`, in the order [`bind_fields`](super::incidents) binds.
pub const INCIDENT_FIELD_COLUMNS: [&str; 21] = [
    "title",
    "severity",
    "status",
    "customer_impact",
    "business_impact",
    "failed_requests",
    "customers_affected",
    "summary",
    "narrative",
    "summary_html",
    "narrative_html",
    "started_at",
    "started_at_provenance",
    "detected_at",
    "detected_at_provenance",
    "acknowledged_at",
    "acknowledged_at_provenance",
    "recovered_at",
    "recovered_at_provenance",
    "resolved_at",
    "resolved_at_provenance",
];

/// The columns lists read (`SUMMARY_COLUMNS` in `incidents.rs`).
#[derive(sqlx::FromRow)]
pub struct SummaryRow {
    pub id: i64,
    pub title: String,
    pub severity: String,
    pub status: String,
    /// JSON array, in the order they were entered.
    pub services: String,
    pub started_at: Option<DateTime<Utc>>,
    pub started_at_provenance: Option<String>,
    pub detected_at: Option<DateTime<Utc>>,
    pub detected_at_provenance: Option<String>,
    pub acknowledged_at: Option<DateTime<Utc>>,
    pub acknowledged_at_provenance: Option<String>,
    pub recovered_at: Option<DateTime<Utc>>,
    pub recovered_at_provenance: Option<String>,
    pub resolved_at: Option<DateTime<Utc>>,
    pub resolved_at_provenance: Option<String>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

/// Every column of an incident.
#[derive(sqlx::FromRow)]
pub struct IncidentRow {
    #[sqlx(flatten)]
    pub summary: SummaryRow,
    pub customer_impact: String,
    pub business_impact: String,
    pub failed_requests: Option<i64>,
    pub customers_affected: Option<i64>,
    pub summary_text: String,
    pub narrative: String,
    /// `summary_text` rendered when it was written.
    pub summary_html: String,
    pub narrative_html: String,
}

impl SummaryRow {
    pub fn into_summary(self, targets: &Targets) -> Result<IncidentSummary> {
        let prov = |v: &Option<String>, c| parse_opt(v.as_deref(), Provenance::parse, c);
        let times = Timestamps {
            started_at: self.started_at,
            started_at_provenance: prov(&self.started_at_provenance, "started_at_provenance")?,
            detected_at: self.detected_at,
            detected_at_provenance: prov(&self.detected_at_provenance, "detected_at_provenance")?,
            acknowledged_at: self.acknowledged_at,
            acknowledged_at_provenance: prov(
                &self.acknowledged_at_provenance,
                "acknowledged_at_provenance",
            )?,
            recovered_at: self.recovered_at,
            recovered_at_provenance: prov(
                &self.recovered_at_provenance,
                "recovered_at_provenance",
            )?,
            resolved_at: self.resolved_at,
            resolved_at_provenance: prov(&self.resolved_at_provenance, "resolved_at_provenance")?,
        };
        let severity = parse(&self.severity, Severity::parse, "severity")?;
        let services: Vec<String> = serde_json::from_str(&self.services)
            .map_err(|e| Error::Corrupt(format!("services: {e}")))?;
        Ok(IncidentSummary {
            id: self.id,
            title: self.title,
            severity,
            status: parse(&self.status, Status::parse, "status")?,
            services,
            metrics: Metrics::compute(&times, severity, targets),
            times,
            created_at: self.created_at,
            updated_at: self.updated_at,
        })
    }
}

impl IncidentRow {
    pub fn into_incident(self, targets: &Targets) -> Result<Incident> {
        let s = self.summary.into_summary(targets)?;
        Ok(Incident {
            id: s.id,
            fields: IncidentFields {
                title: s.title,
                severity: s.severity,
                status: s.status,
                services: s.services,
                customer_impact: self.customer_impact,
                business_impact: self.business_impact,
                failed_requests: self.failed_requests,
                customers_affected: self.customers_affected,
                summary: self.summary_text,
                narrative: self.narrative,
                times: s.times,
            },
            created_at: s.created_at,
            updated_at: s.updated_at,
            metrics: s.metrics,
        })
    }
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
}

impl TryFrom<EventRow> for TimelineEvent {
    type Error = Error;
    fn try_from(r: EventRow) -> Result<Self> {
        Ok(TimelineEvent {
            id: r.id,
            incident_id: r.incident_id,
            at: r.at,
            kind: parse(&r.kind, EventKind::parse, "kind")?,
            text: r.text,
            source: parse(&r.source, Provenance::parse, "source")?,
            author: r.author,
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
                id: c.id,
                incident_id: c.incident_id,
                problem: c.problem,
                steps: steps
                    .iter()
                    .filter(|s| s.chain_id == c.id)
                    .map(|s| WhyStep {
                        id: s.id,
                        why: s.why.clone(),
                        because: s.because.clone(),
                    })
                    .collect(),
                root_cause: c.root_cause,
                category: parse(&c.category, RootCauseCategory::parse, "category")?,
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
}

impl TryFrom<ActionRow> for ActionItem {
    type Error = Error;
    fn try_from(r: ActionRow) -> Result<Self> {
        Ok(ActionItem {
            id: r.id,
            incident_id: r.incident_id,
            title: r.title,
            owner: r.owner,
            due: r.due,
            status: parse(&r.status, ActionStatus::parse, "status")?,
            horizon: parse(&r.horizon, Horizon::parse, "horizon")?,
            kind: parse(&r.kind, ActionKind::parse, "kind")?,
            five_why_step_id: r.five_why_step_id,
        })
    }
}

#[derive(sqlx::FromRow, serde::Deserialize)]
pub struct StatusChangeRow {
    pub from_status: String,
    pub to_status: String,
    pub reason: String,
    pub at: DateTime<Utc>,
}

impl TryFrom<StatusChangeRow> for app::queries::StatusChange {
    type Error = Error;
    fn try_from(r: StatusChangeRow) -> Result<Self> {
        Ok(app::queries::StatusChange {
            from: parse(&r.from_status, Status::parse, "from_status")?,
            to: parse(&r.to_status, Status::parse, "to_status")?,
            reason: r.reason,
            at: r.at,
        })
    }
}
