//! How a mutation answers: see the module doc of [`crate::api`].

use http::header::{ACCEPT, REFERER};
use leptos::prelude::*;
use serde::Serialize;

use super::flash::{Flash, flatten, store::FlashStore};
use crate::error::AppError;

/// The display time zone for reading form times.
pub fn tz() -> Result<chrono_tz::Tz, AppError> {
    Ok(crate::service::settings()?.tz)
}

fn request() -> Option<http::request::Parts> {
    use_context::<http::request::Parts>()
}

/// A plain HTML form post asks for `text/html`; the server-function client asks for data.
fn is_plain_form_post() -> bool {
    request()
        .and_then(|p| {
            p.headers
                .get(ACCEPT)?
                .to_str()
                .ok()
                .map(|a| a.contains("text/html"))
        })
        .unwrap_or(false)
}

/// The path and query of the page the form was on (never another origin), with any old flash
/// token replaced by `token`.
fn back_to_form(token: &str) -> Option<String> {
    let referer = request()?.headers.get(REFERER)?.to_str().ok()?.to_owned();
    let after_scheme = referer
        .split_once("://")
        .map(|(_, rest)| rest)
        .unwrap_or(&referer);
    let path = &after_scheme[after_scheme.find('/')?..];
    let (path, fragment) = path.split_once('#').unwrap_or((path, ""));
    let (base, query) = path.split_once('?').unwrap_or((path, ""));
    let mut params: Vec<&str> = query
        .split('&')
        .filter(|p| !p.is_empty() && !p.starts_with("flash="))
        .collect();
    let flash = format!("flash={token}");
    params.push(&flash);
    let fragment = if fragment.is_empty() {
        String::new()
    } else {
        format!("#{fragment}")
    };
    Some(format!("{base}?{}{fragment}", params.join("&")))
}

/// Turns a mutation's result into the answer described in [`crate::api`]: `Ok(Some(path))`
/// navigates to `path`, `Ok(None)` stays; a refused plain-form post goes back to the form.
pub fn finish<F: Serialize>(
    result: Result<Option<String>, AppError>,
    form_id: &str,
    form: &F,
) -> Result<(), AppError> {
    match result {
        Ok(Some(path)) => {
            leptos_axum::redirect(&path);
            Ok(())
        }
        Ok(None) => Ok(()),
        Err(error) => {
            // The error's own status, not the 500 server functions answer by default: a
            // refused form is the client's doing.
            if let Some(response) = use_context::<leptos_axum::ResponseOptions>()
                && let Ok(status) = http::StatusCode::from_u16(error.status())
            {
                response.set_status(status);
            }
            if is_plain_form_post()
                && let Some(store) = use_context::<FlashStore>()
            {
                let values = serde_json::to_value(form)
                    .map(|v| flatten(&v))
                    .unwrap_or_default();
                let token = store.put(Flash {
                    form: form_id.to_owned(),
                    values,
                    error: error.clone(),
                });
                if let Some(back) = back_to_form(&token) {
                    leptos_axum::redirect(&back);
                }
            }
            Err(error)
        }
    }
}
