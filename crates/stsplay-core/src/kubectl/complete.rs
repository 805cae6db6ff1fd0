//! Completion of a command line at a cursor, from the command table
//! ([`super::command::COMMANDS`]) and the live cluster: program words, kubectl
//! verbs and sub-verbs, resource types (and `TYPE/NAME`), object names in the
//! line's namespace (`-n`, default `default`), flags and flag values.
//! Candidates come in a fixed order: table order, then name order.

use std::ops::Range;

use super::command::{command_def, Arg, CommandDef, FlagDef, FlagType, Resource, COMMANDS, RESOURCE_NAMES};
use crate::sim::Simulation;
use crate::spec::DEFAULT_NAMESPACE;

/// One completion: `text` replaces the bytes `range` of the line.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Candidate {
    pub text: String,
    pub range: Range<usize>,
    /// A short description (a flag's help, an object's status).
    pub help: String,
}

/// The program words a line starts with, and what each does.
const PROGRAMS: &[(&str, &str)] = &[
    ("kubectl", "Run a kubectl command against the simulated cluster"),
    ("step", ""),
    ("run until settled", ""),
    ("sleep", ""),
    ("nslookup", ""),
    ("node", "node down|up NODE: stop or start a node's kubelet"),
    ("pod", "pod crash|unready|ready POD: container and probe faults"),
];

/// Completions for `line` with the cursor at byte `cursor`.
pub fn complete(line: &str, cursor: usize, sim: &Simulation) -> Vec<Candidate> {
    let mut cursor = cursor.min(line.len());
    while !line.is_char_boundary(cursor) {
        cursor -= 1;
    }
    let before = line.get(..cursor).unwrap_or_default();
    let start = before.rfind([' ', '\t']).map_or(0, |i| i + 1);
    let current = before.get(start..).unwrap_or_default();
    let done: Vec<&str> = before.get(..start).unwrap_or_default().split_whitespace().collect();
    let mut out = Completer { current, range: start..cursor, out: Vec::new() };
    let Some((program, rest)) = done.split_first() else {
        for (word, help) in PROGRAMS {
            let help = if help.is_empty() { command_def(word).map_or("", |d| d.help) } else { help };
            out.offer(word, help);
        }
        return out.out;
    };
    let program = if *program == "k" { "kubectl" } else { program };
    match (program, rest) {
        ("kubectl", []) => {
            let mut verbs: Vec<&str> = Vec::new();
            for d in COMMANDS {
                let Some(verb) = d.path.strip_prefix("kubectl ").and_then(|p| p.split(' ').next()) else { continue };
                if !verbs.contains(&verb) {
                    verbs.push(verb);
                    let subs: Vec<&str> = sub_words(&format!("kubectl {verb}"));
                    let help =
                        if subs.len() > 1 { format!("kubectl {verb} {}", subs.join("|")) } else { d.help.into() };
                    out.offer(verb, &help);
                }
            }
        }
        ("kubectl", [verb, args @ ..]) => {
            let parent = format!("kubectl {verb}");
            match command_def(&parent) {
                Some(def) => out.arguments(def, args, sim),
                None => match args.split_first() {
                    None => out.subs(&parent),
                    Some((sub, args)) => {
                        if let Some(def) = command_def(&format!("{parent} {sub}")) {
                            out.arguments(def, args, sim);
                        }
                    }
                },
            }
        }
        ("run", []) => out.offer("until", ""),
        ("run", ["until"]) => out.offer("settled", command_def("run until settled").map_or("", |d| d.help)),
        ("node" | "pod", []) => out.subs(program),
        ("node" | "pod", [sub, args @ ..]) => {
            if let Some(def) = command_def(&format!("{program} {sub}")) {
                out.arguments(def, args, sim);
            }
        }
        (p, args) => {
            if let Some(def) = command_def(p) {
                out.arguments(def, args, sim);
            }
        }
    }
    out.out
}

/// The sub-verbs under a path: `rollout` → status, history, undo.
fn sub_words(parent: &str) -> Vec<&'static str> {
    COMMANDS
        .iter()
        .filter_map(|d| d.path.strip_prefix(parent).and_then(|r| r.strip_prefix(' ')))
        .filter_map(|r| r.split(' ').next())
        .collect()
}

