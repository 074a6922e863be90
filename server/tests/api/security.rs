//! hoego tried as an attacker would: each refusal asserted, and that nothing changed.

use std::time::Duration;

use app::domain::{Role, Scope};
use reqwest::StatusCode;
use reqwest::header::{CONTENT_TYPE, COOKIE, LOCATION, ORIGIN, SET_COOKIE};
use serde_json::{Value, json};
use tokio::io::{AsyncReadExt, AsyncWriteExt};

use crate::helpers::*;

/// Signs `name` in through the sign-in form, as a browser on hoego's own page would; returns
/// the answer's `Location` and the session cookie (`name=value`), if one was set.
async fn sign_in(
    app: &TestApp,
    name: &str,
    password: &str,
    next: &str,
) -> (String, Option<String>) {
    let r = app
        .anonymous
        .post(app.url("/auth/sign-in"))
        .header(ORIGIN, &app.addr)
        .form(&[("name", name), ("password", password), ("next", next)])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    let location = r.headers()[LOCATION].to_str().unwrap().to_owned();
    let cookie = r
        .headers()
        .get(SET_COOKIE)
        .map(|c| c.to_str().unwrap().split(';').next().unwrap().to_owned())
        .filter(|c| !c.ends_with('='));
    (location, cookie)
}

async fn signed_in(app: &TestApp, name: &str, role: Role) -> String {
    let password = app.person(name, role).await;
    sign_in(app, name, &password, "/")
        .await
        .1
        .expect("a session")
}

#[tokio::test]
async fn nothing_is_served_without_credentials() {
    let app = spawn_app().await;
    let r = app
        .anonymous
        .get(app.url("/api/v1/incidents"))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::UNAUTHORIZED);
    assert!(
        r.headers()["www-authenticate"]
            .to_str()
            .unwrap()
            .starts_with("Bearer")
    );
    // A page sends the browser to sign in, and back here after.
    let r = app
        .anonymous
        .get(app.url("/incidents?severity=P1"))
        .header("accept", "text/html")
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    assert_eq!(
        r.headers()[LOCATION],
        "/sign-in?next=%2Fincidents%3Fseverity%3DP1"
    );
    // A server function refuses, and nothing is created.
    let r = app
        .anonymous
        .post(app.url("/api/incidents/create"))
        .header(ORIGIN, &app.addr)
        .form(&[("form[title]", "x"), ("form[severity]", "P1")])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::UNAUTHORIZED);
    assert_eq!(app.total_incidents().await, 0);
    // What stays public: health, the sign-in page, the front end's files.
    for path in ["/healthz", "/sign-in"] {
        let r = app.anonymous.get(app.url(path)).send().await.unwrap();
        assert_eq!(r.status(), StatusCode::OK, "{path}");
    }
}

#[tokio::test]
async fn a_cross_site_form_post_changes_nothing() {
    let app = spawn_app().await;
    let id = app.incident(redis_incident()).await;
    let cookie = signed_in(&app, "kim", Role::Admin).await;
    for (header, value) in [
        ("origin", "http://evil.example"),
        ("sec-fetch-site", "cross-site"),
    ] {
        let r = app
            .anonymous
            .post(app.url("/api/incidents/delete"))
            .header(COOKIE, &cookie)
            .header(header, value)
            .form(&[("id", id.to_string())])
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), StatusCode::FORBIDDEN, "{header}");
    }
    // Neither header (not a browser), but the cookie: refused too.
    let r = app
        .anonymous
        .post(app.url("/api/incidents/delete"))
        .header(COOKIE, &cookie)
        .form(&[("id", id.to_string())])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::FORBIDDEN);
    assert_eq!(app.total_incidents().await, 1);
    // The same post from hoego's own page goes through.
    let r = app
        .anonymous
        .post(app.url("/api/incidents/delete"))
        .header(COOKIE, &cookie)
        .header(ORIGIN, &app.addr)
        .form(&[("id", id.to_string())])
        .send()
        .await
        .unwrap();
    assert!(
        r.status().is_success() || r.status().is_redirection(),
        "{}",
        r.status()
    );
    assert_eq!(app.total_incidents().await, 0);
}

