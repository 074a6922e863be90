//! Reading the index: searches with filters and snippets, title suggestions,
//! and the incidents whose 5-Why chains match a query.

use std::collections::HashSet;
use std::ops::Bound;

use app::domain::*;
use chrono::{DateTime, NaiveDate, Utc};
use tantivy::collector::{Count, TopDocs};
use tantivy::query::{
    AllQuery, BooleanQuery, EmptyQuery, Occur, Query, QueryParser, RangeQuery, TermQuery,
};
use tantivy::schema::{Field, IndexRecordOption, Value};
use tantivy::snippet::SnippetGenerator;
use tantivy::{DocAddress, DocSet, Order, Searcher, TantivyDocument, Term};

use super::ranked::RERANKED;
use super::reading::{Parsers, Reading, plain_words};
use super::tokenizer::{Side, analyzer};
use super::{Inner, Search};
use crate::error::Result;

/// Characters of context a snippet shows.
const SNIPPET_CHARS: usize = 180;
/// How many incidents the root-cause report considers for a query.
const ROOT_CAUSE_CANDIDATES: usize = 1_000;
const SUGGESTIONS: usize = 5;

impl Search {
    pub async fn search(&self, q: SearchQuery) -> Result<SearchResults> {
        let search = self.clone();
        tokio::task::spawn_blocking(move || search.inner.search(&q)).await?
    }

    /// Past incidents like a new one being filed, from its title and description: its plain
    /// words ranked as a search ranks them, glossary included.
    pub async fn suggest(&self, text: String) -> Result<Vec<SearchHit>> {
        let search = self.clone();
        tokio::task::spawn_blocking(move || {
            let inner = &search.inner;
            if text.trim().chars().count() < 2 {
                return Ok(Vec::new());
            }
            let reading = Reading::plain(&text, &inner.glossary);
            if reading.is_empty() {
                return Ok(Vec::new());
            }
            let searcher = inner.reader.searcher();
            let top = inner.ranked(&searcher, &reading, None, SUGGESTIONS)?;
            inner.plain_hits(&searcher, top)
        })
        .await?
    }

    /// Incidents whose 5-Why text or root causes match `text`, and whether it was read
    /// leniently.
    pub async fn root_cause_incidents(&self, text: String) -> Result<(Vec<IncidentId>, bool)> {
        let search = self.clone();
        tokio::task::spawn_blocking(move || {
            let inner = &search.inner;
            let (query, lenient) = parse(&inner.root_parser, &text);
            let searcher = inner.reader.searcher();
            let top = searcher.search(
                &query,
                &TopDocs::with_limit(ROOT_CAUSE_CANDIDATES).order_by_score(),
            )?;
            let ids = top
                .into_iter()
                .map(|(_, addr)| inner.doc(&searcher, addr).map(|d| inner.id_of(&d)))
                .collect::<Result<_>>()?;
            Ok((ids, lenient))
        })
        .await?
    }
}

