//! A validation problem as a sentence about the field it sits next to, in each language.

use super::Catalogue;
use crate::domain::Problem;

/// Korean.
pub fn ko(t: &Catalogue, p: &Problem) -> String {
    match p {
        Problem::Required => "비워 둘 수 없습니다.".into(),
        Problem::TooLong { max } => format!("{max}자 이하로 입력하세요."),
        Problem::TooShort { min } => format!("{min}자 이상 입력하세요."),
        Problem::TooLarge { max } => format!("{} 이하여야 합니다.", super::grouped(*max)),
        Problem::TooMany { max } => format!("최대 {}개까지입니다.", super::grouped(*max as u64)),
        Problem::SameAsName => "이름과 같은 비밀번호는 쓸 수 없습니다.".into(),
        Problem::Mismatch => "일치하지 않습니다.".into(),
        Problem::Taken => "이미 사용 중입니다.".into(),
        Problem::WrongPassword => "이름 또는 비밀번호가 틀렸습니다.".into(),
        Problem::LastAdmin => "관리자가 한 명도 남지 않게 됩니다.".into(),
        Problem::AlertsFiring => "아직 해소되지 않은 알림이 있습니다.".into(),
        Problem::UnknownValue { allowed } => {
            format!("다음 중 하나를 고르세요: {}.", allowed.join(", "))
        }
        Problem::NotADate => "날짜 형식이 아닙니다 (YYYY-MM-DD).".into(),
        Problem::NotADateTime => "날짜와 시각 형식이 아닙니다.".into(),
        Problem::NotACount => "0 이상의 정수를 입력하세요.".into(),
        Problem::EarlierThan { other } => format!("{}보다 이를 수 없습니다.", t.field_name(other)),
        Problem::StatusMove { .. } => {
            "상태는 앞으로, 또는 사유와 함께 한 단계만 되돌릴 수 있습니다.".into()
        }
        Problem::ReasonRequired => "상태를 되돌리는 사유를 입력하세요.".into(),
        Problem::NoSteps => "왜/때문에 단계를 하나 이상 입력하세요.".into(),
        Problem::NotInIncident => "이 장애의 단계를 고르세요.".into(),
        Problem::OnlyWhenDone => "완료된 항목에만 쓸 수 있습니다.".into(),
        Problem::OnlyWhenReviewed => "회고 중이거나 종료된 인시던트에만 쓸 수 있습니다.".into(),
        Problem::InTheFuture => "미래 시각일 수 없습니다.".into(),
        Problem::Malformed { detail } => format!("올바르지 않은 값입니다: {detail}."),
        Problem::NotUtf8 => "UTF-8 텍스트가 아닙니다. UTF-8로 저장해 다시 올리세요.".into(),
        Problem::NotText => "텍스트 문서가 아닙니다.".into(),
        Problem::NothingToImport => {
            "읽을 수 있는 장애 시나리오나 포스트모템이 없습니다 (`시나리오 1: …`, `타임라인`, `근본 원인` 같은 제목이 필요합니다).".into()
        }
    }
}

/// English.
pub fn en(t: &Catalogue, p: &Problem) -> String {
    match p {
        Problem::Required => "Must not be empty.".into(),
        Problem::TooLong { max } => format!("At most {max} characters."),
        Problem::TooShort { min } => format!("At least {min} characters."),
        Problem::TooLarge { max } => format!("At most {}.", super::grouped(*max)),
        Problem::TooMany { max } => {
            format!("No more than {} allowed.", super::grouped(*max as u64))
        }
        Problem::SameAsName => "Must not be the same as the name.".into(),
        Problem::Mismatch => "Does not match.".into(),
        Problem::Taken => "Already taken.".into(),
        Problem::WrongPassword => "The name or the password is wrong.".into(),
        Problem::LastAdmin => "That would leave no admin.".into(),
        Problem::AlertsFiring => "An alert is still firing.".into(),
        Problem::UnknownValue { allowed } => format!("Choose one of: {}.", allowed.join(", ")),
        Problem::NotADate => "Not a date (YYYY-MM-DD).".into(),
        Problem::NotADateTime => "Not a date and time.".into(),
        Problem::NotACount => "A whole number, 0 or more.".into(),
        Problem::EarlierThan { other } => {
            format!("Must not be earlier than {}.", t.field_name(other))
        }
        Problem::StatusMove { .. } => {
            "Status can move forward, or back one stage with a reason.".into()
        }
        Problem::ReasonRequired => "Say why the status moves back.".into(),
        Problem::NoSteps => "Add at least one why/because step.".into(),
        Problem::NotInIncident => "Pick a step of this incident.".into(),
        Problem::OnlyWhenDone => "Only for items that are done.".into(),
        Problem::OnlyWhenReviewed => "Only for incidents in review or closed.".into(),
        Problem::InTheFuture => "Must not be in the future.".into(),
        Problem::Malformed { detail } => format!("Not valid: {detail}."),
        Problem::NotUtf8 => "Not UTF-8 text; save it as UTF-8 and try again.".into(),
        Problem::NotText => "Not a text document.".into(),
        Problem::NothingToImport => {
            "No failure scenario or postmortem found (headings like `Scenario 1: …`, `Timeline`, `Root cause`).".into()
        }
    }
}