#[tokio::test]
async fn json_means_a_json_media_type() {
    let app = spawn_app().await;
    let cookie = signed_in(&app, "kim", Role::Engineer).await;
    let body = redis_incident().to_string();
    // What a cross-site form can send without asking: with the session cookie, refused as
    // cross-site; with a token, refused as not JSON.
    let r = app
        .anonymous
        .post(app.url("/api/v1/incidents"))
        .header(COOKIE, &cookie)
        .header(ORIGIN, "http://evil.example")
        .header(CONTENT_TYPE, "text/plain;x=+json")
        .body(body.clone())
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::FORBIDDEN);
    let r = app
        .client
        .post(app.url("/api/v1/incidents"))
        .header(CONTENT_TYPE, "text/plain;x=+json")
        .body(body.clone())
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::UNSUPPORTED_MEDIA_TYPE);
    assert_eq!(app.total_incidents().await, 0);
    let r = app
        .client
        .post(app.url("/api/v1/incidents"))
        .header(CONTENT_TYPE, "application/json; charset=utf-8")
        .body(body)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::CREATED);
}

#[tokio::test]
async fn redirects_stay_on_site() {
    let app = spawn_app().await;
    let password = app.person("kim", Role::Viewer).await;
    for evil in [
        "/%5Cevil.example",
        "/%09/evil.example",
        "//evil.example",
        "https://evil.example/",
    ] {
        let r = app
            .anonymous
            .get(format!("{}/lang/en?next={evil}", app.addr))
            .send()
            .await
            .unwrap();
        assert_eq!(r.headers()[LOCATION], "/", "{evil}");
        let decoded = urlencoding::decode(evil).unwrap();
        let (location, _) = sign_in(&app, "kim", &password, &decoded).await;
        assert_eq!(location, "/", "{evil}");
    }
    let (location, _) = sign_in(&app, "kim", &password, "/incidents?page=2").await;
    assert_eq!(location, "/incidents?page=2");
}

#[tokio::test]
async fn paging_and_texts_are_bounded() {
    let app = spawn_app().await;
    for path in [
        "/api/v1/search?q=redis&offset=1000000000000",
        "/api/v1/incidents?offset=1000000000000",
        "/api/v1/action-items?limit=5000",
        "/api/v1/search?limit=101",
    ] {
        let (status, body) = app.get_json(path).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{path}: {body}");
        assert!(
            matches!(body["field"].as_str(), Some("offset" | "limit")),
            "{body}"
        );
    }
    // A 1.5 MB text to suggest from is answered (cut at 500 characters), a body past the
    // 2 MB limit refused.
    let long = "redis ".repeat(250_000);
    let r = app
        .client
        .post(app.url("/api/incidents/suggest"))
        .form(&[("text", &long)])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::OK);
    // (The answer comes before the body is read, so the request is made by hand: a client
    // still writing 3 MB would see the connection close under it.)
    let head = format!(
        "POST /api/incidents/suggest HTTP/1.1\r\n\
         Content-Type: application/x-www-form-urlencoded\r\nContent-Length: {}\r\n",
        3 * 1024 * 1024
    );
    assert_eq!(answer_to_head(&app, &head).await, "HTTP/1.1 413");
    // A status move back with a book for a reason.
    let id = app.incident(redis_incident()).await;
    app.patch(
        &format!("/api/v1/incidents/{id}"),
        &json!({"status": "triaged"}),
    )
    .await;
    let reason = "왜".repeat(2_001);
    let r = app
        .patch(
            &format!("/api/v1/incidents/{id}"),
            &json!({"status": "detected", "status_reason": reason}),
        )
        .await;
    assert_invalid(r, "reason");
    let (_, got) = app.get_json(&format!("/api/v1/incidents/{id}")).await;
    assert_eq!(got["status"], "triaged");
}

