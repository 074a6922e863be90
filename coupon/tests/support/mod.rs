//! A whole stack per test: its own Redis, MariaDB (copied from a template data directory made
//! once) and tansu broker on free ports, and the service on a runtime of its own thread, with
//! the fault endpoints on and a fresh admin token ([`Stack::admin_token`]).
#![allow(dead_code)]

pub mod process;

use std::path::PathBuf;
use std::sync::Mutex;
use std::time::{Duration, Instant};

use coupon::admin::AdminToken;
use coupon::config::ServeConfig;
use coupon::stack::{Broker, BrokerStorage, MariaDb, RedisServer, copy_dir, init_datadir};
use serde_json::{Value, json};

pub struct Stack {
    /// Redis, MariaDB and the broker (their fields read through the stack: `stack.redis`).
    pub deps: Deps,
    pub base: String,
    /// The token the service requires for creating events and injecting faults.
    pub admin_token: String,
    pub http: reqwest::Client,
    stop: Option<tokio::sync::oneshot::Sender<()>>,
    server: Option<std::thread::JoinHandle<()>>,
}

impl std::ops::Deref for Stack {
    type Target = Deps;
    fn deref(&self) -> &Deps {
        &self.deps
    }
}

impl std::ops::DerefMut for Stack {
    fn deref_mut(&mut self) -> &mut Deps {
        &mut self.deps
    }
}

/// A data directory initialised once per target dir and copied for each test.
fn mariadb_template() -> PathBuf {
    static LOCK: Mutex<()> = Mutex::new(());
    let _guard = LOCK.lock().unwrap_or_else(|e| e.into_inner());
    let template = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("coupon-mariadb-template");
    if !template.join("mysql").exists() {
        let scratch = tempfile::tempdir().expect("scratch dir");
        let staging = scratch.path().join("data");
        init_datadir(&staging, scratch.path()).expect("mariadb-install-db");
        let _ = std::fs::remove_dir_all(&template);
        copy_dir(&staging, &template).expect("copying the template");
    }
    template
}

/// Redis, MariaDB and a broker, without the service (tests that run it as a process).
pub struct Deps {
    pub redis: RedisServer,
    pub mariadb: Option<MariaDb>,
    pub broker: Broker,
    pub mysql_url: String,
    _dir: tempfile::TempDir,
}

impl Deps {
    pub fn start(storage: BrokerStorage) -> Deps {
        let dir = tempfile::Builder::new()
            .prefix("coupon-test-")
            .tempdir()
            .expect("temp dir");
        let redis = RedisServer::start(&dir.path().join("redis")).expect("redis");
        let mariadb = MariaDb::start(&dir.path().join("mariadb"), Some(&mariadb_template()))
            .expect("mariadb");
        let broker = Broker::start(&dir.path().join("broker"), storage).expect("broker");
        Deps {
            mysql_url: mariadb.url("coupon"),
            redis,
            mariadb: Some(mariadb),
            broker,
            _dir: dir,
        }
    }

    pub async fn spawn_service(&self) -> process::ServiceProcess {
        process::ServiceProcess::spawn(&self.redis.url(), &self.mysql_url, &self.broker.address())
            .await
    }
}

impl Drop for Deps {
    fn drop(&mut self) {
        if let Some(m) = self.mariadb.take() {
            m.stop();
        }
    }
}

/// The users holding a coupon of `event` in Redis, sorted.
pub async fn redis_users(redis_url: &str, event: u64) -> Vec<String> {
    let client = redis::Client::open(redis_url).unwrap();
    let mut conn = client.get_multiplexed_async_connection().await.unwrap();
    let mut users: Vec<String> = redis::cmd("SMEMBERS")
        .arg(coupon::redis::users_key(event))
        .query_async(&mut conn)
        .await
        .unwrap();
    users.sort();
    users
}

