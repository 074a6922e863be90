//! Markdown documents in: a pre-mortem report's scenarios, or a postmortem's incident with its
//! timeline, chains and action items. Each document is kept (so nothing in it is lost) under
//! its hash (so importing it again creates nothing).

use app::domain::*;
use app::error::AppError;
use app::service::{DocumentService, ImportOptions};
use async_trait::async_trait;

use super::json;
use crate::backend::Backend;
use crate::documents::{digest, outline, postmortem, premortem};
use crate::error::Result;
use crate::storage::audit::{self, Record};
use crate::storage::{Tx, action_items, five_whys, incidents, scenarios, timeline};

/// The most scenarios one document may hold: a pre-mortem names a handful, and each is a row
/// and an audit entry written under the one write lock.
const MAX_SCENARIOS: usize = 100;

/// A validation error inside a document, named by where it is: `scenarios[1].title`,
/// `timeline[3].text`.
fn within(prefix: String, e: Invalid) -> Invalid {
    Invalid::new(format!("{prefix}.{}", e.field), e.problem)
}

/// Every part validated, as the forms and the API would; the first problem refuses the whole
/// document.
fn validated(mut r: PostmortemReading) -> std::result::Result<PostmortemReading, Invalid> {
    r.incident = r
        .incident
        .validated()
        .map_err(|e| within("incident".into(), e))?;
    for (kind, n) in [
        (Children::TimelineEvents, r.timeline.len()),
        (Children::Chains, r.chains.len()),
        (Children::ActionItems, r.actions.len()),
    ] {
        if n > kind.max() {
            return Err(Invalid::new(
                kind.field(),
                Problem::TooMany { max: kind.max() },
            ));
        }
    }
    r.timeline = r
        .timeline
        .into_iter()
        .enumerate()
        .map(|(i, e)| {
            e.validated()
                .map_err(|e| within(format!("timeline[{i}]"), e))
        })
        .collect::<std::result::Result<_, _>>()?;
    r.chains = r
        .chains
        .into_iter()
        .enumerate()
        .map(|(i, c)| {
            c.validated()
                .map_err(|e| within(format!("five_whys[{i}]"), e))
        })
        .collect::<std::result::Result<_, _>>()?;
    r.actions = r
        .actions
        .into_iter()
        .enumerate()
        .map(|(i, a)| {
            a.validated()
                .map_err(|e| within(format!("action_items[{i}]"), e))
        })
        .collect::<std::result::Result<_, _>>()?;
    Ok(r)
}

impl Backend {
    /// Saves the report's targets over the current ones (they apply from the next start).
    fn save_targets(&self, report: &mut ImportReport) -> std::result::Result<(), AppError> {
        let (Some(found), Some(dir)) = (&report.premortem.targets, &self.data_dir) else {
            return Ok(());
        };
        crate::targets::save(dir, found.over(self.settings().targets)).map_err(|e| {
            tracing::error!(error = %e, "saving targets");
            AppError::Internal
        })?;
        report.targets_applied = true;
        Ok(())
    }

    /// Writes a postmortem's incident and everything under it; returns its id.
    async fn write_postmortem(
        &self,
        tx: &mut Tx,
        by: &Actor,
        r: &PostmortemReading,
        document: i64,
    ) -> Result<IncidentId> {
        let id = incidents::insert(tx, &r.incident).await?;
        scenarios::set_incident_document(tx, id, document).await?;
        audit::record(
            tx,
            by,
            Verb::Create,
            Record::incident(id),
            None,
            json(&r.incident),
        )
        .await?;
        for e in &r.timeline {
            timeline::insert(tx, id, e, by).await?;
        }
        for c in &r.chains {
            five_whys::insert(tx, id, c).await?;
        }
        for a in &r.actions {
            action_items::insert(tx, id, a, by).await?;
        }
        Ok(id)
    }
}

#[async_trait]
impl DocumentService for Backend {
    async fn import(
        &self,
        by: &Actor,
        name: String,
        text: String,
        options: ImportOptions,
    ) -> std::result::Result<ImportReport, AppError> {
        by.require(Need::Write)?;
        let outline = outline::read(&text);
        let mut pre = premortem::read(&outline);
        let post = if pre.scenarios.is_empty() {
            let read = postmortem::read_text(&text, &name, self.settings().tz)
                .ok_or_else(|| Invalid::new("file", Problem::NothingToImport))?;
            Some(validated(read)?)
        } else {
            if pre.scenarios.len() > MAX_SCENARIOS {
                return Err(
                    Invalid::new("scenarios", Problem::TooMany { max: MAX_SCENARIOS }).into(),
                );
            }
            if options.apply_matrix {
                premortem::apply_matrix(&mut pre);
            }
            pre.scenarios = std::mem::take(&mut pre.scenarios)
                .into_iter()
                .enumerate()
                .map(|(i, s)| {
                    let mut s = s
                        .validated()
                        .map_err(|e| within(format!("scenarios[{i}]"), e))?;
                    s.number_steps(&[], 0);
                    Ok(s)
                })
                .collect::<std::result::Result<_, Invalid>>()?;
            None
        };
        let kind = if post.is_some() {
            DocumentKind::Postmortem
        } else {
            DocumentKind::Premortem
        };
        let mut report = ImportReport {
            name,
            kind,
            dry_run: options.dry_run,
            imported_before: None,
            matrix_applied: options.apply_matrix && post.is_none(),
            targets_applied: false,
            premortem: pre,
            created: Vec::new(),
            postmortem: post,
            incident: None,
        };
        let apply_targets = options.apply_targets && !options.dry_run;
        if apply_targets {
            by.require(Need::Manage)?;
        }
        let sha = digest(&text);
        let mut tx = self.store.begin().await?;
        // A document imported before creates nothing again, unless everything made from it
        // has since been deleted: then it is imported afresh (under the same document row).
        let mut kept = None;
        if let Some(before) = scenarios::document_by_hash(&mut tx, &sha).await? {
            let made = scenarios::of_document(&mut tx, before.id).await?;
            let incident = scenarios::incident_of_document(&mut tx, before.id).await?;
            if !made.is_empty() || incident.is_some() {
                report.imported_before = Some(before.imported_at);
                report.created = made;
                report.incident = incident;
                drop(tx);
                if apply_targets {
                    self.save_targets(&mut report)?;
                }
                return Ok(report);
            }
            kept = Some(before.id);
        }
        if options.dry_run {
            return Ok(report);
        }
        let doc = match kept {
            Some(id) => id,
            None => {
                scenarios::insert_document(&mut tx, &sha, &report.name, kind, &text, by).await?
            }
        };
        if let Some(r) = &report.postmortem {
            report.incident = Some(self.write_postmortem(&mut tx, by, r, doc).await?);
        }
        for s in &report.premortem.scenarios {
            let id = scenarios::insert(&mut tx, s, Some(doc), by).await?;
            let what = Record::other("scenario", id.get());
            audit::record(&mut tx, by, Verb::Create, what, None, json(s)).await?;
            report.created.push((id, s.title.clone()));
        }
        self.commit(tx).await?;
        if apply_targets {
            self.save_targets(&mut report)?;
        }
        Ok(report)
    }
}
