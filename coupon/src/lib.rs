//! The bundled coupon service of the seed report: first-come-first-served coupon issuance and a
//! top-products query on Redis, a Kafka-protocol queue and MySQL, with the resilience patterns
//! the report's 5-Why analyses call for; its load generator; and the local stack for drills.
//! It knows hoego only as an HTTP endpoint.

pub mod config;
pub mod db;
pub mod error;
pub mod faults;
pub mod http;
pub mod issue;
pub mod loadtest;
pub mod logging;
pub mod metrics;
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
    tracing::info!(%addr, faults = config.enable_faults, "coupon service ready");
    on_ready(addr);
    axum::serve(listener, http::router(svc.clone(), config.enable_faults))
        .with_graceful_shutdown(stop)
        .await?;
    svc.shutdown().await;
    Ok(())
}

async fn shutdown_signal() {
    let ctrl_c = tokio::signal::ctrl_c();
    let mut term = tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate())
        .expect("SIGTERM handler");
    tokio::select! {
        _ = ctrl_c => {},
        _ = term.recv() => {},
    }
    tracing::info!("shutting down");
}
