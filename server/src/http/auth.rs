//! Who is asking: every request passes through [`authenticate`], which finds the person behind
//! a session cookie or an API token, refuses cross-site writes, and lets only the public paths
//! through without someone signed in. The actor goes into the request's extensions, where the
//! pages' server functions (`app::service::actor`) and the REST API ([`Caller`]) find it.

use std::sync::Arc;

use app::domain::Actor;
use app::error::AppError;
use app::service::AccountService;
use axum::extract::{FromRequestParts, Request, State};
use axum::http::request::Parts;
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Redirect, Response};

use super::error::ApiError;
use super::safety;
use crate::accounts::Accounts;

/// The session cookie's name.
pub const SESSION_COOKIE: &str = "hoego_session";

/// Paths anyone may request: signing in, health, the front end's files and the language switch
/// (the sign-in page has one).
fn is_public(path: &str) -> bool {
    matches!(path, "/sign-in" | "/auth/sign-in" | "/healthz")
        || path.starts_with("/pkg/")
        || path.starts_with("/lang/")
}

/// The bearer token of `Authorization: Bearer …`, if any.
pub fn bearer(headers: &HeaderMap) -> Option<&str> {
    let value = headers.get(header::AUTHORIZATION)?.to_str().ok()?;
    let (scheme, token) = value.split_once(' ')?;
    scheme
        .eq_ignore_ascii_case("bearer")
        .then(|| token.trim())
        .filter(|t| !t.is_empty())
}

/// The value of cookie `name`, if sent.
pub fn cookie<'a>(headers: &'a HeaderMap, name: &str) -> Option<&'a str> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|kv| kv.trim().split_once('='))
        .find(|(k, _)| *k == name)
        .map(|(_, v)| v)
}

pub async fn authenticate(
    State(accounts): State<Arc<Accounts>>,
    mut req: Request,
    next: Next,
) -> Response {
    let headers = req.headers();
    let token = bearer(headers).map(str::to_owned);
    let session = cookie(headers, SESSION_COOKIE).map(str::to_owned);
    if token.is_none() && !safety::same_origin(req.method(), headers, session.is_some()) {
        return refuse(&req, AppError::Forbidden, "cross-site request refused");
    }
    let actor = match (&token, &session) {
        // A token that does not work is refused even on a public path: a machine sending it
        // wants to know.
        (Some(t), _) => match accounts.actor_for_token(t).await {
            Ok(a) => Some(a),
            Err(AppError::Unauthorized) => {
                return refuse(&req, AppError::Unauthorized, "unknown or revoked token");
            }
            Err(e) => return ApiError::from(e).into_response(),
        },
        (None, Some(s)) => match accounts.actor_for_session(s).await {
            Ok(a) => Some(a),
            Err(AppError::Unauthorized) => None,
            // Not "signed out" when the database could not say.
            Err(e) => return ApiError::from(e).into_response(),
        },
        (None, None) => None,
    };
    match actor {
        Some(actor) => {
            req.extensions_mut().insert(actor);
            next.run(req).await
        }
        None if is_public(req.uri().path()) => next.run(req).await,
        None => refuse(&req, AppError::Unauthorized, "sign in first"),
    }
}

/// A refusal in the form the asker reads: a page goes to the sign-in form (and comes back after),
/// the REST API gets its JSON error, a server function the error it can show.
fn refuse(req: &Request, error: AppError, message: &str) -> Response {
    let path = req.uri().path();
    let wants_page = req.method() == axum::http::Method::GET
        && req
            .headers()
            .get(header::ACCEPT)
            .and_then(|a| a.to_str().ok())
            .is_some_and(|a| a.contains("text/html"));
    if matches!(error, AppError::Unauthorized) && wants_page {
        let here = req
            .uri()
            .path_and_query()
            .map(|p| p.as_str())
            .unwrap_or("/");
        return Redirect::to(&format!("/sign-in?next={}", urlencoding::encode(here)))
            .into_response();
    }
    let status = StatusCode::from_u16(error.status()).unwrap_or(StatusCode::FORBIDDEN);
    let mut response = if path.starts_with("/api/v1/") {
        ApiError::new(status, message, None).into_response()
    } else {
        // Server functions read their error as the JSON of `AppError`.
        (status, axum::Json(error)).into_response()
    };
    if status == StatusCode::UNAUTHORIZED {
        response.headers_mut().insert(
            header::WWW_AUTHENTICATE,
            HeaderValue::from_static("Bearer realm=\"hoego\""),
        );
    }
    response
}

/// The actor of a REST request ([`authenticate`] has checked there is one).
pub struct Caller(pub Actor);

impl<S: Send + Sync> FromRequestParts<S> for Caller {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, ApiError> {
        parts
            .extensions
            .get::<Actor>()
            .cloned()
            .map(Caller)
            .ok_or_else(|| AppError::Unauthorized.into())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn credentials_are_read_from_their_headers() {
        let mut h = HeaderMap::new();
        h.insert(
            header::AUTHORIZATION,
            HeaderValue::from_static("Bearer hoego_abc"),
        );
        h.append(
            header::COOKIE,
            HeaderValue::from_static("hoego_lang=ko; hoego_session=s3cr3t"),
        );
        assert_eq!(bearer(&h), Some("hoego_abc"));
        assert_eq!(cookie(&h, SESSION_COOKIE), Some("s3cr3t"));
        assert_eq!(cookie(&h, "other"), None);
        h.insert(
            header::AUTHORIZATION,
            HeaderValue::from_static("Basic dXNlcjpw"),
        );
        assert_eq!(bearer(&h), None);
        assert!(is_public("/pkg/hoego.wasm") && !is_public("/incidents"));
    }
}
