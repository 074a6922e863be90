//! Top products: served from a Redis cache, filled from MySQL.
//!
//! No stampede on expiry: the cached list carries a refresh time at 80 % of its TTL, and the
//! first request after it refreshes the list in the background while everyone keeps getting
//! the cached one. Only a cold cache makes requests wait, and then one of them queries MySQL
//! while the rest wait for its result. With Redis unavailable, requests go to MySQL in a single
//! flight ([`SingleFlight`]): one query at a time answers everyone waiting and its answer is
//! reused for a second, so a Redis outage takes one MySQL connection, never the pool (the
//! seed's scenario 3).

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use prometheus::IntGauge;
use serde::{Deserialize, Serialize};

use crate::db::Product;
use crate::error::{Dependency, Result};
use crate::resilience::SingleFlight;
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
    /// Redis unavailable: MySQL directly, in the single flight.
    Fallback,
}

#[derive(Serialize, Deserialize)]
struct Cached {
    refresh_after_ms: u64,
    products: Vec<Product>,
}

/// How long the fallback's answer while Redis is down (the list, or MySQL's failure) answers
/// later requests.
const FALLBACK_REUSE: Duration = Duration::from_secs(1);

pub struct TopProducts {
    ttl: Duration,
    fill: tokio::sync::Mutex<()>,
    refreshing: AtomicBool,
    /// The MySQL query while Redis is unavailable.
    fallback: SingleFlight<Vec<Product>>,
}

fn now_ms() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_millis() as u64)
        .unwrap_or_default()
}

impl TopProducts {
    /// `fallback_in_flight` counts fallback queries running (`coupon_db_fallback_in_use`).
    pub fn new(ttl: Duration, fallback_in_flight: IntGauge) -> Self {
        TopProducts {
            ttl,
            fill: tokio::sync::Mutex::new(()),
            refreshing: AtomicBool::new(false),
            fallback: SingleFlight::new(Dependency::Mysql, FALLBACK_REUSE, fallback_in_flight),
        }
    }
}

impl Service {
    pub async fn top_products(self: &Arc<Self>, limit: u32) -> Result<(Vec<Product>, Source)> {
        let cached = match self.redis.cache_get(KEY).await {
            Ok(cached) => cached,
            Err(e) => {
                tracing::debug!(error = %e, "top products: redis unavailable, reading MySQL in the single flight");
                let products = self
                    .top
                    .fallback
                    .call(self.db.top_products(MAX_LIMIT))
                    .await?;
                return Ok((take(products, limit), Source::Fallback));
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
