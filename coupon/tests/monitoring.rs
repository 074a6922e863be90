//! The shipped monitoring files (coupon/monitoring/) and the drill profile made from them, as
//! Prometheus's and Alertmanager's own tools read them: `promtool check rules`, the rules' unit
//! tests (`promtool test rules`: a firing and a quiet case for every rule), and `amtool
//! check-config`.

use std::path::{Path, PathBuf};
use std::process::Command;

use coupon::drill::profile::{self, GroupTimings, RuleTimings};

fn monitoring_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("monitoring")
}

/// Runs a tool and fails the test with its output unless it succeeds.
fn run(tool: &str, args: &[&str], file: &Path) -> String {
    let output = Command::new(tool)
        .args(args)
        .arg(file)
        .current_dir(file.parent().unwrap())
        .output()
        .unwrap_or_else(|e| {
            panic!(
                "running {tool}: {e} (install Debian's prometheus and prometheus-alertmanager: \
                 source scripts/setup.sh; setup_monitoring)"
            )
        });
    let text = format!(
        "{}{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
    assert!(
        output.status.success(),
        "{tool} {} {} failed:\n{text}",
        args.join(" "),
        file.display()
    );
    text
}

#[test]
fn the_shipped_rules_check_and_pass_their_unit_tests() {
    let dir = monitoring_dir();
    let checked = run("promtool", &["check", "rules"], &dir.join("alerts.yml"));
    assert!(checked.contains("SUCCESS: 13 rules found"), "{checked}");
    let tested = run("promtool", &["test", "rules"], &dir.join("alerts.test.yml"));
    assert!(tested.contains("SUCCESS"), "{tested}");
}

#[test]
fn every_rule_has_a_firing_and_a_quiet_case_in_the_unit_tests() {
    let tests = std::fs::read_to_string(monitoring_dir().join("alerts.test.yml")).unwrap();
    let rules = profile::SHIPPED_RULES
        .lines()
        .filter_map(|l| l.trim_start().strip_prefix("- alert: "));
    for rule in rules {
        // Each `alertname:` line is followed by its expectation: `exp_alerts: []` is quiet.
        let cases: Vec<&str> = tests
            .split("alertname: ")
            .skip(1)
            .filter(|case| case.starts_with(&format!("{rule}\n")))
            .collect();
        let quiet = cases
            .iter()
            .filter(|c| c.contains("exp_alerts: []"))
            .count();
        let firing = cases.len() - quiet;
        assert!(
            quiet >= 1 && firing >= 1,
            "{rule}: {firing} firing and {quiet} quiet cases"
        );
    }
}

#[test]
fn the_drill_profile_checks_too() {
    let dir = tempfile::tempdir().unwrap();
    let rules = dir.path().join("alerts.drill.yml");
    std::fs::write(
        &rules,
        profile::rules(profile::SHIPPED_RULES, RuleTimings::default()).unwrap(),
    )
    .unwrap();
    let checked = run("promtool", &["check", "rules"], &rules);
    assert!(checked.contains("SUCCESS: 13 rules found"), "{checked}");
    let config = dir.path().join("alertmanager.drill.yml");
    std::fs::write(
        &config,
        profile::alertmanager(
            profile::SHIPPED_ALERTMANAGER,
            "http://127.0.0.1:3000/api/v1/alerts/alertmanager",
            "hoego_0123456789abcdef",
            GroupTimings::default(),
        )
        .unwrap(),
    )
    .unwrap();
    run("amtool", &["check-config"], &config);
}

#[test]
fn the_shipped_alertmanager_config_checks() {
    run(
        "amtool",
        &["check-config"],
        &monitoring_dir().join("alertmanager.yml"),
    );
}
