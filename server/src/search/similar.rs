//! "Similar incidents": the past incidents most like an incident, found by searching for what
//! it is about (its title, root causes and the opening of its summary) with the same ranked
//! reading, glossary included, as the search box uses.
//!
//! The query costs about as much as rendering the rest of an incident page, and an incident is
//! read far more often than anything is written. So each incident's list is kept
//! ([`SimilarLists`]) and reused until a write could change it: a write re-ranks the incident it
//! touched and forgets the lists that held it or that it now comes close to
//! ([`Search::relist_around`]). After start, the lists of every incident are filled in the
//! background ([`Search::precompute_similar`]), so the first reader of an old incident does
//! not wait for the query either.
//!
//! Kept lists are not re-ranked when a write only shifts word statistics slightly (a new
//! incident sharing a few common words with a distant one); scores may then differ in the
//! last digits from a fresh query, never the incidents a write made relevant or removed.

use std::collections::HashMap;
use std::time::Instant;

use app::domain::{IncidentId, SearchHit};
use tantivy::Searcher;
use tantivy::schema::{Field, Value};

use super::reading::Reading;
use super::{Inner, Search};
use crate::error::Result;

/// Hits kept per incident: the page shows five and so does the API by default; a longer
/// list (the API's `limit` goes to 20) is computed on each request.
pub const KEPT: usize = 5;
/// How far a write reaches: the lists of the incidents among the written one's nearest
/// `REACH` are forgotten, as the written one may now belong in them.
const REACH: usize = 20;
/// At most this many lists are kept (about 1 KB each); beyond it lists are computed on each
/// request, and the background fill covers the newest incidents.
const CAPACITY: usize = 20_000;
/// How much of each part the query reads. The opening of a text says what it is about;
/// reading all of a 10,000-character narrative on every query would cost time in proportion
/// and find the same neighbours.
const ABOUT_CHARS: usize = 200;

/// Similar-incident lists by incident id, [`KEPT`] hits each.
pub(super) type SimilarLists = HashMap<IncidentId, Vec<SearchHit>>;

/// Keeps the first [`KEPT`] of `hits` as `id`'s list, unless [`CAPACITY`] lists are kept.
fn remember(lists: &mut SimilarLists, id: IncidentId, hits: &[SearchHit]) {
    if lists.len() < CAPACITY {
        lists.insert(id, hits.iter().take(KEPT).cloned().collect());
    }
}

impl Search {
    pub async fn similar(&self, id: IncidentId, limit: usize) -> Result<Vec<SearchHit>> {
        // A kept list is answered here; only a query goes to a blocking thread.
        if let Some(hits) = self.inner.kept(id, limit) {
            return Ok(hits);
        }
        let search = self.clone();
        tokio::task::spawn_blocking(move || search.inner.similar_now(id, limit)).await?
    }

    /// Fills the list of every incident not listed yet, newest first, on one blocking thread
    /// (the other cores keep serving), and logs how long it took.
    pub fn precompute_similar(&self) {
        let search = self.clone();
        tokio::task::spawn_blocking(move || {
            let started = Instant::now();
            match search.inner.fill_lists() {
                Ok(filled) => tracing::info!(
                    incidents = filled,
                    seconds = started.elapsed().as_secs_f32(),
                    "similar incidents precomputed"
                ),
                Err(e) => tracing::warn!(error = %e, "could not precompute similar incidents"),
            }
        });
    }

    /// After incident `id` was written and the reader reloaded: lists its neighbours afresh
    /// and forgets every list the write may have changed — those that held `id` (its title
    /// or text changed, or it is gone) and those of its nearest [`REACH`] (it may now belong
    /// in them). Runs on the writer's blocking thread, so writes are serialised.
    pub(super) fn relist_around(&self, id: IncidentId) -> Result<()> {
        let inner = &self.inner;
        let searcher = inner.reader.searcher();
        let near = inner.find_similar(&searcher, id, REACH)?;
        let mut kept = inner.similar.lock().expect("similar lists");
        kept.retain(|_, hits| !hits.iter().any(|h| h.incident_id == id));
        kept.remove(&id);
        if let Some(near) = near {
            for hit in &near {
                kept.remove(&hit.incident_id);
            }
            remember(&mut kept, id, &near);
        }
        Ok(())
    }
}

