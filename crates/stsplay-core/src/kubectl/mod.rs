//! The command language shared by `stsplay run` and (later) the web console:
//! a script is one command per line, split with POSIX shell rules
//! ([`words`]), parsed into a typed [`Command`] ([`command`], which also holds
//! the table of every command and flag) and run by [`execute`]. Commands are
//! `kubectl ...`, `step [N]`, `run until settled`, `sleep DURATION`,
//! `nslookup NAME`, `node down|up NODE` and `pod crash|unready|ready POD`;
//! each returns kubectl's own output text and an exit code. Between commands
//! no virtual time passes; `sleep`, `step`, `kubectl rollout status` and
//! `kubectl delete` (which waits, like kubectl's default `--wait=true`)
//! advance the clock. [`complete()`] completes a partial line.
//!
//! The module does no IO: `apply -f PATH` reads through a [`FileSource`].

pub mod command;
pub mod complete;
mod describe;
mod errors;
mod get;
pub mod table;
pub mod words;

use serde::Serialize;

pub use command::{
    Command, CommandError, Delete, Drain, Exec, Get, Kubectl, NodeAction, OutputFormat, PodAction, Resource, Rollout,
    Run, Verb,
};
pub use complete::{complete, Candidate};

use crate::sim::{Key, Rollback, Simulation, Updated};
use crate::spec::{UpdateStrategy, DEFAULT_NAMESPACE};

/// Where `kubectl apply -f PATH` reads files from.
pub trait FileSource {
    fn read(&self, path: &str) -> Result<String, String>;
}

/// A FileSource over in-memory files (the web app's editor, tests).
#[derive(Clone, Debug, Default)]
pub struct MemoryFiles(pub std::collections::BTreeMap<String, String>);

impl FileSource for MemoryFiles {
    fn read(&self, path: &str) -> Result<String, String> {
        self.0.get(path).cloned().ok_or_else(|| format!("the path \"{path}\" does not exist"))
    }
}

/// One command's result, as the CLI's JSON reports it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct CommandResult {
    pub command: String,
    pub output: String,
    pub exit_code: i32,
    /// Virtual time after the command.
    pub time_seconds: u64,
}

/// Bounds that keep a runaway command from freezing the page.
pub const MAX_LINE_BYTES: usize = 16 * 1024;
/// `kubectl rollout status` and `kubectl delete` give up after this much virtual time.
pub const DEFAULT_WAIT_TIMEOUT_MS: u64 = 10 * 60 * 1000;
/// Events one command may process: ample for a 10,000-pod rollout (about
/// ten events per pod), and at most a second or two of work.
const MAX_EVENTS_PER_COMMAND: usize = 250_000;
/// Events a whole simulation may process, which bounds the memory its step
/// log takes however many commands a script has.
pub const MAX_EVENTS_PER_SIMULATION: u64 = 2_000_000;

/// What the next command may process: [`MAX_EVENTS_PER_COMMAND`], less
/// whatever would take the simulation past [`MAX_EVENTS_PER_SIMULATION`].
fn event_budget(sim: &Simulation) -> usize {
    let left = MAX_EVENTS_PER_SIMULATION.saturating_sub(sim.events_queued());
    usize::try_from(left).unwrap_or(usize::MAX).min(MAX_EVENTS_PER_COMMAND)
}

/// A transcript like a terminal session: `$ command`, its output, and
/// `[exit N]` after a failing command. Scenario tests compare these.
pub fn transcript(results: &[CommandResult]) -> String {
    let mut out = String::new();
    for r in results {
        out.push_str("$ ");
        out.push_str(&r.command);
        out.push('\n');
        out.push_str(&r.output);
        if r.exit_code != 0 {
            out.push_str(&format!("[exit {}]\n", r.exit_code));
        }
    }
    out
}

/// The seed a scenario script asks for with a `# seed: N` line (default 1).
pub fn script_seed(text: &str) -> u64 {
    crate::scenario::Scenario::parse(text).map_or(crate::DEFAULT_SEED, |s| s.seed)
}

/// A simulation for a script: its `# seed: N` and `# feature-gates:` headers
/// ([`crate::scenario::Scenario::simulation`]; the defaults when the script
/// does not parse).
pub fn simulation_for_script(text: &str) -> Simulation {
    crate::scenario::Scenario::parse(text).unwrap_or_default().simulation()
}

