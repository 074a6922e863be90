//! Incident status: the seed report's response stages, and which moves between them are allowed.

use super::invalid::{Invalid, Problem, optional_text};

/// Why a status moved back.
pub const REASON_MAX: usize = 2_000;

str_enum! {
    /// Where an incident is in the seed's response process (감지 → 분류 → 대응 → 복구 → 회고).
    Status {
        Detected => "detected",
        Triaged => "triaged",
        Mitigating => "mitigating",
        Recovered => "recovered",
        InReview => "in_review",
        Closed => "closed",
    }
}

str_enum! {
    /// How bad an incident is, with the seed report's levels.
    Severity {
        /// Critical: whole service down (the seed's MySQL pool exhaustion).
        P0 => "P0",
        /// High (the seed's Redis pool exhaustion).
        P1 => "P1",
        /// Medium (the seed's Kafka producer lag).
        P2 => "P2",
        /// Low.
        P3 => "P3",
    }
}

impl Status {
    fn rank(self) -> usize {
        Status::ALL.iter().position(|s| *s == self).unwrap_or(0)
    }

    /// Checks a status change. Moving forward any number of stages is allowed (an incident can
    /// recover before anyone triages it); moving back is allowed one stage at a time and only
    /// with a reason, so the history stays explainable.
    /// Returns the reason as it is kept (trimmed, at most [`REASON_MAX`] characters).
    pub fn check_move(self, to: Status, reason: &str) -> Result<String, Invalid> {
        let reason = optional_text("reason", reason, REASON_MAX)?;
        let (from_rank, to_rank) = (self.rank(), to.rank());
        if to_rank >= from_rank {
            return Ok(reason);
        }
        if from_rank - to_rank > 1 {
            return Err(Invalid::new(
                "status",
                Problem::StatusMove {
                    from: self.to_string(),
                    to: to.to_string(),
                },
            ));
        }
        if reason.is_empty() {
            return Err(Invalid::new("reason", Problem::ReasonRequired));
        }
        Ok(reason)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn forward_moves_are_free() {
        assert!(Status::Detected.check_move(Status::Triaged, "").is_ok());
        assert!(Status::Detected.check_move(Status::Recovered, "").is_ok());
        assert!(Status::InReview.check_move(Status::InReview, "").is_ok());
    }

    #[test]
    fn back_one_step_needs_a_reason() {
        assert_eq!(
            Status::Recovered.check_move(Status::Mitigating, "  "),
            Err(Invalid::new("reason", Problem::ReasonRequired))
        );
        assert!(
            Status::Recovered
                .check_move(Status::Mitigating, "에러율 재상승")
                .is_ok()
        );
    }

    #[test]
    fn back_two_steps_is_refused_even_with_a_reason() {
        assert_eq!(
            Status::Closed.check_move(Status::Recovered, "reopen"),
            Err(Invalid::new(
                "status",
                Problem::StatusMove {
                    from: "closed".into(),
                    to: "recovered".into()
                }
            ))
        );
    }

    #[test]
    fn spellings_round_trip_through_json() {
        assert_eq!(
            serde_json::to_string(&Status::InReview).unwrap(),
            "\"in_review\""
        );
        assert_eq!(
            serde_json::from_str::<Severity>("\"P0\"").unwrap(),
            Severity::P0
        );
        let err = serde_json::from_str::<Severity>("\"P9\"")
            .unwrap_err()
            .to_string();
        assert!(err.contains("unknown variant `P9`"), "{err}");
    }
}
