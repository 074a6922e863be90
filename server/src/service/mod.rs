//! The app's service traits, implemented for [`Backend`](crate::backend::Backend): one file per
//! feature, as the traits are declared in `app::service`.
//!
//! This layer validates input (the domain's rules), runs each write as one transaction over the
//! storage functions, and commits through `Backend::commit`, which keeps the search index in
//! step. Storage functions hold the SQL and nothing else.

mod accounts;
mod action_items;
mod alert_writes;
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

pub use alert_writes::AlertWrites;

/// A record as the audit log keeps it.
fn json<T: serde::Serialize>(value: &T) -> Option<serde_json::Value> {
    serde_json::to_value(value).ok()
}

/// Gives an incident new fields, whoever's write it is (an edit, a timeline event that sets a
/// timestamp, an alert that detects it): counts it in the incident's version and audits it
/// with the versions before and after, which is what a stale edit's 412 lists. Nothing
/// changed: nothing is written.
async fn rewrite_incident(
    tx: &mut crate::storage::Tx,
    by: &app::domain::Actor,
    current: &app::domain::Incident,
    next: &app::domain::IncidentFields,
) -> crate::error::Result<()> {
    use crate::storage::audit::{self, Record};
    use crate::storage::versions::with_version;
    if current.fields == *next {
        return Ok(());
    }
    crate::storage::incidents::write(tx, current.id, next).await?;
    audit::record(
        tx,
        by,
        app::domain::Verb::Update,
        Record::incident(current.id),
        with_version(json(&current.fields), current.version),
        with_version(json(next), current.version + 1),
    )
    .await
}
