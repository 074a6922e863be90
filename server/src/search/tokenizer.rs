//! The tokenizer for Korean mixed with English, built offline.
//!
//! Korean is agglutinative: `고갈되었는가` is the word `고갈` with endings glued on, and a
//! dictionary-based analyzer (lindera's Korean dictionary) downloads at build time, which this
//! project cannot do. So Hangul and CJK runs are cut into overlapping character bigrams, as
//! Lucene's CJK analyzer does: `고갈` is a bigram of `고갈되었는가`, so it matches. Latin runs are
//! words, lowercased and stemmed (English Snowball) by the filters added in [`analyzer`], so
//! `pools` meets `pool`.
//!
//! The index side also emits every CJK character alone, at the same positions, so a one-syllable
//! query (`풀` in `연결 풀`) finds `풀이`; the query side emits bigrams only (or the single
//! character of a one-character run), which keeps multi-syllable queries precise. Positions
//! advance by one per character on both sides, so phrase queries (`"연결 풀"`) line up.

use tantivy::tokenizer::{
    Language, LowerCaser, RemoveLongFilter, Stemmer, TextAnalyzer, Token, TokenStream, Tokenizer,
};

/// The name the text fields are indexed with.
pub const NAME: &str = "hoego";

/// Index side or query side (see the module docs).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Side {
    Index,
    Query,
}

/// The full analyzer for one side: split, lowercase, stem English, drop absurdly long tokens.
pub fn analyzer(side: Side) -> TextAnalyzer {
    TextAnalyzer::builder(Bigrams { side })
        .filter(RemoveLongFilter::limit(64))
        .filter(LowerCaser)
        .filter(Stemmer::new(Language::English))
        .build()
}

/// Splits text into Latin/number words and CJK bigrams.
#[derive(Clone, Debug)]
pub struct Bigrams {
    side: Side,
}

/// A token stream over precomputed tokens (text is short: fields, not books).
pub struct Tokens {
    tokens: Vec<Token>,
    next: usize,
}

impl Tokenizer for Bigrams {
    type TokenStream<'a> = Tokens;

    fn token_stream<'a>(&'a mut self, text: &'a str) -> Tokens {
        Tokens {
            tokens: split(text, self.side),
            next: 0,
        }
    }
}

impl TokenStream for Tokens {
    fn advance(&mut self) -> bool {
        self.next += 1;
        self.next <= self.tokens.len()
    }
    fn token(&self) -> &Token {
        &self.tokens[self.next - 1]
    }
    fn token_mut(&mut self) -> &mut Token {
        &mut self.tokens[self.next - 1]
    }
}

