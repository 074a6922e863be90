//! Failure scenarios: a pre-mortem's predictions kept as data (how the failure would be detected,
//! the staged response with its deadlines, the predicted 5-Why chain), and how a real incident
//! followed a scenario's plan.

use chrono::{DateTime, Duration, Utc};
use serde::{Deserialize, Serialize};

use super::alerts::LinkedBy;
use super::five_why::RootCauseCategory;
use super::ids::{EventId, IncidentId, LoadTestId, ScenarioId};
use super::invalid::{Invalid, Problem, optional_text, required_text};
use super::status::Severity;

pub const SCENARIO_TEXT_MAX: usize = 2_000;
pub const SCENARIO_NOTES_MAX: usize = 50_000;
/// Symptoms, metrics, alert levels, stages, steps per stage, whys: each list's cap.
pub const SCENARIO_LIST_MAX: usize = 50;
/// A stage's deadline: at most four weeks.
pub const STAGE_MINUTES_MAX: u32 = 4 * 7 * 24 * 60;

/// A metric that shows the failure, with the thresholds that raise a warning and a critical
/// alert and how soon each must be answered (the seed's alert-matrix rows).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct DetectionMetric {
    pub metric: String,
    /// As written, e.g. `> 80%` or `p99 > 500ms`.
    #[serde(default)]
    pub warning: String,
    #[serde(default)]
    pub critical: String,
    /// Minutes to respond to a warning; 0 is at once.
    #[serde(default)]
    pub warning_response_minutes: Option<u32>,
    #[serde(default)]
    pub critical_response_minutes: Option<u32>,
}

/// An alert priority and the condition that raises it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct AlertLevel {
    pub priority: Severity,
    pub condition: String,
}

/// How the failure is noticed.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct Detection {
    #[serde(default)]
    pub metrics: Vec<DetectionMetric>,
    #[serde(default)]
    pub alert_levels: Vec<AlertLevel>,
    /// Alert names or `scenario` label values that detect it: an alert carrying one links its
    /// incident to this scenario.
    #[serde(default)]
    pub alerts: Vec<String>,
    /// Where alerts go (Slack, e-mail, SMS).
    #[serde(default)]
    pub channels: Vec<String>,
    /// Other signals as written (a log line to look for, …).
    #[serde(default)]
    pub notes: String,
}

/// One step of a stage. `id` is stable across edits (a step keeps it while its text stays the
/// same), so an incident's ticks stay on their step.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct PlanStep {
    /// Assigned by hoego; 0 on input.
    #[serde(default)]
    pub id: u32,
    pub text: String,
    #[serde(default)]
    pub detail: String,
    /// Who does it (a role: on-call, DBA, …).
    #[serde(default)]
    pub owner: String,
    /// Setting changes, as written: `maxActive: 50 → 100`.
    #[serde(default)]
    pub changes: Vec<String>,
}

/// A stage of the response: steps to finish within `within_minutes` of detection.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct Stage {
    pub name: String,
    pub within_minutes: u32,
    pub steps: Vec<PlanStep>,
}

/// One why and its answer of a predicted chain.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct PredictedWhy {
    pub why: String,
    pub because: String,
}

/// The 5-Why chain the pre-mortem predicts.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct PredictedChain {
    #[serde(default)]
    pub whys: Vec<PredictedWhy>,
    #[serde(default)]
    pub root_cause: String,
    #[serde(default)]
    pub category: Option<RootCauseCategory>,
}

/// What a scenario says, as written and as sent to `POST /scenarios`.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct ScenarioInput {
    pub title: String,
    #[serde(default)]
    pub severity: Option<Severity>,
    /// What sets it off: "traffic 3× the load-tested level".
    #[serde(default)]
    pub trigger: String,
    #[serde(default)]
    pub symptoms: Vec<String>,
    #[serde(default)]
    pub services: Vec<String>,
    #[serde(default)]
    pub business_impact: String,
    #[serde(default)]
    pub detection: Detection,
    #[serde(default)]
    pub stages: Vec<Stage>,
    #[serde(default)]
    pub chain: PredictedChain,
    /// Whatever else the document said.
    #[serde(default)]
    pub notes: String,
    /// The load-test runs it was derived from.
    #[serde(default)]
    pub load_tests: Vec<LoadTestId>,
}

/// A run a scenario was derived from.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct ScenarioRun {
    pub id: LoadTestId,
    pub title: String,
}

