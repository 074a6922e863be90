//! `/sign-in`: a plain form posted to `/auth/sign-in`, which works without the WASM bundle.

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

use crate::ui::use_ui;

#[component]
pub fn SignInPage() -> impl IntoView {
    let ui = use_ui();
    let a = ui.accounts();
    let query = use_query_map();
    let get = move |k: &str| query.read_untracked().get(k).unwrap_or_default();
    let problem = get("problem");
    let message = match problem.as_str() {
        "" => None,
        "wrong" => Some(a.wrong_password.to_string()),
        "changed" => Some(a.signed_out_changed.to_string()),
        p => match p.strip_prefix("wait:").and_then(|s| s.parse::<u64>().ok()) {
            Some(seconds) => Some((ui.t().too_many_attempts)(seconds)),
            None => Some(a.sign_in_failed.to_string()),
        },
    };
    let name = get("name");
    let focus_password = !name.is_empty();
    view! {
        <Title text=a.sign_in/>
        <section class="panel sign-in">
            <h1>{a.sign_in}</h1>
            <p class="hint">{a.sign_in_intro}</p>
            {message.map(|m| view! { <p class="form-error" role="alert">{m}</p> })}
            <form method="post" action="/auth/sign-in" class="form">
                <input type="hidden" name="next" value=get("next")/>
                <div class="field">
                    <label for="sign-in-name">{a.name}</label>
                    <input id="sign-in-name" name="name" value=name autocomplete="username" required=true autofocus=!focus_password/>
                </div>
                <div class="field">
                    <label for="sign-in-password">{a.password}</label>
                    <input id="sign-in-password" name="password" type="password" autocomplete="current-password" required=true autofocus=focus_password/>
                </div>
                <button type="submit" class="primary">{a.sign_in}</button>
            </form>
        </section>
    }
}
