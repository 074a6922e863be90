//! The 5-Why chain form: a problem, step rows, a root cause and a category.

use serde::{Deserialize, Serialize};

use super::{choice, opt_id};
use crate::domain::*;

/// One why/because row. Rows with both sides blank are spare rows and are dropped.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct StepForm {
    /// The stored step's id when editing, so linked action items stay linked.
    pub id: String,
    pub why: String,
    pub because: String,
}

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct ChainForm {
    pub problem: String,
    pub steps: Vec<StepForm>,
    pub root_cause: String,
    pub category: String,
    /// The version the form was opened at (hidden; empty on a new chain).
    pub version: String,
}

/// Spare empty rows a form offers beyond the stored steps (a new chain gets five: it is a
/// five-why, after all).
pub const NEW_CHAIN_ROWS: usize = 5;
pub const SPARE_ROWS: usize = 2;

impl ChainForm {
    pub fn from_chain(c: &FiveWhyChain) -> Self {
        Self {
            problem: c.problem.clone(),
            steps: c
                .steps
                .iter()
                .map(|s| StepForm {
                    id: s.id.to_string(),
                    why: s.why.clone(),
                    because: s.because.clone(),
                })
                .collect(),
            root_cause: c.root_cause.clone(),
            category: c.category.to_string(),
            version: c.version.to_string(),
        }
    }

    /// Field names of kept rows are renumbered so an error on `steps[1].because` points at the
    /// second row the person filled in, which is also the second row shown when the form comes
    /// back.
    pub fn to_input(&self) -> Result<ChainInput, Invalid> {
        let mut steps = Vec::new();
        for (i, s) in self.steps.iter().enumerate() {
            if s.why.trim().is_empty() && s.because.trim().is_empty() {
                continue;
            }
            steps.push(StepInput {
                id: opt_id(&format!("steps[{i}].id"), &s.id)?,
                why: s.why.clone(),
                because: s.because.clone(),
            });
        }
        Ok(ChainInput {
            problem: self.problem.clone(),
            steps,
            root_cause: self.root_cause.clone(),
            category: choice("category", &self.category)?,
        })
    }

    /// The rows after dropping blank ones: what the form shows again after an error.
    pub fn compacted(&self) -> Self {
        let mut c = self.clone();
        c.steps
            .retain(|s| !(s.why.trim().is_empty() && s.because.trim().is_empty()));
        c
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn blank_rows_are_spare_half_filled_rows_are_errors() {
        let form = ChainForm {
            problem: "왜 Kafka 프로듀서에서 지연이 발생했는가?".into(),
            steps: vec![
                StepForm {
                    id: "".into(),
                    why: "".into(),
                    because: "".into(),
                },
                StepForm {
                    id: "".into(),
                    why: "왜?".into(),
                    because: "초당 2,000건 초과".into(),
                },
                StepForm {
                    id: "".into(),
                    why: "".into(),
                    because: "".into(),
                },
                StepForm {
                    id: "".into(),
                    why: "왜 한계를 넘었나?".into(),
                    because: "".into(),
                },
            ],
            root_cause: "".into(),
            category: "test_environment".into(),
            version: String::new(),
        };
        let input = form.to_input().unwrap();
        assert_eq!(input.steps.len(), 2);
        assert_eq!(
            input.validated().unwrap_err(),
            Invalid::new("steps[1].because", Problem::Required)
        );
    }
}
