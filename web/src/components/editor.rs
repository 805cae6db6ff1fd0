//! The manifest editor (Ctrl+Enter applies).

use std::rc::Rc;

use web_sys::HtmlTextAreaElement;
use yew::prelude::*;

use crate::state::Action;

#[derive(Properties, Clone, PartialEq)]
pub struct EditorProps {
    pub text: Rc<str>,
    pub dispatch: Callback<Action>,
}

#[function_component(Editor)]
pub fn editor(props: &EditorProps) -> Html {
    let oninput = {
        let dispatch = props.dispatch.clone();
        Callback::from(move |e: InputEvent| {
            let editor: HtmlTextAreaElement = e.target_unchecked_into();
            dispatch.emit(Action::Edit(editor.value()));
        })
    };
    let onkeydown = {
        let dispatch = props.dispatch.clone();
        Callback::from(move |e: KeyboardEvent| {
            if e.key() == "Enter" && (e.ctrl_key() || e.meta_key()) {
                e.prevent_default();
                let editor: HtmlTextAreaElement = e.target_unchecked_into();
                dispatch.emit(Action::Edit(editor.value()));
                dispatch.emit(Action::Apply);
            }
        })
    };
    html! {
        <>
            <label for="manifests" class="editor-label">{ "Manifests" }</label>
            <textarea id="manifests" class="editor" spellcheck="false"
                autocomplete="off" autocapitalize="off" wrap="off"
                aria-describedby="manifests-hint"
                value={AttrValue::from(Rc::clone(&props.text))} {oninput} {onkeydown} />
            <p id="manifests-hint" class="hint">
                { "Ctrl+Enter applies, like kubectl apply -f. Reset starts a new cluster." }
            </p>
        </>
    }
}