/// An incident that followed a scenario.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct ScenarioIncident {
    pub id: IncidentId,
    pub title: String,
    pub linked_by: LinkedBy,
}

/// A stored scenario.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct Scenario {
    pub id: ScenarioId,
    pub title: String,
    pub severity: Option<Severity>,
    pub trigger: String,
    pub symptoms: Vec<String>,
    pub services: Vec<String>,
    pub business_impact: String,
    pub detection: Detection,
    pub stages: Vec<Stage>,
    pub chain: PredictedChain,
    pub notes: String,
    pub load_tests: Vec<ScenarioRun>,
    /// The incidents that followed it, newest link first.
    #[serde(default)]
    pub incidents: Vec<ScenarioIncident>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    pub created_by: String,
}

impl Scenario {
    /// The scenario as input again (for an edit form, an export, a re-import).
    pub fn to_input(&self) -> ScenarioInput {
        ScenarioInput {
            title: self.title.clone(),
            severity: self.severity,
            trigger: self.trigger.clone(),
            symptoms: self.symptoms.clone(),
            services: self.services.clone(),
            business_impact: self.business_impact.clone(),
            detection: self.detection.clone(),
            stages: self.stages.clone(),
            chain: self.chain.clone(),
            notes: self.notes.clone(),
            load_tests: self.load_tests.iter().map(|r| r.id).collect(),
        }
    }

    /// Whether an alert with this name or `scenario` label detects it.
    pub fn detected_by(&self, alertname: &str, scenario_label: &str) -> bool {
        self.detection.alerts.iter().any(|a| {
            (!alertname.is_empty() && a.eq_ignore_ascii_case(alertname))
                || (!scenario_label.is_empty() && a.eq_ignore_ascii_case(scenario_label))
        })
    }

    pub fn step(&self, id: u32) -> Option<(&Stage, &PlanStep)> {
        self.stages
            .iter()
            .find_map(|s| s.steps.iter().find(|p| p.id == id).map(|p| (s, p)))
    }
}

fn list(field: &str, items: &[String], max_len: usize) -> Result<Vec<String>, Invalid> {
    capped(field, items)?;
    let mut out: Vec<String> = Vec::new();
    for (i, s) in items.iter().enumerate() {
        let s = optional_text(&format!("{field}[{i}]"), s, max_len)?;
        if !s.is_empty() && !out.contains(&s) {
            out.push(s);
        }
    }
    Ok(out)
}

fn capped<T>(field: &str, items: &[T]) -> Result<(), Invalid> {
    if items.len() > SCENARIO_LIST_MAX {
        return Err(Invalid::new(
            field,
            Problem::TooMany {
                max: SCENARIO_LIST_MAX,
            },
        ));
    }
    Ok(())
}

