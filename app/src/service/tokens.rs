//! API tokens: a person's own, or (for admins) everyone's and machines'.

use async_trait::async_trait;

use crate::domain::{Actor, ApiToken, NewToken, TokenId, TokenInput};
use crate::error::AppError;

#[async_trait]
pub trait TokenService: Send + Sync + 'static {
    /// One's own tokens; for an admin, every token. Newest first.
    async fn list(&self, by: &Actor) -> Result<Vec<ApiToken>, AppError>;
    /// A token for `by` with the secret, shown once.
    async fn create(&self, by: &Actor, input: TokenInput) -> Result<NewToken, AppError>;
    /// Stops a token at once (one's own, or any for an admin).
    async fn revoke(&self, by: &Actor, id: TokenId) -> Result<ApiToken, AppError>;
}
