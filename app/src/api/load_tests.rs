//! Server functions for load-test runs: the list, one run, a comparison, links.

use leptos::prelude::*;

#[cfg(feature = "ssr")]
use super::flow::finish;
use crate::domain::{Comparison, IncidentId, LoadTestId, LoadTestRun, Page};
use crate::error::AppError;
use crate::queries::LoadTestQuery;
#[cfg(feature = "ssr")]
use crate::service::{LoadTestService, actor, service};

#[server(endpoint = "load-tests/list")]
pub async fn list_load_tests(query: LoadTestQuery) -> Result<Page<LoadTestRun>, AppError> {
    service::<dyn LoadTestService>()?
        .list(&actor()?, query)
        .await
}

#[server(endpoint = "load-tests/get")]
pub async fn get_load_test(id: LoadTestId) -> Result<LoadTestRun, AppError> {
    service::<dyn LoadTestService>()?.get(&actor()?, id).await
}

#[server(endpoint = "load-tests/compare")]
pub async fn compare_load_tests(
    baseline: LoadTestId,
    candidate: LoadTestId,
) -> Result<Comparison, AppError> {
    service::<dyn LoadTestService>()?
        .compare(&actor()?, baseline, candidate)
        .await
}

/// Links the run to the incident typed in, with a relation.
#[server(endpoint = "load-tests/link")]
pub async fn link_load_test(
    id: LoadTestId,
    incident: String,
    relation: String,
) -> Result<(), AppError> {
    let result = async {
        let incident: IncidentId =
            crate::forms::opt_id("incident", &incident)?.ok_or_else(|| {
                AppError::from(crate::domain::Invalid::new(
                    "incident",
                    crate::domain::Problem::Required,
                ))
            })?;
        let relation = crate::forms::choice("relation", &relation)?;
        service::<dyn LoadTestService>()?
            .link(&actor()?, id, incident, relation)
            .await?;
        Ok(None)
    };
    finish(
        result.await,
        "run-link",
        &serde_json::json!({ "incident": incident, "relation": relation }),
    )
}

#[server(endpoint = "load-tests/unlink")]
pub async fn unlink_load_test(id: LoadTestId, incident: IncidentId) -> Result<(), AppError> {
    let result = async {
        service::<dyn LoadTestService>()?
            .unlink(&actor()?, id, incident)
            .await?;
        Ok(None)
    };
    finish(result.await, "run-unlink", &())
}
