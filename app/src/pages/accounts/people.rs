//! `/admin/people`: everyone's account; adding people, roles, turning accounts off.

use leptos::form::ActionForm;
use leptos::prelude::*;
use leptos_meta::Title;

use super::{SecretOnce, shown_once};
use crate::api::{AddPerson, ResetPassword, SetDisabled, SetRole, list_people};
use crate::domain::{Person, Role};
use crate::pages::{ErrorPanel, flash_resource, loading, page_resource};
use crate::ui::form::{Field, FormError, FormState, form_name};
use crate::ui::use_ui;

/// The page's actions; any success reloads the list.
#[derive(Clone, Copy)]
struct Actions {
    role: ServerAction<SetRole>,
    disabled: ServerAction<SetDisabled>,
    reset: ServerAction<ResetPassword>,
}

#[component]
pub fn PeoplePage() -> impl IntoView {
    let ui = use_ui();
    let a = ui.accounts();
    let add = ServerAction::<AddPerson>::new();
    let acts = Actions {
        role: ServerAction::new(),
        disabled: ServerAction::new(),
        reset: ServerAction::new(),
    };
    let people = page_resource(|| (), |_| list_people());
    let secret = shown_once();
    let flash = flash_resource();
    view! {
        <Title text=a.people/>
        <div class="page-head"><h1>{a.people}</h1><a href="/admin/audit">{a.audit}</a></div>
        <Suspense fallback=loading>
            {move || Suspend::new(async move {
                let shown = secret.await.map(|s| {
                    view! { <SecretOnce intro=(a.password_created)(&s.label) secret=s.secret/> }
                });
                let flash = flash.await;
                let state = FormState::new("person", flash.clone());
                let role_state = FormState::new("role", flash);
                match people.await {
                    Err(e) => view! { <ErrorPanel error=e/> }.into_any(),
                    Ok(list) => view! {
                        {shown}
                        <FormError state=role_state/>
                        {people_table(list, acts)}
                        <ActionForm action=add attr:class="panel form narrow">
                            <h2>{a.add_person}</h2>
                            <FormError state=state/>
                            <Field state=state name="name" label=a.name.to_string()>
                                <input id=state.input_id("name") name=form_name("name") value=state.value("name", "") required=true/>
                            </Field>
                            <Field state=state name="role" label=a.role.to_string()>
                                <select id=state.input_id("role") name=form_name("role")>
                                    {role_options(&state.value("role", "engineer"))}
                                </select>
                            </Field>
                            <button type="submit" class="primary">{a.add_person}</button>
                        </ActionForm>
                    }.into_any(),
                }
            })}
        </Suspense>
    }
}

fn role_options(selected: &str) -> impl IntoView + use<> {
    let a = use_ui().accounts();
    Role::ALL
        .iter()
        .map(|r| {
            let is = r.as_str() == selected;
            view! { <option value=r.as_str() selected=is>{a.role_name(*r)}</option> }
        })
        .collect_view()
}

fn people_table(list: Vec<Person>, acts: Actions) -> impl IntoView {
    let ui = use_ui();
    let a = ui.accounts();
    view! {
        <table class="list people">
            <thead><tr><th>{a.name}</th><th>{a.role}</th><th>{a.created}</th><th></th></tr></thead>
            <tbody>
                {list.into_iter().map(|p| {
                    let off = p.disabled_at.is_some();
                    view! {
                        <tr class:revoked=off>
                            <td><strong>{p.name.clone()}</strong>{off.then(|| view! { " " <span class="tag">{a.disabled}</span> })}</td>
                            <td>
                                <ActionForm action=acts.role attr:class="inline">
                                    <input type="hidden" name="id" value=p.id/>
                                    <select name="role" aria-label=a.role>{role_options(p.role.as_str())}</select>
                                    <button type="submit">{a.set_role}</button>
                                </ActionForm>
                            </td>
                            <td class="time">{ui.time(p.created_at)}</td>
                            <td class="row-actions">
                                <ActionForm action=acts.disabled attr:class="inline">
                                    <input type="hidden" name="id" value=p.id/>
                                    <input type="hidden" name="disabled" value=(!off).to_string()/>
                                    <button type="submit">{if off { a.enable } else { a.disable }}</button>
                                </ActionForm>
                                <ActionForm action=acts.reset attr:class="inline">
                                    <input type="hidden" name="id" value=p.id/>
                                    <button type="submit">{a.reset_password}</button>
                                </ActionForm>
                            </td>
                        </tr>
                    }
                }).collect_view()}
            </tbody>
        </table>
    }
}
