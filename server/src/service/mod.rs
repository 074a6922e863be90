//! The app's service traits, implemented for [`Backend`](crate::backend::Backend): one file per
//! feature, as the traits are declared in `app::service`.
//!
//! This layer validates input (the domain's rules), runs each write as one transaction over the
//! storage functions, and commits through `Backend::commit`, which keeps the search index in
//! step. Storage functions hold the SQL and nothing else.

mod accounts;
mod action_items;
mod alerts;
mod audit;
mod documents;
mod five_whys;
mod hooks;
mod incidents;
mod insights;
mod limits;
mod load_tests;
mod scenarios;
mod search;
mod timeline;
mod tokens;

/// A record as the audit log keeps it.
fn json<T: serde::Serialize>(value: &T) -> Option<serde_json::Value> {
    serde_json::to_value(value).ok()
}
