//! The REST API under `/api/v1`: 3-line adapters from HTTP to the service.

use std::collections::HashMap;

use app::domain::*;
use app::queries::{ActionQuery, IncidentQuery};
use app::service::Svc;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::{Json, Router};

use super::error::ApiError;
use super::json::{ApiJson, Ids};

type ApiResult = Result<Response, ApiError>;

fn ok<T: serde::Serialize>(value: T) -> ApiResult {
    Ok(Json(value).into_response())
}

fn created<T: serde::Serialize>(value: T) -> ApiResult {
    Ok((StatusCode::CREATED, Json(value)).into_response())
}

fn no_content() -> ApiResult {
    Ok(StatusCode::NO_CONTENT.into_response())
}

pub fn routes() -> Router<Svc> {
    Router::new()
        .route("/incidents", get(list_incidents).post(create_incident))
        .route(
            "/incidents/{id}",
            get(get_incident)
                .patch(update_incident)
                .delete(delete_incident),
        )
        .route("/incidents/{id}/timeline", axum::routing::post(add_event))
        .route(
            "/incidents/{id}/timeline/{event}",
            axum::routing::patch(update_event).delete(delete_event),
        )
        .route("/incidents/{id}/five-whys", axum::routing::post(add_chain))
        .route(
            "/incidents/{id}/five-whys/{chain}",
            axum::routing::patch(update_chain).delete(delete_chain),
        )
        .route(
            "/incidents/{id}/action-items",
            axum::routing::post(add_action),
        )
        .route(
            "/incidents/{id}/action-items/{item}",
            axum::routing::patch(update_action).delete(delete_action),
        )
        .route("/action-items", get(list_action_items))
        .route("/search", get(search))
        .route("/incidents/{id}/similar", get(similar))
        .route("/root-causes", get(root_causes))
        .fallback(|| async { ApiError::new(StatusCode::NOT_FOUND, "no such endpoint", None) })
}

async fn list_incidents(
    State(svc): State<Svc>,
    Query(q): Query<HashMap<String, String>>,
) -> ApiResult {
    let q = IncidentQuery::from_params(&q).map_err(app::error::AppError::from)?;
    ok(svc.list_incidents(q).await?)
}

async fn create_incident(State(svc): State<Svc>, ApiJson(f): ApiJson<IncidentFields>) -> ApiResult {
    created(svc.create_incident(f).await?)
}

async fn get_incident(State(svc): State<Svc>, Ids(ids): Ids) -> ApiResult {
    ok(svc.incident(ids[0]).await?)
}

async fn update_incident(
    State(svc): State<Svc>,
    Ids(ids): Ids,
    ApiJson(p): ApiJson<IncidentPatch>,
) -> ApiResult {
    ok(svc.update_incident(ids[0], p).await?)
}

async fn delete_incident(State(svc): State<Svc>, Ids(ids): Ids) -> ApiResult {
    svc.delete_incident(ids[0]).await?;
    no_content()
}

async fn add_event(
    State(svc): State<Svc>,
    Ids(ids): Ids,
    ApiJson(e): ApiJson<EventInput>,
) -> ApiResult {
    created(svc.add_event(ids[0], e).await?)
}

async fn update_event(
    State(svc): State<Svc>,
    Ids(ids): Ids,
    ApiJson(p): ApiJson<EventPatch>,
) -> ApiResult {
    ok(svc.update_event(ids[0], ids[1], p).await?)
}

async fn delete_event(State(svc): State<Svc>, Ids(ids): Ids) -> ApiResult {
    svc.delete_event(ids[0], ids[1]).await?;
    no_content()
}

async fn add_chain(
    State(svc): State<Svc>,
    Ids(ids): Ids,
    ApiJson(c): ApiJson<ChainInput>,
) -> ApiResult {
    created(svc.add_chain(ids[0], c).await?)
}

async fn update_chain(
    State(svc): State<Svc>,
    Ids(ids): Ids,
    ApiJson(p): ApiJson<ChainPatch>,
) -> ApiResult {
    ok(svc.update_chain(ids[0], ids[1], p).await?)
}

async fn delete_chain(State(svc): State<Svc>, Ids(ids): Ids) -> ApiResult {
    svc.delete_chain(ids[0], ids[1]).await?;
    no_content()
}

async fn add_action(
    State(svc): State<Svc>,
    Ids(ids): Ids,
    ApiJson(a): ApiJson<ActionInput>,
) -> ApiResult {
    created(svc.add_action(ids[0], a).await?)
}

async fn update_action(
    State(svc): State<Svc>,
    Ids(ids): Ids,
    ApiJson(p): ApiJson<ActionPatch>,
) -> ApiResult {
    ok(svc.update_action(ids[0], ids[1], p).await?)
}

async fn delete_action(State(svc): State<Svc>, Ids(ids): Ids) -> ApiResult {
    svc.delete_action(ids[0], ids[1]).await?;
    no_content()
}

async fn list_action_items(
    State(svc): State<Svc>,
    Query(q): Query<HashMap<String, String>>,
) -> ApiResult {
    let q = ActionQuery::from_params(&q).map_err(app::error::AppError::from)?;
    ok(svc.list_action_items(q).await?)
}

async fn search(State(svc): State<Svc>, Query(q): Query<HashMap<String, String>>) -> ApiResult {
    let q = SearchQuery::from_params(&q).map_err(app::error::AppError::from)?;
    ok(svc.search(q).await?)
}

/// `{ "items": [hits without snippets] }`, best first; `limit` 1–20, default 5.
async fn similar(
    State(svc): State<Svc>,
    Ids(ids): Ids,
    Query(q): Query<HashMap<String, String>>,
) -> ApiResult {
    let limit = match q.get("limit").map(|v| v.trim()) {
        None | Some("") => 5,
        Some(v) => v
            .parse::<usize>()
            .ok()
            .filter(|n| (1..=20).contains(n))
            .ok_or_else(|| app::error::AppError::from(Invalid::new("limit", Problem::NotACount)))?,
    };
    svc.incident(ids[0]).await?;
    ok(serde_json::json!({ "items": svc.similar(ids[0], limit).await? }))
}

async fn root_causes(
    State(svc): State<Svc>,
    Query(q): Query<HashMap<String, String>>,
) -> ApiResult {
    ok(svc
        .root_causes(q.get("q").cloned().unwrap_or_default())
        .await?)
}
