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

    pub async fn suggest(&self, title: String) -> Result<Vec<SearchHit>> {
        let search = self.clone();
        tokio::task::spawn_blocking(move || {
            let inner = &search.inner;
            if title.trim().chars().count() < 2 {
                return Ok(Vec::new());
            }
            let query = inner
                .title_parser
                .parse_query(&plain_words(&title))
                .unwrap_or_else(|_| Box::new(EmptyQuery));
            let searcher = inner.reader.searcher();
            let top =
                searcher.search(&query, &TopDocs::with_limit(SUGGESTIONS).order_by_score())?;
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
    fn search(&self, q: &SearchQuery) -> Result<SearchResults> {
        let (text, truncated) = match q.text.char_indices().nth(QUERY_MAX_CHARS) {
            Some((cut, _)) => (&q.text[..cut], true),
            None => (q.text.as_str(), false),
        };
        let words = !text.trim().is_empty();
        let (text_query, lenient) = if words {
            parse(&self.parser, text)
        } else {
            (Box::new(AllQuery) as Box<dyn Query>, false)
        };
        let mut clauses = vec![(Occur::Must, text_query)];
        clauses.extend(self.filters(q).into_iter().map(|f| (Occur::Must, f)));
        let query = BooleanQuery::new(clauses);

        let searcher = self.reader.searcher();
        let page = TopDocs::with_limit(q.limit.max(1)).and_offset(q.offset);
        let (top, total) = if words {
            searcher.search(&query, &(page.order_by_score(), Count))?
        } else {
            // No words: every match scores the same, so newest first.
            let (top, total) = searcher.search(
                &query,
                &(
                    page.order_by_fast_field::<i64>("sort_at", Order::Desc),
                    Count,
                ),
            )?;
            (top.into_iter().map(|(_, a)| (0.0, a)).collect(), total)
        };
        let snippets = Snippets::new(&searcher, &query, self)?;
        let hits = top
            .into_iter()
            .map(|(score, addr)| {
                let doc = self.doc(&searcher, addr)?;
                let (snippet, matched_in) = snippets.for_doc(&searcher, addr, &doc)?;
                Ok(SearchHit {
                    snippet,
                    matched_in,
                    ..self.hit(&doc, score)
                })
            })
            .collect::<Result<_>>()?;
        Ok(SearchResults {
            hits,
            total: total as u64,
            lenient,
            truncated,
        })
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

/// `text` as plain words: `field:` prefixes dropped (the field may not exist), every other
/// character that could be query syntax turned into a space, and operator words lowercased
/// (the analyzer lowercases anyway).
fn plain_words(text: &str) -> String {
    text.split_whitespace()
        .map(|w| w.rsplit(':').next().unwrap_or_default())
        .collect::<Vec<_>>()
        .join(" ")
        .chars()
        .map(|c| if c.is_alphanumeric() { c } else { ' ' })
        .collect::<String>()
        .to_lowercase()
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
    fn plain_words_drop_syntax() {
        let words = |q: &str| {
            plain_words(q)
                .split_whitespace()
                .map(String::from)
                .collect::<Vec<_>>()
        };
        assert_eq!(words("\"연결 풀 AND -:"), ["연결", "풀", "and"]);
        assert_eq!(words("nosuchfield:(Redis pools"), ["redis", "pools"]);
    }

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