impl Inner {
    /// The first `limit` hits of `id`'s kept list, if it has one that long.
    fn kept(&self, id: IncidentId, limit: usize) -> Option<Vec<SearchHit>> {
        let kept = self.similar.lock().expect("similar lists");
        let hits = kept.get(&id).filter(|_| limit <= KEPT)?;
        Some(hits.iter().take(limit).cloned().collect())
    }

    fn similar_now(&self, id: IncidentId, limit: usize) -> Result<Vec<SearchHit>> {
        if let Some(hits) = self.kept(id, limit) {
            return Ok(hits);
        }
        let searcher = self.reader.searcher();
        let hits = self
            .find_similar(&searcher, id, limit.max(KEPT))?
            .unwrap_or_default();
        self.keep(&searcher, id, &hits);
        Ok(hits.into_iter().take(limit).collect())
    }

    /// Keeps `hits`, found with `searcher`, unless the index changed meanwhile: a write that
    /// committed since may have made them stale, and [`Search::relist_around`] has already
    /// forgotten what it touched.
    fn keep(&self, searcher: &Searcher, id: IncidentId, hits: &[SearchHit]) {
        let mut kept = self.similar.lock().expect("similar lists");
        let current = self.reader.searcher().generation().generation_id();
        if current == searcher.generation().generation_id() {
            remember(&mut kept, id, hits);
        }
    }

    /// Lists every incident that has no list yet, newest first, up to [`CAPACITY`]. Returns
    /// how many it listed.
    fn fill_lists(&self) -> Result<usize> {
        let mut ids = super::live_ids(&self.reader.searcher())?;
        ids.sort_unstable_by(|a, b| b.cmp(a));
        let mut filled = 0;
        for id in ids.into_iter().take(CAPACITY) {
            let listed = self
                .similar
                .lock()
                .expect("similar lists")
                .contains_key(&id);
            if !listed {
                let searcher = self.reader.searcher();
                if let Some(hits) = self.find_similar(&searcher, id, KEPT)? {
                    self.keep(&searcher, id, &hits);
                    filled += 1;
                }
            }
        }
        Ok(filled)
    }

    /// The `limit` incidents most like `id`, or `None` if `id` is not in the index.
    fn find_similar(
        &self,
        searcher: &Searcher,
        id: IncidentId,
        limit: usize,
    ) -> Result<Option<Vec<SearchHit>>> {
        let Some(addr) = self.address_of(searcher, id)? else {
            return Ok(None);
        };
        let doc = self.doc(searcher, addr)?;
        // What the incident is about, read as a search would read it, glossary included (so a
        // Korean postmortem finds its English twin): its title and root causes, or, before a
        // cause is known, the opening of its summary. (The summary beside a cause weighs the
        // circumstances, "coupon event", as much as the failure.)
        let text = |f: Field| {
            doc.get_first(f)
                .and_then(|v| v.as_str())
                .map(|s| about(s).to_owned())
                .unwrap_or_default()
        };
        let f = &self.fields;
        let cause = text(f.root_cause);
        let context = if cause.trim().is_empty() {
            text(f.summary)
        } else {
            cause
        };
        let about_it = format!("{}\n{context}", text(f.title));
        let reading = Reading::plain(&about_it, &self.glossary);
        if reading.is_empty() {
            return Ok(Some(Vec::new()));
        }
        let top = self.ranked(searcher, &reading, Some(id), limit)?;
        self.plain_hits(searcher, top).map(Some)
    }
}

fn about(text: &str) -> &str {
    match text.char_indices().nth(ABOUT_CHARS) {
        Some((cut, _)) => &text[..cut],
        None => text,
    }
}
