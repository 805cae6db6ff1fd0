//! The bad-input corpus: every `tests/bad-input/*.script` applies refused
//! manifests (`tests/bad-input/manifests/*.yaml`, one bad input per file) or
//! runs refused commands, and ends with `kubectl get statefulsets` and
//! `kubectl get pods` to show that nothing changed.
//!
//! For every script the harness checks, command by command, that
//!
//! - an `apply -f manifests/valid-*.yaml` line (setup) succeeds;
//! - a `kubectl get` changes nothing;
//! - every other line fails (exit code != 0) and changes nothing at all:
//!   cluster, steps, clock, event queue and RNG (compared through `Debug`).
//!
//! Scripts whose output matches upstream wording have an `*.expected`
//! transcript (`UPDATE_EXPECT=1 cargo test -p stsplay-cli --test bad_input`
//! rewrites them; review the diff). Scripts marked `# check: refused` hold
//! inputs that stsplay refuses with wording that differs from Kubernetes (each
//! script's header says how): only the properties above are checked, and they
//! must not have an `*.expected` file.
//!
//! `generated/…` paths are synthesized here (a 2 MiB document, 501 documents,
//! deep nesting) so the corpus stays small on disk.

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use stsplay_core::kubectl::{self, FileSource};
use stsplay_core::scenario::Scenario;
use stsplay_core::Simulation;

mod common;
use common::{scripts_in, Dir};

fn corpus_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../tests/bad-input")
}

/// A 2 MiB StatefulSet: one annotation value makes up the size.
fn two_mib_document() -> String {
    format!(
        "apiVersion: apps/v1\nkind: StatefulSet\nmetadata:\n  name: big\n  annotations:\n    padding: \"{}\"\nspec:\n  serviceName: big\n  selector:\n    matchLabels: {{app: big}}\n  template:\n    metadata:\n      labels: {{app: big}}\n    spec:\n      containers:\n      - name: big\n        image: nginx\n",
        "x".repeat(2 << 20)
    )
}

/// One more document than `stsplay_core::manifest::MAX_DOCUMENTS` allows.
fn many_documents() -> String {
    let n = stsplay_core::manifest::MAX_DOCUMENTS + 1;
    (0..n)
        .map(|i| format!("apiVersion: v1\nkind: Service\nmetadata:\n  name: svc-{i}\nspec:\n  clusterIP: None\n"))
        .collect::<Vec<_>>()
        .join("---\n")
}

/// Flow sequences nested deeper than the YAML parser's recursion limit (128).
/// Kept small: parsing time grows with the square of the depth (see
/// `deep_flow_nesting_is_refused_quickly`).
fn deep_nesting(depth: usize) -> String {
    format!(
        "apiVersion: v1\nkind: Service\nmetadata:\n  name: deep\n  labels: {}{}\n",
        "[".repeat(depth),
        "]".repeat(depth)
    )
}

/// 120 KB of block sequences nested on one line (`- - - …`): the Locator once
/// built a longer path per level (GBs); see tests/memory_bounds.rs.
fn block_nesting_one_line() -> String {
    format!("apiVersion: v1\nkind: Service\nmetadata:\n  name: deep\n  labels:\n    a: {}x\n", "- ".repeat(60_000))
}

/// A 50 KB billion laughs whose aliases follow `[x 'y,` (a quote the old text
/// pre-scan believed open).
fn laughs_after_quote() -> String {
    let mut text = format!("a: &a [{}]\n", ["\"lol\""; 9].join(", "));
    let names: Vec<String> = (0..400).map(|i| format!("n{i}")).collect();
    let mut prev = "a".to_string();
    for name in &names {
        text.push_str(&format!("{name}: &{name} [x 'y, {}]\n", vec![format!("*{prev}"); 9].join(", ")));
        prev = name.clone();
    }
    text
}

/// A 100 KB label key with 60,000 children: each child's path repeats it.
fn long_key_paths() -> String {
    let children: String = (0..60_000).map(|i| format!("      a{i}: x\n")).collect();
    format!(
        "apiVersion: v1\nkind: Service\nmetadata:\n  name: wide\n  labels:\n    {}:\n{children}",
        "k".repeat(100_000)
    )
}

/// The corpus folder, plus generated inputs too big to keep as files.
struct Corpus(PathBuf);

