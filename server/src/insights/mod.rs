//! Insights for managers (`/insights`): figures computed from an in-memory copy of every
//! incident's times, services, categories, action items and review time ([`dataset`]), which
//! is brought up to date before each view from the incidents changed since ([`Insights`]); the
//! figures themselves are plain functions ([`compute`]), and a view's figures are kept while
//! the incidents and the minute stay the same.

pub mod compute;
pub mod csv;
pub mod dataset;

use std::collections::HashMap;
use std::sync::{Arc, Mutex, RwLock};

use app::domain::Targets;
use chrono::{DateTime, Utc};
use chrono_tz::Tz;

use crate::error::Result;
use crate::storage::Store;
use crate::storage::insights::{self as facts, Stamp};
use compute::{Named, View};
use dataset::Dataset;

/// Views whose figures are kept at most; past it the kept ones are dropped and the count
/// starts again (views are few: a team's managers open the same handful).
const VIEWS_KEPT: usize = 64;

/// The copy, the turn to refresh it, and the figures of recent views.
#[derive(Default)]
pub struct Insights {
    current: RwLock<Option<Arc<Dataset>>>,
    refresh: tokio::sync::Mutex<()>,
    figures: Mutex<Figures>,
    /// The turn to work figures out: views asked for at once (several people opening the
    /// page as the minute turns) are worked out once, not once each on the same two cores.
    working: tokio::sync::Mutex<()>,
}

/// Figures of views, for one state of the incidents and one minute: what they say changes
/// with an incident (the stamp) or with the clock (overdue reviews and action items, judged
/// against now), so either change forgets them all. A view over 100,000 incidents takes tens
/// of milliseconds to work out; the page is opened by several people and reloaded.
#[derive(Default)]
struct Figures {
    stamp: Option<Stamp>,
    minute: i64,
    views: HashMap<View, Arc<(app::domain::Insights, Named)>>,
}

impl Insights {
    /// The figures of `view` over `data` as of `now` (worked out, or kept from an earlier
    /// view of the same incidents in the same minute). Working a view out takes tens of
    /// milliseconds of CPU at 100,000 incidents, so it runs on a blocking thread, not on one
    /// of the runtime's few workers that every other request needs.
    pub async fn figures(
        &self,
        data: &Arc<Dataset>,
        view: &View,
        targets: &Targets,
        tz: Tz,
        now: DateTime<Utc>,
    ) -> Arc<(app::domain::Insights, Named)> {
        let minute = now.timestamp().div_euclid(60);
        let fresh = |f: &Figures| f.stamp == Some(data.stamp) && f.minute == minute;
        let kept = || {
            let kept = self.figures.lock().expect("not poisoned");
            fresh(&kept)
                .then(|| kept.views.get(view).cloned())
                .flatten()
        };
        if let Some(f) = kept() {
            return f;
        }
        let _turn = self.working.lock().await;
        // Another request may have worked this view out while this one waited.
        if let Some(f) = kept() {
            return f;
        }
        let (work_data, work_view, targets) = (data.clone(), view.clone(), *targets);
        let figures = tokio::task::spawn_blocking(move || {
            Arc::new(compute::insights(&work_data, &work_view, &targets, tz, now))
        })
        .await
        .expect("working out insights does not panic");
        let mut kept = self.figures.lock().expect("not poisoned");
        if !fresh(&kept) || kept.views.len() >= VIEWS_KEPT {
            *kept = Figures {
                stamp: Some(data.stamp),
                minute,
                views: HashMap::new(),
            };
        }
        kept.views.insert(view.clone(), figures.clone());
        figures
    }

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
