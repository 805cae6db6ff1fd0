//! The command language shared by `stsplay run` and (later) the web console:
//! a script is one command per line, split with POSIX shell rules. Commands
//! are `kubectl ...`, `sleep DURATION` and `nslookup NAME`; each returns
//! kubectl's own output text and an exit code. Between commands no virtual
//! time passes; `sleep`, `kubectl rollout status` and `kubectl delete` (which
//! waits, like kubectl's default `--wait=true`) advance the clock.
//!
//! The module does no IO: `apply -f PATH` reads through a [`FileSource`].

mod get;
pub mod table;
pub mod words;

use serde::Serialize;

use crate::sim::{Key, Simulation};
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
        self.0
            .get(path)
            .cloned()
            .ok_or_else(|| format!("the path \"{path}\" does not exist"))
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
const MAX_EVENTS_PER_WAIT: usize = 1_000_000;

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
    text.lines()
        .filter_map(|l| l.trim().strip_prefix("# seed:"))
        .find_map(|v| v.trim().parse().ok())
        .unwrap_or(crate::DEFAULT_SEED)
}

/// Runs every line of a script; blank and comment lines are skipped.
pub fn run_script(sim: &mut Simulation, text: &str, files: &dyn FileSource) -> Vec<CommandResult> {
    text.lines()
        .filter_map(|line| {
            let trimmed = line.trim();
            if trimmed.is_empty() || trimmed.starts_with('#') {
                return None;
            }
            Some(run_line(sim, trimmed, files))
        })
        .collect()
}

/// Runs one command line.
pub fn run_line(sim: &mut Simulation, line: &str, files: &dyn FileSource) -> CommandResult {
    let (output, exit_code) = if line.len() > MAX_LINE_BYTES {
        (
            format!(
                "error: command line is {} bytes; the limit is {MAX_LINE_BYTES}\n",
                line.len()
            ),
            2,
        )
    } else {
        match words::split_words(line) {
            Err(e) => (format!("error: {e}\n"), 2),
            Ok(argv) => run_argv(sim, &argv, files),
        }
    };
    CommandResult {
        command: line.to_string(),
        output,
        exit_code,
        time_seconds: sim.now_ms() / 1000,
    }
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
    let Some(program) = argv.first() else {
        return ok(String::new());
    };
    let args = &argv[1..];
    match program.as_str() {
        "kubectl" | "k" => kubectl(sim, args, files),
        "sleep" => match args {
            [d] => match parse_duration_ms(d) {
                Ok(ms) => {
                    let until = sim.now_ms().saturating_add(ms);
                    sim.advance_to(until);
                    ok(String::new())
                }
                Err(e) => fail(format!("sleep: {e}")),
            },
            _ => fail("usage: sleep DURATION (e.g. sleep 30s)"),
        },
        "nslookup" => match args {
            [name] => nslookup(sim, DEFAULT_NAMESPACE, name),
            _ => fail("usage: nslookup NAME"),
        },
        other => (format!("error: unknown command \"{other}\": a script line starts with kubectl, sleep or nslookup\n"), 127),
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
        self.values
            .iter()
            .rev()
            .find(|(k, _)| names.contains(&k.as_str()))
            .map(|(_, v)| v.as_str())
    }
    fn all(&self, names: &[&str]) -> Vec<&str> {
        self.values
            .iter()
            .filter(|(k, _)| names.contains(&k.as_str()))
            .map(|(_, v)| v.as_str())
            .collect()
    }
    fn has(&self, names: &[&str]) -> bool {
        self.get(names).is_some_and(|v| v != "false")
    }
}

