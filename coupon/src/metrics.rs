//! Prometheus metrics, named for the seed's alert matrix (see `coupon/prometheus/alerts.yml`).
//! Gauges that mirror pool or breaker state are read when `/metrics` is scraped, so they are
//! never stale.

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
    pub settled: IntCounter,
    pub breaker_state: IntGauge,
    pub breaker_transitions: IntCounterVec,
    pub db_fallback_in_use: IntGauge,
    pub db_fallback_rejected: IntCounter,
}

impl Metrics {
    pub fn new() -> Metrics {
        let registry = Registry::new();
        let m = Metrics {
            http_duration: HistogramVec::new(
                HistogramOpts::new("coupon_http_request_duration_seconds", "HTTP request duration by route, method and status")
                    .buckets(LATENCY_BUCKETS.to_vec()),
                &["route", "method", "status"],
            )
            .expect("metric"),
            redis_pool: IntGaugeVec::new(
                Opts::new("coupon_redis_pool_connections", "Redis pool connections: in_use and max"),
                &["state"],
            )
            .expect("metric"),
            mysql_pool: IntGaugeVec::new(
                Opts::new("coupon_mysql_pool_connections", "MySQL pool connections: in_use and max"),
                &["state"],
            )
            .expect("metric"),
            producer_send: Histogram::with_opts(
                HistogramOpts::new(
                    "coupon_producer_send_duration_seconds",
                    "Time from handing an issued coupon to the producer to the broker's acknowledgement",
                )
                .buckets(LATENCY_BUCKETS.to_vec()),
            )
            .expect("metric"),
            producer_queue_depth: IntGauge::new(
                "coupon_producer_queue_depth",
                "Issued coupons handed to the producer and not yet acknowledged by the broker",
            )
            .expect("metric"),
            producer_errors: IntCounter::new("coupon_producer_errors_total", "Deliveries the broker refused")
                .expect("metric"),
            consumer_lag: IntGauge::new(
                "coupon_consumer_lag_messages",
                "Messages on coupon-issue not yet persisted to MySQL (high watermark minus position, all partitions)",
            )
            .expect("metric"),
            persisted: IntCounter::new("coupon_coupons_persisted_total", "Coupons written to MySQL by the consumer")
                .expect("metric"),
            cache: IntCounterVec::new(
                Opts::new("coupon_cache_requests_total", "Top-products cache lookups by result (hit, miss)"),
                &["result"],
            )
            .expect("metric"),
            issue: IntCounterVec::new(
                Opts::new("coupon_issue_total", "Issue requests by outcome (issued, duplicate, sold_out, no_event, unavailable)"),
                &["result"],
            )
            .expect("metric"),
            settled: IntCounter::new(
                "coupon_issue_settled_total",
                "Coupons Redis issued although the request failed (its answer was lost), published afterwards",
            )
            .expect("metric"),
            breaker_state: IntGauge::new("coupon_redis_breaker_state", "Redis circuit breaker: 0 closed, 1 half-open, 2 open")
                .expect("metric"),
            breaker_transitions: IntCounterVec::new(
                Opts::new("coupon_redis_breaker_transitions_total", "Redis circuit breaker state changes by new state"),
                &["to"],
            )
            .expect("metric"),
            db_fallback_in_use: IntGauge::new("coupon_db_fallback_in_use", "MySQL fallbacks running inside the bulkhead")
                .expect("metric"),
            db_fallback_rejected: IntCounter::new(
                "coupon_db_fallback_rejected_total",
                "Requests refused because the MySQL-fallback bulkhead was full",
            )
            .expect("metric"),
            registry,
        };
        m.register_all();
        m
    }

    fn register_all(&self) {
        let r = &self.registry;
        r.register(Box::new(self.http_duration.clone()))
            .expect("register");
        r.register(Box::new(self.redis_pool.clone()))
            .expect("register");
        r.register(Box::new(self.mysql_pool.clone()))
            .expect("register");
        r.register(Box::new(self.producer_send.clone()))
            .expect("register");
        r.register(Box::new(self.producer_queue_depth.clone()))
            .expect("register");
        r.register(Box::new(self.producer_errors.clone()))
            .expect("register");
        r.register(Box::new(self.consumer_lag.clone()))
            .expect("register");
        r.register(Box::new(self.persisted.clone()))
            .expect("register");
        r.register(Box::new(self.cache.clone())).expect("register");
        r.register(Box::new(self.issue.clone())).expect("register");
        r.register(Box::new(self.settled.clone()))
            .expect("register");
        r.register(Box::new(self.breaker_state.clone()))
            .expect("register");
        r.register(Box::new(self.breaker_transitions.clone()))
            .expect("register");
        r.register(Box::new(self.db_fallback_in_use.clone()))
            .expect("register");
        r.register(Box::new(self.db_fallback_rejected.clone()))
            .expect("register");
        // Zero series exist from the start, so rates and ratios are defined before the first event.
        for result in ["hit", "miss"] {
            self.cache.with_label_values(&[result]);
        }
        for result in crate::issue::IssueOutcome::LABELS {
            self.issue.with_label_values(&[result]);
        }
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
