//! Alert events: one row per (fingerprint, startsAt), labels and annotations kept whole.

use app::domain::*;
use app::error::AppError;
use app::queries::AlertQuery;
use chrono::{DateTime, Utc};
use sqlx::{QueryBuilder, Sqlite, SqliteConnection};

use super::clause::{Clause, push_page};
use super::rows::{parse, parse_opt};
use super::{Store, Tx};
use crate::error::{Error, Result};

/// Open: before `recovered`.
const OPEN: &str = "i.status IN ('detected', 'triaged', 'mitigating')";

#[derive(sqlx::FromRow, serde::Deserialize)]
pub struct AlertRow {
    id: i64,
    fingerprint: String,
    status: String,
    source: String,
    alertname: String,
    service: String,
    priority: Option<String>,
    labels: String,
    annotations: String,
    starts_at: DateTime<Utc>,
    ends_at: Option<DateTime<Utc>>,
    generator_url: String,
    receiver: String,
    group_key: String,
    external_url: String,
    truncated_alerts: i64,
    extra: Option<String>,
    received_at: DateTime<Utc>,
    resolved_received_at: Option<DateTime<Utc>>,
    incident_id: Option<i64>,
    linked_by: Option<String>,
}

/// The columns of [`AlertRow`], as `SELECT` reads them and as the incident detail's JSON
/// builds them (`json_object` pairs).
pub const COLUMNS: &str = "id, fingerprint, status, source, alertname, service, priority, labels, \
    annotations, starts_at, ends_at, generator_url, receiver, group_key, external_url, \
    truncated_alerts, extra, received_at, resolved_received_at, incident_id, linked_by";

impl TryFrom<AlertRow> for AlertEvent {
    type Error = Error;
    fn try_from(r: AlertRow) -> Result<AlertEvent> {
        let json = |what: &str, t: &str| -> Result<LabelSet> {
            serde_json::from_str(t).map_err(|e| Error::Corrupt(format!("{what}: {e}")))
        };
        Ok(AlertEvent {
            id: r.id.into(),
            fingerprint: r.fingerprint,
            status: parse(&r.status, AlertStatus::parse, "status")?,
            source: parse(&r.source, AlertSource::parse, "source")?,
            alertname: r.alertname,
            service: r.service,
            priority: parse_opt(r.priority.as_deref(), Severity::parse, "priority")?,
            labels: json("labels", &r.labels)?,
            annotations: json("annotations", &r.annotations)?,
            starts_at: r.starts_at,
            ends_at: r.ends_at,
            generator_url: r.generator_url,
            receiver: r.receiver,
            group_key: r.group_key,
            external_url: r.external_url,
            truncated_alerts: r.truncated_alerts.max(0) as u64,
            extra: r
                .extra
                .map(|e| serde_json::from_str(&e))
                .transpose()
                .map_err(|e| Error::Corrupt(format!("extra: {e}")))?,
            received_at: r.received_at,
            resolved_received_at: r.resolved_received_at,
            incident_id: r.incident_id.map(IncidentId::from),
            linked_by: parse_opt(r.linked_by.as_deref(), LinkedBy::parse, "linked_by")?,
        })
    }
}

/// An alert as it arrived, with what the rules read from it and its columns of JSON text.
pub struct Arrival<'a> {
    pub webhook: &'a Webhook,
    pub alert: &'a WebhookAlert,
    pub source: AlertSource,
    pub received_at: DateTime<Utc>,
    columns: &'a Columns,
}

/// What the rules read from an alert and its columns of JSON text, worked out before the write
/// begins: the fewer the cycles spent holding the write lock, the sooner the next sender's turn
/// comes.
pub struct Columns {
    pub service: String,
    pub priority: Option<Severity>,
    labels: String,
    annotations: String,
    extra: Option<String>,
}

impl Columns {
    pub fn new(alert: &WebhookAlert, service: String, priority: Option<Severity>) -> Self {
        Self {
            service,
            priority,
            labels: serde_json::to_string(&alert.labels).expect("labels serialize"),
            annotations: serde_json::to_string(&alert.annotations).expect("annotations serialize"),
            extra: alert.extra().map(|e| e.to_string()),
        }
    }
}

impl<'a> Arrival<'a> {
    pub fn new(
        webhook: &'a Webhook,
        alert: &'a WebhookAlert,
        source: AlertSource,
        received_at: DateTime<Utc>,
        columns: &'a Columns,
    ) -> Self {
        Self {
            webhook,
            alert,
            source,
            received_at,
            columns,
        }
    }
}

impl std::ops::Deref for Arrival<'_> {
    type Target = Columns;
    fn deref(&self) -> &Columns {
        self.columns
    }
}

/// What storing an arrival did.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Stored {
    /// Seen for the first time.
    New,
    /// Its status changed to this.
    Changed(AlertStatus),
    /// A redelivery.
    Unchanged,
}

