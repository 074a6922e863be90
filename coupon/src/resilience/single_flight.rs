//! A single flight: one call at a time, its answer shared. Callers that arrive while the call is
//! in flight queue for it, and its answer, success or failure, answers every caller for `reuse`
//! after it.
//!
//! It guards the MySQL fallback for top products while Redis is down (the seed's scenario 3:
//! a Redis outage must not take the MySQL pool). Every fallback asks the same question (the
//! whole top list, cut to each request's limit), so one query at a time is all MySQL ever sees:
//! one connection, however many requests fall back. A bulkhead of N slots used to sit around
//! this call; it could never hold more than the one caller the flight lets through, so its size
//! and wait were settings that did nothing, and it is gone. Waiting is bounded by the call's own
//! deadline (the MySQL timeout), not by a queue timeout: an earlier bulkhead wait of 200 ms
//! refused 135 of 200 requests on a cold start that the one query in flight would have answered.
//! A failure is kept for the same window, so the queue behind a failed call drains at once
//! instead of sending MySQL one call after another while it is failing.

use std::future::Future;
use std::time::Duration;

use prometheus::IntGauge;
use tokio::sync::Mutex;
use tokio::time::Instant;

use crate::error::{Dependency, Error, Result};
use crate::metrics::InFlight;

pub struct SingleFlight<T> {
    dep: Dependency,
    reuse: Duration,
    /// The last call's answer (`None` if it failed), and when. Held for the whole call: the
    /// lock is the flight.
    last: Mutex<Option<(Instant, Option<T>)>>,
    /// Calls running: 0 or 1.
    in_flight: IntGauge,
}

impl<T: Clone> SingleFlight<T> {
    pub fn new(dep: Dependency, reuse: Duration, in_flight: IntGauge) -> Self {
        SingleFlight {
            dep,
            reuse,
            last: Mutex::new(None),
            in_flight,
        }
    }

    /// The answer of a call made less than `reuse` ago, or else `call`'s, made now by this
    /// caller alone. A reused failure is [`Error::Replayed`]. A caller cancelled mid-call drops
    /// the call and leaves nothing behind: the gauge comes down and the next caller calls.
    pub async fn call(&self, call: impl Future<Output = Result<T>>) -> Result<T> {
        let mut last = self.last.lock().await;
        if let Some((at, answer)) = last.as_ref()
            && at.elapsed() < self.reuse
        {
            return answer.clone().ok_or(Error::Replayed(self.dep));
        }
        let result = {
            let _running = InFlight::start(&self.in_flight);
            call.await
        };
        *last = Some((Instant::now(), result.as_ref().ok().cloned()));
        result
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::Arc;
    use std::sync::atomic::{AtomicUsize, Ordering};

    fn flight() -> Arc<SingleFlight<u32>> {
        Arc::new(SingleFlight::new(
            Dependency::Mysql,
            Duration::from_secs(1),
            IntGauge::new("g", "g").unwrap(),
        ))
    }

    /// A call that counts itself, checks it runs alone, takes 100 ms and answers `answer`.
    async fn counted(
        f: &SingleFlight<u32>,
        calls: &AtomicUsize,
        answer: Result<u32>,
    ) -> Result<u32> {
        f.call(async {
            calls.fetch_add(1, Ordering::SeqCst);
            assert_eq!(f.in_flight.get(), 1, "one call in flight");
            tokio::time::sleep(Duration::from_millis(100)).await;
            answer
        })
        .await
    }

    #[tokio::test(start_paused = true)]
    async fn callers_in_flight_share_one_call_and_its_answer_is_reused_for_the_window() {
        let f = flight();
        let calls = Arc::new(AtomicUsize::new(0));
        let callers: Vec<_> = (0..10)
            .map(|_| {
                let (f, calls) = (f.clone(), calls.clone());
                tokio::spawn(async move { counted(&f, &calls, Ok(7)).await })
            })
            .collect();
        for caller in callers {
            assert_eq!(caller.await.unwrap().unwrap(), 7);
        }
        assert_eq!(calls.load(Ordering::SeqCst), 1, "ten callers, one call");
        assert_eq!(f.in_flight.get(), 0);

        tokio::time::advance(Duration::from_millis(800)).await;
        assert_eq!(counted(&f, &calls, Ok(8)).await.unwrap(), 7, "reused");
        assert_eq!(calls.load(Ordering::SeqCst), 1);
        tokio::time::advance(Duration::from_millis(200)).await;
        assert_eq!(counted(&f, &calls, Ok(8)).await.unwrap(), 8, "called again");
        assert_eq!(calls.load(Ordering::SeqCst), 2);
    }

    #[tokio::test(start_paused = true)]
    async fn a_failure_answers_the_queue_behind_it_and_is_retried_after_the_window() {
        let f = flight();
        let calls = Arc::new(AtomicUsize::new(0));
        let timeout = || Err(Error::Timeout(Dependency::Mysql, Duration::from_secs(5)));
        let callers: Vec<_> = (0..5)
            .map(|_| {
                let (f, calls) = (f.clone(), calls.clone());
                tokio::spawn(async move { counted(&f, &calls, timeout()).await })
            })
            .collect();
        let mut failed = 0;
        let mut replayed = 0;
        for caller in callers {
            match caller.await.unwrap() {
                Err(Error::Timeout(Dependency::Mysql, _)) => failed += 1,
                Err(Error::Replayed(Dependency::Mysql)) => replayed += 1,
                other => panic!("unexpected {other:?}"),
            }
        }
        assert_eq!((failed, replayed), (1, 4));
        assert_eq!(calls.load(Ordering::SeqCst), 1, "MySQL asked once");

        tokio::time::advance(Duration::from_secs(1)).await;
        assert_eq!(counted(&f, &calls, Ok(3)).await.unwrap(), 3);
        assert_eq!(calls.load(Ordering::SeqCst), 2);
    }

    #[tokio::test(start_paused = true)]
    async fn a_cancelled_call_brings_the_gauge_down_and_the_next_caller_calls() {
        let f = flight();
        let calls = AtomicUsize::new(0);
        let cancelled = tokio::time::timeout(
            Duration::from_millis(50),
            f.call(async {
                calls.fetch_add(1, Ordering::SeqCst);
                std::future::pending::<Result<u32>>().await
            }),
        )
        .await;
        assert!(cancelled.is_err(), "the caller gave up");
        assert_eq!(f.in_flight.get(), 0, "no call left counted as running");
        assert_eq!(counted(&f, &calls, Ok(5)).await.unwrap(), 5, "not stuck");
        assert_eq!(calls.load(Ordering::SeqCst), 2);
    }
}