/// The `/metrics` text of the service at `base`.
pub async fn metrics_text(http: &reqwest::Client, base: &str) -> String {
    http.get(format!("{base}/metrics"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap()
}

/// Coupons waiting in the event's outbox.
pub async fn outbox_len(redis_url: &str, event: u64) -> u64 {
    let client = redis::Client::open(redis_url).unwrap();
    let mut conn = client.get_multiplexed_async_connection().await.unwrap();
    redis::cmd("XLEN")
        .arg(coupon::redis::outbox_key(event))
        .query_async(&mut conn)
        .await
        .unwrap()
}

/// The users whose coupon of `event` MySQL holds, sorted (byte order, as Redis's).
pub async fn mysql_users(mysql_url: &str, event: u64) -> Vec<String> {
    use sqlx::Connection;
    let mut conn = sqlx::MySqlConnection::connect(mysql_url).await.unwrap();
    let rows: Vec<(String,)> =
        sqlx::query_as("SELECT CONVERT(user_id USING utf8mb4) FROM coupons WHERE event_id = ?")
            .bind(event)
            .fetch_all(&mut conn)
            .await
            .unwrap();
    let mut users: Vec<String> = rows.into_iter().map(|(u,)| u).collect();
    users.sort();
    users
}

impl Stack {
    pub fn start() -> Stack {
        Stack::start_with(|_| {})
    }

    /// Starts everything; `tune` adjusts the service's settings first (the admin token is set
    /// before it, so `tune` may take it away).
    pub fn start_with(tune: impl FnOnce(&mut ServeConfig)) -> Stack {
        Stack::start_on(BrokerStorage::Memory, tune)
    }

    /// [`Stack::start_with`] with the broker's storage chosen.
    pub fn start_on(storage: BrokerStorage, tune: impl FnOnce(&mut ServeConfig)) -> Stack {
        let deps = Deps::start(storage);
        let mut config = ServeConfig::from_env();
        config.addr = ([127, 0, 0, 1], 0).into();
        config.redis_url = deps.redis.url();
        config.mysql_url = deps.mysql_url.clone();
        config.broker = deps.broker.address();
        config.enable_faults = true;
        let admin_token = AdminToken::generate();
        config.admin_token = Some(admin_token.clone());
        tune(&mut config);
        let (addr_tx, addr_rx) = std::sync::mpsc::channel();
        let (stop_tx, stop_rx) = tokio::sync::oneshot::channel::<()>();
        let server = std::thread::spawn(move || {
            let rt = tokio::runtime::Builder::new_multi_thread()
                .worker_threads(4)
                .enable_all()
                .build()
                .unwrap();
            let result = rt.block_on(coupon::serve_until(
                config,
                |addr| addr_tx.send(addr).unwrap(),
                async move {
                    let _ = stop_rx.await;
                },
            ));
            if let Err(e) = result {
                eprintln!("coupon service failed: {e:#}");
            }
        });
        let addr = addr_rx
            .recv_timeout(Duration::from_secs(60))
            .expect("service did not start");
        Stack {
            deps,
            base: format!("http://{addr}"),
            admin_token: admin_token.as_str().to_owned(),
            http: reqwest::Client::builder()
                .timeout(Duration::from_secs(30))
                .build()
                .unwrap(),
            stop: Some(stop_tx),
            server: Some(server),
        }
    }

    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.base)
    }

    pub async fn post(&self, path: &str, body: Value) -> (u16, Value) {
        let r = self
            .http
            .post(self.url(path))
            .json(&body)
            .send()
            .await
            .expect("request");
        let status = r.status().as_u16();
        (status, r.json().await.unwrap_or(Value::Null))
    }

    /// [`Stack::post`] with the admin token.
    pub async fn admin_post(&self, path: &str, body: Value) -> (u16, Value) {
        let r = self
            .http
            .post(self.url(path))
            .bearer_auth(&self.admin_token)
            .json(&body)
            .send()
            .await
            .expect("request");
        let status = r.status().as_u16();
        (status, r.json().await.unwrap_or(Value::Null))
    }

    /// A request to an admin endpoint, with the admin token.
    pub fn admin(&self, method: reqwest::Method, path: &str) -> reqwest::RequestBuilder {
        self.http
            .request(method, self.url(path))
            .bearer_auth(&self.admin_token)
    }

    pub async fn get(&self, path: &str) -> (u16, Value) {
        let r = self.http.get(self.url(path)).send().await.expect("request");
        let status = r.status().as_u16();
        (status, r.json().await.unwrap_or(Value::Null))
    }

    pub async fn create_event(&self, stock: i64) -> u64 {
        let (status, body) = self
            .admin_post(
                "/api/events",
                json!({ "name": "테스트 쿠폰", "stock": stock }),
            )
            .await;
        assert_eq!(status, 201, "{body}");
        body["id"].as_u64().unwrap()
    }

    /// Waits until MySQL holds every coupon Redis issued, the producer has every delivery
    /// acknowledged and the outbox is empty, and returns the event's status.
    ///
    /// All three, because none follows from another: the consumer may read and persist a
    /// coupon before the producer's acknowledgement of it is processed, the producer's
    /// metrics (send latency, queue depth) are final only after that (the depth comes down
    /// last), and the entry leaves the outbox after that.
    pub async fn drained(&self, event: u64) -> Value {
        let deadline = Instant::now() + Duration::from_secs(60);
        loop {
            let (status, body) = self.get(&format!("/api/events/{event}")).await;
            let unacknowledged = self.metric("coupon_producer_queue_depth").await;
            let waiting = outbox_len(&self.redis.url(), event).await;
            if status == 200
                && body["persisted"] == body["issued"]
                && unacknowledged == 0.0
                && waiting == 0
            {
                return body;
            }
            assert!(
                Instant::now() < deadline,
                "pipeline did not drain: {status} {body}, {unacknowledged} deliveries unacknowledged, {waiting} in the outbox"
            );
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    }

    pub async fn metrics(&self) -> String {
        metrics_text(&self.http, &self.base).await
    }

    /// A metric's value (the first series whose name and labels start with `series`).
    pub async fn metric(&self, series: &str) -> f64 {
        let text = self.metrics().await;
        text.lines()
            .filter(|l| !l.starts_with('#'))
            .find_map(|l| {
                l.strip_prefix(series)
                    .and_then(|rest| rest.trim().parse().ok())
            })
            .unwrap_or_else(|| panic!("no series {series} in metrics"))
    }

    /// Polls a metric until `ok` holds for it (gauges such as the consumer lag are refreshed
    /// in the background) and returns that value; fails after 60 seconds (generous: a loaded
    /// CI machine may be slow to get there, and a test waits only as long as it takes).
    pub async fn metric_until(&self, series: &str, ok: impl Fn(f64) -> bool) -> f64 {
        let deadline = Instant::now() + Duration::from_secs(60);
        loop {
            let v = self.metric(series).await;
            if ok(v) {
                return v;
            }
            assert!(Instant::now() < deadline, "{series} stuck at {v}");
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    }
}

/// Polls `ok` every 10 ms until it holds; fails after 60 seconds, naming `what`.
pub async fn until(what: &str, ok: impl Fn() -> bool) {
    let deadline = Instant::now() + Duration::from_secs(60);
    while !ok() {
        assert!(Instant::now() < deadline, "timed out waiting for {what}");
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
}

impl Drop for Stack {
    fn drop(&mut self) {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
        if let Some(server) = self.server.take() {
            let _ = server.join();
        }
    }
}
