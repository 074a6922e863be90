//! The insights as CSV, for spreadsheets: one table of duration figures (a row per group of
//! every breakdown) and one of action-item follow-through (a row per owner and horizon).

use app::domain::{CsvTable as Table, Durations, FollowThrough, Insights, Stat};

fn number(v: Option<f64>) -> String {
    v.map(|v| format!("{v:.1}")).unwrap_or_default()
}

fn count(v: Option<u32>) -> String {
    v.map(|v| v.to_string()).unwrap_or_default()
}

fn stat_cells(s: &Stat) -> [String; 7] {
    [
        s.included.to_string(),
        s.excluded.to_string(),
        number(s.mean_seconds),
        number(s.median_seconds),
        number(s.p90_seconds),
        count(s.within_target),
        count(s.breached),
    ]
}

/// The table as CSV text.
pub fn write(i: &Insights, table: Table) -> String {
    let mut w = csv::Writer::from_writer(Vec::new());
    let result = match table {
        Table::Durations => durations(&mut w, i),
        Table::Actions => actions(&mut w, i),
    };
    result.expect("writing CSV to memory does not fail");
    String::from_utf8(w.into_inner().expect("a Vec flushes")).expect("CSV of UTF-8 text")
}

fn durations(w: &mut csv::Writer<Vec<u8>>, i: &Insights) -> csv::Result<()> {
    let mut header = vec!["breakdown".to_owned(), "key".into(), "incidents".into()];
    for m in ["ttd", "tta", "ttr"] {
        for f in [
            "included",
            "excluded",
            "mean_seconds",
            "median_seconds",
            "p90_seconds",
            "within_target",
            "breached",
        ] {
            header.push(format!("{m}_{f}"));
        }
    }
    w.write_record(&header)?;
    let mut row = |breakdown: &str, key: &str, incidents: u32, d: &Durations| {
        let mut r = vec![breakdown.to_owned(), key.to_owned(), incidents.to_string()];
        for s in [&d.ttd, &d.tta, &d.ttr] {
            r.extend(stat_cells(s));
        }
        w.write_record(&r)
    };
    row("all", "all", i.overall.incidents, &i.overall.durations)?;
    for (name, groups) in [
        ("severity", &i.by_severity),
        ("service", &i.by_service),
        ("category", &i.by_category),
    ] {
        for g in groups {
            row(name, &g.key, g.incidents, &g.durations)?;
        }
    }
    for p in &i.trend {
        row("period", &p.start.to_string(), p.incidents, &p.durations)?;
    }
    Ok(())
}

fn actions(w: &mut csv::Writer<Vec<u8>>, i: &Insights) -> csv::Result<()> {
    w.write_record([
        "breakdown",
        "key",
        "total",
        "open",
        "overdue",
        "done",
        "done_on_time",
        "done_late",
        "done_not_judged",
        "wont_do",
        "median_days_to_done",
    ])?;
    let mut row = |breakdown: &str, f: &FollowThrough| {
        w.write_record([
            breakdown.to_owned(),
            f.key.clone(),
            f.total.to_string(),
            f.open.to_string(),
            f.overdue.to_string(),
            f.done.to_string(),
            f.done_on_time.to_string(),
            f.done_late.to_string(),
            f.done_not_judged.to_string(),
            f.wont_do.to_string(),
            number(f.median_days_to_done),
        ])
    };
    row("all", &i.actions.all)?;
    for f in &i.actions.by_owner {
        row("owner", f)?;
    }
    for f in &i.actions.by_horizon {
        row("horizon", f)?;
    }
    Ok(())
}
