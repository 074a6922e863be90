//! `/insights`: the managers' figures, the incidents behind each, and CSV.

use std::sync::Arc;

use app::domain::{CsvTable, IncidentRef, Insights, Page};
use app::queries::{BehindQuery, Figure, FromParams, InsightsQuery, Params};
use app::service::InsightsService;
use axum::Json;
use axum::extract::State;
use axum::http::header;
use axum::response::{IntoResponse, Response};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use super::ApiResult;
use crate::http::auth::Caller;
use crate::http::error::ErrorBody;
use crate::http::extract::ApiQuery;

type Svc = State<Arc<dyn InsightsService>>;

pub fn routes() -> OpenApiRouter<Arc<dyn InsightsService>> {
    OpenApiRouter::new()
        .routes(routes!(insights))
        .routes(routes!(behind))
        .routes(routes!(csv))
}

/// TTD, TTA and TTR (mean, median, p90, within target, breaches, excluded) overall, by
/// severity, service, root-cause category and period; action-item follow-through; review
/// discipline; recurring causes; alert noise. Drills are left out unless `drills` says so.
#[utoipa::path(get, path = "/insights", tag = "insights", params(InsightsQuery),
    responses((status = 200, body = Insights), (status = 422, body = ErrorBody)))]
async fn insights(
    State(svc): Svc,
    Caller(by): Caller,
    ApiQuery(q): ApiQuery<InsightsQuery>,
) -> ApiResult<Json<Insights>> {
    Ok(Json(svc.insights(&by, q).await?))
}

/// The incidents one figure counts, newest first: the view's parameters, then the figure's.
#[utoipa::path(get, path = "/insights/incidents", tag = "insights",
    params(InsightsQuery, Figure),
    responses((status = 200, body = Page<IncidentRef>), (status = 422, body = ErrorBody)))]
async fn behind(
    State(svc): Svc,
    Caller(by): Caller,
    ApiQuery(q): ApiQuery<BehindQuery>,
) -> ApiResult<Json<Page<IncidentRef>>> {
    Ok(Json(svc.behind(&by, q).await?))
}

/// A table to download: `durations` or `actions`.
struct CsvQuery {
    view: InsightsQuery,
    table: CsvTable,
}

impl FromParams for CsvQuery {
    fn from_params(p: Params<'_>) -> Result<Self, app::domain::Invalid> {
        Ok(Self {
            view: InsightsQuery::from_params(p)?,
            table: p.choice("table")?.unwrap_or(CsvTable::Durations),
        })
    }
}

/// The view as CSV: `table=durations` (a row per group of every breakdown) or
/// `table=actions` (follow-through by owner and horizon).
#[utoipa::path(get, path = "/insights.csv", tag = "insights",
    params(InsightsQuery, ("table" = Option<String>, Query, description = "`durations` (default) or `actions`")),
    responses((status = 200, content_type = "text/csv"), (status = 422, body = ErrorBody)))]
async fn csv(
    State(svc): Svc,
    Caller(by): Caller,
    ApiQuery(q): ApiQuery<CsvQuery>,
) -> ApiResult<Response> {
    let insights = svc.insights(&by, q.view).await?;
    let body = crate::insights::csv::write(&insights, q.table);
    let name = format!("attachment; filename=\"hoego-insights-{}.csv\"", q.table);
    Ok((
        [
            (header::CONTENT_TYPE, "text/csv; charset=utf-8".to_owned()),
            (header::CONTENT_DISPOSITION, name),
        ],
        body,
    )
        .into_response())
}
