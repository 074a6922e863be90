//! Signing in, one's account and API tokens, and the admin pages (people, audit log).

pub mod account;
pub mod audit;
pub mod hooks;
pub mod people;
pub mod sign_in;
pub mod tokens;

use leptos::prelude::*;
use leptos_router::hooks::use_query_map;

use crate::api::{ShownOnce, take_shown_once};
use crate::pages::page_resource;

/// The secret named by `?created=` (a token or a password just made), taken out of the store
/// on the server as the page renders: it can be shown once.
pub fn shown_once() -> Resource<Option<ShownOnce>> {
    let query = use_query_map();
    page_resource(
        move || query.read().get("created"),
        |key| async move {
            match key {
                Some(k) => take_shown_once(k).await.ok().flatten(),
                None => None,
            }
        },
    )
}

/// The box that shows a secret once.
#[component]
pub fn SecretOnce(intro: String, secret: String) -> impl IntoView {
    view! {
        <section class="panel secret-once" role="status">
            <p>{intro}</p>
            <code class="secret">{secret}</code>
        </section>
    }
}