/// Parses a script as a [`crate::scenario::Scenario`] and runs every command.
/// A script that does not parse runs nothing: the one result reports every
/// problem with its line (exit code 2).
pub fn run_script(sim: &mut Simulation, text: &str, files: &dyn FileSource) -> Vec<CommandResult> {
    match crate::scenario::Scenario::parse(text) {
        Ok(scenario) => scenario.run(sim, files),
        Err(d) => vec![CommandResult {
            command: "(scenario)".to_string(),
            output: format!("error: the scenario does not parse:\n{d}\n"),
            exit_code: 2,
            time_seconds: sim.now_ms() / 1000,
        }],
    }
}

/// Runs one command line.
pub fn run_line(sim: &mut Simulation, line: &str, files: &dyn FileSource) -> CommandResult {
    run_line_with_stdin(sim, line, None, files)
}

/// The file name kubectl gives standard input (`-f -`) in its messages.
pub const STDIN_NAME: &str = "STDIN";

/// A [`FileSource`] where the path `-` is a command's standard input (a heredoc).
struct WithStdin<'a> {
    stdin: &'a str,
    files: &'a dyn FileSource,
}

impl FileSource for WithStdin<'_> {
    fn read(&self, path: &str) -> Result<String, String> {
        if path == "-" {
            Ok(self.stdin.to_string())
        } else {
            self.files.read(path)
        }
    }
}

/// Runs one command line whose standard input is `stdin` (the body of a
/// heredoc: `kubectl apply -f - <<'EOF'`).
pub fn run_line_with_stdin(
    sim: &mut Simulation,
    line: &str,
    stdin: Option<&str>,
    files: &dyn FileSource,
) -> CommandResult {
    let (output, exit_code) = if line.len() > MAX_LINE_BYTES {
        (format!("error: command line is {} bytes; the limit is {MAX_LINE_BYTES}\n", line.len()), 2)
    } else {
        match words::split_words(line) {
            Err(e) => (format!("error: {e}\n"), 2),
            Ok(argv) => match stdin {
                Some(stdin) => run_argv(sim, &argv, &WithStdin { stdin, files }),
                None => run_argv(sim, &argv, files),
            },
        }
    };
    CommandResult { command: line.to_string(), output, exit_code, time_seconds: sim.now_ms() / 1000 }
}

fn ok(text: String) -> (String, i32) {
    (text, 0)
}

fn fail(text: impl Into<String>) -> (String, i32) {
    let mut t = text.into();
    if !t.ends_with('\n') {
        t.push('\n');
    }
    (t, 1)
}

fn run_argv(sim: &mut Simulation, argv: &[String], files: &dyn FileSource) -> (String, i32) {
    match Command::parse(argv) {
        Ok(cmd) => execute(sim, &cmd, files),
        Err(e) => {
            let mut t = e.message;
            t.push('\n');
            (t, e.exit_code)
        }
    }
}

/// Runs a parsed command: its output and exit code.
pub fn execute(sim: &mut Simulation, cmd: &Command, files: &dyn FileSource) -> (String, i32) {
    match cmd {
        Command::Empty => ok(String::new()),
        Command::Kubectl(k) => kubectl(sim, k, files),
        Command::Sleep { duration_ms } => {
            let until = sim.now_ms().saturating_add(*duration_ms);
            match sim.advance_to(until, event_budget(sim)) {
                Ok(()) => ok(String::new()),
                Err(stopped_ms) => fail(event_limit_message("sleep", sim, stopped_ms)),
            }
        }
        Command::Nslookup { name } => nslookup(sim, DEFAULT_NAMESPACE, name),
        Command::Step { count } => step(sim, *count),
        Command::RunUntilSettled => run_until_settled(sim),
        Command::Node { action, node } => {
            let (result, verb) = match action {
                NodeAction::Down => (sim.node_down(node), "down"),
                NodeAction::Up => (sim.node_up(node), "up"),
            };
            match result {
                Ok(()) => ok(format!("node/{node} {verb}\n")),
                Err(e) => fail(e.to_string()),
            }
        }
        Command::Pod { action, pod, namespace } => {
            let key: Key = (namespace.clone().unwrap_or_else(|| DEFAULT_NAMESPACE.to_string()), pod.clone());
            let (result, what) = match action {
                PodAction::Crash { repeat: false } => (sim.crash_pod(&key, false), "container exited with code 1"),
                PodAction::Crash { repeat: true } => {
                    (sim.crash_pod(&key, true), "container exited with code 1 (and will on every start)")
                }
                PodAction::Unready => (sim.set_probe_failing(&key, true), "readiness probe now fails"),
                PodAction::Ready => (sim.set_probe_failing(&key, false), "readiness probe now passes"),
            };
            match result {
                Ok(()) => ok(format!("pod/{pod} {what}\n")),
                Err(e) => fail(e.to_string()),
            }
        }
    }
}

