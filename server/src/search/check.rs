//! `hoego check`: the search index compared with the database, incident by incident.
//!
//! For every incident the document the index should hold is built from the database as a
//! refresh would build it, and compared with the one it holds: every stored part (title, root
//! causes, 5-Whys, summary, impact, timeline, action items, narrative, severity, start), the
//! filter terms (status, each service and root-cause category) and the date it sorts by. Index
//! documents of incidents the database no longer has are listed too.

use std::collections::BTreeSet;
use std::fmt;

use app::domain::IncidentId;
use serde_json::{Map, Value};
use tantivy::collector::{Count, DocSetCollector};
use tantivy::query::{BooleanQuery, Occur, Query, TermQuery};
use tantivy::schema::{IndexRecordOption, Schema};
use tantivy::{Document as _, Searcher, TantivyDocument, Term};

use super::{REBUILD_BATCH, Search};
use crate::storage::{Store, search_marks, search_source};

/// What `hoego check` found.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct Report {
    pub incidents: u64,
    pub documents: u64,
    /// Incidents the index has no document for.
    pub missing: Vec<IncidentId>,
    /// Documents of incidents the database does not have.
    pub extra: Vec<IncidentId>,
    /// Incidents whose document differs, with the parts that differ.
    pub differing: Vec<(IncidentId, Vec<String>)>,
    /// Incidents written since they were last indexed (indexed again at the next start).
    pub marked: u64,
}

impl Report {
    /// Whether index and database agree in full.
    pub fn agrees(&self) -> bool {
        self.missing.is_empty() && self.extra.is_empty() && self.differing.is_empty()
    }
}

impl fmt::Display for Report {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let ids = |ids: &[IncidentId]| {
            ids.iter()
                .map(|i| i.to_string())
                .collect::<Vec<_>>()
                .join(", ")
        };
        writeln!(
            f,
            "database: {} incidents; search index: {} documents",
            self.incidents, self.documents
        )?;
        if !self.missing.is_empty() {
            writeln!(f, "not in the index: {}", ids(&self.missing))?;
        }
        if !self.extra.is_empty() {
            writeln!(f, "in the index but deleted: {}", ids(&self.extra))?;
        }
        for (id, parts) in &self.differing {
            writeln!(
                f,
                "incident {id}: the index differs in {}",
                parts.join(", ")
            )?;
        }
        if self.marked > 0 {
            writeln!(
                f,
                "{} incidents written since last indexed (indexed again when hoego serve starts)",
                self.marked
            )?;
        }
        if self.agrees() {
            writeln!(f, "index and database agree")
        } else {
            writeln!(
                f,
                "index and database differ: run `hoego reindex` to rebuild the index"
            )
        }
    }
}

impl Search {
    /// Compares the whole index with the whole database.
    pub async fn check(&self, store: &Store) -> anyhow::Result<Report> {
        let marked = search_marks::count(store).await?;
        let (search, store) = (self.clone(), store.clone());
        let runtime = tokio::runtime::Handle::current();
        let mut report = tokio::task::spawn_blocking(move || -> anyhow::Result<Report> {
            let searcher = search.inner.reader.searcher();
            let mut report = Report {
                documents: searcher.num_docs(),
                ..Report::default()
            };
            let mut indexed: BTreeSet<IncidentId> =
                super::live_ids(&searcher)?.into_iter().collect();
            let mut after = IncidentId::default();
            loop {
                let batch = runtime.block_on(search_source::batch(&store, after, REBUILD_BATCH))?;
                let Some(last) = batch.last() else { break };
                after = last.incident.id;
                for source in &batch {
                    let id = source.incident.id;
                    report.incidents += 1;
                    indexed.remove(&id);
                    let expected = search.inner.fields.document(source);
                    match search.differences(&searcher, id, &expected)? {
                        None => report.missing.push(id),
                        Some(parts) if !parts.is_empty() => report.differing.push((id, parts)),
                        Some(_) => {}
                    }
                }
            }
            report.extra = indexed.into_iter().collect();
            Ok(report)
        })
        .await??;
        report.marked = marked;
        Ok(report)
    }

