//! Failure scenarios, their load-test runs, their links to incidents and the steps incidents
//! ticked; and the imported documents they came from.

use app::domain::*;
use app::error::AppError;
use app::queries::ScenarioQuery;
use chrono::{DateTime, Utc};
use sqlx::{QueryBuilder, Sqlite, SqliteConnection};

use super::clause::{Clause, contains_pattern, push_page};
use super::columns::Columns;
use super::rows::{from_json, json, parse, parse_opt};
use super::{Store, Tx};
use crate::error::Result;

/// The columns a scenario's input is written to.
fn columns(s: &ScenarioInput) -> Columns<'_> {
    Columns::new()
        .set("title", s.title.as_str())
        .set("severity", s.severity.map(Severity::as_str))
        .set("triggered_by", s.trigger.as_str())
        .set("business_impact", s.business_impact.as_str())
        .set("notes", s.notes.as_str())
        .set("symptoms", json(&s.symptoms))
        .set("services", json(&s.services))
        .set("detection", json(&s.detection))
        .set("stages", json(&s.stages))
        .set("chain", json(&s.chain))
        .set("updated_at", Utc::now())
}

pub async fn insert(
    tx: &mut Tx,
    s: &ScenarioInput,
    document: Option<i64>,
    by: &Actor,
) -> Result<ScenarioId> {
    let id = columns(s)
        .set("document_id", document)
        .set("created_at", Utc::now())
        .set("created_by", by.name.as_str())
        .insert(tx, "scenarios")
        .await?;
    let id = ScenarioId::from(id);
    set_runs(tx, id, &s.load_tests).await?;
    Ok(id)
}

/// Replaces a scenario's parts; `NotFound` when there is none.
pub async fn update(tx: &mut Tx, id: ScenarioId, s: &ScenarioInput) -> Result<()> {
    if columns(s).update(tx, "scenarios", id.get()).await? == 0 {
        return Err(AppError::not_found("scenario").into());
    }
    sqlx::query("DELETE FROM scenario_load_tests WHERE scenario_id = ?")
        .bind(id.get())
        .execute(&mut **tx)
        .await?;
    set_runs(tx, id, &s.load_tests).await?;
    for incident in incidents_of(tx, id).await? {
        tx.touch(incident).await?;
    }
    Ok(())
}

async fn set_runs(tx: &mut Tx, id: ScenarioId, runs: &[LoadTestId]) -> Result<()> {
    for (i, run) in runs.iter().enumerate() {
        let done = sqlx::query(
            "INSERT OR IGNORE INTO scenario_load_tests (scenario_id, run_id) \
             SELECT ?, id FROM load_test_runs WHERE id = ?",
        )
        .bind(id.get())
        .bind(run.get())
        .execute(&mut **tx)
        .await?;
        if done.rows_affected() == 0 {
            return Err(AppError::Invalid(Invalid::new(
                format!("load_tests[{i}]"),
                Problem::Malformed {
                    detail: format!("no load-test run {run}"),
                },
            ))
            .into());
        }
    }
    Ok(())
}

pub async fn delete(tx: &mut Tx, id: ScenarioId) -> Result<()> {
    for incident in incidents_of(tx, id).await? {
        tx.touch(incident).await?;
    }
    let done = sqlx::query("DELETE FROM scenarios WHERE id = ?")
        .bind(id.get())
        .execute(&mut **tx)
        .await?;
    if done.rows_affected() == 0 {
        return Err(AppError::not_found("scenario").into());
    }
    Ok(())
}

async fn incidents_of(conn: &mut SqliteConnection, id: ScenarioId) -> Result<Vec<IncidentId>> {
    let ids: Vec<i64> =
        sqlx::query_scalar("SELECT incident_id FROM incident_scenarios WHERE scenario_id = ?")
            .bind(id.get())
            .fetch_all(conn)
            .await?;
    Ok(ids.into_iter().map(IncidentId::from).collect())
}

#[derive(sqlx::FromRow)]
struct ScenarioRow {
    id: i64,
    title: String,
    severity: Option<String>,
    triggered_by: String,
    business_impact: String,
    notes: String,
    symptoms: String,
    services: String,
    detection: String,
    stages: String,
    chain: String,
    created_at: DateTime<Utc>,
    updated_at: DateTime<Utc>,
    created_by: String,
    /// JSON array of `{id, name, scenario}`.
    runs: String,
    /// JSON array of `{id, title, linked_by}`.
    incidents: String,
}

