//! Server functions for search: the search page, similar incidents, title suggestions and the
//! root-cause report.

use leptos::prelude::*;

use crate::domain::{IncidentId, RootCauseReport, SearchHit, SearchQuery, SearchResults};
use crate::error::AppError;
#[cfg(feature = "ssr")]
use crate::service::{SearchService, actor, service};

/// How many similar incidents an incident page shows.
pub const SIMILAR_SHOWN: usize = 5;

#[server(endpoint = "search")]
pub async fn search(query: SearchQuery) -> Result<SearchResults, AppError> {
    service::<dyn SearchService>()?
        .search(&actor()?, query)
        .await
}

#[server(endpoint = "incidents/similar")]
pub async fn similar_incidents(id: IncidentId) -> Result<Vec<SearchHit>, AppError> {
    service::<dyn SearchService>()?
        .similar(&actor()?, id, SIMILAR_SHOWN)
        .await
}

#[server(endpoint = "incidents/suggest")]
pub async fn suggest_incidents(text: String) -> Result<Vec<SearchHit>, AppError> {
    service::<dyn SearchService>()?
        .suggest(&actor()?, text)
        .await
}

#[server(endpoint = "root-causes")]
pub async fn root_causes(text: String) -> Result<RootCauseReport, AppError> {
    service::<dyn SearchService>()?
        .root_causes(&actor()?, text)
        .await
}
