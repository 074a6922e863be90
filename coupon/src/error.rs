//! The service's errors, in its own words. Nothing here knows HTTP: the handlers turn these
//! into statuses at the boundary (`http::error`), so a rule or an outcome is stated once.
//!
//! - Calls to Redis, MySQL and the broker return [`Error`]: which dependency failed and how
//!   (timed out, refused by the circuit breaker, a bounded queue full, or an error from the
//!   client).
//! - Input that breaks a rule is [`Invalid`], naming the field at fault.
//! - An operation that validates and then calls dependencies returns [`Refused`]; one with
//!   outcomes of its own has its own enum (`issue::IssueError`).
//! - Start-up and commands use `anyhow` with context.

use std::time::Duration;

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
    /// A bounded resource (the producer queue) is full.
    #[error("{} is saturated", .0.as_str())]
    Saturated(Dependency),
    /// A shared call to the dependency failed moments ago and its failure is answered again
    /// instead of calling once more (the MySQL fallback's single flight).
    #[error("{} failed moments ago; not asked again yet", .0.as_str())]
    Replayed(Dependency),
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
            Error::Timeout(d, _)
            | Error::Saturated(d)
            | Error::Replayed(d)
            | Error::Injected(d) => Some(*d),
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

/// Input that breaks one of the service's rules. [`Invalid::field`] names the field at fault;
/// the message says the rule.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum Invalid {
    #[error("{0} is required")]
    Missing(&'static str),
    #[error("{0} must not be empty")]
    Empty(&'static str),
    #[error("{field} must be at most {max} characters")]
    TooLong { field: &'static str, max: usize },
    #[error("{0} must not contain control characters")]
    ControlCharacters(&'static str),
    #[error("{field} must be between {min} and {max}")]
    OutOfRange {
        field: &'static str,
        min: i64,
        max: i64,
    },
    #[error("{field} must be at most {max}")]
    TooLarge { field: &'static str, max: u64 },
    #[error("only redis can be made unreachable")]
    OnlyRedisUnreachable,
    /// A pool size for a fault target without a pool (the producer, the consumer).
    #[error("the {0} has no pool")]
    NoPool(&'static str),
}

impl Invalid {
    /// The request field the rule is about.
    pub fn field(&self) -> &'static str {
        match self {
            Invalid::Missing(field)
            | Invalid::Empty(field)
            | Invalid::TooLong { field, .. }
            | Invalid::ControlCharacters(field)
            | Invalid::OutOfRange { field, .. }
            | Invalid::TooLarge { field, .. } => field,
            Invalid::OnlyRedisUnreachable => "unreachable",
            Invalid::NoPool(_) => "pool_size",
        }
    }
}

/// No coupon event has this id.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error("no coupon event {0}")]
pub struct NoEvent(pub u64);

/// Why an operation of the service did not happen: the input broke a rule, the event does not
/// exist, or a dependency failed.
#[derive(Debug, thiserror::Error)]
pub enum Refused {
    #[error(transparent)]
    Invalid(#[from] Invalid),
    #[error(transparent)]
    NoEvent(#[from] NoEvent),
    #[error(transparent)]
    Failed(#[from] Error),
}
