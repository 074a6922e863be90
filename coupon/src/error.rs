//! Error policy for the coupon service.
//!
//! - Calls to Redis, MySQL and the broker return [`Error`]: which dependency failed and how
//!   (timed out, refused by the circuit breaker or the bulkhead, or an error from the client).
//! - Handlers answer [`ApiError`]: a status and a JSON body `{"error", "field"?, "reason"?}`.
//!   A failing dependency is the service being unable to answer *now*: 503 with `Retry-After`,
//!   never a 500 and never unbounded latency. Only a bug (a row the code cannot read) is a 500.
//! - Start-up and commands use `anyhow` with context.

use std::time::Duration;

use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde::Serialize;

/// The parts the service depends on; labels in metrics and logs.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Dependency {
    Redis,
    Mysql,
    Broker,
}

impl Dependency {
    pub fn as_str(self) -> &'static str {
        match self {
            Dependency::Redis => "redis",
            Dependency::Mysql => "mysql",
            Dependency::Broker => "broker",
        }
    }
}

#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error("{} call timed out after {} ms", .0.as_str(), .1.as_millis())]
    Timeout(Dependency, Duration),
    #[error("redis circuit breaker is open")]
    BreakerOpen,
    /// A bounded resource (the DB-fallback bulkhead, the producer queue) is full.
    #[error("{} is saturated", .0.as_str())]
    Saturated(Dependency),
    #[error("redis: {0}")]
    Redis(#[from] redis::RedisError),
    #[error("redis pool: {0}")]
    RedisPool(#[from] deadpool::managed::PoolError<redis::RedisError>),
    #[error("mysql: {0}")]
    Db(#[from] sqlx::Error),
    #[error("broker: {0}")]
    Broker(#[from] rdkafka::error::KafkaError),
    /// Fault injection made the dependency unreachable.
    #[error("{} unreachable (injected fault)", .0.as_str())]
    Injected(Dependency),
    /// MySQL knows the event but Redis does not: Redis lost its data (restarted without its
    /// append-only file). Issuing from a blank count could exceed the stock, so it is refused.
    #[error("redis has no state for event {0}")]
    StateLost(u64),
    #[error("corrupt data: {0}")]
    Corrupt(String),
}

impl Error {
    /// The dependency that failed, when the failure is about one being unavailable.
    pub fn dependency(&self) -> Option<Dependency> {
        match self {
            Error::Timeout(d, _) | Error::Saturated(d) | Error::Injected(d) => Some(*d),
            Error::BreakerOpen | Error::Redis(_) | Error::RedisPool(_) | Error::StateLost(_) => {
                Some(Dependency::Redis)
            }
            Error::Db(sqlx::Error::RowNotFound | sqlx::Error::ColumnDecode { .. }) => None,
            Error::Db(_) => Some(Dependency::Mysql),
            Error::Broker(_) => Some(Dependency::Broker),
            Error::Corrupt(_) => None,
        }
    }
}

pub type Result<T, E = Error> = std::result::Result<T, E>;

/// What a client is told. Every variant maps to one status.
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
    NotFound(String),
    /// 409: this user already holds a coupon of this event.
    AlreadyIssued,
    /// 410: the event has no coupons left.
    SoldOut,
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

impl From<Error> for ApiError {
    fn from(e: Error) -> Self {
        let retry_after = Duration::from_secs(1);
        let reason = match &e {
            Error::BreakerOpen => "redis_circuit_open",
            Error::StateLost(_) => "redis_state_lost",
            Error::Saturated(Dependency::Broker) => "producer_queue_full",
            Error::Saturated(_) => "db_fallback_busy",
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
            ApiError::NotFound(message) => (StatusCode::NOT_FOUND, message.as_str(), None, None),
            ApiError::AlreadyIssued => (
                StatusCode::CONFLICT,
                "this user already has a coupon of this event",
                None,
                None,
            ),
            ApiError::SoldOut => (StatusCode::GONE, "sold out", None, None),
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
        if let ApiError::Unavailable { retry_after, .. } = self {
            let secs = retry_after.as_secs().max(1).to_string();
            response.headers_mut().insert(
                header::RETRY_AFTER,
                HeaderValue::from_str(&secs).expect("digits"),
            );
        }
        response
    }
}
