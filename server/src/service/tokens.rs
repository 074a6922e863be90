//! API tokens.

use app::domain::*;
use app::error::AppError;
use app::service::TokenService;
use async_trait::async_trait;

use crate::accounts::{Accounts, secret};
use crate::storage::audit::{self, Record};
use crate::storage::tokens;

const KIND: &str = "token";

/// Tokens are managed by people (signed in) and by hoego itself (the command line), never by
/// another token.
fn managing(by: &Actor) -> Result<(), AppError> {
    match (&by.token, by.role) {
        (None, Some(_)) => Ok(()),
        _ => Err(AppError::Forbidden),
    }
}

/// The scopes a role can make use of: a token never carries more than its owner may do.
fn usable(role: Option<Role>, scope: Scope) -> bool {
    match (role, scope) {
        // hoego itself (the command line) makes machine tokens of any scope.
        (Some(Role::Admin), _) | (_, Scope::Read) => true,
        (Some(r), Scope::Write | Scope::Ingest) => r >= Role::Engineer,
        (None, _) => false,
    }
}

#[async_trait]
impl TokenService for Accounts {
    async fn list(&self, by: &Actor) -> Result<Vec<ApiToken>, AppError> {
        managing(by)?;
        let owner = if by.may(Need::Admin) { None } else { by.person };
        Ok(tokens::list(&self.store, owner).await?)
    }

    async fn create(&self, by: &Actor, input: TokenInput) -> Result<NewToken, AppError> {
        managing(by)?;
        let input = input.validated()?;
        if input.scopes.iter().any(|s| !usable(by.role, *s)) {
            let allowed: Vec<&str> = Scope::ALL
                .iter()
                .filter(|s| usable(by.role, **s))
                .map(|s| s.as_str())
                .collect();
            return Err(Invalid::unknown_value("scopes", &allowed).into());
        }
        let plain = secret::new_token();
        let mut tx = self.store.begin().await?;
        let id = tokens::insert(
            &mut tx,
            &input,
            by.person,
            &secret::digest(&plain),
            &secret::shown_prefix(&plain),
        )
        .await?;
        let (token, _) = tokens::get(&mut tx, id).await?;
        let after = serde_json::to_value(&token).ok();
        audit::record(
            &mut tx,
            by,
            Verb::Create,
            Record::other(KIND, id.get()),
            None,
            after,
        )
        .await?;
        self.commit(tx).await?;
        Ok(NewToken {
            token,
            secret: plain,
        })
    }

    async fn revoke(&self, by: &Actor, id: TokenId) -> Result<ApiToken, AppError> {
        managing(by)?;
        let mut tx = self.store.begin().await?;
        let (token, owner) = tokens::get(&mut tx, id).await?;
        if !by.may(Need::Admin) && (owner.is_none() || owner != by.person) {
            // Someone else's token reads as no token at all.
            return Err(AppError::not_found("token"));
        }
        tokens::revoke(&mut tx, id).await?;
        let (after, _) = tokens::get(&mut tx, id).await?;
        let (b, a) = (
            serde_json::to_value(&token).ok(),
            serde_json::to_value(&after).ok(),
        );
        audit::record(
            &mut tx,
            by,
            Verb::Update,
            Record::other(KIND, id.get()),
            b,
            a,
        )
        .await?;
        self.commit(tx).await?;
        Ok(after)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_token_carries_no_more_than_its_owner_may_do() {
        assert!(usable(Some(Role::Viewer), Scope::Read));
        assert!(!usable(Some(Role::Viewer), Scope::Write));
        assert!(!usable(Some(Role::Viewer), Scope::Ingest));
        assert!(usable(Some(Role::Engineer), Scope::Ingest));
    }
}
