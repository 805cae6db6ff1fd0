//! The command language as data: [`COMMANDS`], one table of every command
//! of `stsplay run` with its flags (long name, shorthand, value type, help),
//! which parsing, completion, help text and `Display` all read; and
//! [`Command`], a parsed command line as a typed value.
//!
//! Parsing follows cobra/pflag (`spf13/pflag` `flag.go` `parseLongArg`,
//! `parseShortArg`; `spf13/cobra` `command.go` `Find`): `--name=value`,
//! `--name value`, `-x value`, `-xvalue`, `-abc` for bool shorthands, `--`
//! ends the flags. A flag's value is checked against its type when it is
//! parsed, with pflag's wording (`invalid argument "x" for "--replicas" flag:
//! strconv.ParseInt: parsing "x": invalid syntax`).

use std::fmt;

use crate::apiserver::patch::PatchType;
use crate::sim::Cascade;
use crate::timefmt::parse_duration_ms;

/// A flag's value type.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FlagType {
    /// `--force`, `--force=false` (strconv.ParseBool).
    Bool,
    /// An integer in any base (strconv.ParseInt(v, 0, 64): `3`, `0x3`, `0o3`, `03`, `0b11`, `1_000`).
    Int,
    /// A Go duration (`30s`, `1m30s`) or a bare number of seconds.
    Duration,
    /// Any text.
    Str,
    /// One of these values.
    Enum(&'static [&'static str]),
}

/// One flag of a command.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct FlagDef {
    pub long: &'static str,
    pub short: Option<char>,
    pub ty: FlagType,
    /// kubectl's help text, where kubectl has the flag.
    pub help: &'static str,
}

impl FlagDef {
    /// pflag's `NoOptDefVal`: the value of the flag written without one
    /// (`--force`, `--cascade`); such a flag never takes the next argument
    /// as its value (`spf13/pflag` `flag.go` `parseLongArg`). `--cascade` is
    /// `background` (kubectl `cmd/delete/delete_flags.go` `AddFlags`:
    /// `cmd.Flags().Lookup("cascade").NoOptDefVal = "background"`).
    pub fn no_opt_default(&self) -> Option<&'static str> {
        match (self.ty, self.long) {
            (FlagType::Bool, _) => Some("true"),
            (_, "cascade") => Some("background"),
            _ => None,
        }
    }
}

/// What a positional argument is, for completion.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Arg {
    /// A resource type (`TYPE` or `TYPE/NAME`) out of these.
    Type(&'static [Resource]),
    /// An object of the type named by the previous argument.
    Name,
    /// `statefulset/NAME`.
    SetRef,
    /// A node name.
    Node,
    /// A pod name (in the command's namespace).
    Pod,
    /// Free text (a new name, a DNS name, a duration).
    Text,
}

/// One command of the language: its words, argument synopsis, flags and help.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct CommandDef {
    /// The command's leading words: `kubectl get`, `kubectl rollout status`, `pod crash`.
    pub path: &'static str,
    /// The synopsis of its arguments: `TYPE [NAME]`.
    pub args: &'static str,
    /// Positional arguments, for completion.
    pub positional: &'static [Arg],
    pub flags: &'static [FlagDef],
    pub help: &'static str,
}

impl CommandDef {
    /// Its own flags, then (for kubectl commands) `-n` and `-A`.
    pub fn all_flags(&self) -> impl Iterator<Item = &'static FlagDef> {
        let common: &'static [FlagDef] = if self.path.starts_with("kubectl ") { COMMON_FLAGS } else { &[] };
        self.flags.iter().chain(common.iter())
    }
    /// `kubectl get TYPE [NAME] [flags]`: the synopsis the CLI's help prints.
    pub fn synopsis(&self) -> String {
        let mut s = self.path.to_string();
        if !self.args.is_empty() {
            s.push(' ');
            s.push_str(self.args);
        }
        s
    }
}

const fn flag(long: &'static str, short: Option<char>, ty: FlagType, help: &'static str) -> FlagDef {
    FlagDef { long, short, ty, help }
}

use FlagType::{Bool, Duration, Int, Str};

/// `-n` and `-A`, which every kubectl command takes (`genericclioptions`' `ConfigFlags`,
/// and `kubectl get`'s `--all-namespaces`).
pub const COMMON_FLAGS: &[FlagDef] = &[
    flag("namespace", Some('n'), Str, "If present, the namespace scope for this CLI request"),
    flag("all-namespaces", Some('A'), Bool, "If present, list the requested object(s) across all namespaces."),
];

const NAMESPACE_FLAG: FlagDef = flag("namespace", Some('n'), Str, "The pod's namespace (default: default)");

pub const OUTPUT_FORMATS: &[&str] = &["wide", "name"];
pub const CASCADE_VALUES: &[&str] = &["background", "foreground", "orphan"];
pub const PATCH_TYPES: &[&str] = &["strategic", "merge", "json"];

const ANY_TYPE: &[Resource] = &[
    Resource::Pods,
    Resource::StatefulSets,
    Resource::Services,
    Resource::Claims,
    Resource::Volumes,
    Resource::Nodes,
    Resource::StorageClasses,
    Resource::ControllerRevisions,
    Resource::Namespaces,
    Resource::Events,
];
const DESCRIBABLE: &[Resource] = &[Resource::Pods, Resource::StatefulSets, Resource::Claims, Resource::Nodes];
const DELETABLE: &[Resource] = &[Resource::Pods, Resource::StatefulSets, Resource::Claims, Resource::Volumes];
const SETS: &[Resource] = &[Resource::StatefulSets];

// Help texts are kubectl's (`kubectl/pkg/cmd/<verb>/<verb>.go`), shortened to one line.
const DELETE_FLAGS: &[FlagDef] = &[
    flag("wait", None, Bool, "If true, wait for resources to be gone before returning. This waits for finalizers."),
    flag(
        "grace-period",
        None,
        Int,
        "Period of time in seconds given to the resource to terminate gracefully. Ignored if negative. Set to 1 for immediate shutdown. Can only be set to 0 when --force is true (force deletion).",
    ),
    flag("force", None, Bool, "If true, immediately remove resources from API and bypass graceful deletion."),
    flag("now", None, Bool, "If true, resources are signaled for immediate shutdown (same as --grace-period=1)."),
    flag(
        "cascade",
        None,
        FlagType::Enum(CASCADE_VALUES),
        "Must be \"background\", \"orphan\", or \"foreground\". Defaults to background.",
    ),
    flag("timeout", None, Duration, "The length of time to wait before giving up on a delete."),
];

