//! `coupon serve` settings: flags, each also read from a `COUPON_…` environment variable.
//! Defaults are the seed report's values after its response plan (Redis timeout 3 s → 1 s,
//! connection timeout 30 s → 5 s, batch size 1000 → 500, compression none → snappy), except
//! that compression is lz4: as cheap as snappy, and tansu's SQLite storage (what `coupon up`
//! runs) cannot read snappy batches back.

use std::net::SocketAddr;
use std::time::Duration;

use clap::{Args, ValueEnum};

use crate::admin::AdminToken;

#[derive(Debug, Clone, Args)]
pub struct ServeConfig {
    /// Address to listen on.
    #[arg(long, env = "COUPON_ADDR", default_value = "127.0.0.1:8080")]
    pub addr: SocketAddr,
    #[arg(
        long,
        env = "COUPON_REDIS_URL",
        default_value = "redis://127.0.0.1:6379"
    )]
    pub redis_url: String,
    /// MySQL-protocol database (MariaDB or MySQL); the schema is migrated at start.
    #[arg(
        long,
        env = "COUPON_MYSQL_URL",
        default_value = "mysql://root@127.0.0.1:3306/coupon"
    )]
    pub mysql_url: String,
    /// Kafka-protocol bootstrap servers.
    #[arg(long, env = "COUPON_BROKER", default_value = "127.0.0.1:9092")]
    pub broker: String,

    /// Redis connections (the seed's `maxActive`).
    #[arg(long, env = "COUPON_REDIS_POOL", default_value_t = 50)]
    pub redis_pool: usize,
    /// MySQL connections.
    #[arg(long, env = "COUPON_MYSQL_POOL", default_value_t = 20)]
    pub mysql_pool: u32,
    /// Deadline for each Redis call, including waiting for a pooled connection.
    #[arg(long, env = "COUPON_REDIS_TIMEOUT_MS", default_value_t = 1000)]
    pub redis_timeout_ms: u64,
    /// Deadline for each MySQL call, including waiting for a pooled connection.
    #[arg(long, env = "COUPON_MYSQL_TIMEOUT_MS", default_value_t = 5000)]
    pub mysql_timeout_ms: u64,
    /// Deadline for broker metadata and admin calls.
    #[arg(long, env = "COUPON_BROKER_TIMEOUT_MS", default_value_t = 5000)]
    pub broker_timeout_ms: u64,

    /// Messages per produce batch (librdkafka `batch.num.messages`).
    #[arg(long, env = "COUPON_BATCH_SIZE", default_value_t = 500)]
    pub batch_size: u32,
    /// How long the producer waits to fill a batch (`linger.ms`). Requests do not wait for
    /// delivery, so this costs them nothing; fuller batches cut the broker's work per coupon
    /// (on the benchmark machine 10 ms instead of 2 ms took the broker from 1.9 to 0.7 CPU-seconds
    /// per 100,000 coupons).
    #[arg(long, env = "COUPON_LINGER_MS", default_value_t = 10)]
    pub linger_ms: u32,
    /// What the broker must have done before a coupon counts as delivered and leaves the
    /// outbox: with `0`, only that it was sent.
    #[arg(long, env = "COUPON_ACKS", value_enum, default_value_t = Acks::All)]
    pub acks: Acks,
    /// Compression of produced batches (tansu's SQLite storage reads lz4, gzip and none back,
    /// not snappy).
    #[arg(long, env = "COUPON_COMPRESSION", value_enum, default_value_t = Compression::Lz4)]
    pub compression: Compression,
    /// Partitions of the `coupon-issue` topic when the service creates it.
    #[arg(long, env = "COUPON_PARTITIONS", default_value_t = 3)]
    pub partitions: i32,
    /// Issued coupons an event's outbox may hold (not yet acknowledged by the broker) before
    /// issuing answers 503; also the most the producer holds at once.
    #[arg(long, env = "COUPON_PRODUCER_QUEUE", default_value_t = 20_000)]
    pub producer_queue: usize,

    /// Consecutive Redis failures that open the circuit breaker.
    #[arg(long, env = "COUPON_BREAKER_FAILURES", default_value_t = 5)]
    pub breaker_failures: u32,
    /// How long the breaker stays open before a half-open probe.
    #[arg(long, env = "COUPON_BREAKER_OPEN_MS", default_value_t = 2000)]
    pub breaker_open_ms: u64,
    /// Lifetime of the cached top-products list in Redis.
    #[arg(long, env = "COUPON_TOP_TTL_SECS", default_value_t = 30)]
    pub top_ttl_secs: u64,

    /// Mount the fault-injection endpoints under /admin/faults (drills only). They need the
    /// admin token like event creation does.
    #[arg(long, env = "COUPON_ENABLE_FAULTS")]
    pub enable_faults: bool,
    /// The token `POST /api/events` and `/admin/faults*` require, sent as
    /// `Authorization: Bearer TOKEN` (at least 16 visible ASCII characters). Without one,
    /// `coupon serve` refuses those endpoints with 403 to everyone; `coupon up` generates one
    /// and prints it.
    #[arg(
        long,
        env = "COUPON_ADMIN_TOKEN",
        hide_env_values = true,
        value_parser = AdminToken::parse
    )]
    pub admin_token: Option<AdminToken>,
}

impl ServeConfig {
    pub fn redis_timeout(&self) -> Duration {
        Duration::from_millis(self.redis_timeout_ms)
    }
    pub fn mysql_timeout(&self) -> Duration {
        Duration::from_millis(self.mysql_timeout_ms)
    }
    pub fn broker_timeout(&self) -> Duration {
        Duration::from_millis(self.broker_timeout_ms)
    }
}

/// Producer acknowledgement level (`acks`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Acks {
    /// Leader and all in-sync replicas (`-1`).
    All,
    /// Leader only.
    #[value(name = "1")]
    Leader,
    /// No acknowledgement.
    #[value(name = "0")]
    None,
}

impl Acks {
    pub fn as_kafka(self) -> &'static str {
        match self {
            Acks::All => "all",
            Acks::Leader => "1",
            Acks::None => "0",
        }
    }
}

/// Producer compression (`compression.type`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Compression {
    None,
    Snappy,
    Lz4,
    Gzip,
}

impl Compression {
    pub fn as_kafka(self) -> &'static str {
        match self {
            Compression::None => "none",
            Compression::Snappy => "snappy",
            Compression::Lz4 => "lz4",
            Compression::Gzip => "gzip",
        }
    }
}

impl ServeConfig {
    /// The defaults (and any `COUPON_…` variables), as `coupon serve` with no flags would have.
    pub fn from_env() -> ServeConfig {
        #[derive(clap::Parser)]
        struct Only {
            #[command(flatten)]
            config: ServeConfig,
        }
        <Only as clap::Parser>::parse_from(["coupon"]).config
    }
}
