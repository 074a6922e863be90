//! Signing in and out: plain form posts, so they work before and without the WASM bundle.
//! The sign-in page itself is a Leptos page (`app::pages::sign_in`); these handlers take its
//! post, set or clear the session cookie, and go on.

use std::net::SocketAddr;
use std::sync::Arc;

use app::error::AppError;
use app::service::AccountService;
use axum::Form;
use axum::extract::{ConnectInfo, State};
use axum::http::{HeaderMap, HeaderValue, header};
use axum::response::{IntoResponse, Redirect, Response};
use serde::Deserialize;

use super::auth::{SESSION_COOKIE, cookie};
use super::safety::local_path;
use crate::accounts::Accounts;

#[derive(Deserialize)]
pub struct SignInForm {
    #[serde(default)]
    name: String,
    #[serde(default)]
    password: String,
    #[serde(default)]
    next: String,
}

/// The session cookie: not readable by scripts, not sent on cross-site requests (links from
/// elsewhere still arrive signed in), and HTTPS-only when hoego is reached over HTTPS (a proxy
/// in front says so with `X-Forwarded-Proto`).
fn session_cookie(headers: &HeaderMap, value: &str, max_age: i64) -> HeaderValue {
    let https = headers
        .get("x-forwarded-proto")
        .is_some_and(|p| p.as_bytes().eq_ignore_ascii_case(b"https"));
    let secure = if https { "; Secure" } else { "" };
    HeaderValue::from_str(&format!(
        "{SESSION_COOKIE}={value}; Path=/; Max-Age={max_age}; HttpOnly; SameSite=Lax{secure}"
    ))
    .expect("cookie characters are URL-safe")
}

/// `POST /sign-in`: on success a session and the page asked for; otherwise back to the form,
/// with the name kept and what went wrong.
pub async fn sign_in(
    State(accounts): State<Arc<Accounts>>,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    headers: HeaderMap,
    Form(form): Form<SignInForm>,
) -> Response {
    let next = local_path(&form.next).unwrap_or_else(|| "/".into());
    match accounts
        .sign_in(&form.name, &form.password, peer.ip())
        .await
    {
        Ok(session) => {
            let mut response = Redirect::to(&next).into_response();
            response.headers_mut().insert(
                header::SET_COOKIE,
                session_cookie(&headers, &session.secret, session.max_age_seconds),
            );
            response
        }
        Err(e) => {
            let problem = match e {
                AppError::TooManyRequests { retry_after } => format!("wait:{retry_after}"),
                AppError::Invalid(_) => "wrong".into(),
                _ => "failed".into(),
            };
            let back = format!(
                "/sign-in?problem={}&name={}&next={}",
                urlencoding::encode(&problem),
                urlencoding::encode(form.name.trim()),
                urlencoding::encode(&next)
            );
            Redirect::to(&back).into_response()
        }
    }
}

/// `POST /sign-out`: ends the session and clears the cookie.
pub async fn sign_out(State(accounts): State<Arc<Accounts>>, headers: HeaderMap) -> Response {
    if let Some(secret) = cookie(&headers, SESSION_COOKIE)
        && let Err(e) = accounts.sign_out(secret).await
    {
        tracing::warn!(error = %e, "could not end a session");
    }
    let mut response = Redirect::to("/sign-in").into_response();
    response
        .headers_mut()
        .insert(header::SET_COOKIE, session_cookie(&headers, "", 0));
    response
}
