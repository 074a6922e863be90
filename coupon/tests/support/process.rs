//! The service as a process of its own (`coupon serve`), for what an in-process service cannot
//! show: being killed with SIGKILL, stopping on SIGTERM.

use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use coupon::admin::AdminToken;
use coupon::stack::free_port;
use serde_json::{Value, json};

/// A running `coupon serve`, killed when dropped.
pub struct ServiceProcess {
    pub child: Child,
    pub base: String,
    pub admin_token: String,
    pub http: reqwest::Client,
}

impl ServiceProcess {
    /// Starts `coupon serve` on a free port against the given Redis, MySQL and broker, and
    /// waits until it answers.
    pub async fn spawn(redis_url: &str, mysql_url: &str, broker: &str) -> ServiceProcess {
        let port = free_port().unwrap();
        let admin_token = AdminToken::generate().as_str().to_owned();
        let child = Command::new(env!("CARGO_BIN_EXE_coupon"))
            .arg("serve")
            .args(["--addr", &format!("127.0.0.1:{port}")])
            .args(["--redis-url", redis_url, "--mysql-url", mysql_url])
            .args(["--broker", broker, "--admin-token", &admin_token])
            .env("COUPON_LOG", "warn")
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .spawn()
            .expect("starting coupon serve");
        let service = ServiceProcess {
            child,
            base: format!("http://127.0.0.1:{port}"),
            admin_token,
            http: reqwest::Client::builder()
                .timeout(Duration::from_secs(30))
                .build()
                .unwrap(),
        };
        let deadline = Instant::now() + Duration::from_secs(60);
        while service
            .http
            .get(format!("{}/healthz", service.base))
            .send()
            .await
            .is_err()
        {
            assert!(Instant::now() < deadline, "coupon serve did not start");
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        service
    }

    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.base)
    }

    pub async fn create_event(&self, stock: i64) -> u64 {
        let r = self
            .http
            .post(self.url("/api/events"))
            .bearer_auth(&self.admin_token)
            .json(&json!({ "name": "내구성 시험", "stock": stock }))
            .send()
            .await
            .unwrap();
        assert_eq!(r.status().as_u16(), 201);
        r.json::<Value>().await.unwrap()["id"].as_u64().unwrap()
    }

    /// Issues a coupon to `user`; the status.
    pub async fn issue(&self, event: u64, user: &str) -> u16 {
        self.http
            .post(self.url(&format!("/api/events/{event}/issue")))
            .json(&json!({ "user_id": user }))
            .send()
            .await
            .unwrap()
            .status()
            .as_u16()
    }

    pub async fn status(&self, event: u64) -> Value {
        self.http
            .get(self.url(&format!("/api/events/{event}")))
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap()
    }

    /// Waits until MySQL holds as many coupons as Redis issued; the event's status.
    pub async fn drained(&self, event: u64) -> Value {
        let deadline = Instant::now() + Duration::from_secs(90);
        loop {
            let status = self.status(event).await;
            if status["persisted"] == status["issued"] {
                return status;
            }
            if Instant::now() >= deadline {
                let metrics = self.metrics().await;
                let pipeline: Vec<&str> = metrics
                    .lines()
                    .filter(|l| !l.starts_with('#'))
                    .filter(|l| {
                        [
                            "outbox",
                            "producer_queue",
                            "consumer_lag",
                            "persisted",
                            "dead",
                        ]
                        .iter()
                        .any(|k| l.contains(k))
                    })
                    .collect();
                panic!("not drained: {status}\n{}", pipeline.join("\n"));
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    }

    /// The service's `/metrics` text.
    pub async fn metrics(&self) -> String {
        super::metrics_text(&self.http, &self.base).await
    }

    pub fn signal(&self, signal: i32) {
        // SAFETY: kill(2) on our own child's pid.
        unsafe { libc::kill(self.child.id() as i32, signal) };
    }

    /// SIGKILL, and reaped.
    pub fn kill9(mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }

    /// Waits up to `limit` for the process to exit; how long it took, or `None`.
    pub fn exits_within(&mut self, limit: Duration) -> Option<Duration> {
        let start = Instant::now();
        while start.elapsed() < limit {
            if let Ok(Some(_)) = self.child.try_wait() {
                return Some(start.elapsed());
            }
            std::thread::sleep(Duration::from_millis(20));
        }
        None
    }
}

impl Drop for ServiceProcess {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}
