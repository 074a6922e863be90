//! Redis: the pool, and every call the service makes, each under a deadline and the circuit
//! breaker. Issuance is one Lua script, so the stock check, the one-per-user check and the
//! increment are a single atomic step however many requests race.

use std::sync::Arc;
use std::time::Duration;

use deadpool::managed::{self, Metrics, Object, RecycleResult};
use redis::Script;
use redis::aio::MultiplexedConnection;

use crate::error::{Dependency, Error, Result};
use crate::faults::Faults;
use crate::resilience::{Breaker, deadline};

/// Hands out connections without checking them first. deadpool-redis pings a connection each
/// time it leaves the pool, doubling the round trips of every request; here a connection that
/// fails is taken out of the pool instead ([`Redis::call`]), which is all a ping would catch.
struct Manager {
    client: redis::Client,
}

impl managed::Manager for Manager {
    type Type = MultiplexedConnection;
    type Error = redis::RedisError;

    async fn create(&self) -> Result<MultiplexedConnection, redis::RedisError> {
        self.client.get_multiplexed_async_connection().await
    }

    async fn recycle(
        &self,
        _: &mut MultiplexedConnection,
        _: &Metrics,
    ) -> RecycleResult<redis::RedisError> {
        Ok(())
    }
}

type Pool = managed::Pool<Manager>;
type Connection = Object<Manager>;

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
        let manager = Manager {
            client: redis::Client::open(url)?,
        };
        let pool = Pool::builder(manager)
            .max_size(max)
            .wait_timeout(Some(timeout))
            .create_timeout(Some(timeout))
            .runtime(deadpool::Runtime::Tokio1)
            .build()?;
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

    /// Sends one request on a pooled connection, under the breaker, with fault injection, and
    /// within one deadline for waiting, taking a connection and the answer. A connection whose
    /// request failed or ran out of time (Redis restarted, the socket broke, Redis hung) is
    /// dropped from the pool rather than handed to the next request.
    async fn run<T: redis::FromRedisValue>(&self, request: Request<'_>) -> Result<T> {
        let until = tokio::time::Instant::now() + self.timeout;
        self.breaker
            .call(async {
                // Injected latency is spent with the connection in hand, as a slow Redis
                // keeps each connection busy until it answers: a slow Redis fills the pool.
                let mut conn: Connection = deadline(Dependency::Redis, self.timeout, async {
                    let conn = self.pool.get().await?;
                    self.faults.before(Dependency::Redis).await?;
                    Ok::<_, Error>(conn)
                })
                .await?;
                let query = async {
                    match request {
                        Request::Cmd(cmd) => cmd.query_async(&mut *conn).await,
                        Request::Pipe(pipe) => pipe.query_async(&mut *conn).await,
                        Request::Script(script) => script.invoke_async(&mut *conn).await,
                    }
                };
                match tokio::time::timeout_at(until, query).await {
                    Ok(Ok(answer)) => Ok(answer),
                    Ok(Err(e)) => {
                        if e.is_io_error()
                            || e.is_connection_dropped()
                            || e.is_connection_refusal()
                            || e.is_timeout()
                        {
                            // The other idle connections went to the same server: drop them too,
                            // or each would fail one more request (or breaker probe) in turn.
                            let _ = Object::take(conn);
                            self.pool.retain(|_, _| false);
                        }
                        Err(e.into())
                    }
                    Err(_) => {
                        let _ = Object::take(conn);
                        Err(Error::Timeout(Dependency::Redis, self.timeout))
                    }
                }
            })
            .await
    }

    pub async fn issue(&self, event: u64, user: &str) -> Result<ScriptResult> {
        let mut script = self.issue.key(event_key(event));
        script.key(users_key(event)).arg(user);
        let code: i64 = self.run(Request::Script(&script)).await?;
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
        self.run(Request::Cmd(
            redis::cmd("SISMEMBER").arg(users_key(event)).arg(user),
        ))
        .await
    }

    pub async fn undo_issue(&self, event: u64, user: &str) -> Result<()> {
        let mut script = self.undo.key(event_key(event));
        script.key(users_key(event)).arg(user);
        let _: i64 = self.run(Request::Script(&script)).await?;
        Ok(())
    }

    pub async fn create_event(&self, event: u64, stock: u32) -> Result<()> {
        let mut pipe = redis::pipe();
        pipe.atomic()
            .del(users_key(event))
            .hset_multiple(event_key(event), &[("stock", stock as u64), ("issued", 0)]);
        self.run(Request::Pipe(&pipe)).await
    }

    /// (stock, issued) of an event, `None` when Redis does not know it.
    pub async fn event_counts(&self, event: u64) -> Result<Option<(u64, u64)>> {
        let (stock, issued): (Option<u64>, Option<u64>) = self
            .run(Request::Cmd(
                redis::cmd("HMGET")
                    .arg(event_key(event))
                    .arg("stock")
                    .arg("issued"),
            ))
            .await?;
        Ok(stock.map(|s| (s, issued.unwrap_or(0))))
    }

    pub async fn cache_get(&self, key: &str) -> Result<Option<String>> {
        self.run(Request::Cmd(redis::cmd("GET").arg(key))).await
    }

    pub async fn cache_set(&self, key: &str, value: &str, ttl: Duration) -> Result<()> {
        self.run(Request::Cmd(
            redis::cmd("SET")
                .arg(key)
                .arg(value)
                .arg("EX")
                .arg(ttl.as_secs().max(1)),
        ))
        .await
    }

    pub async fn ping(&self) -> Result<()> {
        let _: String = self.run(Request::Cmd(&redis::cmd("PING"))).await?;
        Ok(())
    }
}

/// One request to Redis.
enum Request<'a> {
    Cmd(&'a redis::Cmd),
    Pipe(&'a redis::Pipeline),
    Script(&'a redis::ScriptInvocation<'a>),
}
