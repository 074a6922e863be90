//! Load-test runs.

use app::domain::summaries;
use app::domain::*;
use app::error::AppError;
use app::queries::LoadTestQuery;
use app::service::LoadTestService;
use async_trait::async_trait;
use serde_json::Value;

use crate::backend::Backend;
use crate::storage::audit::{self, Record};
use crate::storage::load_tests;

const KIND: &str = "load_test";

/// A wrapped document's metadata and summary: `{"meta": {...}, "summary": {...}}`.
fn unwrap(doc: Value) -> Result<(Option<RunMeta>, Value), AppError> {
    let wrapped = doc.get("metrics").is_none() && doc.get("summary").is_some_and(Value::is_object);
    if !wrapped {
        return Ok((None, doc));
    }
    let mut doc = doc;
    let meta = match doc.get_mut("meta").map(Value::take) {
        None | Some(Value::Null) => None,
        Some(m) => Some(serde_json::from_value(m).map_err(|e| {
            AppError::from(Invalid::new(
                "meta",
                Problem::Malformed {
                    detail: e.to_string(),
                },
            ))
        })?),
    };
    let summary = doc.get_mut("summary").map(Value::take).unwrap_or_default();
    Ok((meta, summary))
}

/// The query's metadata, filled in from the wrapper's and then from what the document says.
fn merge(query: RunMeta, wrapped: Option<RunMeta>, s: &summaries::Summary) -> RunMeta {
    let w = wrapped.unwrap_or_default();
    let pick = |a: String, b: String| if a.trim().is_empty() { b } else { a };
    RunMeta {
        name: pick(query.name, w.name),
        scenario: pick(
            pick(query.scenario, w.scenario),
            s.scenario.clone().unwrap_or_default(),
        ),
        services: if query.services.is_empty() {
            w.services
        } else {
            query.services
        },
        environment: pick(query.environment, w.environment),
        started_at: query.started_at.or(w.started_at).or(s.started_at),
        version: pick(query.version, w.version),
        notes: pick(query.notes, w.notes),
    }
}

#[async_trait]
impl LoadTestService for Backend {
    async fn ingest(
        &self,
        by: &Actor,
        meta: RunMeta,
        doc: Value,
        raw: String,
        link: Option<(IncidentId, RunRelation)>,
    ) -> Result<LoadTestRun, AppError> {
        by.require(Need::Ingest)?;
        let (wrapped, doc) = unwrap(doc)?;
        let summary = summaries::read(&doc)?;
        let meta = merge(meta, wrapped, &summary).validated()?;
        let mut tx = self.store.begin().await?;
        let id = load_tests::insert(&mut tx, &meta, &summary, &raw, by).await?;
        if let Some((incident, relation)) = link {
            tx.touch(incident).await?;
            load_tests::link(&mut tx, id, incident, relation).await?;
        }
        let run = load_tests::get(&mut tx, id).await?;
        let after = Some(
            serde_json::json!({"name": run.meta.name, "scenario": run.meta.scenario, "format": run.format, "passed": run.passed}),
        );
        audit::record(
            &mut tx,
            by,
            Verb::Create,
            Record::other(KIND, id.get()),
            None,
            after,
        )
        .await?;
        self.commit(tx).await?;
        Ok(run)
    }

    async fn list(&self, by: &Actor, q: LoadTestQuery) -> Result<Page<LoadTestRun>, AppError> {
        by.require(Need::Read)?;
        Ok(load_tests::list(&self.store, &q).await?)
    }

    async fn get(&self, by: &Actor, id: LoadTestId) -> Result<LoadTestRun, AppError> {
        by.require(Need::Read)?;
        Ok(load_tests::find(&self.store, id).await?)
    }

    async fn raw(&self, by: &Actor, id: LoadTestId) -> Result<String, AppError> {
        by.require(Need::Read)?;
        Ok(load_tests::raw(&self.store, id).await?)
    }

    async fn compare(
        &self,
        by: &Actor,
        baseline: LoadTestId,
        candidate: LoadTestId,
    ) -> Result<Comparison, AppError> {
        by.require(Need::Read)?;
        let b = load_tests::find(&self.store, baseline).await?;
        let c = load_tests::find(&self.store, candidate).await?;
        Ok(compare(b, c))
    }

    async fn link(
        &self,
        by: &Actor,
        run: LoadTestId,
        incident: IncidentId,
        relation: RunRelation,
    ) -> Result<LoadTestRun, AppError> {
        by.require(Need::Write)?;
        let mut tx = self.store.begin().await?;
        load_tests::get(&mut tx, run).await?;
        tx.touch(incident).await?;
        load_tests::link(&mut tx, run, incident, relation).await?;
        let what = Record::child(KIND, run.get(), incident);
        let after = Some(serde_json::json!({"incident_id": incident, "relation": relation}));
        audit::record(&mut tx, by, Verb::Update, what, None, after).await?;
        let linked = load_tests::get(&mut tx, run).await?;
        self.commit(tx).await?;
        Ok(linked)
    }

    async fn unlink(
        &self,
        by: &Actor,
        run: LoadTestId,
        incident: IncidentId,
    ) -> Result<LoadTestRun, AppError> {
        by.require(Need::Write)?;
        let mut tx = self.store.begin().await?;
        load_tests::unlink(&mut tx, run, incident).await?;
        tx.touch(incident).await?;
        let what = Record::child(KIND, run.get(), incident);
        let before = Some(serde_json::json!({"incident_id": incident}));
        audit::record(&mut tx, by, Verb::Update, what, before, None).await?;
        let unlinked = load_tests::get(&mut tx, run).await?;
        self.commit(tx).await?;
        Ok(unlinked)
    }
}
