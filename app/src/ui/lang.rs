//! Which language a request gets: the `hoego_lang` cookie (set by the header switch) wins,
//! then `Accept-Language`, then English.

use serde::{Deserialize, Serialize};

pub const COOKIE: &str = "hoego_lang";

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Lang {
    Ko,
    En,
}

impl Lang {
    pub const ALL: [Lang; 2] = [Lang::Ko, Lang::En];

    pub fn code(self) -> &'static str {
        match self {
            Lang::Ko => "ko",
            Lang::En => "en",
        }
    }

    pub fn parse(code: &str) -> Option<Lang> {
        Lang::ALL.into_iter().find(|l| l.code() == code)
    }
}

/// Picks the language from a `Cookie` header value and an `Accept-Language` value.
pub fn choose(cookie: Option<&str>, accept_language: Option<&str>) -> Lang {
    let from_cookie = cookie.and_then(|c| {
        c.split(';')
            .filter_map(|kv| kv.trim().split_once('='))
            .find(|(k, _)| *k == COOKIE)
    });
    if let Some(lang) = from_cookie.and_then(|(_, v)| Lang::parse(v.trim())) {
        return lang;
    }
    // Highest q wins; ties keep header order.
    let mut best: Option<(f32, Lang)> = None;
    for part in accept_language.unwrap_or_default().split(',') {
        let mut bits = part.split(';');
        let tag = bits.next().unwrap_or_default().trim().to_ascii_lowercase();
        let q = bits
            .find_map(|b| b.trim().strip_prefix("q="))
            .and_then(|q| q.parse::<f32>().ok())
            .unwrap_or(1.0);
        let primary = tag.split('-').next().unwrap_or_default();
        if let Some(lang) = Lang::parse(primary)
            && best.is_none_or(|(bq, _)| q > bq)
        {
            best = Some((q, lang));
        }
    }
    best.map(|(_, l)| l).unwrap_or(Lang::En)
}

#[cfg(feature = "ssr")]
pub fn from_headers(h: &http::HeaderMap) -> Lang {
    let get = |name| {
        h.get(name)
            .and_then(|v: &http::HeaderValue| v.to_str().ok())
    };
    choose(
        get(http::header::COOKIE),
        get(http::header::ACCEPT_LANGUAGE),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accept_language_prefers_highest_q() {
        assert_eq!(
            choose(None, Some("ko-KR,ko;q=0.9,en-US;q=0.8,en;q=0.7")),
            Lang::Ko
        );
        assert_eq!(choose(None, Some("en-US,en;q=0.9,ko;q=0.8")), Lang::En);
        assert_eq!(choose(None, Some("fr-FR,ko;q=0.5")), Lang::Ko);
        assert_eq!(choose(None, Some("de")), Lang::En);
        assert_eq!(choose(None, None), Lang::En);
    }

    #[test]
    fn cookie_overrides_the_browser() {
        assert_eq!(choose(Some("a=1; hoego_lang=ko"), Some("en-US")), Lang::Ko);
        assert_eq!(choose(Some("hoego_lang=xx"), Some("ko")), Lang::Ko);
    }
}
