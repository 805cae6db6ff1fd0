//! Arbitrary text as a scenario (`Scenario::parse`, then every command, through
//! `kubectl::run_script`, with the simulation its headers ask for) must never panic, with
//! the default example available as `web.yaml`, and the cluster it leaves
//! must satisfy the state invariants.
#![no_main]

use libfuzzer_sys::fuzz_target;
use stsplay_core::kubectl::{self, MemoryFiles};

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    let mut files = MemoryFiles::default();
    files
        .0
        .insert("web.yaml".to_string(), stsplay_core::DEFAULT_EXAMPLE.to_string());
    let mut sim = kubectl::simulation_for_script(&text);
    let results = kubectl::run_script(&mut sim, &text, &files);
    let _ = kubectl::transcript(&results);
    // State invariants only (from the last step): the ordered-ready check
    // looks at the steps of one event and is exercised by tests/property.rs.
    if let Err(e) = stsplay_core::sim::invariants::check_invariants(&sim, sim.steps().len()) {
        panic!("invariant violated: {e}");
    }
});
