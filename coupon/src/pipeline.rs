//! The seed's pipeline: an issued coupon is published to the `coupon-issue` topic, and a
//! consumer persists it to MySQL idempotently.
//!
//! The producer takes coupons from the outbox relay ([`crate::outbox`]) and never gives up on
//! one: messages wait in its queue (no delivery timeout) while the broker is away, and one
//! librdkafka fails all the same for a passing reason goes back to the relay to be handed over
//! again. Each delivery's outcome goes back to the outbox, which deletes the coupon's entry
//! only once the broker has it. The relay hands over no more than `producer_queue` coupons at a time.
//! The consumer stores an offset only after its batch is in MySQL (at least once), and the
//! table's primary key turns redelivery into a no-op (so, effectively once).

use std::collections::HashMap;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use prometheus::{Histogram, IntCounter, IntGauge};
use rdkafka::admin::{AdminClient, AdminOptions, NewTopic, TopicReplication};
use rdkafka::client::DefaultClientContext;
use rdkafka::config::ClientConfig;
use rdkafka::consumer::{Consumer, StreamConsumer};
use rdkafka::error::{KafkaError, RDKafkaErrorCode};
use rdkafka::message::Message;
use rdkafka::producer::{
    BaseRecord, DeliveryResult, Producer as _, ProducerContext, PurgeConfig, ThreadedProducer,
};
use rdkafka::{ClientContext, Offset, TopicPartitionList};

use crate::config::ServeConfig;
use crate::db::{Db, IssuedCoupon};
use crate::error::{Dependency, Error, Result};
use crate::metrics::Metrics;
use crate::outbox::{Entry, Outcome, Outcomes};
use tokio::sync::mpsc::UnboundedSender;

pub const TOPIC: &str = "coupon-issue";
pub const GROUP: &str = "coupon-persister";
/// Deliveries slower than this are logged: the seed's producer-latency alert threshold.
const SLOW_DELIVERY: Duration = Duration::from_millis(100);

/// Creates `coupon-issue` with `partitions` partitions unless it exists.
pub async fn ensure_topic(broker: &str, partitions: i32, timeout: Duration) -> Result<()> {
    let admin: AdminClient<DefaultClientContext> = ClientConfig::new()
        .set("bootstrap.servers", broker)
        .create()?;
    let topic = NewTopic::new(TOPIC, partitions, TopicReplication::Fixed(1));
    let options = AdminOptions::new()
        .operation_timeout(Some(timeout))
        .request_timeout(Some(timeout));
    let results = admin.create_topics([&topic], &options).await?;
    for result in results {
        match result {
            Ok(_) | Err((_, RDKafkaErrorCode::TopicAlreadyExists)) => {}
            Err((name, code)) => {
                tracing::error!(topic = name, error = %code, "creating the topic failed");
                return Err(Error::Broker(KafkaError::AdminOp(code)));
            }
        }
    }
    Ok(())
}

/// A coupon handed to the producer: when, where it waits in the outbox, and the coupon (to
/// hand it over again if the broker could not take it for now).
pub struct Handed {
    at: Instant,
    entry: Entry,
    coupon: IssuedCoupon,
}

/// A coupon the broker could not take for now (restarting, or not knowing the topic for a
/// moment): the relay hands it over again from `not_before` on.
pub struct Retry {
    pub not_before: Instant,
    pub entry: Entry,
    pub coupon: IssuedCoupon,
}

pub type Retries = UnboundedSender<Retry>;

/// How long a coupon the broker could not take waits before it is handed over again.
const RETRY_AFTER: Duration = Duration::from_millis(500);

/// Whether the broker refused the message itself, which no retry can change (too large,
/// malformed, not allowed), as opposed to being away, restarting or not knowing the topic or
/// its partitions for a moment. librdkafka gives up on the latter too (after
/// `topic.metadata.propagation.max.ms` for a topic it cannot see, for one): a soak run with a
/// broker restart sent 9,909 coupons to the dead letters before this was asked.
pub fn refused_for_good(e: &KafkaError) -> bool {
    use RDKafkaErrorCode::*;
    let code = match e {
        KafkaError::MessageProduction(code) => code,
        _ => return false,
    };
    matches!(
        code,
        BadMessage
            | InvalidArgument
            | InvalidMessage
            | InvalidMessageSize
            | MessageSizeTooLarge
            | MessageBatchTooLarge
            | InvalidRecord
            | InvalidTopic
            | InvalidRequiredAcks
            | TopicAuthorizationFailed
            | ClusterAuthorizationFailed
            | UnsupportedForMessageFormat
    )
}

