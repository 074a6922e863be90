//! Versions: every incident and every record filed under one counts its writes. A change
//! made from an older copy is refused with what changed since, so nobody overwrites a
//! colleague's edit without seeing it.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

/// One write made since the version a change was based on: when, by whom, and each field's
/// value before and after it (as the audit log recorded them).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct Change {
    pub at: DateTime<Utc>,
    pub actor: String,
    pub fields: Vec<FieldChange>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct FieldChange {
    pub field: String,
    pub before: String,
    pub after: String,
}

/// The version an `If-Match` header names: `"7"`, `W/"7"` or `7`; `*` (any version) is
/// `Ok(None)`. Anything else is `Err`.
pub fn parse_if_match(value: &str) -> Result<Option<i64>, ()> {
    let v = value.trim();
    if v == "*" {
        return Ok(None);
    }
    let v = v.strip_prefix("W/").unwrap_or(v);
    let v = v
        .strip_prefix('"')
        .and_then(|v| v.strip_suffix('"'))
        .unwrap_or(v);
    v.parse::<i64>().map(Some).map_err(|_| ())
}

/// The `ETag` of a version.
pub fn etag(version: i64) -> String {
    format!("\"{version}\"")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn if_match_names_one_version() {
        assert_eq!(parse_if_match("\"7\""), Ok(Some(7)));
        assert_eq!(parse_if_match("W/\"7\""), Ok(Some(7)));
        assert_eq!(parse_if_match(" 12 "), Ok(Some(12)));
        assert_eq!(parse_if_match("*"), Ok(None));
        assert_eq!(parse_if_match("\"abc\""), Err(()));
        assert_eq!(parse_if_match("\"1\", \"2\""), Err(()));
        assert_eq!(etag(7), "\"7\"");
    }
}
