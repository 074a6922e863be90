//! Issuing a coupon: the atomic decision in Redis, then the hand-over to the pipeline.

use crate::db::IssuedCoupon;
use crate::error::{ApiError, Error, Result};
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
pub async fn issue(svc: &Service, event: u64, user: &str) -> Result<IssuedCoupon, ApiError> {
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

async fn try_issue(svc: &Service, event: u64, user: &str) -> Result<IssuedCoupon, ApiError> {
    // Refuse before taking a coupon that the pipeline could not carry.
    if svc.producer.is_full() {
        return Err(Error::Saturated(crate::error::Dependency::Broker).into());
    }
    let seq = match svc.redis.issue(event, user).await? {
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
    let coupon = IssuedCoupon {
        event_id: event,
        user_id: user.to_owned(),
        seq,
        issued_at_ms: std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map(|d| d.as_millis() as i64)
            .unwrap_or_default(),
    };
    if let Err(e) = svc.publish(&coupon).await {
        // The coupon never entered the pipeline: give it back so the stock stays exact.
        if let Err(undo) = svc.redis.undo_issue(event, user).await {
            tracing::error!(event, user, error = %undo, "could not take back a coupon the producer refused");
        }
        return Err(e.into());
    }
    Ok(coupon)
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
