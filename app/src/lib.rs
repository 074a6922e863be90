//! hoego's web app: the Leptos UI, the domain it shows, and the server functions it calls.
//!
//! # Layout
//! - [`domain`]   pure types and rules: incidents, timeline, 5-Why chains, action items, TTD/TTR
//! - [`queries`]  list filters and the incident detail shape
//! - [`forms`]    posted HTML forms → domain inputs
//! - [`error`]    [`AppError`](error::AppError), the one error crossing the server/browser line
//! - [`service`]  (server only) one trait per feature, implemented by the server
//! - [`api`]      server functions: thin adapters over the service
//! - [`i18n`]     the Korean and English catalogues
//! - [`time`]     display-zone formatting and parsing
//! - [`ui`]       per-request display context, form plumbing, badges
//! - [`pages`]    the pages, by feature
//!
//! Built with `ssr` into the server and with `hydrate` into the browser bundle.

// The incident page's view is one deep type; the release WASM build computes its layout past
// the default limit of 128.
#![recursion_limit = "256"]

// First, so that `str_enum!` and `id_type!` are visible to the modules below.
#[macro_use]
pub mod domain;
pub mod api;
pub mod error;
pub mod forms;
pub mod i18n;
pub mod pages;
pub mod queries;
#[cfg(feature = "ssr")]
pub mod service;
pub mod time;
pub mod ui;

use leptos::prelude::*;
use leptos_meta::{MetaTags, Stylesheet, Title, provide_meta_context};
use leptos_router::{
    SsrMode,
    components::{Route, Router, Routes},
    path,
};

use pages::accounts::{
    account::AccountPage, audit::AuditPage, hooks::HooksPage, people::PeoplePage,
    sign_in::SignInPage, tokens::TokensPage,
};
use pages::action_items::ActionOverview;
use pages::alerts::{detail::AlertPage, list::AlertList};
use pages::frame::{Header, NotFound};
use pages::incident::{
    detail::IncidentPage,
    edit_child::{EditAction, EditChain, EditEvent},
    form::{EditIncident, NewIncident},
    list::IncidentList,
};
use pages::insights::{InsightsPage, behind::BehindPage};
use pages::load_tests::{compare::ComparePage, list::LoadTestList, run::LoadTestPage};
use pages::root_causes::RootCausesPage;
use pages::scenarios::{
    detail::ScenarioPage,
    form::{EditScenario, NewScenario},
    import::ImportPage,
    list::ScenarioList,
};
use pages::search::SearchPage;

/// The HTML document around the app, in the request's language.
pub fn shell(options: LeptosOptions) -> impl IntoView {
    let ui = ui::resolve_ui();
    #[cfg(feature = "ssr")]
    content_security_policy();
    view! {
        <!DOCTYPE html>
        <html lang=ui.lang.code()>
            <head>
                <meta charset="utf-8"/>
                <meta name="viewport" content="width=device-width, initial-scale=1"/>
                <link rel="icon" href="data:,"/>
                <HydrationScripts options islands=true/>
                <MetaTags/>
            </head>
            <body>
                <App/>
            </body>
        </html>
    }
}

/// Sets the page's Content-Security-Policy: only hoego's own scripts (the inline hydration
/// scripts carry this response's nonce) and WebAssembly; no framing; forms post only here.
#[cfg(feature = "ssr")]
fn content_security_policy() {
    if let (Some(nonce), Some(response)) = (
        leptos::nonce::use_nonce(),
        use_context::<leptos_axum::ResponseOptions>(),
    ) && let Ok(value) = http::HeaderValue::from_str(&format!(
        "default-src 'self'; script-src 'self' 'nonce-{nonce}' 'wasm-unsafe-eval'; \
         style-src 'self'; img-src 'self' data:; connect-src 'self'; object-src 'none'; \
         base-uri 'none'; form-action 'self'; frame-ancestors 'none'"
    )) {
        response.insert_header(http::header::CONTENT_SECURITY_POLICY, value);
    }
}

