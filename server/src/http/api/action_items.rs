//! `/incidents/{id}/action-items` and the overview `/action-items`.

use std::sync::Arc;

use app::domain::{
    ActionId, ActionInput, ActionItem, ActionItemRow, ActionPatch, IncidentId, Page,
};
use app::queries::ActionQuery;
use app::service::ActionItemService;
use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::Response;
use serde::Deserialize;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use super::incidents::IncidentPath;
use super::{ApiResult, created, tagged};
use crate::http::auth::Caller;
use crate::http::error::ErrorBody;
use crate::http::extract::{ApiJson, ApiPath, ApiQuery, IfMatch};

type Svc = State<Arc<dyn ActionItemService>>;

/// `/incidents/{id}/action-items/{item}`.
#[derive(Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Path)]
struct ActionPath {
    /// The incident's id.
    id: IncidentId,
    /// The action item's id.
    item: ActionId,
}

pub fn routes() -> OpenApiRouter<Arc<dyn ActionItemService>> {
    OpenApiRouter::new()
        .routes(routes!(list))
        .routes(routes!(add))
        .routes(routes!(update, delete))
}

/// Action items across incidents, soonest due first (undated last).
#[utoipa::path(get, path = "/action-items", tag = "action-items", params(ActionQuery),
    responses((status = 200, body = Page<ActionItemRow>), (status = 422, body = ErrorBody)))]
async fn list(
    State(svc): Svc,
    Caller(by): Caller,
    ApiQuery(q): ApiQuery<ActionQuery>,
) -> ApiResult<Json<Page<ActionItemRow>>> {
    Ok(Json(svc.list(&by, q).await?))
}

/// Adds an action item, optionally linked to the 5-Why step it addresses.
#[utoipa::path(post, path = "/incidents/{id}/action-items", tag = "action-items",
    params(IncidentPath), request_body = ActionInput,
    responses((status = 201, body = ActionItem), (status = 404, body = ErrorBody),
        (status = 422, body = ErrorBody)))]
async fn add(
    State(svc): Svc,
    Caller(by): Caller,
    ApiPath(p): ApiPath<IncidentPath>,
    ApiJson(a): ApiJson<ActionInput>,
) -> ApiResult<Response> {
    created(svc.add(&by, p.id, a).await?)
}

/// Changes an action item; `null` clears `due` or the step link.
#[utoipa::path(patch, path = "/incidents/{id}/action-items/{item}", tag = "action-items",
    params(ActionPath), request_body = ActionPatch,
    responses((status = 200, body = ActionItem), (status = 404, body = ErrorBody),
        (status = 412, body = ErrorBody), (status = 422, body = ErrorBody)))]
async fn update(
    State(svc): Svc,
    Caller(by): Caller,
    ApiPath(p): ApiPath<ActionPath>,
    IfMatch(if_match): IfMatch,
    ApiJson(mut patch): ApiJson<ActionPatch>,
) -> ApiResult {
    patch.version = if_match.or(patch.version);
    let changed = svc.update(&by, p.id, p.item, patch).await?;
    let version = changed.version;
    tagged(changed, version)
}

#[utoipa::path(delete, path = "/incidents/{id}/action-items/{item}", tag = "action-items",
    params(ActionPath), responses((status = 204), (status = 404, body = ErrorBody)))]
async fn delete(
    State(svc): Svc,
    Caller(by): Caller,
    ApiPath(p): ApiPath<ActionPath>,
) -> ApiResult<StatusCode> {
    svc.delete(&by, p.id, p.item).await?;
    Ok(StatusCode::NO_CONTENT)
}
