//! `/incidents/{id}/five-whys`: an incident's 5-Why chains.

use std::sync::Arc;

use app::domain::{ChainId, ChainInput, ChainPatch, FiveWhyChain, IncidentId};
use app::service::FiveWhyService;
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
use crate::http::extract::{ApiJson, ApiPath, IfMatch};

type Svc = State<Arc<dyn FiveWhyService>>;

/// `/incidents/{id}/five-whys/{chain}`.
#[derive(Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Path)]
struct ChainPath {
    /// The incident's id.
    id: IncidentId,
    /// The chain's id.
    chain: ChainId,
}

pub fn routes() -> OpenApiRouter<Arc<dyn FiveWhyService>> {
    OpenApiRouter::new()
        .routes(routes!(add))
        .routes(routes!(update, delete))
}

/// Adds a chain: a problem, ordered why/because steps, a root cause and its category.
#[utoipa::path(post, path = "/incidents/{id}/five-whys", tag = "five-whys", params(IncidentPath),
    request_body = ChainInput,
    responses((status = 201, body = FiveWhyChain), (status = 404, body = ErrorBody),
        (status = 422, body = ErrorBody)))]
async fn add(
    State(svc): Svc,
    Caller(by): Caller,
    ApiPath(p): ApiPath<IncidentPath>,
    ApiJson(c): ApiJson<ChainInput>,
) -> ApiResult<Response> {
    created(svc.add(&by, p.id, c).await?)
}

/// Changes a chain. A `steps` list is the new order: steps with an `id` keep it, steps without
/// are added, steps left out are removed.
#[utoipa::path(patch, path = "/incidents/{id}/five-whys/{chain}", tag = "five-whys",
    params(ChainPath), request_body = ChainPatch,
    responses((status = 200, body = FiveWhyChain), (status = 404, body = ErrorBody),
        (status = 412, body = ErrorBody), (status = 422, body = ErrorBody)))]
async fn update(
    State(svc): Svc,
    Caller(by): Caller,
    ApiPath(p): ApiPath<ChainPath>,
    IfMatch(if_match): IfMatch,
    ApiJson(mut patch): ApiJson<ChainPatch>,
) -> ApiResult {
    patch.version = if_match.or(patch.version);
    let changed = svc.update(&by, p.id, p.chain, patch).await?;
    let version = changed.version;
    tagged(changed, version)
}

/// Deletes a chain; action items that addressed its steps lose the link.
#[utoipa::path(delete, path = "/incidents/{id}/five-whys/{chain}", tag = "five-whys",
    params(ChainPath), responses((status = 204), (status = 404, body = ErrorBody)))]
async fn delete(
    State(svc): Svc,
    Caller(by): Caller,
    ApiPath(p): ApiPath<ChainPath>,
) -> ApiResult<StatusCode> {
    svc.delete(&by, p.id, p.chain).await?;
    Ok(StatusCode::NO_CONTENT)
}
