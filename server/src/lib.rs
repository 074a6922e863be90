//! The hoego server: configuration, storage, HTTP.
//!
//! # Layout
//! - [`config`]   flags and environment variables
//! - [`storage`]  SQLite via sqlx: the source of truth, and the app's `Service`
//! - [`http`]     REST API (`/api/v1`), pages and server functions, language switch
//! - [`markdown`] Markdown → sanitized HTML
//! - [`seed`]     the sample postmortems in `seeds/`
//! - [`generate`] synthetic incidents for benchmarks
//! - [`error`]    the error policy
//!
//! `main.rs` only parses the command line; [`serve`] is what tests start on port 0.

pub mod config;
pub mod error;
pub mod generate;
pub mod http;
pub mod markdown;
pub mod seed;
pub mod storage;

use std::path::Path;
use std::sync::Arc;

use anyhow::Context;
use app::service::Svc;
use leptos::prelude::LeptosOptions;
use tokio::net::TcpListener;

use config::DisplayArgs;
use storage::Store;

/// Opens the database and builds the store.
pub async fn open_store(data_dir: &Path, display: &DisplayArgs) -> anyhow::Result<Store> {
    let pool = storage::open(data_dir).await?;
    Ok(Store::new(pool, display.targets(), display.tz))
}

/// Serves hoego on `listener` until Ctrl-C or SIGTERM.
pub async fn serve(listener: TcpListener, store: Store, site_root: &Path) -> anyhow::Result<()> {
    let options = LeptosOptions::builder()
        .output_name("hoego")
        .site_root(site_root.to_string_lossy().as_ref())
        .site_pkg_dir("pkg")
        .site_addr(listener.local_addr()?)
        .build();
    let svc: Svc = Arc::new(store);
    let app = http::router(options, svc);
    tracing::info!(addr = %listener.local_addr()?, "hoego listening");
    // Responses go out in several writes (headers, then body chunks); without TCP_NODELAY,
    // Nagle's algorithm holds the last small write for the client's delayed ACK (~40 ms).
    let listener = axum::serve::ListenerExt::tap_io(listener, |tcp: &mut tokio::net::TcpStream| {
        if let Err(e) = tcp.set_nodelay(true) {
            tracing::warn!(error = %e, "could not set TCP_NODELAY");
        }
    });
    axum::serve(listener, app)
        .with_graceful_shutdown(shutdown())
        .await
        .context("serving HTTP")
}

async fn shutdown() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let term = async {
        if let Ok(mut s) = tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate())
        {
            s.recv().await;
        }
    };
    #[cfg(not(unix))]
    let term = std::future::pending::<()>();
    tokio::select! { _ = ctrl_c => {}, _ = term => {} }
    tracing::info!("shutting down");
}
