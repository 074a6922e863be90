//! What a client is told: [`ApiError`], a status and a JSON body `{"error", "field"?, "reason"?}`,
//! and the one place the service's errors become statuses.
//!
//! An admin endpoint without a bearer token is 401 (with `WWW-Authenticate: Bearer`), with a
//! token that is not the admin token 403; a body not declared as JSON is 415.
//!
//! A failing dependency is the service being unable to answer *now*: 503 with `Retry-After`,
//! never a 500 and never unbounded latency. Only a bug (a row the code cannot read) is a 500.

use std::time::Duration;

use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde::Serialize;

use crate::error::{Dependency, Error, Invalid, NoEvent, Refused};
use crate::issue::IssueError;

/// Every variant maps to one status.
#[derive(Debug)]
pub enum ApiError {
    /// 400: the body is not JSON, or a path id does not parse.
    BadRequest {
        message: String,
        field: Option<&'static str>,
    },
    /// 422: well-formed but invalid input, with the field at fault.
    Invalid {
        message: String,
        field: &'static str,
    },
    /// 401 with `WWW-Authenticate: Bearer`: an admin endpoint asked for without a bearer token.
    Unauthorized(String),
    /// 403: a bearer token that is not the admin token, or no admin token configured at all.
    Forbidden(String),
    NotFound(String),
    /// 415: a body that is not declared as JSON (`Content-Type`).
    UnsupportedMediaType(String),
    /// 409: the request conflicts with what exists (this user already holds a coupon).
    Conflict(String),
    /// 410: what was asked for is gone for good (the event has no coupons left).
    Gone(String),
    /// 503 with `Retry-After`: a dependency is down or a bounded queue is full.
    Unavailable {
        reason: &'static str,
        retry_after: Duration,
    },
    Internal,
}

impl ApiError {
    pub fn invalid(field: &'static str, message: impl Into<String>) -> Self {
        ApiError::Invalid {
            message: message.into(),
            field,
        }
    }
}

impl From<Invalid> for ApiError {
    fn from(e: Invalid) -> Self {
        ApiError::invalid(e.field(), e.to_string())
    }
}

impl From<NoEvent> for ApiError {
    fn from(e: NoEvent) -> Self {
        ApiError::NotFound(e.to_string())
    }
}

impl From<Refused> for ApiError {
    fn from(e: Refused) -> Self {
        match e {
            Refused::Invalid(e) => e.into(),
            Refused::NoEvent(e) => e.into(),
            Refused::Failed(e) => e.into(),
        }
    }
}

impl From<IssueError> for ApiError {
    fn from(e: IssueError) -> Self {
        match e {
            IssueError::AlreadyIssued => ApiError::Conflict(e.to_string()),
            IssueError::SoldOut => ApiError::Gone(e.to_string()),
            IssueError::NoEvent(e) => e.into(),
            IssueError::Failed(e) => e.into(),
        }
    }
}

impl From<Error> for ApiError {
    fn from(e: Error) -> Self {
        let retry_after = Duration::from_secs(1);
        let reason = match &e {
            Error::BreakerOpen => "redis_circuit_open",
            Error::StateLost(_) => "redis_state_lost",
            Error::Saturated(Dependency::Broker) => "producer_queue_full",
            // The requests queued behind a failed fallback query: the name predates the single
            // flight (it was the bulkhead's refusal) and clients and drills know it.
            Error::Replayed(Dependency::Mysql) => "db_fallback_busy",
            _ => match e.dependency() {
                Some(Dependency::Redis) => "redis_unavailable",
                Some(Dependency::Mysql) => "mysql_unavailable",
                Some(Dependency::Broker) => "broker_unavailable",
                None => {
                    tracing::error!(error = %e, "internal error");
                    return ApiError::Internal;
                }
            },
        };
        tracing::warn!(error = %e, reason, "dependency unavailable");
        ApiError::Unavailable {
            reason,
            retry_after,
        }
    }
}

