//! 5-Why chains.

use app::domain::*;
use app::error::AppError;
use app::service::FiveWhyService;
use async_trait::async_trait;

use super::{json, limits};
use crate::backend::Backend;
use crate::storage::audit::{self, Record};
use crate::storage::five_whys;
use crate::storage::versions::{self, Versioned};

const KIND: &str = "five_why_chain";

#[async_trait]
impl FiveWhyService for Backend {
    async fn add(
        &self,
        by: &Actor,
        incident: IncidentId,
        c: ChainInput,
    ) -> Result<FiveWhyChain, AppError> {
        by.require(Need::Write)?;
        let c = c.validated()?;
        let mut tx = self.store.begin().await?;
        tx.touch(incident).await?;
        limits::room_for(&mut tx, limits::Children::Chains, incident).await?;
        let id = five_whys::insert(&mut tx, incident, &c).await?;
        let chain = five_whys::fetch(&mut tx, incident, id).await?;
        let what = Record::child(KIND, id.get(), incident);
        audit::record(&mut tx, by, Verb::Create, what, None, json(&chain)).await?;
        self.commit(tx).await?;
        Ok(chain)
    }

    async fn update(
        &self,
        by: &Actor,
        incident: IncidentId,
        id: ChainId,
        p: ChainPatch,
    ) -> Result<FiveWhyChain, AppError> {
        by.require(Need::Write)?;
        let mut tx = self.store.begin().await?;
        let current = five_whys::fetch(&mut tx, incident, id).await?;
        versions::check(
            &mut tx,
            Versioned::FiveWhyChain,
            id.get(),
            p.version,
            current.version,
        )
        .await?;
        let c = p.apply(&current).validated()?;
        five_whys::write(&mut tx, &current, &c).await?;
        versions::bump(&mut tx, Versioned::FiveWhyChain, id.get()).await?;
        tx.touch(incident).await?;
        let chain = five_whys::fetch(&mut tx, incident, id).await?;
        let what = Record::child(KIND, id.get(), incident);
        audit::record(
            &mut tx,
            by,
            Verb::Update,
            what,
            json(&current),
            json(&chain),
        )
        .await?;
        self.commit(tx).await?;
        Ok(chain)
    }

    async fn delete(&self, by: &Actor, incident: IncidentId, id: ChainId) -> Result<(), AppError> {
        by.require(Need::Write)?;
        let mut tx = self.store.begin().await?;
        let current = five_whys::fetch(&mut tx, incident, id).await?;
        five_whys::delete(&mut tx, incident, id).await?;
        let what = Record::child(KIND, id.get(), incident);
        audit::record(&mut tx, by, Verb::Delete, what, json(&current), None).await?;
        self.commit(tx).await
    }
}
