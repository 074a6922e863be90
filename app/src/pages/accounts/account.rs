//! `/account`: who one is, and changing one's password.

use leptos::form::ActionForm;
use leptos::prelude::*;
use leptos_meta::Title;

use crate::api::ChangePassword;
use crate::pages::flash_resource;
use crate::ui::form::{Field, FormError, FormState, form_name};
use crate::ui::{use_me, use_ui};

#[component]
pub fn AccountPage() -> impl IntoView {
    let ui = use_ui();
    let a = ui.accounts();
    let me = use_me();
    let action = ServerAction::<ChangePassword>::new();
    let flash = flash_resource();
    view! {
        <Title text=a.account/>
        <div class="page-head"><h1>{a.account}</h1><a href="/account/tokens">{a.tokens}</a></div>
        {me.map(|m| view! {
            <p class="context">{m.name}" · "{m.role.map(|r| a.role_name(r)).unwrap_or_default()}</p>
        })}
        <Suspense fallback=crate::pages::loading>
            {move || Suspend::new(async move {
                let state = FormState::new("password", flash.await);
                view! {
                    <ActionForm action=action attr:class="panel form narrow">
                        <h2>{a.change_password}</h2>
                        <FormError state=state/>
                        <Field state=state name="current_password" label=a.current_password.to_string()>
                            <input type="password" id=state.input_id("current_password") name=form_name("current_password") autocomplete="current-password" required=true/>
                        </Field>
                        <Field state=state name="new_password" label=a.new_password.to_string() hint=a.password_hint>
                            <input type="password" id=state.input_id("new_password") name=form_name("new_password") autocomplete="new-password" minlength="8" required=true/>
                        </Field>
                        <button type="submit" class="primary">{a.change_password}</button>
                    </ActionForm>
                }
            })}
        </Suspense>
    }
}
