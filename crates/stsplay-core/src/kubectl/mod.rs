//! The command language shared by `stsplay run` and (later) the web console:
//! a script is one command per line, split with POSIX shell rules. Commands
//! are `kubectl ...`, `sleep DURATION` and `nslookup NAME`; each returns
//! kubectl's own output text and an exit code. Between commands no virtual
//! time passes; `sleep`, `kubectl rollout status` and `kubectl delete` (which
//! waits, like kubectl's default `--wait=true`) advance the clock.
//!
//! The module does no IO: `apply -f PATH` reads through a [`FileSource`].

mod describe;
mod get;
pub mod table;
pub mod words;

use serde::Serialize;

use crate::apiserver::patch::PatchType;
use crate::sim::{Cascade, Key, Simulation, Updated};
use crate::spec::{UpdateStrategy, DEFAULT_NAMESPACE};
use crate::timefmt::parse_duration_ms;

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
    let Some((program, args)) = argv.split_first() else {
        return ok(String::new());
    };
    match program.as_str() {
        "kubectl" | "k" => kubectl(sim, args, files),
        "sleep" => match args {
            [d] => match parse_duration_ms(d) {
                Ok(ms) => {
                    let until = sim.now_ms().saturating_add(ms);
                    match sim.advance_to(until, event_budget(sim)) {
                        Ok(()) => ok(String::new()),
                        Err(stopped_ms) => fail(event_limit_message("sleep", sim, stopped_ms)),
                    }
                }
                Err(e) => fail(format!("sleep: {e}")),
            },
            _ => fail("usage: sleep DURATION (e.g. sleep 30s)"),
        },
        "nslookup" => match args {
            [name] => nslookup(sim, DEFAULT_NAMESPACE, name),
            _ => fail("usage: nslookup NAME"),
        },
        "step" => step(sim, args),
        "run" => run_until_settled(sim, args),
        "node" => fault_node(sim, args),
        "pod" => fault_pod(sim, args),
        other => (
            format!(
                "error: unknown command \"{other}\": a script line starts with kubectl, step, run, sleep, nslookup, node or pod\n"
            ),
            127,
        ),
    }
}

/// Parsed kubectl flags: `--name=value`, `--name value`, `-x value`, `-xvalue`.
#[derive(Debug, Default)]
struct Flags {
    positional: Vec<String>,
    values: Vec<(String, String)>,
    after_dashdash: Vec<String>,
}

impl Flags {
    fn get(&self, names: &[&str]) -> Option<&str> {
        self.values.iter().rev().find(|(k, _)| names.contains(&k.as_str())).map(|(_, v)| v.as_str())
    }
    fn all(&self, names: &[&str]) -> Vec<&str> {
        self.values.iter().filter(|(k, _)| names.contains(&k.as_str())).map(|(_, v)| v.as_str()).collect()
    }
    fn has(&self, names: &[&str]) -> bool {
        self.get(names).is_some_and(|v| v != "false")
    }
}

