//! Timeline events: what happened when, in UTC.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use super::ids::{EventId, IncidentId};
use super::incident::{Moment, Provenance};
use super::invalid::{Invalid, optional_text, required_text};

str_enum! {
    /// What kind of moment an event records.
    EventKind {
        AlertFired => "alert_fired",
        AlertResolved => "alert_resolved",
        /// Marks detection: sets the incident's `detected_at`.
        Detected => "detected",
        Action => "action",
        Communication => "communication",
        Mitigation => "mitigation",
        /// Marks recovery: sets the incident's `recovered_at`.
        Recovered => "recovered",
        Note => "note",
    }
}

impl EventKind {
    /// The incident timestamp an event of this kind sets, if any.
    pub fn moment(self) -> Option<Moment> {
        match self {
            EventKind::Detected => Some(Moment::Detected),
            EventKind::Recovered => Some(Moment::Recovered),
            _ => None,
        }
    }
}

pub const EVENT_TEXT_MAX: usize = 4_000;
pub const AUTHOR_MAX: usize = 100;

/// One stored timeline event.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct TimelineEvent {
    pub id: EventId,
    pub incident_id: IncidentId,
    pub at: DateTime<Utc>,
    pub kind: EventKind,
    pub text: String,
    /// Who recorded it: a person (`manual`), an alert event or a load-test run.
    pub source: Provenance,
    pub author: String,
    /// Who entered it in hoego (a person, or a token's name).
    pub recorded_by: String,
    /// Counts its writes (its `ETag`); a change sent with an older one is refused.
    #[serde(default)]
    pub version: i64,
}

/// The body of `POST …/timeline`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct EventInput {
    pub at: DateTime<Utc>,
    pub kind: EventKind,
    pub text: String,
    #[serde(default = "manual")]
    pub source: Provenance,
    #[serde(default)]
    pub author: String,
}

fn manual() -> Provenance {
    Provenance::Manual
}

impl EventInput {
    pub fn validated(self) -> Result<Self, Invalid> {
        Ok(Self {
            text: required_text("text", &self.text, EVENT_TEXT_MAX)?,
            author: optional_text("author", &self.author, AUTHOR_MAX)?,
            ..self
        })
    }
}

/// The body of `PATCH …/timeline/{id}`.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct EventPatch {
    /// The version this change was made from (`If-Match` sets it too): refused with 412 and
    /// what changed since if it is stale. Absent: no check.
    #[serde(default)]
    pub version: Option<i64>,
    pub at: Option<DateTime<Utc>>,
    pub kind: Option<EventKind>,
    pub text: Option<String>,
    pub source: Option<Provenance>,
    pub author: Option<String>,
}

impl EventPatch {
    pub fn apply(self, e: &TimelineEvent) -> EventInput {
        EventInput {
            at: self.at.unwrap_or(e.at),
            kind: self.kind.unwrap_or(e.kind),
            text: self.text.unwrap_or_else(|| e.text.clone()),
            source: self.source.unwrap_or(e.source),
            author: self.author.unwrap_or_else(|| e.author.clone()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::Problem;

    #[test]
    fn only_detection_and_recovery_set_incident_times() {
        assert_eq!(EventKind::Detected.moment(), Some(Moment::Detected));
        assert_eq!(EventKind::Recovered.moment(), Some(Moment::Recovered));
        assert_eq!(EventKind::AlertFired.moment(), None);
    }

    #[test]
    fn blank_text_is_rejected() {
        let e: EventInput = serde_json::from_value(serde_json::json!({
            "at": "2025-06-06T05:03:00Z", "kind": "note", "text": "   "
        }))
        .unwrap();
        assert_eq!(e.source, Provenance::Manual);
        assert_eq!(
            e.validated().unwrap_err(),
            Invalid::new("text", Problem::Required)
        );
    }
}