impl FileSource for Corpus {
    fn read(&self, path: &str) -> Result<String, String> {
        match path {
            "generated/2mib.yaml" => Ok(two_mib_document()),
            "generated/501-documents.yaml" => Ok(many_documents()),
            "generated/deep-nesting.yaml" => Ok(deep_nesting(2_000)),
            "generated/block-nesting-120kb.yaml" => Ok(block_nesting_one_line()),
            "generated/laughs-after-quote-50kb.yaml" => Ok(laughs_after_quote()),
            "generated/long-key-paths.yaml" => Ok(long_key_paths()),
            _ => Dir(self.0.clone()).read(path),
        }
    }
}

fn scripts() -> Vec<PathBuf> {
    scripts_in(&corpus_dir())
}

fn refused_only(text: &str) -> bool {
    text.lines().take_while(|l| l.starts_with('#')).any(|l| l.starts_with("# check: refused"))
}

/// The script as the one scenario parser reads it.
fn scenario_of(script: &Path, text: &str) -> Scenario {
    Scenario::parse(text).unwrap_or_else(|e| panic!("{}: {e}", script.display()))
}

struct Outcome {
    transcript: String,
    problems: Vec<String>,
    failing: usize,
    slowest: (Duration, String),
}

/// Runs a script command by command (exactly what `Scenario::run` does), checking the
/// corpus properties after each line.
fn run(script: &Path) -> Outcome {
    let text = std::fs::read_to_string(script).unwrap_or_else(|e| panic!("{}: {e}", script.display()));
    let files = Corpus(corpus_dir());
    let scenario = scenario_of(script, &text);
    let mut sim = scenario.simulation();
    let mut results = Vec::new();
    let mut problems = Vec::new();
    let mut failing = 0;
    let mut slowest = (Duration::ZERO, String::new());
    for input in scenario.inputs() {
        let line = input.display_line();
        let line = line.as_str();
        let before = format!("{sim:?}");
        let started = Instant::now();
        let r = input.run(&mut sim, &files);
        let took = started.elapsed();
        if took > slowest.0 {
            slowest = (took, line.to_string());
        }
        let setup = line.starts_with("kubectl apply -f manifests/valid-");
        // `rollout status` first lets the controllers react (advances the
        // clock) even when the object does not exist; see
        // `failed_rollout_status_changes_nothing`.
        let waits_first = line.starts_with("kubectl rollout status");
        let read_only = line.starts_with("kubectl get ");
        let changed = format!("{sim:?}") != before;
        if setup {
            if r.exit_code != 0 {
                problems.push(format!("`{line}`: setup failed:\n{}", r.output));
            }
        } else if read_only {
            if changed {
                problems.push(format!("`{line}`: a get changed the simulation"));
            }
        } else {
            if r.exit_code == 0 {
                problems.push(format!("`{line}`: a bad input was accepted:\n{}", r.output));
            }
            if changed && !waits_first {
                problems.push(format!("`{line}`: a refused command changed the simulation:\n{}", r.output));
            }
        }
        if r.exit_code != 0 {
            failing += 1;
        }
        results.push(r);
    }
    let lines: Vec<&str> = scenario.inputs().map(|i| i.line()).collect();
    if lines.len() < 2 || lines[lines.len() - 2..] != ["kubectl get statefulsets", "kubectl get pods"] {
        problems.push("the script must end with `kubectl get statefulsets` and `kubectl get pods`".to_string());
    }
    if !text.lines().take_while(|l| l.starts_with('#')).any(|l| l.starts_with("# seed:")) {
        problems.push("the header must name a seed (`# seed: 1`)".to_string());
    }
    Outcome { transcript: kubectl::transcript(&results), problems, failing, slowest }
}

