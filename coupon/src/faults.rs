//! Fault injection for drills: added latency on Redis, MySQL, the producer and the consumer,
//! Redis made unreachable, and pools shrunk. Off unless `coupon serve --enable-faults`; the
//! seed's three scenarios are reproduced with these (`coupon drill`, see [`crate::drill`]).
//!
//! Every fault is real where it bites:
//! - a shrunk pool is real: Redis's pool is resized, and MySQL connections are taken out of
//!   the pool and held, so requests queue for the few that are left exactly as they would when
//!   a pool is exhausted;
//! - Redis and MySQL latency is spent holding a pooled connection, as a slow server's answer
//!   keeps its connection busy, so a slow dependency fills its pool;
//! - producer latency is spent by the outbox relay before it hands a batch of coupons to the
//!   producer, and counted as send time, as a broker slow to acknowledge would make it;
//! - consumer latency delays each batch before it is written to MySQL (a slow consumer), on
//!   the consumer alone: the lag grows while requests and MySQL are unaffected. It is re-read
//!   while waiting, so lifting it releases a waiting batch at once.

use std::sync::Mutex;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::time::Duration;

use serde::{Deserialize, Serialize};
use sqlx::MySql;
use sqlx::pool::PoolConnection;

use crate::error::{Dependency, Error, Invalid, Refused, Result};

/// What a fault is injected into: the path segment of `/admin/faults/{target}`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FaultTarget {
    Redis,
    Mysql,
    /// Sending issued coupons to the broker.
    Producer,
    /// Persisting them from the topic to MySQL.
    Consumer,
}

impl FaultTarget {
    pub const ALL: [FaultTarget; 4] = [
        FaultTarget::Redis,
        FaultTarget::Mysql,
        FaultTarget::Producer,
        FaultTarget::Consumer,
    ];

    pub fn parse(raw: &str) -> Option<FaultTarget> {
        FaultTarget::ALL.into_iter().find(|t| t.as_str() == raw)
    }

    pub fn as_str(self) -> &'static str {
        match self {
            FaultTarget::Redis => "redis",
            FaultTarget::Mysql => "mysql",
            FaultTarget::Producer => "producer",
            FaultTarget::Consumer => "consumer",
        }
    }
}

#[derive(Default)]
pub struct Faults {
    redis_latency_ms: AtomicU64,
    redis_unreachable: AtomicBool,
    redis_pool_size: Mutex<Option<usize>>,
    mysql_latency_ms: AtomicU64,
    mysql_held: Mutex<Vec<PoolConnection<MySql>>>,
    mysql_pool_size: Mutex<Option<u32>>,
    producer_latency_ms: AtomicU64,
    consumer_latency_ms: AtomicU64,
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
    pub consumer: TargetState,
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
    fn latency_ms(&self, target: FaultTarget) -> &AtomicU64 {
        match target {
            FaultTarget::Redis => &self.redis_latency_ms,
            FaultTarget::Mysql => &self.mysql_latency_ms,
            FaultTarget::Producer => &self.producer_latency_ms,
            FaultTarget::Consumer => &self.consumer_latency_ms,
        }
    }

    /// The latency injected into `target` (zero when none).
    pub fn latency(&self, target: FaultTarget) -> Duration {
        Duration::from_millis(self.latency_ms(target).load(Ordering::Relaxed))
    }

    /// Called at the start of every call to `dep` (for Redis and MySQL, with a pooled
    /// connection in hand): waits the injected latency, then fails if the dependency was made
    /// unreachable.
    pub async fn before(&self, dep: Dependency) -> Result<()> {
        let target = match dep {
            Dependency::Redis => FaultTarget::Redis,
            Dependency::Mysql => FaultTarget::Mysql,
            Dependency::Broker => FaultTarget::Producer,
        };
        let latency = self.latency(target);
        if !latency.is_zero() {
            tokio::time::sleep(latency).await;
        }
        if dep == Dependency::Redis && self.redis_unreachable.load(Ordering::Relaxed) {
            return Err(Error::Injected(Dependency::Redis));
        }
        Ok(())
    }

