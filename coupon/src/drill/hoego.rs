//! hoego, as the drill knows it: its REST API under `/api/v1`, with a token of scopes
//! `ingest,write`. Only the fields the drill reads are declared; the rest are ignored.

use std::collections::BTreeMap;
use std::time::Duration;

use anyhow::{Context, Result, bail};
use chrono::{DateTime, Utc};
use reqwest::{Method, StatusCode};
use serde::Deserialize;
use serde::de::DeserializeOwned;
use serde_json::{Value, json};

/// The service label every coupon rule carries (coupon/monitoring/alerts.yml).
pub const SERVICE: &str = "coupon-api";

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
    /// Stored; its id if hoego said.
    Stored { id: Option<i64> },
    /// hoego has no load-test endpoint (404): not fatal to a drill.
    NoEndpoint,
}

pub struct Hoego {
    base: String,
    token: String,
    http: reqwest::Client,
}

impl Hoego {
    pub fn new(base: &str, token: &str) -> Result<Hoego> {
        let base = base.trim_end_matches('/').to_owned();
        if !base.starts_with("http://") && !base.starts_with("https://") {
            bail!("the hoego URL must start with http:// or https://, not {base:?}");
        }
        if token.trim().is_empty() {
            bail!(
                "no hoego token: pass --token or COUPON_HOEGO_TOKEN (create one with `hoego \
                 token create --name drill --scope ingest,write`)"
            );
        }
        Ok(Hoego {
            base,
            token: token.trim().to_owned(),
            http: reqwest::Client::builder()
                .timeout(Duration::from_secs(30))
                .build()?,
        })
    }

    /// The URL Alertmanager posts to.
    pub fn webhook_url(&self) -> String {
        format!("{}/api/v1/alerts/alertmanager", self.base)
    }

    pub fn token(&self) -> &str {
        &self.token
    }

    pub fn url(&self) -> &str {
        &self.base
    }

    async fn call<T: DeserializeOwned>(
        &self,
        method: Method,
        path: &str,
        body: Option<&Value>,
    ) -> Result<T> {
        let (status, text) = self.send(method.clone(), path, body).await?;
        if !status.is_success() {
            bail!("{}", self.refusal(&method, path, status, &text));
        }
        serde_json::from_str(&text)
            .with_context(|| format!("reading hoego's answer to {method} {path}: {text}"))
    }

    async fn send(
        &self,
        method: Method,
        path: &str,
        body: Option<&Value>,
    ) -> Result<(StatusCode, String)> {
        let mut request = self
            .http
            .request(method.clone(), format!("{}/api/v1{path}", self.base))
            .bearer_auth(&self.token);
        if let Some(body) = body {
            request = request
                .header("content-type", "application/json")
                .body(body.to_string());
        }
        let answer = request
            .send()
            .await
            .with_context(|| format!("reaching hoego at {} ({method} {path})", self.base))?;
        let status = answer.status();
        Ok((status, answer.text().await.unwrap_or_default()))
    }

    fn refusal(&self, method: &Method, path: &str, status: StatusCode, body: &str) -> String {
        let hint = match status.as_u16() {
            401 => " (the token is missing, unknown or revoked)",
            403 => " (the token needs the scopes ingest,write)",
            _ => "",
        };
        format!("hoego answered {status} to {method} /api/v1{path}{hint}: {body}")
    }

    /// Checks that hoego answers and takes the token for reading.
    pub async fn check(&self) -> Result<()> {
        let _: Value = self.call(Method::GET, "/alerts?limit=1", None).await?;
        Ok(())
    }

    /// Open incidents of the coupon service: a drill's alerts would join the newest.
    pub async fn open_incidents(&self) -> Result<Vec<Incident>> {
        let page: Page<Incident> = self
            .call(
                Method::GET,
                &format!("/incidents?service={SERVICE}&limit=200"),
                None,
            )
            .await?;
        Ok(page
            .items
            .into_iter()
            .filter(|i| OPEN.contains(&i.status.as_str()))
            .collect())
    }

    /// Alerts of the coupon service linked to an incident, newest first.
    pub async fn linked_alerts(&self) -> Result<Vec<AlertEvent>> {
        let page: Page<AlertEvent> = self
            .call(
                Method::GET,
                &format!("/alerts?linked=yes&service={SERVICE}&limit=200"),
                None,
            )
            .await?;
        Ok(page.items)
    }

    pub async fn incident(&self, id: i64) -> Result<Incident> {
        self.call(Method::GET, &format!("/incidents/{id}"), None)
            .await
    }

    pub async fn patch_incident(&self, id: i64, patch: &Value) -> Result<Incident> {
        self.call(Method::PATCH, &format!("/incidents/{id}"), Some(patch))
            .await
    }

    pub async fn add_entry(&self, id: i64, entry: &Entry) -> Result<()> {
        let body = json!({
            "at": entry.at.to_rfc3339_opts(chrono::SecondsFormat::Millis, true),
            "kind": entry.kind,
            "text": entry.text,
            "source": "manual",
            "author": "coupon drill",
        });
        let _: Value = self
            .call(
                Method::POST,
                &format!("/incidents/{id}/timeline"),
                Some(&body),
            )
            .await?;
        Ok(())
    }

    /// Posts a load-test run's k6-style summary, linked to the incident as `reproduced_by`.
    pub async fn post_load_test(
        &self,
        incident: i64,
        name: &str,
        scenario: &str,
        summary: &Value,
    ) -> Result<Posted> {
        let path = format!(
            "/load-tests?incident={incident}&relation=reproduced_by&name={}&scenario={}\
             &services={SERVICE}&environment=drill",
            query_value(name),
            query_value(scenario)
        );
        let (status, text) = self.send(Method::POST, &path, Some(summary)).await?;
        if status == StatusCode::NOT_FOUND {
            return Ok(Posted::NoEndpoint);
        }
        if !status.is_success() {
            bail!("{}", self.refusal(&Method::POST, &path, status, &text));
        }
        let id = serde_json::from_str::<Value>(&text)
            .ok()
            .and_then(|v| v["id"].as_i64());
        Ok(Posted::Stored { id })
    }
}

/// Percent-encodes a query value (RFC 3986 unreserved characters pass).
fn query_value(raw: &str) -> String {
    let mut out = String::with_capacity(raw.len());
    for b in raw.bytes() {
        if b.is_ascii_alphanumeric() || b"-._~".contains(&b) {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn query_values_are_percent_encoded() {
        assert_eq!(
            query_value("coupon drill redis-pool: issue/1"),
            "coupon%20drill%20redis-pool%3A%20issue%2F1"
        );
        assert_eq!(query_value("훈련"), "%ED%9B%88%EB%A0%A8");
    }

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