#[test]
fn bad_inputs_are_refused_and_change_nothing() {
    let scripts = scripts();
    assert!(!scripts.is_empty(), "no bad-input scripts found");
    let update = std::env::var_os("UPDATE_EXPECT").is_some();
    let mut failures = Vec::new();
    let mut refusals = 0;
    let mut timings = Vec::new();
    for script in &scripts {
        let text = std::fs::read_to_string(script).unwrap_or_default();
        let name = script.display();
        assert!(
            text.lines().take_while(|l| l.starts_with('#')).count() >= 2,
            "{name}: a script starts with comments naming the upstream rule it checks"
        );
        let out = run(script);
        refusals += out.failing;
        timings.push((out.slowest.0, format!("{} `{}`", name, out.slowest.1)));
        failures.extend(out.problems.iter().map(|p| format!("{name}: {p}")));
        let expected_path = script.with_extension("expected");
        if refused_only(&text) {
            if expected_path.exists() {
                failures.push(format!("{name}: a `# check: refused` script must not have {}", expected_path.display()));
            }
            continue;
        }
        if update {
            std::fs::write(&expected_path, &out.transcript).unwrap_or_else(|e| panic!("{e}"));
            continue;
        }
        let want = std::fs::read_to_string(&expected_path).unwrap_or_default();
        if out.transcript != want {
            failures.push(format!("--- {} (got) ---\n{}", expected_path.display(), out.transcript));
        }
    }
    timings.sort();
    if let Some((t, what)) = timings.last() {
        eprintln!("bad-input: {refusals} refused commands; slowest single command {t:.2?}: {what}");
    }
    assert!(refusals >= 100, "the corpus should hold at least 100 refused inputs, found {refusals}");
    assert!(failures.is_empty(), "bad-input corpus (UPDATE_EXPECT=1 to accept transcripts):\n{}", failures.join("\n"));
}

#[test]
fn every_bad_manifest_is_used_by_a_script() {
    let scripts: String =
        scripts().iter().map(|s| std::fs::read_to_string(s).unwrap_or_default()).collect::<Vec<_>>().join("\n");
    // The ignored core-bug regression tests below use manifests too.
    let harness =
        std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/bad_input.rs")).unwrap_or_default();
    let scripts = scripts + &harness;
    let mut unused = Vec::new();
    for entry in std::fs::read_dir(corpus_dir().join("manifests")).unwrap_or_else(|e| panic!("{e}")) {
        let Ok(entry) = entry else { continue };
        let name = entry.file_name().to_string_lossy().to_string();
        if !scripts.contains(&format!("manifests/{name}")) {
            unused.push(name);
        }
    }
    assert!(unused.is_empty(), "manifests no script applies: {unused:?}");
}

#[test]
fn bad_input_transcripts_are_deterministic() {
    for script in scripts() {
        assert_eq!(run(&script).transcript, run(&script).transcript, "{}", script.display());
    }
}

/// A command line over `kubectl::MAX_LINE_BYTES` is refused before it is split.
#[test]
fn overlong_command_line_is_refused() {
    let mut sim = Simulation::new(1);
    let before = format!("{sim:?}");
    let line = format!("kubectl get pods -l app={}", "x".repeat(kubectl::MAX_LINE_BYTES));
    let r = kubectl::run_line(&mut sim, &line, &Corpus(corpus_dir()));
    assert_ne!(r.exit_code, 0, "{}", r.output);
    assert!(r.output.contains("the limit is"), "{}", r.output);
    assert_eq!(format!("{sim:?}"), before);
}

// ---------------------------------------------------------------------------
// Core bugs found by the corpus, now fixed: their regression tests.
// ---------------------------------------------------------------------------

fn apply_file(sim: &mut Simulation, path: &str) -> kubectl::CommandResult {
    kubectl::run_line(sim, &format!("kubectl apply -f {path}"), &Corpus(corpus_dir()))
}

/// YAML flow collections nested N deep take O(N²) time in the parser
/// (serde_yaml / unsafe-libyaml) before it reports "recursion limit exceeded":
/// release build, 50 000 `[` (48 KiB) took ~4 s, 200 000 (195 KiB) ~67 s, so a
/// paste under the 1 MiB limit could freeze the page for minutes. The
/// manifest pre-scan now refuses deep flow nesting before parsing; the
/// message (not a timing) shows the parser never ran.
#[test]
fn deep_flow_nesting_is_refused_before_parsing() {
    let text = format!("a: {}\n", "[".repeat(100_000));
    let mut sim = Simulation::new(1);
    let r = sim.apply(&text, "deep.yaml");
    let Err(e) = r else { panic!("100 000 nested `[` were accepted") };
    assert!(e.message.contains("flow collections nested deeper than"), "{}", e.message);
}

/// A claim created without storageClassName gets the default class
/// (DefaultStorageClass admission); re-applying it with another class must be
/// refused (spec is immutable), but stsplay answers "unchanged" and keeps the
/// old class: `validate_update` treats the new class as filling an unset one.
#[test]
fn pvc_storage_class_change_is_refused() {
    let mut sim = Simulation::new(1);
    assert_eq!(apply_file(&mut sim, "manifests/valid-pvc.yaml").exit_code, 0);
    let before = sim.cluster().clone();
    let r = apply_file(&mut sim, "manifests/immutable-pvc-class.yaml");
    assert_ne!(r.exit_code, 0, "{}", r.output);
    assert!(r.output.contains("spec: Forbidden: spec is immutable after creation"), "{}", r.output);
    assert!(sim.cluster() == &before);
}

