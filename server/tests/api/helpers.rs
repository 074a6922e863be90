//! `TestApp`: hoego serving on 127.0.0.1:0 with its own data dir, and typed request helpers.

use reqwest::{Client, Response, StatusCode};
use serde_json::{Value, json};
use server::config::DisplayArgs;

pub struct TestApp {
    pub addr: String,
    pub client: Client,
    pub store: server::storage::Store,
    _dir: tempfile::TempDir,
    server: tokio::task::JoinHandle<()>,
}

impl Drop for TestApp {
    fn drop(&mut self) {
        self.server.abort();
    }
}

pub async fn spawn_app() -> TestApp {
    let dir = tempfile::tempdir().expect("temp dir");
    let store = server::open_store(dir.path(), &DisplayArgs::default())
        .await
        .expect("open store");
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("bind");
    let addr = format!("http://{}", listener.local_addr().unwrap());
    let site = dir.path().join("site");
    let served = store.clone();
    let server = tokio::spawn(async move {
        server::serve(listener, served, &site)
            .await
            .expect("server runs");
    });
    let client = Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap();
    TestApp {
        addr,
        client,
        store,
        _dir: dir,
        server,
    }
}

impl TestApp {
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
