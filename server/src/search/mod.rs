//! Full-text search: a tantivy index derived from the database.
//!
//! The database stays the truth. The index lives in `<data dir>/search-v{VERSION}`; at start it
//! is rebuilt when missing, unreadable, from another schema version, or holding a different
//! number of documents than there are incidents ([`Search::sync`]). After every write the
//! service calls [`Search::refresh`], which re-reads that incident from the database and
//! commits before the write returns, on a blocking thread so async workers never wait on disk.
//! Each write also marks what it changed in the database, in its own transaction; a refresh
//! clears the mark, and at start every incident still marked is indexed again
//! ([`Search::catch_up`]), so a crash between a write and its indexing loses nothing.
//! [`check`] compares the two in full (`hoego check`).
//!
//! - [`tokenizer`] Korean bigrams + stemmed English words
//! - [`words`]     a query's words: stems, Korean endings, stop words
//! - [`glossary`]  Korean/English terms that mean the same, applied at query time
//! - [`reading`]   how a query text becomes concepts, required and excluded clauses
//! - [`ranked`]    the ranked queries and the re-ranking of the best hits
//! - [`schema`]    fields and documents
//! - [`query`]     searches, suggestions, root-cause candidates
//! - [`similar`]   similar incidents, kept per incident

pub mod check;
pub mod glossary;
pub mod query;
pub mod ranked;
pub mod reading;
pub mod scenario_hits;
pub mod schema;
pub mod similar;
pub mod tokenizer;
pub mod words;

use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

use anyhow::Context;
use app::domain::IncidentId;
use chrono_tz::Tz;
use tantivy::query::QueryParser;
use tantivy::tokenizer::TokenizerManager;
use tantivy::{Index, IndexReader, IndexWriter, ReloadPolicy, Term};

use crate::error::Result;
use crate::storage::{Store, search_marks, search_source};
use glossary::Glossary;
use schema::Fields;
use tokenizer::Side;

/// Bump when the schema or the tokenizer changes: the old directory is then ignored, removed,
/// and the index rebuilt from the database.
pub const VERSION: u32 = 2;
/// Incidents read from the database per statement during a rebuild.
const REBUILD_BATCH: i64 = 1_000;
/// Memory the index writer may use before it flushes a segment.
const WRITER_MEMORY: usize = 64 * 1024 * 1024;

/// The index, shared by all requests.
#[derive(Clone)]
pub struct Search {
    inner: Arc<Inner>,
}

struct Inner {
    reader: IndexReader,
    /// Only one writer may exist per index; commits take it exclusively.
    writer: Mutex<IndexWriter>,
    fields: Fields,
    /// All parts, words required, title weighed up (boolean queries).
    parser: QueryParser,
    /// All parts, any word, title weighed up (ranked queries).
    any_parser: QueryParser,
    glossary: Glossary,
    /// 5-Why text and root causes (the root-cause report).
    root_parser: QueryParser,
    tz: Tz,
    /// Serialises refreshes so the last one to run has read the latest database state.
    order: tokio::sync::Mutex<()>,
    /// Similar-incident lists, kept until a write may change them (see [`similar`]).
    similar: std::sync::Mutex<similar::SimilarLists>,
}

/// Why the index was (re)built at start, for the log.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Rebuilt {
    /// It matched the database.
    No,
    /// There was none (first start, a new schema version, or the directory was deleted).
    Missing,
    /// It held another number of documents than there are incidents.
    Mismatch { documents: u64, incidents: u64 },
}

impl Search {
    /// The glossary queries are read with.
    pub fn glossary(&self) -> &Glossary {
        &self.inner.glossary
    }

    /// The index directory inside a data dir.
    pub fn dir(data_dir: &Path) -> PathBuf {
        data_dir.join(format!("search-v{VERSION}"))
    }

    /// Opens the index in `data_dir`, creating it if needed; directories of other versions
    /// are removed; the glossary is the shipped one plus `<data dir>/glossary.txt`. An index
    /// that cannot be read (a damaged file, another schema) is set aside and a new one made:
    /// it is derived data, and hoego should start. The `bool` says the index is new. Call
    /// [`sync`](Self::sync) before serving.
    pub fn open(data_dir: &Path, tz: Tz) -> anyhow::Result<(Search, bool)> {
        remove_old_versions(data_dir)?;
        let glossary = Glossary::load(data_dir)?;
        let dir = Self::dir(data_dir);
        if dir.join("meta.json").exists() {
            match Self::open_existing(&dir, tz, glossary.clone()) {
                Ok(search) => return Ok((search, false)),
                // Another hoego holds the index: never throw away what it is writing.
                Err(e) if is_locked(&e) => return Err(e),
                Err(e) => {
                    let aside = dir.with_extension(format!(
                        "unreadable-{}",
                        chrono::Utc::now().format("%Y%m%dT%H%M%S")
                    ));
                    tracing::warn!(error = format!("{e:#}"), dir = %dir.display(),
                        set_aside = %aside.display(), "search index unreadable; rebuilding it");
                    std::fs::rename(&dir, &aside)
                        .with_context(|| format!("moving {} aside", dir.display()))?;
                }
            }
        }
        std::fs::create_dir_all(&dir).with_context(|| format!("creating {}", dir.display()))?;
        let (schema, fields) = Fields::schema();
        let index = Index::create_in_dir(&dir, schema).context("creating the search index")?;
        Ok((Self::with_index(index, fields, tz, glossary)?, true))
    }

