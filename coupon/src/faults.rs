//! Fault injection for drills: added latency on Redis, MySQL and the producer, Redis made
//! unreachable, and pools shrunk. Off unless `coupon serve --enable-faults`; the seed's three
//! scenarios are reproduced with these (see the README's drill section).
//!
//! A shrunk pool is real: Redis's pool is resized, and MySQL connections are taken out of the
//! pool and held, so requests queue for the few that are left exactly as they would when a
//! pool is exhausted.

use std::sync::Mutex;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::time::Duration;

use serde::{Deserialize, Serialize};
use sqlx::MySql;
use sqlx::pool::PoolConnection;

use crate::error::{Dependency, Error, Invalid, Refused, Result};

#[derive(Default)]
pub struct Faults {
    redis_latency_ms: AtomicU64,
    redis_unreachable: AtomicBool,
    redis_pool_size: Mutex<Option<usize>>,
    mysql_latency_ms: AtomicU64,
    mysql_held: Mutex<Vec<PoolConnection<MySql>>>,
    mysql_pool_size: Mutex<Option<u32>>,
    producer_latency_ms: AtomicU64,
}

/// `PUT /admin/faults/{target}` body; absent fields are left as they are.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FaultChange {
    pub latency_ms: Option<u64>,
    pub unreachable: Option<bool>,
    pub pool_size: Option<u32>,
}

#[derive(Debug, Serialize, PartialEq)]
pub struct FaultState {
    pub redis: TargetState,
    pub mysql: TargetState,
    pub producer: TargetState,
}

#[derive(Debug, Serialize, PartialEq)]
pub struct TargetState {
    pub latency_ms: u64,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub unreachable: Option<bool>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub pool_size: Option<u32>,
}

impl Faults {
    /// Called at the start of every call to `dep`: waits the injected latency, then fails if
    /// the dependency was made unreachable.
    pub async fn before(&self, dep: Dependency) -> Result<()> {
        let latency = match dep {
            Dependency::Redis => self.redis_latency_ms.load(Ordering::Relaxed),
            Dependency::Mysql => self.mysql_latency_ms.load(Ordering::Relaxed),
            Dependency::Broker => self.producer_latency_ms.load(Ordering::Relaxed),
        };
        if latency > 0 {
            tokio::time::sleep(Duration::from_millis(latency)).await;
        }
        if dep == Dependency::Redis && self.redis_unreachable.load(Ordering::Relaxed) {
            return Err(Error::Injected(Dependency::Redis));
        }
        Ok(())
    }

    pub fn set_latency(&self, dep: Dependency, ms: u64) {
        match dep {
            Dependency::Redis => self.redis_latency_ms.store(ms, Ordering::Relaxed),
            Dependency::Mysql => self.mysql_latency_ms.store(ms, Ordering::Relaxed),
            Dependency::Broker => self.producer_latency_ms.store(ms, Ordering::Relaxed),
        }
    }

    pub fn set_redis_unreachable(&self, on: bool) {
        self.redis_unreachable.store(on, Ordering::Relaxed);
    }

    pub fn set_redis_pool_size(&self, size: Option<usize>) {
        *self.redis_pool_size.lock().expect("faults lock") = size;
    }

    /// Holds connections taken from the MySQL pool so that only `size` remain for requests.
    pub fn hold_mysql(&self, size: Option<u32>, held: Vec<PoolConnection<MySql>>) {
        *self.mysql_pool_size.lock().expect("faults lock") = size;
        *self.mysql_held.lock().expect("faults lock") = held;
    }

