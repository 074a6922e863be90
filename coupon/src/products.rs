//! Top products: served from a Redis cache, filled from MySQL.
//!
//! No stampede on expiry: the cached list carries a refresh time at 80 % of its TTL, and the
//! first request after it refreshes the list in the background while everyone keeps getting
//! the cached one. Only a cold cache makes requests wait, and then one of them queries MySQL
//! while the rest wait for its result. With Redis unavailable, requests go to MySQL inside the
//! bulkhead, so a Redis outage cannot take the whole MySQL pool (the seed's scenario 3); there
//! too, one query answers everyone waiting and its answer is reused for a second.

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use serde::{Deserialize, Serialize};

use crate::db::Product;
use crate::error::Result;
use crate::service::Service;

const KEY: &str = "coupon:top-products:v1";
/// How many products are cached; requests may ask for up to this many.
pub const MAX_LIMIT: u32 = 100;

/// Where an answer came from (`source` in the response).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Source {
    Cache,
    /// A cache miss, filled from MySQL.
    Database,
    /// Redis unavailable: MySQL directly, inside the bulkhead.
    Fallback,
}

#[derive(Serialize, Deserialize)]
struct Cached {
    refresh_after_ms: u64,
    products: Vec<Product>,
}

/// How long a list read from MySQL while Redis is down answers later requests.
const FALLBACK_REUSE: Duration = Duration::from_secs(1);

pub struct TopProducts {
    ttl: Duration,
    fill: tokio::sync::Mutex<()>,
    refreshing: AtomicBool,
    /// The last fallback query's answer (`None` if it failed), and when.
    fallback: tokio::sync::Mutex<Option<(Instant, Option<Vec<Product>>)>>,
}

fn now_ms() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_millis() as u64)
        .unwrap_or_default()
}

impl TopProducts {
    pub fn new(ttl: Duration) -> Self {
        TopProducts {
            ttl,
            fill: tokio::sync::Mutex::new(()),
            refreshing: AtomicBool::new(false),
            fallback: tokio::sync::Mutex::new(None),
        }
    }
}

impl Service {
    pub async fn top_products(self: &Arc<Self>, limit: u32) -> Result<(Vec<Product>, Source)> {
        let cached = match self.redis.cache_get(KEY).await {
            Ok(cached) => cached,
            Err(e) => {
                tracing::debug!(error = %e, "top products: redis unavailable, reading MySQL in the bulkhead");
                return Ok((
                    take(self.top_products_fallback().await?, limit),
                    Source::Fallback,
                ));
            }
        };
        if let Some(cached) = cached
            .as_deref()
            .and_then(|c| serde_json::from_str::<Cached>(c).ok())
        {
            self.metrics.cache.with_label_values(&["hit"]).inc();
            if now_ms() >= cached.refresh_after_ms
                && !self.top.refreshing.swap(true, Ordering::AcqRel)
            {
                let svc = self.clone();
                tokio::spawn(async move {
                    if let Err(e) = svc.fill_top_products().await {
                        tracing::warn!(error = %e, "top products: background refresh failed");
                    }
                    svc.top.refreshing.store(false, Ordering::Release);
                });
            }
            return Ok((take(cached.products, limit), Source::Cache));
        }
        self.metrics.cache.with_label_values(&["miss"]).inc();
        let _filling = self.top.fill.lock().await;
        // Someone else may have filled it while this request waited.
        if let Ok(Some(cached)) = self.redis.cache_get(KEY).await
            && let Ok(cached) = serde_json::from_str::<Cached>(&cached)
        {
            return Ok((take(cached.products, limit), Source::Database));
        }
        let products = self.fill_top_products().await?;
        Ok((take(products, limit), Source::Database))
    }

    /// The list straight from MySQL, one query at a time inside the bulkhead, its answer shared
    /// by everyone who waited for it and reused for [`FALLBACK_REUSE`].
    ///
    /// Requests queue for the query in flight instead of giving up after the bulkhead's wait:
    /// that query is bounded by the MySQL deadline and answers them all. A failure is kept for
    /// the same second, so the queue behind a failed query drains at once (503) rather than
    /// sending MySQL one query after another while it is failing.
    async fn top_products_fallback(&self) -> Result<Vec<Product>> {
        let mut last = self.top.fallback.lock().await;
        if let Some((at, answer)) = last.as_ref()
            && at.elapsed() < FALLBACK_REUSE
        {
            return answer.clone().ok_or(crate::error::Error::Saturated(
                crate::error::Dependency::Mysql,
            ));
        }
        let result = self.fallback.call(self.db.top_products(MAX_LIMIT)).await;
        *last = Some((Instant::now(), result.as_ref().ok().cloned()));
        result
    }

    /// Queries MySQL for the top list and caches it.
    async fn fill_top_products(&self) -> Result<Vec<Product>> {
        let products = self.db.top_products(MAX_LIMIT).await?;
        let refresh_after_ms = now_ms() + (self.top.ttl.as_millis() as u64) * 4 / 5;
        let cached = Cached {
            refresh_after_ms,
            products,
        };
        let value = serde_json::to_string(&cached).expect("products serialize");
        if let Err(e) = self.redis.cache_set(KEY, &value, self.top.ttl).await {
            tracing::warn!(error = %e, "top products: caching failed");
        }
        Ok(cached.products)
    }
}

fn take(mut products: Vec<Product>, limit: u32) -> Vec<Product> {
    products.truncate(limit as usize);
    products
}
