//! Storage: SQLite through sqlx, the source of truth.
//!
//! One file per table family; one named function per query. Every write validates first, then
//! runs in one `BEGIN IMMEDIATE` transaction (immediate, so two writers queue on SQLite's lock
//! instead of failing on a read-to-write upgrade).

mod action_items;
pub mod bulk;
mod five_whys;
mod incidents;
pub mod root_causes;
mod rows;
pub mod search_source;
mod timeline;

use std::path::Path;
use std::time::Duration;

use anyhow::Context;
use app::domain::*;
use app::error::AppError;
use app::queries::{ActionQuery, IncidentDetail, IncidentQuery};
use app::ui::Display;
use chrono_tz::Tz;
use sqlx::sqlite::{
    SqliteConnectOptions, SqliteJournalMode, SqlitePool, SqlitePoolOptions, SqliteSynchronous,
};

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

/// The SQLite implementation of the app's [`Service`].
#[derive(Clone)]
pub struct Store {
    pool: SqlitePool,
    targets: Targets,
    tz: Tz,
}

impl Store {
    pub fn new(pool: SqlitePool, targets: Targets, tz: Tz) -> Self {
        Self { pool, targets, tz }
    }
}

/// Every read and write, validated and transactional. [`crate::backend::Backend`] implements
/// the app's `Service` over these and keeps the search index in step.
impl Store {
    pub async fn list_incidents(
        &self,
        q: IncidentQuery,
    ) -> Result<Page<IncidentSummary>, AppError> {
        Ok(incidents::list(self, &q).await?)
    }
    pub async fn incident(&self, id: i64) -> Result<IncidentDetail, AppError> {
        Ok(incidents::detail(self, id).await?)
    }
    pub async fn create_incident(&self, f: IncidentFields) -> Result<IncidentDetail, AppError> {
        let id = incidents::create(self, f).await?;
        Ok(incidents::detail(self, id).await?)
    }
    pub async fn update_incident(
        &self,
        id: i64,
        p: IncidentPatch,
    ) -> Result<IncidentDetail, AppError> {
        incidents::update(self, id, p).await?;
        Ok(incidents::detail(self, id).await?)
    }
    pub async fn delete_incident(&self, id: i64) -> Result<(), AppError> {
        Ok(incidents::delete(self, id).await?)
    }

    pub async fn add_event(&self, incident: i64, e: EventInput) -> Result<TimelineEvent, AppError> {
        Ok(timeline::add(self, incident, e).await?)
    }
    pub async fn update_event(
        &self,
        incident: i64,
        id: i64,
        p: EventPatch,
    ) -> Result<TimelineEvent, AppError> {
        Ok(timeline::update(self, incident, id, p).await?)
    }
    pub async fn delete_event(&self, incident: i64, id: i64) -> Result<(), AppError> {
        Ok(timeline::delete(self, incident, id).await?)
    }

    pub async fn add_chain(&self, incident: i64, c: ChainInput) -> Result<FiveWhyChain, AppError> {
        Ok(five_whys::add(self, incident, c).await?)
    }
    pub async fn update_chain(
        &self,
        incident: i64,
        id: i64,
        p: ChainPatch,
    ) -> Result<FiveWhyChain, AppError> {
        Ok(five_whys::update(self, incident, id, p).await?)
    }
    pub async fn delete_chain(&self, incident: i64, id: i64) -> Result<(), AppError> {
        Ok(five_whys::delete(self, incident, id).await?)
    }

    pub async fn add_action(&self, incident: i64, a: ActionInput) -> Result<ActionItem, AppError> {
        Ok(action_items::add(self, incident, a).await?)
    }
    pub async fn update_action(
        &self,
        incident: i64,
        id: i64,
        p: ActionPatch,
    ) -> Result<ActionItem, AppError> {
        Ok(action_items::update(self, incident, id, p).await?)
    }
    pub async fn delete_action(&self, incident: i64, id: i64) -> Result<(), AppError> {
        Ok(action_items::delete(self, incident, id).await?)
    }
    pub async fn list_action_items(&self, q: ActionQuery) -> Result<Page<ActionItemRow>, AppError> {
        Ok(action_items::list(self, &q).await?)
    }

    pub fn display(&self) -> Display {
        Display {
            tz: self.tz.name().to_owned(),
        }
    }
}