/// Counts deliveries and their latency, and reports each outcome to the outbox.
struct Delivery {
    /// Coupons handed over and not yet acknowledged.
    depth: AtomicUsize,
    send: Histogram,
    errors: IntCounter,
    outcomes: Outcomes,
    retries: Retries,
}

impl ClientContext for Delivery {}

impl ProducerContext for Delivery {
    type DeliveryOpaque = Box<Handed>;

    fn delivery(&self, result: &DeliveryResult<'_>, handed: Box<Handed>) {
        let elapsed = handed.at.elapsed();
        self.send.observe(elapsed.as_secs_f64());
        let outcome = match result {
            Ok(m) => {
                if elapsed > SLOW_DELIVERY {
                    tracing::warn!(
                        duration_ms = elapsed.as_millis() as u64,
                        topic = m.topic(),
                        partition = m.partition(),
                        "Kafka producer slow: delivery over 100 ms"
                    );
                }
                Some(Outcome::Delivered(handed.entry))
            }
            // Purged at shutdown: the entry stays in the outbox and is sent after the restart.
            Err((
                KafkaError::MessageProduction(
                    RDKafkaErrorCode::PurgeQueue | RDKafkaErrorCode::PurgeInflight,
                ),
                _,
            )) => None,
            Err((e, m)) if !refused_for_good(e) => {
                self.errors.inc();
                tracing::warn!(
                    duration_ms = elapsed.as_millis() as u64,
                    topic = m.topic(),
                    error = %e,
                    "Kafka producer delivery failed; handing the coupon over again"
                );
                let _ = self.retries.send(Retry {
                    not_before: Instant::now() + RETRY_AFTER,
                    entry: handed.entry,
                    coupon: handed.coupon,
                });
                None
            }
            Err((e, m)) => {
                self.errors.inc();
                tracing::error!(
                    duration_ms = elapsed.as_millis() as u64,
                    topic = m.topic(),
                    partition = m.partition(),
                    error = %e,
                    "Kafka producer delivery failed"
                );
                Some(Outcome::Failed {
                    entry: handed.entry,
                    payload: m
                        .payload()
                        .map(|p| String::from_utf8_lossy(p).into_owned())
                        .unwrap_or_default(),
                    error: e.to_string(),
                })
            }
        };
        if let Some(outcome) = outcome {
            let _ = self.outcomes.send(outcome);
        }
        // Last: once the depth is back to 0, every delivery is counted in the metrics above.
        self.depth.fetch_sub(1, Ordering::Relaxed);
    }
}

pub struct Producer {
    inner: Arc<ThreadedProducer<Delivery>>,
    capacity: usize,
}

impl Producer {
    /// A producer whose deliveries are reported to `outcomes`, and coupons the broker could
    /// not take for now to `retries`.
    pub fn new(
        config: &ServeConfig,
        metrics: &Metrics,
        outcomes: Outcomes,
        retries: Retries,
    ) -> Result<Producer> {
        let context = Delivery {
            depth: AtomicUsize::new(0),
            send: metrics.producer_send.clone(),
            errors: metrics.producer_errors.clone(),
            outcomes,
            retries,
        };
        let inner = ClientConfig::new()
            .set("bootstrap.servers", &config.broker)
            .set("acks", config.acks.as_kafka())
            .set("compression.type", config.compression.as_kafka())
            .set("batch.num.messages", config.batch_size.to_string())
            .set("linger.ms", config.linger_ms.to_string())
            // Never give up on a coupon; the outbox's bound is the limit instead.
            .set("message.timeout.ms", "0")
            .set(
                "queue.buffering.max.messages",
                (config.producer_queue + 1000).to_string(),
            )
            .create_with_context(context)?;
        Ok(Producer {
            inner: Arc::new(inner),
            capacity: config.producer_queue,
        })
    }