/// Every command of `stsplay run`, in the order help lists them.
pub const COMMANDS: &[CommandDef] = &[
    CommandDef {
        path: "kubectl apply",
        args: "-f PATH",
        positional: &[],
        flags: &[flag("filename", Some('f'), Str, "The files that contain the configurations to apply.")],
        help: "Create or update objects; all documents or none",
    },
    CommandDef {
        path: "kubectl get",
        args: "TYPE [NAME]",
        positional: &[Arg::Type(ANY_TYPE), Arg::Name],
        flags: &[
            flag(
                "selector",
                Some('l'),
                Str,
                "Selector (label query) to filter on, supports '=', '==', and '!='.(e.g. -l key1=value1,key2=value2)",
            ),
            flag("output", Some('o'), FlagType::Enum(OUTPUT_FORMATS), "Output format. One of: (wide, name)."),
            flag("show-labels", None, Bool, "When printing, show all labels as the last column (default hide labels column)"),
            flag(
                "label-columns",
                Some('L'),
                Str,
                "Accepts a comma separated list of labels that are going to be presented as columns.",
            ),
        ],
        help: "List objects (and events) in kubectl's columns",
    },
    CommandDef {
        path: "kubectl describe",
        args: "TYPE NAME",
        positional: &[Arg::Type(DESCRIBABLE), Arg::Name],
        flags: &[],
        help: "Show an object in kubectl's describer layout, with its Events",
    },
    CommandDef {
        path: "kubectl scale",
        args: "statefulset NAME --replicas=N",
        positional: &[Arg::Type(SETS), Arg::Name],
        flags: &[flag("replicas", None, Int, "The new desired number of replicas. Required.")],
        help: "Set a StatefulSet's replicas",
    },
    CommandDef {
        path: "kubectl delete",
        args: "TYPE NAME",
        positional: &[Arg::Type(DELETABLE), Arg::Name],
        flags: DELETE_FLAGS,
        help: "Delete a pod, StatefulSet, claim or volume (waits until it is gone)",
    },
    CommandDef {
        path: "kubectl rollout status",
        args: "statefulset/NAME",
        positional: &[Arg::SetRef],
        flags: &[
            flag("timeout", None, Duration, "The length of time to wait before ending watch, zero means never."),
            flag("watch", Some('w'), Bool, "Watch the status of the rollout until it's done."),
            flag("revision", None, Int, "Pin to a specific revision for showing its status. Defaults to 0 (last revision)."),
        ],
        help: "Wait for a rolling update, printing kubectl's messages",
    },
    CommandDef {
        path: "kubectl rollout history",
        args: "statefulset/NAME",
        positional: &[Arg::SetRef],
        flags: &[flag("revision", None, Int, "See the details, including podTemplate of the revision specified")],
        help: "List a StatefulSet's revisions",
    },
    CommandDef {
        path: "kubectl rollout undo",
        args: "statefulset/NAME",
        positional: &[Arg::SetRef],
        flags: &[flag("to-revision", None, Int, "The revision to rollback to. Default to 0 (last revision).")],
        help: "Roll back to a previous revision",
    },
    CommandDef {
        path: "kubectl patch",
        args: "statefulset NAME -p PATCH",
        positional: &[Arg::Type(SETS), Arg::Name],
        flags: &[
            flag("patch", Some('p'), Str, "The patch to be applied to the resource JSON file."),
            flag(
                "type",
                None,
                FlagType::Enum(PATCH_TYPES),
                "The type of patch being provided; one of [json merge strategic]",
            ),
        ],
        help: "Patch a StatefulSet, with the API server's checks",
    },
    CommandDef {
        path: "kubectl set image",
        args: "statefulset/NAME CONTAINER=IMAGE",
        positional: &[Arg::SetRef, Arg::Text],
        flags: &[],
        help: "Change a container's image (starts a rolling update)",
    },
    CommandDef {
        path: "kubectl cordon",
        args: "NODE",
        positional: &[Arg::Node],
        flags: &[],
        help: "Mark a node unschedulable",
    },
    CommandDef {
        path: "kubectl uncordon",
        args: "NODE",
        positional: &[Arg::Node],
        flags: &[],
        help: "Mark a node schedulable",
    },
    CommandDef {
        path: "kubectl drain",
        args: "NODE",
        positional: &[Arg::Node],
        flags: &[
            flag("ignore-daemonsets", None, Bool, "Ignore DaemonSet-managed pods."),
            flag("delete-emptydir-data", None, Bool, "Continue even if there are pods using emptyDir."),
            flag("force", None, Bool, "Continue even if there are pods that do not declare a controller."),
            flag("timeout", None, Duration, "The length of time to wait before giving up, zero means infinite"),
            flag(
                "grace-period",
                None,
                Int,
                "Period of time in seconds given to each pod to terminate gracefully. If negative, the default value specified in the pod will be used.",
            ),
        ],
        help: "Cordon a node and evict its pods",
    },
    CommandDef {
        path: "kubectl exec",
        args: "POD -- nslookup NAME",
        positional: &[Arg::Pod],
        flags: &[
            flag("stdin", Some('i'), Bool, "Pass stdin to the container"),
            flag("tty", Some('t'), Bool, "Stdin is a TTY"),
            flag("container", Some('c'), Str, "Container name. If omitted, the first container in the pod will be chosen"),
        ],
        help: "Look a name up from inside a pod",
    },
    CommandDef {
        path: "kubectl run",
        args: "NAME -i --image=IMAGE [--rm] -- nslookup NAME",
        positional: &[Arg::Text],
        flags: &[
            flag("stdin", Some('i'), Bool, "Keep stdin open on the container in the pod, even if nothing is attached."),
            flag("tty", Some('t'), Bool, "Allocate a TTY for the container in the pod."),
            flag("image", None, Str, "The image for the container to run."),
            flag("restart", None, Str, "The restart policy for this Pod. Legal values [Always, OnFailure, Never]."),
            flag("rm", None, Bool, "If true, delete the pod after it exits."),
            flag("command", None, Bool, "If true and extra arguments are present, use them as the 'command' field."),
        ],
        help: "A throwaway pod's lookup (the tutorial's)",
    },
    CommandDef {
        path: "step",
        args: "[N]",
        positional: &[Arg::Text],
        flags: &[],
        help: "What the Step button does, N times: process events until something visible changes",
    },
    CommandDef {
        path: "run until settled",
        args: "",
        positional: &[],
        flags: &[],
        help: "Step until nothing is pending",
    },
    CommandDef {
        path: "sleep",
        args: "DURATION",
        positional: &[Arg::Text],
        flags: &[],
        help: "Advance virtual time (30s, 1m30s, 500ms)",
    },
    CommandDef {
        path: "nslookup",
        args: "NAME",
        positional: &[Arg::Text],
        flags: &[],
        help: "Look a name up as from a busybox pod in default",
    },
    CommandDef {
        path: "node down",
        args: "NODE",
        positional: &[Arg::Node],
        flags: &[],
        help: "Stop a node's kubelet (the control plane notices after 50 s)",
    },
    CommandDef {
        path: "node up",
        args: "NODE",
        positional: &[Arg::Node],
        flags: &[],
        help: "Start a node's kubelet again",
    },
    CommandDef {
        path: "pod crash",
        args: "POD",
        positional: &[Arg::Pod],
        flags: &[flag("repeat", None, Bool, "Crash on every start (CrashLoopBackOff)"), NAMESPACE_FLAG],
        help: "A container exits with code 1",
    },
    CommandDef {
        path: "pod unready",
        args: "POD",
        positional: &[Arg::Pod],
        flags: &[NAMESPACE_FLAG],
        help: "The readiness probe starts failing",
    },
    CommandDef {
        path: "pod ready",
        args: "POD",
        positional: &[Arg::Pod],
        flags: &[NAMESPACE_FLAG],
        help: "The readiness probe passes again",
    },
];

/// The table entry for a command path (`kubectl rollout status`).
pub fn command_def(path: &str) -> Option<&'static CommandDef> {
    COMMANDS.iter().find(|d| d.path == path)
}

/// `-o, --output=wide|name`: a flag as help lists it.
fn flag_usage(f: &FlagDef) -> String {
    let mut s = f.short.map(|c| format!("-{c}, ")).unwrap_or_default();
    s.push_str("--");
    s.push_str(f.long);
    match f.ty {
        FlagType::Bool => {}
        FlagType::Int => s.push_str("=N"),
        FlagType::Duration => s.push_str("=DURATION"),
        FlagType::Str => s.push_str("=VALUE"),
        FlagType::Enum(values) => {
            s.push('=');
            s.push_str(&values.join("|"));
        }
    }
    s
}

/// Every command with its synopsis, help and flags, as `stsplay --help` prints it
/// (kubectl's `-n, --namespace` and `-A, --all-namespaces` are listed once).
pub fn help_text() -> String {
    let mut out = String::from("Commands:\n");
    for d in COMMANDS {
        let synopsis = d.synopsis();
        if synopsis.len() > 44 {
            out.push_str(&format!("  {synopsis}\n  {:<44} {}\n", "", d.help));
        } else {
            out.push_str(&format!("  {synopsis:<44} {}\n", d.help));
        }
        if !d.flags.is_empty() {
            let flags: Vec<String> = d.flags.iter().map(flag_usage).collect();
            out.push_str(&format!("      {}\n", flags.join("  ")));
        }
    }
    let common: Vec<String> = COMMON_FLAGS.iter().map(flag_usage).collect();
    out.push_str(&format!("Every kubectl command takes {}.\n", common.join(" and ")));
    out
}

// ---------------------------------------------------------------------------
// Resource types
// ---------------------------------------------------------------------------

/// Resource types kubectl accepts, with their names and aliases.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Resource {
    Pods,
    Claims,
    Volumes,
    StatefulSets,
    Services,
    Nodes,
    StorageClasses,
    ControllerRevisions,
    Namespaces,
    /// `kubectl get events` only.
    Events,
}

/// (resource, singular, plural, kubectl's short name, every other accepted spelling).
type ResourceNames = (Resource, &'static str, &'static str, Option<&'static str>, &'static [&'static str]);

/// kubectl's names for each type (`kubectl api-resources`).
pub const RESOURCE_NAMES: &[ResourceNames] = &[
    (Resource::Pods, "pod", "pods", Some("po"), &[]),
    (Resource::StatefulSets, "statefulset", "statefulsets", Some("sts"), &["statefulset.apps", "statefulsets.apps"]),
    (Resource::Services, "service", "services", Some("svc"), &[]),
    (Resource::Claims, "persistentvolumeclaim", "persistentvolumeclaims", Some("pvc"), &["persistentvolumeclaims"]),
    (Resource::Volumes, "persistentvolume", "persistentvolumes", Some("pv"), &[]),
    (Resource::Nodes, "node", "nodes", Some("no"), &[]),
    (Resource::StorageClasses, "storageclass", "storageclasses", Some("sc"), &["storageclass.storage.k8s.io"]),
    (Resource::ControllerRevisions, "controllerrevision", "controllerrevisions", None, &["controllerrevisions.apps"]),
    (Resource::Namespaces, "namespace", "namespaces", Some("ns"), &[]),
    (Resource::Events, "event", "events", Some("ev"), &[]),
];

impl Resource {
    fn names(self) -> Option<&'static ResourceNames> {
        RESOURCE_NAMES.iter().find(|r| r.0 == self)
    }
    pub fn parse(s: &str) -> Option<Resource> {
        RESOURCE_NAMES
            .iter()
            .find(|(_, one, many, short, other)| s == *one || s == *many || Some(s) == *short || other.contains(&s))
            .map(|r| r.0)
    }
    /// `pod`, `statefulset`: how `Display` names one object's type.
    pub fn singular(self) -> &'static str {
        self.names().map_or("", |n| n.1)
    }
    /// `pods`, `statefulsets`: how `Display` names a list's type.
    pub fn list_name(self) -> &'static str {
        self.names().map_or("", |n| n.2)
    }
    /// kubectl's short name (`po`, `sts`).
    pub fn short_name(self) -> Option<&'static str> {
        self.names().and_then(|n| n.3)
    }
    /// `resource.group` as in the API server's `pods "x" not found`.
    pub fn plural(self) -> &'static str {
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
            Resource::Events => "events",
        }
    }
    pub fn namespaced(self) -> bool {
        matches!(
            self,
            Resource::Pods
                | Resource::Claims
                | Resource::StatefulSets
                | Resource::Services
                | Resource::ControllerRevisions
                | Resource::Events
        )
    }
}

