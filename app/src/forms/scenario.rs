//! The scenario form. A scenario's lists are typed as lines, one item per line, in formats that
//! read like the notes people already keep (and that [`ScenarioForm::from_scenario`] writes
//! back the same way):
//!
//! - metrics: `metric | warning | critical | respond in` (`API p99 | > 500ms | > 1s | 5m/2m`)
//! - alert levels: `P1 | condition`
//! - stages: a line `5m Immediate` starts a stage (its deadline, then its name); lines under it
//!   starting with `-` are its steps: `- text | detail | change: a → b | owner: on-call`
//! - whys: `why | because`
//!
//! A line that does not fit is refused with its number, on the field it was typed in.

use serde::{Deserialize, Serialize};

use super::opt_id;
use crate::domain::*;

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct ScenarioForm {
    pub title: String,
    /// A severity's spelling, or empty for none.
    pub severity: String,
    pub trigger: String,
    /// Comma-separated.
    pub services: String,
    pub business_impact: String,
    /// One per line.
    pub symptoms: String,
    pub metrics: String,
    pub alert_levels: String,
    /// Alert names or `scenario` label values, comma-separated.
    pub alerts: String,
    pub channels: String,
    pub detection_notes: String,
    pub stages: String,
    pub whys: String,
    pub root_cause: String,
    /// A category's spelling, or empty.
    pub category: String,
    pub notes: String,
    /// Load-test run ids, comma-separated.
    pub load_tests: String,
}

fn commas(text: &str) -> Vec<String> {
    text.split([',', '\n'])
        .map(|s| s.trim().to_owned())
        .filter(|s| !s.is_empty())
        .collect()
}

/// The non-empty lines with their 1-based numbers, list markers (`-`, `*`, `1.`) kept.
fn lines(text: &str) -> impl Iterator<Item = (usize, &str)> {
    text.lines()
        .enumerate()
        .map(|(i, l)| (i + 1, l.trim()))
        .filter(|(_, l)| !l.is_empty())
}

fn cells(line: &str) -> Vec<String> {
    line.split('|').map(|c| c.trim().to_owned()).collect()
}

fn bad_line(field: &str, n: usize, detail: &str) -> Invalid {
    Invalid::new(
        field,
        Problem::Malformed {
            detail: format!("line {n}: {detail}"),
        },
    )
}

/// `5m/2m` → (5, 2); `5m` → both 5; `now` or `0` is 0.
fn response_times(text: &str) -> Option<(Option<u32>, Option<u32>)> {
    let read = |t: &str| -> Option<Option<u32>> {
        match t.trim() {
            "" | "-" => Some(None),
            "0" | "now" | "즉시" => Some(Some(0)),
            t => parse_minutes(t).map(Some),
        }
    };
    let (w, c) = match text.split_once('/') {
        Some((w, c)) => (read(w)?, read(c)?),
        None => {
            let both = read(text)?;
            (both, both)
        }
    };
    Some((w, c))
}

fn response_text(m: &DetectionMetric) -> String {
    let one = |v: Option<u32>| v.map_or("-".to_owned(), minutes_label);
    match (m.warning_response_minutes, m.critical_response_minutes) {
        (None, None) => String::new(),
        (w, c) if w == c => one(w),
        (w, c) => format!("{}/{}", one(w), one(c)),
    }
}

impl ScenarioForm {
    pub fn from_scenario(s: &Scenario) -> Self {
        let d = &s.detection;
        let metrics = d
            .metrics
            .iter()
            .map(|m| {
                let cols = [
                    m.metric.clone(),
                    m.warning.clone(),
                    m.critical.clone(),
                    response_text(m),
                ];
                let used = cols
                    .iter()
                    .rposition(|c| !c.is_empty())
                    .map_or(1, |i| i + 1);
                cols[..used].join(" | ")
            })
            .collect::<Vec<_>>()
            .join("\n");
        let alert_levels = d
            .alert_levels
            .iter()
            .map(|a| format!("{} | {}", a.priority, a.condition))
            .collect::<Vec<_>>()
            .join("\n");
        let stages = s
            .stages
            .iter()
            .map(|st| {
                let steps = st.steps.iter().map(|p| {
                    let mut parts = vec![p.text.clone()];
                    if !p.detail.is_empty() {
                        parts.push(p.detail.replace('\n', " "));
                    }
                    parts.extend(p.changes.iter().map(|c| format!("change: {c}")));
                    if !p.owner.is_empty() {
                        parts.push(format!("owner: {}", p.owner));
                    }
                    format!("- {}", parts.join(" | "))
                });
                std::iter::once(format!("{} {}", minutes_label(st.within_minutes), st.name))
                    .chain(steps)
                    .collect::<Vec<_>>()
                    .join("\n")
            })
            .collect::<Vec<_>>()
            .join("\n\n");
        let whys = s
            .chain
            .whys
            .iter()
            .map(|w| format!("{} | {}", w.why, w.because))
            .collect::<Vec<_>>()
            .join("\n");
        Self {
            title: s.title.clone(),
            severity: s.severity.map(|v| v.to_string()).unwrap_or_default(),
            trigger: s.trigger.clone(),
            services: s.services.join(", "),
            business_impact: s.business_impact.clone(),
            symptoms: s.symptoms.join("\n"),
            metrics,
            alert_levels,
            alerts: d.alerts.join(", "),
            channels: d.channels.join(", "),
            detection_notes: d.notes.clone(),
            stages,
            whys,
            root_cause: s.chain.root_cause.clone(),
            category: s.chain.category.map(|c| c.to_string()).unwrap_or_default(),
            notes: s.notes.clone(),
            load_tests: s
                .load_tests
                .iter()
                .map(|r| r.id.to_string())
                .collect::<Vec<_>>()
                .join(", "),
        }
    }

