//! The HTTP surface: REST API, pages, health.

pub mod api;
pub mod error;
pub mod json;
pub mod web;

use app::service::Svc;
use axum::Router;
use axum::routing::get;
use leptos::prelude::LeptosOptions;
use tower_http::trace::TraceLayer;

pub fn router(options: LeptosOptions, svc: Svc) -> Router {
    Router::new()
        .nest("/api/v1", api::routes().with_state(svc.clone()))
        .route("/healthz", get(|| async { "ok" }))
        .merge(web::routes(options, svc))
        .layer(TraceLayer::new_for_http())
}
