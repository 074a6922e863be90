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
pub mod idempotency;
pub mod incidents;
pub mod insights;
pub mod load_tests;
pub mod people;
pub mod reminders;
pub mod root_causes;
mod rows;
pub mod scenarios;
pub mod search_marks;
pub mod search_source;
pub mod sessions;
pub mod timeline;
pub mod tokens;
mod tx;
pub mod versions;

pub use tx::{Savepoint, Tx};

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
/// Connections in the pool: reads run in parallel on them; writes take turns.
pub const MAX_CONNECTIONS: u32 = 8;

/// How SQLite makes a committed write durable.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, clap::ValueEnum)]
pub enum Durability {
    /// `synchronous=NORMAL` in WAL mode: never corrupts; a power loss (not a crash of hoego)
    /// may undo the last writes that were answered.
    #[default]
    Normal,
    /// `synchronous=FULL`: every answered write survives a power loss, at the cost of an fsync
    /// per write.
    Full,
}

/// How the database is opened.
#[derive(Clone, Copy, Debug)]
pub struct Database {
    pub durability: Durability,
    /// How long a write waits for a lock another process (or connection) holds before it is
    /// answered with 503 and `Retry-After`.
    pub busy_timeout: Duration,
}

impl Default for Database {
    fn default() -> Self {
        Self {
            durability: Durability::Normal,
            busy_timeout: Duration::from_secs(5),
        }
    }
}