    /// Coupons handed over and not yet acknowledged.
    pub fn depth(&self) -> usize {
        self.inner.context().depth.load(Ordering::Relaxed)
    }

    /// How many more coupons may be handed over now.
    pub fn room(&self) -> usize {
        self.capacity.saturating_sub(self.depth())
    }

    /// Hands a coupon from the outbox to the producer. Refused with [`Error::Saturated`] when
    /// the queue is full; otherwise it will be delivered, however long the broker is away,
    /// and its outcome reported. `handed_at` starts the send-latency clock.
    pub fn publish(&self, coupon: &IssuedCoupon, handed_at: Instant, entry: Entry) -> Result<()> {
        let depth = &self.inner.context().depth;
        if depth.fetch_add(1, Ordering::Relaxed) >= self.capacity {
            depth.fetch_sub(1, Ordering::Relaxed);
            return Err(Error::Saturated(Dependency::Broker));
        }
        let payload = serde_json::to_vec(coupon).expect("coupon serializes");
        let key = format!("{}:{}", coupon.event_id, coupon.user_id);
        let handed = Box::new(Handed {
            at: handed_at,
            entry,
            coupon: coupon.clone(),
        });
        let record = BaseRecord::with_opaque_to(TOPIC, handed)
            .key(&key)
            .payload(&payload);
        self.inner.send(record).map_err(|(e, _)| {
            depth.fetch_sub(1, Ordering::Relaxed);
            match e {
                KafkaError::MessageProduction(RDKafkaErrorCode::QueueFull) => {
                    Error::Saturated(Dependency::Broker)
                }
                other => Error::Broker(other),
            }
        })
    }

    /// Asks the broker for the topic's metadata (readiness).
    pub async fn ping(&self, timeout: Duration) -> Result<()> {
        let inner = self.inner.clone();
        let asked = tokio::task::spawn_blocking(move || {
            inner
                .client()
                .fetch_metadata(Some(TOPIC), timeout)
                .map(|_| ())
        });
        match asked.await {
            Ok(result) => Ok(result?),
            Err(_) => Err(Error::Timeout(Dependency::Broker, timeout)),
        }
    }

    /// Drops what is queued (shutdown): those coupons stay in the outbox and are sent after
    /// the restart. Waiting for them instead could take as long as the broker is away.
    pub fn purge(&self) {
        self.inner.purge(PurgeConfig::default().queue().inflight());
    }
}

/// Reads `coupon-issue` and persists coupons in batches until the process stops.
pub struct Persister {
    consumer: Arc<StreamConsumer>,
    db: Arc<Db>,
    persisted: IntCounter,
    lag: IntGauge,
    /// Next offset to persist, per partition: set by the first message received from a
    /// partition (what came before it was persisted earlier, or is gone), and advanced only
    /// once a batch is in MySQL. The lag is counted from it.
    next: std::sync::Mutex<HashMap<i32, i64>>,
}

const BATCH: usize = 500;
const BATCH_WAIT: Duration = Duration::from_millis(5);

impl Persister {
    pub fn new(config: &ServeConfig, db: Arc<Db>, metrics: &Metrics) -> Result<Arc<Persister>> {
        let consumer: StreamConsumer = ClientConfig::new()
            .set("bootstrap.servers", &config.broker)
            // The group keeps the committed offsets only: partitions are assigned below.
            .set("group.id", GROUP)
            .set("auto.offset.reset", "earliest")
            .set("enable.auto.commit", "true")
            .set("auto.commit.interval.ms", "500")
            // Offsets are stored by hand, after the batch is in MySQL.
            .set("enable.auto.offset.store", "false")
            .create()?;
        // Every partition, assigned here rather than by joining the group: a service that was
        // killed never left the group, and its successor would wait for the broker to give up
        // on it (up to the 5-minute rebalance timeout) before it got a partition. Each
        // partition starts at the group's committed offset (or the beginning).
        let metadata = consumer.fetch_metadata(Some(TOPIC), config.broker_timeout())?;
        let mut partitions = TopicPartitionList::new();
        for topic in metadata.topics().iter().filter(|t| t.name() == TOPIC) {
            for p in topic.partitions() {
                partitions.add_partition_offset(TOPIC, p.id(), Offset::Stored)?;
            }
        }
        if partitions.count() == 0 {
            return Err(Error::Broker(KafkaError::MetadataFetch(
                RDKafkaErrorCode::UnknownTopicOrPartition,
            )));
        }
        consumer.assign(&partitions)?;
        Ok(Arc::new(Persister {
            consumer: Arc::new(consumer),
            db,
            persisted: metrics.persisted.clone(),
            lag: metrics.consumer_lag.clone(),
            next: Default::default(),
        }))
    }

