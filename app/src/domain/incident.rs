//! Incidents: the facts of one outage and its five timestamps.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use super::ids::IncidentId;
use super::invalid::{Invalid, Problem, optional_text, required_text};
use super::metrics::Metrics;
use super::status::{Severity, Status};

str_enum! {
    /// Who set a timestamp: an alert event, a person, or a load-test run.
    Provenance {
        Alert => "alert",
        Manual => "manual",
        LoadTest => "load_test",
    }
}

pub const TITLE_MAX: usize = 200;
pub const SERVICE_MAX: usize = 64;
pub const SERVICES_MAX: usize = 20;
pub const IMPACT_MAX: usize = 4_000;
pub const SUMMARY_MAX: usize = 10_000;
/// Narratives are long-form Markdown; 10,000-character ones are routine.
pub const NARRATIVE_MAX: usize = 200_000;

/// What is filed under an incident, each kind capped so that one incident cannot grow
/// without bound (a runaway script, a loop posting events).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Children {
    TimelineEvents,
    Chains,
    ActionItems,
}

impl Children {
    pub const fn max(self) -> usize {
        match self {
            Children::TimelineEvents => 2_000,
            Children::Chains => 50,
            Children::ActionItems => 500,
        }
    }

    /// The field of the incident detail that lists them (named in the error).
    pub const fn field(self) -> &'static str {
        match self {
            Children::TimelineEvents => "timeline",
            Children::Chains => "five_whys",
            Children::ActionItems => "action_items",
        }
    }
}

/// The five moments of an incident, all UTC, each with who set it.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct Timestamps {
    /// Impact began.
    pub started_at: Option<DateTime<Utc>>,
    pub started_at_provenance: Option<Provenance>,
    /// Someone or something noticed.
    pub detected_at: Option<DateTime<Utc>>,
    pub detected_at_provenance: Option<Provenance>,
    /// A responder took it on.
    pub acknowledged_at: Option<DateTime<Utc>>,
    pub acknowledged_at_provenance: Option<Provenance>,
    /// Service restored for customers.
    pub recovered_at: Option<DateTime<Utc>>,
    pub recovered_at_provenance: Option<Provenance>,
    /// Closed: follow-up done.
    pub resolved_at: Option<DateTime<Utc>>,
    pub resolved_at_provenance: Option<Provenance>,
}

/// Names one of the five timestamps.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Moment {
    Started,
    Detected,
    Acknowledged,
    Recovered,
    Resolved,
}

impl Moment {
    pub const ALL: [Moment; 5] = [
        Moment::Started,
        Moment::Detected,
        Moment::Acknowledged,
        Moment::Recovered,
        Moment::Resolved,
    ];

    /// The field naming who set it, e.g. `detected_at_provenance`.
    pub fn provenance_field(self) -> &'static str {
        match self {
            Moment::Started => "started_at_provenance",
            Moment::Detected => "detected_at_provenance",
            Moment::Acknowledged => "acknowledged_at_provenance",
            Moment::Recovered => "recovered_at_provenance",
            Moment::Resolved => "resolved_at_provenance",
        }
    }

    /// The API field name, e.g. `detected_at`.
    pub fn field(self) -> &'static str {
        match self {
            Moment::Started => "started_at",
            Moment::Detected => "detected_at",
            Moment::Acknowledged => "acknowledged_at",
            Moment::Recovered => "recovered_at",
            Moment::Resolved => "resolved_at",
        }
    }
}

impl Timestamps {
    pub fn get(&self, m: Moment) -> (Option<DateTime<Utc>>, Option<Provenance>) {
        match m {
            Moment::Started => (self.started_at, self.started_at_provenance),
            Moment::Detected => (self.detected_at, self.detected_at_provenance),
            Moment::Acknowledged => (self.acknowledged_at, self.acknowledged_at_provenance),
            Moment::Recovered => (self.recovered_at, self.recovered_at_provenance),
            Moment::Resolved => (self.resolved_at, self.resolved_at_provenance),
        }
    }

