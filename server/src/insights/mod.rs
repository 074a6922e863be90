//! Insights for managers (`/insights`): figures computed from an in-memory copy of every
//! incident's times, services, categories, action items and review time ([`dataset`]), which
//! is brought up to date before each view from the incidents changed since ([`Insights`]); the
//! figures themselves are plain functions ([`compute`]).

pub mod compute;
pub mod csv;
pub mod dataset;

use std::sync::{Arc, RwLock};

use chrono_tz::Tz;

use crate::error::Result;
use crate::storage::Store;
use crate::storage::insights::{self as facts, Stamp};
use dataset::Dataset;

/// The copy, and the turn to refresh it.
#[derive(Default)]
pub struct Insights {
    current: RwLock<Option<Arc<Dataset>>>,
    refresh: tokio::sync::Mutex<()>,
}

impl Insights {
    fn current(&self) -> Option<Arc<Dataset>> {
        self.current.read().expect("not poisoned").clone()
    }

    /// The copy as of now: the one kept if nothing changed (one indexed statement to tell),
    /// else refreshed with the incidents updated since it was made, else (incidents were
    /// deleted, or there is none yet) read whole.
    pub async fn dataset(&self, store: &Store, tz: Tz) -> Result<Arc<Dataset>> {
        let stamp = facts::stamp(store).await?;
        if let Some(d) = self.current().filter(|d| d.stamp == stamp) {
            return Ok(d);
        }
        let _turn = self.refresh.lock().await;
        // Another view may have refreshed it while this one waited.
        let stamp = facts::stamp(store).await?;
        let kept = self.current();
        if let Some(d) = kept.clone().filter(|d| d.stamp == stamp) {
            return Ok(d);
        }
        let fresh = Arc::new(self.read(store, tz, kept, stamp).await?);
        *self.current.write().expect("not poisoned") = Some(fresh.clone());
        Ok(fresh)
    }

    async fn read(
        &self,
        store: &Store,
        tz: Tz,
        kept: Option<Arc<Dataset>>,
        stamp: Stamp,
    ) -> Result<Dataset> {
        let mut conn = facts::connection(store).await?;
        if let Some((kept, since)) = kept.and_then(|d| Some((d.clone(), d.stamp.updated?))) {
            let ids = facts::updated_since(&mut conn, since).await?;
            let mut d = (*kept).clone();
            d.refresh(&mut conn, tz, &ids, stamp).await?;
            if d.held() as i64 == stamp.count {
                return Ok(d);
            }
        }
        Dataset::load(&mut conn, tz, stamp).await
    }
}
