//! `stsplay`: run kubectl-style scripts against the simulated cluster.
//!
//! ```text
//! stsplay run SCRIPT [--seed N] [--json]
//! ```
//! SCRIPT is a file, or `-` for standard input. Paths in `kubectl apply -f`
//! are relative to the script's folder. Exit status: 0 when the script ran to
//! its end (each command's own status is in its output / the JSON), 2 for a
//! usage error, an unreadable script or one that does not parse (each
//! problem is printed with its line).

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use stsplay_cli::{read_bounded, read_file_bounded, read_manifest_bounded};
use stsplay_core::kubectl::{self, FileSource};
use stsplay_core::manifest::MAX_MANIFEST_BYTES;
use stsplay_core::scenario::{Scenario, MAX_SCENARIO_BYTES};

const USAGE: &str = "usage: stsplay run SCRIPT [--seed N] [--json]
       stsplay example            print the default manifests

Runs SCRIPT (a file, or - for standard input) against a simulated Kubernetes
cluster: one command per line, split with POSIX shell quoting; # starts a
comment. Paths are relative to the script's folder.";

/// The usage text and the command table (`kubectl::command::COMMANDS`).
fn usage() -> String {
    format!("{USAGE}\n\n{}", kubectl::command::help_text())
}

struct DirFiles {
    base: PathBuf,
}

impl FileSource for DirFiles {
    fn read(&self, path: &str) -> Result<String, String> {
        let p = Path::new(path);
        let full = if p.is_absolute() { p.to_path_buf() } else { self.base.join(p) };
        // Bounded: a larger file would be refused by the manifest parser anyway.
        read_manifest_bounded(&full, path, MAX_MANIFEST_BYTES)
    }
}

struct Options {
    script: String,
    seed: Option<u64>,
    json: bool,
}

fn parse_args(args: &[String]) -> Result<Options, String> {
    let mut it = args.iter();
    match it.next().map(String::as_str) {
        Some("run") => {}
        Some(other) => return Err(format!("stsplay: unknown command \"{other}\"")),
        None => return Err("stsplay: missing command".to_string()),
    }
    let mut script = None;
    let mut seed = None;
    let mut json = false;
    while let Some(a) = it.next() {
        match a.as_str() {
            "--json" => json = true,
            "--seed" => {
                let v = it.next().ok_or("stsplay: --seed needs a number")?;
                seed = Some(v.parse().map_err(|_| format!("stsplay: invalid --seed \"{v}\""))?);
            }
            s if s.starts_with("--seed=") => {
                let v = &s["--seed=".len()..];
                seed = Some(v.parse().map_err(|_| format!("stsplay: invalid --seed \"{v}\""))?);
            }
            s if s.starts_with("--") => return Err(format!("stsplay: unknown flag {s}")),
            s => {
                if script.replace(s.to_string()).is_some() {
                    return Err("stsplay: only one SCRIPT may be given".to_string());
                }
            }
        }
    }
    let script = script.ok_or("stsplay: missing SCRIPT")?;
    Ok(Options { script, seed, json })
}

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    if matches!(args.first().map(String::as_str), Some("-h" | "--help" | "help")) {
        print!("{}", usage());
        return ExitCode::SUCCESS;
    }
    if args.first().map(String::as_str) == Some("example") {
        print!("{}", stsplay_core::DEFAULT_EXAMPLE);
        return ExitCode::SUCCESS;
    }
    let opts = match parse_args(&args) {
        Ok(o) => o,
        Err(e) => {
            eprint!("{e}\n{}", usage());
            return ExitCode::from(2);
        }
    };
    let (text, base) = if opts.script == "-" {
        match read_bounded(std::io::stdin().lock(), MAX_SCENARIO_BYTES, "standard input") {
            Ok(s) => (s, PathBuf::from(".")),
            Err(e) => {
                eprintln!("stsplay: {e}");
                return ExitCode::from(2);
            }
        }
    } else {
        match read_file_bounded(Path::new(&opts.script), &opts.script, MAX_SCENARIO_BYTES) {
            Ok(s) => {
                let base = Path::new(&opts.script).parent().map(Path::to_path_buf).unwrap_or_default();
                (s, base)
            }
            Err(e) => {
                eprintln!("stsplay: cannot read {}: {e}", opts.script);
                return ExitCode::from(2);
            }
        }
    };
    // One parser for every scenario: a script that does not parse runs nothing.
    let mut scenario = match Scenario::parse(&text) {
        Ok(s) => s,
        Err(diagnostics) => {
            for e in &diagnostics.0 {
                eprintln!("stsplay: {}: {e}", opts.script);
            }
            return ExitCode::from(2);
        }
    };
    // The script's `# seed:` header, unless --seed overrides it.
    if let Some(seed) = opts.seed {
        scenario.seed = seed;
    }
    let mut sim = scenario.simulation();
    let files = DirFiles { base };
    let steps = scenario.run(&mut sim, &files);
    if opts.json {
        let value = serde_json::json!({ "steps": steps, "final": sim.snapshot() });
        match serde_json::to_string_pretty(&value) {
            Ok(s) => println!("{s}"),
            Err(e) => {
                eprintln!("stsplay: {e}");
                return ExitCode::from(2);
            }
        }
    } else {
        print!("{}", kubectl::transcript(&steps));
    }
    ExitCode::SUCCESS
}