    pub fn set(&mut self, m: Moment, at: Option<DateTime<Utc>>, by: Option<Provenance>) {
        let slot = match m {
            Moment::Started => (&mut self.started_at, &mut self.started_at_provenance),
            Moment::Detected => (&mut self.detected_at, &mut self.detected_at_provenance),
            Moment::Acknowledged => (
                &mut self.acknowledged_at,
                &mut self.acknowledged_at_provenance,
            ),
            Moment::Recovered => (&mut self.recovered_at, &mut self.recovered_at_provenance),
            Moment::Resolved => (&mut self.resolved_at, &mut self.resolved_at_provenance),
        };
        *slot.0 = at;
        *slot.1 = at.map(|_| by.unwrap_or(Provenance::Manual));
    }

    /// Gives every set timestamp a provenance (`manual` unless stated) and clears the provenance
    /// of unset ones, then checks the order: nothing before `started_at`, acknowledgement not
    /// before detection, resolution not before recovery.
    pub fn normalized(mut self) -> Result<Self, Invalid> {
        for m in Moment::ALL {
            let (at, by) = self.get(m);
            self.set(m, at, by);
        }
        let rules = [
            (Moment::Detected, Moment::Started),
            (Moment::Acknowledged, Moment::Started),
            (Moment::Recovered, Moment::Started),
            (Moment::Resolved, Moment::Started),
            (Moment::Acknowledged, Moment::Detected),
            (Moment::Resolved, Moment::Recovered),
        ];
        for (later, earlier) in rules {
            if let (Some(l), Some(e)) = (self.get(later).0, self.get(earlier).0)
                && l < e
            {
                return Err(Invalid::new(
                    later.field(),
                    Problem::EarlierThan {
                        other: earlier.field().into(),
                    },
                ));
            }
        }
        Ok(self)
    }
}

fn default_status() -> Status {
    Status::Detected
}

/// Everything a person or a machine writes about an incident: the body of
/// `POST /api/v1/incidents`, and the editable part of every incident.
///
/// It is read through [`IncidentFieldsWire`] (flat, no `flatten`) so that a bad value is
/// reported with its field name: serde loses the path inside flattened structs.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[serde(from = "IncidentFieldsWire")]
pub struct IncidentFields {
    pub title: String,
    pub severity: Severity,
    #[cfg_attr(feature = "ssr", schema(required = false))]
    pub status: Status,
    /// Affected services, e.g. `coupon-api`, `redis`.
    #[cfg_attr(feature = "ssr", schema(required = false))]
    pub services: Vec<String>,
    #[cfg_attr(feature = "ssr", schema(required = false))]
    pub customer_impact: String,
    #[cfg_attr(feature = "ssr", schema(required = false))]
    pub business_impact: String,
    /// Requests that failed during the incident, where known.
    pub failed_requests: Option<i64>,
    pub customers_affected: Option<i64>,
    /// Markdown.
    #[cfg_attr(feature = "ssr", schema(required = false))]
    pub summary: String,
    /// Markdown.
    #[cfg_attr(feature = "ssr", schema(required = false))]
    pub narrative: String,
    /// Made on purpose (a drill or game day): shown with a badge, left out of MTTx figures.
    #[cfg_attr(feature = "ssr", schema(required = false))]
    pub drill: bool,
    #[serde(flatten)]
    pub times: Timestamps,
}

