//! An incident's timeline. A `detected` or `recovered` event sets the incident's timestamp in
//! the same write.

use async_trait::async_trait;

use crate::domain::{Actor, EventId, EventInput, EventPatch, IncidentId, TimelineEvent};
use crate::error::AppError;

#[async_trait]
pub trait TimelineService: Send + Sync + 'static {
    async fn add(
        &self,
        by: &Actor,
        incident: IncidentId,
        e: EventInput,
    ) -> Result<TimelineEvent, AppError>;
    async fn update(
        &self,
        by: &Actor,
        incident: IncidentId,
        id: EventId,
        p: EventPatch,
    ) -> Result<TimelineEvent, AppError>;
    async fn delete(&self, by: &Actor, incident: IncidentId, id: EventId) -> Result<(), AppError>;
}
