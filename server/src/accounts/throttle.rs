//! Failed sign-ins, limited per account and per address: after `limit` failures within
//! `window`, further attempts are refused until the oldest failure leaves the window. Kept in
//! memory: a restart forgets them, which costs an attacker a restart they cannot cause.

use std::collections::{HashMap, VecDeque};
use std::sync::Mutex;
use std::time::{Duration, Instant};

/// Failures per key within a sliding window.
pub struct Throttle {
    limit: usize,
    window: Duration,
    /// Bounded: beyond this many keys the ones idle longest are forgotten.
    capacity: usize,
    failures: Mutex<HashMap<String, VecDeque<Instant>>>,
}

impl Throttle {
    pub fn new(limit: usize, window: Duration, capacity: usize) -> Self {
        Self {
            limit,
            window,
            capacity,
            failures: Mutex::new(HashMap::new()),
        }
    }

    /// `Err(seconds)` to wait if `key` is over its limit now.
    pub fn check(&self, key: &str, now: Instant) -> Result<(), u64> {
        let mut map = self.failures.lock().unwrap_or_else(|p| p.into_inner());
        let Some(times) = map.get_mut(key) else {
            return Ok(());
        };
        while times
            .front()
            .is_some_and(|t| now.duration_since(*t) >= self.window)
        {
            times.pop_front();
        }
        match times.front() {
            Some(oldest) if times.len() >= self.limit => {
                let wait = self.window.saturating_sub(now.duration_since(*oldest));
                Err(wait.as_secs().max(1))
            }
            _ => Ok(()),
        }
    }

    pub fn fail(&self, key: &str, now: Instant) {
        let mut map = self.failures.lock().unwrap_or_else(|p| p.into_inner());
        if map.len() >= self.capacity && !map.contains_key(key) {
            let window = self.window;
            map.retain(|_, t| {
                t.back()
                    .is_some_and(|last| now.duration_since(*last) < window)
            });
            if map.len() >= self.capacity
                && let Some(idle) = map
                    .iter()
                    .min_by_key(|(_, t)| t.back().copied())
                    .map(|(k, _)| k.clone())
            {
                map.remove(&idle);
            }
        }
        let times = map.entry(key.to_owned()).or_default();
        times.push_back(now);
        if times.len() > self.limit {
            times.pop_front();
        }
    }

    /// A success clears the key's failures.
    pub fn clear(&self, key: &str) {
        self.failures
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .remove(key);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_limit_holds_for_the_window_then_lifts() {
        let t = Throttle::new(3, Duration::from_secs(60), 100);
        let start = Instant::now();
        for i in 0..3 {
            assert_eq!(t.check("kim", start), Ok(()));
            t.fail("kim", start + Duration::from_secs(i));
        }
        assert_eq!(t.check("kim", start + Duration::from_secs(10)), Err(50));
        assert_eq!(t.check("lee", start), Ok(()), "other keys are not affected");
        assert_eq!(t.check("kim", start + Duration::from_secs(60)), Ok(()));
        t.clear("kim");
        assert_eq!(t.check("kim", start + Duration::from_secs(11)), Ok(()));
    }

    #[test]
    fn memory_is_bounded() {
        let t = Throttle::new(3, Duration::from_secs(60), 10);
        let now = Instant::now();
        for i in 0..1_000 {
            t.fail(&format!("addr-{i}"), now);
        }
        assert!(t.failures.lock().unwrap().len() <= 10);
    }
}
