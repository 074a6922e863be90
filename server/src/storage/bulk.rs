//! Whole postmortems written at once, in one transaction: the sample data and benchmark fills.

use app::domain::*;
use chrono::{DateTime, Utc};
use serde::Deserialize;

use super::{Store, action_items, five_whys, incidents, timeline};
use crate::error::Result;

/// Which step an action item addresses, by position: chain index, step index (both from 0).
#[derive(Clone, Debug, Deserialize)]
pub struct StepRef {
    pub chain: usize,
    pub step: usize,
}

/// An action item as written in a seed file: the API's fields plus `addresses`, which is
/// resolved to `five_why_step_id` once the chain is written.
#[derive(Clone, Debug)]
pub struct PlannedAction {
    pub item: ActionInput,
    pub addresses: Option<StepRef>,
}

impl<'de> Deserialize<'de> for PlannedAction {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        use serde::de::Error as _;
        let mut map = serde_json::Map::deserialize(d)?;
        let addresses = map
            .remove("addresses")
            .map(serde_json::from_value)
            .transpose()
            .map_err(D::Error::custom)?;
        let item = serde_json::from_value(map.into()).map_err(D::Error::custom)?;
        Ok(Self { item, addresses })
    }
}

/// A complete postmortem: the incident and everything filed under it.
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Postmortem {
    pub incident: IncidentFields,
    #[serde(default)]
    pub timeline: Vec<EventInput>,
    #[serde(default)]
    pub five_whys: Vec<ChainInput>,
    #[serde(default)]
    pub action_items: Vec<PlannedAction>,
    /// When the postmortem reached review (`in_review`), kept in the status history so the
    /// insights' review discipline counts it; only for an incident already in review or closed.
    #[serde(default)]
    pub reviewed_at: Option<DateTime<Utc>>,
}

impl Postmortem {
    /// Validates every part; a step reference must point at a step that exists.
    pub fn validated(self) -> Result<Self> {
        let five_whys = self
            .five_whys
            .into_iter()
            .map(ChainInput::validated)
            .collect::<Result<Vec<_>, _>>()?;
        let action_items = self
            .action_items
            .into_iter()
            .map(|a| {
                if let Some(r) = &a.addresses
                    && five_whys
                        .get(r.chain)
                        .is_none_or(|c| c.steps.len() <= r.step)
                {
                    return Err(Invalid::new("addresses", Problem::NotInIncident).into());
                }
                Ok(PlannedAction {
                    item: a.item.validated()?,
                    addresses: a.addresses,
                })
            })
            .collect::<Result<Vec<_>>>()?;
        let incident = self.incident.validated()?;
        if self.reviewed_at.is_some()
            && !matches!(incident.status, Status::InReview | Status::Closed)
        {
            return Err(Invalid::new("reviewed_at", Problem::OnlyWhenReviewed).into());
        }
        Ok(Self {
            incident,
            reviewed_at: self.reviewed_at,
            timeline: self
                .timeline
                .into_iter()
                .map(EventInput::validated)
                .collect::<Result<_, _>>()?,
            five_whys,
            action_items,
        })
    }
}

/// Validates all, then writes all in one transaction: either every postmortem is stored or
/// none is. Returns the new incident ids.
pub async fn insert_postmortems(store: &Store, items: Vec<Postmortem>) -> Result<Vec<IncidentId>> {
    let items = items
        .into_iter()
        .map(Postmortem::validated)
        .collect::<Result<Vec<_>>>()?;
    let by = Actor::system();
    let mut tx = store.begin().await?;
    let mut ids = Vec::with_capacity(items.len());
    for p in &items {
        let id = incidents::insert(&mut tx, &p.incident).await?;
        for e in &p.timeline {
            timeline::insert(&mut tx, id, e, &by).await?;
        }
        let mut steps = Vec::with_capacity(p.five_whys.len());
        for c in &p.five_whys {
            let chain = five_whys::insert(&mut tx, id, c).await?;
            steps.push(five_whys::step_ids(&mut tx, chain).await?);
        }
        if let Some(at) = p.reviewed_at {
            incidents::record_status_change(
                &mut tx,
                id,
                Status::Recovered,
                Status::InReview,
                "",
                &by,
                at,
            )
            .await?;
        }
        for a in &p.action_items {
            let mut item = a.item.clone();
            item.five_why_step_id = a.addresses.as_ref().map(|r| steps[r.chain][r.step]);
            action_items::insert(&mut tx, id, &item, &by).await?;
        }
        ids.push(id);
    }
    tx.commit().await?;
    Ok(ids)
}

/// Incidents stored.
pub async fn count(store: &Store) -> Result<i64> {
    Ok(sqlx::query_scalar("SELECT count(*) FROM incidents")
        .fetch_one(&store.pool)
        .await?)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::error::Error;
    use app::error::AppError;

    fn postmortem(status: &str) -> Postmortem {
        serde_json::from_value(serde_json::json!({
            "incident": { "title": "Redis pool exhausted", "severity": "P1", "status": status },
            "reviewed_at": "2026-11-02T10:00:00Z",
        }))
        .unwrap()
    }

    /// A review time only makes sense for a postmortem that reached review.
    #[test]
    fn a_review_time_is_only_for_incidents_in_review_or_closed() {
        for status in ["in_review", "closed"] {
            let p = postmortem(status).validated().unwrap();
            assert_eq!(
                p.reviewed_at.unwrap().to_rfc3339(),
                "2026-11-02T10:00:00+00:00"
            );
        }
        match postmortem("recovered").validated() {
            Err(Error::App(AppError::Invalid(e))) => {
                assert_eq!(e.field, "reviewed_at");
                assert_eq!(e.problem, Problem::OnlyWhenReviewed);
            }
            other => panic!("expected reviewed_at refused, got {other:?}"),
        }
    }
}
