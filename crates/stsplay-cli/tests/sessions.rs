//! Scenarios and the core `Timeline`, end to end:
//!
//! - the browser session recorded by the web reducer (`tests/sessions/browser-session.script`,
//!   written by `web/src/state/tests.rs`) run by the `stsplay` binary reaches
//!   the final snapshot the browser reached (`browser-session.final.json`);
//! - every scenario of the suite, replayed through a `Timeline` and sought back
//!   and forth, gives the same states as a straight run, and no replayed input
//!   gives another result than the first time.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::rc::Rc;

use stsplay_core::kubectl::MemoryFiles;
use stsplay_core::scenario::Scenario;
use stsplay_core::timeline::Timeline;
use stsplay_core::Simulation;

mod common;
use common::{scripts_in, Dir};

fn repo() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

#[test]
fn a_recorded_browser_session_replays_to_the_same_snapshot() {
    let dir = repo().join("tests/sessions");
    let out = Command::new(env!("CARGO_BIN_EXE_stsplay"))
        .args(["run", "browser-session.script", "--json"])
        .current_dir(&dir)
        .output()
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(out.status.code(), Some(0), "{}", String::from_utf8_lossy(&out.stderr));
    let run: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap_or_else(|e| panic!("{e}"));
    let browser: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string(dir.join("browser-session.final.json")).unwrap_or_else(|e| panic!("{e}")),
    )
    .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(run["final"], browser, "stsplay run and the browser reached different states");
    // The session holds what the browser did: applies as heredocs and Step presses.
    let steps = run["steps"].as_array().map(Vec::len).unwrap_or_default();
    assert!(steps > 10, "{steps} commands");
}

/// What a state is, for comparing two runs exactly.
fn state(sim: &Simulation) -> String {
    format!("{sim:?}")
}

#[test]
fn every_scenario_replays_through_the_timeline() {
    let dir = repo().join("tests/scenarios");
    let scripts = scripts_in(&dir);
    assert!(scripts.len() > 100);
    let mut failures = Vec::new();
    for script in &scripts {
        let text = std::fs::read_to_string(script).unwrap_or_default();
        let scenario = Scenario::parse(&text).unwrap_or_else(|e| panic!("{}: {e}", script.display()));
        let files: Rc<Dir> = Rc::new(Dir(dir.clone()));
        // A straight run, keeping the state after every input.
        let mut sim = scenario.simulation();
        let mut states = vec![state(&sim)];
        for input in scenario.inputs() {
            input.run(&mut sim, &*files);
            states.push(state(&sim));
        }
        let (mut t, _) = Timeline::from_scenario(&scenario, files);
        let n = t.len();
        // Back to the start, then every position in an order that uses
        // checkpoints, the current state and long replays alike.
        let mut order: Vec<usize> = vec![0, n, n / 2, 1, n.saturating_sub(1)];
        order.extend((0..=n).rev().step_by(3));
        for i in order {
            let i = i.min(n);
            t.seek(i);
            if state(t.current()) != states[i] {
                failures.push(format!("{}: seek({i}) differs from a straight run", script.display()));
                break;
            }
        }
        if !t.replay_mismatches().is_empty() {
            failures.push(format!("{}: {}", script.display(), t.replay_mismatches()[0]));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn a_scenario_without_files_still_replays() {
    let scenario = Scenario::parse(&format!(
        "# seed: 5\nkubectl apply -f - <<'EOF'\n{}EOF\nrun until settled\nkubectl scale sts web --replicas=1\nrun until settled\n",
        stsplay_core::DEFAULT_EXAMPLE
    ))
    .unwrap_or_else(|e| panic!("{e}"));
    let (mut t, results) = Timeline::from_scenario(&scenario, Rc::new(MemoryFiles::default()));
    assert!(results.iter().all(|r| r.exit_code == 0), "{results:?}");
    let end = state(t.current());
    t.seek(0);
    t.seek(usize::MAX);
    assert_eq!(state(t.current()), end);
}
