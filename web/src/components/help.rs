//! The keyboard-shortcut help (`?`).

use yew::prelude::*;

use crate::state::Action;

/// Every shortcut, as the help lists it.
pub const SHORTCUTS: &[(&str, &str)] = &[
    ("→", "Step"),
    ("←", "Back"),
    ("Space", "Play / Pause"),
    ("Home", "Reset"),
    ("Ctrl+Enter", "Apply (in the editor)"),
    ("/", "Focus the console"),
    ("Tab", "Complete (in the console); Esc, then Tab, leaves it"),
    ("↑ / ↓", "Console history"),
    ("Ctrl+L", "Clear the console"),
    ("?", "This help"),
    ("Esc", "Close this help"),
];

#[derive(Properties, Clone, PartialEq)]
pub struct HelpProps {
    pub dispatch: Callback<Action>,
}

#[function_component(HelpOverlay)]
pub fn help_overlay(props: &HelpProps) -> Html {
    let close = {
        let dispatch = props.dispatch.clone();
        Callback::from(move |_: MouseEvent| dispatch.emit(Action::ToggleHelp))
    };
    let heading = use_node_ref();
    {
        let heading = heading.clone();
        use_effect_with((), move |_| {
            if let Some(el) = heading.cast::<web_sys::HtmlElement>() {
                let _ = el.focus();
            }
        });
    }
    html! {
        <div class="help" role="dialog" aria-modal="true" aria-labelledby="help-heading">
            <h2 id="help-heading" tabindex="-1" ref={heading}>{ "Keyboard shortcuts" }</h2>
            <p>{ "Shortcuts never fire while you type in the editor or the console." }</p>
            <dl>
                { for SHORTCUTS.iter().map(|(key, what)| html! {
                    <><dt><kbd>{ *key }</kbd></dt><dd>{ *what }</dd></>
                }) }
            </dl>
            <button type="button" onclick={close}>{ "Close" }</button>
        </div>
    }
}
