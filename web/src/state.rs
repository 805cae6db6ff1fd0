//! The app state and its pure reducer (the `function_todomvc` pattern).
//!
//! Nothing here touches the DOM or storage: every user action is an
//! [`Action`], and [`State::apply_action`] turns one state into the next. The
//! Yew glue is the [`Reducible`] impl at the bottom.
//!
//! **Back** does not keep a deep clone of every past simulation (a clone
//! carries the whole cluster and step log: at 200 pods and 10,000 steps, 1,000
//! of them would need gigabytes). Instead the state keeps a *checkpoint* (a
//! shared, immutable `Simulation`) and the inputs applied since it (a
//! persistent list, shared between history entries); every
//! [`checkpoint_every`] inputs the current simulation becomes the next
//! checkpoint. A history entry is a checkpoint plus a prefix of the inputs;
//! Back restores it by cloning the checkpoint and replaying the inputs, which
//! gives exactly the same simulation (the core is deterministic). So at most
//! `HISTORY_LIMIT / MIN_CHECKPOINT_EVERY + 2` simulations are kept, and Back
//! costs one clone plus fewer than `checkpoint_every` steps.
//!
//! The spacing grows with the step log, because a clone carries the whole log
//! (at 200 pods and 10,000 steps one clone is ~3.6 MB): kept simulations times
//! their size stays roughly constant, and Back's replay grows like the clone
//! that every Step already costs.

use std::collections::VecDeque;
use std::rc::Rc;

use stsplay_core::{ApplyError, Simulation, Snapshot, DEFAULT_EXAMPLE, DEFAULT_SEED};
use yew::Reducible;

/// How many previous simulations **Back** can return to.
pub const HISTORY_LIMIT: usize = 1000;

/// The `source` name passed to [`Simulation::apply`] for the editor's text.
pub const EDITOR_SOURCE: &str = "manifests.yaml";

/// Fewest inputs between two checkpoints of the Back history (module docs).
pub const MIN_CHECKPOINT_EVERY: usize = 50;
/// Most inputs between two checkpoints.
pub const MAX_CHECKPOINT_EVERY: usize = 400;

/// Inputs between two checkpoints when the simulation has recorded `steps`
/// steps: 50 up to 2,000 steps, then one per 40 steps (250 at 10,000), at most 400.
pub fn checkpoint_every(steps: usize) -> usize {
    (steps / 40).clamp(MIN_CHECKPOINT_EVERY, MAX_CHECKPOINT_EVERY)
}

/// One input that changed the simulation; replaying the inputs since a
/// checkpoint rebuilds the simulation exactly.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Input {
    /// A successful [`Simulation::apply`] of this text.
    Apply(Rc<str>),
    /// A [`Simulation::step`] whose result was kept.
    Step,
}

impl Input {
    fn replay(&self, sim: &mut Simulation) {
        match self {
            Input::Apply(text) => {
                // It succeeded the first time; the same text on the same state succeeds again.
                let _ = sim.apply(text, EDITOR_SOURCE);
            }
            Input::Step => {
                sim.step();
            }
        }
    }
}

/// A persistent list of inputs, newest first; tails are shared.
#[derive(Debug)]
struct InputLog {
    input: Input,
    /// Inputs in this list, this one included.
    len: usize,
    older: Option<Rc<InputLog>>,
}

/// How to rebuild a simulation: a checkpoint and the inputs applied since.
#[derive(Clone, Debug)]
pub struct Past {
    checkpoint: Rc<Simulation>,
    since: Option<Rc<InputLog>>,
}

impl Past {
    /// Inputs to replay on top of the checkpoint.
    pub fn replay_len(&self) -> usize {
        self.since.as_ref().map_or(0, |l| l.len)
    }

    /// The simulation this entry stands for (the checkpoint itself, shared, if
    /// nothing was applied since).
    pub fn restore(&self) -> Rc<Simulation> {
        let Some(log) = &self.since else {
            return Rc::clone(&self.checkpoint);
        };
        let mut inputs = Vec::with_capacity(log.len);
        let mut node = Some(log);
        while let Some(n) = node {
            inputs.push(&n.input);
            node = n.older.as_ref();
        }
        let mut sim = (*self.checkpoint).clone();
        for input in inputs.into_iter().rev() {
            input.replay(&mut sim);
        }
        Rc::new(sim)
    }
}

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
            diagnostics: err.diagnostics.iter().map(|d| format!("document {}, {d}", d.document)).collect(),
        }
    }
}