#[derive(serde::Deserialize)]
struct RunRow {
    id: i64,
    name: String,
    scenario: String,
}

impl TryFrom<ScenarioRow> for Scenario {
    type Error = crate::error::Error;
    fn try_from(r: ScenarioRow) -> Result<Scenario> {
        Ok(Scenario {
            id: r.id.into(),
            title: r.title,
            severity: parse_opt(r.severity.as_deref(), Severity::parse, "severity")?,
            trigger: r.triggered_by,
            symptoms: from_json("symptoms", &r.symptoms)?,
            services: from_json("services", &r.services)?,
            business_impact: r.business_impact,
            detection: from_json("detection", &r.detection)?,
            stages: from_json("stages", &r.stages)?,
            chain: from_json("chain", &r.chain)?,
            notes: r.notes,
            load_tests: from_json::<Vec<RunRow>>("runs", &r.runs)?
                .into_iter()
                .map(|run| ScenarioRun {
                    id: run.id.into(),
                    title: [run.name, run.scenario]
                        .into_iter()
                        .find(|s| !s.is_empty())
                        .unwrap_or_else(|| format!("run {}", run.id)),
                })
                .collect(),
            incidents: from_json::<Vec<IncidentLinkRow>>("incidents", &r.incidents)?
                .into_iter()
                .map(|i| {
                    Ok(ScenarioIncident {
                        id: i.id.into(),
                        title: i.title,
                        linked_by: parse(&i.linked_by, LinkedBy::parse, "linked_by")?,
                    })
                })
                .collect::<Result<_>>()?,
            created_at: r.created_at,
            updated_at: r.updated_at,
            created_by: r.created_by,
        })
    }
}

#[derive(serde::Deserialize)]
struct IncidentLinkRow {
    id: i64,
    title: String,
    linked_by: String,
}

const SELECT: &str = "SELECT s.id, s.title, s.severity, s.triggered_by, s.business_impact, s.notes, \
    s.symptoms, s.services, s.detection, s.stages, s.chain, s.created_at, s.updated_at, s.created_by, \
    (SELECT json_group_array(json_object('id', r.id, 'name', r.name, 'scenario', r.scenario)) \
       FROM scenario_load_tests l JOIN load_test_runs r ON r.id = l.run_id WHERE l.scenario_id = s.id) AS runs, \
    (SELECT json_group_array(json_object('id', i.id, 'title', i.title, 'linked_by', l.linked_by)) \
       FROM (SELECT * FROM incident_scenarios WHERE scenario_id = s.id ORDER BY linked_at DESC LIMIT 100) l \
       JOIN incidents i ON i.id = l.incident_id) AS incidents \
    FROM scenarios s";

pub async fn get(conn: &mut SqliteConnection, id: ScenarioId) -> Result<Scenario> {
    let row: Option<ScenarioRow> = sqlx::query_as(&format!("{SELECT} WHERE s.id = ?"))
        .bind(id.get())
        .fetch_optional(conn)
        .await?;
    row.ok_or_else(|| AppError::not_found("scenario"))?
        .try_into()
}

pub async fn find(store: &Store, id: ScenarioId) -> Result<Scenario> {
    let mut conn = store.pool.acquire().await?;
    get(&mut conn, id).await
}

fn push_filters(b: &mut QueryBuilder<'_, Sqlite>, q: &ScenarioQuery) {
    let mut clause = Clause::default();
    if let Some(s) = q.severity {
        clause.next(b).push("s.severity = ").push_bind(s.as_str());
    }
    if let Some(service) = &q.service {
        clause
            .next(b)
            .push("EXISTS (SELECT 1 FROM json_each(s.services) j WHERE j.value = ")
            .push_bind(service.clone())
            .push(")");
    }
    if let Some(text) = &q.text {
        let like = contains_pattern(text);
        clause
            .next(b)
            .push("(s.title LIKE ")
            .push_bind(like.clone())
            .push(" ESCAPE '\\' OR s.triggered_by LIKE ")
            .push_bind(like.clone())
            .push(" ESCAPE '\\' OR s.chain LIKE ")
            .push_bind(like)
            .push(" ESCAPE '\\')");
    }
}