/// Flag spec: (long name, short name, takes a value).
type FlagSpec = (&'static str, Option<char>, bool);

const COMMON: &[FlagSpec] = &[
    ("namespace", Some('n'), true),
    ("all-namespaces", Some('A'), false),
];

fn parse_flags(cmd: &str, args: &[String], spec: &[FlagSpec]) -> Result<Flags, String> {
    let mut flags = Flags::default();
    let lookup_long = |name: &str| {
        spec.iter()
            .chain(COMMON)
            .find(|(l, _, _)| *l == name)
            .copied()
    };
    let lookup_short = |c: char| {
        spec.iter()
            .chain(COMMON)
            .find(|(_, s, _)| *s == Some(c))
            .copied()
    };
    let mut i = 0;
    while i < args.len() {
        let a = &args[i];
        i += 1;
        if a == "--" {
            flags.after_dashdash = args[i..].to_vec();
            break;
        }
        if let Some(long) = a.strip_prefix("--") {
            let (name, inline) = match long.split_once('=') {
                Some((n, v)) => (n, Some(v.to_string())),
                None => (long, None),
            };
            let Some((l, _, takes)) = lookup_long(name) else {
                return Err(format!(
                    "error: unknown flag: --{name}\nSee 'kubectl {cmd} --help' for usage."
                ));
            };
            let value = match (takes, inline) {
                (_, Some(v)) => v,
                (true, None) => {
                    let Some(v) = args.get(i) else {
                        return Err(format!("error: flag needs an argument: --{name}\nSee 'kubectl {cmd} --help' for usage."));
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
                    return Err(format!("error: unknown shorthand flag: '{c}' in {a}\nSee 'kubectl {cmd} --help' for usage."));
                };
                if takes {
                    let rest: String = chars.collect();
                    let value = if !rest.is_empty() {
                        rest.trim_start_matches('=').to_string()
                    } else if let Some(v) = args.get(i) {
                        i += 1;
                        v.clone()
                    } else {
                        return Err(format!("error: flag needs an argument: '{c}' in {a}\nSee 'kubectl {cmd} --help' for usage."));
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
    flags
        .get(&["namespace"])
        .unwrap_or(DEFAULT_NAMESPACE)
        .to_string()
}

fn kubectl(sim: &mut Simulation, args: &[String], files: &dyn FileSource) -> (String, i32) {
    let Some(verb) = args.first() else {
        return fail("error: kubectl needs a command, e.g. kubectl get pods");
    };
    let rest = &args[1..];
    let parsed = match verb.as_str() {
        "apply" => parse_flags("apply", rest, &[("filename", Some('f'), true)]),
        "get" => parse_flags(
            "get",
            rest,
            &[
                ("selector", Some('l'), true),
                ("output", Some('o'), true),
                ("show-labels", None, false),
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
            ],
        ),
        "rollout" => parse_flags(
            "rollout",
            rest,
            &[("timeout", None, true), ("watch", Some('w'), false)],
        ),
        "exec" => parse_flags(
            "exec",
            rest,
            &[
                ("stdin", Some('i'), false),
                ("tty", Some('t'), false),
                ("container", Some('c'), true),
            ],
        ),
        other => {
            return fail(format!(
                "error: unknown command \"{other}\" for \"kubectl\""
            ))
        }
    };
    let flags = match parsed {
        Ok(f) => f,
        Err(e) => return fail(e),
    };
    match verb.as_str() {
        "apply" => apply(sim, &flags, files),
        "get" => get::get(sim, &flags),
        "scale" => scale(sim, &flags),
        "delete" => delete(sim, &flags),
        "rollout" => rollout(sim, &flags),
        "exec" => exec(sim, &flags),
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
            Ok(t) => texts.push((p.to_string(), t)),
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
}

impl Resource {
    pub(crate) fn parse(s: &str) -> Option<Resource> {
        Some(match s {
            "pod" | "pods" | "po" => Resource::Pods,
            "pvc" | "persistentvolumeclaim" | "persistentvolumeclaims" => Resource::Claims,
            "pv" | "persistentvolume" | "persistentvolumes" => Resource::Volumes,
            "sts" | "statefulset" | "statefulsets" | "statefulset.apps" | "statefulsets.apps" => {
                Resource::StatefulSets
            }
            "svc" | "service" | "services" => Resource::Services,
            "no" | "node" | "nodes" => Resource::Nodes,
            "sc" | "storageclass" | "storageclasses" | "storageclass.storage.k8s.io" => {
                Resource::StorageClasses
            }
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
        }
    }
    pub(crate) fn namespaced(self) -> bool {
        matches!(
            self,
            Resource::Pods | Resource::Claims | Resource::StatefulSets | Resource::Services
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
        return Err(format!(
            "error: the server doesn't have a resource type \"{ty}\""
        ));
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
        return fail(format!(
            "error: stsplay can scale statefulsets only, not {}",
            res.plural()
        ));
    }
    let Some(name) = name else {
        return fail("error: resource(s) were provided, but no name was specified");
    };
    match sim.scale_stateful_set(&(namespace_of(flags), name), replicas) {
        Ok(line) => ok(format!("{line}\n")),
        Err(e) => fail(e),
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
    if res != Resource::Pods {
        return fail(format!("error: stsplay cannot delete {} yet", res.plural()));
    }
    let key: Key = (namespace_of(flags), name.clone());
    let uid = match sim.delete_pod_by_user(&key) {
        Ok(uid) => uid,
        Err(e) => return fail(e),
    };
    let out = format!("pod \"{name}\" deleted\n");
    if flags.get(&["wait"]) == Some("false") {
        return ok(out);
    }
    // kubectl waits until the object is gone.
    let deadline = sim.now_ms().saturating_add(DEFAULT_WAIT_TIMEOUT_MS);
    for _ in 0..MAX_EVENTS_PER_WAIT {
        let gone = sim.cluster().pods.get(&key).is_none_or(|p| p.uid != uid);
        if gone {
            return ok(out);
        }
        match sim.next_event_ms() {
            Some(t) if t <= deadline => {
                sim.process_next_event();
            }
            _ => break,
        }
    }
    fail(format!(
        "{out}error: timed out waiting for the condition on pods/{name}"
    ))
}

/// kubectl's `StatefulSetStatusViewer.Status` (rollout_status.go).
fn rollout_message(sim: &Simulation, key: &Key) -> Result<(String, bool), String> {
    let Some(s) = sim.cluster().sets.get(key) else {
        return Err(format!(
            "Error from server (NotFound): statefulsets.apps \"{}\" not found",
            key.1
        ));
    };
    let UpdateStrategy::RollingUpdate { partition, .. } = &s.set.spec.update_strategy else {
        return Err(
            "error: rollout status is only available for RollingUpdate strategy type".to_string(),
        );
    };
    let st = &s.status;
    if st.observed_generation == 0 || s.generation > st.observed_generation {
        return Ok((
            "Waiting for statefulset spec update to be observed...".to_string(),
            false,
        ));
    }
    let replicas = s.set.spec.replicas;
    if st.ready_replicas < replicas {
        return Ok((
            format!(
                "Waiting for {} pods to be ready...",
                replicas - st.ready_replicas
            ),
            false,
        ));
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
    Ok((
        format!(
            "partitioned roll out complete: {} new pods have been updated...",
            st.updated_replicas
        ),
        true,
    ))
}

fn rollout(sim: &mut Simulation, flags: &Flags) -> (String, i32) {
    let Some(sub) = flags.positional.first() else {
        return fail("error: Required resource not specified.");
    };
    if sub != "status" {
        return fail(format!(
            "error: stsplay supports \"kubectl rollout status\" only, not \"{sub}\""
        ));
    }
    let (res, name) = match type_and_name(&flags.positional[1..]) {
        Ok(v) => v,
        Err(e) => return fail(e),
    };
    if res != Resource::StatefulSets {
        return fail(format!(
            "error: stsplay can show rollout status of statefulsets only, not {}",
            res.plural()
        ));
    }
    let Some(name) = name else {
        return fail("error: resource(s) were provided, but no name was specified");
    };
    let timeout_ms = match flags.get(&["timeout"]) {
        Some(t) => match parse_duration_ms(t) {
            Ok(0) => DEFAULT_WAIT_TIMEOUT_MS,
            Ok(ms) => ms,
            Err(e) => return fail(format!("error: {e}")),
        },
        None => DEFAULT_WAIT_TIMEOUT_MS,
    };
    let key: Key = (namespace_of(flags), name);
    let deadline = sim.now_ms().saturating_add(timeout_ms);
    let mut out = String::new();
    // kubectl prints the status on every watch event of the object, so an
    // unchanged message repeats when the status changed in another field.
    let mut last_seen = None;
    for _ in 0..MAX_EVENTS_PER_WAIT {
        let observed = sim
            .cluster()
            .sets
            .get(&key)
            .map(|s| (s.generation, s.status.clone()));
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

/// `kubectl exec POD -- nslookup NAME`: a lookup from inside the pod.
fn exec(sim: &mut Simulation, flags: &Flags) -> (String, i32) {
    let Some(pod) = flags.positional.first() else {
        return fail("error: expected 'exec POD_NAME COMMAND [ARG1] [ARG2] ... [ARGN]'.\nPOD_NAME and COMMAND are required arguments for the exec command");
    };
    let ns = namespace_of(flags);
    let Some(p) = sim.cluster().pods.get(&(ns.clone(), pod.clone())) else {
        return fail(format!(
            "Error from server (NotFound): pods \"{pod}\" not found"
        ));
    };
    if !p.containers_running || p.is_terminating() {
        return fail(format!(
            "error: unable to upgrade connection: container not found (\"{}\")",
            p.spec
                .containers
                .first()
                .map(|c| c.name.as_str())
                .unwrap_or("")
        ));
    }
    match flags.after_dashdash.as_slice() {
        [cmd, name] if cmd == "nslookup" => nslookup(sim, &ns, name),
        [] => fail("error: you must specify at least one command for the container"),
        other => fail(format!(
            "error: stsplay can run only `nslookup NAME` in a pod, not `{}`",
            other.join(" ")
        )),
    }
}

/// busybox 1.28 `nslookup` output, as in the "StatefulSet Basics" tutorial.
fn nslookup(sim: &Simulation, namespace: &str, name: &str) -> (String, i32) {
    let c = sim.cluster();
    let server_name = crate::dns::reverse(c, crate::dns::DNS_SERVER_IP).unwrap_or_default();
    let mut out = format!(
        "Server:    {ip}\nAddress 1: {ip} {server_name}\n\n",
        ip = crate::dns::DNS_SERVER_IP
    );
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