/// Everything the UI shows is derived from this.
///
/// Cheap to clone: the editor text, the simulation, its snapshot and the
/// history are shared.
#[derive(Clone, Debug)]
pub struct State {
    pub editor: Rc<str>,
    /// The seed of the simulation (and of Reset's new one).
    pub seed: u64,
    pub sim: Rc<Simulation>,
    /// `sim` is `current.restore()`: the latest checkpoint and the inputs since.
    current: Past,
    /// Derived from `sim` whenever it changes (see [`State::set_sim`]).
    pub snapshot: Rc<Snapshot>,
    /// Previous simulations, oldest first, at most [`HISTORY_LIMIT`].
    pub history: Rc<VecDeque<Past>>,
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
    /// A new simulation (same seed), then apply the editor's text.
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
        State::with_seed(manifests, DEFAULT_SEED)
    }

    /// A fresh simulation with `seed` and `manifests` applied.
    pub fn with_seed(manifests: &str, seed: u64) -> Self {
        let sim = Rc::new(Simulation::new(seed));
        let snapshot = Rc::new(sim.snapshot());
        let mut state = State {
            editor: Rc::from(manifests),
            seed,
            current: Past { checkpoint: Rc::clone(&sim), since: None },
            sim,
            snapshot,
            history: Rc::new(VecDeque::new()),
            playing: false,
            status: Status::Info(Vec::new()),
        };
        state.apply_editor(false);
        state
    }

    /// Simulations kept alive by the Back history (checkpoints), the current
    /// one included; for tests and the memory budget.
    pub fn retained_simulations(&self) -> usize {
        let mut seen: Vec<*const Simulation> = vec![Rc::as_ptr(&self.sim)];
        for past in self.history.iter().chain(std::iter::once(&self.current)) {
            let p = Rc::as_ptr(&past.checkpoint);
            if !seen.contains(&p) {
                seen.push(p);
            }
        }
        seen.len()
    }

    pub fn can_back(&self) -> bool {
        !self.history.is_empty()
    }

    pub fn has_pending(&self) -> bool {
        self.sim.has_pending()
    }

    /// The one place the simulation changes: keeps the snapshot and the
    /// replay log in sync. `input` is what turned `self.sim` into `sim`.
    fn set_sim(&mut self, sim: Simulation, input: Input, remember: bool) {
        if remember {
            let history = Rc::make_mut(&mut self.history);
            if history.len() >= HISTORY_LIMIT {
                history.pop_front();
            }
            history.push_back(self.current.clone());
        }
        self.snapshot = Rc::new(sim.snapshot());
        self.sim = Rc::new(sim);
        let len = self.current.replay_len() + 1;
        if len >= checkpoint_every(self.sim.steps().len()) {
            self.current = Past { checkpoint: Rc::clone(&self.sim), since: None };
        } else {
            self.current.since = Some(Rc::new(InputLog { input, len, older: self.current.since.take() }));
        }
    }

    fn apply_editor(&mut self, remember: bool) {
        let mut next = (*self.sim).clone();
        match next.apply(&self.editor, EDITOR_SOURCE) {
            Ok(lines) => {
                let input = Input::Apply(Rc::clone(&self.editor));
                self.set_sim(next, input, remember);
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
            self.set_sim(next, Input::Step, visible);
        }
        visible
    }

    /// The pure transition function.
    pub fn apply_action(mut self, action: Action) -> State {
        match action {
            Action::Edit(text) => {
                if *self.editor != *text {
                    self.editor = Rc::from(text);
                }
            }
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
                        self.sim = previous.restore();
                        self.snapshot = Rc::new(self.sim.snapshot());
                        self.current = previous;
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
                self = State::with_seed(&self.editor, self.seed);
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
        assert_eq!(&*state.editor, DEFAULT_EXAMPLE);
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
        let state = state.apply_action(Action::Edit("kind: [".to_string())).apply_action(Action::Apply);
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

    /// What Back must return to: (steps recorded, clock, snapshot).
    fn fingerprint(state: &State) -> (usize, u64, Snapshot) {
        (steps(state), state.sim.now_ms(), state.sim.snapshot())
    }

    #[test]
    fn back_replays_to_exactly_the_previous_simulation() {
        // Enough inputs to cross several checkpoints, with applies in between.
        let scaled = DEFAULT_EXAMPLE.replace("replicas: 3", "replicas: 12");
        let mut state = State::default();
        let mut expected = vec![fingerprint(&state)];
        let actions = 3 * MIN_CHECKPOINT_EVERY + 7;
        for i in 0..actions {
            state = match i % 40 {
                10 => state.apply_action(Action::Edit(scaled.clone())).apply_action(Action::Apply),
                30 => state.apply_action(Action::Edit(DEFAULT_EXAMPLE.to_string())).apply_action(Action::Apply),
                _ => state.apply_action(Action::Step),
            };
            // A remembered input adds a history entry; a kept invisible step
            // (the clock moved) changes the current simulation only.
            if state.history.len() + 1 > expected.len() {
                expected.push(fingerprint(&state));
            } else {
                *expected.last_mut().unwrap() = fingerprint(&state);
            }
            assert_eq!(state.history.len() + 1, expected.len());
        }
        // Each action is at most one input: the first (empty) simulation, one
        // checkpoint per MIN_CHECKPOINT_EVERY inputs (the log is short) and the current one.
        assert!(state.history.len() > MIN_CHECKPOINT_EVERY, "{} history entries", state.history.len());
        assert!(state.retained_simulations() >= 3);
        assert!(state.retained_simulations() <= actions / MIN_CHECKPOINT_EVERY + 2);
        // Back all the way, checking every state; then forward again from the middle.
        while state.can_back() {
            expected.pop();
            state = state.apply_action(Action::Back);
            assert_eq!(&fingerprint(&state), expected.last().unwrap());
        }
        assert_eq!(expected.len(), 1);
        let replayed = state.clone().apply_action(Action::Step).apply_action(Action::Back);
        assert_eq!(fingerprint(&replayed), fingerprint(&state));
    }

    #[test]
    fn the_seed_is_kept_by_reset() {
        let state = State::with_seed(DEFAULT_EXAMPLE, 42).apply_action(Action::Reset);
        assert_eq!(state.seed, 42);
    }

    #[test]
    fn reset_keeps_the_editor_and_starts_over() {
        let state = State::default().apply_action(Action::Step).apply_action(Action::Step).apply_action(Action::Reset);
        assert_eq!(steps(&state), steps(&State::default()));
        assert_eq!(&*state.editor, DEFAULT_EXAMPLE);
        assert!(!state.can_back());
    }
}
