//! hoego, as the drill knows it: the calls the drill makes besides filing its load (the client
//! and that are in [`crate::hoego`]), with a token of scopes `ingest,write`. Only the fields
//! the drill reads are declared; the rest are ignored.

use std::collections::BTreeMap;

use anyhow::Result;
use chrono::{DateTime, Utc};
use reqwest::{Method, StatusCode};
use serde::Deserialize;
use serde_json::{Value, json};

pub use crate::hoego::{Hoego, SERVICE};
use crate::hoego::{HoegoError, Refused, Relation, RunMeta};

/// Statuses hoego links new alerts to (before `recovered`).
const OPEN: [&str; 3] = ["detected", "triaged", "mitigating"];

/// One alert event as hoego stored it.
#[derive(Debug, Clone, Deserialize)]
pub struct AlertEvent {
    pub id: i64,
    pub fingerprint: String,
    /// `firing` or `resolved`.
    pub status: String,
    pub alertname: String,
    #[serde(default)]
    pub priority: Option<String>,
    #[serde(default)]
    pub labels: BTreeMap<String, String>,
    /// When it started firing, as Prometheus said.
    pub starts_at: DateTime<Utc>,
    /// When it stopped, once resolved.
    #[serde(default)]
    pub ends_at: Option<DateTime<Utc>>,
    /// When hoego first received it.
    pub received_at: DateTime<Utc>,
    /// When hoego received its resolution.
    #[serde(default)]
    pub resolved_received_at: Option<DateTime<Utc>>,
    #[serde(default)]
    pub incident_id: Option<i64>,
}

impl AlertEvent {
    pub fn resolved(&self) -> bool {
        self.status == "resolved"
    }

    pub fn label(&self, name: &str) -> &str {
        self.labels.get(name).map(String::as_str).unwrap_or("")
    }
}

/// An incident with what the drill reads of it.
#[derive(Debug, Clone, Deserialize)]
pub struct Incident {
    pub id: i64,
    pub title: String,
    pub severity: String,
    pub status: String,
    #[serde(default)]
    pub drill: bool,
    #[serde(default)]
    pub started_at: Option<DateTime<Utc>>,
    #[serde(default)]
    pub detected_at: Option<DateTime<Utc>>,
    pub created_at: DateTime<Utc>,
    #[serde(default)]
    pub ttd_seconds: Option<i64>,
    /// The linked alert events (the detail only).
    #[serde(default)]
    pub alerts: Vec<AlertEvent>,
}

#[derive(Deserialize)]
struct Page<T> {
    items: Vec<T>,
}

/// A timeline entry the drill adds.
pub struct Entry {
    pub at: DateTime<Utc>,
    /// `action`, `mitigation` or `note`: never `detected`/`recovered`, which move the
    /// incident's own times.
    pub kind: &'static str,
    pub text: String,
}

/// What became of a load-test run posted to hoego.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
#[serde(rename_all = "snake_case", tag = "outcome")]
pub enum Posted {
    /// Stored under this id.
    Stored { id: i64 },
    /// hoego has no load-test endpoint (404): not fatal to a drill.
    NoEndpoint,
}

impl Hoego {
    /// The URL Alertmanager posts to.
    pub fn webhook_url(&self) -> String {
        format!("{}/api/v1/alerts/alertmanager", self.url())
    }

    /// Checks that hoego answers and takes the token for reading.
    pub async fn check(&self) -> Result<()> {
        let _: Value = self
            .call(Method::GET, "/alerts", &[("limit", "1".into())], None)
            .await?;
        Ok(())
    }

    /// Open incidents of the coupon service: a drill's alerts would join the newest.
    pub async fn open_incidents(&self) -> Result<Vec<Incident>> {
        let query = [("service", SERVICE.into()), ("limit", "200".into())];
        let page: Page<Incident> = self.call(Method::GET, "/incidents", &query, None).await?;
        Ok(page
            .items
            .into_iter()
            .filter(|i| OPEN.contains(&i.status.as_str()))
            .collect())
    }

    /// Alerts of the coupon service linked to an incident, newest first.
    pub async fn linked_alerts(&self) -> Result<Vec<AlertEvent>> {
        let query = [
            ("linked", "yes".into()),
            ("service", SERVICE.into()),
            ("limit", "200".into()),
        ];
        let page: Page<AlertEvent> = self.call(Method::GET, "/alerts", &query, None).await?;
        Ok(page.items)
    }

    pub async fn incident(&self, id: i64) -> Result<Incident> {
        Ok(self
            .call(Method::GET, &format!("/incidents/{id}"), &[], None)
            .await?)
    }

    pub async fn patch_incident(&self, id: i64, patch: &Value) -> Result<Incident> {
        let path = format!("/incidents/{id}");
        Ok(self
            .call(Method::PATCH, &path, &[], Some(patch.to_string()))
            .await?)
    }

    pub async fn add_entry(&self, id: i64, entry: &Entry) -> Result<()> {
        let body = json!({
            "at": entry.at.to_rfc3339_opts(chrono::SecondsFormat::Millis, true),
            "kind": entry.kind,
            "text": entry.text,
            "source": "manual",
            "author": "coupon drill",
        });
        let path = format!("/incidents/{id}/timeline");
        let _: Value = self
            .call(Method::POST, &path, &[], Some(body.to_string()))
            .await?;
        Ok(())
    }

    /// Posts a load-test run's summary document, linked to the incident as `reproduced_by`,
    /// in the environment `drill`.
    pub async fn post_load_test(
        &self,
        incident: i64,
        name: &str,
        scenario: &str,
        document: String,
    ) -> Result<Posted> {
        let meta = RunMeta {
            scenario: scenario.to_owned(),
            services: vec![SERVICE.to_owned()],
            name: name.to_owned(),
            environment: "drill".to_owned(),
            link: Some((incident, Relation::ReproducedBy)),
            ..RunMeta::default()
        };
        match self.file_load_test(&meta, document).await {
            Ok(filed) => Ok(Posted::Stored { id: filed.id }),
            Err(HoegoError::Refused(Refused {
                status: StatusCode::NOT_FOUND,
                ..
            })) => Ok(Posted::NoEndpoint),
            Err(e) => Err(e.into()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn alert_events_read_as_hoego_writes_them() {
        let alert: AlertEvent = serde_json::from_value(json!({
            "id": 3, "fingerprint": "ab12", "status": "firing", "source": "alertmanager",
            "alertname": "RedisPoolCritical", "service": "coupon-api", "priority": "P1",
            "labels": { "severity": "critical", "scenario": "redis-pool" },
            "annotations": { "summary": "Redis pool 100% in use (> 90 %)" },
            "starts_at": "2026-12-01T10:00:05.123Z", "ends_at": null,
            "received_at": "2026-12-01T10:00:06.5Z", "incident_id": 9, "linked_by": "rule"
        }))
        .unwrap();
        assert_eq!(alert.label("scenario"), "redis-pool");
        assert_eq!(alert.incident_id, Some(9));
        assert!(!alert.resolved());
    }
}
