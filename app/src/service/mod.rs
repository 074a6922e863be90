//! The seam between the UI and storage (server only): one trait per feature.
//!
//! The pages' server functions (in [`crate::api`]) and the REST API (in the `server` crate) both
//! call these traits; the server implements them over SQLite and the search index. So the app
//! crate carries no database dependency and each write path exists once.
//!
//! Each feature declares its own trait in its own file, and the server provides each trait
//! object through the request context, so a new kind of record adds a file here and one line
//! where the server registers it, never a method on a shared list of every operation.
//!
//! Every write validates its input and writes in one transaction: it succeeds whole or leaves
//! nothing behind.

pub mod accounts;
pub mod action_items;
pub mod alerts;
pub mod audit;
pub mod documents;
pub mod five_whys;
pub mod hooks;
pub mod incidents;
pub mod insights;
pub mod load_tests;
pub mod scenarios;
pub mod search;
pub mod timeline;
pub mod tokens;

use std::sync::Arc;

pub use accounts::{AccountService, NewSession};
pub use action_items::ActionItemService;
pub use alerts::AlertService;
pub use audit::{AuditQuery, AuditService};
pub use documents::{DocumentService, ImportOptions};
pub use five_whys::FiveWhyService;
pub use hooks::HookService;
pub use incidents::IncidentService;
pub use insights::InsightsService;
pub use load_tests::LoadTestService;
pub use scenarios::ScenarioService;
pub use search::SearchService;
pub use timeline::TimelineService;
pub use tokens::TokenService;

use crate::domain::Targets;
use crate::error::AppError;

/// Server-wide settings the pages render with, read once at start.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Settings {
    /// The display time zone: times are shown and entered in it.
    pub tz: chrono_tz::Tz,
    pub targets: Targets,
}

/// A feature's service from the request context, e.g. `service::<dyn IncidentService>()`. Its
/// absence is a wiring bug, reported as internal.
pub fn service<S: ?Sized + Send + Sync + 'static>() -> Result<Arc<S>, AppError> {
    leptos::prelude::use_context::<Arc<S>>().ok_or(AppError::Internal)
}

/// Who is asking: the server's authentication puts the actor of every signed-in request into
/// the request's extensions before any page or server function runs.
pub fn actor() -> Result<crate::domain::Actor, AppError> {
    leptos::prelude::use_context::<http::request::Parts>()
        .and_then(|p| p.extensions.get::<crate::domain::Actor>().cloned())
        .ok_or(AppError::Unauthorized)
}

/// The settings from the request context.
pub fn settings() -> Result<Settings, AppError> {
    leptos::prelude::use_context::<Settings>().ok_or(AppError::Internal)
}