struct Completer<'a> {
    current: &'a str,
    range: Range<usize>,
    out: Vec<Candidate>,
}

/// What the words after a command's path say so far.
#[derive(Default)]
struct Seen<'a> {
    positional: Vec<&'a str>,
    namespace: Option<&'a str>,
    expecting: Option<&'static FlagDef>,
    after_dashdash: bool,
    /// The words after `--`.
    command: Vec<&'a str>,
}

fn find_flag(def: &CommandDef, long: &str, short: Option<char>) -> Option<&'static FlagDef> {
    def.all_flags().find(|f| if short.is_some() { f.short == short } else { f.long == long })
}

impl Completer<'_> {
    fn offer(&mut self, text: &str, help: &str) {
        if text.starts_with(self.current) {
            self.out.push(Candidate { text: text.to_string(), range: self.range.clone(), help: help.to_string() });
        }
    }

    fn subs(&mut self, parent: &str) {
        for sub in sub_words(parent) {
            let help = command_def(&format!("{parent} {sub}")).map_or("", |d| d.help);
            self.offer(sub, help);
        }
    }

    fn arguments(&mut self, def: &'static CommandDef, args: &[&str], sim: &Simulation) {
        let mut seen = Seen::default();
        for w in args {
            if let Some(f) = seen.expecting.take() {
                if f.long == "namespace" {
                    seen.namespace = Some(w);
                }
            } else if seen.after_dashdash {
                seen.command.push(w);
            } else if *w == "--" {
                seen.after_dashdash = true;
            } else if let Some(long) = w.strip_prefix("--") {
                let (name, value) = long.split_once('=').map_or((long, None), |(n, v)| (n, Some(v)));
                let f = find_flag(def, name, None);
                match (f, value) {
                    (Some(f), Some(v)) if f.long == "namespace" => seen.namespace = Some(v),
                    (Some(f), None) if f.ty != FlagType::Bool => seen.expecting = Some(f),
                    _ => {}
                }
            } else if w.len() > 1 && w.starts_with('-') {
                for (i, c) in w.char_indices().skip(1) {
                    let Some(f) = find_flag(def, "", Some(c)) else { break };
                    if f.ty != FlagType::Bool {
                        let inline = w.get(i + c.len_utf8()..).unwrap_or_default().trim_start_matches('=');
                        if inline.is_empty() {
                            seen.expecting = Some(f);
                        } else if f.long == "namespace" {
                            seen.namespace = Some(inline);
                        }
                        break;
                    }
                }
            } else {
                seen.positional.push(w);
            }
        }
        let ns = seen.namespace.unwrap_or(DEFAULT_NAMESPACE).to_string();
        if seen.after_dashdash {
            // `kubectl exec POD -- nslookup NAME`, `kubectl run ... -- nslookup NAME`.
            match seen.command.as_slice() {
                [] => self.offer("nslookup", "look a name up"),
                ["nslookup"] => {
                    for name in dns_names(sim, &ns) {
                        self.offer(&name, "");
                    }
                }
                _ => {}
            }
            return;
        }
        if let Some(f) = seen.expecting {
            for (v, help) in values(f, &seen, &ns, sim) {
                self.offer(&v, &help);
            }
            return;
        }
        let current = self.current;
        if let Some(long) = current.strip_prefix("--") {
            if let Some((name, _)) = long.split_once('=') {
                if let Some(f) = find_flag(def, name, None) {
                    for (v, help) in values(f, &seen, &ns, sim) {
                        self.offer(&format!("--{}={v}", f.long), &help);
                    }
                }
                return;
            }
        }
        if current.starts_with('-') {
            self.flags(def);
            return;
        }
        let before = self.out.len();
        self.positional(def, &seen, &ns, sim);
        if self.out.len() == before && current.is_empty() {
            self.flags(def);
        }
    }

    fn flags(&mut self, def: &CommandDef) {
        for f in def.all_flags() {
            let text = if f.ty == FlagType::Bool { format!("--{}", f.long) } else { format!("--{}=", f.long) };
            self.offer(&text, f.help);
        }
        if !self.current.starts_with("--") {
            for f in def.all_flags() {
                if let Some(c) = f.short {
                    self.offer(&format!("-{c}"), f.help);
                }
            }
        }
    }

    fn positional(&mut self, def: &CommandDef, seen: &Seen, ns: &str, sim: &Simulation) {
        let index = seen.positional.len();
        // `TYPE/NAME` fills both the type and the name.
        let typed_name = seen.positional.first().is_some_and(|p| p.contains('/'));
        let Some(arg) = def.positional.get(index) else { return };
        let current = self.current;
        match arg {
            Arg::Type(types) => {
                if let Some((ty, _)) = current.split_once('/') {
                    if let Some(r) = Resource::parse(ty).filter(|r| types.contains(r)) {
                        for (name, help) in names(sim, r, ns) {
                            self.offer(&format!("{ty}/{name}"), &help);
                        }
                    }
                    return;
                }
                for (r, _, many, short, _) in RESOURCE_NAMES.iter().filter(|n| types.contains(&n.0)) {
                    let help = kind_help(*r);
                    self.offer(many, help);
                    if let Some(s) = short {
                        self.offer(s, help);
                    }
                }
            }
            Arg::Name if !typed_name => {
                let Some(r) = seen.positional.first().and_then(|t| Resource::parse(t)) else { return };
                for (name, help) in names(sim, r, ns) {
                    self.offer(&name, &help);
                }
            }
            Arg::Name => {}
            Arg::SetRef => {
                let ty = current.split_once('/').map_or("statefulset", |(t, _)| t);
                if Resource::parse(ty) == Some(Resource::StatefulSets) {
                    for (name, help) in names(sim, Resource::StatefulSets, ns) {
                        self.offer(&format!("{ty}/{name}"), &help);
                    }
                }
            }
            Arg::Node => {
                for (name, help) in names(sim, Resource::Nodes, ns) {
                    self.offer(&name, &help);
                }
            }
            Arg::Pod => {
                for (name, help) in names(sim, Resource::Pods, ns) {
                    self.offer(&name, &help);
                }
            }
            Arg::Text if def.path == "kubectl set image" => {
                // CONTAINER=IMAGE: the set's containers with their current images.
                let set = seen.positional.first().and_then(|p| p.split_once('/')).map(|(_, n)| n);
                if let Some(s) = set.and_then(|n| sim.cluster().sets.get(&(ns.to_string(), n.to_string()))) {
                    for c in &s.set.spec.template.spec.containers {
                        self.offer(&format!("{}={}", c.name, c.image), "container=image");
                    }
                }
            }
            Arg::Text if def.path == "nslookup" => {
                for name in dns_names(sim, DEFAULT_NAMESPACE) {
                    self.offer(&name, "");
                }
            }
            Arg::Text => {}
        }
    }
}