    /// The scenario the form describes (validated by the service, like any input).
    pub fn to_input(&self) -> Result<ScenarioInput, Invalid> {
        let severity = match self.severity.trim() {
            "" => None,
            s => Some(super::choice::<Severity>("severity", s)?),
        };
        let category = match self.category.trim() {
            "" => None,
            c => Some(super::choice::<RootCauseCategory>("category", c)?),
        };
        let metrics = lines(&self.metrics)
            .map(|(n, l)| {
                let c = cells(l.trim_start_matches(['-', '*']).trim());
                if c.len() > 4 {
                    return Err(bad_line(
                        "metrics",
                        n,
                        "at most 4 columns: metric | warning | critical | respond in",
                    ));
                }
                let get = |i: usize| c.get(i).cloned().unwrap_or_default();
                let (w, cr) = response_times(&get(3))
                    .ok_or_else(|| bad_line("metrics", n, "respond in: like 5m, 1h or 5m/2m"))?;
                Ok(DetectionMetric {
                    metric: get(0),
                    warning: get(1),
                    critical: get(2),
                    warning_response_minutes: w,
                    critical_response_minutes: cr,
                })
            })
            .collect::<Result<_, _>>()?;
        let alert_levels = lines(&self.alert_levels)
            .map(|(n, l)| {
                let (p, condition) = l
                    .split_once('|')
                    .ok_or_else(|| bad_line("alert_levels", n, "write P1 | condition"))?;
                let priority = Severity::parse(p.trim().to_uppercase().as_str())
                    .ok_or_else(|| bad_line("alert_levels", n, "the level is P0, P1, P2 or P3"))?;
                Ok(AlertLevel {
                    priority,
                    condition: condition.trim().to_owned(),
                })
            })
            .collect::<Result<_, _>>()?;
        let whys = lines(&self.whys)
            .map(|(n, l)| {
                let (why, because) = l
                    .split_once('|')
                    .ok_or_else(|| bad_line("whys", n, "write why | because"))?;
                Ok(PredictedWhy {
                    why: why.trim().to_owned(),
                    because: because.trim().to_owned(),
                })
            })
            .collect::<Result<_, _>>()?;
        let load_tests = commas(&self.load_tests)
            .iter()
            .map(|id| opt_id::<LoadTestId>("load_tests", id).map(|v| v.expect("not empty")))
            .collect::<Result<_, _>>()?;
        Ok(ScenarioInput {
            title: self.title.clone(),
            severity,
            trigger: self.trigger.clone(),
            symptoms: lines(&self.symptoms)
                .map(|(_, l)| l.trim_start_matches(['-', '*']).trim().to_owned())
                .collect(),
            services: commas(&self.services),
            business_impact: self.business_impact.clone(),
            detection: Detection {
                metrics,
                alert_levels,
                alerts: commas(&self.alerts),
                channels: commas(&self.channels),
                notes: self.detection_notes.clone(),
            },
            stages: parse_stages(&self.stages)?,
            chain: PredictedChain {
                whys,
                root_cause: self.root_cause.clone(),
                category,
            },
            notes: self.notes.clone(),
            load_tests,
        })
    }
}

