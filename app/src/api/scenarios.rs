//! Server functions for failure scenarios: the list, one scenario, the form, an import report,
//! and an incident's scenarios with their checklists.

use leptos::prelude::*;

#[cfg(feature = "ssr")]
use super::flow::{finish, tz};
use crate::domain::{ImportReport, IncidentId, IncidentScenario, Page, Scenario, ScenarioId};
use crate::error::AppError;
use crate::forms::ScenarioForm;
use crate::queries::ScenarioQuery;
#[cfg(feature = "ssr")]
use crate::service::{ScenarioService, actor, service};

#[server(endpoint = "scenarios/list")]
pub async fn list_scenarios(query: ScenarioQuery) -> Result<Page<Scenario>, AppError> {
    service::<dyn ScenarioService>()?
        .list(&actor()?, query)
        .await
}

#[server(endpoint = "scenarios/get")]
pub async fn get_scenario(id: ScenarioId) -> Result<Scenario, AppError> {
    service::<dyn ScenarioService>()?.get(&actor()?, id).await
}

#[server(endpoint = "scenarios/create")]
pub async fn create_scenario(form: ScenarioForm) -> Result<(), AppError> {
    let result = async {
        let created = service::<dyn ScenarioService>()?
            .create(&actor()?, form.to_input()?)
            .await?;
        Ok(Some(format!("/scenarios/{}", created.id)))
    };
    finish(result.await, "scenario", &form)
}

#[server(endpoint = "scenarios/update")]
pub async fn update_scenario(id: ScenarioId, form: ScenarioForm) -> Result<(), AppError> {
    let result = async {
        service::<dyn ScenarioService>()?
            .update(&actor()?, id, form.to_input()?)
            .await?;
        Ok(Some(format!("/scenarios/{id}")))
    };
    finish(result.await, "scenario", &form)
}

#[server(endpoint = "scenarios/delete")]
pub async fn delete_scenario(id: ScenarioId) -> Result<(), AppError> {
    let result = async {
        service::<dyn ScenarioService>()?
            .delete(&actor()?, id)
            .await?;
        Ok(Some("/scenarios".to_owned()))
    };
    finish(result.await, "delete", &())
}

/// An import's report kept for the page the upload redirected to (see `server::http::import`).
#[server(endpoint = "scenarios/import-report")]
pub async fn load_import_report(token: String) -> Result<Option<KeptImport>, AppError> {
    Ok(use_context::<reports::ImportReports>().and_then(|s| s.get(&token)))
}

/// What an upload came to: a report (with, for a dry run, the document, so "Import" needs no
/// second upload) or why it was refused.
#[derive(Clone, Debug, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct KeptImport {
    pub report: Option<ImportReport>,
    pub error: Option<AppError>,
    pub text: Option<String>,
}

#[cfg(feature = "ssr")]
pub mod reports {
    //! Reports of uploads made through the import form, kept 15 minutes under a random token.

    use super::KeptImport;
    use crate::api::flash::store::Kept;

    pub type ImportReports = Kept<KeptImport>;

    impl crate::api::flash::store::Footprint for KeptImport {
        /// The report as JSON: everything it holds counts, a postmortem's narrative included.
        fn bytes(&self) -> usize {
            self.text.as_ref().map_or(0, String::len)
                + self
                    .report
                    .as_ref()
                    .and_then(|r| serde_json::to_vec(r).ok())
                    .map_or(0, |j| j.len())
        }
    }
}

#[server(endpoint = "scenarios/of-incident")]
pub async fn incident_scenarios(incident: IncidentId) -> Result<Vec<IncidentScenario>, AppError> {
    service::<dyn ScenarioService>()?
        .of_incident(&actor()?, incident)
        .await
}

#[server(endpoint = "scenarios/link")]
pub async fn link_scenario(incident: IncidentId, scenario: String) -> Result<(), AppError> {
    let result = async {
        let scenario: ScenarioId =
            crate::forms::opt_id("scenario", &scenario)?.ok_or_else(|| {
                AppError::from(crate::domain::Invalid::new(
                    "scenario",
                    crate::domain::Problem::Required,
                ))
            })?;
        service::<dyn ScenarioService>()?
            .link(&actor()?, incident, scenario)
            .await?;
        Ok(None)
    };
    finish(
        result.await,
        "scenario-link",
        &serde_json::json!({ "scenario": scenario }),
    )
}

#[server(endpoint = "scenarios/unlink")]
pub async fn unlink_scenario(incident: IncidentId, scenario: ScenarioId) -> Result<(), AppError> {
    let result = async {
        service::<dyn ScenarioService>()?
            .unlink(&actor()?, incident, scenario)
            .await?;
        Ok(None)
    };
    finish(result.await, "scenario-unlink", &())
}

/// Ticks a step at the time typed (display zone), or now; `done` false un-ticks it.
#[server(endpoint = "scenarios/tick")]
pub async fn tick_step(
    incident: IncidentId,
    scenario: ScenarioId,
    step: u32,
    done: bool,
    at: String,
) -> Result<(), AppError> {
    let result = async {
        let svc = service::<dyn ScenarioService>()?;
        if done {
            let at = crate::time::parse_local("at", &at, tz()?)?;
            svc.tick(&actor()?, incident, scenario, step, at).await?;
        } else {
            svc.untick(&actor()?, incident, scenario, step).await?;
        }
        Ok(None)
    };
    finish(
        result.await,
        "scenario-tick",
        &serde_json::json!({ "at": at }),
    )
}
