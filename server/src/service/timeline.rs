//! Timeline events; `detected` and `recovered` events set the incident's timestamps.

use app::domain::*;
use app::error::AppError;
use app::service::TimelineService;
use async_trait::async_trait;

use crate::backend::Backend;
use crate::error::Result;
use crate::storage::{Store, Tx, incidents, timeline};

/// Sets the incident's timestamp of an event that marks one (detection, recovery), keeping the
/// incident valid: a problem with the resulting order is reported on the event's `at`.
async fn set_moment(
    tx: &mut Tx,
    store: &Store,
    incident: IncidentId,
    e: &EventInput,
) -> Result<()> {
    let Some(moment) = e.kind.moment() else {
        return Ok(());
    };
    let mut f = incidents::fetch(tx, store, incident).await?.fields;
    f.times.set(moment, Some(e.at), Some(e.source));
    let f = f.validated().map_err(|err| {
        if err.field == moment.field() {
            Invalid::new("at", err.problem)
        } else {
            err
        }
    })?;
    incidents::write(tx, incident, &f).await
}

#[async_trait]
impl TimelineService for Backend {
    async fn add(&self, incident: IncidentId, e: EventInput) -> Result<TimelineEvent, AppError> {
        let e = e.validated()?;
        let mut tx = self.store.begin().await?;
        tx.touch(incident).await?;
        let id = timeline::insert(&mut tx, incident, &e).await?;
        set_moment(&mut tx, &self.store, incident, &e).await?;
        let event = timeline::fetch(&mut tx, incident, id).await?;
        self.commit(tx).await?;
        Ok(event)
    }

    async fn update(
        &self,
        incident: IncidentId,
        id: EventId,
        p: EventPatch,
    ) -> Result<TimelineEvent, AppError> {
        let mut tx = self.store.begin().await?;
        let current = timeline::fetch(&mut tx, incident, id).await?;
        let e = p.apply(&current).validated()?;
        timeline::write(&mut tx, incident, id, &e).await?;
        tx.touch(incident).await?;
        set_moment(&mut tx, &self.store, incident, &e).await?;
        let event = timeline::fetch(&mut tx, incident, id).await?;
        self.commit(tx).await?;
        Ok(event)
    }

    /// The incident's timestamps stay as they are: they are facts of the incident, editable
    /// there, not views of the timeline.
    async fn delete(&self, incident: IncidentId, id: EventId) -> Result<(), AppError> {
        let mut tx = self.store.begin().await?;
        timeline::delete(&mut tx, incident, id).await?;
        self.commit(tx).await
    }
}
