//! `/metrics`: how hoego itself is doing, in Prometheus's text format, for the alerting rules
//! in `docs/monitoring/hoego.rules.yml`.
//!
//! Counters and the request histogram belong to one server (tests run several in a process).
//! What the database already knows — connections, writes the search index has not caught up
//! with, notifications waiting — is read when `/metrics` is scraped, so it cannot drift.

use std::sync::Arc;
use std::time::Instant;

use axum::extract::{MatchedPath, Request, State};
use axum::http::Method;
use axum::middleware::Next;
use axum::response::Response;
use chrono::Utc;
use prometheus::{
    Encoder, HistogramOpts, HistogramVec, IntCounter, IntCounterVec, IntGauge, IntGaugeVec, Opts,
    Registry, TextEncoder,
};

use crate::storage::{Store, hooks, search_marks};

/// Request-duration buckets, 1 ms to 10 s: the page goal (p99 ≤ 20 ms) and the alert
/// acknowledgement goal (≤ 50 ms) fall on bucket edges.
const BUCKETS: &[f64] = &[
    0.001, 0.0025, 0.005, 0.01, 0.02, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0,
];

/// The figures of one server.
pub struct Metrics {
    registry: Registry,
    http: HistogramVec,
    alerts: IntCounterVec,
    deliveries: IntCounterVec,
    db_connections: IntGaugeVec,
    db_busy: IntCounter,
    index_lag: IntGauge,
    outbox_backlog: IntGauge,
    outbox_oldest: IntGauge,
}

/// How an alert in a webhook was taken (`hoego_alerts_ingested_total{outcome}`).
#[derive(Clone, Copy, Debug)]
pub enum AlertOutcome {
    New,
    Updated,
    Unchanged,
}

/// What a webhook delivery attempt came to (`hoego_webhook_deliveries_total{outcome}`).
#[derive(Clone, Copy, Debug)]
pub enum DeliveryOutcome {
    Delivered,
    /// Failed; it will be tried again.
    Failed,
    /// Failed for the last time.
    GivenUp,
}

impl Default for Metrics {
    fn default() -> Self {
        Self::new()
    }
}

impl Metrics {
    pub fn new() -> Self {
        let registry = Registry::new();
        let add = |c: Box<dyn prometheus::core::Collector>| {
            registry.register(c).expect("metric names are unique");
        };
        let http = HistogramVec::new(
            HistogramOpts::new(
                "hoego_http_request_duration_seconds",
                "Time to the response head, by route pattern, method and status",
            )
            .buckets(BUCKETS.to_vec()),
            &["route", "method", "status"],
        )
        .expect("valid metric");
        let alerts = IntCounterVec::new(
            Opts::new(
                "hoego_alerts_ingested_total",
                "Alerts received in webhooks: new events, status changes, redeliveries",
            ),
            &["outcome"],
        )
        .expect("valid metric");
        let deliveries = IntCounterVec::new(
            Opts::new(
                "hoego_webhook_deliveries_total",
                "Outgoing webhook attempts: delivered, failed (retried later), given up",
            ),
            &["outcome"],
        )
        .expect("valid metric");
        let db_connections = IntGaugeVec::new(
            Opts::new(
                "hoego_db_connections",
                "SQLite pool connections: open, idle and the most there may be",
            ),
            &["state"],
        )
        .expect("valid metric");
        let db_busy = IntCounter::new(
            "hoego_db_busy_total",
            "Writes answered 503 because the database stayed locked past the busy timeout",
        )
        .expect("valid metric");
        let index_lag = IntGauge::new(
            "hoego_search_index_lag",
            "Incidents written but not yet in the search index",
        )
        .expect("valid metric");
        let outbox_backlog = IntGauge::new(
            "hoego_outbox_backlog",
            "Notifications waiting to be delivered to enabled webhooks",
        )
        .expect("valid metric");
        let outbox_oldest = IntGauge::new(
            "hoego_outbox_oldest_seconds",
            "Age of the oldest notification waiting (0 when none waits)",
        )
        .expect("valid metric");
        // Every outcome from zero, so a rule's `increase()` sees the first one.
        for outcome in ["new", "updated", "unchanged"] {
            alerts.with_label_values(&[outcome]);
        }
        for outcome in ["delivered", "failed", "given_up"] {
            deliveries.with_label_values(&[outcome]);
        }
        add(Box::new(http.clone()));
        add(Box::new(alerts.clone()));
        add(Box::new(deliveries.clone()));
        add(Box::new(db_connections.clone()));
        add(Box::new(db_busy.clone()));
        add(Box::new(index_lag.clone()));
        add(Box::new(outbox_backlog.clone()));
        add(Box::new(outbox_oldest.clone()));
        Self {
            registry,
            http,
            alerts,
            deliveries,
            db_connections,
            db_busy,
            index_lag,
            outbox_backlog,
            outbox_oldest,
        }
    }