impl ScenarioInput {
    /// Trims and checks every part; an error names the part, e.g. `stages[1].steps[0].text`.
    pub fn validated(self) -> Result<Self, Invalid> {
        let t = SCENARIO_TEXT_MAX;
        let services = list("services", &self.services, super::SERVICE_MAX)?
            .into_iter()
            .map(|s| s.to_lowercase())
            .collect();
        capped("detection.metrics", &self.detection.metrics)?;
        let metrics = self
            .detection
            .metrics
            .iter()
            .enumerate()
            .map(|(i, m)| {
                let f = |k: &str| format!("detection.metrics[{i}].{k}");
                for (k, v) in [
                    ("warning_response_minutes", m.warning_response_minutes),
                    ("critical_response_minutes", m.critical_response_minutes),
                ] {
                    if v.is_some_and(|v| v > STAGE_MINUTES_MAX) {
                        return Err(Invalid::new(
                            f(k),
                            Problem::TooLarge {
                                max: STAGE_MINUTES_MAX.into(),
                            },
                        ));
                    }
                }
                Ok(DetectionMetric {
                    metric: required_text(&f("metric"), &m.metric, t)?,
                    warning: optional_text(&f("warning"), &m.warning, t)?,
                    critical: optional_text(&f("critical"), &m.critical, t)?,
                    ..m.clone()
                })
            })
            .collect::<Result<_, _>>()?;
        capped("detection.alert_levels", &self.detection.alert_levels)?;
        let alert_levels = self
            .detection
            .alert_levels
            .iter()
            .enumerate()
            .map(|(i, a)| {
                Ok(AlertLevel {
                    priority: a.priority,
                    condition: required_text(
                        &format!("detection.alert_levels[{i}].condition"),
                        &a.condition,
                        t,
                    )?,
                })
            })
            .collect::<Result<_, _>>()?;
        let detection = Detection {
            metrics,
            alert_levels,
            alerts: list("detection.alerts", &self.detection.alerts, 200)?,
            channels: list("detection.channels", &self.detection.channels, 200)?,
            notes: optional_text("detection.notes", &self.detection.notes, SCENARIO_NOTES_MAX)?,
        };
        capped("stages", &self.stages)?;
        let stages = self
            .stages
            .iter()
            .enumerate()
            .map(|(i, s)| {
                if s.within_minutes > STAGE_MINUTES_MAX {
                    return Err(Invalid::new(
                        format!("stages[{i}].within_minutes"),
                        Problem::TooLarge {
                            max: STAGE_MINUTES_MAX.into(),
                        },
                    ));
                }
                capped(&format!("stages[{i}].steps"), &s.steps)?;
                let steps = s
                    .steps
                    .iter()
                    .enumerate()
                    .map(|(j, p)| {
                        let f = |k: &str| format!("stages[{i}].steps[{j}].{k}");
                        Ok(PlanStep {
                            id: p.id,
                            text: required_text(&f("text"), &p.text, t)?,
                            detail: optional_text(&f("detail"), &p.detail, t)?,
                            owner: optional_text(&f("owner"), &p.owner, 100)?,
                            changes: list(&f("changes"), &p.changes, t)?,
                        })
                    })
                    .collect::<Result<_, Invalid>>()?;
                Ok(Stage {
                    name: required_text(&format!("stages[{i}].name"), &s.name, 200)?,
                    within_minutes: s.within_minutes,
                    steps,
                })
            })
            .collect::<Result<_, Invalid>>()?;
        capped("chain.whys", &self.chain.whys)?;
        let whys = self
            .chain
            .whys
            .iter()
            .enumerate()
            .map(|(i, w)| {
                Ok(PredictedWhy {
                    why: required_text(&format!("chain.whys[{i}].why"), &w.why, t)?,
                    because: required_text(&format!("chain.whys[{i}].because"), &w.because, t)?,
                })
            })
            .collect::<Result<_, Invalid>>()?;
        capped("load_tests", &self.load_tests)?;
        let mut load_tests = self.load_tests.clone();
        load_tests.dedup();
        Ok(Self {
            title: required_text("title", &self.title, super::TITLE_MAX)?,
            severity: self.severity,
            trigger: optional_text("trigger", &self.trigger, t)?,
            symptoms: list("symptoms", &self.symptoms, t)?,
            services,
            business_impact: optional_text("business_impact", &self.business_impact, t)?,
            detection,
            stages,
            chain: PredictedChain {
                whys,
                root_cause: optional_text("chain.root_cause", &self.chain.root_cause, t)?,
                category: self.chain.category,
            },
            notes: optional_text("notes", &self.notes, SCENARIO_NOTES_MAX)?,
            load_tests,
        })
    }

    /// Gives every step an id: a step whose text is that of a step of `before` keeps its id,
    /// any other gets the next one above both `before`'s and `floor` (the highest id ever
    /// ticked), so a new step never takes a removed step's id and its ticks. Ticks on an
    /// incident follow a step through edits that reorder or reword others.
    pub fn number_steps(&mut self, before: &[Stage], floor: u32) {
        let old: Vec<&PlanStep> = before.iter().flat_map(|s| &s.steps).collect();
        let mut used: Vec<u32> = Vec::new();
        let mut next = old.iter().map(|p| p.id).max().unwrap_or(0).max(floor);
        for step in self.stages.iter_mut().flat_map(|s| &mut s.steps) {
            let kept = old
                .iter()
                .find(|p| p.text == step.text && !used.contains(&p.id))
                .map(|p| p.id);
            step.id = kept.unwrap_or_else(|| {
                next += 1;
                next
            });
            used.push(step.id);
        }
    }
}

str_enum! {
    /// Whether a stage of the plan was done within its deadline.
    Adherence {
        /// Every step ticked by the deadline.
        Met => "met",
        /// The deadline passed with a step not ticked, or ticked late.
        Missed => "missed",
        /// The deadline has not come and a step is still open.
        Open => "open",
        /// The incident has no detection time to count from.
        Unknown => "unknown",
    }
}

