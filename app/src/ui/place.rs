//! Keeps the reader's place across a form post.
//!
//! Forms post the whole page and come back to it (post, redirect, get). Without this the
//! browser shows the page again from the top, far from the timeline entry or action item just
//! added. With the bundle loaded, a post remembers how far down the page was, and the page it
//! comes back to, if it is the same page, scrolls there again. Without the bundle pages still
//! work; they open at the top.

use leptos::prelude::*;
use leptos::wasm_bindgen::JsCast;
use web_sys::HtmlFormElement;

/// The session-storage key: `path scroll-y`, written on submit, read and removed on the next
/// page load.
const KEY: &str = "hoego-place";

/// Restores the place a post on this page left from, and starts remembering posts' places.
pub fn keep_place_across_posts() {
    let window = window();
    let Ok(Some(storage)) = window.session_storage() else {
        return;
    };
    let here = window.location().pathname().unwrap_or_default();
    if let Ok(Some(saved)) = storage.get_item(KEY) {
        let _ = storage.remove_item(KEY);
        if let Some(y) = saved_y(&saved, &here) {
            window.scroll_to_with_x_and_y(0.0, y);
        }
    }
    let listener = window_event_listener(leptos::ev::submit, move |ev| {
        let posted = ev
            .target()
            .and_then(|t| t.dyn_into::<HtmlFormElement>().ok())
            .is_some_and(|f| f.method().eq_ignore_ascii_case("post"));
        if posted {
            let y = leptos::prelude::window().scroll_y().unwrap_or_default();
            let _ = storage.set_item(KEY, &format!("{here} {y}"));
        }
    });
    // For the page's lifetime: a post reloads the page, and the new page listens anew.
    std::mem::forget(listener);
}

/// The scroll position saved for `here`, if the saved place was on this page.
fn saved_y(saved: &str, here: &str) -> Option<f64> {
    let (path, y) = saved.rsplit_once(' ')?;
    (path == here).then(|| y.parse().ok()).flatten()
}
