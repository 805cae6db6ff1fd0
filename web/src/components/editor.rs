//! The manifest editor: a textarea with a line-number gutter. Ctrl+Enter
//! applies; Tab indents by two spaces (Esc, then Tab, leaves the editor: no
//! keyboard trap); the lines of an apply error are marked in the gutter, the
//! first one scrolled into view, and the textarea is `aria-invalid` and
//! described by the error.

use std::rc::Rc;

use wasm_bindgen::JsCast;
use web_sys::{Element, HtmlTextAreaElement};
use yew::prelude::*;

use crate::state::Action;

/// The id of the apply error alert (the editor's `aria-describedby`).
pub const ERROR_ID: &str = "apply-error";
/// The textarea's line height in pixels (style.css: 13px/1.45).
const LINE_PX: f64 = 13.0 * 1.45;

#[derive(Properties, Clone, PartialEq)]
pub struct EditorProps {
    pub text: Rc<str>,
    /// The (line, column) of each problem of the last refused apply.
    pub errors: Rc<Vec<(usize, usize)>>,
    /// A jump replaced the text; the text it held is kept as a draft.
    pub has_draft: bool,
    pub dispatch: Callback<Action>,
}

#[function_component(Editor)]
pub fn editor(props: &EditorProps) -> Html {
    let area = use_node_ref();
    let gutter = use_node_ref();
    // Esc was the last key: the next Tab leaves the editor.
    let escaped = use_mut_ref(|| false);
    // The first error line scrolls into view.
    {
        let area = area.clone();
        use_effect_with(Rc::clone(&props.errors), move |errors| {
            if let (Some(el), Some((line, _))) = (area.cast::<Element>(), errors.first()) {
                let top = ((*line as f64) - 3.0).max(0.0) * LINE_PX;
                el.set_scroll_top(top as i32);
            }
        });
    }
    let oninput = {
        let dispatch = props.dispatch.clone();
        Callback::from(move |e: InputEvent| {
            let editor: HtmlTextAreaElement = e.target_unchecked_into();
            dispatch.emit(Action::Edit(editor.value()));
        })
    };
    let onscroll = {
        let gutter = gutter.clone();
        Callback::from(move |e: Event| {
            let editor: Element = e.target_unchecked_into();
            if let Some(g) = gutter.cast::<Element>() {
                g.set_scroll_top(editor.scroll_top());
            }
        })
    };
    let onkeydown = {
        let dispatch = props.dispatch.clone();
        Callback::from(move |e: KeyboardEvent| {
            let editor: HtmlTextAreaElement = e.target_unchecked_into();
            let was_escaped = std::mem::replace(&mut *escaped.borrow_mut(), e.key() == "Escape");
            match e.key().as_str() {
                "Enter" if e.ctrl_key() || e.meta_key() => {
                    e.prevent_default();
                    dispatch.emit(Action::Edit(editor.value()));
                    dispatch.emit(Action::Apply);
                }
                "Tab" if !was_escaped && !e.shift_key() && !e.ctrl_key() && !e.alt_key() => {
                    e.prevent_default();
                    // Two spaces at the caret, as an edit the browser can undo.
                    let done = editor
                        .owner_document()
                        .and_then(|d| d.dyn_into::<web_sys::HtmlDocument>().ok())
                        .and_then(|d| d.exec_command_with_show_ui_and_value("insertText", false, "  ").ok())
                        .unwrap_or(false);
                    if !done {
                        let start = editor.selection_start().ok().flatten().unwrap_or(0);
                        let end = editor.selection_end().ok().flatten().unwrap_or(start);
                        let _ = editor.set_range_text_with_start_and_end("  ", start, end);
                        let _ = editor.set_selection_range(start + 2, start + 2);
                        dispatch.emit(Action::Edit(editor.value()));
                    }
                }
                _ => {}
            }
        })
    };
    let lines = props.text.lines().count().max(1) + usize::from(props.text.ends_with('\n'));
    let invalid = !props.errors.is_empty();
    let gutter_lines: Html = (1..=lines)
        .map(|n| {
            let err = props.errors.iter().any(|(l, _)| *l == n);
            html! { <span class={classes!(err.then_some("err"))}>{ n }{ "\n" }</span> }
        })
        .collect();
    html! {
        <>
            <label for="manifests" class="editor-label">{ "Manifests" }</label>
            <div class={classes!("editor-wrap", invalid.then_some("invalid"))}>
                <pre class="gutter" aria-hidden="true" ref={gutter}>{ gutter_lines }</pre>
                <textarea id="manifests" class="editor" spellcheck="false"
                    autocomplete="off" autocapitalize="off" wrap="off" ref={area}
                    aria-invalid={invalid.then_some("true")}
                    aria-describedby={if invalid { format!("{ERROR_ID} manifests-hint") } else { "manifests-hint".to_string() }}
                    value={AttrValue::from(Rc::clone(&props.text))} {oninput} {onkeydown} {onscroll} />
            </div>
            if props.has_draft {
                <p class="draft" role="status">
                    { "The editor shows the manifests as applied at this point of the timeline; your newer text is kept. " }
                    <button type="button" onclick={{
                        let dispatch = props.dispatch.clone();
                        Callback::from(move |_: MouseEvent| dispatch.emit(Action::RestoreDraft))
                    }}>{ "Restore my text" }</button>
                </p>
            }
            <p id="manifests-hint" class="hint">
                { "Ctrl+Enter applies, like kubectl apply -f. Tab indents (Esc, then Tab, leaves). Reset starts a new cluster." }
            </p>
        </>
    }
}
