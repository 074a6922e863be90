//! A run's results, and their k6-compatible export.

use std::collections::BTreeMap;
use std::time::Duration;

use chrono::{DateTime, Utc};
use hdrhistogram::Histogram;
use serde_json::{Value, json};

use super::Scenario;
use super::series::Point;

/// A run's results.
pub struct Summary {
    pub scenario: Scenario,
    pub target: String,
    pub started_at: DateTime<Utc>,
    pub elapsed: Duration,
    pub vus: u32,
    pub think_time: Duration,
    pub rate: Option<u32>,
    /// Microseconds.
    pub latency: Histogram<u64>,
    /// Answers by HTTP status; −1 counts requests that got no answer.
    pub statuses: BTreeMap<i32, u64>,
    /// Open loop: starts dropped because `vus` requests were already in flight.
    pub dropped: u64,
    /// Share of the service's cache lookups that hit during the run (from its /metrics).
    pub cache_hit_rate: Option<f64>,
    pub issue: Option<IssueCheck>,
    /// Second by second, from the run's start (`⌈elapsed⌉` points).
    pub series: Vec<Point>,
}

/// Whether an answer counts as a failed request: outside 200–399, or none (−1), as k6's
/// `http_req_failed` counts them.
pub fn failed_status(status: i32) -> bool {
    !(200..400).contains(&status)
}

/// The `issue` scenario's consistency check, read after the pipeline drained.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct IssueCheck {
    pub event: u64,
    pub stock: u64,
    /// Redis's count.
    pub issued: u64,
    /// 201 answers the load generator received.
    pub accepted: u64,
    /// Coupons in MySQL.
    pub persisted: u64,
    /// Distinct users among them.
    pub persisted_users: u64,
    /// MySQL caught up with Redis before the check gave up waiting.
    pub drained: bool,
}

impl IssueCheck {
    /// Users holding more than one coupon.
    pub fn duplicates(&self) -> u64 {
        self.persisted - self.persisted_users.min(self.persisted)
    }

    /// Never over stock, every 201 is a coupon, MySQL equals Redis, nobody twice.
    pub fn consistent(&self) -> bool {
        self.issued <= self.stock
            && self.accepted == self.issued
            && self.persisted == self.issued
            && self.duplicates() == 0
    }
}

impl Summary {
    pub fn requests(&self) -> u64 {
        self.statuses.values().sum()
    }

    pub fn rps(&self) -> f64 {
        self.requests() as f64 / self.elapsed.as_secs_f64().max(1e-9)
    }

    /// The status this scenario expects: 201 for issue, 200 for top products.
    pub fn expected_status(&self) -> i32 {
        match self.scenario {
            Scenario::Issue => 201,
            Scenario::TopProducts => 200,
        }
    }

    /// Share of requests answered with the expected status.
    pub fn success_rate(&self) -> f64 {
        let ok = self
            .statuses
            .get(&self.expected_status())
            .copied()
            .unwrap_or(0);
        ok as f64 / self.requests().max(1) as f64
    }

    /// Latency at `q` (0–1) in milliseconds.
    pub fn ms(&self, q: f64) -> f64 {
        self.latency.value_at_quantile(q) as f64 / 1000.0
    }

    pub fn failed(&self) -> u64 {
        self.statuses
            .iter()
            .filter(|(s, _)| failed_status(**s))
            .map(|(_, n)| n)
            .sum()
    }
}

