//! The outbox: how an issued coupon gets from Redis to MySQL without being lost.
//!
//! The issue script writes each coupon it issues to its event's outbox (a Redis stream,
//! [`crate::redis::outbox_key`]) in the same atomic step that takes it from the stock, so a
//! coupon exists in the outbox exactly when it exists in the issued set, whatever happens to the
//! request or the process afterwards. From there:
//!
//! - the [`relay`] reads the outboxes and hands the coupons to the producer;
//! - the broker's acknowledgement comes back as an [`Outcome`], and only then does the [`acker`]
//!   delete the entry from the outbox. A crash in between leaves the entry, which is sent again
//!   after the restart: the consumer's `INSERT IGNORE` keeps one row per user, so a coupon sent
//!   twice is stored once;
//! - a coupon the broker could not take for now (restarting, or not listing the topic yet:
//!   librdkafka reports some of those as failures) comes back to the relay, which hands it over
//!   again ([`crate::pipeline::Retry`]);
//! - a coupon the broker refuses for good ([`crate::pipeline::refused_for_good`]: too large,
//!   malformed, not allowed), or an entry that cannot be read, goes to the `dead_letters` table and is counted (`coupon_dead_letters_total`, alert
//!   `CouponDeadLetters`) instead of being retried forever;
//! - at start, [`reconcile`] compares each event's issued set with MySQL and puts back in the
//!   outbox every coupon MySQL lacks and no outbox holds (coupons issued before the outbox
//!   existed, or an outbox lost with a Redis that kept no append-only file).
//!
//! The outbox is also the backpressure: once an event's outbox holds `producer_queue` coupons,
//! the script refuses to issue more (503 with `Retry-After`) until the broker catches up.

use std::collections::{BTreeMap, HashMap, HashSet, VecDeque};
use std::sync::Arc;
use std::time::{Duration, Instant};

use redis::streams::StreamId;
use tokio::sync::mpsc::{UnboundedReceiver, UnboundedSender};

use crate::db::{Db, IssuedCoupon};
use crate::error::{Dependency, Error};
use crate::faults::Faults;
use crate::metrics::Metrics;
use crate::pipeline::{Producer, Retry, refused_for_good};
use crate::redis::Redis;

/// Where a coupon waits: its event's outbox and the entry's id there.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Entry {
    pub event: u64,
    pub id: String,
}

/// What became of an entry handed to the producer (or refused before it).
#[derive(Debug)]
pub enum Outcome {
    /// The broker has it: the entry can go.
    Delivered(Entry),
    /// It can never be delivered: it goes to the dead letters, then out of the outbox.
    Failed {
        entry: Entry,
        payload: String,
        error: String,
    },
}

pub type Outcomes = UnboundedSender<Outcome>;

/// How often the relay looks for new events and measures the outboxes.
const REFRESH: Duration = Duration::from_secs(1);
/// How long the relay waits before reading again when it found nothing to send.
const IDLE: Duration = Duration::from_millis(5);
/// Most entries read in one go.
const READ_BATCH: usize = 1000;

