//! The scenario conformance suite: every `tests/scenarios/*.script` is run
//! with the seed it names and its transcript compared with `*.expected`.
//! `UPDATE_EXPECT=1 cargo test -p stsplay-cli --test scenarios` rewrites the
//! expected files (review the diff before committing).

use std::path::{Path, PathBuf};

use stsplay_core::kubectl;

mod common;
use common::{scripts_in, Dir};

fn scenario_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../tests/scenarios")
}

pub fn run_scenario(script: &Path) -> String {
    let text = std::fs::read_to_string(script).unwrap_or_else(|e| panic!("{}: {e}", script.display()));
    let mut sim = kubectl::simulation_for_script(&text);
    let results = kubectl::run_script(&mut sim, &text, &Dir(scenario_dir()));
    kubectl::transcript(&results)
}

#[test]
fn scenarios_match_expected_transcripts() {
    let scripts = scripts_in(&scenario_dir());
    assert!(!scripts.is_empty(), "no scenarios found");
    let update = std::env::var_os("UPDATE_EXPECT").is_some();
    let mut failures = Vec::new();
    for script in &scripts {
        let text = std::fs::read_to_string(script).unwrap_or_default();
        assert!(
            text.lines().take_while(|l| l.starts_with('#')).count() >= 2,
            "{}: a scenario starts with comments naming the upstream rule it checks",
            script.display()
        );
        let got = run_scenario(script);
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
    assert!(failures.is_empty(), "scenario transcripts differ (UPDATE_EXPECT=1 to accept):\n{}", failures.join("\n"));
}

#[test]
fn scenarios_are_deterministic() {
    let script = scenario_dir().join("statefulset-basics.script");
    assert_eq!(run_scenario(&script), run_scenario(&script));
}

#[test]
fn every_scenario_also_runs_on_wasm32() {
    let wasm = std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("../stsplay-core/tests/wasm.rs"))
        .unwrap_or_else(|e| panic!("{e}"));
    for entry in std::fs::read_dir(scenario_dir()).unwrap_or_else(|e| panic!("{e}")).filter_map(Result::ok) {
        let path = entry.path();
        let Some(stem) = path.file_stem().and_then(|s| s.to_str()) else {
            continue;
        };
        if path.extension().is_some_and(|x| x == "script") {
            assert!(
                wasm.contains(&format!("scenario!(\"{stem}\")")),
                "add scenario!(\"{stem}\") to crates/stsplay-core/tests/wasm.rs"
            );
        }
        if path.extension().is_some_and(|x| x == "yaml") {
            assert!(
                wasm.contains(&format!("\"manifests/{stem}.yaml\"")),
                "add manifests/{stem}.yaml to MANIFESTS in crates/stsplay-core/tests/wasm.rs"
            );
        }
    }
}
