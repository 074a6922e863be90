//! How the text of a search is read: into *concepts* (plain words and glossary terms, ranked
//! by [`super::ranked`]), clauses every hit must match, and clauses none may.
//!
//! Each plain word, or each run of words spelling a glossary term, is one concept. It matches
//! through its own tokens (English stemmed; Korean as the bigrams of the word without its
//! ending) or, weighted down, through any other term of its glossary group. Stop words that
//! are not part of a glossary term are left out.
//!
//! Explicit syntax keeps its meaning: `"a phrase"`, `+word` and `field:word` are required,
//! `-word` and `-"a phrase"` excluded, and a query using `AND`, `OR`, `NOT` or parentheses is
//! read entirely as the boolean query it spells (every bare word required, as before ranked
//! search). Text that cannot be read so is searched as plain words, and the answer says so
//! (`lenient`).

use app::domain::{GlossaryUse, SearchPart};
use tantivy::query::{BoostQuery, EmptyQuery, Query, QueryParser};
use tantivy::tokenizer::TokenStream;

use super::glossary::Glossary;
use super::tokenizer::{Side, analyzer};
use super::words::{self, Word};

/// At most this many concepts are searched (a pasted paragraph must not become a hundred
/// clauses); the first ones are kept.
pub const MAX_CONCEPTS: usize = 24;

/// The parsers a reading builds its clauses with.
pub struct Parsers<'a> {
    /// Every part, any word, parts weighted: phrases and `field:` words.
    pub any: &'a QueryParser,
    /// Every part, every word required: boolean queries.
    pub all: &'a QueryParser,
    pub glossary: &'a Glossary,
}

/// One plain word or glossary term of the query, as index tokens.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Concept {
    /// The tokens of the words as typed (Korean without endings); all of them present is a
    /// literal match.
    pub literal: Vec<String>,
    /// The tokens of each other term of its glossary group.
    pub alternatives: Vec<Vec<String>>,
    /// The first and last token of the words (closeness to the neighbouring concepts).
    pub first: String,
    pub last: String,
}

/// A query text, read.
#[derive(Default)]
pub struct Reading {
    /// What every hit must match: phrases, `+word`, `field:word`, or a whole boolean query.
    pub required: Vec<Box<dyn Query>>,
    /// What no hit may match (`-word`).
    pub excluded: Vec<Box<dyn Query>>,
    /// The plain words, ranked, in the order typed.
    pub concepts: Vec<Concept>,
    /// The glossary terms the query used and what was searched besides them.
    pub glossary: Vec<GlossaryUse>,
    /// Some of the text could not be read as syntax and was taken as plain words.
    pub lenient: bool,
}

/// One piece of syntax.
#[derive(Debug, PartialEq, Eq)]
enum Item {
    Plain(String),
    Marked {
        sign: Sign,
        field: Option<SearchPart>,
        text: String,
    },
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Sign {
    Require,
    Exclude,
}

impl Reading {
    /// Reads `text` (see the module docs).
    pub fn new(text: &str, p: &Parsers<'_>) -> Reading {
        let (items, lenient) = match lex(text) {
            Lexed::Boolean => match p.all.parse_query(text) {
                Ok(q) => {
                    return Reading {
                        required: vec![q],
                        ..Reading::default()
                    };
                }
                Err(_) => (vec![Item::Plain(plain_words(text))], true),
            },
            Lexed::Items { items, lenient } => (items, lenient),
        };
        let mut r = Reading {
            lenient,
            ..Reading::default()
        };
        let mut plain = String::new();
        for item in items {
            match item {
                Item::Plain(words) => {
                    plain.push(' ');
                    plain.push_str(&words);
                }
                Item::Marked { sign, field, text } => {
                    let query = phrase(p.any, field, &text);
                    match sign {
                        Sign::Require => r.required.push(query),
                        Sign::Exclude => r.excluded.push(query),
                    }
                }
            }
        }
        r.read_plain(&plain, p.glossary);
        r
    }

