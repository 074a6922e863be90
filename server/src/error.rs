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
            Error::Db(e) if is_busy(&e) => {
                tracing::warn!(error = %e, "database busy; answered 503");
                AppError::Busy {
                    retry_after: BUSY_RETRY_AFTER,
                }
            }
            other => {
                tracing::error!(error = %other, detail = ?other, "storage failure");
                AppError::Internal
            }
        }
    }
}

pub type Result<T, E = Error> = std::result::Result<T, E>;

/// What a busy answer asks the client to wait, in seconds.
pub const BUSY_RETRY_AFTER: u64 = 1;

/// Whether SQLite refused for a lock held elsewhere (SQLITE_BUSY or SQLITE_LOCKED, in any of
/// their extended forms) after the busy timeout, or no pooled connection came free in time.
pub fn is_busy(e: &sqlx::Error) -> bool {
    match e {
        sqlx::Error::PoolTimedOut => true,
        sqlx::Error::Database(db) => db
            .code()
            .and_then(|c| c.parse::<i32>().ok())
            .is_some_and(|code| matches!(code & 0xff, 5 | 6)),
        _ => false,
    }
}
