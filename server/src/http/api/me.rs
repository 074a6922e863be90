//! `/me`: who the credentials sent belong to. A script checks its token with it before it
//! posts anything, and it is the cheapest request that still checks a session or a token (the
//! page benchmark measures the cost of that check with it).

use app::domain::{Role, Scope};
use axum::Json;
use serde::Serialize;
use utoipa::ToSchema;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::http::auth::Caller;
use crate::http::error::ErrorBody;

pub fn routes() -> OpenApiRouter {
    OpenApiRouter::new().routes(routes!(me))
}

/// The person or machine behind a request.
#[derive(Debug, Serialize, ToSchema)]
pub struct Me {
    /// The person's sign-in name, or a machine token's name.
    pub name: String,
    /// The person's role; absent for a machine token, which has its scopes only.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub role: Option<Role>,
    /// The token's scopes when the request came with a token.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub scopes: Option<Vec<Scope>>,
}

/// Who is asking: the signed-in person, or the token's owner (or name) and scopes.
#[utoipa::path(get, path = "/me", tag = "accounts",
    responses((status = 200, body = Me), (status = 401, body = ErrorBody)))]
async fn me(Caller(by): Caller) -> Json<Me> {
    Json(Me {
        name: by.name,
        role: by.role,
        scopes: by.token.map(|t| t.scopes),
    })
}