/// The columns of a new alert row, in the order [`insert_statement`] lists them.
const NEW_ROW: [&str; 18] = [
    "fingerprint",
    "starts_at",
    "ends_at",
    "status",
    "source",
    "alertname",
    "service",
    "priority",
    "labels",
    "annotations",
    "generator_url",
    "receiver",
    "group_key",
    "external_url",
    "truncated_alerts",
    "extra",
    "received_at",
    "resolved_received_at",
];

/// Rows a statement inserts at most: 18 columns × 200 = 3,600 parameters, well inside SQLite's
/// limit of 32,766.
const ROWS_PER_STATEMENT: usize = 200;

/// `INSERT … VALUES (…), (…) ON CONFLICT DO NOTHING RETURNING` for `rows` rows: a row already
/// stored (a redelivery) is skipped, and the new rows come back with their ids. One statement for
/// a webhook's alerts, not one each: a statement costs a round trip to sqlx's connection thread,
/// which was most of the time a webhook took. (Public so the benchmark's ceiling runs the same
/// statement.)
pub fn insert_statement(rows: usize) -> String {
    let one = format!("({})", vec!["?"; NEW_ROW.len()].join(", "));
    format!(
        "INSERT INTO alert_events ({}) VALUES {} \
         ON CONFLICT (fingerprint, starts_at) DO NOTHING RETURNING id, fingerprint, starts_at",
        NEW_ROW.join(", "),
        vec![one; rows].join(", ")
    )
}