#[derive(Serialize)]
struct Body<'a> {
    error: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    field: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    reason: Option<&'a str>,
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let (status, message, field, reason) = match &self {
            ApiError::BadRequest { message, field } => {
                (StatusCode::BAD_REQUEST, message.as_str(), *field, None)
            }
            ApiError::Invalid { message, field } => (
                StatusCode::UNPROCESSABLE_ENTITY,
                message.as_str(),
                Some(*field),
                None,
            ),
            ApiError::Unauthorized(message) => {
                (StatusCode::UNAUTHORIZED, message.as_str(), None, None)
            }
            ApiError::Forbidden(message) => (StatusCode::FORBIDDEN, message.as_str(), None, None),
            ApiError::NotFound(message) => (StatusCode::NOT_FOUND, message.as_str(), None, None),
            ApiError::UnsupportedMediaType(message) => (
                StatusCode::UNSUPPORTED_MEDIA_TYPE,
                message.as_str(),
                None,
                None,
            ),
            ApiError::Conflict(message) => (StatusCode::CONFLICT, message.as_str(), None, None),
            ApiError::Gone(message) => (StatusCode::GONE, message.as_str(), None, None),
            ApiError::Unavailable { reason, .. } => (
                StatusCode::SERVICE_UNAVAILABLE,
                "temporarily unavailable, retry later",
                None,
                Some(*reason),
            ),
            ApiError::Internal => (
                StatusCode::INTERNAL_SERVER_ERROR,
                "internal error",
                None,
                None,
            ),
        };
        let mut response = (
            status,
            axum::Json(Body {
                error: message,
                field,
                reason,
            }),
        )
            .into_response();
        match self {
            ApiError::Unavailable { retry_after, .. } => {
                let secs = retry_after.as_secs().max(1).to_string();
                response.headers_mut().insert(
                    header::RETRY_AFTER,
                    HeaderValue::from_str(&secs).expect("digits"),
                );
            }
            ApiError::Unauthorized(_) => {
                response.headers_mut().insert(
                    header::WWW_AUTHENTICATE,
                    HeaderValue::from_static(r#"Bearer realm="coupon-admin""#),
                );
            }
            _ => {}
        }
        response
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn status(e: impl Into<ApiError>) -> (u16, Option<String>) {
        let response = e.into().into_response();
        let retry = response
            .headers()
            .get(header::RETRY_AFTER)
            .map(|v| v.to_str().unwrap().to_owned());
        (response.status().as_u16(), retry)
    }

    #[test]
    fn domain_errors_become_their_statuses_here() {
        assert_eq!(status(Invalid::Empty("user_id")), (422, None));
        assert_eq!(status(NoEvent(7)), (404, None));
        assert_eq!(status(IssueError::AlreadyIssued), (409, None));
        assert_eq!(status(IssueError::SoldOut), (410, None));
        assert_eq!(status(IssueError::NoEvent(NoEvent(7))), (404, None));
        assert_eq!(
            status(Refused::Invalid(Invalid::NoPool("producer"))),
            (422, None)
        );
        let unavailable = (503, Some("1".to_owned()));
        assert_eq!(status(Error::BreakerOpen), unavailable);
        assert_eq!(status(IssueError::Failed(Error::BreakerOpen)), unavailable);
        assert_eq!(status(Error::Replayed(Dependency::Mysql)), unavailable);
        assert_eq!(status(Error::Corrupt("x".into())), (500, None));
    }

    #[test]
    fn a_replayed_fallback_failure_keeps_its_reason() {
        match ApiError::from(Error::Replayed(Dependency::Mysql)) {
            ApiError::Unavailable { reason, .. } => assert_eq!(reason, "db_fallback_busy"),
            other => panic!("{other:?}"),
        }
        match ApiError::from(Error::Saturated(Dependency::Broker)) {
            ApiError::Unavailable { reason, .. } => assert_eq!(reason, "producer_queue_full"),
            other => panic!("{other:?}"),
        }
    }
}
