//! What the list pages and list endpoints ask for, and the detail view's shape.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use crate::domain::*;

pub mod params;

pub use params::{FromParams, Params};

pub const DEFAULT_LIMIT: u64 = 25;
pub const MAX_LIMIT: u64 = 200;
/// The deepest a list may be paged: SQLite walks every row before the offset.
pub const MAX_OFFSET: u64 = 1_000_000;
/// The last page a list page may ask for (25 rows a page, up to [`MAX_OFFSET`]).
pub const MAX_PAGE: u64 = MAX_OFFSET / DEFAULT_LIMIT;

/// Filters and paging for the incident list; newest first.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::IntoParams), into_params(parameter_in = Query))]
pub struct IncidentQuery {
    pub status: Option<Status>,
    pub severity: Option<Severity>,
    pub service: Option<String>,
    /// Drills only (`true`), left out (`false`), or both (`None`).
    pub drill: Option<bool>,
    pub limit: u64,
    pub offset: u64,
}

impl Default for IncidentQuery {
    fn default() -> Self {
        Self {
            status: None,
            severity: None,
            service: None,
            drill: None,
            limit: DEFAULT_LIMIT,
            offset: 0,
        }
    }
}

str_enum! {
    /// Which action items the overview shows.
    ActionState {
        /// Open or in progress.
        Open => "open",
        /// Open and past due (in the display time zone).
        Overdue => "overdue",
        All => "all",
    }
}

/// Filters and paging for the action-item overview across incidents.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::IntoParams), into_params(parameter_in = Query))]
pub struct ActionQuery {
    pub state: ActionState,
    pub owner: Option<String>,
    pub limit: u64,
    pub offset: u64,
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

/// Filters and paging for the audit log; newest first.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct AuditQuery {
    /// Who (a person's name or a machine token's).
    pub actor: Option<String>,
    pub incident: Option<IncidentId>,
    pub limit: u64,
    pub offset: u64,
}

impl FromParams for AuditQuery {
    /// Reads `actor`, `incident`, `limit`, `offset`.
    fn from_params(p: Params<'_>) -> Result<Self, Invalid> {
        let (limit, offset) = p.paging(DEFAULT_LIMIT, MAX_LIMIT, MAX_OFFSET)?;
        let incident = p
            .raw("incident")
            .map(|v| {
                v.parse::<i64>()
                    .map(IncidentId::from)
                    .map_err(|_| Invalid::new("incident", Problem::NotACount))
            })
            .transpose()?;
        Ok(Self {
            actor: p.text("actor"),
            incident,
            limit,
            offset,
        })
    }
}

/// Filters and paging for the alert list; newest first.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::IntoParams), into_params(parameter_in = Query))]
pub struct AlertQuery {
    pub status: Option<AlertStatus>,
    pub alertname: Option<String>,
    pub service: Option<String>,
    pub priority: Option<Severity>,
    /// Linked to an incident (`true`) or not (`false`).
    pub linked: Option<bool>,
    /// First day (display zone) it arrived on.
    pub from: Option<chrono::NaiveDate>,
    /// Last day, inclusive.
    pub to: Option<chrono::NaiveDate>,
    pub limit: u64,
    pub offset: u64,
}

impl FromParams for AlertQuery {
    /// Reads `status`, `alertname`, `service`, `priority`, `linked` (`yes`/`no`), `from`, `to`,
    /// `limit`, `offset`.
    fn from_params(p: Params<'_>) -> Result<Self, Invalid> {
        let (limit, offset) = p.paging(DEFAULT_LIMIT, MAX_LIMIT, MAX_OFFSET)?;
        let linked = match p.raw("linked") {
            None => None,
            Some("yes" | "true") => Some(true),
            Some("no" | "false") => Some(false),
            Some(_) => return Err(Invalid::unknown_value("linked", &["yes", "no"])),
        };
        Ok(Self {
            status: p.choice("status")?,
            alertname: p.text("alertname"),
            service: p.service("service"),
            priority: p.choice("priority")?,
            linked,
            from: p.date("from")?,
            to: p.date("to")?,
            limit,
            offset,
        })
    }
}

/// Filters and paging for the load-test runs; newest first.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::IntoParams), into_params(parameter_in = Query))]
pub struct LoadTestQuery {
    /// Words in a run's name, scenario or notes.
    #[cfg_attr(feature = "ssr", param(rename = "q"))]
    pub text: Option<String>,
    pub service: Option<String>,
    pub scenario: Option<String>,
    /// Passed (`true`) or failed (`false`).
    pub passed: Option<bool>,
    pub from: Option<chrono::NaiveDate>,
    pub to: Option<chrono::NaiveDate>,
    pub limit: u64,
    pub offset: u64,
}

