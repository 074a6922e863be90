//! Sessions: a signed-in browser's cookie, stored as the SHA-256 of its secret.

use app::domain::*;
use chrono::{DateTime, Utc};

use super::rows::parse;
use super::{Store, Tx};
use crate::error::Result;

pub async fn insert(
    tx: &mut Tx,
    person: PersonId,
    secret_hash: &[u8],
    expires_at: DateTime<Utc>,
) -> Result<()> {
    sqlx::query(
        "INSERT INTO sessions (secret_hash, person_id, created_at, expires_at) VALUES (?, ?, ?, ?)",
    )
    .bind(secret_hash)
    .bind(person.get())
    .bind(Utc::now())
    .bind(expires_at)
    .execute(&mut **tx)
    .await?;
    Ok(())
}

/// The person behind an unexpired session of an enabled account, and when the session expires.
pub async fn actor(
    store: &Store,
    secret_hash: &[u8],
    now: DateTime<Utc>,
) -> Result<Option<(Actor, DateTime<Utc>)>> {
    let row: Option<(i64, String, String, DateTime<Utc>)> = sqlx::query_as(
        "SELECT p.id, p.name, p.role, s.expires_at FROM sessions s JOIN people p ON p.id = s.person_id \
         WHERE s.secret_hash = ? AND s.expires_at > ? AND p.disabled_at IS NULL",
    )
    .bind(secret_hash)
    .bind(now)
    .fetch_optional(&store.pool)
    .await?;
    row.map(|(id, name, role, expires)| {
        Ok((
            Actor::person(id.into(), name, parse(&role, Role::parse, "role")?),
            expires,
        ))
    })
    .transpose()
}

/// Moves a session's expiry (a session in use stays open).
pub async fn extend(store: &Store, secret_hash: &[u8], expires_at: DateTime<Utc>) -> Result<()> {
    sqlx::query("UPDATE sessions SET expires_at = ? WHERE secret_hash = ?")
        .bind(expires_at)
        .bind(secret_hash)
        .execute(&store.pool)
        .await?;
    Ok(())
}

pub async fn delete(store: &Store, secret_hash: &[u8]) -> Result<()> {
    sqlx::query("DELETE FROM sessions WHERE secret_hash = ?")
        .bind(secret_hash)
        .execute(&store.pool)
        .await?;
    Ok(())
}

/// Ends a person's sessions (a password change, a disabled account).
pub async fn delete_for(tx: &mut Tx, person: PersonId) -> Result<()> {
    sqlx::query("DELETE FROM sessions WHERE person_id = ?")
        .bind(person.get())
        .execute(&mut **tx)
        .await?;
    Ok(())
}

/// Removes expired sessions; returns how many.
pub async fn purge(store: &Store, now: DateTime<Utc>) -> Result<u64> {
    Ok(sqlx::query("DELETE FROM sessions WHERE expires_at <= ?")
        .bind(now)
        .execute(&store.pool)
        .await?
        .rows_affected())
}
