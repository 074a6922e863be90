//! `/alerts`: Alertmanager and Grafana webhooks in, the alert list, linking alerts.

use std::sync::Arc;

use app::domain::{AlertEvent, AlertId, IncidentId, Ingested, Page, Webhook};
use app::queries::AlertQuery;
use app::service::AlertService;
use axum::Json;
use axum::extract::State;
use serde::Deserialize;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use super::ApiResult;
use crate::http::auth::Caller;
use crate::http::error::ErrorBody;
use crate::http::extract::{ApiJson, ApiPath, ApiQuery};

type Svc = State<Arc<dyn AlertService>>;

/// `/alerts/{id}`.
#[derive(Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Path)]
struct AlertPath {
    /// The alert event's id.
    id: AlertId,
}

/// The body of `POST /alerts/{id}/link`.
#[derive(Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
struct LinkBody {
    incident_id: IncidentId,
}

pub fn routes() -> OpenApiRouter<Arc<dyn AlertService>> {
    OpenApiRouter::new()
        .routes(routes!(alertmanager))
        .routes(routes!(grafana))
        .routes(routes!(list))
        .routes(routes!(get))
        .routes(routes!(link, unlink))
}

/// The Alertmanager webhook receiver (`version` "4"; Grafana's `version` "1" is read too).
/// Needs a token with the `ingest` (or `write`) scope. A 2xx means every alert of the body is
/// committed; a refused body stores nothing, so Alertmanager's retry is safe.
#[utoipa::path(post, path = "/alerts/alertmanager", tag = "alerts", request_body = Webhook,
    responses((status = 200, body = Ingested), (status = 400, body = ErrorBody),
        (status = 401, body = ErrorBody), (status = 403, body = ErrorBody),
        (status = 413), (status = 422, body = ErrorBody)))]
async fn alertmanager(
    State(svc): Svc,
    Caller(by): Caller,
    ApiJson(w): ApiJson<Webhook>,
) -> ApiResult<Json<Ingested>> {
    Ok(Json(svc.ingest(&by, w).await?))
}

/// Grafana's webhook contact point; the same as `/alerts/alertmanager`.
#[utoipa::path(post, path = "/alerts/grafana", tag = "alerts", request_body = Webhook,
    responses((status = 200, body = Ingested), (status = 400, body = ErrorBody),
        (status = 401, body = ErrorBody), (status = 403, body = ErrorBody),
        (status = 413), (status = 422, body = ErrorBody)))]
async fn grafana(
    State(svc): Svc,
    Caller(by): Caller,
    ApiJson(w): ApiJson<Webhook>,
) -> ApiResult<Json<Ingested>> {
    Ok(Json(svc.ingest(&by, w).await?))
}

/// Alert events, newest first.
#[utoipa::path(get, path = "/alerts", tag = "alerts", params(AlertQuery),
    responses((status = 200, body = Page<AlertEvent>), (status = 422, body = ErrorBody)))]
async fn list(
    State(svc): Svc,
    Caller(by): Caller,
    ApiQuery(q): ApiQuery<AlertQuery>,
) -> ApiResult<Json<Page<AlertEvent>>> {
    Ok(Json(svc.list(&by, q).await?))
}

/// One alert event with its labels and annotations as sent.
#[utoipa::path(get, path = "/alerts/{id}", tag = "alerts", params(AlertPath),
    responses((status = 200, body = AlertEvent), (status = 404, body = ErrorBody)))]
async fn get(
    State(svc): Svc,
    Caller(by): Caller,
    ApiPath(p): ApiPath<AlertPath>,
) -> ApiResult<Json<AlertEvent>> {
    Ok(Json(svc.get(&by, p.id).await?))
}

/// Links an alert to an incident by hand (its fired and resolved events join the timeline).
#[utoipa::path(post, path = "/alerts/{id}/link", tag = "alerts", params(AlertPath),
    request_body = LinkBody,
    responses((status = 200, body = AlertEvent), (status = 404, body = ErrorBody),
        (status = 422, body = ErrorBody)))]
async fn link(
    State(svc): Svc,
    Caller(by): Caller,
    ApiPath(p): ApiPath<AlertPath>,
    ApiJson(body): ApiJson<LinkBody>,
) -> ApiResult<Json<AlertEvent>> {
    Ok(Json(svc.link(&by, p.id, body.incident_id).await?))
}

/// Unlinks an alert; the timeline events made for it go with it.
#[utoipa::path(delete, path = "/alerts/{id}/link", tag = "alerts", params(AlertPath),
    responses((status = 200, body = AlertEvent), (status = 404, body = ErrorBody)))]
async fn unlink(
    State(svc): Svc,
    Caller(by): Caller,
    ApiPath(p): ApiPath<AlertPath>,
) -> ApiResult<Json<AlertEvent>> {
    Ok(Json(svc.unlink(&by, p.id).await?))
}
