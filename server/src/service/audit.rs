//! The audit log.

use app::domain::*;
use app::error::AppError;
use app::service::{AuditQuery, AuditService};
use async_trait::async_trait;

use crate::accounts::Accounts;
use crate::storage::audit;

#[async_trait]
impl AuditService for Accounts {
    async fn list(&self, by: &Actor, q: AuditQuery) -> Result<Page<AuditEntry>, AppError> {
        by.require(Need::Admin)?;
        Ok(audit::list(&self.store, &q).await?)
    }
}
