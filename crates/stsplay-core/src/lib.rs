//! stsplay-core: a deterministic, steppable simulation of Kubernetes
//! StatefulSets, headless-Service DNS and PersistentVolume/Claim binding.
//!
//! Data flows one way (see ARCHITECTURE.md):
//! YAML text → [`manifest`] (parse, never fails) → [`spec`] (validated,
//! defaulted objects) → [`Simulation`] (virtual clock, event queue, seeded RNG;
//! controllers are pure functions returning actions) → [`Snapshot`] (plain
//! view types) → the CLI and the web app render it.
//!
//! The crate does no IO: files named by `kubectl apply -f` are read through a
//! [`kubectl::FileSource`] that the caller provides.

// A panic in wasm freezes a student's page: non-test code may not unwrap,
// panic or index unchecked.
#![cfg_attr(
    not(test),
    deny(
        clippy::unwrap_used,
        clippy::expect_used,
        clippy::panic,
        clippy::indexing_slicing,
        clippy::unreachable,
        clippy::todo,
        clippy::unimplemented
    )
)]

pub mod apiserver;
pub mod dns;
pub mod events;
pub mod kubectl;
pub mod manifest;
pub mod quantity;
pub mod reason;
pub mod rng;
pub mod scenario;
pub mod sim;
pub mod sort;
pub mod spec;
pub mod timefmt;
pub mod timeline;
pub mod view;

pub use manifest::Diagnostic;
pub use reason::Reason;
pub use sim::{ApplyError, Simulation, Step};
pub use view::*;

/// The playground's default manifests: the kubernetes.io `web` StatefulSet and
/// its `nginx` headless Service. Its comments hold no field-like text (such as
/// `replicas: 3`), so that a search-and-replace finds the field first.
pub const DEFAULT_EXAMPLE: &str = include_str!("../examples/web.yaml");

/// The seed used when none is given.
pub const DEFAULT_SEED: u64 = 1;

#[cfg(test)]
mod default_example_tests {
    #[test]
    fn comments_hold_no_field_like_text() {
        for line in super::DEFAULT_EXAMPLE.lines().filter(|l| l.trim_start().starts_with('#')) {
            assert!(!line.contains(": "), "a comment line looks like a field: {line}");
        }
    }
}
