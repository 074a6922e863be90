//! People: signing in and out, one's own password, and (for admins) everyone's accounts.

use std::net::IpAddr;

use async_trait::async_trait;

use crate::domain::{Actor, NewPassword, Person, PersonId, Role};
use crate::error::AppError;

/// A session just opened: the secret for the cookie (stored only as a hash) and how long it
/// lasts.
#[derive(Clone, Debug)]
pub struct NewSession {
    pub secret: String,
    pub max_age_seconds: i64,
}

#[async_trait]
pub trait AccountService: Send + Sync + 'static {
    /// Checks a name and password. Failures are limited per account and per address
    /// (`TooManyRequests`); a wrong name and a wrong password read the same.
    async fn sign_in(
        &self,
        name: &str,
        password: &str,
        from: IpAddr,
    ) -> Result<NewSession, AppError>;
    /// Ends the session whose cookie holds `secret` (nothing if there is none).
    async fn sign_out(&self, secret: &str) -> Result<(), AppError>;
    /// The person behind a session cookie or a bearer token, as it stands now; `Unauthorized`
    /// if it is unknown, expired, revoked or its person disabled.
    async fn actor_for_session(&self, secret: &str) -> Result<Actor, AppError>;
    async fn actor_for_token(&self, secret: &str) -> Result<Actor, AppError>;
    /// Changes one's own password, after checking the current one; other sessions end.
    async fn change_password(&self, by: &Actor, current: &str, new: &str) -> Result<(), AppError>;

    /// Everyone, by name (admins).
    async fn people(&self, by: &Actor) -> Result<Vec<Person>, AppError>;
    /// Adds a person with a generated password, shown once (admins).
    async fn add_person(&self, by: &Actor, name: &str, role: Role)
    -> Result<NewPassword, AppError>;
    async fn set_role(&self, by: &Actor, id: PersonId, role: Role) -> Result<Person, AppError>;
    /// Turns an account off or on again; off ends its sessions and stops its tokens.
    async fn set_disabled(
        &self,
        by: &Actor,
        id: PersonId,
        disabled: bool,
    ) -> Result<Person, AppError>;
    /// A new generated password (shown once); the person's sessions end.
    async fn reset_password(&self, by: &Actor, id: PersonId) -> Result<NewPassword, AppError>;
}
