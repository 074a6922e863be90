//! `POST /load-tests/upload`: a summary file from the load-test page's form (multipart, so it
//! works without the WASM bundle), filed by the signed-in person and shown.

use std::sync::Arc;

use app::domain::{Actor, IncidentId, RunMeta, RunRelation};
use app::service::LoadTestService;
use axum::extract::{Multipart, State};
use axum::response::{IntoResponse, Redirect, Response};

use crate::backend::Backend;

/// What the form sent.
#[derive(Default)]
struct Upload {
    file: Option<String>,
    meta: RunMeta,
    incident: String,
    relation: String,
}

async fn read(mut form: Multipart) -> Result<Upload, String> {
    let mut u = Upload::default();
    while let Some(field) = form.next_field().await.map_err(|e| e.body_text())? {
        let name = field.name().unwrap_or_default().to_owned();
        let bytes = field.bytes().await.map_err(|e| e.body_text())?;
        let text =
            String::from_utf8(bytes.to_vec()).map_err(|_| format!("{name}: not UTF-8 text"))?;
        match name.as_str() {
            "file" => u.file = Some(text),
            "name" => u.meta.name = text,
            "scenario" => u.meta.scenario = text,
            "services" => u.meta.services = text.split(',').map(|s| s.trim().to_owned()).collect(),
            "environment" => u.meta.environment = text,
            "notes" => u.meta.notes = text,
            "incident" => u.incident = text,
            "relation" => u.relation = text,
            _ => {}
        }
    }
    Ok(u)
}

fn back(error: &str) -> Response {
    Redirect::to(&format!(
        "/load-tests?upload_error={}",
        urlencoding::encode(error)
    ))
    .into_response()
}

pub async fn upload(
    State(backend): State<Arc<Backend>>,
    axum::Extension(by): axum::Extension<Actor>,
    form: Multipart,
) -> Response {
    let u = match read(form).await {
        Ok(u) => u,
        Err(e) => return back(&e),
    };
    let Some(text) = u.file.filter(|t| !t.trim().is_empty()) else {
        return back("file: choose a summary file");
    };
    let doc: serde_json::Value = match serde_json::from_str(&text) {
        Ok(d) => d,
        Err(e) => return back(&format!("file: not JSON ({e})")),
    };
    let link = match u.incident.trim() {
        "" => None,
        id => match (id.parse::<i64>(), RunRelation::parse(u.relation.trim())) {
            (Ok(id), Some(r)) => Some((IncidentId::from(id), r)),
            _ => return back("incident: a number, with a relation"),
        },
    };
    match backend.ingest(&by, u.meta, doc, text, link).await {
        Ok(run) => Redirect::to(&format!("/load-tests/{}", run.id)).into_response(),
        Err(e) => back(&e.to_string()),
    }
}
