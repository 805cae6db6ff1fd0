//! The timeline: every input of a session (an apply, a command line, a press
//! of Step) with its recorded result, and checkpoints to travel back and forth
//! in it exactly — the CLI replays scenarios through it and the web app's
//! Back, Step, Play, Reset, scrubber and console all go through it.
//!
//! **Exact, and cheap.** The simulation is deterministic, so the state after
//! input `i` is "a checkpoint at or before `i`, plus the inputs since,
//! replayed". A checkpoint is a full `Simulation` clone, and a clone carries
//! the whole step log (at 200 pods and 10,000 steps one clone is ~3.6 MB), so
//! checkpoints are kept sparse: a new one every [`checkpoint_every`] inputs
//! (farther apart as the log grows), at most [`MAX_CHECKPOINTS`] of them (the
//! densest stretch is thinned when there are more), so memory stays bounded
//! however long the session, and a jump costs one clone plus a bounded replay.
//!
//! **Replay never drops an error.** Each replayed input must give exactly the
//! result it gave the first time; one that does not is a determinism bug,
//! reported by [`Timeline::replay_mismatches`] (and a debug assertion).
//!
//! **Positions.** [`Position::input`] counts the inputs applied; a position
//! inside an input that only processes events (`step N`, `run until settled`,
//! `sleep`, `kubectl rollout status`) adds [`Position::steps`] presses of Step
//! from the state before that input, so every recorded step can be jumped to
//! ([`Timeline::seek_step`]). Acting at a past position forks: the future is
//! dropped and handed back ([`Discarded`]) so the UI can offer to restore it.

use std::fmt;
use std::rc::Rc;

use crate::kubectl::{CommandResult, FileSource};
use crate::scenario::{Input, Item, Scenario};
use crate::sim::Simulation;

/// Fewest inputs between two checkpoints.
pub const MIN_CHECKPOINT_EVERY: usize = 50;
/// Most inputs between two new checkpoints (thinning may merge gaps further).
pub const MAX_CHECKPOINT_EVERY: usize = 400;
/// Most checkpoints kept (the initial simulation included).
pub const MAX_CHECKPOINTS: usize = 8;
/// Most inputs one timeline records (a Step press a second for a day).
pub const MAX_INPUTS: usize = crate::scenario::MAX_ITEMS;

/// Inputs between two checkpoints when the simulation has recorded `steps`
/// steps: 50 up to 2,000 steps, then one per 40 steps (250 at 10,000), at
/// most 400 — kept simulations times their size stays roughly constant.
pub fn checkpoint_every(steps: usize) -> usize {
    (steps / 40).clamp(MIN_CHECKPOINT_EVERY, MAX_CHECKPOINT_EVERY)
}

/// One recorded input.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Entry {
    pub input: Input,
    /// What it printed the first time (replays must print the same).
    pub result: CommandResult,
    /// Whether it changed the simulation (a `get` does not).
    pub changed: bool,
    /// Steps recorded after it.
    pub steps_after: usize,
    /// Virtual time after it.
    pub time_after_ms: u64,
}

/// A point of the timeline: after `input` inputs, plus `steps` presses of
/// Step into the next input (only for inputs that only process events).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord)]
pub struct Position {
    pub input: usize,
    pub steps: u64,
}

/// The future dropped by a fork ([`Timeline::restore`] puts it back).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Discarded {
    /// The input it was cut at (the position acted on).
    pub at: usize,
    /// Presses of Step into input `at` at that position (a mid position
    /// becomes a `step N` entry of its own, which a restore drops again).
    pub steps: u64,
    pub entries: Vec<Rc<Entry>>,
}

/// What [`Timeline::push`] did.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Pushed {
    pub result: CommandResult,
    /// Whether the input became an entry: a command that failed and changed
    /// nothing is not recorded (the simulation is exactly as it was).
    pub recorded: bool,
    /// The future dropped because the input was recorded at a past position.
    pub discarded: Option<Discarded>,
}

/// A replayed input that did not give its recorded result: a bug.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ReplayMismatch {
    pub index: usize,
    pub command: String,
    pub recorded: CommandResult,
    pub replayed: CommandResult,
}

impl fmt::Display for ReplayMismatch {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "replaying input {} (`{}`) gave exit {} at {}s instead of exit {} at {}s",
            self.index + 1,
            self.command,
            self.replayed.exit_code,
            self.replayed.time_seconds,
            self.recorded.exit_code,
            self.recorded.time_seconds
        )
    }
}

