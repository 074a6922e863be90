//! Alert events: alerts from Alertmanager or Grafana, kept whole as evidence, and the rules
//! that link them to incidents.

use std::collections::BTreeMap;

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use super::ids::{AlertId, IncidentId};
use super::invalid::{Invalid, Problem};
use super::status::Severity;

str_enum! {
    AlertStatus {
        Firing => "firing",
        Resolved => "resolved",
    }
}

str_enum! {
    /// Which tool sent the webhook.
    AlertSource {
        /// Prometheus Alertmanager, webhook `version` "4".
        Alertmanager => "alertmanager",
        /// Grafana's webhook contact point, `version` "1".
        Grafana => "grafana",
    }
}

str_enum! {
    /// How an alert came to be linked to its incident.
    LinkedBy {
        /// The linking rules, when it arrived.
        Rule => "rule",
        /// A person.
        Hand => "hand",
    }
}

/// Labels or annotations, as sent.
pub type LabelSet = BTreeMap<String, String>;

/// One stored alert event: one per (`fingerprint`, `starts_at`).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct AlertEvent {
    pub id: AlertId,
    /// As the sender computed it; never re-hashed.
    pub fingerprint: String,
    pub status: AlertStatus,
    pub source: AlertSource,
    /// The `alertname` label.
    pub alertname: String,
    /// The service label's value (see [`AlertRules::service_label`]).
    pub service: String,
    /// The priority the rules read from the labels, if any.
    pub priority: Option<Severity>,
    pub labels: LabelSet,
    pub annotations: LabelSet,
    pub starts_at: DateTime<Utc>,
    /// Set once it resolved.
    pub ends_at: Option<DateTime<Utc>>,
    pub generator_url: String,
    pub receiver: String,
    pub group_key: String,
    pub external_url: String,
    /// Alerts the sender left out of the notification this one came in (`truncatedAlerts`).
    pub truncated_alerts: u64,
    /// Grafana's extra fields (`values`, `dashboardURL`, `panelURL`, `silenceURL`,
    /// `imageURL`), as sent.
    #[cfg_attr(feature = "ssr", schema(value_type = Object))]
    pub extra: Option<serde_json::Value>,
    /// When hoego first received it.
    pub received_at: DateTime<Utc>,
    /// When hoego received its resolution.
    pub resolved_received_at: Option<DateTime<Utc>>,
    pub incident_id: Option<IncidentId>,
    pub linked_by: Option<LinkedBy>,
}

impl AlertEvent {
    /// The `summary` annotation, else `alertname` (and the service).
    pub fn summary(&self) -> String {
        match self
            .annotations
            .get("summary")
            .filter(|s| !s.trim().is_empty())
        {
            Some(s) => s.trim().to_owned(),
            None if self.service.is_empty() => self.alertname.clone(),
            None => format!("{} on {}", self.alertname, self.service),
        }
    }
}

/// The last resolution of an incident's alerts, once every one of them has resolved: what
/// its `recovered_at` may be set to in one click.
pub fn recovery_from(alerts: &[AlertEvent]) -> Option<DateTime<Utc>> {
    if alerts.is_empty() || alerts.iter().any(|a| a.status == AlertStatus::Firing) {
        return None;
    }
    alerts
        .iter()
        .filter_map(|a| a.ends_at.or(a.resolved_received_at))
        .max()
}

/// How alerts are read and linked: which labels name the service and the priority, how a
/// `severity` label maps to a priority when there is no priority label, and from which
/// priority an alert opens an incident by itself.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct AlertRules {
    /// Default `service`.
    pub service_label: String,
    /// Default `priority`, with values `P0`–`P3`.
    pub priority_label: String,
    /// Used when the priority label is absent: `severity` values to priorities. Default
    /// `critical` → P1, `error` → P2, `warning` → P3 (`info` and others: none).
    pub severity_map: Vec<(String, Severity)>,
    /// An alert at or above this priority opens an incident when none is open for its
    /// service. Default P2.
    pub open_at: Severity,
}

impl Default for AlertRules {
    fn default() -> Self {
        Self {
            service_label: "service".into(),
            priority_label: "priority".into(),
            severity_map: vec![
                ("critical".into(), Severity::P1),
                ("error".into(), Severity::P2),
                ("warning".into(), Severity::P3),
            ],
            open_at: Severity::P2,
        }
    }
}

