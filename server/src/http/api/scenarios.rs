//! `/scenarios` and `/incidents/{id}/scenarios`: failure scenarios, and incidents following a
//! scenario's plan.

use std::sync::Arc;

use app::domain::{IncidentId, IncidentScenario, Page, Scenario, ScenarioId, ScenarioInput};
use app::queries::ScenarioQuery;
use app::service::ScenarioService;
use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::IntoResponse;
use chrono::{DateTime, Utc};
use serde::Deserialize;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use super::{ApiResult, created};
use crate::http::auth::Caller;
use crate::http::error::ErrorBody;
use crate::http::extract::{ApiJson, ApiPath, ApiQuery, OptionalJson};

type Svc = State<Arc<dyn ScenarioService>>;

/// `/scenarios/{id}`.
#[derive(Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Path)]
struct ScenarioPath {
    /// The scenario's id.
    id: ScenarioId,
}

/// `/incidents/{id}/scenarios/{scenario}`.
#[derive(Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Path)]
struct LinkPath {
    id: IncidentId,
    scenario: ScenarioId,
}

/// `/incidents/{id}/scenarios/{scenario}/steps/{step}`.
#[derive(Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Path)]
struct StepPath {
    id: IncidentId,
    scenario: ScenarioId,
    /// The step's id within the scenario's plan.
    step: u32,
}

/// `/incidents/{id}/scenarios`.
#[derive(Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Path)]
struct IncidentPath {
    id: IncidentId,
}

/// The body of `POST /incidents/{id}/scenarios`.
#[derive(Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
struct LinkBody {
    scenario_id: ScenarioId,
}

/// The body of `POST …/steps/{step}`: when the step was done (now if left out).
#[derive(Deserialize, Default, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
struct TickBody {
    #[serde(default)]
    at: Option<DateTime<Utc>>,
}

pub fn routes() -> OpenApiRouter<Arc<dyn ScenarioService>> {
    OpenApiRouter::new()
        .routes(routes!(list, create))
        .routes(routes!(get, replace, delete))
        .routes(routes!(of_incident, link))
        .routes(routes!(unlink))
        .routes(routes!(tick, untick))
}

/// Scenarios, most severe first.
#[utoipa::path(get, path = "/scenarios", tag = "scenarios", params(ScenarioQuery),
    responses((status = 200, body = Page<Scenario>), (status = 422, body = ErrorBody)))]
async fn list(
    State(svc): Svc,
    Caller(by): Caller,
    ApiQuery(q): ApiQuery<ScenarioQuery>,
) -> ApiResult<Json<Page<Scenario>>> {
    Ok(Json(svc.list(&by, q).await?))
}

#[utoipa::path(post, path = "/scenarios", tag = "scenarios", request_body = ScenarioInput,
    responses((status = 201, body = Scenario), (status = 400, body = ErrorBody),
        (status = 422, body = ErrorBody)))]
async fn create(
    State(svc): Svc,
    Caller(by): Caller,
    ApiJson(input): ApiJson<ScenarioInput>,
) -> ApiResult {
    created(svc.create(&by, input).await?)
}

#[utoipa::path(get, path = "/scenarios/{id}", tag = "scenarios", params(ScenarioPath),
    responses((status = 200, body = Scenario), (status = 404, body = ErrorBody)))]
async fn get(
    State(svc): Svc,
    Caller(by): Caller,
    ApiPath(p): ApiPath<ScenarioPath>,
) -> ApiResult<Json<Scenario>> {
    Ok(Json(svc.get(&by, p.id).await?))
}

/// Replaces the scenario. Steps whose text is unchanged keep their ids, so incidents' ticks
/// stay on them.
#[utoipa::path(put, path = "/scenarios/{id}", tag = "scenarios", params(ScenarioPath),
    request_body = ScenarioInput,
    responses((status = 200, body = Scenario), (status = 404, body = ErrorBody),
        (status = 422, body = ErrorBody)))]