/// Runs a parsed command and reports it as the command line `Display` gives
/// (how a click in the web app shows as a command).
pub fn run_command(sim: &mut Simulation, cmd: &Command, files: &dyn FileSource) -> CommandResult {
    let (output, exit_code) = execute(sim, cmd, files);
    CommandResult { command: cmd.to_string(), output, exit_code, time_seconds: sim.now_ms() / 1000 }
}

fn kubectl(sim: &mut Simulation, k: &Kubectl, files: &dyn FileSource) -> (String, i32) {
    let ns = k.namespace().to_string();
    match &k.verb {
        Verb::Apply { filenames } => apply(sim, filenames, files, k.namespace.as_deref()),
        Verb::Get(g) if g.resource == Resource::Events => describe::get_events(sim, &ns, k.all_namespaces),
        Verb::Get(g) => get::get(sim, g, &ns, k.all_namespaces),
        Verb::Describe { resource, name } => describe::describe(sim, *resource, name, &ns),
        Verb::Scale { names, replicas } => scale(sim, &ns, names, *replicas),
        Verb::Delete(d) => delete(sim, d, ns),
        Verb::Rollout { sub, name } => rollout(sim, *sub, &(ns, name.clone())),
        Verb::Patch { name, patch, patch_type } => {
            match sim.patch_stateful_set(&(ns, name.clone()), patch, *patch_type) {
                Ok(Updated::Changed) => ok(format!("statefulset.apps/{name} patched\n")),
                Ok(Updated::Unchanged) => ok(format!("statefulset.apps/{name} patched (no change)\n")),
                Err(e) => fail(e.to_string()),
            }
        }
        Verb::SetImage { name, images } => match sim.set_image(&(ns, name.clone()), images) {
            Ok(Updated::Changed) => ok(format!("statefulset.apps/{name} image updated\n")),
            Ok(Updated::Unchanged) => ok(String::new()),
            Err(e) => fail(e.to_string()),
        },
        Verb::Cordon { node } => cordon(sim, node, true),
        Verb::Uncordon { node } => cordon(sim, node, false),
        Verb::Drain(d) => drain(sim, d),
        Verb::Exec(e) => exec(sim, e, &ns),
        Verb::Run(r) => run(sim, r, &ns),
    }
}

/// `kubectl scale sts A B...`: every set that exists is scaled (`... scaled`);
/// the errors of the others (NotFound) follow, and the command fails
/// (kubectl `cmd/scale/scale.go` `RunScale`: the builder continues on error,
/// the valid infos are scaled, then `infoErr` is returned).
fn scale(sim: &mut Simulation, ns: &str, names: &[String], replicas: i32) -> (String, i32) {
    let mut out = String::new();
    let mut errors = Vec::new();
    for name in names {
        match sim.scale_stateful_set(&(ns.to_string(), name.clone()), replicas) {
            Ok(()) => out.push_str(&format!("statefulset.apps/{name} scaled\n")),
            Err(e) => errors.push(e.to_string()),
        }
    }
    if errors.is_empty() {
        return ok(out);
    }
    for e in errors {
        out.push_str(&e);
        if !out.ends_with('\n') {
            out.push('\n');
        }
    }
    (out, 1)
}

fn apply(sim: &mut Simulation, paths: &[String], files: &dyn FileSource, namespace: Option<&str>) -> (String, i32) {
    let mut texts = Vec::new();
    for p in paths {
        match files.read(p) {
            Ok(t) => texts.push((if *p == "-" { STDIN_NAME } else { p }.to_string(), t)),
            Err(e) => return fail(format!("error: {e}")),
        }
    }
    let mut out = String::new();
    for (path, text) in texts {
        match sim.apply_in(&text, &path, namespace) {
            Ok(lines) => {
                for l in lines {
                    out.push_str(&l);
                    out.push('\n');
                }
            }
            Err(e) => {
                out.push_str(&e.message);
                out.push('\n');
                return (out, 1);
            }
        }
    }
    ok(out)
}

