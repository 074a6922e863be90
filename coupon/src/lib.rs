//! The bundled coupon service of the seed report: first-come-first-served coupon issuance and a
//! top-products query on Redis, a Kafka-protocol queue and MySQL, with the resilience patterns
//! the report's 5-Why analyses call for; its load generator; the local stack; and drills.
//! It knows hoego only as an HTTP endpoint.
//!
//! # Layout
//!
//! - [`config`]: `coupon serve` flags and their `COUPON_…` environment variables.
//! - [`admin`]: the admin token event creation and fault injection require, checked in
//!   constant time.
//! - [`error`]: the service's errors in its own words: a dependency failed, input broke a rule.
//! - [`service`]: the parts wired together, and the event operations the handlers call.
//! - [`issue`]: issuing a coupon: the atomic decision in Redis, which also puts it in the
//!   outbox.
//! - [`outbox`]: from the outbox to the broker, acknowledged entries deleted, dead letters, and
//!   reconciling Redis with MySQL at start.
//! - [`products`]: top products from the Redis cache, or from MySQL in a single flight.
//! - [`redis`]: the Redis pool and every Redis call, under a deadline and the circuit breaker.
//! - [`db`]: the MySQL pool, the embedded migrations and every query, each under a deadline.
//! - [`pipeline`]: the producer to the `coupon-issue` topic and the consumer that persists it.
//! - [`resilience`]: deadlines, the circuit breaker and the single flight.
//! - [`faults`]: fault injection for the seed's drills (`--enable-faults`): latency, Redis
//!   unreachable, pools shrunk, a slow consumer.
//! - [`metrics`]: the Prometheus registry, and the guard that keeps in-flight gauges honest.
//! - [`http`]: routes, thin handlers, and where errors become statuses.
//! - [`logging`]: JSON-lines logs.
//! - [`stack`]: `redis-server`, MariaDB and `tansu` as child processes, for `up` and the tests;
//!   [`stack::Kept`], child processes kept by a thread of their own.
//! - [`up`]: `coupon up`: the whole stack on free ports, then the service.
//! - [`loadtest`]: `coupon loadtest`, the load generator, its report and k6-style export.
//! - [`hoego`]: hoego's REST API as the tools know it: the client, its refusals, filing a
//!   load-test run.
//! - [`drill`]: `coupon drill`: a scenario's fault under load, through Prometheus (the rules
//!   in `coupon/monitoring/`) and Alertmanager, to an incident in hoego, timed stage by stage.

pub mod admin;
pub mod config;
pub mod db;
pub mod drill;
pub mod error;
pub mod faults;
pub mod hoego;
pub mod http;
pub mod issue;
pub mod loadtest;
pub mod logging;
pub mod metrics;
pub mod outbox;
pub mod pipeline;
pub mod products;
pub mod redis;
pub mod resilience;
pub mod service;
pub mod stack;
pub mod up;

use std::net::SocketAddr;

use anyhow::Context;

use crate::config::ServeConfig;
use crate::service::Service;

/// Starts the service and serves until Ctrl-C or SIGTERM; `on_ready` gets the bound address.
pub async fn serve(config: ServeConfig, on_ready: impl FnOnce(SocketAddr)) -> anyhow::Result<()> {
    serve_until(config, on_ready, shutdown_signal()).await
}

/// [`serve`] with a caller-chosen stop signal (tests).
pub async fn serve_until(
    config: ServeConfig,
    on_ready: impl FnOnce(SocketAddr),
    stop: impl Future<Output = ()> + Send + 'static,
) -> anyhow::Result<()> {
    let svc = Service::start(&config).await?;
    let listener = tokio::net::TcpListener::bind(config.addr)
        .await
        .with_context(|| format!("binding {}", config.addr))?;
    let addr = listener.local_addr()?;
    tracing::info!(
        %addr,
        faults = config.enable_faults,
        admin_token = config.admin_token.is_some(),
        "coupon service ready"
    );
    if config.admin_token.is_none() {
        tracing::warn!(
            "no admin token (--admin-token or COUPON_ADMIN_TOKEN): event creation and fault \
             injection answer 403 to every request"
        );
    }
    on_ready(addr);
    let app = http::router(
        svc.clone(),
        config.enable_faults,
        config.admin_token.clone(),
    );
    axum::serve(listener, app)
        .with_graceful_shutdown(stop)
        .await?;
    svc.shutdown().await;
    Ok(())
}

/// How long the process may take to stop once asked.
pub const STOP_WITHIN: std::time::Duration = std::time::Duration::from_secs(10);

/// Ctrl-C or SIGTERM. Once one arrives, stopping is bounded: a second signal ends the process
/// at once (the signals' default action is restored), and if stopping gracefully has not ended
/// it within [`STOP_WITHIN`], it exits anyway. A dependency that stopped answering (a broker
/// already gone, a librdkafka call waiting for it) cannot keep it alive: what it would have
/// finished is safe in Redis's outbox and the broker.
pub(crate) async fn shutdown_signal() {
    let ctrl_c = tokio::signal::ctrl_c();
    let mut term = tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate())
        .expect("SIGTERM handler");
    tokio::select! {
        _ = ctrl_c => {},
        _ = term.recv() => {},
    }
    tracing::info!("shutting down (a second Ctrl-C or SIGTERM stops at once)");
    // SAFETY: signal(2) with SIG_DFL only resets how the process reacts to these two signals;
    // tokio's handler thread keeps running and merely sees no more of them.
    unsafe {
        libc::signal(libc::SIGINT, libc::SIG_DFL);
        libc::signal(libc::SIGTERM, libc::SIG_DFL);
    }
    std::thread::spawn(|| {
        std::thread::sleep(STOP_WITHIN);
        tracing::error!("could not stop gracefully within 10 s; exiting");
        std::process::exit(1);
    });
}
