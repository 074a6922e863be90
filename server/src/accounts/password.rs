//! Passwords: argon2id (OWASP's first choice), hashed and checked on a blocking thread (a hash
//! takes tens of milliseconds of CPU by design, which must not hold an async worker).

use argon2::Argon2;
use argon2::password_hash::{PasswordHasher, PasswordVerifier};

use crate::error::{Error, Result};

/// The PHC string of `password` (algorithm, parameters, salt and hash).
pub async fn hash(password: String) -> Result<String> {
    tokio::task::spawn_blocking(move || {
        Argon2::default()
            .hash_password(password.as_bytes())
            .map(|h| h.to_string())
            .map_err(|e| Error::Corrupt(format!("hashing a password: {e}")))
    })
    .await?
}

/// Whether `password` matches the stored hash. A hash that cannot be read never matches.
pub async fn verify(password: String, hash: String) -> Result<bool> {
    Ok(tokio::task::spawn_blocking(move || {
        Argon2::default()
            .verify_password(password.as_bytes(), hash.as_str())
            .is_ok()
    })
    .await?)
}

/// A hash to check against when there is no such person, so that a wrong name takes as long
/// as a wrong password and names cannot be told apart by timing.
pub async fn decoy() -> String {
    static DECOY: tokio::sync::OnceCell<String> = tokio::sync::OnceCell::const_new();
    DECOY
        .get_or_init(|| async { hash("not a password".into()).await.unwrap_or_default() })
        .await
        .clone()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn a_hash_checks_its_password_only() {
        let h = hash("correct horse battery".into()).await.unwrap();
        assert!(h.starts_with("$argon2id$"), "{h}");
        assert!(
            verify("correct horse battery".into(), h.clone())
                .await
                .unwrap()
        );
        assert!(!verify("correct horse batterY".into(), h).await.unwrap());
        assert!(!verify("x".into(), "not a hash".into()).await.unwrap());
    }
}
