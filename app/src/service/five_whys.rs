//! An incident's 5-Why chains.

use async_trait::async_trait;

use crate::domain::{Actor, ChainId, ChainInput, ChainPatch, FiveWhyChain, IncidentId};
use crate::error::AppError;

#[async_trait]
pub trait FiveWhyService: Send + Sync + 'static {
    async fn add(
        &self,
        by: &Actor,
        incident: IncidentId,
        c: ChainInput,
    ) -> Result<FiveWhyChain, AppError>;
    /// A `steps` list in the patch is the chain's new step list (see [`ChainPatch`]).
    async fn update(
        &self,
        by: &Actor,
        incident: IncidentId,
        id: ChainId,
        p: ChainPatch,
    ) -> Result<FiveWhyChain, AppError>;
    async fn delete(&self, by: &Actor, incident: IncidentId, id: ChainId) -> Result<(), AppError>;
}
