//! The page layout. The effects (storage, the play timer, the keyboard
//! shortcuts) are hooks in [`crate::effects`]; each panel is a component in
//! [`crate::components`].

use std::rc::Rc;

use yew::prelude::*;

use crate::components::{ClusterView, Console, Controls, Editor, HelpOverlay, StepLog, TimelinePanel};
use crate::effects;
use crate::state::{Action, Status};
use crate::FIRST_RENDER_MARK;

/// The whole playground.
#[function_component(App)]
pub fn app() -> Html {
    let state = use_reducer(effects::initial_state);

    // Effects run after the render is in the DOM: mark the first one.
    use_effect_with((), |_| {
        if let Some(performance) = web_sys::window().and_then(|w| w.performance()) {
            let _ = performance.mark(FIRST_RENDER_MARK);
        }
    });
    effects::use_persistence(&state);
    effects::use_play_timer(&state);
    effects::use_shortcuts(&state);

    // One callback for the whole life of the page, so that components whose
    // props did not change are not re-rendered for a new closure.
    let dispatch = {
        let dispatcher = state.dispatcher();
        (*use_memo((), move |_| Callback::from(move |a: Action| dispatcher.dispatch(a)))).clone()
    };
    let console = &state.console;

    html! {
        <div class="app">
            <header class="top">
                <h1>{ "stsplay" }</h1>
                <p class="tagline">
                    { "A Kubernetes StatefulSet playground: edit manifests, apply them, act with kubectl, and step through what the controllers do." }
                </p>
                <p class="help-hint">{ "Press " }<kbd>{ "?" }</kbd>{ " for keyboard shortcuts." }</p>
            </header>
            <main class="layout">
                <section class="left" aria-label="Editor and controls">
                    <Controls playing={state.playing} speed={state.speed} can_back={state.can_back()}
                        has_pending={state.has_pending()} dispatch={dispatch.clone()} />
                    <p class="next" aria-live="polite">
                        { match (&state.next, state.playing, state.has_pending()) {
                            (_, true, _) => "Playing…".to_string(),
                            (Some(next), false, _) => format!("Next: {next} — press Step or Play."),
                            (None, false, true) => "More is pending: press Step or Play.".to_string(),
                            (None, false, false) => "Settled: nothing is pending. Act on the cluster (console, row menus) or edit and Apply.".to_string(),
                        } }
                    </p>
                    <Editor text={Rc::clone(&state.editor)} errors={editor_errors(&state.status)}
                        has_draft={state.draft.is_some()} dispatch={dispatch.clone()} />
                    { view_status(&state.status) }
                    <TimelinePanel timeline={Rc::clone(&state.timeline)}
                        discarded={state.discarded.as_ref().map(|d| d.entries.len())} dispatch={dispatch.clone()} />
                    <StepLog sim={Rc::clone(&state.sim)} />
                </section>
                <section class="right" aria-label="Cluster">
                    <Console input={Rc::clone(&console.input)} caret={console.caret}
                        scrollback={Rc::clone(&console.scrollback)} hint={Rc::clone(&console.hint)}
                        dispatch={dispatch.clone()} />
                    <ClusterView sim={Rc::clone(&state.sim)} snapshot={Rc::clone(&state.snapshot)} dispatch={dispatch.clone()} />
                </section>
            </main>
            if state.help_open {
                <HelpOverlay dispatch={dispatch.clone()} />
            }
        </div>
    }
}

/// The lines and columns the last refused apply names.
fn editor_errors(status: &Status) -> Rc<Vec<(usize, usize)>> {
    match status {
        Status::Error(failure) => Rc::new(failure.positions.clone()),
        Status::Info(_) => Rc::default(),
    }
}

/// The status line, or the error alert with one line per diagnostic.
fn view_status(status: &Status) -> Html {
    match status {
        Status::Info(lines) => html! {
            <p class="status" role="status">{ lines.join("\n") }</p>
        },
        Status::Error(failure) => html! {
            <div class="apply-error" role="alert" id={crate::components::editor::ERROR_ID}>
                <p class="message">{ &failure.message }</p>
                if !failure.diagnostics.is_empty() {
                    <ul class="diagnostics">
                        { for failure.diagnostics.iter().map(|d| html! { <li>{ d }</li> }) }
                    </ul>
                }
                <p class="note">{ "Nothing was changed." }</p>
            </div>
        },
    }
}