/// Opens (creating if needed) the database in `data_dir`: WAL mode, foreign keys on, embedded
/// migrations applied.
pub async fn open(data_dir: &Path, db: Database) -> anyhow::Result<SqlitePool> {
    drop_memory_statistics();
    std::fs::create_dir_all(data_dir)
        .with_context(|| format!("creating data dir {}", data_dir.display()))?;
    let options = SqliteConnectOptions::new()
        .filename(data_dir.join(DB_FILE))
        .create_if_missing(true)
        .journal_mode(SqliteJournalMode::Wal)
        .synchronous(match db.durability {
            Durability::Normal => SqliteSynchronous::Normal,
            Durability::Full => SqliteSynchronous::Full,
        })
        .foreign_keys(true)
        .busy_timeout(db.busy_timeout)
        // Reads dominate: map the file (no copy into each connection's cache) and give each
        // connection a 16 MiB page cache instead of the default 2 MiB.
        .pragma("mmap_size", "268435456")
        .pragma("cache_size", "-16384");
    let pool = SqlitePoolOptions::new()
        .max_connections(MAX_CONNECTIONS)
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

/// Writes a consistent copy of the database to the file `path` (`VACUUM INTO`: a read
/// transaction, so writers go on meanwhile).
pub async fn copy_into(store: &Store, path: &str) -> Result<()> {
    sqlx::query("VACUUM INTO ?")
        .bind(path)
        .execute(&store.pool)
        .await?;
    Ok(())
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

/// This process's write turn, from [`Store::turn`] until the write begun in it ends.
pub struct Turn(tokio::sync::OwnedMutexGuard<()>);

/// The database: a pool of SQLite connections, and the settings rows are read with (metrics
/// are judged against the targets; "overdue" is decided in the display zone).
#[derive(Clone)]
pub struct Store {
    pool: SqlitePool,
    /// The one connection writes run on. SQLite empties a connection's page cache (and, with
    /// the file mapped, unmaps it) whenever another connection has committed since its last
    /// read. Writes taking any connection of the pool each found a cold cache and refaulted
    /// the pages they append to; on a connection of their own, nobody else commits, and what
    /// the last write touched is still there for the next.
    writer: SqlitePool,
    settings: Settings,
    /// Writes in this process take turns here, in arrival order, before they take a connection
    /// and SQLite's write lock. Without it, writers that find the lock taken wait in SQLite's
    /// busy handler, which sleeps (up to 100 ms a time) and wakes in no particular order: under
    /// 32 concurrent alert senders that was a p99 of 1.2 s and an idle lock between sleeps.
    /// (Another process, such as the CLI, still meets the busy handler; that is rare.)
    writes: Arc<tokio::sync::Mutex<()>>,
    /// Writes refused because the database stayed locked (answered 503), for `/metrics`.
    busy: Arc<std::sync::atomic::AtomicU64>,
    /// How long a write waits for its turn here before it is refused as busy: the same bound
    /// as SQLite's busy timeout, so a request never waits longer behind this process's writes
    /// than behind another process's.
    turn_timeout: Duration,
}

impl Store {
    pub fn new(pool: SqlitePool, settings: Settings) -> Self {
        let writer = SqlitePoolOptions::new()
            .max_connections(1)
            .test_before_acquire(false)
            .connect_lazy_with((*pool.connect_options()).clone());
        Self {
            pool,
            writer,
            settings,
            writes: Arc::default(),
            busy: Arc::default(),
            turn_timeout: Database::default().busy_timeout,
        }
    }

    /// Writes wait at most `timeout` for their turn (see [`Store::begin`]).
    pub fn waiting_at_most(mut self, timeout: Duration) -> Self {
        self.turn_timeout = timeout;
        self
    }

    pub fn settings(&self) -> Settings {
        self.settings
    }

    /// Starts a write (see [`Tx`]). A write takes SQLite's lock when it begins, so this is
    /// where a lock held by another process makes it wait, and after the busy timeout fail.
    /// Waiting for this process's turn is bounded the same way: a write still waiting after
    /// the timeout is refused as busy too (503 and `Retry-After`).
    pub async fn begin(&self) -> Result<Tx> {
        let turn = self.turn().await?;
        self.begin_in(turn).await
    }

    /// Waits for this process's write turn (see [`Store::begin`]); a write that has waited the
    /// busy timeout is refused as busy. Waiting here can be given up safely (it is a queue
    /// place, nothing more), which is what lets alert webhooks wait for either their turn or
    /// another writer that takes their work along (`service::alert_writes`).
    pub async fn turn(&self) -> Result<Turn> {
        let turn = tokio::time::timeout(self.turn_timeout, self.writes.clone().lock_owned()).await;
        self.counted(match turn {
            Ok(turn) => Ok(Turn(turn)),
            Err(_) => Err(sqlx::Error::PoolTimedOut.into()),
        })
    }

    /// Begins a write in a turn taken with [`Store::turn`].
    pub async fn begin_in(&self, turn: Turn) -> Result<Tx> {
        self.counted(Tx::begin(&self.writer, turn.0).await)
    }

    /// Counts a refusal as busy for `/metrics`.
    fn counted<T>(&self, began: Result<T>) -> Result<T> {
        if let Err(crate::error::Error::Db(e)) = &began
            && crate::error::is_busy(e)
        {
            self.busy.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        }
        began
    }

    /// Writes refused so far because the database stayed locked.
    pub fn busy_refusals(&self) -> u64 {
        self.busy.load(std::sync::atomic::Ordering::Relaxed)
    }

    /// Connections open and, of those, idle.
    pub fn connections(&self) -> (u32, usize) {
        (
            self.pool.size() + self.writer.size(),
            self.pool.num_idle() + self.writer.num_idle(),
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn a_write_waiting_too_long_for_its_turn_is_refused_as_busy() {
        let dir = tempfile::tempdir().unwrap();
        let wait = Duration::from_millis(100);
        let db = Database {
            busy_timeout: wait,
            ..Database::default()
        };
        let store = Store::new(
            open(dir.path(), db).await.unwrap(),
            Settings {
                tz: chrono_tz::UTC,
                targets: Default::default(),
            },
        )
        .waiting_at_most(wait);
        let held = store.begin().await.unwrap();
        let refused = store
            .begin()
            .await
            .err()
            .expect("refused while the turn is held");
        assert!(
            matches!(
                app::error::AppError::from(refused),
                app::error::AppError::Busy { retry_after: 1 }
            ),
            "answered as busy"
        );
        assert_eq!(store.busy_refusals(), 1);
        drop(held);
        assert!(store.begin().await.is_ok(), "the next write gets its turn");
    }

    #[tokio::test]
    async fn going_back_to_a_savepoint_keeps_what_came_before_it() {
        use app::domain::{IncidentFields, Severity};
        let dir = tempfile::tempdir().unwrap();
        let store = Store::new(
            open(dir.path(), Database::default()).await.unwrap(),
            Settings {
                tz: chrono_tz::UTC,
                targets: Default::default(),
            },
        );
        let fields = |title: &str| {
            IncidentFields::new(title.to_owned(), Severity::P2)
                .validated()
                .unwrap()
        };
        let mut tx = store.begin().await.unwrap();
        let kept = incidents::insert(&mut tx, &fields("kept")).await.unwrap();
        let savepoint = tx.savepoint().await.unwrap();
        incidents::insert(&mut tx, &fields("undone")).await.unwrap();
        tx.rollback_to(savepoint).await.unwrap();
        let savepoint = tx.savepoint().await.unwrap();
        let also = incidents::insert(&mut tx, &fields("also kept"))
            .await
            .unwrap();
        tx.release(savepoint).await.unwrap();
        assert_eq!(
            tx.commit().await.unwrap().into_iter().collect::<Vec<_>>(),
            vec![kept, also],
            "the undone incident is not among the changed ones"
        );
        let titles: Vec<String> = sqlx::query_scalar("SELECT title FROM incidents ORDER BY id")
            .fetch_all(&store.pool)
            .await
            .unwrap();
        assert_eq!(titles, ["kept", "also kept"]);
    }
}
