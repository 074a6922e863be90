//! Insights: the figures of a view, and the incidents behind one of them.

use app::domain::*;
use app::error::AppError;
use app::queries::{BehindQuery, InsightsQuery};
use app::service::InsightsService;
use async_trait::async_trait;
use chrono::{Duration, Utc};

use crate::backend::Backend;
use crate::insights::compute::{self, LIST_MAX, View};
use crate::storage::insights as facts;

#[async_trait]
impl InsightsService for Backend {
    async fn insights(&self, by: &Actor, q: InsightsQuery) -> Result<Insights, AppError> {
        by.require(Need::Read)?;
        let settings = self.store.settings();
        let data = self.insights.dataset(&self.store, settings.tz).await?;
        let now = Utc::now();
        let view = View::resolve(&q, &data, app::time::today(settings.tz));
        let figures = self
            .insights
            .figures(&data, &view, &settings.targets, settings.tz, now)
            .await;
        let (mut out, named) = (*figures).clone();
        let overdue: Vec<i64> = named.overdue_reviews.into_iter().take(LIST_MAX).collect();
        out.reviews.overdue_now = facts::refs(&self.store, &overdue).await?;
        let recurrences: Vec<_> = named.recurrences.into_iter().take(LIST_MAX).collect();
        let ids: Vec<i64> = recurrences
            .iter()
            .flat_map(|r| [r.earlier, r.later])
            .collect();
        let refs: std::collections::HashMap<IncidentId, IncidentRef> =
            facts::refs(&self.store, &ids)
                .await?
                .into_iter()
                .map(|r| (r.id, r))
                .collect();
        out.recurrences = recurrences
            .into_iter()
            .filter_map(|r| {
                Some(Recurrence {
                    earlier: refs.get(&r.earlier.into())?.clone(),
                    later: refs.get(&r.later.into())?.clone(),
                    category: r.category,
                    service: r.service,
                    fix_did_not_hold: r.fix_did_not_hold,
                })
            })
            .collect();
        let followed = crate::storage::scenarios::followed_all(&self.store, now).await?;
        out.adherence = compute::adherence(followed.iter().filter(|f| {
            data.get(f.incident_id.get())
                .is_some_and(|r| view.admits(r))
        }));
        out.alert_noise = facts::alert_noise(
            &self.store,
            app::time::day_start(view.from, settings.tz),
            app::time::day_start(view.to + Duration::days(1), settings.tz),
        )
        .await?;
        Ok(out)
    }

    async fn behind(&self, by: &Actor, q: BehindQuery) -> Result<Page<IncidentRef>, AppError> {
        by.require(Need::Read)?;
        let settings = self.store.settings();
        let data = self.insights.dataset(&self.store, settings.tz).await?;
        let view = View::resolve(&q.view, &data, app::time::today(settings.tz));
        let ids = compute::behind(&data, &view, &q.figure, &settings.targets);
        let page: Vec<i64> = ids
            .iter()
            .skip(q.figure.offset as usize)
            .take(q.figure.limit as usize)
            .copied()
            .collect();
        Ok(Page {
            items: facts::refs(&self.store, &page).await?,
            total: ids.len() as i64,
        })
    }
}
