//! Redis: the pool, and every call the service makes, each under a deadline and the circuit
//! breaker. Issuance is one Lua script, so the stock check, the one-per-user check and the
//! increment are a single atomic step however many requests race.

use std::sync::Arc;
use std::time::Duration;

use deadpool_redis::redis::{self, AsyncCommands, Script};
use deadpool_redis::{Connection, Pool};

use crate::error::{Dependency, Error, Result};
use crate::faults::Faults;
use crate::resilience::{Breaker, deadline};

/// Keys share the `{event}` hash tag, so an event's keys live on one Redis Cluster slot.
pub fn event_key(event: u64) -> String {
    format!("coupon:{{{event}}}")
}
pub fn users_key(event: u64) -> String {
    format!("coupon:{{{event}}}:users")
}

/// Returns the new issued count (≥ 1), or −1 no such event, −2 the user already has one,
/// −3 sold out.
pub const ISSUE_LUA: &str = r#"
local stock = redis.call('HGET', KEYS[1], 'stock')
if not stock then return -1 end
if redis.call('SISMEMBER', KEYS[2], ARGV[1]) == 1 then return -2 end
local issued = tonumber(redis.call('HGET', KEYS[1], 'issued'))
if issued >= tonumber(stock) then return -3 end
redis.call('SADD', KEYS[2], ARGV[1])
return redis.call('HINCRBY', KEYS[1], 'issued', 1)
"#;

/// Takes back a coupon the pipeline refused to carry (the producer queue was full).
const UNDO_LUA: &str = r#"
if redis.call('SREM', KEYS[2], ARGV[1]) == 1 then
  return redis.call('HINCRBY', KEYS[1], 'issued', -1)
end
return -1
"#;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ScriptResult {
    Issued { seq: u64 },
    NoEvent,
    Duplicate,
    SoldOut,
}

pub struct Redis {
    pool: Pool,
    max: usize,
    timeout: Duration,
    pub breaker: Breaker,
    faults: Arc<Faults>,
    issue: Script,
    undo: Script,
}

impl Redis {
    pub fn new(
        url: &str,
        max: usize,
        timeout: Duration,
        breaker: Breaker,
        faults: Arc<Faults>,
    ) -> anyhow::Result<Self> {
        let mut cfg = deadpool_redis::Config::from_url(url);
        cfg.pool = Some(deadpool_redis::PoolConfig {
            max_size: max,
            timeouts: deadpool_redis::Timeouts {
                wait: Some(timeout),
                create: Some(timeout),
                recycle: Some(timeout),
            },
            ..Default::default()
        });
        let pool = cfg.create_pool(Some(deadpool_redis::Runtime::Tokio1))?;
        Ok(Redis {
            pool,
            max,
            timeout,
            breaker,
            faults,
            issue: Script::new(ISSUE_LUA),
            undo: Script::new(UNDO_LUA),
        })
    }

    /// (in use, max) connections, for metrics.
    pub fn pool_usage(&self) -> (usize, usize) {
        let s = self.pool.status();
        (s.size.saturating_sub(s.available), s.max_size)
    }

    /// Drills: shrink the pool (or restore it with `None`).
    pub fn resize(&self, size: Option<usize>) {
        self.pool.resize(size.unwrap_or(self.max).max(1));
    }

    /// Deadline, fault injection and the breaker around one call.
    async fn guarded<T>(&self, call: impl Future<Output = Result<T>>) -> Result<T> {
        self.breaker
            .call(deadline(Dependency::Redis, self.timeout, async {
                self.faults.before(Dependency::Redis).await?;
                call.await
            }))
            .await
    }

    async fn conn(&self) -> Result<Connection> {
        Ok(self.pool.get().await?)
    }

    pub async fn issue(&self, event: u64, user: &str) -> Result<ScriptResult> {
        let code: i64 = self
            .guarded(async {
                let mut c = self.conn().await?;
                Ok(self
                    .issue
                    .key(event_key(event))
                    .key(users_key(event))
                    .arg(user)
                    .invoke_async(&mut c)
                    .await?)
            })
            .await?;
        Ok(match code {
            -1 => ScriptResult::NoEvent,
            -2 => ScriptResult::Duplicate,
            -3 => ScriptResult::SoldOut,
            n if n > 0 => ScriptResult::Issued { seq: n as u64 },
            n => return Err(Error::Corrupt(format!("issue script returned {n}"))),
        })
    }

    /// Whether `user` holds a coupon of `event`.
    pub async fn holds(&self, event: u64, user: &str) -> Result<bool> {
        self.guarded(async {
            let mut c = self.conn().await?;
            Ok(c.sismember(users_key(event), user).await?)
        })
        .await
    }

    pub async fn undo_issue(&self, event: u64, user: &str) -> Result<()> {
        self.guarded(async {
            let mut c = self.conn().await?;
            let _: i64 = self
                .undo
                .key(event_key(event))
                .key(users_key(event))
                .arg(user)
                .invoke_async(&mut c)
                .await?;
            Ok(())
        })
        .await
    }

    pub async fn create_event(&self, event: u64, stock: u32) -> Result<()> {
        self.guarded(async {
            let mut c = self.conn().await?;
            let _: () = redis::pipe()
                .atomic()
                .del(users_key(event))
                .hset_multiple(event_key(event), &[("stock", stock as u64), ("issued", 0)])
                .query_async(&mut c)
                .await?;
            Ok(())
        })
        .await
    }

    /// (stock, issued) of an event, `None` when Redis does not know it.
    pub async fn event_counts(&self, event: u64) -> Result<Option<(u64, u64)>> {
        self.guarded(async {
            let mut c = self.conn().await?;
            let (stock, issued): (Option<u64>, Option<u64>) = redis::cmd("HMGET")
                .arg(event_key(event))
                .arg("stock")
                .arg("issued")
                .query_async(&mut c)
                .await?;
            Ok(stock.map(|s| (s, issued.unwrap_or(0))))
        })
        .await
    }

    pub async fn cache_get(&self, key: &str) -> Result<Option<String>> {
        self.guarded(async {
            let mut c = self.conn().await?;
            Ok(c.get(key).await?)
        })
        .await
    }

    pub async fn cache_set(&self, key: &str, value: &str, ttl: Duration) -> Result<()> {
        self.guarded(async {
            let mut c = self.conn().await?;
            let _: () = c.set_ex(key, value, ttl.as_secs().max(1)).await?;
            Ok(())
        })
        .await
    }

    pub async fn ping(&self) -> Result<()> {
        self.guarded(async {
            let mut c = self.conn().await?;
            let _: String = redis::cmd("PING").query_async(&mut c).await?;
            Ok(())
        })
        .await
    }
}
