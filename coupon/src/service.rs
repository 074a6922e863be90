//! The service: its parts wired together, and the operations the HTTP handlers call.

use std::sync::Arc;
use std::time::Duration;

use anyhow::Context;
use serde::Serialize;

use crate::config::ServeConfig;
use crate::db::Db;
use crate::error::{Error, Invalid, NoEvent, Refused, Result};
use crate::faults::Faults;
use crate::metrics::Metrics;
use crate::outbox;
use crate::pipeline::{self, Persister, Producer};
use crate::products::TopProducts;
use crate::redis::Redis;
use crate::resilience::{Breaker, BreakerState};

pub struct Service {
    pub redis: Arc<Redis>,
    pub db: Arc<Db>,
    pub producer: Arc<Producer>,
    /// Most coupons an event's outbox may hold before issuing answers 503.
    pub outbox_capacity: usize,
    pub top: TopProducts,
    pub metrics: Arc<Metrics>,
    pub faults: Arc<Faults>,
    pub broker_timeout: Duration,
    /// The outbox's and the persister's tasks (the persister's own the consumer).
    background: std::sync::Mutex<Vec<tokio::task::JoinHandle<()>>>,
    /// The persister, to see it gone at shutdown: its lag check runs on a blocking thread with
    /// a reference of its own, which aborting its task does not end.
    persister: std::sync::Weak<Persister>,
}

/// Largest stock one event may have: far above any real coupon drop, low enough that a typo
/// (an extra zero or three) is caught.
pub const MAX_STOCK: i64 = 10_000_000;

#[derive(Debug, Serialize)]
pub struct EventStatus {
    pub id: u64,
    pub name: String,
    pub stock: u64,
    /// Coupons issued (Redis, the source of truth for the decision).
    pub issued: u64,
    pub remaining: u64,
    /// Coupons durably stored in MySQL; equals `issued` once the pipeline has drained.
    pub persisted: u64,
    /// Distinct users among the persisted coupons: equal to `persisted` (one per user).
    pub persisted_users: u64,
}

/// Checks a new event's name (1–200 characters, trimmed) and stock (1–[`MAX_STOCK`]).
pub fn valid_event(name: &str, stock: i64) -> Result<(&str, u32), Invalid> {
    let name = name.trim();
    if name.is_empty() {
        return Err(Invalid::Empty("name"));
    }
    if name.chars().count() > 200 {
        return Err(Invalid::TooLong {
            field: "name",
            max: 200,
        });
    }
    if !(1..=MAX_STOCK).contains(&stock) {
        return Err(Invalid::OutOfRange {
            field: "stock",
            min: 1,
            max: MAX_STOCK,
        });
    }
    Ok((name, stock as u32))
}

impl Service {
    /// Connects to Redis, MySQL (creating the database and applying migrations) and the broker
    /// (creating the topic), and starts the persister.
    pub async fn start(config: &ServeConfig) -> anyhow::Result<Arc<Service>> {
        let metrics = Arc::new(Metrics::new());
        let faults = Arc::new(Faults::default());
        let breaker = Breaker::new(
            config.breaker_failures,
            Duration::from_millis(config.breaker_open_ms),
            Some(metrics.breaker_transitions.clone()),
        );
        let redis = Arc::new(
            Redis::new(
                &config.redis_url,
                config.redis_pool,
                config.redis_timeout(),
                breaker,
                faults.clone(),
            )
            .context("creating the Redis pool")?,
        );
        let db = Arc::new(
            Db::connect(
                &config.mysql_url,
                config.mysql_pool,
                config.mysql_timeout(),
                faults.clone(),
            )
            .await?,
        );
        pipeline::ensure_topic(&config.broker, config.partitions, config.broker_timeout())
            .await
            .context("creating the coupon-issue topic")?;
        let (outcomes, delivered) = tokio::sync::mpsc::unbounded_channel();
        let (retries, to_retry) = tokio::sync::mpsc::unbounded_channel();
        let producer = Arc::new(
            Producer::new(config, &metrics, outcomes.clone(), retries)
                .context("creating the producer")?,
        );
        // Creating the consumer asks the broker for the topic's partitions, a blocking call
        // that may take the whole broker timeout: not on a runtime worker.
        let persister = {
            let (config, db, metrics) = (config.clone(), db.clone(), metrics.clone());
            tokio::task::spawn_blocking(move || Persister::new(&config, db, &metrics))
                .await
                .context("creating the consumer")?
                .context("creating the consumer")?
        };
        let watched = Arc::downgrade(&persister);
        let background = vec![
            tokio::spawn(outbox::reconcile_at_start(
                redis.clone(),
                db.clone(),
                metrics.clone(),
            )),
            tokio::spawn(outbox::relay(
                redis.clone(),
                producer.clone(),
                faults.clone(),
                metrics.clone(),
                outcomes,
                to_retry,
            )),
            tokio::spawn(outbox::acker(
                delivered,
                redis.clone(),
                db.clone(),
                metrics.clone(),
            )),
            tokio::spawn(persister.clone().run()),
            tokio::spawn(persister.watch_lag()),
        ];
        Ok(Arc::new(Service {
            redis,
            db,
            producer,
            outbox_capacity: config.producer_queue,
            top: TopProducts::new(
                Duration::from_secs(config.top_ttl_secs),
                metrics.db_fallback_in_use.clone(),
            ),
            metrics,
            faults,
            broker_timeout: config.broker_timeout(),
            background: std::sync::Mutex::new(background),
            persister: watched,
        }))
    }