/// Stores a webhook's arrivals, in order: new rows in batches, then each redelivery or status
/// change against the row already there. Returns, per arrival, the row's id, what happened,
/// and its incident.
pub async fn store_all(
    tx: &mut Tx,
    arrivals: &[Arrival<'_>],
) -> Result<Vec<(AlertId, Stored, Option<IncidentId>)>> {
    use std::collections::{HashMap, HashSet};
    // The first arrival of each (fingerprint, start) may be new; a repeat in the same webhook
    // is an update of it, handled after.
    let mut seen = HashSet::new();
    let firsts: Vec<&Arrival> = arrivals
        .iter()
        .filter(|a| seen.insert((a.alert.fingerprint.as_str(), a.alert.starts_at)))
        .collect();
    let mut inserted: HashMap<(String, DateTime<Utc>), i64> = HashMap::new();
    for chunk in firsts.chunks(ROWS_PER_STATEMENT) {
        let sql = insert_statement(chunk.len());
        let mut q = sqlx::query_as::<_, (i64, String, DateTime<Utc>)>(&sql);
        for a in chunk {
            let ends_at = a.alert.ended();
            let resolved_at = (a.alert.status == AlertStatus::Resolved).then_some(a.received_at);
            q = q
                .bind(&a.alert.fingerprint)
                .bind(a.alert.starts_at)
                .bind(ends_at)
                .bind(a.alert.status.as_str())
                .bind(a.source.as_str())
                .bind(a.alert.labels.get("alertname").cloned().unwrap_or_default())
                .bind(&a.service)
                .bind(a.priority.map(Severity::as_str))
                .bind(&a.labels)
                .bind(&a.annotations)
                .bind(&a.alert.generator_url)
                .bind(&a.webhook.receiver)
                .bind(&a.webhook.group_key)
                .bind(&a.webhook.external_url)
                .bind(a.webhook.truncated_alerts as i64)
                .bind(&a.extra)
                .bind(a.received_at)
                .bind(resolved_at);
        }
        for (id, fingerprint, starts_at) in q.fetch_all(&mut **tx).await? {
            inserted.insert((fingerprint, starts_at), id);
        }
    }
    let mut out = Vec::with_capacity(arrivals.len());
    for a in arrivals {
        let key = (a.alert.fingerprint.clone(), a.alert.starts_at);
        // `remove`: only the first arrival of a key is the new row.
        match inserted.remove(&key) {
            Some(id) => out.push((id.into(), Stored::New, None)),
            None => out.push(update(tx, a).await?),
        }
    }
    Ok(out)
}

/// An arrival whose row exists: its status change, or nothing for a redelivery.
async fn update(tx: &mut Tx, a: &Arrival<'_>) -> Result<(AlertId, Stored, Option<IncidentId>)> {
    let (id, status, incident): (i64, String, Option<i64>) = sqlx::query_as(
        "SELECT id, status, incident_id FROM alert_events WHERE fingerprint = ? AND starts_at = ?",
    )
    .bind(&a.alert.fingerprint)
    .bind(a.alert.starts_at)
    .fetch_one(&mut **tx)
    .await?;
    let incident = incident.map(IncidentId::from);
    if status == a.alert.status.as_str() {
        return Ok((id.into(), Stored::Unchanged, incident));
    }
    let resolved_at = (a.alert.status == AlertStatus::Resolved).then_some(a.received_at);
    sqlx::query(
        "UPDATE alert_events SET status = ?, ends_at = ?, resolved_received_at = ? WHERE id = ?",
    )
    .bind(a.alert.status.as_str())
    .bind(a.alert.ended())
    .bind(resolved_at)
    .bind(id)
    .execute(&mut **tx)
    .await?;
    Ok((id.into(), Stored::Changed(a.alert.status), incident))
}

/// The open incident an alert of notification group `group_key` already joined, if any.
pub async fn open_incident_of_group(
    conn: &mut SqliteConnection,
    group_key: &str,
) -> Result<Option<IncidentId>> {
    if group_key.is_empty() {
        return Ok(None);
    }
    let id: Option<i64> = sqlx::query_scalar(&format!(
        "SELECT a.incident_id FROM alert_events a JOIN incidents i ON i.id = a.incident_id \
         WHERE a.group_key = ? AND {OPEN} ORDER BY a.id DESC LIMIT 1"
    ))
    .bind(group_key)
    .fetch_optional(&mut *conn)
    .await?;
    Ok(id.map(IncidentId::from))
}

/// The newest open incident whose services include `service`.
pub async fn open_incident_of_service(
    conn: &mut SqliteConnection,
    service: &str,
) -> Result<Option<IncidentId>> {
    if service.is_empty() {
        return Ok(None);
    }
    let id: Option<i64> = sqlx::query_scalar(&format!(
        "SELECT i.id FROM incidents i JOIN incident_services s ON s.incident_id = i.id \
         WHERE s.service = ? AND {OPEN} ORDER BY i.sort_at DESC, i.id DESC LIMIT 1"
    ))
    .bind(service)
    .fetch_optional(&mut *conn)
    .await?;
    Ok(id.map(IncidentId::from))
}

pub async fn link(tx: &mut Tx, id: AlertId, incident: IncidentId, by: LinkedBy) -> Result<()> {
    sqlx::query("UPDATE alert_events SET incident_id = ?, linked_by = ? WHERE id = ?")
        .bind(incident.get())
        .bind(by.as_str())
        .bind(id.get())
        .execute(&mut **tx)
        .await?;
    tx.changed(incident);
    Ok(())
}

/// Unlinks the alert and removes the timeline events made for it.
pub async fn unlink(tx: &mut Tx, alert: &AlertEvent) -> Result<()> {
    sqlx::query("UPDATE alert_events SET incident_id = NULL, linked_by = NULL WHERE id = ?")
        .bind(alert.id.get())
        .execute(&mut **tx)
        .await?;
    sqlx::query("DELETE FROM timeline_events WHERE alert_id = ?")
        .bind(alert.id.get())
        .execute(&mut **tx)
        .await?;
    if let Some(i) = alert.incident_id {
        tx.changed(i);
    }
    Ok(())
}

pub async fn get(conn: &mut SqliteConnection, id: AlertId) -> Result<AlertEvent> {
    let row: Option<AlertRow> =
        sqlx::query_as(&format!("SELECT {COLUMNS} FROM alert_events WHERE id = ?"))
            .bind(id.get())
            .fetch_optional(&mut *conn)
            .await?;
    row.ok_or_else(|| AppError::not_found("alert"))?.try_into()
}

pub async fn find(store: &Store, id: AlertId) -> Result<AlertEvent> {
    let mut conn = store.pool.acquire().await?;
    get(&mut conn, id).await
}

fn push_filters(b: &mut QueryBuilder<'_, Sqlite>, q: &AlertQuery, tz: chrono_tz::Tz) {
    let mut clause = Clause::default();
    if let Some(s) = q.status {
        clause.next(b).push("status = ").push_bind(s.as_str());
    }
    if let Some(n) = &q.alertname {
        clause.next(b).push("alertname = ").push_bind(n.clone());
    }
    if let Some(s) = &q.service {
        clause.next(b).push("service = ").push_bind(s.clone());
    }
    if let Some(p) = q.priority {
        clause.next(b).push("priority = ").push_bind(p.as_str());
    }
    match q.linked {
        Some(true) => {
            clause.next(b).push("incident_id IS NOT NULL");
        }
        Some(false) => {
            clause.next(b).push("incident_id IS NULL");
        }
        None => {}
    }
    if let Some(from) = q.from {
        clause
            .next(b)
            .push("received_at >= ")
            .push_bind(app::time::day_start(from, tz));
    }
    if let Some(to) = q.to {
        clause
            .next(b)
            .push("received_at < ")
            .push_bind(app::time::day_start(to + chrono::Duration::days(1), tz));
    }
}

/// Newest first.
pub async fn list(store: &Store, q: &AlertQuery) -> Result<Page<AlertEvent>> {
    let mut conn = store.pool.acquire().await?;
    let tz = store.settings.tz;
    let mut count = QueryBuilder::<Sqlite>::new("SELECT count(*) FROM alert_events");
    push_filters(&mut count, q, tz);
    let total: i64 = count.build_query_scalar().fetch_one(&mut *conn).await?;
    let mut select = QueryBuilder::<Sqlite>::new(format!("SELECT {COLUMNS} FROM alert_events"));
    push_filters(&mut select, q, tz);
    select.push(" ORDER BY received_at DESC, id DESC");
    push_page(&mut select, q.limit, q.offset);
    let rows: Vec<AlertRow> = select.build_query_as().fetch_all(&mut *conn).await?;
    let items = rows
        .into_iter()
        .map(TryInto::try_into)
        .collect::<Result<_>>()?;
    Ok(Page { items, total })
}
