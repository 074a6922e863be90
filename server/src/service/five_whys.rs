//! 5-Why chains.

use app::domain::*;
use app::error::AppError;
use app::service::FiveWhyService;
use async_trait::async_trait;

use crate::backend::Backend;
use crate::storage::five_whys;

#[async_trait]
impl FiveWhyService for Backend {
    async fn add(&self, incident: IncidentId, c: ChainInput) -> Result<FiveWhyChain, AppError> {
        let c = c.validated()?;
        let mut tx = self.store.begin().await?;
        tx.touch(incident).await?;
        let id = five_whys::insert(&mut tx, incident, &c).await?;
        let chain = five_whys::fetch(&mut tx, incident, id).await?;
        self.commit(tx).await?;
        Ok(chain)
    }

    async fn update(
        &self,
        incident: IncidentId,
        id: ChainId,
        p: ChainPatch,
    ) -> Result<FiveWhyChain, AppError> {
        let mut tx = self.store.begin().await?;
        let current = five_whys::fetch(&mut tx, incident, id).await?;
        let c = p.apply(&current).validated()?;
        five_whys::write(&mut tx, &current, &c).await?;
        tx.touch(incident).await?;
        let chain = five_whys::fetch(&mut tx, incident, id).await?;
        self.commit(tx).await?;
        Ok(chain)
    }

    async fn delete(&self, incident: IncidentId, id: ChainId) -> Result<(), AppError> {
        let mut tx = self.store.begin().await?;
        five_whys::delete(&mut tx, incident, id).await?;
        self.commit(tx).await
    }
}
