//! Arbitrary bytes as a manifest: `Simulation::apply` must never panic, an
//! apply that is refused must leave the cluster unchanged, and a few steps
//! afterwards must not panic either.
#![no_main]

use libfuzzer_sys::fuzz_target;
use stsplay_core::Simulation;

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    let mut sim = Simulation::new(1);
    let before = sim.cluster().clone();
    if sim.apply(&text, "f.yaml").is_err() {
        assert!(sim.cluster() == &before, "a refused apply changed the cluster");
        assert!(sim.steps().is_empty(), "a refused apply recorded steps");
    }
    for _ in 0..20 {
        let seen = sim.steps().len();
        if !sim.step() {
            break;
        }
        if let Err(e) = stsplay_core::sim::invariants::check_invariants(&sim, seen) {
            panic!("invariant violated: {e}");
        }
    }
    let _ = sim.snapshot();
});