#[tokio::test]
async fn a_viewer_reads_but_cannot_write() {
    let app = spawn_app().await;
    let id = app.incident(redis_incident()).await;
    let viewer = app.client_as("lee", Role::Viewer, &[Scope::Read]).await;
    let r = viewer
        .get(app.url(&format!("/api/v1/incidents/{id}")))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::OK);
    let r = viewer
        .post(app.url("/api/v1/incidents"))
        .json(&redis_incident())
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::FORBIDDEN);
    let r = viewer
        .delete(app.url(&format!("/api/v1/incidents/{id}")))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::FORBIDDEN);
    // Signed in in a browser, the same.
    let cookie = signed_in(&app, "park", Role::Viewer).await;
    let r = app
        .anonymous
        .post(app.url("/api/incidents/delete"))
        .header(COOKIE, &cookie)
        .header(ORIGIN, &app.addr)
        .header("accept", "application/json")
        .form(&[("id", id.to_string())])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::FORBIDDEN);
    assert_eq!(app.total_incidents().await, 1);
    // An engineer's read-only token cannot write either: the scope limits the role.
    let read_only = app.client_as("choi", Role::Engineer, &[Scope::Read]).await;
    let r = read_only
        .post(app.url("/api/v1/incidents"))
        .json(&redis_incident())
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::FORBIDDEN);
    assert_eq!(app.total_incidents().await, 1);
}

#[tokio::test]
async fn a_revoked_token_stops_at_once() {
    let app = spawn_app().await;
    let password = app.person("bot-owner", Role::Engineer).await;
    let token = token_for(&app.store, "bot-owner", Role::Engineer, &[Scope::Write]).await;
    let bot = client(bearer(&token));
    let r = bot.get(app.url("/api/v1/incidents")).send().await.unwrap();
    assert_eq!(r.status(), StatusCode::OK);
    let me: Value = bot
        .get(app.url("/api/v1/me"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(
        me,
        json!({"name": "bot-owner", "role": "engineer", "scopes": ["write"]})
    );
    // Its owner revokes it on the tokens page.
    let cookie = sign_in(&app, "bot-owner", &password, "/").await.1.unwrap();
    let r = app
        .anonymous
        .post(app.url("/api/account/tokens/revoke"))
        .header(COOKIE, &cookie)
        .header(ORIGIN, &app.addr)
        .header("accept", "application/json")
        .form(&[("id", token_id(&app, "bot-owner").await.to_string())])
        .send()
        .await
        .unwrap();
    assert!(r.status().is_success(), "{}", r.status());
    let r = bot
        .post(app.url("/api/v1/incidents"))
        .json(&redis_incident())
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::UNAUTHORIZED);
    assert_eq!(app.total_incidents().await, 0);
    let r = bot.get(app.url("/api/v1/me")).send().await.unwrap();
    assert_eq!(r.status(), StatusCode::UNAUTHORIZED);
    // A token nobody issued, too.
    let r = client(bearer("hoego_forged"))
        .get(app.url("/healthz"))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::UNAUTHORIZED);
}

/// The id of `owner`'s token (tests make one per owner).
async fn token_id(app: &TestApp, owner: &str) -> i64 {
    use app::service::TokenService;
    let accounts = server::accounts::Accounts::new(app.store.clone());
    TokenService::list(&accounts, &app::domain::Actor::system())
        .await
        .unwrap()
        .into_iter()
        .find(|t| t.owner.as_deref() == Some(owner))
        .expect("a token")
        .id
        .get()
}

#[tokio::test]
async fn sign_in_is_limited_per_account() {
    let app = spawn_app().await;
    let password = app.person("kim", Role::Engineer).await;
    for _ in 0..10 {
        let (location, cookie) = sign_in(&app, "kim", "wrong password", "/").await;
        assert!(location.starts_with("/sign-in?problem=wrong"), "{location}");
        assert_eq!(cookie, None);
    }
    // Now even the right password waits, and the page says how long.
    let (location, cookie) = sign_in(&app, "kim", &password, "/").await;
    assert!(
        location.starts_with("/sign-in?problem=wait%3A"),
        "{location}"
    );
    assert_eq!(cookie, None);
    let r = app.anonymous.get(app.url(&location)).send().await.unwrap();
    let html = r.text().await.unwrap();
    assert!(html.contains("Try again in 15 minutes"), "{html}");
}

