//! Reading the summaries load-test tools write: k6's `handleSummary(data)` JSON, k6's older
//! `--summary-export`, and `coupon loadtest --summary-export`. The format is told from the
//! document; what a figure is called differs between them, what it means does not.
//!
//! The trap: in `--summary-export`, a threshold's value is `true` when the threshold FAILED
//! (k6 records "was it crossed"); in `handleSummary` it is `{"ok": true}` when it held.

use serde_json::{Map, Value};

use super::invalid::{Invalid, Problem};
use super::load_tests::{Check, Figures, SeriesPoint, SummaryFormat, Threshold};

/// What a summary says.
#[derive(Clone, Debug, PartialEq)]
pub struct Summary {
    pub format: SummaryFormat,
    pub figures: Figures,
    pub thresholds: Vec<Threshold>,
    pub checks: Vec<Check>,
    pub series: Vec<SeriesPoint>,
    /// What the document says of itself (coupon loadtest): scenario, start.
    pub scenario: Option<String>,
    pub started_at: Option<chrono::DateTime<chrono::Utc>>,
}

const EXPECTED: &str = "a k6 summary (handleSummary JSON with metrics.<name>.values, or \
    --summary-export JSON with metrics.<name>) or a coupon loadtest export";

fn malformed(path: &str, detail: &str) -> Invalid {
    Invalid::new(
        path,
        Problem::Malformed {
            detail: detail.into(),
        },
    )
}

/// A number at `v[key]`: absent or `null` is `None`; anything else must be a number ≥ 0.
fn num(v: &Value, key: &str, path: &str) -> Result<Option<f64>, Invalid> {
    match v.get(key) {
        None | Some(Value::Null) => Ok(None),
        Some(Value::Number(n)) => {
            let x = n.as_f64().unwrap_or(f64::NAN);
            if x.is_finite() && x >= 0.0 {
                Ok(Some(x))
            } else {
                Err(malformed(
                    &format!("{path}.{key}"),
                    "a number of at least 0",
                ))
            }
        }
        Some(_) => Err(malformed(&format!("{path}.{key}"), "a number")),
    }
}

/// Reads a summary document.
pub fn read(doc: &Value) -> Result<Summary, Invalid> {
    let metrics = doc
        .get("metrics")
        .and_then(Value::as_object)
        .ok_or_else(|| malformed("metrics", EXPECTED))?;
    let handle_summary = metrics
        .values()
        .any(|m| m.get("values").is_some() && m.get("type").is_some());
    let coupon = doc.get("coupon").filter(|c| c.is_object());
    let format = match (handle_summary, coupon) {
        (true, _) => SummaryFormat::K6Summary,
        (false, Some(_)) => SummaryFormat::CouponLoadtest,
        (false, None) => SummaryFormat::K6Export,
    };
    // The values of a metric: under `values` in handleSummary, flat in the export.
    let values = |name: &str| -> Option<(&Value, String)> {
        let m = metrics.get(name)?;
        match format {
            SummaryFormat::K6Summary => Some((m.get("values")?, format!("metrics.{name}.values"))),
            _ => Some((m, format!("metrics.{name}"))),
        }
    };
    let figure = |name: &str, key: &str| -> Result<Option<f64>, Invalid> {
        match values(name) {
            Some((v, path)) => num(v, key, &path),
            None => Ok(None),
        }
    };
    let mut f = Figures {
        vus_max: match figure("vus_max", "max")? {
            Some(v) => Some(v),
            None => figure("vus_max", "value")?,
        },
        requests: figure("http_reqs", "count")?,
        rps: figure("http_reqs", "rate")?,
        p50_ms: figure("http_req_duration", "med")?,
        p90_ms: figure("http_req_duration", "p(90)")?,
        p95_ms: figure("http_req_duration", "p(95)")?,
        p99_ms: figure("http_req_duration", "p(99)")?,
        max_ms: figure("http_req_duration", "max")?,
        error_rate: match format {
            SummaryFormat::K6Summary => figure("http_req_failed", "rate")?,
            _ => figure("http_req_failed", "value")?,
        },
        checks_passed: figure("checks", "passes")?,
        checks_failed: figure("checks", "fails")?,
        ..Figures::default()
    };
    if let Some(state) = doc.get("state") {
        f.duration_seconds = num(state, "testRunDurationMs", "state")?.map(|ms| ms / 1000.0);
    }
    if f.error_rate.is_some_and(|r| r > 1.0) {
        return Err(malformed(
            "metrics.http_req_failed",
            "a share between 0 and 1",
        ));
    }
    let thresholds = thresholds(metrics, format)?;
    let checks = checks(doc.get("root_group"))?;
    let mut summary = Summary {
        format,
        figures: f,
        thresholds,
        checks,
        series: Vec::new(),
        scenario: None,
        started_at: None,
    };
    if let Some(c) = coupon {
        coupon_section(c, &mut summary)?;
    }
    Ok(summary)
}