async fn replace(
    State(svc): Svc,
    Caller(by): Caller,
    ApiPath(p): ApiPath<ScenarioPath>,
    ApiJson(input): ApiJson<ScenarioInput>,
) -> ApiResult<Json<Scenario>> {
    Ok(Json(svc.update(&by, p.id, input).await?))
}

#[utoipa::path(delete, path = "/scenarios/{id}", tag = "scenarios", params(ScenarioPath),
    responses((status = 204), (status = 404, body = ErrorBody)))]
async fn delete(
    State(svc): Svc,
    Caller(by): Caller,
    ApiPath(p): ApiPath<ScenarioPath>,
) -> ApiResult {
    svc.delete(&by, p.id).await?;
    Ok(StatusCode::NO_CONTENT.into_response())
}

/// The incident's scenarios, each plan a checklist: deadlines from `detected_at`, each stage's
/// adherence (`met`, `missed`, `open`, `unknown`).
#[utoipa::path(get, path = "/incidents/{id}/scenarios", tag = "scenarios", params(IncidentPath),
    responses((status = 200, body = Vec<IncidentScenario>), (status = 404, body = ErrorBody)))]
async fn of_incident(
    State(svc): Svc,
    Caller(by): Caller,
    ApiPath(p): ApiPath<IncidentPath>,
) -> ApiResult<Json<Vec<IncidentScenario>>> {
    Ok(Json(svc.of_incident(&by, p.id).await?))
}

#[utoipa::path(post, path = "/incidents/{id}/scenarios", tag = "scenarios", params(IncidentPath),
    request_body = LinkBody,
    responses((status = 200, body = Vec<IncidentScenario>), (status = 404, body = ErrorBody),
        (status = 422, body = ErrorBody)))]
async fn link(
    State(svc): Svc,
    Caller(by): Caller,
    ApiPath(p): ApiPath<IncidentPath>,
    ApiJson(body): ApiJson<LinkBody>,
) -> ApiResult<Json<Vec<IncidentScenario>>> {
    Ok(Json(svc.link(&by, p.id, body.scenario_id).await?))
}

/// Unlinks; the timeline events of its ticked steps stay.
#[utoipa::path(delete, path = "/incidents/{id}/scenarios/{scenario}", tag = "scenarios",
    params(LinkPath),
    responses((status = 200, body = Vec<IncidentScenario>), (status = 404, body = ErrorBody)))]
async fn unlink(
    State(svc): Svc,
    Caller(by): Caller,
    ApiPath(p): ApiPath<LinkPath>,
) -> ApiResult<Json<Vec<IncidentScenario>>> {
    Ok(Json(svc.unlink(&by, p.id, p.scenario).await?))
}

/// Ticks a step of the plan: adds a timeline event naming it, at `at` or now.
#[utoipa::path(post, path = "/incidents/{id}/scenarios/{scenario}/steps/{step}",
    tag = "scenarios", params(StepPath), request_body = TickBody,
    responses((status = 200, body = Vec<IncidentScenario>), (status = 404, body = ErrorBody),
        (status = 422, body = ErrorBody)))]
async fn tick(
    State(svc): Svc,
    Caller(by): Caller,
    ApiPath(p): ApiPath<StepPath>,
    OptionalJson(body): OptionalJson<TickBody>,
) -> ApiResult<Json<Vec<IncidentScenario>>> {
    let at = body.and_then(|b| b.at);
    Ok(Json(svc.tick(&by, p.id, p.scenario, p.step, at).await?))
}

/// Un-ticks a step: its timeline event is removed.
#[utoipa::path(delete, path = "/incidents/{id}/scenarios/{scenario}/steps/{step}",
    tag = "scenarios", params(StepPath),
    responses((status = 200, body = Vec<IncidentScenario>), (status = 404, body = ErrorBody)))]
async fn untick(
    State(svc): Svc,
    Caller(by): Caller,
    ApiPath(p): ApiPath<StepPath>,
) -> ApiResult<Json<Vec<IncidentScenario>>> {
    Ok(Json(svc.untick(&by, p.id, p.scenario, p.step).await?))
}
