//! The step log: the newest steps, each with its reason and upstream link.

use std::collections::BTreeMap;
use std::rc::Rc;

use stsplay_core::{Simulation, Step};
use web_sys::Element;
use yew::prelude::*;

use crate::format;
use crate::{STEP_LOG_CHUNK, STEP_LOG_LIMIT};

/// Props holding the current simulation; equal only if it is the same one.
#[derive(Properties, Clone)]
pub struct SimProps {
    pub sim: Rc<Simulation>,
}

impl PartialEq for SimProps {
    fn eq(&self, other: &Self) -> bool {
        Rc::ptr_eq(&self.sim, &other.sim)
    }
}

/// The step log, newest at the bottom and scrolled into view; only the newest
/// steps are shown (see [`STEP_LOG_LIMIT`]).
#[function_component(StepLog)]
pub fn step_log(props: &SimProps) -> Html {
    let list = use_node_ref();
    // Rendered entries by step index, with the step they were made from: a
    // recorded step never changes, so an entry is formatted once, not on every
    // Step (Back and a new Step can record a different step at an index, hence
    // the comparison). Holds copies of steps, never a Simulation.
    let cache = use_mut_ref(BTreeMap::<usize, (Step, Rc<StepView>)>::new);
    let steps = props.sim.steps();
    let hidden = steps.len().saturating_sub(STEP_LOG_LIMIT) / STEP_LOG_CHUNK * STEP_LOG_CHUNK;
    {
        let list = list.clone();
        use_effect_with(steps.len(), move |_| {
            if let Some(el) = list.cast::<Element>() {
                el.set_scroll_top(el.scroll_height());
            }
        });
    }
    let items: Vec<Html> = {
        let mut cache = cache.borrow_mut();
        cache.retain(|index, _| (hidden..steps.len()).contains(index));
        (hidden..steps.len())
            .map(|index| {
                let step = &steps[index];
                let view = match cache.get(&index) {
                    Some((cached, view)) if cached == step => Rc::clone(view),
                    _ => {
                        let view = Rc::new(StepView::new(step));
                        cache.insert(index, (step.clone(), Rc::clone(&view)));
                        view
                    }
                };
                html! { <StepItem key={index} {view} /> }
            })
            .collect()
    };
    html! {
        <section class="log" aria-labelledby="log-heading">
            <h2 id="log-heading">{ "Steps" }</h2>
            if steps.is_empty() {
                <p class="empty">{ "No steps yet: press Step or Play." }</p>
            }
            if hidden > 0 {
                <p class="empty">{ format!("{hidden} earlier step{} not shown.", if hidden == 1 { "" } else { "s" }) }</p>
            }
            <ol aria-label="Step log" class="steps" ref={list} tabindex="0" start={(hidden + 1).to_string()}>
                { for items }
            </ol>
        </section>
    }
}

/// One step log entry, formatted.
#[derive(Debug, PartialEq)]
struct StepView {
    time: String,
    message: String,
    upstream: AttrValue,
}

impl StepView {
    fn new(step: &Step) -> StepView {
        StepView {
            time: format!("{} s", format::seconds(step.time_ms)),
            message: step.message(),
            upstream: AttrValue::from(step.reason.upstream()),
        }
    }
}

#[derive(Properties, Clone)]
struct StepItemProps {
    view: Rc<StepView>,
}

impl PartialEq for StepItemProps {
    fn eq(&self, other: &Self) -> bool {
        Rc::ptr_eq(&self.view, &other.view)
    }
}

#[function_component(StepItem)]
fn step_item(props: &StepItemProps) -> Html {
    let view = &*props.view;
    html! {
        <li>
            <span class="t">{ &view.time }</span>
            { " " }
            <span class="msg">{ &view.message }</span>
            { " " }
            <a href={view.upstream.clone()} target="_blank" rel="noopener">{ "upstream" }</a>
        </li>
    }
}
