//! The 5-Why section: each chain's steps (reorder, remove), its root cause, and the add form.

use leptos::form::ActionForm;
use leptos::prelude::*;

use super::detail::DetailActions;
use crate::api::Flash;
use crate::domain::{FiveWhyChain, IncidentId, RootCauseCategory, StepId};
use crate::forms::five_why::{ChainForm, NEW_CHAIN_ROWS, StepForm};
use crate::ui::form::{Field, FormError, FormState, form_name, options};
use crate::ui::use_ui;

#[component]
pub fn ChainsSection(
    incident: IncidentId,
    chains: Vec<FiveWhyChain>,
    flash: Option<Flash>,
    acts: DetailActions,
) -> impl IntoView {
    let t = use_ui().t();
    let state = FormState::new("chain", flash);
    let blank = ChainForm {
        steps: vec![StepForm::default(); NEW_CHAIN_ROWS],
        category: RootCauseCategory::Other.to_string(),
        ..Default::default()
    };
    view! {
        <section class="panel chains" id="five-whys">
            <h2>{t.five_whys}</h2>
            {chains.is_empty().then(|| view! { <p class="empty-inline">{t.no_chains}</p> })}
            {chains.into_iter().map(|c| view! { <Chain c=c acts=acts/> }).collect_view()}
            <details class="add" open=state.error().get_untracked().is_some()>
                <summary>{t.add_chain}</summary>
                <ActionForm action=acts.add_chain attr:class="form">
                    <input type="hidden" name="incident" value=incident/>
                    <ChainInputs state=state form=blank/>
                    <button type="submit" class="primary">{t.add_chain}</button>
                </ActionForm>
            </details>
        </section>
    }
}

#[component]
fn Chain(c: FiveWhyChain, acts: DetailActions) -> impl IntoView {
    let t = use_ui().t();
    let (incident, chain) = (c.incident_id, c.id);
    let last = c.steps.len().saturating_sub(1);
    // One form per step; the pressed button's `op` says what to do.
    let step_controls = move |step: StepId, first: bool, last: bool| {
        view! {
            <ActionForm action=acts.edit_step attr:class="inline row-actions">
                <input type="hidden" name="incident" value=incident/>
                <input type="hidden" name="chain" value=chain/>
                <input type="hidden" name="step" value=step/>
                <button type="submit" name="op" value="up" class="link" disabled=first title=t.move_up aria-label=t.move_up>"↑"</button>
                <button type="submit" name="op" value="down" class="link" disabled=last title=t.move_down aria-label=t.move_down>"↓"</button>
                <button type="submit" name="op" value="remove" class="link danger" title=t.remove_step aria-label=t.remove_step>"✕"</button>
            </ActionForm>
        }
    };
    view! {
        <article class="chain" id=format!("chain-{chain}")>
            <header>
                <h3>{c.problem}</h3>
                <span class="category">{t.category_label(c.category)}</span>
                <a class="row-actions" href=format!("/incidents/{incident}/five-whys/{chain}/edit")>{t.edit}</a>
            </header>
            <ol class="steps">
                {c.steps.into_iter().enumerate().map(|(i, s)| view! {
                    <li id=format!("step-{}", s.id)>
                        <p class="why"><strong>{format!("{} {}", t.why, i + 1)}</strong>" "{s.why}</p>
                        <p class="because">{s.because}</p>
                        {step_controls(s.id, i == 0, i == last)}
                    </li>
                }).collect_view()}
            </ol>
            {(!c.root_cause.is_empty()).then(|| view! {
                <p class="root-cause"><strong>{t.f_root_cause}</strong>" "{c.root_cause}</p>
            })}
        </article>
    }
}

/// The inputs of a chain form (add and edit): problem, step rows, root cause, category.
#[component]
pub fn ChainInputs(state: FormState, form: ChainForm) -> impl IntoView {
    let t = use_ui().t();
    let category = state.value("category", form.category.clone());
    // After a refused post the flash holds the compacted rows; show those plus spare ones.
    let flashed_rows = (0..)
        .take_while(|i| state.value(&format!("steps[{i}].why"), "\u{0}") != "\u{0}")
        .count();
    let rows = flashed_rows.max(form.steps.len()).max(1) + if flashed_rows > 0 { 1 } else { 0 };
    let step_rows = (0..rows)
        .map(|i| {
            let base = form.steps.get(i).cloned().unwrap_or_default();
            let why = format!("steps[{i}].why");
            let because = format!("steps[{i}].because");
            let id = state.value(&format!("steps[{i}].id"), base.id.clone());
            view! {
                <fieldset class="step">
                    <legend>{format!("{} {}", t.why, i + 1)}</legend>
                    <input type="hidden" name=form_name(&format!("steps[{i}].id")) value=id/>
                    <Field state=state name=why.clone() label=t.f_why.to_string()>
                        <input type="text" id=state.input_id(&why) name=form_name(&why) value=state.value(&why, base.why.clone())/>
                    </Field>
                    <Field state=state name=because.clone() label=t.f_because.to_string()>
                        <input type="text" id=state.input_id(&because) name=form_name(&because) value=state.value(&because, base.because.clone())/>
                    </Field>
                </fieldset>
            }
        })
        .collect_view();
    view! {
        <FormError state=state/>
        <Field state=state name="problem" label=t.f_problem.to_string()>
            <input type="text" id=state.input_id("problem") name=form_name("problem") value=state.value("problem", form.problem.clone()) required/>
        </Field>
        <div class="step-rows">{step_rows}</div>
        <p class="hint">{t.steps_hint}</p>
        <div class="row">
            <Field state=state name="root_cause" label=t.f_root_cause.to_string()>
                <input type="text" id=state.input_id("root_cause") name=form_name("root_cause") value=state.value("root_cause", form.root_cause.clone())/>
            </Field>
            <Field state=state name="category" label=t.f_category.to_string()>
                <select id=state.input_id("category") name=form_name("category")>
                    {options(RootCauseCategory::ALL, |c| t.category_label(c), &category)}
                </select>
            </Field>
        </div>
    }
}
