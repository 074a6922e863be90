//! Past incidents like the one being filed, suggested as its title and summary are typed: the
//! quickest way to find out this has happened before.
//!
//! This is one of the few parts of hoego that runs in the browser (an island: see `hydrate` in
//! lib.rs). It sits beside the form rather than around it and follows the form's title and
//! summary by their names, so the form itself stays plain server-rendered HTML that works, and
//! posts, without the WASM.

use leptos::prelude::*;

use crate::domain::SearchHit;
use crate::ui::form::form_name;
use crate::ui::{Lang, Ui};

/// How long typing must pause before past incidents are asked for.
const PAUSE: std::time::Duration = std::time::Duration::from_millis(250);

/// The suggestions list. `lang` is the page's language (an island gets only its props, not the
/// server's context).
#[island]
pub fn SimilarIncidents(lang: Lang) -> impl IntoView {
    // The display zone is not used here; naming the server's would link every zone's rules
    // into the browser bundle.
    let ui = Ui {
        lang,
        tz: chrono_tz::UTC,
    };
    provide_context(ui);
    let t = ui.t();
    let suggestions = RwSignal::new(Vec::<SearchHit>::new());
    let typed = RwSignal::new(0u64);
    let listener = window_event_listener(leptos::ev::input, move |ev| {
        let name = event_target::<leptos::web_sys::Element>(&ev).get_attribute("name");
        if name != Some(form_name("title")) && name != Some(form_name("summary")) {
            return;
        }
        let text = format!("{}\n{}", field_value("title"), field_value("summary"));
        ask_after_pause(text, typed, suggestions);
    });
    on_cleanup(move || listener.remove());
    view! {
        <div class="suggestions" aria-live="polite">
            {move || {
                let found = suggestions.get();
                (!found.is_empty()).then(|| view! {
                    <p>{t.similar_titles}</p>
                    <ul>
                        {found.into_iter().map(|h| view! {
                            <li>
                                <crate::ui::badges::SeverityBadge severity=h.severity/>
                                <a href=format!("/incidents/{}", h.incident_id) target="_blank" rel="noopener">{h.title}</a>
                            </li>
                        }).collect_view()}
                    </ul>
                })
            }}
        </div>
    }
}

/// Asks for incidents like `text` once typing has paused, and shows only the answer to the
/// latest text (`typed` counts the edits).
fn ask_after_pause(text: String, typed: RwSignal<u64>, suggestions: RwSignal<Vec<SearchHit>>) {
    let generation = typed.get_untracked() + 1;
    typed.set(generation);
    // The page may be gone by the time the timer or the answer arrives (the form was submitted):
    // the `try_` accessors then do nothing instead of panicking.
    set_timeout(
        move || {
            if typed.try_get_untracked() != Some(generation) {
                return;
            }
            leptos::task::spawn_local(async move {
                let found = crate::api::suggest_incidents(text)
                    .await
                    .unwrap_or_default();
                if typed.try_get_untracked() == Some(generation) {
                    let _ = suggestions.try_set(found);
                }
            });
        },
        PAUSE,
    );
}

/// The current text of the form field `field` (an input or a textarea).
fn field_value(field: &str) -> String {
    use leptos::wasm_bindgen::JsCast;
    document()
        .query_selector(&format!("[name=\"{}\"]", form_name(field)))
        .ok()
        .flatten()
        // `value` is read by name, so this serves a textarea as well as an input.
        .map(|el| {
            el.unchecked_into::<leptos::web_sys::HtmlInputElement>()
                .value()
        })
        .unwrap_or_default()
}