    /// Plain words only (suggestions, similar incidents): syntax characters are ignored.
    pub fn plain(text: &str, glossary: &Glossary) -> Reading {
        let mut r = Reading::default();
        r.read_plain(&plain_words(text), glossary);
        r
    }

    /// Groups plain words into concepts: the longest glossary term at each word, else the
    /// word itself unless it is a stop word. A text of stop words only searches them all.
    fn read_plain(&mut self, text: &str, glossary: &Glossary) {
        let words = words::split(text);
        let mut spans: Vec<(&[Word], Vec<&str>)> = Vec::new();
        let mut i = 0;
        while i < words.len() {
            if let Some(found) = glossary.longest_at(&words[i..]) {
                spans.push((&words[i..i + found.words], found.others));
                i += found.words;
            } else {
                if !words[i].is_stop() {
                    spans.push((&words[i..=i], Vec::new()));
                }
                i += 1;
            }
        }
        if spans.is_empty() && self.required.is_empty() {
            spans = words.chunks(1).map(|w| (w, Vec::new())).collect();
        }
        spans.truncate(MAX_CONCEPTS);
        for (span, others) in spans {
            let literal: Vec<String> = span
                .iter()
                .flat_map(|w| tokens(w.stem().unwrap_or(&w.text)))
                .collect();
            let (Some(first), Some(last)) = (literal.first(), literal.last()) else {
                continue;
            };
            if !others.is_empty() {
                self.glossary.push(GlossaryUse {
                    term: typed(span),
                    also: others.iter().map(|s| s.to_string()).collect(),
                });
            }
            self.concepts.push(Concept {
                first: first.clone(),
                last: last.clone(),
                alternatives: others
                    .iter()
                    .map(|o| tokens(o))
                    .filter(|t| !t.is_empty() && *t != literal)
                    .collect(),
                literal,
            });
        }
    }

    /// Whether there is nothing to search for.
    pub fn is_empty(&self) -> bool {
        self.required.is_empty() && self.excluded.is_empty() && self.concepts.is_empty()
    }