/// Two Service ports where the second has no name: upstream reports
/// `spec.ports[1].name: Required value`; stsplay always names `spec.ports[0]`.
#[test]
fn unnamed_service_port_is_reported_at_its_index() {
    let mut sim = Simulation::new(1);
    let r = apply_file(&mut sim, "manifests/missing-port-names.yaml");
    assert_eq!(r.output, "The Service \"nginx\" is invalid: spec.ports[1].name: Required value\n");
}

/// A storage request that is not a quantity is reported twice: as an invalid
/// value and again as a missing request ("resources[storage]: Required value").
#[test]
fn bad_quantity_is_reported_once() {
    let mut sim = Simulation::new(1);
    for path in ["manifests/quantity-gb.yaml", "manifests/quantity-pvc-request.yaml"] {
        let r = apply_file(&mut sim, path);
        assert_ne!(r.exit_code, 0);
        assert!(!r.output.contains("Required value"), "{path}: {}", r.output);
    }
}

/// ARCHITECTURE.md: "An invalid apply or command changes nothing". `kubectl
/// rollout status` of a StatefulSet that does not exist first advances the
/// clock by the controllers' latency (processing any events due) and only then
/// answers NotFound, so a refused command moves virtual time.
#[test]
fn failed_rollout_status_changes_nothing() {
    let mut sim = Simulation::new(1);
    assert_eq!(apply_file(&mut sim, "manifests/valid-web.yaml").exit_code, 0);
    let before = format!("{sim:?}");
    let steps = sim.steps().len();
    let r = kubectl::run_line(&mut sim, "kubectl rollout status statefulset/nope", &Corpus(corpus_dir()));
    assert_ne!(r.exit_code, 0);
    assert!(
        format!("{sim:?}") == before,
        "the refused command moved the clock to {}ms and recorded {} steps",
        sim.now_ms(),
        sim.steps().len() - steps
    );
}

/// Inputs that crashed a fuzz target (`tests/bad-input/fuzz-crashes/*.script`,
/// minimized): each must run to its end without a panic.
#[test]
fn fuzz_crashes_do_not_panic() {
    let dir = corpus_dir().join("fuzz-crashes");
    let scripts = scripts_in(&dir);
    assert!(!scripts.is_empty());
    let mut panics = Vec::new();
    for script in scripts {
        let text = std::fs::read_to_string(&script).unwrap_or_default();
        let result = std::panic::catch_unwind(|| {
            let mut sim = kubectl::simulation_for_script(&text);
            kubectl::transcript(&kubectl::run_script(&mut sim, &text, &Corpus(dir.clone())))
        });
        if result.is_err() {
            panics.push(script.display().to_string());
        }
    }
    assert!(panics.is_empty(), "panicked: {panics:?}");
}

/// A crash-looping pod and a sleep of centuries: every command stops at the
/// event budget with a message saying so, the simulation stays usable, and
/// its size stays bounded (`kubectl::MAX_EVENTS_PER_SIMULATION`).
#[test]
fn crash_loop_for_centuries_is_bounded() {
    let dir = corpus_dir().join("fuzz-crashes");
    let text = std::fs::read_to_string(dir.join("crash-loop-centuries.script")).unwrap_or_default();
    let mut sim = kubectl::simulation_for_script(&text);
    let results = kubectl::run_script(&mut sim, &text, &Corpus(dir));
    let sleeps: Vec<_> = results.iter().filter(|r| r.command.starts_with("sleep")).collect();
    assert_eq!(sleeps.len(), 10);
    for r in &sleeps {
        assert_eq!(r.exit_code, 1, "{}", r.output);
        assert!(r.output.starts_with("sleep: stopped at "), "{}", r.output);
    }
    assert!(sleeps.last().is_some_and(|r| r.output.contains("this simulation has processed 2000000 events")));
    assert!(sim.events_queued() <= kubectl::MAX_EVENTS_PER_SIMULATION + 1_000);
    let last = results.last().map(|r| (r.exit_code, r.output.clone()));
    assert!(last.as_ref().is_some_and(|(code, out)| *code == 0 && out.contains("web-1")), "{last:?}");
}
