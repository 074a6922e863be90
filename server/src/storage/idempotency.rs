//! Idempotency keys: the first answer to a keyed POST, per caller, for 24 hours.

use chrono::{DateTime, Duration, Utc};

use super::Store;
use crate::error::Result;

/// How long an answer is kept.
pub const KEPT_HOURS: i64 = 24;
/// A key still being answered after this long belongs to a request that never finished (a
/// crash, a cancelled connection) and may be taken over.
pub const ABANDONED_SECONDS: i64 = 60;

/// A kept answer.
#[derive(Clone, Debug, sqlx::FromRow)]
pub struct Kept {
    pub fingerprint: Vec<u8>,
    pub created_at: DateTime<Utc>,
    pub status: Option<i64>,
    pub content_type: Option<String>,
    pub location: Option<String>,
    pub body: Option<Vec<u8>>,
}

/// What claiming a key found.
pub enum Claim {
    /// The key is this request's now: answer it, then [`finish`] or [`release`].
    Mine,
    /// Another request had it first (answered, or still being answered).
    Taken(Kept),
}

/// Claims `key` for `actor`'s request with `fingerprint`, forgetting keys older than a day
/// and taking over one abandoned mid-answer.
pub async fn claim(store: &Store, actor: &str, key: &str, fingerprint: &[u8]) -> Result<Claim> {
    let now = Utc::now();
    let mut tx = store.begin().await?;
    sqlx::query("DELETE FROM idempotency_keys WHERE created_at < ?")
        .bind(now - Duration::hours(KEPT_HOURS))
        .execute(&mut *tx)
        .await?;
    sqlx::query(
        "DELETE FROM idempotency_keys WHERE actor = ? AND key = ? AND status IS NULL \
         AND created_at < ?",
    )
    .bind(actor)
    .bind(key)
    .bind(now - Duration::seconds(ABANDONED_SECONDS))
    .execute(&mut *tx)
    .await?;
    let existing: Option<Kept> = sqlx::query_as(
        "SELECT fingerprint, created_at, status, content_type, location, body \
         FROM idempotency_keys WHERE actor = ? AND key = ?",
    )
    .bind(actor)
    .bind(key)
    .fetch_optional(&mut *tx)
    .await?;
    if let Some(kept) = existing {
        return Ok(Claim::Taken(kept));
    }
    sqlx::query(
        "INSERT INTO idempotency_keys (actor, key, fingerprint, created_at) VALUES (?, ?, ?, ?)",
    )
    .bind(actor)
    .bind(key)
    .bind(fingerprint)
    .bind(now)
    .execute(&mut *tx)
    .await?;
    tx.commit().await?;
    Ok(Claim::Mine)
}

/// Keeps the answer given to the claimed key.
pub async fn finish(
    store: &Store,
    actor: &str,
    key: &str,
    status: u16,
    content_type: Option<&str>,
    location: Option<&str>,
    body: &[u8],
) -> Result<()> {
    let mut tx = store.begin().await?;
    sqlx::query(
        "UPDATE idempotency_keys SET status = ?, content_type = ?, location = ?, body = ? \
         WHERE actor = ? AND key = ?",
    )
    .bind(i64::from(status))
    .bind(content_type)
    .bind(location)
    .bind(body)
    .bind(actor)
    .bind(key)
    .execute(&mut *tx)
    .await?;
    tx.commit().await?;
    Ok(())
}

/// Frees the claimed key without keeping an answer (one worth retrying: busy, a failure).
pub async fn release(store: &Store, actor: &str, key: &str) -> Result<()> {
    let mut tx = store.begin().await?;
    sqlx::query("DELETE FROM idempotency_keys WHERE actor = ? AND key = ? AND status IS NULL")
        .bind(actor)
        .bind(key)
        .execute(&mut *tx)
        .await?;
    tx.commit().await?;
    Ok(())
}
