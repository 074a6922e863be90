//! `/incidents`: list, create, read, change, delete.

use std::sync::Arc;

use app::domain::{IncidentFields, IncidentId, IncidentPatch, IncidentSummary, Page};
use app::queries::{IncidentDetail, IncidentQuery};
use app::service::IncidentService;
use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::Response;
use serde::Deserialize;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use super::{ApiResult, created, tagged};
use crate::http::auth::Caller;
use crate::http::error::ErrorBody;
use crate::http::extract::{ApiJson, ApiPath, ApiQuery, IfMatch};

type Svc = State<Arc<dyn IncidentService>>;

/// `/incidents/{id}`.
#[derive(Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Path)]
pub struct IncidentPath {
    /// The incident's id.
    pub id: IncidentId,
}

pub fn routes() -> OpenApiRouter<Arc<dyn IncidentService>> {
    OpenApiRouter::new()
        .routes(routes!(list, create))
        .routes(routes!(get, update, delete))
}

/// Incidents, newest first (impact start, else filing time). Items are summaries: no impacts,
/// summary or narrative.
#[utoipa::path(get, path = "/incidents", tag = "incidents", params(IncidentQuery),
    responses((status = 200, body = Page<IncidentSummary>), (status = 422, body = ErrorBody)))]
async fn list(
    State(svc): Svc,
    Caller(by): Caller,
    ApiQuery(q): ApiQuery<IncidentQuery>,
) -> ApiResult<Json<Page<IncidentSummary>>> {
    Ok(Json(svc.list(&by, q).await?))
}

/// Files an incident.
#[utoipa::path(post, path = "/incidents", tag = "incidents", request_body = IncidentFields,
    responses((status = 201, body = IncidentDetail), (status = 422, body = ErrorBody)))]
async fn create(
    State(svc): Svc,
    Caller(by): Caller,
    ApiJson(f): ApiJson<IncidentFields>,
) -> ApiResult<Response> {
    created(svc.create(&by, f).await?)
}

/// The incident with its timeline, 5-Why chains, action items, status history and rendered
/// Markdown.
#[utoipa::path(get, path = "/incidents/{id}", tag = "incidents", params(IncidentPath),
    responses((status = 200, body = IncidentDetail), (status = 404, body = ErrorBody)))]
async fn get(State(svc): Svc, Caller(by): Caller, ApiPath(p): ApiPath<IncidentPath>) -> ApiResult {
    let d = svc.get(&by, p.id).await?;
    let version = d.incident.version;
    tagged(d, version)
}

/// Changes an incident: absent fields keep their value, `null` clears; a status move back needs
/// `status_reason`. With `If-Match` (the `ETag` of a `GET`) or `version`, a change made from an
/// older version is refused with 412 and the writes made since.
#[utoipa::path(patch, path = "/incidents/{id}", tag = "incidents", params(IncidentPath),
    request_body = IncidentPatch,
    responses((status = 200, body = IncidentDetail), (status = 404, body = ErrorBody),
        (status = 412, body = ErrorBody), (status = 422, body = ErrorBody)))]
async fn update(
    State(svc): Svc,
    Caller(by): Caller,
    ApiPath(p): ApiPath<IncidentPath>,
    IfMatch(if_match): IfMatch,
    ApiJson(mut patch): ApiJson<IncidentPatch>,
) -> ApiResult {
    patch.version = if_match.or(patch.version);
    let d = svc.update(&by, p.id, patch).await?;
    let version = d.incident.version;
    tagged(d, version)
}

/// Deletes an incident with its timeline, chains and action items.
#[utoipa::path(delete, path = "/incidents/{id}", tag = "incidents", params(IncidentPath),
    responses((status = 204), (status = 404, body = ErrorBody)))]
async fn delete(
    State(svc): Svc,
    Caller(by): Caller,
    ApiPath(p): ApiPath<IncidentPath>,
) -> ApiResult<StatusCode> {
    svc.delete(&by, p.id).await?;
    Ok(StatusCode::NO_CONTENT)
}