/// The app. Every route renders fully on the server (`SsrMode::Async`); pages and forms work
/// without the WASM bundle, which only brings the islands to life.
#[component]
pub fn App() -> impl IntoView {
    // Islands read their props, never the page's resources: nothing outside an island is
    // written into the page for the browser (an island turns this back on inside itself).
    #[cfg(feature = "ssr")]
    if let Some(shared) = Owner::current_shared_context() {
        shared.set_is_hydrating(false);
    }
    provide_meta_context();
    let ui = ui::resolve_ui();
    provide_context(ui);
    provide_context(ui::me::resolve_me());
    let async_mode = SsrMode::Async;
    view! {
        <Stylesheet id="hoego" href="/pkg/hoego.css"/>
        <Title formatter=|page: String| format!("{} · hoego", ui::title_text(&page))/>
        <Router>
            <Header/>
            <main class="page">
                <Routes fallback=NotFound>
                    <Route path=path!("/") view=IncidentList ssr=async_mode.clone()/>
                    <Route path=path!("/incidents") view=IncidentList ssr=async_mode.clone()/>
                    <Route path=path!("/incidents/new") view=NewIncident ssr=async_mode.clone()/>
                    <Route path=path!("/incidents/:id") view=IncidentPage ssr=async_mode.clone()/>
                    <Route path=path!("/incidents/:id/edit") view=EditIncident ssr=async_mode.clone()/>
                    <Route path=path!("/incidents/:id/timeline/:event/edit") view=EditEvent ssr=async_mode.clone()/>
                    <Route path=path!("/incidents/:id/five-whys/:chain/edit") view=EditChain ssr=async_mode.clone()/>
                    <Route path=path!("/incidents/:id/action-items/:action/edit") view=EditAction ssr=async_mode.clone()/>
                    <Route path=path!("/action-items") view=ActionOverview ssr=async_mode.clone()/>
                    <Route path=path!("/search") view=SearchPage ssr=async_mode.clone()/>
                    <Route path=path!("/root-causes") view=RootCausesPage ssr=async_mode.clone()/>
                    <Route path=path!("/alerts") view=AlertList ssr=async_mode.clone()/>
                    <Route path=path!("/alerts/:id") view=AlertPage ssr=async_mode.clone()/>
                    <Route path=path!("/load-tests") view=LoadTestList ssr=async_mode.clone()/>
                    <Route path=path!("/scenarios") view=ScenarioList ssr=async_mode.clone()/>
                    <Route path=path!("/scenarios/new") view=NewScenario ssr=async_mode.clone()/>
                    <Route path=path!("/import") view=ImportPage ssr=async_mode.clone()/>
                    <Route path=path!("/scenarios/:id") view=ScenarioPage ssr=async_mode.clone()/>
                    <Route path=path!("/scenarios/:id/edit") view=EditScenario ssr=async_mode.clone()/>
                    <Route path=path!("/insights") view=InsightsPage ssr=async_mode.clone()/>
                    <Route path=path!("/insights/incidents") view=BehindPage ssr=async_mode.clone()/>
                    <Route path=path!("/load-tests/compare") view=ComparePage ssr=async_mode.clone()/>
                    <Route path=path!("/load-tests/:id") view=LoadTestPage ssr=async_mode.clone()/>
                    <Route path=path!("/sign-in") view=SignInPage ssr=async_mode.clone()/>
                    <Route path=path!("/account") view=AccountPage ssr=async_mode.clone()/>
                    <Route path=path!("/account/tokens") view=TokensPage ssr=async_mode.clone()/>
                    <Route path=path!("/admin/people") view=PeoplePage ssr=async_mode.clone()/>
                    <Route path=path!("/admin/audit") view=AuditPage ssr=async_mode.clone()/>
                    <Route path=path!("/admin/webhooks") view=HooksPage ssr=async_mode/>
                </Routes>
            </main>
        </Router>
    }
}

/// The browser entry point. hoego runs in islands mode: pages are plain server-rendered HTML
/// (links navigate, forms post) and only the few components marked `#[island]` hydrate, each
/// from its own props, right after this returns. So the bundle carries those islands and
/// nothing of the pages around them.
#[cfg(feature = "hydrate")]
#[wasm_bindgen::prelude::wasm_bindgen]
pub fn hydrate() {
    console_error_panic_hook::set_once();
    leptos::mount::hydrate_islands();
    ui::place::keep_place_across_posts();
    // Lets browser tests (and curious people) tell an enhanced page from a plain one.
    if let Some(root) = leptos::prelude::document().document_element() {
        let _ = root.set_attribute("data-hydrated", "true");
    }
}
