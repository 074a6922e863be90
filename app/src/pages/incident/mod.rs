//! Incident pages: the list, the detail page and its sections, and the forms.

pub mod actions;
pub mod alerts;
pub mod chains;
pub mod detail;
pub mod edit_child;
pub mod form;
pub mod list;
pub mod load_tests;
pub mod suggestions;
pub mod timeline;

use leptos::prelude::*;
use leptos_router::hooks::use_params_map;

/// An id from the route; anything but a number reads as 0, which no row has (so: not found).
pub fn param_id<T>(name: &'static str) -> Memo<T>
where
    T: From<i64> + PartialEq + Send + Sync + 'static,
{
    let params = use_params_map();
    Memo::new(move |_| {
        T::from(
            params
                .read()
                .get(name)
                .and_then(|v| v.parse().ok())
                .unwrap_or(0),
        )
    })
}