impl FromParams for LoadTestQuery {
    /// Reads `q`, `service`, `scenario`, `passed` (`yes`/`no`), `from`, `to`, `limit`, `offset`.
    fn from_params(p: Params<'_>) -> Result<Self, Invalid> {
        let (limit, offset) = p.paging(DEFAULT_LIMIT, MAX_LIMIT, MAX_OFFSET)?;
        let passed = match p.raw("passed") {
            None => None,
            Some("yes" | "true") => Some(true),
            Some("no" | "false") => Some(false),
            Some(_) => return Err(Invalid::unknown_value("passed", &["yes", "no"])),
        };
        Ok(Self {
            text: p
                .text("q")
                .map(|t| t.chars().take(crate::domain::QUERY_MAX_CHARS).collect()),
            service: p.service("service"),
            scenario: p.text("scenario"),
            passed,
            from: p.date("from")?,
            to: p.date("to")?,
            limit,
            offset,
        })
    }
}

/// Filters and paging for the failure scenarios; most severe first, then by title.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::IntoParams), into_params(parameter_in = Query))]
pub struct ScenarioQuery {
    /// Words in a scenario's title, trigger or root cause.
    #[cfg_attr(feature = "ssr", param(rename = "q"))]
    pub text: Option<String>,
    pub severity: Option<Severity>,
    pub service: Option<String>,
    pub limit: u64,
    pub offset: u64,
}

impl FromParams for ScenarioQuery {
    /// Reads `q`, `severity`, `service`, `limit`, `offset`.
    fn from_params(p: Params<'_>) -> Result<Self, Invalid> {
        let (limit, offset) = p.paging(DEFAULT_LIMIT, MAX_LIMIT, MAX_OFFSET)?;
        Ok(Self {
            text: p
                .text("q")
                .map(|t| t.chars().take(crate::domain::QUERY_MAX_CHARS).collect()),
            severity: p.choice("severity")?,
            service: p.service("service"),
            limit,
            offset,
        })
    }
}

/// What `/insights` looks at: the incidents whose impact began between `from` and `to`
/// (display zone; without either, the last twelve periods up to today), of one severity or
/// service if given, with drills left out unless asked.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::IntoParams), into_params(parameter_in = Query))]
pub struct InsightsQuery {
    pub from: Option<chrono::NaiveDate>,
    pub to: Option<chrono::NaiveDate>,
    pub severity: Option<Severity>,
    pub service: Option<String>,
    pub drills: Drills,
    pub period: Period,
}

impl Default for InsightsQuery {
    fn default() -> Self {
        Self {
            from: None,
            to: None,
            severity: None,
            service: None,
            drills: Drills::Exclude,
            period: Period::Month,
        }
    }
}

impl FromParams for InsightsQuery {
    /// Reads `from`, `to`, `severity`, `service`, `drills` (`exclude`, `include`, `only`),
    /// `period` (`week`, `month`, `quarter`).
    fn from_params(p: Params<'_>) -> Result<Self, Invalid> {
        let q = Self {
            from: p.date("from")?,
            to: p.date("to")?,
            severity: p.choice("severity")?,
            service: p.service("service"),
            drills: p.choice("drills")?.unwrap_or(Drills::Exclude),
            period: p.choice("period")?.unwrap_or(Period::Month),
        };
        Invalid::check_date_range(q.from, q.to)?;
        Ok(q)
    }
}

impl InsightsQuery {
    /// The query string that asks for this view (empty values left out), for links.
    pub fn to_query_string(&self) -> String {
        let mut parts: Vec<(&str, String)> = Vec::new();
        if let Some(d) = self.from {
            parts.push(("from", d.to_string()));
        }
        if let Some(d) = self.to {
            parts.push(("to", d.to_string()));
        }
        if let Some(s) = self.severity {
            parts.push(("severity", s.to_string()));
        }
        if let Some(s) = &self.service {
            parts.push(("service", s.clone()));
        }
        if self.drills != Drills::Exclude {
            parts.push(("drills", self.drills.to_string()));
        }
        if self.period != Period::Month {
            parts.push(("period", self.period.to_string()));
        }
        parts
            .iter()
            .map(|(k, v)| format!("{k}={}", urlencoding::encode(v)))
            .collect::<Vec<_>>()
            .join("&")
    }
}

/// The incidents behind one figure of `/insights`: the view's filters, then the figure.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct BehindQuery {
    pub view: InsightsQuery,
    pub figure: Figure,
}

