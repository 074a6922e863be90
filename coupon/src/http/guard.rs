//! What a request must show before a handler sees it: the admin token for the endpoints that
//! change what the service is ([`require_admin`]), and a JSON `Content-Type` for every body
//! ([`JsonBody`]).
//!
//! - No `Authorization: Bearer …` (or another scheme): 401 with `WWW-Authenticate: Bearer`.
//! - A bearer token that is not the admin token: 403.
//! - No admin token configured (`coupon serve` without `--admin-token`): 403 for everyone, so
//!   these endpoints are never open.
//! - A body whose `Content-Type` is missing or is not JSON: 415. The header is parsed as a
//!   media type; `application/json` and `application/*+json` pass, with no `charset` or
//!   `charset=utf-8` (JSON is UTF-8). Browsers send `text/plain`, form types and none at all
//!   across sites without asking first; none of those pass.

use std::sync::Arc;

use axum::body::Bytes;
use axum::extract::{FromRequest, Request, State};
use axum::http::{HeaderMap, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

use super::ApiError;
use crate::admin::AdminToken;

/// Middleware on the admin routes: passes the request on only with the admin token.
pub async fn require_admin(
    State(admin): State<Arc<Option<AdminToken>>>,
    request: Request,
    next: Next,
) -> Response {
    match check_admin(admin.as_ref().as_ref(), request.headers()) {
        Ok(()) => next.run(request).await,
        Err(refused) => refused.into_response(),
    }
}

fn check_admin(admin: Option<&AdminToken>, headers: &HeaderMap) -> Result<(), ApiError> {
    let Some(admin) = admin else {
        return Err(ApiError::Forbidden(
            "this service has no admin token, so nobody may use this endpoint; start it with \
             --admin-token or COUPON_ADMIN_TOKEN"
                .into(),
        ));
    };
    let presented = bearer(headers).ok_or_else(|| {
        ApiError::Unauthorized(
            "this endpoint needs the admin token: Authorization: Bearer TOKEN".into(),
        )
    })?;
    if admin.matches(presented) {
        Ok(())
    } else {
        Err(ApiError::Forbidden(
            "the bearer token is not the admin token".into(),
        ))
    }
}

/// The token of the one `Authorization: Bearer TOKEN` header (the scheme in any case).
fn bearer(headers: &HeaderMap) -> Option<&[u8]> {
    let mut values = headers.get_all(header::AUTHORIZATION).iter();
    let value = values.next()?;
    if values.next().is_some() {
        return None;
    }
    let value = value.as_bytes();
    let space = value.iter().position(|&b| b == b' ')?;
    let (scheme, rest) = value.split_at(space);
    if !scheme.eq_ignore_ascii_case(b"bearer") {
        return None;
    }
    let token = rest.trim_ascii();
    (!token.is_empty()).then_some(token)
}

/// A request body declared as JSON by its `Content-Type`; anything else is refused with 415
/// before the body is read.
pub struct JsonBody(pub Bytes);

impl<S: Send + Sync> FromRequest<S> for JsonBody {
    type Rejection = Response;

    async fn from_request(request: Request, state: &S) -> Result<Self, Response> {
        json_content_type(request.headers()).map_err(IntoResponse::into_response)?;
        let body = Bytes::from_request(request, state)
            .await
            .map_err(IntoResponse::into_response)?;
        Ok(JsonBody(body))
    }
}

fn json_content_type(headers: &HeaderMap) -> Result<(), ApiError> {
    let refused = |what: &str| {
        ApiError::UnsupportedMediaType(format!(
            "the body must be sent as Content-Type: application/json, not {what}"
        ))
    };
    let mut values = headers.get_all(header::CONTENT_TYPE).iter();
    let value = values.next().ok_or_else(|| refused("without one"))?;
    if values.next().is_some() {
        return Err(refused("several"));
    }
    let mime: mime::Mime = value
        .to_str()
        .ok()
        .and_then(|v| v.parse().ok())
        .ok_or_else(|| refused("one that does not parse"))?;
    let is = |name: mime::Name, expected: &str| name.as_str().eq_ignore_ascii_case(expected);
    let json = is(mime.type_(), "application")
        && (is(mime.subtype(), "json") || mime.suffix().is_some_and(|s| is(s, "json")));
    if !json {
        return Err(refused(mime.essence_str()));
    }
    match mime
        .params()
        .find(|(name, value)| is(*name, "charset") && !is(*value, "utf-8"))
    {
        Some((_, charset)) => Err(refused(&format!("charset {}", charset.as_str()))),
        None => Ok(()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::http::HeaderValue;

    fn with(name: header::HeaderName, values: &[&str]) -> HeaderMap {
        let mut headers = HeaderMap::new();
        for v in values {
            headers.append(&name, HeaderValue::from_str(v).unwrap());
        }
        headers
    }

    fn status(result: Result<(), ApiError>) -> u16 {
        match result {
            Ok(()) => 200,
            Err(e) => e.into_response().status().as_u16(),
        }
    }

    #[test]
    fn only_json_media_types_pass() {
        for ok in [
            "application/json",
            "Application/JSON",
            "application/json; charset=utf-8",
            "application/json;charset=UTF-8",
            "application/json; charset=\"utf-8\"",
            "application/vnd.coupon+json",
            "application/problem+json; charset=utf-8",
        ] {
            let got = json_content_type(&with(header::CONTENT_TYPE, &[ok]));
            assert!(got.is_ok(), "{ok}: {got:?}");
        }
        for refused in [
            "text/plain;x=+json",
            "text/plain; charset=utf-8; x=application/json",
            "text/plain",
            "text/json",
            "application/x-www-form-urlencoded",
            "multipart/form-data; boundary=x",
            "application/jsonp",
            "application/json-seq",
            "application/json; charset=latin1",
            "application/json; charset=utf-16",
            "application/json; Charset=utf-16",
            "application/json; charset=utf-8; charset=latin1",
            "application/",
            "json",
            "",
        ] {
            assert_eq!(
                status(json_content_type(&with(header::CONTENT_TYPE, &[refused]))),
                415,
                "{refused:?}"
            );
        }
        assert_eq!(status(json_content_type(&HeaderMap::new())), 415);
        let twice = with(header::CONTENT_TYPE, &["application/json", "text/plain"]);
        assert_eq!(status(json_content_type(&twice)), 415);
    }

    #[test]
    fn admin_endpoints_need_the_bearer_token() {
        let token = AdminToken::parse("the-admin-token-for-tests").unwrap();
        let check = |values: &[&str]| {
            status(check_admin(
                Some(&token),
                &with(header::AUTHORIZATION, values),
            ))
        };
        assert_eq!(check(&["Bearer the-admin-token-for-tests"]), 200);
        assert_eq!(check(&["bearer the-admin-token-for-tests"]), 200);
        assert_eq!(check(&["BEARER  the-admin-token-for-tests "]), 200);
        assert_eq!(check(&[]), 401);
        assert_eq!(check(&["Bearer"]), 401);
        assert_eq!(check(&["Bearer "]), 401);
        assert_eq!(check(&["the-admin-token-for-tests"]), 401);
        assert_eq!(check(&["Basic dGhlLWFkbWluLXRva2VuLWZvci10ZXN0cw=="]), 401);
        assert_eq!(
            check(&[
                "Bearer the-admin-token-for-tests",
                "Bearer the-admin-token-for-tests"
            ]),
            401,
            "one Authorization header"
        );
        assert_eq!(check(&["Bearer the-admin-token-for-test"]), 403);
        assert_eq!(check(&["Bearer the-admin-token-for-testsX"]), 403);
        let unauthorized = check_admin(Some(&token), &HeaderMap::new())
            .unwrap_err()
            .into_response();
        assert_eq!(
            unauthorized.headers()[header::WWW_AUTHENTICATE],
            r#"Bearer realm="coupon-admin""#
        );
        // Nobody gets in when no token is configured, whatever they send.
        let anything = with(header::AUTHORIZATION, &["Bearer the-admin-token-for-tests"]);
        assert_eq!(status(check_admin(None, &anything)), 403);
        assert_eq!(status(check_admin(None, &HeaderMap::new())), 403);
    }
}
