//! Outgoing webhooks (admins): what is configured and how its deliveries went.

use async_trait::async_trait;

use crate::domain::{Actor, HookId, HookInput, HookStatus};
use crate::error::AppError;

#[async_trait]
pub trait HookService: Send + Sync + 'static {
    /// Every hook with its latest deliveries.
    async fn list(&self, by: &Actor) -> Result<Vec<HookStatus>, AppError>;
    async fn create(&self, by: &Actor, input: HookInput) -> Result<HookStatus, AppError>;
    async fn set_enabled(&self, by: &Actor, id: HookId, enabled: bool) -> Result<(), AppError>;
    async fn delete(&self, by: &Actor, id: HookId) -> Result<(), AppError>;
}
