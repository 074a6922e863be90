//! 5-Why chains and their ordered steps.

use app::domain::*;
use app::error::AppError;
use sqlx::SqliteConnection;

use super::rows::{self, ChainRow, StepRow};
use super::{Store, incidents};
use crate::error::Result;

pub async fn for_incident(conn: &mut SqliteConnection, incident: i64) -> Result<Vec<FiveWhyChain>> {
    let chains: Vec<ChainRow> = sqlx::query_as(
        "SELECT id, incident_id, problem, root_cause, category FROM five_whys WHERE incident_id = ? ORDER BY id",
    )
    .bind(incident)
    .fetch_all(&mut *conn)
    .await?;
    let steps: Vec<StepRow> = sqlx::query_as(
        "SELECT s.id, s.chain_id, s.why, s.because FROM five_why_steps s JOIN five_whys c ON c.id = s.chain_id \
         WHERE c.incident_id = ? ORDER BY s.chain_id, s.position, s.id",
    )
    .bind(incident)
    .fetch_all(&mut *conn)
    .await?;
    rows::chains(chains, steps)
}

async fn fetch(conn: &mut SqliteConnection, incident: i64, id: i64) -> Result<FiveWhyChain> {
    for_incident(conn, incident)
        .await?
        .into_iter()
        .find(|c| c.id == id)
        .ok_or_else(|| AppError::not_found("5-Why chain").into())
}

/// Makes the chain's steps exactly `steps`, in order. Steps with an id keep it (it must be one
/// of this chain's); the others are inserted; stored steps not listed are deleted, and action
/// items that addressed them lose the link.
async fn write_steps(
    conn: &mut SqliteConnection,
    chain: &FiveWhyChain,
    steps: &[StepInput],
) -> Result<()> {
    for (i, s) in steps.iter().enumerate() {
        if let Some(id) = s.id
            && !chain.steps.iter().any(|old| old.id == id)
        {
            return Err(Invalid::new(format!("steps[{i}].id"), Problem::NotInIncident).into());
        }
    }
    for old in &chain.steps {
        if !steps.iter().any(|s| s.id == Some(old.id)) {
            sqlx::query("DELETE FROM five_why_steps WHERE id = ?")
                .bind(old.id)
                .execute(&mut *conn)
                .await?;
        }
    }
    for (position, s) in steps.iter().enumerate() {
        let q = match s.id {
            Some(id) => sqlx::query(
                "UPDATE five_why_steps SET position = ?, why = ?, because = ? WHERE id = ?",
            )
            .bind(position as i64)
            .bind(&s.why)
            .bind(&s.because)
            .bind(id),
            None => sqlx::query(
                "INSERT INTO five_why_steps (position, why, because, chain_id) VALUES (?, ?, ?, ?)",
            )
            .bind(position as i64)
            .bind(&s.why)
            .bind(&s.because)
            .bind(chain.id),
        };
        q.execute(&mut *conn).await?;
    }
    Ok(())
}

/// Inserts a validated chain with its steps (any step ids in `c` are ignored: a new chain has
/// no steps to keep); returns the chain id.
pub async fn insert(conn: &mut SqliteConnection, incident: i64, c: &ChainInput) -> Result<i64> {
    let id: i64 = sqlx::query_scalar(
        "INSERT INTO five_whys (incident_id, problem, root_cause, category) VALUES (?, ?, ?, ?) RETURNING id",
    )
    .bind(incident)
    .bind(&c.problem)
    .bind(&c.root_cause)
    .bind(c.category.as_str())
    .fetch_one(&mut *conn)
    .await?;
    let fresh: Vec<StepInput> = c
        .steps
        .iter()
        .map(|s| StepInput {
            id: None,
            ..s.clone()
        })
        .collect();
    let empty = FiveWhyChain {
        id,
        incident_id: incident,
        problem: String::new(),
        steps: vec![],
        root_cause: String::new(),
        category: c.category,
    };
    write_steps(conn, &empty, &fresh).await?;
    Ok(id)
}

/// The ids of a chain's steps, in order.
pub async fn step_ids(conn: &mut SqliteConnection, chain: i64) -> Result<Vec<i64>> {
    Ok(
        sqlx::query_scalar(
            "SELECT id FROM five_why_steps WHERE chain_id = ? ORDER BY position, id",
        )
        .bind(chain)
        .fetch_all(&mut *conn)
        .await?,
    )
}

#[tracing::instrument(skip(store, c))]
pub async fn add(store: &Store, incident: i64, c: ChainInput) -> Result<FiveWhyChain> {
    let c = c.validated()?;
    let mut tx = store.pool.begin_with("BEGIN IMMEDIATE").await?;
    incidents::touch(&mut tx, incident).await?;
    let id = insert(&mut tx, incident, &c).await?;
    let chain = fetch(&mut tx, incident, id).await?;
    tx.commit().await?;
    Ok(chain)
}

#[tracing::instrument(skip(store, p))]
pub async fn update(store: &Store, incident: i64, id: i64, p: ChainPatch) -> Result<FiveWhyChain> {
    let mut tx = store.pool.begin_with("BEGIN IMMEDIATE").await?;
    let current = fetch(&mut tx, incident, id).await?;
    let c = p.apply(&current).validated()?;
    sqlx::query("UPDATE five_whys SET problem = ?, root_cause = ?, category = ? WHERE id = ?")
        .bind(&c.problem)
        .bind(&c.root_cause)
        .bind(c.category.as_str())
        .bind(id)
        .execute(&mut *tx)
        .await?;
    write_steps(&mut tx, &current, &c.steps).await?;
    incidents::touch(&mut tx, incident).await?;
    let chain = fetch(&mut tx, incident, id).await?;
    tx.commit().await?;
    Ok(chain)
}

#[tracing::instrument(skip(store))]
pub async fn delete(store: &Store, incident: i64, id: i64) -> Result<()> {
    let done = sqlx::query("DELETE FROM five_whys WHERE incident_id = ? AND id = ?")
        .bind(incident)
        .bind(id)
        .execute(&store.pool)
        .await?;
    if done.rows_affected() == 0 {
        return Err(AppError::not_found("5-Why chain").into());
    }
    Ok(())
}
