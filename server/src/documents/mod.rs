//! Markdown documents in and out: an outline reader; the pre-mortem reader (scenarios, alert
//! matrix, targets) and the postmortem reader (an incident with its timeline, chains and action
//! items), with the readings of times and words they share; and the documents hoego writes.

pub mod export;
pub mod outline;
pub mod postmortem;
pub mod premortem;
mod times;
mod words;

use app::domain::{ImportReport, Invalid, Problem, minutes_label};

/// The largest document hoego imports: far above any real report, small enough that one
/// upload cannot hold much memory.
pub const DOCUMENT_MAX_BYTES: usize = 2 * 1024 * 1024;

/// A file's bytes as document text (a UTF-8 byte-order mark dropped), or what is wrong with
/// them, reported on `file`.
pub fn decode(bytes: Vec<u8>) -> Result<String, Invalid> {
    if bytes.len() > DOCUMENT_MAX_BYTES {
        return Err(Invalid::new(
            "file",
            Problem::TooLarge {
                max: DOCUMENT_MAX_BYTES as u64,
            },
        ));
    }
    let text = String::from_utf8(bytes).map_err(|_| Invalid::new("file", Problem::NotUtf8))?;
    let text = text
        .strip_prefix('\u{feff}')
        .map(str::to_owned)
        .unwrap_or(text);
    // Text has no NULs and few other control characters; a binary file saved as .md has many.
    let controls = text
        .chars()
        .filter(|c| c.is_control() && !matches!(c, '\n' | '\r' | '\t'))
        .count();
    if text.contains('\0') || controls * 100 > text.chars().count().max(1) {
        return Err(Invalid::new("file", Problem::NotText));
    }
    if text.trim().is_empty() {
        return Err(Invalid::new("file", Problem::Required));
    }
    Ok(text)
}

/// A document's hash: of its text with line endings made `\n`, so a copy saved on Windows is
/// the same document.
pub fn digest(text: &str) -> String {
    use sha2::{Digest, Sha256};
    let hash = Sha256::digest(text.replace("\r\n", "\n").as_bytes());
    hash.iter().map(|b| format!("{b:02x}")).collect()
}

