//! Storage: SQLite through sqlx, the source of truth.
//!
//! One file per table family; one named function per query. Writes take a [`Tx`], which the
//! service layer opens after validating and commits once everything is written. Everything
//! particular to SQLite (pragmas, `BEGIN IMMEDIATE`, JSON functions, `RETURNING`) stays in this
//! module, behind functions a second database could implement in a module of its own.

pub mod action_items;
pub mod alerts;
pub mod audit;
pub mod bulk;
mod clause;
mod columns;
pub mod five_whys;
pub mod hooks;
pub mod incidents;
pub mod insights;
pub mod load_tests;
pub mod people;
pub mod reminders;
pub mod root_causes;
mod rows;
pub mod scenarios;
pub mod search_source;
pub mod sessions;
pub mod timeline;
pub mod tokens;
mod tx;

pub use tx::Tx;

use std::path::Path;
use std::sync::Arc;
use std::time::Duration;

use anyhow::Context;
use app::service::Settings;
use sqlx::sqlite::{
    SqliteConnectOptions, SqliteJournalMode, SqlitePool, SqlitePoolOptions, SqliteSynchronous,
};

use crate::error::Result;

/// The database file inside the data dir.
pub const DB_FILE: &str = "hoego.db";

/// Opens (creating if needed) the database in `data_dir`: WAL mode, foreign keys on, embedded
/// migrations applied.
pub async fn open(data_dir: &Path) -> anyhow::Result<SqlitePool> {
    drop_memory_statistics();
    std::fs::create_dir_all(data_dir)
        .with_context(|| format!("creating data dir {}", data_dir.display()))?;
    let options = SqliteConnectOptions::new()
        .filename(data_dir.join(DB_FILE))
        .create_if_missing(true)
        .journal_mode(SqliteJournalMode::Wal)
        .synchronous(SqliteSynchronous::Normal)
        .foreign_keys(true)
        .busy_timeout(Duration::from_secs(5))
        // Reads dominate: map the file (no copy into each connection's cache) and give each
        // connection a 16 MiB page cache instead of the default 2 MiB.
        .pragma("mmap_size", "268435456")
        .pragma("cache_size", "-16384");
    let pool = SqlitePoolOptions::new()
        .max_connections(8)
        // An embedded database has no connection to lose; sqlx's check before every
        // checkout is a round trip to the connection's thread, one per query.
        .test_before_acquire(false)
        .connect_with(options)
        .await
        .with_context(|| format!("opening {}", data_dir.join(DB_FILE).display()))?;
    sqlx::migrate!("../migrations")
        .run(&pool)
        .await
        .context("applying migrations")?;
    Ok(pool)
}

/// Turns off SQLite's allocation statistics, once per process and before its first connection.
///
/// SQLite counts every allocation behind one process-wide mutex by default. With several
/// connections reading at once (each on its own sqlx thread), the threads queue on that mutex:
/// profiles of the list page under load showed futex calls from `sqlite3Malloc`. hoego never
/// reads those statistics.
fn drop_memory_statistics() {
    static ONCE: std::sync::Once = std::sync::Once::new();
    ONCE.call_once(|| {
        // SAFETY: `sqlite3_config` must run before SQLite initializes and not alongside other
        // SQLite calls. Every connection hoego makes is opened after this `Once`, so it runs
        // first; were SQLite already initialized, it would answer SQLITE_MISUSE and change
        // nothing.
        let rc = unsafe {
            libsqlite3_sys::sqlite3_config(
                libsqlite3_sys::SQLITE_CONFIG_MEMSTATUS,
                0 as std::ffi::c_int,
            )
        };
        if rc != libsqlite3_sys::SQLITE_OK {
            tracing::debug!(rc, "SQLite memory statistics left on");
        }
    });
}

/// The database: a pool of SQLite connections, and the settings rows are read with (metrics
/// are judged against the targets; "overdue" is decided in the display zone).
#[derive(Clone)]
pub struct Store {
    pool: SqlitePool,
    settings: Settings,
    /// Writes in this process take turns here, in arrival order, before they take a connection
    /// and SQLite's write lock. Without it, writers that find the lock taken wait in SQLite's
    /// busy handler, which sleeps (up to 100 ms a time) and wakes in no particular order: under
    /// 32 concurrent alert senders that was a p99 of 1.2 s and an idle lock between sleeps.
    /// (Another process, such as the CLI, still meets the busy handler; that is rare.)
    writes: Arc<tokio::sync::Mutex<()>>,
}

impl Store {
    pub fn new(pool: SqlitePool, settings: Settings) -> Self {
        Self {
            pool,
            settings,
            writes: Arc::default(),
        }
    }

    pub fn settings(&self) -> Settings {
        self.settings
    }

    /// Starts a write (see [`Tx`]).
    pub async fn begin(&self) -> Result<Tx> {
        let turn = self.writes.clone().lock_owned().await;
        Tx::begin(&self.pool, turn).await
    }
}