impl Inner {
    pub(super) fn parsers(&self) -> Parsers<'_> {
        Parsers {
            any: &self.any_parser,
            all: &self.parser,
            glossary: &self.glossary,
        }
    }

    fn search(&self, q: &SearchQuery) -> Result<SearchResults> {
        let (text, truncated) = match q.text.char_indices().nth(QUERY_MAX_CHARS) {
            Some((cut, _)) => (&q.text[..cut], true),
            None => (q.text.as_str(), false),
        };
        let searcher = self.reader.searcher();
        // Without filters a query stays as it is, so a flat union can still be pruned.
        let filtered = |query: Box<dyn Query>| -> Box<dyn Query> {
            let filters = self.filters(q);
            if filters.is_empty() {
                return query;
            }
            let mut clauses = vec![(Occur::Must, query)];
            clauses.extend(filters.into_iter().map(|f| (Occur::Must, f)));
            Box::new(BooleanQuery::new(clauses))
        };
        if text.trim().is_empty() {
            // No words: every match scores the same, so newest first.
            let query = filtered(Box::new(AllQuery));
            let page = TopDocs::with_limit(q.limit.max(1)).and_offset(q.offset);
            let top = searcher.search(
                &query,
                &page.order_by_fast_field::<i64>("sort_at", Order::Desc),
            )?;
            let total = searcher.search(&query, &Count)? as u64;
            let top = top.into_iter().map(|(_, a)| (0.0, a)).collect();
            return Ok(SearchResults {
                hits: self.hits_with_snippets(&searcher, &query, top)?,
                total,
                truncated,
                ..Default::default()
            });
        }
        let reading = Reading::new(text, &self.parsers());
        if reading.is_empty() {
            return Ok(SearchResults {
                lenient: reading.lenient,
                truncated,
                ..Default::default()
            });
        }
        let f = &self.fields;
        let total = searcher.search(&*filtered(reading.matching(f)), &Count)? as u64;
        // Without plain words every hit matches all there is: one count does.
        let exact = if reading.ranked() {
            searcher.search(&*filtered(reading.every_word(f)), &Count)? as u64
        } else {
            total
        };
        let top = self.page(
            &searcher,
            &reading,
            &filtered,
            q.offset,
            q.limit.max(1),
            exact,
        )?;
        let hits = self.hits_with_snippets(&searcher, &*reading.marks(f), top)?;
        Ok(SearchResults {
            hits,
            total,
            ranked: reading.ranked(),
            exact,
            glossary: reading.glossary,
            lenient: reading.lenient,
            truncated,
            scenarios: Vec::new(),
        })
    }

    /// Hits `offset..offset + limit` of a reading: re-ranked (see [`super::ranked`]), those
    /// with every word first. `exact` is how many have every word; should the page need more
    /// of them than the re-ranked window holds, they are fetched on their own.
    fn page(
        &self,
        searcher: &Searcher,
        reading: &Reading,
        filtered: &dyn Fn(Box<dyn Query>) -> Box<dyn Query>,
        offset: usize,
        limit: usize,
        exact: u64,
    ) -> Result<Vec<(f32, DocAddress)>> {
        let f = &self.fields;
        let end = offset + limit;
        if !reading.ranked() {
            let page = TopDocs::with_limit(limit).and_offset(offset);
            return Ok(searcher.search(&*filtered(reading.scored(f)), &page.order_by_score())?);
        }
        let window = end.max(RERANKED);
        let top = searcher.search(
            &*filtered(reading.scored(f)),
            &TopDocs::with_limit(window).order_by_score(),
        )?;
        let covers = reading.cover(searcher, f, &top)?;
        let (mut first, mut rest): (Vec<_>, Vec<_>) = top
            .iter()
            .zip(&covers)
            .map(|((_, addr), c)| (c.exact, (c.score, *addr)))
            .partition(|(exact, _)| *exact);
        let wanted = (exact as usize).min(end);
        if first.len() < wanted {
            let top = searcher.search(
                &*filtered(reading.every_word(f)),
                &TopDocs::with_limit(wanted).order_by_score(),
            )?;
            let covers = reading.cover(searcher, f, &top)?;
            first = top
                .iter()
                .zip(&covers)
                .map(|((_, addr), c)| (true, (c.score, *addr)))
                .collect();
        }
        let by_score = |a: &(bool, (f32, DocAddress)), b: &(bool, (f32, DocAddress))| {
            b.1.0.total_cmp(&a.1.0).then(a.1.1.cmp(&b.1.1))
        };
        first.sort_by(by_score);
        rest.sort_by(by_score);
        Ok(first
            .into_iter()
            .chain(rest)
            .map(|(_, hit)| hit)
            .skip(offset)
            .take(limit)
            .collect())
    }

    /// The best `limit` hits of plain words, re-ranked, leaving out incident `except`
    /// (suggestions, similar incidents).
    pub(super) fn ranked(
        &self,
        searcher: &Searcher,
        reading: &Reading,
        except: Option<IncidentId>,
        limit: usize,
    ) -> Result<Vec<(f32, DocAddress)>> {
        let f = &self.fields;
        let top = searcher.search(
            &*reading.scored(f),
            &TopDocs::with_limit(RERANKED.max(limit + 1)).order_by_score(),
        )?;
        let covers = reading.cover(searcher, f, &top)?;
        let mut hits: Vec<(f32, DocAddress)> = Vec::new();
        for ((_, addr), c) in top.iter().zip(&covers) {
            if let Some(id) = except
                && self.id_of(&self.doc(searcher, *addr)?) == id
            {
                continue;
            }
            hits.push((c.score, *addr));
        }
        hits.sort_by(|a, b| b.0.total_cmp(&a.0).then(a.1.cmp(&b.1)));
        hits.truncate(limit);
        Ok(hits)
    }

    /// Hits with where they matched and a snippet marked with `query`'s words.
    fn hits_with_snippets(
        &self,
        searcher: &Searcher,
        query: &dyn Query,
        top: Vec<(f32, DocAddress)>,
    ) -> Result<Vec<SearchHit>> {
        let snippets = Snippets::new(searcher, query, self)?;
        top.into_iter()
            .map(|(score, addr)| {
                let doc = self.doc(searcher, addr)?;
                let (snippet, matched_in) = snippets.for_doc(searcher, addr, &doc)?;
                Ok(SearchHit {
                    snippet,
                    matched_in,
                    ..self.hit(&doc, score)
                })
            })
            .collect()
    }

    fn filters(&self, q: &SearchQuery) -> Vec<Box<dyn Query>> {
        let f = &self.fields;
        let term = |field: Field, value: &str| -> Box<dyn Query> {
            Box::new(TermQuery::new(
                Term::from_field_text(field, value),
                IndexRecordOption::Basic,
            ))
        };
        let mut out = Vec::new();
        if let Some(s) = q.severity {
            out.push(term(f.severity, s.as_str()));
        }
        if let Some(s) = q.status {
            out.push(term(f.status, s.as_str()));
        }
        if let Some(s) = &q.service {
            out.push(term(f.service, s));
        }
        if let Some(c) = q.category {
            out.push(term(f.category, c.as_str()));
        }
        if q.from.is_some() || q.to.is_some() {
            let at = |d: NaiveDate| Term::from_field_i64(f.sort_at, self.day_start(d));
            let lower = q.from.map_or(Bound::Unbounded, |d| Bound::Included(at(d)));
            let upper =
                q.to.and_then(|d| d.succ_opt())
                    .map_or(Bound::Unbounded, |d| Bound::Excluded(at(d)));
            out.push(Box::new(RangeQuery::new(lower, upper)));
        }
        out
    }

    /// The first second of a day in the display zone, as Unix seconds.
    fn day_start(&self, day: NaiveDate) -> i64 {
        app::time::day_start(day, self.tz).timestamp()
    }

    pub(super) fn doc(&self, searcher: &Searcher, addr: DocAddress) -> Result<TantivyDocument> {
        Ok(searcher.doc(addr)?)
    }

    pub(super) fn id_query(&self, id: IncidentId) -> TermQuery {
        TermQuery::new(
            Term::from_field_i64(self.fields.id, id.get()),
            IndexRecordOption::Basic,
        )
    }

    /// Where incident `id`'s document is, if it is in the index.
    pub(super) fn address_of(
        &self,
        searcher: &Searcher,
        id: IncidentId,
    ) -> Result<Option<DocAddress>> {
        let top = searcher.search(&self.id_query(id), &TopDocs::with_limit(1).order_by_score())?;
        Ok(top.into_iter().next().map(|(_, addr)| addr))
    }

    fn id_of(&self, doc: &TantivyDocument) -> IncidentId {
        doc.get_first(self.fields.id)
            .and_then(|v| v.as_i64())
            .unwrap_or_default()
            .into()
    }

    fn hit(&self, doc: &TantivyDocument, score: f32) -> SearchHit {
        let text = |f: Field| {
            doc.get_first(f)
                .and_then(|v| v.as_str())
                .unwrap_or_default()
                .to_owned()
        };
        SearchHit {
            incident_id: self.id_of(doc),
            title: text(self.fields.title),
            severity: Severity::parse(&text(self.fields.severity)).unwrap_or(Severity::P3),
            started_at: doc
                .get_first(self.fields.started_at)
                .and_then(|v| v.as_i64())
                .and_then(|s| DateTime::<Utc>::from_timestamp(s, 0)),
            score,
            snippet: String::new(),
            matched_in: Vec::new(),
        }
    }

    /// Hits without snippets (similar incidents, suggestions).
    pub(super) fn plain_hits(
        &self,
        searcher: &Searcher,
        top: Vec<(f32, DocAddress)>,
    ) -> Result<Vec<SearchHit>> {
        top.into_iter()
            .map(|(score, addr)| Ok(self.hit(&self.doc(searcher, addr)?, score)))
            .collect()
    }
}

