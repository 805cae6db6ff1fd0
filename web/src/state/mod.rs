//! The app state and its pure reducer (the `function_todomvc` pattern).
//!
//! Nothing here touches the DOM or storage: every user action is an
//! [`Action`], and [`State::apply_action`] turns one state into the next. The
//! Yew glue is the [`Reducible`] impl at the bottom.
//!
//! The simulation and its past are the core's [`Timeline`]: every Apply and
//! Step is an input of it (`kubectl apply -f -` with the editor's text,
//! `step`), Back and jumps are its exact `seek`s, and acting in the past
//! forks it (the dropped future is kept in [`State::discarded`] until the
//! next action, so it can be restored). The console's commands are inputs
//! too, so Back undoes them and the session's scenario holds them. This
//! module keeps only what the UI adds: the editor's text, the status line,
//! Play and its speed, and the console's slice ([`console`]).

pub mod console;

use std::rc::Rc;

use stsplay_core::kubectl::{MemoryFiles, STDIN_NAME};
use stsplay_core::scenario::{Input, Scenario};
use stsplay_core::timeline::{Discarded, Timeline};
use stsplay_core::{ApplyError, Simulation, Snapshot, DEFAULT_EXAMPLE, DEFAULT_SEED};
use yew::Reducible;

pub use console::{Console, ConsoleEntry};

/// Play's speeds: Step presses per tick of the play timer.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Speed {
    #[default]
    X1,
    X4,
    X16,
    /// Until nothing is pending or a tick's budget of steps is used.
    Max,
}

impl Speed {
    pub const ALL: [Speed; 4] = [Speed::X1, Speed::X4, Speed::X16, Speed::Max];

    /// Step presses per tick.
    pub fn presses(self) -> u64 {
        match self {
            Speed::X1 => 1,
            Speed::X4 => 4,
            Speed::X16 => 16,
            Speed::Max => 200,
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Speed::X1 => "1×",
            Speed::X4 => "4×",
            Speed::X16 => "16×",
            Speed::Max => "as fast as possible",
        }
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
    /// The (line, column) of each diagnostic, 1-based, for the editor's gutter.
    pub positions: Vec<(usize, usize)>,
}

impl From<&ApplyError> for ApplyFailure {
    fn from(err: &ApplyError) -> Self {
        ApplyFailure {
            message: err.to_string(),
            diagnostics: err.diagnostics.iter().map(|d| format!("document {}, {d}", d.document)).collect(),
            positions: err.diagnostics.iter().map(|d| (d.line, d.column)).collect(),
        }
    }
}

/// Everything the UI shows is derived from this.
///
/// Cheap to clone: the editor text, the simulation and its snapshot are
/// shared, and the timeline's entries and checkpoints are reference-counted.
#[derive(Clone, Debug)]
pub struct State {
    pub editor: Rc<str>,
    /// The seed of the simulation (and of Reset's new one).
    pub seed: u64,
    /// Shared with the timeline panel; changed copy-on-write.
    pub timeline: Rc<Timeline>,
    /// `timeline.current()`, shared with the views.
    pub sim: Rc<Simulation>,
    /// Derived from `sim` whenever it changes (see [`State::sync`]).
    pub snapshot: Rc<Snapshot>,
    /// The future the last fork dropped, while it can still be restored.
    pub discarded: Option<Discarded>,
    pub playing: bool,
    pub speed: Speed,
    pub status: Status,
    pub console: Console,
    /// The keyboard-shortcut help overlay is open.
    pub help_open: bool,
    /// What pressing Step would do next (the first step it would record),
    /// for the simulation `next_for`; not computed while playing.
    pub next: Option<Rc<str>>,
    next_for: Option<Rc<Simulation>>,
    /// The editor's text from before a jump replaced it with the manifests
    /// as applied at the new position: nothing typed is lost.
    pub draft: Option<Rc<str>>,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Action {
    /// The editor's text changed.
    Edit(String),
    /// Apply the editor's text to the current simulation.
    Apply,
    /// Process one step.
    Step,
    /// Return to the simulation before the last change.
    Back,
    /// Put back the future the last fork dropped.
    RestoreFuture,
    /// Play or pause.
    TogglePlay,
    /// A timer tick while playing.
    Tick,
    /// A new simulation (same seed), then apply the editor's text.
    Reset,
    /// Step until nothing is pending (`run until settled`).
    RunUntilSettled,
    /// Jump to the moment step `k` (0-based) was recorded.
    SeekStep(usize),
    /// Jump to the state after input `i` of the timeline.
    SeekInput(usize),
    SetSpeed(Speed),
    /// The console's input line changed.
    ConsoleInput(String),
    /// Enter in the console: run the line.
    ConsoleSubmit,
    /// ↑ (`older`) / ↓ in the console.
    ConsoleHistory {
        older: bool,
    },
    /// Tab in the console, with the caret at this byte.
    ConsoleComplete {
        cursor: usize,
    },
    /// Ctrl+L in the console.
    ConsoleClear,
    /// Run a command as if typed in the console (the row menus' actions).
    Run(String),
    /// Open or close the keyboard-shortcut help.
    ToggleHelp,
    /// Put the draft a jump kept back into the editor.
    RestoreDraft,
}

impl Default for State {
    fn default() -> Self {
        State::new(DEFAULT_EXAMPLE)
    }
}

fn headers(seed: u64) -> Scenario {
    Scenario { seed, ..Scenario::default() }
}

/// The web app has no files: `kubectl apply -f PATH` finds nothing.
fn no_files() -> Rc<MemoryFiles> {
    Rc::new(MemoryFiles::default())
}

impl State {
    /// A fresh simulation (default seed) with `manifests` applied.
    pub fn new(manifests: &str) -> Self {
        State::with_seed(manifests, DEFAULT_SEED)
    }

