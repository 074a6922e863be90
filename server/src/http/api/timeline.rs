//! `/incidents/{id}/timeline`: an incident's timeline events.

use std::sync::Arc;

use app::domain::{EventId, EventInput, EventPatch, IncidentId, TimelineEvent};
use app::service::TimelineService;
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

type Svc = State<Arc<dyn TimelineService>>;

/// `/incidents/{id}/timeline/{event}`.
#[derive(Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Path)]
struct EventPath {
    /// The incident's id.
    id: IncidentId,
    /// The event's id.
    event: EventId,
}

pub fn routes() -> OpenApiRouter<Arc<dyn TimelineService>> {
    OpenApiRouter::new()
        .routes(routes!(add))
        .routes(routes!(update, delete))
}

/// Adds an event; a `detected` or `recovered` event sets the incident's `detected_at` or
/// `recovered_at`.
#[utoipa::path(post, path = "/incidents/{id}/timeline", tag = "timeline", params(IncidentPath),
    request_body = EventInput,
    responses((status = 201, body = TimelineEvent), (status = 404, body = ErrorBody),
        (status = 422, body = ErrorBody)))]
async fn add(
    State(svc): Svc,
    Caller(by): Caller,
    ApiPath(p): ApiPath<IncidentPath>,
    ApiJson(e): ApiJson<EventInput>,
) -> ApiResult<Response> {
    created(svc.add(&by, p.id, e).await?)
}

/// Changes an event; absent fields keep their value.
#[utoipa::path(patch, path = "/incidents/{id}/timeline/{event}", tag = "timeline",
    params(EventPath), request_body = EventPatch,
    responses((status = 200, body = TimelineEvent), (status = 404, body = ErrorBody),
        (status = 412, body = ErrorBody), (status = 422, body = ErrorBody)))]
async fn update(
    State(svc): Svc,
    Caller(by): Caller,
    ApiPath(p): ApiPath<EventPath>,
    IfMatch(if_match): IfMatch,
    ApiJson(mut patch): ApiJson<EventPatch>,
) -> ApiResult {
    patch.version = if_match.or(patch.version);
    let changed = svc.update(&by, p.id, p.event, patch).await?;
    let version = changed.version;
    tagged(changed, version)
}

/// Deletes an event; the incident's timestamps stay as they are.
#[utoipa::path(delete, path = "/incidents/{id}/timeline/{event}", tag = "timeline",
    params(EventPath), responses((status = 204), (status = 404, body = ErrorBody)))]
async fn delete(
    State(svc): Svc,
    Caller(by): Caller,
    ApiPath(p): ApiPath<EventPath>,
) -> ApiResult<StatusCode> {
    svc.delete(&by, p.id, p.event).await?;
    Ok(StatusCode::NO_CONTENT)
}