    pub fn alerts(&self, outcome: AlertOutcome, n: u64) {
        let label = match outcome {
            AlertOutcome::New => "new",
            AlertOutcome::Updated => "updated",
            AlertOutcome::Unchanged => "unchanged",
        };
        self.alerts.with_label_values(&[label]).inc_by(n);
    }

    pub fn delivery(&self, outcome: DeliveryOutcome) {
        let label = match outcome {
            DeliveryOutcome::Delivered => "delivered",
            DeliveryOutcome::Failed => "failed",
            DeliveryOutcome::GivenUp => "given_up",
        };
        self.deliveries.with_label_values(&[label]).inc();
    }

    /// Every figure in the text format, the database's read now.
    pub async fn render(&self, store: &Store) -> crate::error::Result<String> {
        let (open, idle) = store.connections();
        let set = |state: &str, n: i64| self.db_connections.with_label_values(&[state]).set(n);
        set("open", i64::from(open));
        set("idle", idle as i64);
        set("max", i64::from(crate::storage::MAX_CONNECTIONS));
        let busy = store.busy_refusals();
        self.db_busy.inc_by(busy.saturating_sub(self.db_busy.get()));
        self.index_lag.set(search_marks::count(store).await? as i64);
        let (waiting, oldest) = hooks::backlog(store).await?;
        self.outbox_backlog.set(waiting);
        self.outbox_oldest.set(
            oldest
                .map(|at| (Utc::now() - at).num_seconds().max(0))
                .unwrap_or(0),
        );
        let mut out = Vec::new();
        // Encoding fails only for metrics that break the format's rules, which these do not.
        if let Err(e) = TextEncoder::new().encode(&self.registry.gather(), &mut out) {
            tracing::error!(error = %e, "encoding metrics");
        }
        Ok(String::from_utf8_lossy(&out).into_owned())
    }
}

/// Times every request and counts it by route pattern (never the raw path, so an id or a
/// scanner's junk cannot grow the label set), method and status.
pub async fn track(State(metrics): State<Arc<Metrics>>, req: Request, next: Next) -> Response {
    let route = match req.extensions().get::<MatchedPath>() {
        Some(p) => p.as_str().to_owned(),
        None if req.uri().path().starts_with("/pkg/") => "/pkg/{file}".to_owned(),
        None => "unmatched".to_owned(),
    };
    // Known methods only: anyone may send `FOO /`, and each label value is a new series.
    let method = match *req.method() {
        Method::GET => "GET",
        Method::HEAD => "HEAD",
        Method::POST => "POST",
        Method::PUT => "PUT",
        Method::PATCH => "PATCH",
        Method::DELETE => "DELETE",
        Method::OPTIONS => "OPTIONS",
        _ => "other",
    };
    let started = Instant::now();
    let response = next.run(req).await;
    metrics
        .http
        .with_label_values(&[route.as_str(), method, response.status().as_str()])
        .observe(started.elapsed().as_secs_f64());
    response
}