fn parse_stages(text: &str) -> Result<Vec<Stage>, Invalid> {
    let mut stages: Vec<Stage> = Vec::new();
    for (n, line) in lines(text) {
        if let Some(step) = line.strip_prefix(['-', '*']) {
            if step.trim().is_empty() {
                // A template's blank step.
                continue;
            }
            let Some(stage) = stages.last_mut() else {
                return Err(bad_line(
                    "stages",
                    n,
                    "a step needs a stage line above it, like `5m Immediate`",
                ));
            };
            let mut parts = cells(step).into_iter();
            let mut s = PlanStep {
                text: parts.next().unwrap_or_default(),
                ..PlanStep::default()
            };
            for part in parts {
                let lower = part.to_lowercase();
                if let Some(c) = ["change:", "변경:"]
                    .iter()
                    .find_map(|k| lower.starts_with(k).then(|| part[k.len()..].trim()))
                {
                    s.changes.push(c.to_owned());
                } else if let Some(o) = ["owner:", "담당:"]
                    .iter()
                    .find_map(|k| lower.starts_with(k).then(|| part[k.len()..].trim()))
                {
                    s.owner = o.to_owned();
                } else if !part.is_empty() {
                    if !s.detail.is_empty() {
                        s.detail.push('\n');
                    }
                    s.detail.push_str(&part);
                }
            }
            stage.steps.push(s);
        } else {
            let (deadline, name) = line.split_once(char::is_whitespace).unwrap_or((line, ""));
            let within = parse_minutes(deadline).ok_or_else(|| {
                bad_line(
                    "stages",
                    n,
                    "a stage line starts with its deadline, like `5m Immediate` or `1w Long term`",
                )
            })?;
            stages.push(Stage {
                name: name.trim().to_owned(),
                within_minutes: within,
                steps: Vec::new(),
            });
        }
    }
    Ok(stages)
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::Utc;

    fn form() -> ScenarioForm {
        ScenarioForm {
            title: "Redis 연결 풀 고갈".into(),
            severity: "P1".into(),
            trigger: "트래픽 3배".into(),
            services: "coupon-api, Redis".into(),
            symptoms: "- 연결 타임아웃\n- 캐시 실패".into(),
            metrics: "API 응답 시간 | p99 > 500ms | p99 > 1s | 5m/2m\n캐시 히트율 | < 90%".into(),
            alert_levels: "P1 | 연결 수 90% 초과".into(),
            alerts: "RedisPoolSaturated, redis-pool".into(),
            stages: "5m 즉시 대응\n- Redis 연결 풀 확장 | change: maxActive: 50 → 100 | owner: on-call\n- 유휴 연결 정리 | 강제 해제\n\n1w 중장기 대응\n- Circuit Breaker 적용".into(),
            whys: "왜 고갈? | 트래픽 급증\n왜 급증? | 이벤트".into(),
            root_cause: "용량 계획 부족".into(),
            category: "capacity_planning".into(),
            ..ScenarioForm::default()
        }
    }

    #[test]
    fn lines_become_the_scenario_and_back() {
        let input = form().to_input().unwrap();
        assert_eq!(
            input.detection.metrics[0].critical_response_minutes,
            Some(2)
        );
        assert_eq!(input.detection.metrics[1].warning, "< 90%");
        assert_eq!(input.detection.metrics[1].warning_response_minutes, None);
        assert_eq!(input.stages.len(), 2);
        assert_eq!(input.stages[1].within_minutes, 10_080);
        let first = &input.stages[0].steps[0];
        assert_eq!(
            (first.changes.as_slice(), first.owner.as_str()),
            (&["maxActive: 50 → 100".to_owned()][..], "on-call")
        );
        assert_eq!(input.stages[0].steps[1].detail, "강제 해제");
        assert_eq!(input.detection.alerts, ["RedisPoolSaturated", "redis-pool"]);
        let stored = Scenario {
            id: ScenarioId::from(1),
            title: input.title.clone(),
            severity: input.severity,
            trigger: input.trigger.clone(),
            symptoms: input.symptoms.clone(),
            services: input.services.clone(),
            business_impact: String::new(),
            detection: input.detection.clone(),
            stages: input.stages.clone(),
            chain: input.chain.clone(),
            notes: String::new(),
            load_tests: Vec::new(),
            incidents: Vec::new(),
            created_at: Utc::now(),
            updated_at: Utc::now(),
            created_by: String::new(),
        };
        let again = ScenarioForm::from_scenario(&stored).to_input().unwrap();
        assert_eq!(again, input, "the form writes back what it reads");
    }

    #[test]
    fn a_line_that_does_not_fit_is_named() {
        let mut f = form();
        f.stages = "soon Immediate\n- x".into();
        let e = f.to_input().unwrap_err();
        assert_eq!(e.field, "stages");
        assert!(
            matches!(&e.problem, Problem::Malformed { detail } if detail.starts_with("line 1:")),
            "{e}"
        );
        let mut f = form();
        f.stages = "- orphan step".into();
        assert!(f.to_input().is_err());
        let mut f = form();
        f.alert_levels = "P1 only".into();
        assert_eq!(f.to_input().unwrap_err().field, "alert_levels");
        let mut f = form();
        f.whys = "ok | fine\nno separator".into();
        let e = f.to_input().unwrap_err();
        assert!(
            matches!(&e.problem, Problem::Malformed { detail } if detail.starts_with("line 2:")),
            "{e}"
        );
    }
}