fn thresholds(
    metrics: &Map<String, Value>,
    format: SummaryFormat,
) -> Result<Vec<Threshold>, Invalid> {
    let mut out = Vec::new();
    for (metric, m) in metrics {
        let Some(ts) = m.get("thresholds") else {
            continue;
        };
        let path = format!("metrics.{metric}.thresholds");
        let ts = ts
            .as_object()
            .ok_or_else(|| malformed(&path, "an object"))?;
        for (expression, t) in ts {
            let passed = match format {
                SummaryFormat::K6Summary => {
                    t.get("ok").and_then(Value::as_bool).ok_or_else(|| {
                        malformed(&format!("{path}.{expression}.ok"), "true or false")
                    })?
                }
                // The export records whether the threshold was crossed: `true` means failed.
                _ => !t
                    .as_bool()
                    .ok_or_else(|| malformed(&format!("{path}.{expression}"), "true or false"))?,
            };
            out.push(Threshold {
                metric: metric.clone(),
                expression: expression.clone(),
                passed,
            });
        }
    }
    out.sort_by(|a, b| (&a.metric, &a.expression).cmp(&(&b.metric, &b.expression)));
    Ok(out)
}

/// Checks of the root group and its groups: an array in handleSummary, an object keyed by
/// name in the export.
fn checks(group: Option<&Value>) -> Result<Vec<Check>, Invalid> {
    let mut out = Vec::new();
    let mut stack: Vec<(&Value, String)> = group
        .map(|g| (g, "root_group".to_owned()))
        .into_iter()
        .collect();
    while let Some((g, path)) = stack.pop() {
        let entries: Vec<(String, &Value)> = match g.get("checks") {
            Some(Value::Array(a)) => a
                .iter()
                .enumerate()
                .map(|(i, c)| (format!("{path}.checks[{i}]"), c))
                .collect(),
            Some(Value::Object(o)) => o
                .iter()
                .map(|(k, c)| (format!("{path}.checks.{k}"), c))
                .collect(),
            _ => Vec::new(),
        };
        for (p, c) in entries {
            out.push(Check {
                name: c
                    .get("name")
                    .and_then(Value::as_str)
                    .unwrap_or_default()
                    .to_owned(),
                passes: num(c, "passes", &p)?.unwrap_or(0.0),
                fails: num(c, "fails", &p)?.unwrap_or(0.0),
            });
        }
        match g.get("groups") {
            Some(Value::Array(a)) => stack.extend(
                a.iter()
                    .enumerate()
                    .map(|(i, s)| (s, format!("{path}.groups[{i}]"))),
            ),
            Some(Value::Object(o)) => {
                stack.extend(o.iter().map(|(k, s)| (s, format!("{path}.groups.{k}"))))
            }
            _ => {}
        }
    }
    Ok(out)
}

