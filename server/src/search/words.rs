//! The words of a free-text query, as a reader of it would take them: English words stemmed,
//! Korean words with their particles and endings (`-이`, `-에서`, `-되었는데`) recognised, and
//! the words that carry no meaning in a question (`why`, `the`, `혹시`, `비슷한`) known.
//!
//! Korean glues particles and endings to the word: `발급이`, `느려지고`, `쌓임`. The index holds
//! every bigram and character, so the whole form still matches where it occurs; but a question
//! says `발급이` where the postmortem says `발급 지연`, so a query also asks for the word without
//! its ending (its stem). Endings are stripped only from a known list, longest first, and from
//! two-syllable words only the few that cannot end a noun (so `재고`, `증가` and `사고` stay).

use tantivy::tokenizer::TokenStream;

use super::tokenizer::{Side, analyzer, runs};

/// One word of a query: a run of Latin letters and digits, or of Hangul/CJK.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Word {
    /// As typed.
    pub text: String,
    pub korean: bool,
}

/// Korean particles and endings, stripped from words of three or more syllables.
const ENDINGS: &[&str] = &[
    // particles
    "이",
    "가",
    "은",
    "는",
    "을",
    "를",
    "의",
    "에",
    "에서",
    "에게",
    "한테",
    "께서",
    "으로",
    "로",
    "와",
    "과",
    "도",
    "만",
    "까지",
    "부터",
    "마다",
    "보다",
    "처럼",
    "이나",
    "랑",
    "이랑",
    "에도",
    "에서도",
    "으로도",
    "로도",
    "에는",
    "에서는",
    "으로는",
    "로는",
    "이라고",
    "라고",
    "이란",
    "조차",
    "밖에",
    "이며",
    "이고",
    "이다",
    "였다",
    "이었다",
    "인데",
    "이라서",
    "으로서",
    "로서",
    "들",
    "들이",
    "들을",
    "들은",
    "들의",
    "들에",
    "들도",
    // 하다 / 되다 / 지다 and common endings
    "했다",
    "했음",
    "했고",
    "했는데",
    "했어요",
    "했습니다",
    "하다",
    "하고",
    "하는",
    "하며",
    "함",
    "해서",
    "하여",
    "했던",
    "하던",
    "되다",
    "되었다",
    "되었음",
    "되었고",
    "되었는데",
    "되어",
    "되어서",
    "됐다",
    "됐음",
    "됐고",
    "됐는데",
    "되고",
    "되는",
    "된",
    "됨",
    "돼서",
    "되며",
    "되던",
    "시킴",
    "시켰다",
    "시켜서",
    "지고",
    "지는",
    "짐",
    "져서",
    "졌다",
    "졌음",
    "졌고",
    "졌는데",
    "었다",
    "았다",
    "였음",
    "었음",
    "았음",
    "었고",
    "았고",
    "었는데",
    "았는데",
    "는데",
    "고",
    "음",
    "임",
    "나서",
    "났다",
    "났음",
    "났는데",
    "나고",
    "습니다",
    "니다",
    "있음",
    "있었음",
    "없음",
];

/// Endings that cannot end a two-syllable noun, so are stripped from two-syllable words too.
const SHORT_WORD_ENDINGS: &[&str] = &["을", "를", "은", "는", "의", "에", "임", "됨", "함", "짐"];

/// English words that say nothing about an incident. Question words and fillers included:
/// people type "why did the … after …".
const ENGLISH_STOP: &[&str] = &[
    "a", "about", "after", "again", "all", "also", "am", "an", "and", "any", "are", "as", "at",
    "be", "because", "been", "before", "being", "but", "by", "can", "could", "did", "do", "does",
    "doing", "during", "each", "ever", "for", "from", "had", "has", "have", "having", "he", "her",
    "here", "his", "how", "i", "if", "in", "into", "is", "it", "its", "just", "me", "more", "my",
    "of", "on", "once", "or", "our", "out", "over", "past", "right", "same", "she", "should",
    "similar", "so", "some", "such", "than", "that", "the", "their", "them", "then", "there",
    "these", "they", "this", "those", "through", "to", "too", "under", "until", "up", "us", "very",
    "was", "we", "were", "what", "when", "where", "which", "while", "who", "whom", "why", "will",
    "with", "would", "you", "your", "anyone", "remember", "ago", "got", "get", "keep", "kept",
    "went", "happened", "happen", "thing", "things", "like", "last",
];

