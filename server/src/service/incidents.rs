//! Incidents.

use app::domain::*;
use app::error::AppError;
use app::queries::{IncidentDetail, IncidentQuery};
use app::service::IncidentService;
use async_trait::async_trait;
use chrono::Utc;

use super::{json, rewrite_incident};
use crate::backend::Backend;
use crate::notify;
use crate::storage::audit::{self, Record};
use crate::storage::incidents;
use crate::storage::versions::{self, Versioned};

#[async_trait]
impl IncidentService for Backend {
    async fn list(&self, by: &Actor, q: IncidentQuery) -> Result<Page<IncidentSummary>, AppError> {
        by.require(Need::Read)?;
        Ok(incidents::list(&self.store, &q).await?)
    }

    async fn get(&self, by: &Actor, id: IncidentId) -> Result<IncidentDetail, AppError> {
        by.require(Need::Read)?;
        Ok(incidents::detail(&self.store, id).await?)
    }

    async fn create(&self, by: &Actor, f: IncidentFields) -> Result<IncidentDetail, AppError> {
        by.require(Need::Write)?;
        let f = f.validated()?;
        let mut tx = self.store.begin().await?;
        let id = incidents::insert(&mut tx, &f).await?;
        audit::record(
            &mut tx,
            by,
            Verb::Create,
            Record::incident(id),
            None,
            json(&f),
        )
        .await?;
        notify::incident_opened(&mut tx, &self.store, &self.options.base_url, id).await?;
        self.commit(tx).await?;
        self.get(by, id).await
    }

    async fn update(
        &self,
        by: &Actor,
        id: IncidentId,
        mut p: IncidentPatch,
    ) -> Result<IncidentDetail, AppError> {
        by.require(Need::Write)?;
        let mut tx = self.store.begin().await?;
        let incident = incidents::fetch(&mut tx, &self.store, id).await?;
        versions::check(
            &mut tx,
            Versioned::Incident,
            id.get(),
            p.version,
            incident.version,
        )
        .await?;
        let current = incident.fields.clone();
        let reason = p.status_reason.take().unwrap_or_default();
        let next = p.apply(current.clone()).validated()?;
        if next.status != current.status {
            let reason = current.status.check_move(next.status, &reason)?;
            incidents::record_status_change(
                &mut tx,
                id,
                current.status,
                next.status,
                &reason,
                by,
                Utc::now(),
            )
            .await?;
        }
        rewrite_incident(&mut tx, by, &incident, &next).await?;
        notify::incident_changed(&mut tx, &self.store, &self.options.base_url, id, &current)
            .await?;
        self.commit(tx).await?;
        self.get(by, id).await
    }

    async fn delete(&self, by: &Actor, id: IncidentId) -> Result<(), AppError> {
        by.require(Need::Write)?;
        let mut tx = self.store.begin().await?;
        let current = incidents::fetch(&mut tx, &self.store, id).await?.fields;
        incidents::delete(&mut tx, id).await?;
        audit::record(
            &mut tx,
            by,
            Verb::Delete,
            Record::incident(id),
            json(&current),
            None,
        )
        .await?;
        self.commit(tx).await
    }
}
