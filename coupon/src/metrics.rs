//! Prometheus metrics, named for the seed's alert matrix (see `coupon/monitoring/alerts.yml`).
//! Gauges that mirror pool, queue or breaker state are read when `/metrics` is scraped, so they
//! are never stale; a gauge of work in flight is held by an [`InFlight`] guard, so it cannot
//! stay high after cancelled work.

use prometheus::{
    Encoder, Histogram, HistogramOpts, HistogramVec, IntCounter, IntCounterVec, IntGauge,
    IntGaugeVec, Opts, Registry, TextEncoder,
};

/// Latency buckets from 0.25 ms to 5 s: the seed's targets (p99 < 250 ms, alerts at 500 ms and
/// 1 s) and this service's (p99 ≤ 10 ms) both fall on bucket edges.
const LATENCY_BUCKETS: &[f64] = &[
    0.00025, 0.0005, 0.001, 0.002, 0.005, 0.01, 0.021, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0,
];

pub struct Metrics {
    pub registry: Registry,
    pub http_duration: HistogramVec,
    pub redis_pool: IntGaugeVec,
    pub mysql_pool: IntGaugeVec,
    pub producer_send: Histogram,
    pub producer_queue_depth: IntGauge,
    pub producer_errors: IntCounter,
    pub consumer_lag: IntGauge,
    pub persisted: IntCounter,
    pub cache: IntCounterVec,
    pub issue: IntCounterVec,
    pub outbox_backlog: IntGauge,
    pub dead_letters: IntCounter,
    pub reconciled: IntCounter,
    pub breaker_state: IntGauge,
    pub breaker_transitions: IntCounterVec,
    pub db_fallback_in_use: IntGauge,
}

impl Metrics {
    pub fn new() -> Metrics {
        let r = Registry::new();
        let m = Metrics {
            http_duration: histogram_vec(
                &r,
                "coupon_http_request_duration_seconds",
                "HTTP request duration by route, method and status",
                &["route", "method", "status"],
            ),
            redis_pool: gauge_vec(
                &r,
                "coupon_redis_pool_connections",
                "Redis pool connections: in_use and max",
                &["state"],
            ),
            mysql_pool: gauge_vec(
                &r,
                "coupon_mysql_pool_connections",
                "MySQL pool connections: in_use and max",
                &["state"],
            ),
            producer_send: histogram(
                &r,
                "coupon_producer_send_duration_seconds",
                "Time from handing an issued coupon to the producer to the broker's acknowledgement",
            ),
            producer_queue_depth: gauge(
                &r,
                "coupon_producer_queue_depth",
                "Issued coupons handed to the producer and not yet acknowledged by the broker",
            ),
            producer_errors: counter(
                &r,
                "coupon_producer_errors_total",
                "Deliveries the broker refused",
            ),
            consumer_lag: gauge(
                &r,
                "coupon_consumer_lag_messages",
                "Messages on coupon-issue not yet persisted to MySQL (high watermark minus the next offset to persist, over the consumer's partitions)",
            ),
            persisted: counter(
                &r,
                "coupon_coupons_persisted_total",
                "Coupons written to MySQL by the consumer",
            ),
            cache: counter_vec(
                &r,
                "coupon_cache_requests_total",
                "Top-products cache lookups by result (hit, miss)",
                &["result"],
            ),
            issue: counter_vec(
                &r,
                "coupon_issue_total",
                "Issue requests by outcome (issued, duplicate, sold_out, no_event, unavailable)",
                &["result"],
            ),
            outbox_backlog: gauge(
                &r,
                "coupon_outbox_backlog",
                "Issued coupons in the outboxes, not yet acknowledged by the broker (refreshed every second)",
            ),
            dead_letters: counter(
                &r,
                "coupon_dead_letters_total",
                "Coupons that could never be delivered to the broker, kept in MySQL's dead_letters table",
            ),
            reconciled: counter(
                &r,
                "coupon_reconciled_total",
                "Issued coupons MySQL lacked at start, put back in the outbox",
            ),
            breaker_state: gauge(
                &r,
                "coupon_redis_breaker_state",
                "Redis circuit breaker: 0 closed, 1 half-open, 2 open",
            ),
            breaker_transitions: counter_vec(
                &r,
                "coupon_redis_breaker_transitions_total",
                "Redis circuit breaker state changes by new state",
                &["to"],
            ),
            db_fallback_in_use: gauge(
                &r,
                "coupon_db_fallback_in_use",
                "MySQL fallback queries running while Redis is unavailable (0 or 1: one at a time, its answer shared)",
            ),
            registry: r,
        };
        // Zero series exist from the start, so rates and ratios are defined before the first event.
        for result in ["hit", "miss"] {
            m.cache.with_label_values(&[result]);
        }
        for result in crate::issue::IssueOutcome::LABELS {
            m.issue.with_label_values(&[result]);
        }
        use crate::resilience::BreakerState;
        for to in [
            BreakerState::Open,
            BreakerState::HalfOpen,
            BreakerState::Closed,
        ] {
            m.breaker_transitions.with_label_values(&[to.as_str()]);
        }
        m
    }

