//! The deliverer: a background task that sends what waits in the outbox, oldest first, and
//! retries a failure with exponential backoff until it gives up.

use std::sync::Arc;
use std::time::{Duration, Instant};

use chrono::Utc;
use tokio::sync::Notify;

use crate::metrics::{DeliveryOutcome, Metrics};
use crate::storage::Store;
use crate::storage::hooks::{self, Due, Outcome};

/// Attempts per notification before it is given up on (and shown as failed).
pub const ATTEMPTS: i64 = 10;
/// An attempt that has not answered in this long failed.
const TIMEOUT: Duration = Duration::from_secs(10);
/// The longest wait between attempts.
const MAX_BACKOFF: Duration = Duration::from_secs(3_600);

/// How long to wait after `attempts` failed attempts: `base`, doubled each time.
pub fn backoff(base: Duration, attempts: i64) -> Duration {
    let factor = 1u32 << attempts.clamp(0, 16) as u32;
    base.saturating_mul(factor).min(MAX_BACKOFF)
}

/// Starts the deliverer. `wake` is notified when something may have been queued.
pub fn spawn(store: Store, retry_base: Duration, wake: Arc<Notify>, metrics: Arc<Metrics>) {
    let client = reqwest::Client::builder()
        .timeout(TIMEOUT)
        .user_agent(concat!("hoego/", env!("CARGO_PKG_VERSION")))
        .build()
        .expect("an HTTP client");
    tokio::spawn(async move {
        loop {
            let due = match hooks::due(&store, Utc::now(), 32).await {
                Ok(due) => due,
                Err(e) => {
                    tracing::warn!(error = %e, "reading the outbox failed");
                    Vec::new()
                }
            };
            let full = due.len() == 32;
            for d in due {
                let outcome = attempt(&store, &client, retry_base, d).await;
                metrics.delivery(outcome);
            }
            if full {
                continue;
            }
            let wait = match hooks::next_due(&store).await {
                Ok(Some(at)) => (at - Utc::now()).to_std().unwrap_or(Duration::ZERO),
                _ => Duration::from_secs(60),
            }
            .min(Duration::from_secs(60));
            if wait > Duration::ZERO {
                tokio::select! {
                    () = tokio::time::sleep(wait) => {}
                    () = wake.notified() => {}
                }
            }
        }
    });
}

async fn attempt(
    store: &Store,
    client: &reqwest::Client,
    retry_base: Duration,
    d: Due,
) -> DeliveryOutcome {
    let started = Instant::now();
    let sent = client
        .post(&d.url)
        .header("content-type", "application/json")
        .body(d.body.clone())
        .send()
        .await;
    let ms = started.elapsed().as_millis() as u64;
    let (code, error) = match &sent {
        Ok(r) if r.status().is_success() => (Some(r.status().as_u16()), None),
        Ok(r) => (
            Some(r.status().as_u16()),
            Some(format!("answered {}", r.status())),
        ),
        Err(e) => (None, Some(e.to_string())),
    };
    let outcome = match &error {
        None => Outcome::Delivered,
        Some(_) if d.attempts + 1 >= ATTEMPTS => Outcome::GiveUp,
        Some(_) => {
            let wait = backoff(retry_base, d.attempts);
            Outcome::Retry(Utc::now() + chrono::Duration::from_std(wait).unwrap_or_default())
        }
    };
    if let Some(e) = &error {
        tracing::warn!(outbox = d.id, attempt = d.attempts + 1, error = %e, "a webhook delivery failed");
    }
    let counted = match outcome {
        Outcome::Delivered => DeliveryOutcome::Delivered,
        Outcome::Retry(_) => DeliveryOutcome::Failed,
        Outcome::GiveUp => DeliveryOutcome::GivenUp,
    };
    if let Err(e) = hooks::attempted(store, &d, code, error.as_deref(), ms, outcome).await {
        tracing::warn!(outbox = d.id, error = %e, "recording a delivery failed");
    }
    counted
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn backoff_doubles_up_to_an_hour() {
        let base = Duration::from_secs(5);
        assert_eq!(backoff(base, 0), Duration::from_secs(5));
        assert_eq!(backoff(base, 3), Duration::from_secs(40));
        assert_eq!(backoff(base, 12), Duration::from_secs(3_600));
    }
}
