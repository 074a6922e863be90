//! Incidents: the list, one incident with everything filed under it, and its facts.

use async_trait::async_trait;

use crate::domain::{Actor, IncidentFields, IncidentId, IncidentPatch, IncidentSummary, Page};
use crate::error::AppError;
use crate::queries::{IncidentDetail, IncidentQuery};

#[async_trait]
pub trait IncidentService: Send + Sync + 'static {
    /// Newest first (impact start, else filing time).
    async fn list(&self, by: &Actor, q: IncidentQuery) -> Result<Page<IncidentSummary>, AppError>;
    async fn get(&self, by: &Actor, id: IncidentId) -> Result<IncidentDetail, AppError>;
    async fn create(&self, by: &Actor, f: IncidentFields) -> Result<IncidentDetail, AppError>;
    /// A status move back needs `status_reason`; the move is kept in the status history.
    async fn update(
        &self,
        by: &Actor,
        id: IncidentId,
        p: IncidentPatch,
    ) -> Result<IncidentDetail, AppError>;
    /// Removes the incident with its timeline, chains and action items.
    async fn delete(&self, by: &Actor, id: IncidentId) -> Result<(), AppError>;
}
