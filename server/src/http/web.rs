//! The Leptos pages and server functions, the language switch and static files.

use std::sync::Arc;

use app::api::flash::store::FlashStore;
use app::service::{
    AccountService, ActionItemService, AlertService, AuditService, FiveWhyService, HookService,
    IncidentService, InsightsService, LoadTestService, ScenarioService, SearchService,
    TimelineService, TokenService,
};
use app::ui::lang::{COOKIE, Lang};
use axum::Router;
use axum::extract::{Path, Query};
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::get;
use leptos::prelude::*;
use leptos_axum::{LeptosRoutes, generate_route_list};

use crate::backend::Backend;

/// Pages, server functions under `/api/…` (registered by `leptos_routes_with_context`), and
/// `/pkg` files from the site root with the error page as fallback.
pub fn routes(
    options: LeptosOptions,
    backend: Arc<Backend>,
    imports: app::api::reports::ImportReports,
) -> Router {
    let flash = FlashStore::default();
    let settings = backend.settings();
    // Each feature's service, as the trait object its server functions ask for.
    let incidents: Arc<dyn IncidentService> = backend.clone();
    let timeline: Arc<dyn TimelineService> = backend.clone();
    let five_whys: Arc<dyn FiveWhyService> = backend.clone();
    let action_items: Arc<dyn ActionItemService> = backend.clone();
    let search: Arc<dyn SearchService> = backend.clone();
    let alerts: Arc<dyn AlertService> = backend.clone();
    let hooks: Arc<dyn HookService> = backend.clone();
    let load_tests: Arc<dyn LoadTestService> = backend.clone();
    let insights: Arc<dyn InsightsService> = backend.clone();
    let scenarios: Arc<dyn ScenarioService> = backend.clone();
    let accounts: Arc<dyn AccountService> = backend.accounts.clone();
    let tokens: Arc<dyn TokenService> = backend.accounts.clone();
    let audit: Arc<dyn AuditService> = backend.accounts.clone();
    let context = move || {
        provide_context(settings);
        provide_context(flash.clone());
        provide_context(incidents.clone());
        provide_context(timeline.clone());
        provide_context(five_whys.clone());
        provide_context(action_items.clone());
        provide_context(search.clone());
        provide_context(alerts.clone());
        provide_context(hooks.clone());
        provide_context(load_tests.clone());
        provide_context(insights.clone());
        provide_context(scenarios.clone());
        provide_context(imports.clone());
        provide_context(accounts.clone());
        provide_context(tokens.clone());
        provide_context(audit.clone());
    };
    let routes = generate_route_list(app::App);
    Router::new()
        .route("/lang/{code}", get(switch_language))
        .leptos_routes_with_context(&options, routes, context.clone(), {
            let options = options.clone();
            move || app::shell(options.clone())
        })
        .fallback(leptos_axum::file_and_error_handler_with_context(
            context,
            app::shell,
        ))
        .with_state(options)
}

#[derive(serde::Deserialize)]
struct Next {
    next: Option<String>,
}

/// Sets the language cookie for a year and goes back to `next` (a local path only).
async fn switch_language(Path(code): Path<String>, Query(q): Query<Next>) -> Response {
    let Some(lang) = Lang::parse(&code) else {
        return (StatusCode::NOT_FOUND, "unknown language").into_response();
    };
    let next = q
        .next
        .as_deref()
        .and_then(super::safety::local_path)
        .unwrap_or_else(|| "/".into());
    let cookie = format!(
        "{COOKIE}={}; Path=/; Max-Age=31536000; SameSite=Lax",
        lang.code()
    );
    let mut response = Redirect::to(&next).into_response();
    if let Ok(v) = HeaderValue::from_str(&cookie) {
        response.headers_mut().insert(header::SET_COOKIE, v);
    }
    response
}
