//! The alerting rules shipped for hoego itself (docs/monitoring/), as Prometheus's own tool
//! reads them, and against the metrics hoego really serves.

use std::path::{Path, PathBuf};
use std::process::Command;

use crate::helpers::*;

fn monitoring_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../docs/monitoring")
}

/// Runs promtool and fails the test with its output unless it succeeds.
fn promtool(args: &[&str], file: &Path) -> String {
    let out = Command::new("promtool")
        .args(args)
        .arg(file)
        .current_dir(file.parent().unwrap())
        .output()
        .expect("promtool runs (Debian's prometheus: source scripts/setup.sh; setup_monitoring)");
    let text = format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(out.status.success(), "promtool {args:?} failed:\n{text}");
    text
}

#[test]
fn the_rules_check_and_pass_their_unit_tests() {
    let dir = monitoring_dir();
    let checked = promtool(&["check", "rules"], &dir.join("hoego.rules.yml"));
    assert!(checked.contains("SUCCESS: 8 rules found"), "{checked}");
    let tested = promtool(&["test", "rules"], &dir.join("hoego.rules.test.yml"));
    assert!(tested.contains("SUCCESS"), "{tested}");
}

#[tokio::test]
async fn every_metric_the_rules_use_is_served() {
    let app = spawn_app().await;
    assert_eq!(app.total_incidents().await, 0);
    let served = app.get("/metrics").await.text().await.unwrap();
    let rules = std::fs::read_to_string(monitoring_dir().join("hoego.rules.yml")).unwrap();
    let mut used: Vec<&str> = rules
        .split(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
        .filter(|w| w.starts_with("hoego_"))
        .collect();
    used.sort_unstable();
    used.dedup();
    assert_eq!(used.len(), 8, "{used:?}");
    for name in used {
        let family = ["_bucket", "_count", "_sum"]
            .iter()
            .find_map(|s| name.strip_suffix(s))
            .unwrap_or(name);
        assert!(
            served.contains(&format!("# TYPE {family} ")),
            "{name} is used by a rule but not served:\n{served}"
        );
    }
}