    /// The parts in which incident `id`'s document differs from `expected`, or `None` when the
    /// index has no document for it.
    fn differences(
        &self,
        searcher: &Searcher,
        id: IncidentId,
        expected: &TantivyDocument,
    ) -> anyhow::Result<Option<Vec<String>>> {
        let inner = &self.inner;
        let schema = searcher.schema();
        let found = searcher.search(&inner.id_query(id), &DocSetCollector)?;
        let Some(&addr) = found.iter().next() else {
            return Ok(None);
        };
        let mut parts = Vec::new();
        if found.len() > 1 {
            parts.push(format!("{} documents for one incident", found.len()));
        }
        // Stored parts: what the index holds against what it should.
        let held = as_map(schema, &searcher.doc::<TantivyDocument>(addr)?);
        let wanted = as_map(schema, expected);
        for (name, value) in &wanted {
            let stored = schema
                .get_field(name)
                .is_ok_and(|f| schema.get_field_entry(f).is_stored());
            if stored && held.get(name) != Some(value) {
                parts.push(name.clone());
            }
        }
        // Filter terms, which are not stored: the document must match each.
        for field in [
            inner.fields.status,
            inner.fields.service,
            inner.fields.category,
        ] {
            let name = schema.get_field_name(field);
            let values = wanted.get(name).and_then(Value::as_array);
            let all_match = values
                .into_iter()
                .flatten()
                .filter_map(Value::as_str)
                .all(|v| {
                    let both: Vec<(Occur, Box<dyn Query>)> = vec![
                        (Occur::Must, Box::new(inner.id_query(id))),
                        (
                            Occur::Must,
                            Box::new(TermQuery::new(
                                Term::from_field_text(field, v),
                                IndexRecordOption::Basic,
                            )),
                        ),
                    ];
                    searcher
                        .search(&BooleanQuery::new(both), &Count)
                        .is_ok_and(|n| n > 0)
                });
            if !all_match {
                parts.push(name.to_owned());
            }
        }
        // The date it sorts and filters by.
        let column = searcher
            .segment_reader(addr.segment_ord)
            .fast_fields()
            .i64(schema.get_field_name(inner.fields.sort_at))?;
        let sort_at = expected.get_first(inner.fields.sort_at).and_then(|v| {
            use tantivy::schema::Value as _;
            v.as_i64()
        });
        if column.first(addr.doc_id) != sort_at {
            parts.push("sort_at".into());
        }
        Ok(Some(parts))
    }
}

/// A document's fields as JSON values (each a list of values), by field name.
fn as_map(schema: &Schema, doc: &TantivyDocument) -> Map<String, Value> {
    match serde_json::from_str(&doc.to_json(schema)) {
        Ok(Value::Object(map)) => map,
        _ => Map::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_report_says_what_differs_and_what_to_do() {
        let report = Report {
            incidents: 3,
            documents: 3,
            missing: vec![IncidentId::from(2)],
            extra: vec![IncidentId::from(9)],
            differing: vec![(IncidentId::from(3), vec!["title".into(), "status".into()])],
            marked: 1,
        };
        assert!(!report.agrees());
        assert_eq!(
            report.to_string(),
            "database: 3 incidents; search index: 3 documents\n\
             not in the index: 2\n\
             in the index but deleted: 9\n\
             incident 3: the index differs in title, status\n\
             1 incidents written since last indexed (indexed again when hoego serve starts)\n\
             index and database differ: run `hoego reindex` to rebuild the index\n"
        );
        let fine = Report {
            incidents: 1,
            documents: 1,
            ..Report::default()
        };
        assert!(fine.agrees());
        assert!(fine.to_string().ends_with("index and database agree\n"));
    }
}