// ---------------------------------------------------------------------------
// Typed commands
// ---------------------------------------------------------------------------

/// A parsed command line.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Command {
    /// A line with no words: does nothing.
    Empty,
    Kubectl(Kubectl),
    /// `step [N]`.
    Step {
        count: u64,
    },
    /// `run until settled`.
    RunUntilSettled,
    /// `sleep DURATION`.
    Sleep {
        duration_ms: u64,
    },
    /// `nslookup NAME`.
    Nslookup {
        name: String,
    },
    /// `node down|up NODE`.
    Node {
        action: NodeAction,
        node: String,
    },
    /// `pod crash POD [--repeat]`, `pod unready|ready POD` (`-n NAMESPACE`).
    Pod {
        action: PodAction,
        pod: String,
        namespace: Option<String>,
    },
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum NodeAction {
    Down,
    Up,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum PodAction {
    Crash { repeat: bool },
    Unready,
    Ready,
}

/// A kubectl command: its verb and the flags every verb takes.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Kubectl {
    pub verb: Verb,
    /// `-n NAMESPACE` (None: `default`).
    pub namespace: Option<String>,
    /// `-A`.
    pub all_namespaces: bool,
}

impl Kubectl {
    /// A kubectl command in the `default` namespace.
    pub fn new(verb: Verb) -> Kubectl {
        Kubectl { verb, namespace: None, all_namespaces: false }
    }
    /// The command in namespace `ns` (`-n NS`).
    pub fn in_namespace(mut self, ns: &str) -> Kubectl {
        self.namespace = Some(ns.to_string());
        self
    }
    /// The namespace the command acts in.
    pub fn namespace(&self) -> &str {
        self.namespace.as_deref().unwrap_or(crate::spec::DEFAULT_NAMESPACE)
    }
}

/// `kubectl get -o`.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum OutputFormat {
    #[default]
    Table,
    Wide,
    Name,
}

/// `kubectl get TYPE [NAME]`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Get {
    /// [`Resource::Events`] for `kubectl get events`.
    pub resource: Resource,
    /// The names asked for, in order (none: list them all).
    pub names: Vec<String>,
    pub selector: Option<String>,
    pub label_columns: Vec<String>,
    pub show_labels: bool,
    pub output: OutputFormat,
}

/// `kubectl delete TYPE NAME`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Delete {
    pub resource: Resource,
    pub name: String,
    pub grace_period: Option<i64>,
    pub force: bool,
    pub now: bool,
    pub wait: bool,
    pub cascade: Cascade,
    /// `--timeout` (None or 0: the default wait).
    pub timeout_ms: Option<u64>,
}

impl Delete {
    /// `kubectl delete TYPE NAME` with kubectl's defaults (wait, background cascade).
    pub fn new(resource: Resource, name: &str) -> Delete {
        Delete {
            resource,
            name: name.to_string(),
            grace_period: None,
            force: false,
            now: false,
            wait: true,
            cascade: Cascade::Background,
            timeout_ms: None,
        }
    }
}

impl From<Verb> for Command {
    fn from(verb: Verb) -> Command {
        Command::Kubectl(Kubectl::new(verb))
    }
}

impl From<Kubectl> for Command {
    fn from(k: Kubectl) -> Command {
        Command::Kubectl(k)
    }
}

/// `kubectl rollout status|history|undo`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Rollout {
    Status { timeout_ms: Option<u64>, watch: bool, revision: Option<i64> },
    History { revision: Option<i64> },
    Undo { to_revision: Option<i64> },
}

/// `kubectl drain NODE`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Drain {
    pub node: String,
    pub ignore_daemonsets: bool,
    pub delete_emptydir_data: bool,
    pub force: bool,
    pub grace_period: Option<i64>,
    pub timeout_ms: Option<u64>,
}

/// `kubectl exec POD -- COMMAND...`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Exec {
    pub pod: String,
    pub container: Option<String>,
    pub stdin: bool,
    pub tty: bool,
    pub command: Vec<String>,
}

/// `kubectl run NAME --image=IMAGE ... -- COMMAND...`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Run {
    pub name: String,
    pub image: String,
    pub stdin: bool,
    pub tty: bool,
    pub restart: Option<String>,
    pub rm: bool,
    pub command_flag: bool,
    pub command: Vec<String>,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Verb {
    Apply {
        filenames: Vec<String>,
    },
    Get(Get),
    Describe {
        resource: Resource,
        name: String,
    },
    /// `kubectl scale statefulset NAME... --replicas=N` (one or more names).
    Scale {
        names: Vec<String>,
        replicas: i32,
    },
    Delete(Delete),
    /// `kubectl rollout SUB statefulset/NAME`.
    Rollout {
        sub: Rollout,
        name: String,
    },
    /// `kubectl patch statefulset NAME -p PATCH --type T`.
    Patch {
        name: String,
        patch: String,
        patch_type: PatchType,
    },
    /// `kubectl set image statefulset/NAME CONTAINER=IMAGE...`.
    SetImage {
        name: String,
        images: Vec<(String, String)>,
    },
    Cordon {
        node: String,
    },
    Uncordon {
        node: String,
    },
    Drain(Drain),
    Exec(Exec),
    Run(Run),
}

/// A refused command line: the message (kubectl's wording) and exit code.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CommandError {
    pub message: String,
    pub exit_code: i32,
}

impl CommandError {
    fn new(message: impl Into<String>) -> CommandError {
        CommandError { message: message.into(), exit_code: 1 }
    }
    fn usage(message: impl Into<String>) -> CommandError {
        CommandError { message: message.into(), exit_code: 2 }
    }
}

impl fmt::Display for CommandError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

// ---------------------------------------------------------------------------
// Flag parsing
// ---------------------------------------------------------------------------

