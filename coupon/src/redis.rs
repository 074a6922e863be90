//! Redis: the pool, and every call the service makes, each under a deadline and the circuit
//! breaker. Issuance is one Lua script, so the stock check, the one-per-user check, the
//! increment and the coupon's entry in the outbox are a single atomic step however many
//! requests race.

use std::collections::{BTreeMap, HashMap, HashSet};
use std::sync::Arc;
use std::time::Duration;

use deadpool::managed::{self, Metrics, Object, RecycleResult};
use redis::Script;
use redis::aio::MultiplexedConnection;
use redis::streams::{StreamId, StreamRangeReply, StreamReadReply};

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
/// The event's outbox: a stream of the coupons issued and not yet acknowledged by the broker
/// (see [`crate::outbox`]).
pub fn outbox_key(event: u64) -> String {
    format!("coupon:{{{event}}}:outbox")
}
/// The ids of every event, for the outbox relay of every instance to find.
pub const EVENTS_KEY: &str = "coupon:events";

/// Issues a coupon and records it in the outbox, atomically. Returns the new issued count
/// (≥ 1), or −1 no such event, −2 the user already has one, −3 sold out, −4 the outbox is full
/// (the broker is behind: refuse rather than let it grow without bound).
/// ARGV: user, issued-at (ms since the epoch), outbox capacity.
pub const ISSUE_LUA: &str = r#"
local stock = redis.call('HGET', KEYS[1], 'stock')
if not stock then return -1 end
if redis.call('SISMEMBER', KEYS[2], ARGV[1]) == 1 then return -2 end
local issued = tonumber(redis.call('HGET', KEYS[1], 'issued'))
if issued >= tonumber(stock) then return -3 end
if redis.call('XLEN', KEYS[3]) >= tonumber(ARGV[3]) then return -4 end
redis.call('SADD', KEYS[2], ARGV[1])
local seq = redis.call('HINCRBY', KEYS[1], 'issued', 1)
redis.call('XADD', KEYS[3], '*', 'user', ARGV[1], 'seq', seq, 'at', ARGV[2])
return seq
"#;

/// Milliseconds since the Unix epoch: when a coupon is issued.
pub fn now_ms() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_millis() as i64)
        .unwrap_or_default()
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ScriptResult {
    Issued {
        seq: u64,
    },
    NoEvent,
    Duplicate,
    SoldOut,
    /// The event's outbox is full.
    Backlog,
}

pub struct Redis {
    pool: Pool,
    max: usize,
    timeout: Duration,
    pub breaker: Breaker,
    faults: Arc<Faults>,
    issue: Script,
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

    /// Runs [`ISSUE_LUA`]; `at_ms` is when the coupon is issued ([`now_ms`]), `capacity` the
    /// most coupons the event's outbox may hold.
    pub async fn issue(
        &self,
        event: u64,
        user: &str,
        at_ms: i64,
        capacity: usize,
    ) -> Result<ScriptResult> {
        let mut script = self.issue.key(event_key(event));
        script
            .key(users_key(event))
            .key(outbox_key(event))
            .arg(user)
            .arg(at_ms)
            .arg(capacity);
        let code: i64 = self.run(Request::Script(&script)).await?;
        Ok(match code {
            -1 => ScriptResult::NoEvent,
            -2 => ScriptResult::Duplicate,
            -3 => ScriptResult::SoldOut,
            -4 => ScriptResult::Backlog,
            n if n > 0 => ScriptResult::Issued { seq: n as u64 },
            n => return Err(Error::Corrupt(format!("issue script returned {n}"))),
        })
    }

    pub async fn create_event(&self, event: u64, stock: u32) -> Result<()> {
        let mut pipe = redis::pipe();
        pipe.atomic()
            .del(users_key(event))
            .del(outbox_key(event))
            .hset_multiple(event_key(event), &[("stock", stock as u64), ("issued", 0)])
            .sadd(EVENTS_KEY, event);
        self.run(Request::Pipe(&pipe)).await
    }