fn kind_help(r: Resource) -> &'static str {
    match r {
        Resource::Pods => "Pod",
        Resource::Claims => "PersistentVolumeClaim",
        Resource::Volumes => "PersistentVolume",
        Resource::StatefulSets => "StatefulSet",
        Resource::Services => "Service",
        Resource::Nodes => "Node",
        Resource::StorageClasses => "StorageClass",
        Resource::ControllerRevisions => "ControllerRevision",
        Resource::Namespaces => "Namespace",
        Resource::Events => "Event",
    }
}

/// Objects of a type in the namespace (all of a cluster-scoped type), with a short status.
fn names(sim: &Simulation, r: Resource, ns: &str) -> Vec<(String, String)> {
    let c = sim.cluster();
    let in_ns = |k: &(String, String)| k.0 == ns;
    match r {
        Resource::Pods => {
            c.pods.iter().filter(|(k, _)| in_ns(k)).map(|(k, p)| (k.1.clone(), p.status_text())).collect()
        }
        Resource::StatefulSets => c
            .sets
            .iter()
            .filter(|(k, _)| in_ns(k))
            .map(|(k, s)| (k.1.clone(), format!("{}/{} ready", s.status.ready_replicas, s.set.spec.replicas)))
            .collect(),
        Resource::Services => c.services.keys().filter(|k| in_ns(k)).map(|k| (k.1.clone(), String::new())).collect(),
        Resource::Claims => {
            c.claims.iter().filter(|(k, _)| in_ns(k)).map(|(k, cl)| (k.1.clone(), cl.phase.as_str().into())).collect()
        }
        Resource::Volumes => c.volumes.keys().map(|k| (k.clone(), String::new())).collect(),
        Resource::Nodes => {
            c.nodes.iter().map(|(k, n)| (k.clone(), if n.ready { "Ready" } else { "NotReady" }.to_string())).collect()
        }
        Resource::StorageClasses => c.classes.keys().map(|k| (k.clone(), String::new())).collect(),
        Resource::ControllerRevisions => c
            .sets
            .iter()
            .filter(|(k, _)| in_ns(k))
            .flat_map(|(_, s)| s.revisions.iter().map(|r| (r.name.clone(), format!("revision {}", r.revision))))
            .collect(),
        Resource::Namespaces => c.namespaces.keys().map(|k| (k.clone(), String::new())).collect(),
        Resource::Events => Vec::new(),
    }
}

