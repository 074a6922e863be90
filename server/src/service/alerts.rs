//! Alert events: ingestion and the linking rules, by hand linking, recovery from alerts.

use std::collections::HashMap;

use app::domain::*;
use app::error::AppError;
use app::queries::AlertQuery;
use app::service::AlertService;
use async_trait::async_trait;
use chrono::{DateTime, Utc};

use super::alert_writes::Arrived;
use super::{json, limits, rewrite_incident};
use crate::backend::Backend;
use crate::error::Result;
use crate::notify;
use crate::storage::alerts::{self, Arrival, Columns, Stored};
use crate::storage::audit::{self, Record};
use crate::storage::{Tx, incidents, timeline};

/// A timeline event for `a` (its summary, by its alert name), unless the incident's timeline is
/// full (an alert storm must not make a webhook fail: Alertmanager would resend it forever).
async fn alert_event(
    tx: &mut Tx,
    by: &Actor,
    incident: IncidentId,
    a: &AlertEvent,
    kind: EventKind,
    at: DateTime<Utc>,
) -> Result<()> {
    if limits::room_for(tx, limits::Children::TimelineEvents, incident)
        .await
        .is_err()
    {
        return Ok(());
    }
    let mut text = a.summary();
    if let Some((cut, _)) = text.char_indices().nth(EVENT_TEXT_MAX) {
        text.truncate(cut);
    }
    let e = EventInput {
        at,
        kind,
        text,
        source: Provenance::Alert,
        author: a.alertname.chars().take(AUTHOR_MAX).collect(),
    };
    timeline::insert_for_alert(tx, incident, &e, a.id, by).await?;
    Ok(())
}

/// Links the failure scenarios that name this alert (by `alertname` or `scenario` label) to the
/// incident it opened or joined.
async fn scenario_of(tx: &mut Tx, incident: IncidentId, a: &AlertEvent) -> Result<()> {
    let label = a.labels.get("scenario").map_or("", String::as_str);
    super::scenarios::link_detected(tx, incident, &a.alertname, label).await
}

/// The fired (and, if so, resolved) events of an alert newly linked to `incident`.
async fn alert_events(tx: &mut Tx, by: &Actor, incident: IncidentId, a: &AlertEvent) -> Result<()> {
    alert_event(tx, by, incident, a, EventKind::AlertFired, a.starts_at).await?;
    if a.status == AlertStatus::Resolved {
        let at = a.ends_at.or(a.resolved_received_at).unwrap_or(a.starts_at);
        alert_event(tx, by, incident, a, EventKind::AlertResolved, at).await?;
    }
    Ok(())
}

/// What one webhook has learnt of where its alerts go: a notification carries many alerts of
/// one group and a few services, and each lookup is a statement.
#[derive(Default)]
struct Placements {
    groups: HashMap<String, Option<IncidentId>>,
    services: HashMap<String, Option<IncidentId>>,
}

impl Backend {
    /// An incident opened by a firing alert: its summary for a title, its priority for a
    /// severity, its service; impact began when the alert started, and it was detected when
    /// hoego heard of it, both with provenance `alert`.
    async fn open_for(&self, tx: &mut Tx, by: &Actor, a: &Arrival<'_>) -> Result<IncidentId> {
        let alertname = a
            .alert
            .labels
            .get("alertname")
            .map(String::as_str)
            .unwrap_or("alert");
        let title = match a
            .alert
            .annotations
            .get("summary")
            .filter(|s| !s.trim().is_empty())
        {
            Some(s) => s.trim().to_owned(),
            None if a.service.is_empty() => alertname.to_owned(),
            None => format!("{alertname} on {}", a.service),
        };
        let mut f = IncidentFields::new(
            title.chars().take(TITLE_MAX).collect::<String>(),
            a.priority.unwrap_or(Severity::P3),
        );
        f.services = [a.service.clone()]
            .into_iter()
            .filter(|s| !s.is_empty())
            .collect();
        f.services.truncate(SERVICES_MAX);
        f.summary = a
            .alert
            .annotations
            .get("description")
            .map(|d| d.chars().take(SUMMARY_MAX).collect())
            .unwrap_or_default();
        f.times.set(
            Moment::Started,
            Some(a.alert.starts_at),
            Some(Provenance::Alert),
        );
        let detected = a.received_at.max(a.alert.starts_at);
        f.times
            .set(Moment::Detected, Some(detected), Some(Provenance::Alert));
        let f = f.validated()?;
        let id = incidents::insert(tx, &f).await?;
        audit::record(tx, by, Verb::Create, Record::incident(id), None, json(&f)).await?;
        notify::incident_opened(tx, &self.store, &self.options.base_url, id).await?;
        Ok(id)
    }

