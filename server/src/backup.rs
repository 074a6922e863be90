//! `hoego backup FILE` and `hoego restore FILE`.
//!
//! A backup is one SQLite file written by `VACUUM INTO` from a read transaction, so it is a
//! consistent copy taken while `hoego serve` keeps answering (and writing). The search index is
//! not in it: it is derived, and a restore rebuilds it. Settings files beside the database
//! (`targets.json`, `glossary.txt`) are plain files to copy with it.
//!
//! A restore needs hoego stopped (it holds the search index's lock, which is how a running
//! server is noticed), checks the file is a whole hoego database no newer than this hoego,
//! keeps the database it replaces as `hoego.db.before-restore-TIME`, and rebuilds the index.

use std::path::{Path, PathBuf};

use anyhow::{Context, bail};
use sqlx::Connection;
use sqlx::sqlite::{SqliteConnectOptions, SqliteConnection};

use crate::config::{DataArgs, DisplayArgs};
use crate::search::Search;
use crate::storage::{DB_FILE, search_source};

/// What a backup or restore handled.
#[derive(Debug, PartialEq, Eq)]
pub struct Summary {
    pub incidents: u64,
    pub bytes: u64,
}

/// Writes a consistent copy of the database to `file`, which must not exist yet.
pub async fn backup(data: &DataArgs, file: &Path) -> anyhow::Result<Summary> {
    if file.exists() {
        bail!(
            "{} exists; a backup never overwrites a file",
            file.display()
        );
    }
    let store = crate::open_store(data, &DisplayArgs::default()).await?;
    let target = file
        .to_str()
        .with_context(|| format!("{} is not a UTF-8 path", file.display()))?;
    crate::storage::copy_into(&store, target)
        .await
        .with_context(|| format!("writing {}", file.display()))?;
    let incidents = search_source::count(&store).await?;
    Ok(Summary {
        incidents,
        bytes: std::fs::metadata(file)?.len(),
    })
}

/// Replaces the database with `file` and rebuilds the search index from it.
pub async fn restore(data: &DataArgs, file: &Path) -> anyhow::Result<Summary> {
    let data_dir = data.data_dir.as_path();
    check_backup(file).await?;
    std::fs::create_dir_all(data_dir)?;
    // Holding the index's writer lock keeps `hoego serve` (and another restore) out.
    let (search, _) = Search::open(data_dir, DisplayArgs::default().tz).map_err(|e| {
        if crate::search::is_locked(&e) {
            e.context("hoego is running on this data dir; stop it before restoring")
        } else {
            e
        }
    })?;
    let db = data_dir.join(DB_FILE);
    let incoming = data_dir.join(format!("{DB_FILE}.restoring"));
    std::fs::copy(file, &incoming).with_context(|| format!("copying {}", file.display()))?;
    std::fs::File::open(&incoming)?.sync_all()?;
    if db.exists() {
        // Fold the write-ahead log into the old file, so the copy kept aside is whole and the
        // log holds nothing; if another process holds the database, it cannot be, and the
        // restore stops before anything is replaced.
        let options = SqliteConnectOptions::new()
            .filename(&db)
            .busy_timeout(std::time::Duration::from_secs(5));
        let mut old = SqliteConnection::connect_with(&options)
            .await
            .context("opening the current database")?;
        let (busy, log, folded): (i64, i64, i64) =
            sqlx::query_as("PRAGMA wal_checkpoint(TRUNCATE)")
                .fetch_one(&mut old)
                .await?;
        old.close().await?;
        if busy != 0 || log != folded {
            let _ = std::fs::remove_file(&incoming);
            bail!(
                "another process has {} open (hoego user, token or backup? sqlite3?); stop it and try again",
                db.display()
            );
        }
        let kept = kept_name(&db);
        std::fs::hard_link(&db, &kept).or_else(|_| std::fs::copy(&db, &kept).map(drop))?;
        tracing::info!(kept = %kept.display(), "the replaced database is kept");
    }
    // A log left beside the new file would be applied to it (the old one's is empty now).
    for suffix in ["-wal", "-shm"] {
        let path = data_dir.join(format!("{DB_FILE}{suffix}"));
        if path.exists() {
            std::fs::remove_file(&path)?;
        }
    }
    // Replaces the file in one step: there is always a whole database at this name.
    std::fs::rename(&incoming, &db)?;
    // Opening applies the migrations a backup from an older hoego lacks.
    let store = crate::open_store(data, &DisplayArgs::default()).await?;
    search.rebuild(&store, |_, _| {}).await?;
    Ok(Summary {
        incidents: search_source::count(&store).await?,
        bytes: std::fs::metadata(&db)?.len(),
    })
}

/// Refuses a file that is not a whole hoego database this hoego can read.
async fn check_backup(file: &Path) -> anyhow::Result<()> {
    let options = SqliteConnectOptions::new().filename(file).read_only(true);
    let mut conn = SqliteConnection::connect_with(&options)
        .await
        .with_context(|| format!("{} cannot be opened as a database", file.display()))?;
    let integrity: String = sqlx::query_scalar("PRAGMA integrity_check")
        .fetch_one(&mut conn)
        .await
        .with_context(|| format!("{} is not a SQLite database", file.display()))?;
    if integrity != "ok" {
        bail!("{} is damaged: {integrity}", file.display());
    }
    let newest: Option<i64> = sqlx::query_scalar("SELECT max(version) FROM _sqlx_migrations")
        .fetch_one(&mut conn)
        .await
        .with_context(|| format!("{} is not a hoego database", file.display()))?;
    let known = sqlx::migrate!("../migrations")
        .iter()
        .map(|m| m.version)
        .max()
        .unwrap_or_default();
    match newest {
        None => bail!("{} is not a hoego database", file.display()),
        Some(v) if v > known => bail!(
            "{} was written by a newer hoego (schema {v}, this one knows up to {known})",
            file.display()
        ),
        Some(_) => Ok(()),
    }
}

/// `hoego.db.before-restore-YYYYMMDDTHHMMSS`, numbered if that exists.
fn kept_name(db: &Path) -> PathBuf {
    let stamp = chrono::Utc::now().format("%Y%m%dT%H%M%S");
    let name = |n: u32| match n {
        1 => format!("{DB_FILE}.before-restore-{stamp}"),
        n => format!("{DB_FILE}.before-restore-{stamp}-{n}"),
    };
    (1..)
        .map(|n| db.with_file_name(name(n)))
        .find(|p| !p.exists())
        .expect("a free name")
}
