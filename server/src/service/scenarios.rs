//! Failure scenarios and incidents following their plans.

use app::domain::*;
use app::error::AppError;
use app::queries::ScenarioQuery;
use app::service::ScenarioService;
use async_trait::async_trait;
use chrono::{DateTime, Utc};

use super::{json, limits};
use crate::backend::Backend;
use crate::error::Result;
use crate::storage::audit::{self, Record};
use crate::storage::{Tx, scenarios, timeline};

const KIND: &str = "scenario";

/// Links the scenarios an alert with this name or `scenario` label detects to `incident`.
pub(super) async fn link_detected(
    tx: &mut Tx,
    incident: IncidentId,
    alertname: &str,
    scenario_label: &str,
) -> Result<()> {
    for id in scenarios::detected_by(tx, alertname, scenario_label).await? {
        scenarios::link(tx, incident, id, LinkedBy::Rule).await?;
    }
    Ok(())
}

#[async_trait]
impl ScenarioService for Backend {
    async fn list(&self, by: &Actor, q: ScenarioQuery) -> Result<Page<Scenario>, AppError> {
        by.require(Need::Read)?;
        Ok(scenarios::list(&self.store, &q).await?)
    }

    async fn get(&self, by: &Actor, id: ScenarioId) -> Result<Scenario, AppError> {
        by.require(Need::Read)?;
        Ok(scenarios::find(&self.store, id).await?)
    }

    async fn create(&self, by: &Actor, input: ScenarioInput) -> Result<Scenario, AppError> {
        by.require(Need::Write)?;
        let mut input = input.validated()?;
        input.number_steps(&[], 0);
        let mut tx = self.store.begin().await?;
        let id = scenarios::insert(&mut tx, &input, None, by).await?;
        let created = scenarios::get(&mut tx, id).await?;
        let what = Record::other(KIND, id.get());
        audit::record(&mut tx, by, Verb::Create, what, None, json(&input)).await?;
        self.commit(tx).await?;
        Ok(created)
    }

    async fn update(
        &self,
        by: &Actor,
        id: ScenarioId,
        input: ScenarioInput,
    ) -> Result<Scenario, AppError> {
        by.require(Need::Write)?;
        let mut input = input.validated()?;
        let mut tx = self.store.begin().await?;
        let before = scenarios::get(&mut tx, id).await?;
        let floor = scenarios::highest_ticked(&mut tx, id).await?;
        input.number_steps(&before.stages, floor);
        scenarios::update(&mut tx, id, &input).await?;
        let after = scenarios::get(&mut tx, id).await?;
        let what = Record::other(KIND, id.get());
        let old = json(&before.to_input());
        audit::record(&mut tx, by, Verb::Update, what, old, json(&input)).await?;
        self.commit(tx).await?;
        Ok(after)
    }

    async fn delete(&self, by: &Actor, id: ScenarioId) -> Result<(), AppError> {
        by.require(Need::Write)?;
        let mut tx = self.store.begin().await?;
        let before = scenarios::get(&mut tx, id).await?;
        scenarios::delete(&mut tx, id).await?;
        let what = Record::other(KIND, id.get());
        audit::record(
            &mut tx,
            by,
            Verb::Delete,
            what,
            json(&before.to_input()),
            None,
        )
        .await?;
        self.commit(tx).await?;
        Ok(())
    }

    async fn of_incident(
        &self,
        by: &Actor,
        incident: IncidentId,
    ) -> Result<Vec<IncidentScenario>, AppError> {
        by.require(Need::Read)?;
        Ok(scenarios::of_incident(&self.store, incident, Utc::now()).await?)
    }

    async fn link(
        &self,
        by: &Actor,
        incident: IncidentId,
        scenario: ScenarioId,
    ) -> Result<Vec<IncidentScenario>, AppError> {
        by.require(Need::Write)?;
        let mut tx = self.store.begin().await?;
        scenarios::link(&mut tx, incident, scenario, LinkedBy::Hand).await?;
        let what = Record::child(KIND, scenario.get(), incident);
        let after = Some(serde_json::json!({"incident_id": incident}));
        audit::record(&mut tx, by, Verb::Update, what, None, after).await?;
        self.commit(tx).await?;
        Ok(scenarios::of_incident(&self.store, incident, Utc::now()).await?)
    }

    async fn unlink(
        &self,
        by: &Actor,
        incident: IncidentId,
        scenario: ScenarioId,
    ) -> Result<Vec<IncidentScenario>, AppError> {
        by.require(Need::Write)?;
        let mut tx = self.store.begin().await?;
        scenarios::unlink(&mut tx, incident, scenario).await?;
        let what = Record::child(KIND, scenario.get(), incident);
        let before = Some(serde_json::json!({"incident_id": incident}));
        audit::record(&mut tx, by, Verb::Update, what, before, None).await?;
        self.commit(tx).await?;
        Ok(scenarios::of_incident(&self.store, incident, Utc::now()).await?)
    }

    async fn tick(
        &self,
        by: &Actor,
        incident: IncidentId,
        scenario: ScenarioId,
        step: u32,
        at: Option<DateTime<Utc>>,
    ) -> Result<Vec<IncidentScenario>, AppError> {
        by.require(Need::Write)?;
        let at = at.unwrap_or_else(Utc::now);
        if at > Utc::now() + chrono::Duration::minutes(1) {
            return Err(Invalid::new("at", Problem::InTheFuture).into());
        }
        let mut tx = self.store.begin().await?;
        let plan = scenarios::get(&mut tx, scenario).await?;
        let Some((stage, planned)) = plan.step(step) else {
            return Err(AppError::not_found("step"));
        };
        if scenarios::tick_event(&mut tx, incident, scenario, step)
            .await?
            .is_some()
        {
            return Ok(scenarios::of_incident(&self.store, incident, Utc::now()).await?);
        }
        tx.touch(incident).await?;
        limits::room_for(&mut tx, limits::Children::TimelineEvents, incident).await?;
        let event = EventInput {
            at,
            kind: EventKind::Action,
            text: format!("{} — {} ({})", planned.text, plan.title, stage.name)
                .chars()
                .take(EVENT_TEXT_MAX)
                .collect(),
            source: Provenance::Manual,
            author: by.name.clone(),
        }
        .validated()?;
        let event_id = timeline::insert(&mut tx, incident, &event, by).await?;
        scenarios::tick(&mut tx, incident, scenario, step, event_id).await?;
        let what = Record::child("timeline_event", event_id.get(), incident);
        audit::record(&mut tx, by, Verb::Create, what, None, json(&event)).await?;
        self.commit(tx).await?;
        Ok(scenarios::of_incident(&self.store, incident, Utc::now()).await?)
    }

    async fn untick(
        &self,
        by: &Actor,
        incident: IncidentId,
        scenario: ScenarioId,
        step: u32,
    ) -> Result<Vec<IncidentScenario>, AppError> {
        by.require(Need::Write)?;
        let mut tx = self.store.begin().await?;
        let Some(event) = scenarios::tick_event(&mut tx, incident, scenario, step).await? else {
            return Err(AppError::not_found("tick"));
        };
        let before = timeline::fetch(&mut tx, incident, event).await?;
        timeline::delete(&mut tx, incident, event).await?;
        tx.touch(incident).await?;
        let what = Record::child("timeline_event", event.get(), incident);
        audit::record(&mut tx, by, Verb::Delete, what, json(&before), None).await?;
        self.commit(tx).await?;
        Ok(scenarios::of_incident(&self.store, incident, Utc::now()).await?)
    }
}