    /// Where a new firing alert goes: the open incident of its group, else of its service,
    /// else a new incident if its priority is high enough.
    async fn place(
        &self,
        tx: &mut Tx,
        by: &Actor,
        a: &Arrival<'_>,
        out: &mut Ingested,
        seen: &mut Placements,
    ) -> Result<Option<IncidentId>> {
        let group = match seen.groups.get(&a.webhook.group_key) {
            Some(known) => *known,
            None => {
                let found = alerts::open_incident_of_group(tx, &a.webhook.group_key).await?;
                seen.groups.insert(a.webhook.group_key.clone(), found);
                found
            }
        };
        let joined = match group {
            Some(i) => Some(i),
            None => match seen.services.get(&a.service) {
                Some(known) => *known,
                None => {
                    let found = alerts::open_incident_of_service(tx, &a.service).await?;
                    seen.services.insert(a.service.clone(), found);
                    found
                }
            },
        };
        if let Some(i) = joined {
            // Later alerts of this group join it too, as the database would now say.
            seen.groups.insert(a.webhook.group_key.clone(), Some(i));
            if !out.joined.contains(&i) && !out.opened.contains(&i) {
                out.joined.push(i);
            }
            self.detected_by_alert(tx, by, i, a).await?;
            return Ok(Some(i));
        }
        if self.options.alert_rules.opens(a.priority) {
            let i = self.open_for(tx, by, a).await?;
            out.opened.push(i);
            // The rest of this webhook's group and service go to it.
            seen.groups.insert(a.webhook.group_key.clone(), Some(i));
            seen.services.insert(a.service.clone(), Some(i));
            return Ok(Some(i));
        }
        Ok(None)
    }

    /// An open incident an alert joins takes its detection time from the alert if it has
    /// none yet.
    async fn detected_by_alert(
        &self,
        tx: &mut Tx,
        by: &Actor,
        id: IncidentId,
        a: &Arrival<'_>,
    ) -> Result<()> {
        let current = incidents::fetch(tx, &self.store, id).await?;
        let mut f = current.fields.clone();
        if f.times.detected_at.is_some() {
            return Ok(());
        }
        let detected = a
            .received_at
            .max(f.times.started_at.unwrap_or(a.received_at));
        f.times
            .set(Moment::Detected, Some(detected), Some(Provenance::Alert));
        if let Ok(f) = f.validated() {
            rewrite_incident(tx, by, &current, &f).await?;
        }
        Ok(())
    }
}

impl Backend {
    /// Writes one webhook's alerts in `tx`: stores them, places the new firing ones, and adds
    /// their timeline events. Run by whichever request holds the write turn
    /// ([`super::alert_writes`]).
    pub(super) async fn ingest_in(&self, tx: &mut Tx, w: &Arrived) -> Result<Ingested> {
        let (by, source, webhook, received_at) = (&w.by, w.source, &w.webhook, w.received_at);
        let mut out = Ingested::default();
        let mut seen = Placements::default();
        let arrivals: Vec<Arrival> = webhook
            .alerts
            .iter()
            .zip(&w.columns)
            .map(|(alert, columns)| Arrival::new(webhook, alert, source, received_at, columns))
            .collect();
        let stored = alerts::store_all(tx, &arrivals).await?;
        for (a, (id, stored, incident)) in arrivals.iter().zip(stored) {
            let alert = a.alert;
            match stored {
                Stored::Unchanged => out.unchanged += 1,
                Stored::New => {
                    out.new += 1;
                    let placed = match alert.status {
                        AlertStatus::Firing => self.place(tx, by, a, &mut out, &mut seen).await?,
                        // Resolved before hoego heard of it: kept, not linked.
                        AlertStatus::Resolved => None,
                    };
                    if let Some(i) = placed {
                        alerts::link(tx, id, i, LinkedBy::Rule).await?;
                        let stored = alerts::get(tx, id).await?;
                        alert_events(tx, by, i, &stored).await?;
                        scenario_of(tx, i, &stored).await?;
                    }
                }
                Stored::Changed(status) => {
                    out.updated += 1;
                    if let Some(i) = incident {
                        let stored = alerts::get(tx, id).await?;
                        let (kind, at) = match status {
                            AlertStatus::Resolved => (
                                EventKind::AlertResolved,
                                stored.ends_at.unwrap_or(received_at),
                            ),
                            AlertStatus::Firing => (EventKind::AlertFired, received_at),
                        };
                        alert_event(tx, by, i, &stored, kind, at).await?;
                    }
                }
            }
        }
        Ok(out)
    }
}