    /// A fresh simulation with `seed` and `manifests` applied.
    pub fn with_seed(manifests: &str, seed: u64) -> Self {
        let mut state = State::from_timeline(manifests, Timeline::new(&headers(seed), no_files()));
        state.apply_editor();
        state.preview_next();
        state
    }

    /// A saved session: its scenario replayed, the editor's text as it was.
    /// `None` if the scenario does not parse.
    pub fn restore(editor: &str, scenario: &str) -> Option<Self> {
        let scenario = Scenario::parse(scenario).ok()?;
        let (timeline, _) = Timeline::from_scenario(&scenario, no_files());
        let mut state = State::from_timeline(editor, timeline);
        state.preview_next();
        Some(state)
    }

    fn from_timeline(editor: &str, timeline: Timeline) -> Self {
        let sim = timeline.current_rc();
        State {
            editor: Rc::from(editor),
            seed: timeline.seed(),
            snapshot: Rc::new(sim.snapshot()),
            sim,
            timeline: Rc::new(timeline),
            discarded: None,
            playing: false,
            speed: Speed::default(),
            status: Status::Info(Vec::new()),
            console: Console::default(),
            help_open: false,
            next: None,
            next_for: None,
            draft: None,
        }
    }

    pub fn can_back(&self) -> bool {
        self.timeline.previous_change().is_some()
    }

    pub fn has_pending(&self) -> bool {
        self.sim.has_pending()
    }

    /// The session as a scenario file (`stsplay run` replays it).
    pub fn scenario_text(&self) -> String {
        self.timeline.scenario().render()
    }

    /// After the timeline moved: the shared simulation and its snapshot.
    fn sync(&mut self) {
        let sim = self.timeline.current_rc();
        if !Rc::ptr_eq(&sim, &self.sim) {
            self.snapshot = Rc::new(sim.snapshot());
            self.sim = sim;
        }
    }

    /// Pushes an input. Once something new is recorded, only the future
    /// this push dropped (if any) can be restored.
    fn push(&mut self, input: Input) -> stsplay_core::timeline::Pushed {
        let pushed = Rc::make_mut(&mut self.timeline).push(input);
        if pushed.recorded {
            self.discarded = pushed.discarded.clone();
        }
        self.sync();
        if self.preview_stale() {
            self.next = None;
        }
        pushed
    }

    /// Runs a command line through the timeline and prints it in the console.
    fn run_command(&mut self, line: &str) {
        if line.trim().is_empty() {
            return;
        }
        match Input::command(line) {
            Err(e) => self.console.print(ConsoleEntry {
                command: line.trim().to_string(),
                output: format!("error: {e}\n"),
                exit_code: 2,
                recorded: false,
            }),
            Ok(input) => {
                let pushed = self.push(input);
                self.console.print(ConsoleEntry {
                    command: pushed.result.command,
                    output: pushed.result.output,
                    exit_code: pushed.result.exit_code,
                    recorded: pushed.recorded,
                });
            }
        }
    }

    fn seek(&mut self, go: impl FnOnce(&mut Timeline)) {
        self.playing = false;
        go(Rc::make_mut(&mut self.timeline));
        self.sync();
        self.follow_timeline();
        self.preview_next();
    }

    /// After a jump, the editor shows the manifests as applied at the new
    /// position (the last `kubectl apply -f -` before it); the text it held,
    /// if different, is kept as the draft (the first one, until restored).
    fn follow_timeline(&mut self) {
        let position = self.timeline.position().input;
        let applied = self
            .timeline
            .entries()
            .get(..position)
            .unwrap_or_default()
            .iter()
            .rev()
            .find(|e| e.input.line() == "kubectl apply -f -" && e.result.exit_code == 0)
            .and_then(|e| e.input.stdin());
        let Some(applied) = applied else { return };
        // The recorded text always ends with a newline (a heredoc's lines do).
        if self.editor.trim_end_matches('\n') == applied.trim_end_matches('\n') {
            return;
        }
        if self.draft.is_none() {
            self.draft = Some(Rc::clone(&self.editor));
        }
        self.editor = Rc::from(applied);
    }