/// Where a search matched and what to show of it, prepared once per search.
struct Snippets {
    parts: Vec<(SearchPart, Field, SnippetGenerator)>,
    /// The query's terms, by field: a hit matched in a part if its postings hold one of them.
    terms: Vec<Term>,
    summary: Field,
}

impl Snippets {
    fn new(searcher: &Searcher, query: &dyn Query, inner: &Inner) -> Result<Self> {
        let parts = SearchPart::ALL
            .iter()
            .map(|&p| {
                let field = inner.fields.part(p);
                let mut g = SnippetGenerator::create(searcher, query, field)?;
                g.set_max_num_chars(SNIPPET_CHARS);
                Ok((p, field, g))
            })
            .collect::<Result<_>>()?;
        let mut terms = Vec::new();
        query.query_terms(&mut |term, _| terms.push(term.clone()));
        Ok(Self {
            parts,
            terms,
            summary: inner.fields.summary,
        })
    }

    /// Whether the document at `addr` holds one of the query's terms in `field` (a postings
    /// lookup: far cheaper than tokenizing the stored text again).
    fn matches(&self, searcher: &Searcher, addr: DocAddress, field: Field) -> Result<bool> {
        let segment = searcher.segment_reader(addr.segment_ord);
        let index = segment.inverted_index(field)?;
        for term in self.terms.iter().filter(|t| t.field() == field) {
            let postings = index
                .read_postings(term, IndexRecordOption::Basic)
                .map_err(tantivy::TantivyError::from)?;
            // `seek` may only move forward: a list that starts past the document lacks it.
            if let Some(mut postings) = postings
                && postings.doc() <= addr.doc_id
                && postings.seek(addr.doc_id) == addr.doc_id
            {
                return Ok(true);
            }
        }
        Ok(false)
    }