    /// Called by the consumer before it writes a batch: waits while less than the injected
    /// consumer latency has passed since the call, re-reading the setting every 100 ms, so a
    /// lifted (or shortened) fault releases the batch at once.
    pub async fn before_batch(&self) {
        let start = tokio::time::Instant::now();
        loop {
            let due = start + self.latency(FaultTarget::Consumer);
            let now = tokio::time::Instant::now();
            if now >= due {
                return;
            }
            tokio::time::sleep((due - now).min(Duration::from_millis(100))).await;
        }
    }

    pub fn set_latency(&self, target: FaultTarget, ms: u64) {
        self.latency_ms(target).store(ms, Ordering::Relaxed);
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
            consumer: TargetState {
                latency_ms: self.consumer_latency_ms.load(Ordering::Relaxed),
                unreachable: None,
                pool_size: None,
            },
        }
    }
}

impl FaultChange {
    /// Checks a drill's change to `target`, whose pool holds at most `max_pool` connections
    /// (`None`: it has no pool).
    pub fn check(&self, target: FaultTarget, max_pool: Option<u32>) -> Result<(), Invalid> {
        if self.latency_ms.is_some_and(|ms| ms > 60_000) {
            return Err(Invalid::TooLarge {
                field: "latency_ms",
                max: 60_000,
            });
        }
        if self.unreachable.is_some() && target != FaultTarget::Redis {
            return Err(Invalid::OnlyRedisUnreachable);
        }
        if let Some(size) = self.pool_size {
            let max = max_pool.ok_or(Invalid::NoPool(target.as_str()))?;
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
        target: FaultTarget,
        change: FaultChange,
    ) -> Result<(), Refused> {
        let max_pool = match target {
            FaultTarget::Redis => Some(self.redis.pool_usage().1 as u32),
            FaultTarget::Mysql => Some(self.db.pool_usage().1),
            FaultTarget::Producer | FaultTarget::Consumer => None,
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
                FaultTarget::Redis => {
                    self.redis.resize(Some(size as usize));
                    self.faults.set_redis_pool_size(Some(size as usize));
                }
                _ => self.db.shrink(Some(size)).await?,
            }
        }
        Ok(())
    }

    pub async fn reset_fault(&self, target: FaultTarget) -> Result<()> {
        self.faults.set_latency(target, 0);
        match target {
            FaultTarget::Redis => {
                self.faults.set_redis_unreachable(false);
                self.redis.resize(None);
                self.faults.set_redis_pool_size(None);
            }
            FaultTarget::Mysql => self.db.shrink(None).await?,
            FaultTarget::Producer | FaultTarget::Consumer => {}
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
        let redis = FaultTarget::Redis;
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
                FaultTarget::Producer,
                None,
                change(None, Some(true), None),
                "unreachable",
                "only redis can be made unreachable",
            ),
            (
                FaultTarget::Producer,
                None,
                change(None, None, Some(1)),
                "pool_size",
                "the producer has no pool",
            ),
            (
                FaultTarget::Consumer,
                None,
                change(None, None, Some(1)),
                "pool_size",
                "the consumer has no pool",
            ),
            (
                FaultTarget::Mysql,
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

    #[tokio::test(start_paused = true)]
    async fn a_lifted_consumer_delay_releases_the_waiting_batch_at_once() {
        let faults = std::sync::Arc::new(Faults::default());
        faults.set_latency(FaultTarget::Consumer, 60_000);
        let start = tokio::time::Instant::now();
        let batch = tokio::spawn({
            let faults = faults.clone();
            async move { faults.before_batch().await }
        });
        tokio::time::sleep(Duration::from_secs(5)).await;
        assert!(!batch.is_finished(), "held while the fault lasts");
        faults.set_latency(FaultTarget::Consumer, 0);
        batch.await.unwrap();
        let waited = start.elapsed();
        assert!(
            waited < Duration::from_millis(5_101),
            "released within 100 ms of the fault's end, after {waited:?}"
        );
    }
}