    /// Every event's id (what [`Self::create_event`] and [`Self::register_events`] recorded);
    /// a member that is not a number is skipped with a warning rather than hiding the rest.
    pub async fn events(&self) -> Result<Vec<u64>> {
        let members: Vec<String> = self
            .run(Request::Cmd(redis::cmd("SMEMBERS").arg(EVENTS_KEY)))
            .await?;
        Ok(members
            .into_iter()
            .filter_map(|m| {
                m.parse()
                    .inspect_err(|_| {
                        tracing::warn!(member = m, key = EVENTS_KEY, "not an event id; skipped")
                    })
                    .ok()
            })
            .collect())
    }

    /// Records events made before the outbox existed.
    pub async fn register_events(&self, events: &[u64]) -> Result<()> {
        if events.is_empty() {
            return Ok(());
        }
        self.run(Request::Cmd(redis::cmd("SADD").arg(EVENTS_KEY).arg(events)))
            .await
    }

    /// Up to `count` entries after each event's cursor, by event (events with none left out).
    pub async fn read_outboxes(
        &self,
        cursors: &BTreeMap<u64, String>,
        count: usize,
    ) -> Result<Vec<(u64, Vec<StreamId>)>> {
        let mut cmd = redis::cmd("XREAD");
        cmd.arg("COUNT").arg(count).arg("STREAMS");
        for &event in cursors.keys() {
            cmd.arg(outbox_key(event));
        }
        for cursor in cursors.values() {
            cmd.arg(cursor);
        }
        let read: Option<StreamReadReply> = self.run(Request::Cmd(&cmd)).await?;
        let by_key: HashMap<String, u64> = cursors.keys().map(|&e| (outbox_key(e), e)).collect();
        Ok(read
            .map(|r| r.keys)
            .unwrap_or_default()
            .into_iter()
            .filter_map(|k| Some((*by_key.get(&k.key)?, k.ids)))
            .collect())
    }

    /// Deletes entries from their events' outboxes, in one round trip.
    pub async fn remove_from_outboxes(&self, done: &HashMap<u64, Vec<String>>) -> Result<()> {
        if done.is_empty() {
            return Ok(());
        }
        let mut pipe = redis::pipe();
        for (&event, ids) in done {
            pipe.cmd("XDEL").arg(outbox_key(event)).arg(ids).ignore();
        }
        self.run(Request::Pipe(&pipe)).await
    }

    /// Entries waiting in the outboxes of `events`, together.
    pub async fn outbox_len(&self, events: &[u64]) -> Result<u64> {
        if events.is_empty() {
            return Ok(0);
        }
        let mut pipe = redis::pipe();
        for &event in events {
            pipe.cmd("XLEN").arg(outbox_key(event));
        }
        let lens: Vec<u64> = self.run(Request::Pipe(&pipe)).await?;
        Ok(lens.into_iter().sum())
    }

    /// The users whose coupons wait in the event's outbox.
    pub async fn outbox_users(&self, event: u64) -> Result<HashSet<String>> {
        let entries: StreamRangeReply = self
            .run(Request::Cmd(
                redis::cmd("XRANGE")
                    .arg(outbox_key(event))
                    .arg("-")
                    .arg("+"),
            ))
            .await?;
        Ok(crate::outbox::users_in(&entries.ids))
    }

    /// A page of the users holding a coupon of `event`: SSCAN from `cursor`; the next cursor
    /// is 0 after the last page.
    pub async fn issued_page(
        &self,
        event: u64,
        cursor: u64,
        count: usize,
    ) -> Result<(u64, Vec<String>)> {
        self.run(Request::Cmd(
            redis::cmd("SSCAN")
                .arg(users_key(event))
                .arg(cursor)
                .arg("COUNT")
                .arg(count),
        ))
        .await
    }

    /// Adds coupons of `users` to the event's outbox again (their sequence number is not known
    /// any more: 0).
    pub async fn put_back(&self, event: u64, users: &[&str]) -> Result<()> {
        let at = now_ms();
        let mut pipe = redis::pipe();
        for user in users {
            pipe.cmd("XADD")
                .arg(outbox_key(event))
                .arg("*")
                .arg("user")
                .arg(*user)
                .arg("seq")
                .arg(0)
                .arg("at")
                .arg(at)
                .ignore();
        }
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