    /// The consume → persist → store-offset loop.
    pub async fn run(self: Arc<Self>) {
        loop {
            let batch = self.next_batch().await;
            self.note_received(&batch);
            let coupons: Vec<IssuedCoupon> =
                batch.iter().filter_map(|m| m.coupon.clone()).collect();
            let mut backoff = Duration::from_millis(50);
            // MySQL being away pauses persistence; it never skips a coupon.
            loop {
                match self.db.insert_coupons(&coupons).await {
                    Ok(new) => {
                        self.persisted.inc_by(new);
                        break;
                    }
                    Err(e) => {
                        tracing::warn!(error = %e, batch = coupons.len(), retry_ms = backoff.as_millis() as u64, "persisting coupons failed; retrying");
                        tokio::time::sleep(backoff).await;
                        backoff = (backoff * 2).min(Duration::from_secs(2));
                    }
                }
            }
            self.store_offsets(&batch);
        }
    }

    async fn next_batch(&self) -> Vec<Received> {
        let mut batch = Vec::with_capacity(BATCH);
        loop {
            match self.consumer.recv().await {
                Ok(m) => {
                    batch.push(Received::from(&m));
                    break;
                }
                Err(e) => {
                    tracing::warn!(error = %e, topic = TOPIC, "consumer error");
                    tokio::time::sleep(Duration::from_millis(200)).await;
                }
            }
        }
        let until = tokio::time::Instant::now() + BATCH_WAIT;
        while batch.len() < BATCH {
            match tokio::time::timeout_at(until, self.consumer.recv()).await {
                Ok(Ok(m)) => batch.push(Received::from(&m)),
                Ok(Err(e)) => tracing::warn!(error = %e, topic = TOPIC, "consumer error"),
                Err(_) => break,
            }
        }
        batch
    }

    /// Starts counting from a partition's first received message. Without this, a partition
    /// whose first batch is still on its way into MySQL (a slow or stalled MySQL) had no next
    /// offset, and the lag fell back to the consumer's position, which is already past the
    /// messages received: the lag left out the very batch that was stuck (0 if it held them
    /// all).
    fn note_received(&self, batch: &[Received]) {
        let mut next = self.next.lock().expect("offsets lock");
        for m in batch {
            next.entry(m.partition).or_insert(m.offset);
        }
    }

    fn store_offsets(&self, batch: &[Received]) {
        let mut next = self.next.lock().expect("offsets lock");
        let mut tpl = TopicPartitionList::new();
        for m in batch {
            let n = next.entry(m.partition).or_insert(0);
            *n = (*n).max(m.offset + 1);
        }
        for (&partition, &offset) in next.iter() {
            let _ = tpl.add_partition_offset(TOPIC, partition, Offset::Offset(offset));
        }
        if let Err(e) = self.consumer.store_offsets(&tpl) {
            tracing::warn!(error = %e, "storing consumer offsets failed");
        }
    }

    /// Refreshes the consumer-lag gauge every second: high watermark minus the next offset to
    /// persist, summed over the partitions this consumer holds. It runs beside the consumer,
    /// so it goes on counting while a batch waits on MySQL.
    pub async fn watch_lag(self: Arc<Self>) {
        loop {
            tokio::time::sleep(Duration::from_secs(1)).await;
            let this = self.clone();
            let lag = tokio::task::spawn_blocking(move || this.lag_now()).await;
            if let Ok(Some(lag)) = lag {
                self.lag.set(lag);
            }
        }
    }

