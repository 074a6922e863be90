//! `POST /import/upload`: a document from the import page's form (multipart, so it works
//! without the WASM bundle). Either way it ends on the import page, which shows the report (or
//! the refusal) kept under a token: a dry run's report with the document, so "Import" needs no
//! second upload.

use std::sync::Arc;

use app::api::KeptImport;
use app::api::reports::ImportReports;
use app::domain::{Actor, Invalid, Problem};
use app::error::AppError;
use app::service::{DocumentService, ImportOptions};
use axum::extract::{Multipart, State};
use axum::response::{IntoResponse, Redirect, Response};

use crate::backend::Backend;
use crate::documents;

#[derive(Clone)]
pub struct Imports {
    pub backend: Arc<Backend>,
    pub reports: ImportReports,
}

/// What the form sent: the file, or the text of a previewed document.
#[derive(Default)]
struct Upload {
    bytes: Option<Vec<u8>>,
    name: String,
    preview: bool,
    apply_matrix: bool,
    apply_targets: bool,
}

async fn read(mut form: Multipart) -> Result<Upload, AppError> {
    let malformed =
        |detail: String| AppError::from(Invalid::new("file", Problem::Malformed { detail }));
    let mut u = Upload::default();
    while let Some(field) = form
        .next_field()
        .await
        .map_err(|e| malformed(e.body_text()))?
    {
        let name = field.name().unwrap_or_default().to_owned();
        let file_name = field.file_name().map(str::to_owned);
        let bytes = field.bytes().await.map_err(|e| malformed(e.body_text()))?;
        match name.as_str() {
            "file" if !bytes.is_empty() => {
                u.name = file_name.unwrap_or_default();
                u.bytes = Some(bytes.to_vec());
            }
            "text" if u.bytes.is_none() && !bytes.is_empty() => u.bytes = Some(bytes.to_vec()),
            "name" if u.name.is_empty() => u.name = String::from_utf8_lossy(&bytes).into_owned(),
            "mode" => u.preview = &bytes[..] == b"preview",
            "apply_matrix" => u.apply_matrix = !bytes.is_empty(),
            "apply_targets" => u.apply_targets = !bytes.is_empty(),
            _ => {}
        }
    }
    Ok(u)
}

pub async fn upload(
    State(s): State<Imports>,
    axum::Extension(by): axum::Extension<Actor>,
    form: Multipart,
) -> Response {
    let result = async {
        let u = read(form).await?;
        let bytes = u
            .bytes
            .ok_or_else(|| AppError::from(Invalid::new("file", Problem::Required)))?;
        let text = documents::decode(bytes)?;
        let options = ImportOptions {
            dry_run: u.preview,
            apply_matrix: u.apply_matrix,
            apply_targets: u.apply_targets,
        };
        let report = s.backend.import(&by, u.name, text.clone(), options).await?;
        let text = (report.dry_run && report.imported_before.is_none()).then_some(text);
        Ok::<_, AppError>(KeptImport {
            report: Some(report),
            error: None,
            text,
        })
    };
    let kept = result.await.unwrap_or_else(|error| KeptImport {
        report: None,
        error: Some(error),
        text: None,
    });
    let token = s.reports.put(kept);
    Redirect::to(&format!("/import?report={token}")).into_response()
}