/// Flags as parsed, each value already checked against its type.
#[derive(Debug, Default)]
struct Flags {
    positional: Vec<String>,
    values: Vec<(&'static str, String)>,
    after_dashdash: Vec<String>,
}

impl Flags {
    fn get(&self, name: &str) -> Option<&str> {
        self.values.iter().rev().find(|(k, _)| *k == name).map(|(_, v)| v.as_str())
    }
    fn all(&self, name: &str) -> Vec<String> {
        self.values.iter().filter(|(k, _)| *k == name).map(|(_, v)| v.clone()).collect()
    }
    fn bool(&self, name: &str) -> bool {
        self.get(name).is_some_and(|v| parse_bool(v) == Some(true))
    }
    fn bool_or(&self, name: &str, default: bool) -> bool {
        self.get(name).and_then(parse_bool).unwrap_or(default)
    }
    fn int(&self, name: &str) -> Option<i64> {
        self.get(name).and_then(|v| go_parse_int(v, 64).ok())
    }
    fn duration(&self, name: &str) -> Option<u64> {
        self.get(name).and_then(|v| parse_duration_ms(v).ok())
    }
    fn str(&self, name: &str) -> Option<String> {
        self.get(name).map(str::to_string)
    }
}

/// strconv.ParseBool.
fn parse_bool(v: &str) -> Option<bool> {
    match v {
        "1" | "t" | "T" | "true" | "TRUE" | "True" => Some(true),
        "0" | "f" | "F" | "false" | "FALSE" | "False" => Some(false),
        _ => None,
    }
}

/// strconv.ParseInt(v, 0, bits), as pflag's int flags call it
/// (`spf13/pflag` `int.go`/`int64.go`/`int32.go`): base 0 takes the prefix
/// `0x`/`0X` (hex), `0o`/`0O` or a bare leading `0` (octal), `0b`/`0B`
/// (binary), else decimal, with `_` between digits (`strconv/atoi.go`
/// `ParseUint`, `underscoreOK`). The error is ParseInt's reason.
pub(crate) fn go_parse_int(v: &str, bits: u32) -> Result<i64, &'static str> {
    const SYNTAX: &str = "invalid syntax";
    const RANGE: &str = "value out of range";
    let (neg, unsigned) = match (v.strip_prefix('+'), v.strip_prefix('-')) {
        (Some(rest), _) => (false, rest),
        (_, Some(rest)) => (true, rest),
        _ => (false, v),
    };
    if unsigned.is_empty() {
        return Err(SYNTAX);
    }
    let lower = |b: u8| b | 0x20;
    let bytes = unsigned.as_bytes();
    let (base, digits): (u64, &[u8]) = match bytes {
        [b'0', p, rest @ ..] if !rest.is_empty() && lower(*p) == b'b' => (2, rest),
        [b'0', p, rest @ ..] if !rest.is_empty() && lower(*p) == b'o' => (8, rest),
        [b'0', p, rest @ ..] if !rest.is_empty() && lower(*p) == b'x' => (16, rest),
        [b'0', rest @ ..] => (8, rest),
        _ => (10, bytes),
    };
    // ParseUint(s, base, bits) for the magnitude; ParseInt then checks the
    // signed range.
    let bits = bits.clamp(1, 64);
    let max_val = if bits == 64 { u64::MAX } else { (1u64 << bits) - 1 };
    let cutoff = u64::MAX / base + 1;
    let mut n: u64 = 0;
    let mut underscores = false;
    for &c in digits {
        if c == b'_' {
            underscores = true;
            continue;
        }
        let d = match c {
            b'0'..=b'9' => u64::from(c - b'0'),
            b'a'..=b'z' | b'A'..=b'Z' => u64::from(lower(c) - b'a') + 10,
            _ => return Err(SYNTAX),
        };
        if d >= base {
            return Err(SYNTAX);
        }
        if n >= cutoff {
            return Err(RANGE);
        }
        n = n.checked_mul(base).and_then(|m| m.checked_add(d)).filter(|&n1| n1 <= max_val).ok_or(RANGE)?;
    }
    if underscores && !underscore_ok(unsigned) {
        return Err(SYNTAX);
    }
    let cutoff = 1u64 << (bits - 1);
    if (!neg && n >= cutoff) || (neg && n > cutoff) {
        return Err(RANGE);
    }
    let n = i128::from(n);
    i64::try_from(if neg { -n } else { n }).map_err(|_| RANGE)
}

/// strconv's `underscoreOK`: underscores only between digits (or after a
/// base prefix), never at the end.
fn underscore_ok(s: &str) -> bool {
    let b = s.as_bytes();
    let lower = |c: u8| c | 0x20;
    let mut saw = b'^';
    let mut i = 0;
    let mut hex = false;
    if b.len() >= 2 && b.first() == Some(&b'0') && b.get(1).is_some_and(|&c| matches!(lower(c), b'b' | b'o' | b'x')) {
        i = 2;
        saw = b'0';
        hex = b.get(1).is_some_and(|&c| lower(c) == b'x');
    }
    for &c in b.iter().skip(i) {
        if c.is_ascii_digit() || hex && (b'a'..=b'f').contains(&lower(c)) {
            saw = b'0';
            continue;
        }
        if c == b'_' {
            if saw != b'0' {
                return false;
            }
            saw = b'_';
            continue;
        }
        if saw == b'_' {
            return false;
        }
        saw = b'!';
    }
    saw != b'_'
}

/// strconv.ParseInt's error for a value that is not an integer of `bits` bits.
fn parse_int_error(v: &str, bits: u32) -> Option<String> {
    go_parse_int(v, bits).err().map(|why| format!("strconv.ParseInt: parsing \"{v}\": {why}"))
}

/// pflag's check of a flag's value against its type.
fn check_value(def: &FlagDef, v: &str) -> Result<(), String> {
    let why = match def.ty {
        FlagType::Bool if parse_bool(v).is_none() => format!("strconv.ParseBool: parsing \"{v}\": invalid syntax"),
        // --replicas is an int32 in kubectl scale; the other int flags are Go ints.
        FlagType::Int => match parse_int_error(v, if def.long == "replicas" { 32 } else { 64 }) {
            Some(e) => e,
            None => return Ok(()),
        },
        FlagType::Duration => match parse_duration_ms(v) {
            Ok(_) => return Ok(()),
            Err(e) => format!("time: {e}"),
        },
        _ => return Ok(()),
    };
    Err(format!("error: invalid argument \"{v}\" for \"--{}\" flag: {why}", def.long))
}

/// Parses flags for a command whose help is `kubectl {cmd} --help`.
fn parse_flags<'a>(
    cmd: &str,
    args: &[String],
    lookup: impl Fn(&str, Option<char>) -> Option<&'a FlagDef>,
) -> Result<Flags, String> {
    let see = |e: String| format!("{e}\nSee 'kubectl {cmd} --help' for usage.");
    let mut flags = Flags::default();
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
            let Some(def) = lookup(name, None) else {
                return Err(see(format!("error: unknown flag: --{name}")));
            };
            let value = match (def.no_opt_default(), inline) {
                (_, Some(v)) => v,
                (Some(default), None) => default.to_string(),
                (None, None) => {
                    let Some(v) = args.get(i) else {
                        return Err(see(format!("error: flag needs an argument: --{name}")));
                    };
                    i += 1;
                    v.clone()
                }
            };
            check_value(def, &value)?;
            flags.values.push((def.long, value));
        } else if a.len() > 1 && a.starts_with('-') {
            let mut chars = a.chars().skip(1);
            while let Some(c) = chars.next() {
                let Some(def) = lookup("", Some(c)) else {
                    return Err(see(format!("error: unknown shorthand flag: '{c}' in {a}")));
                };
                if def.ty != FlagType::Bool {
                    let rest: String = chars.collect();
                    let value = if !rest.is_empty() {
                        rest.trim_start_matches('=').to_string()
                    } else if let Some(v) = args.get(i) {
                        i += 1;
                        v.clone()
                    } else {
                        return Err(see(format!("error: flag needs an argument: '{c}' in {a}")));
                    };
                    check_value(def, &value)?;
                    flags.values.push((def.long, value));
                    break;
                }
                flags.values.push((def.long, "true".to_string()));
            }
        } else {
            flags.positional.push(a.clone());
        }
    }
    Ok(flags)
}

/// Parses `args` against one table entry (its flags and, for kubectl, `-n`/`-A`).
fn parse_with(def: &'static CommandDef, args: &[String]) -> Result<Flags, String> {
    let cmd = def.path.strip_prefix("kubectl ").unwrap_or(def.path);
    parse_flags(cmd, args, |long, short| {
        def.all_flags().find(|f| if short.is_some() { f.short == short } else { f.long == long })
    })
}

/// Parses `args` against the union of several entries' flags (to find a sub-verb).
fn parse_union(cmd: &str, defs: &[&'static CommandDef], args: &[String]) -> Result<Flags, String> {
    parse_flags(cmd, args, |long, short| {
        defs.iter()
            .flat_map(|d| d.all_flags())
            .find(|f| if short.is_some() { f.short == short } else { f.long == long })
    })
}

fn def(path: &str) -> Result<&'static CommandDef, CommandError> {
    command_def(path).ok_or_else(|| CommandError::new(format!("error: unknown command \"{path}\"")))
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
    match Resource::parse(&ty) {
        Some(r) if r != Resource::Events => Ok((r, name)),
        _ => Err(format!("error: the server doesn't have a resource type \"{ty}\"")),
    }
}

/// builder.go `hasCombinedTypeArgs`: some arguments are `TYPE/NAME`, others not.
const NO_NEED_FOR_TYPE: &str = "error: there is no need to specify a resource type as a separate argument when passing arguments in resource/name form (e.g. 'kubectl get resource/<resource_name>' instead of 'kubectl get resource resource/<resource_name>'";

/// `TYPE NAME...` or `TYPE/NAME...`: the type and every name, as the resource
/// builder reads them (cli-runtime `pkg/resource/builder.go`
/// `ResourceTypeOrNameArgs`, `splitResourceTypeName`). stsplay takes one type
/// per command.
fn type_and_names(positional: &[String]) -> Result<(Resource, Vec<String>), String> {
    let (res, first) = type_and_name(positional)?;
    let Some(first_arg) = positional.first() else { return Ok((res, Vec::new())) };
    if !first_arg.contains('/') {
        let names: Vec<String> = positional.iter().skip(1).cloned().collect();
        if names.iter().any(|n| n.contains('/')) {
            return Err(NO_NEED_FOR_TYPE.to_string());
        }
        return Ok((res, names));
    }
    let mut names: Vec<String> = first.into_iter().collect();
    for arg in positional.iter().skip(1) {
        let Some((ty, name)) = arg.split_once('/') else {
            return Err(NO_NEED_FOR_TYPE.to_string());
        };
        if Resource::parse(ty) != Some(res) {
            return Err(format!(
                "error: stsplay takes one resource type per command, not {} and \"{ty}\"",
                res.plural()
            ));
        }
        names.push(name.to_string());
    }
    Ok((res, names))
}

