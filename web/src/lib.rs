//! stsplay-web: the Yew front end of the stsplay playground.
//!
//! All state lives in one reducer ([`state::State`]); every view below is a
//! function of it. The simulation itself is `stsplay_core::Simulation`.

pub mod format;
pub mod panic;
pub mod state;
pub mod storage;

use std::collections::BTreeMap;
use std::rc::Rc;

use gloo_timers::callback::{Interval, Timeout};
use stsplay_core::{ClaimView, DnsRecordView, PodView, Simulation, Snapshot, Step, VolumeView};
use web_sys::{Element, HtmlTextAreaElement};
use yew::prelude::*;

pub use panic::{install_panic_hook, show_crash_banner};
pub use state::{Action, State, Status};

/// Milliseconds between steps while playing.
pub const PLAY_INTERVAL_MS: u32 = 300;

/// The step log shows at least this many of the newest steps, and fewer than
/// `STEP_LOG_LIMIT + STEP_LOG_CHUNK` (rendering thousands of list items on
/// every step would make stepping slow).
pub const STEP_LOG_LIMIT: usize = 200;

/// Older steps are hidden in chunks of this many, so that the list's first
/// item changes only once per chunk: in between, a Step appends items and a
/// Back removes them at the end, which the keyed diff does without moving any
/// DOM node (a window sliding by one item on every step would move them all).
pub const STEP_LOG_CHUNK: usize = 100;

/// The `performance.mark` set once the first render, with the restored (or
/// default) scenario applied, is in the DOM. `make bench` reads its time.
pub const FIRST_RENDER_MARK: &str = "stsplay:first-render";

/// Milliseconds the session waits, after it last changed, before it is saved
/// (Play changes it several times a second; the editor's text is saved at once).
pub const SAVE_SESSION_DELAY_MS: u32 = 500;

/// The saved session if there is one (else the saved text, applied to a new
/// one), else the default example.
fn initial_state() -> State {
    match storage::load() {
        Some(saved) => saved
            .scenario
            .as_deref()
            .and_then(|scenario| State::restore(&saved.manifests, scenario))
            .unwrap_or_else(|| State::with_seed(&saved.manifests, saved.seed)),
        None => State::default(),
    }
}

fn saved(state: &State, scenario: Option<String>) -> storage::Saved {
    storage::Saved { manifests: state.editor.to_string(), seed: state.seed, scenario }
}

