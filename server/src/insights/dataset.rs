//! The insights' copy of every incident: the few facts the figures are computed from, kept in
//! memory so a view over 100,000 incidents is a pass over a vector rather than a million rows
//! through the database driver.

use std::collections::HashMap;

use app::domain::*;
use chrono::{DateTime, NaiveDate, Utc};
use chrono_tz::Tz;
use sqlx::SqliteConnection;

use crate::error::Result;
use crate::storage::insights::{self as facts, IncidentFacts, Stamp, Which};

/// Ids read per statement when refreshing some incidents.
const IDS_PER_STATEMENT: usize = 500;

/// Names (services, owners) as small numbers, so rows stay small and compare fast.
#[derive(Clone, Debug, Default)]
pub struct Names {
    names: Vec<String>,
    ids: HashMap<String, u32>,
}

impl Names {
    pub fn id(&mut self, name: &str) -> u32 {
        if let Some(id) = self.ids.get(name) {
            return *id;
        }
        let id = self.names.len() as u32;
        self.names.push(name.to_owned());
        self.ids.insert(name.to_owned(), id);
        id
    }

    pub fn find(&self, name: &str) -> Option<u32> {
        self.ids.get(name).copied()
    }

    pub fn name(&self, id: u32) -> &str {
        &self.names[id as usize]
    }
}

/// An action item, reduced.
#[derive(Clone, Debug, PartialEq)]
pub struct Action {
    pub status: ActionStatus,
    pub horizon: Horizon,
    pub owner: u32,
    pub due: Option<NaiveDate>,
    pub done_at: Option<DateTime<Utc>>,
}

/// An incident, reduced.
#[derive(Clone, Debug, PartialEq)]
pub struct Row {
    pub facts: IncidentFacts,
    /// The day of `facts.sort_at` in the display zone.
    pub day: NaiveDate,
    pub services: Vec<u32>,
    /// Root-cause categories of its 5-Why chains, each once, in declaration order.
    pub categories: Vec<RootCauseCategory>,
    pub actions: Vec<Action>,
    /// When it first reached `in_review` (or `closed`).
    pub reviewed_at: Option<DateTime<Utc>>,
}

impl Row {
    /// The duration of `m` in seconds, if both its timestamps are known.
    pub fn seconds(&self, m: Measure) -> Option<i64> {
        let end = match m {
            Measure::Ttd => self.facts.detected_at,
            Measure::Tta => self.facts.acknowledged_at,
            Measure::Ttr => self.facts.recovered_at,
        }?;
        Some((end - self.facts.started_at?).num_seconds())
    }
}

/// Every incident (in no particular order) and where each is.
#[derive(Clone, Debug)]
pub struct Dataset {
    pub stamp: Stamp,
    pub rows: Vec<Row>,
    pub services: Names,
    pub owners: Names,
    index: HashMap<i64, usize>,
}

impl Dataset {
    /// Reads every incident.
    pub async fn load(conn: &mut SqliteConnection, tz: Tz, stamp: Stamp) -> Result<Self> {
        let mut d = Dataset {
            stamp,
            rows: Vec::new(),
            services: Names::default(),
            owners: Names::default(),
            index: HashMap::new(),
        };
        d.read(conn, tz, Which::All).await?;
        Ok(d)
    }

    /// Reads these incidents again (each one changed, was added or was deleted).
    pub async fn refresh(
        &mut self,
        conn: &mut SqliteConnection,
        tz: Tz,
        ids: &[i64],
        stamp: Stamp,
    ) -> Result<()> {
        for chunk in ids.chunks(IDS_PER_STATEMENT) {
            self.read(conn, tz, Which::Ids(chunk)).await?;
        }
        self.stamp = stamp;
        Ok(())
    }

    /// How many incidents are held, checked against the table's count.
    pub fn held(&self) -> usize {
        self.rows.len()
    }

    async fn read(&mut self, conn: &mut SqliteConnection, tz: Tz, which: Which<'_>) -> Result<()> {
        let incidents = facts::incidents(conn, which).await?;
        let mut fresh: HashMap<i64, Row> = incidents
            .into_iter()
            .map(|f| {
                let id = f.id;
                let row = Row {
                    day: f.sort_at.with_timezone(&tz).date_naive(),
                    facts: f,
                    services: Vec::new(),
                    categories: Vec::new(),
                    actions: Vec::new(),
                    reviewed_at: None,
                };
                (id, row)
            })
            .collect();
        for (id, service) in facts::services(conn, which).await? {
            if let Some(r) = fresh.get_mut(&id) {
                r.services.push(self.services.id(&service));
            }
        }
        for (id, category) in facts::categories(conn, which).await? {
            if let Some(r) = fresh.get_mut(&id)
                && !r.categories.contains(&category)
            {
                r.categories.push(category);
            }
        }
        for a in facts::actions(conn, which).await? {
            if let Some(r) = fresh.get_mut(&a.incident_id) {
                r.actions.push(Action {
                    status: a.status,
                    horizon: a.horizon,
                    owner: self.owners.id(&a.owner),
                    due: a.due,
                    done_at: a.done_at,
                });
            }
        }
        for (id, at) in facts::reviews(conn, which).await? {
            if let Some(r) = fresh.get_mut(&id) {
                r.reviewed_at = Some(at);
            }
        }
        // Asked-for ids that are gone were deleted.
        if let Which::Ids(ids) = which {
            for id in ids {
                if !fresh.contains_key(id) {
                    self.remove(*id);
                }
            }
        }
        for (_, mut row) in fresh {
            row.categories.sort();
            match self.index.get(&row.facts.id) {
                Some(&at) => self.rows[at] = row,
                None => {
                    self.index.insert(row.facts.id, self.rows.len());
                    self.rows.push(row);
                }
            }
        }
        Ok(())
    }

    fn remove(&mut self, id: i64) {
        if let Some(at) = self.index.remove(&id) {
            self.rows.swap_remove(at);
            if let Some(moved) = self.rows.get(at) {
                self.index.insert(moved.facts.id, at);
            }
        }
    }
}
