//! Who is behind a session or token, kept for a few seconds: every request of a signed-in
//! person asks, and a database lookup (a hop to SQLite's thread) was a tenth of a page's cost.
//!
//! Changes made through this server (sign-out, a revoked token, a role, a disabled account,
//! a password) empty the cache at once. A change made from the command line while the server
//! runs (`hoego token revoke`, `hoego user passwd`) reaches the server within [`TTL`].

use std::collections::HashMap;
use std::sync::Mutex;
use std::time::{Duration, Instant};

use app::domain::Actor;

/// How long a lookup is reused.
pub const TTL: Duration = Duration::from_secs(5);
/// At most this many sessions and tokens are remembered.
pub const CAPACITY: usize = 10_000;

pub struct ActorCache {
    ttl: Duration,
    capacity: usize,
    entries: Mutex<HashMap<[u8; 32], (Instant, Actor)>>,
}

impl ActorCache {
    pub fn new(ttl: Duration, capacity: usize) -> Self {
        Self {
            ttl,
            capacity,
            entries: Mutex::new(HashMap::new()),
        }
    }

    /// The actor looked up for `digest` less than the TTL ago.
    pub fn get(&self, digest: &[u8; 32], now: Instant) -> Option<Actor> {
        let entries = self.entries.lock().unwrap_or_else(|p| p.into_inner());
        entries
            .get(digest)
            .filter(|(at, _)| now.duration_since(*at) < self.ttl)
            .map(|(_, a)| a.clone())
    }

    pub fn put(&self, digest: [u8; 32], actor: Actor, now: Instant) {
        let mut entries = self.entries.lock().unwrap_or_else(|p| p.into_inner());
        if entries.len() >= self.capacity {
            let ttl = self.ttl;
            entries.retain(|_, (at, _)| now.duration_since(*at) < ttl);
            if entries.len() >= self.capacity {
                entries.clear();
            }
        }
        entries.insert(digest, (now, actor));
    }

    pub fn clear(&self) {
        self.entries
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .clear();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn entries_last_their_ttl_and_a_clear() {
        let cache = ActorCache::new(Duration::from_secs(5), 2);
        let now = Instant::now();
        let kim = Actor::person(1.into(), "kim", app::domain::Role::Viewer);
        cache.put([1; 32], kim.clone(), now);
        assert_eq!(
            cache.get(&[1; 32], now + Duration::from_secs(4)),
            Some(kim.clone())
        );
        assert_eq!(cache.get(&[1; 32], now + Duration::from_secs(5)), None);
        cache.clear();
        assert_eq!(cache.get(&[1; 32], now), None);
        for i in 0..10u8 {
            cache.put([i; 32], kim.clone(), now);
        }
        assert!(cache.entries.lock().unwrap().len() <= 2);
    }
}
