//! One incident with everything filed under it, read in one statement.

use std::sync::LazyLock;

use app::domain::IncidentId;
use app::error::AppError;
use app::queries::IncidentDetail;

use super::{IncidentRow, SERVICES};
use crate::error::{Error, Result};
use crate::storage::Store;
use crate::storage::alerts::AlertRow;
use crate::storage::rows::{self, from_json};
use crate::storage::scenarios;

/// Everything filed under an incident, as JSON arrays built by SQLite in the statement that
/// reads the incident: each statement is a round trip to sqlx's SQLite worker thread, and the
/// detail page is read far more often than anything else.
const CHILDREN: &str = "\
    (SELECT json_group_array(json_object('id', id, 'incident_id', incident_id, 'at', at, 'kind', kind, \
        'text', text, 'source', source, 'author', author, 'recorded_by', recorded_by, 'version', version)) \
     FROM (SELECT * FROM timeline_events WHERE incident_id = i.id ORDER BY at, id)) AS timeline, \
    (SELECT json_group_array(json_object('id', id, 'incident_id', incident_id, 'problem', problem, \
        'root_cause', root_cause, 'category', category, 'version', version)) \
     FROM (SELECT * FROM five_whys WHERE incident_id = i.id ORDER BY id)) AS chains, \
    (SELECT json_group_array(json_object('id', id, 'chain_id', chain_id, 'why', why, 'because', because)) \
     FROM (SELECT s.* FROM five_why_steps s JOIN five_whys c ON c.id = s.chain_id \
           WHERE c.incident_id = i.id ORDER BY s.chain_id, s.position, s.id)) AS steps, \
    (SELECT json_group_array(json_object('id', id, 'incident_id', incident_id, 'title', title, 'owner', owner, \
        'due', due, 'status', status, 'horizon', horizon, 'kind', kind, 'five_why_step_id', five_why_step_id, \
        'created_by', created_by, 'done_at', done_at, 'version', version)) \
     FROM (SELECT * FROM action_items WHERE incident_id = i.id ORDER BY id)) AS actions, \
    (SELECT json_group_array(json_object('from_status', from_status, 'to_status', to_status, \
        'reason', reason, 'at', at, 'changed_by', changed_by)) \
     FROM (SELECT * FROM status_changes WHERE incident_id = i.id ORDER BY at, id)) AS changes, \
    (SELECT json_group_array(json_object('id', id, 'fingerprint', fingerprint, 'status', status, \
        'source', source, 'alertname', alertname, 'service', service, 'priority', priority, \
        'labels', labels, 'annotations', annotations, 'starts_at', starts_at, 'ends_at', ends_at, \
        'generator_url', generator_url, 'receiver', receiver, 'group_key', group_key, \
        'external_url', external_url, 'truncated_alerts', truncated_alerts, 'extra', extra, \
        'received_at', received_at, 'resolved_received_at', resolved_received_at, \
        'incident_id', incident_id, 'linked_by', linked_by)) \
     FROM (SELECT * FROM alert_events WHERE incident_id = i.id ORDER BY starts_at, id)) AS alerts, \
    (SELECT json_group_array(json_object('run', r.id, \
        'title', coalesce(nullif(r.name, ''), nullif(r.scenario, ''), 'run ' || r.id), \
        'relation', l.relation, 'passed', CASE r.passed WHEN 1 THEN json('true') WHEN 0 THEN json('false') END, \
        'rps', r.rps, 'p99_ms', r.p99_ms, 'when', r.ran_at)) \
     FROM incident_load_tests l JOIN load_test_runs r ON r.id = l.run_id WHERE l.incident_id = i.id) AS load_tests, \
    (SELECT json_group_array(json_object('service', service, 'scenario', scenario, 'run', id, \
        'rps', rps, 'p99_ms', p99_ms, 'when', ran_at)) \
     FROM (SELECT s.service, r.scenario, r.id, r.rps, r.p99_ms, r.ran_at, \
             row_number() OVER (PARTITION BY s.service, r.scenario ORDER BY r.ran_at DESC, r.id DESC) AS n \
           FROM incident_services isv JOIN load_test_services s ON s.service = isv.service \
           JOIN load_test_runs r ON r.id = s.run_id WHERE isv.incident_id = i.id AND r.passed = 1) \
     WHERE n = 1) AS capacity";

static SELECT: LazyLock<String> = LazyLock::new(|| {
    format!(
        "SELECT i.*, {SERVICES}, {CHILDREN}, {}, {} FROM incidents i WHERE i.id = ?",
        scenarios::LINKED,
        scenarios::CHOICES
    )
});

#[derive(sqlx::FromRow)]
struct DetailRow {
    #[sqlx(flatten)]
    incident: IncidentRow,
    timeline: String,
    chains: String,
    steps: String,
    actions: String,
    changes: String,
    alerts: String,
    load_tests: String,
    capacity: String,
    scenarios: String,
    scenario_choices: String,
}

fn all<R, T: TryFrom<R, Error = Error>>(rows: Vec<R>) -> Result<Vec<T>> {
    rows.into_iter().map(T::try_from).collect()
}

#[tracing::instrument(skip(store))]
pub async fn detail(store: &Store, id: IncidentId) -> Result<IncidentDetail> {
    let found: Option<DetailRow> = sqlx::query_as(&SELECT)
        .bind(id.get())
        .fetch_optional(&store.pool)
        .await?;
    let DetailRow {
        incident: mut row,
        timeline,
        chains,
        steps,
        actions,
        changes,
        alerts,
        load_tests,
        capacity,
        scenarios: linked,
        scenario_choices,
    } = found.ok_or_else(|| AppError::not_found("incident"))?;
    let timeline: Vec<rows::EventRow> = from_json("timeline", &timeline)?;
    let chains: Vec<rows::ChainRow> = from_json("chains", &chains)?;
    let steps: Vec<rows::StepRow> = from_json("steps", &steps)?;
    let actions: Vec<rows::ActionRow> = from_json("actions", &actions)?;
    let changes: Vec<rows::StatusChangeRow> = from_json("status changes", &changes)?;
    let alerts: Vec<AlertRow> = from_json("alerts", &alerts)?;
    let summary_html = std::mem::take(&mut row.summary_html);
    let narrative_html = std::mem::take(&mut row.narrative_html);
    let incident = row.into_incident(&store.settings.targets)?;
    let detected_at = incident.fields.times.detected_at;
    Ok(IncidentDetail {
        summary_html,
        narrative_html,
        scenarios: scenarios::followed(id, &linked, detected_at, chrono::Utc::now())?,
        scenario_choices: from_json("scenario choices", &scenario_choices)?,
        incident,
        timeline: all(timeline)?,
        five_whys: rows::chains(chains, steps)?,
        action_items: all(actions)?,
        status_changes: all(changes)?,
        alerts: all(alerts)?,
        load_tests: from_json("load tests", &load_tests)?,
        capacity: from_json("capacity", &capacity)?,
    })
}
