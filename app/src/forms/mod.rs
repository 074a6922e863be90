//! HTML forms: what a browser posts (every field a string, times in the display zone) and how
//! it becomes a domain input. Parsing problems are `Invalid` on the field the person typed in,
//! exactly like the REST API's.

pub mod action_item;
pub mod five_why;
pub mod incident;
pub mod scenario;
pub mod timeline;

pub use action_item::ActionForm;
pub use five_why::{ChainForm, StepForm};
pub use incident::IncidentForm;
pub use scenario::ScenarioForm;
pub use timeline::EventForm;

use crate::domain::{Invalid, Problem, Spelling};

/// Parses one of an enum's spellings, or names the allowed ones.
pub fn choice<T: Spelling>(field: &str, value: &str) -> Result<T, Invalid> {
    T::parse(value.trim()).ok_or_else(|| Invalid::unknown_value(field, T::NAMES))
}

/// An optional count: empty is `None`, anything but a whole number ≥ 0 is an error.
pub(crate) fn count(field: &str, value: &str) -> Result<Option<i64>, Invalid> {
    let value = value.trim().replace(',', "");
    if value.is_empty() {
        return Ok(None);
    }
    value
        .parse::<i64>()
        .ok()
        .filter(|n| *n >= 0)
        .map(Some)
        .ok_or(Invalid::new(field, Problem::NotACount))
}

/// An optional id from a `<select>`; empty is `None`.
pub(crate) fn opt_id<T: From<i64>>(field: &str, value: &str) -> Result<Option<T>, Invalid> {
    let value = value.trim();
    if value.is_empty() {
        return Ok(None);
    }
    value.parse::<i64>().map(|n| Some(T::from(n))).map_err(|_| {
        Invalid::new(
            field,
            Problem::Malformed {
                detail: value.into(),
            },
        )
    })
}
