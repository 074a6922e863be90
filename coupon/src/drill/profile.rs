//! The drill profile, derived from the shipped monitoring files (coupon/monitoring/, compiled
//! in) so that they stay the one source of truth: the same rules with every `for:` and every
//! range shortened, and the same Alertmanager route with hoego's address, the token and
//! second-scale grouping. Both rewrites work line by line on the files' one-key-per-line
//! layout and fail if a key they must rewrite is missing or doubled.

use std::time::Duration;

use anyhow::{Result, bail};

/// coupon/monitoring/alerts.yml: the seed's alert matrix.
pub const SHIPPED_RULES: &str = include_str!("../../monitoring/alerts.yml");
/// coupon/monitoring/alertmanager.yml: the route to hoego.
pub const SHIPPED_ALERTMANAGER: &str = include_str!("../../monitoring/alertmanager.yml");

/// How fast the drill profile's rules react.
#[derive(Debug, Clone, Copy)]
pub struct RuleTimings {
    /// Every rule's `for:`.
    pub hold: Duration,
    /// Every range in an expression (`rate(…[1m])` becomes `rate(…[15s])`): short enough that
    /// a rate-based alert resolves soon after the fault is gone, long enough for 15 samples at
    /// the drill's 1 s scrape.
    pub window: Duration,
}

impl Default for RuleTimings {
    fn default() -> Self {
        RuleTimings {
            hold: Duration::from_secs(5),
            window: Duration::from_secs(15),
        }
    }
}

/// How fast the drill profile's Alertmanager notifies.
#[derive(Debug, Clone, Copy)]
pub struct GroupTimings {
    pub group_wait: Duration,
    pub group_interval: Duration,
    pub repeat_interval: Duration,
}

impl Default for GroupTimings {
    fn default() -> Self {
        GroupTimings {
            group_wait: Duration::from_secs(1),
            group_interval: Duration::from_secs(1),
            repeat_interval: Duration::from_secs(3600),
        }
    }
}

/// A duration as Prometheus and Alertmanager write them: whole seconds, else milliseconds.
pub fn prom_duration(d: Duration) -> String {
    if d.subsec_millis() == 0 {
        format!("{}s", d.as_secs())
    } else {
        format!("{}ms", d.as_millis())
    }
}

/// `rules` with every rule's `for:` set to `t.hold` and every range in its `expr:` to
/// `t.window`. Every rule must have a single-line `expr:` and a `for:`.
pub fn rules(rules: &str, t: RuleTimings) -> Result<String> {
    let (hold, window) = (prom_duration(t.hold), prom_duration(t.window));
    let (mut alerts, mut holds, mut exprs) = (0, 0, 0);
    let mut out = String::with_capacity(rules.len());
    for line in rules.lines() {
        let trimmed = line.trim_start();
        let indent = &line[..line.len() - trimmed.len()];
        if trimmed.starts_with("- alert:") {
            alerts += 1;
            out.push_str(line);
        } else if trimmed.starts_with("for:") {
            holds += 1;
            out.push_str(&format!("{indent}for: {hold}"));
        } else if let Some(expr) = trimmed.strip_prefix("expr:") {
            if matches!(expr.trim(), "|" | ">" | "|-" | ">-" | "") {
                bail!("a rule's expr spans lines; keep each on one line: {line}");
            }
            exprs += 1;
            out.push_str(&format!("{indent}expr:{}", with_ranges(expr, &window)));
        } else {
            out.push_str(line);
        }
        out.push('\n');
    }
    if alerts == 0 || holds != alerts || exprs != alerts {
        bail!(
            "the rules file has {alerts} rules, {exprs} one-line exprs and {holds} for: lines; \
             each rule needs one of each"
        );
    }
    Ok(out)
}

/// `expr` with every `[range]` (a Prometheus duration) replaced by `[window]`.
fn with_ranges(expr: &str, window: &str) -> String {
    let mut out = String::with_capacity(expr.len());
    let mut rest = expr;
    while let Some(open) = rest.find('[') {
        out.push_str(&rest[..=open]);
        rest = &rest[open + 1..];
        match rest.find(']') {
            Some(close) if is_duration(&rest[..close]) => {
                out.push_str(window);
                rest = &rest[close..];
            }
            _ => {}
        }
    }
    out.push_str(rest);
    out
}

/// `5m`, `90s`, `1h30m`: digits and units, nothing else.
fn is_duration(s: &str) -> bool {
    !s.is_empty()
        && s.starts_with(|c: char| c.is_ascii_digit())
        && s.chars()
            .all(|c| c.is_ascii_digit() || "smhdwy".contains(c))
}

