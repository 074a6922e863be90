//! Timeline events; `detected` and `recovered` events set the incident's timestamps.

use app::domain::*;
use app::error::AppError;
use app::service::TimelineService;
use async_trait::async_trait;

use super::{json, limits, rewrite_incident};
use crate::backend::Backend;
use crate::error::Result;
use crate::storage::audit::{self, Record};
use crate::storage::versions::{self, Versioned};
use crate::storage::{Store, Tx, incidents, timeline};

const KIND: &str = "timeline_event";

/// Sets the incident's timestamp of an event that marks one (detection, recovery), keeping the
/// incident valid: a problem with the resulting order is reported on the event's `at`.
async fn set_moment(
    tx: &mut Tx,
    store: &Store,
    by: &Actor,
    incident: IncidentId,
    e: &EventInput,
) -> Result<()> {
    let Some(moment) = e.kind.moment() else {
        return Ok(());
    };
    let current = incidents::fetch(tx, store, incident).await?;
    let mut f = current.fields.clone();
    f.times.set(moment, Some(e.at), Some(e.source));
    let f = f.validated().map_err(|err| {
        if err.field == moment.field() {
            Invalid::new("at", err.problem)
        } else {
            err
        }
    })?;
    rewrite_incident(tx, by, &current, &f).await
}

#[async_trait]
impl TimelineService for Backend {
    async fn add(
        &self,
        by: &Actor,
        incident: IncidentId,
        e: EventInput,
    ) -> Result<TimelineEvent, AppError> {
        by.require(Need::Write)?;
        let e = e.validated()?;
        let mut tx = self.store.begin().await?;
        tx.touch(incident).await?;
        limits::room_for(&mut tx, limits::Children::TimelineEvents, incident).await?;
        let id = timeline::insert(&mut tx, incident, &e, by).await?;
        set_moment(&mut tx, &self.store, by, incident, &e).await?;
        let event = timeline::fetch(&mut tx, incident, id).await?;
        let what = Record::child(KIND, id.get(), incident);
        audit::record(&mut tx, by, Verb::Create, what, None, json(&event)).await?;
        self.commit(tx).await?;
        Ok(event)
    }

    async fn update(
        &self,
        by: &Actor,
        incident: IncidentId,
        id: EventId,
        p: EventPatch,
    ) -> Result<TimelineEvent, AppError> {
        by.require(Need::Write)?;
        let mut tx = self.store.begin().await?;
        let current = timeline::fetch(&mut tx, incident, id).await?;
        versions::check(
            &mut tx,
            Versioned::TimelineEvent,
            id.get(),
            p.version,
            current.version,
        )
        .await?;
        let e = p.apply(&current).validated()?;
        timeline::write(&mut tx, incident, id, &e).await?;
        versions::bump(&mut tx, Versioned::TimelineEvent, id.get()).await?;
        tx.touch(incident).await?;
        set_moment(&mut tx, &self.store, by, incident, &e).await?;
        let event = timeline::fetch(&mut tx, incident, id).await?;
        let what = Record::child(KIND, id.get(), incident);
        audit::record(
            &mut tx,
            by,
            Verb::Update,
            what,
            json(&current),
            json(&event),
        )
        .await?;
        self.commit(tx).await?;
        Ok(event)
    }

    /// The incident's timestamps stay as they are: they are facts of the incident, editable
    /// there, not views of the timeline.
    async fn delete(&self, by: &Actor, incident: IncidentId, id: EventId) -> Result<(), AppError> {
        by.require(Need::Write)?;
        let mut tx = self.store.begin().await?;
        let current = timeline::fetch(&mut tx, incident, id).await?;
        timeline::delete(&mut tx, incident, id).await?;
        let what = Record::child(KIND, id.get(), incident);
        audit::record(&mut tx, by, Verb::Delete, what, json(&current), None).await?;
        self.commit(tx).await
    }
}
