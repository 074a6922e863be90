//! `AppError` as an HTTP answer: status code plus `{"error": "...", "field": "..."}`.

use app::error::AppError;
use axum::Json;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use serde::Serialize;

/// The JSON body of every REST API error.
#[derive(Debug, Serialize)]
pub struct ErrorBody {
    pub error: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub field: Option<String>,
}

/// An error answer of the REST API.
#[derive(Debug)]
pub struct ApiError {
    pub status: StatusCode,
    pub body: ErrorBody,
}

impl ApiError {
    pub fn new(status: StatusCode, error: impl Into<String>, field: Option<String>) -> Self {
        Self {
            status,
            body: ErrorBody {
                error: error.into(),
                field,
            },
        }
    }
}

impl From<AppError> for ApiError {
    fn from(e: AppError) -> Self {
        match &e {
            AppError::Invalid(i) => Self::new(
                StatusCode::UNPROCESSABLE_ENTITY,
                i.to_string(),
                Some(i.field.clone()),
            ),
            AppError::NotFound { .. } => Self::new(StatusCode::NOT_FOUND, e.to_string(), None),
            AppError::Internal => Self::new(StatusCode::INTERNAL_SERVER_ERROR, e.to_string(), None),
            AppError::Transport(_) => Self::new(StatusCode::BAD_REQUEST, e.to_string(), None),
        }
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        (self.status, Json(self.body)).into_response()
    }
}
