//! UI text: one catalogue per language (`ko.rs`, `en.rs`).
//!
//! A catalogue is a struct, so a missing translation is a compile error rather than a key shown
//! to a user; enum labels are arrays in the enum's declaration order, sized by the compiler.

mod en;
mod ko;

use crate::domain::*;
use crate::error::AppError;
use crate::queries::ActionState;
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

pub fn catalogue(lang: Lang) -> &'static Catalogue {
    match lang {
        Lang::Ko => &ko::KO,
        Lang::En => &en::EN,
    }
}

pub struct Catalogue {
    pub nav_label: &'static str,
    pub nav_incidents: &'static str,
    pub nav_action_items: &'static str,
    pub new_incident: &'static str,
    pub edit_incident: &'static str,
    pub display_zone: &'static str,
    pub incident: &'static str,

    pub any: &'static str,
    pub none: &'static str,
    pub filter: &'static str,
    pub clear_filters: &'static str,
    pub no_incidents: &'static str,
    pub no_match: &'static str,
    pub file_first: &'static str,
    pub pages: &'static str,
    pub prev: &'static str,
    pub next: &'static str,

    pub create: &'static str,
    pub save: &'static str,
    pub cancel: &'static str,
    pub edit: &'static str,
    pub delete: &'static str,
    pub set: &'static str,
    pub back_to_incident: &'static str,
    pub back_to_list: &'static str,
    pub delete_incident: &'static str,
    pub delete_incident_warning: &'static str,

    pub f_title: &'static str,
    pub f_severity: &'static str,
    pub f_status: &'static str,
    pub f_status_reason: &'static str,
    pub f_service: &'static str,
    pub f_services: &'static str,
    pub services_hint: &'static str,
    pub f_customer_impact: &'static str,
    pub f_business_impact: &'static str,
    pub f_failed_requests: &'static str,
    pub f_customers_affected: &'static str,
    pub f_summary: &'static str,
    pub f_narrative: &'static str,
    pub markdown_hint: &'static str,
    pub f_started_at: &'static str,
    pub timestamps: &'static str,
    pub times_in_zone: &'static str,

    pub metrics: &'static str,
    pub target: &'static str,
    pub breached: &'static str,
    pub ttd_definition: &'static str,
    pub ttr_definition: &'static str,
    pub change_status: &'static str,
    pub status_history: &'static str,

    pub timeline: &'static str,
    pub no_events: &'static str,
    pub no_chains: &'static str,
    pub no_actions_here: &'static str,
    pub add_event: &'static str,
    pub edit_event: &'static str,
    pub f_at: &'static str,
    pub f_kind: &'static str,
    pub kind_hint: &'static str,
    pub f_text: &'static str,
    pub f_author: &'static str,

    pub five_whys: &'static str,
    pub add_chain: &'static str,
    pub edit_chain: &'static str,
    pub why: &'static str,
    pub move_up: &'static str,
    pub move_down: &'static str,
    pub remove_step: &'static str,
    pub delete_event: &'static str,
    pub delete_chain: &'static str,
    pub delete_action: &'static str,
    pub f_problem: &'static str,
    pub f_why: &'static str,
    pub f_because: &'static str,
    pub f_root_cause: &'static str,
    pub f_category: &'static str,
    pub steps_hint: &'static str,
    pub steps_edit_hint: &'static str,

    pub action_items: &'static str,
    pub add_action: &'static str,
    pub edit_action: &'static str,
    pub f_owner: &'static str,
    pub f_due: &'static str,
    pub f_horizon: &'static str,
    pub f_step: &'static str,
    pub overdue: &'static str,
    pub no_action_items: &'static str,

    pub nav_root_causes: &'static str,
    pub search: &'static str,
    pub search_words: &'static str,
    pub search_placeholder: &'static str,
    pub search_from: &'static str,
    pub search_to: &'static str,
    /// Shown before anything was searched: what the box understands.
    pub search_hint: &'static str,
    pub search_lenient: &'static str,
    pub search_truncated: &'static str,
    pub search_none: &'static str,
    pub matched_in: &'static str,
    pub similar_incidents: &'static str,
    pub similar_none: &'static str,
    pub similar_titles: &'static str,
    pub root_causes_empty: &'static str,

    pub fix_below: &'static str,
    pub error_title: &'static str,
    pub internal_error: &'static str,
    pub network_error: &'static str,
    pub not_found_title: &'static str,
    pub not_found_text: &'static str,