/// Reads every event's outbox from where it last stopped (from the start after a restart) and
/// hands the coupons to the producer, never more than the producer's free room.
pub async fn relay(
    redis: Arc<Redis>,
    producer: Arc<Producer>,
    faults: Arc<Faults>,
    metrics: Arc<Metrics>,
    outcomes: Outcomes,
    mut retries: UnboundedReceiver<Retry>,
) {
    let mut cursors: BTreeMap<u64, String> = BTreeMap::new();
    let mut refreshed: Option<Instant> = None;
    let mut backoff = Backoff::default();
    let mut pass = 0usize;
    // Coupons the broker could not take for now, in the order they came back: once their
    // time has come they go out again before anything newer is read.
    let mut again: VecDeque<Retry> = VecDeque::new();
    loop {
        if refreshed.is_none_or(|at| at.elapsed() >= REFRESH) {
            match refresh(&redis, &mut cursors, &metrics).await {
                Ok(()) => refreshed = Some(Instant::now()),
                Err(e) => tracing::warn!(error = %e, "outbox relay: could not list the events"),
            }
        }
        while let Ok(retry) = retries.try_recv() {
            again.push_back(retry);
        }
        hand_over_again(&producer, &outcomes, &mut again);
        let room = producer.room().min(READ_BATCH);
        if room == 0 || cursors.is_empty() {
            tokio::time::sleep(IDLE).await;
            continue;
        }
        let mut read = match redis.read_outboxes(&cursors, room).await {
            Ok(read) => read,
            Err(e) => {
                tracing::debug!(error = %e, "outbox relay: reading failed; retrying");
                backoff.wait().await;
                continue;
            }
        };
        backoff.reset();
        if read.is_empty() {
            tokio::time::sleep(IDLE).await;
            continue;
        }
        // Each pass starts with another event: when the producer fills up partway, the events
        // after that point wait one pass, never always the same ones.
        pass = pass.wrapping_add(1);
        let first = pass % read.len();
        read.rotate_left(first);
        // Injected producer latency delays the hand-over and counts as send time, as a broker
        // slow to acknowledge would.
        let handed_at = Instant::now();
        if faults.before(Dependency::Broker).await.is_err() {
            continue;
        }
        'events: for (event, entries) in read {
            for raw in entries {
                let entry = Entry {
                    event,
                    id: raw.id.clone(),
                };
                match coupon_of(event, &raw) {
                    Ok(coupon) => match producer.publish(&coupon, handed_at, entry.clone()) {
                        Ok(()) => {}
                        // Read again from here once the producer has room.
                        Err(Error::Saturated(_)) => break 'events,
                        Err(Error::Broker(e)) if !refused_for_good(&e) => again.push_back(Retry {
                            not_before: Instant::now() + IDLE,
                            entry,
                            coupon,
                        }),
                        Err(e) => fail(&outcomes, entry, describe(&raw), e.to_string()),
                    },
                    Err(why) => fail(&outcomes, entry, describe(&raw), why),
                }
                cursors.insert(event, raw.id);
            }
        }
    }
}

/// Hands over again the coupons whose time has come, oldest first, until the producer is
/// full; those it refuses for good go to the dead letters.
fn hand_over_again(producer: &Producer, outcomes: &Outcomes, again: &mut VecDeque<Retry>) {
    while let Some(mut retry) = again.pop_front() {
        if retry.not_before > Instant::now() {
            again.push_front(retry);
            return;
        }
        let wait = match producer.publish(&retry.coupon, Instant::now(), retry.entry.clone()) {
            Ok(()) => continue,
            Err(Error::Saturated(_)) => IDLE,
            Err(Error::Broker(e)) if !refused_for_good(&e) => IDLE * 20,
            Err(e) => {
                let payload = serde_json::to_string(&retry.coupon).unwrap_or_default();
                fail(outcomes, retry.entry, payload, e.to_string());
                continue;
            }
        };
        retry.not_before = Instant::now() + wait;
        again.push_front(retry);
        return;
    }
}

/// Learns events created since the last look (by this process or another) and measures how
/// many coupons wait in the outboxes.
async fn refresh(
    redis: &Redis,
    cursors: &mut BTreeMap<u64, String>,
    metrics: &Metrics,
) -> crate::error::Result<()> {
    for event in redis.events().await? {
        cursors.entry(event).or_insert_with(|| "0".to_owned());
    }
    let events: Vec<u64> = cursors.keys().copied().collect();
    metrics
        .outbox_backlog
        .set(redis.outbox_len(&events).await? as i64);
    Ok(())
}

fn fail(outcomes: &Outcomes, entry: Entry, payload: String, error: String) {
    let _ = outcomes.send(Outcome::Failed {
        entry,
        payload,
        error,
    });
}

