//! 5-Why chains: a problem statement, ordered why → because steps, a root cause and its category.

use serde::{Deserialize, Serialize};

use super::ids::{ChainId, IncidentId, StepId};
use super::invalid::{Invalid, Problem, optional_text, required_text};

str_enum! {
    /// Root-cause categories, so that "top root causes" can be counted across postmortems.
    RootCauseCategory {
        CapacityPlanning => "capacity_planning",
        MonitoringGap => "monitoring_gap",
        MissingResilience => "missing_resilience",
        TestEnvironment => "test_environment",
        HumanProcess => "human_process",
        Configuration => "configuration",
        CodeDefect => "code_defect",
        Dependency => "dependency",
        Other => "other",
    }
}

impl RootCauseCategory {
    /// The category a root cause's words point to, for documents that state a cause but no
    /// category (imports). Checked in this order, so "monitoring of capacity" is a monitoring
    /// gap; `None` when no word matches.
    pub fn guess(root_cause: &str) -> Option<Self> {
        const WORDS: [(RootCauseCategory, &[&str]); 8] = [
            (
                RootCauseCategory::MonitoringGap,
                &[
                    "모니터링",
                    "monitoring",
                    "알림",
                    "alerting",
                    "observab",
                    "감지",
                    "detection",
                ],
            ),
            (
                RootCauseCategory::TestEnvironment,
                &["테스트", "test", "staging", "검증"],
            ),
            (
                RootCauseCategory::MissingResilience,
                &[
                    "회복탄력성",
                    "resilien",
                    "circuit breaker",
                    "장애 격리",
                    "fallback",
                    "retry",
                    "retries",
                    "bulkhead",
                    "timeout",
                    "redundan",
                    "이중화",
                ],
            ),
            (
                RootCauseCategory::CapacityPlanning,
                &["용량", "capacity", "sizing", "sized", "scal", "트래픽 예측"],
            ),
            (
                RootCauseCategory::Configuration,
                &["설정", "config", "misconfig", "parameter", "flag"],
            ),
            (
                RootCauseCategory::CodeDefect,
                &[
                    "버그",
                    "bug",
                    "defect",
                    "regression",
                    "코드",
                    "race condition",
                    "null",
                ],
            ),
            (
                RootCauseCategory::Dependency,
                &[
                    "외부",
                    "third-party",
                    "third party",
                    "vendor",
                    "upstream",
                    "provider",
                    "dependency",
                    "의존",
                ],
            ),
            (
                RootCauseCategory::HumanProcess,
                &[
                    "프로세스",
                    "process",
                    "리뷰",
                    "review",
                    "교육",
                    "training",
                    "runbook",
                    "절차",
                    "human",
                    "manual",
                ],
            ),
        ];
        let text = root_cause.to_lowercase();
        WORDS
            .iter()
            .find(|(_, words)| words.iter().any(|w| text.contains(w)))
            .map(|(c, _)| *c)
    }
}

str_enum! {
    /// A one-click edit of a chain's step list, from the buttons beside each step.
    StepMove {
        Up => "up",
        Down => "down",
        Remove => "remove",
    }
}

impl StepMove {
    /// The chain's steps (as a `PATCH` would send them) after moving the step `step`. Moving
    /// the first step up or the last one down leaves the order as it is; `None` when the chain
    /// has no such step.
    pub fn apply(self, chain: &FiveWhyChain, step: StepId) -> Option<Vec<StepInput>> {
        let mut steps: Vec<StepInput> = chain.steps.iter().map(StepInput::from).collect();
        let i = steps.iter().position(|s| s.id == Some(step))?;
        match self {
            StepMove::Up if i > 0 => steps.swap(i, i - 1),
            StepMove::Down if i + 1 < steps.len() => steps.swap(i, i + 1),
            StepMove::Remove => {
                steps.remove(i);
            }
            StepMove::Up | StepMove::Down => {}
        }
        Some(steps)
    }
}

pub const WHY_TEXT_MAX: usize = 2_000;
pub const STEPS_MAX: usize = 20;

/// One step: the question and its answer.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct WhyStep {
    pub id: StepId,
    pub why: String,
    pub because: String,
}

/// A stored chain; `steps` are in order.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct FiveWhyChain {
    pub id: ChainId,
    pub incident_id: IncidentId,
    pub problem: String,
    pub steps: Vec<WhyStep>,
    pub root_cause: String,
    pub category: RootCauseCategory,
    /// Counts its writes (its `ETag`); a change sent with an older one is refused.
    #[serde(default)]
    pub version: i64,
}

/// A step as submitted. With `id`, it is an existing step of the chain being edited (kept, so
/// that action items linked to it stay linked); without, a new one.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct StepInput {
    #[serde(default)]
    pub id: Option<StepId>,
    pub why: String,
    pub because: String,
}

/// The body of `POST …/five-whys`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct ChainInput {
    pub problem: String,
    pub steps: Vec<StepInput>,
    #[serde(default)]
    pub root_cause: String,
    pub category: RootCauseCategory,
}