/// The flat JSON shape of [`IncidentFields`].
#[derive(Deserialize)]
pub struct IncidentFieldsWire {
    title: String,
    severity: Severity,
    #[serde(default = "default_status")]
    status: Status,
    #[serde(default)]
    services: Vec<String>,
    #[serde(default)]
    customer_impact: String,
    #[serde(default)]
    business_impact: String,
    #[serde(default)]
    failed_requests: Option<i64>,
    #[serde(default)]
    customers_affected: Option<i64>,
    #[serde(default)]
    summary: String,
    #[serde(default)]
    narrative: String,
    #[serde(default)]
    drill: bool,
    #[serde(default)]
    started_at: Option<DateTime<Utc>>,
    #[serde(default)]
    started_at_provenance: Option<Provenance>,
    #[serde(default)]
    detected_at: Option<DateTime<Utc>>,
    #[serde(default)]
    detected_at_provenance: Option<Provenance>,
    #[serde(default)]
    acknowledged_at: Option<DateTime<Utc>>,
    #[serde(default)]
    acknowledged_at_provenance: Option<Provenance>,
    #[serde(default)]
    recovered_at: Option<DateTime<Utc>>,
    #[serde(default)]
    recovered_at_provenance: Option<Provenance>,
    #[serde(default)]
    resolved_at: Option<DateTime<Utc>>,
    #[serde(default)]
    resolved_at_provenance: Option<Provenance>,
}

impl From<IncidentFieldsWire> for IncidentFields {
    fn from(w: IncidentFieldsWire) -> Self {
        Self {
            title: w.title,
            severity: w.severity,
            status: w.status,
            services: w.services,
            customer_impact: w.customer_impact,
            business_impact: w.business_impact,
            failed_requests: w.failed_requests,
            customers_affected: w.customers_affected,
            summary: w.summary,
            narrative: w.narrative,
            drill: w.drill,
            times: Timestamps {
                started_at: w.started_at,
                started_at_provenance: w.started_at_provenance,
                detected_at: w.detected_at,
                detected_at_provenance: w.detected_at_provenance,
                acknowledged_at: w.acknowledged_at,
                acknowledged_at_provenance: w.acknowledged_at_provenance,
                recovered_at: w.recovered_at,
                recovered_at_provenance: w.recovered_at_provenance,
                resolved_at: w.resolved_at,
                resolved_at_provenance: w.resolved_at_provenance,
            },
        }
    }
}

impl IncidentFields {
    /// An incident with only a title and a severity; everything else as a body that leaves it
    /// out gets it (status `detected`, nothing else known).
    pub fn new(title: impl Into<String>, severity: Severity) -> Self {
        Self {
            title: title.into(),
            severity,
            status: default_status(),
            services: Vec::new(),
            customer_impact: String::new(),
            business_impact: String::new(),
            failed_requests: None,
            customers_affected: None,
            summary: String::new(),
            narrative: String::new(),
            drill: false,
            times: Timestamps::default(),
        }
    }

    /// Trims and checks every field; services are lower-cased and de-duplicated.
    pub fn validated(self) -> Result<Self, Invalid> {
        // The count is checked before anything else is done with the list, so a body with a
        // million entries costs nothing; repeats are dropped with a set.
        if self.services.len() > SERVICES_MAX {
            return Err(Invalid::new(
                "services",
                Problem::TooMany { max: SERVICES_MAX },
            ));
        }
        let mut seen = std::collections::HashSet::with_capacity(self.services.len());
        let mut services: Vec<String> = Vec::with_capacity(self.services.len());
        for (i, s) in self.services.iter().enumerate() {
            let s = optional_text(&format!("services[{i}]"), s, SERVICE_MAX)?.to_lowercase();
            if !s.is_empty() && seen.insert(s.clone()) {
                services.push(s);
            }
        }
        for (field, n) in [
            ("failed_requests", self.failed_requests),
            ("customers_affected", self.customers_affected),
        ] {
            if n.is_some_and(|n| n < 0) {
                return Err(Invalid::new(field, Problem::NotACount));
            }
        }
        Ok(Self {
            title: required_text("title", &self.title, TITLE_MAX)?,
            severity: self.severity,
            status: self.status,
            services,
            customer_impact: optional_text("customer_impact", &self.customer_impact, IMPACT_MAX)?,
            business_impact: optional_text("business_impact", &self.business_impact, IMPACT_MAX)?,
            failed_requests: self.failed_requests,
            customers_affected: self.customers_affected,
            summary: optional_text("summary", &self.summary, SUMMARY_MAX)?,
            narrative: optional_text("narrative", &self.narrative, NARRATIVE_MAX)?,
            drill: self.drill,
            times: self.times.normalized()?,
        })
    }
}

