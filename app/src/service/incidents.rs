//! Incidents: the list, one incident with everything filed under it, and its facts.

use async_trait::async_trait;

use crate::domain::{IncidentFields, IncidentId, IncidentPatch, IncidentSummary, Page};
use crate::error::AppError;
use crate::queries::{IncidentDetail, IncidentQuery};

#[async_trait]
pub trait IncidentService: Send + Sync + 'static {
    /// Newest first (impact start, else filing time).
    async fn list(&self, q: IncidentQuery) -> Result<Page<IncidentSummary>, AppError>;
    async fn get(&self, id: IncidentId) -> Result<IncidentDetail, AppError>;
    async fn create(&self, f: IncidentFields) -> Result<IncidentDetail, AppError>;
    /// A status move back needs `status_reason`; the move is kept in the status history.
    async fn update(&self, id: IncidentId, p: IncidentPatch) -> Result<IncidentDetail, AppError>;
    /// Removes the incident with its timeline, chains and action items.
    async fn delete(&self, id: IncidentId) -> Result<(), AppError>;
}
