//! Alert webhooks written together: group commit.
//!
//! Every write in hoego takes its turn ([`Store::turn`]) and one SQLite transaction. Under an
//! alert storm that made the turn the bottleneck: each 50-alert webhook paid for its own
//! `BEGIN`, `COMMIT` and hand-over of the turn, and the senders queued behind each other. So a
//! webhook waits in [`AlertWrites`], and whichever waiting request gets the turn writes its own
//! webhook and every other one waiting (up to [`GROUP_MAX`]) in one transaction, each inside
//! a savepoint so that one that fails leaves the others whole, and answers them all after the
//! commit. A 2xx still means committed; a webhook alone in the queue is written exactly as
//! before.

use std::sync::{Arc, Mutex};

use app::domain::{Actor, AlertSource, Ingested, Webhook};
use app::error::AppError;
use chrono::{DateTime, Utc};
use tokio::sync::oneshot;

use crate::backend::Backend;
use crate::error::Result;
use crate::storage::alerts::Columns;
use crate::storage::{Turn, Tx};

/// Most webhooks written in one transaction: enough for every sender of a storm at once,
/// few enough that the first of them is not kept long.
const GROUP_MAX: usize = 16;

/// A validated webhook waiting to be written, and what the rules read from it.
pub struct Arrived {
    pub by: Actor,
    pub source: AlertSource,
    pub webhook: Webhook,
    /// One per alert, in order.
    pub columns: Vec<Columns>,
    pub received_at: DateTime<Utc>,
}

struct Waiting {
    work: Arc<Arrived>,
    answer: oneshot::Sender<Result<Ingested, AppError>>,
}

/// The webhooks waiting for a writer, oldest first.
#[derive(Default)]
pub struct AlertWrites {
    waiting: Mutex<Vec<Waiting>>,
}

impl AlertWrites {
    fn push(&self, waiting: Waiting) {
        self.waiting.lock().expect("alert queue lock").push(waiting);
    }

    /// `own` (if it still waits) and the oldest others, at most [`GROUP_MAX`] in all. The
    /// writer's own webhook always comes along, so its request never waits on a later writer.
    fn take(&self, own: &Arc<Arrived>) -> Vec<Waiting> {
        let mut waiting = self.waiting.lock().expect("alert queue lock");
        let mut group = Vec::new();
        if let Some(at) = waiting.iter().position(|w| Arc::ptr_eq(&w.work, own)) {
            group.push(waiting.remove(at));
        }
        let more = (GROUP_MAX - group.len()).min(waiting.len());
        group.extend(waiting.drain(..more));
        group
    }

    /// Takes `work` out of the queue; false if a writer took it already.
    fn withdraw(&self, work: &Arc<Arrived>) -> bool {
        let mut waiting = self.waiting.lock().expect("alert queue lock");
        let at = waiting.iter().position(|w| Arc::ptr_eq(&w.work, work));
        at.map(|at| waiting.remove(at)).is_some()
    }
}

impl Backend {
    /// Writes `work` (alone or with others) and returns what it did once committed.
    pub(super) async fn write_together(&self, work: Arc<Arrived>) -> Result<Ingested, AppError> {
        loop {
            let (answer, mut answered) = oneshot::channel();
            self.alert_writes.push(Waiting {
                work: work.clone(),
                answer,
            });
            let turn = tokio::select! {
                biased;
                done = &mut answered => match done {
                    Ok(out) => return out,
                    // The request that took it was cancelled (its client went away) before it
                    // committed: nothing of it was written; queue it again.
                    Err(_) => continue,
                },
                turn = self.store.turn() => turn,
            };
            match turn {
                Ok(turn) => self.write_waiting(turn, &work).await,
                Err(e) if self.alert_writes.withdraw(&work) => return Err(e.into()),
                // Busy, but a writer has it: its answer is coming.
                Err(_) => {}
            }
            match answered.await {
                Ok(out) => return out,
                Err(_) => continue,
            }
        }
    }

    /// In `turn`: writes `own` and the webhooks waiting beside it in one transaction, then
    /// answers each.
    async fn write_waiting(&self, turn: Turn, own: &Arc<Arrived>) {
        let group = self.alert_writes.take(own);
        if group.is_empty() {
            return;
        }
        let outcome = match self.store.begin_in(turn).await {
            Ok(mut tx) => match self.write_group(&mut tx, &group).await {
                Ok(each) => self.commit(tx).await.map(|()| each),
                Err(e) => Err(e.into()),
            },
            Err(e) => Err(e.into()),
        };
        match outcome {
            Ok(each) => {
                for (w, out) in group.into_iter().zip(each) {
                    let _ = w.answer.send(out);
                }
            }
            Err(e) => {
                for w in group {
                    let _ = w.answer.send(Err(e.clone()));
                }
            }
        }
    }

    /// Each webhook of `group` in its own savepoint (none when it is alone): what each did, or
    /// why it was refused. An error here (the database failing) fails the whole group.
    async fn write_group(
        &self,
        tx: &mut Tx,
        group: &[Waiting],
    ) -> Result<Vec<Result<Ingested, AppError>>> {
        if let [alone] = group {
            return Ok(vec![Ok(self.ingest_in(tx, &alone.work).await?)]);
        }
        let mut each = Vec::with_capacity(group.len());
        for w in group {
            let savepoint = tx.savepoint().await?;
            match self.ingest_in(tx, &w.work).await {
                Ok(out) => {
                    tx.release(savepoint).await?;
                    each.push(Ok(out));
                }
                Err(e) => {
                    tx.rollback_to(savepoint).await?;
                    each.push(Err(e.into()));
                }
            }
        }
        Ok(each)
    }
}
