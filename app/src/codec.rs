//! How page data travels to the browser for hydration.
//!
//! Leptos writes each resource's serialized value into the page as a JavaScript string literal,
//! escaping it with Rust's `Debug` for `str`. That escaping is fast for ASCII and slow for
//! everything else (each character is looked up in Unicode tables): with Korean postmortems it
//! took a fifth of the server's CPU on incident pages. [`Base64Json`] sends JSON as base64: plain
//! ASCII with nothing to escape, a third larger than the UTF-8 bytes (Korean text as JSON
//! `\uXXXX` escapes, the other way to stay ASCII, is twice as large and was no faster).

use std::future::Future;

use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use leptos::prelude::Resource;
use leptos::server::codee::{Decoder, Encoder};
use serde::Serialize;
use serde::de::DeserializeOwned;

/// A page's data: a non-blocking resource whose value travels as [`Base64Json`]. Every page
/// loads its data through this, so the encoding is chosen in one place.
pub fn page_resource<T, S, Fut>(
    source: impl Fn() -> S + Send + Sync + 'static,
    fetcher: impl Fn(S) -> Fut + Send + Sync + 'static,
) -> Resource<T, Base64Json>
where
    T: Serialize + DeserializeOwned + Send + Sync + 'static,
    S: Send + Sync + Clone + PartialEq + 'static,
    Fut: Future<Output = T> + Send + 'static,
{
    Resource::new_with_options(source, fetcher, false)
}

/// JSON, base64-encoded; see the module documentation.
pub struct Base64Json;

/// A value that could not be read back.
#[derive(Debug, thiserror::Error)]
pub enum DecodeError {
    #[error("not base64: {0}")]
    Base64(#[from] base64::DecodeError),
    #[error("not the expected JSON: {0}")]
    Json(#[from] serde_json::Error),
}

impl<T: Serialize> Encoder<T> for Base64Json {
    type Error = serde_json::Error;
    type Encoded = String;

    fn encode(val: &T) -> Result<String, serde_json::Error> {
        Ok(STANDARD.encode(serde_json::to_vec(val)?))
    }
}

impl<T: DeserializeOwned> Decoder<T> for Base64Json {
    type Error = DecodeError;
    type Encoded = str;

    fn decode(val: &str) -> Result<T, DecodeError> {
        Ok(serde_json::from_slice(&STANDARD.decode(val)?)?)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn korean_text_and_emoji_round_trip_as_plain_ascii() {
        let value = (
            "Redis 연결 풀 고갈 🔥".to_owned(),
            vec!["é\"\\<script>".to_owned()],
            42,
        );
        let encoded = <Base64Json as Encoder<_>>::encode(&value).unwrap();
        assert!(
            encoded
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || b"+/=".contains(&b)),
            "{encoded}"
        );
        let back: (String, Vec<String>, i32) =
            <Base64Json as Decoder<_>>::decode(&encoded).unwrap();
        assert_eq!(back, value);
        assert!(
            <Base64Json as Decoder<(String, Vec<String>, i32)>>::decode("not base64!").is_err()
        );
    }
}
