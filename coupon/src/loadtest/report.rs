//! The summary as text for the terminal.

use std::fmt::Write;

use super::summary::Summary;

pub fn render(s: &Summary) -> String {
    let mut out = String::new();
    let requests = s.requests();
    let _ = writeln!(
        out,
        "\n  scenario ......... {} against {}",
        s.scenario.as_str(),
        s.target
    );
    match s.rate {
        Some(rate) => {
            let _ = writeln!(
                out,
                "  load ............. open loop, {rate}/s target, at most {} in flight",
                s.vus
            );
        }
        None => {
            let _ = writeln!(
                out,
                "  load ............. {} virtual users, think time {} ms",
                s.vus,
                s.think_time.as_millis()
            );
        }
    }
    let _ = writeln!(
        out,
        "  requests ......... {requests} in {:.1} s = {:.1}/s",
        s.elapsed.as_secs_f64(),
        s.rps()
    );
    let _ = writeln!(
        out,
        "  latency (ms) ..... p50 {:.2}  p90 {:.2}  p95 {:.2}  p99 {:.2}  max {:.2}",
        s.ms(0.5),
        s.ms(0.9),
        s.ms(0.95),
        s.ms(0.99),
        s.latency.max() as f64 / 1000.0
    );
    let _ = writeln!(
        out,
        "  success .......... {:.2} % answered {}",
        s.success_rate() * 100.0,
        s.expected_status()
    );
    for (status, n) in &s.statuses {
        let label = if *status < 0 {
            "no answer".to_owned()
        } else {
            status.to_string()
        };
        let _ = writeln!(
            out,
            "    {label:>9} ...... {n} ({:.2} %)",
            *n as f64 * 100.0 / requests.max(1) as f64
        );
    }
    if s.rate.is_some() {
        let _ = writeln!(
            out,
            "  dropped .......... {} starts (in-flight cap reached)",
            s.dropped
        );
    }
    if let Some(rate) = s.cache_hit_rate {
        let _ = writeln!(out, "  cache hit rate ... {:.2} %", rate * 100.0);
    }
    if let Some(c) = &s.issue {
        let _ = writeln!(
            out,
            "  coupons .......... event {}: {} issued of {} stock, {} answered 201, {} in MySQL{}",
            c.event,
            c.issued,
            c.stock,
            c.accepted,
            c.persisted,
            if c.drained {
                ""
            } else {
                " (pipeline not drained)"
            }
        );
        let _ = writeln!(
            out,
            "  duplicate check .. {} users with two coupons — {}",
            c.duplicates(),
            if c.consistent() {
                "consistent"
            } else {
                "INCONSISTENT"
            }
        );
    }
    out
}
