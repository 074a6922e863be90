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

/// What an `If-Match` header asks for.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Precondition {
    /// `*`: any version.
    Any,
    Version(i64),
}

impl Precondition {
    /// The version to check against, if any.
    pub fn version(self) -> Option<i64> {
        match self {
            Precondition::Any => None,
            Precondition::Version(v) => Some(v),
        }
    }
}

/// Reads an `If-Match` header: `"7"`, `W/"7"`, `7` or `*`; `None` for anything else (hoego's
/// ETags are single versions, so a list is not one of them).
pub fn parse_if_match(value: &str) -> Option<Precondition> {
    let v = value.trim();
    if v == "*" {
        return Some(Precondition::Any);
    }
    let v = v.strip_prefix("W/").unwrap_or(v);
    let v = v
        .strip_prefix('"')
        .and_then(|v| v.strip_suffix('"'))
        .unwrap_or(v);
    v.parse::<i64>().ok().map(Precondition::Version)
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
        assert_eq!(parse_if_match("\"7\""), Some(Precondition::Version(7)));
        assert_eq!(parse_if_match("W/\"7\""), Some(Precondition::Version(7)));
        assert_eq!(parse_if_match(" 12 "), Some(Precondition::Version(12)));
        assert_eq!(parse_if_match("*"), Some(Precondition::Any));
        assert_eq!(parse_if_match("*").and_then(Precondition::version), None);
        assert_eq!(parse_if_match("\"abc\""), None);
        assert_eq!(parse_if_match("\"1\", \"2\""), None);
        assert_eq!(etag(7), "\"7\"");
    }
}