/// Only one name: stsplay's `get` and `delete` act on one object per command.
fn one_name(verb: &str, names: Vec<String>) -> Result<Option<String>, String> {
    if names.len() > 1 {
        return Err(format!(
            "error: stsplay {verb}s one object per command, not {} ({}): run one command per name",
            names.len(),
            names.join(", ")
        ));
    }
    Ok(names.into_iter().next())
}

const NO_NAME: &str = "error: resource(s) were provided, but no name was specified";

impl Command {
    /// Parses a split command line (`["kubectl", "get", "pods"]`).
    pub fn parse(argv: &[String]) -> Result<Command, CommandError> {
        let Some((program, args)) = argv.split_first() else {
            return Ok(Command::Empty);
        };
        match program.as_str() {
            "kubectl" | "k" => parse_kubectl(args).map(Command::Kubectl),
            "sleep" => match args {
                [d] => match parse_duration_ms(d) {
                    Ok(duration_ms) => Ok(Command::Sleep { duration_ms }),
                    Err(e) => Err(CommandError::new(format!("sleep: {e}"))),
                },
                _ => Err(CommandError::new("usage: sleep DURATION (e.g. sleep 30s)")),
            },
            "nslookup" => match args {
                [name] => Ok(Command::Nslookup { name: name.clone() }),
                _ => Err(CommandError::new("usage: nslookup NAME")),
            },
            "step" => match args {
                [] => Ok(Command::Step { count: 1 }),
                [n] => match n.parse::<u64>() {
                    Ok(count) if (1..=super::MAX_STEP_COUNT).contains(&count) => Ok(Command::Step { count }),
                    _ => Err(CommandError::new(format!(
                        "error: step takes a count from 1 to {}, not \"{n}\"",
                        super::MAX_STEP_COUNT
                    ))),
                },
                _ => Err(CommandError::usage("usage: step [N]")),
            },
            "run" => match args {
                [a, b] if a == "until" && b == "settled" => Ok(Command::RunUntilSettled),
                _ => Err(CommandError::usage("usage: run until settled")),
            },
            "node" => match args {
                [verb, node] if verb == "down" => Ok(Command::Node { action: NodeAction::Down, node: node.clone() }),
                [verb, node] if verb == "up" => Ok(Command::Node { action: NodeAction::Up, node: node.clone() }),
                _ => Err(CommandError::usage("usage: node down|up NODE")),
            },
            "pod" => parse_pod(args),
            other => Err(CommandError {
                message: format!(
                    "error: unknown command \"{other}\": a script line starts with kubectl, step, run, sleep, nslookup, node or pod"
                ),
                exit_code: 127,
            }),
        }
    }

    /// Splits a line with shell rules and parses it.
    pub fn parse_line(line: &str) -> Result<Command, CommandError> {
        let argv = super::words::split_words(line).map_err(|e| CommandError::usage(format!("error: {e}")))?;
        Command::parse(&argv)
    }
}

fn parse_pod(args: &[String]) -> Result<Command, CommandError> {
    let usage =
        || CommandError::usage("usage: pod crash POD [--repeat] | pod unready POD | pod ready POD  [-n NAMESPACE]");
    let Some((verb, rest)) = args.split_first() else { return Err(usage()) };
    let path = match verb.as_str() {
        "crash" => "pod crash",
        "unready" => "pod unready",
        "ready" => "pod ready",
        _ => return Err(usage()),
    };
    let flags = parse_with(def(path)?, rest).map_err(|_| usage())?;
    let [pod] = flags.positional.as_slice() else { return Err(usage()) };
    let action = match verb.as_str() {
        "crash" => PodAction::Crash { repeat: flags.bool("repeat") },
        "unready" => PodAction::Unready,
        _ => PodAction::Ready,
    };
    Ok(Command::Pod { action, pod: pod.clone(), namespace: namespace_flag(&flags) })
}

/// The kubectl verbs with sub-verbs, and their sub-verbs.
const SUB_VERBS: &[(&str, &[&str])] = &[("rollout", &["status", "history", "undo"]), ("set", &["image"])];

/// Moves flags written before the verb after it (`kubectl -n default get
/// pods` = `kubectl get pods -n default`), as cobra's `Find` strips them
/// (`spf13/cobra` `command.go` `stripFlags`: a flag of the root's flag set
/// that takes a value, `-n`/`--namespace`, also takes the next word) and
/// then parses every flag against the found command.
fn verb_first(args: &[String]) -> Vec<String> {
    let mut before = Vec::new();
    let mut i = 0;
    while let Some(a) = args.get(i) {
        if !a.starts_with('-') || a == "-" || a == "--" {
            break;
        }
        before.push(a.clone());
        i += 1;
        if a == "-n" || a == "--namespace" {
            if let Some(v) = args.get(i) {
                before.push(v.clone());
                i += 1;
            }
        }
    }
    if before.is_empty() || i >= args.len() {
        return args.to_vec();
    }
    let mut out: Vec<String> = args.get(i..).unwrap_or_default().to_vec();
    // After the verb's own sub-verb too, so a `rollout status` keeps its words in order.
    let at = usize::from(SUB_VERBS.iter().any(|(v, _)| out.first().is_some_and(|f| f == v))) + 1;
    let at = at.min(out.len());
    let tail = out.split_off(at);
    out.extend(before);
    out.extend(tail);
    out
}

fn parse_kubectl(args: &[String]) -> Result<Kubectl, CommandError> {
    let args = &verb_first(args);
    let Some((verb, rest)) = args.split_first() else {
        return Err(CommandError::new("error: kubectl needs a command, e.g. kubectl get pods"));
    };
    let unknown = || CommandError::new(format!("error: unknown command \"{verb}\" for \"kubectl\""));
    // A verb with sub-verbs: find the sub-verb (the first positional word,
    // like cobra's Find), then parse the flags of that sub-command.
    let (flags, path) = if let Some((_, subs)) = SUB_VERBS.iter().find(|(v, _)| v == verb) {
        let defs: Vec<&'static CommandDef> =
            subs.iter().filter_map(|s| command_def(&format!("kubectl {verb} {s}"))).collect();
        let first = parse_union(verb, &defs, rest).map_err(CommandError::new)?;
        let sub = first.positional.first().cloned();
        match sub.as_deref().and_then(|s| subs.iter().find(|x| **x == s)) {
            Some(s) => {
                let path = format!("kubectl {verb} {s}");
                let d = def(&path)?;
                let mut flags = parse_with(d, rest).map_err(CommandError::new)?;
                // Drop the sub-verb itself.
                if let Some(pos) = flags.positional.iter().position(|p| p == s) {
                    flags.positional.remove(pos);
                }
                (flags, path)
            }
            None => {
                return Err(CommandError::new(match (verb.as_str(), sub) {
                    ("rollout", None) => "error: Required resource not specified.".to_string(),
                    ("rollout", Some(s)) => {
                        format!("error: stsplay supports kubectl rollout status|history|undo, not \"{s}\"")
                    }
                    (_, None) => "error: stsplay supports `kubectl set image` only".to_string(),
                    (_, Some(s)) => format!("error: stsplay supports `kubectl set image` only, not `kubectl set {s}`"),
                }))
            }
        }
    } else {
        let path = format!("kubectl {verb}");
        let d = command_def(&path).ok_or_else(unknown)?;
        (parse_with(d, rest).map_err(CommandError::new)?, path)
    };
    let namespace = namespace_flag(&flags);
    let all_namespaces = flags.bool("all-namespaces");
    let verb = build_verb(&path, flags).map_err(CommandError::new)?;
    Ok(Kubectl { verb, namespace, all_namespaces })
}

/// `-n NS`; an empty `-n ''` is kubeconfig's namespace, `default`
/// (cli-runtime `genericclioptions/config_flags.go` `ToRawKubeConfigLoader`:
/// an empty override leaves the context's namespace).
fn namespace_flag(flags: &Flags) -> Option<String> {
    flags.str("namespace").filter(|n| !n.is_empty())
}

fn named(positional: &[String]) -> Result<(Resource, String), String> {
    let (res, name) = type_and_name(positional)?;
    let Some(name) = name else { return Err(NO_NAME.to_string()) };
    Ok((res, name))
}

