//! Documents in and out: what an import found in a Markdown file before anything is stored.

use serde::{Deserialize, Serialize};

use super::scenario::{DetectionMetric, ScenarioInput};
use super::status::Severity;

impl FoundTargets {
    /// `current` with what the report states put in its place.
    pub fn over(&self, current: super::metrics::Targets) -> super::metrics::Targets {
        let mut t = current;
        if let Some(m) = self.ttd_minutes {
            t.ttd_seconds = i64::from(m) * 60;
        }
        for (severity, m) in &self.ttr_minutes {
            t.ttr_seconds[*severity as usize] = i64::from(*m) * 60;
        }
        t
    }
}

/// MTTD/MTTR targets a report states.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct FoundTargets {
    pub ttd_minutes: Option<u32>,
    /// Per severity, in the order written.
    pub ttr_minutes: Vec<(Severity, u32)>,
}

/// A pre-mortem report read: its scenarios, its alert matrix and targets, and the titles of
/// the sections no part of it was taken from (they stay in the stored document).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct PremortemReading {
    pub scenarios: Vec<ScenarioInput>,
    pub matrix: Vec<DetectionMetric>,
    pub targets: Option<FoundTargets>,
    pub kept: Vec<String>,
}

str_enum! {
    /// What an imported document was read as.
    DocumentKind {
        /// A pre-mortem: failure scenarios with detection, staged response and predicted chains.
        Premortem => "premortem",
        /// A postmortem of one incident.
        Postmortem => "postmortem",
    }
}

/// What an import did, or (a dry run) would do.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct ImportReport {
    /// The file's name, as given.
    pub name: String,
    pub kind: DocumentKind,
    pub dry_run: bool,
    /// When the same document (byte for byte) was imported before; nothing was created again.
    pub imported_before: Option<chrono::DateTime<chrono::Utc>>,
    /// A pre-mortem's scenarios, matrix and targets (empty for a postmortem).
    pub premortem: PremortemReading,
    /// Whether the alert matrix's thresholds were written into the scenarios' metrics.
    pub matrix_applied: bool,
    /// Whether the report's MTTD/MTTR targets were saved as hoego's (from the next start).
    #[serde(default)]
    pub targets_applied: bool,
    /// The scenarios created (or, imported before, made then), by id and title.
    pub created: Vec<(super::ids::ScenarioId, String)>,
    /// A postmortem's incident, as read.
    pub postmortem: Option<PostmortemReading>,
    /// The incident created (or, imported before, made then).
    pub incident: Option<super::ids::IncidentId>,
}

str_enum! {
    /// Where a section of an imported postmortem went.
    Part {
        Title => "title",
        Summary => "summary",
        CustomerImpact => "customer_impact",
        BusinessImpact => "business_impact",
        Timeline => "timeline",
        FiveWhys => "five_whys",
        RootCause => "root_cause",
        ActionItems => "action_items",
        /// Kept as written in the incident's narrative.
        Narrative => "narrative",
    }
}

/// One section of a document and where it went.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct Placement {
    pub section: String,
    pub part: Part,
    /// What was made of it, e.g. "12 events" (empty when it went whole).
    pub detail: String,
}

/// A postmortem read: the incident it describes with its timeline, chains and action items,
/// where each section went, and what needed a guess.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct PostmortemReading {
    pub incident: super::incident::IncidentFields,
    pub timeline: Vec<super::timeline::EventInput>,
    pub chains: Vec<super::five_why::ChainInput>,
    pub actions: Vec<super::action_item::ActionInput>,
    pub placements: Vec<Placement>,
    /// Things the reader assumed or could not place, in English (e.g. "no severity stated;
    /// P2 assumed").
    pub notes: Vec<String>,
}
