//! The periodic check that queues time-based notifications: a briefing every 15 minutes while
//! a P0/P1 is open (the seed's 상황 브리핑), a TTR target passed while still open, an action item
//! past due, a retrospective not held within 24 hours of recovery. Each is keyed so that a
//! check run twice queues it once.

use std::sync::Arc;
use std::time::Duration;

use app::domain::*;
use chrono::Utc;
use tokio::sync::Notify;

use super::{Notice, enqueue};
use crate::error::Result;
use crate::storage::{Store, incidents, reminders};

/// How often a briefing is due.
pub const BRIEFING_MINUTES: i64 = 15;
/// The seed's rule: the retrospective within 24 hours of recovery.
pub const REVIEW_HOURS: i64 = 24;

/// Runs the check every `every`, waking the deliverer after each.
pub fn spawn(store: Store, base_url: String, every: Duration, wake: Arc<Notify>) {
    tokio::spawn(async move {
        loop {
            if let Err(e) = check(&store, &base_url).await {
                tracing::warn!(error = %e, "checking for due notifications failed");
            }
            wake.notify_one();
            tokio::time::sleep(every).await;
        }
    });
}

async fn notice_for(
    store: &Store,
    id: IncidentId,
    event: HookEvent,
    text: String,
) -> Result<Notice> {
    let mut tx = store.begin().await?;
    let incident = incidents::fetch(&mut tx, store, id).await?;
    drop(tx);
    Ok(Notice {
        event,
        incident: Some(incident),
        text,
    })
}

/// Queues every notification due now; returns how many candidates it looked at.
pub async fn check(store: &Store, base_url: &str) -> Result<usize> {
    let now = Utc::now();
    let settings = store.settings();
    let mut queue: Vec<(Notice, String)> = Vec::new();
    for (id, since) in reminders::open_urgent(store).await? {
        let slot = (now - since).num_minutes() / BRIEFING_MINUTES;
        if slot >= 1 {
            let text = format!("Status update due ({} min in)", slot * BRIEFING_MINUTES);
            let n = notice_for(store, id, HookEvent::StatusUpdateDue, text).await?;
            let text = format!(
                "{}: {}",
                n.text,
                n.incident
                    .as_ref()
                    .map(|i| i.fields.title.as_str())
                    .unwrap_or("")
            );
            queue.push((
                Notice { text, ..n },
                format!("status_update_due:{id}:{slot}"),
            ));
        }
    }
    for (id, severity, started) in reminders::open_started(store).await? {
        let target = settings.targets.ttr_for(severity);
        if (now - started).num_seconds() > target {
            let text = format!(
                "TTR target ({} min for {severity}) passed and still open",
                target / 60
            );
            let n = notice_for(store, id, HookEvent::TtrBreached, text).await?;
            let text = format!(
                "{}: {}",
                n.text,
                n.incident
                    .as_ref()
                    .map(|i| i.fields.title.as_str())
                    .unwrap_or("")
            );
            queue.push((Notice { text, ..n }, format!("ttr_breached:{id}")));
        }
    }
    let today = app::time::today(settings.tz);
    for (item, id, title, owner, due) in reminders::overdue_actions(store, today).await? {
        let owner = if owner.is_empty() {
            "nobody".into()
        } else {
            owner
        };
        let text = format!("Action item overdue since {due} ({owner}): {title}");
        let n = notice_for(store, id, HookEvent::ActionOverdue, text).await?;
        queue.push((n, format!("action_overdue:{item}:{due}")));
    }
    let before = now - chrono::Duration::hours(REVIEW_HOURS);
    for id in reminders::reviews_due(store, before).await? {
        let text = format!("Postmortem review overdue (recovered more than {REVIEW_HOURS} h ago)");
        let n = notice_for(store, id, HookEvent::ReviewDue, text).await?;
        let text = format!(
            "{}: {}",
            n.text,
            n.incident
                .as_ref()
                .map(|i| i.fields.title.as_str())
                .unwrap_or("")
        );
        queue.push((Notice { text, ..n }, format!("review_due:{id}")));
    }
    let looked = queue.len();
    if looked > 0 {
        let mut tx = store.begin().await?;
        for (notice, key) in &queue {
            enqueue(&mut tx, base_url, notice, key).await?;
        }
        tx.commit().await?;
    }
    Ok(looked)
}
