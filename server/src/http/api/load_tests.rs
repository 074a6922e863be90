//! `/load-tests`: summaries in, runs out, comparisons and links to incidents.

use std::sync::Arc;

use app::domain::{
    Comparison, IncidentId, Invalid, LoadTestId, LoadTestRun, Page, Problem, RunMeta, RunRelation,
};
use app::queries::{FromParams, LoadTestQuery, Params};
use app::service::LoadTestService;
use axum::Json;
use axum::extract::State;
use axum::http::header;
use axum::response::{IntoResponse, Response};
use serde::Deserialize;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use super::{ApiResult, created};
use crate::http::auth::Caller;
use crate::http::error::ErrorBody;
use crate::http::extract::{ApiJson, ApiPath, ApiQuery, RawJson};

type Svc = State<Arc<dyn LoadTestService>>;

/// `/load-tests/{id}`.
#[derive(Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Path)]
struct RunPath {
    /// The run's id.
    id: LoadTestId,
}

/// `/load-tests/{id}/links/{incident}`.
#[derive(Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Path)]
struct LinkPath {
    id: LoadTestId,
    incident: IncidentId,
}

/// The run's metadata and, optionally, the incident to link it to, from the query string of
/// `POST /load-tests` (a wrapper body `{"meta", "summary"}` can carry the same).
struct IngestQuery {
    meta: RunMeta,
    link: Option<(IncidentId, RunRelation)>,
}

impl FromParams for IngestQuery {
    fn from_params(p: Params<'_>) -> Result<Self, Invalid> {
        let started_at = p
            .raw("started_at")
            .map(|t| {
                chrono::DateTime::parse_from_rfc3339(t)
                    .map(|t| t.to_utc())
                    .map_err(|_| Invalid::new("started_at", Problem::NotADateTime))
            })
            .transpose()?;
        let meta = RunMeta {
            name: p.text("name").unwrap_or_default(),
            scenario: p.text("scenario").unwrap_or_default(),
            services: p
                .raw("services")
                .map(|s| s.split(',').map(|x| x.trim().to_owned()).collect())
                .unwrap_or_default(),
            environment: p.text("environment").unwrap_or_default(),
            started_at,
            version: p.text("version").unwrap_or_default(),
            notes: p.text("notes").unwrap_or_default(),
        };
        let incident = p
            .raw("incident")
            .map(|v| {
                v.parse::<i64>()
                    .map(IncidentId::from)
                    .map_err(|_| Invalid::new("incident", Problem::NotACount))
            })
            .transpose()?;
        let relation: Option<RunRelation> = p.choice("relation")?;
        let link = match (incident, relation) {
            (Some(i), Some(r)) => Some((i, r)),
            (Some(_), None) => return Err(Invalid::new("relation", Problem::Required)),
            (None, Some(_)) => return Err(Invalid::new("incident", Problem::Required)),
            (None, None) => None,
        };
        Ok(Self { meta, link })
    }
}

/// `/load-tests/compare?baseline=&candidate=`.
#[derive(utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
struct CompareQuery {
    baseline: LoadTestId,
    candidate: LoadTestId,
}

impl FromParams for CompareQuery {
    fn from_params(p: Params<'_>) -> Result<Self, Invalid> {
        let id = |k: &str| -> Result<LoadTestId, Invalid> {
            p.raw(k)
                .ok_or_else(|| Invalid::new(k, Problem::Required))?
                .parse::<i64>()
                .map(LoadTestId::from)
                .map_err(|_| Invalid::new(k, Problem::NotACount))
        };
        Ok(Self {
            baseline: id("baseline")?,
            candidate: id("candidate")?,
        })
    }
}

/// The body of `POST /load-tests/{id}/links`.
#[derive(Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
struct LinkBody {
    incident_id: IncidentId,
    relation: RunRelation,
}

pub fn routes() -> OpenApiRouter<Arc<dyn LoadTestService>> {
    OpenApiRouter::new()
        .routes(routes!(ingest, list))
        .routes(routes!(compare))
        .routes(routes!(get))
        .routes(routes!(raw))
        .routes(routes!(link))
        .routes(routes!(unlink))
}