/// The typed verb, with each verb's own checks in kubectl's order.
fn build_verb(path: &str, flags: Flags) -> Result<Verb, String> {
    let pos = &flags.positional;
    Ok(match path {
        "kubectl apply" => {
            let filenames = flags.all("filename");
            if filenames.is_empty() {
                return Err("error: must specify one of -f and -k".to_string());
            }
            Verb::Apply { filenames }
        }
        "kubectl get" => {
            let events = matches!(pos.first().map(String::as_str), Some("events" | "event" | "ev"));
            let (resource, names) = if events { (Resource::Events, Vec::new()) } else { type_and_names(pos)? };
            let output = match flags.get("output").unwrap_or("") {
                "" => OutputFormat::Table,
                "wide" => OutputFormat::Wide,
                "name" => OutputFormat::Name,
                other => {
                    return Err(format!(
                        "error: stsplay does not support the output format \"{other}\" yet (supported: wide, name)"
                    ))
                }
            };
            if events {
                // kubectl get events: stsplay lists them all (its flags are accepted and ignored).
                return Ok(Verb::Get(Get {
                    resource,
                    names,
                    selector: None,
                    label_columns: Vec::new(),
                    show_labels: false,
                    output: OutputFormat::Table,
                }));
            }
            let label_columns = flags
                .all("label-columns")
                .iter()
                .flat_map(|v| v.split(','))
                .filter(|k| !k.is_empty())
                .map(str::to_string)
                .collect();
            Verb::Get(Get {
                resource,
                names,
                selector: flags.str("selector"),
                label_columns,
                show_labels: flags.bool("show-labels"),
                output,
            })
        }
        "kubectl describe" => {
            let (resource, name) = type_and_name(pos)?;
            let Some(name) = name else {
                return Err("error: stsplay describes one object at a time: kubectl describe TYPE NAME".to_string());
            };
            Verb::Describe { resource, name }
        }
        "kubectl scale" => {
            let (res, names) = type_and_names(pos)?;
            let Some(replicas) = flags.int("replicas") else {
                return Err("error: required flag(s) \"replicas\" not set".to_string());
            };
            if res != Resource::StatefulSets {
                return Err(format!("error: stsplay can scale statefulsets only, not {}", res.plural()));
            }
            if names.is_empty() {
                return Err(NO_NAME.to_string());
            }
            Verb::Scale { names, replicas: i32::try_from(replicas).unwrap_or(i32::MAX) }
        }
        "kubectl delete" => {
            let (resource, names) = type_and_names(pos)?;
            let Some(name) = one_name("delete", names)? else { return Err(NO_NAME.to_string()) };
            let force = flags.bool("force");
            let now = flags.bool("now");
            let wait = flags.bool_or("wait", true);
            let grace_period = flags.int("grace-period");
            if resource == Resource::Pods {
                // delete.go (DeleteOptions.Complete/Validate).
                if grace_period == Some(0) && !force && !wait {
                    return Err(
                        "error: --grace-period=0 must have either --force specified, or --wait to be set to true"
                            .to_string(),
                    );
                }
                if now && grace_period.is_some() {
                    return Err("error: --now and --grace-period cannot be specified together".to_string());
                }
                // --now is --grace-period=1, which --force refuses like any positive grace period.
                let effective = if now { Some(1) } else { grace_period };
                if force && effective.is_some_and(|g| g > 0) {
                    return Err(
                        "error: --force and --grace-period greater than 0 cannot be specified together".to_string()
                    );
                }
            }
            let cascade = match flags.get("cascade").unwrap_or("background") {
                "background" | "true" => Cascade::Background,
                "foreground" => Cascade::Foreground,
                "orphan" | "false" => Cascade::Orphan,
                other => {
                    return Err(format!(
                        "error: invalid cascade value ({other}). Must be \"background\", \"foreground\", or \"orphan\""
                    ))
                }
            };
            Verb::Delete(Delete {
                resource,
                name,
                grace_period,
                force,
                now,
                wait,
                cascade,
                timeout_ms: flags.duration("timeout"),
            })
        }
        "kubectl rollout status" | "kubectl rollout history" | "kubectl rollout undo" => {
            let (res, name) = type_and_name(pos)?;
            if res != Resource::StatefulSets {
                return Err(format!(
                    "error: stsplay can show rollout status of statefulsets only, not {}",
                    res.plural()
                ));
            }
            let Some(name) = name else { return Err(NO_NAME.to_string()) };
            let sub = match path {
                "kubectl rollout status" => Rollout::Status {
                    timeout_ms: flags.duration("timeout"),
                    watch: flags.bool_or("watch", true),
                    revision: flags.int("revision"),
                },
                "kubectl rollout history" => Rollout::History { revision: flags.int("revision") },
                _ => Rollout::Undo { to_revision: flags.int("to-revision") },
            };
            Verb::Rollout { sub, name }
        }
        "kubectl patch" => {
            let (res, name) = named(pos)?;
            let Some(patch) = flags.str("patch") else {
                return Err(
                    "error: must specify --patch or --patch-file containing the contents of the patch".to_string()
                );
            };
            let patch_type = match flags.get("type").unwrap_or("strategic") {
                "strategic" => PatchType::Strategic,
                "merge" => PatchType::Merge,
                "json" => PatchType::Json,
                other => return Err(format!("error: --type must be one of [json merge strategic], not \"{other}\"")),
            };
            if res != Resource::StatefulSets {
                return Err(format!("error: stsplay can patch statefulsets only, not {}", res.plural()));
            }
            Verb::Patch { name, patch, patch_type }
        }
        "kubectl set image" => {
            let split = pos.iter().position(|a| a.contains('=')).unwrap_or(pos.len());
            let (res, name) = named(pos.get(..split).unwrap_or_default())?;
            let images: Vec<(String, String)> = pos
                .get(split..)
                .unwrap_or_default()
                .iter()
                .filter_map(|a| a.split_once('=').map(|(c, i)| (c.to_string(), i.to_string())))
                .collect();
            if images.is_empty() {
                return Err("error: at least one image update is required".to_string());
            }
            if res != Resource::StatefulSets {
                return Err(format!("error: stsplay can set images of statefulsets only, not {}", res.plural()));
            }
            Verb::SetImage { name, images }
        }
        "kubectl cordon" | "kubectl uncordon" => {
            let on = path == "kubectl cordon";
            let [node] = pos.as_slice() else {
                return Err(format!(
                    "error: exactly one NODE name is required for {}",
                    if on { "cordon" } else { "uncordon" }
                ));
            };
            let node = node.clone();
            if on {
                Verb::Cordon { node }
            } else {
                Verb::Uncordon { node }
            }
        }
        "kubectl drain" => {
            let [node] = pos.as_slice() else {
                return Err(
                    "error: USAGE: drain NODE [flags]\nSee 'kubectl drain -h' for help and examples".to_string()
                );
            };
            Verb::Drain(Drain {
                node: node.clone(),
                ignore_daemonsets: flags.bool("ignore-daemonsets"),
                delete_emptydir_data: flags.bool("delete-emptydir-data"),
                force: flags.bool("force"),
                grace_period: flags.int("grace-period"),
                timeout_ms: flags.duration("timeout"),
            })
        }
        "kubectl exec" => {
            let Some(pod) = pos.first() else {
                return Err("error: expected 'exec POD_NAME COMMAND [ARG1] [ARG2] ... [ARGN]'.\nPOD_NAME and COMMAND are required arguments for the exec command".to_string());
            };
            Verb::Exec(Exec {
                pod: pod.clone(),
                container: flags.str("container"),
                stdin: flags.bool("stdin"),
                tty: flags.bool("tty"),
                command: flags.after_dashdash.clone(),
            })
        }
        "kubectl run" => {
            let Some(name) = pos.first() else {
                return Err("error: NAME is required for run\nSee 'kubectl run -h' for help and examples".to_string());
            };
            let Some(image) = flags.str("image") else {
                return Err("error: required flag(s) \"image\" not set".to_string());
            };
            Verb::Run(Run {
                name: name.clone(),
                image,
                stdin: flags.bool("stdin"),
                tty: flags.bool("tty"),
                restart: flags.str("restart"),
                rm: flags.bool("rm"),
                command_flag: flags.bool("command"),
                command: flags.after_dashdash.clone(),
            })
        }
        other => return Err(format!("error: unknown command \"{other}\"")),
    })
}

// ---------------------------------------------------------------------------
// Display: canonical command text
// ---------------------------------------------------------------------------

/// A word as a POSIX shell reads it back: as is when it is plain, else in
/// single quotes (`'` written as `'\''`).
pub fn quote(word: &str) -> String {
    let plain = !word.is_empty() && word.chars().all(|c| c.is_ascii_alphanumeric() || "-_./=:,@%+".contains(c));
    if plain {
        word.to_string()
    } else {
        format!("'{}'", word.replace('\'', "'\\''"))
    }
}

/// A duration in Go's style (`1m30s`, `500ms`, `0s`), which
/// [`parse_duration_ms`] reads back to the same value.
pub fn format_duration(ms: u64) -> String {
    if ms == 0 {
        return "0s".to_string();
    }
    let parts = [(ms / 3_600_000, "h"), (ms / 60_000 % 60, "m"), (ms / 1000 % 60, "s"), (ms % 1000, "ms")];
    parts.iter().filter(|(n, _)| *n > 0).map(|(n, unit)| format!("{n}{unit}")).collect()
}

struct Words(Vec<String>);

