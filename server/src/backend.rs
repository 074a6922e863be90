//! [`Backend`]: the database, the search index and the settings, shared by the implementations
//! of the app's service traits (in [`crate::service`]), and the one place where a committed
//! write reaches the search index.

use app::error::AppError;
use app::service::Settings;

use std::sync::Arc;
use std::time::Duration;

use app::domain::AlertRules;
use tokio::sync::Notify;

use crate::accounts::Accounts;
use crate::search::Search;
use crate::storage::{Store, Tx};

pub struct Backend {
    pub store: Store,
    pub search: Search,
    /// People, sessions, tokens, the audit log.
    pub accounts: Arc<Accounts>,
    pub options: Options,
    /// Wakes the notification deliverer after a write (it may have queued something).
    pub outbox: Arc<Notify>,
    /// The insights' copy of every incident.
    pub insights: crate::insights::Insights,
    /// Where the database lives (files saved beside it, such as applied targets).
    pub data_dir: Option<std::path::PathBuf>,
    /// What `/metrics` reports.
    pub metrics: Arc<crate::metrics::Metrics>,
    /// Alert webhooks waiting to be written together.
    pub alert_writes: crate::service::AlertWrites,
}

/// What the server was configured with beyond the display settings.
#[derive(Clone, Debug)]
pub struct Options {
    /// How alerts are read and linked to incidents.
    pub alert_rules: AlertRules,
    /// Where hoego is reached, for links in notifications.
    pub base_url: String,
    /// The first wait before a failed notification is tried again (doubling each time).
    pub retry_base: Duration,
    /// How often time-based notifications are checked for.
    pub check_every: Duration,
}

impl Default for Options {
    fn default() -> Self {
        Self {
            alert_rules: AlertRules::default(),
            base_url: "http://127.0.0.1:3000".into(),
            retry_base: Duration::from_secs(5),
            check_every: Duration::from_secs(30),
        }
    }
}

impl Backend {
    pub fn new(store: Store, search: Search) -> Self {
        Self {
            accounts: Arc::new(Accounts::new(store.clone())),
            store,
            search,
            options: Options::default(),
            outbox: Arc::new(Notify::new()),
            insights: Default::default(),
            data_dir: None,
            metrics: Default::default(),
            alert_writes: Default::default(),
        }
    }

    pub fn with_options(mut self, options: Options) -> Self {
        self.options = options;
        self
    }

    pub fn settings(&self) -> Settings {
        self.store.settings()
    }

    /// Commits a write, then re-indexes every incident it changed before returning, so a search
    /// right after a save finds it. If indexing fails the write still stands: the failure is
    /// logged, and the next start rebuilds the index if its document count is off.
    pub async fn commit(&self, tx: Tx) -> Result<(), AppError> {
        let changed = tx.commit().await?;
        // The write may have queued notifications.
        self.outbox.notify_one();
        for id in changed {
            if let Err(e) = self.search.refresh(&self.store, id).await {
                tracing::error!(incident = %id, error = %e, "could not update the search index");
            }
        }
        Ok(())
    }
}