    pub status: [&'static str; 6],
    pub severity: [&'static str; 4],
    pub provenance: [&'static str; 3],
    pub event_kind: [&'static str; 8],
    pub category: [&'static str; 9],
    pub action_status: [&'static str; 4],
    pub horizon: [&'static str; 3],
    pub action_kind: [&'static str; 3],
    pub action_state: [&'static str; 3],
    /// Started, detected, acknowledged, recovered, resolved.
    pub moment: [&'static str; 5],
    pub part: [&'static str; 8],

    pub incident_count: fn(i64) -> String,
    pub action_count: fn(i64) -> String,
    pub search_count: fn(u64) -> String,
    /// "Show all N" under a root-cause group that lists fewer.
    pub root_causes_more: fn(u64) -> String,
    /// A validation problem as a sentence about the field it sits next to.
    pub problem: fn(&Catalogue, &Problem) -> String,
}

impl Catalogue {
    pub fn status_label(&self, s: Status) -> &'static str {
        self.status[s as usize]
    }
    pub fn severity_label(&self, s: Severity) -> &'static str {
        self.severity[s as usize]
    }
    pub fn provenance_label(&self, p: Provenance) -> &'static str {
        self.provenance[p as usize]
    }
    pub fn event_kind_label(&self, k: EventKind) -> &'static str {
        self.event_kind[k as usize]
    }
    pub fn category_label(&self, c: RootCauseCategory) -> &'static str {
        self.category[c as usize]
    }
    pub fn action_status_label(&self, s: ActionStatus) -> &'static str {
        self.action_status[s as usize]
    }
    pub fn horizon_label(&self, h: Horizon) -> &'static str {
        self.horizon[h as usize]
    }
    pub fn action_kind_label(&self, k: ActionKind) -> &'static str {
        self.action_kind[k as usize]
    }
    pub fn action_state_label(&self, s: ActionState) -> &'static str {
        self.action_state[s as usize]
    }
    pub fn moment_label(&self, m: Moment) -> &'static str {
        self.moment[m as usize]
    }
    pub fn part_label(&self, p: SearchPart) -> &'static str {
        self.part[p as usize]
    }
    pub fn search_count(&self, n: u64) -> String {
        (self.search_count)(n)
    }
    pub fn root_causes_more(&self, n: u64) -> String {
        (self.root_causes_more)(n)
    }
    pub fn incident_count(&self, n: i64) -> String {
        (self.incident_count)(n)
    }
    pub fn action_count(&self, n: i64) -> String {
        (self.action_count)(n)
    }
    pub fn problem(&self, p: &Problem) -> String {
        (self.problem)(self, p)
    }

    /// The label of an API field name, for messages that point at a field.
    pub fn field_name(&self, field: &str) -> String {
        if let Some(rest) = field.strip_prefix("steps[") {
            let (n, side) = rest.split_once(']').unwrap_or((rest, ""));
            let n = n.parse::<usize>().map(|n| n + 1).unwrap_or(0);
            let side = match side {
                ".why" => self.f_why,
                ".because" => self.f_because,
                _ => "",
            };
            return format!("{} {n} {side}", self.why).trim_end().to_string();
        }
        let label = match field {
            "title" => self.f_title,
            "severity" => self.f_severity,
            "status" => self.f_status,
            "reason" | "status_reason" => self.f_status_reason,
            "services" => self.f_services,
            "customer_impact" => self.f_customer_impact,
            "business_impact" => self.f_business_impact,
            "failed_requests" => self.f_failed_requests,
            "customers_affected" => self.f_customers_affected,
            "summary" => self.f_summary,
            "narrative" => self.f_narrative,
            "started_at" => self.moment[0],
            "detected_at" => self.moment[1],
            "acknowledged_at" => self.moment[2],
            "recovered_at" => self.moment[3],
            "resolved_at" => self.moment[4],
            "at" => self.f_at,
            "kind" => self.f_kind,
            "text" => self.f_text,
            "author" => self.f_author,
            "problem" => self.f_problem,
            "steps" => self.five_whys,
            "root_cause" => self.f_root_cause,
            "category" => self.f_category,
            "owner" => self.f_owner,
            "due" => self.f_due,
            "horizon" => self.f_horizon,
            "five_why_step_id" => self.f_step,
            other => other,
        };
        label.to_string()
    }

    /// Any error as a sentence for a person.
    pub fn error_text(&self, e: &AppError) -> String {
        match e {
            AppError::Invalid(i) => format!(
                "{}: {}",
                self.field_name(&i.field),
                self.problem(&i.problem)
            ),
            AppError::NotFound { .. } => self.not_found_text.to_string(),
            AppError::Internal => self.internal_error.to_string(),
            AppError::Transport(detail) => format!("{} ({detail})", self.network_error),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

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
