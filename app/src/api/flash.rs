//! Flash: a failed plain-form submission, kept briefly so the form can be shown again with what
//! was typed and why it was refused (post/redirect/get without losing input).

use std::collections::BTreeMap;

use leptos::prelude::*;
use serde::{Deserialize, Serialize};

use crate::error::AppError;

/// A refused submission: which form, its values by field name (`title`, `steps[1].why`), and the
/// error.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Flash {
    pub form: String,
    pub values: BTreeMap<String, String>,
    pub error: AppError,
}

/// The flash stored under `token`, if it has not expired.
#[server(endpoint = "flash")]
pub async fn load_flash(token: String) -> Result<Option<Flash>, AppError> {
    Ok(use_context::<store::FlashStore>().and_then(|s| s.get(&token)))
}

/// Flattens a serialized form into `field → value`, naming nested fields the way validation
/// errors do (`steps[0].why`).
pub fn flatten(value: &serde_json::Value) -> BTreeMap<String, String> {
    fn walk(prefix: String, v: &serde_json::Value, out: &mut BTreeMap<String, String>) {
        match v {
            serde_json::Value::Object(m) => {
                for (k, v) in m {
                    let key = if prefix.is_empty() {
                        k.clone()
                    } else {
                        format!("{prefix}.{k}")
                    };
                    walk(key, v, out);
                }
            }
            serde_json::Value::Array(a) => {
                for (i, v) in a.iter().enumerate() {
                    walk(format!("{prefix}[{i}]"), v, out);
                }
            }
            serde_json::Value::String(s) => {
                out.insert(prefix, s.clone());
            }
            serde_json::Value::Null => {}
            other => {
                out.insert(prefix, other.to_string());
            }
        }
    }
    let mut out = BTreeMap::new();
    walk(String::new(), value, &mut out);
    out
}

#[cfg(feature = "ssr")]
pub mod store {
    //! An in-memory, bounded, expiring map for seconds-lived UI state (refused forms, upload
    //! reports), not data.

    use std::collections::HashMap;
    use std::sync::{Arc, Mutex};
    use std::time::{Duration, Instant};

    use super::Flash;

    const TTL: Duration = Duration::from_secs(15 * 60);
    const CAPACITY: usize = 1_000;
    /// What all kept entries may hold together: a refused form can carry a 200,000-character
    /// narrative, so the number of entries alone does not bound the memory.
    const BYTES: usize = 8 * 1024 * 1024;

    /// What an entry holds, roughly, in bytes.
    pub trait Footprint {
        fn bytes(&self) -> usize;
    }

    impl Footprint for Flash {
        fn bytes(&self) -> usize {
            self.values
                .iter()
                .map(|(k, v)| k.len() + v.len())
                .sum::<usize>()
                + self.form.len()
        }
    }

    /// Entries under random tokens (so one person cannot read another's), dropped after
    /// 15 minutes or, oldest first, when the count or the bytes would pass their bounds.
    pub struct Kept<T>(Arc<Mutex<HashMap<String, (Instant, T)>>>);

    impl<T> Clone for Kept<T> {
        fn clone(&self) -> Self {
            Self(self.0.clone())
        }
    }

    impl<T> Default for Kept<T> {
        fn default() -> Self {
            Self(Arc::default())
        }
    }

    pub type FlashStore = Kept<Flash>;

    impl<T: Footprint + Clone> Kept<T> {
        /// Stores `value` and returns its token.
        pub fn put(&self, value: T) -> String {
            let token = uuid::Uuid::new_v4().simple().to_string();
            let mut map = self.0.lock().unwrap_or_else(|p| p.into_inner());
            let now = Instant::now();
            map.retain(|_, (at, _)| now.duration_since(*at) < TTL);
            let incoming = value.bytes();
            if incoming > BYTES {
                // Too large to keep at all: the page comes back without it.
                return token;
            }
            let mut held: usize = map.values().map(|(_, v)| v.bytes()).sum();
            while map.len() >= CAPACITY || held + incoming > BYTES {
                let Some(oldest) = map
                    .iter()
                    .min_by_key(|(_, (at, _))| *at)
                    .map(|(k, _)| k.clone())
                else {
                    break;
                };
                if let Some((_, v)) = map.remove(&oldest) {
                    held -= v.bytes();
                }
            }
            map.insert(token.clone(), (now, value));
            token
        }

        /// Removes and returns the entry: for what may be shown only once.
        pub fn take(&self, token: &str) -> Option<T> {
            let mut map = self.0.lock().unwrap_or_else(|p| p.into_inner());
            map.remove(token)
                .filter(|(at, _)| at.elapsed() < TTL)
                .map(|(_, v)| v)
        }

        pub fn get(&self, token: &str) -> Option<T> {
            let map = self.0.lock().unwrap_or_else(|p| p.into_inner());
            map.get(token)
                .filter(|(at, _)| at.elapsed() < TTL)
                .map(|(_, v)| v.clone())
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nested_fields_flatten_to_validation_names() {
        let v = serde_json::json!({"problem": "p", "steps": [{"why": "w0"}, {"why": "w1", "because": "b1"}]});
        let flat = flatten(&v);
        assert_eq!(flat.get("steps[1].because").map(String::as_str), Some("b1"));
        assert_eq!(flat.get("problem").map(String::as_str), Some("p"));
        assert_eq!(flat.len(), 4);
    }
}
