//! Search over all postmortems, similar incidents, title suggestions and the root-cause report.
//! The index reflects every write that has returned.

use async_trait::async_trait;

use crate::domain::{IncidentId, RootCauseReport, SearchHit, SearchQuery, SearchResults};
use crate::error::AppError;

#[async_trait]
pub trait SearchService: Send + Sync + 'static {
    async fn search(&self, q: SearchQuery) -> Result<SearchResults, AppError>;
    /// Past incidents most like this one (its own text as the query), best first; `NotFound`
    /// when there is no such incident.
    async fn similar(&self, id: IncidentId, limit: usize) -> Result<Vec<SearchHit>, AppError>;
    /// Incidents whose titles share words with `title` (while filing a new one).
    async fn suggest(&self, title: String) -> Result<Vec<SearchHit>, AppError>;
    /// Root causes grouped by category; with `text`, only chains that match it.
    async fn root_causes(&self, text: String) -> Result<RootCauseReport, AppError>;
}
