//! UI text in Korean and English.
//!
//! A catalogue is a struct declared with [`texts!`], each text with both languages side by side,
//! so a missing translation is a compile error rather than a key shown to a user; enum labels
//! are arrays in the enum's declaration order, sized by the compiler. The core catalogue is in
//! `catalogue.rs`; a feature with many texts of its own declares its catalogue in its own file.

use crate::ui::Lang;

/// A count with its thousands grouped by commas, as both Korean and English write them:
/// `10000` → `10,000`. Counts on these pages reach tens of thousands.
pub fn grouped(n: impl Into<i128>) -> String {
    let n: i128 = n.into();
    let digits = n.unsigned_abs().to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3 + 1);
    if n < 0 {
        out.push('-');
    }
    for (i, d) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(d);
    }
    out
}

/// A text of a catalogue.
pub type Text = &'static str;

/// Declares a catalogue: a struct of texts with each text's Korean and English written side by
/// side, and one static per language. A text without both does not compile, and a reviewer
/// reads a translation next to what it translates.
macro_rules! texts {
    (
        $(#[$meta:meta])*
        pub struct $name:ident ($ko:ident, $en:ident) {
            $( $(#[$fmeta:meta])* $field:ident : $ty:ty = ($ko_value:expr, $en_value:expr $(,)?), )*
        }
    ) => {
        $(#[$meta])*
        pub struct $name {
            $( $(#[$fmeta])* pub $field: $ty, )*
        }

        pub static $ko: $name = $name { $( $field: $ko_value, )* };
        pub static $en: $name = $name { $( $field: $en_value, )* };

        impl $name {
            /// The texts in `lang`.
            pub fn of(lang: $crate::ui::Lang) -> &'static $name {
                match lang {
                    $crate::ui::Lang::Ko => &$ko,
                    $crate::ui::Lang::En => &$en,
                }
            }
        }
    };
}

pub mod accounts;
pub mod alerts;
mod catalogue;
pub mod hooks;
pub mod insights;
pub mod load_tests;
mod problems;
pub mod scenarios;
pub mod templates;

pub use accounts::AccountTexts;
pub use alerts::AlertTexts;
pub use catalogue::Catalogue;
pub use hooks::HookTexts;
pub use insights::InsightTexts;
pub use load_tests::LoadTestTexts;
pub use scenarios::ScenarioTexts;
pub use templates::{Template, Templates};

pub fn catalogue(lang: Lang) -> &'static Catalogue {
    Catalogue::of(lang)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::*;

    #[test]
    fn counts_are_grouped_by_thousands() {
        assert_eq!(grouped(0), "0");
        assert_eq!(grouped(999), "999");
        assert_eq!(grouped(1000), "1,000");
        assert_eq!(grouped(41280), "41,280");
        assert_eq!(grouped(1234567u64), "1,234,567");
        assert_eq!(grouped(-1234), "-1,234");
    }

    #[test]
    fn counts_in_sentences_are_grouped_in_both_languages() {
        assert_eq!(
            catalogue(Lang::En).incident_count(10000),
            "10,000 incidents"
        );
        assert_eq!(catalogue(Lang::En).incident_count(1), "1 incident");
        assert_eq!(catalogue(Lang::Ko).incident_count(10000), "장애 10,000건");
        assert_eq!(
            catalogue(Lang::Ko).action_count(15230),
            "액션 아이템 15,230건"
        );
        assert_eq!(catalogue(Lang::En).search_count(2500), "2,500 postmortems");
    }

    #[test]
    fn every_problem_reads_in_both_languages() {
        let problems = [
            Problem::Required,
            Problem::TooLong { max: 200 },
            Problem::NotADate,
            Problem::EarlierThan {
                other: "started_at".into(),
            },
            Problem::ReasonRequired,
        ];
        for p in &problems {
            let (ko, en) = (
                catalogue(Lang::Ko).problem(p),
                catalogue(Lang::En).problem(p),
            );
            assert!(
                !ko.is_empty() && !en.is_empty() && ko != en,
                "{p:?}: {ko} / {en}"
            );
        }
        assert_eq!(
            catalogue(Lang::Ko).problem(&Problem::Required),
            "비워 둘 수 없습니다."
        );
        assert_eq!(
            catalogue(Lang::En).problem(&Problem::EarlierThan {
                other: "started_at".into()
            }),
            "Must not be earlier than Impact started."
        );
    }

    #[test]
    fn step_fields_are_named_by_position() {
        assert_eq!(
            catalogue(Lang::En).field_name("steps[2].because"),
            "Why 3 Because"
        );
        assert_eq!(catalogue(Lang::Ko).field_name("recovered_at"), "복구 시각");
    }

    #[test]
    fn labels_follow_enum_order() {
        let ko = catalogue(Lang::Ko);
        assert_eq!(ko.status_label(Status::InReview), "회고");
        assert_eq!(ko.horizon_label(Horizon::LongTerm), "중장기");
        assert_eq!(
            catalogue(Lang::En).moment_label(Moment::Recovered),
            "Recovered"
        );
    }
}
