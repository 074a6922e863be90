//! Load-test runs, their services and their links to incidents.

use app::domain::summaries::Summary;
use app::domain::*;
use app::error::AppError;
use app::queries::LoadTestQuery;
use chrono::{DateTime, Utc};
use sqlx::{QueryBuilder, Sqlite, SqliteConnection};

use super::clause::{Clause, contains_pattern, push_page};
use super::columns::Columns;
use super::rows::{from_json, json, parse};
use super::{Store, Tx};
use crate::error::{Error, Result};

/// The columns a run is written to: its metadata, each figure, and its lists as JSON.
fn columns<'a>(meta: &'a RunMeta, s: &'a Summary, raw: &'a str, by: &'a Actor) -> Columns<'a> {
    let f = &s.figures;
    Columns::new()
        .set("name", meta.name.as_str())
        .set("scenario", meta.scenario.as_str())
        .set("environment", meta.environment.as_str())
        .set("version", meta.version.as_str())
        .set("notes", meta.notes.as_str())
        .set("started_at", meta.started_at)
        .set("format", s.format.as_str())
        .set("vus_max", f.vus_max)
        .set("duration_seconds", f.duration_seconds)
        .set("requests", f.requests)
        .set("rps", f.rps)
        .set("p50_ms", f.p50_ms)
        .set("p90_ms", f.p90_ms)
        .set("p95_ms", f.p95_ms)
        .set("p99_ms", f.p99_ms)
        .set("max_ms", f.max_ms)
        .set("error_rate", f.error_rate)
        .set("checks_passed", f.checks_passed)
        .set("checks_failed", f.checks_failed)
        .set("cache_hit_rate", f.cache_hit_rate)
        .set("coupons_issued", f.coupons_issued)
        .set("stock", f.stock)
        .set("thresholds", json(&s.thresholds))
        .set("checks", json(&s.checks))
        .set("series", json(&s.series))
        .set("passed", verdict(&s.thresholds, f))
        .set("raw", raw)
        .set("created_at", Utc::now())
        .set("created_by", by.name.as_str())
}

pub async fn insert(
    tx: &mut Tx,
    meta: &RunMeta,
    summary: &Summary,
    raw: &str,
    by: &Actor,
) -> Result<LoadTestId> {
    let id = LoadTestId::from(
        columns(meta, summary, raw, by)
            .insert(tx, "load_test_runs")
            .await?,
    );
    for service in &meta.services {
        sqlx::query("INSERT INTO load_test_services (run_id, service) VALUES (?, ?)")
            .bind(id.get())
            .bind(service)
            .execute(&mut **tx)
            .await?;
    }
    Ok(id)
}

#[derive(sqlx::FromRow)]
struct RunRow {
    id: i64,
    name: String,
    scenario: String,
    environment: String,
    version: String,
    notes: String,
    started_at: Option<DateTime<Utc>>,
    format: String,
    vus_max: Option<f64>,
    duration_seconds: Option<f64>,
    requests: Option<f64>,
    rps: Option<f64>,
    p50_ms: Option<f64>,
    p90_ms: Option<f64>,
    p95_ms: Option<f64>,
    p99_ms: Option<f64>,
    max_ms: Option<f64>,
    error_rate: Option<f64>,
    checks_passed: Option<f64>,
    checks_failed: Option<f64>,
    cache_hit_rate: Option<f64>,
    coupons_issued: Option<f64>,
    stock: Option<f64>,
    thresholds: String,
    checks: String,
    series: String,
    passed: Option<bool>,
    created_at: DateTime<Utc>,
    created_by: String,
    /// JSON array of the run's services.
    services: String,
    /// JSON array of `{incident_id, incident_title, relation}`.
    links: String,
}

impl TryFrom<RunRow> for LoadTestRun {
    type Error = Error;
    fn try_from(r: RunRow) -> Result<LoadTestRun> {
        Ok(LoadTestRun {
            id: r.id.into(),
            meta: RunMeta {
                name: r.name,
                scenario: r.scenario,
                services: from_json("services", &r.services)?,
                environment: r.environment,
                started_at: r.started_at,
                version: r.version,
                notes: r.notes,
            },
            format: parse(&r.format, SummaryFormat::parse, "format")?,
            figures: Figures {
                vus_max: r.vus_max,
                duration_seconds: r.duration_seconds,
                requests: r.requests,
                rps: r.rps,
                p50_ms: r.p50_ms,
                p90_ms: r.p90_ms,
                p95_ms: r.p95_ms,
                p99_ms: r.p99_ms,
                max_ms: r.max_ms,
                error_rate: r.error_rate,
                checks_passed: r.checks_passed,
                checks_failed: r.checks_failed,
                cache_hit_rate: r.cache_hit_rate,
                coupons_issued: r.coupons_issued,
                stock: r.stock,
            },
            thresholds: from_json("thresholds", &r.thresholds)?,
            checks: from_json("checks", &r.checks)?,
            series: from_json("series", &r.series)?,
            passed: r.passed,
            created_at: r.created_at,
            created_by: r.created_by,
            links: from_json::<Vec<LinkRow>>("links", &r.links)?
                .into_iter()
                .map(|l| {
                    Ok(RunLink {
                        incident_id: l.incident_id.into(),
                        incident_title: l.incident_title,
                        relation: parse(&l.relation, RunRelation::parse, "relation")?,
                    })
                })
                .collect::<Result<_>>()?,
        })
    }
}

#[derive(serde::Deserialize)]
struct LinkRow {
    incident_id: i64,
    incident_title: String,
    relation: String,
}

