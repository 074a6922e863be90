//! `--report-to`: the run filed in hoego when it ends, as evidence (`POST /api/v1/load-tests`
//! with the `--summary-export` document as its body and the run's metadata in the query), and
//! linked to an incident if asked.

use std::path::Path;

use anyhow::{Context, Result};
use clap::Args;

use super::summary::Summary;
use crate::hoego::{Filed, Hoego, Relation, RunMeta, SERVICE};

/// Where to file the run, and what to say of it there.
#[derive(Debug, Clone, Args)]
pub struct ReportArgs {
    /// File the run in the hoego at this base URL when it ends.
    #[arg(long, env = "COUPON_HOEGO_URL", value_name = "URL")]
    pub report_to: Option<String>,
    /// A hoego token with the scope ingest (`hoego token create --name loadtest --scope
    /// ingest`), for --report-to.
    #[arg(long, env = "COUPON_HOEGO_TOKEN", hide_env_values = true)]
    pub token: Option<String>,
    /// Link the run to this hoego incident (with --relation).
    #[arg(long, value_name = "ID", requires_all = ["report_to", "relation"])]
    pub incident: Option<i64>,
    /// How the run relates to --incident.
    #[arg(long, value_enum, requires = "incident")]
    pub relation: Option<Relation>,
    /// The run's name in hoego (without one, hoego shows its scenario).
    #[arg(long, requires = "report_to")]
    pub name: Option<String>,
    /// The services the run tested, comma-separated.
    #[arg(long, value_delimiter = ',', default_value = SERVICE)]
    pub services: Vec<String>,
    /// Where it ran, e.g. `staging`.
    #[arg(long, requires = "report_to")]
    pub environment: Option<String>,
    /// The version or git ref of what was tested.
    #[arg(long, requires = "report_to")]
    pub version: Option<String>,
    /// Notes for hoego's run page.
    #[arg(long, requires = "report_to")]
    pub notes: Option<String>,
}

impl Default for ReportArgs {
    fn default() -> Self {
        ReportArgs {
            report_to: None,
            token: None,
            incident: None,
            relation: None,
            name: None,
            services: vec![SERVICE.to_owned()],
            environment: None,
            version: None,
            notes: None,
        }
    }
}

impl ReportArgs {
    /// The hoego to file in, if any: checked before the run, so a bad URL or a missing token
    /// fails before the load rather than after it.
    pub fn client(&self) -> Result<Option<Hoego>> {
        let Some(url) = &self.report_to else {
            return Ok(None);
        };
        Hoego::new(url, self.token.as_deref().unwrap_or_default())
            .context("--report-to")
            .map(Some)
    }

    /// What hoego is told beside the document.
    pub fn meta(&self, summary: &Summary) -> RunMeta {
        let text = |v: &Option<String>| v.clone().unwrap_or_default();
        RunMeta {
            scenario: summary.scenario.as_str().to_owned(),
            services: self.services.clone(),
            name: text(&self.name),
            environment: text(&self.environment),
            version: text(&self.version),
            notes: text(&self.notes),
            started_at: Some(summary.started_at),
            link: self.incident.zip(self.relation),
        }
    }
}

/// Files the run and prints its page. `document` is the export exactly as `--summary-export`
/// writes it; `kept`, where it was written, for the error to say where it is.
pub async fn file(
    hoego: &Hoego,
    args: &ReportArgs,
    summary: &Summary,
    document: String,
    kept: Option<&Path>,
) -> Result<()> {
    let Filed { id, page } = hoego
        .file_load_test(&args.meta(summary), document)
        .await
        .with_context(|| match kept {
            Some(path) => format!(
                "the run was not filed in hoego; its summary is in {} to upload later",
                path.display()
            ),
            None => "the run was not filed in hoego".to_owned(),
        })?;
    println!("filed in hoego as run #{id}: {page}");
    Ok(())
}