/// Files a run from its summary: k6 `handleSummary(data)` JSON, k6 `--summary-export` JSON
/// (thresholds `true` there mean failed), or `coupon loadtest --summary-export`; the format is
/// told from the body. Needs a token with the `ingest` or `write` scope.
#[utoipa::path(post, path = "/load-tests", tag = "load-tests",
    params(
        ("name" = Option<String>, Query), ("scenario" = Option<String>, Query),
        ("services" = Option<String>, Query, description = "comma-separated"),
        ("environment" = Option<String>, Query),
        ("started_at" = Option<String>, Query, description = "RFC 3339"),
        ("version" = Option<String>, Query, description = "a version or git ref"),
        ("notes" = Option<String>, Query),
        ("incident" = Option<i64>, Query, description = "an incident to link the run to"),
        ("relation" = Option<RunRelation>, Query, description = "with `incident`"),
    ),
    request_body(content = Object, description = "a k6 summary, a k6 summary export, a coupon loadtest export, or {\"meta\", \"summary\"}"),
    responses((status = 201, body = LoadTestRun), (status = 400, body = ErrorBody),
        (status = 413), (status = 422, body = ErrorBody)))]
async fn ingest(
    State(svc): Svc,
    Caller(by): Caller,
    ApiQuery(q): ApiQuery<IngestQuery>,
    body: RawJson,
) -> ApiResult<Response> {
    created(
        svc.ingest(&by, q.meta, body.value, body.text, q.link)
            .await?,
    )
}

/// Runs, newest first.
#[utoipa::path(get, path = "/load-tests", tag = "load-tests", params(LoadTestQuery),
    responses((status = 200, body = Page<LoadTestRun>), (status = 422, body = ErrorBody)))]
async fn list(
    State(svc): Svc,
    Caller(by): Caller,
    ApiQuery(q): ApiQuery<LoadTestQuery>,
) -> ApiResult<Json<Page<LoadTestRun>>> {
    Ok(Json(svc.list(&by, q).await?))
}

/// Two runs side by side: every figure both carry with its change, regressions flagged (p99
/// up more than 10 %, the error rate up, a threshold newly failing).
#[utoipa::path(get, path = "/load-tests/compare", tag = "load-tests", params(CompareQuery),
    responses((status = 200, body = Comparison), (status = 404, body = ErrorBody),
        (status = 422, body = ErrorBody)))]
async fn compare(
    State(svc): Svc,
    Caller(by): Caller,
    ApiQuery(q): ApiQuery<CompareQuery>,
) -> ApiResult<Json<Comparison>> {
    Ok(Json(svc.compare(&by, q.baseline, q.candidate).await?))
}

#[utoipa::path(get, path = "/load-tests/{id}", tag = "load-tests", params(RunPath),
    responses((status = 200, body = LoadTestRun), (status = 404, body = ErrorBody)))]
async fn get(
    State(svc): Svc,
    Caller(by): Caller,
    ApiPath(p): ApiPath<RunPath>,
) -> ApiResult<Json<LoadTestRun>> {
    Ok(Json(svc.get(&by, p.id).await?))
}

/// The summary document as it was sent.
#[utoipa::path(get, path = "/load-tests/{id}/raw", tag = "load-tests", params(RunPath),
    responses((status = 200, content_type = "application/json"), (status = 404, body = ErrorBody)))]
async fn raw(
    State(svc): Svc,
    Caller(by): Caller,
    ApiPath(p): ApiPath<RunPath>,
) -> ApiResult<Response> {
    let raw = svc.raw(&by, p.id).await?;
    Ok(([(header::CONTENT_TYPE, "application/json")], raw).into_response())
}

/// Links a run to an incident (`predicted_by`, `reproduced_by`, `verified_fix`).
#[utoipa::path(post, path = "/load-tests/{id}/links", tag = "load-tests", params(RunPath),
    request_body = LinkBody,
    responses((status = 200, body = LoadTestRun), (status = 404, body = ErrorBody),
        (status = 422, body = ErrorBody)))]
async fn link(
    State(svc): Svc,
    Caller(by): Caller,
    ApiPath(p): ApiPath<RunPath>,
    ApiJson(body): ApiJson<LinkBody>,
) -> ApiResult<Json<LoadTestRun>> {
    Ok(Json(
        svc.link(&by, p.id, body.incident_id, body.relation).await?,
    ))
}

#[utoipa::path(delete, path = "/load-tests/{id}/links/{incident}", tag = "load-tests",
    params(LinkPath),
    responses((status = 200, body = LoadTestRun), (status = 404, body = ErrorBody)))]
async fn unlink(
    State(svc): Svc,
    Caller(by): Caller,
    ApiPath(p): ApiPath<LinkPath>,
) -> ApiResult<Json<LoadTestRun>> {
    Ok(Json(svc.unlink(&by, p.id, p.incident).await?))
}
