//! `/imports`: Markdown documents in (a pre-mortem's scenarios, a postmortem's incident).

use std::sync::Arc;

use app::domain::{ImportReport, Invalid};
use app::error::AppError;
use app::queries::{FromParams, Params};
use app::service::{DocumentService, ImportOptions};
use axum::Json;
use axum::body::Bytes;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::IntoResponse;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use super::ApiResult;
use crate::documents;
use crate::http::auth::Caller;
use crate::http::error::ErrorBody;
use crate::http::extract::ApiQuery;

type Svc = State<Arc<dyn DocumentService>>;

/// `POST /imports?name=&dry_run=&apply_matrix=&apply_targets=`.
#[derive(utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
struct ImportQuery {
    /// The file's name, kept with the document.
    name: String,
    /// Report what would be created; create nothing.
    dry_run: bool,
    /// Write the report's alert matrix into its scenarios' matching metrics.
    apply_matrix: bool,
    /// Save the report's MTTD/MTTR targets as hoego's, from the next start (a manager's).
    apply_targets: bool,
}

impl FromParams for ImportQuery {
    fn from_params(p: Params<'_>) -> Result<Self, Invalid> {
        let flag = |k: &str| match p.raw(k) {
            None | Some("false" | "no" | "0") => Ok(false),
            Some("" | "true" | "yes" | "1") => Ok(true),
            Some(_) => Err(Invalid::unknown_value(k, &["true", "false"])),
        };
        Ok(Self {
            name: p.text("name").unwrap_or_default(),
            dry_run: flag("dry_run")?,
            apply_matrix: flag("apply_matrix")?,
            apply_targets: flag("apply_targets")?,
        })
    }
}

pub fn routes() -> OpenApiRouter<Arc<dyn DocumentService>> {
    OpenApiRouter::new().routes(routes!(import))
}

/// Imports a Markdown document sent as the body (any text type): a pre-mortem report yields
/// its failure scenarios, a postmortem its incident with timeline, 5-Why chains and action
/// items. 201 with what was created; 200 for a dry run or a document imported before (nothing
/// is created twice).
#[utoipa::path(post, path = "/imports", tag = "documents", params(ImportQuery),
    request_body(content = String, content_type = "text/markdown"),
    responses((status = 201, body = ImportReport), (status = 200, body = ImportReport),
        (status = 413), (status = 422, body = ErrorBody)))]
async fn import(
    State(svc): Svc,
    Caller(by): Caller,
    ApiQuery(q): ApiQuery<ImportQuery>,
    body: Bytes,
) -> ApiResult {
    let text = documents::decode(body.to_vec()).map_err(AppError::from)?;
    let options = ImportOptions {
        dry_run: q.dry_run,
        apply_matrix: q.apply_matrix,
        apply_targets: q.apply_targets,
    };
    let report = svc.import(&by, q.name, text, options).await?;
    let status = if report.dry_run || report.imported_before.is_some() {
        StatusCode::OK
    } else {
        StatusCode::CREATED
    };
    Ok((status, Json(report)).into_response())
}
