//! Targets saved from a report (`hoego import --apply-targets`): `<data dir>/targets.json`,
//! read at start over the configured ones, like the team's glossary file.

use std::path::Path;

use anyhow::Context;
use app::domain::Targets;

pub const FILE: &str = "targets.json";

#[derive(serde::Serialize, serde::Deserialize)]
struct Saved {
    ttd_seconds: i64,
    /// P0, P1, P2, P3.
    ttr_seconds: [i64; 4],
}

/// The targets in `data_dir`'s file, else `configured`.
pub fn load(data_dir: &Path, configured: Targets) -> anyhow::Result<Targets> {
    let path = data_dir.join(FILE);
    if !path.exists() {
        return Ok(configured);
    }
    let text =
        std::fs::read_to_string(&path).with_context(|| format!("reading {}", path.display()))?;
    let s: Saved =
        serde_json::from_str(&text).with_context(|| format!("reading {}", path.display()))?;
    tracing::info!(file = %path.display(), "targets from a report applied");
    Ok(Targets {
        ttd_seconds: s.ttd_seconds,
        ttr_seconds: s.ttr_seconds,
    })
}

pub fn save(data_dir: &Path, t: Targets) -> anyhow::Result<()> {
    let path = data_dir.join(FILE);
    let saved = Saved {
        ttd_seconds: t.ttd_seconds,
        ttr_seconds: t.ttr_seconds,
    };
    std::fs::write(&path, serde_json::to_string_pretty(&saved)?)
        .with_context(|| format!("writing {}", path.display()))
}
