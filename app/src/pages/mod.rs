//! Pages, by feature: `incident/` (list, detail and its sections, forms), `action_items` (the
//! overview across incidents), `search` and `root_causes`, and the frame around them.

pub mod accounts;
pub mod action_items;
pub mod alerts;
pub mod frame;
pub mod incident;
pub mod insights;
pub mod load_tests;
pub mod root_causes;
pub mod scenarios;
pub mod search;

use std::collections::HashMap;

use leptos::prelude::*;
use leptos_router::hooks::use_query_map;

use crate::api::{Flash, load_flash};
use crate::error::AppError;
use crate::queries::Params;
use crate::ui::use_ui;

/// A page's data, read while the page renders on the server. (Resources are Leptos's way to
/// wait for data in a server render; in islands mode nothing of them reaches the browser.)
pub fn page_resource<T, S, Fut>(
    source: impl Fn() -> S + Send + Sync + 'static,
    fetcher: impl Fn(S) -> Fut + Send + Sync + 'static,
) -> Resource<T>
where
    T: serde::Serialize + serde::de::DeserializeOwned + Send + Sync + 'static,
    S: Send + Sync + Clone + PartialEq + 'static,
    Fut: std::future::Future<Output = T> + Send + 'static,
{
    Resource::new(source, fetcher)
}

/// The flash named by `?flash=` (a refused plain-form post).
pub fn flash_resource() -> Resource<Option<Flash>> {
    let query = use_query_map();
    Resource::new(
        move || query.read().get("flash"),
        |token| async move {
            match token {
                Some(t) => load_flash(t).await.ok().flatten(),
                None => None,
            }
        },
    )
}

/// A list page's query string as a map, and its 1-based `page` number.
pub fn list_params() -> (Memo<HashMap<String, String>>, Memo<u64>) {
    let query = use_query_map();
    let params = Memo::new(move |_| {
        query
            .get()
            .into_iter()
            .map(|(k, v)| (k.to_string(), v))
            .collect::<HashMap<String, String>>()
    });
    let page = Memo::new(move |_| {
        // Past the last page: an offset the list refuses, so the page says why.
        params.with(|p| {
            Params::new(p)
                .page(crate::queries::MAX_PAGE)
                .unwrap_or(crate::queries::MAX_PAGE + 1)
        })
    });
    (params, page)
}

/// The `offset` of a 1-based page of `limit` rows.
pub fn page_offset(page: u64, limit: u64) -> u64 {
    (page - 1).saturating_mul(limit)
}

/// "2025-06-20 overdue": a due date, marked when the item is late.
pub fn due_cell(due: Option<chrono::NaiveDate>, overdue: bool) -> impl IntoView {
    let t = use_ui().t();
    view! {
        <td class="due">
            {due.map(|d| d.to_string()).unwrap_or_default()}
            {overdue.then(|| view! { <span class="overdue-tag">{t.overdue}</span> })}
        </td>
    }
}

/// A whole-page error: not found, or the server failed.
#[component]
pub fn ErrorPanel(error: AppError) -> impl IntoView {
    let t = use_ui().t();
    let (title, text) = match &error {
        AppError::NotFound { .. } => (t.not_found_title, t.not_found_text.to_string()),
        other => (t.error_title, t.error_text(other)),
    };
    #[cfg(feature = "ssr")]
    if matches!(error, AppError::NotFound { .. })
        && let Some(r) = use_context::<leptos_axum::ResponseOptions>()
    {
        r.set_status(http::StatusCode::NOT_FOUND);
    }
    view! {
        <section class="panel error-panel">
            <h1>{title}</h1>
            <p>{text}</p>
            <p><a href="/incidents">{t.back_to_list}</a></p>
        </section>
    }
}

/// The loading placeholder (rarely seen: pages render on the server with their data).
pub fn loading() -> impl IntoView {
    view! { <p class="loading">"…"</p> }
}