/// Why a command stopped early: it needed more events than one command may
/// process (a crash loop over years of virtual time, say).
fn event_limit_message(command: &str, sim: &Simulation, stopped_ms: u64) -> String {
    if sim.events_queued() >= MAX_EVENTS_PER_SIMULATION {
        return format!(
            "{command}: stopped at {}s of virtual time: this simulation has processed {MAX_EVENTS_PER_SIMULATION} events, the most stsplay allows; start a new one to continue",
            stopped_ms / 1000
        );
    }
    format!(
        "{command}: stopped at {}s of virtual time after processing {MAX_EVENTS_PER_COMMAND} events, the most one command may process; run it again to continue",
        stopped_ms / 1000
    )
}

/// Processes events until `done` holds or virtual time passes `deadline_ms`.
/// Returns whether `done` held.
///
/// A wait that cannot be met before its deadline (no event is due by then)
/// spends the whole timeout: the clock advances to the deadline before the
/// timeout is reported, as a real kubectl blocks for `--timeout`
/// (`kubectl/pkg/cmd/wait/wait.go`, `cmd/rollout/rollout_status.go`:
/// `watchtools.UntilWithSync` with a context of that timeout).
fn wait_until(sim: &mut Simulation, deadline_ms: u64, done: impl Fn(&Simulation) -> bool) -> bool {
    for _ in 0..event_budget(sim) {
        if done(sim) {
            return true;
        }
        match sim.next_event_ms() {
            Some(t) if t <= deadline_ms => {
                sim.process_next_event();
            }
            _ => {
                if done(sim) {
                    return true;
                }
                wait_out(sim, deadline_ms);
                return false;
            }
        }
    }
    done(sim)
}

/// Advances the clock to `deadline_ms` when no event is due before it (with
/// no events to process, `advance_to` only moves the clock).
fn wait_out(sim: &mut Simulation, deadline_ms: u64) {
    let _ = sim.advance_to(deadline_ms, 0);
}

/// `--timeout`: None or 0 means the default wait.
fn wait_timeout_ms(timeout_ms: Option<u64>) -> u64 {
    match timeout_ms {
        None | Some(0) => DEFAULT_WAIT_TIMEOUT_MS,
        Some(ms) => ms,
    }
}

fn delete(sim: &mut Simulation, d: &Delete, ns: String) -> (String, i32) {
    let name = d.name.clone();
    let wait = d.wait;
    let key: Key = (ns, name.clone());
    let deadline = sim.now_ms().saturating_add(wait_timeout_ms(d.timeout_ms));
    let plural = d.resource.plural();
    let timed_out = |out: String| fail(format!("{out}error: timed out waiting for the condition on {plural}/{name}"));
    match d.resource {
        Resource::Pods => {
            // delete.go (DeleteOptions.Complete): --now means --grace-period=1;
            // --force without --grace-period means --grace-period=0.
            let grace = if d.now { Some(1) } else { d.grace_period };
            let grace = if d.force && grace.is_none() { Some(0) } else { grace };
            let mut out = String::new();
            if d.force && grace == Some(0) {
                out.push_str("Warning: Immediate deletion does not wait for confirmation that the running resource has been terminated. The resource may continue to run on the cluster indefinitely.\n");
                return match sim.force_delete_pod(&key) {
                    Ok(()) => ok(format!("{out}pod \"{name}\" force deleted\n")),
                    Err(e) => fail(format!("{out}{e}")),
                };
            }

            // --grace-period=0 without --force means "as fast as possible": 1s.
            let grace = grace.map(|g| if g == 0 { 1 } else { g });
            let uid = match sim.delete_pod_by_user_with_grace(&key, grace) {
                Ok(uid) => uid,
                Err(e) => return fail(format!("{out}{e}")),
            };
            out.push_str(&format!("pod \"{name}\" deleted\n"));
            let gone = |s: &Simulation| s.cluster().pods.get(&key).is_none_or(|p| p.uid != uid);
            if !wait || wait_until(sim, deadline, gone) {
                ok(out)
            } else {
                timed_out(out)
            }
        }
        Resource::StatefulSets => {
            if let Err(e) = sim.delete_stateful_set(&key, d.cascade) {
                return fail(e.to_string());
            }
            let out = format!("statefulset.apps \"{name}\" deleted\n");
            if !wait || wait_until(sim, deadline, |s| !s.cluster().sets.contains_key(&key)) {
                ok(out)
            } else {
                timed_out(out)
            }
        }
        Resource::Claims => {
            if let Err(e) = sim.delete_claim(&key) {
                return fail(e.to_string());
            }
            let out = format!("persistentvolumeclaim \"{name}\" deleted\n");
            if !wait || wait_until(sim, deadline, |s| !s.cluster().claims.contains_key(&key)) {
                ok(out)
            } else {
                timed_out(out)
            }
        }
        Resource::Volumes => {
            if let Err(e) = sim.delete_volume(&name) {
                return fail(e.to_string());
            }
            let out = format!("persistentvolume \"{name}\" deleted\n");
            if !wait || wait_until(sim, deadline, |s| !s.cluster().volumes.contains_key(&name)) {
                ok(out)
            } else {
                timed_out(out)
            }
        }
        other => fail(format!("error: stsplay cannot delete {} yet", other.plural())),
    }
}

