//! Error policy for the server crate.
//!
//! - Storage code returns [`Error`]: an [`AppError`] it decided on (invalid input, not found),
//!   or a database failure it did not expect.
//! - At the boundary (`impl From<Error> for AppError`) unexpected failures are logged with their
//!   cause chain and become `AppError::Internal`; nothing about them reaches the client.
//! - The REST API turns `AppError` into a status and JSON body in `http::error`; server
//!   functions send it to the page as is.
//! - Start-up and commands use `anyhow` with context.

use app::domain::Invalid;
use app::error::AppError;

#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error(transparent)]
    App(#[from] AppError),
    #[error("database: {0}")]
    Db(#[from] sqlx::Error),
    #[error("search index: {0}")]
    Search(#[from] tantivy::TantivyError),
    /// A background task (index commits run on blocking threads) panicked or was cancelled.
    #[error("background task: {0}")]
    Task(#[from] tokio::task::JoinError),
    /// A stored value the code cannot read (a CHECK constraint should make this impossible).
    #[error("corrupt row: {0}")]
    Corrupt(String),
}

impl From<Invalid> for Error {
    fn from(e: Invalid) -> Self {
        Error::App(AppError::Invalid(e))
    }
}

impl From<Error> for AppError {
    fn from(e: Error) -> Self {
        match e {
            Error::App(app) => app,
            other => {
                tracing::error!(error = %other, detail = ?other, "storage failure");
                AppError::Internal
            }
        }
    }
}

pub type Result<T, E = Error> = std::result::Result<T, E>;
