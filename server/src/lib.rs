//! The hoego server: configuration, storage, HTTP.
//!
//! # Layout
//! - [`config`]   flags and environment variables
//! - [`storage`]  SQLite via sqlx: the source of truth
//! - [`search`]   the tantivy index derived from it
//! - [`accounts`] password hashing, secrets, the sign-in limit
//! - [`cli`]      `hoego user …`, `hoego token …`
//! - [`backend`]  what the services share (database, index, settings); commits re-index
//! - [`service`]  the app's service traits, one file per feature: validation, transactions
//! - [`http`]     REST API (`/api/v1`), pages and server functions, language switch
//! - [`notify`]   outgoing webhooks: the outbox, its deliverer and the periodic check
//! - [`markdown`] Markdown → sanitized HTML
//! - [`metrics`]  `/metrics`: hoego's own figures for Prometheus
//! - [`reindex`]  `hoego reindex`
//! - [`backup`]   `hoego backup` and `hoego restore`
//! - [`serve`]    the HTTP server loop and its connection limits
//! - [`seed`]     the sample postmortems in `seeds/`
//! - [`generate`] synthetic incidents for benchmarks
//! - [`error`]    the error policy
//!
//! `main.rs` only parses the command line; [`serve`] is what tests start on port 0.

pub mod accounts;
pub mod backend;
pub mod backup;
pub mod cli;
pub mod config;
pub mod documents;
pub mod error;
pub mod generate;
pub mod http;
pub mod insights;
pub mod markdown;
pub mod metrics;
pub mod notify;
pub mod reindex;
pub mod search;
pub mod seed;
pub mod serve;
pub mod service;
pub mod storage;
pub mod targets;

use std::path::Path;
use std::sync::Arc;

use anyhow::Context;
use app::service::Settings;
use leptos::prelude::LeptosOptions;
use tokio::net::TcpListener;

use backend::Backend;
use config::{DataArgs, DisplayArgs};
use search::{Rebuilt, Search};
use serve::Limits;
use storage::Store;

/// The runtime `hoego serve` runs on: multi-threaded with at least four workers, even on one
/// or two cores. Leptos's server-side rendering can stall a response for good when all its
/// resource futures share one or two workers (leptos-rs/leptos#4647, #4851); the extra
/// threads cost little while they idle. `HOEGO_WORKER_THREADS` sets another number (the
/// stall check, `scripts/stress-pages`, compares two and four).
pub fn runtime() -> std::io::Result<tokio::runtime::Runtime> {
    let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
    let workers = std::env::var("HOEGO_WORKER_THREADS")
        .ok()
        .and_then(|n| n.parse::<usize>().ok())
        .filter(|n| *n > 0)
        .unwrap_or(cores.max(4));
    tokio::runtime::Builder::new_multi_thread()
        .worker_threads(workers)
        .enable_all()
        .build()
}

/// Opens the database and builds the store.
pub async fn open_store(data: &DataArgs, display: &DisplayArgs) -> anyhow::Result<Store> {
    let data_dir = data.data_dir.as_path();
    let pool = storage::open(data_dir, data.database()).await?;
    Ok(Store::new(
        pool,
        Settings {
            tz: display.tz,
            targets: targets::load(data_dir, display.targets())?,
        },
    )
    .waiting_at_most(data.database().busy_timeout))
}

/// Opens the database and the search index, rebuilding the index first if it does not match
/// the database (progress in the log), and indexing again what was written but never indexed.
pub async fn open_backend(data: &DataArgs, display: &DisplayArgs) -> anyhow::Result<Backend> {
    let data_dir = data.data_dir.as_path();
    let store = open_store(data, display).await?;
    let (search, created) = Search::open(data_dir, display.tz)?;
    let started = std::time::Instant::now();
    let mut logged = 0;
    let rebuilt = search
        .sync(&store, created, move |done, total| {
            // One line per tenth, so a large rebuild shows it is moving without flooding.
            let tenth = (done * 10).checked_div(total).unwrap_or(10);
            if tenth > logged || done == 0 {
                logged = tenth;
                tracing::info!(done, total, "building the search index");
            }
        })
        .await?;
    if rebuilt != Rebuilt::No {
        tracing::info!(
            reason = ?rebuilt,
            documents = search.documents(),
            seconds = started.elapsed().as_secs_f32(),
            "search index rebuilt from the database"
        );
    }
    let behind = search.catch_up(&store).await;
    if behind > 0 {
        tracing::info!(
            incidents = behind,
            "indexed incidents written but not yet indexed"
        );
    }
    let mut backend = Backend::new(store, search);
    backend.data_dir = Some(data_dir.to_owned());
    Ok(backend)
}

/// Serves hoego on `listener` until Ctrl-C or SIGTERM.
pub async fn serve(
    listener: TcpListener,
    backend: Backend,
    site_root: &Path,
    limits: Limits,
) -> anyhow::Result<()> {
    let options = LeptosOptions::builder()
        .output_name("hoego")
        .site_root(site_root.to_string_lossy().as_ref())
        .site_pkg_dir("pkg")
        .site_addr(listener.local_addr()?)
        .build();
    backend.search.precompute_similar();
    backend.search.keep_catching_up(backend.store.clone());
    notify::deliver::spawn(
        backend.store.clone(),
        backend.options.retry_base,
        backend.outbox.clone(),
        backend.metrics.clone(),
    );
    notify::schedule::spawn(
        backend.store.clone(),
        backend.options.base_url.clone(),
        backend.options.check_every,
        backend.outbox.clone(),
    );
    let app = http::router(options, Arc::new(backend));
    tracing::info!(addr = %listener.local_addr()?, "hoego listening");
    serve::run(listener, app, limits, shutdown())
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
