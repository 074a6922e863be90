//! The frame around every page: header with navigation, language switch and display zone.

use leptos::prelude::*;
use leptos_router::hooks::use_location;

use crate::ui::{Lang, Me, use_me, use_ui};

#[component]
pub fn Header() -> impl IntoView {
    let ui = use_ui();
    let t = ui.t();
    let me = use_me();
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
            {me.clone().map(|_| view! {
                <nav class="main-nav" aria-label=t.nav_label>
                    <a href="/incidents">{t.nav_incidents}</a>
                    <a href="/action-items">{t.nav_action_items}</a>
                    <a href="/root-causes">{t.nav_root_causes}</a>
                    <a href="/alerts">{ui.alerts().alerts}</a>
                    <a href="/load-tests">{ui.load_tests().load_tests}</a>
                    <a href="/scenarios">{ui.scenarios().scenarios}</a>
                    <a href="/insights">{ui.insights().insights}</a>
                    <a class="button primary" href="/incidents/new">{t.new_incident}</a>
                </nav>
                <super::search::HeaderSearch/>
            })}
            <div class="top-meta">
                {me.map(|m| view! { <Account me=m/> })}
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

/// The signed-in person's name (their account page), admin links, and signing out (a plain
/// form post, so it works before the WASM bundle loads).
#[component]
fn Account(me: Me) -> impl IntoView {
    let a = use_ui().accounts();
    let admin = me.is_admin();
    view! {
        <span class="account">
            <a href="/account" class="me">{me.name}</a>
            {admin.then(|| view! {
                <a href="/admin/people">{a.people}</a>
                <a href="/admin/audit">{a.audit}</a>
                <a href="/admin/webhooks">{use_ui().hooks().hooks}</a>
            })}
            <form method="post" action="/auth/sign-out" class="inline">
                <button type="submit" class="link">{a.sign_out}</button>
            </form>
        </span>
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
