//! Incidents.

use app::domain::*;
use app::error::AppError;
use app::queries::{IncidentDetail, IncidentQuery};
use app::service::IncidentService;
use async_trait::async_trait;

use crate::backend::Backend;
use crate::storage::incidents;

#[async_trait]
impl IncidentService for Backend {
    async fn list(&self, q: IncidentQuery) -> Result<Page<IncidentSummary>, AppError> {
        Ok(incidents::list(&self.store, &q).await?)
    }

    async fn get(&self, id: IncidentId) -> Result<IncidentDetail, AppError> {
        Ok(incidents::detail(&self.store, id).await?)
    }

    async fn create(&self, f: IncidentFields) -> Result<IncidentDetail, AppError> {
        let f = f.validated()?;
        let mut tx = self.store.begin().await?;
        let id = incidents::insert(&mut tx, &f).await?;
        self.commit(tx).await?;
        self.get(id).await
    }

    async fn update(
        &self,
        id: IncidentId,
        mut p: IncidentPatch,
    ) -> Result<IncidentDetail, AppError> {
        let mut tx = self.store.begin().await?;
        let current = incidents::fetch(&mut tx, &self.store, id).await?.fields;
        let reason = p.status_reason.take().unwrap_or_default();
        let next = p.apply(current.clone()).validated()?;
        if next.status != current.status {
            current.status.check_move(next.status, &reason)?;
            incidents::record_status_change(
                &mut tx,
                id,
                current.status,
                next.status,
                reason.trim(),
            )
            .await?;
        }
        incidents::write(&mut tx, id, &next).await?;
        self.commit(tx).await?;
        self.get(id).await
    }

    async fn delete(&self, id: IncidentId) -> Result<(), AppError> {
        let mut tx = self.store.begin().await?;
        incidents::delete(&mut tx, id).await?;
        self.commit(tx).await
    }
}
