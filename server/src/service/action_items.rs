//! Action items.

use app::domain::*;
use app::error::AppError;
use app::queries::ActionQuery;
use app::service::ActionItemService;
use async_trait::async_trait;

use crate::backend::Backend;
use crate::storage::action_items;

#[async_trait]
impl ActionItemService for Backend {
    async fn add(&self, incident: IncidentId, a: ActionInput) -> Result<ActionItem, AppError> {
        let a = a.validated()?;
        let mut tx = self.store.begin().await?;
        tx.touch(incident).await?;
        action_items::check_step(&mut tx, incident, a.five_why_step_id).await?;
        let id = action_items::insert(&mut tx, incident, &a).await?;
        let item = action_items::fetch(&mut tx, incident, id).await?;
        self.commit(tx).await?;
        Ok(item)
    }

    async fn update(
        &self,
        incident: IncidentId,
        id: ActionId,
        p: ActionPatch,
    ) -> Result<ActionItem, AppError> {
        let mut tx = self.store.begin().await?;
        let current = action_items::fetch(&mut tx, incident, id).await?;
        let a = p.apply(&current).validated()?;
        action_items::check_step(&mut tx, incident, a.five_why_step_id).await?;
        action_items::write(&mut tx, incident, id, &a).await?;
        tx.touch(incident).await?;
        let item = action_items::fetch(&mut tx, incident, id).await?;
        self.commit(tx).await?;
        Ok(item)
    }

    async fn delete(&self, incident: IncidentId, id: ActionId) -> Result<(), AppError> {
        let mut tx = self.store.begin().await?;
        action_items::delete(&mut tx, incident, id).await?;
        self.commit(tx).await
    }

    async fn list(&self, q: ActionQuery) -> Result<Page<ActionItemRow>, AppError> {
        Ok(action_items::list(&self.store, &q).await?)
    }
}