/// Most severe first (no severity last), then by title.
pub async fn list(store: &Store, q: &ScenarioQuery) -> Result<Page<Scenario>> {
    let mut conn = store.pool.acquire().await?;
    let mut count = QueryBuilder::<Sqlite>::new("SELECT count(*) FROM scenarios s");
    push_filters(&mut count, q);
    let total: i64 = count.build_query_scalar().fetch_one(&mut *conn).await?;
    let mut select = QueryBuilder::<Sqlite>::new(SELECT);
    push_filters(&mut select, q);
    select.push(" ORDER BY s.severity IS NULL, s.severity, s.title, s.id");
    push_page(&mut select, q.limit, q.offset);
    let rows: Vec<ScenarioRow> = select.build_query_as().fetch_all(&mut *conn).await?;
    let items = rows
        .into_iter()
        .map(TryInto::try_into)
        .collect::<Result<_>>()?;
    Ok(Page { items, total })
}

/// Every scenario (searches match them in memory; there are tens, not thousands).
pub async fn all(store: &Store) -> Result<Vec<Scenario>> {
    let rows: Vec<ScenarioRow> = sqlx::query_as(&format!("{SELECT} ORDER BY s.id LIMIT 2000"))
        .fetch_all(&store.pool)
        .await?;
    rows.into_iter().map(TryInto::try_into).collect()
}

/// Every scenario's id, oldest first (for exporting them all).
pub async fn ids(store: &Store) -> Result<Vec<ScenarioId>> {
    let mut conn = store.pool.acquire().await?;
    ids_in(&mut conn).await
}

pub async fn ids_in(conn: &mut SqliteConnection) -> Result<Vec<ScenarioId>> {
    let ids: Vec<i64> = sqlx::query_scalar("SELECT id FROM scenarios ORDER BY id")
        .fetch_all(conn)
        .await?;
    Ok(ids.into_iter().map(ScenarioId::from).collect())
}

/// The scenarios an alert with this name or `scenario` label detects.
pub async fn detected_by(
    conn: &mut SqliteConnection,
    alertname: &str,
    scenario_label: &str,
) -> Result<Vec<ScenarioId>> {
    let ids: Vec<i64> = sqlx::query_scalar(
        "SELECT DISTINCT s.id FROM scenarios s, json_each(s.detection, '$.alerts') a \
         WHERE lower(a.value) IN (lower(?), lower(?)) ORDER BY s.id",
    )
    .bind(alertname)
    .bind(scenario_label)
    .fetch_all(conn)
    .await?;
    Ok(ids.into_iter().map(ScenarioId::from).collect())
}

/// Links a scenario to an incident; linking again keeps the first link.
pub async fn link(
    tx: &mut Tx,
    incident: IncidentId,
    scenario: ScenarioId,
    by: LinkedBy,
) -> Result<()> {
    get(tx, scenario).await?;
    tx.touch(incident).await?;
    sqlx::query(
        "INSERT OR IGNORE INTO incident_scenarios (incident_id, scenario_id, linked_by, linked_at) \
         VALUES (?, ?, ?, ?)",
    )
    .bind(incident.get())
    .bind(scenario.get())
    .bind(by.as_str())
    .bind(Utc::now())
    .execute(&mut **tx)
    .await?;
    Ok(())
}

/// Unlinks; the ticks go with the link, their timeline events stay.
pub async fn unlink(tx: &mut Tx, incident: IncidentId, scenario: ScenarioId) -> Result<()> {
    let done =
        sqlx::query("DELETE FROM incident_scenarios WHERE incident_id = ? AND scenario_id = ?")
            .bind(incident.get())
            .bind(scenario.get())
            .execute(&mut **tx)
            .await?;
    if done.rows_affected() == 0 {
        return Err(AppError::not_found("scenario link").into());
    }
    tx.touch(incident).await?;
    Ok(())
}