/// The coupon an outbox entry holds (fields `user`, `seq`, `at`, as the issue script writes
/// them), or why it cannot be read.
pub fn coupon_of(event: u64, entry: &StreamId) -> Result<IssuedCoupon, String> {
    let field = |name: &str| -> Result<String, String> {
        let value = entry
            .map
            .get(name)
            .ok_or_else(|| format!("outbox entry without {name}"))?;
        redis::from_redis_value_ref::<String>(value)
            .map_err(|_| format!("outbox entry whose {name} is not text"))
    };
    let user = field("user")?;
    if crate::issue::valid_user_id(&user).map(str::len) != Ok(user.len()) {
        return Err(format!("outbox entry with an invalid user id {user:?}"));
    }
    let number = |name: &str| -> Result<i64, String> {
        field(name)?
            .parse()
            .map_err(|_| format!("outbox entry whose {name} is not a number"))
    };
    Ok(IssuedCoupon {
        event_id: event,
        user_id: user,
        seq: number("seq")?.max(0) as u64,
        issued_at_ms: number("at")?,
    })
}

/// An entry's fields as text, for the dead letters.
fn describe(entry: &StreamId) -> String {
    let mut fields: Vec<_> = entry.map.iter().collect();
    fields.sort_by(|a, b| a.0.cmp(b.0));
    let fields: serde_json::Map<String, serde_json::Value> = fields
        .into_iter()
        .map(|(k, v)| {
            let text =
                redis::from_redis_value_ref::<String>(v).unwrap_or_else(|_| format!("{v:?}"));
            (k.clone(), serde_json::Value::String(text))
        })
        .collect();
    serde_json::Value::Object(fields).to_string()
}

/// Deletes acknowledged entries from their outboxes, in batches, and hands what failed for good
/// to [`dead_letters`] on a task of its own, so that a MySQL outage holding a dead letter never
/// holds the deletions (and with them issuing). It waits out a Redis outage and loses nothing:
/// an entry stays in its outbox until this is done with it.
pub async fn acker(
    mut outcomes: UnboundedReceiver<Outcome>,
    redis: Arc<Redis>,
    db: Arc<Db>,
    metrics: Arc<Metrics>,
) {
    let mut batch = Vec::new();
    while outcomes.recv_many(&mut batch, 4 * READ_BATCH).await > 0 {
        let mut done: HashMap<u64, Vec<String>> = HashMap::new();
        let mut failed = Vec::new();
        for outcome in batch.drain(..) {
            match outcome {
                Outcome::Delivered(entry) => done.entry(entry.event).or_default().push(entry.id),
                failure @ Outcome::Failed { .. } => failed.push(failure),
            }
        }
        remove(&redis, &done).await;
        if !failed.is_empty() {
            tokio::spawn(dead_letters(
                failed,
                redis.clone(),
                db.clone(),
                metrics.clone(),
            ));
        }
    }
}

/// Deletes entries from their outboxes, retrying until Redis takes it.
async fn remove(redis: &Redis, done: &HashMap<u64, Vec<String>>) {
    let mut backoff = Backoff::default();
    while let Err(e) = redis.remove_from_outboxes(done).await {
        tracing::warn!(error = %e, "deleting outbox entries failed; retrying");
        backoff.wait().await;
    }
}

/// Stores each failed coupon in the dead letters (retrying while MySQL is away), then deletes
/// its entry from the outbox.
async fn dead_letters(failed: Vec<Outcome>, redis: Arc<Redis>, db: Arc<Db>, metrics: Arc<Metrics>) {
    let mut done: HashMap<u64, Vec<String>> = HashMap::new();
    for outcome in failed {
        let Outcome::Failed {
            entry,
            payload,
            error,
        } = outcome
        else {
            continue;
        };
        tracing::error!(event = entry.event, entry = entry.id, %error, payload, "coupon sent to the dead letters");
        let mut backoff = Backoff::default();
        while let Err(e) = db.dead_letter(&entry, &payload, &error).await {
            tracing::warn!(error = %e, "storing a dead letter failed; retrying");
            backoff.wait().await;
        }
        metrics.dead_letters.inc();
        done.entry(entry.event).or_default().push(entry.id);
    }
    remove(&redis, &done).await;
}