#[tokio::test]
async fn sessions_are_http_only_and_end_on_sign_out() {
    let app = spawn_app().await;
    let password = app.person("kim", Role::Engineer).await;
    let r = app
        .anonymous
        .post(app.url("/auth/sign-in"))
        .header(ORIGIN, &app.addr)
        .form(&[
            ("name", "kim"),
            ("password", password.as_str()),
            ("next", "/"),
        ])
        .send()
        .await
        .unwrap();
    let set = r.headers()[SET_COOKIE].to_str().unwrap().to_owned();
    assert!(
        set.contains("HttpOnly") && set.contains("SameSite=Lax") && set.contains("Path=/"),
        "{set}"
    );
    assert!(!set.contains("Secure"), "plain HTTP here");
    let cookie = set.split(';').next().unwrap().to_owned();
    let r = app
        .anonymous
        .get(app.url("/api/v1/incidents"))
        .header(COOKIE, &cookie)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::OK);
    // The session says who it belongs to.
    let me: Value = app
        .anonymous
        .get(app.url("/api/v1/me"))
        .header(COOKIE, &cookie)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(me, json!({"name": "kim", "role": "engineer"}));
    let r = app
        .anonymous
        .post(app.url("/auth/sign-out"))
        .header(COOKIE, &cookie)
        .header(ORIGIN, &app.addr)
        .send()
        .await
        .unwrap();
    assert_eq!(r.headers()[LOCATION], "/sign-in");
    let r = app
        .anonymous
        .get(app.url("/api/v1/incidents"))
        .header(COOKIE, &cookie)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::UNAUTHORIZED);
    // Behind an HTTPS proxy the cookie is HTTPS-only.
    let r = app
        .anonymous
        .post(app.url("/auth/sign-in"))
        .header(ORIGIN, &app.addr)
        .header("x-forwarded-proto", "https")
        .form(&[
            ("name", "kim"),
            ("password", password.as_str()),
            ("next", "/"),
        ])
        .send()
        .await
        .unwrap();
    assert!(
        r.headers()[SET_COOKIE]
            .to_str()
            .unwrap()
            .contains("; Secure")
    );
}

#[tokio::test]
async fn pages_carry_the_security_headers() {
    let app = spawn_app().await;
    let r = app.client.get(app.url("/incidents")).send().await.unwrap();
    let h = r.headers().clone();
    let html = r.text().await.unwrap();
    assert_eq!(h["x-content-type-options"], "nosniff");
    assert_eq!(h["x-frame-options"], "DENY");
    assert_eq!(h["referrer-policy"], "same-origin");
    let csp = h["content-security-policy"].to_str().unwrap();
    assert!(
        csp.contains("frame-ancestors 'none'") && csp.contains("'wasm-unsafe-eval'"),
        "{csp}"
    );
    // Every inline script carries the nonce the policy names.
    let nonce = csp
        .split("'nonce-")
        .nth(1)
        .unwrap()
        .split('\'')
        .next()
        .unwrap();
    let scripts = html.matches("<script").count();
    assert!(scripts > 0);
    assert_eq!(
        html.matches(&format!("nonce=\"{nonce}\"")).count(),
        scripts,
        "{html}"
    );
    let (_, json) = app.get_json("/api/v1/incidents").await;
    assert_eq!(json["total"], 0);
    let r = app
        .client
        .get(app.url("/api/v1/incidents"))
        .send()
        .await
        .unwrap();
    assert_eq!(
        r.headers()["content-security-policy"],
        "default-src 'none'; frame-ancestors 'none'"
    );
}

