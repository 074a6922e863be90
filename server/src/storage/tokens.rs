//! API tokens, stored as the SHA-256 of their secret.

use app::domain::*;
use app::error::AppError;
use chrono::{DateTime, Utc};
use sqlx::SqliteConnection;

use super::rows::parse;
use super::{Store, Tx};
use crate::error::{Error, Result};

#[derive(sqlx::FromRow)]
struct TokenRow {
    id: i64,
    name: String,
    owner: Option<String>,
    scopes: String,
    prefix: String,
    created_at: DateTime<Utc>,
    last_used_at: Option<DateTime<Utc>>,
    revoked_at: Option<DateTime<Utc>>,
}

fn scopes(text: &str) -> Result<Vec<Scope>> {
    text.split(' ')
        .map(|s| parse(s, Scope::parse, "scopes"))
        .collect()
}

impl TryFrom<TokenRow> for ApiToken {
    type Error = Error;
    fn try_from(r: TokenRow) -> Result<ApiToken> {
        Ok(ApiToken {
            id: r.id.into(),
            name: r.name,
            owner: r.owner,
            scopes: scopes(&r.scopes)?,
            prefix: r.prefix,
            created_at: r.created_at,
            last_used_at: r.last_used_at,
            revoked_at: r.revoked_at,
        })
    }
}

const COLUMNS: &str = "t.id, t.name, p.name AS owner, t.scopes, t.prefix, t.created_at, \
    t.last_used_at, t.revoked_at, t.owner_id";
const FROM: &str = "FROM api_tokens t LEFT JOIN people p ON p.id = t.owner_id";

pub async fn insert(
    tx: &mut Tx,
    input: &TokenInput,
    owner: Option<PersonId>,
    secret_hash: &[u8],
    prefix: &str,
) -> Result<TokenId> {
    let scopes: Vec<&str> = input.scopes.iter().map(|s| s.as_str()).collect();
    let id: i64 = sqlx::query_scalar(
        "INSERT INTO api_tokens (name, owner_id, scopes, secret_hash, prefix, created_at) \
         VALUES (?, ?, ?, ?, ?, ?) RETURNING id",
    )
    .bind(&input.name)
    .bind(owner.map(PersonId::get))
    .bind(scopes.join(" "))
    .bind(secret_hash)
    .bind(prefix)
    .bind(Utc::now())
    .fetch_one(&mut **tx)
    .await
    .map_err(|e| match &e {
        sqlx::Error::Database(d) if d.is_unique_violation() => {
            Error::from(Invalid::new("name", Problem::Taken))
        }
        _ => e.into(),
    })?;
    Ok(id.into())
}

/// The token and its owner's id (`None` for a machine's).
pub async fn get(conn: &mut SqliteConnection, id: TokenId) -> Result<(ApiToken, Option<PersonId>)> {
    #[derive(sqlx::FromRow)]
    struct Row {
        #[sqlx(flatten)]
        token: TokenRow,
        owner_id: Option<i64>,
    }
    let row: Option<Row> = sqlx::query_as(&format!("SELECT {COLUMNS} {FROM} WHERE t.id = ?"))
        .bind(id.get())
        .fetch_optional(&mut *conn)
        .await?;
    let row = row.ok_or_else(|| AppError::not_found("token"))?;
    Ok((row.token.try_into()?, row.owner_id.map(PersonId::from)))
}

/// A machine's or a person's token by its name (the command line revokes by name).
pub async fn id_by_name(conn: &mut SqliteConnection, name: &str) -> Result<TokenId> {
    let id: Option<i64> = sqlx::query_scalar("SELECT id FROM api_tokens WHERE name = ?")
        .bind(name)
        .fetch_optional(&mut *conn)
        .await?;
    Ok(id.ok_or_else(|| AppError::not_found("token"))?.into())
}

/// Tokens, newest first: one owner's, or all.
pub async fn list(store: &Store, owner: Option<PersonId>) -> Result<Vec<ApiToken>> {
    let rows: Vec<TokenRow> = match owner {
        Some(o) => {
            sqlx::query_as(&format!(
                "SELECT {COLUMNS} {FROM} WHERE t.owner_id = ? ORDER BY t.id DESC"
            ))
            .bind(o.get())
            .fetch_all(&store.pool)
            .await?
        }
        None => {
            sqlx::query_as(&format!("SELECT {COLUMNS} {FROM} ORDER BY t.id DESC"))
                .fetch_all(&store.pool)
                .await?
        }
    };
    rows.into_iter().map(TryInto::try_into).collect()
}

pub async fn revoke(tx: &mut Tx, id: TokenId) -> Result<()> {
    sqlx::query("UPDATE api_tokens SET revoked_at = coalesce(revoked_at, ?) WHERE id = ?")
        .bind(Utc::now())
        .bind(id.get())
        .execute(&mut **tx)
        .await?;
    Ok(())
}

/// Who acts with a live token: its owner as they are now (an enabled person) or, for a
/// machine's token, the token itself; and when it was last used.
pub async fn actor(
    store: &Store,
    secret_hash: &[u8],
) -> Result<Option<(Actor, Option<DateTime<Utc>>)>> {
    #[derive(sqlx::FromRow)]
    struct Row {
        id: i64,
        name: String,
        scopes: String,
        last_used_at: Option<DateTime<Utc>>,
        owner_id: Option<i64>,
        owner_name: Option<String>,
        owner_role: Option<String>,
        owner_disabled: bool,
    }
    let row: Option<Row> = sqlx::query_as(
        "SELECT t.id, t.name, t.scopes, t.last_used_at, t.owner_id, p.name AS owner_name, \
         p.role AS owner_role, (p.disabled_at IS NOT NULL) AS owner_disabled \
         FROM api_tokens t LEFT JOIN people p ON p.id = t.owner_id \
         WHERE t.secret_hash = ? AND t.revoked_at IS NULL",
    )
    .bind(secret_hash)
    .fetch_optional(&store.pool)
    .await?;
    let Some(r) = row else { return Ok(None) };
    if r.owner_disabled {
        return Ok(None);
    }
    let grant = Some(TokenGrant {
        id: r.id.into(),
        scopes: scopes(&r.scopes)?,
    });
    let actor = match (r.owner_id, r.owner_name, r.owner_role) {
        (Some(id), Some(name), Some(role)) => Actor {
            name,
            person: Some(id.into()),
            role: Some(parse(&role, Role::parse, "role")?),
            token: grant,
        },
        _ => Actor {
            name: r.name,
            person: None,
            role: None,
            token: grant,
        },
    };
    Ok(Some((actor, r.last_used_at)))
}

pub async fn mark_used(store: &Store, id: TokenId, at: DateTime<Utc>) -> Result<()> {
    sqlx::query("UPDATE api_tokens SET last_used_at = ? WHERE id = ?")
        .bind(at)
        .bind(id.get())
        .execute(&store.pool)
        .await?;
    Ok(())
}
