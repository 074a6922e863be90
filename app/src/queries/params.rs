//! Query strings, read one way for the list pages, search and the REST API.
//!
//! A query string arrives as a map of names to values (the router's `use_query_map` on a page,
//! axum's `Query` in the REST API, both percent-decoded by a URL parser). Values are trimmed and
//! an empty value means "not given", because a filter form sends every field, filled in or not.
//! A value that cannot be read is an [`Invalid`] naming the parameter: 422 in the API, a message
//! on the page.

use std::collections::HashMap;

use chrono::NaiveDate;

use crate::domain::{Invalid, Problem, Spelling};

/// A query string's parameters.
#[derive(Clone, Copy, Debug)]
pub struct Params<'a>(&'a HashMap<String, String>);

/// A query read from a query string.
pub trait FromParams: Sized {
    fn from_params(p: Params<'_>) -> Result<Self, Invalid>;

    /// Reads the query from a map of parameters.
    fn from_map(map: &HashMap<String, String>) -> Result<Self, Invalid> {
        Self::from_params(Params(map))
    }
}

impl<'a> Params<'a> {
    pub fn new(map: &'a HashMap<String, String>) -> Self {
        Self(map)
    }

    /// The trimmed value, if it is not empty.
    pub fn raw(&self, key: &str) -> Option<&'a str> {
        self.0.get(key).map(|v| v.trim()).filter(|v| !v.is_empty())
    }

    pub fn text(&self, key: &str) -> Option<String> {
        self.raw(key).map(str::to_owned)
    }

    /// A service name: services are stored lower-case.
    pub fn service(&self, key: &str) -> Option<String> {
        self.raw(key).map(str::to_lowercase)
    }

    /// One of an enum's spellings.
    pub fn choice<T: Spelling>(&self, key: &str) -> Result<Option<T>, Invalid> {
        self.raw(key)
            .map(|v| T::parse(v).ok_or_else(|| Invalid::unknown_value(key, T::NAMES)))
            .transpose()
    }

    /// A day, `YYYY-MM-DD`.
    pub fn date(&self, key: &str) -> Result<Option<NaiveDate>, Invalid> {
        self.raw(key)
            .map(|v| {
                NaiveDate::parse_from_str(v, "%Y-%m-%d")
                    .map_err(|_| Invalid::new(key, Problem::NotADate))
            })
            .transpose()
    }

    /// A whole number ≥ 0, `default` when not given.
    pub fn count(&self, key: &str, default: u64) -> Result<u64, Invalid> {
        self.raw(key).map_or(Ok(default), |v| {
            v.parse().map_err(|_| Invalid::new(key, Problem::NotACount))
        })
    }

    /// `limit` (1 to `max_limit`) and `offset` (at most `max_offset`). Beyond either is refused
    /// rather than served slowly: a deep offset makes the database or the index walk every row
    /// before it.
    pub fn paging(
        &self,
        default_limit: u64,
        max_limit: u64,
        max_offset: u64,
    ) -> Result<(u64, u64), Invalid> {
        let limit = self.count("limit", default_limit)?.max(1);
        if limit > max_limit {
            return Err(Invalid::new("limit", Problem::TooLarge { max: max_limit }));
        }
        let offset = self.count("offset", 0)?;
        if offset > max_offset {
            return Err(Invalid::new(
                "offset",
                Problem::TooLarge { max: max_offset },
            ));
        }
        Ok((limit, offset))
    }

    /// The 1-based `page` of a list page (anything unreadable is the first), at most
    /// `max_page`.
    pub fn page(&self, max_page: u64) -> Result<u64, Invalid> {
        let page = self
            .raw("page")
            .and_then(|p| p.parse().ok())
            .unwrap_or(1u64)
            .max(1);
        if page > max_page {
            return Err(Invalid::new("page", Problem::TooLarge { max: max_page }));
        }
        Ok(page)
    }
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use crate::domain::Severity;

    /// Query parameters as the pages receive them.
    pub(crate) fn params(pairs: &[(&str, &str)]) -> HashMap<String, String> {
        pairs
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect()
    }

    #[test]
    fn values_are_trimmed_and_empty_means_absent() {
        let map = params(&[("q", "  연결 풀 "), ("service", " Redis "), ("status", "")]);
        let p = Params::new(&map);
        assert_eq!(p.text("q").as_deref(), Some("연결 풀"));
        assert_eq!(p.service("service").as_deref(), Some("redis"));
        assert_eq!(p.text("status"), None);
        assert_eq!(p.choice::<Severity>("status"), Ok(None));
    }

    #[test]
    fn unreadable_values_name_their_parameter() {
        let map = params(&[
            ("severity", "P9"),
            ("limit", "-1"),
            ("from", "June"),
            ("page", "x"),
        ]);
        let p = Params::new(&map);
        assert_eq!(
            p.choice::<Severity>("severity").unwrap_err().field,
            "severity"
        );
        assert_eq!(
            p.paging(25, 200, 1_000).unwrap_err(),
            Invalid::new("limit", Problem::NotACount)
        );
        assert_eq!(p.date("from").unwrap_err().problem, Problem::NotADate);
        assert_eq!(p.page(100), Ok(1));
    }

    #[test]
    fn paging_beyond_the_caps_is_refused() {
        let map = params(&[("limit", "500"), ("offset", "1000000000000"), ("page", "7")]);
        let p = Params::new(&map);
        assert_eq!(
            p.paging(25, 200, 10_000).unwrap_err(),
            Invalid::new("limit", Problem::TooLarge { max: 200 })
        );
        let map = params(&[("offset", "1000000000000")]);
        assert_eq!(
            Params::new(&map).paging(25, 200, 10_000).unwrap_err(),
            Invalid::new("offset", Problem::TooLarge { max: 10_000 })
        );
        assert_eq!(
            p.page(5).unwrap_err(),
            Invalid::new("page", Problem::TooLarge { max: 5 })
        );
    }
}
