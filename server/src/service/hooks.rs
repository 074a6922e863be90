//! Outgoing webhooks.

use app::domain::*;
use app::error::AppError;
use app::service::HookService;
use async_trait::async_trait;

use crate::backend::Backend;
use crate::storage::audit::{self, Record};
use crate::storage::hooks;

/// Deliveries shown per hook.
const SHOWN: i64 = 20;
const KIND: &str = "webhook";

#[async_trait]
impl HookService for Backend {
    async fn list(&self, by: &Actor) -> Result<Vec<HookStatus>, AppError> {
        by.require(Need::Admin)?;
        let mut out = Vec::new();
        for hook in hooks::list(&self.store).await? {
            out.push(hooks::status(&self.store, hook, SHOWN).await?);
        }
        Ok(out)
    }

    async fn create(&self, by: &Actor, input: HookInput) -> Result<HookStatus, AppError> {
        by.require(Need::Admin)?;
        let input = input.validated()?;
        let mut tx = self.store.begin().await?;
        let id = hooks::insert(&mut tx, &input).await?;
        let hook = hooks::get(&mut tx, id).await?;
        // The routing key is a secret of sorts: the log says a hook was made, not its key.
        let after = Some(
            serde_json::json!({"name": hook.name, "url": hook.url, "format": hook.format, "events": hook.events}),
        );
        audit::record(
            &mut tx,
            by,
            Verb::Create,
            Record::other(KIND, id.get()),
            None,
            after,
        )
        .await?;
        self.commit(tx).await?;
        Ok(hooks::status(&self.store, hook, SHOWN).await?)
    }

    async fn set_enabled(&self, by: &Actor, id: HookId, enabled: bool) -> Result<(), AppError> {
        by.require(Need::Admin)?;
        let mut tx = self.store.begin().await?;
        let hook = hooks::get(&mut tx, id).await?;
        hooks::set_enabled(&mut tx, id, enabled).await?;
        let (b, a) = (
            Some(serde_json::json!({"enabled": hook.enabled})),
            Some(serde_json::json!({"enabled": enabled})),
        );
        audit::record(
            &mut tx,
            by,
            Verb::Update,
            Record::other(KIND, id.get()),
            b,
            a,
        )
        .await?;
        self.commit(tx).await
    }

    async fn delete(&self, by: &Actor, id: HookId) -> Result<(), AppError> {
        by.require(Need::Admin)?;
        let mut tx = self.store.begin().await?;
        let hook = hooks::get(&mut tx, id).await?;
        hooks::delete(&mut tx, id).await?;
        let before = Some(serde_json::json!({"name": hook.name, "url": hook.url}));
        audit::record(
            &mut tx,
            by,
            Verb::Delete,
            Record::other(KIND, id.get()),
            before,
            None,
        )
        .await?;
        self.commit(tx).await
    }
}
