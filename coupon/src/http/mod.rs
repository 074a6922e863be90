//! The HTTP surface: routes, thin handlers over [`Service`], request parsing with errors that
//! name the field, and the request-duration histogram. The service's errors become statuses
//! here, in [`error`], and nowhere else.
//!
//! Creating an event (`POST /api/events`) and the fault endpoints (`/admin/faults*`, mounted
//! only with `--enable-faults`) need the admin token; reading an event, issuing and top
//! products are the public API of a coupon drop and need none. Every body must be declared
//! as JSON. Both checks are in [`guard`].

pub mod error;
pub mod guard;

use std::collections::HashMap;
use std::sync::Arc;
use std::time::Instant;

use axum::Json;
use axum::Router;
use axum::extract::{MatchedPath, Path, Query, Request, State};
use axum::http::StatusCode;
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post, put};
use serde::Deserialize;
use serde::de::DeserializeOwned;
use serde_json::json;

use crate::admin::AdminToken;
use crate::error::Invalid;
use crate::faults::{FaultChange, FaultTarget};
use crate::issue::{self, valid_user_id};
use crate::products::MAX_LIMIT;
use crate::service::Service;

pub use self::error::ApiError;
use self::guard::JsonBody;

type Svc = State<Arc<Service>>;

/// The service's routes. `enable_faults` mounts `/admin/faults*`; `admin_token` is what they
/// and `POST /api/events` require (without one they answer 403 to everyone).
pub fn router(svc: Arc<Service>, enable_faults: bool, admin_token: Option<AdminToken>) -> Router {
    let mut admin = Router::new().route("/api/events", post(create_event));
    if enable_faults {
        admin = admin
            .route("/admin/faults", get(faults_state).delete(reset_faults))
            .route("/admin/faults/{target}", put(set_fault).delete(reset_fault));
    }
    let admin = admin.route_layer(middleware::from_fn_with_state(
        Arc::new(admin_token),
        guard::require_admin,
    ));
    let api = Router::new()
        .route("/api/events/{id}", get(event_status))
        .route("/api/events/{id}/issue", post(issue_coupon))
        .route("/api/products/top", get(top_products))
        .merge(admin);
    api.route_layer(middleware::from_fn_with_state(svc.clone(), track))
        .route("/metrics", get(metrics))
        .route("/healthz", get(|| async { "ok" }))
        .route("/readyz", get(ready))
        .fallback(|| async { ApiError::NotFound("no such route".into()) })
        .with_state(svc)
}

/// Observes every API request in `coupon_http_request_duration_seconds`.
async fn track(State(svc): Svc, path: MatchedPath, request: Request, next: Next) -> Response {
    let method = request.method().clone();
    let start = Instant::now();
    let response = next.run(request).await;
    svc.metrics
        .http_duration
        .with_label_values(&[path.as_str(), method.as_str(), response.status().as_str()])
        .observe(start.elapsed().as_secs_f64());
    response
}

/// The fields the request bodies have; a type error in one of them is reported under its name.
const BODY_FIELDS: &[&str] = &[
    "user_id",
    "name",
    "stock",
    "latency_ms",
    "unreachable",
    "pool_size",
];

/// Parses a JSON body: not JSON is 400; a field of the wrong type is 422 naming the field.
fn parse<T: DeserializeOwned>(body: &[u8]) -> Result<T, ApiError> {
    let de = &mut serde_json::Deserializer::from_slice(body);
    serde_path_to_error::deserialize(de).map_err(|e| {
        let field = e.path().to_string();
        let inner = e.into_inner();
        if inner.is_data() {
            let field = BODY_FIELDS
                .iter()
                .find(|f| **f == field)
                .copied()
                .unwrap_or("body");
            ApiError::invalid(field, format!("{field}: {inner}"))
        } else {
            ApiError::BadRequest {
                message: format!("request body is not valid JSON: {inner}"),
                field: None,
            }
        }
    })
}

fn event_id(raw: &str) -> Result<u64, ApiError> {
    raw.parse::<u64>()
        .ok()
        .filter(|&id| id > 0)
        .ok_or_else(|| ApiError::BadRequest {
            message: format!("event id must be a positive integer, not {raw:?}"),
            field: Some("id"),
        })
}

#[derive(Deserialize)]
struct NewEvent {
    name: Option<String>,
    stock: Option<i64>,
}

