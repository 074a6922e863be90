//! Ranking plain words: the queries a [`Reading`]'s concepts become, and the re-ranking of the
//! best hits.
//!
//! Scoring is BM25 over two fields: the title (×3) and `all`, every part in one field (the
//! root causes twice). Each token is one flat `TermQuery` clause, weighted by 1/(tokens of its
//! word), so a Korean word of three bigrams counts as much as one English word; glossary
//! alternatives at [`GLOSSARY_WEIGHT`], so a literal match outranks a translated one. A flat
//! union of term queries is what tantivy prunes with block-max WAND; nested queries or phrases
//! would make every matching postmortem be scored (at 100,000 postmortems, 30–80 ms for a
//! question instead of a few).
//!
//! The best [`RERANKED`] hits (more for a deeper page) are then re-ranked, knowing per hit which concepts it matches:
//! - hits holding every word as typed (and all that is required) come first;
//! - BM25 is scaled by the share of the concepts matched, literally or through the glossary
//!   (Lucene's classic "coord"): BM25 alone lets a postmortem repeating two of a question's
//!   words in its title outrank one that answers all of it, partly in the other language;
//! - neighbouring words found close together raise the score by up to [`NEAR_BONUS`].
//!
//! Counts use term queries on `all` only: the hits with every literal token, and the hits with
//! any token.

use std::collections::HashMap;

use tantivy::query::{
    BooleanQuery, BoostQuery, EnableScoring, Occur, PhraseQuery, Query, TermQuery,
};
use tantivy::schema::{Field, IndexRecordOption};
use tantivy::{DocAddress, DocSet, Searcher, Term};

use super::reading::{Concept, Reading};
use super::schema::Fields;

/// How much a match through the glossary counts against a literal one.
const GLOSSARY_WEIGHT: f32 = 0.5;
/// The most that closeness can add: the share of neighbouring concepts found close together,
/// times this.
const NEAR_BONUS: f32 = 0.25;
/// How far apart (in positions) neighbouring concepts may be to count as close. A Korean
/// word spans one position per syllable, so this allows a word or two between.
const NEAR_SLOP: u32 = 4;
/// How many of the best BM25 hits are re-ranked (more when a page reaches deeper).
/// Fewer means more pruning (the 40th best score is a higher bar than the 100th): at 100,000
/// postmortems a question's best 40 cost about half what its best 100 do.
pub const RERANKED: usize = 40;
/// At most this many glossary alternatives per concept (the first in its group), so a word
/// with a long list of spellings does not become dozens of clauses.
const MAX_ALTERNATIVES: usize = 4;

/// What the re-ranking knows of one hit.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Cover {
    /// It holds every concept's literal tokens.
    pub exact: bool,
    /// BM25 times coverage times closeness.
    pub score: f32,
}

fn term(field: Field, token: &str) -> Term {
    Term::from_field_text(field, token)
}

fn term_query(field: Field, token: &str) -> Box<dyn Query> {
    Box::new(TermQuery::new(
        term(field, token),
        IndexRecordOption::WithFreqs,
    ))
}

/// Every token present in `all`.
fn all_of(fields: &Fields, tokens: &[String]) -> Box<dyn Query> {
    match tokens {
        [one] => term_query(fields.all, one),
        many => Box::new(BooleanQuery::new(
            many.iter()
                .map(|t| (Occur::Must, term_query(fields.all, t)))
                .collect(),
        )),
    }
}

impl Concept {
    /// Its literal tokens, or all tokens of one of its alternatives, in `all`.
    fn either(&self, fields: &Fields) -> Box<dyn Query> {
        if self.alternatives.is_empty() {
            return all_of(fields, &self.literal);
        }
        let mut clauses = vec![(Occur::Should, all_of(fields, &self.literal))];
        clauses.extend(
            self.alternatives
                .iter()
                .take(MAX_ALTERNATIVES)
                .map(|a| (Occur::Should, all_of(fields, a))),
        );
        Box::new(BooleanQuery::new(clauses))
    }
}

