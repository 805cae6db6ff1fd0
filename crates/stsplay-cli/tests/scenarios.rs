//! The scenario conformance suite: every `tests/scenarios/*.script` is run
//! with the seed it names and its transcript compared with `*.expected`.
//! `UPDATE_EXPECT=1 cargo test -p stsplay-cli --test scenarios` rewrites the
//! expected files (review the diff before committing).
//!
//! Each scenario runs with `Profile::verify_fast_sync` on (the incremental
//! StatefulSet sync is compared with the full one on every sync it takes; the
//! trace is the same) and must show zero differences; the state invariants
//! (`check_invariants`, with the index recount) must hold after every command.

use std::path::{Path, PathBuf};

use stsplay_core::kubectl;
use stsplay_core::sim::invariants::check_invariants;
use stsplay_core::Simulation;

mod common;
use common::{scripts_in, Dir};

fn scenario_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../tests/scenarios")
}

/// What running a scenario showed besides its transcript.
pub struct Checked {
    pub transcript: String,
    /// (syncs checked, syncs where the fast and full paths differed).
    pub fast_sync_checks: (u64, u64),
    /// Invariant violations, with the command after which each was seen.
    pub violations: Vec<String>,
    /// Whether the invariants were checked after every command (not only at the end).
    pub per_command: bool,
}

fn simulation(text: &str) -> Simulation {
    let mut profile = kubectl::simulation_for_script(text).profile().clone();
    profile.verify_fast_sync = true;
    Simulation::with_profile(kubectl::script_seed(text), profile)
}

/// Runs a script (files relative to `dir`) with `kubectl::run_script`, then
/// again one line at a time with `kubectl::run_line`, checking the state
/// invariants after each command. (`ordered-ready` reads the steps of one
/// event and a command may process many, so only the state ones: steps from
/// the command's end.) The line-by-line run counts only while its transcript
/// is `run_script`'s; a script whose commands span lines is checked at its end.
pub fn run_checked(script: &Path, dir: &Path) -> Checked {
    let text = std::fs::read_to_string(script).unwrap_or_else(|e| panic!("{}: {e}", script.display()));
    let files = Dir(dir.to_path_buf());
    let mut sim = simulation(&text);
    let transcript = kubectl::transcript(&kubectl::run_script(&mut sim, &text, &files));
    let mut violations = Vec::new();
    if let Err(e) = check_invariants(&sim, sim.steps().len()) {
        violations.push(format!("at the end: {e}"));
    }
    let mut by_line = simulation(&text);
    let mut results = Vec::new();
    let mut line_violations = Vec::new();
    for line in text.lines().map(str::trim).filter(|l| !l.is_empty() && !l.starts_with('#')) {
        results.push(kubectl::run_line(&mut by_line, line, &files));
        if let Err(e) = check_invariants(&by_line, by_line.steps().len()) {
            line_violations.push(format!("after `{line}`: {e}"));
        }
    }
    let per_command = kubectl::transcript(&results) == transcript;
    if per_command {
        violations.extend(line_violations);
    }
    Checked { transcript, fast_sync_checks: sim.fast_sync_checks(), violations, per_command }
}

pub fn run_scenario(script: &Path) -> String {
    let dir = script.parent().map_or_else(scenario_dir, Path::to_path_buf);
    let checked = run_checked(script, &dir);
    let (total, differed) = checked.fast_sync_checks;
    assert_eq!(
        differed,
        0,
        "{}: the fast StatefulSet sync differed from the full one in {differed} of {total} syncs",
        script.display()
    );
    assert!(checked.violations.is_empty(), "{}: {}", script.display(), checked.violations.join("\n"));
    checked.transcript
}

#[test]
fn scenarios_match_expected_transcripts() {
    let scripts = scripts_in(&scenario_dir());
    assert!(!scripts.is_empty(), "no scenarios found");
    let update = std::env::var_os("UPDATE_EXPECT").is_some();
    let mut failures = Vec::new();
    let mut fast_syncs_checked = 0;
    let mut checked_per_command = 0;
    for script in &scripts {
        let text = std::fs::read_to_string(script).unwrap_or_default();
        assert!(
            text.lines().take_while(|l| l.starts_with('#')).count() >= 2,
            "{}: a scenario starts with comments naming the upstream rule it checks",
            script.display()
        );
        let dir = scenario_dir();
        let checked = run_checked(script, &dir);
        fast_syncs_checked += checked.fast_sync_checks.0;
        checked_per_command += usize::from(checked.per_command);
        if checked.fast_sync_checks.1 != 0 {
            failures.push(format!("{}: fast sync differed {:?}", script.display(), checked.fast_sync_checks));
        }
        failures.extend(checked.violations.iter().map(|v| format!("{}: invariant violated {v}", script.display())));
        let got = checked.transcript;
        let expected_path = script.with_extension("expected");
        if update {
            std::fs::write(&expected_path, &got).unwrap_or_else(|e| panic!("{e}"));
            continue;
        }
        let want = std::fs::read_to_string(&expected_path).unwrap_or_default();
        if got != want {
            failures.push(format!("--- {} (got) ---\n{got}", expected_path.display()));
        }
    }
    // The suite exercises the incremental sync (so the comparison can fail).
    assert!(fast_syncs_checked > 0, "no scenario took the incremental StatefulSet sync");
    assert!(checked_per_command > 0, "no scenario had its invariants checked after every command");
    assert!(failures.is_empty(), "scenario transcripts differ (UPDATE_EXPECT=1 to accept):\n{}", failures.join("\n"));
}

#[test]
fn scenarios_are_deterministic() {
    let script = scenario_dir().join("statefulset-basics.script");
    assert_eq!(run_scenario(&script), run_scenario(&script));
}

/// `tests/scenarios/blocked/`: upstream behaviour the core does not reproduce
/// yet. Each script's `.expected` records today's (differing) output and the
/// README says how it differs, so a change — a fix, most likely — fails here
/// and tells the developer to move the script out of `blocked/`.
#[test]
fn blocked_scenarios_still_differ_as_documented() {
    let dir = scenario_dir().join("blocked");
    let readme = std::fs::read_to_string(dir.join("README.md")).unwrap_or_else(|e| panic!("{e}"));
    let scripts = scripts_in(&dir);
    assert!(!scripts.is_empty(), "no blocked scenarios found in {}", dir.display());
    let update = std::env::var_os("UPDATE_EXPECT").is_some();
    let mut failures = Vec::new();
    for script in &scripts {
        let name = script.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
        if !readme.contains(&format!("`{name}`")) {
            failures.push(format!("{name}: blocked/README.md does not say how it differs from upstream"));
        }
        let checked = run_checked(script, &dir);
        if checked.fast_sync_checks.1 != 0 || !checked.violations.is_empty() {
            failures.push(format!("{name}: {:?} {:?}", checked.fast_sync_checks, checked.violations));
        }
        let expected_path = script.with_extension("expected");
        if update {
            std::fs::write(&expected_path, &checked.transcript).unwrap_or_else(|e| panic!("{e}"));
            continue;
        }
        let want = std::fs::read_to_string(&expected_path).unwrap_or_default();
        if checked.transcript != want {
            failures.push(format!(
                "--- {name}: its output changed. If stsplay now does what upstream does (see the \
                 script's comments), move it and its manifests out of blocked/ (blocked/README.md); \
                 otherwise accept the new output with UPDATE_EXPECT=1. Got:\n{}",
                checked.transcript
            ));
        }
    }
    assert!(failures.is_empty(), "blocked scenarios:\n{}", failures.join("\n"));
}
