//! Action items: the follow-up work a postmortem commits to.

use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};

use super::ids::{ActionId, IncidentId, StepId};
use super::invalid::{Invalid, Problem, optional_text, required_text};
use super::status::Severity;

str_enum! {
    ActionStatus {
        Open => "open",
        InProgress => "in_progress",
        Done => "done",
        WontDo => "wont_do",
    }
}

str_enum! {
    /// How soon, in the seed's terms: 즉시 (minutes), 단기 (hours), 중장기 (weeks).
    Horizon {
        Immediate => "immediate",
        ShortTerm => "short_term",
        LongTerm => "long_term",
    }
}

str_enum! {
    ActionKind {
        Technical => "technical",
        Process => "process",
        People => "people",
    }
}

impl ActionStatus {
    /// Still work to do.
    pub fn is_open(self) -> bool {
        matches!(self, ActionStatus::Open | ActionStatus::InProgress)
    }
}

pub const ACTION_TITLE_MAX: usize = 300;
pub const OWNER_MAX: usize = 100;

/// A stored action item.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct ActionItem {
    pub id: ActionId,
    pub incident_id: IncidentId,
    pub title: String,
    pub owner: String,
    pub due: Option<NaiveDate>,
    pub status: ActionStatus,
    pub horizon: Horizon,
    pub kind: ActionKind,
    /// The 5-Why step this item addresses, if any.
    pub five_why_step_id: Option<StepId>,
    /// Who filed it.
    pub created_by: String,
    /// When it was done: set when it moves to `done`, cleared when it moves back. Items done
    /// before hoego kept this have none.
    pub done_at: Option<DateTime<Utc>>,
    /// Counts its writes (its `ETag`); a change sent with an older one is refused.
    #[serde(default)]
    pub version: i64,
}

impl ActionItem {
    /// Open and past its due date; `today` is the date in the display time zone.
    pub fn is_overdue(&self, today: NaiveDate) -> bool {
        self.status.is_open() && self.due.is_some_and(|d| d < today)
    }
}

/// An action item with the incident it belongs to, for the overview across incidents.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct ActionItemRow {
    #[serde(flatten)]
    pub item: ActionItem,
    pub incident_title: String,
    pub incident_severity: Severity,
}

fn open() -> ActionStatus {
    ActionStatus::Open
}

/// The body of `POST …/action-items`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct ActionInput {
    pub title: String,
    #[serde(default)]
    pub owner: String,
    #[serde(default)]
    pub due: Option<NaiveDate>,
    #[serde(default = "open")]
    pub status: ActionStatus,
    pub horizon: Horizon,
    pub kind: ActionKind,
    #[serde(default)]
    pub five_why_step_id: Option<StepId>,
    /// When a `done` item was done, for work finished before it was filed; without it, an
    /// item filed or moved to `done` is done at that moment.
    #[serde(default)]
    pub done_at: Option<DateTime<Utc>>,
}

/// How far ahead of the server's clock a `done_at` may be (clocks differ a little).
const CLOCK_SLACK_SECONDS: i64 = 300;

impl ActionInput {
    pub fn validated(self) -> Result<Self, Invalid> {
        if let Some(at) = self.done_at {
            if self.status != ActionStatus::Done {
                return Err(Invalid::new("done_at", Problem::OnlyWhenDone));
            }
            if at > Utc::now() + chrono::Duration::seconds(CLOCK_SLACK_SECONDS) {
                return Err(Invalid::new("done_at", Problem::InTheFuture));
            }
        }
        Ok(Self {
            title: required_text("title", &self.title, ACTION_TITLE_MAX)?,
            owner: optional_text("owner", &self.owner, OWNER_MAX)?,
            ..self
        })
    }

    /// The `done_at` to store, given the item as it was (`None` for a new one) and the time
    /// now: the one given; else the earlier one if it was done already; else now if it is
    /// done now; else none.
    pub fn settle_done_at(&mut self, before: Option<&ActionItem>, now: DateTime<Utc>) {
        self.done_at = match (self.status, self.done_at) {
            (ActionStatus::Done, Some(at)) => Some(at),
            (ActionStatus::Done, None) => Some(
                before
                    .filter(|b| b.status == ActionStatus::Done)
                    .and_then(|b| b.done_at)
                    .unwrap_or(now),
            ),
            _ => None,
        };
    }
}

/// The body of `PATCH …/action-items/{id}`; `null` clears `due` or the step link.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct ActionPatch {
    /// The version this change was made from (`If-Match` sets it too): refused with 412 and
    /// what changed since if it is stale. Absent: no check.
    #[serde(default)]
    pub version: Option<i64>,
    pub title: Option<String>,
    pub owner: Option<String>,
    #[serde(default, with = "super::incident::double_option")]
    pub due: Option<Option<NaiveDate>>,
    pub status: Option<ActionStatus>,
    pub horizon: Option<Horizon>,
    pub kind: Option<ActionKind>,
    #[serde(default, with = "super::incident::double_option")]
    pub five_why_step_id: Option<Option<StepId>>,
    /// When it was done (with `status: done`); absent keeps it.
    pub done_at: Option<DateTime<Utc>>,
}

impl ActionPatch {
    pub fn apply(self, a: &ActionItem) -> ActionInput {
        ActionInput {
            title: self.title.unwrap_or_else(|| a.title.clone()),
            owner: self.owner.unwrap_or_else(|| a.owner.clone()),
            due: self.due.unwrap_or(a.due),
            status: self.status.unwrap_or(a.status),
            horizon: self.horizon.unwrap_or(a.horizon),
            kind: self.kind.unwrap_or(a.kind),
            five_why_step_id: self.five_why_step_id.unwrap_or(a.five_why_step_id),
            done_at: self.done_at,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn item(status: ActionStatus, due: Option<&str>) -> ActionItem {
        ActionItem {
            id: 1.into(),
            incident_id: 1.into(),
            title: "Circuit Breaker 적용".into(),
            owner: "홍석호".into(),
            due: due.map(|d| d.parse().unwrap()),
            status,
            horizon: Horizon::LongTerm,
            kind: ActionKind::Technical,
            five_why_step_id: None,
            created_by: String::new(),
            done_at: None,
            version: 1,
        }
    }

    #[test]
    fn overdue_means_open_and_past_due() {
        let today: NaiveDate = "2025-06-20".parse().unwrap();
        assert!(item(ActionStatus::Open, Some("2025-06-19")).is_overdue(today));
        assert!(item(ActionStatus::InProgress, Some("2025-06-19")).is_overdue(today));
        assert!(!item(ActionStatus::Open, Some("2025-06-20")).is_overdue(today));
        assert!(!item(ActionStatus::Done, Some("2025-06-01")).is_overdue(today));
        assert!(!item(ActionStatus::Open, None).is_overdue(today));
    }

    #[test]
    fn a_due_date_must_be_a_date() {
        let body = serde_json::json!({"title": "t", "horizon": "immediate", "kind": "process",
            "due": "next friday"});
        assert!(serde_json::from_value::<ActionInput>(body).is_err());
    }
}
