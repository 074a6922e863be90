//! Markdown documents in: a pre-mortem report becomes failure scenarios, a postmortem an
//! incident with its timeline, 5-Why chains and action items.

use async_trait::async_trait;

use crate::domain::{Actor, ImportReport};
use crate::error::AppError;

/// How to import a document.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ImportOptions {
    /// Read and report; write nothing.
    pub dry_run: bool,
    /// Write a pre-mortem's alert-matrix thresholds into its scenarios' matching metrics.
    pub apply_matrix: bool,
    /// Save a pre-mortem's MTTD/MTTR targets as hoego's (`<data dir>/targets.json`, read at
    /// start).
    pub apply_targets: bool,
}

#[async_trait]
pub trait DocumentService: Send + Sync + 'static {
    /// Reads a Markdown document (`name` is its file name) and creates what it describes, all
    /// or nothing; the same document again creates nothing and says when it was imported.
    async fn import(
        &self,
        by: &Actor,
        name: String,
        text: String,
        options: ImportOptions,
    ) -> Result<ImportReport, AppError>;
}
