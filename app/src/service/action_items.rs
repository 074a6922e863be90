//! Action items: an incident's follow-up work, and the overview across incidents.

use async_trait::async_trait;

use crate::domain::{
    ActionId, ActionInput, ActionItem, ActionItemRow, ActionPatch, Actor, IncidentId, Page,
};
use crate::error::AppError;
use crate::queries::ActionQuery;

#[async_trait]
pub trait ActionItemService: Send + Sync + 'static {
    async fn add(
        &self,
        by: &Actor,
        incident: IncidentId,
        a: ActionInput,
    ) -> Result<ActionItem, AppError>;
    async fn update(
        &self,
        by: &Actor,
        incident: IncidentId,
        id: ActionId,
        p: ActionPatch,
    ) -> Result<ActionItem, AppError>;
    async fn delete(&self, by: &Actor, incident: IncidentId, id: ActionId) -> Result<(), AppError>;
    /// Across incidents, soonest due first (undated last).
    async fn list(&self, by: &Actor, q: ActionQuery) -> Result<Page<ActionItemRow>, AppError>;
}