impl Words {
    fn word(&mut self, w: impl AsRef<str>) -> &mut Self {
        self.0.push(quote(w.as_ref()));
        self
    }
    fn flag(&mut self, on: bool, name: &str) -> &mut Self {
        if on {
            self.0.push(format!("--{name}"));
        }
        self
    }
    fn value(&mut self, name: &str, v: Option<impl fmt::Display>) -> &mut Self {
        if let Some(v) = v {
            self.0.push(format!("--{name}={}", quote(&v.to_string())));
        }
        self
    }
    fn duration(&mut self, name: &str, v: Option<u64>) -> &mut Self {
        self.value(name, v.map(format_duration))
    }
    fn dashdash(&mut self, command: &[String]) -> &mut Self {
        if !command.is_empty() {
            self.0.push("--".to_string());
            for w in command {
                self.word(w);
            }
        }
        self
    }
}

impl fmt::Display for Command {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut w = Words(Vec::new());
        match self {
            Command::Empty => {}
            Command::Kubectl(k) => k.words(&mut w),
            Command::Step { count } => {
                w.word("step");
                if *count != 1 {
                    w.word(count.to_string());
                }
            }
            Command::RunUntilSettled => {
                w.word("run").word("until").word("settled");
            }
            Command::Sleep { duration_ms } => {
                w.word("sleep").word(format_duration(*duration_ms));
            }
            Command::Nslookup { name } => {
                w.word("nslookup").word(name);
            }
            Command::Node { action, node } => {
                w.word("node").word(if *action == NodeAction::Down { "down" } else { "up" }).word(node);
            }
            Command::Pod { action, pod, namespace } => {
                w.word("pod");
                match action {
                    PodAction::Crash { repeat } => w.word("crash").word(pod).flag(*repeat, "repeat"),
                    PodAction::Unready => w.word("unready").word(pod),
                    PodAction::Ready => w.word("ready").word(pod),
                };
                if let Some(ns) = namespace {
                    w.word("-n").word(ns);
                }
            }
        }
        f.write_str(&w.0.join(" "))
    }
}

fn cascade_name(c: Cascade) -> Option<&'static str> {
    match c {
        Cascade::Background => None,
        Cascade::Foreground => Some("foreground"),
        Cascade::Orphan => Some("orphan"),
    }
}

fn patch_type_name(t: PatchType) -> Option<&'static str> {
    match t {
        PatchType::Strategic => None,
        PatchType::Merge => Some("merge"),
        PatchType::Json => Some("json"),
    }
}

impl Kubectl {
    fn words(&self, w: &mut Words) {
        w.word("kubectl");
        let mut after: &[String] = &[];
        match &self.verb {
            Verb::Apply { filenames } => {
                w.word("apply");
                for p in filenames {
                    w.word("-f").word(p);
                }
            }
            Verb::Get(g) => {
                w.word("get");
                if g.names.is_empty() {
                    w.word(g.resource.list_name());
                } else {
                    w.word(g.resource.singular());
                    for n in &g.names {
                        w.word(n);
                    }
                }
                w.value("selector", g.selector.as_deref());
                if !g.label_columns.is_empty() {
                    w.value("label-columns", Some(g.label_columns.join(",")));
                }
                w.flag(g.show_labels, "show-labels");
                match g.output {
                    OutputFormat::Table => {}
                    OutputFormat::Wide => {
                        w.word("-o").word("wide");
                    }
                    OutputFormat::Name => {
                        w.word("-o").word("name");
                    }
                }
            }
            Verb::Describe { resource, name } => {
                w.word("describe").word(resource.singular()).word(name);
            }
            Verb::Scale { names, replicas } => {
                w.word("scale").word("statefulset");
                for name in names {
                    w.word(name);
                }
                w.value("replicas", Some(replicas));
            }
            Verb::Delete(d) => {
                w.word("delete").word(d.resource.singular()).word(&d.name);
                w.flag(d.force, "force").value("grace-period", d.grace_period).flag(d.now, "now");
                if !d.wait {
                    w.value("wait", Some(false));
                }
                w.value("cascade", cascade_name(d.cascade)).duration("timeout", d.timeout_ms);
            }
            Verb::Rollout { sub, name } => {
                w.word("rollout");
                let target = format!("statefulset/{name}");
                match sub {
                    Rollout::Status { timeout_ms, watch, revision } => {
                        w.word("status").word(target).duration("timeout", *timeout_ms).value("revision", *revision);
                        if !watch {
                            w.value("watch", Some(false));
                        }
                    }
                    Rollout::History { revision } => {
                        w.word("history").word(target).value("revision", *revision);
                    }
                    Rollout::Undo { to_revision } => {
                        w.word("undo").word(target).value("to-revision", *to_revision);
                    }
                }
            }
            Verb::Patch { name, patch, patch_type } => {
                w.word("patch").word("statefulset").word(name).word("-p").word(patch);
                w.value("type", patch_type_name(*patch_type));
            }
            Verb::SetImage { name, images } => {
                w.word("set").word("image").word(format!("statefulset/{name}"));
                for (c, i) in images {
                    w.word(format!("{c}={i}"));
                }
            }
            Verb::Cordon { node } => {
                w.word("cordon").word(node);
            }
            Verb::Uncordon { node } => {
                w.word("uncordon").word(node);
            }
            Verb::Drain(d) => {
                w.word("drain").word(&d.node);
                w.flag(d.ignore_daemonsets, "ignore-daemonsets").flag(d.delete_emptydir_data, "delete-emptydir-data");
                w.flag(d.force, "force").value("grace-period", d.grace_period).duration("timeout", d.timeout_ms);
            }
            Verb::Exec(e) => {
                w.word("exec").word(&e.pod).value("container", e.container.as_deref());
                w.flag(e.stdin, "stdin").flag(e.tty, "tty");
                after = &e.command;
            }
            Verb::Run(r) => {
                w.word("run").word(&r.name).value("image", Some(&r.image));
                w.flag(r.stdin, "stdin").flag(r.tty, "tty").value("restart", r.restart.as_deref());
                w.flag(r.rm, "rm").flag(r.command_flag, "command");
                after = &r.command;
            }
        }
        if let Some(ns) = &self.namespace {
            w.word("-n").word(ns);
        }
        if self.all_namespaces {
            w.word("-A");
        }
        w.dashdash(after);
    }
}

#[cfg(test)]
mod go_parse_int_tests {
    use super::go_parse_int;

    /// Cases from Go's `strconv/atoi_test.go` (`parseInt64BaseTests` with base 0, `parseInt32Tests`).
    #[test]
    fn matches_strconv_parse_int_base_0() {
        let syntax = Err("invalid syntax");
        let range = Err("value out of range");
        for (v, want) in [
            ("0", Ok(0)),
            ("-0", Ok(0)),
            ("+3", Ok(3)),
            ("0x3", Ok(3)),
            ("0X1f", Ok(31)),
            ("010", Ok(8)),
            ("0o17", Ok(15)),
            ("0b101", Ok(5)),
            ("-0x10", Ok(-16)),
            ("1_000", Ok(1000)),
            ("0x_1f", Ok(31)),
            ("0_10", Ok(8)),
            ("9223372036854775807", Ok(i64::MAX)),
            ("-9223372036854775808", Ok(i64::MIN)),
            ("9223372036854775808", range),
            ("-9223372036854775809", range),
            ("0x8000000000000000", range),
            ("", syntax),
            ("-", syntax),
            ("0x", syntax),
            ("08", syntax),
            ("0b2", syntax),
            ("1__0", syntax),
            ("_1", syntax),
            ("1_", syntax),
            ("1.5", syntax),
            ("abc", syntax),
            ("99999999999999999999x", range),
        ] {
            assert_eq!(go_parse_int(v, 64), want, "{v}");
        }
        assert_eq!(go_parse_int("2147483647", 32), Ok(2147483647));
        assert_eq!(go_parse_int("-2147483648", 32), Ok(-2147483648));
        assert_eq!(go_parse_int("2147483648", 32), range);
        assert_eq!(go_parse_int("0x80000000", 32), range);
        // ParseUint stops at the first digit past bitSize's maximum.
        assert_eq!(go_parse_int("99999999999x", 32), range);
    }

