//! The timeline event form.

use chrono_tz::Tz;
use serde::{Deserialize, Serialize};

use super::choice;
use crate::domain::*;
use crate::time;

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct EventForm {
    /// `datetime-local` in the display zone.
    pub at: String,
    pub kind: String,
    pub text: String,
    pub author: String,
    /// The version the form was opened at (hidden; empty on a new event).
    pub version: String,
}

impl EventForm {
    pub fn from_event(e: &TimelineEvent, tz: Tz) -> Self {
        Self {
            at: time::to_input(e.at, tz),
            kind: e.kind.to_string(),
            text: e.text.clone(),
            author: e.author.clone(),
            version: e.version.to_string(),
        }
    }

    pub fn to_input(&self, tz: Tz) -> Result<EventInput, Invalid> {
        Ok(EventInput {
            at: time::parse_local("at", &self.at, tz)?
                .ok_or(Invalid::new("at", Problem::Required))?,
            kind: choice("kind", &self.kind)?,
            text: self.text.clone(),
            source: Provenance::Manual,
            author: self.author.clone(),
        })
    }

    /// An edit: the time is kept to the second unless the person changed it.
    pub fn to_patch(&self, current: &TimelineEvent, tz: Tz) -> Result<EventPatch, Invalid> {
        let input = self.to_input(tz)?;
        let moved = self.at.trim() != time::to_input(current.at, tz);
        Ok(EventPatch {
            version: self.version.trim().parse().ok(),
            at: moved.then_some(input.at),
            kind: Some(input.kind),
            text: Some(input.text),
            source: None,
            author: Some(input.author),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_event_needs_a_time() {
        let f = EventForm {
            kind: "note".into(),
            text: "x".into(),
            ..Default::default()
        };
        assert_eq!(
            f.to_input(chrono_tz::UTC).unwrap_err(),
            Invalid::new("at", Problem::Required)
        );
    }
}
