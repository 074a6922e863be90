//! Server functions for one's account and tokens, and the admin pages (people, audit log).
//!
//! A secret made here (a token, a generated password) is shown once: the function keeps it in
//! the flash store under a random key and sends the browser to the page with `?created=KEY`;
//! the page takes it out (it cannot be read twice) and shows it.

use leptos::prelude::*;
use serde::{Deserialize, Serialize};

#[cfg(feature = "ssr")]
use super::flow::finish;
use crate::domain::{ApiToken, AuditEntry, Page, Person, PersonId, TokenId};
use crate::error::AppError;
use crate::queries::AuditQuery;
#[cfg(feature = "ssr")]
use crate::{domain::*, service::*};

/// A secret shown once, with what it is for.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ShownOnce {
    /// A token's or a person's name.
    pub label: String,
    pub secret: String,
}

/// Keeps `secret` for one showing and returns the page path that shows it.
#[cfg(feature = "ssr")]
fn show_once(page: &str, label: String, secret: String) -> Result<Option<String>, AppError> {
    let store = use_context::<super::flash::store::FlashStore>().ok_or(AppError::Internal)?;
    let values = [("label".to_owned(), label), ("secret".to_owned(), secret)].into();
    let key = store.put(super::Flash {
        form: "shown-once".into(),
        values,
        error: AppError::Internal,
    });
    Ok(Some(format!("{page}?created={key}")))
}

#[server(endpoint = "account/shown-once")]
pub async fn take_shown_once(key: String) -> Result<Option<ShownOnce>, AppError> {
    let store = use_context::<super::flash::store::FlashStore>().ok_or(AppError::Internal)?;
    Ok(store
        .take(&key)
        .filter(|f| f.form == "shown-once")
        .map(|f| ShownOnce {
            label: f.values.get("label").cloned().unwrap_or_default(),
            secret: f.values.get("secret").cloned().unwrap_or_default(),
        }))
}

/// The password form.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct PasswordForm {
    pub current_password: String,
    pub new_password: String,
}

/// Changes one's password; every session ends, so it goes on to the sign-in page.
#[server(endpoint = "account/password")]
pub async fn change_password(form: PasswordForm) -> Result<(), AppError> {
    let result = async {
        service::<dyn AccountService>()?
            .change_password(&actor()?, &form.current_password, &form.new_password)
            .await?;
        if let Some(response) = use_context::<leptos_axum::ResponseOptions>() {
            response.append_header(
                http::header::SET_COOKIE,
                http::HeaderValue::from_static(
                    "hoego_session=; Path=/; Max-Age=0; HttpOnly; SameSite=Lax",
                ),
            );
        }
        Ok(Some("/sign-in?problem=changed".to_owned()))
    };
    // Passwords never come back in a refused form.
    finish(result.await, "password", &PasswordForm::default())
}

#[server(endpoint = "account/tokens")]
pub async fn list_tokens() -> Result<Vec<ApiToken>, AppError> {
    service::<dyn TokenService>()?.list(&actor()?).await
}

/// The new-token form: a name and a checkbox per scope.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct TokenForm {
    pub name: String,
    pub read: String,
    pub write: String,
    pub ingest: String,
}

#[server(endpoint = "account/tokens/create")]
pub async fn create_token(form: TokenForm) -> Result<(), AppError> {
    let result = async {
        let checked = |v: &str| !v.is_empty();
        let scopes = [
            (Scope::Read, checked(&form.read)),
            (Scope::Write, checked(&form.write)),
            (Scope::Ingest, checked(&form.ingest)),
        ]
        .into_iter()
        .filter_map(|(s, on)| on.then_some(s))
        .collect();
        let input = TokenInput {
            name: form.name.clone(),
            scopes,
        };
        let made = service::<dyn TokenService>()?
            .create(&actor()?, input)
            .await?;
        show_once("/account/tokens", made.token.name, made.secret)
    };
    finish(result.await, "token", &form)
}

#[server(endpoint = "account/tokens/revoke")]
pub async fn revoke_token(id: TokenId) -> Result<(), AppError> {
    let result = async {
        service::<dyn TokenService>()?.revoke(&actor()?, id).await?;
        Ok(None)
    };
    finish(result.await, "revoke", &())
}

#[server(endpoint = "admin/people")]
pub async fn list_people() -> Result<Vec<Person>, AppError> {
    service::<dyn AccountService>()?.people(&actor()?).await
}

/// The add-person form.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct PersonForm {
    pub name: String,
    pub role: String,
}

#[server(endpoint = "admin/people/add")]
pub async fn add_person(form: PersonForm) -> Result<(), AppError> {
    let result = async {
        let role = crate::forms::choice("role", &form.role)?;
        let added = service::<dyn AccountService>()?
            .add_person(&actor()?, &form.name, role)
            .await?;
        show_once("/admin/people", added.person.name, added.password)
    };
    finish(result.await, "person", &form)
}

#[server(endpoint = "admin/people/role")]
pub async fn set_role(id: PersonId, role: String) -> Result<(), AppError> {
    let result = async {
        let role = crate::forms::choice("role", &role)?;
        service::<dyn AccountService>()?
            .set_role(&actor()?, id, role)
            .await?;
        Ok(None)
    };
    finish(result.await, "role", &())
}

#[server(endpoint = "admin/people/disabled")]
pub async fn set_disabled(id: PersonId, disabled: bool) -> Result<(), AppError> {
    let result = async {
        service::<dyn AccountService>()?
            .set_disabled(&actor()?, id, disabled)
            .await?;
        Ok(None)
    };
    finish(result.await, "disabled", &())
}

#[server(endpoint = "admin/people/reset")]
pub async fn reset_password(id: PersonId) -> Result<(), AppError> {
    let result = async {
        let reset = service::<dyn AccountService>()?
            .reset_password(&actor()?, id)
            .await?;
        show_once("/admin/people", reset.person.name, reset.password)
    };
    finish(result.await, "reset", &())
}

#[server(endpoint = "admin/audit")]
pub async fn list_audit(query: AuditQuery) -> Result<Page<AuditEntry>, AppError> {
    service::<dyn AuditService>()?.list(&actor()?, query).await
}
