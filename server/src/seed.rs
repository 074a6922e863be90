//! The sample postmortems in `seeds/`, compiled into the binary so `hoego seed` works anywhere.

use crate::storage::Store;
use crate::storage::bulk::{Postmortem, count, insert_postmortems};

/// `(file name, JSON)` of every seed, in load order.
pub const SEEDS: [(&str, &str); 3] = [
    (
        "01-redis-pool-exhaustion.json",
        include_str!("../../seeds/01-redis-pool-exhaustion.json"),
    ),
    (
        "02-kafka-producer-lag.json",
        include_str!("../../seeds/02-kafka-producer-lag.json"),
    ),
    (
        "03-mysql-pool-exhaustion.json",
        include_str!("../../seeds/03-mysql-pool-exhaustion.json"),
    ),
];

/// Parses the seed files; an error names the file.
pub fn postmortems() -> anyhow::Result<Vec<Postmortem>> {
    SEEDS
        .iter()
        .map(|(name, json)| {
            serde_json::from_str(json).map_err(|e| anyhow::anyhow!("seeds/{name}: {e}"))
        })
        .collect()
}

/// Loads the seeds into an empty database, all or nothing. Returns how many were loaded: 0 when
/// the database already had incidents (running it twice changes nothing).
pub async fn load(store: &Store) -> anyhow::Result<usize> {
    if count(store).await.map_err(app::error::AppError::from)? > 0 {
        return Ok(0);
    }
    let items = postmortems()?;
    let ids = insert_postmortems(store, items)
        .await
        .map_err(|e| anyhow::anyhow!("seeding: {e}"))?;
    Ok(ids.len())
}
