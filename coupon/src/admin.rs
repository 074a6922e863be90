//! The admin token: what `POST /api/events` and `/admin/faults*` require, as
//! `Authorization: Bearer TOKEN`.
//!
//! A request is checked against the token in constant time: both sides are hashed with SHA-256
//! and the digests compared with [`subtle`], so neither the position of the first wrong byte
//! nor the token's length shows in the time an answer takes. The token never appears in a
//! `Debug` rendering (the settings are printed with `{:?}` in places).

use std::fmt;

use sha2::{Digest, Sha256};
use subtle::ConstantTimeEq;

/// Fewest characters a configured token may have.
pub const MIN_LEN: usize = 16;

#[derive(Clone)]
pub struct AdminToken {
    secret: String,
    digest: [u8; 32],
}

impl AdminToken {
    /// A token from `--admin-token` / `COUPON_ADMIN_TOKEN`: at least [`MIN_LEN`] visible ASCII
    /// characters (it travels in a header), no spaces.
    pub fn parse(raw: &str) -> Result<AdminToken, String> {
        if raw.len() < MIN_LEN {
            return Err(format!(
                "the admin token must have at least {MIN_LEN} characters"
            ));
        }
        if !raw.bytes().all(|b| b.is_ascii_graphic()) {
            return Err(
                "the admin token must be visible ASCII characters, without spaces".to_owned(),
            );
        }
        Ok(AdminToken {
            secret: raw.to_owned(),
            digest: Sha256::digest(raw.as_bytes()).into(),
        })
    }

    /// A fresh random token: 32 bytes from the operating system, as 64 hex digits.
    pub fn generate() -> AdminToken {
        let mut bytes = [0u8; 32];
        getrandom::fill(&mut bytes).expect("the operating system's random source");
        let hex: String = bytes.iter().map(|b| format!("{b:02x}")).collect();
        AdminToken::parse(&hex).expect("64 hex digits are a valid token")
    }

    /// The token itself, to print for the person who started `coupon up` or to send.
    pub fn as_str(&self) -> &str {
        &self.secret
    }

    /// Whether `presented` is this token, in time that depends on neither.
    pub fn matches(&self, presented: &[u8]) -> bool {
        let digest: [u8; 32] = Sha256::digest(presented).into();
        digest.ct_eq(&self.digest).into()
    }
}

impl fmt::Debug for AdminToken {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("AdminToken(…)")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_token_matches_itself_only() {
        let token = AdminToken::parse("s3cret-admin-token-0123").unwrap();
        assert!(token.matches(b"s3cret-admin-token-0123"));
        for wrong in [
            &b""[..],
            b"s3cret-admin-token-012",
            b"s3cret-admin-token-01234",
            b"S3cret-admin-token-0123",
        ] {
            assert!(!token.matches(wrong), "{wrong:?}");
        }
    }

    #[test]
    fn short_or_spaced_tokens_are_refused_and_generated_ones_differ() {
        assert!(AdminToken::parse("short").is_err());
        assert!(AdminToken::parse("sixteen chars ok").is_err(), "spaces");
        assert!(AdminToken::parse("tab\there-and-long-enough").is_err());
        assert!(
            AdminToken::parse("비밀번호비밀번호비밀번호").is_err(),
            "non-ASCII"
        );
        let (a, b) = (AdminToken::generate(), AdminToken::generate());
        assert_eq!(a.as_str().len(), 64);
        assert_ne!(a.as_str(), b.as_str());
        assert!(a.matches(a.as_str().as_bytes()) && !a.matches(b.as_str().as_bytes()));
        assert_eq!(format!("{a:?}"), "AdminToken(…)");
    }
}
