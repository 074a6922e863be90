//! The seam between the UI and storage (server only).
//!
//! Server functions in this crate and the REST API in the `server` crate both call this trait;
//! the server implements it with sqlx. So the app crate carries no database dependency and there
//! is one copy of every write path.

use std::sync::Arc;

use async_trait::async_trait;

use crate::domain::*;
use crate::error::AppError;
use crate::queries::{ActionQuery, IncidentDetail, IncidentQuery};

/// What the pages and the REST API can ask of storage. Every method validates its input and
/// writes in one transaction: it succeeds whole or leaves nothing behind.
#[async_trait]
pub trait Service: Send + Sync + 'static {
    async fn list_incidents(&self, q: IncidentQuery) -> Result<Page<IncidentSummary>, AppError>;
    async fn incident(&self, id: i64) -> Result<IncidentDetail, AppError>;
    async fn create_incident(&self, f: IncidentFields) -> Result<IncidentDetail, AppError>;
    async fn update_incident(&self, id: i64, p: IncidentPatch) -> Result<IncidentDetail, AppError>;
    async fn delete_incident(&self, id: i64) -> Result<(), AppError>;

    async fn add_event(&self, incident: i64, e: EventInput) -> Result<TimelineEvent, AppError>;
    async fn update_event(
        &self,
        incident: i64,
        id: i64,
        p: EventPatch,
    ) -> Result<TimelineEvent, AppError>;
    async fn delete_event(&self, incident: i64, id: i64) -> Result<(), AppError>;

    async fn add_chain(&self, incident: i64, c: ChainInput) -> Result<FiveWhyChain, AppError>;
    async fn update_chain(
        &self,
        incident: i64,
        id: i64,
        p: ChainPatch,
    ) -> Result<FiveWhyChain, AppError>;
    async fn delete_chain(&self, incident: i64, id: i64) -> Result<(), AppError>;

    async fn add_action(&self, incident: i64, a: ActionInput) -> Result<ActionItem, AppError>;
    async fn update_action(
        &self,
        incident: i64,
        id: i64,
        p: ActionPatch,
    ) -> Result<ActionItem, AppError>;
    async fn delete_action(&self, incident: i64, id: i64) -> Result<(), AppError>;
    async fn list_action_items(&self, q: ActionQuery) -> Result<Page<ActionItemRow>, AppError>;

    /// Full-text search over all postmortems (the index reflects every write that returned).
    async fn search(&self, q: SearchQuery) -> Result<SearchResults, AppError>;
    /// Past incidents most like this one (its own text as the query), best first.
    async fn similar(&self, id: i64, limit: usize) -> Result<Vec<SearchHit>, AppError>;
    /// Incidents whose titles share words with `title` (while filing a new one).
    async fn suggest(&self, title: String) -> Result<Vec<SearchHit>, AppError>;
    /// Root causes grouped by category; with `text`, only chains that match it.
    async fn root_causes(&self, text: String) -> Result<RootCauseReport, AppError>;

    /// The display settings pages are rendered with.
    fn display(&self) -> crate::ui::Display;
}

/// How server functions find the service: `use_context::<Svc>()`.
pub type Svc = Arc<dyn Service>;

/// The service from the request context; its absence is a wiring bug, reported as internal.
pub fn service() -> Result<Svc, AppError> {
    leptos::prelude::use_context::<Svc>().ok_or(AppError::Internal)
}
