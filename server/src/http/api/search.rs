//! `/search`, `/incidents/{id}/similar` and `/root-causes`.

use std::sync::Arc;

use app::domain::{Invalid, RootCauseReport, SearchHit, SearchQuery, SearchResults, SimilarQuery};
use app::queries::{FromParams, Params};
use app::service::SearchService;
use axum::Json;
use axum::extract::State;
use serde::Serialize;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use super::ApiResult;
use super::incidents::IncidentPath;
use crate::http::auth::Caller;
use crate::http::error::ErrorBody;
use crate::http::extract::{ApiPath, ApiQuery};

type Svc = State<Arc<dyn SearchService>>;

pub fn routes() -> OpenApiRouter<Arc<dyn SearchService>> {
    OpenApiRouter::new()
        .routes(routes!(search))
        .routes(routes!(similar))
        .routes(routes!(root_causes))
}

/// Full-text search over every postmortem, best first (newest first without `q`). `snippet` is
/// escaped HTML with `<mark>`; `from`/`to` are days in the display zone.
#[utoipa::path(get, path = "/search", tag = "search", params(SearchQuery),
    responses((status = 200, body = SearchResults), (status = 422, body = ErrorBody)))]
async fn search(
    State(svc): Svc,
    Caller(by): Caller,
    ApiQuery(q): ApiQuery<SearchQuery>,
) -> ApiResult<Json<SearchResults>> {
    Ok(Json(svc.search(&by, q).await?))
}

/// The answer of `/incidents/{id}/similar`.
#[derive(Serialize, utoipa::ToSchema)]
struct Similar {
    /// Best first, without snippets.
    items: Vec<SearchHit>,
}

/// The incidents most like this one.
#[utoipa::path(get, path = "/incidents/{id}/similar", tag = "search",
    params(IncidentPath, SimilarQuery),
    responses((status = 200, body = Similar), (status = 404, body = ErrorBody),
        (status = 422, body = ErrorBody)))]
async fn similar(
    State(svc): Svc,
    Caller(by): Caller,
    ApiPath(p): ApiPath<IncidentPath>,
    ApiQuery(q): ApiQuery<SimilarQuery>,
) -> ApiResult<Json<Similar>> {
    let items = svc.similar(&by, p.id, q.limit).await?;
    Ok(Json(Similar { items }))
}

/// `/root-causes?q=`.
#[derive(utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
struct RootCauseQuery {
    /// Only chains that mention these words.
    q: String,
}

impl FromParams for RootCauseQuery {
    fn from_params(p: Params<'_>) -> Result<Self, Invalid> {
        Ok(Self {
            q: p.text("q").unwrap_or_default(),
        })
    }
}

/// Every 5-Why conclusion grouped by category, largest group first.
#[utoipa::path(get, path = "/root-causes", tag = "search", params(RootCauseQuery),
    responses((status = 200, body = RootCauseReport)))]
async fn root_causes(
    State(svc): Svc,
    Caller(by): Caller,
    ApiQuery(q): ApiQuery<RootCauseQuery>,
) -> ApiResult<Json<RootCauseReport>> {
    Ok(Json(svc.root_causes(&by, q.q).await?))
}