    fn apply_editor(&mut self) {
        let pushed = self.push(Input::apply_stdin(&self.editor));
        if pushed.result.exit_code == 0 {
            self.status = Status::Info(pushed.result.output.lines().map(str::to_string).collect());
            return;
        }
        // The diagnostics (line, column) come from the API server's own
        // error; only a refused apply pays for this dry run.
        let mut probe = (*self.sim).clone();
        self.status = match probe.apply(&self.editor, STDIN_NAME) {
            Err(err) => Status::Error(ApplyFailure::from(&err)),
            Ok(_) => Status::Error(ApplyFailure {
                message: pushed.result.output.trim_end().to_string(),
                diagnostics: Vec::new(),
                positions: Vec::new(),
            }),
        };
    }

    /// One press of Step; false when nothing is pending.
    fn step_once(&mut self) -> bool {
        if !self.has_pending() {
            return false;
        }
        self.push(Input::step(1));
        true
    }

    /// The pure transition function.
    pub fn apply_action(mut self, action: Action) -> State {
        match action {
            Action::Edit(text) => {
                if *self.editor != *text {
                    self.editor = Rc::from(text);
                }
            }
            Action::Apply => self.apply_editor(),
            Action::Step => {
                if !self.step_once() {
                    self.status = Status::Info(vec!["Nothing pending.".to_string()]);
                }
            }
            Action::Back => {
                self.playing = false;
                match self.timeline.previous_change() {
                    Some(p) => self.seek(|t| t.seek_to(p)),
                    None => self.status = Status::Info(vec!["Nothing to go back to.".to_string()]),
                }
            }
            Action::RestoreFuture => {
                if let Some(d) = self.discarded.take() {
                    let mut restored = true;
                    self.seek(|t| restored = t.restore(&d));
                    if !restored {
                        self.status = Status::Info(vec!["The discarded steps can no longer be restored.".to_string()]);
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
                if self.playing {
                    let presses = self.speed.presses();
                    if !self.has_pending() {
                        self.playing = false;
                    } else if presses == 1 {
                        self.step_once();
                    } else {
                        self.push(Input::step(presses));
                    }
                }
            }
            Action::Reset => {
                let console = std::mem::take(&mut self.console);
                let (speed, draft) = (self.speed, self.draft.take());
                self = State::with_seed(&self.editor, self.seed);
                self.console = console;
                self.speed = speed;
                self.draft = draft;
            }
            Action::RunUntilSettled => {
                self.playing = false;
                self.run_command("run until settled");
            }
            Action::SeekStep(k) => self.seek(|t| t.seek_step(k)),
            Action::SeekInput(i) => self.seek(|t| t.seek(i)),
            Action::SetSpeed(speed) => self.speed = speed,
            Action::ConsoleInput(text) => self.console.set_input(text),
            Action::ConsoleSubmit => {
                let line = self.console.take_input();
                self.run_command(&line);
            }
            Action::ConsoleHistory { older } => self.console.browse(older),
            Action::ConsoleComplete { cursor } => {
                let sim = Rc::clone(&self.sim);
                self.console.complete(cursor, &sim);
            }
            Action::ConsoleClear => self.console.clear(),
            Action::Run(line) => self.run_command(&line),
            Action::ToggleHelp => self.help_open = !self.help_open,
            Action::RestoreDraft => {
                if let Some(draft) = self.draft.take() {
                    self.editor = draft;
                }
            }
        }
        if self.playing && !self.has_pending() {
            self.playing = false;
        }
        self
    }

    /// Whether the "Next: ..." preview is for another simulation than the
    /// current one.
    fn preview_stale(&self) -> bool {
        !self.next_for.as_ref().is_some_and(|s| Rc::ptr_eq(s, &self.sim))
    }

    /// At rest, what Step would do next ("Next: ..."): one copy and one step
    /// of the current simulation, only when it changed. Done after loading,
    /// Reset and every jump, not after each Step (it costs a copy).
    fn preview_next(&mut self) {
        if self.playing || !self.preview_stale() {
            return;
        }
        self.next = self.sim.preview_next_step().map(|step| Rc::from(step.message()));
        self.next_for = Some(Rc::clone(&self.sim));
    }
}

impl Reducible for State {
    type Action = Action;

    fn reduce(self: Rc<Self>, action: Action) -> Rc<Self> {
        Rc::new(Rc::unwrap_or_clone(self).apply_action(action))
    }
}

#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests;
