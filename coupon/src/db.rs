//! MySQL (MariaDB): the pool, the embedded migrations, and every query, each under a deadline.

use std::collections::HashSet;
use std::sync::Arc;
use std::time::Duration;

use serde::Serialize;
use sqlx::migrate::MigrateDatabase;
use sqlx::mysql::{MySqlConnectOptions, MySqlPoolOptions};
use sqlx::{MySql, MySqlPool, QueryBuilder};

use crate::error::{Dependency, Error, Result};
use crate::faults::{FaultTarget, Faults};
use crate::outbox::Entry;
use crate::resilience::deadline;

pub static MIGRATOR: sqlx::migrate::Migrator = sqlx::migrate!("./migrations");

pub struct Db {
    pub pool: MySqlPool,
    max: u32,
    timeout: Duration,
    faults: Arc<Faults>,
}

#[derive(Debug, Clone, Serialize, serde::Deserialize, sqlx::FromRow, PartialEq)]
pub struct Product {
    pub id: u32,
    pub name: String,
    pub price_won: u32,
    pub sold: u64,
}

#[derive(Debug, Clone, PartialEq)]
pub struct EventRow {
    pub id: u64,
    pub name: String,
    pub stock: u32,
}

/// A coupon as carried on the `coupon-issue` topic and stored in `coupons`.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct IssuedCoupon {
    pub event_id: u64,
    pub user_id: String,
    pub seq: u64,
    /// Milliseconds since the Unix epoch.
    pub issued_at_ms: i64,
}

/// Persisted coupons of an event: rows, and distinct users among them (equal unless the
/// one-per-user rule was broken).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Persisted {
    pub coupons: u64,
    pub users: u64,
}

impl Db {
    /// Creates the database if it does not exist, opens the pool and applies the migrations.
    pub async fn connect(
        url: &str,
        max: u32,
        timeout: Duration,
        faults: Arc<Faults>,
    ) -> anyhow::Result<Db> {
        use anyhow::Context;
        if !MySql::database_exists(url)
            .await
            .context("reaching MySQL")?
        {
            MySql::create_database(url)
                .await
                .context("creating the database")?;
        }
        let options: MySqlConnectOptions = url.parse().context("parsing the MySQL URL")?;
        let pool = MySqlPoolOptions::new()
            .max_connections(max)
            .acquire_timeout(timeout)
            .connect_with(options)
            .await
            .context("connecting to MySQL")?;
        MIGRATOR
            .run(&pool)
            .await
            .context("applying MySQL migrations")?;
        Ok(Db {
            pool,
            max,
            timeout,
            faults,
        })
    }

    /// (in use, max) connections, for metrics.
    pub fn pool_usage(&self) -> (u32, u32) {
        (
            self.pool.size().saturating_sub(self.pool.num_idle() as u32),
            self.max,
        )
    }

    async fn guarded<T>(&self, call: impl Future<Output = Result<T>>) -> Result<T> {
        deadline(Dependency::Mysql, self.timeout, async {
            self.slowed().await?;
            call.await
        })
        .await
    }

    /// Drills: waits the injected MySQL latency holding a connection from the pool, as a slow
    /// query holds its connection, so a slow MySQL fills the pool. (A call inside a
    /// transaction needs a second connection for it: with the pool shrunk to one, it waits.)
    async fn slowed(&self) -> Result<()> {
        if self.faults.latency(FaultTarget::Mysql).is_zero() {
            return Ok(());
        }
        let _busy = self.pool.acquire().await?;
        self.faults.before(Dependency::Mysql).await
    }

    /// Inserts an event and, inside the same transaction, runs `publish` (which makes it known to
    /// Redis); the row is committed only if `publish` succeeds.
    pub async fn create_event<F>(
        &self,
        name: &str,
        stock: u32,
        publish: impl FnOnce(u64) -> F,
    ) -> Result<EventRow>
    where
        F: Future<Output = Result<()>>,
    {
        let mut tx = self.guarded(async { Ok(self.pool.begin().await?) }).await?;
        let id = self
            .guarded(async {
                let done = sqlx::query("INSERT INTO events (name, stock) VALUES (?, ?)")
                    .bind(name)
                    .bind(stock)
                    .execute(&mut *tx)
                    .await?;
                Ok(done.last_insert_id())
            })
            .await?;
        publish(id).await?;
        self.guarded(async { Ok(tx.commit().await?) }).await?;
        Ok(EventRow {
            id,
            name: name.to_owned(),
            stock,
        })
    }

    pub async fn event(&self, id: u64) -> Result<Option<EventRow>> {
        self.guarded(async {
            let row: Option<(u64, String, u32)> =
                sqlx::query_as("SELECT id, name, stock FROM events WHERE id = ?")
                    .bind(id)
                    .fetch_optional(&self.pool)
                    .await?;
            Ok(row.map(|(id, name, stock)| EventRow { id, name, stock }))
        })
        .await
    }

