//! Load-test runs: summaries in, the list, comparisons, links to incidents.

use async_trait::async_trait;

use crate::domain::{
    Actor, Comparison, IncidentId, LoadTestId, LoadTestRun, Page, RunMeta, RunRelation,
};
use crate::error::AppError;
use crate::queries::LoadTestQuery;

#[async_trait]
pub trait LoadTestService: Send + Sync + 'static {
    /// Reads a summary document (k6 `handleSummary`, k6 `--summary-export`, `coupon loadtest`;
    /// or `{"meta": {...}, "summary": {...}}`) and stores it with `meta`, linked to an incident
    /// if `link` says so. `raw` is the document as sent, kept.
    async fn ingest(
        &self,
        by: &Actor,
        meta: RunMeta,
        doc: serde_json::Value,
        raw: String,
        link: Option<(IncidentId, RunRelation)>,
    ) -> Result<LoadTestRun, AppError>;
    async fn list(&self, by: &Actor, q: LoadTestQuery) -> Result<Page<LoadTestRun>, AppError>;
    async fn get(&self, by: &Actor, id: LoadTestId) -> Result<LoadTestRun, AppError>;
    /// The document as it was sent.
    async fn raw(&self, by: &Actor, id: LoadTestId) -> Result<String, AppError>;
    async fn compare(
        &self,
        by: &Actor,
        baseline: LoadTestId,
        candidate: LoadTestId,
    ) -> Result<Comparison, AppError>;
    async fn link(
        &self,
        by: &Actor,
        run: LoadTestId,
        incident: IncidentId,
        relation: RunRelation,
    ) -> Result<LoadTestRun, AppError>;
    async fn unlink(
        &self,
        by: &Actor,
        run: LoadTestId,
        incident: IncidentId,
    ) -> Result<LoadTestRun, AppError>;
}