/// Records that `event` ticked `step`; `NotFound` when the scenario is not linked.
pub async fn tick(
    tx: &mut Tx,
    incident: IncidentId,
    scenario: ScenarioId,
    step: u32,
    event: EventId,
) -> Result<()> {
    let done = sqlx::query(
        "INSERT INTO scenario_ticks (incident_id, scenario_id, step, event_id) \
         SELECT incident_id, scenario_id, ?, ? FROM incident_scenarios \
         WHERE incident_id = ? AND scenario_id = ? \
         ON CONFLICT (incident_id, scenario_id, step) DO UPDATE SET event_id = excluded.event_id",
    )
    .bind(step)
    .bind(event.get())
    .bind(incident.get())
    .bind(scenario.get())
    .execute(&mut **tx)
    .await?;
    if done.rows_affected() == 0 {
        return Err(AppError::not_found("scenario link").into());
    }
    Ok(())
}

/// The highest step id any incident ticked on the scenario (0 if none): ids at or under it are
/// never given to a new step.
pub async fn highest_ticked(conn: &mut SqliteConnection, scenario: ScenarioId) -> Result<u32> {
    let n: Option<i64> =
        sqlx::query_scalar("SELECT max(step) FROM scenario_ticks WHERE scenario_id = ?")
            .bind(scenario.get())
            .fetch_one(conn)
            .await?;
    Ok(u32::try_from(n.unwrap_or(0)).unwrap_or(0))
}

/// The event that ticked `step`, if it is ticked.
pub async fn tick_event(
    conn: &mut SqliteConnection,
    incident: IncidentId,
    scenario: ScenarioId,
    step: u32,
) -> Result<Option<EventId>> {
    let id: Option<i64> = sqlx::query_scalar(
        "SELECT event_id FROM scenario_ticks WHERE incident_id = ? AND scenario_id = ? AND step = ?",
    )
    .bind(incident.get())
    .bind(scenario.get())
    .bind(step)
    .fetch_optional(conn)
    .await?;
    Ok(id.map(EventId::from))
}

/// An incident's linked scenarios, their plans and its ticks, as one JSON array (a column of
/// the incident detail statement, which names the incident `i`).
pub const LINKED: &str = "\
    (SELECT json_group_array(json_object('scenario_id', s.id, 'title', s.title, 'severity', s.severity, \
        'stages', json(s.stages), 'linked_by', l.linked_by, 'linked_at', l.linked_at, \
        'ticks', json((SELECT json_group_array(json_object('step', t.step, 'event_id', t.event_id, 'at', e.at)) \
            FROM scenario_ticks t JOIN timeline_events e ON e.id = t.event_id \
            WHERE t.incident_id = l.incident_id AND t.scenario_id = l.scenario_id)))) \
     FROM (SELECT * FROM incident_scenarios WHERE incident_id = i.id ORDER BY linked_at, scenario_id) l \
     JOIN scenarios s ON s.id = l.scenario_id) AS scenarios";

/// Every scenario an incident could be linked to, by title, as a JSON array (a column of the
/// incident detail statement).
pub const CHOICES: &str = "\
    (SELECT json_group_array(json_object('id', id, 'title', title)) \
     FROM (SELECT id, title FROM scenarios ORDER BY title, id LIMIT 500)) AS scenario_choices";

#[derive(serde::Deserialize)]
struct LinkRow {
    scenario_id: i64,
    title: String,
    severity: Option<String>,
    stages: Vec<Stage>,
    linked_by: String,
    linked_at: DateTime<Utc>,
    ticks: Vec<TickRow>,
}

#[derive(serde::Deserialize)]
struct TickRow {
    step: u32,
    event_id: i64,
    at: DateTime<Utc>,
}

/// [`LINKED`] read: each plan as followed, deadlines from `detected_at`, judged at `now`.
pub fn followed(
    incident: IncidentId,
    linked: &str,
    detected_at: Option<DateTime<Utc>>,
    now: DateTime<Utc>,
) -> Result<Vec<IncidentScenario>> {
    from_json::<Vec<LinkRow>>("scenarios", linked)?
        .into_iter()
        .map(|r| {
            let ticks: Vec<Tick> = r
                .ticks
                .into_iter()
                .map(|t| Tick {
                    step: t.step,
                    done_at: t.at,
                    event_id: t.event_id.into(),
                })
                .collect();
            Ok(IncidentScenario {
                scenario_id: r.scenario_id.into(),
                incident_id: incident,
                title: r.title,
                severity: parse_opt(r.severity.as_deref(), Severity::parse, "severity")?,
                linked_by: parse(&r.linked_by, LinkedBy::parse, "linked_by")?,
                linked_at: r.linked_at,
                stages: progress(&r.stages, detected_at, &ticks, now),
            })
        })
        .collect()
}

