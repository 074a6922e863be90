//! The HTTP surface: REST API, pages, health.

pub mod api;
pub mod error;
pub mod extract;
pub mod web;

use std::sync::Arc;

use axum::Router;
use axum::routing::get;
use leptos::prelude::LeptosOptions;
use tower_http::trace::TraceLayer;

use crate::backend::Backend;

pub fn router(options: LeptosOptions, backend: Arc<Backend>) -> Router {
    let (api, _) = api::routes(&backend);
    Router::new()
        .nest("/api/v1", api)
        .route("/healthz", get(|| async { "ok" }))
        .merge(web::routes(options, backend))
        .layer(TraceLayer::new_for_http())
}