    /// Whether hits are ranked matches of plain words rather than exact matches of syntax.
    pub fn ranked(&self) -> bool {
        !self.concepts.is_empty()
    }
}

/// The index tokens of `text`, as a query is analyzed.
pub fn tokens(text: &str) -> Vec<String> {
    let mut analyzer = analyzer(Side::Query);
    let mut stream = analyzer.token_stream(text);
    let mut out = Vec::new();
    while let Some(t) = stream.next() {
        out.push(t.text.clone());
    }
    out
}

/// The words of a span as typed.
fn typed(span: &[Word]) -> String {
    span.iter()
        .map(|w| w.text.as_str())
        .collect::<Vec<_>>()
        .join(" ")
}

/// `text` as one phrase over every part (or one `field`); a single English word is a term.
///
/// BM25 scores a phrase with the sum of its terms' idf, so `타임아웃` (three bigrams) would
/// count three times as much as `timeout` (one term). The bigrams of one word are not three
/// pieces of evidence, so a phrase is weighted down by its number of terms: every word, in
/// either language, counts about as much as one rare term.
fn phrase(parser: &QueryParser, field: Option<SearchPart>, text: &str) -> Box<dyn Query> {
    let prefix = field
        .map(|f| format!("{}:", f.as_str()))
        .unwrap_or_default();
    let Ok(query) = parser.parse_query(&format!("{prefix}\"{}\"", text.replace('"', " "))) else {
        return Box::new(EmptyQuery);
    };
    let terms = tokens(text).len();
    if terms > 1 {
        Box::new(BoostQuery::new(query, 1.0 / terms as f32))
    } else {
        query
    }
}

enum Lexed {
    /// `AND`, `OR`, `NOT` or parentheses: the text is a boolean query.
    Boolean,
    Items {
        items: Vec<Item>,
        lenient: bool,
    },
}

/// Splits `text` into plain words and marked items (see the module docs).
fn lex(text: &str) -> Lexed {
    let mut items = Vec::new();
    let mut lenient = false;
    let mut rest = text.trim_start();
    while !rest.is_empty() {
        let (sign, after) = match rest.as_bytes()[0] {
            b'+' => (Some(Sign::Require), &rest[1..]),
            b'-' => (Some(Sign::Exclude), &rest[1..]),
            _ => (None, rest),
        };
        let (field, after) = match after.split_once(':') {
            Some((name, value))
                if !name.is_empty()
                    && name.chars().all(|c| c.is_ascii_alphabetic() || c == '_') =>
            {
                match SearchPart::parse(name) {
                    Some(part) => (Some(part), value),
                    None => {
                        lenient = true;
                        (None, value)
                    }
                }
            }
            _ => (None, after),
        };
        let (body, quoted, next) = if let Some(inner) = after.strip_prefix('"') {
            match inner.find('"') {
                Some(end) => (&inner[..end], true, &inner[end + 1..]),
                None => {
                    lenient = true;
                    (inner, false, "")
                }
            }
        } else {
            let end = after.find(char::is_whitespace).unwrap_or(after.len());
            (&after[..end], false, &after[end..])
        };
        rest = next.trim_start();
        let operator = sign.is_none() && field.is_none() && matches!(body, "AND" | "OR" | "NOT");
        if !quoted && (operator || body.contains(['(', ')'])) {
            return Lexed::Boolean;
        }
        if words::split(body).is_empty() {
            lenient |= sign.is_some() || field.is_some() || !body.is_empty();
            continue;
        }
        items.push(match (sign, field, quoted) {
            (None, None, false) => Item::Plain(body.to_owned()),
            (sign, field, _) => Item::Marked {
                sign: sign.unwrap_or(Sign::Require),
                field,
                text: body.to_owned(),
            },
        });
    }
    Lexed::Items { items, lenient }
}

/// `text` as plain words: `field:` prefixes dropped (the field may not exist), every other
/// character that could be query syntax turned into a space, and operator words lowercased
/// (the analyzer lowercases anyway).
pub fn plain_words(text: &str) -> String {
    text.split_whitespace()
        .map(|w| w.rsplit(':').next().unwrap_or_default())
        .collect::<Vec<_>>()
        .join(" ")
        .chars()
        .map(|c| if c.is_alphanumeric() { c } else { ' ' })
        .collect::<String>()
        .to_lowercase()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn items(text: &str) -> (Vec<Item>, bool) {
        match lex(text) {
            Lexed::Items { items, lenient } => (items, lenient),
            Lexed::Boolean => panic!("{text} read as boolean"),
        }
    }

    fn marked(sign: Sign, field: Option<SearchPart>, text: &str) -> Item {
        Item::Marked {
            sign,
            field,
            text: text.into(),
        }
    }

    #[test]
    fn syntax_is_recognised_and_plain_words_kept() {
        assert_eq!(
            items("payments \"config push\" -staging +타임아웃 title:redis"),
            (
                vec![
                    Item::Plain("payments".into()),
                    marked(Sign::Require, None, "config push"),
                    marked(Sign::Exclude, None, "staging"),
                    marked(Sign::Require, None, "타임아웃"),
                    marked(Sign::Require, Some(SearchPart::Title), "redis"),
                ],
                false
            )
        );
        assert_eq!(
            items("-\"connection pool\" coupon-api"),
            (
                vec![
                    marked(Sign::Exclude, None, "connection pool"),
                    Item::Plain("coupon-api".into())
                ],
                false
            )
        );
        assert!(matches!(lex("redis OR kafka"), Lexed::Boolean));
        assert!(matches!(lex("(redis kafka)"), Lexed::Boolean));
    }

    #[test]
    fn unreadable_syntax_is_lenient() {
        assert_eq!(
            items("\"connection pool"),
            (vec![Item::Plain("connection pool".into())], true)
        );
        assert_eq!(
            items("nosuchfield:pools"),
            (vec![Item::Plain("pools".into())], true)
        );
        for text in ["-", ":", "!!! ??? ...", "+ -"] {
            assert_eq!(items(text), (vec![], true), "{text}");
        }
        assert_eq!(items(""), (vec![], false));
    }

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
}
