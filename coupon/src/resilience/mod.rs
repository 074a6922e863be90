//! The resilience patterns the seed's 5-Why analyses call for: a deadline on every call, a
//! circuit breaker around Redis and a single flight in front of the MySQL fallback.

mod breaker;
mod single_flight;

pub use breaker::{Breaker, BreakerState};
pub use single_flight::SingleFlight;

use std::future::Future;
use std::time::Duration;

use crate::error::{Dependency, Error, Result};

/// Runs `fut` with a deadline; a late call is [`Error::Timeout`] for `dep`.
pub async fn deadline<T, E>(
    dep: Dependency,
    limit: Duration,
    fut: impl Future<Output = Result<T, E>>,
) -> Result<T>
where
    Error: From<E>,
{
    match tokio::time::timeout(limit, fut).await {
        Ok(result) => result.map_err(Error::from),
        Err(_) => Err(Error::Timeout(dep, limit)),
    }
}