fn cordon(sim: &mut Simulation, node: &str, on: bool) -> (String, i32) {
    match sim.cordon(node, on) {
        Ok(updated) => ok(format!("{}\n", cordon_line(node, on, updated))),
        Err(e) => fail(e.to_string()),
    }
}

/// kubectl cordon's `node/NAME cordoned` or `node/NAME already cordoned`.
fn cordon_line(node: &str, on: bool, updated: Updated) -> String {
    let verb = if on { "cordoned" } else { "uncordoned" };
    match updated {
        Updated::Changed => format!("node/{node} {verb}"),
        Updated::Unchanged => format!("node/{node} already {verb}"),
    }
}

fn drain(sim: &mut Simulation, d: &Drain) -> (String, i32) {
    let node = &d.node;
    let timeout_ms = wait_timeout_ms(d.timeout_ms);
    let drained = match sim.drain(node) {
        Ok(v) => v,
        Err(e) => return fail(e.to_string()),
    };
    let pods = drained.evicted;
    let mut out = format!("{}\n", cordon_line(node, true, drained.cordon));
    for (key, _) in &pods {
        out.push_str(&format!("evicting pod {}/{}\n", key.0, key.1));
    }
    let deadline = sim.now_ms().saturating_add(timeout_ms);
    for (key, uid) in &pods {
        let gone = |s: &Simulation| s.cluster().pods.get(key).is_none_or(|p| &p.uid != uid);
        if !wait_until(sim, deadline, gone) {
            out.push_str(&format!(
                "There are pending pods in node \"{node}\" when an error occurred: error when waiting for pod \"{}\" in namespace \"{}\" to terminate: global timeout reached: {}s\nerror: unable to drain node \"{node}\" due to error: error when waiting for pod \"{}\" in namespace \"{}\" to terminate: global timeout reached: {}s, continuing command...\nThere are pending nodes to be drained:\n {node}\n",
                key.1, key.0, timeout_ms / 1000, key.1, key.0, timeout_ms / 1000
            ));
            return (out, 1);
        }
        out.push_str(&format!("pod/{} evicted\n", key.1));
    }
    out.push_str(&format!("node/{node} drained\n"));
    ok(out)
}

/// Most steps one `step N` may take.
pub const MAX_STEP_COUNT: u64 = 100_000;

/// `step [N]`: what the browser's Step button does, N times: process events
/// until one changes something visible ([`Simulation::step`]). Prints each
/// recorded step with its virtual time.
fn step(sim: &mut Simulation, n: u64) -> (String, i32) {
    let first = sim.steps().len();
    let budget = event_budget(sim) as u64;
    let start_events = sim.events_queued();
    let mut taken = 0;
    while taken < n {
        if sim.events_queued().saturating_sub(start_events) >= budget {
            break;
        }
        if !sim.step() {
            break;
        }
        taken += 1;
    }
    let mut out: String = sim
        .steps()
        .get(first..)
        .unwrap_or_default()
        .iter()
        .map(|s| format!("+{}  {}\n", crate::timefmt::step_time(s.time_ms), s.message()))
        .collect();
    if taken < n && !sim.has_pending() {
        out.push_str("Nothing pending.\n");
    }
    ok(out)
}

