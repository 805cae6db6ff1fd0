use std::path::PathBuf;

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
    assert!(state.can_back(), "the apply itself can be undone");
    assert_eq!(state.timeline.len(), 1);
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
    assert!(state.can_back());
}

#[test]
fn invalid_yaml_leaves_the_simulation_unchanged() {
    let mut state = State::default();
    for _ in 0..5 {
        state = state.apply_action(Action::Step);
    }
    let before = state.snapshot.clone();
    let sim_before = format!("{:?}", state.sim);
    let entries = state.timeline.len();
    let state = state.apply_action(Action::Edit("kind: [".to_string())).apply_action(Action::Apply);
    assert_eq!(format!("{:?}", state.sim), sim_before);
    assert_eq!(before, state.snapshot);
    assert_eq!(state.timeline.len(), entries, "a refused apply is not an input");
    match &state.status {
        Status::Error(f) => {
            let all = format!("{} {}", f.message, f.diagnostics.join(" "));
            assert!(all.contains("line"), "{all}");
            assert!(all.contains("STDIN"), "{all}");
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
    let every = stsplay_core::timeline::MIN_CHECKPOINT_EVERY;
    for i in 0..(3 * every + 7) {
        state = match i % 40 {
            10 => state.apply_action(Action::Edit(scaled.clone())).apply_action(Action::Apply),
            30 => state.apply_action(Action::Edit(DEFAULT_EXAMPLE.to_string())).apply_action(Action::Apply),
            _ => state.apply_action(Action::Step),
        };
        // A Step with nothing pending is no input (the set settles between applies).
        if state.timeline.len() > expected.len() {
            expected.push(fingerprint(&state));
        }
    }
    assert!(state.timeline.retained_simulations() >= 3);
    // Back all the way, checking every state (each input changed something).
    expected.pop();
    while let Some(want) = expected.pop() {
        state = state.apply_action(Action::Back);
        assert_eq!(fingerprint(&state), want);
    }
    // Last, before the first apply: the empty cluster.
    assert_eq!(state.timeline.position().input, 1);
    let state = state.apply_action(Action::Back);
    assert!(state.snapshot.statefulsets.is_empty());
    assert!(!state.can_back());
    assert!(state.timeline.replay_mismatches().is_empty());
}

#[test]
fn acting_after_back_forks_and_the_future_can_be_restored() {
    let mut state = State::default();
    for _ in 0..10 {
        state = state.apply_action(Action::Step);
    }
    let end = fingerprint(&state);
    let len = state.timeline.len();
    let mut back = state;
    for _ in 0..4 {
        back = back.apply_action(Action::Back);
    }
    let before_fork = fingerprint(&back);
    assert!(back.discarded.is_none(), "going back drops nothing");
    let forked = back.apply_action(Action::Step);
    assert_eq!(forked.timeline.len(), len - 3);
    assert_eq!(forked.discarded.as_ref().map(|d| d.entries.len()), Some(4));

    // Restore: the new step goes, the old future is back, at the state acted on.
    let restored = forked.clone().apply_action(Action::RestoreFuture);
    assert_eq!(restored.timeline.len(), len);
    assert!(restored.discarded.is_none());
    assert_eq!(fingerprint(&restored), before_fork);
    let mut forward = restored;
    Rc::make_mut(&mut forward.timeline).seek(len);
    forward.sync();
    assert_eq!(fingerprint(&forward), end);

    // The next action ends the offer.
    let moved_on = forked.apply_action(Action::Step);
    assert!(moved_on.discarded.is_none());
    assert_eq!(moved_on.apply_action(Action::RestoreFuture).timeline.len(), len - 2);
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
    assert_eq!(state.timeline.len(), 1);
}

#[test]
fn a_saved_session_restores_to_the_same_state() {
    let mut state = State::with_seed(DEFAULT_EXAMPLE, 7);
    for _ in 0..12 {
        state = state.apply_action(Action::Step);
    }
    let state = state.apply_action(Action::Edit("# draft\n".to_string()));
    let restored = State::restore(&state.editor, &state.scenario_text()).unwrap_or_else(|| panic!("does not parse"));
    assert_eq!(fingerprint(&restored), fingerprint(&state));
    assert_eq!(&*restored.editor, "# draft\n");
    assert_eq!(restored.seed, 7);
    assert!(State::restore("x", "# seed: nope\n").is_none());
}

fn session_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../tests/sessions")
}

/// A browser session recorded through the reducer, written as the scenario
/// file the page would download, with the final snapshot it reached. The CLI
/// test `crates/stsplay-cli/tests/sessions.rs` runs that file with
/// `stsplay run --json` and must reach the same snapshot.
/// `UPDATE_EXPECT=1` rewrites both files.
#[test]
fn a_recorded_session_is_a_scenario_file() {
    let scaled = DEFAULT_EXAMPLE.replace("replicas: 3", "replicas: 5");
    let mut state = State::with_seed(DEFAULT_EXAMPLE, 3);
    for _ in 0..8 {
        state = state.apply_action(Action::Step);
    }
    state = state.apply_action(Action::Back).apply_action(Action::Back);
    state = state.apply_action(Action::Edit(scaled)).apply_action(Action::Apply);
    state = state.apply_action(Action::Edit("kind: [".to_string())).apply_action(Action::Apply);
    state = state.apply_action(Action::TogglePlay);
    for _ in 0..40 {
        state = state.apply_action(Action::Tick);
    }
    let text = state.scenario_text();
    let snapshot = serde_json::to_string_pretty(&*state.snapshot).unwrap_or_default() + "\n";
    let (script, final_json) =
        (session_dir().join("browser-session.script"), session_dir().join("browser-session.final.json"));
    if std::env::var_os("UPDATE_EXPECT").is_some() {
        std::fs::create_dir_all(session_dir()).unwrap();
        std::fs::write(&script, &text).unwrap();
        std::fs::write(&final_json, &snapshot).unwrap();
    }
    assert_eq!(std::fs::read_to_string(&script).unwrap_or_default(), text, "UPDATE_EXPECT=1 to rewrite");
    assert_eq!(std::fs::read_to_string(&final_json).unwrap_or_default(), snapshot, "UPDATE_EXPECT=1 to rewrite");
    // The core's replay of the text reaches the same state.
    let scenario = Scenario::parse(&text).unwrap_or_else(|e| panic!("{e}"));
    let mut sim = scenario.simulation();
    scenario.run(&mut sim, &MemoryFiles::default());
    assert_eq!(sim.snapshot(), *state.snapshot);
}

#[test]
fn the_next_step_is_previewed_at_rest() {
    let state = State::default();
    let next = state.next.clone().unwrap_or_else(|| panic!("no preview after loading"));
    assert!(next.contains("StatefulSet web created"), "{next}");
    // The preview is what Step then records; after a Step it is not kept
    // (stale), and a jump computes it again.
    let stepped = state.apply_action(Action::Step);
    assert!(stepped.next.is_none());
    let back = stepped.clone().apply_action(Action::Back);
    assert!(back.next.is_some(), "a jump previews the next step");
    let first_new = stepped.sim.steps().iter().map(|s| s.message()).find(|m| m.as_str() == &*next);
    assert!(first_new.is_some(), "Step did not record the previewed step: {next}");
    // At the end of a settled timeline, a jump there previews nothing.
    let settled = stepped.apply_action(Action::RunUntilSettled);
    let end = settled.timeline.len();
    let settled = settled.apply_action(Action::SeekInput(end - 1)).apply_action(Action::SeekInput(end));
    assert!(settled.next.is_none());
}

#[test]
fn going_back_past_an_apply_shows_what_was_applied_and_keeps_the_draft() {
    let scaled = DEFAULT_EXAMPLE.replace("replicas: 3", "replicas: 5");
    let mut state = State::default().apply_action(Action::Step);
    state = state.apply_action(Action::Edit(scaled.clone())).apply_action(Action::Apply);
    state = state.apply_action(Action::Step);
    state = state.apply_action(Action::Edit("# my unapplied work\n".to_string()));
    // Back past the second apply: the editor shows the first one's text.
    state = state.apply_action(Action::Back).apply_action(Action::Back);
    assert_eq!(state.editor.trim_end(), DEFAULT_EXAMPLE.trim_end());
    assert_eq!(state.draft.as_deref(), Some("# my unapplied work\n"));
    // Forward again: the scaled text; the draft is still the first one kept.
    let len = state.timeline.len();
    state = state.apply_action(Action::SeekInput(len));
    assert_eq!(state.editor.trim_end(), scaled.trim_end());
    state = state.apply_action(Action::RestoreDraft);
    assert_eq!(&*state.editor, "# my unapplied work\n");
    assert!(state.draft.is_none());
}
