//! The action item form.

use serde::{Deserialize, Serialize};

use super::{choice, opt_id};
use crate::domain::*;
use crate::time;

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct ActionForm {
    pub title: String,
    pub owner: String,
    /// `<input type="date">`: `YYYY-MM-DD` or empty.
    pub due: String,
    pub status: String,
    pub horizon: String,
    pub kind: String,
    /// A step id, or empty for none.
    pub five_why_step_id: String,
    /// The version the form was opened at (hidden; empty on a new item).
    pub version: String,
}

impl ActionForm {
    pub fn from_item(a: &ActionItem) -> Self {
        Self {
            title: a.title.clone(),
            owner: a.owner.clone(),
            due: a.due.map(|d| d.to_string()).unwrap_or_default(),
            status: a.status.to_string(),
            horizon: a.horizon.to_string(),
            kind: a.kind.to_string(),
            five_why_step_id: a
                .five_why_step_id
                .map(|i| i.to_string())
                .unwrap_or_default(),
            version: a.version.to_string(),
        }
    }

    pub fn to_input(&self) -> Result<ActionInput, Invalid> {
        Ok(ActionInput {
            title: self.title.clone(),
            owner: self.owner.clone(),
            due: time::parse_date("due", &self.due)?,
            status: if self.status.trim().is_empty() {
                ActionStatus::Open
            } else {
                choice("status", &self.status)?
            },
            horizon: choice("horizon", &self.horizon)?,
            kind: choice("kind", &self.kind)?,
            five_why_step_id: opt_id("five_why_step_id", &self.five_why_step_id)?,
            // The form has no field for it: moving to `done` stamps it, staying keeps it.
            done_at: None,
        })
    }

    /// An edit replaces every field (the form shows them all).
    pub fn to_patch(&self) -> Result<ActionPatch, Invalid> {
        let a = self.to_input()?;
        Ok(ActionPatch {
            version: self.version.trim().parse().ok(),
            title: Some(a.title),
            owner: Some(a.owner),
            due: Some(a.due),
            status: Some(a.status),
            horizon: Some(a.horizon),
            kind: Some(a.kind),
            five_why_step_id: Some(a.five_why_step_id),
            done_at: None,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_due_date_that_is_not_a_date_is_refused() {
        let f = ActionForm {
            title: "Redis 연결 풀 확장".into(),
            due: "31/06/2025".into(),
            horizon: "immediate".into(),
            kind: "technical".into(),
            ..Default::default()
        };
        assert_eq!(
            f.to_input().unwrap_err(),
            Invalid::new("due", Problem::NotADate)
        );
    }
}
