//! `TestApp`: hoego serving on 127.0.0.1:0 with its own data dir, and typed request helpers.

use reqwest::{Client, Response, StatusCode};
use serde_json::{Value, json};
use server::config::DisplayArgs;

pub struct TestApp {
    pub addr: String,
    pub client: Client,
    pub store: server::storage::Store,
    pub dir: tempfile::TempDir,
    server: Server,
}

/// hoego running on its own runtime (as `hoego serve` builds it) in its own thread: the tests'
/// single-threaded runtime is not what the server runs on, and Leptos's SSR can stall on one.
/// Dropping it stops the runtime, which closes every connection and releases the index.
struct Server {
    stop: Option<tokio::sync::oneshot::Sender<()>>,
    thread: Option<std::thread::JoinHandle<()>>,
}

impl Drop for Server {
    fn drop(&mut self) {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}

pub async fn spawn_app() -> TestApp {
    let dir = tempfile::tempdir().expect("temp dir");
    spawn_app_in(dir).await
}

/// Serves hoego on a data dir that may already hold a database and index (restart tests).
pub async fn spawn_app_in(dir: tempfile::TempDir) -> TestApp {
    let path = dir.path().to_owned();
    let (ready_tx, ready_rx) = tokio::sync::oneshot::channel();
    let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
    let thread = std::thread::spawn(move || {
        let runtime = server::runtime().expect("runtime");
        runtime.block_on(async move {
            let backend = server::open_backend(&path, &DisplayArgs::default())
                .await
                .expect("open database and index");
            let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
                .await
                .expect("bind");
            let addr = listener.local_addr().unwrap();
            let _ = ready_tx.send((addr, backend.store.clone()));
            let site = path.join("site");
            tokio::select! {
                served = server::serve(listener, backend, &site) => served.expect("server runs"),
                _ = stopped => {}
            }
        });
    });
    let (addr, store) = ready_rx.await.expect("server started");
    // A stalled response fails its test in seconds instead of holding the suite.
    let client = Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .timeout(std::time::Duration::from_secs(30))
        .build()
        .unwrap();
    TestApp {
        addr: format!("http://{addr}"),
        client,
        store,
        dir,
        server: Server {
            stop: Some(stop),
            thread: Some(thread),
        },
    }
}

impl TestApp {
    /// Stops the server, lets `between` change its data dir, and starts a new one on it.
    pub async fn restart(self, between: impl FnOnce(&std::path::Path)) -> TestApp {
        let TestApp {
            dir,
            server,
            client,
            ..
        } = self;
        drop(client);
        drop(server);
        between(dir.path());
        spawn_app_in(dir).await
    }

    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.addr)
    }

    pub async fn get(&self, path: &str) -> Response {
        self.client.get(self.url(path)).send().await.expect("GET")
    }

    pub async fn get_json(&self, path: &str) -> (StatusCode, Value) {
        let r = self.get(path).await;
        let status = r.status();
        (status, r.json().await.unwrap_or(Value::Null))
    }

    pub async fn send_json(
        &self,
        method: reqwest::Method,
        path: &str,
        body: &Value,
    ) -> (StatusCode, Value) {
        let r = self
            .client
            .request(method, self.url(path))
            .json(body)
            .send()
            .await
            .expect("request");
        let status = r.status();
        (status, r.json().await.unwrap_or(Value::Null))
    }

    pub async fn post(&self, path: &str, body: &Value) -> (StatusCode, Value) {
        self.send_json(reqwest::Method::POST, path, body).await
    }

    pub async fn patch(&self, path: &str, body: &Value) -> (StatusCode, Value) {
        self.send_json(reqwest::Method::PATCH, path, body).await
    }

    pub async fn delete(&self, path: &str) -> StatusCode {
        self.client
            .delete(self.url(path))
            .send()
            .await
            .expect("DELETE")
            .status()
    }

    /// Creates an incident and returns its id.
    pub async fn incident(&self, body: Value) -> i64 {
        let (status, created) = self.post("/api/v1/incidents", &body).await;
        assert_eq!(status, StatusCode::CREATED, "{created}");
        created["id"].as_i64().unwrap()
    }

    pub async fn total_incidents(&self) -> i64 {
        self.get_json("/api/v1/incidents").await.1["total"]
            .as_i64()
            .unwrap()
    }
}

/// A P1 Redis incident that started at 14:00 KST on 2025-06-06.
pub fn redis_incident() -> Value {
    json!({
        "title": "Redis 연결 풀 고갈",
        "severity": "P1",
        "services": ["coupon-api", "redis"],
        "started_at": "2025-06-06T05:00:00Z"
    })
}

/// Asserts a 422 naming `field`.
pub fn assert_invalid(result: (StatusCode, Value), field: &str) {
    let (status, body) = result;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
    assert_eq!(body["field"], field, "{body}");
    assert!(
        body["error"].as_str().is_some_and(|e| !e.is_empty()),
        "{body}"
    );
}
