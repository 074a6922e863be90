//! Outgoing webhooks: who hears of what happens to incidents, and in which format.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use super::ids::{HookId, IncidentId};
use super::invalid::{Invalid, Problem, required_text};

str_enum! {
    /// The body a hook is sent.
    HookFormat {
        /// `{"text": …}`, which Slack, Mattermost, Rocket.Chat and Google Chat read.
        Slack => "slack",
        /// The event itself, for other tools.
        Json => "json",
        /// PagerDuty Events API v2: a P0/P1 opening triggers a page, recovery resolves it.
        PagerDuty => "pagerduty",
    }
}

str_enum! {
    /// What a hook can be told of.
    HookEvent {
        /// Opened by hand or by an alert.
        IncidentOpened => "incident_opened",
        SeverityChanged => "severity_changed",
        StatusChanged => "status_changed",
        /// Every 15 minutes while a P0/P1 is open: the seed's briefings.
        StatusUpdateDue => "status_update_due",
        /// Still open past its TTR target.
        TtrBreached => "ttr_breached",
        ActionOverdue => "action_overdue",
        /// Recovered more than 24 h ago and not yet in review (the seed's rule).
        ReviewDue => "review_due",
    }
}

/// An outgoing webhook.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Hook {
    pub id: HookId,
    pub name: String,
    pub url: String,
    pub format: HookFormat,
    pub events: Vec<HookEvent>,
    /// PagerDuty's integration key.
    pub routing_key: String,
    pub enabled: bool,
    pub created_at: DateTime<Utc>,
}

/// A hook as it is asked for.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct HookInput {
    pub name: String,
    pub url: String,
    pub format: HookFormat,
    pub events: Vec<HookEvent>,
    pub routing_key: String,
}

impl HookInput {
    pub fn validated(mut self) -> Result<Self, Invalid> {
        self.name = required_text("name", &self.name, 64)?;
        self.url = required_text("url", &self.url, 2_000)?;
        if !(self.url.starts_with("http://") || self.url.starts_with("https://")) {
            return Err(Invalid::new(
                "url",
                Problem::Malformed {
                    detail: "an http:// or https:// address".into(),
                },
            ));
        }
        self.events.sort();
        self.events.dedup();
        if self.events.is_empty() {
            return Err(Invalid::new("events", Problem::Required));
        }
        self.routing_key = self.routing_key.trim().to_owned();
        if self.format == HookFormat::PagerDuty && self.routing_key.is_empty() {
            return Err(Invalid::new("routing_key", Problem::Required));
        }
        Ok(self)
    }
}

/// One attempt to deliver a notification.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Delivery {
    pub at: DateTime<Utc>,
    pub event: HookEvent,
    pub incident_id: Option<IncidentId>,
    /// The receiver's answer, if it answered.
    pub status_code: Option<u16>,
    pub error: Option<String>,
    pub duration_ms: u64,
    /// Which attempt of this notification it was (1 is the first).
    pub attempt: u32,
}

/// A hook with its latest deliveries and what waits.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct HookStatus {
    pub hook: Hook,
    pub deliveries: Vec<Delivery>,
    /// Notifications not yet delivered (retrying).
    pub pending: u64,
    /// Notifications given up on.
    pub failed: u64,
}
