//! The incident create/edit form.

use chrono::{DateTime, Utc};
use chrono_tz::Tz;
use serde::{Deserialize, Serialize};

use super::{choice, count};
use crate::domain::*;
use crate::time;

/// The incident form as posted. Times are `datetime-local` values in the display zone.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct IncidentForm {
    pub title: String,
    pub severity: String,
    pub status: String,
    /// Comma-separated.
    pub services: String,
    pub customer_impact: String,
    pub business_impact: String,
    pub failed_requests: String,
    pub customers_affected: String,
    pub summary: String,
    pub narrative: String,
    /// A checkbox: "on" when ticked.
    pub drill: String,
    pub started_at: String,
    pub detected_at: String,
    pub acknowledged_at: String,
    pub recovered_at: String,
    pub resolved_at: String,
    /// Needed when the status moves back a stage.
    pub status_reason: String,
    /// The version the form was opened at (hidden).
    pub version: String,
}

impl IncidentForm {
    /// The form pre-filled with a stored incident, for editing.
    pub fn from_incident(i: &Incident, tz: Tz) -> Self {
        let f = &i.fields;
        let t = |m: Moment| {
            f.times
                .get(m)
                .0
                .map(|at| time::to_input(at, tz))
                .unwrap_or_default()
        };
        Self {
            title: f.title.clone(),
            severity: f.severity.to_string(),
            status: f.status.to_string(),
            services: f.services.join(", "),
            customer_impact: f.customer_impact.clone(),
            business_impact: f.business_impact.clone(),
            failed_requests: f.failed_requests.map(|n| n.to_string()).unwrap_or_default(),
            customers_affected: f
                .customers_affected
                .map(|n| n.to_string())
                .unwrap_or_default(),
            summary: f.summary.clone(),
            narrative: f.narrative.clone(),
            drill: if f.drill { "on".into() } else { String::new() },
            started_at: t(Moment::Started),
            detected_at: t(Moment::Detected),
            acknowledged_at: t(Moment::Acknowledged),
            recovered_at: t(Moment::Recovered),
            resolved_at: t(Moment::Resolved),
            status_reason: String::new(),
            version: i.version.to_string(),
        }
    }

    fn time(&self, m: Moment) -> &str {
        match m {
            Moment::Started => &self.started_at,
            Moment::Detected => &self.detected_at,
            Moment::Acknowledged => &self.acknowledged_at,
            Moment::Recovered => &self.recovered_at,
            Moment::Resolved => &self.resolved_at,
        }
    }

    fn parse_time(&self, m: Moment, tz: Tz) -> Result<Option<DateTime<Utc>>, Invalid> {
        time::parse_local(m.field(), self.time(m), tz)
    }

    /// A new incident from the form; the service validates the whole.
    pub fn to_fields(&self, tz: Tz) -> Result<IncidentFields, Invalid> {
        let mut times = Timestamps::default();
        for m in Moment::ALL {
            times.set(m, self.parse_time(m, tz)?, Some(Provenance::Manual));
        }
        Ok(IncidentFields {
            title: self.title.clone(),
            severity: choice("severity", &self.severity)?,
            status: if self.status.trim().is_empty() {
                Status::Detected
            } else {
                choice("status", &self.status)?
            },
            services: self.services.split(',').map(str::to_owned).collect(),
            customer_impact: self.customer_impact.clone(),
            business_impact: self.business_impact.clone(),
            failed_requests: count("failed_requests", &self.failed_requests)?,
            customers_affected: count("customers_affected", &self.customers_affected)?,
            summary: self.summary.clone(),
            narrative: self.narrative.clone(),
            drill: !self.drill.trim().is_empty(),
            times,
        })
    }

    /// An edit of `current`. A time field left as it was shown is not sent, so its seconds and
    /// its provenance (say, `alert`) survive an edit of something else.
    pub fn to_patch(&self, current: &Incident, tz: Tz) -> Result<IncidentPatch, Invalid> {
        let new = self.to_fields(tz)?;
        let shown = IncidentForm::from_incident(current, tz);
        let changed =
            |m: Moment| (self.time(m).trim() != shown.time(m)).then(|| new.times.get(m).0);
        Ok(IncidentPatch {
            version: self.version.trim().parse().ok(),
            title: Some(new.title),
            severity: Some(new.severity),
            status: Some(new.status),
            status_reason: Some(self.status_reason.clone()),
            services: Some(new.services),
            customer_impact: Some(new.customer_impact),
            business_impact: Some(new.business_impact),
            failed_requests: Some(new.failed_requests),
            customers_affected: Some(new.customers_affected),
            summary: Some(new.summary),
            narrative: Some(new.narrative),
            drill: Some(new.drill),
            started_at: changed(Moment::Started),
            detected_at: changed(Moment::Detected),
            acknowledged_at: changed(Moment::Acknowledged),
            recovered_at: changed(Moment::Recovered),
            resolved_at: changed(Moment::Resolved),
            ..Default::default()
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    const SEOUL: Tz = chrono_tz::Asia::Seoul;

    fn form() -> IncidentForm {
        IncidentForm {
            title: "MySQL 커넥션 풀 고갈".into(),
            severity: "P0".into(),
            services: "coupon-api, MySQL".into(),
            started_at: "2025-06-06T14:00".into(),
            detected_at: "2025-06-06T14:03".into(),
            failed_requests: "12,400".into(),
            ..Default::default()
        }
    }

    #[test]
    fn form_values_become_an_incident() {
        let f = form().to_fields(SEOUL).unwrap().validated().unwrap();
        assert_eq!(f.severity, Severity::P0);
        assert_eq!(f.services, ["coupon-api", "mysql"]);
        assert_eq!(f.failed_requests, Some(12_400));
        assert_eq!(
            f.times.started_at,
            Some(Utc.with_ymd_and_hms(2025, 6, 6, 5, 0, 0).unwrap())
        );
        assert_eq!(f.times.detected_at_provenance, Some(Provenance::Manual));
    }

    #[test]
    fn unknown_severity_is_reported_on_severity() {
        let mut f = form();
        f.severity = "P5".into();
        assert_eq!(f.to_fields(SEOUL).unwrap_err().field, "severity");
    }

    #[test]
    fn untouched_times_keep_seconds_and_provenance() {
        let started = Utc.with_ymd_and_hms(2025, 6, 6, 5, 0, 42).unwrap();
        let mut fields = form().to_fields(SEOUL).unwrap();
        fields
            .times
            .set(Moment::Started, Some(started), Some(Provenance::Alert));
        let incident = Incident {
            id: 1.into(),
            fields,
            created_at: started,
            updated_at: started,
            version: 1,
            metrics: Metrics::default(),
        };
        let mut edit = IncidentForm::from_incident(&incident, SEOUL);
        edit.title = "새 제목".into();
        edit.recovered_at = "2025-06-06T14:20".into();
        let patch = edit.to_patch(&incident, SEOUL).unwrap();
        assert_eq!(patch.started_at, None, "unchanged time is not sent");
        assert_eq!(
            patch.recovered_at,
            Some(Some(Utc.with_ymd_and_hms(2025, 6, 6, 5, 20, 0).unwrap()))
        );
        let after = patch.apply(incident.fields).validated().unwrap();
        assert_eq!(after.times.started_at, Some(started));
        assert_eq!(after.times.started_at_provenance, Some(Provenance::Alert));
    }
}
