//! Form plumbing shared by every form: values and errors from a flash, and a labelled field
//! that shows its own error.

use std::sync::Arc;

use leptos::prelude::*;

use crate::api::Flash;
use crate::error::AppError;
use crate::ui::use_ui;

/// What a form renders from: after a refused post, the flash supplies the typed values and
/// the error.
#[derive(Clone, Copy)]
pub struct FormState {
    id: &'static str,
    flash: StoredValue<Option<Flash>>,
    error: Signal<Option<AppError>>,
}

impl FormState {
    /// `id` names the form in flashes and element ids; it must match the id its server
    /// function passes to `finish`. A flash for another form of the page is ignored.
    pub fn new(id: &'static str, flash: Option<Flash>) -> Self {
        let flash = flash.filter(|f| f.form == id);
        let error = Signal::stored(flash.as_ref().map(|f| f.error.clone()));
        Self {
            id,
            flash: StoredValue::new(flash),
            error,
        }
    }

    /// The value to show: what was typed before a refused plain post, else `default`.
    pub fn value(&self, field: &str, default: impl Into<String>) -> String {
        self.flash
            .with_value(|f| f.as_ref().and_then(|f| f.values.get(field).cloned()))
            .unwrap_or_else(|| default.into())
    }

    /// The error the form was refused with, if any.
    pub fn error(&self) -> Signal<Option<AppError>> {
        self.error
    }

    /// The localized message for `field`, when the current error is about it. A closure,
    /// not a derived signal: pages hold dozens of fields, and each signal is an allocation
    /// and a slot in the reactive arena.
    fn field_error(&self, field: Arc<str>) -> impl Fn() -> Option<String> + Clone + use<> {
        let error = self.error;
        let ui = use_ui();
        move || {
            error.with(|e| {
                e.as_ref()
                    .and_then(|e| e.invalid())
                    .filter(|i| *i.field == *field)
                    .map(|i| ui.t().problem(&i.problem))
            })
        }
    }

    /// The element id of a field's input: `steps[0].why` in form `chain` is `chain-steps-0--why`.
    pub fn input_id(&self, field: &str) -> String {
        let mut id = String::with_capacity(self.id.len() + 1 + field.len());
        id.push_str(self.id);
        id.push('-');
        id.extend(
            field
                .chars()
                .map(|c| if matches!(c, '[' | ']' | '.') { '-' } else { c }),
        );
        id
    }
}

/// A form-level message: for a field error, a pointer to the field; otherwise the error itself.
#[component]
pub fn FormError(state: FormState) -> impl IntoView {
    let error = state.error();
    let ui = use_ui();
    // Erased: the pages that hold forms are deep types already, and the WASM build computes
    // their layout to a recursion limit.
    let shown = move || {
        error.get().map(|e| {
            let text = match &e {
                AppError::Invalid(i) => format!(
                    "{} ({}: {})",
                    ui.t().fix_below,
                    ui.t().field_name(&i.field),
                    ui.t().problem(&i.problem)
                ),
                AppError::Conflict { changes, .. } => {
                    let t = ui.t();
                    let lines = changes
                        .iter()
                        .map(|c| {
                            let at = crate::time::format(c.at, ui.tz);
                            view! { <li>{t.change_text(c, &at)}</li> }
                        })
                        .collect_view();
                    return view! {
                        <div class="form-error" role="alert">
                            <p>{t.conflict_intro}</p>
                            <ul class="changes">{lines}</ul>
                        </div>
                    }
                    .into_any();
                }
                other => ui.t().error_text(other),
            };
            view! { <p class="form-error" role="alert">{text}</p> }.into_any()
        })
    };
    shown.into_any()
}

/// The version a form was opened at, sent back with it so a save made after someone else's is
/// refused with what changed. After such a refusal it holds the version now, so saving again
/// (having seen the changes) goes through.
#[component]
pub fn VersionInput(state: FormState, version: i64) -> impl IntoView {
    let error = state.error();
    let value = move || match error.get() {
        Some(AppError::Conflict { version, .. }) => version,
        _ => version,
    };
    view! { <input type="hidden" name=form_name("version") value=move || value().to_string()/> }
        .into_any()
}

/// A label, the input given as children, an optional hint, and the field's error.
#[component]
pub fn Field(
    state: FormState,
    /// The field as validation names it, e.g. `title` or `steps[0].why`.
    #[prop(into)]
    name: String,
    label: String,
    #[prop(optional)] hint: Option<&'static str>,
    children: Children,
) -> impl IntoView {
    let id = state.input_id(&name);
    let error = state.field_error(name.into());
    let invalid = error.clone();
    view! {
        <div class="field" class:invalid=move || invalid().is_some()>
            <label for=id>{label}</label>
            {children()}
            {hint.filter(|h| !h.is_empty()).map(|h| view! { <small class="hint">{h}</small> })}
            {move || error().map(|m| view! { <p class="field-error" role="alert">{m}</p> })}
        </div>
    }
}

/// A labelled one-line text input of a form named `form` (see [`form_name`]), showing what was
/// typed before a refused plain post, else `default`.
pub fn text_field(
    state: FormState,
    name: &'static str,
    label: &'static str,
    default: &str,
    hint: &'static str,
    required: bool,
) -> impl IntoView + use<> {
    let value = state.value(name, default);
    view! {
        <Field state=state name=name label=label.to_string() hint=hint>
            <input type="text" id=state.input_id(name) name=form_name(name) value=value required=required/>
        </Field>
    }
}

/// A labelled text area, like [`text_field`].
pub fn area_field(
    state: FormState,
    name: &'static str,
    label: &'static str,
    default: &str,
    rows: u32,
    hint: &'static str,
) -> impl IntoView + use<> {
    let value = state.value(name, default);
    view! {
        <Field state=state name=name label=label.to_string() hint=hint>
            <textarea id=state.input_id(name) name=form_name(name) rows=rows>{value}</textarea>
        </Field>
    }
}

/// `form[name]`: how server-function arguments named `form` are posted.
pub fn form_name(field: &str) -> String {
    let mut name = String::with_capacity(field.len() + 8);
    name.push_str("form");
    for part in field.split(['[', ']', '.']).filter(|p| !p.is_empty()) {
        name.push('[');
        name.push_str(part);
        name.push(']');
    }
    name
}

/// `<option>`s for a `str_enum!`, with labels from the catalogue, `selected` marked.
pub fn options<T, L>(all: &'static [T], label: L, selected: &str) -> impl IntoView + use<T, L>
where
    T: Copy + PartialEq + std::fmt::Display + Send + Sync + 'static,
    L: Fn(T) -> &'static str,
{
    let selected = selected.to_owned();
    all.iter()
        .map(|v| {
            let value = v.to_string();
            let is = value == selected;
            view! { <option value=value selected=is>{label(*v)}</option> }
        })
        .collect_view()
}

#[cfg(test)]
mod tests {
    use super::form_name;

    #[test]
    fn nested_names_use_bracket_indexing() {
        assert_eq!(form_name("title"), "form[title]");
        assert_eq!(form_name("steps[2].because"), "form[steps][2][because]");
        assert_eq!(form_name("services[0]"), "form[services][0]");
    }
}