impl AlertRules {
    pub fn service(&self, labels: &LabelSet) -> String {
        labels
            .get(&self.service_label)
            .map(|s| s.trim().to_lowercase())
            .unwrap_or_default()
    }

    /// The priority label (case-insensitive `P0`–`P3`), else the severity label mapped.
    pub fn priority(&self, labels: &LabelSet) -> Option<Severity> {
        if let Some(p) = labels
            .get(&self.priority_label)
            .and_then(|p| Severity::parse(&p.trim().to_uppercase()))
        {
            return Some(p);
        }
        let severity = labels.get("severity")?.trim().to_lowercase();
        self.severity_map
            .iter()
            .find(|(name, _)| *name == severity)
            .map(|(_, p)| *p)
    }

    /// Whether an alert of `priority` opens an incident by itself (P0 is the highest).
    pub fn opens(&self, priority: Option<Severity>) -> bool {
        priority.is_some_and(|p| p <= self.open_at)
    }

    /// Reads `critical=P1,warning=P3` (the `--alert-severity-map` flag).
    pub fn parse_severity_map(text: &str) -> Result<Vec<(String, Severity)>, String> {
        text.split(',')
            .filter(|p| !p.trim().is_empty())
            .map(|pair| {
                let (name, p) = pair
                    .split_once('=')
                    .ok_or_else(|| format!("`{pair}` is not severity=P0..P3"))?;
                let p = Severity::parse(p.trim())
                    .ok_or_else(|| format!("`{p}` is not one of P0, P1, P2, P3"))?;
                Ok((name.trim().to_lowercase(), p))
            })
            .collect()
    }
}

/// The webhook body Alertmanager sends (`version` "4") and Grafana's webhook contact point
/// (`version` "1", with `orgId` and more per alert). Field names as sent.
#[derive(Clone, Debug, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct Webhook {
    pub version: String,
    #[serde(default)]
    pub receiver: String,
    #[serde(default)]
    pub status: Option<AlertStatus>,
    #[serde(default)]
    pub group_key: String,
    #[serde(default)]
    pub truncated_alerts: u64,
    #[serde(default)]
    pub group_labels: LabelSet,
    #[serde(default)]
    pub common_labels: LabelSet,
    #[serde(default)]
    pub common_annotations: LabelSet,
    #[serde(default, rename = "externalURL")]
    pub external_url: String,
    /// Grafana's organisation.
    #[serde(default)]
    pub org_id: Option<i64>,
    pub alerts: Vec<WebhookAlert>,
}

/// One alert of a webhook.
#[derive(Clone, Debug, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct WebhookAlert {
    pub status: AlertStatus,
    #[serde(default)]
    pub labels: LabelSet,
    #[serde(default)]
    pub annotations: LabelSet,
    pub starts_at: DateTime<Utc>,
    /// `0001-01-01T00:00:00Z` while firing.
    #[serde(default)]
    pub ends_at: Option<DateTime<Utc>>,
    #[serde(default, rename = "generatorURL")]
    pub generator_url: String,
    pub fingerprint: String,
    /// Grafana: the values of the query at evaluation.
    #[serde(default)]
    #[cfg_attr(feature = "ssr", schema(value_type = Object))]
    pub values: Option<serde_json::Value>,
    #[serde(default, rename = "silenceURL")]
    pub silence_url: Option<String>,
    #[serde(default, rename = "dashboardURL")]
    pub dashboard_url: Option<String>,
    #[serde(default, rename = "panelURL")]
    pub panel_url: Option<String>,
    #[serde(default, rename = "imageURL")]
    pub image_url: Option<String>,
}

/// The most alerts one webhook may carry (Alertmanager's `max_alerts` is unlimited by
/// default; a group this large is already a storm).
pub const WEBHOOK_ALERTS_MAX: usize = 1_000;
/// Labels and annotations are kept whole up to these sizes; beyond is refused, not cut.
pub const LABELS_MAX: usize = 200;
pub const LABEL_VALUE_MAX: usize = 64 * 1024;

