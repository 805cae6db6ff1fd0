//! The scenario suite on wasm32 (run with `cargo test -p stsplay-core
//! --target wasm32-unknown-unknown`, in Node via wasm-bindgen-test-runner):
//! each scenario's transcript must equal the `.expected` file the native run
//! produced, so native and wasm traces are identical. A native test in
//! `crates/stsplay-cli/tests/scenarios.rs` checks that every scenario is listed here.
#![cfg(target_arch = "wasm32")]

use stsplay_core::kubectl::{self, MemoryFiles};
use stsplay_core::Simulation;
use wasm_bindgen_test::wasm_bindgen_test;

const MANIFESTS: &[(&str, &str)] = &[
    (
        "manifests/web.yaml",
        include_str!("../../../tests/scenarios/manifests/web.yaml"),
    ),
    (
        "manifests/web-parallel.yaml",
        include_str!("../../../tests/scenarios/manifests/web-parallel.yaml"),
    ),
    (
        "manifests/typo-replica.yaml",
        include_str!("../../../tests/scenarios/manifests/typo-replica.yaml"),
    ),
    (
        "manifests/wrong-type.yaml",
        include_str!("../../../tests/scenarios/manifests/wrong-type.yaml"),
    ),
    (
        "manifests/negative-replicas.yaml",
        include_str!("../../../tests/scenarios/manifests/negative-replicas.yaml"),
    ),
    (
        "manifests/selector-mismatch.yaml",
        include_str!("../../../tests/scenarios/manifests/selector-mismatch.yaml"),
    ),
    (
        "manifests/unknown-kind.yaml",
        include_str!("../../../tests/scenarios/manifests/unknown-kind.yaml"),
    ),
    (
        "manifests/broken.yaml",
        include_str!("../../../tests/scenarios/manifests/broken.yaml"),
    ),
];

macro_rules! scenario {
    ($name:literal) => {
        (
            $name,
            include_str!(concat!("../../../tests/scenarios/", $name, ".script")),
            include_str!(concat!("../../../tests/scenarios/", $name, ".expected")),
        )
    };
}

const SCENARIOS: &[(&str, &str, &str)] = &[
    scenario!("statefulset-basics"),
    scenario!("bad-input"),
    scenario!("parallel-scale"),
];

#[wasm_bindgen_test]
fn scenarios_match_native_transcripts() {
    let files = MemoryFiles(
        MANIFESTS
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect(),
    );
    for (name, script, expected) in SCENARIOS {
        let mut sim = Simulation::new(kubectl::script_seed(script));
        let got = kubectl::transcript(&kubectl::run_script(&mut sim, script, &files));
        assert_eq!(&got, expected, "scenario {name} differs on wasm32");
    }
}

#[wasm_bindgen_test]
fn default_example_runs_to_ready_on_wasm() {
    let mut sim = Simulation::new(stsplay_core::DEFAULT_SEED);
    sim.apply(stsplay_core::DEFAULT_EXAMPLE, "web.yaml")
        .unwrap_or_else(|e| panic!("{e}"));
    let mut steps = 0;
    while sim.step() && steps < 1000 {
        steps += 1;
    }
    let snap = sim.snapshot();
    assert_eq!(snap.pods.len(), 3);
    assert!(snap.pods.iter().all(|p| p.ready));
    assert!(snap
        .dns
        .iter()
        .any(|r| r.name == "web-0.nginx.default.svc.cluster.local"));
}