/// What `coupon loadtest` adds: duration, cache hit rate, the coupons issued against stock, its
/// scenario and start, and the per-second series.
fn coupon_section(c: &Value, s: &mut Summary) -> Result<(), Invalid> {
    s.figures.duration_seconds = num(c, "duration_s", "coupon")?;
    s.figures.cache_hit_rate = num(c, "cache_hit_rate", "coupon")?;
    if let Some(issue) = c.get("issue").filter(|i| i.is_object()) {
        s.figures.coupons_issued = num(issue, "issued", "coupon.issue")?;
        s.figures.stock = num(issue, "stock", "coupon.issue")?;
    }
    s.scenario = c.get("scenario").and_then(Value::as_str).map(str::to_owned);
    s.started_at = match c.get("started_at") {
        None | Some(Value::Null) => None,
        Some(v) => Some(
            v.as_str()
                .and_then(|t| chrono::DateTime::parse_from_rfc3339(t).ok())
                .ok_or_else(|| malformed("coupon.started_at", "an RFC 3339 time"))?
                .into(),
        ),
    };
    if let Some(series) = c.get("series") {
        let points = series
            .as_array()
            .ok_or_else(|| malformed("coupon.series", "a list"))?;
        for (i, p) in points.iter().enumerate() {
            let path = format!("coupon.series[{i}]");
            s.series.push(SeriesPoint {
                second: num(p, "second", &path)?.unwrap_or(i as f64),
                rps: num(p, "rps", &path)?,
                errors: num(p, "errors", &path)?,
                p50_ms: num(p, "p50_ms", &path)?,
                p99_ms: num(p, "p99_ms", &path)?,
            });
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    /// What k6's `handleSummary(data)` receives (abridged from k6's documentation).
    fn handle_summary() -> Value {
        json!({
            "root_group": {"name": "", "path": "", "id": "d41d8cd98f00b204e9800998ecf8427e",
                "groups": [{"name": "issue", "path": "::issue", "id": "x", "groups": [],
                    "checks": [{"name": "is 201", "path": "::issue::is 201", "id": "y", "passes": 990, "fails": 10}]}],
                "checks": [{"name": "status is 200", "path": "::status is 200", "id": "z", "passes": 1000, "fails": 0}]},
            "options": {"summaryTrendStats": ["avg", "min", "med", "max", "p(90)", "p(95)", "p(99)"], "summaryTimeUnit": "", "noColor": false},
            "state": {"isStdOutTTY": false, "isStdErrTTY": false, "testRunDurationMs": 30012.5},
            "metrics": {
                "http_req_duration": {"type": "trend", "contains": "time",
                    "values": {"avg": 12.3, "min": 1.1, "med": 9.8, "max": 88.0, "p(90)": 20.1, "p(95)": 24.97, "p(99)": 41.0},
                    "thresholds": {"p(95)<250": {"ok": true}, "p(99)<30": {"ok": false}}},
                "http_reqs": {"type": "counter", "contains": "default", "values": {"count": 2000, "rate": 66.64}},
                "http_req_failed": {"type": "rate", "contains": "default", "values": {"rate": 0.005, "passes": 10, "fails": 1990}},
                "vus_max": {"type": "gauge", "contains": "default", "values": {"value": 800, "min": 800, "max": 800}},
                "checks": {"type": "rate", "contains": "default", "values": {"rate": 0.995, "passes": 1990, "fails": 10}}
            }
        })
    }

    /// `--summary-export` of a run whose latency threshold failed.
    fn export() -> Value {
        json!({
            "root_group": {"name": "", "path": "", "id": "d41d8", "groups": {},
                "checks": {"status is 201": {"name": "status is 201", "path": "::status is 201", "id": "a", "passes": 500, "fails": 2}}},
            "metrics": {
                "http_req_duration": {"avg": 5.0, "min": 1.0, "med": 4.0, "max": 300.0, "p(90)": 9.0, "p(95)": 12.0,
                    "thresholds": {"p(95)<10": true}},
                "http_reqs": {"count": 502, "rate": 50.2},
                "http_req_failed": {"passes": 2, "fails": 500, "value": 0.004, "thresholds": {"rate<0.01": false}},
                "vus_max": {"value": 50, "min": 50, "max": 50},
                "checks": {"passes": 500, "fails": 2, "value": 0.996}
            }
        })
    }

    #[test]
    fn handle_summary_figures_and_thresholds() {
        let s = read(&handle_summary()).unwrap();
        assert_eq!(s.format, SummaryFormat::K6Summary);
        let f = &s.figures;
        assert_eq!(
            (f.vus_max, f.requests, f.rps),
            (Some(800.0), Some(2000.0), Some(66.64))
        );
        assert_eq!(
            (f.p50_ms, f.p95_ms, f.p99_ms, f.max_ms),
            (Some(9.8), Some(24.97), Some(41.0), Some(88.0))
        );
        assert_eq!(f.error_rate, Some(0.005));
        assert_eq!(f.duration_seconds, Some(30.0125));
        assert_eq!(
            (f.checks_passed, f.checks_failed),
            (Some(1990.0), Some(10.0))
        );
        assert_eq!(f.cache_hit_rate, None, "not in the document, so not there");
        assert_eq!(
            s.thresholds,
            [
                Threshold {
                    metric: "http_req_duration".into(),
                    expression: "p(95)<250".into(),
                    passed: true
                },
                Threshold {
                    metric: "http_req_duration".into(),
                    expression: "p(99)<30".into(),
                    passed: false
                },
            ]
        );
        let names: Vec<&str> = s.checks.iter().map(|c| c.name.as_str()).collect();
        assert_eq!(names, ["status is 200", "is 201"]);
    }

    #[test]
    fn an_export_threshold_marked_true_failed() {
        let s = read(&export()).unwrap();
        assert_eq!(s.format, SummaryFormat::K6Export);
        let by_expr = |e: &str| {
            s.thresholds
                .iter()
                .find(|t| t.expression == e)
                .unwrap()
                .passed
        };
        assert!(
            !by_expr("p(95)<10"),
            "`true` in an export means the threshold failed"
        );
        assert!(by_expr("rate<0.01"));
        assert_eq!(s.figures.p99_ms, None, "the export has no p(99)");
        assert_eq!(s.figures.duration_seconds, None);
        assert_eq!(s.figures.error_rate, Some(0.004));
        assert_eq!(s.checks[0].fails, 2.0);
    }

    #[test]
    fn a_coupon_export_brings_its_own_figures() {
        let mut doc = export();
        doc["coupon"] = json!({"tool": "coupon-loadtest", "scenario": "issue", "started_at": "2026-11-25T10:00:00+00:00",
            "duration_s": 30.0, "cache_hit_rate": 0.9997,
            "issue": {"event": 1, "stock": 100000, "issued": 55297, "accepted": 55297, "persisted": 55297, "consistent": true},
            "series": [{"second": 0, "rps": 1800.0, "errors": 0, "p50_ms": 0.5, "p99_ms": 2.4}]});
        let s = read(&doc).unwrap();
        assert_eq!(s.format, SummaryFormat::CouponLoadtest);
        assert_eq!(
            (s.figures.coupons_issued, s.figures.stock),
            (Some(55297.0), Some(100000.0))
        );
        assert_eq!(s.figures.cache_hit_rate, Some(0.9997));
        assert_eq!(s.scenario.as_deref(), Some("issue"));
        assert_eq!(s.series.len(), 1);
    }

    #[test]
    fn wrong_documents_say_what_was_expected() {
        let e = read(&json!({"hello": 1})).unwrap_err();
        assert_eq!(e.field, "metrics");
        let mut bad = handle_summary();
        bad["metrics"]["http_reqs"]["values"]["count"] = json!("many");
        assert_eq!(
            read(&bad).unwrap_err().field,
            "metrics.http_reqs.values.count"
        );
        let mut negative = handle_summary();
        negative["state"]["testRunDurationMs"] = json!(-5);
        assert_eq!(
            read(&negative).unwrap_err().field,
            "state.testRunDurationMs"
        );
        let mut not_bool = export();
        not_bool["metrics"]["http_req_duration"]["thresholds"]["p(95)<10"] = json!("yes");
        assert_eq!(
            read(&not_bool).unwrap_err().field,
            "metrics.http_req_duration.thresholds.p(95)<10"
        );
    }
}
