//! Validation failures: which field is wrong and why, in a form both languages can render.

use serde::{Deserialize, Serialize};

/// What is wrong with a value. The English text (`Display`) is what the REST API returns; the UI
/// renders the same problem through the language catalogue.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, thiserror::Error)]
#[serde(tag = "code", rename_all = "snake_case")]
pub enum Problem {
    #[error("must not be empty")]
    Required,
    #[error("must be at most {max} characters")]
    TooLong { max: usize },
    #[error("must be at least {min} characters")]
    TooShort { min: usize },
    #[error("must be at most {max}")]
    TooLarge { max: u64 },
    #[error("has reached its limit of {max}")]
    TooMany { max: usize },
    #[error("must not be the same as the name")]
    SameAsName,
    #[error("is already taken")]
    Taken,
    #[error("the name or the password is wrong")]
    WrongPassword,
    #[error("would leave no admin")]
    LastAdmin,
    #[error("cannot be taken from alerts while one of them is firing")]
    AlertsFiring,
    #[error("does not match")]
    Mismatch,
    #[error("unknown value, expected one of: {}", allowed.join(", "))]
    UnknownValue { allowed: Vec<String> },
    #[error("must be a date (YYYY-MM-DD)")]
    NotADate,
    #[error("must be a date and time")]
    NotADateTime,
    #[error("must be a whole number of at least 0")]
    NotACount,
    #[error("must not be earlier than {other}")]
    EarlierThan { other: String },
    #[error("can move forward, or back one step with a reason; not from {from} to {to}")]
    StatusMove { from: String, to: String },
    #[error("a reason is required when moving the status back")]
    ReasonRequired,
    #[error("needs at least one why/because step")]
    NoSteps,
    #[error("does not belong to this incident")]
    NotInIncident,
    #[error("is only for items that are done")]
    OnlyWhenDone,
    #[error("is only for incidents in review or closed")]
    OnlyWhenReviewed,
    #[error("must not be in the future")]
    InTheFuture,
    #[error("is invalid: {detail}")]
    Malformed { detail: String },
    #[error("is not UTF-8 text; save it as UTF-8 and try again")]
    NotUtf8,
    #[error("is not a text document")]
    NotText,
    #[error(
        "holds no failure scenario or postmortem hoego can read (headings like `Scenario 1: …`, `Timeline`, `Root cause`, `타임라인`)"
    )]
    NothingToImport,
}

/// A rejected input: the field (as named in the API, e.g. `title` or `steps[2].because`) and
/// the problem with it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, thiserror::Error)]
#[error("{field} {problem}")]
pub struct Invalid {
    pub field: String,
    pub problem: Problem,
}

impl Invalid {
    /// A `from`–`to` date filter whose end comes before its start: the one rule every
    /// ranged view shares, reported on `to`.
    pub fn check_date_range(
        from: Option<chrono::NaiveDate>,
        to: Option<chrono::NaiveDate>,
    ) -> Result<(), Invalid> {
        match (from, to) {
            (Some(from), Some(to)) if to < from => Err(Invalid::new(
                "to",
                Problem::EarlierThan {
                    other: "from".into(),
                },
            )),
            _ => Ok(()),
        }
    }

    pub fn new(field: impl Into<String>, problem: Problem) -> Self {
        Self {
            field: field.into(),
            problem,
        }
    }

    /// `field` is none of `allowed` (an enum's spellings).
    pub fn unknown_value(field: impl Into<String>, allowed: &[&str]) -> Self {
        Self::new(
            field,
            Problem::UnknownValue {
                allowed: allowed.iter().map(|s| s.to_string()).collect(),
            },
        )
    }
}

/// Trims `value` and checks it is present and at most `max` characters (not bytes: Korean text
/// counts as the reader sees it).
pub fn required_text(field: &str, value: &str, max: usize) -> Result<String, Invalid> {
    let value = value.trim();
    if value.is_empty() {
        return Err(Invalid::new(field, Problem::Required));
    }
    optional_text(field, value, max)
}

/// Trims `value` and checks it is at most `max` characters; empty is allowed.
pub fn optional_text(field: &str, value: &str, max: usize) -> Result<String, Invalid> {
    let value = value.trim();
    if value.chars().count() > max {
        return Err(Invalid::new(field, Problem::TooLong { max }));
    }
    Ok(value.to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn required_text_trims_and_rejects_blank() {
        assert_eq!(
            required_text("title", "  Redis 풀 고갈 ", 10).unwrap(),
            "Redis 풀 고갈"
        );
        assert_eq!(
            required_text("title", " \n\t", 10),
            Err(Invalid::new("title", Problem::Required))
        );
    }

    #[test]
    fn length_counts_characters_not_bytes() {
        // 5 Hangul syllables are 15 bytes but 5 characters.
        assert!(required_text("title", "연결풀고갈", 5).is_ok());
        assert_eq!(
            required_text("title", "연결풀고갈!", 5),
            Err(Invalid::new("title", Problem::TooLong { max: 5 }))
        );
    }

    #[test]
    fn english_message_names_the_field() {
        let e = Invalid::new(
            "recovered_at",
            Problem::EarlierThan {
                other: "started_at".into(),
            },
        );
        assert_eq!(
            e.to_string(),
            "recovered_at must not be earlier than started_at"
        );
    }
}