    /// Creates an event: the MySQL row and the Redis counters, both or neither.
    pub async fn create_event(&self, name: &str, stock: i64) -> Result<EventStatus, Refused> {
        let (name, stock) = valid_event(name, stock)?;
        let row = self
            .db
            .create_event(name, stock, |id| self.redis.create_event(id, stock))
            .await?;
        tracing::info!(event = row.id, stock, "coupon event created");
        Ok(EventStatus {
            id: row.id,
            name: row.name,
            stock: stock.into(),
            issued: 0,
            remaining: stock.into(),
            persisted: 0,
            persisted_users: 0,
        })
    }

    pub async fn event_status(&self, id: u64) -> Result<EventStatus, Refused> {
        let Some(row) = self.db.event(id).await? else {
            return Err(NoEvent(id).into());
        };
        let (stock, issued) = self
            .redis
            .event_counts(id)
            .await?
            .ok_or(Error::StateLost(id))?;
        let persisted = self.db.persisted(id).await?;
        Ok(EventStatus {
            id,
            name: row.name,
            stock,
            issued,
            remaining: stock.saturating_sub(issued),
            persisted: persisted.coupons,
            persisted_users: persisted.users,
        })
    }

    /// Brings pool and breaker gauges up to date and renders the metrics.
    pub fn render_metrics(&self) -> String {
        let m = &self.metrics;
        let (in_use, max) = self.redis.pool_usage();
        m.redis_pool
            .with_label_values(&["in_use"])
            .set(in_use as i64);
        m.redis_pool.with_label_values(&["max"]).set(max as i64);
        let (in_use, max) = self.db.pool_usage();
        m.mysql_pool
            .with_label_values(&["in_use"])
            .set(in_use.into());
        m.mysql_pool.with_label_values(&["max"]).set(max.into());
        m.producer_queue_depth.set(self.producer.depth() as i64);
        m.breaker_state.set(match self.redis.breaker.state() {
            BreakerState::Closed => 0,
            BreakerState::HalfOpen => 1,
            BreakerState::Open => 2,
        });
        m.encode()
    }

    /// Stops relaying and consuming (the consumer commits its offsets while the
    /// broker is still there, which `coupon up` stops next) and drops what the producer still
    /// holds: those coupons stay in the outbox and are sent after the restart.
    pub async fn shutdown(&self) {
        let tasks = std::mem::take(&mut *self.background.lock().expect("tasks lock"));
        for task in &tasks {
            task.abort();
        }
        for task in tasks {
            let _ = task.await;
        }
        // A lag check still running holds the consumer; it ends within its timeouts (1 s a
        // partition). Closed once the broker is gone, the consumer would wait for it for most
        // of a minute.
        let deadline = std::time::Instant::now() + Duration::from_secs(10);
        while self.persister.strong_count() > 0 && std::time::Instant::now() < deadline {
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
        self.producer.purge();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn event_rules_name_the_field_and_read_as_before() {
        assert_eq!(valid_event("  봄 세일 ", 5).unwrap(), ("봄 세일", 5));
        for (name, stock, field, message) in [
            ("   ", 5, "name", "name must not be empty"),
            (
                &"x".repeat(201),
                5,
                "name",
                "name must be at most 200 characters",
            ),
            ("x", 0, "stock", "stock must be between 1 and 10000000"),
            (
                "x",
                MAX_STOCK + 1,
                "stock",
                "stock must be between 1 and 10000000",
            ),
        ] {
            let e = valid_event(name, stock).unwrap_err();
            assert_eq!((e.field(), e.to_string().as_str()), (field, message));
        }
    }
}