/// The whole playground.
#[function_component(App)]
pub fn app() -> Html {
    let state = use_reducer(initial_state);

    // Effects run after the render is in the DOM: mark the first one.
    use_effect_with((), |_| {
        if let Some(performance) = web_sys::window().and_then(|w| w.performance()) {
            let _ = performance.mark(FIRST_RENDER_MARK);
        }
    });

    // Nothing lost: save the editor's text and the seed whenever they change
    // (not on the first render: that is what was loaded, or the default),
    // with the session as last rendered; render and save the session shortly
    // after it last changed (Play changes it several times a second).
    {
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

    // Play: one Tick per interval while `playing`; dropping the Interval stops it.
    {
        let dispatcher = state.dispatcher();
        use_effect_with(state.playing, move |playing| {
            let interval = playing.then(|| Interval::new(PLAY_INTERVAL_MS, move || dispatcher.dispatch(Action::Tick)));
            move || drop(interval)
        });
    }

    let button = |action: Action| {
        let dispatcher = state.dispatcher();
        Callback::from(move |_: MouseEvent| dispatcher.dispatch(action.clone()))
    };

    let oninput = {
        let dispatcher = state.dispatcher();
        Callback::from(move |e: InputEvent| {
            let editor: HtmlTextAreaElement = e.target_unchecked_into();
            dispatcher.dispatch(Action::Edit(editor.value()));
        })
    };
    let onkeydown = {
        let dispatcher = state.dispatcher();
        Callback::from(move |e: KeyboardEvent| {
            if e.key() == "Enter" && (e.ctrl_key() || e.meta_key()) {
                e.prevent_default();
                let editor: HtmlTextAreaElement = e.target_unchecked_into();
                dispatcher.dispatch(Action::Edit(editor.value()));
                dispatcher.dispatch(Action::Apply);
            }
        })
    };

    // Buttons stay operable (and focusable) when they would do nothing; they
    // are only dimmed, and the status line says why nothing happened.
    let back_idle = (!state.can_back()).then_some("true");
    let step_idle = (!state.has_pending()).then_some("true");

    html! {
        <div class="app">
            <header class="top">
                <h1>{ "stsplay" }</h1>
                <p class="tagline">
                    { "A Kubernetes StatefulSet playground: edit manifests, apply them, and step through what the controllers do." }
                </p>
            </header>
            <main class="layout">
                <section class="left" aria-label="Editor and controls">
                    <div class="controls">
                        <button type="button" class="primary" onclick={button(Action::Apply)}
                            title="Apply the manifests (Ctrl+Enter)">{ "Apply" }</button>
                        <button type="button" onclick={button(Action::Step)}
                            data-idle={step_idle}>{ "Step" }</button>
                        <button type="button" onclick={button(Action::Back)}
                            data-idle={back_idle}>{ "Back" }</button>
                        <button type="button" onclick={button(Action::TogglePlay)}
                            data-idle={if state.playing { None } else { step_idle }}>
                            { if state.playing { "Pause" } else { "Play" } }
                        </button>
                        <button type="button" onclick={button(Action::Reset)}
                            title="New simulation (default seed), then apply the manifests">{ "Reset" }</button>
                    </div>
                    <label for="manifests" class="editor-label">{ "Manifests" }</label>
                    <textarea id="manifests" class="editor" spellcheck="false"
                        autocomplete="off" autocapitalize="off" wrap="off"
                        aria-describedby="manifests-hint"
                        value={AttrValue::from(Rc::clone(&state.editor))} {oninput} {onkeydown} />
                    <p id="manifests-hint" class="hint">
                        { "Ctrl+Enter applies, like kubectl apply -f. Reset starts a new cluster." }
                    </p>
                    { view_status(&state.status) }
                    <StepLog sim={Rc::clone(&state.sim)} />
                </section>
                <section class="right" aria-label="Cluster">
                    <ClusterView sim={Rc::clone(&state.sim)} snapshot={Rc::clone(&state.snapshot)} />
                </section>
            </main>
        </div>
    }
}

/// The status line, or the error alert with one line per diagnostic.
fn view_status(status: &Status) -> Html {
    match status {
        Status::Info(lines) => html! {
            <p class="status" role="status">{ lines.join("\n") }</p>
        },
        Status::Error(failure) => html! {
            <div class="apply-error" role="alert">
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

/// Props holding the current simulation; equal only if it is the same one.
#[derive(Properties, Clone)]
pub struct SimProps {
    pub sim: Rc<Simulation>,
    #[prop_or_default]
    pub snapshot: Option<Rc<Snapshot>>,
}

impl PartialEq for SimProps {
    fn eq(&self, other: &Self) -> bool {
        Rc::ptr_eq(&self.sim, &other.sim)
            && match (&self.snapshot, &other.snapshot) {
                (Some(a), Some(b)) => Rc::ptr_eq(a, b),
                (None, None) => true,
                _ => false,
            }
    }
}

/// The step log, newest at the bottom and scrolled into view; only the newest
/// steps are shown (see [`STEP_LOG_LIMIT`]).
#[function_component(StepLog)]
fn step_log(props: &SimProps) -> Html {
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

/// Props for [`ClusterView`].
#[derive(Properties, Clone)]
pub struct ClusterProps {
    pub sim: Rc<Simulation>,
    pub snapshot: Rc<Snapshot>,
}

impl PartialEq for ClusterProps {
    fn eq(&self, other: &Self) -> bool {
        Rc::ptr_eq(&self.sim, &other.sim) && Rc::ptr_eq(&self.snapshot, &other.snapshot)
    }
}

/// Clock, StatefulSet summary and the four tables.
#[function_component(ClusterView)]
fn cluster_view(props: &ClusterProps) -> Html {
    let snap = &*props.snapshot;
    let sim = &*props.sim;
    let steps = sim.steps().len();
    html! {
        <>
            <div class="summary">
                <p class="clock">
                    <span class="time">{ format::clock(sim.now_ms()) }</span>
                    <span class="meta">
                        { format!(" · {steps} step{}", if steps == 1 { "" } else { "s" }) }
                        { if sim.has_pending() { " · more pending" } else { " · settled" } }
                    </span>
                </p>
                <ul class="statefulsets" aria-label="StatefulSets">
                    if snap.statefulsets.is_empty() {
                        <li class="empty">{ "No StatefulSets" }</li>
                    }
                    { for snap.statefulsets.iter().map(|sts| html! {
                        <li>
                            <strong>{ format!("statefulset.apps/{}", format::qualified(&sts.namespace, &sts.name)) }</strong>
                            { " READY " }<span class="ready">{ format::sts_ready(sts) }</span>
                            { for format::status_counts(sts, &snap.pods).into_iter().map(|(status, n)| html! {
                                <span class={classes!("count", format::status_class(&status))}>
                                    { format!("{status} {n}") }
                                </span>
                            }) }
                        </li>
                    }) }
                </ul>
            </div>
            { table("Pods", &["NAME", "READY", "STATUS", "RESTARTS", "AGE", "IP", "NODE"],
                rows(snap.pods.iter().map(|p| (format::qualified(&p.namespace, &p.name), Row::Pod(p.clone()))))) }
            { table("PersistentVolumeClaims", &["NAME", "STATUS", "VOLUME", "CAPACITY", "ACCESS MODES", "STORAGECLASS"],
                rows(snap.pvcs.iter().map(|c| (format::qualified(&c.namespace, &c.name), Row::Claim(c.clone()))))) }
            { table("PersistentVolumes", &["NAME", "CAPACITY", "ACCESS MODES", "RECLAIM POLICY", "STATUS", "CLAIM", "STORAGECLASS"],
                rows(snap.pvs.iter().map(|v| (v.name.clone(), Row::Volume(v.clone()))))) }
            { table("DNS records", &["NAME", "TYPE", "DATA"], rows(dns_keys(&snap.dns).into_iter().zip(snap.dns.iter().map(|r| Row::Dns(r.clone()))))) }
        </>
    }
}

/// One row of the four tables of [`ClusterView`]: a copy of the object's view,
/// so that a row component holds its own row and never a whole snapshot (a
/// row that does not change keeps its props, and with them what they hold).
#[derive(Clone, Debug, PartialEq)]
enum Row {
    Pod(PodView),
    Claim(ClaimView),
    Volume(VolumeView),
    Dns(DnsRecordView),
}

/// Keys for the DNS rows: name, type and data (a name has one A record per
/// endpoint), with a counter should a record ever repeat, since keys must be
/// unique.
fn dns_keys(records: &[DnsRecordView]) -> Vec<String> {
    let mut seen: BTreeMap<String, usize> = BTreeMap::new();
    records
        .iter()
        .map(|r| {
            let key = format!("{} {} {}", r.name, r.record_type, r.data);
            let n = seen.entry(key.clone()).or_insert(0);
            *n += 1;
            if *n == 1 {
                key
            } else {
                format!("{key} #{n}")
            }
        })
        .collect()
}

/// One [`TableRow`] per object, keyed (keys are unique within a table), so a
/// row inserted in the middle moves no other row's text.
fn rows(keyed: impl Iterator<Item = (String, Row)>) -> Vec<Html> {
    keyed.map(|(key, row)| html! { <TableRow {key} {row} /> }).collect()
}

/// Props for [`TableRow`]: equal when the row is, so a Step re-renders only
/// the rows it changed.
#[derive(Properties, Clone, PartialEq)]
struct RowProps {
    row: Row,
}

/// One table row, from the snapshot's view of the object.
#[function_component(TableRow)]
fn table_row(props: &RowProps) -> Html {
    match &props.row {
        Row::Pod(p) => html! {
            <tr>
                <td>{ format::qualified(&p.namespace, &p.name) }</td>
                <td>{ &p.ready_containers }</td>
                <td class={classes!("st", format::status_class(&p.status))}>{ &p.status }</td>
                <td>{ p.restarts }</td>
                <td>{ &p.age }</td>
                <td>{ format::or_none(&p.ip) }</td>
                <td>{ format::or_none(&p.node) }</td>
            </tr>
        },
        Row::Claim(c) => html! {
            <tr>
                <td>{ format::qualified(&c.namespace, &c.name) }</td>
                <td class={classes!("st", format::status_class(&c.phase))}>{ &c.phase }</td>
                <td class="long">{ c.volume.clone().unwrap_or_default() }</td>
                <td>{ c.capacity.clone().unwrap_or_default() }</td>
                <td>{ &c.access_modes }</td>
                <td>{ c.storage_class.clone().unwrap_or_else(|| "<unset>".to_string()) }</td>
            </tr>
        },
        Row::Volume(v) => html! {
            <tr>
                <td class="long">{ &v.name }</td>
                <td>{ &v.capacity }</td>
                <td>{ &v.access_modes }</td>
                <td>{ &v.reclaim_policy }</td>
                <td class={classes!("st", format::status_class(&v.phase))}>{ &v.phase }</td>
                <td>{ v.claim.clone().unwrap_or_default() }</td>
                <td>{ v.storage_class.clone().unwrap_or_default() }</td>
            </tr>
        },
        Row::Dns(r) => html! {
            <tr>
                <td class="long">{ &r.name }</td>
                <td>{ &r.record_type }</td>
                <td>{ &r.data }</td>
            </tr>
        },
    }
}

/// A captioned table; with no rows it shows one "No resources found" row.
fn table(caption: &str, headers: &[&str], rows: Vec<Html>) -> Html {
    html! {
        <div class="table-wrap">
            <table>
                <caption>{ caption }</caption>
                <thead>
                    <tr>{ for headers.iter().map(|h| html! { <th scope="col">{ *h }</th> }) }</tr>
                </thead>
                <tbody>
                    if rows.is_empty() {
                        <tr class="empty"><td colspan={headers.len().to_string()}>{ "No resources found" }</td></tr>
                    } else {
                        { for rows }
                    }
                </tbody>
            </table>
        </div>
    }
}

#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests {
    use super::*;

    fn record(name: &str, data: &str) -> DnsRecordView {
        DnsRecordView { name: name.into(), record_type: "A".into(), data: data.into() }
    }

    #[test]
    fn dns_row_keys_are_unique_even_for_a_repeated_record() {
        let records = [record("nginx", "10.244.1.2"), record("nginx", "10.244.2.2"), record("nginx", "10.244.1.2")];
        let keys = dns_keys(&records);
        assert_eq!(keys, ["nginx A 10.244.1.2", "nginx A 10.244.2.2", "nginx A 10.244.1.2 #2"]);
    }
}
