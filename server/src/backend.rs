//! [`Backend`]: the database, the search index and the settings, shared by the implementations
//! of the app's service traits (in [`crate::service`]), and the one place where a committed
//! write reaches the search index.

use app::error::AppError;
use app::service::Settings;

use std::sync::Arc;

use crate::accounts::Accounts;
use crate::search::Search;
use crate::storage::{Store, Tx};

pub struct Backend {
    pub store: Store,
    pub search: Search,
    /// People, sessions, tokens, the audit log.
    pub accounts: Arc<Accounts>,
}

impl Backend {
    pub fn new(store: Store, search: Search) -> Self {
        Self {
            accounts: Arc::new(Accounts::new(store.clone())),
            store,
            search,
        }
    }

    pub fn settings(&self) -> Settings {
        self.store.settings()
    }

    /// Commits a write, then re-indexes every incident it changed before returning, so a search
    /// right after a save finds it. If indexing fails the write still stands: the failure is
    /// logged, and the next start rebuilds the index if its document count is off.
    pub async fn commit(&self, tx: Tx) -> Result<(), AppError> {
        for id in tx.commit().await? {
            if let Err(e) = self.search.refresh(&self.store, id).await {
                tracing::error!(incident = %id, error = %e, "could not update the search index");
            }
        }
        Ok(())
    }
}
