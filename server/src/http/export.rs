//! Documents to download from the pages: `/incidents/{id}/export.md` (imports back to the same
//! incident), `/incidents/{id}/export.html` (printable), `/scenarios/{id}/export.md` (the seed's
//! shape), in the reader's language (`?lang=ko|en` overrides it).

use std::sync::Arc;

use app::domain::{Actor, IncidentId, ScenarioId};
use app::service::{IncidentService, ScenarioService};
use app::ui::lang::{Lang, from_headers};
use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, HeaderValue, header};
use axum::response::{IntoResponse, Response};
use serde::Deserialize;

use super::error::ApiError;
use crate::backend::Backend;
use crate::documents::export;

#[derive(Deserialize)]
pub struct LangQuery {
    lang: Option<String>,
}

fn lang(q: &LangQuery, headers: &HeaderMap) -> Lang {
    q.lang
        .as_deref()
        .and_then(Lang::parse)
        .unwrap_or_else(|| from_headers(headers))
}

/// `text/markdown` as an attachment named `name`.
pub fn markdown_file(name: &str, body: String) -> Response {
    let disposition = format!(
        "attachment; filename=\"{}\"",
        name.replace(['"', '\\', '/'], "_")
    );
    let mut response = (
        [(header::CONTENT_TYPE, "text/markdown; charset=utf-8")],
        body,
    )
        .into_response();
    if let Ok(v) = HeaderValue::from_str(&disposition) {
        response
            .headers_mut()
            .insert(header::CONTENT_DISPOSITION, v);
    }
    response
}

pub async fn scenario(
    State(backend): State<Arc<Backend>>,
    axum::Extension(by): axum::Extension<Actor>,
    Path(id): Path<i64>,
    Query(q): Query<LangQuery>,
    headers: HeaderMap,
) -> Result<Response, ApiError> {
    let s = ScenarioService::get(backend.as_ref(), &by, ScenarioId::from(id)).await?;
    let body = export::scenario_markdown(&s, 1, lang(&q, &headers));
    Ok(markdown_file(&format!("scenario-{id}.md"), body))
}

pub async fn incident_md(
    State(backend): State<Arc<Backend>>,
    axum::Extension(by): axum::Extension<Actor>,
    Path(id): Path<i64>,
) -> Result<Response, ApiError> {
    let d = IncidentService::get(backend.as_ref(), &by, IncidentId::from(id)).await?;
    Ok(markdown_file(
        &format!("incident-{id}.md"),
        export::incident_markdown(&d),
    ))
}

/// The printable page sets its own policy: its styles are inline, and a narrative's images
/// may come from elsewhere; nothing runs.
const PRINT_POLICY: &str =
    "default-src 'none'; style-src 'unsafe-inline'; img-src https: data:; frame-ancestors 'none'";

pub async fn incident_html(
    State(backend): State<Arc<Backend>>,
    axum::Extension(by): axum::Extension<Actor>,
    Path(id): Path<i64>,
    Query(q): Query<LangQuery>,
    headers: HeaderMap,
) -> Result<Response, ApiError> {
    let d = IncidentService::get(backend.as_ref(), &by, IncidentId::from(id)).await?;
    let page = export::incident_html(&d, lang(&q, &headers), backend.settings().tz);
    Ok((
        [
            (header::CONTENT_TYPE, "text/html; charset=utf-8"),
            (header::CONTENT_SECURITY_POLICY, PRINT_POLICY),
        ],
        page,
    )
        .into_response())
}
