//! 5-Why chains and their ordered steps.

use app::domain::*;
use app::error::AppError;
use sqlx::SqliteConnection;

use super::Tx;
use super::columns::Columns;
use super::rows::{self, ChainRow, StepRow};
use crate::error::Result;

/// The columns a chain is written to (its steps are rows of their own).
fn columns(c: &ChainInput) -> Columns<'_> {
    Columns::new()
        .set("problem", c.problem.as_str())
        .set("root_cause", c.root_cause.as_str())
        .set("category", c.category.as_str())
}

/// The chain with its steps in order, or `NotFound` unless it belongs to `incident`.
pub async fn fetch(
    conn: &mut SqliteConnection,
    incident: IncidentId,
    id: ChainId,
) -> Result<FiveWhyChain> {
    let chains: Vec<ChainRow> = sqlx::query_as(
        "SELECT id, incident_id, problem, root_cause, category, version FROM five_whys WHERE incident_id = ? AND id = ?",
    )
    .bind(incident.get())
    .bind(id.get())
    .fetch_all(&mut *conn)
    .await?;
    let steps: Vec<StepRow> = sqlx::query_as(
        "SELECT id, chain_id, why, because FROM five_why_steps WHERE chain_id = ? ORDER BY position, id",
    )
    .bind(id.get())
    .fetch_all(&mut *conn)
    .await?;
    rows::chains(chains, steps)?
        .pop()
        .ok_or_else(|| AppError::not_found("5-Why chain").into())
}

/// Makes the chain's steps exactly `steps`, in order. Steps with an id keep it (it must be one
/// of `current`'s); the others are inserted; stored steps not listed are deleted, and action
/// items that addressed them lose the link.
async fn write_steps(
    conn: &mut SqliteConnection,
    chain: ChainId,
    current: &[WhyStep],
    steps: &[StepInput],
) -> Result<()> {
    for (i, s) in steps.iter().enumerate() {
        if let Some(id) = s.id
            && !current.iter().any(|old| old.id == id)
        {
            return Err(Invalid::new(format!("steps[{i}].id"), Problem::NotInIncident).into());
        }
    }
    for old in current {
        if !steps.iter().any(|s| s.id == Some(old.id)) {
            unlinking(conn, "five_why_step_id = ?", old.id.get()).await?;
            sqlx::query("DELETE FROM five_why_steps WHERE id = ?")
                .bind(old.id.get())
                .execute(&mut *conn)
                .await?;
        }
    }
    for (position, s) in steps.iter().enumerate() {
        let step = Columns::new()
            .set("position", position as i64)
            .set("why", s.why.as_str())
            .set("because", s.because.as_str());
        match s.id {
            Some(id) => {
                step.update(conn, "five_why_steps", id.get()).await?;
            }
            None => {
                step.set("chain_id", chain.get())
                    .insert(conn, "five_why_steps")
                    .await?;
            }
        }
    }
    Ok(())
}

/// Inserts a validated chain with its steps (any step ids in `c` are ignored: a new chain has
/// no steps to keep).
pub async fn insert(tx: &mut Tx, incident: IncidentId, c: &ChainInput) -> Result<ChainId> {
    let id = ChainId::from(
        columns(c)
            .set("incident_id", incident.get())
            .insert(tx, "five_whys")
            .await?,
    );
    let fresh: Vec<StepInput> = c
        .steps
        .iter()
        .map(|s| StepInput {
            id: None,
            ..s.clone()
        })
        .collect();
    write_steps(tx, id, &[], &fresh).await?;
    tx.changed(incident);
    Ok(id)
}

/// Overwrites a validated chain; `current` is the chain as stored.
pub async fn write(tx: &mut Tx, current: &FiveWhyChain, c: &ChainInput) -> Result<()> {
    columns(c).update(tx, "five_whys", current.id.get()).await?;
    write_steps(tx, current.id, &current.steps, &c.steps).await?;
    tx.changed(current.incident_id);
    Ok(())
}

/// The ids of a chain's steps, in order.
pub async fn step_ids(conn: &mut SqliteConnection, chain: ChainId) -> Result<Vec<StepId>> {
    let ids: Vec<i64> = sqlx::query_scalar(
        "SELECT id FROM five_why_steps WHERE chain_id = ? ORDER BY position, id",
    )
    .bind(chain.get())
    .fetch_all(&mut *conn)
    .await?;
    Ok(ids.into_iter().map(StepId::from).collect())
}

/// Action items addressing the steps `condition` selects (with `id` bound) are about to lose
/// that link (the foreign key sets it to NULL): each gets a new version, so an edit based on
/// the linked version is refused instead of putting the link back unseen.
async fn unlinking(conn: &mut SqliteConnection, condition: &str, id: i64) -> Result<()> {
    sqlx::query(&format!(
        "UPDATE action_items SET version = version + 1 WHERE five_why_step_id IN \
         (SELECT id FROM five_why_steps WHERE {condition})"
    ))
    .bind(id)
    .execute(&mut *conn)
    .await?;
    Ok(())
}

pub async fn delete(tx: &mut Tx, incident: IncidentId, id: ChainId) -> Result<()> {
    unlinking(tx, "chain_id = ?", id.get()).await?;
    let done = sqlx::query("DELETE FROM five_whys WHERE incident_id = ? AND id = ?")
        .bind(incident.get())
        .bind(id.get())
        .execute(&mut **tx)
        .await?;
    if done.rows_affected() == 0 {
        return Err(AppError::not_found("5-Why chain").into());
    }
    tx.changed(incident);
    Ok(())
}
