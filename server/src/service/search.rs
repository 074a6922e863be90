//! Search, similar incidents, suggestions and the root-cause report, from the index.

use app::domain::*;
use app::error::AppError;
use app::service::SearchService;
use async_trait::async_trait;

use crate::backend::Backend;
use crate::search::query::mentions_all;
use crate::storage::{incidents, root_causes, scenarios};

/// A query text cut at [`QUERY_MAX_CHARS`], as a search cuts it: nobody types more, and a
/// pasted log must not become a thousand-clause query.
fn cut(mut text: String) -> String {
    if let Some((at, _)) = text.char_indices().nth(QUERY_MAX_CHARS) {
        text.truncate(at);
    }
    text
}

#[async_trait]
impl SearchService for Backend {
    async fn search(&self, by: &Actor, q: SearchQuery) -> Result<SearchResults, AppError> {
        by.require(Need::Read)?;
        let first_page = q.offset == 0;
        let text = q.text.clone();
        let mut results = self.search.search(q).await?;
        if first_page && !text.trim().is_empty() {
            let all = scenarios::all(&self.store).await?;
            results.scenarios =
                crate::search::scenario_hits::matching(&cut(text), self.search.glossary(), &all);
        }
        Ok(results)
    }

    async fn similar(
        &self,
        by: &Actor,
        id: IncidentId,
        limit: usize,
    ) -> Result<Vec<SearchHit>, AppError> {
        by.require(Need::Read)?;
        let hits = self.search.similar(id, limit).await?;
        // No neighbours is an answer, unless there is no such incident.
        if hits.is_empty() && !incidents::exists(&self.store, id).await? {
            return Err(AppError::not_found("incident"));
        }
        Ok(hits)
    }

    async fn suggest(&self, by: &Actor, text: String) -> Result<Vec<SearchHit>, AppError> {
        by.require(Need::Read)?;
        Ok(self.search.suggest(cut(text)).await?)
    }

    async fn root_causes(&self, by: &Actor, text: String) -> Result<RootCauseReport, AppError> {
        by.require(Need::Read)?;
        let text = cut(text);
        if text.trim().is_empty() {
            return Ok(root_causes::report(&self.store).await?);
        }
        let (incidents, lenient) = self.search.root_cause_incidents(text.clone()).await?;
        let chains = root_causes::chains_of(&self.store, &incidents).await?;
        Ok(RootCauseReport {
            groups: root_causes::group(
                chains
                    .into_iter()
                    .filter(|c| lenient || mentions_all(&text, &c.text)),
            ),
            lenient,
        })
    }
}