async fn create_event(
    State(svc): Svc,
    JsonBody(body): JsonBody,
) -> Result<impl IntoResponse, ApiError> {
    let req: NewEvent = parse(&body)?;
    let name = req.name.ok_or(Invalid::Missing("name"))?;
    let stock = req.stock.ok_or(Invalid::Missing("stock"))?;
    let event = svc.create_event(&name, stock).await?;
    Ok((StatusCode::CREATED, Json(event)))
}

async fn event_status(
    State(svc): Svc,
    Path(id): Path<String>,
) -> Result<impl IntoResponse, ApiError> {
    Ok(Json(svc.event_status(event_id(&id)?).await?))
}

/// A user id may be sent as a string or a number (load tools often send numbers).
#[derive(Deserialize)]
#[serde(untagged)]
enum UserId {
    Text(String),
    Number(u64),
}

#[derive(Deserialize)]
struct IssueRequest {
    user_id: Option<UserId>,
}

async fn issue_coupon(
    State(svc): Svc,
    Path(id): Path<String>,
    JsonBody(body): JsonBody,
) -> Result<impl IntoResponse, ApiError> {
    let event = event_id(&id)?;
    let req: IssueRequest = parse(&body)?;
    let user = match req.user_id {
        Some(UserId::Text(s)) => s,
        Some(UserId::Number(n)) => n.to_string(),
        None => return Err(Invalid::Missing("user_id").into()),
    };
    let coupon = issue::issue(&svc, event, valid_user_id(&user)?).await?;
    Ok((StatusCode::CREATED, Json(coupon)))
}

async fn top_products(
    State(svc): Svc,
    Query(params): Query<HashMap<String, String>>,
) -> Result<impl IntoResponse, ApiError> {
    let limit = match params.get("limit") {
        None => 10,
        Some(raw) => raw
            .parse::<u32>()
            .ok()
            .filter(|n| (1..=MAX_LIMIT).contains(n))
            .ok_or_else(|| {
                ApiError::invalid(
                    "limit",
                    format!("limit must be a whole number from 1 to {MAX_LIMIT}"),
                )
            })?,
    };
    let (products, source) = svc.top_products(limit).await?;
    Ok(Json(json!({ "products": products, "source": source })))
}

async fn metrics(State(svc): Svc) -> impl IntoResponse {
    (
        [(
            axum::http::header::CONTENT_TYPE,
            "text/plain; version=0.0.4",
        )],
        svc.render_metrics(),
    )
}

/// Ready when Redis, MySQL and the broker all answer; the body says which does not.
async fn ready(State(svc): Svc) -> Response {
    let redis = svc.redis.ping().await;
    let mysql = svc.db.ping().await;
    let broker = svc.producer.ping(svc.broker_timeout).await;
    let show = |r: &crate::error::Result<()>| match r {
        Ok(()) => "ok".to_owned(),
        Err(e) => e.to_string(),
    };
    let status = if redis.is_ok() && mysql.is_ok() && broker.is_ok() {
        StatusCode::OK
    } else {
        StatusCode::SERVICE_UNAVAILABLE
    };
    (
        status,
        Json(json!({ "redis": show(&redis), "mysql": show(&mysql), "broker": show(&broker) })),
    )
        .into_response()
}

fn fault_target(raw: &str) -> Result<FaultTarget, ApiError> {
    FaultTarget::parse(raw).ok_or_else(|| {
        ApiError::NotFound(format!(
            "no fault target {raw:?}; use redis, mysql, producer or consumer"
        ))
    })
}

async fn faults_state(State(svc): Svc) -> impl IntoResponse {
    Json(svc.faults.state())
}

async fn set_fault(
    State(svc): Svc,
    Path(target): Path<String>,
    JsonBody(body): JsonBody,
) -> Result<impl IntoResponse, ApiError> {
    let target = fault_target(&target)?;
    let change: FaultChange = parse(&body)?;
    svc.apply_fault(target, change).await?;
    tracing::warn!(target = target.as_str(), faults = ?svc.faults.state(), "fault injected");
    Ok(Json(svc.faults.state()))
}

async fn reset_fault(
    State(svc): Svc,
    Path(target): Path<String>,
) -> Result<impl IntoResponse, ApiError> {
    svc.reset_fault(fault_target(&target)?).await?;
    Ok(Json(svc.faults.state()))
}

async fn reset_faults(State(svc): Svc) -> Result<impl IntoResponse, ApiError> {
    for target in FaultTarget::ALL {
        svc.reset_fault(target).await?;
    }
    tracing::info!("all faults reset");
    Ok(Json(svc.faults.state()))
}
