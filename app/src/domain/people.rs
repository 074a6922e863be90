//! People, their API tokens, and the audit log of who changed what.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use super::access::{Role, Scope};
use super::ids::{IncidentId, PersonId, TokenId};
use super::invalid::{Invalid, Problem, required_text};

/// A person who signs in.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct Person {
    pub id: PersonId,
    pub name: String,
    pub role: Role,
    pub created_at: DateTime<Utc>,
    /// Set when an admin turned the account off: it cannot sign in, its tokens stop working.
    pub disabled_at: Option<DateTime<Utc>>,
}

/// A person just added or whose password was just reset, with the password to hand over (shown
/// once, stored only as a hash).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct NewPassword {
    pub person: Person,
    pub password: String,
}

/// An API token as lists show it: never the secret.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct ApiToken {
    pub id: TokenId,
    pub name: String,
    /// The person it acts for; `None` for a machine's token (made on the command line).
    pub owner: Option<String>,
    pub scopes: Vec<Scope>,
    /// The secret's first characters, to tell tokens apart.
    pub prefix: String,
    pub created_at: DateTime<Utc>,
    pub last_used_at: Option<DateTime<Utc>>,
    pub revoked_at: Option<DateTime<Utc>>,
}

/// A token just created, with its secret (shown once).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct NewToken {
    pub token: ApiToken,
    pub secret: String,
}

pub const TOKEN_NAME_MAX: usize = 64;

/// What a token is asked for: a name and at least one scope.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct TokenInput {
    pub name: String,
    pub scopes: Vec<Scope>,
}

impl TokenInput {
    pub fn validated(mut self) -> Result<Self, Invalid> {
        self.name = required_text("name", &self.name, TOKEN_NAME_MAX)?;
        self.scopes.sort();
        self.scopes.dedup();
        if self.scopes.is_empty() {
            return Err(Invalid::new("scopes", Problem::Required));
        }
        Ok(self)
    }
}

str_enum! {
    /// What a write did.
    Verb {
        Create => "create",
        Update => "update",
        Delete => "delete",
    }
}

/// One write, as the audit log keeps it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct AuditEntry {
    pub id: i64,
    pub at: DateTime<Utc>,
    /// The person, or a machine token's name.
    pub actor: String,
    pub verb: Verb,
    /// The kind of record, e.g. `incident`, `timeline_event`, `person`, `token`.
    pub kind: String,
    /// The record's id.
    pub record: Option<i64>,
    /// The incident it belongs to, if any.
    pub incident_id: Option<IncidentId>,
    /// The record before the write (`null` for a create).
    #[cfg_attr(feature = "ssr", schema(value_type = Object))]
    pub before: Option<serde_json::Value>,
    /// The record after the write (`null` for a delete).
    #[cfg_attr(feature = "ssr", schema(value_type = Object))]
    pub after: Option<serde_json::Value>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_token_needs_a_name_and_a_scope() {
        let t = TokenInput {
            name: " alertmanager ".into(),
            scopes: vec![Scope::Ingest, Scope::Ingest],
        }
        .validated()
        .unwrap();
        assert_eq!(
            (t.name.as_str(), t.scopes),
            ("alertmanager", vec![Scope::Ingest])
        );
        let none = TokenInput {
            name: "x".into(),
            scopes: vec![],
        };
        assert_eq!(none.validated().unwrap_err().field, "scopes");
    }
}