/// An incident's scenarios with their plans as followed: deadlines from its `detected_at`,
/// judged at `now`.
pub async fn of_incident(
    store: &Store,
    incident: IncidentId,
    now: DateTime<Utc>,
) -> Result<Vec<IncidentScenario>> {
    let row: Option<(Option<DateTime<Utc>>, String)> = sqlx::query_as(&format!(
        "SELECT i.detected_at, {LINKED} FROM incidents i WHERE i.id = ?"
    ))
    .bind(incident.get())
    .fetch_optional(&store.pool)
    .await?;
    let (detected_at, linked) = row.ok_or_else(|| AppError::not_found("incident"))?;
    followed(incident, &linked, detected_at, now)
}

/// Every incident that follows a scenario, with its plans as followed at `now` (for the
/// insights, which keep the incidents in view).
pub async fn followed_all(store: &Store, now: DateTime<Utc>) -> Result<Vec<IncidentScenario>> {
    let rows: Vec<(i64, Option<DateTime<Utc>>, String)> = sqlx::query_as(&format!(
        "SELECT i.id, i.detected_at, {LINKED} FROM incidents i \
         WHERE i.id IN (SELECT incident_id FROM incident_scenarios)"
    ))
    .fetch_all(&store.pool)
    .await?;
    let mut out = Vec::new();
    for (id, detected_at, linked) in rows {
        out.extend(followed(id.into(), &linked, detected_at, now)?);
    }
    Ok(out)
}

/// A document imported before.
pub struct Imported {
    pub id: i64,
    pub imported_at: DateTime<Utc>,
}

pub async fn document_by_hash(
    conn: &mut SqliteConnection,
    sha256: &str,
) -> Result<Option<Imported>> {
    let row: Option<(i64, DateTime<Utc>)> =
        sqlx::query_as("SELECT id, imported_at FROM documents WHERE sha256 = ?")
            .bind(sha256)
            .fetch_optional(conn)
            .await?;
    Ok(row.map(|(id, imported_at)| Imported { id, imported_at }))
}

pub async fn insert_document(
    tx: &mut Tx,
    sha256: &str,
    name: &str,
    kind: DocumentKind,
    source: &str,
    by: &Actor,
) -> Result<i64> {
    Columns::new()
        .set("sha256", sha256)
        .set("name", name)
        .set("kind", kind.as_str())
        .set("source", source)
        .set("imported_at", Utc::now())
        .set("imported_by", by.name.as_str())
        .insert(tx, "documents")
        .await
}

/// The scenarios made from a document, by id and title.
pub async fn of_document(
    conn: &mut SqliteConnection,
    document: i64,
) -> Result<Vec<(ScenarioId, String)>> {
    let rows: Vec<(i64, String)> =
        sqlx::query_as("SELECT id, title FROM scenarios WHERE document_id = ? ORDER BY id")
            .bind(document)
            .fetch_all(conn)
            .await?;
    Ok(rows.into_iter().map(|(id, t)| (id.into(), t)).collect())
}

/// Records the document an incident was imported from.
pub async fn set_incident_document(tx: &mut Tx, incident: IncidentId, document: i64) -> Result<()> {
    sqlx::query("UPDATE incidents SET document_id = ? WHERE id = ?")
        .bind(document)
        .bind(incident.get())
        .execute(&mut **tx)
        .await?;
    Ok(())
}

/// The incident made from a document, if it still exists.
pub async fn incident_of_document(
    conn: &mut SqliteConnection,
    document: i64,
) -> Result<Option<IncidentId>> {
    let id: Option<i64> =
        sqlx::query_scalar("SELECT id FROM incidents WHERE document_id = ? ORDER BY id LIMIT 1")
            .bind(document)
            .fetch_optional(conn)
            .await?;
    Ok(id.map(IncidentId::from))
}