    pub fn state(&self) -> FaultState {
        FaultState {
            redis: TargetState {
                latency_ms: self.redis_latency_ms.load(Ordering::Relaxed),
                unreachable: Some(self.redis_unreachable.load(Ordering::Relaxed)),
                pool_size: self
                    .redis_pool_size
                    .lock()
                    .expect("faults lock")
                    .map(|n| n as u32),
            },
            mysql: TargetState {
                latency_ms: self.mysql_latency_ms.load(Ordering::Relaxed),
                unreachable: None,
                pool_size: *self.mysql_pool_size.lock().expect("faults lock"),
            },
            producer: TargetState {
                latency_ms: self.producer_latency_ms.load(Ordering::Relaxed),
                unreachable: None,
                pool_size: None,
            },
        }
    }
}

impl FaultChange {
    /// Checks a drill's change to `target`, whose pool holds at most `max_pool` connections
    /// (`None`: it has no pool).
    pub fn check(&self, target: Dependency, max_pool: Option<u32>) -> Result<(), Invalid> {
        if self.latency_ms.is_some_and(|ms| ms > 60_000) {
            return Err(Invalid::TooLarge {
                field: "latency_ms",
                max: 60_000,
            });
        }
        if self.unreachable.is_some() && target != Dependency::Redis {
            return Err(Invalid::OnlyRedisUnreachable);
        }
        if let Some(size) = self.pool_size {
            let max = max_pool.ok_or(Invalid::NoPool)?;
            if !(1..=max).contains(&size) {
                return Err(Invalid::OutOfRange {
                    field: "pool_size",
                    min: 1,
                    max: max.into(),
                });
            }
        }
        Ok(())
    }
}

impl crate::service::Service {
    /// Applies a drill's change to one target; an invalid change is refused and changes nothing.
    pub async fn apply_fault(
        &self,
        target: Dependency,
        change: FaultChange,
    ) -> Result<(), Refused> {
        let max_pool = match target {
            Dependency::Redis => Some(self.redis.pool_usage().1 as u32),
            Dependency::Mysql => Some(self.db.pool_usage().1),
            Dependency::Broker => None,
        };
        change.check(target, max_pool)?;
        if let Some(ms) = change.latency_ms {
            self.faults.set_latency(target, ms);
        }
        if let Some(on) = change.unreachable {
            self.faults.set_redis_unreachable(on);
        }
        if let Some(size) = change.pool_size {
            match target {
                Dependency::Redis => {
                    self.redis.resize(Some(size as usize));
                    self.faults.set_redis_pool_size(Some(size as usize));
                }
                _ => self.db.shrink(Some(size)).await?,
            }
        }
        Ok(())
    }

    pub async fn reset_fault(&self, target: Dependency) -> Result<()> {
        self.faults.set_latency(target, 0);
        match target {
            Dependency::Redis => {
                self.faults.set_redis_unreachable(false);
                self.redis.resize(None);
                self.faults.set_redis_pool_size(None);
            }
            Dependency::Mysql => self.db.shrink(None).await?,
            Dependency::Broker => {}
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn drill_changes_are_checked_before_anything_changes() {
        let change = |latency_ms, unreachable, pool_size| FaultChange {
            latency_ms,
            unreachable,
            pool_size,
        };
        let redis = Dependency::Redis;
        assert_eq!(
            change(Some(60_000), Some(true), Some(50)).check(redis, Some(50)),
            Ok(())
        );
        for (target, max, c, field, message) in [
            (
                redis,
                Some(50),
                change(Some(60_001), None, None),
                "latency_ms",
                "latency_ms must be at most 60000",
            ),
            (
                Dependency::Broker,
                None,
                change(None, Some(true), None),
                "unreachable",
                "only redis can be made unreachable",
            ),
            (
                Dependency::Broker,
                None,
                change(None, None, Some(1)),
                "pool_size",
                "the producer has no pool",
            ),
            (
                Dependency::Mysql,
                Some(20),
                change(None, None, Some(0)),
                "pool_size",
                "pool_size must be between 1 and 20",
            ),
        ] {
            let e = c.check(target, max).unwrap_err();
            assert_eq!((e.field(), e.to_string().as_str()), (field, message));
        }
    }
}