impl Reading {
    /// Each token's weight: 1/(tokens of its word) for literal tokens, [`GLOSSARY_WEIGHT`]
    /// times that for an alternative's; a token serving twice keeps its larger weight.
    fn token_weights(&self) -> Vec<(&str, f32)> {
        let mut weights: HashMap<&str, f32> = HashMap::new();
        for c in &self.concepts {
            let alternatives = c
                .alternatives
                .iter()
                .take(MAX_ALTERNATIVES)
                .map(|a| (a, GLOSSARY_WEIGHT));
            for (tokens, weight) in std::iter::once((&c.literal, 1.0)).chain(alternatives) {
                let w = weight / tokens.len().max(1) as f32;
                for t in tokens {
                    let e = weights.entry(t.as_str()).or_insert(0.0);
                    *e = e.max(w);
                }
            }
        }
        let mut out: Vec<(&str, f32)> = weights.into_iter().collect();
        out.sort_by(|a, b| a.0.cmp(b.0));
        out
    }

    /// The required clauses as `Must`, the excluded as `MustNot`.
    fn syntax_clauses(&self) -> Vec<(Occur, Box<dyn Query>)> {
        let required = self.required.iter().map(|q| (Occur::Must, q.box_clone()));
        let excluded = self
            .excluded
            .iter()
            .map(|q| (Occur::MustNot, q.box_clone()));
        required.chain(excluded).collect()
    }

    /// Required and excluded clauses, plus `ranked` as optional (if something is required)
    /// or as the match itself. A query of plain words alone is `ranked` unwrapped, so tantivy
    /// can prune it.
    fn with_syntax(&self, ranked: Box<dyn Query>) -> Box<dyn Query> {
        if self.required.is_empty() && self.excluded.is_empty() {
            return ranked;
        }
        let mut clauses = self.syntax_clauses();
        if !self.concepts.is_empty() {
            let occur = if self.required.is_empty() {
                Occur::Must
            } else {
                Occur::Should
            };
            clauses.push((occur, ranked));
        }
        Box::new(BooleanQuery::new(clauses))
    }

    /// The scored query: every token of every concept in the title and in `all`, as one
    /// flat union. (Root causes weigh more by being in `all` twice: a third field would cost
    /// half as much again on every query.)
    pub fn scored(&self, fields: &Fields) -> Box<dyn Query> {
        let parts = [(fields.title, 3.0), (fields.all, 1.0)];
        let weights = self.token_weights();
        let clauses = parts
            .iter()
            .flat_map(|&(field, boost)| {
                weights.iter().map(move |&(t, w)| {
                    let q: Box<dyn Query> =
                        Box::new(BoostQuery::new(term_query(field, t), boost * w));
                    (Occur::Should, q)
                })
            })
            .collect();
        self.with_syntax(Box::new(BooleanQuery::new(clauses)))
    }

    /// The hits (for counting): any token in `all`, and what the syntax requires.
    pub fn matching(&self, fields: &Fields) -> Box<dyn Query> {
        let weights = self.token_weights();
        let any = BooleanQuery::new(
            weights
                .iter()
                .map(|&(t, _)| (Occur::Should, term_query(fields.all, t)))
                .collect(),
        );
        self.with_syntax(Box::new(any))
    }

    /// The hits with every literal token (for counting, and for a page deeper than the
    /// re-ranked ones), scored as [`scored`](Self::scored).
    pub fn every_word(&self, fields: &Fields) -> Box<dyn Query> {
        let mut clauses = self.syntax_clauses();
        let mut literal: Vec<&String> = self.concepts.iter().flat_map(|c| &c.literal).collect();
        literal.sort();
        literal.dedup();
        clauses.extend(
            literal
                .iter()
                .map(|t| (Occur::Must, term_query(fields.all, t))),
        );
        if !self.concepts.is_empty() {
            clauses.push((Occur::Should, self.scored(fields)));
        }
        Box::new(BooleanQuery::new(clauses))
    }