    fn lag_now(&self) -> Option<i64> {
        let assignment = self.consumer.assignment().ok()?;
        let positions = self.consumer.position().ok();
        let mut total = 0;
        for element in assignment.elements() {
            let partition = element.partition();
            let (low, queried) = self
                .consumer
                .fetch_watermarks(TOPIC, partition, Duration::from_secs(1))
                .ok()?;
            // Either may be short of the end, never past it: take the larger.
            let high = queried.max(self.fetched_high(partition).unwrap_or(-1));
            let persisted = self
                .next
                .lock()
                .expect("offsets lock")
                .get(&partition)
                .copied();
            // Nothing received from this partition yet: the position is where it starts.
            let fetched = positions
                .as_ref()
                .and_then(|p| p.find_partition(TOPIC, partition))
                .and_then(|e| e.offset().to_raw());
            let next = persisted.or(fetched.filter(|&o| o >= 0)).unwrap_or(low);
            total += (high - next).max(0);
        }
        Some(total)
    }

    /// The partition's high watermark as of the consumer's last fetch response (`None` before
    /// the first). The fetcher goes on fetching while a batch waits on MySQL, so this stays
    /// current. It is needed beside the queried one: tansu (0.6) answers a query for a
    /// partition's end with the first offset of its newest record batch + 1, which leaves out
    /// the rest of that batch, while its fetch responses carry the true end.
    fn fetched_high(&self, partition: i32) -> Option<i64> {
        use rdkafka::bindings::{rd_kafka_get_watermark_offsets, rd_kafka_resp_err_t};
        let topic = std::ffi::CString::new(TOPIC).expect("the topic name has no NUL");
        let (mut low, mut high) = (-1_i64, -1_i64);
        // SAFETY: the handle is the consumer's own, alive as long as `self.consumer`; the call
        // only reads the partition's cached offsets under its lock into the two locals, and
        // `topic` outlives it.
        let err = unsafe {
            rd_kafka_get_watermark_offsets(
                self.consumer.client().native_ptr(),
                topic.as_ptr(),
                partition,
                &mut low,
                &mut high,
            )
        };
        (err == rd_kafka_resp_err_t::RD_KAFKA_RESP_ERR_NO_ERROR && high >= 0).then_some(high)
    }
}

/// What the persister keeps of a message once the consumer's borrow ends.
struct Received {
    partition: i32,
    offset: i64,
    /// `None` for a payload that is not a coupon: logged and skipped, never retried forever.
    coupon: Option<IssuedCoupon>,
}

impl<M: Message> From<&M> for Received {
    fn from(m: &M) -> Self {
        let coupon = m.payload().and_then(|p| match serde_json::from_slice(p) {
            Ok(c) => Some(c),
            Err(e) => {
                tracing::error!(topic = m.topic(), partition = m.partition(), offset = m.offset(), error = %e, "skipping unreadable message");
                None
            }
        });
        Received {
            partition: m.partition(),
            offset: m.offset(),
            coupon,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_what_the_broker_refuses_for_good_goes_to_the_dead_letters() {
        let produced = KafkaError::MessageProduction;
        // A broker restarting, unreachable or briefly not knowing the topic: handed over again.
        for code in [
            RDKafkaErrorCode::UnknownTopic,
            RDKafkaErrorCode::UnknownTopicOrPartition,
            RDKafkaErrorCode::AllBrokersDown,
            RDKafkaErrorCode::MessageTimedOut,
            RDKafkaErrorCode::NotLeaderForPartition,
        ] {
            assert!(!refused_for_good(&produced(code)), "{code:?} is passing");
        }
        for code in [
            RDKafkaErrorCode::MessageSizeTooLarge,
            RDKafkaErrorCode::InvalidRecord,
            RDKafkaErrorCode::TopicAuthorizationFailed,
        ] {
            assert!(refused_for_good(&produced(code)), "{code:?} is final");
        }
    }
}
