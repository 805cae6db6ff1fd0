//! Shared by the CLI's data-driven test suites (`scenarios.rs`, `bad_input.rs`).

use std::path::{Path, PathBuf};

use stsplay_core::kubectl::FileSource;

/// Files relative to a folder, as `stsplay run` reads them beside a script.
pub struct Dir(pub PathBuf);

impl FileSource for Dir {
    fn read(&self, path: &str) -> Result<String, String> {
        // The same bounded reader as `stsplay run`.
        stsplay_cli::read_manifest_bounded(&self.0.join(path), path, stsplay_core::manifest::MAX_MANIFEST_BYTES)
    }
}

/// The `*.script` files directly in `dir`, sorted by name.
pub fn scripts_in(dir: &Path) -> Vec<PathBuf> {
    let mut scripts: Vec<PathBuf> = std::fs::read_dir(dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .filter_map(Result::ok)
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|x| x == "script"))
        .collect();
    scripts.sort();
    scripts
}
