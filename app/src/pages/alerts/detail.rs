//! `/alerts/{id}`: one alert with its labels and annotations as sent, its times, its incident,
//! and linking it by hand.

use leptos::form::ActionForm;
use leptos::prelude::*;
use leptos_meta::Title;

use crate::api::{LinkAlert, UnlinkAlert, get_alert};
use crate::domain::{AlertEvent, AlertId, LabelSet, LinkedBy};
use crate::pages::incident::param_id;
use crate::pages::{ErrorPanel, flash_resource, loading, page_resource};
use crate::ui::form::{Field, FormError, FormState};
use crate::ui::use_ui;

#[component]
pub fn AlertPage() -> impl IntoView {
    let id = param_id::<AlertId>("id");
    let link = ServerAction::<LinkAlert>::new();
    let unlink = ServerAction::<UnlinkAlert>::new();
    let alert = page_resource(move || id.get(), get_alert);
    let flash = flash_resource();
    view! {
        <Suspense fallback=loading>
            {move || Suspend::new(async move {
                let flash = flash.await;
                match alert.await {
                    Err(e) => view! { <ErrorPanel error=e/> }.into_any(),
                    Ok(x) => render(x, FormState::new("link", flash), link, unlink).into_any(),
                }
            })}
        </Suspense>
    }
}

fn pairs(set: &LabelSet) -> impl IntoView + use<> {
    let rows: Vec<(String, String)> = set.iter().map(|(k, v)| (k.clone(), v.clone())).collect();
    view! {
        <dl class="labels">
            {rows.into_iter().map(|(k, v)| view! { <div class="fact"><dt>{k}</dt><dd>{v}</dd></div> }).collect_view()}
        </dl>
    }
}

fn render(
    x: AlertEvent,
    state: FormState,
    link: ServerAction<LinkAlert>,
    unlink: ServerAction<UnlinkAlert>,
) -> impl IntoView {
    let ui = use_ui();
    let (t, a) = (ui.t(), ui.alerts());
    let summary = x.summary();
    view! {
        <Title text=summary.clone()/>
        <div class="page-head"><h1>{summary}</h1><a href="/alerts">{a.alerts}</a></div>
        <p class="meta">
            <span class=format!("badge alert-{}", x.status)>{a.status_label(x.status)}</span>
            " " {x.priority.map(|p| p.as_str())} " · " {x.alertname.clone()} " · " {x.service.clone()}
        </p>
        {(x.truncated_alerts > 0).then(|| view! { <p class="form-error">{(a.truncated)(x.truncated_alerts)}</p> })}
        <section class="panel facts">
            <dl class="times">
                <div class="fact"><dt>{a.fired}</dt><dd class="time">{ui.time(x.starts_at)}</dd></div>
                <div class="fact"><dt>{a.resolved}</dt><dd class="time">{ui.opt_time(x.ends_at)}</dd></div>
                <div class="fact"><dt>{a.received}</dt><dd class="time">{ui.time(x.received_at)}</dd></div>
                <div class="fact"><dt>{a.source}</dt><dd>{x.source.as_str()}{(!x.receiver.is_empty()).then(|| format!(" · {}", x.receiver))}</dd></div>
                <div class="fact"><dt>{a.fingerprint}</dt><dd><code>{x.fingerprint.clone()}</code></dd></div>
                <div class="fact"><dt>{a.group}</dt><dd><code>{x.group_key.clone()}</code></dd></div>
            </dl>
            {(!x.generator_url.is_empty()).then(|| view! {
                <p><a href=x.generator_url.clone() rel="noopener noreferrer">{a.generator}</a></p>
            })}
        </section>
        <section class="panel"><h2>{a.annotations}</h2>{pairs(&x.annotations)}</section>
        <section class="panel"><h2>{a.labels}</h2>{pairs(&x.labels)}</section>
        <section class="panel">
            <h2>{t.incident}</h2>
            {x.incident_id.map(|i| {
                let how = match x.linked_by {
                    Some(LinkedBy::Hand) => a.linked_by_hand,
                    _ => a.linked_by_rule,
                };
                view! {
                    <p><a href=format!("/incidents/{i}")>{format!("#{i}")}</a> " (" {how} ")"</p>
                    <ActionForm action=unlink attr:class="inline">
                        <input type="hidden" name="id" value=x.id/>
                        <button type="submit">{a.unlink}</button>
                    </ActionForm>
                }
            })}
            <ActionForm action=link attr:class="inline">
                <FormError state=state/>
                <input type="hidden" name="id" value=x.id/>
                <Field state=state name="incident" label=a.link_to.to_string()>
                    <input id=state.input_id("incident") name="incident" inputmode="numeric" size="8" value=state.value("incident", "")/>
                </Field>
                <button type="submit">{a.link}</button>
            </ActionForm>
        </section>
    }
}
