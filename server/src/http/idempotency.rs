//! `Idempotency-Key` on the REST API's POSTs: the same key (per caller, for 24 hours) gets the
//! first answer again instead of doing the work twice, so a client that lost an answer can
//! retry without filing the incident twice.
//!
//! - The key is claimed before the request is answered; a second request with it meanwhile is
//!   a 409 with `Retry-After`.
//! - The same key with another method, path or body is a 422: it is a mistake, not a retry.
//! - Answers worth retrying (5xx, 429) are not kept: the key is freed, and a retry runs again.
//! - A replayed answer carries `Idempotent-Replayed: true`.
//!
//! The answer is kept just after the write commits; a crash in between forgets the answer,
//! not the write.

use std::sync::Arc;

use app::domain::Actor;
use axum::body::{Body, to_bytes};
use axum::extract::{Request, State};
use axum::http::{HeaderValue, Method, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use sha2::{Digest, Sha256};

use super::BODY_LIMIT;
use super::error::ApiError;
use crate::storage::Store;
use crate::storage::idempotency::{self, Claim};

pub const HEADER: &str = "idempotency-key";
const REPLAYED: &str = "idempotent-replayed";
/// The longest key taken (a UUID is 36).
const KEY_MAX: usize = 255;

pub async fn guard(State(store): State<Arc<Store>>, req: Request, next: Next) -> Response {
    if req.method() != Method::POST {
        return next.run(req).await;
    }
    let Some(key) = req.headers().get(HEADER) else {
        return next.run(req).await;
    };
    let key = match key.to_str() {
        Ok(k) if !k.is_empty() && k.len() <= KEY_MAX && k.bytes().all(|b| b.is_ascii_graphic()) => {
            k.to_owned()
        }
        _ => {
            return ApiError::new(
                StatusCode::BAD_REQUEST,
                "Idempotency-Key must be 1 to 255 visible ASCII characters",
                Some("Idempotency-Key".into()),
            )
            .into_response();
        }
    };
    let actor = match req.extensions().get::<Actor>() {
        Some(a) => a.token.as_ref().map_or_else(
            || format!("person:{}", a.name),
            |t| format!("token:{}", t.id.get()),
        ),
        None => return next.run(req).await,
    };
    let (parts, body) = req.into_parts();
    let bytes = match to_bytes(body, BODY_LIMIT).await {
        Ok(b) => b,
        Err(e) => {
            return ApiError::new(
                StatusCode::BAD_REQUEST,
                format!("could not read the body: {e}"),
                None,
            )
            .into_response();
        }
    };
    let fingerprint = {
        let mut h = Sha256::new();
        h.update(parts.method.as_str());
        h.update([0]);
        h.update(parts.uri.to_string());
        h.update([0]);
        h.update(&bytes);
        h.finalize().to_vec()
    };
    match idempotency::claim(&store, &actor, &key, &fingerprint).await {
        Err(e) => return ApiError::from(app::error::AppError::from(e)).into_response(),
        Ok(Claim::Taken(kept)) if kept.status.is_none() => return still_answering(),
        Ok(Claim::Taken(kept)) if kept.fingerprint != fingerprint => {
            return ApiError::new(
                StatusCode::UNPROCESSABLE_ENTITY,
                "this Idempotency-Key was used for another request",
                Some("Idempotency-Key".into()),
            )
            .into_response();
        }
        Ok(Claim::Taken(kept)) => return replay(kept),
        Ok(Claim::Mine) => {}
    }
    // Answered and kept on a task of its own: a client that hangs up mid-request must not
    // leave the key claimed with the write done and no answer kept (its retry would run the
    // write again once the claim is taken over).
    let answered = tokio::spawn(answer_and_keep(
        store,
        actor,
        key,
        next,
        Request::from_parts(parts, Body::from(bytes)),
    ));
    answered
        .await
        .unwrap_or_else(|_| StatusCode::INTERNAL_SERVER_ERROR.into_response())
}

/// Answers the request, then keeps the answer for its key (or frees the key when the answer
/// is one worth retrying).
async fn answer_and_keep(
    store: Arc<Store>,
    actor: String,
    key: String,
    next: Next,
    req: Request,
) -> Response {
    let response = next.run(req).await;
    let status = response.status();
    if status.is_server_error() || status == StatusCode::TOO_MANY_REQUESTS {
        if let Err(e) = idempotency::release(&store, &actor, &key).await {
            tracing::warn!(error = %e, "could not free an idempotency key");
        }
        return response;
    }
    let (parts, body) = response.into_parts();
    let Ok(bytes) = to_bytes(body, usize::MAX).await else {
        return StatusCode::INTERNAL_SERVER_ERROR.into_response();
    };
    let text = |name| parts.headers.get(name).and_then(|v| v.to_str().ok());
    if let Err(e) = idempotency::finish(
        &store,
        &actor,
        &key,
        status.as_u16(),
        text(header::CONTENT_TYPE),
        text(header::LOCATION),
        &bytes,
    )
    .await
    {
        tracing::warn!(error = %e, "could not keep an answer for its idempotency key");
    }
    Response::from_parts(parts, Body::from(bytes))
}

/// A 409 while the first request with the key is still being answered.
fn still_answering() -> Response {
    let mut busy = ApiError::new(
        StatusCode::CONFLICT,
        "a request with this Idempotency-Key is still being answered",
        Some("Idempotency-Key".into()),
    );
    busy.retry_after = Some(1);
    busy.into_response()
}

/// The kept answer again.
fn replay(kept: idempotency::Kept) -> Response {
    let Some(status) = kept
        .status
        .and_then(|s| StatusCode::from_u16(s as u16).ok())
    else {
        return still_answering();
    };
    let mut response = (status, kept.body.unwrap_or_default()).into_response();
    let headers = response.headers_mut();
    for (name, value) in [
        (header::CONTENT_TYPE, kept.content_type),
        (header::LOCATION, kept.location),
    ] {
        if let Some(v) = value.and_then(|v| HeaderValue::from_str(&v).ok()) {
            headers.insert(name, v);
        }
    }
    headers.insert(REPLAYED, HeaderValue::from_static("true"));
    response
}
