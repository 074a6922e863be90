//! Action items.

use app::domain::*;
use app::error::AppError;
use app::queries::ActionQuery;
use app::service::ActionItemService;
use async_trait::async_trait;

use super::{json, limits};
use crate::backend::Backend;
use crate::storage::action_items;
use crate::storage::audit::{self, Record};
use crate::storage::versions::{self, Versioned};

const KIND: &str = "action_item";

#[async_trait]
impl ActionItemService for Backend {
    async fn add(
        &self,
        by: &Actor,
        incident: IncidentId,
        a: ActionInput,
    ) -> Result<ActionItem, AppError> {
        by.require(Need::Write)?;
        let mut a = a.validated()?;
        a.settle_done_at(None, chrono::Utc::now());
        let mut tx = self.store.begin().await?;
        tx.touch(incident).await?;
        limits::room_for(&mut tx, limits::Children::ActionItems, incident).await?;
        action_items::check_step(&mut tx, incident, a.five_why_step_id).await?;
        let id = action_items::insert(&mut tx, incident, &a, by).await?;
        let item = action_items::fetch(&mut tx, incident, id).await?;
        let what = Record::child(KIND, id.get(), incident);
        audit::record(&mut tx, by, Verb::Create, what, None, json(&item)).await?;
        self.commit(tx).await?;
        Ok(item)
    }

    async fn update(
        &self,
        by: &Actor,
        incident: IncidentId,
        id: ActionId,
        p: ActionPatch,
    ) -> Result<ActionItem, AppError> {
        by.require(Need::Write)?;
        let mut tx = self.store.begin().await?;
        let current = action_items::fetch(&mut tx, incident, id).await?;
        versions::check(
            &mut tx,
            Versioned::ActionItem,
            id.get(),
            p.version,
            current.version,
        )
        .await?;
        let mut a = p.apply(&current).validated()?;
        a.settle_done_at(Some(&current), chrono::Utc::now());
        action_items::check_step(&mut tx, incident, a.five_why_step_id).await?;
        action_items::write(&mut tx, incident, id, &a).await?;
        versions::bump(&mut tx, Versioned::ActionItem, id.get()).await?;
        tx.touch(incident).await?;
        let item = action_items::fetch(&mut tx, incident, id).await?;
        let what = Record::child(KIND, id.get(), incident);
        audit::record(&mut tx, by, Verb::Update, what, json(&current), json(&item)).await?;
        self.commit(tx).await?;
        Ok(item)
    }

    async fn delete(&self, by: &Actor, incident: IncidentId, id: ActionId) -> Result<(), AppError> {
        by.require(Need::Write)?;
        let mut tx = self.store.begin().await?;
        let current = action_items::fetch(&mut tx, incident, id).await?;
        action_items::delete(&mut tx, incident, id).await?;
        let what = Record::child(KIND, id.get(), incident);
        audit::record(&mut tx, by, Verb::Delete, what, json(&current), None).await?;
        self.commit(tx).await
    }

    async fn list(&self, by: &Actor, q: ActionQuery) -> Result<Page<ActionItemRow>, AppError> {
        by.require(Need::Read)?;
        Ok(action_items::list(&self.store, &q).await?)
    }
}
