//! Failure scenarios: the records, and how incidents follow them.

use async_trait::async_trait;

use crate::domain::{
    Actor, IncidentId, IncidentScenario, Page, Scenario, ScenarioId, ScenarioInput,
};
use crate::error::AppError;
use crate::queries::ScenarioQuery;

#[async_trait]
pub trait ScenarioService: Send + Sync + 'static {
    async fn list(&self, by: &Actor, q: ScenarioQuery) -> Result<Page<Scenario>, AppError>;
    async fn get(&self, by: &Actor, id: ScenarioId) -> Result<Scenario, AppError>;
    async fn create(&self, by: &Actor, input: ScenarioInput) -> Result<Scenario, AppError>;
    /// Replaces the scenario's parts; steps whose text is unchanged keep their ids (and so
    /// the incidents' ticks on them).
    async fn update(
        &self,
        by: &Actor,
        id: ScenarioId,
        input: ScenarioInput,
    ) -> Result<Scenario, AppError>;
    async fn delete(&self, by: &Actor, id: ScenarioId) -> Result<(), AppError>;

    /// The incident's scenarios, each plan as a checklist with deadlines from detection.
    async fn of_incident(
        &self,
        by: &Actor,
        incident: IncidentId,
    ) -> Result<Vec<IncidentScenario>, AppError>;
    async fn link(
        &self,
        by: &Actor,
        incident: IncidentId,
        scenario: ScenarioId,
    ) -> Result<Vec<IncidentScenario>, AppError>;
    async fn unlink(
        &self,
        by: &Actor,
        incident: IncidentId,
        scenario: ScenarioId,
    ) -> Result<Vec<IncidentScenario>, AppError>;
    /// Marks a step done at `at` (now when `None`): adds a timeline event naming the step.
    async fn tick(
        &self,
        by: &Actor,
        incident: IncidentId,
        scenario: ScenarioId,
        step: u32,
        at: Option<chrono::DateTime<chrono::Utc>>,
    ) -> Result<Vec<IncidentScenario>, AppError>;
    /// Un-ticks a step: removes the timeline event that ticked it.
    async fn untick(
        &self,
        by: &Actor,
        incident: IncidentId,
        scenario: ScenarioId,
        step: u32,
    ) -> Result<Vec<IncidentScenario>, AppError>;
}