/// The shipped Alertmanager config with the webhook `url` and `credentials` set to hoego's, and
/// the route's `group_wait`, `group_interval` and `repeat_interval` set to `t`.
pub fn alertmanager(config: &str, url: &str, token: &str, t: GroupTimings) -> Result<String> {
    for (what, value) in [("url", url), ("token", token)] {
        if value.chars().any(|c| c.is_control()) {
            bail!("the hoego {what} must not contain control characters");
        }
    }
    let quoted = |v: &str| format!("'{}'", v.replace('\'', "''"));
    let keys = [
        ("url:", quoted(url)),
        ("credentials:", quoted(token)),
        ("group_wait:", prom_duration(t.group_wait)),
        ("group_interval:", prom_duration(t.group_interval)),
        ("repeat_interval:", prom_duration(t.repeat_interval)),
    ];
    let mut seen = [0; 5];
    let mut out = String::with_capacity(config.len() + url.len() + token.len());
    for line in config.lines() {
        let trimmed = line.trim_start();
        let indent = &line[..line.len() - trimmed.len()];
        let mut rewritten = false;
        for (n, (key, value)) in keys.iter().enumerate() {
            // `- url:` in a list item keeps its dash.
            let (dash, body) = match trimmed.strip_prefix("- ") {
                Some(body) => ("- ", body),
                None => ("", trimmed),
            };
            if body.starts_with(key) {
                seen[n] += 1;
                out.push_str(&format!("{indent}{dash}{key} {value}"));
                rewritten = true;
                break;
            }
        }
        if !rewritten {
            out.push_str(line);
        }
        out.push('\n');
    }
    for (n, (key, _)) in keys.iter().enumerate() {
        if seen[n] != 1 {
            bail!(
                "the Alertmanager config has {} `{key}` lines; the drill rewrites exactly one",
                seen[n]
            );
        }
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn drill_rules_shorten_every_for_and_range_and_nothing_else() {
        let drill = rules(SHIPPED_RULES, RuleTimings::default()).unwrap();
        assert_eq!(drill.lines().count(), SHIPPED_RULES.lines().count());
        let count = |text: &str, needle: &str| text.matches(needle).count();
        let alerts = count(SHIPPED_RULES, "- alert:");
        assert_eq!(
            alerts, 13,
            "one rule per row and level of the seed's matrix, and the dead letters"
        );
        assert_eq!(count(&drill, "for: 5s"), alerts);
        assert_eq!(count(&drill, "[1m]") + count(&drill, "[5m]"), 0);
        assert_eq!(
            count(&drill, "[15s]"),
            count(SHIPPED_RULES, "[1m]") + count(SHIPPED_RULES, "[5m]")
        );
        // Thresholds, labels and annotations are the shipped ones.
        for line in SHIPPED_RULES.lines().filter(|l| {
            let t = l.trim_start();
            !t.starts_with("for:") && !t.starts_with("expr:")
        }) {
            assert!(drill.contains(line), "{line}");
        }
    }

    #[test]
    fn ranges_are_rewritten_only_where_they_are_durations() {
        assert_eq!(
            with_ranges(" rate(x[5m]) / rate(y[1h30m]) > 0.5", "15s"),
            " rate(x[15s]) / rate(y[15s]) > 0.5"
        );
        assert_eq!(with_ranges(" x[abc] and y[", "15s"), " x[abc] and y[");
        assert_eq!(prom_duration(Duration::from_millis(1500)), "1500ms");
        assert_eq!(prom_duration(Duration::from_secs(5)), "5s");
    }

    #[test]
    fn a_rule_without_for_or_with_a_block_expr_is_refused() {
        let no_for = "groups:\n  - name: g\n    rules:\n      - alert: A\n        expr: up == 0\n";
        assert!(rules(no_for, RuleTimings::default()).is_err());
        let block = "      - alert: A\n        expr: |\n          up == 0\n        for: 1m\n";
        let e = rules(block, RuleTimings::default()).unwrap_err();
        assert!(e.to_string().contains("one line"), "{e}");
    }

    #[test]
    fn drill_alertmanager_points_at_hoego_with_the_token_and_drill_timings() {
        let config = alertmanager(
            SHIPPED_ALERTMANAGER,
            "http://127.0.0.1:4000/api/v1/alerts/alertmanager",
            "hoego_it's",
            GroupTimings::default(),
        )
        .unwrap();
        for expected in [
            "  group_wait: 1s\n",
            "  group_interval: 1s\n",
            "  repeat_interval: 3600s\n",
            "      - url: 'http://127.0.0.1:4000/api/v1/alerts/alertmanager'\n",
            "            credentials: 'hoego_it''s'\n",
            "        send_resolved: true\n",
        ] {
            assert!(config.contains(expected), "{expected:?} in\n{config}");
        }
        assert!(!config.contains("HOEGO_INGEST_TOKEN"));
        let twice = format!("{SHIPPED_ALERTMANAGER}\n  group_wait: 5s\n");
        assert!(alertmanager(&twice, "http://h", "t", GroupTimings::default()).is_err());
        assert!(
            alertmanager(
                SHIPPED_ALERTMANAGER,
                "http://h\n",
                "t",
                GroupTimings::default()
            )
            .is_err()
        );
    }
}