/// Flag spec: (long name, short name, takes a value).
type FlagSpec = (&'static str, Option<char>, bool);

const COMMON: &[FlagSpec] = &[("namespace", Some('n'), true), ("all-namespaces", Some('A'), false)];

fn parse_flags(cmd: &str, args: &[String], spec: &[FlagSpec]) -> Result<Flags, String> {
    let mut flags = Flags::default();
    let lookup_long = |name: &str| spec.iter().chain(COMMON).find(|(l, _, _)| *l == name).copied();
    let lookup_short = |c: char| spec.iter().chain(COMMON).find(|(_, s, _)| *s == Some(c)).copied();
    let mut i = 0;
    while i < args.len() {
        let Some(a) = args.get(i) else { break };
        i += 1;
        if a == "--" {
            flags.after_dashdash = args.get(i..).unwrap_or_default().to_vec();
            break;
        }
        if let Some(long) = a.strip_prefix("--") {
            let (name, inline) = match long.split_once('=') {
                Some((n, v)) => (n, Some(v.to_string())),
                None => (long, None),
            };
            let Some((l, _, takes)) = lookup_long(name) else {
                return Err(format!("error: unknown flag: --{name}\nSee 'kubectl {cmd} --help' for usage."));
            };
            let value = match (takes, inline) {
                (_, Some(v)) => v,
                (true, None) => {
                    let Some(v) = args.get(i) else {
                        return Err(format!(
                            "error: flag needs an argument: --{name}\nSee 'kubectl {cmd} --help' for usage."
                        ));
                    };
                    i += 1;
                    v.clone()
                }
                (false, None) => "true".to_string(),
            };
            flags.values.push((l.to_string(), value));
        } else if a.len() > 1 && a.starts_with('-') {
            let mut chars = a[1..].chars();
            while let Some(c) = chars.next() {
                let Some((l, _, takes)) = lookup_short(c) else {
                    return Err(format!(
                        "error: unknown shorthand flag: '{c}' in {a}\nSee 'kubectl {cmd} --help' for usage."
                    ));
                };
                if takes {
                    let rest: String = chars.collect();
                    let value = if !rest.is_empty() {
                        rest.trim_start_matches('=').to_string()
                    } else if let Some(v) = args.get(i) {
                        i += 1;
                        v.clone()
                    } else {
                        return Err(format!(
                            "error: flag needs an argument: '{c}' in {a}\nSee 'kubectl {cmd} --help' for usage."
                        ));
                    };
                    flags.values.push((l.to_string(), value));
                    break;
                }
                flags.values.push((l.to_string(), "true".to_string()));
            }
        } else {
            flags.positional.push(a.clone());
        }
    }
    Ok(flags)
}

fn namespace_of(flags: &Flags) -> String {
    flags.get(&["namespace"]).unwrap_or(DEFAULT_NAMESPACE).to_string()
}

fn kubectl(sim: &mut Simulation, args: &[String], files: &dyn FileSource) -> (String, i32) {
    let Some((verb, rest)) = args.split_first() else {
        return fail("error: kubectl needs a command, e.g. kubectl get pods");
    };
    let parsed = match verb.as_str() {
        "apply" => parse_flags("apply", rest, &[("filename", Some('f'), true)]),
        "get" => parse_flags(
            "get",
            rest,
            &[
                ("selector", Some('l'), true),
                ("output", Some('o'), true),
                ("show-labels", None, false),
                ("label-columns", Some('L'), true),
            ],
        ),
        "scale" => parse_flags("scale", rest, &[("replicas", None, true)]),
        "delete" => parse_flags(
            "delete",
            rest,
            &[
                ("wait", None, false),
                ("grace-period", None, true),
                ("force", None, false),
                ("now", None, false),
                ("cascade", None, true),
                ("timeout", None, true),
            ],
        ),
        "cordon" | "uncordon" => parse_flags(verb, rest, &[]),
        "drain" => parse_flags(
            "drain",
            rest,
            &[
                ("ignore-daemonsets", None, false),
                ("delete-emptydir-data", None, false),
                ("force", None, false),
                ("timeout", None, true),
                ("grace-period", None, true),
            ],
        ),
        "rollout" => parse_flags(
            "rollout",
            rest,
            &[
                ("timeout", None, true),
                ("watch", Some('w'), false),
                ("to-revision", None, true),
                ("revision", None, true),
            ],
        ),
        "patch" => parse_flags("patch", rest, &[("patch", Some('p'), true), ("type", None, true)]),
        "describe" => parse_flags("describe", rest, &[]),
        "set" => parse_flags("set", rest, &[]),
        "run" => parse_flags(
            "run",
            rest,
            &[
                ("stdin", Some('i'), false),
                ("tty", Some('t'), false),
                ("image", None, true),
                ("restart", None, true),
                ("rm", None, false),
                ("command", None, false),
            ],
        ),
        "exec" => parse_flags(
            "exec",
            rest,
            &[("stdin", Some('i'), false), ("tty", Some('t'), false), ("container", Some('c'), true)],
        ),
        other => return fail(format!("error: unknown command \"{other}\" for \"kubectl\"")),
    };
    let flags = match parsed {
        Ok(f) => f,
        Err(e) => return fail(e),
    };
    match verb.as_str() {
        "apply" => apply(sim, &flags, files),
        "get" if matches!(flags.positional.first().map(String::as_str), Some("events" | "event" | "ev")) => {
            describe::get_events(sim, &flags)
        }
        "get" => get::get(sim, &flags),
        "scale" => scale(sim, &flags),
        "delete" => delete(sim, &flags),
        "rollout" => rollout(sim, &flags),
        "exec" => exec(sim, &flags),
        "run" => run(sim, &flags),
        "cordon" | "uncordon" => cordon(sim, &flags, verb == "cordon"),
        "patch" => patch(sim, &flags),
        "describe" => describe::describe(sim, &flags),
        "set" => set(sim, &flags),
        "drain" => drain(sim, &flags),
        _ => fail("error: unreachable"),
    }
}

fn apply(sim: &mut Simulation, flags: &Flags, files: &dyn FileSource) -> (String, i32) {
    let paths = flags.all(&["filename"]);
    if paths.is_empty() {
        return fail("error: must specify one of -f and -k");
    }
    let mut texts = Vec::new();
    for p in &paths {
        match files.read(p) {
            Ok(t) => texts.push((if *p == "-" { STDIN_NAME } else { p }.to_string(), t)),
            Err(e) => return fail(format!("error: {e}")),
        }
    }
    let mut out = String::new();
    for (path, text) in texts {
        match sim.apply(&text, &path) {
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

/// Resource type names and aliases kubectl accepts.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Resource {
    Pods,
    Claims,
    Volumes,
    StatefulSets,
    Services,
    Nodes,
    StorageClasses,
    ControllerRevisions,
    Namespaces,
}

impl Resource {
    pub(crate) fn parse(s: &str) -> Option<Resource> {
        Some(match s {
            "pod" | "pods" | "po" => Resource::Pods,
            "pvc" | "persistentvolumeclaim" | "persistentvolumeclaims" => Resource::Claims,
            "pv" | "persistentvolume" | "persistentvolumes" => Resource::Volumes,
            "sts" | "statefulset" | "statefulsets" | "statefulset.apps" | "statefulsets.apps" => Resource::StatefulSets,
            "svc" | "service" | "services" => Resource::Services,
            "no" | "node" | "nodes" => Resource::Nodes,
            "sc" | "storageclass" | "storageclasses" | "storageclass.storage.k8s.io" => Resource::StorageClasses,
            "controllerrevision" | "controllerrevisions" | "controllerrevisions.apps" => Resource::ControllerRevisions,
            "ns" | "namespace" | "namespaces" => Resource::Namespaces,
            _ => return None,
        })
    }
    pub(crate) fn plural(self) -> &'static str {
        match self {
            Resource::Pods => "pods",
            Resource::Claims => "persistentvolumeclaims",
            Resource::Volumes => "persistentvolumes",
            Resource::StatefulSets => "statefulsets.apps",
            Resource::Services => "services",
            Resource::Nodes => "nodes",
            Resource::StorageClasses => "storageclasses.storage.k8s.io",
            Resource::ControllerRevisions => "controllerrevisions.apps",
            Resource::Namespaces => "namespaces",
        }
    }
    pub(crate) fn namespaced(self) -> bool {
        matches!(
            self,
            Resource::Pods
                | Resource::Claims
                | Resource::StatefulSets
                | Resource::Services
                | Resource::ControllerRevisions
        )
    }
}

/// `TYPE NAME` or `TYPE/NAME` from positional arguments.
fn type_and_name(positional: &[String]) -> Result<(Resource, Option<String>), String> {
    let Some(first) = positional.first() else {
        return Err("error: you must specify the type of resource to get. Use \"kubectl api-resources\" for a complete list of supported resources.".to_string());
    };
    let (ty, name) = match first.split_once('/') {
        Some((t, n)) => (t.to_string(), Some(n.to_string())),
        None => (first.clone(), positional.get(1).cloned()),
    };
    let Some(r) = Resource::parse(&ty) else {
        return Err(format!("error: the server doesn't have a resource type \"{ty}\""));
    };
    Ok((r, name))
}

fn scale(sim: &mut Simulation, flags: &Flags) -> (String, i32) {
    let (res, name) = match type_and_name(&flags.positional) {
        Ok(v) => v,
        Err(e) => return fail(e),
    };
    let Some(replicas) = flags.get(&["replicas"]) else {
        return fail("error: required flag(s) \"replicas\" not set");
    };
    let Ok(replicas) = replicas.parse::<i32>() else {
        return fail(format!("error: invalid argument \"{replicas}\" for \"--replicas\" flag: strconv.ParseInt: parsing \"{replicas}\": invalid syntax"));
    };
    if res != Resource::StatefulSets {
        return fail(format!("error: stsplay can scale statefulsets only, not {}", res.plural()));
    }
    let Some(name) = name else {
        return fail("error: resource(s) were provided, but no name was specified");
    };
    match sim.scale_stateful_set(&(namespace_of(flags), name), replicas) {
        Ok(line) => ok(format!("{line}\n")),
        Err(e) => fail(e),
    }
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
fn wait_until(sim: &mut Simulation, deadline_ms: u64, done: impl Fn(&Simulation) -> bool) -> bool {
    for _ in 0..event_budget(sim) {
        if done(sim) {
            return true;
        }
        match sim.next_event_ms() {
            Some(t) if t <= deadline_ms => {
                sim.process_next_event();
            }
            _ => return done(sim),
        }
    }
    done(sim)
}

fn wait_timeout_ms(flags: &Flags) -> Result<u64, String> {
    match flags.get(&["timeout"]) {
        None => Ok(DEFAULT_WAIT_TIMEOUT_MS),
        Some(t) => match parse_duration_ms(t) {
            Ok(0) => Ok(DEFAULT_WAIT_TIMEOUT_MS),
            Ok(ms) => Ok(ms),
            Err(e) => Err(format!("error: {e}")),
        },
    }
}

fn delete(sim: &mut Simulation, flags: &Flags) -> (String, i32) {
    let (res, name) = match type_and_name(&flags.positional) {
        Ok(v) => v,
        Err(e) => return fail(e),
    };
    let Some(name) = name else {
        return fail("error: resource(s) were provided, but no name was specified");
    };
    let timeout_ms = match wait_timeout_ms(flags) {
        Ok(t) => t,
        Err(e) => return fail(e),
    };
    let wait = flags.get(&["wait"]) != Some("false");
    let ns = namespace_of(flags);
    let key: Key = (ns.clone(), name.clone());
    let deadline = sim.now_ms().saturating_add(timeout_ms);
    let plural = res.plural();
    let timed_out = |out: String| fail(format!("{out}error: timed out waiting for the condition on {plural}/{name}"));
    match res {
        Resource::Pods => {
            let force = flags.has(&["force"]);
            let grace = match flags.get(&["grace-period"]).map(str::parse::<i64>) {
                None => None,
                Some(Ok(g)) => Some(g),
                Some(Err(_)) => return fail("error: invalid argument for \"--grace-period\" flag: must be an integer"),
            };
            if grace == Some(0) && !force && !wait {
                return fail("error: --grace-period=0 must have either --force specified, or --wait to be set to true");
            }
            // delete.go: --force without --grace-period means --grace-period=0;
            // --force with a positive grace period is refused.
            if force && grace.is_some_and(|g| g > 0) {
                return fail("error: --force and --grace-period greater than 0 cannot be specified together");
            }
            let grace = if force && grace.is_none() { Some(0) } else { grace };
            let mut out = String::new();
            if force && grace == Some(0) {
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
            let cascade = match flags.get(&["cascade"]).unwrap_or("background") {
                "background" | "true" => Cascade::Background,
                "foreground" => Cascade::Foreground,
                "orphan" | "false" => Cascade::Orphan,
                other => {
                    return fail(format!(
                        "error: invalid cascade value ({other}). Must be \"background\", \"foreground\", or \"orphan\""
                    ))
                }
            };
            if let Err(e) = sim.delete_stateful_set(&key, cascade) {
                return fail(e);
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
                return fail(e);
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
                return fail(e);
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

fn cordon(sim: &mut Simulation, flags: &Flags, on: bool) -> (String, i32) {
    let [node] = flags.positional.as_slice() else {
        return fail(format!(
            "error: exactly one NODE name is required for {}",
            if on { "cordon" } else { "uncordon" }
        ));
    };
    match sim.cordon(node, on) {
        Ok(line) => ok(format!("{line}\n")),
        Err(e) => fail(e),
    }
}

fn drain(sim: &mut Simulation, flags: &Flags) -> (String, i32) {
    let [node] = flags.positional.as_slice() else {
        return fail("error: USAGE: drain NODE [flags]\nSee 'kubectl drain -h' for help and examples");
    };
    let timeout_ms = match wait_timeout_ms(flags) {
        Ok(t) => t,
        Err(e) => return fail(e),
    };
    let (lines, pods) = match sim.drain(node) {
        Ok(v) => v,
        Err(e) => return fail(e),
    };
    let mut out: String = lines.iter().map(|l| format!("{l}\n")).collect();
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
fn step(sim: &mut Simulation, args: &[String]) -> (String, i32) {
    let n = match args {
        [] => 1,
        [n] => match n.parse::<u64>() {
            Ok(n) if (1..=MAX_STEP_COUNT).contains(&n) => n,
            _ => return fail(format!("error: step takes a count from 1 to {MAX_STEP_COUNT}, not \"{n}\"")),
        },
        _ => return (String::from("usage: step [N]\n"), 2),
    };
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
fn run_until_settled(sim: &mut Simulation, args: &[String]) -> (String, i32) {
    if !matches!(args, [a, b] if a == "until" && b == "settled") {
        return (String::from("usage: run until settled\n"), 2);
    }
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

/// `node down NODE` / `node up NODE`: stop or start a node's kubelet.
fn fault_node(sim: &mut Simulation, args: &[String]) -> (String, i32) {
    let result = match args {
        [verb, node] if verb == "down" => sim.node_down(node),
        [verb, node] if verb == "up" => sim.node_up(node),
        _ => return (String::from("usage: node down|up NODE\n"), 2),
    };
    match result {
        Ok(line) => ok(format!("{line}\n")),
        Err(e) => fail(e),
    }
}

/// `pod crash POD [--repeat]`, `pod unready POD`, `pod ready POD` (namespace `default`, or `-n NS`).
fn fault_pod(sim: &mut Simulation, args: &[String]) -> (String, i32) {
    let usage =
        || (String::from("usage: pod crash POD [--repeat] | pod unready POD | pod ready POD  [-n NAMESPACE]\n"), 2);
    let Some((verb, rest)) = args.split_first() else { return usage() };
    let flags = match parse_flags("pod", rest, &[("repeat", None, false)]) {
        Ok(f) => f,
        Err(_) => return usage(),
    };
    let [pod] = flags.positional.as_slice() else { return usage() };
    let key: Key = (namespace_of(&flags), pod.clone());
    let result = match verb.as_str() {
        "crash" => sim.crash_pod(&key, flags.has(&["repeat"])),
        "unready" => sim.set_probe_failing(&key, true),
        "ready" => sim.set_probe_failing(&key, false),
        _ => return usage(),
    };
    match result {
        Ok(line) => ok(format!("{line}\n")),
        Err(e) => fail(e),
    }
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

fn rollout(sim: &mut Simulation, flags: &Flags) -> (String, i32) {
    let Some(sub) = flags.positional.first() else {
        return fail("error: Required resource not specified.");
    };
    if sub != "status" && sub != "history" && sub != "undo" {
        return fail(format!("error: stsplay supports kubectl rollout status|history|undo, not \"{sub}\""));
    }
    let (res, name) = match type_and_name(flags.positional.get(1..).unwrap_or_default()) {
        Ok(v) => v,
        Err(e) => return fail(e),
    };
    if res != Resource::StatefulSets {
        return fail(format!("error: stsplay can show rollout status of statefulsets only, not {}", res.plural()));
    }
    let Some(name) = name else {
        return fail("error: resource(s) were provided, but no name was specified");
    };
    let key: Key = (namespace_of(flags), name);
    match sub.as_str() {
        "history" => return rollout_history(sim, &key),
        "undo" => {
            let to = match flags.get(&["to-revision"]).map(str::parse::<i64>) {
                None => None,
                Some(Ok(n)) => Some(n),
                Some(Err(_)) => return fail("error: invalid argument for \"--to-revision\" flag: must be an integer"),
            };
            return match sim.rollout_undo(&key, to) {
                Ok(line) => ok(format!("{line}\n")),
                Err(e) => fail(e),
            };
        }
        _ => {}
    }
    let timeout_ms = match wait_timeout_ms(flags) {
        Ok(t) => t,
        Err(e) => return fail(e),
    };
    // A missing object is refused before any time passes.
    if let Err(e) = rollout_message(sim, &key) {
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
        let observed = sim.cluster().sets.get(&key).map(|s| (s.generation, s.status.clone()));
        let (msg, done) = match rollout_message(sim, &key) {
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
            _ => break,
        }
    }
    out.push_str("error: timed out waiting for the condition\n");
    (out, 1)
}

/// `kubectl rollout history`: kubectl's `printHistory` (tabwriter, padding 2).
fn rollout_history(sim: &Simulation, key: &Key) -> (String, i32) {
    let revs = match sim.rollout_history(key) {
        Ok(r) => r,
        Err(e) => return fail(e),
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

fn patch(sim: &mut Simulation, flags: &Flags) -> (String, i32) {
    let (res, name) = match type_and_name(&flags.positional) {
        Ok(v) => v,
        Err(e) => return fail(e),
    };
    let Some(name) = name else {
        return fail("error: resource(s) were provided, but no name was specified");
    };
    let Some(text) = flags.get(&["patch"]) else {
        return fail("error: must specify --patch or --patch-file containing the contents of the patch");
    };
    let ty = match flags.get(&["type"]).unwrap_or("strategic") {
        "strategic" => PatchType::Strategic,
        "merge" => PatchType::Merge,
        "json" => PatchType::Json,
        other => return fail(format!("error: --type must be one of [json merge strategic], not \"{other}\"")),
    };
    if res != Resource::StatefulSets {
        return fail(format!("error: stsplay can patch statefulsets only, not {}", res.plural()));
    }
    match sim.patch_stateful_set(&(namespace_of(flags), name.clone()), text, ty) {
        Ok(Updated::Changed) => ok(format!("statefulset.apps/{name} patched\n")),
        Ok(Updated::Unchanged) => ok(format!("statefulset.apps/{name} patched (no change)\n")),
        Err(e) => fail(e),
    }
}

/// `kubectl set image statefulset/NAME CONTAINER=IMAGE ...`.
fn set(sim: &mut Simulation, flags: &Flags) -> (String, i32) {
    let Some((what, rest)) = flags.positional.split_first() else {
        return fail("error: stsplay supports `kubectl set image` only");
    };
    if what != "image" {
        return fail(format!("error: stsplay supports `kubectl set image` only, not `kubectl set {what}`"));
    }
    let split = rest.iter().position(|a| a.contains('=')).unwrap_or(rest.len());
    let (res, name) = match type_and_name(rest.get(..split).unwrap_or_default()) {
        Ok(v) => v,
        Err(e) => return fail(e),
    };
    let Some(name) = name else {
        return fail("error: resource(s) were provided, but no name was specified");
    };
    let images: Vec<(String, String)> = rest
        .get(split..)
        .unwrap_or_default()
        .iter()
        .filter_map(|a| a.split_once('=').map(|(c, i)| (c.to_string(), i.to_string())))
        .collect();
    if images.is_empty() {
        return fail("error: at least one image update is required");
    }
    if res != Resource::StatefulSets {
        return fail(format!("error: stsplay can set images of statefulsets only, not {}", res.plural()));
    }
    match sim.set_image(&(namespace_of(flags), name.clone()), &images) {
        Ok(Updated::Changed) => ok(format!("statefulset.apps/{name} image updated\n")),
        Ok(Updated::Unchanged) => ok(String::new()),
        Err(e) => fail(e),
    }
}

/// `kubectl exec POD -- nslookup NAME`: a lookup from inside the pod.
fn exec(sim: &mut Simulation, flags: &Flags) -> (String, i32) {
    let Some(pod) = flags.positional.first() else {
        return fail("error: expected 'exec POD_NAME COMMAND [ARG1] [ARG2] ... [ARGN]'.\nPOD_NAME and COMMAND are required arguments for the exec command");
    };
    let ns = namespace_of(flags);
    let Some(p) = sim.cluster().pods.get(&(ns.clone(), pod.clone())) else {
        return fail(format!("Error from server (NotFound): pods \"{pod}\" not found"));
    };
    if !p.containers_running || p.is_terminating() {
        return fail(format!(
            "error: unable to upgrade connection: container not found (\"{}\")",
            p.spec.containers.first().map(|c| c.name.as_str()).unwrap_or("")
        ));
    }
    match flags.after_dashdash.as_slice() {
        [cmd, name] if cmd == "nslookup" => nslookup(sim, &ns, name),
        [] => fail("error: you must specify at least one command for the container"),
        other => fail(format!("error: stsplay can run only `nslookup NAME` in a pod, not `{}`", other.join(" "))),
    }
}

/// `kubectl run -i --tty --image busybox:1.28 NAME --restart=Never --rm -- nslookup HOST`,
/// the tutorial's way to look names up from a throwaway pod in `default`. The
/// throwaway pod itself is not simulated (it runs in zero virtual time).
fn run(sim: &mut Simulation, flags: &Flags) -> (String, i32) {
    let Some(name) = flags.positional.first() else {
        return fail("error: NAME is required for run\nSee 'kubectl run -h' for help and examples");
    };
    if flags.get(&["image"]).is_none() {
        return fail("error: required flag(s) \"image\" not set");
    }
    let interactive = flags.has(&["stdin"]);
    match flags.after_dashdash.as_slice() {
        [cmd, host] if cmd == "nslookup" && interactive => {
            let (mut out, code) = nslookup(sim, &namespace_of(flags), host);
            if flags.has(&["rm"]) {
                out.push_str(&format!("pod \"{name}\" deleted\n"));
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
    match crate::dns::resolve(c, namespace, name) {
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