/// Korean words (as typed, or their stems) that say nothing about an incident.
const KOREAN_STOP: &[&str] = &[
    "왜",
    "어떻게",
    "언제",
    "어디",
    "무엇",
    "뭐",
    "뭔가",
    "혹시",
    "예전",
    "예전에",
    "전에",
    "이전",
    "이전에",
    "비슷한",
    "같은",
    "있었나",
    "있었나요",
    "있나",
    "있었던",
    "적",
    "그리고",
    "그런데",
    "근데",
    "그래서",
    "때",
    "후",
    "후에",
    "뒤",
    "뒤에",
    "직후",
    "다음",
    "이후",
    "계속",
    "자꾸",
    "너무",
    "갑자기",
    "좀",
    "것",
    "거",
    "수",
    "있는",
    "없는",
    "했던",
    "하는",
    "되는",
    "이런",
    "그런",
    "저런",
    "어떤",
    "또",
    "다시",
    "사례",
    "경우",
    "관련",
    "때문에",
    "때문",
    "있다",
    "없다",
    "있었",
    "나요",
    "인가요",
    "건가요",
    "있었다",
    "났었나",
    "났었던",
];

/// The words of `text`, in order.
pub fn split(text: &str) -> Vec<Word> {
    runs(text)
        .into_iter()
        .map(|(from, to, korean)| Word {
            text: text[from..to].to_owned(),
            korean,
        })
        .collect()
}

pub fn is_korean(s: &str) -> bool {
    s.chars().next().is_some_and(super::tokenizer::is_cjk)
}

impl Word {
    /// The word as the index compares it: English lowercased and stemmed, Korean as typed.
    pub fn key(&self) -> String {
        if self.korean {
            return self.text.clone();
        }
        let mut analyzer = analyzer(Side::Query);
        let mut stream = analyzer.token_stream(&self.text);
        let mut key = String::new();
        while let Some(t) = stream.next() {
            key.push_str(&t.text);
        }
        key
    }

    /// A Korean word without its particle or ending, if it has a known one.
    pub fn stem(&self) -> Option<&str> {
        if !self.korean {
            return None;
        }
        let syllables = self.text.chars().count();
        let endings: &[&str] = match syllables {
            0..=1 => return None,
            2 => SHORT_WORD_ENDINGS,
            _ => ENDINGS,
        };
        endings
            .iter()
            .filter(|e| self.text.ends_with(*e) && e.len() < self.text.len())
            .max_by_key(|e| e.len())
            .map(|e| &self.text[..self.text.len() - e.len()])
    }

    /// [`key`](Self::key), of the stem where there is one.
    pub fn stem_key(&self) -> String {
        self.stem().map_or_else(|| self.key(), str::to_owned)
    }

    /// Whether the word says nothing about an incident.
    pub fn is_stop(&self) -> bool {
        if self.korean {
            KOREAN_STOP.contains(&self.text.as_str())
                || self.stem().is_some_and(|s| KOREAN_STOP.contains(&s))
        } else {
            ENGLISH_STOP.contains(&self.text.to_lowercase().as_str())
        }
    }
}

/// The keys of every word of `text` (see [`Word::key`]).
pub fn keys(text: &str) -> Vec<String> {
    split(text).iter().map(Word::key).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn word(s: &str) -> Word {
        split(s).remove(0)
    }

    #[test]
    fn korean_endings_are_recognised_longest_first() {
        let stem = |s: &str| word(s).stem().map(str::to_owned);
        assert_eq!(stem("발급이").as_deref(), Some("발급"));
        assert_eq!(stem("느려지고").as_deref(), Some("느려"));
        assert_eq!(stem("쌓임").as_deref(), Some("쌓"));
        assert_eq!(stem("레디스에서").as_deref(), Some("레디스"));
        assert_eq!(stem("고갈되었는데").as_deref(), Some("고갈"));
        // Two-syllable nouns that end like a particle keep their last syllable.
        for noun in ["재고", "증가", "사고", "결과", "장애", "지연"] {
            assert_eq!(stem(noun), None, "{noun}");
        }
        assert_eq!(stem("Redis"), None);
    }

    #[test]
    fn english_keys_are_stemmed_and_lowercased() {
        assert_eq!(
            keys("Connection Pools timed-out"),
            ["connect", "pool", "time", "out"]
        );
        assert_eq!(keys("Redis연결"), ["redi", "연결"]);
    }

    #[test]
    fn question_words_are_stop_words() {
        let stops: Vec<bool> = split("Why did payments fail 왜 결제가 예전에 실패")
            .iter()
            .map(Word::is_stop)
            .collect();
        assert_eq!(stops, [true, true, false, false, true, false, true, false]);
    }
}
