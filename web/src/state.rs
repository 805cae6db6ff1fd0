//! The app state and its pure reducer (the `function_todomvc` pattern).
//!
//! Nothing here touches the DOM: every user action is an [`Action`], and
//! [`State::apply_action`] turns one state into the next. The Yew glue is the
//! [`Reducible`] impl at the bottom.

use std::collections::VecDeque;
use std::rc::Rc;

use stsplay_core::{ApplyError, Simulation, Snapshot, DEFAULT_EXAMPLE, DEFAULT_SEED};
use yew::Reducible;

/// How many previous simulations **Back** can return to.
pub const HISTORY_LIMIT: usize = 1000;

/// The `source` name passed to [`Simulation::apply`] for the editor's text.
pub const EDITOR_SOURCE: &str = "manifests.yaml";

/// What the status line under the editor says.
#[derive(Clone, Debug, PartialEq)]
pub enum Status {
    /// Informational lines, e.g. `kubectl apply` output.
    Info(Vec<String>),
    /// The last apply failed; the simulation was left unchanged.
    Error(ApplyFailure),
}

/// A rendered copy of an [`ApplyError`].
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ApplyFailure {
    pub message: String,
    /// One line per diagnostic, each containing `line N, column M`.
    pub diagnostics: Vec<String>,
}

impl From<&ApplyError> for ApplyFailure {
    fn from(err: &ApplyError) -> Self {
        ApplyFailure {
            message: err.to_string(),
            diagnostics: err
                .diagnostics
                .iter()
                .map(|d| format!("document {}, {d}", d.document))
                .collect(),
        }
    }
}

/// Everything the UI shows is derived from this.
///
/// Cheap to clone: the simulation, its snapshot and the history are shared.
#[derive(Clone, Debug)]
pub struct State {
    pub editor: String,
    pub sim: Rc<Simulation>,
    /// Derived from `sim` whenever it changes (see [`State::set_sim`]).
    pub snapshot: Rc<Snapshot>,
    /// Previous simulations, oldest first, at most [`HISTORY_LIMIT`].
    pub history: Rc<VecDeque<Rc<Simulation>>>,
    pub playing: bool,
    pub status: Status,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Action {
    /// The editor's text changed.
    Edit(String),
    /// Apply the editor's text to the current simulation.
    Apply,
    /// Process one step.
    Step,
    /// Return to the simulation before the last Step/Apply.
    Back,
    /// Play or pause.
    TogglePlay,
    /// A timer tick while playing.
    Tick,
    /// A new simulation with the default seed, then apply the editor's text.
    Reset,
}

impl Default for State {
    fn default() -> Self {
        State::new(DEFAULT_EXAMPLE)
    }
}

impl State {
    /// A fresh simulation (default seed) with `manifests` applied.
    pub fn new(manifests: &str) -> Self {
        let sim = Simulation::new(DEFAULT_SEED);
        let snapshot = Rc::new(sim.snapshot());
        let mut state = State {
            editor: manifests.to_string(),
            sim: Rc::new(sim),
            snapshot,
            history: Rc::new(VecDeque::new()),
            playing: false,
            status: Status::Info(Vec::new()),
        };
        state.apply_editor(false);
        state
    }

    pub fn can_back(&self) -> bool {
        !self.history.is_empty()
    }

    pub fn has_pending(&self) -> bool {
        self.sim.has_pending()
    }

    /// The one place the simulation changes: keeps the snapshot in sync.
    fn set_sim(&mut self, sim: Simulation, remember: bool) {
        if remember {
            let history = Rc::make_mut(&mut self.history);
            if history.len() >= HISTORY_LIMIT {
                history.pop_front();
            }
            history.push_back(Rc::clone(&self.sim));
        }
        self.snapshot = Rc::new(sim.snapshot());
        self.sim = Rc::new(sim);
    }

    fn apply_editor(&mut self, remember: bool) {
        let mut next = (*self.sim).clone();
        match next.apply(&self.editor, EDITOR_SOURCE) {
            Ok(lines) => {
                self.set_sim(next, remember);
                self.status = Status::Info(lines);
            }
            Err(err) => {
                // `next` is dropped: the simulation stays exactly as it was.
                self.status = Status::Error(ApplyFailure::from(&err));
            }
        }
    }

