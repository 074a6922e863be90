//! Notifications out. A change that others should hear of queues a notification per
//! interested hook in the outbox, in the change's own transaction ([`incident_opened`],
//! [`incident_changed`]); time-based ones (briefings due, breaches, overdue items, reviews due)
//! are queued by a periodic check ([`schedule`]). A background task delivers them
//! ([`deliver`]) with retries and backoff, never inside the request that caused them. A
//! notification's `dedupe_key` keeps it from being queued twice.

pub mod deliver;
pub mod format;
pub mod schedule;

use app::domain::*;
use chrono::Utc;
use sqlx::SqliteConnection;

use crate::error::Result;
use crate::storage::{Store, hooks, incidents};

/// What a notification says, before it is put in a hook's format.
#[derive(Clone, Debug)]
pub struct Notice {
    pub event: HookEvent,
    pub incident: Option<Incident>,
    /// One sentence, in English (receivers are chat rooms and tools).
    pub text: String,
}

/// Queues `notice` for every enabled hook that wants its event.
pub async fn enqueue(
    conn: &mut SqliteConnection,
    base_url: &str,
    notice: &Notice,
    dedupe_key: &str,
) -> Result<()> {
    for hook in hooks::wanting(conn, notice.event).await? {
        let body = format::body(&hook, notice, base_url);
        let incident = notice.incident.as_ref().map(|i| i.id);
        hooks::enqueue(conn, hook.id, notice.event, incident, &body, dedupe_key).await?;
    }
    Ok(())
}

pub async fn incident_opened(
    conn: &mut SqliteConnection,
    store: &Store,
    base_url: &str,
    id: IncidentId,
) -> Result<()> {
    let incident = incidents::fetch(conn, store, id).await?;
    let text = format!(
        "{} opened: {} ({})",
        incident.fields.severity,
        incident.fields.title,
        incident.fields.services.join(", ")
    );
    let notice = Notice {
        event: HookEvent::IncidentOpened,
        incident: Some(incident),
        text,
    };
    enqueue(conn, base_url, &notice, &format!("incident_opened:{id}")).await
}

/// Severity and status changes of an incident, as `before` → its fields now.
pub async fn incident_changed(
    conn: &mut SqliteConnection,
    store: &Store,
    base_url: &str,
    id: IncidentId,
    before: &IncidentFields,
) -> Result<()> {
    let incident = incidents::fetch(conn, store, id).await?;
    let now = Utc::now().timestamp_micros();
    let after = incident.fields.clone();
    if before.severity != after.severity {
        let notice = Notice {
            event: HookEvent::SeverityChanged,
            text: format!(
                "Severity {} → {}: {}",
                before.severity, after.severity, after.title
            ),
            incident: Some(incident.clone()),
        };
        let key = format!("severity_changed:{id}:{}:{now}", after.severity);
        enqueue(conn, base_url, &notice, &key).await?;
    }
    if before.status != after.status {
        let notice = Notice {
            event: HookEvent::StatusChanged,
            text: format!(
                "Status {} → {}: {}",
                before.status, after.status, after.title
            ),
            incident: Some(incident),
        };
        let key = format!("status_changed:{id}:{}:{now}", after.status);
        enqueue(conn, base_url, &notice, &key).await?;
    }
    Ok(())
}