    /// Every part that matched, most telling first, and the snippet of the first body part
    /// among them (the summary's opening if only the title matched, or there were no words).
    fn for_doc(
        &self,
        searcher: &Searcher,
        addr: DocAddress,
        doc: &TantivyDocument,
    ) -> Result<(String, Vec<SearchPart>)> {
        let mut matched = Vec::new();
        let mut best = None;
        for (part, field, generator) in &self.parts {
            if !self.matches(searcher, addr, *field)? {
                continue;
            }
            matched.push(*part);
            if best.is_none() && *part != SearchPart::Title {
                let mut snippet = generator.snippet_from_doc(doc);
                if !snippet.highlighted().is_empty() {
                    snippet.set_snippet_prefix_postfix("<mark>", "</mark>");
                    best = Some(snippet.to_html());
                }
            }
        }
        let snippet = best.unwrap_or_else(|| {
            let summary = doc
                .get_first(self.summary)
                .and_then(|v| v.as_str())
                .unwrap_or_default();
            escape(&opening(summary, SNIPPET_CHARS))
        });
        Ok((snippet, matched))
    }
}

/// The text's first `chars` characters, ending at a word boundary, with an ellipsis if cut.
fn opening(text: &str, chars: usize) -> String {
    match text.char_indices().nth(chars) {
        None => text.to_owned(),
        Some((cut, _)) => {
            let head = &text[..cut];
            let end = head.rfind(char::is_whitespace).unwrap_or(cut);
            format!("{}…", head[..end].trim_end())
        }
    }
}

fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

/// Parses `text` with the query syntax, or, when that fails, as plain words (the `bool`).
fn parse(parser: &QueryParser, text: &str) -> (Box<dyn Query>, bool) {
    match parser.parse_query(text) {
        Ok(q) => (q, false),
        Err(_) => (
            parser
                .parse_query(&plain_words(text))
                .unwrap_or_else(|_| Box::new(EmptyQuery)),
            true,
        ),
    }
}

/// Whether every word of `query` occurs in `text`, as the index would see them (used to pick
/// the matching chains of an incident the index found). A query using the syntax (`OR`, `-`,
/// quotes, fields) cannot be judged word by word here, so it keeps every chain.
pub fn mentions_all(query: &str, text: &str) -> bool {
    let syntax = query
        .chars()
        .any(|c| !c.is_alphanumeric() && !c.is_whitespace())
        || query
            .split_whitespace()
            .any(|w| matches!(w, "OR" | "NOT" | "AND"));
    if syntax {
        return true;
    }
    let terms = |s: &str, side: Side| -> HashSet<String> {
        let mut a = analyzer(side);
        let mut stream = a.token_stream(s);
        let mut out = HashSet::new();
        while let Some(t) = stream.next() {
            out.insert(t.text.clone());
        }
        out
    };
    let have = terms(text, Side::Index);
    terms(&plain_words(query), Side::Query).is_subset(&have)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn openings_end_at_a_word() {
        assert_eq!(opening("short", 10), "short");
        assert_eq!(opening("Redis 연결 풀 고갈", 9), "Redis 연결…");
    }

    #[test]
    fn chains_match_when_they_mention_every_word() {
        assert!(mentions_all("연결 풀", "Redis 연결 풀이 고갈되었다"));
        assert!(mentions_all("Pools", "the pool was exhausted"));
        assert!(!mentions_all("연결 타임아웃", "Redis 연결 풀이 고갈되었다"));
        assert!(mentions_all(
            "연결 OR 타임아웃",
            "Redis 연결 풀이 고갈되었다"
        ));
    }
}
