//! The sample postmortems in `seeds/` and the failure scenarios of the seed report, compiled
//! into the binary so `hoego seed` works anywhere.

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

/// The report the sample data grew out of.
pub const REPORT: (&str, &str) = (
    "load-test-incident-report.ko.md",
    include_str!("../../seeds/load-test-incident-report.ko.md"),
);

/// The `scenario` label values of the bundled coupon service's alert rules
/// (`coupon/monitoring/alerts.yml`), in the report's scenario order: an alert from a drill then
/// links its incident to the scenario it exercises.
const LABELS: [&str; 3] = ["redis-pool", "kafka-lag", "mysql-pool"];

/// Imports the seed report's three scenarios into a database without scenarios, as
/// `hoego import` would (the report is kept as their document), with the coupon service's
/// alert labels. Returns how many were loaded.
pub async fn load_scenarios(store: &Store) -> anyhow::Result<usize> {
    use app::domain::{Actor, DocumentKind};

    use crate::documents::{outline, premortem};
    use crate::storage::scenarios;
    let fail = |e: crate::error::Error| anyhow::anyhow!("seeding scenarios: {e}");
    let mut tx = store.begin().await.map_err(fail)?;
    if !scenarios::ids_in(&mut tx).await.map_err(fail)?.is_empty() {
        return Ok(0);
    }
    let (name, text) = REPORT;
    let reading = premortem::read(&outline::read(text));
    let by = Actor::system();
    let doc = scenarios::insert_document(
        &mut tx,
        &crate::documents::digest(text),
        name,
        DocumentKind::Premortem,
        text,
        &by,
    )
    .await
    .map_err(fail)?;
    let n = reading.scenarios.len();
    for (mut s, label) in reading.scenarios.into_iter().zip(LABELS) {
        s.detection.alerts.push(label.to_owned());
        let mut s = s
            .validated()
            .map_err(|e| anyhow::anyhow!("seeds/{name}: {e}"))?;
        s.number_steps(&[], 0);
        scenarios::insert(&mut tx, &s, Some(doc), &by)
            .await
            .map_err(fail)?;
    }
    tx.commit().await.map_err(fail)?;
    Ok(n)
}
