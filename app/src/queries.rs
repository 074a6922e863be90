//! What the list pages and list endpoints ask for, and the detail view's shape.

use std::collections::HashMap;

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use crate::domain::*;

pub const DEFAULT_LIMIT: i64 = 25;
pub const MAX_LIMIT: i64 = 200;

/// Filters and paging for the incident list; newest first.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct IncidentQuery {
    pub status: Option<Status>,
    pub severity: Option<Severity>,
    pub service: Option<String>,
    pub limit: i64,
    pub offset: i64,
}

impl Default for IncidentQuery {
    fn default() -> Self {
        Self {
            status: None,
            severity: None,
            service: None,
            limit: DEFAULT_LIMIT,
            offset: 0,
        }
    }
}

/// Which action items the overview shows.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ActionState {
    /// Open or in progress.
    #[default]
    Open,
    /// Open and past due (in the display time zone).
    Overdue,
    All,
}

impl ActionState {
    pub const ALL: [ActionState; 3] = [ActionState::Open, ActionState::Overdue, ActionState::All];
    pub fn as_str(self) -> &'static str {
        match self {
            ActionState::Open => "open",
            ActionState::Overdue => "overdue",
            ActionState::All => "all",
        }
    }
}

/// Filters and paging for the action-item overview across incidents.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ActionQuery {
    pub state: ActionState,
    pub owner: Option<String>,
    pub limit: i64,
    pub offset: i64,
}

impl Default for ActionQuery {
    fn default() -> Self {
        Self {
            state: ActionState::Open,
            owner: None,
            limit: DEFAULT_LIMIT,
            offset: 0,
        }
    }
}

/// An enum query parameter: absent or empty is `None`; anything else must be one of `names`.
pub(crate) fn enum_param<T>(
    q: &HashMap<String, String>,
    key: &str,
    parse: fn(&str) -> Option<T>,
    names: &[&str],
) -> Result<Option<T>, Invalid> {
    match q.get(key).map(|v| v.trim()).filter(|v| !v.is_empty()) {
        None => Ok(None),
        Some(v) => parse(v).map(Some).ok_or_else(|| {
            Invalid::new(
                key,
                Problem::UnknownValue {
                    allowed: names.iter().map(|s| s.to_string()).collect(),
                },
            )
        }),
    }
}

/// A trimmed text parameter; empty is `None`.
pub(crate) fn text_param(q: &HashMap<String, String>, key: &str) -> Option<String> {
    q.get(key)
        .map(|v| v.trim().to_string())
        .filter(|v| !v.is_empty())
}

/// `limit`/`offset` from a query string, bounded; bad numbers are an error naming the field.
fn paging(q: &HashMap<String, String>) -> Result<(i64, i64), Invalid> {
    let num = |key: &str, default: i64| -> Result<i64, Invalid> {
        match text_param(q, key) {
            None => Ok(default),
            Some(v) => v
                .parse::<i64>()
                .ok()
                .filter(|n| *n >= 0)
                .ok_or(Invalid::new(key, Problem::NotACount)),
        }
    };
    Ok((
        num("limit", DEFAULT_LIMIT)?.clamp(1, MAX_LIMIT),
        num("offset", 0)?,
    ))
}

impl IncidentQuery {
    /// Reads `status`, `severity`, `service`, `limit`, `offset`; empty values mean "any".
    pub fn from_params(q: &HashMap<String, String>) -> Result<Self, Invalid> {
        let (limit, offset) = paging(q)?;
        Ok(Self {
            status: enum_param(q, "status", Status::parse, Status::NAMES)?,
            severity: enum_param(q, "severity", Severity::parse, Severity::NAMES)?,
            service: text_param(q, "service").map(|s| s.to_lowercase()),
            limit,
            offset,
        })
    }
}

impl ActionQuery {
    /// Reads `state` (`open`, `overdue`, `all`), `owner`, `limit`, `offset`.
    pub fn from_params(q: &HashMap<String, String>) -> Result<Self, Invalid> {
        let (limit, offset) = paging(q)?;
        let state = enum_param(
            q,
            "state",
            |s| ActionState::ALL.into_iter().find(|a| a.as_str() == s),
            &["open", "overdue", "all"],
        )?;
        Ok(Self {
            state: state.unwrap_or_default(),
            owner: text_param(q, "owner"),
            limit,
            offset,
        })
    }
}

/// A recorded status change; moves back carry their reason.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct StatusChange {
    pub from: Status,
    pub to: Status,
    pub reason: String,
    pub at: DateTime<Utc>,
}

/// One incident with everything filed under it, as the detail page and
/// `GET /api/v1/incidents/{id}` show it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct IncidentDetail {
    #[serde(flatten)]
    pub incident: Incident,
    /// `summary` rendered from Markdown and sanitized on the server.
    pub summary_html: String,
    /// `narrative` rendered from Markdown and sanitized on the server.
    pub narrative_html: String,
    /// In time order.
    pub timeline: Vec<TimelineEvent>,
    pub five_whys: Vec<FiveWhyChain>,
    pub action_items: Vec<ActionItem>,
    pub status_changes: Vec<StatusChange>,
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;

    /// Query parameters as the pages receive them.
    pub(crate) fn params(pairs: &[(&str, &str)]) -> HashMap<String, String> {
        pairs
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect()
    }

    #[test]
    fn empty_filters_mean_any() {
        let q = IncidentQuery::from_params(&params(&[("status", ""), ("service", " ")])).unwrap();
        assert_eq!(q, IncidentQuery::default());
    }

    #[test]
    fn filters_parse_and_limit_is_bounded() {
        let q = IncidentQuery::from_params(&params(&[
            ("severity", "P1"),
            ("service", "Redis"),
            ("limit", "5000"),
        ]))
        .unwrap();
        assert_eq!(
            (q.severity, q.service.as_deref(), q.limit),
            (Some(Severity::P1), Some("redis"), 200)
        );
    }

    #[test]
    fn bad_values_name_their_parameter() {
        let e = IncidentQuery::from_params(&params(&[("severity", "P7")])).unwrap_err();
        assert_eq!(e.field, "severity");
        let e = ActionQuery::from_params(&params(&[("offset", "-3")])).unwrap_err();
        assert_eq!(e, Invalid::new("offset", Problem::NotACount));
    }
}
