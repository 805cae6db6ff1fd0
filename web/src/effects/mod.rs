//! Effects: everything the app does besides rendering — `localStorage`
//! ([`storage`], [`use_persistence`]), the play timer ([`use_play_timer`]) and
//! the page-wide keyboard shortcuts ([`use_shortcuts`]). Each is a hook that
//! reads the state and dispatches actions; the reducer never does IO.

pub mod storage;

use std::rc::Rc;

use gloo_events::{EventListener, EventListenerOptions};
use gloo_timers::callback::{Interval, Timeout};
use wasm_bindgen::JsCast;
use web_sys::{HtmlElement, KeyboardEvent};
use yew::prelude::*;

use crate::state::{Action, State};
use crate::{PLAY_INTERVAL_MS, SAVE_SESSION_DELAY_MS};

fn saved(state: &State, scenario: Option<String>) -> storage::Saved {
    storage::Saved { manifests: state.editor.to_string(), seed: state.seed, scenario }
}

/// The saved session if there is one (else the saved text, applied to a new
/// one), else the default example.
pub fn initial_state() -> State {
    match storage::load() {
        Some(saved) => saved
            .scenario
            .as_deref()
            .and_then(|scenario| State::restore(&saved.manifests, scenario))
            .unwrap_or_else(|| State::with_seed(&saved.manifests, saved.seed)),
        None => State::default(),
    }
}

/// Nothing lost: save the editor's text and the seed whenever they change
/// (not on the first render: that is what was loaded, or the default), with
/// the session as last rendered; render and save the session shortly after
/// it last changed (Play changes it several times a second).
#[hook]
pub fn use_persistence(state: &UseReducerHandle<State>) {
    let session = use_mut_ref(|| None::<String>);
    let loaded = use_mut_ref(|| true);
    {
        let session = session.clone();
        let current = state.clone();
        use_effect_with((Rc::clone(&state.editor), state.seed), move |_| {
            if !std::mem::replace(&mut *loaded.borrow_mut(), false) {
                let text = session.borrow().clone().unwrap_or_else(|| current.scenario_text());
                storage::save(&saved(&current, Some(text.clone())));
                *session.borrow_mut() = Some(text);
            }
        });
    }
    let first = use_mut_ref(|| true);
    let pending = use_mut_ref(|| None::<Timeout>);
    let current = state.clone();
    use_effect_with((state.timeline.len(), state.timeline.position()), move |_| {
        if !std::mem::replace(&mut *first.borrow_mut(), false) {
            let timeout = Timeout::new(SAVE_SESSION_DELAY_MS, move || {
                let text = current.scenario_text();
                storage::save(&saved(&current, Some(text.clone())));
                *session.borrow_mut() = Some(text);
            });
            // Replacing the pending save cancels it.
            *pending.borrow_mut() = Some(timeout);
        }
    });
}

/// Play: one Tick per interval while `playing`; dropping the Interval stops it.
#[hook]
pub fn use_play_timer(state: &UseReducerHandle<State>) {
    let dispatcher = state.dispatcher();
    use_effect_with(state.playing, move |playing| {
        let interval = playing.then(|| Interval::new(PLAY_INTERVAL_MS, move || dispatcher.dispatch(Action::Tick)));
        move || drop(interval)
    });
}

/// Whether the key event comes from a place where keys are text: the editor,
/// the console, any input, select or editable element.
fn typing(e: &KeyboardEvent) -> bool {
    let Some(el) = e.target().and_then(|t| t.dyn_into::<HtmlElement>().ok()) else { return false };
    matches!(el.tag_name().as_str(), "TEXTAREA" | "INPUT" | "SELECT") || el.is_content_editable()
}

/// The page-wide shortcuts: → Step, ← Back, Space Play/Pause, Home Reset,
/// `/` focuses the console, `?` the help overlay, Esc closes it. None fires
/// while typing in the editor or the console, nor with Ctrl, Alt or Meta.
#[hook]
pub fn use_shortcuts(state: &UseReducerHandle<State>) {
    let dispatcher = state.dispatcher();
    let help_open = state.help_open;
    use_effect_with(help_open, move |help_open| {
        let help_open = *help_open;
        let listener = web_sys::window().map(|window| {
            // Not passive: a shortcut's key must not also scroll the page.
            EventListener::new_with_options(
                &window,
                "keydown",
                EventListenerOptions::enable_prevent_default(),
                move |event| {
                    let Some(e) = event.dyn_ref::<KeyboardEvent>() else { return };
                    if e.ctrl_key() || e.alt_key() || e.meta_key() || typing(e) {
                        return;
                    }
                    // A focused button or link takes Space/Enter itself.
                    let on_control = e
                        .target()
                        .and_then(|t| t.dyn_into::<HtmlElement>().ok())
                        .is_some_and(|el| matches!(el.tag_name().as_str(), "BUTTON" | "A"));
                    let action = match e.key().as_str() {
                        "ArrowRight" => Some(Action::Step),
                        "ArrowLeft" => Some(Action::Back),
                        " " if !on_control => Some(Action::TogglePlay),
                        "Home" => Some(Action::Reset),
                        "?" => Some(Action::ToggleHelp),
                        "Escape" if help_open => Some(Action::ToggleHelp),
                        "/" => {
                            if let Some(input) = web_sys::window()
                                .and_then(|w| w.document())
                                .and_then(|d| d.get_element_by_id(crate::components::console::INPUT_ID))
                                .and_then(|el| el.dyn_into::<HtmlElement>().ok())
                            {
                                e.prevent_default();
                                let _ = input.focus();
                            }
                            None
                        }
                        _ => None,
                    };
                    if let Some(action) = action {
                        e.prevent_default();
                        dispatcher.dispatch(action);
                    }
                },
            )
        });
        move || drop(listener)
    });
}