/// `run until settled`: step until nothing is pending (bounded by the
/// events one command may process).
fn run_until_settled(sim: &mut Simulation) -> (String, i32) {
    let first = sim.steps().len();
    let budget = event_budget(sim);
    for _ in 0..budget {
        if !sim.process_next_event() {
            let steps = sim.steps().len() - first;
            return ok(format!(
                "settled at +{} after {steps} step{}\n",
                crate::timefmt::step_time(sim.now_ms()),
                if steps == 1 { "" } else { "s" }
            ));
        }
    }
    fail(event_limit_message("run until settled", sim, sim.now_ms()))
}

/// kubectl's `StatefulSetStatusViewer.Status` (rollout_status.go).
fn rollout_message(sim: &Simulation, key: &Key) -> Result<(String, bool), String> {
    let Some(s) = sim.cluster().sets.get(key) else {
        return Err(format!("Error from server (NotFound): statefulsets.apps \"{}\" not found", key.1));
    };
    let UpdateStrategy::RollingUpdate { partition, .. } = &s.set.spec.update_strategy else {
        return Err("error: rollout status is only available for RollingUpdate strategy type".to_string());
    };
    let st = &s.status;
    if st.observed_generation == 0 || s.generation > st.observed_generation {
        return Ok(("Waiting for statefulset spec update to be observed...".to_string(), false));
    }
    let replicas = s.set.spec.replicas;
    if st.ready_replicas < replicas {
        return Ok((format!("Waiting for {} pods to be ready...", replicas - st.ready_replicas), false));
    }
    // apps/v1 defaulting always sets rollingUpdate.partition.
    if st.updated_replicas < replicas - partition {
        return Ok((
            format!(
                "Waiting for partitioned roll out to finish: {} out of {} new pods have been updated...",
                st.updated_replicas,
                replicas - partition
            ),
            false,
        ));
    }
    Ok((format!("partitioned roll out complete: {} new pods have been updated...", st.updated_replicas), true))
}

fn rollout(sim: &mut Simulation, sub: Rollout, key: &Key) -> (String, i32) {
    let timeout_ms = match sub {
        Rollout::History { .. } => return rollout_history(sim, key),
        Rollout::Undo { to_revision } => {
            return match sim.rollout_undo(key, to_revision) {
                Ok(Rollback::RolledBack) => ok(format!("statefulset.apps/{} rolled back\n", key.1)),
                Ok(Rollback::Skipped { revision }) => ok(format!(
                    "statefulset.apps/{} skipped rollback (current template already matches revision {revision})\n",
                    key.1
                )),
                Err(e) => fail(e.to_string()),
            };
        }
        Rollout::Status { timeout_ms, .. } => wait_timeout_ms(timeout_ms),
    };
    // A missing object is refused before any time passes.
    if let Err(e) = rollout_message(sim, key) {
        return fail(e);
    }
    // kubectl's first GET happens after the controllers have seen whatever the
    // previous command changed: allow them their reaction latency first.
    let settle = sim.now_ms().saturating_add(sim.profile().controller_delay_ms);
    if let Err(stopped_ms) = sim.advance_to(settle, event_budget(sim)) {
        return fail(event_limit_message("error: rollout status", sim, stopped_ms));
    }
    let deadline = sim.now_ms().saturating_add(timeout_ms);
    let mut out = String::new();
    // kubectl prints the status on every watch event of the object, so an
    // unchanged message repeats when the status changed in another field.
    let mut last_seen = None;
    for _ in 0..event_budget(sim) {
        let observed = sim.cluster().sets.get(key).map(|s| (s.generation, s.status.clone()));
        let (msg, done) = match rollout_message(sim, key) {
            Ok(v) => v,
            Err(e) => {
                out.push_str(&e);
                out.push('\n');
                return (out, 1);
            }
        };
        if observed != last_seen {
            out.push_str(&msg);
            out.push('\n');
            last_seen = observed;
        }
        if done {
            return ok(out);
        }
        match sim.next_event_ms() {
            Some(t) if t <= deadline => {
                sim.process_next_event();
            }
            _ => {
                // The watch sees nothing more: the timeout is spent in full.
                wait_out(sim, deadline);
                break;
            }
        }
    }
    out.push_str("error: timed out waiting for the condition\n");
    (out, 1)
}