    /// Every token in every text part, for marking snippets and naming the parts a hit
    /// matched in (never run, only read for its terms).
    pub fn marks(&self, fields: &Fields) -> Box<dyn Query> {
        let weights = self.token_weights();
        let mut clauses: Vec<(Occur, Box<dyn Query>)> = fields
            .parts()
            .into_iter()
            .flat_map(|f| {
                weights
                    .iter()
                    .map(move |&(t, _)| (Occur::Should, term_query(f, t)))
            })
            .collect();
        clauses.extend(self.required.iter().map(|q| (Occur::Should, q.box_clone())));
        Box::new(BooleanQuery::new(clauses))
    }

    /// Re-ranks `hits` (BM25 scores, best first): see the module docs.
    pub fn cover(
        &self,
        searcher: &Searcher,
        fields: &Fields,
        hits: &[(f32, DocAddress)],
    ) -> tantivy::Result<Vec<Cover>> {
        let addresses: Vec<DocAddress> = hits.iter().map(|(_, a)| *a).collect();
        let n = self.concepts.len();
        let mut literal = vec![0usize; hits.len()];
        let mut matched = vec![0usize; hits.len()];
        for c in &self.concepts {
            for (i, yes) in found(searcher, &*all_of(fields, &c.literal), &addresses)?
                .into_iter()
                .enumerate()
            {
                literal[i] += yes as usize;
            }
            for (i, yes) in found(searcher, &*c.either(fields), &addresses)?
                .into_iter()
                .enumerate()
            {
                matched[i] += yes as usize;
            }
        }
        let mut near = vec![0usize; hits.len()];
        let pairs = self.concepts.windows(2).filter(|p| p[0].last != p[1].first);
        let mut pair_count = 0;
        for pair in pairs {
            pair_count += 1;
            let phrase = PhraseQuery::new_with_offset_and_slop(
                vec![
                    (0, term(fields.all, &pair[0].last)),
                    (1, term(fields.all, &pair[1].first)),
                ],
                NEAR_SLOP,
            );
            for (i, yes) in found(searcher, &phrase, &addresses)?
                .into_iter()
                .enumerate()
            {
                near[i] += yes as usize;
            }
        }
        Ok(hits
            .iter()
            .enumerate()
            .map(|(i, (score, _))| {
                let share = if n == 0 {
                    1.0
                } else {
                    matched[i] as f32 / n as f32
                };
                let close = if pair_count == 0 {
                    0.0
                } else {
                    near[i] as f32 / pair_count as f32
                };
                Cover {
                    exact: literal[i] == n,
                    score: score * share * (1.0 + NEAR_BONUS * close),
                }
            })
            .collect())
    }
}

/// Whether each of `hits` matches `query` (scores not computed): one walk per segment over
/// the query's documents, in document order.
fn found(
    searcher: &Searcher,
    query: &dyn Query,
    hits: &[DocAddress],
) -> tantivy::Result<Vec<bool>> {
    let weight = query.weight(EnableScoring::disabled_from_searcher(searcher))?;
    let mut order: Vec<usize> = (0..hits.len()).collect();
    order.sort_by_key(|&i| (hits[i].segment_ord, hits[i].doc_id));
    let mut out = vec![false; hits.len()];
    let mut current: Option<(u32, Box<dyn tantivy::query::Scorer>)> = None;
    for i in order {
        let DocAddress {
            segment_ord,
            doc_id,
        } = hits[i];
        if current.as_ref().is_none_or(|(s, _)| *s != segment_ord) {
            let reader = searcher.segment_reader(segment_ord);
            current = Some((segment_ord, weight.scorer(reader, 1.0)?));
        }
        let (_, docs) = current.as_mut().expect("set above");
        out[i] = docs.doc() <= doc_id && docs.seek(doc_id) == doc_id;
    }
    Ok(out)
}
