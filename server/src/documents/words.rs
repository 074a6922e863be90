//! Small readings of the words documents use for times and levels, in Korean and English.

use app::domain::Severity;

/// Whether `text` (already lower-cased by the caller where it matters) holds any of `words`.
pub fn has_any(text: &str, words: &[&str]) -> bool {
    words.iter().any(|w| text.contains(w))
}

/// `text` without `prefix`, compared ignoring ASCII case (the prefixes are English or Korean
/// words, so byte offsets stay those of `text`).
pub fn strip_prefix_ci<'a>(text: &'a str, prefix: &str) -> Option<&'a str> {
    let head = text.get(..prefix.len())?;
    head.eq_ignore_ascii_case(prefix)
        .then(|| &text[prefix.len()..])
}

/// `text` without `suffix`, compared ignoring ASCII case.
pub fn strip_suffix_ci<'a>(text: &'a str, suffix: &str) -> Option<&'a str> {
    let at = text.len().checked_sub(suffix.len())?;
    let tail = text.get(at..)?;
    tail.eq_ignore_ascii_case(suffix).then(|| &text[..at])
}

/// The first severity written as a token: `P1`, `(P0 장애)`, `sev-2` → P2. `API 5xx` is none.
pub fn severity_in(text: &str) -> Option<Severity> {
    let lower = text.to_lowercase();
    for (prefix, offset) in [("p", 0u8), ("sev-", 1), ("sev ", 1), ("sev", 1)] {
        let mut from = 0;
        while let Some(at) = lower[from..].find(prefix) {
            let start = from + at;
            let end = start + prefix.len();
            from = end;
            let before_ok = lower[..start]
                .chars()
                .next_back()
                .is_none_or(|c| !c.is_alphanumeric());
            let mut digits = lower[end..].chars();
            let (Some(d), next) = (digits.next(), digits.next()) else {
                continue;
            };
            let after_ok = next.is_none_or(|c| !c.is_alphanumeric());
            if before_ok
                && after_ok
                && let Some(n) = d.to_digit(10)
            {
                // SEV1 is the worst in most companies' scales, as P0 is in hoego's.
                let level = (n as u8).checked_sub(offset)?;
                return Severity::ALL.get(usize::from(level)).copied();
            }
        }
    }
    None
}

/// The first duration in `text`, in minutes: `5분`, `1시간`, `2주일`, `30 min`, `1 hour`,
/// `2 weeks`, `1h`; `즉시` / `immediately` / `at once` is 0. A number glued to a letter before
/// it (`P0`) is not a duration.
pub fn duration_minutes(text: &str) -> Option<u32> {
    let lower = text.to_lowercase();
    if has_any(&lower, &["즉시", "immediate", "at once", "right away"])
        && !lower.contains(char::is_numeric)
    {
        return Some(0);
    }
    let chars: Vec<char> = lower.chars().collect();
    let mut i = 0;
    let mut total: Option<u32> = None;
    // Where the last unit ended: `1h30m` goes on there.
    let mut resume = usize::MAX;
    while i < chars.len() {
        let starts_number =
            chars[i].is_ascii_digit() && (i == 0 || i == resume || !chars[i - 1].is_alphabetic());
        if !starts_number {
            if total.is_some() && !chars[i].is_whitespace() {
                break;
            }
            i += 1;
            continue;
        }
        let start = i;
        while i < chars.len() && (chars[i].is_ascii_digit() || chars[i] == ',') {
            i += 1;
        }
        let number: String = chars[start..i].iter().filter(|c| **c != ',').collect();
        let mut j = i;
        while j < chars.len() && chars[j] == ' ' {
            j += 1;
        }
        let unit: String = chars[j..]
            .iter()
            .take_while(|c| c.is_alphabetic())
            .collect();
        match (number.parse::<u32>(), unit_minutes(&unit)) {
            // `1시간 30분`, `1h30m`: consecutive parts add up.
            (Ok(n), Some(size)) => {
                total = Some(total.unwrap_or(0).checked_add(n.checked_mul(size)?)?);
                i = j + unit.chars().count();
                resume = i;
            }
            _ if total.is_some() => break,
            _ => {}
        }
    }
    total
}

fn unit_minutes(unit: &str) -> Option<u32> {
    const UNITS: [(&[&str], u32); 5] = [
        (&["주일", "주", "week", "weeks", "wk", "w"], 7 * 24 * 60),
        (&["개월", "달", "month", "months"], 30 * 24 * 60),
        (&["시간", "hour", "hours", "hr", "hrs", "h"], 60),
        (&["일", "day", "days", "d"], 24 * 60),
        (&["분", "minute", "minutes", "mins", "min", "m"], 1),
    ];
    UNITS.iter().find_map(|(names, size)| {
        names
            .iter()
            .any(|n| unit == *n || (!n.is_ascii() && unit.starts_with(n)))
            .then_some(*size)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn durations_in_both_languages() {
        for (text, minutes) in [
            ("즉시 대응 (5분 내)", Some(5)),
            ("(1시간 내)", Some(60)),
            ("(1주일 내)", Some(10_080)),
            ("2주일 내", Some(20_160)),
            ("P0 15분", Some(15)),
            ("within 30 min", Some(30)),
            ("2 hours", Some(120)),
            ("1h", Some(60)),
            ("1시간 30분 내", Some(90)),
            ("1h30m", Some(90)),
            ("5분/2분", Some(5)),
            ("즉시", Some(0)),
            ("Immediately", Some(0)),
            ("soon", None),
            ("P2", None),
        ] {
            assert_eq!(duration_minutes(text), minutes, "{text}");
        }
    }

    #[test]
    fn prefixes_and_suffixes_ignore_case_on_any_text() {
        assert_eq!(strip_prefix_ci("Scenario 2: x", "scenario"), Some(" 2: x"));
        assert_eq!(
            strip_prefix_ci("İstanbul", "is"),
            None,
            "no panic on a longer lowercase"
        );
        assert_eq!(strip_prefix_ci("시나리오 1", "시나리오"), Some(" 1"));
        assert_eq!(strip_suffix_ci("Redis 장애", " 장애"), Some("Redis"));
        assert_eq!(strip_suffix_ci("DB Outage", " outage"), Some("DB"));
        assert_eq!(strip_suffix_ci("장애", " 장애"), None);
    }

    #[test]
    fn severities_as_tokens() {
        assert_eq!(
            severity_in("Redis 연결 풀 고갈 (P1 장애)"),
            Some(Severity::P1)
        );
        assert_eq!(severity_in("**P0 (Critical)**"), Some(Severity::P0));
        assert_eq!(severity_in("SEV1 outage"), Some(Severity::P0));
        assert_eq!(severity_in("Sev-3"), Some(Severity::P2));
        assert_eq!(severity_in("it was a sev 3"), Some(Severity::P2));
        assert_eq!(severity_in("API 5xx p99 > 1s"), None);
        assert_eq!(severity_in("top 10 products"), None);
    }
}
