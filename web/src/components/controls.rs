//! Step, Back, Play/Pause with its speed, Run until settled, Reset, Apply.

use yew::prelude::*;

use crate::state::{Action, Speed};

#[derive(Properties, Clone, PartialEq)]
pub struct ControlsProps {
    pub playing: bool,
    pub speed: Speed,
    pub can_back: bool,
    pub has_pending: bool,
    pub dispatch: Callback<Action>,
}

#[function_component(Controls)]
pub fn controls(props: &ControlsProps) -> Html {
    let button = |action: Action| {
        let dispatch = props.dispatch.clone();
        Callback::from(move |_: MouseEvent| dispatch.emit(action.clone()))
    };
    let onspeed = {
        let dispatch = props.dispatch.clone();
        Callback::from(move |e: Event| {
            let select: web_sys::HtmlSelectElement = e.target_unchecked_into();
            let speed = Speed::ALL.get(select.selected_index().max(0) as usize).copied().unwrap_or_default();
            dispatch.emit(Action::SetSpeed(speed));
        })
    };
    // Buttons stay operable (and focusable) when they would do nothing; they
    // are only dimmed, and the status line says why nothing happened.
    let back_idle = (!props.can_back).then_some("true");
    let step_idle = (!props.has_pending).then_some("true");
    html! {
        <div class="controls" role="toolbar" aria-label="Simulation controls">
            <button type="button" class="primary" onclick={button(Action::Apply)}
                title="Apply the manifests (Ctrl+Enter)">{ "Apply" }</button>
            <button type="button" onclick={button(Action::Step)} data-idle={step_idle}
                title="Process events until something visible changes (→)">{ "Step" }</button>
            <button type="button" onclick={button(Action::Back)} data-idle={back_idle}
                title="Back to before the last change (←)">{ "Back" }</button>
            <button type="button" onclick={button(Action::TogglePlay)}
                data-idle={if props.playing { None } else { step_idle }} title="Play or pause (Space)">
                { if props.playing { "Pause" } else { "Play" } }
            </button>
            <label class="speed">
                <span class="visually-hidden">{ "Play speed" }</span>
                <select aria-label="Play speed" onchange={onspeed}>
                    { for Speed::ALL.iter().map(|s| html! {
                        <option selected={*s == props.speed}>{ s.label() }</option>
                    }) }
                </select>
            </label>
            <button type="button" onclick={button(Action::RunUntilSettled)} data-idle={step_idle}
                title="Step until nothing is pending">{ "Run until settled" }</button>
            <button type="button" onclick={button(Action::Reset)}
                title="New simulation (same seed), then apply the manifests (Home)">{ "Reset" }</button>
        </div>
    }
}