/// Puts back in the outbox every coupon Redis issued that MySQL does not hold and no outbox
/// holds; returns how many. Runs once at start (retried until it gets through); it also
/// registers every event MySQL knows with the relay.
///
/// A coupon on its way (in the broker, not yet in MySQL) may be put back too: it is then
/// stored once, like any coupon sent twice.
pub async fn reconcile(redis: &Redis, db: &Db) -> crate::error::Result<u64> {
    const PAGE: usize = 1000;
    let events = db.event_ids().await?;
    redis.register_events(&events).await?;
    let mut republished = 0;
    for event in events {
        let waiting = redis.outbox_users(event).await?;
        let mut cursor = 0;
        loop {
            let (next, users) = redis.issued_page(event, cursor, PAGE).await?;
            let stored = db.stored_users(event, &users).await?;
            let missing: Vec<&str> = users
                .iter()
                .map(String::as_str)
                .filter(|u| !stored.contains(*u) && !waiting.contains(*u))
                .collect();
            if !missing.is_empty() {
                redis.put_back(event, &missing).await?;
                republished += missing.len() as u64;
            }
            if next == 0 {
                break;
            }
            cursor = next;
        }
    }
    Ok(republished)
}

/// [`reconcile`] until it gets through (Redis or MySQL may not be up yet).
pub async fn reconcile_at_start(redis: Arc<Redis>, db: Arc<Db>, metrics: Arc<Metrics>) {
    let mut backoff = Backoff::default();
    loop {
        match reconcile(&redis, &db).await {
            Ok(n) => {
                metrics.reconciled.inc_by(n);
                if n > 0 {
                    tracing::warn!(
                        coupons = n,
                        "issued coupons missing from MySQL were put back in the outbox"
                    );
                } else {
                    tracing::info!("MySQL holds every coupon Redis issued, or it is on its way");
                }
                return;
            }
            Err(e) => {
                tracing::warn!(error = %e, "reconciling Redis with MySQL failed; retrying");
                backoff.wait().await;
            }
        }
    }
}

/// Waits 50 ms after the first failure, doubling up to 2 s.
#[derive(Default)]
struct Backoff(Option<Duration>);

impl Backoff {
    async fn wait(&mut self) {
        let wait = self.0.map_or(Duration::from_millis(50), |w| {
            (w * 2).min(Duration::from_secs(2))
        });
        self.0 = Some(wait);
        tokio::time::sleep(wait).await;
    }

    fn reset(&mut self) {
        self.0 = None;
    }
}

/// The users waiting in an outbox (entries that cannot be read are left to the relay).
pub fn users_in(entries: &[StreamId]) -> HashSet<String> {
    entries
        .iter()
        .filter_map(|e| coupon_of(0, e).ok().map(|c| c.user_id))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use redis::Value;

    fn entry(fields: &[(&str, &str)]) -> StreamId {
        StreamId {
            id: "1-0".into(),
            map: fields
                .iter()
                .map(|(k, v)| (k.to_string(), Value::BulkString(v.as_bytes().to_vec())))
                .collect(),
            ..Default::default()
        }
    }

    #[test]
    fn entries_are_read_as_the_issue_script_writes_them() {
        let c = coupon_of(
            7,
            &entry(&[("user", "김"), ("seq", "3"), ("at", "1700000000000")]),
        )
        .unwrap();
        assert_eq!(
            c,
            IssuedCoupon {
                event_id: 7,
                user_id: "김".into(),
                seq: 3,
                issued_at_ms: 1_700_000_000_000
            }
        );
        for (fields, why) in [
            (vec![("seq", "3"), ("at", "1")], "outbox entry without user"),
            (
                vec![("user", "kim"), ("seq", "x"), ("at", "1")],
                "outbox entry whose seq is not a number",
            ),
            (
                vec![("user", " kim"), ("seq", "1"), ("at", "1")],
                "outbox entry with an invalid user id \" kim\"",
            ),
        ] {
            assert_eq!(coupon_of(7, &entry(&fields)).unwrap_err(), why);
        }
        assert_eq!(
            describe(&entry(&[("junk", "1"), ("a", "b")])),
            r#"{"a":"b","junk":"1"}"#
        );
    }
}