/// See the module docs.
#[derive(Clone)]
pub struct Timeline {
    seed: u64,
    gates: std::collections::BTreeMap<String, bool>,
    files: Rc<dyn FileSource>,
    entries: Vec<Rc<Entry>>,
    /// `(inputs applied, simulation)`, sorted; the first is `(0, initial)`.
    checkpoints: Vec<(usize, Rc<Simulation>)>,
    position: Position,
    /// At a mid position, the Step presses into `entries[position.input]`
    /// as the `step N` entry a fork there records.
    mid: Option<Entry>,
    current: Rc<Simulation>,
    mismatches: Vec<ReplayMismatch>,
}

impl fmt::Debug for Timeline {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Timeline")
            .field("seed", &self.seed)
            .field("entries", &self.entries.len())
            .field("checkpoints", &self.checkpoints.iter().map(|(i, _)| *i).collect::<Vec<_>>())
            .field("position", &self.position)
            .finish()
    }
}

/// What makes a state differ, cheaply: every change records a step, queues
/// or processes an event, or moves the clock.
fn fingerprint(sim: &Simulation) -> (usize, u64, usize, u64) {
    (sim.steps().len(), sim.events_queued(), sim.pending_events(), sim.now_ms())
}

/// Whether an input only processes queued events (no API call of its own),
/// so that a prefix of it is a number of Step presses.
fn only_processes_events(input: &Input) -> bool {
    if input.stdin().is_some() {
        return false;
    }
    let words: Vec<&str> = input.line().split_whitespace().collect();
    matches!(
        words.as_slice(),
        ["step", ..] | ["run", "until", "settled"] | ["sleep", ..] | ["kubectl" | "k", "rollout", "status", ..]
    )
}

impl Timeline {
    /// An empty timeline for a scenario's headers (seed, feature gates).
    /// `files` serves `kubectl apply -f PATH` (the same files on every replay).
    pub fn new(headers: &Scenario, files: Rc<dyn FileSource>) -> Timeline {
        let initial = Rc::new(headers.simulation());
        Timeline {
            seed: headers.seed,
            gates: headers.gates.clone(),
            files,
            entries: Vec::new(),
            checkpoints: vec![(0, Rc::clone(&initial))],
            position: Position::default(),
            mid: None,
            current: initial,
            mismatches: Vec::new(),
        }
    }

    /// A timeline with every input of `scenario` run and recorded (failing
    /// ones too, so that [`Timeline::scenario`] gives them back).
    pub fn from_scenario(scenario: &Scenario, files: Rc<dyn FileSource>) -> (Timeline, Vec<CommandResult>) {
        let mut t = Timeline::new(scenario, files);
        let results = scenario.inputs().take(MAX_INPUTS).map(|input| t.record(input.clone(), true).result).collect();
        (t, results)
    }

    /// The simulation at the current position.
    pub fn current(&self) -> &Simulation {
        &self.current
    }

    /// A shared handle to it (cheap to keep in a UI state).
    pub fn current_rc(&self) -> Rc<Simulation> {
        Rc::clone(&self.current)
    }

    pub fn position(&self) -> Position {
        self.position
    }

    /// The seed of the scenario's headers.
    pub fn seed(&self) -> u64 {
        self.seed
    }

    /// Every recorded input, the ones after the current position included.
    pub fn entries(&self) -> &[Rc<Entry>] {
        &self.entries
    }

    pub fn len(&self) -> usize {
        self.entries.len()
    }

    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    /// Whether the position is the end of the timeline.
    pub fn at_end(&self) -> bool {
        self.position == Position { input: self.entries.len(), steps: 0 }
    }

    /// Replays that did not give their recorded result (each one a bug).
    pub fn replay_mismatches(&self) -> &[ReplayMismatch] {
        &self.mismatches
    }

    /// Simulations kept alive by the checkpoints and the current one.
    pub fn retained_simulations(&self) -> usize {
        let shared = self.checkpoints.iter().any(|(_, s)| Rc::ptr_eq(s, &self.current));
        self.checkpoints.len() + usize::from(!shared)
    }

    /// The inputs of the whole timeline as a scenario (canonical with
    /// [`Scenario::render`]); `stsplay run` replays it to the same states.
    pub fn scenario(&self) -> Scenario {
        Scenario {
            seed: self.seed,
            gates: self.gates.clone(),
            items: self.entries.iter().map(|e| Item::Input(e.input.clone())).collect(),
        }
    }