/// A stored incident with everything written about it; lists use [`IncidentSummary`].
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct Incident {
    pub id: IncidentId,
    #[serde(flatten)]
    pub fields: IncidentFields,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    /// Counts the writes to the incident's own fields (its `ETag`); a change sent with an
    /// older one is refused.
    #[serde(default)]
    pub version: i64,
    #[serde(flatten)]
    pub metrics: Metrics,
}

impl Incident {
    /// What "newest first" orders by: when impact began, or when the incident was filed if
    /// that is unknown (the `sort_at` column of the database).
    pub fn sort_at(&self) -> DateTime<Utc> {
        self.fields.times.started_at.unwrap_or(self.created_at)
    }
}

/// An incident as lists show it: facts and metrics without the long texts (impacts, summary,
/// narrative), which can run to many kilobytes each.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct IncidentSummary {
    pub id: IncidentId,
    pub title: String,
    pub severity: Severity,
    pub status: Status,
    pub drill: bool,
    pub services: Vec<String>,
    #[serde(flatten)]
    pub times: Timestamps,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    #[serde(flatten)]
    pub metrics: Metrics,
}

/// A `PATCH` body: absent fields keep their value; `null` clears a nullable one.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct IncidentPatch {
    /// The version this change was made from (`If-Match` sets it too): refused with 412 and
    /// what changed since if the incident has been written after it. Absent: no check.
    #[serde(default)]
    pub version: Option<i64>,
    pub title: Option<String>,
    pub severity: Option<Severity>,
    pub status: Option<Status>,
    /// Required when `status` moves back one stage.
    pub status_reason: Option<String>,
    pub services: Option<Vec<String>>,
    pub customer_impact: Option<String>,
    pub business_impact: Option<String>,
    #[serde(default, with = "double_option")]
    pub failed_requests: Option<Option<i64>>,
    #[serde(default, with = "double_option")]
    pub customers_affected: Option<Option<i64>>,
    pub summary: Option<String>,
    pub narrative: Option<String>,
    pub drill: Option<bool>,
    #[serde(default, with = "double_option")]
    pub started_at: Option<Option<DateTime<Utc>>>,
    pub started_at_provenance: Option<Provenance>,
    #[serde(default, with = "double_option")]
    pub detected_at: Option<Option<DateTime<Utc>>>,
    pub detected_at_provenance: Option<Provenance>,
    #[serde(default, with = "double_option")]
    pub acknowledged_at: Option<Option<DateTime<Utc>>>,
    pub acknowledged_at_provenance: Option<Provenance>,
    #[serde(default, with = "double_option")]
    pub recovered_at: Option<Option<DateTime<Utc>>>,
    pub recovered_at_provenance: Option<Provenance>,
    #[serde(default, with = "double_option")]
    pub resolved_at: Option<Option<DateTime<Utc>>>,
    pub resolved_at_provenance: Option<Provenance>,
}

impl IncidentPatch {
    /// Applies the patch to `current`; the caller validates the result as a whole.
    pub fn apply(self, mut f: IncidentFields) -> IncidentFields {
        macro_rules! take {
            ($($name:ident),*) => { $(if let Some(v) = self.$name { f.$name = v; })* };
        }
        take!(
            title,
            severity,
            status,
            services,
            customer_impact,
            business_impact
        );
        take!(
            failed_requests,
            customers_affected,
            summary,
            narrative,
            drill
        );
        let moments = [
            (Moment::Started, self.started_at, self.started_at_provenance),
            (
                Moment::Detected,
                self.detected_at,
                self.detected_at_provenance,
            ),
            (
                Moment::Acknowledged,
                self.acknowledged_at,
                self.acknowledged_at_provenance,
            ),
            (
                Moment::Recovered,
                self.recovered_at,
                self.recovered_at_provenance,
            ),
            (
                Moment::Resolved,
                self.resolved_at,
                self.resolved_at_provenance,
            ),
        ];
        for (m, at, by) in moments {
            let (old_at, old_by) = f.times.get(m);
            match at {
                Some(at) => f.times.set(m, at, by),
                None => f.times.set(m, old_at, by.or(old_by)),
            }
        }
        f
    }
}

