//! The insights' copy of every incident: the few facts the figures are computed from, kept in
//! memory so a view over 100,000 incidents is a pass over a vector rather than a million rows
//! through the database driver.

use std::collections::HashMap;

use app::domain::*;
use chrono::{DateTime, Duration, NaiveDate, Utc};
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

    /// How many names there are; ids are below it.
    pub fn len(&self) -> usize {
        self.names.len()
    }

    pub fn is_empty(&self) -> bool {
        self.names.is_empty()
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
    /// When it was due: the end of its due day in the display zone, else its horizon's
    /// allowance after the incident's detection (or start). Worked out when read, since every
    /// view judges every item against it.
    pub deadline: Option<DateTime<Utc>>,
}

impl Action {
    fn deadline(&self, clock_start: Option<DateTime<Utc>>, tz: Tz) -> Option<DateTime<Utc>> {
        match self.due {
            Some(d) => Some(app::time::day_start(d + Duration::days(1), tz)),
            None => Some(clock_start? + Duration::seconds(horizon_allowance_seconds(self.horizon))),
        }
    }
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
    /// TTD, TTA and TTR in seconds, where both timestamps are known.
    seconds: [Option<i64>; 3],
}

impl Row {
    fn new(facts: IncidentFacts, tz: Tz) -> Self {
        let since_start =
            |end: Option<DateTime<Utc>>| Some((end? - facts.started_at?).num_seconds());
        Row {
            day: facts.sort_at.with_timezone(&tz).date_naive(),
            seconds: [
                since_start(facts.detected_at),
                since_start(facts.acknowledged_at),
                since_start(facts.recovered_at),
            ],
            facts,
            services: Vec::new(),
            categories: Vec::new(),
            actions: Vec::new(),
            reviewed_at: None,
        }
    }

    /// The duration of `m` in seconds, if both its timestamps are known.
    pub fn seconds(&self, m: Measure) -> Option<i64> {
        self.seconds[m as usize]
    }

    /// Where its action items' clocks start: detection, else the start.
    pub fn clock_start(&self) -> Option<DateTime<Utc>> {
        self.facts.detected_at.or(self.facts.started_at)
    }
}

/// Every incident, oldest first (by `sort_at`, then id), and where each is: a view's dates
/// are then one slice, and a walk through time needs no sort.
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
            .map(|f| (f.id, Row::new(f, tz)))
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
                let mut action = Action {
                    status: a.status,
                    horizon: a.horizon,
                    owner: self.owners.id(&a.owner),
                    due: a.due,
                    done_at: a.done_at,
                    deadline: None,
                };
                action.deadline = action.deadline(r.clock_start(), tz);
                r.actions.push(action);
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
        self.rows
            .sort_unstable_by_key(|r| (r.facts.sort_at, r.facts.id));
        self.index = self
            .rows
            .iter()
            .enumerate()
            .map(|(at, r)| (r.facts.id, at))
            .collect();
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

    /// The incident with this id, if held.
    pub fn get(&self, id: i64) -> Option<&Row> {
        self.index.get(&id).map(|at| &self.rows[*at])
    }

    /// The incidents whose day is in `from..=to`, oldest first.
    pub fn between(&self, from: NaiveDate, to: NaiveDate) -> &[Row] {
        let start = self.rows.partition_point(|r| r.day < from);
        let end = self.rows.partition_point(|r| r.day <= to);
        &self.rows[start..end.max(start)]
    }
}