    /// Runs `input` at the current position. A command that fails and
    /// changes nothing is not recorded; anything else is, after dropping the
    /// future when the position is not the end (returned in `discarded`).
    pub fn push(&mut self, input: Input) -> Pushed {
        self.record(input, false)
    }

    fn record(&mut self, input: Input, always: bool) -> Pushed {
        let before = fingerprint(&self.current);
        if self.entries.len() >= MAX_INPUTS {
            let result = CommandResult {
                command: input.display_line(),
                output: format!("error: this timeline holds {MAX_INPUTS} inputs, the most stsplay keeps; start a new one to continue\n"),
                exit_code: 1,
                time_seconds: self.current.now_ms() / 1000,
            };
            return Pushed { result, recorded: false, discarded: None };
        }
        let sim = Rc::make_mut(&mut self.current);
        let result = input.run(sim, &*self.files);
        let changed = fingerprint(sim) != before;
        if !(always || changed || result.exit_code == 0) {
            return Pushed { result, recorded: false, discarded: None };
        }
        let discarded = self.cut_future();
        self.entries.push(Rc::new(Entry {
            input,
            result: result.clone(),
            changed,
            steps_after: self.current.steps().len(),
            time_after_ms: self.current.now_ms(),
        }));
        self.position = Position { input: self.entries.len(), steps: 0 };
        self.maybe_checkpoint();
        Pushed { result, recorded: true, discarded }
    }

    /// Drops everything after the position (a mid position first becomes a
    /// `step N` entry of its own). Returns what was dropped, if anything.
    fn cut_future(&mut self) -> Option<Discarded> {
        let (at, steps) = (self.position.input, self.position.steps);
        let mid = self.mid.take();
        if at >= self.entries.len() && mid.is_none() {
            return None;
        }
        let dropped: Vec<Rc<Entry>> = self.entries.drain(at.min(self.entries.len())..).collect();
        self.checkpoints.retain(|(i, _)| *i <= at);
        if let Some(entry) = mid {
            self.entries.push(Rc::new(entry));
        }
        Some(Discarded { at, steps, entries: dropped })
    }

    fn maybe_checkpoint(&mut self) {
        let last = self.checkpoints.last().map_or(0, |(i, _)| *i);
        let n = self.position.input;
        if n.saturating_sub(last) < checkpoint_every(self.current.steps().len()) {
            return;
        }
        // A clone, not the shared current state: a clone's buffers are exactly
        // as long as their contents, while the live simulation's have room to
        // grow (up to twice the size), which a checkpoint would keep forever.
        self.checkpoints.push((n, Rc::new(Simulation::clone(&self.current))));
        if self.checkpoints.len() > MAX_CHECKPOINTS {
            // Thin the densest stretch: drop the interior checkpoint whose
            // neighbours are closest (the oldest on a tie). Never the first
            // (the initial simulation) nor the newest.
            let mut best: Option<(usize, usize)> = None;
            for k in 1..self.checkpoints.len().saturating_sub(1) {
                let (Some((a, _)), Some((b, _))) = (self.checkpoints.get(k - 1), self.checkpoints.get(k + 1)) else {
                    continue;
                };
                let gap = b - a;
                if best.is_none_or(|(g, _)| gap < g) {
                    best = Some((gap, k));
                }
            }
            if let Some((_, k)) = best {
                self.checkpoints.remove(k);
            }
        }
    }

    /// Jumps to the state after input `i` (0: before any), clamped to the
    /// timeline. Exact: a checkpoint and a replay of the inputs since.
    pub fn seek(&mut self, i: usize) {
        self.seek_position(Position { input: i.min(self.entries.len()), steps: 0 });
    }

    /// Jumps to the moment step `k` (0-based, in [`Simulation::steps`]) was
    /// recorded: into the input that recorded it when that input only
    /// processes events, else to the end of that input. Past the last step:
    /// the end of the timeline.
    pub fn seek_step(&mut self, k: usize) {
        let j = self.entries.partition_point(|e| e.steps_after <= k);
        self.press_into(j, |sim, _| sim.steps().len() > k);
    }

    /// Jumps to a position: `p.steps` presses of Step into input `p.input`
    /// (the end of that input if it is not one that only processes events,
    /// or if the presses reach its end).
    pub fn seek_to(&mut self, p: Position) {
        if p.steps == 0 {
            self.seek(p.input);
        } else {
            self.press_into(p.input, |_, presses| presses >= p.steps);
        }
    }