/// Serde helper telling an absent field (`None`) from an explicit `null` (`Some(None)`).
pub mod double_option {
    use serde::{Deserialize, Deserializer, Serialize, Serializer};

    pub fn deserialize<'de, T: Deserialize<'de>, D: Deserializer<'de>>(
        d: D,
    ) -> Result<Option<Option<T>>, D::Error> {
        Option::<T>::deserialize(d).map(Some)
    }

    pub fn serialize<T: Serialize, S: Serializer>(
        v: &Option<Option<T>>,
        s: S,
    ) -> Result<S::Ok, S::Error> {
        match v {
            Some(inner) => inner.serialize(s),
            None => s.serialize_none(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    fn at(h: u32, m: u32) -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2025, 6, 6, h, m, 0).unwrap()
    }

    fn fields() -> IncidentFields {
        serde_json::from_value(serde_json::json!({"title": "Redis 연결 풀 고갈", "severity": "P1"}))
            .unwrap()
    }

    #[test]
    fn defaults_fill_a_minimal_body() {
        let f = fields().validated().unwrap();
        assert_eq!(f.status, Status::Detected);
        assert!(f.services.is_empty());
        assert_eq!(f.times, Timestamps::default());
    }

    #[test]
    fn services_are_trimmed_lowercased_and_unique() {
        let mut f = fields();
        f.services = vec![
            " Redis ".into(),
            "redis".into(),
            "".into(),
            "coupon-api".into(),
        ];
        assert_eq!(f.validated().unwrap().services, ["redis", "coupon-api"]);
    }

    #[test]
    fn recovered_before_started_names_recovered_at() {
        let mut f = fields();
        f.times.set(Moment::Started, Some(at(10, 0)), None);
        f.times.set(Moment::Recovered, Some(at(9, 59)), None);
        assert_eq!(
            f.validated().unwrap_err(),
            Invalid::new(
                "recovered_at",
                Problem::EarlierThan {
                    other: "started_at".into()
                }
            )
        );
    }

    #[test]
    fn set_timestamps_default_to_manual_provenance() {
        let mut f = fields();
        f.times.started_at = Some(at(10, 0));
        f.times.detected_at_provenance = Some(Provenance::Alert); // no time: dropped
        let t = f.validated().unwrap().times;
        assert_eq!(t.started_at_provenance, Some(Provenance::Manual));
        assert_eq!(t.detected_at_provenance, None);
    }

    #[test]
    fn patch_distinguishes_absent_from_null() {
        let mut f = fields();
        f.times
            .set(Moment::Started, Some(at(10, 0)), Some(Provenance::Alert));
        f.failed_requests = Some(12);
        let keep: IncidentPatch = serde_json::from_str(r#"{"title":"새 제목"}"#).unwrap();
        let g = keep.apply(f.clone());
        assert_eq!((g.title.as_str(), g.failed_requests), ("새 제목", Some(12)));
        assert_eq!(g.times.started_at_provenance, Some(Provenance::Alert));
        let clear: IncidentPatch =
            serde_json::from_str(r#"{"started_at":null,"failed_requests":null}"#).unwrap();
        let g = clear.apply(f).validated().unwrap();
        assert_eq!(
            (g.times.started_at, g.times.started_at_provenance),
            (None, None)
        );
        assert_eq!(g.failed_requests, None);
    }
}
