//! `/account/tokens`: one's API tokens (an admin sees everyone's), making and revoking them.

use leptos::form::ActionForm;
use leptos::prelude::*;
use leptos_meta::Title;

use super::{SecretOnce, shown_once};
use crate::api::{CreateToken, RevokeToken, list_tokens};
use crate::domain::{ApiToken, Scope};
use crate::pages::{ErrorPanel, flash_resource, loading, page_resource};
use crate::ui::form::{Field, FormError, FormState, form_name};
use crate::ui::use_ui;

#[component]
pub fn TokensPage() -> impl IntoView {
    let ui = use_ui();
    let a = ui.accounts();
    let create = ServerAction::<CreateToken>::new();
    let revoke = ServerAction::<RevokeToken>::new();
    let tokens = page_resource(|| (), |_| list_tokens());
    let secret = shown_once();
    let flash = flash_resource();
    view! {
        <Title text=a.tokens/>
        <div class="page-head"><h1>{a.tokens}</h1><a href="/account">{a.account}</a></div>
        <p class="hint">{a.tokens_intro}</p>
        <Suspense fallback=loading>
            {move || Suspend::new(async move {
                let shown = secret.await.map(|s| {
                    view! { <SecretOnce intro=format!("{} ({})", a.token_created, s.label) secret=s.secret/> }
                });
                let state = FormState::new("token", flash.await);
                let list = match tokens.await {
                    Ok(list) => token_table(list, revoke).into_any(),
                    Err(e) => view! { <ErrorPanel error=e/> }.into_any(),
                };
                view! {
                    {shown}
                    {list}
                    <ActionForm action=create attr:class="panel form narrow">
                        <h2>{a.create_token}</h2>
                        <FormError state=state/>
                        <Field state=state name="name" label=a.token_name.to_string()>
                            <input id=state.input_id("name") name=form_name("name") value=state.value("name", "") required=true placeholder="alertmanager"/>
                        </Field>
                        <Field state=state name="scopes" label=a.scopes.to_string()>
                            <span class="checks" id=state.input_id("scopes")>
                                {Scope::ALL.iter().map(|s| view! {
                                    <label class="check">
                                        <input type="checkbox" name=form_name(s.as_str()) value="on" checked=state.value(s.as_str(), "") == "on"/>
                                        {a.scope_label(*s)}
                                    </label>
                                }).collect_view()}
                            </span>
                        </Field>
                        <button type="submit" class="primary">{a.create_token}</button>
                    </ActionForm>
                }
            })}
        </Suspense>
    }
}

fn token_table(list: Vec<ApiToken>, revoke: ServerAction<RevokeToken>) -> impl IntoView {
    let ui = use_ui();
    let a = ui.accounts();
    if list.is_empty() {
        return view! { <p class="empty-inline">{a.no_tokens}</p> }.into_any();
    }
    view! {
        <table class="list tokens">
            <thead><tr>
                <th>{a.token_name}</th><th>{a.scopes}</th><th>{a.owner}</th>
                <th>{a.created}</th><th>{a.last_used}</th><th></th>
            </tr></thead>
            <tbody>
                {list.into_iter().map(|t| {
                    let scopes: Vec<&str> = t.scopes.iter().map(|s| s.as_str()).collect();
                    let revoked = t.revoked_at.is_some();
                    view! {
                        <tr class:revoked=revoked>
                            <td><strong>{t.name}</strong>" "<code>{format!("{}…", t.prefix)}</code></td>
                            <td>{scopes.join(", ")}</td>
                            <td>{t.owner.unwrap_or_else(|| a.machine.to_string())}</td>
                            <td class="time">{ui.time(t.created_at)}</td>
                            <td class="time">{t.last_used_at.map(|u| ui.time(u)).unwrap_or_else(|| a.never.to_string())}</td>
                            <td>
                                {if revoked {
                                    view! { <span class="tag">{a.revoked}</span> }.into_any()
                                } else {
                                    view! {
                                        <ActionForm action=revoke attr:class="inline">
                                            <input type="hidden" name="id" value=t.id/>
                                            <button type="submit" class="danger">{a.revoke}</button>
                                        </ActionForm>
                                    }.into_any()
                                }}
                            </td>
                        </tr>
                    }
                }).collect_view()}
            </tbody>
        </table>
    }
    .into_any()
}
