//! A circuit breaker: after `failures_to_open` consecutive failures it opens and refuses calls
//! at once (no waiting on a dead Redis), after `open_for` it lets one probe through
//! (half-open), and the probe's success closes it again. Time is tokio's, so tests can drive it
//! with a paused clock.

use std::future::Future;
use std::sync::Mutex;
use std::time::Duration;

use prometheus::IntCounterVec;
use tokio::time::Instant;

use crate::error::{Error, Result};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BreakerState {
    Closed,
    HalfOpen,
    Open,
}

impl BreakerState {
    pub fn as_str(self) -> &'static str {
        match self {
            BreakerState::Closed => "closed",
            BreakerState::HalfOpen => "half_open",
            BreakerState::Open => "open",
        }
    }
}

#[derive(Debug)]
enum State {
    Closed { failures: u32 },
    Open { until: Instant },
    HalfOpen { probing: bool },
}

pub struct Breaker {
    state: Mutex<State>,
    failures_to_open: u32,
    open_for: Duration,
    transitions: Option<IntCounterVec>,
}

impl Breaker {
    pub fn new(
        failures_to_open: u32,
        open_for: Duration,
        transitions: Option<IntCounterVec>,
    ) -> Self {
        Breaker {
            state: Mutex::new(State::Closed { failures: 0 }),
            failures_to_open: failures_to_open.max(1),
            open_for,
            transitions,
        }
    }

    pub fn state(&self) -> BreakerState {
        match *self.state.lock().expect("breaker lock") {
            State::Closed { .. } => BreakerState::Closed,
            State::Open { until } if Instant::now() < until => BreakerState::Open,
            State::Open { .. } | State::HalfOpen { .. } => BreakerState::HalfOpen,
        }
    }

    /// Runs `call` if the breaker lets it through and records its outcome; refused calls are
    /// [`Error::BreakerOpen`] without touching Redis.
    pub async fn call<T>(&self, call: impl Future<Output = Result<T>>) -> Result<T> {
        let mut permit = self.admit()?;
        let result = call.await;
        permit.finish(result.is_ok());
        result
    }

    fn admit(&self) -> Result<Permit<'_>> {
        let mut state = self.state.lock().expect("breaker lock");
        match *state {
            State::Closed { .. } => Ok(Permit {
                breaker: self,
                probe: false,
                done: false,
            }),
            State::Open { until } if Instant::now() < until => Err(Error::BreakerOpen),
            State::Open { .. } => {
                *state = State::HalfOpen { probing: true };
                self.count(BreakerState::HalfOpen);
                Ok(Permit {
                    breaker: self,
                    probe: true,
                    done: false,
                })
            }
            State::HalfOpen { probing: true } => Err(Error::BreakerOpen),
            State::HalfOpen { probing: false } => {
                *state = State::HalfOpen { probing: true };
                Ok(Permit {
                    breaker: self,
                    probe: true,
                    done: false,
                })
            }
        }
    }

    fn record(&self, probe: bool, ok: bool) {
        let mut state = self.state.lock().expect("breaker lock");
        let next = match (&*state, ok) {
            (State::Closed { .. }, true) => State::Closed { failures: 0 },
            (State::Closed { failures }, false) if failures + 1 >= self.failures_to_open => {
                self.open()
            }
            (State::Closed { failures }, false) => State::Closed {
                failures: failures + 1,
            },
            (State::HalfOpen { .. }, true) if probe => {
                self.count(BreakerState::Closed);
                tracing::info!(state = "closed", "redis circuit breaker closed");
                State::Closed { failures: 0 }
            }
            (State::HalfOpen { .. }, false) if probe => self.open(),
            // A call admitted before the breaker opened finishes late: the state stands.
            _ => return,
        };
        *state = next;
    }

    fn open(&self) -> State {
        self.count(BreakerState::Open);
        tracing::warn!(
            state = "open",
            open_ms = self.open_for.as_millis() as u64,
            "redis circuit breaker opened"
        );
        State::Open {
            until: Instant::now() + self.open_for,
        }
    }

    fn count(&self, to: BreakerState) {
        if let Some(t) = &self.transitions {
            t.with_label_values(&[to.as_str()]).inc();
        }
    }
}

/// An admitted call. Dropped unfinished (its request was cancelled) it counts as a failure, so
/// a cancelled half-open probe cannot leave the breaker waiting for it forever.
struct Permit<'a> {
    breaker: &'a Breaker,
    probe: bool,
    done: bool,
}

impl Permit<'_> {
    fn finish(&mut self, ok: bool) {
        self.done = true;
        self.breaker.record(self.probe, ok);
    }
}

impl Drop for Permit<'_> {
    fn drop(&mut self) {
        if !self.done {
            self.breaker.record(self.probe, false);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::error::Dependency;

    async fn fail(b: &Breaker) -> Result<()> {
        b.call(async { Err::<(), _>(Error::Timeout(Dependency::Redis, Duration::from_secs(1))) })
            .await
    }
    async fn succeed(b: &Breaker) -> Result<()> {
        b.call(async { Ok(()) }).await
    }

    #[tokio::test(start_paused = true)]
    async fn opens_after_consecutive_failures_and_refuses_without_calling() {
        let b = Breaker::new(3, Duration::from_secs(2), None);
        fail(&b).await.unwrap_err();
        fail(&b).await.unwrap_err();
        succeed(&b).await.unwrap(); // a success resets the count
        fail(&b).await.unwrap_err();
        fail(&b).await.unwrap_err();
        assert_eq!(b.state(), BreakerState::Closed);
        fail(&b).await.unwrap_err();
        assert_eq!(b.state(), BreakerState::Open);
        let mut called = false;
        let refused = b
            .call(async {
                called = true;
                Ok(())
            })
            .await;
        assert!(matches!(refused, Err(Error::BreakerOpen)));
        assert!(!called, "an open breaker must not call Redis");
    }

    #[tokio::test(start_paused = true)]
    async fn half_open_probe_closes_on_success_and_reopens_on_failure() {
        let b = Breaker::new(1, Duration::from_secs(2), None);
        fail(&b).await.unwrap_err();
        tokio::time::advance(Duration::from_millis(1999)).await;
        assert_eq!(b.state(), BreakerState::Open);
        tokio::time::advance(Duration::from_millis(1)).await;
        assert_eq!(b.state(), BreakerState::HalfOpen);
        fail(&b).await.unwrap_err(); // the probe fails: open for another 2 s
        assert_eq!(b.state(), BreakerState::Open);
        assert!(matches!(succeed(&b).await, Err(Error::BreakerOpen)));
        tokio::time::advance(Duration::from_secs(2)).await;
        succeed(&b).await.unwrap();
        assert_eq!(b.state(), BreakerState::Closed);
    }

    #[tokio::test(start_paused = true)]
    async fn only_one_probe_at_a_time_and_a_cancelled_probe_frees_the_slot() {
        let b = Breaker::new(1, Duration::from_secs(1), None);
        fail(&b).await.unwrap_err();
        tokio::time::advance(Duration::from_secs(1)).await;
        {
            let _probe = b.admit().unwrap();
            assert!(
                matches!(b.admit(), Err(Error::BreakerOpen)),
                "second probe while one is out"
            );
        } // dropped unfinished: counts as a failure
        assert_eq!(b.state(), BreakerState::Open);
        tokio::time::advance(Duration::from_secs(1)).await;
        succeed(&b).await.unwrap();
        assert_eq!(b.state(), BreakerState::Closed);
    }
}
