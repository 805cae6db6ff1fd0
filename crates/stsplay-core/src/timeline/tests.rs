use super::*;
use crate::kubectl::MemoryFiles;

fn files() -> Rc<dyn FileSource> {
    let mut f = MemoryFiles::default();
    f.0.insert("web.yaml".to_string(), crate::DEFAULT_EXAMPLE.to_string());
    Rc::new(f)
}

fn timeline() -> Timeline {
    Timeline::new(&Scenario::default(), files())
}

fn cmd(line: &str) -> Input {
    Input::command(line).unwrap_or_else(|e| panic!("{line}: {e}"))
}

/// A straight run of `inputs` on a fresh simulation.
fn fresh(inputs: &[Input]) -> Simulation {
    let mut sim = Scenario::default().simulation();
    let files = files();
    for i in inputs {
        i.run(&mut sim, &*files);
    }
    sim
}

fn same(a: &Simulation, b: &Simulation) -> bool {
    format!("{a:?}") == format!("{b:?}")
}

fn inputs_of(t: &Timeline) -> Vec<Input> {
    t.entries().iter().map(|e| e.input.clone()).collect()
}

/// Apply, then a mix of steps and commands: enough to cross checkpoints.
fn session(t: &mut Timeline, n: usize) {
    t.push(Input::apply_stdin(crate::DEFAULT_EXAMPLE));
    for i in 0..n {
        let input = match i % 37 {
            5 => cmd("kubectl scale sts web --replicas=5"),
            11 => cmd("kubectl get pods"),
            17 => cmd("kubectl delete pod web-1 --wait=false"),
            23 => cmd("kubectl scale sts web --replicas=2"),
            29 => cmd("sleep 3s"),
            31 => cmd("run until settled"),
            _ => Input::step(1 + (i % 3) as u64),
        };
        t.push(input);
    }
}

#[test]
fn records_what_changes_or_succeeds() {
    let mut t = timeline();
    let p = t.push(Input::apply_stdin(crate::DEFAULT_EXAMPLE));
    assert!(p.recorded && p.result.exit_code == 0, "{}", p.result.output);
    let p = t.push(cmd("kubectl get pods"));
    assert!(p.recorded);
    assert!(!t.entries()[1].changed);
    let before = format!("{:?}", t.current());
    let p = t.push(cmd("kubectl scale sts nope --replicas=2"));
    assert!(!p.recorded && p.result.exit_code != 0);
    let p = t.push(cmd("kubectl frobnicate"));
    assert!(!p.recorded);
    assert_eq!(format!("{:?}", t.current()), before, "a refused command changed the simulation");
    assert_eq!(t.len(), 2);
    // A failing command that moved the clock is recorded (a replay must repeat it).
    let p = t.push(cmd("kubectl rollout status sts/web --timeout=1s"));
    assert_eq!(p.result.exit_code, 1, "{}", p.result.output);
    assert!(p.recorded);
}

#[test]
fn seek_is_a_fresh_replay_of_the_prefix() {
    let mut t = timeline();
    session(&mut t, 3 * MIN_CHECKPOINT_EVERY + 11);
    assert!(t.checkpoints.len() >= 3, "{t:?}");
    let inputs = inputs_of(&t);
    let end = format!("{:?}", t.current());
    for i in [0, 1, 2, 49, 50, 51, 77, 100, 149, 150, inputs.len() - 1, inputs.len(), 10, 0] {
        t.seek(i);
        assert_eq!(t.position(), Position { input: i, steps: 0 });
        assert!(same(t.current(), &fresh(&inputs[..i])), "seek({i})");
    }
    t.seek(usize::MAX);
    assert_eq!(format!("{:?}", t.current()), end);
    assert!(t.replay_mismatches().is_empty());
}

#[test]
fn seek_step_lands_on_the_step() {
    let mut t = timeline();
    t.push(Input::apply_stdin(crate::DEFAULT_EXAMPLE));
    t.push(cmd("run until settled"));
    let all = t.current().steps().to_vec();
    assert!(all.len() > 10);
    for k in [0, 3, 7, all.len() / 2, all.len() - 1] {
        t.seek_step(k);
        let sim = t.current();
        assert!(sim.steps().len() > k, "seek_step({k})");
        assert_eq!(sim.steps()[..=k], all[..=k], "seek_step({k})");
        // The fewest presses that record step k: one press fewer does not.
        let p = t.position();
        if p.steps > 0 {
            assert_eq!(p.input, 1);
            t.seek_to(Position { input: 1, steps: p.steps - 1 });
            assert!(t.current().steps().len() <= k);
        }
    }
    // Steps recorded by the apply itself (not by events): the apply's end.
    t.seek_step(0);
    assert!(t.position() <= Position { input: 1, steps: 1 }, "{:?}", t.position());
    t.seek_step(usize::MAX);
    assert!(t.at_end());
}

