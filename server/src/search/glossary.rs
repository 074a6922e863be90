//! The glossary: groups of terms that mean the same thing across Korean and English and across
//! spellings (`connection pool / 커넥션 풀 / 연결 풀`), applied when a query is read, so a team's
//! additions take effect without re-indexing.
//!
//! hoego ships a starting glossary (`glossary.txt` beside this file: the seed report's
//! vocabulary and common SRE terms). A team adds its own in `<data dir>/glossary.txt`, same
//! format: one group per line, terms separated by ` / `, `#` starts a comment. A team's group
//! that shares a term with a shipped one is merged into it.
//!
//! Terms are compared as [`words::key`]s, so `Connection Pools`, `connection pool` and
//! `커넥션 풀이` all find the group of `connection pool`; a Korean term of several words is also
//! found written without spaces (`커넥션풀`).

use std::collections::HashMap;
use std::path::Path;

use anyhow::Context;

use super::words::{self, Word};

/// The glossary hoego ships.
const SHIPPED: &str = include_str!("glossary.txt");
/// The longest term, in words, that a query is matched against.
const MAX_TERM_WORDS: usize = 4;

/// Groups of equivalent terms, and where each term's words lead.
#[derive(Clone, Debug, Default)]
pub struct Glossary {
    /// Each group's terms as written (for queries and for showing what was added), with
    /// their word keys.
    groups: Vec<Vec<(String, Vec<String>)>>,
    /// A term's word keys → its group.
    by_keys: HashMap<Vec<String>, usize>,
}

/// Where a glossary term was found in a query.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Found<'g> {
    /// How many of the query's words the term covers.
    pub words: usize,
    /// The other terms of its group, as written.
    pub others: Vec<&'g str>,
}

impl Glossary {
    /// The shipped glossary plus the team's file in `data_dir`, if there is one.
    pub fn load(data_dir: &Path) -> anyhow::Result<Glossary> {
        let mut g = Glossary::parse(SHIPPED);
        let team = data_dir.join("glossary.txt");
        if team.exists() {
            let text = std::fs::read_to_string(&team)
                .with_context(|| format!("reading the team glossary {}", team.display()))?;
            let before = g.groups.len();
            g.add(&text);
            tracing::info!(
                file = %team.display(),
                new_groups = g.groups.len() - before,
                "team glossary loaded"
            );
        }
        Ok(g)
    }

    /// A glossary from text in the file format.
    pub fn parse(text: &str) -> Glossary {
        let mut g = Glossary::default();
        g.add(text);
        g
    }

    /// Adds the groups in `text`; a group sharing a term with an existing one joins it.
    fn add(&mut self, text: &str) {
        for line in text.lines() {
            let line = line.split('#').next().unwrap_or_default();
            let terms: Vec<&str> = line
                .split(" / ")
                .map(str::trim)
                .filter(|t| !t.is_empty())
                .collect();
            if terms.len() < 2 {
                continue;
            }
            let known = terms.iter().find_map(|t| {
                let keys = words::keys(t);
                self.by_keys.get(&keys).copied()
            });
            let group = known.unwrap_or_else(|| {
                self.groups.push(Vec::new());
                self.groups.len() - 1
            });
            for term in terms {
                let words = words::split(term);
                let keys: Vec<String> = words.iter().map(Word::key).collect();
                if keys.is_empty()
                    || keys.len() > MAX_TERM_WORDS
                    || self.groups[group].iter().any(|(_, k)| *k == keys)
                {
                    continue;
                }
                self.groups[group].push((term.to_owned(), keys.clone()));
                // A term is found as written, with its last word's ending stripped as a
                // query's would be, and (Korean) written without its spaces. The first group
                // to claim a key keeps it.
                let mut stems = keys.clone();
                if let Some(last) = words.last() {
                    *stems.last_mut().expect("not empty") = last.stem_key();
                }
                let joined =
                    (keys.len() > 1 && words.iter().all(|w| w.korean)).then(|| vec![keys.concat()]);
                for k in [Some(keys), Some(stems), joined].into_iter().flatten() {
                    self.by_keys.entry(k).or_insert(group);
                }
            }
        }
    }

    /// Number of groups.
    pub fn len(&self) -> usize {
        self.groups.len()
    }

    pub fn is_empty(&self) -> bool {
        self.groups.is_empty()
    }

    /// The longest term that the query words starting at `words[0]` spell, if any: each
    /// word as typed, or the last one without its ending.
    pub fn longest_at(&self, words: &[Word]) -> Option<Found<'_>> {
        let typed: Vec<String> = words.iter().take(MAX_TERM_WORDS).map(Word::key).collect();
        (1..=typed.len()).rev().find_map(|n| {
            let as_typed = &typed[..n];
            let mut stemmed = as_typed.to_vec();
            stemmed[n - 1] = words[n - 1].stem_key();
            let group = self
                .by_keys
                .get(as_typed)
                .or_else(|| self.by_keys.get(&stemmed))
                .copied()?;
            let others = self.groups[group]
                .iter()
                .filter(|(_, k)| k != as_typed && *k != stemmed)
                .map(|(t, _)| t.as_str())
                .collect();
            Some(Found { words: n, others })
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn keys(s: &str) -> Vec<Word> {
        words::split(s)
    }

    #[test]
    fn terms_are_found_in_any_inflection_or_spacing() {
        let g = Glossary::parse(
            "# comment\nconnection pool / 커넥션 풀 / 연결 풀\nlatency / 지연 # trailing\nalone\n",
        );
        assert_eq!(g.len(), 2);
        let found = g.longest_at(&keys("Connection Pools exhausted")).unwrap();
        assert_eq!(found.words, 2);
        assert_eq!(found.others, ["커넥션 풀", "연결 풀"]);
        assert_eq!(g.longest_at(&keys("커넥션풀이 고갈")).unwrap().words, 1);
        assert_eq!(
            g.longest_at(&keys("지연이 쌓임")).unwrap().others,
            ["latency"]
        );
        assert_eq!(g.longest_at(&keys("pool")), None);
    }

    #[test]
    fn a_team_group_sharing_a_term_joins_the_shipped_one() {
        let mut g = Glossary::parse("latency / 지연\n");
        g.add("지연 / lag / 랙\nnew / 새");
        assert_eq!(g.len(), 2);
        assert_eq!(
            g.longest_at(&keys("lag")).unwrap().others,
            ["latency", "지연", "랙"]
        );
    }

    #[test]
    fn the_shipped_glossary_reads_whole() {
        let g = Glossary::parse(SHIPPED);
        assert!(g.len() >= 150, "{} groups", g.len());
        let found = g.longest_at(&keys("레디스")).unwrap();
        assert!(
            found.others.iter().any(|t| t.eq_ignore_ascii_case("redis")),
            "{:?}",
            found.others
        );
    }
}