/// An import report as lines of text, for the command line.
pub fn report_text(r: &ImportReport) -> String {
    use std::fmt::Write;
    let p = &r.premortem;
    let mut out = String::new();
    let state = match (r.imported_before, r.dry_run, r.incident) {
        (Some(at), _, _) => format!(
            "imported before ({}); nothing created",
            at.format("%Y-%m-%d %H:%M UTC")
        ),
        (None, true, _) => "dry run; nothing created".to_owned(),
        (None, false, Some(id)) => format!("incident #{id} created"),
        (None, false, None) => format!("{} created", r.created.len()),
    };
    if let Some(pm) = &r.postmortem {
        let _ = writeln!(
            out,
            "{}: postmortem \"{}\" ({}): {} timeline events, {} 5-Why chains, {} action items ({state})",
            r.name,
            pm.incident.title,
            pm.incident.severity,
            pm.timeline.len(),
            pm.chains.len(),
            pm.actions.len()
        );
        for p in &pm.placements {
            let detail = if p.detail.is_empty() {
                String::new()
            } else {
                format!(" ({})", p.detail)
            };
            let _ = writeln!(out, "  {} → {}{detail}", p.section, p.part);
        }
        for n in &pm.notes {
            let _ = writeln!(out, "  note: {n}");
        }
        return out;
    }
    let _ = writeln!(
        out,
        "{}: pre-mortem, {} scenarios ({state})",
        r.name,
        p.scenarios.len()
    );
    for (i, s) in p.scenarios.iter().enumerate() {
        let id = r
            .created
            .get(i)
            .map(|(id, _)| format!("#{id} "))
            .unwrap_or_default();
        let steps: usize = s.stages.iter().map(|st| st.steps.len()).sum();
        let _ = writeln!(
            out,
            "  {id}{} ({}): {} metrics, {} alert levels, {} stages / {steps} steps, {} whys",
            s.title,
            s.severity.map_or("no severity", |v| v.as_str()),
            s.detection.metrics.len(),
            s.detection.alert_levels.len(),
            s.stages.len(),
            s.chain.whys.len(),
        );
    }
    if !p.matrix.is_empty() {
        let applied = if r.matrix_applied {
            "applied to matching metrics"
        } else {
            "not applied; --apply-matrix writes it into matching metrics"
        };
        let _ = writeln!(out, "  alert matrix: {} rows ({applied})", p.matrix.len());
    }
    if let Some(t) = &p.targets {
        let ttr: Vec<String> = t
            .ttr_minutes
            .iter()
            .map(|(s, m)| format!("{s} {}", minutes_label(*m)))
            .collect();
        let _ = writeln!(
            out,
            "  targets: MTTD {}; MTTR {} ({})",
            t.ttd_minutes.map_or("-".to_owned(), minutes_label),
            ttr.join(", "),
            if r.targets_applied {
                "applied from the next start"
            } else {
                "reported only; --apply-targets saves them"
            }
        );
    }
    if !p.kept.is_empty() {
        let _ = writeln!(out, "  kept in the document only: {}", p.kept.join(", "));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Odd documents are read without a panic, whatever is made of them.
    #[test]
    fn odd_documents_do_not_panic_the_readers() {
        let long = "x".repeat(100_000);
        let deep = "- ".repeat(100_000) + "x";
        let quotes = "> ".repeat(50_000) + "x";
        let nested = "- a\n".to_owned()
            + &(1..60)
                .map(|d| format!("{}- b\n", "  ".repeat(d)))
                .collect::<String>();
        let docs = [
            String::new(),
            "#".into(),
            "# \n## \n### ".into(),
            "# İstanbul Scenario 1: İİ (P1)\n## Scenario 2:\n## 시나리오\n## Timeline\n- 99:99 x\n- 2025-13-45 10:00 y\n- 24:00 z\n".into(),
            "---\ntitle: [unterminated\n- x\n: y\n---\n# t\n## Action items\n| a |\n|---|\n| 1 | 2 | 3 |\n- [x] (owner: , due )\n- ()[]\n".into(),
            "## 5 Whys\n1. ?\n2. Why?\n3. ？？\n**근본 원인**:\n**1. 왜**\n".into(),
            "## Timeline\n| Time | Event |\n|---|---|\n| 오후 | x |\n| 12:00 PM PDT+99 | y |\n".into(),
            format!("# {long}\n## Summary\n{long}\n## Timeline\n- 10:00 {long}\n"),
            nested,
            deep,
            quotes,
            "<div>\n# not a heading\n</div>\n\n```\n## Timeline\n- 10:00 in code\n```\n> ## Quoted\n> - 10:00 q\n".into(),
        ];
        for d in docs {
            let o = outline::read(&d);
            let _ = premortem::read(&o);
            let _ = postmortem::read(&o, "x.md", chrono_tz::Asia::Seoul);
        }
    }

    #[test]
    fn bad_files_are_named_for_what_is_wrong() {
        let problem = |b: Vec<u8>| decode(b).unwrap_err().problem;
        assert_eq!(problem(vec![0xff, 0xfe, b'#']), Problem::NotUtf8);
        assert_eq!(problem(b"# a\0b".to_vec()), Problem::NotText);
        assert_eq!(problem(b"  \n".to_vec()), Problem::Required);
        assert_eq!(
            problem(vec![b'a'; DOCUMENT_MAX_BYTES + 1]),
            Problem::TooLarge {
                max: DOCUMENT_MAX_BYTES as u64
            }
        );
        assert_eq!(
            decode("\u{feff}# 제목".as_bytes().to_vec()).unwrap(),
            "# 제목"
        );
    }
}
