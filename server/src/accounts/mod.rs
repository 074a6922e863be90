//! People, sessions, tokens and the audit log: [`Accounts`] implements their service traits
//! (in `crate::service`), here are the parts they need besides storage: password hashing,
//! secrets, and the limit on failed sign-ins.
//!
//! Accounts stand apart from the incident [`Backend`](crate::backend::Backend): they change no
//! incident (so nothing to re-index) and the command line manages them while `hoego serve` holds
//! the search index.

pub mod cache;
pub mod password;
pub mod secret;
pub mod throttle;

use std::time::Duration;

use crate::error::Result;
use crate::storage::{Store, Tx};
use cache::ActorCache;
use throttle::Throttle;

/// Failed sign-ins allowed per account, and per address, within [`SIGN_IN_WINDOW`].
const SIGN_IN_FAILURES: usize = 10;
const SIGN_IN_WINDOW: Duration = Duration::from_secs(15 * 60);

pub struct Accounts {
    pub store: Store,
    /// Failed sign-ins, per account and per address.
    pub sign_ins: Throttle,
    /// Who is behind recently seen sessions and tokens.
    pub actors: ActorCache,
}

impl Accounts {
    pub fn new(store: Store) -> Self {
        Self {
            store,
            sign_ins: Throttle::new(SIGN_IN_FAILURES, SIGN_IN_WINDOW, 100_000),
            actors: ActorCache::new(cache::TTL, cache::CAPACITY),
        }
    }

    /// Commits an accounts write (it touches no incident). Whatever it changed (a session
    /// ended, a role, a token revoked) applies to the next request: the actors cache is
    /// emptied.
    pub async fn commit(&self, tx: Tx) -> Result<()> {
        let changed = tx.commit().await?;
        debug_assert!(changed.is_empty(), "an accounts write changed incidents");
        self.actors.clear();
        Ok(())
    }
}