#[tokio::test]
async fn a_slow_client_is_cut_off() {
    let limits = server::serve::Limits {
        header_timeout: Duration::from_secs(1),
        ..Default::default()
    };
    let app = spawn_app_with(tempfile::tempdir().unwrap(), limits).await;
    let addr = app.addr.trim_start_matches("http://").to_owned();
    let mut tcp = tokio::net::TcpStream::connect(&addr).await.unwrap();
    tcp.write_all(b"GET /healthz HTTP/1.1\r\nHost: x\r\n")
        .await
        .unwrap();
    // Headers never finish; the server closes the connection instead of waiting forever.
    let mut buf = Vec::new();
    let read = tokio::time::timeout(Duration::from_secs(20), tcp.read_to_end(&mut buf)).await;
    assert!(read.is_ok(), "the connection was still open after 20 s");
    // And it still serves everyone else.
    let r = app.client.get(app.url("/healthz")).send().await.unwrap();
    assert_eq!(r.status(), StatusCode::OK);
}

#[tokio::test]
async fn writes_are_audited_with_who_and_what_changed() {
    let app = spawn_app().await;
    let engineer = app.client_as("kim", Role::Engineer, &[Scope::Write]).await;
    let r = engineer
        .post(app.url("/api/v1/incidents"))
        .json(&redis_incident())
        .send()
        .await
        .unwrap();
    let id = r.json::<Value>().await.unwrap()["id"].as_i64().unwrap();
    engineer
        .patch(app.url(&format!("/api/v1/incidents/{id}")))
        .json(&json!({"title": "Redis pool exhausted", "status": "triaged"}))
        .send()
        .await
        .unwrap();
    let r = engineer
        .post(app.url(&format!("/api/v1/incidents/{id}/timeline")))
        .json(&json!({"at": "2025-06-06T05:01:00Z", "kind": "note", "text": "paged"}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.json::<Value>().await.unwrap()["recorded_by"], "kim");
    let (_, detail) = app.get_json(&format!("/api/v1/incidents/{id}")).await;
    assert_eq!(detail["status_changes"][0]["by"], "kim");
    let page = server::storage::audit::list(
        &app.store,
        &app::queries::AuditQuery {
            incident: Some(id.into()),
            limit: 10,
            ..Default::default()
        },
    )
    .await
    .unwrap();
    let entries: Vec<(String, String, String)> = page
        .items
        .iter()
        .map(|e| (e.actor.clone(), e.verb.to_string(), e.kind.clone()))
        .collect();
    assert_eq!(
        entries,
        [
            ("kim".into(), "create".into(), "timeline_event".into()),
            ("kim".into(), "update".into(), "incident".into()),
            ("kim".into(), "create".into(), "incident".into()),
        ]
    );
    // Each update also records the version it was made from and the one it made.
    let update = &page.items[1];
    assert_eq!(
        update.before,
        Some(json!({"title": "Redis 연결 풀 고갈", "status": "detected", "version": 1}))
    );
    assert_eq!(
        update.after,
        Some(json!({"title": "Redis pool exhausted", "status": "triaged", "version": 2}))
    );
}

#[tokio::test]
async fn the_last_admin_stays() {
    let app = spawn_app().await;
    use app::service::AccountService;
    let accounts = server::accounts::Accounts::new(app.store.clone());
    let system = app::domain::Actor::system();
    // The test app's own admin is `tester`.
    let tester = accounts
        .people(&system)
        .await
        .unwrap()
        .into_iter()
        .find(|p| p.name == "tester")
        .unwrap();
    let e = accounts
        .set_role(&system, tester.id, Role::Viewer)
        .await
        .unwrap_err();
    assert_eq!(e.invalid().map(|i| i.field.as_str()), Some("role"));
    let e = accounts
        .set_disabled(&system, tester.id, true)
        .await
        .unwrap_err();
    assert_eq!(e.invalid().map(|i| i.field.as_str()), Some("disabled"));
    app.person("second", Role::Admin).await;
    assert!(
        accounts
            .set_role(&system, tester.id, Role::Viewer)
            .await
            .is_ok()
    );
}