impl Webhook {
    /// Which tool sent it, from `version`; checks what the storage relies on.
    pub fn validated(self) -> Result<(AlertSource, Self), Invalid> {
        let source = match self.version.as_str() {
            "4" => AlertSource::Alertmanager,
            "1" => AlertSource::Grafana,
            _ => {
                return Err(Invalid::unknown_value("version", &["4", "1"]));
            }
        };
        if self.alerts.len() > WEBHOOK_ALERTS_MAX {
            return Err(Invalid::new(
                "alerts",
                Problem::TooMany {
                    max: WEBHOOK_ALERTS_MAX,
                },
            ));
        }
        for (i, a) in self.alerts.iter().enumerate() {
            if a.fingerprint.trim().is_empty() {
                return Err(Invalid::new(
                    format!("alerts[{i}].fingerprint"),
                    Problem::Required,
                ));
            }
            for (what, set) in [("labels", &a.labels), ("annotations", &a.annotations)] {
                if set.len() > LABELS_MAX {
                    return Err(Invalid::new(
                        format!("alerts[{i}].{what}"),
                        Problem::TooMany { max: LABELS_MAX },
                    ));
                }
                if let Some((k, _)) = set
                    .iter()
                    .find(|(k, v)| k.len() + v.len() > LABEL_VALUE_MAX)
                {
                    return Err(Invalid::new(
                        format!("alerts[{i}].{what}.{k}"),
                        Problem::TooLong {
                            max: LABEL_VALUE_MAX,
                        },
                    ));
                }
            }
        }
        Ok((source, self))
    }
}

impl WebhookAlert {
    /// `endsAt`, unless it is the zero time Alertmanager and Grafana send while firing.
    pub fn ended(&self) -> Option<DateTime<Utc>> {
        self.ends_at.filter(|e| e.timestamp() > 0)
    }

    /// Grafana's per-alert fields, kept together.
    pub fn extra(&self) -> Option<serde_json::Value> {
        let mut extra = serde_json::Map::new();
        let mut put = |k: &str, v: Option<serde_json::Value>| {
            if let Some(v) = v {
                extra.insert(k.into(), v);
            }
        };
        put("values", self.values.clone());
        put("silenceURL", self.silence_url.clone().map(Into::into));
        put("dashboardURL", self.dashboard_url.clone().map(Into::into));
        put("panelURL", self.panel_url.clone().map(Into::into));
        put("imageURL", self.image_url.clone().map(Into::into));
        (!extra.is_empty()).then_some(serde_json::Value::Object(extra))
    }
}

/// What one webhook did, as its answer says.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct Ingested {
    /// Alert events seen for the first time.
    pub new: u64,
    /// Alerts whose status changed (resolved, or firing again).
    pub updated: u64,
    /// Redeliveries that changed nothing.
    pub unchanged: u64,
    /// Incidents opened by these alerts.
    pub opened: Vec<IncidentId>,
    /// Incidents these alerts joined.
    pub joined: Vec<IncidentId>,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn labels(pairs: &[(&str, &str)]) -> LabelSet {
        pairs
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect()
    }

    #[test]
    fn priority_comes_from_its_label_else_from_severity() {
        let r = AlertRules::default();
        assert_eq!(
            r.priority(&labels(&[("priority", "p0")])),
            Some(Severity::P0)
        );
        assert_eq!(
            r.priority(&labels(&[("severity", "critical")])),
            Some(Severity::P1)
        );
        assert_eq!(
            r.priority(&labels(&[("severity", "warning")])),
            Some(Severity::P3)
        );
        assert_eq!(r.priority(&labels(&[("severity", "info")])), None);
        assert!(r.opens(Some(Severity::P2)) && r.opens(Some(Severity::P0)));
        assert!(!r.opens(Some(Severity::P3)) && !r.opens(None));
        assert_eq!(
            r.service(&labels(&[("service", " Coupon-API ")])),
            "coupon-api"
        );
    }

    #[test]
    fn a_severity_map_reads_from_a_flag() {
        assert_eq!(
            AlertRules::parse_severity_map("critical=P0, page=P1").unwrap(),
            vec![
                ("critical".into(), Severity::P0),
                ("page".into(), Severity::P1)
            ]
        );
        assert!(AlertRules::parse_severity_map("critical").is_err());
        assert!(AlertRules::parse_severity_map("critical=P9").is_err());
    }

    #[test]
    fn the_zero_end_time_means_firing() {
        let a: WebhookAlert = serde_json::from_value(serde_json::json!({
            "status": "firing", "startsAt": "2026-11-30T10:00:00Z",
            "endsAt": "0001-01-01T00:00:00Z", "fingerprint": "abc"
        }))
        .unwrap();
        assert_eq!(a.ended(), None);
    }
}
