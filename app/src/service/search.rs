//! Search over all postmortems, similar incidents, suggestions and the root-cause report.
//! The index reflects every write that has returned.

use async_trait::async_trait;

use crate::domain::{Actor, IncidentId, RootCauseReport, SearchHit, SearchQuery, SearchResults};
use crate::error::AppError;

#[async_trait]
pub trait SearchService: Send + Sync + 'static {
    async fn search(&self, by: &Actor, q: SearchQuery) -> Result<SearchResults, AppError>;
    /// Past incidents most like this one (its own text as the query), best first; `NotFound`
    /// when there is no such incident.
    async fn similar(
        &self,
        by: &Actor,
        id: IncidentId,
        limit: usize,
    ) -> Result<Vec<SearchHit>, AppError>;
    /// Incidents whose titles share words with `title` (while filing a new one).
    async fn suggest(&self, by: &Actor, text: String) -> Result<Vec<SearchHit>, AppError>;
    /// Root causes grouped by category; with `text`, only chains that match it.
    async fn root_causes(&self, by: &Actor, text: String) -> Result<RootCauseReport, AppError>;
}
