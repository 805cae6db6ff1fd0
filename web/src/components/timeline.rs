//! The timeline panel: a scrubber over every recorded step, and the inputs
//! (applies, commands, Step presses) with their virtual time and step count;
//! a click jumps there (the core's exact `seek`). Inputs after the current
//! position are the future, shown greyed; a fork's discarded future is
//! counted, with one Restore.

use std::rc::Rc;

use stsplay_core::timefmt::step_time;
use stsplay_core::timeline::{Entry, Timeline};
use yew::prelude::*;

use crate::state::Action;

/// Inputs listed: this many around the current position.
pub const INPUTS_SHOWN: usize = 40;

#[derive(Properties, Clone)]
pub struct TimelineProps {
    pub timeline: Rc<Timeline>,
    /// Inputs the last fork dropped, while restorable.
    pub discarded: Option<usize>,
    pub dispatch: Callback<Action>,
}

impl PartialEq for TimelineProps {
    fn eq(&self, other: &Self) -> bool {
        Rc::ptr_eq(&self.timeline, &other.timeline) && self.discarded == other.discarded
    }
}

#[function_component(TimelinePanel)]
pub fn timeline_panel(props: &TimelineProps) -> Html {
    let t = &*props.timeline;
    let entries = t.entries();
    let position = t.position();
    let total_steps = entries.last().map_or(0, |e| e.steps_after);
    let now_steps = t.current().steps().len();
    let onscrub = {
        let dispatch = props.dispatch.clone();
        Callback::from(move |e: InputEvent| {
            let input: web_sys::HtmlInputElement = e.target_unchecked_into();
            match input.value().parse::<usize>() {
                Ok(0) => dispatch.emit(Action::SeekInput(0)),
                Ok(k) => dispatch.emit(Action::SeekStep(k - 1)),
                Err(_) => {}
            }
        })
    };
    let restore = {
        let dispatch = props.dispatch.clone();
        Callback::from(move |_: MouseEvent| dispatch.emit(Action::RestoreFuture))
    };
    // The session as a scenario file: rendered only when the link is used.
    let ondownload = {
        let timeline = Rc::clone(&props.timeline);
        Callback::from(move |e: MouseEvent| {
            let link: web_sys::HtmlAnchorElement = e.target_unchecked_into();
            let text = String::from(js_sys::encode_uri_component(&timeline.scenario().render()));
            link.set_href(&format!("data:text/plain;charset=utf-8,{text}"));
        })
    };
    let start = position.input.saturating_sub(INPUTS_SHOWN / 2);
    let end = (start + INPUTS_SHOWN).min(entries.len());
    let start = end.saturating_sub(INPUTS_SHOWN);
    html! {
        <section class="timeline" aria-labelledby="timeline-heading">
            <h2 id="timeline-heading">{ "Timeline" }</h2>
            <p class="download">
                <a href="#" download="stsplay-session.script" onclick={ondownload}
                    title="The session as a scenario file: `stsplay run` replays it">{ "Download scenario" }</a>
            </p>
            <div class="scrubber">
                <input type="range" min="0" max={total_steps.to_string()} value={now_steps.min(total_steps).to_string()}
                    aria-label="Timeline position (steps recorded)" aria-valuetext={format!("step {now_steps} of {total_steps}")}
                    oninput={onscrub} disabled={total_steps == 0} />
                <span class="where">
                    { format!("step {now_steps} of {total_steps} · input {} of {}", position.input, entries.len()) }
                    if position.steps > 0 { { format!(" (+{} presses of Step into the next)", position.steps) } }
                </span>
            </div>
            if let Some(n) = props.discarded {
                <p class="discarded" role="status">
                    { format!("{n} later input{} discarded by acting in the past. ", if n == 1 { "" } else { "s" }) }
                    <button type="button" onclick={restore}>{ "Restore" }</button>
                </p>
            }
            if start > 0 { <p class="empty">{ format!("{start} earlier input{} not shown.", if start == 1 { "" } else { "s" }) }</p> }
            <ol class="inputs" aria-label="Inputs" start={(start + 1).to_string()}>
                { for entries.iter().enumerate().take(end).skip(start).map(|(i, e)| {
                    let before = if i == 0 { 0 } else { entries.get(i - 1).map_or(0, |p| p.steps_after) };
                    html! {
                        <InputItem key={i} index={i} entry={Rc::clone(e)} steps={e.steps_after.saturating_sub(before)}
                            future={i >= position.input} current={i + 1 == position.input && position.steps == 0}
                            dispatch={props.dispatch.clone()} />
                    }
                }) }
            </ol>
            if end < entries.len() { <p class="empty">{ format!("{} later inputs not shown.", entries.len() - end) }</p> }
        </section>
    }
}

#[derive(Properties, Clone)]
struct ItemProps {
    index: usize,
    entry: Rc<Entry>,
    steps: usize,
    future: bool,
    current: bool,
    dispatch: Callback<Action>,
}

impl PartialEq for ItemProps {
    fn eq(&self, other: &Self) -> bool {
        self.index == other.index
            && Rc::ptr_eq(&self.entry, &other.entry)
            && (self.steps, self.future, self.current) == (other.steps, other.future, other.current)
            && self.dispatch == other.dispatch
    }
}

/// One input of the list: a keyed component, re-rendered only when it
/// changes (a Step adds one; the others keep their props).
#[function_component(InputItem)]
fn input_item(props: &ItemProps) -> Html {
    let e = &*props.entry;
    let onclick = {
        let (dispatch, i) = (props.dispatch.clone(), props.index);
        Callback::from(move |_: MouseEvent| dispatch.emit(Action::SeekInput(i + 1)))
    };
    let steps = props.steps;
    html! {
        <li class={classes!(props.future.then_some("future"), props.current.then_some("current"))}>
            <button type="button" class="link" {onclick} aria-current={props.current.then_some("step")}
                title="Jump to the state after this input">
                <span class="t">{ format!("+{}", step_time(e.time_after_ms)) }</span>
                { " " }<code>{ e.input.display_line() }</code>
                { " " }<span class="n">{ format!("{steps} step{}", if steps == 1 { "" } else { "s" }) }</span>
                if e.result.exit_code != 0 { <span class="exit">{ format!(" exit {}", e.result.exit_code) }</span> }
            </button>
        </li>
    }
}
