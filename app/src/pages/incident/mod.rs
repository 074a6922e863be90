//! Incident pages: the list, the detail page and its sections, and the forms.

pub mod actions;
pub mod chains;
pub mod detail;
pub mod edit_child;
pub mod form;
pub mod list;
pub mod timeline;

use leptos::prelude::*;
use leptos_router::hooks::use_params_map;

/// A numeric route parameter; anything else reads as 0, which no row has (so: not found).
pub fn param_id(name: &'static str) -> Memo<i64> {
    let params = use_params_map();
    Memo::new(move |_| {
        params
            .read()
            .get(name)
            .and_then(|v| v.parse().ok())
            .unwrap_or(0)
    })
}
