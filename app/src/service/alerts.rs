//! Alert events: webhooks in, the list, and linking alerts to incidents.

use async_trait::async_trait;

use crate::domain::{Actor, AlertEvent, AlertId, IncidentId, Ingested, Page, Webhook};
use crate::error::AppError;
use crate::queries::AlertQuery;

#[async_trait]
pub trait AlertService: Send + Sync + 'static {
    /// Stores a webhook's alerts in one transaction and links them by the rules: an alert
    /// joins the open incident of its notification group or its service, or opens one at or
    /// above the threshold priority. A redelivery changes nothing.
    async fn ingest(&self, by: &Actor, webhook: Webhook) -> Result<Ingested, AppError>;
    async fn list(&self, by: &Actor, q: AlertQuery) -> Result<Page<AlertEvent>, AppError>;
    async fn get(&self, by: &Actor, id: AlertId) -> Result<AlertEvent, AppError>;
    /// Links an alert to an incident by hand (adding its timeline events); a linked alert
    /// moves.
    async fn link(
        &self,
        by: &Actor,
        id: AlertId,
        incident: IncidentId,
    ) -> Result<AlertEvent, AppError>;
    /// Unlinks an alert, taking the timeline events made for it along.
    async fn unlink(&self, by: &Actor, id: AlertId) -> Result<AlertEvent, AppError>;
    /// Sets the incident's `recovered_at` to its alerts' last resolution (provenance
    /// `alert`), once every linked alert has resolved.
    async fn recover_from_alerts(&self, by: &Actor, incident: IncidentId) -> Result<(), AppError>;
}
