//! Issuing a coupon: the atomic decision in Redis, which also puts the coupon in the outbox.

use std::sync::Arc;

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

/// Issues one coupon of `event` to `user`. Never more than the stock, never two per user, and
/// never a coupon that is not on its way to MySQL: all three are decided by one Lua script in
/// Redis, which also writes the coupon to the event's outbox (see [`crate::outbox`]).
pub async fn issue(svc: &Arc<Service>, event: u64, user: &str) -> Result<IssuedCoupon, IssueError> {
    let result = try_issue(svc, event, user).await;
    svc.metrics
        .issue
        .with_label_values(&[IssueOutcome::of(&result).as_str()])
        .inc();
    result
}

/// A Redis failure may come after the script ran (the answer was lost, or came too late): the
/// coupon is then issued and in the outbox, reaches MySQL like any other, and the user, told
/// to retry, hears that they already have it.
async fn try_issue(svc: &Arc<Service>, event: u64, user: &str) -> Result<IssuedCoupon, IssueError> {
    // One moment for the answer and the outbox entry, so MySQL stores what the user was told.
    let issued_at_ms = crate::redis::now_ms();
    let seq = match svc
        .redis
        .issue(event, user, issued_at_ms, svc.outbox_capacity)
        .await?
    {
        ScriptResult::Issued { seq } => seq,
        ScriptResult::Duplicate => return Err(IssueError::AlreadyIssued),
        ScriptResult::SoldOut => return Err(IssueError::SoldOut),
        ScriptResult::Backlog => return Err(Error::Saturated(Dependency::Broker).into()),
        ScriptResult::NoEvent => {
            return Err(match svc.db.event(event).await? {
                Some(_) => Error::StateLost(event).into(),
                None => NoEvent(event).into(),
            });
        }
    };
    Ok(IssuedCoupon {
        event_id: event,
        user_id: user.to_owned(),
        seq,
        issued_at_ms,
    })
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
