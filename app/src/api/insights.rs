//! Server functions for the insights page and the lists behind its figures.

use leptos::prelude::*;

use crate::domain::{IncidentRef, Insights, Page};
use crate::error::AppError;
use crate::queries::{BehindQuery, InsightsQuery};
#[cfg(feature = "ssr")]
use crate::service::{InsightsService, actor, service};

#[server(endpoint = "insights/get")]
pub async fn get_insights(query: InsightsQuery) -> Result<Insights, AppError> {
    service::<dyn InsightsService>()?
        .insights(&actor()?, query)
        .await
}

#[server(endpoint = "insights/behind")]
pub async fn insights_behind(query: BehindQuery) -> Result<Page<IncidentRef>, AppError> {
    service::<dyn InsightsService>()?
        .behind(&actor()?, query)
        .await
}