    #[test]
    fn flags_before_the_verb_and_no_value_defaults() {
        use super::{Command, Kubectl};
        let parse =
            |line: &str| Command::parse_line(line).map(|c| c.to_string()).unwrap_or_else(|e| panic!("{line}: {e}"));
        assert_eq!(parse("kubectl -n kube-system get pods"), parse("kubectl get pods -n kube-system"));
        assert_eq!(
            parse("kubectl -n default rollout status sts/web"),
            parse("kubectl rollout status sts/web -n default")
        );
        assert_eq!(parse("kubectl -A get pods"), parse("kubectl get pods -A"));
        assert_eq!(parse("kubectl get pods -n ''"), parse("kubectl get pods"));
        assert_eq!(parse("kubectl delete sts web --cascade"), parse("kubectl delete sts web --cascade=background"));
        assert_eq!(parse("kubectl scale sts web --replicas=0x3"), parse("kubectl scale sts web --replicas=3"));
        let Ok(Command::Kubectl(Kubectl { namespace, .. })) = Command::parse_line("kubectl -n '' get pods") else {
            panic!("parse");
        };
        assert_eq!(namespace, None);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(line: &str) -> Result<Command, CommandError> {
        Command::parse_line(line)
    }

    /// A valid line for each command path, to which a test adds flags.
    fn base(path: &str) -> &'static str {
        match path {
            "kubectl apply" => "kubectl apply -f web.yaml",
            "kubectl get" => "kubectl get pods",
            "kubectl describe" => "kubectl describe pod web-0",
            "kubectl scale" => "kubectl scale sts web --replicas=3",
            "kubectl delete" => "kubectl delete pod web-0",
            "kubectl rollout status" => "kubectl rollout status sts/web",
            "kubectl rollout history" => "kubectl rollout history sts/web",
            "kubectl rollout undo" => "kubectl rollout undo sts/web",
            "kubectl patch" => "kubectl patch sts web -p '{\"spec\":{\"replicas\":2}}'",
            "kubectl set image" => "kubectl set image sts/web nginx=nginx:1.2",
            "kubectl cordon" => "kubectl cordon kind-worker",
            "kubectl uncordon" => "kubectl uncordon kind-worker",
            "kubectl drain" => "kubectl drain kind-worker",
            "kubectl exec" => "kubectl exec web-0 -- nslookup web-1.nginx",
            "kubectl run" => {
                "kubectl run -i --tty --image busybox:1.28 dns-test --restart=Never --rm -- nslookup web-0.nginx"
            }
            "step" => "step 3",
            "run until settled" => "run until settled",
            "sleep" => "sleep 1m30s",
            "nslookup" => "nslookup web-0.nginx",
            "node down" => "node down kind-worker",
            "node up" => "node up kind-worker",
            "pod crash" => "pod crash web-0",
            "pod unready" => "pod unready web-0",
            "pod ready" => "pod ready web-0",
            other => panic!("no base line for {other}"),
        }
    }

    /// Flag values to try, by type.
    fn samples(f: &FlagDef) -> Vec<String> {
        match f.ty {
            FlagType::Bool => vec![format!("--{}", f.long), format!("--{}=false", f.long)],
            FlagType::Int => vec![format!("--{}=2", f.long), format!("--{}=-1", f.long)],
            FlagType::Duration => vec![format!("--{}=1m30s", f.long), format!("--{} 45", f.long)],
            FlagType::Str => vec![format!("--{}=x", f.long), format!("--{} 'a b'", f.long)],
            FlagType::Enum(values) => values.iter().map(|v| format!("--{}={v}", f.long)).collect(),
        }
    }

    fn assert_round_trip(line: &str) -> Command {
        let cmd = parse(line).unwrap_or_else(|e| panic!("{line}: {e}"));
        let text = cmd.to_string();
        let again = parse(&text).unwrap_or_else(|e| panic!("{line} → {text}: {e}"));
        assert_eq!(again, cmd, "{line} → {text}");
        assert_eq!(again.to_string(), text, "Display is canonical: {line}");
        cmd
    }

    #[test]
    fn every_flag_of_every_command_round_trips_through_display() {
        let mut tried = 0;
        for def in COMMANDS {
            let line = base(def.path);
            assert_round_trip(line);
            for f in def.all_flags() {
                let mut seen: Vec<Command> = Vec::new();
                for sample in samples(f) {
                    let line = format!("{line} {sample}");
                    let cmd = assert_round_trip(&line);
                    // Every value of a flag makes a different command (no flag is dropped).
                    assert!(!seen.contains(&cmd), "{line}: the flag's value is lost");
                    seen.push(cmd);
                    tried += 1;
                }
            }
        }
        assert!(tried > 100, "{tried}");
    }

    #[test]
    fn display_is_kubectl_text() {
        let cases = [
            ("k delete po web-1", "kubectl delete pod web-1"),
            ("kubectl scale sts web --replicas 5", "kubectl scale statefulset web --replicas=5"),
            ("kubectl delete pod web-0 --grace-period=0 --force", "kubectl delete pod web-0 --force --grace-period=0"),
            ("kubectl get po -n kube-system -o wide", "kubectl get pods -o wide -n kube-system"),
            ("kubectl get events -A", "kubectl get events -A"),
            (
                "kubectl rollout status statefulset web --timeout=90s",
                "kubectl rollout status statefulset/web --timeout=1m30s",
            ),
            (
                "kubectl patch sts web --type merge -p '{\"spec\":{\"replicas\":2}}'",
                "kubectl patch statefulset web -p '{\"spec\":{\"replicas\":2}}' --type=merge",
            ),
            (
                "kubectl exec -it web-0 -- nslookup web-1.nginx",
                "kubectl exec web-0 --stdin --tty -- nslookup web-1.nginx",
            ),
            ("sleep 0.5s", "sleep 500ms"),
            ("step", "step"),
            ("pod crash web-0 --repeat -n ns1", "pod crash web-0 --repeat -n ns1"),
            ("", ""),
        ];
        for (line, want) in cases {
            assert_eq!(assert_round_trip(line).to_string(), want, "{line}");
        }
    }

    #[test]
    fn a_click_renders_as_its_command() {
        let force = Delete { force: true, grace_period: Some(0), ..Delete::new(Resource::Pods, "web-0") };
        assert_eq!(Command::from(Verb::Delete(force)).to_string(), "kubectl delete pod web-0 --force --grace-period=0");
        let scale = Kubectl::new(Verb::Scale { names: vec!["web".into()], replicas: 5 }).in_namespace("prod");
        assert_eq!(Command::from(scale).to_string(), "kubectl scale statefulset web --replicas=5 -n prod");
        let cmd: Command = Verb::Delete(Delete::new(Resource::Pods, "web-1")).into();
        assert_eq!(parse("kubectl delete pod web-1").ok(), Some(cmd));
    }

    #[test]
    fn odd_words_are_quoted() {
        for line in [
            "nslookup \"it's\"",
            "kubectl get pods -l 'app in (a, b)'",
            "kubectl get pods -n ''",
            "kubectl exec web-0 -- nslookup '#x'",
            "kubectl set image sts/web 'nginx=my image'",
        ] {
            assert_round_trip(line);
        }
        assert_eq!(quote("it's"), "'it'\\''s'");
    }

    #[test]
    fn flag_values_are_checked_by_type_with_pflags_wording() {
        let err = |line: &str| parse(line).err().map(|e| e.message).unwrap_or_default();
        assert_eq!(
            err("kubectl delete pod web-0 --wait=no"),
            "error: invalid argument \"no\" for \"--wait\" flag: strconv.ParseBool: parsing \"no\": invalid syntax"
        );
        assert_eq!(
            err("kubectl scale sts web --replicas=3000000000"),
            "error: invalid argument \"3000000000\" for \"--replicas\" flag: strconv.ParseInt: parsing \"3000000000\": value out of range"
        );
        assert_eq!(
            err("kubectl rollout status sts/web --timeout=forever"),
            "error: invalid argument \"forever\" for \"--timeout\" flag: time: invalid duration \"forever\""
        );
        assert_eq!(
            err("kubectl delete pod web-0 --force --now"),
            "error: --force and --grace-period greater than 0 cannot be specified together"
        );
        assert_eq!(
            err("kubectl delete pod web-0 --now --grace-period=3"),
            "error: --now and --grace-period cannot be specified together"
        );
        assert_eq!(
            err("kubectl rollout status sts/web --to-revision=1"),
            "error: unknown flag: --to-revision\nSee 'kubectl rollout status --help' for usage."
        );
        assert_eq!(err("kubectl rollout"), "error: Required resource not specified.");
        assert_eq!(err("bogus"), "error: unknown command \"bogus\": a script line starts with kubectl, step, run, sleep, nslookup, node or pod");
        assert_eq!(parse("bogus").err().map(|e| e.exit_code), Some(127));
    }

    #[test]
    fn every_resource_has_names_and_parses_back() {
        for r in ANY_TYPE {
            assert!(!r.singular().is_empty() && !r.list_name().is_empty(), "{r:?}");
            assert_eq!(Resource::parse(r.singular()), Some(*r));
            assert_eq!(Resource::parse(r.list_name()), Some(*r));
            if let Some(s) = r.short_name() {
                assert_eq!(Resource::parse(s), Some(*r));
            }
        }
        assert_eq!(RESOURCE_NAMES.len(), ANY_TYPE.len());
    }

    #[test]
    fn durations_format_back_to_the_same_value() {
        for ms in [0, 1, 999, 1000, 1500, 60_000, 90_000, 3_600_000, 3_723_004, 86_400_000 * 3] {
            assert_eq!(parse_duration_ms(&format_duration(ms)), Ok(ms), "{ms}");
        }
    }
}
