//! A row's columns and their values, written once and used for INSERT and UPDATE alike.
//!
//! Each value is bound in the same call that names its column, so a column list and its bind
//! order cannot drift apart (they were two lists kept in step by position before).

use sqlx::sqlite::SqliteArguments;
use sqlx::{Arguments, Encode, Sqlite, SqliteConnection, Type};

use crate::error::Result;

/// Column names with their bound values, in one list.
#[derive(Default)]
pub struct Columns<'q> {
    names: Vec<&'static str>,
    args: SqliteArguments<'q>,
    /// The first value that could not be encoded; reported when the statement runs.
    failed: Option<sqlx::error::BoxDynError>,
}

impl<'q> Columns<'q> {
    pub fn new() -> Self {
        Self::default()
    }

    /// Adds `column = value`.
    pub fn set<T>(mut self, column: &'static str, value: T) -> Self
    where
        T: 'q + Encode<'q, Sqlite> + Type<Sqlite>,
    {
        self.names.push(column);
        if let Err(e) = self.args.add(value)
            && self.failed.is_none()
        {
            self.failed = Some(e);
        }
        self
    }

    fn arguments(self) -> Result<SqliteArguments<'q>> {
        match self.failed {
            Some(e) => Err(sqlx::Error::Encode(e).into()),
            None => Ok(self.args),
        }
    }

    /// `INSERT INTO table (…) VALUES (…)`; returns the new row's id.
    pub async fn insert(self, conn: &mut SqliteConnection, table: &str) -> Result<i64> {
        let sql = format!(
            "INSERT INTO {table} ({}) VALUES ({}) RETURNING id",
            self.names.join(", "),
            vec!["?"; self.names.len()].join(", ")
        );
        Ok(sqlx::query_scalar_with(&sql, self.arguments()?)
            .fetch_one(conn)
            .await?)
    }

    /// `UPDATE table SET … WHERE id = ?`; returns how many rows changed (0: no such row).
    pub async fn update(
        mut self,
        conn: &mut SqliteConnection,
        table: &str,
        id: i64,
    ) -> Result<u64> {
        let sets: Vec<String> = self.names.iter().map(|c| format!("{c} = ?")).collect();
        let sql = format!("UPDATE {table} SET {} WHERE id = ?", sets.join(", "));
        self = self.set("id", id);
        let done = sqlx::query_with(&sql, self.arguments()?)
            .execute(conn)
            .await?;
        Ok(done.rows_affected())
    }
}
