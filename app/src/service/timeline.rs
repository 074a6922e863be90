//! An incident's timeline. A `detected` or `recovered` event sets the incident's timestamp in
//! the same write.

use async_trait::async_trait;

use crate::domain::{EventId, EventInput, EventPatch, IncidentId, TimelineEvent};
use crate::error::AppError;

#[async_trait]
pub trait TimelineService: Send + Sync + 'static {
    async fn add(&self, incident: IncidentId, e: EventInput) -> Result<TimelineEvent, AppError>;
    async fn update(
        &self,
        incident: IncidentId,
        id: EventId,
        p: EventPatch,
    ) -> Result<TimelineEvent, AppError>;
    async fn delete(&self, incident: IncidentId, id: EventId) -> Result<(), AppError>;
}