/// A figure of `/insights`: a group of a breakdown (`breakdown` and `key`, e.g. `severity` and
/// `P1`; none for every incident in view), and which of its incidents (`subset`, judged by
/// `measure` where it matters), paged.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::IntoParams), into_params(parameter_in = Query))]
pub struct Figure {
    pub breakdown: Option<Breakdown>,
    pub key: Option<String>,
    pub measure: Option<Measure>,
    pub subset: Subset,
    pub limit: u64,
    pub offset: u64,
}

impl FromParams for BehindQuery {
    /// Reads the view's parameters and `breakdown`, `key`, `measure`, `subset`, `limit`,
    /// `offset`.
    fn from_params(p: Params<'_>) -> Result<Self, Invalid> {
        let (limit, offset) = p.paging(DEFAULT_LIMIT, MAX_LIMIT, MAX_OFFSET)?;
        let breakdown = p.choice("breakdown")?;
        let key = p.text("key");
        if breakdown.is_some() && key.is_none() {
            return Err(Invalid::new("key", Problem::Required));
        }
        let measure = p.choice("measure")?;
        let subset = p.choice("subset")?.unwrap_or(Subset::All);
        if subset != Subset::All && measure.is_none() {
            return Err(Invalid::new("measure", Problem::Required));
        }
        Ok(Self {
            view: InsightsQuery::from_params(p)?,
            figure: Figure {
                breakdown,
                key,
                measure,
                subset,
                limit,
                offset,
            },
        })
    }
}

impl FromParams for IncidentQuery {
    /// Reads `status`, `severity`, `service`, `drill` (`only`, `no`), `limit`, `offset`.
    fn from_params(p: Params<'_>) -> Result<Self, Invalid> {
        let (limit, offset) = p.paging(DEFAULT_LIMIT, MAX_LIMIT, MAX_OFFSET)?;
        let drill = match p.raw("drill") {
            None => None,
            Some("only" | "yes" | "true") => Some(true),
            Some("no" | "false") => Some(false),
            Some(_) => return Err(Invalid::unknown_value("drill", &["only", "no"])),
        };
        Ok(Self {
            status: p.choice("status")?,
            severity: p.choice("severity")?,
            service: p.service("service"),
            drill,
            limit,
            offset,
        })
    }
}

impl FromParams for ActionQuery {
    /// Reads `state` (`open`, `overdue`, `all`), `owner`, `limit`, `offset`.
    fn from_params(p: Params<'_>) -> Result<Self, Invalid> {
        let (limit, offset) = p.paging(DEFAULT_LIMIT, MAX_LIMIT, MAX_OFFSET)?;
        Ok(Self {
            state: p.choice("state")?.unwrap_or(ActionState::Open),
            owner: p.text("owner"),
            limit,
            offset,
        })
    }
}

/// A recorded status change; moves back carry their reason.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct StatusChange {
    pub from: Status,
    pub to: Status,
    pub reason: String,
    pub at: DateTime<Utc>,
    /// Who moved it.
    pub by: String,
}

/// One incident with everything filed under it, as the detail page and
/// `GET /api/v1/incidents/{id}` show it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
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
    /// The alert events linked to it, in the order they started.
    pub alerts: Vec<AlertEvent>,
    /// Load-test runs linked to it.
    pub load_tests: Vec<IncidentRun>,
    /// What each of its services was last proven to carry: the latest passing run per
    /// scenario.
    pub capacity: Vec<Capacity>,
    /// The failure scenarios it is linked to, each plan as a checklist.
    pub scenarios: Vec<IncidentScenario>,
    /// Every scenario it could be linked to.
    pub scenario_choices: Vec<ScenarioChoice>,
}

#[cfg(test)]
mod tests {
    use super::params::tests::params;
    use super::*;

    #[test]
    fn empty_filters_mean_any() {
        let q = IncidentQuery::from_map(&params(&[("status", ""), ("service", " ")])).unwrap();
        assert_eq!(q, IncidentQuery::default());
    }

    #[test]
    fn filters_parse_and_limit_is_bounded() {
        let q = IncidentQuery::from_map(&params(&[
            ("severity", "P1"),
            ("service", "Redis"),
            ("limit", "200"),
        ]))
        .unwrap();
        assert_eq!(
            (q.severity, q.service.as_deref(), q.limit),
            (Some(Severity::P1), Some("redis"), 200)
        );
        let e = IncidentQuery::from_map(&params(&[("limit", "5000")])).unwrap_err();
        assert_eq!(e, Invalid::new("limit", Problem::TooLarge { max: 200 }));
    }

    #[test]
    fn bad_values_name_their_parameter() {
        let e = IncidentQuery::from_map(&params(&[("severity", "P7")])).unwrap_err();
        assert_eq!(e.field, "severity");
        let e = ActionQuery::from_map(&params(&[("offset", "-3")])).unwrap_err();
        assert_eq!(e, Invalid::new("offset", Problem::NotACount));
    }
}