/// The summary as k6's `--summary-export` JSON: `metrics.http_req_duration` (ms, with `p(90)`,
/// `p(95)`, `p(99)`), `http_reqs`, `http_req_failed`, `iterations`, `checks`, `vus_max`,
/// `dropped_iterations`; and a `coupon` section with what k6 does not have, among it the
/// per-second `series` (`second`, `rps`: requests completed in that second, `errors`, `p50_ms`,
/// `p99_ms`, the last two `null` in a second without requests).
///
/// hoego reads this document (app/src/domain/summaries.rs): every number it reads is written
/// as a JSON number of at least 0, `coupon.started_at` as RFC 3339.
pub fn k6_export(s: &Summary) -> Value {
    let secs = s.elapsed.as_secs_f64().max(1e-9);
    let requests = s.requests();
    let failed = s.failed();
    let ok = s.statuses.get(&s.expected_status()).copied().unwrap_or(0);
    let round = |v: f64| (v * 1000.0).round() / 1000.0;
    // Rounded up to the millisecond, so that ⌈duration_s⌉ is the series' length.
    let duration_s = s.elapsed.as_nanos().div_ceil(1_000_000) as f64 / 1000.0;
    let series: Vec<Value> = s
        .series
        .iter()
        .map(|p| {
            json!({
                "second": p.second, "rps": p.requests, "errors": p.errors,
                "p50_ms": p.p50_ms.map(round), "p99_ms": p.p99_ms.map(round),
            })
        })
        .collect();
    json!({
        "metrics": {
            "http_req_duration": {
                "avg": round(s.latency.mean() / 1000.0),
                "min": round(s.latency.min() as f64 / 1000.0),
                "med": round(s.ms(0.5)),
                "max": round(s.latency.max() as f64 / 1000.0),
                "p(90)": round(s.ms(0.90)),
                "p(95)": round(s.ms(0.95)),
                "p(99)": round(s.ms(0.99)),
            },
            "http_reqs": { "count": requests, "rate": round(requests as f64 / secs) },
            "iterations": { "count": requests, "rate": round(requests as f64 / secs) },
            "http_req_failed": { "passes": failed, "fails": requests - failed, "value": round(failed as f64 / requests.max(1) as f64) },
            "checks": { "passes": ok, "fails": requests - ok, "value": round(s.success_rate()) },
            "vus_max": { "value": s.vus, "min": s.vus, "max": s.vus },
            "dropped_iterations": { "count": s.dropped, "rate": round(s.dropped as f64 / secs) },
        },
        "root_group": { "name": "", "path": "", "id": "d41d8cd98f00b204e9800998ecf8427e", "groups": {}, "checks": {} },
        "coupon": {
            "tool": "coupon-loadtest",
            "scenario": s.scenario,
            "target": s.target,
            "started_at": s.started_at.to_rfc3339(),
            "duration_s": duration_s,
            "vus": s.vus,
            "think_time_ms": s.think_time.as_millis() as u64,
            "rate": s.rate,
            "status_counts": s.statuses.iter().map(|(k, v)| (k.to_string(), json!(v))).collect::<serde_json::Map<_, _>>(),
            "success_rate": round(s.success_rate()),
            "cache_hit_rate": s.cache_hit_rate.map(|r| (r * 10000.0).round() / 10000.0),
            "issue": s.issue.as_ref().map(|c| json!({
                "event": c.event, "stock": c.stock, "issued": c.issued, "accepted": c.accepted,
                "persisted": c.persisted, "duplicates": c.duplicates(), "drained": c.drained,
                "consistent": c.consistent(),
            })),
            "series": series,
        },
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn summary() -> Summary {
        let mut latency = Histogram::new_with_bounds(1, 60_000_000, 3).unwrap();
        for ms in 1..=100u64 {
            latency.record(ms * 1000).unwrap();
        }
        Summary {
            scenario: Scenario::Issue,
            target: "http://127.0.0.1:1".into(),
            started_at: DateTime::parse_from_rfc3339("2026-11-24T12:00:00Z")
                .unwrap()
                .into(),
            elapsed: Duration::from_secs(10),
            vus: 50,
            think_time: Duration::from_millis(500),
            rate: None,
            latency,
            statuses: BTreeMap::from([(201, 90), (410, 10)]),
            dropped: 0,
            cache_hit_rate: None,
            issue: Some(IssueCheck {
                event: 7,
                stock: 90,
                issued: 90,
                accepted: 90,
                persisted: 90,
                persisted_users: 90,
                drained: true,
            }),
            series: (0..10)
                .map(|second| Point {
                    second,
                    requests: 10,
                    errors: u64::from(second == 9) * 10,
                    p50_ms: Some(50.0),
                    p99_ms: Some(99.0004),
                })
                .collect(),
        }
    }

    #[test]
    fn export_has_k6_fields_in_milliseconds() {
        let v = k6_export(&summary());
        let d = &v["metrics"]["http_req_duration"];
        // HDR histograms keep three significant digits and report a bucket's upper edge.
        for (key, ms) in [
            ("med", 50.0),
            ("p(90)", 90.0),
            ("p(95)", 95.0),
            ("p(99)", 99.0),
            ("max", 100.0),
        ] {
            let got = d[key].as_f64().unwrap();
            assert!(
                (got - ms).abs() <= ms * 0.001,
                "{key}: {got} ms, expected {ms}"
            );
        }
        assert_eq!(v["metrics"]["http_reqs"]["count"], 100);
        assert_eq!(v["metrics"]["http_reqs"]["rate"], 10.0);
        assert_eq!(v["metrics"]["http_req_failed"]["passes"], 10);
        assert_eq!(v["metrics"]["checks"]["value"], 0.9);
        assert_eq!(v["coupon"]["status_counts"]["410"], 10);
        assert_eq!(v["coupon"]["issue"]["consistent"], true);
        assert_eq!(v["coupon"]["duration_s"], 10.0);
        assert_eq!(v["coupon"]["started_at"], "2026-11-24T12:00:00+00:00");
        assert_eq!(v["coupon"]["series"].as_array().unwrap().len(), 10);
        assert_eq!(
            v["coupon"]["series"][9],
            json!({"second": 9, "rps": 10, "errors": 10, "p50_ms": 50.0, "p99_ms": 99.0})
        );
    }

    #[test]
    fn the_duration_rounds_up_to_the_millisecond_so_the_series_fits_it() {
        let mut s = summary();
        s.elapsed = Duration::from_nanos(2_000_000_400);
        assert_eq!(k6_export(&s)["coupon"]["duration_s"], 2.001);
        s.elapsed = Duration::from_millis(2_999);
        assert_eq!(k6_export(&s)["coupon"]["duration_s"], 2.999);
    }

    #[test]
    fn issue_check_catches_each_inconsistency() {
        let good = summary().issue.unwrap();
        assert!(good.consistent());
        assert!(
            !IssueCheck {
                issued: 91,
                ..good.clone()
            }
            .consistent(),
            "over stock"
        );
        assert!(
            !IssueCheck {
                accepted: 89,
                ..good.clone()
            }
            .consistent(),
            "a 201 without a coupon"
        );
        assert!(
            !IssueCheck {
                persisted: 89,
                ..good.clone()
            }
            .consistent(),
            "not drained"
        );
        let twice = IssueCheck {
            persisted_users: 89,
            ..good
        };
        assert_eq!(twice.duplicates(), 1);
        assert!(!twice.consistent());
    }
}