    /// Opens an index that exists, failing if it cannot be read in full or has another schema.
    fn open_existing(dir: &Path, tz: Tz, glossary: Glossary) -> anyhow::Result<Search> {
        let (schema, fields) = Fields::schema();
        let index = Index::open_in_dir(dir).context("opening the search index")?;
        anyhow::ensure!(index.schema() == schema, "the index has another schema");
        let search = Self::with_index(index, fields, tz, glossary)?;
        // Opening reads only the metadata: read every document once so a damaged segment
        // shows now, not in the middle of a search.
        search
            .inner
            .reader
            .searcher()
            .segment_readers()
            .iter()
            .try_for_each(|segment| {
                let store = segment.get_store_reader(0)?;
                store
                    .iter::<tantivy::TantivyDocument>(segment.alive_bitset())
                    .try_for_each(|d| d.map(drop))
            })?;
        Ok(search)
    }

    fn with_index(
        index: Index,
        fields: Fields,
        tz: Tz,
        glossary: Glossary,
    ) -> anyhow::Result<Search> {
        index
            .tokenizers()
            .register(tokenizer::NAME, tokenizer::analyzer(Side::Index));
        let query_tokenizers = TokenizerManager::default();
        query_tokenizers.register(tokenizer::NAME, tokenizer::analyzer(Side::Query));
        let schema = index.schema();
        let parser_for = |parts: Vec<tantivy::schema::Field>, all_words: bool| {
            let mut p = QueryParser::new(schema.clone(), parts, query_tokenizers.clone());
            if all_words {
                p.set_conjunction_by_default();
            }
            p.set_field_boost(fields.title, 3.0);
            p.set_field_boost(fields.root_cause, 1.5);
            p
        };
        let parser = parser_for(fields.parts(), true);
        let any_parser = parser_for(fields.parts(), false);
        let root_parser = parser_for(vec![fields.root_cause, fields.five_whys], true);
        let writer = index
            .writer(WRITER_MEMORY)
            .context("locking the search index (is another hoego using this data dir?)")?;
        let reader = index
            .reader_builder()
            .reload_policy(ReloadPolicy::Manual)
            .try_into()?;
        Ok(Search {
            inner: Arc::new(Inner {
                reader,
                writer: Mutex::new(writer),
                fields,
                parser,
                any_parser,
                glossary,
                root_parser,
                tz,
                order: tokio::sync::Mutex::new(()),
                similar: Default::default(),
            }),
        })
    }

    /// Documents in the index.
    pub fn documents(&self) -> u64 {
        self.inner.reader.searcher().num_docs()
    }

    /// Rebuilds the index if it was just created or does not hold one document per incident.
    pub async fn sync(
        &self,
        store: &Store,
        created: bool,
        progress: impl FnMut(u64, u64) + Send + 'static,
    ) -> anyhow::Result<Rebuilt> {
        let incidents = search_source::count(store).await?;
        let documents = self.documents();
        let why = if created {
            Rebuilt::Missing
        } else if documents != incidents {
            Rebuilt::Mismatch {
                documents,
                incidents,
            }
        } else {
            return Ok(Rebuilt::No);
        };
        if incidents > 0 || documents > 0 {
            self.rebuild(store, progress).await?;
        }
        Ok(why)
    }

