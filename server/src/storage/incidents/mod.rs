//! Incident rows. This file is the one place that maps an incident's fields to its columns,
//! both ways: [`columns`] for writes, [`IncidentRow`] for reads (by column name).

mod detail;
mod list;
mod write;

pub use detail::detail;
pub use list::list;
pub use write::{children, delete, exists, fetch, ids, insert, record_status_change, write};

use app::domain::*;
use chrono::{DateTime, Utc};

use super::columns::Columns;
use super::rows::{parse, parse_opt};
use crate::error::{Error, Result};

/// An incident's services as a JSON array, in the order they were entered.
pub(super) const SERVICES: &str = "(SELECT json_group_array(service) FROM \
    (SELECT service FROM incident_services s WHERE s.incident_id = i.id ORDER BY position)) AS services";

/// The columns of `incidents` an incident's fields are written to, with their values.
/// `summary_html` and `narrative_html` are rendered here: an incident is read far more often than
/// it is written. Services live in their own table (see `write`).
fn columns(f: &IncidentFields) -> Columns<'_> {
    let mut c = Columns::new()
        .set("title", f.title.as_str())
        .set("severity", f.severity.as_str())
        .set("status", f.status.as_str())
        .set("customer_impact", f.customer_impact.as_str())
        .set("business_impact", f.business_impact.as_str())
        .set("failed_requests", f.failed_requests)
        .set("customers_affected", f.customers_affected)
        .set("summary", f.summary.as_str())
        .set("narrative", f.narrative.as_str())
        .set("summary_html", crate::markdown::render(&f.summary))
        .set("narrative_html", crate::markdown::render(&f.narrative))
        .set("drill", f.drill);
    for m in Moment::ALL {
        let (at, by) = f.times.get(m);
        c = c
            .set(m.field(), at)
            .set(m.provenance_field(), by.map(Provenance::as_str));
    }
    c
}

/// What lists read of an incident (`list::SELECT` names these columns: lists skip the long
/// texts, which can run to many kilobytes each).
#[derive(sqlx::FromRow)]
pub struct SummaryRow {
    pub id: i64,
    pub title: String,
    pub severity: String,
    pub status: String,
    pub drill: bool,
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

/// Every column of an incident, read from `SELECT i.*, SERVICES`.
#[derive(sqlx::FromRow)]
pub struct IncidentRow {
    #[sqlx(flatten)]
    pub summary: SummaryRow,
    pub customer_impact: String,
    pub business_impact: String,
    pub failed_requests: Option<i64>,
    pub customers_affected: Option<i64>,
    #[sqlx(rename = "summary")]
    pub summary_text: String,
    pub narrative: String,
    /// `summary_text` rendered when it was written.
    pub summary_html: String,
    pub narrative_html: String,
    pub version: i64,
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
            id: self.id.into(),
            title: self.title,
            severity,
            status: parse(&self.status, Status::parse, "status")?,
            drill: self.drill,
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
                drill: s.drill,
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
            version: self.version,
            metrics: s.metrics,
        })
    }
}