/// Every column but the raw document, with services and links as JSON.
const SELECT: &str = "SELECT r.id, r.name, r.scenario, r.environment, r.version, r.notes, r.started_at, \
    r.format, r.vus_max, r.duration_seconds, r.requests, r.rps, r.p50_ms, r.p90_ms, r.p95_ms, r.p99_ms, \
    r.max_ms, r.error_rate, r.checks_passed, r.checks_failed, r.cache_hit_rate, r.coupons_issued, r.stock, \
    r.thresholds, r.checks, r.series, r.passed, r.created_at, r.created_by, \
    (SELECT json_group_array(service) FROM (SELECT service FROM load_test_services s WHERE s.run_id = r.id ORDER BY service)) AS services, \
    (SELECT json_group_array(json_object('incident_id', l.incident_id, 'incident_title', i.title, 'relation', l.relation)) \
       FROM incident_load_tests l JOIN incidents i ON i.id = l.incident_id WHERE l.run_id = r.id) AS links \
    FROM load_test_runs r";

pub async fn get(conn: &mut SqliteConnection, id: LoadTestId) -> Result<LoadTestRun> {
    let row: Option<RunRow> = sqlx::query_as(&format!("{SELECT} WHERE r.id = ?"))
        .bind(id.get())
        .fetch_optional(&mut *conn)
        .await?;
    row.ok_or_else(|| AppError::not_found("load-test run"))?
        .try_into()
}

pub async fn find(store: &Store, id: LoadTestId) -> Result<LoadTestRun> {
    let mut conn = store.pool.acquire().await?;
    get(&mut conn, id).await
}

/// The document as it was sent.
pub async fn raw(store: &Store, id: LoadTestId) -> Result<String> {
    let raw: Option<String> = sqlx::query_scalar("SELECT raw FROM load_test_runs WHERE id = ?")
        .bind(id.get())
        .fetch_optional(&store.pool)
        .await?;
    Ok(raw.ok_or_else(|| AppError::not_found("load-test run"))?)
}

fn push_filters(b: &mut QueryBuilder<'_, Sqlite>, q: &LoadTestQuery, tz: chrono_tz::Tz) {
    let mut clause = Clause::default();
    if let Some(s) = &q.service {
        clause
            .next(b)
            .push(
                "EXISTS (SELECT 1 FROM load_test_services s WHERE s.run_id = r.id AND s.service = ",
            )
            .push_bind(s.clone())
            .push(")");
    }
    if let Some(s) = &q.scenario {
        clause.next(b).push("r.scenario = ").push_bind(s.clone());
    }
    if let Some(text) = &q.text {
        let like = contains_pattern(text);
        clause
            .next(b)
            .push("(r.name LIKE ")
            .push_bind(like.clone())
            .push(" ESCAPE '\\' OR r.scenario LIKE ")
            .push_bind(like.clone())
            .push(" ESCAPE '\\' OR r.notes LIKE ")
            .push_bind(like)
            .push(" ESCAPE '\\')");
    }
    if let Some(p) = q.passed {
        clause.next(b).push("r.passed = ").push_bind(p);
    }
    if let Some(from) = q.from {
        clause
            .next(b)
            .push("r.ran_at >= ")
            .push_bind(app::time::day_start(from, tz));
    }
    if let Some(to) = q.to {
        clause
            .next(b)
            .push("r.ran_at < ")
            .push_bind(app::time::day_start(to + chrono::Duration::days(1), tz));
    }
}

/// Newest first.
pub async fn list(store: &Store, q: &LoadTestQuery) -> Result<Page<LoadTestRun>> {
    let mut conn = store.pool.acquire().await?;
    let tz = store.settings.tz;
    let mut count = QueryBuilder::<Sqlite>::new("SELECT count(*) FROM load_test_runs r");
    push_filters(&mut count, q, tz);
    let total: i64 = count.build_query_scalar().fetch_one(&mut *conn).await?;
    let mut select = QueryBuilder::<Sqlite>::new(SELECT);
    push_filters(&mut select, q, tz);
    select.push(" ORDER BY r.ran_at DESC, r.id DESC");
    push_page(&mut select, q.limit, q.offset);
    let rows: Vec<RunRow> = select.build_query_as().fetch_all(&mut *conn).await?;
    let items = rows
        .into_iter()
        .map(TryInto::try_into)
        .collect::<Result<_>>()?;
    Ok(Page { items, total })
}

/// Links a run to an incident (a second link replaces the relation).
pub async fn link(
    tx: &mut Tx,
    run: LoadTestId,
    incident: IncidentId,
    relation: RunRelation,
) -> Result<()> {
    sqlx::query(
        "INSERT INTO incident_load_tests (incident_id, run_id, relation, linked_at) VALUES (?, ?, ?, ?) \
         ON CONFLICT (incident_id, run_id) DO UPDATE SET relation = excluded.relation",
    )
    .bind(incident.get())
    .bind(run.get())
    .bind(relation.as_str())
    .bind(Utc::now())
    .execute(&mut **tx)
    .await?;
    tx.changed(incident);
    Ok(())
}

pub async fn unlink(tx: &mut Tx, run: LoadTestId, incident: IncidentId) -> Result<()> {
    let done = sqlx::query("DELETE FROM incident_load_tests WHERE incident_id = ? AND run_id = ?")
        .bind(incident.get())
        .bind(run.get())
        .execute(&mut **tx)
        .await?;
    if done.rows_affected() == 0 {
        return Err(AppError::not_found("link").into());
    }
    tx.changed(incident);
    Ok(())
}