    /// Replaces the whole index with documents built from the database, reporting
    /// `(done, total)` after each batch. Returns the number of documents.
    pub async fn rebuild(
        &self,
        store: &Store,
        mut progress: impl FnMut(u64, u64) + Send + 'static,
    ) -> anyhow::Result<u64> {
        let _in_order = self.inner.order.lock().await;
        // Marks read before the incidents: the rebuild covers these writes.
        let marks = search_marks::all(store).await?;
        let total = search_source::count(store).await?;
        let (search, reading) = (self.clone(), store.clone());
        let runtime = tokio::runtime::Handle::current();
        let done = tokio::task::spawn_blocking(move || -> anyhow::Result<u64> {
            let store = reading;
            let inner = &search.inner;
            let mut writer = inner.writer.lock().expect("index writer lock poisoned");
            writer.delete_all_documents()?;
            let (mut after, mut done) = (IncidentId::default(), 0u64);
            progress(0, total);
            loop {
                let batch = runtime.block_on(search_source::batch(&store, after, REBUILD_BATCH))?;
                let Some(last) = batch.last() else { break };
                after = last.incident.id;
                for source in &batch {
                    writer.add_document(inner.fields.document(source))?;
                }
                done += batch.len() as u64;
                progress(done, total.max(done));
            }
            writer.commit()?;
            // One segment: a ranked query opens each term's postings once per segment, and
            // a rebuild leaves several; later writes add small ones the merge policy handles.
            let segments = writer.index().searchable_segment_ids()?;
            if segments.len() > 1 {
                writer.merge(&segments).wait()?;
            }
            inner.reader.reload()?;
            inner.similar.lock().expect("similar lists").clear();
            Ok(done)
        })
        .await??;
        search_marks::clear(store, &marks).await?;
        Ok(done)
    }

    /// Indexes again every incident a write marked and no refresh cleared (a crash between a
    /// write and its indexing, a failed index commit). Returns how many it indexed; one that
    /// fails is logged and stays marked for the next try.
    pub async fn catch_up(&self, store: &Store) -> usize {
        let marks = match search_marks::all(store).await {
            Ok(marks) => marks,
            Err(e) => {
                tracing::warn!(error = %e, "could not read which incidents need indexing");
                return 0;
            }
        };
        let mut done = 0;
        for mark in &marks {
            match self.refresh(store, mark.incident()).await {
                Ok(()) => done += 1,
                Err(e) => {
                    tracing::warn!(incident = %mark.incident(), error = %e, "indexing failed again")
                }
            }
        }
        done
    }

    /// While serving, tries every minute to index what a failed refresh left marked, so the
    /// index does not stay behind until the next start.
    pub fn keep_catching_up(&self, store: Store) {
        let search = self.clone();
        tokio::spawn(async move {
            let mut every = tokio::time::interval(std::time::Duration::from_secs(60));
            every.tick().await;
            loop {
                every.tick().await;
                if search_marks::count(&store).await.unwrap_or(0) > 0 {
                    search.catch_up(&store).await;
                }
            }
        });
    }

    /// Makes the index show incident `id` as the database has it now (or not at all, if it was
    /// deleted). Returns once searches see it.
    pub async fn refresh(&self, store: &Store, id: IncidentId) -> Result<()> {
        let _in_order = self.inner.order.lock().await;
        // The mark is read before the incident, so a write that lands after this read keeps
        // its mark even though the index may already show it.
        let mark = search_marks::one(store, id).await?;
        let source = search_source::one(store, id).await?;
        let search = self.clone();
        tokio::task::spawn_blocking(move || -> Result<()> {
            let inner = &search.inner;
            let mut writer = inner.writer.lock().expect("index writer lock poisoned");
            writer.delete_term(Term::from_field_i64(inner.fields.id, id.get()));
            if let Some(s) = &source {
                writer.add_document(inner.fields.document(s))?;
            }
            writer.commit()?;
            inner.reader.reload()?;
            search.relist_around(id)
        })
        .await??;
        search_marks::clear(store, mark.as_slice()).await
    }
}

/// Every incident the index holds a live document for, in no particular order.
fn live_ids(searcher: &tantivy::Searcher) -> tantivy::Result<Vec<IncidentId>> {
    let mut ids = Vec::with_capacity(searcher.num_docs() as usize);
    for segment in searcher.segment_readers() {
        let column = segment.fast_fields().i64("id")?;
        ids.extend(
            segment
                .doc_ids_alive()
                .filter_map(|doc| column.first(doc))
                .map(IncidentId::from),
        );
    }
    Ok(ids)
}

/// Whether opening failed because another process holds the index's writer lock.
pub fn is_locked(e: &anyhow::Error) -> bool {
    e.chain().any(|cause| {
        matches!(
            cause.downcast_ref::<tantivy::TantivyError>(),
            Some(tantivy::TantivyError::LockFailure(..))
        )
    })
}

/// Removes `search-v*` directories of other versions.
fn remove_old_versions(data_dir: &Path) -> anyhow::Result<()> {
    let current = format!("search-v{VERSION}");
    let Ok(entries) = std::fs::read_dir(data_dir) else {
        return Ok(());
    };
    for entry in entries.flatten() {
        let name = entry.file_name().to_string_lossy().into_owned();
        if name.starts_with("search-v") && name != current && entry.path().is_dir() {
            tracing::info!(dir = %entry.path().display(), "removing an old search index");
            std::fs::remove_dir_all(entry.path())?;
        }
    }
    Ok(())
}