    pub fn encode(&self) -> String {
        let mut buf = Vec::new();
        TextEncoder::new()
            .encode(&self.registry.gather(), &mut buf)
            .expect("text encoding");
        String::from_utf8(buf).expect("prometheus text is UTF-8")
    }
}

impl Default for Metrics {
    fn default() -> Self {
        Self::new()
    }
}

/// One unit of work counted on a gauge for as long as this lives. The gauge comes down in
/// `drop`, not by a decrement after an `.await`: a request cancelled mid-await (the client went
/// away, a deadline passed) drops its future at that await, and a decrement written after it
/// would never run, leaving the gauge high for good.
#[must_use = "the work is counted only while this is held"]
pub struct InFlight<'a>(&'a IntGauge);

impl<'a> InFlight<'a> {
    pub fn start(gauge: &'a IntGauge) -> Self {
        gauge.inc();
        InFlight(gauge)
    }
}

impl Drop for InFlight<'_> {
    fn drop(&mut self) {
        self.0.dec();
    }
}

/// Registers `metric` in `r` and hands it back. Names are fixed above, so a failure is a bug.
fn register<M: prometheus::core::Collector + Clone + 'static>(r: &Registry, metric: M) -> M {
    r.register(Box::new(metric.clone()))
        .expect("metric names are unique and valid");
    metric
}

fn counter(r: &Registry, name: &str, help: &str) -> IntCounter {
    register(r, IntCounter::new(name, help).expect("valid metric"))
}

fn gauge(r: &Registry, name: &str, help: &str) -> IntGauge {
    register(r, IntGauge::new(name, help).expect("valid metric"))
}

fn counter_vec(r: &Registry, name: &str, help: &str, labels: &[&str]) -> IntCounterVec {
    register(
        r,
        IntCounterVec::new(Opts::new(name, help), labels).expect("valid metric"),
    )
}

fn gauge_vec(r: &Registry, name: &str, help: &str, labels: &[&str]) -> IntGaugeVec {
    register(
        r,
        IntGaugeVec::new(Opts::new(name, help), labels).expect("valid metric"),
    )
}

fn histogram(r: &Registry, name: &str, help: &str) -> Histogram {
    let opts = HistogramOpts::new(name, help).buckets(LATENCY_BUCKETS.to_vec());
    register(r, Histogram::with_opts(opts).expect("valid metric"))
}

fn histogram_vec(r: &Registry, name: &str, help: &str, labels: &[&str]) -> HistogramVec {
    let opts = HistogramOpts::new(name, help).buckets(LATENCY_BUCKETS.to_vec());
    register(r, HistogramVec::new(opts, labels).expect("valid metric"))
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::Duration;

    #[tokio::test(start_paused = true)]
    async fn in_flight_comes_down_when_its_work_is_cancelled() {
        let gauge = IntGauge::new("g", "g").unwrap();
        let (started, seen) = tokio::sync::oneshot::channel();
        let work = async {
            let _counted = InFlight::start(&gauge);
            started.send(()).unwrap();
            std::future::pending::<()>().await
        };
        let (timed_out, while_running) =
            tokio::join!(tokio::time::timeout(Duration::from_secs(1), work), async {
                seen.await.unwrap();
                gauge.get()
            });
        assert!(timed_out.is_err(), "the work was cut off by its deadline");
        assert_eq!(while_running, 1);
        assert_eq!(gauge.get(), 0);
    }

    #[tokio::test]
    async fn in_flight_comes_down_when_its_task_is_aborted() {
        let gauge = IntGauge::new("g", "g").unwrap();
        let (started, seen) = tokio::sync::oneshot::channel();
        let task = tokio::spawn({
            let gauge = gauge.clone();
            async move {
                let _counted = InFlight::start(&gauge);
                started.send(()).unwrap();
                std::future::pending::<()>().await
            }
        });
        seen.await.unwrap();
        assert_eq!(gauge.get(), 1);
        task.abort();
        assert!(task.await.unwrap_err().is_cancelled());
        assert_eq!(gauge.get(), 0);
    }
}
