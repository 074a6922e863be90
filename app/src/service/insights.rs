//! Insights for managers: the figures of a view and the incidents behind each.

use async_trait::async_trait;

use crate::domain::{Actor, IncidentRef, Insights, Page};
use crate::error::AppError;
use crate::queries::{BehindQuery, InsightsQuery};

#[async_trait]
pub trait InsightsService: Send + Sync + 'static {
    /// Every figure of the view.
    async fn insights(&self, by: &Actor, q: InsightsQuery) -> Result<Insights, AppError>;
    /// The incidents one figure counts, newest first.
    async fn behind(&self, by: &Actor, q: BehindQuery) -> Result<Page<IncidentRef>, AppError>;
}
