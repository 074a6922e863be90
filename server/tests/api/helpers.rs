//! `TestApp`: hoego serving on 127.0.0.1:0 with its own data dir, and typed request helpers.

use app::domain::{Actor, Role, Scope, TokenInput};
use app::service::{AccountService, TokenService};
use reqwest::header::{AUTHORIZATION, HeaderMap, HeaderValue};
use reqwest::{Client, Response, StatusCode};
use serde_json::{Value, json};
use server::accounts::Accounts;
use server::config::{DataArgs, DisplayArgs};
use server::serve::Limits;

pub struct TestApp {
    pub addr: String,
    /// Acts as an admin, with a `read write ingest` token: what most tests are not about.
    pub client: Client,
    /// Sends no credentials.
    pub anonymous: Client,
    pub store: server::storage::Store,
    pub dir: tempfile::TempDir,
    server: Server,
}

/// A client without redirects, with a timeout so a stalled response fails its test in seconds,
/// sending `headers` on every request.
pub fn client(headers: HeaderMap) -> Client {
    Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .timeout(std::time::Duration::from_secs(30))
        .default_headers(headers)
        .build()
        .unwrap()
}

/// `Authorization: Bearer token`.
pub fn bearer(token: &str) -> HeaderMap {
    let mut h = HeaderMap::new();
    h.insert(
        AUTHORIZATION,
        HeaderValue::from_str(&format!("Bearer {token}")).unwrap(),
    );
    h
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
    spawn_app_with(dir, Limits::default()).await
}

/// Serves hoego with the given connection limits.
pub async fn spawn_app_with(dir: tempfile::TempDir, limits: Limits) -> TestApp {
    spawn_app_configured(dir, limits, server::backend::Options::default()).await
}

/// Serves hoego with the given limits and options (alert rules, notification timing).
pub async fn spawn_app_configured(
    dir: tempfile::TempDir,
    limits: Limits,
    options: server::backend::Options,
) -> TestApp {
    let data = DataArgs::at(dir.path());
    spawn_app_on(dir, data, limits, options).await
}

/// Serves hoego with its database opened as `data` says (durability, busy timeout).
pub async fn spawn_app_on(
    dir: tempfile::TempDir,
    data: DataArgs,
    limits: Limits,
    options: server::backend::Options,
) -> TestApp {
    let path = dir.path().to_owned();
    let (ready_tx, ready_rx) = tokio::sync::oneshot::channel();
    let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
    let thread = std::thread::spawn(move || {
        let runtime = server::runtime().expect("runtime");
        runtime.block_on(async move {
            let backend = server::open_backend(&data, &DisplayArgs::default())
                .await
                .expect("open database and index")
                .with_options(options);
            let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
                .await
                .expect("bind");
            let addr = listener.local_addr().unwrap();
            let _ = ready_tx.send((addr, backend.store.clone()));
            let site = path.join("site");
            tokio::select! {
                served = server::serve(listener, backend, &site, limits) => served.expect("server runs"),
                _ = stopped => {}
            }
        });
    });
    let (addr, store) = ready_rx.await.expect("server started");
    let token = token_for(
        &store,
        "tester",
        Role::Admin,
        &[Scope::Read, Scope::Write, Scope::Ingest],
    )
    .await;
    TestApp {
        addr: format!("http://{addr}"),
        client: client(bearer(&token)),
        anonymous: client(HeaderMap::new()),
        store,
        dir,
        server: Server {
            stop: Some(stop),
            thread: Some(thread),
        },
    }
}

/// A token of `name` (added with `role` if new) with `scopes`.
pub async fn token_for(
    store: &server::storage::Store,
    name: &str,
    role: Role,
    scopes: &[Scope],
) -> String {
    let accounts = Accounts::new(store.clone());
    let system = Actor::system();
    let person = match accounts.add_person(&system, name, role).await {
        Ok(added) => added.person,
        Err(_) => accounts
            .people(&system)
            .await
            .unwrap()
            .into_iter()
            .find(|p| p.name == name)
            .expect("the person exists"),
    };
    let owner = Actor::person(person.id, &person.name, person.role);
    let made = TokenService::create(
        &accounts,
        &owner,
        TokenInput {
            name: format!("{name}-{}", uuid_like()),
            scopes: scopes.to_vec(),
        },
    )
    .await
    .expect("token");
    made.secret
}

/// A unique suffix for names within one test.
fn uuid_like() -> String {
    use std::sync::atomic::{AtomicU64, Ordering};
    static N: AtomicU64 = AtomicU64::new(0);
    format!(
        "{}-{}",
        std::process::id(),
        N.fetch_add(1, Ordering::Relaxed)
    )
}

impl TestApp {
    /// A client acting as `name` (added with `role` if new) through a token with `scopes`.
    pub async fn client_as(&self, name: &str, role: Role, scopes: &[Scope]) -> Client {
        client(bearer(&token_for(&self.store, name, role, scopes).await))
    }

    /// Adds a person with `role`; returns their generated password.
    pub async fn person(&self, name: &str, role: Role) -> String {
        Accounts::new(self.store.clone())
            .add_person(&Actor::system(), name, role)
            .await
            .expect("person added")
            .password
    }

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

/// The status line's first 12 bytes (`HTTP/1.1 413`) for a request whose head is sent by hand
/// and whose body never is: what a server answers from the head alone (a client still writing
/// a large body would see the connection close under it).
pub async fn answer_to_head(app: &TestApp, head: &str) -> String {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let addr = app.addr.trim_start_matches("http://").to_owned();
    let mut tcp = tokio::net::TcpStream::connect(&addr).await.unwrap();
    tcp.write_all(format!("{head}Host: {addr}\r\n\r\n").as_bytes())
        .await
        .unwrap();
    let mut status = [0u8; 12];
    tcp.read_exact(&mut status).await.unwrap();
    String::from_utf8_lossy(&status).into_owned()
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

/// What a reader sees of a page: the text without tags (hydration markers included), runs of
/// whitespace as one space, so assertions read like the page does.
pub fn visible_text(html: &str) -> String {
    let mut text = String::with_capacity(html.len());
    let mut in_tag = false;
    for c in html.chars() {
        match c {
            '<' => in_tag = true,
            '>' if in_tag => in_tag = false,
            _ if !in_tag => text.push(c),
            _ => {}
        }
    }
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}
