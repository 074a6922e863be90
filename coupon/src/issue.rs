//! Issuing a coupon: the atomic decision in Redis, then the hand-over to the pipeline.

use std::sync::Arc;
use std::time::Duration;

use crate::db::IssuedCoupon;
use crate::error::{ApiError, Dependency, Error, Result};
use crate::redis::ScriptResult;
use crate::service::Service;

/// What became of one issue request; the label of `coupon_issue_total`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum IssueOutcome {
    Issued,
    Duplicate,
    SoldOut,
    NoEvent,
    Unavailable,
}

impl IssueOutcome {
    pub const LABELS: [&str; 5] = ["issued", "duplicate", "sold_out", "no_event", "unavailable"];

    pub fn as_str(self) -> &'static str {
        match self {
            IssueOutcome::Issued => "issued",
            IssueOutcome::Duplicate => "duplicate",
            IssueOutcome::SoldOut => "sold_out",
            IssueOutcome::NoEvent => "no_event",
            IssueOutcome::Unavailable => "unavailable",
        }
    }
}

/// Issues one coupon of `event` to `user`: 201 with the coupon, or 409 / 410 / 404, or 503
/// when Redis or the pipeline cannot take it now. Never more than the stock, never two per user:
/// both are decided by one Lua script in Redis.
pub async fn issue(svc: &Arc<Service>, event: u64, user: &str) -> Result<IssuedCoupon, ApiError> {
    let result = try_issue(svc, event, user).await;
    let outcome = match &result {
        Ok(_) => IssueOutcome::Issued,
        Err(ApiError::AlreadyIssued) => IssueOutcome::Duplicate,
        Err(ApiError::SoldOut) => IssueOutcome::SoldOut,
        Err(ApiError::NotFound(_)) => IssueOutcome::NoEvent,
        Err(_) => IssueOutcome::Unavailable,
    };
    svc.metrics
        .issue
        .with_label_values(&[outcome.as_str()])
        .inc();
    result
}

async fn try_issue(svc: &Arc<Service>, event: u64, user: &str) -> Result<IssuedCoupon, ApiError> {
    // Refuse before taking a coupon that the pipeline could not carry.
    if svc.producer.is_full() {
        return Err(Error::Saturated(Dependency::Broker).into());
    }
    let decided = match svc.redis.issue(event, user).await {
        Ok(decided) => decided,
        Err(e) => {
            if ambiguous(&e) {
                settle_later(svc.clone(), event, user.to_owned());
            }
            return Err(e.into());
        }
    };
    let seq = match decided {
        ScriptResult::Issued { seq } => seq,
        ScriptResult::Duplicate => return Err(ApiError::AlreadyIssued),
        ScriptResult::SoldOut => return Err(ApiError::SoldOut),
        ScriptResult::NoEvent => {
            return Err(match svc.db.event(event).await? {
                Some(_) => Error::StateLost(event).into(),
                None => ApiError::NotFound(format!("no coupon event {event}")),
            });
        }
    };
    let coupon = coupon(event, user, seq);
    if let Err(e) = svc.publish(&coupon).await {
        // The coupon never entered the pipeline: give it back so the stock stays exact.
        if let Err(undo) = svc.redis.undo_issue(event, user).await {
            tracing::warn!(event, user, error = %undo, "could not take back a coupon the producer refused");
            settle_later(svc.clone(), event, user.to_owned());
        }
        return Err(e.into());
    }
    Ok(coupon)
}

fn coupon(event: u64, user: &str, seq: u64) -> IssuedCoupon {
    IssuedCoupon {
        event_id: event,
        user_id: user.to_owned(),
        seq,
        issued_at_ms: std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map(|d| d.as_millis() as i64)
            .unwrap_or_default(),
    }
}

/// A Redis failure after which the script may or may not have run: the call timed out or the
/// connection broke with the command sent. (An open breaker or an empty pool sent nothing.)
fn ambiguous(e: &Error) -> bool {
    matches!(e, Error::Timeout(Dependency::Redis, _) | Error::Redis(_))
}

/// When a check is made after an ambiguous outcome: soon, and once more in case the command
/// sat in a stalled Redis for a while before it ran.
const SETTLE_AFTER: [Duration; 2] = [Duration::from_secs(2), Duration::from_secs(30)];

/// Settles an ambiguous issue. If Redis did issue the coupon, it exists in Redis but was never
/// published: MySQL would stay behind forever, and the user, told to retry, would hear that
/// they already have one. So once Redis answers, a coupon found in the event's set is
/// published (seq 0: its number was lost with the answer). Publishing twice is harmless: the
/// consumer's `INSERT IGNORE` keeps one row per user.
fn settle_later(svc: Arc<Service>, event: u64, user: String) {
    tokio::spawn(async move {
        let mut published = false;
        for wait in SETTLE_AFTER {
            tokio::time::sleep(wait).await;
            let holds = loop {
                match svc.redis.holds(event, &user).await {
                    Ok(holds) => break holds,
                    Err(_) => tokio::time::sleep(Duration::from_millis(500)).await,
                }
            };
            if holds && !published {
                let coupon = coupon(event, &user, 0);
                while let Err(e) = svc.publish(&coupon).await {
                    tracing::warn!(event, user, error = %e, "settling an issued coupon: publish failed; retrying");
                    tokio::time::sleep(Duration::from_millis(500)).await;
                }
                svc.metrics.settled.inc();
                tracing::info!(
                    event,
                    user,
                    "settled an ambiguous issue: the coupon was issued and is now published"
                );
                published = true;
            }
        }
    });
}

/// Checks an issue request's user id: 1–64 characters, no control characters.
pub fn valid_user_id(raw: &str) -> Result<&str, ApiError> {
    let id = raw.trim();
    if id.is_empty() {
        return Err(ApiError::invalid("user_id", "user_id must not be empty"));
    }
    if id.chars().count() > 64 {
        return Err(ApiError::invalid(
            "user_id",
            "user_id must be at most 64 characters",
        ));
    }
    if id.chars().any(char::is_control) {
        return Err(ApiError::invalid(
            "user_id",
            "user_id must not contain control characters",
        ));
    }
    Ok(id)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn user_ids_are_checked() {
        assert_eq!(valid_user_id(" u-1 ").unwrap(), "u-1");
        assert_eq!(valid_user_id("사용자-7").unwrap(), "사용자-7");
        for bad in ["", "   ", "a\nb", &"x".repeat(65)] {
            match valid_user_id(bad) {
                Err(ApiError::Invalid {
                    field: "user_id", ..
                }) => {}
                other => panic!("{bad:?} gave {other:?}"),
            }
        }
    }
}