    /// One [`Simulation::step`]. Returns whether it recorded a step. When it
    /// did not, the events it processed (invisible ones: the clock may have
    /// moved) are still kept, but not as a separate entry for Back.
    fn step_once(&mut self) -> bool {
        let mut next = (*self.sim).clone();
        let visible = next.step();
        if visible || next.now_ms() != self.sim.now_ms() || !next.has_pending() {
            self.set_sim(next, visible);
        }
        visible
    }

    /// The pure transition function.
    pub fn apply_action(mut self, action: Action) -> State {
        match action {
            Action::Edit(text) => self.editor = text,
            Action::Apply => self.apply_editor(true),
            Action::Step => {
                if !self.step_once() {
                    self.status = Status::Info(vec!["Nothing pending.".to_string()]);
                }
            }
            Action::Back => {
                self.playing = false;
                let previous = Rc::make_mut(&mut self.history).pop_back();
                match previous {
                    Some(previous) => {
                        self.snapshot = Rc::new(previous.snapshot());
                        self.sim = previous;
                    }
                    None => {
                        self.status = Status::Info(vec!["Nothing to go back to.".to_string()]);
                    }
                }
            }
            Action::TogglePlay => {
                if self.playing {
                    self.playing = false;
                } else if self.has_pending() {
                    self.playing = true;
                } else {
                    self.status = Status::Info(vec!["Nothing pending.".to_string()]);
                }
            }
            Action::Tick => {
                if self.playing && !self.step_once() {
                    self.playing = false;
                }
            }
            Action::Reset => {
                let editor = std::mem::take(&mut self.editor);
                self = State::new(&editor);
            }
        }
        if self.playing && !self.has_pending() {
            self.playing = false;
        }
        self
    }
}

impl Reducible for State {
    type Action = Action;

    fn reduce(self: Rc<Self>, action: Action) -> Rc<Self> {
        Rc::new(Rc::unwrap_or_clone(self).apply_action(action))
    }
}

#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests {
    use super::*;

    fn steps(state: &State) -> usize {
        state.sim.steps().len()
    }

    #[test]
    fn starts_with_the_default_example_applied() {
        let state = State::default();
        assert_eq!(state.editor, DEFAULT_EXAMPLE);
        assert!(!state.snapshot.statefulsets.is_empty());
        assert!(state.has_pending());
        assert!(!state.can_back());
        match &state.status {
            Status::Info(lines) => assert!(lines.iter().any(|l| l.contains("created"))),
            other => panic!("unexpected status {other:?}"),
        }
    }

    #[test]
    fn step_then_back_restores_the_step_count() {
        let state = State::default();
        let before = steps(&state);
        let state = state.apply_action(Action::Step);
        assert!(steps(&state) > before);
        let state = state.apply_action(Action::Back);
        assert_eq!(steps(&state), before);
        assert!(!state.can_back());
    }

    #[test]
    fn invalid_yaml_leaves_the_simulation_unchanged() {
        let mut state = State::default();
        for _ in 0..5 {
            state = state.apply_action(Action::Step);
        }
        let before = state.snapshot.clone();
        let sim_before = Rc::clone(&state.sim);
        let state = state
            .apply_action(Action::Edit("kind: [".to_string()))
            .apply_action(Action::Apply);
        assert!(Rc::ptr_eq(&sim_before, &state.sim));
        assert_eq!(before, state.snapshot);
        match &state.status {
            Status::Error(f) => {
                let all = format!("{} {}", f.message, f.diagnostics.join(" "));
                assert!(all.contains("line"), "{all}");
            }
            other => panic!("unexpected status {other:?}"),
        }
    }

    #[test]
    fn play_stops_when_nothing_is_pending() {
        let mut state = State::default().apply_action(Action::TogglePlay);
        assert!(state.playing);
        for _ in 0..10_000 {
            if !state.playing {
                break;
            }
            state = state.apply_action(Action::Tick);
        }
        assert!(!state.playing);
        assert!(!state.has_pending());
    }

    #[test]
    fn history_is_bounded() {
        let mut state = State::default();
        for _ in 0..(HISTORY_LIMIT + 5) {
            state = state.apply_action(Action::Apply);
        }
        assert_eq!(state.history.len(), HISTORY_LIMIT);
    }

    #[test]
    fn reset_keeps_the_editor_and_starts_over() {
        let state = State::default()
            .apply_action(Action::Step)
            .apply_action(Action::Step)
            .apply_action(Action::Reset);
        assert_eq!(steps(&state), steps(&State::default()));
        assert_eq!(state.editor, DEFAULT_EXAMPLE);
        assert!(!state.can_back());
    }
}