/// Hangul (syllables and jamo), CJK ideographs, kana.
pub fn is_cjk(c: char) -> bool {
    matches!(c as u32,
        0x1100..=0x11FF | 0x3040..=0x30FF | 0x3130..=0x318F | 0x3400..=0x4DBF
        | 0x4E00..=0x9FFF | 0xA960..=0xA97F | 0xAC00..=0xD7AF | 0xD7B0..=0xD7FF | 0xF900..=0xFAFF)
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Class {
    Word,
    Cjk,
    Other,
}

fn class(c: char) -> Class {
    if is_cjk(c) {
        Class::Cjk
    } else if c.is_alphanumeric() {
        Class::Word
    } else {
        Class::Other
    }
}

fn token(text: &str, from: usize, to: usize, position: usize) -> Token {
    Token {
        offset_from: from,
        offset_to: to,
        position,
        text: text[from..to].to_owned(),
        position_length: 1,
    }
}

/// The runs of `text` that hold words, as `(byte start, byte end, CJK or not)`: Latin letters
/// and digits form one kind of run, Hangul and other CJK the other; anything else separates.
pub fn runs(text: &str) -> Vec<(usize, usize, bool)> {
    let mut out = Vec::new();
    let mut chars = text.char_indices().peekable();
    while let Some((start, c)) = chars.next() {
        let kind = class(c);
        if kind == Class::Other {
            continue;
        }
        let mut end = start + c.len_utf8();
        while let Some(&(i, d)) = chars.peek() {
            if class(d) != kind {
                break;
            }
            end = i + d.len_utf8();
            chars.next();
        }
        out.push((start, end, kind == Class::Cjk));
    }
    out
}

/// The raw tokens of `text` (before lowercasing and stemming).
fn split(text: &str, side: Side) -> Vec<Token> {
    let mut out = Vec::new();
    let mut position = 0;
    for (start, end, cjk) in runs(text) {
        if cjk {
            // The run's characters as (byte offset, byte end).
            let run: Vec<(usize, usize)> = text[start..end]
                .char_indices()
                .map(|(i, c)| (start + i, start + i + c.len_utf8()))
                .collect();
            push_cjk(text, &run, position, side, &mut out);
            position += run.len();
        } else {
            out.push(token(text, start, end, position));
            position += 1;
        }
    }
    out
}

fn push_cjk(text: &str, run: &[(usize, usize)], position: usize, side: Side, out: &mut Vec<Token>) {
    if run.len() == 1 {
        out.push(token(text, run[0].0, run[0].1, position));
        return;
    }
    for (i, &(from, to)) in run.iter().enumerate() {
        if side == Side::Index {
            out.push(token(text, from, to, position + i));
        }
        if let Some(&(_, next_to)) = run.get(i + 1) {
            out.push(token(text, from, next_to, position + i));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn terms(text: &str, side: Side) -> Vec<(String, usize)> {
        let mut a = analyzer(side);
        let mut s = a.token_stream(text);
        let mut out = Vec::new();
        while let Some(t) = s.next() {
            out.push((t.text.clone(), t.position));
        }
        out
    }

    fn texts(text: &str, side: Side) -> Vec<String> {
        terms(text, side).into_iter().map(|(t, _)| t).collect()
    }

    #[test]
    fn korean_runs_become_bigrams_at_query_time() {
        assert_eq!(texts("고갈", Side::Query), ["고갈"]);
        assert_eq!(
            terms("고갈되었다", Side::Query),
            [
                ("고갈".into(), 0),
                ("갈되".into(), 1),
                ("되었".into(), 2),
                ("었다".into(), 3)
            ]
        );
        assert_eq!(texts("풀", Side::Query), ["풀"]);
    }

    #[test]
    fn the_index_side_adds_single_characters() {
        assert_eq!(
            terms("풀이", Side::Index),
            [("풀".into(), 0), ("풀이".into(), 0), ("이".into(), 1)]
        );
    }

    #[test]
    fn phrase_positions_line_up_across_a_space() {
        // "연결 풀" as a query: 연결 at 0, 풀 at 2 — the same places the index gives them in
        // "연결 풀이 고갈".
        assert_eq!(
            terms("연결 풀", Side::Query),
            [("연결".into(), 0), ("풀".into(), 2)]
        );
        let indexed = terms("연결 풀이 고갈", Side::Index);
        assert!(indexed.contains(&("연결".into(), 0)));
        assert!(indexed.contains(&("풀".into(), 2)));
    }

    #[test]
    fn english_is_lowercased_and_stemmed() {
        assert_eq!(texts("Connection Pools", Side::Query), ["connect", "pool"]);
        assert_eq!(
            texts("timeouts", Side::Index),
            texts("timeout", Side::Index)
        );
    }

    #[test]
    fn mixed_text_splits_at_script_changes() {
        assert_eq!(
            texts("Redis연결 coupon-api 500ms", Side::Query),
            ["redi", "연결", "coupon", "api", "500ms"]
        );
    }

    #[test]
    fn punctuation_alone_gives_nothing() {
        assert!(texts("!!! -- :: \"\"", Side::Query).is_empty());
        assert!(texts("", Side::Index).is_empty());
    }
}
