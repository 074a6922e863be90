//! The bodies hooks are sent: Slack-compatible text, the event as JSON, PagerDuty Events v2.

use app::domain::*;
use serde_json::{Value, json};

use super::Notice;

/// `notice` in `hook`'s format; links point at `base_url`.
pub fn body(hook: &Hook, notice: &Notice, base_url: &str) -> Value {
    let link = notice
        .incident
        .as_ref()
        .map(|i| format!("{}/incidents/{}", base_url.trim_end_matches('/'), i.id));
    match hook.format {
        HookFormat::Slack => {
            let text = match &link {
                Some(l) => format!("{} <{l}|open in hoego>", notice.text),
                None => notice.text.clone(),
            };
            json!({ "text": text })
        }
        HookFormat::Json => json!({
            "event": notice.event,
            "text": notice.text,
            "incident": notice.incident,
            "url": link,
            "at": chrono::Utc::now(),
        }),
        HookFormat::PagerDuty => pagerduty(hook, notice, link),
    }
}

/// PagerDuty Events API v2: one alert per incident (`dedup_key`), triggered while it is open
/// and resolved once it recovered, so a P0/P1 pages the on-call engineer and stops paging.
fn pagerduty(hook: &Hook, notice: &Notice, link: Option<String>) -> Value {
    let (key, severity, recovered) = match &notice.incident {
        Some(i) => (
            format!("hoego-incident-{}", i.id),
            match i.fields.severity {
                Severity::P0 => "critical",
                Severity::P1 => "error",
                Severity::P2 => "warning",
                Severity::P3 => "info",
            },
            i.fields.status >= Status::Recovered,
        ),
        None => ("hoego".to_owned(), "info", false),
    };
    let mut event = json!({
        "routing_key": hook.routing_key,
        "event_action": if recovered { "resolve" } else { "trigger" },
        "dedup_key": key,
        "payload": {
            "summary": notice.text.chars().take(1_024).collect::<String>(),
            "source": "hoego",
            "severity": severity,
            "component": notice.incident.as_ref().map(|i| i.fields.services.join(", ")),
            "custom_details": { "event": notice.event },
        },
    });
    if let Some(l) = link {
        event["links"] = json!([{ "href": l, "text": "Incident in hoego" }]);
    }
    event
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::Utc;

    fn hook(format: HookFormat) -> Hook {
        Hook {
            id: 1.into(),
            name: "h".into(),
            url: "http://x".into(),
            format,
            events: vec![HookEvent::IncidentOpened],
            routing_key: "R0UT1NG".into(),
            enabled: true,
            created_at: Utc::now(),
        }
    }

    fn notice(severity: Severity, status: Status) -> Notice {
        let mut f = IncidentFields::new("Redis pool exhausted", severity);
        f.status = status;
        Notice {
            event: HookEvent::IncidentOpened,
            incident: Some(Incident {
                id: 7.into(),
                fields: f,
                created_at: Utc::now(),
                updated_at: Utc::now(),
                version: 1,
                metrics: Metrics::default(),
            }),
            text: "P0 opened: Redis pool exhausted".into(),
        }
    }

    #[test]
    fn slack_gets_text_with_a_link() {
        let b = body(
            &hook(HookFormat::Slack),
            &notice(Severity::P0, Status::Detected),
            "http://h/",
        );
        assert_eq!(
            b,
            json!({"text": "P0 opened: Redis pool exhausted <http://h/incidents/7|open in hoego>"})
        );
    }

    #[test]
    fn pagerduty_triggers_while_open_and_resolves_after() {
        let open = body(
            &hook(HookFormat::PagerDuty),
            &notice(Severity::P0, Status::Mitigating),
            "http://h",
        );
        assert_eq!(open["event_action"], "trigger");
        assert_eq!(open["routing_key"], "R0UT1NG");
        assert_eq!(open["dedup_key"], "hoego-incident-7");
        assert_eq!(open["payload"]["severity"], "critical");
        assert_eq!(open["links"][0]["href"], "http://h/incidents/7");
        let done = body(
            &hook(HookFormat::PagerDuty),
            &notice(Severity::P0, Status::Recovered),
            "http://h",
        );
        assert_eq!(done["event_action"], "resolve");
    }
}
