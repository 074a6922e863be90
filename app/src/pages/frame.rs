//! The frame around every page: header with navigation, language switch and display zone.

use leptos::prelude::*;
use leptos_router::hooks::use_location;

use crate::ui::{Lang, use_ui};

#[component]
pub fn Header() -> impl IntoView {
    let ui = use_ui();
    let t = ui.t();
    let location = use_location();
    // The switch is a plain link to a server route that sets the cookie and comes back here.
    let switch_to = move |lang: Lang| {
        let here = format!(
            "{}{}",
            location.pathname.get(),
            without_flash(&location.search.get())
        );
        format!("/lang/{}?next={}", lang.code(), urlencoding::encode(&here))
    };
    view! {
        <header class="top">
            <a class="brand" href="/">
                <span class="brand-mark">"회고"</span>
                <span class="brand-name">"hoego"</span>
            </a>
            <nav class="main-nav" aria-label=t.nav_label>
                <a href="/incidents">{t.nav_incidents}</a>
                <a href="/action-items">{t.nav_action_items}</a>
                <a href="/root-causes">{t.nav_root_causes}</a>
                <a class="button primary" href="/incidents/new">{t.new_incident}</a>
            </nav>
            <super::search::HeaderSearch/>
            <div class="top-meta">
                <span class="zone" title=t.display_zone>{format!("{} · {}", ui.tz.name(), chrono::Utc::now().with_timezone(&ui.tz).format("%Z"))}</span>
                <span class="lang-switch">
                    {Lang::ALL
                        .into_iter()
                        .map(|l| {
                            let label = if l == Lang::Ko { "한국어" } else { "English" };
                            let current = l == ui.lang;
                            view! {
                                <a href=move || switch_to(l) rel="external" hreflang=l.code() aria-current=current.then_some("true") class:current=current>
                                    {label}
                                </a>
                            }
                        })
                        .collect_view()}
                </span>
            </div>
        </header>
    }
}

/// A query string (`?a=1&flash=x`) without its flash token: a page should not come back with an
/// old form error after a language switch.
fn without_flash(search: &str) -> String {
    let kept: Vec<&str> = search
        .trim_start_matches('?')
        .split('&')
        .filter(|p| !p.is_empty() && !p.starts_with("flash="))
        .collect();
    if kept.is_empty() {
        String::new()
    } else {
        format!("?{}", kept.join("&"))
    }
}

#[component]
pub fn NotFound() -> impl IntoView {
    view! { <super::ErrorPanel error=crate::error::AppError::not_found("page")/> }
}

#[cfg(test)]
mod tests {
    #[test]
    fn language_switch_drops_the_flash_token() {
        assert_eq!(
            super::without_flash("?page=2&flash=abc&severity=P1"),
            "?page=2&severity=P1"
        );
        assert_eq!(super::without_flash("?flash=abc"), "");
        assert_eq!(super::without_flash(""), "");
    }
}