    pub async fn persisted(&self, event: u64) -> Result<Persisted> {
        self.guarded(async {
            let (coupons, users): (i64, i64) = sqlx::query_as(
                "SELECT COUNT(*), COUNT(DISTINCT user_id) FROM coupons WHERE event_id = ?",
            )
            .bind(event)
            .fetch_one(&self.pool)
            .await?;
            Ok(Persisted {
                coupons: coupons as u64,
                users: users as u64,
            })
        })
        .await
    }

    /// Writes a batch of coupons in one statement; redelivered ones are ignored. Returns the
    /// number of new rows.
    pub async fn insert_coupons(&self, batch: &[IssuedCoupon]) -> Result<u64> {
        if batch.is_empty() {
            return Ok(0);
        }
        // Only the consumer writes coupons: a slow consumer (drills) waits here, outside the
        // MySQL deadline and holding no connection.
        self.faults.before_batch().await;
        self.guarded(async {
            let mut q = QueryBuilder::<MySql>::new(
                "INSERT IGNORE INTO coupons (event_id, user_id, seq, issued_at) ",
            );
            q.push_values(batch, |mut row, c| {
                row.push_bind(c.event_id)
                    .push_bind(&c.user_id)
                    .push_bind(c.seq)
                    .push("FROM_UNIXTIME(")
                    .push_bind_unseparated(c.issued_at_ms as f64 / 1000.0)
                    .push_unseparated(")");
            });
            Ok(q.build().execute(&self.pool).await?.rows_affected())
        })
        .await
    }

    /// Every event's id.
    pub async fn event_ids(&self) -> Result<Vec<u64>> {
        self.guarded(async {
            let ids: Vec<(u64,)> = sqlx::query_as("SELECT id FROM events ORDER BY id")
                .fetch_all(&self.pool)
                .await?;
            Ok(ids.into_iter().map(|(id,)| id).collect())
        })
        .await
    }

    /// Which of `users` have their coupon of `event` stored.
    pub async fn stored_users(&self, event: u64, users: &[String]) -> Result<HashSet<String>> {
        if users.is_empty() {
            return Ok(HashSet::new());
        }
        self.guarded(async {
            // The binary collation makes the column read as VARBINARY: ask for text.
            let mut q = QueryBuilder::<MySql>::new(
                "SELECT CONVERT(user_id USING utf8mb4) FROM coupons WHERE event_id = ",
            );
            q.push_bind(event).push(" AND user_id IN (");
            let mut list = q.separated(", ");
            for user in users {
                list.push_bind(user);
            }
            q.push(")");
            let rows: Vec<(String,)> = q.build_query_as().fetch_all(&self.pool).await?;
            Ok(rows.into_iter().map(|(u,)| u).collect())
        })
        .await
    }

    /// Keeps a coupon that can never be delivered (see [`crate::outbox`]); storing the same
    /// entry again changes nothing.
    pub async fn dead_letter(&self, entry: &Entry, payload: &str, error: &str) -> Result<()> {
        let error: String = error.chars().take(1000).collect();
        self.guarded(async {
            sqlx::query(
                "INSERT IGNORE INTO dead_letters (event_id, entry_id, payload, error) VALUES (?, ?, ?, ?)",
            )
            .bind(entry.event)
            .bind(&entry.id)
            .bind(payload)
            .bind(&error)
            .execute(&self.pool)
            .await?;
            Ok(())
        })
        .await
    }

    /// The best-selling products, `limit` of them.
    pub async fn top_products(&self, limit: u32) -> Result<Vec<Product>> {
        self.guarded(async {
            Ok(sqlx::query_as(
                "SELECT p.id, p.name, p.price_won, CAST(SUM(o.quantity) AS UNSIGNED) AS sold \
                 FROM order_items o JOIN products p ON p.id = o.product_id \
                 GROUP BY p.id, p.name, p.price_won ORDER BY sold DESC, p.id LIMIT ?",
            )
            .bind(limit)
            .fetch_all(&self.pool)
            .await?)
        })
        .await
    }

    pub async fn ping(&self) -> Result<()> {
        self.guarded(async {
            sqlx::query("SELECT 1").execute(&self.pool).await?;
            Ok(())
        })
        .await
    }

    /// Drills: take connections out of the pool so that only `size` are left (`None` gives
    /// them back). Waits at most the call timeout for connections in use to come back.
    pub async fn shrink(&self, size: Option<u32>) -> Result<()> {
        self.faults.hold_mysql(None, Vec::new());
        let Some(size) = size else { return Ok(()) };
        let mut held = Vec::new();
        for _ in size..self.max {
            match tokio::time::timeout(self.timeout, self.pool.acquire()).await {
                Ok(Ok(conn)) => held.push(conn),
                Ok(Err(e)) => return Err(Error::Db(e)),
                Err(_) => return Err(Error::Timeout(Dependency::Mysql, self.timeout)),
            }
        }
        self.faults.hold_mysql(Some(size), held);
        Ok(())
    }
}
