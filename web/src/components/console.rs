//! The kubectl console: an input line accepting the whole command language
//! of `stsplay run`, and a scrollback of what each command printed. Every
//! command is an input of the timeline (Back undoes it); a refused one that
//! changed nothing is shown as such and recorded nowhere.
//!
//! Keys in the input: Enter runs, Tab completes (the hint lists the choices),
//! ↑/↓ walk the history, Ctrl+L clears the scrollback, Esc leaves the input
//! (so Tab is never a trap).

use std::rc::Rc;

use stsplay_core::kubectl::Candidate;
use web_sys::{Element, HtmlInputElement};
use yew::prelude::*;

use crate::state::{Action, ConsoleEntry};

/// The input's id (the `/` shortcut focuses it).
pub const INPUT_ID: &str = "console-input";
/// Scrollback entries rendered (the newest).
pub const SHOWN: usize = 100;

#[derive(Properties, Clone, PartialEq)]
pub struct ConsoleProps {
    pub input: Rc<str>,
    pub caret: Option<usize>,
    pub scrollback: Rc<Vec<ConsoleEntry>>,
    pub hint: Rc<Vec<Candidate>>,
    pub dispatch: Callback<Action>,
}

#[function_component(Console)]
pub fn console(props: &ConsoleProps) -> Html {
    let input_ref = use_node_ref();
    let log_ref = use_node_ref();
    // The caret follows a completion or a history move.
    {
        let input_ref = input_ref.clone();
        use_effect_with((Rc::clone(&props.input), props.caret), move |(text, caret)| {
            if let (Some(el), Some(caret)) = (input_ref.cast::<HtmlInputElement>(), caret) {
                if el.value() != **text {
                    el.set_value(text);
                }
                let at = text.get(..*caret).map_or(0, |s| s.encode_utf16().count()) as u32;
                let _ = el.set_selection_range(at, at);
            }
        });
    }
    {
        let log_ref = log_ref.clone();
        use_effect_with(props.scrollback.len(), move |_| {
            if let Some(el) = log_ref.cast::<Element>() {
                el.set_scroll_top(el.scroll_height());
            }
        });
    }
    let oninput = {
        let dispatch = props.dispatch.clone();
        Callback::from(move |e: InputEvent| {
            let input: HtmlInputElement = e.target_unchecked_into();
            dispatch.emit(Action::ConsoleInput(input.value()));
        })
    };
    let onkeydown = {
        let dispatch = props.dispatch.clone();
        Callback::from(move |e: KeyboardEvent| {
            let input: HtmlInputElement = e.target_unchecked_into();
            let key = e.key();
            match key.as_str() {
                "Enter" => {
                    e.prevent_default();
                    dispatch.emit(Action::ConsoleInput(input.value()));
                    dispatch.emit(Action::ConsoleSubmit);
                }
                "Tab" if !e.shift_key() && !input.value().trim().is_empty() => {
                    e.prevent_default();
                    let value = input.value();
                    let caret = input.selection_start().ok().flatten().unwrap_or(0) as usize;
                    // The caret counts UTF-16 units; the core counts bytes.
                    let cursor: usize = value
                        .chars()
                        .scan(0usize, |units, c| {
                            *units += c.len_utf16();
                            Some((*units, c.len_utf8()))
                        })
                        .take_while(|(units, _)| *units <= caret)
                        .map(|(_, bytes)| bytes)
                        .sum();
                    dispatch.emit(Action::ConsoleInput(value));
                    dispatch.emit(Action::ConsoleComplete { cursor });
                }
                "ArrowUp" | "ArrowDown" => {
                    e.prevent_default();
                    dispatch.emit(Action::ConsoleHistory { older: key == "ArrowUp" });
                }
                "l" | "L" if e.ctrl_key() => {
                    e.prevent_default();
                    dispatch.emit(Action::ConsoleClear);
                }
                "Escape" => {
                    let _ = input.blur();
                }
                _ => {}
            }
        })
    };
    let shown = props.scrollback.len().saturating_sub(SHOWN);
    html! {
        <section class="console" aria-labelledby="console-heading">
            <h2 id="console-heading">{ "Console" }</h2>
            <div class="scrollback" role="log" aria-label="Console output" tabindex="0" ref={log_ref}>
                if props.scrollback.is_empty() {
                    <p class="empty">{ "Type a command, e.g. kubectl get pods, kubectl scale sts web --replicas=5, step, node down kind-worker. Tab completes." }</p>
                }
                { for props.scrollback.iter().enumerate().skip(shown).map(|(i, entry)| html! {
                    <ConsoleLine key={i} entry={entry.clone()} />
                }) }
            </div>
            <div class="prompt">
                <label for={INPUT_ID}>{ "$" }<span class="visually-hidden">{ " command" }</span></label>
                <input id={INPUT_ID} type="text" spellcheck="false" autocomplete="off" autocapitalize="off"
                    aria-describedby="console-hint" value={AttrValue::from(Rc::clone(&props.input))}
                    ref={input_ref} {oninput} {onkeydown} />
            </div>
            if props.hint.is_empty() {
                <p id="console-hint" class="hint">{ "Enter runs · Tab completes · ↑/↓ history · Ctrl+L clears · Esc leaves" }</p>
            } else {
                <ul id="console-hint" class="completions" aria-label="Completions">
                    { for props.hint.iter().map(|c| html! {
                        <li><code>{ &c.text }</code>
                            if !c.help.is_empty() { <span class="help-text">{ format!(" {}", c.help) }</span> }
                        </li>
                    }) }
                </ul>
            }
        </section>
    }
}

#[derive(Properties, Clone, PartialEq)]
struct LineProps {
    entry: ConsoleEntry,
}

#[function_component(ConsoleLine)]
fn console_line(props: &LineProps) -> Html {
    let e = &props.entry;
    let class = classes!("entry", (e.exit_code != 0).then_some("failed"), (!e.recorded).then_some("refused"));
    html! {
        <div {class}>
            <pre><span class="cmd">{ format!("$ {}", e.command) }</span>{ "\n" }{ &e.output }</pre>
            if !e.recorded {
                <p class="note">{ "Nothing was changed." }</p>
            }
        </div>
    }
}
