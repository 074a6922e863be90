//! Who may do what: people's roles, API tokens' scopes, and the one check every operation makes.

use serde::{Deserialize, Serialize};

use super::ids::{PersonId, TokenId};
use super::invalid::{Invalid, Problem, required_text};

str_enum! {
    /// What a person may do; each role includes the ones before it.
    Role {
        /// Reads everything.
        Viewer => "viewer",
        /// Writes incidents, scenarios, load tests and alert links.
        Engineer => "engineer",
        /// An engineer who also changes the settings that shape insights.
        Manager => "manager",
        /// Manages people, tokens and webhooks.
        Admin => "admin",
    }
}

str_enum! {
    /// What an API token may be used for.
    Scope {
        Read => "read",
        Write => "write",
        /// Machine input: alert webhooks and load-test summaries.
        Ingest => "ingest",
    }
}

/// What an operation needs of whoever asks.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Need {
    Read,
    Write,
    /// Machine input (alerts, load-test summaries).
    Ingest,
    /// Settings that shape insights.
    Manage,
    /// People, tokens, webhooks, the audit log.
    Admin,
}

impl Need {
    /// The least role that has it.
    fn role(self) -> Role {
        match self {
            Need::Read => Role::Viewer,
            Need::Write | Need::Ingest => Role::Engineer,
            Need::Manage => Role::Manager,
            Need::Admin => Role::Admin,
        }
    }

    /// Whether a token with `scopes` may be used for it. Management is for people only.
    fn allowed_by(self, scopes: &[Scope]) -> bool {
        let has = |s| scopes.contains(&s);
        match self {
            Need::Read => has(Scope::Read) || has(Scope::Write),
            Need::Write => has(Scope::Write),
            Need::Ingest => has(Scope::Ingest) || has(Scope::Write),
            Need::Manage | Need::Admin => false,
        }
    }
}

/// Who is asking: a signed-in person, or an API token (a person's, or a machine's).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Actor {
    /// The person, or for a machine token the token's name: what the audit log and timeline
    /// record.
    pub name: String,
    pub person: Option<PersonId>,
    /// The person's role; a machine token acts with its scopes alone.
    pub role: Option<Role>,
    /// Set when the request came with a token.
    pub token: Option<TokenGrant>,
}

/// A token behind a request.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct TokenGrant {
    pub id: TokenId,
    pub scopes: Vec<Scope>,
}

impl Actor {
    /// A signed-in person.
    pub fn person(id: PersonId, name: impl Into<String>, role: Role) -> Self {
        Self {
            name: name.into(),
            person: Some(id),
            role: Some(role),
            token: None,
        }
    }

    /// hoego itself (start-up work, background jobs, the command line).
    pub fn system() -> Self {
        Self {
            name: "hoego".into(),
            person: None,
            role: Some(Role::Admin),
            token: None,
        }
    }

    /// Whether this actor has what `need` asks: the role (for a person's token, the owner's
    /// role as it is now) and, for a token, a scope that covers it.
    pub fn may(&self, need: Need) -> bool {
        let role_ok = match (self.role, &self.token) {
            (Some(role), _) => role >= need.role(),
            // A machine token: its scopes are all it has.
            (None, Some(_)) => true,
            (None, None) => false,
        };
        let scope_ok = self
            .token
            .as_ref()
            .is_none_or(|t| need.allowed_by(&t.scopes));
        role_ok && scope_ok
    }

    /// `Ok` if [`may`](Self::may), else the 403 error naming what was needed.
    pub fn require(&self, need: Need) -> Result<(), crate::error::AppError> {
        if self.may(need) {
            Ok(())
        } else {
            Err(crate::error::AppError::Forbidden)
        }
    }
}

pub const NAME_MAX: usize = 64;
/// NIST SP 800-63B: at least 8 characters, and long ones allowed; no composition rules.
pub const PASSWORD_MIN: usize = 8;
pub const PASSWORD_MAX: usize = 256;

/// A person's sign-in name: trimmed, 1–64 characters, no spaces or control characters (it is
/// typed at sign-in and shown in the audit log).
pub fn person_name(name: &str) -> Result<String, Invalid> {
    let name = required_text("name", name, NAME_MAX)?;
    if name.chars().any(|c| c.is_whitespace() || c.is_control()) {
        return Err(Invalid::new(
            "name",
            Problem::Malformed {
                detail: "no spaces".into(),
            },
        ));
    }
    Ok(name)
}

/// A new password: long enough, not too long to hash, not the name itself.
pub fn new_password(field: &str, password: &str, name: &str) -> Result<(), Invalid> {
    let n = password.chars().count();
    if n < PASSWORD_MIN {
        return Err(Invalid::new(field, Problem::TooShort { min: PASSWORD_MIN }));
    }
    if n > PASSWORD_MAX {
        return Err(Invalid::new(field, Problem::TooLong { max: PASSWORD_MAX }));
    }
    if password.eq_ignore_ascii_case(name) {
        return Err(Invalid::new(field, Problem::SameAsName));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn token(scopes: &[Scope], role: Option<Role>) -> Actor {
        Actor {
            name: "t".into(),
            person: role.map(|_| PersonId::from(1)),
            role,
            token: Some(TokenGrant {
                id: 1.into(),
                scopes: scopes.to_vec(),
            }),
        }
    }

    #[test]
    fn roles_include_the_ones_below() {
        let viewer = Actor::person(1.into(), "v", Role::Viewer);
        assert!(viewer.may(Need::Read));
        assert!(!viewer.may(Need::Write));
        let manager = Actor::person(2.into(), "m", Role::Manager);
        assert!(manager.may(Need::Write) && manager.may(Need::Manage));
        assert!(!manager.may(Need::Admin));
        assert!(Actor::person(3.into(), "a", Role::Admin).may(Need::Admin));
    }

    #[test]
    fn a_token_needs_the_scope_and_its_owner_the_role() {
        assert!(token(&[Scope::Ingest], None).may(Need::Ingest));
        assert!(!token(&[Scope::Ingest], None).may(Need::Read));
        assert!(token(&[Scope::Write], None).may(Need::Read));
        // A viewer's write token still cannot write.
        assert!(!token(&[Scope::Write], Some(Role::Viewer)).may(Need::Write));
        assert!(token(&[Scope::Write], Some(Role::Engineer)).may(Need::Write));
        // Management is never by token.
        assert!(!token(&[Scope::Write], Some(Role::Admin)).may(Need::Admin));
    }

    #[test]
    fn names_and_passwords_are_checked() {
        assert_eq!(person_name("  홍석호 ").unwrap(), "홍석호");
        assert_eq!(person_name("a b").unwrap_err().field, "name");
        assert_eq!(
            new_password("password", "short", "kim")
                .unwrap_err()
                .problem,
            Problem::TooShort { min: 8 }
        );
        assert_eq!(
            new_password("password", "Kimkimkim", "kimkimkim")
                .unwrap_err()
                .problem,
            Problem::SameAsName
        );
        assert!(new_password("password", "correct horse battery", "kim").is_ok());
    }
}
