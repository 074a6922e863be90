//! The HTTP surface: REST API, pages, sign-in, health, and what every request passes through
//! (authentication, cross-site checks, security headers, limits).

pub mod api;
pub mod auth;
pub mod error;
pub mod export;
pub mod extract;
pub mod idempotency;
pub mod import;
pub mod safety;
pub mod sign_in;
pub mod upload;
pub mod web;

use std::sync::Arc;

use axum::Router;
use axum::extract::DefaultBodyLimit;
use axum::extract::State;
use axum::http::HeaderValue;
use axum::http::header::{CONTENT_SECURITY_POLICY, CONTENT_TYPE};
use axum::middleware;
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use leptos::prelude::LeptosOptions;
use tower_http::set_header::SetResponseHeaderLayer;
use tower_http::trace::TraceLayer;

use crate::backend::Backend;

/// The largest request body hoego reads: a postmortem's narrative may be 200,000 characters
/// (600 KB of Korean), and alert batches are large; anything bigger is refused with 413.
pub const BODY_LIMIT: usize = 2 * 1024 * 1024;

pub fn router(options: LeptosOptions, backend: Arc<Backend>) -> Router {
    let (api, _) = api::routes(&backend);
    let api = api.layer(middleware::from_fn_with_state(
        Arc::new(backend.store.clone()),
        idempotency::guard,
    ));
    let signing = Router::new()
        .route("/auth/sign-in", post(sign_in::sign_in))
        .route("/auth/sign-out", post(sign_in::sign_out))
        .with_state(backend.accounts.clone());
    let uploads = Router::new()
        .route("/load-tests/upload", post(upload::upload))
        .route("/scenarios/{id}/export.md", get(export::scenario))
        .route("/incidents/{id}/export.md", get(export::incident_md))
        .route("/incidents/{id}/export.html", get(export::incident_html))
        .with_state(backend.clone());
    let reports = app::api::reports::ImportReports::default();
    let imports = Router::new()
        .route("/import/upload", post(import::upload))
        .with_state(import::Imports {
            backend: backend.clone(),
            reports: reports.clone(),
        });
    let watched = Router::new()
        .route("/metrics", get(metrics))
        .with_state(backend.clone());
    let mut app = Router::new()
        .nest("/api/v1", api)
        .route("/healthz", get(|| async { "ok" }))
        .merge(watched)
        .merge(signing)
        .merge(uploads)
        .merge(imports)
        .merge(web::routes(options, backend.clone(), reports))
        .layer(middleware::from_fn_with_state(
            backend.accounts.clone(),
            auth::authenticate,
        ))
        .layer(SetResponseHeaderLayer::if_not_present(
            CONTENT_SECURITY_POLICY,
            HeaderValue::from_static(safety::DEFAULT_POLICY),
        ));
    for (name, value) in safety::security_headers() {
        app = app.layer(SetResponseHeaderLayer::overriding(name, value));
    }
    app.layer(middleware::from_fn_with_state(
        backend.metrics.clone(),
        crate::metrics::track,
    ))
    .layer(DefaultBodyLimit::max(BODY_LIMIT))
    .layer(TraceLayer::new_for_http())
}

/// `GET /metrics` for Prometheus (a token with the `read` scope, sent as a bearer token by
/// the scrape job's `authorization` setting).
async fn metrics(
    State(backend): State<Arc<Backend>>,
    auth::Caller(by): auth::Caller,
) -> Result<Response, error::ApiError> {
    by.require(app::domain::Need::Read)?;
    let text = backend
        .metrics
        .render(&backend.store)
        .await
        .map_err(app::error::AppError::from)?;
    Ok((
        [(CONTENT_TYPE, "text/plain; version=0.0.4; charset=utf-8")],
        text,
    )
        .into_response())
}
