//! The postmortem domain: plain types and pure rules, compiled for the server and the browser.
//!
//! Nothing here does I/O. The server validates every write with these functions, and the UI uses
//! the same enums and metric definitions, so a rule lives in exactly one place.

#[macro_use]
pub mod str_enum;
#[macro_use]
pub mod ids;
pub mod access;
pub mod action_item;
pub mod alerts;
pub mod documents;
pub mod five_why;
pub mod hooks;
pub mod incident;
pub mod insights;
pub mod invalid;
pub mod load_tests;
pub mod metrics;
pub mod people;
pub mod scenario;
pub mod search;
pub mod status;
pub mod summaries;
pub mod timeline;
pub mod versions;

pub use access::*;
pub use action_item::*;
pub use alerts::*;
pub use documents::*;
pub use five_why::*;
pub use hooks::*;
pub use ids::*;
pub use incident::*;
pub use insights::*;
pub use invalid::{Invalid, Problem};
pub use load_tests::*;
pub use metrics::*;
pub use people::*;
pub use scenario::*;
pub use search::*;
pub use status::*;
pub use str_enum::Spelling;
pub use timeline::*;
pub use versions::*;

/// One page of a list, as the REST API and the UI both answer it.
#[derive(Clone, Debug, PartialEq, serde::Serialize, serde::Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct Page<T> {
    pub items: Vec<T>,
    /// Rows matching the filter, across all pages.
    pub total: i64,
}
