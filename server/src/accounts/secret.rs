//! Secrets for session cookies and API tokens: 32 random bytes, URL-safe base64. Only their
//! SHA-256 is stored; a high-entropy secret needs no slow hash.

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use rand::RngCore;
use sha2::{Digest, Sha256};

/// What API tokens start with, so they are recognisable in configs and secret scanners.
pub const TOKEN_PREFIX: &str = "hoego_";

/// A new random secret.
pub fn new_secret() -> String {
    let mut bytes = [0u8; 32];
    rand::rng().fill_bytes(&mut bytes);
    URL_SAFE_NO_PAD.encode(bytes)
}

/// A new API token: the prefix and a secret.
pub fn new_token() -> String {
    format!("{TOKEN_PREFIX}{}", new_secret())
}

/// What is stored of a secret.
pub fn digest(secret: &str) -> [u8; 32] {
    Sha256::digest(secret.as_bytes()).into()
}

/// The first characters of a token, shown in lists to tell tokens apart.
pub fn shown_prefix(token: &str) -> String {
    token.chars().take(TOKEN_PREFIX.len() + 4).collect()
}

/// A readable generated password: 16 characters from an alphabet without look-alikes, about
/// 90 bits.
pub fn new_password() -> String {
    const ALPHABET: &[u8] = b"abcdefghijkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789";
    let mut rng = rand::rng();
    (0..16)
        .map(|_| ALPHABET[(rng.next_u32() as usize) % ALPHABET.len()] as char)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn secrets_differ_and_digests_are_stable() {
        let (a, b) = (new_token(), new_token());
        assert_ne!(a, b);
        assert!(a.starts_with("hoego_") && a.len() == 6 + 43, "{a}");
        assert_eq!(digest(&a), digest(&a));
        assert_ne!(digest(&a), digest(&b));
        assert_eq!(shown_prefix(&a).len(), 10);
        assert_eq!(new_password().len(), 16);
    }
}
