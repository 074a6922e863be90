//! People: accounts that sign in.

use app::domain::*;
use app::error::AppError;
use chrono::{DateTime, Utc};
use sqlx::SqliteConnection;

use super::rows::parse;
use super::{Store, Tx};
use crate::error::{Error, Result};

#[derive(sqlx::FromRow)]
struct PersonRow {
    id: i64,
    name: String,
    role: String,
    created_at: DateTime<Utc>,
    disabled_at: Option<DateTime<Utc>>,
}

impl TryFrom<PersonRow> for Person {
    type Error = Error;
    fn try_from(r: PersonRow) -> Result<Person> {
        Ok(Person {
            id: r.id.into(),
            name: r.name,
            role: parse(&r.role, Role::parse, "role")?,
            created_at: r.created_at,
            disabled_at: r.disabled_at,
        })
    }
}

const SELECT: &str = "SELECT id, name, role, created_at, disabled_at FROM people";

/// A unique name taken by someone else reads as a refusal of the name.
fn name_taken(e: sqlx::Error) -> Error {
    match &e {
        sqlx::Error::Database(d) if d.is_unique_violation() => {
            Invalid::new("name", Problem::Taken).into()
        }
        _ => e.into(),
    }
}

pub async fn insert(tx: &mut Tx, name: &str, role: Role, password_hash: &str) -> Result<PersonId> {
    let id: i64 = sqlx::query_scalar(
        "INSERT INTO people (name, role, password_hash, created_at) VALUES (?, ?, ?, ?) RETURNING id",
    )
    .bind(name)
    .bind(role.as_str())
    .bind(password_hash)
    .bind(Utc::now())
    .fetch_one(&mut **tx)
    .await
    .map_err(name_taken)?;
    Ok(id.into())
}

pub async fn get(conn: &mut SqliteConnection, id: PersonId) -> Result<Person> {
    let row: Option<PersonRow> = sqlx::query_as(&format!("{SELECT} WHERE id = ?"))
        .bind(id.get())
        .fetch_optional(&mut *conn)
        .await?;
    row.ok_or_else(|| AppError::not_found("person"))?.try_into()
}

pub async fn by_name(conn: &mut SqliteConnection, name: &str) -> Result<Person> {
    let row: Option<PersonRow> = sqlx::query_as(&format!("{SELECT} WHERE name = ?"))
        .bind(name)
        .fetch_optional(&mut *conn)
        .await?;
    row.ok_or_else(|| AppError::not_found("person"))?.try_into()
}

/// Everyone, by name.
pub async fn list(store: &Store) -> Result<Vec<Person>> {
    let rows: Vec<PersonRow> = sqlx::query_as(&format!("{SELECT} ORDER BY name COLLATE NOCASE"))
        .fetch_all(&store.pool)
        .await?;
    rows.into_iter().map(TryInto::try_into).collect()
}

pub async fn count(store: &Store) -> Result<i64> {
    Ok(sqlx::query_scalar("SELECT count(*) FROM people")
        .fetch_one(&store.pool)
        .await?)
}

/// The person and password hash for a sign-in attempt, if such an enabled person exists.
pub async fn for_sign_in(store: &Store, name: &str) -> Result<Option<(Person, String)>> {
    #[derive(sqlx::FromRow)]
    struct Row {
        #[sqlx(flatten)]
        person: PersonRow,
        password_hash: String,
    }
    let row: Option<Row> = sqlx::query_as(
        "SELECT id, name, role, created_at, disabled_at, password_hash FROM people \
         WHERE name = ? AND disabled_at IS NULL",
    )
    .bind(name)
    .fetch_optional(&store.pool)
    .await?;
    row.map(|r| Ok((r.person.try_into()?, r.password_hash)))
        .transpose()
}

pub async fn password_hash(store: &Store, id: PersonId) -> Result<String> {
    let hash: Option<String> = sqlx::query_scalar("SELECT password_hash FROM people WHERE id = ?")
        .bind(id.get())
        .fetch_optional(&store.pool)
        .await?;
    Ok(hash.ok_or_else(|| AppError::not_found("person"))?)
}

pub async fn set_password(tx: &mut Tx, id: PersonId, hash: &str) -> Result<()> {
    sqlx::query("UPDATE people SET password_hash = ? WHERE id = ?")
        .bind(hash)
        .bind(id.get())
        .execute(&mut **tx)
        .await?;
    Ok(())
}

pub async fn set_role(tx: &mut Tx, id: PersonId, role: Role) -> Result<()> {
    sqlx::query("UPDATE people SET role = ? WHERE id = ?")
        .bind(role.as_str())
        .bind(id.get())
        .execute(&mut **tx)
        .await?;
    Ok(())
}

pub async fn set_disabled(tx: &mut Tx, id: PersonId, at: Option<DateTime<Utc>>) -> Result<()> {
    sqlx::query("UPDATE people SET disabled_at = ? WHERE id = ?")
        .bind(at)
        .bind(id.get())
        .execute(&mut **tx)
        .await?;
    Ok(())
}

/// How many enabled admins there are (the last one may not be demoted or disabled).
pub async fn admins(conn: &mut SqliteConnection) -> Result<i64> {
    Ok(sqlx::query_scalar(
        "SELECT count(*) FROM people WHERE role = 'admin' AND disabled_at IS NULL",
    )
    .fetch_one(&mut *conn)
    .await?)
}
