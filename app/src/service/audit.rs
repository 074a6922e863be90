//! The audit log: every write, who made it, and what it changed.

use async_trait::async_trait;

use crate::domain::{Actor, AuditEntry, Page};
use crate::error::AppError;
pub use crate::queries::AuditQuery;

#[async_trait]
pub trait AuditService: Send + Sync + 'static {
    /// Admins only.
    async fn list(&self, by: &Actor, q: AuditQuery) -> Result<Page<AuditEntry>, AppError>;
}
