//! The REST API under `/api/v1`: one module per feature, each a set of 3–5 line handlers over
//! that feature's service trait, registered together with their OpenAPI description
//! (`utoipa`), so the document served at `/api/v1/openapi.json` cannot list a route that does not
//! exist or miss one that does.

mod action_items;
mod alerts;
mod documents;
mod five_whys;
mod incidents;
mod insights;
mod load_tests;
mod me;
mod scenarios;
mod search;
mod timeline;

use std::sync::Arc;

use app::service::{
    ActionItemService, AlertService, DocumentService, FiveWhyService, IncidentService,
    InsightsService, LoadTestService, ScenarioService, SearchService, TimelineService,
};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::{Json, Router};
use utoipa::OpenApi;
use utoipa_axum::router::OpenApiRouter;

use super::error::ApiError;
use crate::backend::Backend;

/// The document's header; the paths come from the handlers.
#[derive(OpenApi)]
#[openapi(info(
    title = "hoego",
    description = "Postmortems and incident knowledge. Timestamps are RFC 3339; dates YYYY-MM-DD. \
Errors are `{\"error\", \"field\"}`: invalid input 422 naming the field, malformed JSON 400, a \
body that is not JSON 415, an unknown id 404. A refused request writes nothing."
))]
struct Doc;

type ApiResult<T = Response> = Result<T, ApiError>;

/// `201 Created` with the new record.
fn created<T: serde::Serialize>(value: T) -> ApiResult {
    Ok((StatusCode::CREATED, Json(value)).into_response())
}

/// `200 OK` with the record and its version as the `ETag` (to send back as `If-Match`).
fn tagged<T: serde::Serialize>(value: T, version: i64) -> ApiResult {
    let etag = app::domain::etag(version);
    Ok(([(axum::http::header::ETAG, etag)], Json(value)).into_response())
}

/// The API's routes (relative to `/api/v1`), each feature's with its own service as state, and
/// the OpenAPI document describing them.
pub fn routes(backend: &Arc<Backend>) -> (Router, utoipa::openapi::OpenApi) {
    let incidents: Arc<dyn IncidentService> = backend.clone();
    let timeline: Arc<dyn TimelineService> = backend.clone();
    let five_whys: Arc<dyn FiveWhyService> = backend.clone();
    let action_items: Arc<dyn ActionItemService> = backend.clone();
    let search: Arc<dyn SearchService> = backend.clone();
    let alerts: Arc<dyn AlertService> = backend.clone();
    let load_tests: Arc<dyn LoadTestService> = backend.clone();
    let insights: Arc<dyn InsightsService> = backend.clone();
    let scenarios: Arc<dyn ScenarioService> = backend.clone();
    let documents: Arc<dyn DocumentService> = backend.clone();
    let (router, doc) = OpenApiRouter::with_openapi(Doc::openapi())
        .merge(incidents::routes().with_state(incidents))
        .merge(timeline::routes().with_state(timeline))
        .merge(five_whys::routes().with_state(five_whys))
        .merge(action_items::routes().with_state(action_items))
        .merge(search::routes().with_state(search))
        .merge(alerts::routes().with_state(alerts))
        .merge(load_tests::routes().with_state(load_tests))
        .merge(insights::routes().with_state(insights))
        .merge(scenarios::routes().with_state(scenarios))
        .merge(documents::routes().with_state(documents))
        .merge(me::routes())
        .split_for_parts();
    let served = doc.clone();
    let router = router
        .route("/openapi.json", get(move || async move { Json(served) }))
        .fallback(|| async { ApiError::new(StatusCode::NOT_FOUND, "no such endpoint", None) });
    (router, doc)
}