    /// Seeks to the state before input `j`, then presses Step until `done`.
    fn press_into(&mut self, j: usize, done: impl Fn(&Simulation, u64) -> bool) {
        let Some(entry) = self.entries.get(j).cloned() else {
            self.seek(self.entries.len());
            return;
        };
        if !only_processes_events(&entry.input) {
            self.seek(j + 1);
            return;
        }
        self.seek(j);
        let mut presses = 0u64;
        let mut output = String::new();
        let sim = Rc::make_mut(&mut self.current);
        let mut time_seconds = sim.now_ms() / 1000;
        while !done(sim, presses) && sim.has_pending() && sim.steps().len() < entry.steps_after {
            let r = Input::step(1).run(sim, &*self.files);
            output.push_str(&r.output);
            time_seconds = r.time_seconds;
            presses += 1;
        }
        if presses == 0 {
            return;
        }
        self.position = Position { input: j, steps: presses };
        if sim.steps().len() >= entry.steps_after {
            // The presses reached the input's end: the recorded end is exact
            // (a `sleep` also moves the clock past its last event). `current`
            // is a mid state, so the seek replays from a checkpoint.
            self.seek(j + 1);
            return;
        }
        let input = Input::step(presses);
        let result = CommandResult { command: input.display_line(), output, exit_code: 0, time_seconds };
        let (steps_after, time_after_ms) = (sim.steps().len(), sim.now_ms());
        self.mid = Some(Entry { input, result, changed: true, steps_after, time_after_ms });
    }

    fn seek_position(&mut self, target: Position) {
        self.mid = None;
        if target == self.position && target.steps == 0 {
            return;
        }
        // Forward from the current state when no checkpoint is closer.
        let (start, sim) = match self.checkpoints.iter().rev().find(|(i, _)| *i <= target.input) {
            Some((i, cp))
                if !(self.position.steps == 0 && self.position.input >= *i && self.position.input <= target.input) =>
            {
                (*i, Rc::clone(cp))
            }
            _ => (self.position.input, Rc::clone(&self.current)),
        };
        self.current = sim;
        for index in start..target.input {
            let Some(entry) = self.entries.get(index).cloned() else { break };
            let sim = Rc::make_mut(&mut self.current);
            let replayed = entry.input.run(sim, &*self.files);
            if replayed != entry.result {
                debug_assert!(false, "timeline replay diverged at input {index}: `{}`", entry.input.display_line());
                self.mismatches.push(ReplayMismatch {
                    index,
                    command: entry.input.display_line(),
                    recorded: entry.result.clone(),
                    replayed,
                });
            }
        }
        self.position = Position { input: target.input, steps: 0 };
    }

    /// Drops the future after input `i` (seeking there first) and returns it,
    /// so the UI can offer "restore the discarded future".
    pub fn fork_at(&mut self, i: usize) -> Option<Discarded> {
        self.seek(i);
        self.cut_future()
    }

    /// Undoes a fork: drops what was recorded after the fork point and puts
    /// the discarded future back, with the position at the fork point (the
    /// state the user acted on). Returns false if the timeline no longer
    /// reaches the fork point. The caller offers this until the next action.
    pub fn restore(&mut self, discarded: &Discarded) -> bool {
        if self.entries.len() < discarded.at {
            return false;
        }
        self.seek(discarded.at);
        self.entries.truncate(discarded.at);
        self.checkpoints.retain(|(i, _)| *i <= discarded.at);
        self.entries.extend(discarded.entries.iter().cloned());
        if discarded.steps > 0 {
            self.seek_to(Position { input: discarded.at, steps: discarded.steps });
        }
        true
    }

    /// Where Back goes: one Step press back inside an input, else the state
    /// before the last input that changed the simulation (inputs that
    /// changed nothing, like a `get`, are skipped). `None` at the start.
    pub fn previous_change(&self) -> Option<Position> {
        if self.position.steps > 0 {
            return Some(Position { input: self.position.input, steps: self.position.steps - 1 });
        }
        let mut i = self.position.input;
        while i > 0 {
            i -= 1;
            if self.entries.get(i).is_some_and(|e| e.changed) {
                return Some(Position { input: i, steps: 0 });
            }
        }
        None
    }
}

#[cfg(test)]
mod tests;