/// `kubectl rollout history`: kubectl's `printHistory` (tabwriter, padding 2).
fn rollout_history(sim: &Simulation, key: &Key) -> (String, i32) {
    let revs = match sim.rollout_history(key) {
        Ok(r) => r,
        Err(e) => return fail(e.to_string()),
    };
    if revs.is_empty() {
        return ok("No rollout history found.\n".to_string());
    }
    let width = revs.iter().map(|(n, _)| n.to_string().len()).max().unwrap_or(0).max("REVISION".len()) + 2;
    let mut out = format!("statefulset.apps/{} \n{:<width$}CHANGE-CAUSE\n", key.1, "REVISION");
    for (n, _) in revs {
        out.push_str(&format!("{:<width$}<none>\n", n));
    }
    out.push('\n');
    ok(out)
}

/// `kubectl exec POD -- nslookup NAME`: a lookup from inside the pod.
fn exec(sim: &mut Simulation, e: &Exec, ns: &str) -> (String, i32) {
    let pod = &e.pod;
    let Some(p) = sim.cluster().pods.get(&(ns.to_string(), pod.clone())) else {
        return fail(format!("Error from server (NotFound): pods \"{pod}\" not found"));
    };
    if !p.containers_running || p.is_terminating() {
        return fail(format!(
            "error: unable to upgrade connection: container not found (\"{}\")",
            p.spec.containers.first().map(|c| c.name.as_str()).unwrap_or("")
        ));
    }
    match e.command.as_slice() {
        [cmd, name] if cmd == "nslookup" => nslookup(sim, ns, name),
        [] => fail("error: you must specify at least one command for the container"),
        other => fail(format!("error: stsplay can run only `nslookup NAME` in a pod, not `{}`", other.join(" "))),
    }
}

/// `kubectl run -i --tty --image busybox:1.28 NAME --restart=Never --rm -- nslookup HOST`,
/// the tutorial's way to look names up from a throwaway pod in `default`. The
/// throwaway pod itself is not simulated (it runs in zero virtual time).
fn run(sim: &mut Simulation, r: &Run, ns: &str) -> (String, i32) {
    // The pod is created first: in a namespace that does not exist the API
    // server refuses it (the NamespaceLifecycle admission plugin,
    // `plugin/pkg/admission/namespace/lifecycle/admission.go`), as for apply (V21).
    if !sim.cluster().namespaces.contains_key(ns) {
        return fail(format!("Error from server (NotFound): namespaces \"{ns}\" not found"));
    }
    match r.command.as_slice() {
        [cmd, host] if cmd == "nslookup" && r.stdin => {
            let (mut out, code) = nslookup(sim, ns, host);
            if r.rm {
                out.push_str(&format!("pod \"{}\" deleted\n", r.name));
            }
            (out, code)
        }
        _ => fail(
            "error: stsplay runs only one-shot lookups: kubectl run -i --tty --image busybox:1.28 NAME --restart=Never --rm -- nslookup HOST",
        ),
    }
}

/// busybox 1.28 `nslookup` output, as in the "StatefulSet Basics" tutorial.
fn nslookup(sim: &Simulation, namespace: &str, name: &str) -> (String, i32) {
    let c = sim.cluster();
    let server_name = crate::dns::reverse(c, crate::dns::DNS_SERVER_IP).unwrap_or_default();
    let mut out = format!("Server:    {ip}\nAddress 1: {ip} {server_name}\n\n", ip = crate::dns::DNS_SERVER_IP);
    // An IPv4 address is not looked up: busybox's nslookup prints it with its
    // reverse (PTR) name, if any (busybox 1.28 `networking/nslookup.c`
    // `print_host`: getaddrinfo of a numeric host, then getnameinfo).
    let literal = name.parse::<std::net::Ipv4Addr>().ok().map(|ip| (name.to_string(), vec![ip.to_string()]));
    match literal.or_else(|| crate::dns::resolve(c, namespace, name)) {
        Some((_, ips)) => {
            out.push_str(&format!("Name:      {name}\n"));
            for (i, ip) in ips.iter().enumerate() {
                match crate::dns::reverse(c, ip) {
                    Some(ptr) => out.push_str(&format!("Address {}: {ip} {ptr}\n", i + 1)),
                    None => out.push_str(&format!("Address {}: {ip}\n", i + 1)),
                }
            }
            (out, 0)
        }
        None => {
            out.push_str(&format!("nslookup: can't resolve '{name}'\n"));
            (out, 1)
        }
    }
}