/// The cluster's DNS names (A records) as a pod in `ns` may write them:
/// `web-0.nginx` for `web-0.nginx.<ns>.svc.cluster.local`, `name.other-ns` elsewhere.
fn dns_names(sim: &Simulation, ns: &str) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for r in crate::dns::records(sim.cluster()).into_iter().filter(|r| r.record_type == "A") {
        let name = r.name.strip_suffix(".svc.cluster.local").unwrap_or(&r.name);
        let name = match name.strip_suffix(&format!(".{ns}")) {
            Some(short) => short.to_string(),
            None => name.to_string(),
        };
        if !out.contains(&name) {
            out.push(name);
        }
    }
    out
}

/// `key=value` for every label of the objects of a type in the namespace.
fn labels(sim: &Simulation, r: Resource, ns: &str) -> Vec<(String, String)> {
    let c = sim.cluster();
    let in_ns = |k: &(String, String)| k.0 == ns;
    let maps: Vec<&std::collections::BTreeMap<String, String>> = match r {
        Resource::Pods => c.pods.iter().filter(|(k, _)| in_ns(k)).map(|(_, p)| &p.labels).collect(),
        Resource::Claims => c.claims.iter().filter(|(k, _)| in_ns(k)).map(|(_, cl)| &cl.labels).collect(),
        Resource::Volumes => c.volumes.values().map(|v| &v.labels).collect(),
        _ => Vec::new(),
    };
    let mut pairs: std::collections::BTreeMap<String, usize> = std::collections::BTreeMap::new();
    for m in maps {
        for (k, v) in m {
            *pairs.entry(format!("{k}={v}")).or_default() += 1;
        }
    }
    pairs.into_iter().map(|(kv, n)| (kv, format!("{n} object{}", if n == 1 { "" } else { "s" }))).collect()
}