#[async_trait]
impl AlertService for Backend {
    async fn ingest(&self, by: &Actor, webhook: Webhook) -> Result<Ingested, AppError> {
        by.require(Need::Ingest)?;
        let (source, webhook) = webhook.validated()?;
        let rules = &self.options.alert_rules;
        let columns = webhook
            .alerts
            .iter()
            .map(|a| Columns::new(a, rules.service(&a.labels), rules.priority(&a.labels)))
            .collect();
        let arrived = Arrived {
            by: by.clone(),
            source,
            webhook,
            columns,
            received_at: Utc::now(),
        };
        let out = self.write_together(std::sync::Arc::new(arrived)).await?;
        use crate::metrics::AlertOutcome;
        self.metrics.alerts(AlertOutcome::New, out.new);
        self.metrics.alerts(AlertOutcome::Updated, out.updated);
        self.metrics.alerts(AlertOutcome::Unchanged, out.unchanged);
        Ok(out)
    }

    async fn list(&self, by: &Actor, q: AlertQuery) -> Result<Page<AlertEvent>, AppError> {
        by.require(Need::Read)?;
        Ok(alerts::list(&self.store, &q).await?)
    }

    async fn get(&self, by: &Actor, id: AlertId) -> Result<AlertEvent, AppError> {
        by.require(Need::Read)?;
        Ok(alerts::find(&self.store, id).await?)
    }

    async fn link(
        &self,
        by: &Actor,
        id: AlertId,
        incident: IncidentId,
    ) -> Result<AlertEvent, AppError> {
        by.require(Need::Write)?;
        let mut tx = self.store.begin().await?;
        let current = alerts::get(&mut tx, id).await?;
        if current.incident_id == Some(incident) {
            return Ok(current);
        }
        tx.touch(incident).await?;
        alerts::unlink(&mut tx, &current).await?;
        alerts::link(&mut tx, id, incident, LinkedBy::Hand).await?;
        let linked = alerts::get(&mut tx, id).await?;
        alert_events(&mut tx, by, incident, &linked).await?;
        scenario_of(&mut tx, incident, &linked).await?;
        let what = Record::child("alert", id.get(), incident);
        let (b, a) = (
            Some(serde_json::json!({"incident_id": current.incident_id})),
            Some(serde_json::json!({"incident_id": incident})),
        );
        audit::record(&mut tx, by, Verb::Update, what, b, a).await?;
        self.commit(tx).await?;
        Ok(linked)
    }

    async fn unlink(&self, by: &Actor, id: AlertId) -> Result<AlertEvent, AppError> {
        by.require(Need::Write)?;
        let mut tx = self.store.begin().await?;
        let current = alerts::get(&mut tx, id).await?;
        let Some(incident) = current.incident_id else {
            return Ok(current);
        };
        alerts::unlink(&mut tx, &current).await?;
        tx.touch(incident).await?;
        let what = Record::child("alert", id.get(), incident);
        let (b, a) = (
            Some(serde_json::json!({"incident_id": incident})),
            Some(serde_json::json!({"incident_id": null})),
        );
        audit::record(&mut tx, by, Verb::Update, what, b, a).await?;
        let unlinked = alerts::get(&mut tx, id).await?;
        self.commit(tx).await?;
        Ok(unlinked)
    }

    async fn recover_from_alerts(&self, by: &Actor, incident: IncidentId) -> Result<(), AppError> {
        by.require(Need::Write)?;
        let detail = incidents::detail(&self.store, incident).await?;
        let last = app::domain::recovery_from(&detail.alerts)
            .ok_or_else(|| AppError::from(Invalid::new("recovered_at", Problem::AlertsFiring)))?;
        let patch = IncidentPatch {
            recovered_at: Some(Some(last)),
            recovered_at_provenance: Some(Provenance::Alert),
            ..Default::default()
        };
        app::service::IncidentService::update(self, by, incident, patch).await?;
        Ok(())
    }
}
