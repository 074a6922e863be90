//! A bulkhead: at most `slots` calls run at once; a caller waits at most `wait` for a slot and
//! is then refused. It keeps one failure (Redis down, every request falling back to MySQL) from
//! taking all of another resource (the MySQL pool, which issuance persistence also needs).

use std::future::Future;
use std::time::Duration;

use prometheus::{IntCounter, IntGauge};
use tokio::sync::Semaphore;

use crate::error::{Dependency, Error, Result};

pub struct Bulkhead {
    slots: Semaphore,
    wait: Duration,
    dep: Dependency,
    in_use: IntGauge,
    rejected: IntCounter,
}

impl Bulkhead {
    pub fn new(
        size: usize,
        wait: Duration,
        dep: Dependency,
        in_use: IntGauge,
        rejected: IntCounter,
    ) -> Self {
        Bulkhead {
            slots: Semaphore::new(size),
            wait,
            dep,
            in_use,
            rejected,
        }
    }

    pub async fn call<T>(&self, call: impl Future<Output = Result<T>>) -> Result<T> {
        let Ok(Ok(_slot)) = tokio::time::timeout(self.wait, self.slots.acquire()).await else {
            self.rejected.inc();
            return Err(Error::Saturated(self.dep));
        };
        self.in_use.inc();
        let result = call.await;
        self.in_use.dec();
        result
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::Arc;
    use std::sync::atomic::{AtomicUsize, Ordering};

    #[tokio::test(start_paused = true)]
    async fn caps_concurrency_and_refuses_after_the_wait() {
        let b = Arc::new(Bulkhead::new(
            2,
            Duration::from_millis(100),
            Dependency::Mysql,
            IntGauge::new("g", "g").unwrap(),
            IntCounter::new("c", "c").unwrap(),
        ));
        let running = Arc::new(AtomicUsize::new(0));
        let peak = Arc::new(AtomicUsize::new(0));
        let mut tasks = Vec::new();
        for _ in 0..5 {
            let (b, running, peak) = (b.clone(), running.clone(), peak.clone());
            tasks.push(tokio::spawn(async move {
                b.call(async {
                    let now = running.fetch_add(1, Ordering::SeqCst) + 1;
                    peak.fetch_max(now, Ordering::SeqCst);
                    tokio::time::sleep(Duration::from_secs(1)).await;
                    running.fetch_sub(1, Ordering::SeqCst);
                    Ok(())
                })
                .await
            }));
        }
        let mut ok = 0;
        let mut refused = 0;
        for t in tasks {
            match t.await.unwrap() {
                Ok(()) => ok += 1,
                Err(Error::Saturated(Dependency::Mysql)) => refused += 1,
                Err(e) => panic!("unexpected {e}"),
            }
        }
        assert_eq!((ok, refused), (2, 3));
        assert_eq!(peak.load(Ordering::SeqCst), 2);
        assert_eq!(b.rejected.get(), 3);
        assert_eq!(b.in_use.get(), 0);
    }
}
