//! `/admin/webhooks`: outgoing webhooks, their deliveries, adding and turning them off.

use leptos::form::ActionForm;
use leptos::prelude::*;
use leptos_meta::Title;

use crate::api::{CreateHook, DeleteHook, SetHookEnabled, list_hooks};
use crate::domain::{HookEvent, HookFormat, HookStatus};
use crate::pages::{ErrorPanel, flash_resource, loading, page_resource};
use crate::ui::form::{Field, FormError, FormState, form_name};
use crate::ui::use_ui;

#[component]
pub fn HooksPage() -> impl IntoView {
    let ui = use_ui();
    let h = ui.hooks();
    let create = ServerAction::<CreateHook>::new();
    let enabled = ServerAction::<SetHookEnabled>::new();
    let delete = ServerAction::<DeleteHook>::new();
    let hooks = page_resource(|| (), |_| list_hooks());
    let flash = flash_resource();
    view! {
        <Title text=h.hooks/>
        <div class="page-head"><h1>{h.hooks}</h1><a href="/admin/people">{ui.accounts().people}</a></div>
        <p class="hint">{h.intro}</p>
        <Suspense fallback=loading>
            {move || Suspend::new(async move {
                let state = FormState::new("hook", flash.await);
                let list = match hooks.await {
                    Err(e) => view! { <ErrorPanel error=e/> }.into_any(),
                    Ok(list) if list.is_empty() => view! { <p class="empty">{h.none}</p> }.into_any(),
                    Ok(list) => list.into_iter().map(|s| hook_panel(s, enabled, delete)).collect_view().into_any(),
                };
                view! {
                    {list}
                    <ActionForm action=create attr:class="panel form narrow">
                        <h2>{h.add}</h2>
                        <FormError state=state/>
                        <Field state=state name="name" label=h.name.to_string()>
                            <input id=state.input_id("name") name=form_name("name") value=state.value("name", "") required=true placeholder="#incidents"/>
                        </Field>
                        <Field state=state name="url" label=h.url.to_string()>
                            <input id=state.input_id("url") name=form_name("url") type="url" value=state.value("url", "") required=true placeholder="https://hooks.slack.com/services/…"/>
                        </Field>
                        <Field state=state name="format" label=h.format.to_string()>
                            <select id=state.input_id("format") name=form_name("format")>
                                {HookFormat::ALL.iter().map(|f| {
                                    let is = state.value("format", "slack") == f.as_str();
                                    view! { <option value=f.as_str() selected=is>{h.format_name(*f)}</option> }
                                }).collect_view()}
                            </select>
                        </Field>
                        <Field state=state name="routing_key" label=h.routing_key.to_string()>
                            <input id=state.input_id("routing_key") name=form_name("routing_key") value=state.value("routing_key", "")/>
                        </Field>
                        <Field state=state name="events" label=h.events.to_string()>
                            <span class="checks" id=state.input_id("events")>
                                {HookEvent::ALL.iter().map(|e| view! {
                                    <label class="check">
                                        <input type="checkbox" name=form_name(e.as_str()) value="on" checked=state.value(e.as_str(), "") == "on"/>
                                        {h.event(*e)}
                                    </label>
                                }).collect_view()}
                            </span>
                        </Field>
                        <button type="submit" class="primary">{h.add}</button>
                    </ActionForm>
                }
            })}
        </Suspense>
    }
}

fn hook_panel(
    s: HookStatus,
    enabled: ServerAction<SetHookEnabled>,
    delete: ServerAction<DeleteHook>,
) -> impl IntoView {
    let ui = use_ui();
    let h = ui.hooks();
    let hook = s.hook;
    let events: Vec<&str> = hook.events.iter().map(|e| h.event(*e)).collect();
    view! {
        <section class="panel hook" class:off=!hook.enabled>
            <div class="title-row">
                <h2>{hook.name.clone()}{(!hook.enabled).then(|| view! { " " <span class="tag">{h.off}</span> })}</h2>
                <ActionForm action=enabled attr:class="inline">
                    <input type="hidden" name="id" value=hook.id/>
                    <input type="hidden" name="enabled" value=(!hook.enabled).to_string()/>
                    <button type="submit">{if hook.enabled { h.disable } else { h.enable }}</button>
                </ActionForm>
                <ActionForm action=delete attr:class="inline">
                    <input type="hidden" name="id" value=hook.id/>
                    <button type="submit" class="danger">{h.delete}</button>
                </ActionForm>
            </div>
            <p class="meta"><code>{hook.url.clone()}</code>" · "{h.format_name(hook.format)}" · "{events.join(", ")}</p>
            <p class="meta">{format!("{} {} · {} {}", h.pending, s.pending, h.failed, s.failed)}</p>
            <h3>{h.deliveries}</h3>
            {if s.deliveries.is_empty() {
                view! { <p class="empty-inline">{h.no_deliveries}</p> }.into_any()
            } else {
                view! {
                    <table class="list deliveries">
                        <tbody>
                            {s.deliveries.into_iter().map(|d| {
                                let failed = d.error.is_some();
                                view! {
                                <tr class:failed=failed>
                                    <td class="time">{ui.time(d.at)}</td>
                                    <td>{h.event(d.event)}</td>
                                    <td>{d.incident_id.map(|i| view! { <a href=format!("/incidents/{i}")>{format!("#{i}")}</a> })}</td>
                                    <td>{format!("{} {}", h.attempt, d.attempt)}</td>
                                    <td>{d.status_code.map(|c| c.to_string()).unwrap_or_default()}</td>
                                    <td>{d.error.unwrap_or_default()}</td>
                                    <td>{format!("{} ms", d.duration_ms)}</td>
                                </tr>
                            }}).collect_view()}
                        </tbody>
                    </table>
                }.into_any()
            }}
        </section>
    }
}
