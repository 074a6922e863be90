//! The one error type that crosses the server/browser boundary.
//!
//! Policy: library code below the boundary returns typed errors (`Invalid` for input, storage
//! errors inside the server crate); at the boundary everything becomes an [`AppError`]. The REST
//! API maps it to a status code and `{"error", "field"}` JSON; the UI renders it next to the field
//! it names. Internal details are logged on the server and never sent to a browser.

use serde::{Deserialize, Serialize};

use crate::domain::Invalid;

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, thiserror::Error)]
pub enum AppError {
    /// The input was rejected; nothing was written.
    #[error(transparent)]
    Invalid(#[from] Invalid),
    /// No such incident (or child of it).
    #[error("{what} not found")]
    NotFound { what: String },
    /// Nobody signed in (or the token is unknown or revoked).
    #[error("sign in first (or send a valid API token)")]
    Unauthorized,
    /// Signed in, but without the role or token scope this needs.
    #[error("not allowed with your role or token")]
    Forbidden,
    /// Too many attempts; try again after this many seconds.
    #[error("too many attempts; try again in {retry_after} seconds")]
    TooManyRequests { retry_after: u64 },
    /// The database stayed locked by another writer (another process, or a long write) for
    /// longer than hoego waits; nothing was written, and the same request can be sent again.
    #[error("the database is busy; nothing was written; try again in {retry_after} s")]
    Busy { retry_after: u64 },
    /// The record was written after the version the change was made from; nothing was
    /// written. `changes` are the writes since, oldest first.
    #[error(
        "changed by someone else since version {based_on} (now version {version}); nothing was written"
    )]
    Conflict {
        based_on: i64,
        version: i64,
        changes: Vec<crate::domain::Change>,
    },
    /// Something failed on the server; the cause is in the server log.
    #[error("internal error, see the server log")]
    Internal,
    /// The server-function transport failed (network, encoding).
    #[error("{0}")]
    Transport(String),
}

impl AppError {
    pub fn not_found(what: impl Into<String>) -> Self {
        Self::NotFound { what: what.into() }
    }

    /// The HTTP status this error answers with, the same from the REST API and from a
    /// server function: refused input is the client's doing, so not a 500.
    pub fn status(&self) -> u16 {
        match self {
            AppError::Invalid(_) => 422,
            AppError::NotFound { .. } => 404,
            AppError::Unauthorized => 401,
            AppError::Forbidden => 403,
            AppError::TooManyRequests { .. } => 429,
            AppError::Transport(_) => 400,
            AppError::Busy { .. } => 503,
            AppError::Conflict { .. } => 412,
            AppError::Internal => 500,
        }
    }

    /// Seconds to wait before asking again, for the answers that say so (`Retry-After`).
    pub fn retry_after(&self) -> Option<u64> {
        match self {
            AppError::TooManyRequests { retry_after } | AppError::Busy { retry_after } => {
                Some(*retry_after)
            }
            _ => None,
        }
    }

    /// The invalid field, if this is a validation error.
    pub fn invalid(&self) -> Option<&Invalid> {
        match self {
            AppError::Invalid(i) => Some(i),
            _ => None,
        }
    }
}

impl leptos::server_fn::error::FromServerFnError for AppError {
    type Encoder = leptos::server_fn::codec::JsonEncoding;

    fn from_server_fn_error(e: leptos::server_fn::error::ServerFnErrorErr) -> Self {
        AppError::Transport(e.to_string())
    }
}