#[test]
fn acting_in_the_past_forks_and_restores() {
    let mut t = timeline();
    session(&mut t, 80);
    let old = inputs_of(&t);
    t.seek(40);
    // A refused command in the past drops nothing.
    let p = t.push(cmd("kubectl scale sts nope --replicas=1"));
    assert!(!p.recorded && p.discarded.is_none());
    assert_eq!(t.len(), old.len());
    let p = t.push(cmd("kubectl scale sts web --replicas=4"));
    let discarded = p.discarded.unwrap_or_else(|| panic!("no fork"));
    assert_eq!(discarded.at, 40);
    assert_eq!(discarded.entries.len(), old.len() - 40);
    assert_eq!(t.len(), 41);
    let mut new_inputs = old[..40].to_vec();
    new_inputs.push(cmd("kubectl scale sts web --replicas=4"));
    assert_eq!(inputs_of(&t), new_inputs);
    assert!(same(t.current(), &fresh(&new_inputs)));
    // Restoring undoes the fork: the new input goes, the old future is back,
    // and the position is the state the user acted on.
    assert!(t.restore(&discarded));
    assert_eq!(inputs_of(&t), old);
    assert_eq!(t.position(), Position { input: 40, steps: 0 });
    assert!(same(t.current(), &fresh(&old[..40])));
    t.seek(usize::MAX);
    assert!(same(t.current(), &fresh(&old)));
    t.fork_at(10);
    assert!(!t.restore(&discarded), "the timeline no longer reaches the fork point");

    // fork_at, then restore puts the same future back.
    let mut t = timeline();
    session(&mut t, 80);
    let end = format!("{:?}", t.current());
    let d = t.fork_at(30).unwrap_or_else(|| panic!("nothing dropped"));
    assert_eq!(t.len(), 30);
    assert!(same(t.current(), &fresh(&old[..30])));
    assert!(t.restore(&d));
    assert_eq!(inputs_of(&t), old);
    t.seek(usize::MAX);
    assert_eq!(format!("{:?}", t.current()), end);
    assert!(t.fork_at(t.len()).is_none(), "nothing to drop at the end");
}

#[test]
fn acting_inside_a_step_run_records_the_presses() {
    let mut t = timeline();
    t.push(Input::apply_stdin(crate::DEFAULT_EXAMPLE));
    t.push(cmd("run until settled"));
    t.seek_step(6);
    let presses = t.position().steps;
    assert!(presses > 0, "{:?}", t.position());
    let p = t.push(cmd("kubectl delete pod web-0 --wait=false"));
    assert!(p.recorded, "{}", p.result.output);
    assert_eq!(p.discarded.as_ref().map(|d| d.entries.len()), Some(1));
    let inputs = inputs_of(&t);
    assert_eq!(inputs[1], Input::step(presses));
    assert_eq!(inputs.len(), 3);
    assert!(same(t.current(), &fresh(&inputs)));
    // The recorded presses replay to their recorded result.
    t.seek(0);
    t.seek(3);
    assert!(t.replay_mismatches().is_empty(), "{:?}", t.replay_mismatches());
    // Restoring drops the presses' entry and the new input: the original
    // timeline, at the position acted on.
    let discarded = p.discarded.clone().unwrap_or_else(|| panic!("no fork"));
    let mid_state = {
        let mut sim = Scenario::default().simulation();
        let files = files();
        for i in &inputs[..2] {
            i.run(&mut sim, &*files);
        }
        format!("{sim:?}")
    };
    assert!(t.restore(&discarded));
    assert_eq!(inputs_of(&t), [Input::apply_stdin(crate::DEFAULT_EXAMPLE), cmd("run until settled")]);
    assert_eq!(t.position(), Position { input: 1, steps: presses });
    assert_eq!(format!("{:?}", t.current()), mid_state);
    t.seek(2);
    t.seek(0);
    t.seek(2);
    assert!(t.replay_mismatches().is_empty(), "{:?}", t.replay_mismatches());
}

#[test]
fn scenario_replays_to_the_same_state() {
    let mut t = timeline();
    session(&mut t, 120);
    t.seek(60);
    let text = t.scenario().render();
    let parsed = Scenario::parse(&text).unwrap_or_else(|e| panic!("{e}\n{text}"));
    assert_eq!(parsed, t.scenario());
    let (replayed, results) = Timeline::from_scenario(&parsed, files());
    assert_eq!(results.len(), t.len());
    t.seek(usize::MAX);
    assert!(same(replayed.current(), t.current()));
    let recorded: Vec<&CommandResult> = t.entries().iter().map(|e| &e.result).collect();
    assert_eq!(results.iter().collect::<Vec<_>>(), recorded);
}

#[test]
fn checkpoints_stay_bounded() {
    let mut t = timeline();
    session(&mut t, MIN_CHECKPOINT_EVERY * (MAX_CHECKPOINTS + 6));
    assert!(t.checkpoints.len() <= MAX_CHECKPOINTS, "{t:?}");
    assert!(t.retained_simulations() <= MAX_CHECKPOINTS + 1);
    assert_eq!(t.checkpoints.first().map(|(i, _)| *i), Some(0));
    // Still exact after thinning.
    let inputs = inputs_of(&t);
    for i in [inputs.len() / 3, inputs.len() / 2 + 7] {
        t.seek(i);
        assert!(same(t.current(), &fresh(&inputs[..i])), "seek({i})");
    }
}

#[test]
fn back_skips_inputs_that_changed_nothing() {
    let mut t = timeline();
    t.push(Input::apply_stdin(crate::DEFAULT_EXAMPLE));
    t.push(Input::step(1));
    t.push(cmd("kubectl get pods"));
    t.push(cmd("kubectl get pvc"));
    assert_eq!(t.previous_change(), Some(Position { input: 1, steps: 0 }));
    t.seek(1);
    assert_eq!(t.previous_change(), Some(Position { input: 0, steps: 0 }));
    t.seek(0);
    assert_eq!(t.previous_change(), None);
}

#[test]
fn the_checkpoint_spacing_grows_with_the_log() {
    assert_eq!(checkpoint_every(0), MIN_CHECKPOINT_EVERY);
    assert_eq!(checkpoint_every(2_000), MIN_CHECKPOINT_EVERY);
    assert_eq!(checkpoint_every(10_000), 250);
    assert_eq!(checkpoint_every(1_000_000), MAX_CHECKPOINT_EVERY);
}