/// A step as an incident followed it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct StepProgress {
    pub step: PlanStep,
    pub done_at: Option<DateTime<Utc>>,
    /// The timeline event that ticked it.
    pub event_id: Option<EventId>,
    /// Ticked after the stage's deadline.
    pub late: bool,
}

/// A stage as an incident followed it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct StageProgress {
    pub name: String,
    pub within_minutes: u32,
    /// `detected_at` + `within_minutes`.
    pub deadline: Option<DateTime<Utc>>,
    pub steps: Vec<StepProgress>,
    pub adherence: Adherence,
}

/// A scenario linked to an incident, with its plan as a checklist.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct IncidentScenario {
    pub scenario_id: ScenarioId,
    pub incident_id: IncidentId,
    pub title: String,
    pub severity: Option<Severity>,
    pub linked_by: LinkedBy,
    pub linked_at: DateTime<Utc>,
    pub stages: Vec<StageProgress>,
}

/// A failure scenario a search found, beside the incidents.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct ScenarioHit {
    pub id: ScenarioId,
    pub title: String,
    pub severity: Option<Severity>,
    pub trigger: String,
    pub root_cause: String,
    /// How many of the query's words it holds, of `words`.
    pub matched: usize,
    pub words: usize,
}

/// A scenario to pick when linking one to an incident.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct ScenarioChoice {
    pub id: ScenarioId,
    pub title: String,
}

/// A tick: which step an incident did when.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Tick {
    pub step: u32,
    pub done_at: DateTime<Utc>,
    pub event_id: EventId,
}

/// The plan of `stages` as followed: deadlines counted from `detected_at`, each stage judged
/// at `now`.
pub fn progress(
    stages: &[Stage],
    detected_at: Option<DateTime<Utc>>,
    ticks: &[Tick],
    now: DateTime<Utc>,
) -> Vec<StageProgress> {
    stages
        .iter()
        .map(|stage| {
            let deadline =
                detected_at.map(|d| d + Duration::minutes(i64::from(stage.within_minutes)));
            let steps: Vec<StepProgress> = stage
                .steps
                .iter()
                .map(|step| {
                    let tick = ticks.iter().find(|t| t.step == step.id);
                    StepProgress {
                        step: step.clone(),
                        done_at: tick.map(|t| t.done_at),
                        event_id: tick.map(|t| t.event_id),
                        late: matches!((tick, deadline), (Some(t), Some(d)) if t.done_at > d),
                    }
                })
                .collect();
            let adherence = match deadline {
                None => Adherence::Unknown,
                Some(_) if steps.iter().any(|s| s.late) => Adherence::Missed,
                Some(_) if steps.iter().all(|s| s.done_at.is_some()) => Adherence::Met,
                Some(d) if now > d => Adherence::Missed,
                Some(_) => Adherence::Open,
            };
            StageProgress {
                name: stage.name.clone(),
                within_minutes: stage.within_minutes,
                deadline,
                steps,
                adherence,
            }
        })
        .collect()
}

/// Minutes as people write a deadline: `5m`, `1h`, `1h30m`, `2d`, `1w`.
pub fn minutes_label(minutes: u32) -> String {
    const UNITS: [(u32, &str); 4] = [(7 * 24 * 60, "w"), (24 * 60, "d"), (60, "h"), (1, "m")];
    if minutes == 0 {
        return "0m".into();
    }
    let mut rest = minutes;
    let mut out = String::new();
    for (size, unit) in UNITS {
        if rest >= size && (rest.is_multiple_of(size) || size <= 60) {
            out.push_str(&format!("{}{unit}", rest / size));
            rest %= size;
        }
    }
    out
}

