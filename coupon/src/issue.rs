//! Issuing a coupon: the atomic decision in Redis, then the hand-over to the pipeline.

use std::sync::Arc;
use std::time::Duration;

use crate::db::IssuedCoupon;
use crate::error::{Dependency, Error, Invalid, NoEvent, Result};
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
    /// The label of an issue request's result.
    pub fn of<T>(result: &Result<T, IssueError>) -> Self {
        match result {
            Ok(_) => IssueOutcome::Issued,
            Err(IssueError::AlreadyIssued) => IssueOutcome::Duplicate,
            Err(IssueError::SoldOut) => IssueOutcome::SoldOut,
            Err(IssueError::NoEvent(_)) => IssueOutcome::NoEvent,
            Err(IssueError::Failed(_)) => IssueOutcome::Unavailable,
        }
    }

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

/// Why a coupon was not issued.
#[derive(Debug, thiserror::Error)]
pub enum IssueError {
    #[error("this user already has a coupon of this event")]
    AlreadyIssued,
    #[error("sold out")]
    SoldOut,
    #[error(transparent)]
    NoEvent(#[from] NoEvent),
    /// Redis or the pipeline cannot take it now.
    #[error(transparent)]
    Failed(#[from] Error),
}

/// Issues one coupon of `event` to `user`. Never more than the stock, never two per user: both
/// are decided by one Lua script in Redis.
pub async fn issue(svc: &Arc<Service>, event: u64, user: &str) -> Result<IssuedCoupon, IssueError> {
    let result = try_issue(svc, event, user).await;
    svc.metrics
        .issue
        .with_label_values(&[IssueOutcome::of(&result).as_str()])
        .inc();
    result
}

async fn try_issue(svc: &Arc<Service>, event: u64, user: &str) -> Result<IssuedCoupon, IssueError> {
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
        ScriptResult::Duplicate => return Err(IssueError::AlreadyIssued),
        ScriptResult::SoldOut => return Err(IssueError::SoldOut),
        ScriptResult::NoEvent => {
            return Err(match svc.db.event(event).await? {
                Some(_) => Error::StateLost(event).into(),
                None => NoEvent(event).into(),
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
pub fn valid_user_id(raw: &str) -> Result<&str, Invalid> {
    const FIELD: &str = "user_id";
    let id = raw.trim();
    if id.is_empty() {
        return Err(Invalid::Empty(FIELD));
    }
    if id.chars().count() > 64 {
        return Err(Invalid::TooLong {
            field: FIELD,
            max: 64,
        });
    }
    if id.chars().any(char::is_control) {
        return Err(Invalid::ControlCharacters(FIELD));
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
                Err(e) if e.field() == "user_id" => {}
                other => panic!("{bad:?} gave {other:?}"),
            }
        }
    }

    #[test]
    fn user_id_rules_read_as_before() {
        assert_eq!(
            valid_user_id("").unwrap_err().to_string(),
            "user_id must not be empty"
        );
        assert_eq!(
            valid_user_id(&"x".repeat(65)).unwrap_err().to_string(),
            "user_id must be at most 64 characters"
        );
        assert_eq!(
            valid_user_id("a\tb").unwrap_err().to_string(),
            "user_id must not contain control characters"
        );
    }
}
