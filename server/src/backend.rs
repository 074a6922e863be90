//! The app's [`Service`]: storage for the truth, the search index kept in step with it.
//!
//! Every write goes to the database first (validated, one transaction), then the incident it
//! touched is re-indexed before the call returns, so a search right after a save finds it. If
//! indexing fails the write still stands; the failure is logged and the next start rebuilds
//! the index if its document count is off.

use app::domain::*;
use app::error::AppError;
use app::queries::{ActionQuery, IncidentDetail, IncidentQuery};
use app::service::Service;
use app::ui::Display;
use async_trait::async_trait;

use crate::search::{Search, query::mentions_all};
use crate::storage::{Store, root_causes};

pub struct Backend {
    pub store: Store,
    pub search: Search,
}

impl Backend {
    pub fn new(store: Store, search: Search) -> Self {
        Self { store, search }
    }

    /// Passes a write's result through after re-indexing `incident` (if the write succeeded).
    async fn indexed<T>(&self, incident: i64, result: Result<T, AppError>) -> Result<T, AppError> {
        if result.is_ok()
            && let Err(e) = self.search.refresh(&self.store, incident).await
        {
            tracing::error!(incident, error = %e, "could not update the search index");
        }
        result
    }
}

#[async_trait]
impl Service for Backend {
    async fn list_incidents(&self, q: IncidentQuery) -> Result<Page<IncidentSummary>, AppError> {
        self.store.list_incidents(q).await
    }
    async fn incident(&self, id: i64) -> Result<IncidentDetail, AppError> {
        self.store.incident(id).await
    }
    async fn create_incident(&self, f: IncidentFields) -> Result<IncidentDetail, AppError> {
        let created = self.store.create_incident(f).await?;
        self.indexed(created.incident.id, Ok(created)).await
    }
    async fn update_incident(&self, id: i64, p: IncidentPatch) -> Result<IncidentDetail, AppError> {
        let r = self.store.update_incident(id, p).await;
        self.indexed(id, r).await
    }
    async fn delete_incident(&self, id: i64) -> Result<(), AppError> {
        let r = self.store.delete_incident(id).await;
        self.indexed(id, r).await
    }

    async fn add_event(&self, incident: i64, e: EventInput) -> Result<TimelineEvent, AppError> {
        let r = self.store.add_event(incident, e).await;
        self.indexed(incident, r).await
    }
    async fn update_event(
        &self,
        incident: i64,
        id: i64,
        p: EventPatch,
    ) -> Result<TimelineEvent, AppError> {
        let r = self.store.update_event(incident, id, p).await;
        self.indexed(incident, r).await
    }
    async fn delete_event(&self, incident: i64, id: i64) -> Result<(), AppError> {
        let r = self.store.delete_event(incident, id).await;
        self.indexed(incident, r).await
    }

    async fn add_chain(&self, incident: i64, c: ChainInput) -> Result<FiveWhyChain, AppError> {
        let r = self.store.add_chain(incident, c).await;
        self.indexed(incident, r).await
    }
    async fn update_chain(
        &self,
        incident: i64,
        id: i64,
        p: ChainPatch,
    ) -> Result<FiveWhyChain, AppError> {
        let r = self.store.update_chain(incident, id, p).await;
        self.indexed(incident, r).await
    }
    async fn delete_chain(&self, incident: i64, id: i64) -> Result<(), AppError> {
        let r = self.store.delete_chain(incident, id).await;
        self.indexed(incident, r).await
    }

    async fn add_action(&self, incident: i64, a: ActionInput) -> Result<ActionItem, AppError> {
        let r = self.store.add_action(incident, a).await;
        self.indexed(incident, r).await
    }
    async fn update_action(
        &self,
        incident: i64,
        id: i64,
        p: ActionPatch,
    ) -> Result<ActionItem, AppError> {
        let r = self.store.update_action(incident, id, p).await;
        self.indexed(incident, r).await
    }
    async fn delete_action(&self, incident: i64, id: i64) -> Result<(), AppError> {
        let r = self.store.delete_action(incident, id).await;
        self.indexed(incident, r).await
    }
    async fn list_action_items(&self, q: ActionQuery) -> Result<Page<ActionItemRow>, AppError> {
        self.store.list_action_items(q).await
    }

    async fn search(&self, q: SearchQuery) -> Result<SearchResults, AppError> {
        Ok(self.search.search(q).await?)
    }
    async fn similar(&self, id: i64, limit: usize) -> Result<Vec<SearchHit>, AppError> {
        Ok(self.search.similar(id, limit).await?)
    }
    async fn suggest(&self, title: String) -> Result<Vec<SearchHit>, AppError> {
        Ok(self.search.suggest(title).await?)
    }
    async fn root_causes(&self, text: String) -> Result<RootCauseReport, AppError> {
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

    fn display(&self) -> Display {
        self.store.display()
    }
}