/// Values for a flag: its enum values, namespaces, or what the named object suggests.
fn values(f: &FlagDef, seen: &Seen, ns: &str, sim: &Simulation) -> Vec<(String, String)> {
    let set = || {
        let name = match seen.positional.as_slice() {
            [one] => one.split_once('/').map(|(_, n)| n),
            [_, name, ..] => Some(*name),
            [] => None,
        }?;
        sim.cluster().sets.get(&(ns.to_string(), name.to_string()))
    };
    match (f.ty, f.long) {
        (FlagType::Enum(values), _) => values.iter().map(|v| (v.to_string(), String::new())).collect(),
        (FlagType::Bool, _) => vec![("true".into(), String::new()), ("false".into(), String::new())],
        (_, "namespace") => names(sim, Resource::Namespaces, ns),
        (_, "selector") => {
            let r = seen.positional.first().and_then(|t| Resource::parse(t)).unwrap_or(Resource::Pods);
            labels(sim, r, ns)
        }
        (_, "replicas") => set().map(|s| vec![(s.set.spec.replicas.to_string(), "current".into())]).unwrap_or_default(),
        (_, "to-revision" | "revision") => set()
            .map(|s| s.revisions.iter().map(|r| (r.revision.to_string(), r.name.clone())).collect())
            .unwrap_or_default(),
        (_, "container") => {
            let pod = seen.positional.first().and_then(|p| sim.cluster().pods.get(&(ns.to_string(), p.to_string())));
            pod.map(|p| p.spec.containers.iter().map(|c| (c.name.clone(), c.image.clone())).collect())
                .unwrap_or_default()
        }
        _ => Vec::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::kubectl::{run_line, MemoryFiles};

    fn sim() -> Simulation {
        let mut sim = Simulation::new(1);
        let files = MemoryFiles(
            [("web.yaml".to_string(), include_str!("../../examples/web.yaml").to_string())].into_iter().collect(),
        );
        let r = run_line(&mut sim, "kubectl apply -f web.yaml", &files);
        assert_eq!(r.exit_code, 0, "{}", r.output);
        run_line(&mut sim, "run until settled", &files);
        sim
    }

    fn texts(line: &str, sim: &Simulation) -> Vec<String> {
        complete(line, line.len(), sim).into_iter().map(|c| c.text).collect()
    }

    #[test]
    fn program_words_verbs_and_sub_verbs() {
        let sim = Simulation::new(1);
        assert_eq!(texts("", &sim), ["kubectl", "step", "run until settled", "sleep", "nslookup", "node", "pod"]);
        assert_eq!(texts("s", &sim), ["step", "sleep"]);
        let verbs = texts("kubectl ", &sim);
        for v in ["apply", "get", "describe", "scale", "delete", "rollout", "patch", "set", "cordon", "uncordon"] {
            assert!(verbs.contains(&v.to_string()), "{v} in {verbs:?}");
        }
        assert_eq!(texts("kubectl ro", &sim), ["rollout"]);
        assert_eq!(texts("kubectl rollout ", &sim), ["status", "history", "undo"]);
        assert_eq!(texts("k set ", &sim), ["image"]);
        assert_eq!(texts("node ", &sim), ["down", "up"]);
        assert_eq!(texts("pod ", &sim), ["crash", "unready", "ready"]);
        assert_eq!(texts("run ", &sim), ["until"]);
        assert_eq!(texts("run until s", &sim), ["settled"]);
    }

    #[test]
    fn the_range_is_the_word_before_the_cursor() {
        let sim = Simulation::new(1);
        let c = complete("kubectl ge pods", 10, &sim);
        assert_eq!(c.len(), 1);
        assert_eq!((c[0].text.as_str(), c[0].range.clone()), ("get", 8..10));
        // A cursor past the end or inside a character is clamped.
        assert_eq!(complete("kubectl ge", 99, &sim).len(), 1);
        let c = complete("nslookup é", 10, &sim);
        assert!(!c.is_empty() && c.iter().all(|c| c.range == (9..9)), "{c:?}");
    }

    #[test]
    fn resource_types_and_names_from_the_cluster() {
        let sim = sim();
        assert_eq!(texts("kubectl get s", &sim), ["statefulsets", "sts", "services", "svc", "storageclasses", "sc"]);
        assert_eq!(
            texts("kubectl delete p", &sim),
            ["pods", "po", "persistentvolumeclaims", "pvc", "persistentvolumes", "pv"]
        );
        assert_eq!(texts("kubectl get pods ", &sim), ["web-0", "web-1", "web-2"]);
        assert_eq!(texts("kubectl delete po/web-", &sim), ["po/web-0", "po/web-1", "po/web-2"]);
        // No pods in kube-system: the flags are offered instead.
        let c = texts("kubectl get pods -n kube-system ", &sim);
        assert!(!c.contains(&"web-0".to_string()) && c.contains(&"--selector=".to_string()), "{c:?}");
        assert_eq!(texts("kubectl get pods --namespace=default web-1", &sim), ["web-1"]);
        assert_eq!(texts("kubectl rollout status ", &sim), ["statefulset/web"]);
        assert_eq!(texts("kubectl rollout undo sts/", &sim), ["sts/web"]);
        assert_eq!(texts("kubectl cordon kind-worker", &sim), ["kind-worker", "kind-worker2", "kind-worker3"]);
        assert_eq!(texts("pod crash ", &sim), ["web-0", "web-1", "web-2"]);
        assert_eq!(texts("kubectl get pvc ", &sim), ["www-web-0", "www-web-1", "www-web-2"]);
        assert_eq!(texts("kubectl set image statefulset/web ", &sim), ["nginx=registry.k8s.io/nginx-slim:0.7"]);
        assert_eq!(texts("kubectl exec web-0 -- ", &sim), ["nslookup"]);
        assert_eq!(texts("kubectl exec web-0 -- nslookup web-", &sim), ["web-0.nginx", "web-1.nginx", "web-2.nginx"]);
        assert_eq!(texts("kubectl exec web-0 -- nslookup web-1.nginx ", &sim), Vec::<String>::new());
        assert_eq!(texts("nslookup ", &sim)[..2], ["kube-dns.kube-system", "kubernetes"]);
        assert!(texts("nslookup ", &sim).contains(&"nginx".to_string()));
    }

    #[test]
    fn flag_values() {
        let sim = sim();
        assert_eq!(
            texts("kubectl delete sts web --cascade=", &sim),
            ["--cascade=background", "--cascade=foreground", "--cascade=orphan"]
        );
        assert_eq!(texts("kubectl get pods -o ", &sim), ["wide", "name"]);
        assert_eq!(texts("kubectl patch sts web --type ", &sim), ["strategic", "merge", "json"]);
        assert_eq!(
            texts("kubectl get pods -n ", &sim),
            ["default", "kube-node-lease", "kube-public", "kube-system", "local-path-storage"]
        );
        assert_eq!(texts("kubectl scale sts web --replicas=", &sim), ["--replicas=3"]);
        assert_eq!(texts("kubectl delete pod web-0 --wait=f", &sim), ["--wait=false"]);
        assert_eq!(texts("kubectl rollout undo statefulset/web --to-revision=", &sim), ["--to-revision=1"]);
        assert_eq!(texts("kubectl exec web-0 -c ", &sim), ["nginx"]);
        let sel = texts("kubectl get pods -l ", &sim);
        assert!(sel.contains(&"app=nginx".to_string()), "{sel:?}");
        assert!(sel.contains(&"statefulset.kubernetes.io/pod-name=web-0".to_string()), "{sel:?}");
    }

    #[test]
    fn every_flag_of_every_command_is_completed_and_every_enum_value_offered() {
        let sim = Simulation::new(1);
        for def in COMMANDS {
            let line = format!("{} ", def.path);
            let dashdash = texts(&format!("{line}--"), &sim);
            let dash = texts(&format!("{line}-"), &sim);
            for f in def.all_flags() {
                let long = if f.ty == FlagType::Bool { format!("--{}", f.long) } else { format!("--{}=", f.long) };
                assert!(dashdash.contains(&long), "{line}: {long} not in {dashdash:?}");
                assert!(dash.contains(&long), "{line}: {long} not in {dash:?}");
                if let Some(c) = f.short {
                    assert!(dash.contains(&format!("-{c}")), "{line}: -{c} not in {dash:?}");
                }
                if let FlagType::Enum(values) = f.ty {
                    let want: Vec<String> = values.iter().map(|v| format!("--{}={v}", f.long)).collect();
                    assert_eq!(texts(&format!("{line}--{}=", f.long), &sim), want);
                    if let Some(c) = f.short {
                        assert_eq!(texts(&format!("{line}-{c} "), &sim), *values);
                    }
                }
                assert!(!f.help.is_empty(), "{}: --{} has no help", def.path, f.long);
            }
            assert!(!def.help.is_empty(), "{} has no help", def.path);
        }
    }

    #[test]
    fn flags_follow_the_last_positional_argument() {
        let sim = sim();
        let c = texts("kubectl scale sts web ", &sim);
        assert!(c.contains(&"--replicas=".to_string()), "{c:?}");
        assert_eq!(texts("kubectl delete pod web-0 --gr", &sim), ["--grace-period="]);
    }
}