/// Reads `minutes_label`'s spellings back, also with spaces and long units (`30 min`,
/// `2 hours`, `1 week`); `None` for anything else.
pub fn parse_minutes(text: &str) -> Option<u32> {
    let text = text.trim().to_lowercase();
    if text.is_empty() {
        return None;
    }
    let mut total: u64 = 0;
    let mut rest = text.as_str();
    while !rest.is_empty() {
        let digits = rest
            .find(|c: char| !c.is_ascii_digit())
            .unwrap_or(rest.len());
        if digits == 0 {
            return None;
        }
        let n: u64 = rest[..digits].parse().ok()?;
        rest = rest[digits..].trim_start();
        let unit_len = rest
            .find(|c: char| c.is_ascii_digit() || c.is_whitespace())
            .unwrap_or(rest.len());
        let size = match &rest[..unit_len] {
            "" | "m" | "min" | "mins" | "minute" | "minutes" => 1,
            "h" | "hr" | "hrs" | "hour" | "hours" => 60,
            "d" | "day" | "days" => 24 * 60,
            "w" | "wk" | "week" | "weeks" => 7 * 24 * 60,
            _ => return None,
        };
        total = total.checked_add(n.checked_mul(size)?)?;
        rest = rest[unit_len..].trim_start();
    }
    u32::try_from(total).ok()
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    fn at(h: u32, m: u32) -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2026, 3, 14, h, m, 0).unwrap()
    }

    fn plan() -> Vec<Stage> {
        let step = |id, text: &str| PlanStep {
            id,
            text: text.into(),
            ..PlanStep::default()
        };
        vec![
            Stage {
                name: "Immediate".into(),
                within_minutes: 5,
                steps: vec![step(1, "Grow the pool"), step(2, "Drop idle connections")],
            },
            Stage {
                name: "Short term".into(),
                within_minutes: 30,
                steps: vec![step(3, "Scale Redis up")],
            },
        ]
    }

    fn tick(step: u32, done_at: DateTime<Utc>) -> Tick {
        Tick {
            step,
            done_at,
            event_id: EventId::from(i64::from(step)),
        }
    }

    #[test]
    fn adherence_counts_deadlines_from_detection() {
        // Detected 10:00: the 5-minute stage is due 10:05, the 30-minute stage 10:30.
        let ticks = [tick(1, at(10, 3)), tick(2, at(10, 7)), tick(3, at(10, 20))];
        let p = progress(&plan(), Some(at(10, 0)), &ticks, at(11, 0));
        assert_eq!(p[0].deadline, Some(at(10, 5)));
        assert_eq!(
            p[0].adherence,
            Adherence::Missed,
            "step 2 was ticked at 10:07"
        );
        assert_eq!(
            p[0].steps.iter().map(|s| s.late).collect::<Vec<_>>(),
            [false, true]
        );
        assert_eq!(p[1].adherence, Adherence::Met);
    }

    #[test]
    fn an_open_stage_is_missed_only_once_its_deadline_passes() {
        let ticks = [tick(1, at(10, 1))];
        let before = progress(&plan(), Some(at(10, 0)), &ticks, at(10, 4));
        assert_eq!(before[0].adherence, Adherence::Open);
        let after = progress(&plan(), Some(at(10, 0)), &ticks, at(10, 6));
        assert_eq!(after[0].adherence, Adherence::Missed);
        let undetected = progress(&plan(), None, &ticks, at(10, 6));
        assert_eq!(undetected[0].adherence, Adherence::Unknown);
    }

    #[test]
    fn steps_keep_their_ids_through_an_edit() {
        let mut edited = ScenarioInput {
            title: "t".into(),
            stages: plan(),
            ..ScenarioInput::default()
        };
        edited.stages[0].steps.swap(0, 1);
        edited.stages[1].steps[0].text = "Scale Redis out".into();
        edited.stages[1].steps[0].id = 0;
        edited.number_steps(&plan(), 0);
        let ids: Vec<u32> = edited
            .stages
            .iter()
            .flat_map(|s| s.steps.iter().map(|p| p.id))
            .collect();
        assert_eq!(ids, [2, 1, 4], "a reworded step gets a new id");
    }

    #[test]
    fn deadlines_read_and_write_as_people_write_them() {
        for (text, minutes) in [
            ("5m", 5),
            ("30 min", 30),
            ("1h", 60),
            ("2 hours", 120),
            ("1h30m", 90),
            ("1w", 10_080),
            ("2 weeks", 20_160),
        ] {
            assert_eq!(parse_minutes(text), Some(minutes), "{text}");
        }
        assert_eq!(parse_minutes("soon"), None);
        assert_eq!(parse_minutes(""), None);
        assert_eq!(minutes_label(90), "1h30m");
        assert_eq!(minutes_label(10_080), "1w");
        assert_eq!(minutes_label(2_880), "2d");
        assert_eq!(minutes_label(5), "5m");
    }

    #[test]
    fn a_step_without_text_is_named_in_the_error() {
        let mut input = ScenarioInput {
            title: "Redis pool".into(),
            stages: plan(),
            ..ScenarioInput::default()
        };
        input.stages[1].steps[0].text = "  ".into();
        let err = input.validated().unwrap_err();
        assert_eq!(err.field, "stages[1].steps[0].text");
        assert_eq!(err.problem, Problem::Required);
    }
}
