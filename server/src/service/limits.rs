//! Caps on what one incident may hold, checked in the write that would pass them.

pub use app::domain::Children;
use app::domain::{IncidentId, Invalid, Problem};

use crate::error::Result;
use crate::storage::{Tx, incidents};

/// `Ok` if the incident can take one more of `kind`; a 422 naming the list otherwise.
pub async fn room_for(tx: &mut Tx, kind: Children, incident: IncidentId) -> Result<()> {
    if incidents::children(tx, kind, incident).await? >= kind.max() {
        return Err(Invalid::new(kind.field(), Problem::TooMany { max: kind.max() }).into());
    }
    Ok(())
}
