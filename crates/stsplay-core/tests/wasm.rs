//! The scenario suite on wasm32 (run with `cargo test -p stsplay-core
//! --target wasm32-unknown-unknown`, in Node via wasm-bindgen-test-runner):
//! each scenario's transcript must equal the `.expected` file the native run
//! produced, so native and wasm traces are identical.
//!
//! The scenarios and manifests come from a table that `build.rs` generates
//! from `tests/scenarios/` (wasm32 tests cannot read files), so there is no
//! hand-kept list. Natively, the same table is checked against the folder
//! and run once, so a scenario missing from it, or a table that does not
//! work, fails here too.

use stsplay_core::kubectl::{self, MemoryFiles};
#[cfg(target_arch = "wasm32")]
use stsplay_core::Simulation;
#[cfg(target_arch = "wasm32")]
use wasm_bindgen_test::wasm_bindgen_test;

include!(concat!(env!("OUT_DIR"), "/scenario_table.rs"));

fn manifests() -> MemoryFiles {
    MemoryFiles(MANIFESTS.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect())
}

/// The scenarios whose transcript on this target differs from `.expected`.
fn differing_scenarios() -> Vec<String> {
    let files = manifests();
    let mut differ = Vec::new();
    for (name, script, expected) in SCENARIOS {
        let mut sim = kubectl::simulation_for_script(script);
        let got = kubectl::transcript(&kubectl::run_script(&mut sim, script, &files));
        if got != *expected {
            differ.push(name.to_string());
        }
    }
    differ
}

#[cfg(target_arch = "wasm32")]
#[wasm_bindgen_test]
fn scenarios_match_native_transcripts() {
    let differ = differing_scenarios();
    assert!(differ.is_empty(), "scenarios differ on wasm32: {differ:?}");
}

#[cfg(not(target_arch = "wasm32"))]
mod native {
    use std::collections::BTreeSet;
    use std::path::Path;

    use super::*;

    fn names(dir: &Path, ext: &str) -> BTreeSet<String> {
        std::fs::read_dir(dir)
            .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
            .filter_map(Result::ok)
            .map(|e| e.path())
            .filter(|p| p.is_file() && p.extension().is_some_and(|x| x == ext))
            .filter_map(|p| p.file_stem().map(|s| s.to_string_lossy().into_owned()))
            .collect()
    }

    #[test]
    fn the_table_lists_every_scenario_and_manifest() {
        let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../tests/scenarios");
        let scripts = names(&dir, "script");
        assert!(scripts.len() > 100, "found only {} scenarios in {}", scripts.len(), dir.display());
        let listed: BTreeSet<String> = SCENARIOS.iter().map(|(n, _, _)| n.to_string()).collect();
        assert_eq!(listed, scripts);
        let yaml: BTreeSet<String> =
            names(&dir.join("manifests"), "yaml").into_iter().map(|n| format!("manifests/{n}.yaml")).collect();
        let listed: BTreeSet<String> = MANIFESTS.iter().map(|(n, _)| n.to_string()).collect();
        assert_eq!(listed, yaml);
        for (name, script, _) in SCENARIOS {
            let on_disk = std::fs::read_to_string(dir.join(format!("{name}.script"))).unwrap_or_default();
            assert_eq!(*script, on_disk, "{name}: the table holds another text");
        }
    }

    /// The table runs natively as the wasm32 test runs it (the scenario
    /// harness in stsplay-cli shows the differing transcripts).
    #[test]
    fn the_table_runs_natively() {
        let differ = differing_scenarios();
        assert!(differ.is_empty(), "scenarios differ from their .expected: {differ:?}");
    }
}

#[cfg(target_arch = "wasm32")]
#[wasm_bindgen_test]
fn default_example_runs_to_ready_on_wasm() {
    let mut sim = Simulation::new(stsplay_core::DEFAULT_SEED);
    sim.apply(stsplay_core::DEFAULT_EXAMPLE, "web.yaml").unwrap_or_else(|e| panic!("{e}"));
    let mut steps = 0;
    while sim.step() && steps < 1000 {
        steps += 1;
    }
    let snap = sim.snapshot();
    assert_eq!(snap.pods.len(), 3);
    assert!(snap.pods.iter().all(|p| p.ready));
    assert!(snap.dns.iter().any(|r| r.name == "web-0.nginx.default.svc.cluster.local"));
}
