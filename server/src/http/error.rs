//! `AppError` as an HTTP answer: its status code (decided once, by `AppError::status`) and
//! `{"error": "...", "field": "..."}`.

use app::error::AppError;
use axum::Json;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde::Serialize;

/// The JSON body of every REST API error.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct ErrorBody {
    /// What is wrong, in English.
    pub error: String,
    /// The field or parameter it is about, e.g. `title` or `steps[1].because`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub field: Option<String>,
    /// For 412: the version now and the writes made since the one the change was based on.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(value_type = Object)]
    pub conflict: Option<serde_json::Value>,
}

/// An error answer of the REST API.
#[derive(Debug)]
pub struct ApiError {
    pub status: StatusCode,
    pub body: ErrorBody,
    /// Sent as `Retry-After` (busy, too many attempts).
    pub retry_after: Option<u64>,
}

impl ApiError {
    pub fn new(status: StatusCode, error: impl Into<String>, field: Option<String>) -> Self {
        Self {
            status,
            body: ErrorBody {
                error: error.into(),
                field,
                conflict: None,
            },
            retry_after: None,
        }
    }
}

impl From<AppError> for ApiError {
    fn from(e: AppError) -> Self {
        let status = StatusCode::from_u16(e.status()).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
        let field = e.invalid().map(|i| i.field.clone());
        let mut answer = Self {
            retry_after: e.retry_after(),
            ..Self::new(status, e.to_string(), field)
        };
        if let AppError::Conflict {
            version, changes, ..
        } = &e
        {
            answer.body.conflict =
                Some(serde_json::json!({"version": version, "changes": changes}));
        }
        answer
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let mut response = (self.status, Json(self.body)).into_response();
        if let Some(seconds) = self.retry_after {
            response
                .headers_mut()
                .insert(header::RETRY_AFTER, HeaderValue::from(seconds));
        }
        response
    }
}