impl ChainInput {
    /// Checks the chain; a step with one side empty is an error naming that side, e.g.
    /// `steps[2].because`.
    pub fn validated(self) -> Result<Self, Invalid> {
        if self.steps.is_empty() {
            return Err(Invalid::new("steps", Problem::NoSteps));
        }
        if self.steps.len() > STEPS_MAX {
            return Err(Invalid::new("steps", Problem::TooLong { max: STEPS_MAX }));
        }
        let steps = self
            .steps
            .into_iter()
            .enumerate()
            .map(|(i, s)| {
                Ok(StepInput {
                    id: s.id,
                    why: required_text(&format!("steps[{i}].why"), &s.why, WHY_TEXT_MAX)?,
                    because: required_text(
                        &format!("steps[{i}].because"),
                        &s.because,
                        WHY_TEXT_MAX,
                    )?,
                })
            })
            .collect::<Result<_, Invalid>>()?;
        Ok(Self {
            problem: required_text("problem", &self.problem, WHY_TEXT_MAX)?,
            steps,
            root_cause: optional_text("root_cause", &self.root_cause, WHY_TEXT_MAX)?,
            category: self.category,
        })
    }
}

/// The body of `PATCH …/five-whys/{id}`. `steps`, when given, is the whole new list: steps with
/// an `id` keep it (reordered as listed), steps without are added, steps left out are removed.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct ChainPatch {
    /// The version this change was made from (`If-Match` sets it too): refused with 412 and
    /// what changed since if it is stale. Absent: no check.
    #[serde(default)]
    pub version: Option<i64>,
    pub problem: Option<String>,
    pub steps: Option<Vec<StepInput>>,
    pub root_cause: Option<String>,
    pub category: Option<RootCauseCategory>,
}

impl ChainPatch {
    pub fn apply(self, c: &FiveWhyChain) -> ChainInput {
        ChainInput {
            problem: self.problem.unwrap_or_else(|| c.problem.clone()),
            steps: self
                .steps
                .unwrap_or_else(|| c.steps.iter().map(StepInput::from).collect()),
            root_cause: self.root_cause.unwrap_or_else(|| c.root_cause.clone()),
            category: self.category.unwrap_or(c.category),
        }
    }
}

impl From<&WhyStep> for StepInput {
    fn from(s: &WhyStep) -> Self {
        Self {
            id: Some(s.id),
            why: s.why.clone(),
            because: s.because.clone(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn chain(steps: &[(&str, &str)]) -> ChainInput {
        ChainInput {
            problem: "왜 Redis 연결 풀이 고갈되었는가?".into(),
            steps: steps
                .iter()
                .map(|(w, b)| StepInput {
                    id: None,
                    why: (*w).into(),
                    because: (*b).into(),
                })
                .collect(),
            root_cause: "운영 중심 설계 사고 부족".into(),
            category: RootCauseCategory::CapacityPlanning,
        }
    }

    #[test]
    fn an_empty_because_names_its_step() {
        let err = chain(&[("왜?", "트래픽 급증"), ("왜 한계를 초과했나?", " ")]).validated();
        assert_eq!(
            err.unwrap_err(),
            Invalid::new("steps[1].because", Problem::Required)
        );
    }

    #[test]
    fn a_chain_needs_a_step() {
        assert_eq!(
            chain(&[]).validated().unwrap_err(),
            Invalid::new("steps", Problem::NoSteps)
        );
    }

    fn stored(ids: &[i64]) -> FiveWhyChain {
        FiveWhyChain {
            id: 1.into(),
            incident_id: 1.into(),
            problem: "p".into(),
            steps: ids
                .iter()
                .map(|&id| WhyStep {
                    id: id.into(),
                    why: format!("w{id}"),
                    because: format!("b{id}"),
                })
                .collect(),
            root_cause: String::new(),
            category: RootCauseCategory::Other,
            version: 1,
        }
    }

    fn order(steps: Option<Vec<StepInput>>) -> Vec<i64> {
        steps
            .expect("step found")
            .iter()
            .map(|s| s.id.expect("kept id").get())
            .collect()
    }

    #[test]
    fn step_moves_reorder_and_remove_keeping_ids() {
        let c = stored(&[7, 8, 9]);
        assert_eq!(order(StepMove::Up.apply(&c, 8.into())), [8, 7, 9]);
        assert_eq!(order(StepMove::Down.apply(&c, 8.into())), [7, 9, 8]);
        assert_eq!(order(StepMove::Remove.apply(&c, 7.into())), [8, 9]);
        // At the ends a move changes nothing.
        assert_eq!(order(StepMove::Up.apply(&c, 7.into())), [7, 8, 9]);
        assert_eq!(order(StepMove::Down.apply(&c, 9.into())), [7, 8, 9]);
        assert_eq!(StepMove::Up.apply(&c, 4.into()), None);
        assert_eq!(StepMove::parse("sideways"), None);
    }

    #[test]
    fn patch_without_steps_keeps_step_ids() {
        let stored = FiveWhyChain {
            id: 1.into(),
            incident_id: 1.into(),
            problem: "p".into(),
            steps: vec![WhyStep {
                id: 7.into(),
                why: "w".into(),
                because: "b".into(),
            }],
            root_cause: String::new(),
            category: RootCauseCategory::Other,
            version: 1,
        };
        let next = ChainPatch {
            root_cause: Some("r".into()),
            ..Default::default()
        }
        .apply(&stored);
        assert_eq!(next.steps[0].id, Some(7.into()));
        assert_eq!(next.root_cause, "r");
    }
}
