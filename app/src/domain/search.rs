//! Searching past postmortems: what a search asks, what it answers, and the root-cause report.
//!
//! The server answers these from a tantivy index derived from the database; the page, the
//! server functions and `GET /api/v1/search` share these shapes.

use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};

use super::{IncidentId, Invalid, Problem, RootCauseCategory, Severity, Status};
use crate::queries::{FromParams, Params};

str_enum! {
    /// The parts of a postmortem a search looks in, most telling first.
    SearchPart {
        Title => "title",
        RootCause => "root_cause",
        FiveWhys => "five_whys",
        Summary => "summary",
        Impact => "impact",
        Timeline => "timeline",
        ActionItems => "action_items",
        Narrative => "narrative",
    }
}

/// Queries longer than this are cut (and the answer says so): nobody types more, and a pasted
/// log must not turn into a thousand-clause query.
pub const QUERY_MAX_CHARS: usize = 500;
pub const SEARCH_DEFAULT_LIMIT: usize = 20;
pub const SEARCH_MAX_LIMIT: usize = 100;
/// The deepest a search may be paged: the index keeps offset + limit hits in memory to page.
pub const SEARCH_MAX_OFFSET: usize = 10_000;

/// A full-text search with filters. Plain words are ranked by relevance (hits with every word
/// first); `text` may use the query syntax: `"phrase"`, `+word` and `title:word` are required,
/// `-word` excluded, and `AND`/`OR`/`NOT` make the whole text a boolean query.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::IntoParams), into_params(parameter_in = Query))]
pub struct SearchQuery {
    /// The words, in the query syntax (`q` in a query string).
    #[cfg_attr(feature = "ssr", param(rename = "q"))]
    pub text: String,
    pub severity: Option<Severity>,
    pub status: Option<Status>,
    pub service: Option<String>,
    pub category: Option<RootCauseCategory>,
    /// First day (in the display zone) impact may have begun on, inclusive.
    pub from: Option<NaiveDate>,
    /// Last day, inclusive.
    pub to: Option<NaiveDate>,
    pub limit: usize,
    pub offset: usize,
}

impl SearchQuery {
    /// A plain text search with default paging.
    pub fn text(text: impl Into<String>) -> Self {
        Self {
            text: text.into(),
            limit: SEARCH_DEFAULT_LIMIT,
            ..Default::default()
        }
    }

    /// Whether any filter besides the text is set.
    pub fn filtered(&self) -> bool {
        self.severity.is_some()
            || self.status.is_some()
            || self.service.is_some()
            || self.category.is_some()
            || self.from.is_some()
            || self.to.is_some()
    }
}

impl FromParams for SearchQuery {
    /// Reads `q`, `severity`, `status`, `service`, `category`, `from`, `to`, `limit`,
    /// `offset`. Bad filter values are errors naming the parameter; the text itself is never
    /// an error (see [`SearchResults::lenient`]).
    fn from_params(p: Params<'_>) -> Result<Self, Invalid> {
        let (limit, offset) = p.paging(
            SEARCH_DEFAULT_LIMIT as u64,
            SEARCH_MAX_LIMIT as u64,
            SEARCH_MAX_OFFSET as u64,
        )?;
        let q = Self {
            text: p.text("q").unwrap_or_default(),
            severity: p.choice("severity")?,
            status: p.choice("status")?,
            service: p.service("service"),
            category: p.choice("category")?,
            from: p.date("from")?,
            to: p.date("to")?,
            limit: limit as usize,
            offset: offset as usize,
        };
        Invalid::check_date_range(q.from, q.to)?;
        Ok(q)
    }
}

/// `GET /api/v1/incidents/{id}/similar`: how many to list (1–20, default 5).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "ssr", derive(utoipa::IntoParams), into_params(parameter_in = Query))]
pub struct SimilarQuery {
    /// How many, 1–20 (default 5).
    pub limit: usize,
}

impl FromParams for SimilarQuery {
    fn from_params(p: Params<'_>) -> Result<Self, Invalid> {
        let limit = p.count("limit", 5)?;
        if !(1..=20).contains(&limit) {
            return Err(Invalid::new("limit", Problem::NotACount));
        }
        Ok(Self {
            limit: limit as usize,
        })
    }
}

/// One matching postmortem.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct SearchHit {
    pub incident_id: IncidentId,
    pub title: String,
    pub severity: Severity,
    pub started_at: Option<DateTime<Utc>>,
    /// Relevance (BM25 over the parts, title and root causes weighted up, glossary matches
    /// down, scaled by the share of the query's words matched); only comparable within one
    /// answer, and hits with every word come first whatever their score.
    pub score: f32,
    /// Escaped text around the best match, matched words in `<mark>`.
    pub snippet: String,
    /// The parts the query matched, most telling first.
    pub matched_in: Vec<SearchPart>,
}

/// A glossary term a query used, and what was searched besides it.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct GlossaryUse {
    /// The words of the query, as typed.
    pub term: String,
    /// The glossary's other terms for them (matches through these rank below literal ones).
    pub also: Vec<String>,
}

/// One page of matches, best first.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct SearchResults {
    pub hits: Vec<SearchHit>,
    /// Matches across all pages.
    pub total: u64,
    /// Plain words were ranked by relevance: a hit need not hold every word.
    #[serde(default)]
    pub ranked: bool,
    /// How many hits hold every word as typed (and all that is required); they come first.
    #[serde(default)]
    pub exact: u64,
    /// Glossary terms the query used.
    #[serde(default)]
    pub glossary: Vec<GlossaryUse>,
    /// The text could not be read as a query (an unbalanced quote, a lone operator, an unknown
    /// field) and was searched as plain words instead.
    pub lenient: bool,
    /// The text was longer than [`QUERY_MAX_CHARS`] and was cut there.
    pub truncated: bool,
    /// Failure scenarios that answer the query too (on the first page only).
    #[serde(default)]
    pub scenarios: Vec<super::scenario::ScenarioHit>,
}

/// One 5-Why chain's conclusion, with the incident it belongs to.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct RootCauseEntry {
    pub incident_id: IncidentId,
    pub incident_title: String,
    pub severity: Severity,
    pub started_at: Option<DateTime<Utc>>,
    pub problem: String,
    pub root_cause: String,
}

/// Root causes of one category: how many there are, and the newest of them.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct RootCauseGroup {
    pub category: RootCauseCategory,
    pub count: u64,
    /// Newest first, at most [`ROOT_CAUSES_PER_GROUP`].
    pub entries: Vec<RootCauseEntry>,
}

/// How many entries a group lists; its count covers them all.
pub const ROOT_CAUSES_PER_GROUP: usize = 20;

/// Root causes across all postmortems, grouped by category, largest group first.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct RootCauseReport {
    pub groups: Vec<RootCauseGroup>,
    /// As in [`SearchResults::lenient`].
    pub lenient: bool,
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::queries::params::tests::params;

    #[test]
    fn reads_filters_and_paging() {
        let q = SearchQuery::from_map(&params(&[
            ("q", " 연결 풀 "),
            ("severity", "P1"),
            ("service", "Coupon-API"),
            ("category", "missing_resilience"),
            ("from", "2025-06-01"),
            ("to", "2025-06-30"),
            ("limit", "100"),
        ]))
        .unwrap();
        assert_eq!(q.text, "연결 풀");
        assert_eq!(q.severity, Some(Severity::P1));
        assert_eq!(q.service.as_deref(), Some("coupon-api"));
        assert_eq!(q.category, Some(RootCauseCategory::MissingResilience));
        assert_eq!(q.from, NaiveDate::from_ymd_opt(2025, 6, 1));
        assert_eq!(q.limit, SEARCH_MAX_LIMIT);
        let e = SearchQuery::from_map(&params(&[("limit", "500")])).unwrap_err();
        assert_eq!(e, Invalid::new("limit", Problem::TooLarge { max: 100 }));
        assert!(q.filtered());
    }

    #[test]
    fn bad_filters_name_their_parameter() {
        let e = SearchQuery::from_map(&params(&[("severity", "P9")])).unwrap_err();
        assert_eq!(e.field, "severity");
        let e = SearchQuery::from_map(&params(&[("from", "June")])).unwrap_err();
        assert_eq!((e.field.as_str(), e.problem), ("from", Problem::NotADate));
        let e = SearchQuery::from_map(&params(&[("from", "2025-06-02"), ("to", "2025-06-01")]))
            .unwrap_err();
        assert_eq!(e.field, "to");
        let e = SearchQuery::from_map(&params(&[("offset", "-1")])).unwrap_err();
        assert_eq!(e.field, "offset");
    }

    #[test]
    fn empty_values_mean_any() {
        let q =
            SearchQuery::from_map(&params(&[("q", ""), ("severity", ""), ("from", " ")])).unwrap();
        assert_eq!(q, SearchQuery::text(""));
        assert!(!q.filtered());
    }
}
