//! Property test: random manifests and command sequences against the public
//! API (`kubectl::run_line`, `Simulation::step`), checking after every command
//! and every step that
//!
//! - nothing panics;
//! - the named invariants hold (`sim::invariants::check_invariants`);
//! - a refused command (exit code != 0: an `apply -f FILE`, `scale`, `delete`,
//!   `pod crash`, ... — but not a multi-file apply or a wait that timed out)
//!   and every read-only command (`get`, `nslookup`, `exec`) leave the
//!   simulation unchanged (cluster, steps, clock, queue, RNG: compared
//!   through `Debug`, and the cluster through `PartialEq`);
//! - the clock never goes back; steps are only appended, numbered, in time order;
//! - after the last command the simulation settles (no livelock; unless a pod
//!   was made to crash-loop) and its snapshot serializes to JSON;
//! - the same case run twice gives the same transcript;
//! - through the core `Timeline`: `seek(i)` equals a fresh run of the first
//!   `i` inputs, `fork_at(i)` then `push` equals a fresh run of the new input
//!   list, and the timeline's scenario text replays to the same state
//!   (`timeline_seek_and_fork_equal_fresh_runs`, over the same cases).
//!
//! Cases are generated with the core's own SplitMix64 (`stsplay_core::rng::Rng`),
//! so a case is a seed. `STSPLAY_PROPERTY_CASES` sets the number of cases
//! (default 200), `STSPLAY_PROPERTY_SEED` the first case seed (default 0);
//! a failure prints the case's seed, files and commands. Reproduce one case:
//!
//! ```sh
//! STSPLAY_PROPERTY_SEED=1234 STSPLAY_PROPERTY_CASES=1 cargo test -p stsplay-core --test property -- --nocapture
//! ```
//!
//! `STSPLAY_PROPERTY_DUMP=1` also prints each case and its transcript.
//!
//! Commands that process many events (`sleep`, `rollout status`, `delete`
//! and `drain` waiting) are checked with the `ordered-ready` window of the whole command;
//! when that reports a pod created while a lower ordinal was not ready, the
//! command is replayed one event at a time on a clone to tell a real
//! violation from one that is only visible at the end of the command (a lower
//! ordinal deleted later in the same command, e.g. by a rolling update).

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::rc::Rc;

use stsplay_core::kubectl::{self, MemoryFiles};
use stsplay_core::rng::Rng;
use stsplay_core::scenario::{Input, Scenario};
use stsplay_core::sim::invariants::check_invariants;
use stsplay_core::sim::Profile;
use stsplay_core::timeline::Timeline;
use stsplay_core::Simulation;

// ---------------------------------------------------------------------------
// Generation
// ---------------------------------------------------------------------------

struct G(Rng);

impl G {
    fn below(&mut self, n: u64) -> u64 {
        self.0.below(n)
    }
    fn int(&mut self, lo: i64, hi_inclusive: i64) -> i64 {
        lo + self.0.below((hi_inclusive - lo + 1) as u64) as i64
    }
    fn chance(&mut self, percent: u64) -> bool {
        self.0.below(100) < percent
    }
    fn pick<T: Copy>(&mut self, items: &[T]) -> T {
        items[self.0.below(items.len() as u64) as usize]
    }
}

const SET_NAMES: &[&str] = &["web", "db"];
const IMAGES: &[&str] = &["registry.k8s.io/nginx-slim:0.7", "registry.k8s.io/nginx-slim:0.8", "postgres:16"];
const CLASSES: &[&str] = &["standard", "fast", "slow", "local", "manual", "missing"];
const NODES: &[&str] = &["kind-worker", "kind-worker2", "kind-worker3", "kind-worker4"];

/// The service of set `name` (sometimes shared, so one Service selects both sets).
fn service_of(name: &str) -> &'static str {
    if name == "web" {
        "nginx"
    } else {
        "db"
    }
}

fn stateful_set(g: &mut G, name: &str, namespace: &str) -> String {
    let mut y = String::new();
    let svc = if g.chance(85) { service_of(name) } else { "other" };
    let _ = writeln!(
        y,
        "apiVersion: apps/v1\nkind: StatefulSet\nmetadata:\n  name: {name}\n  namespace: {namespace}\nspec:"
    );
    let _ = writeln!(y, "  serviceName: {svc}");
    if g.chance(90) {
        let _ = writeln!(y, "  replicas: {}", g.int(0, 8));
    }
    if g.chance(50) {
        let p = if g.chance(50) { "Parallel" } else { "OrderedReady" };
        let _ = writeln!(y, "  podManagementPolicy: {p}");
    }
    if g.chance(30) {
        let _ = writeln!(y, "  minReadySeconds: {}", g.int(0, 10));
    }
    if g.chance(20) {
        let _ = writeln!(y, "  ordinals:\n    start: {}", g.int(0, 3));
    }
    match g.below(4) {
        0 => {
            let _ = writeln!(y, "  updateStrategy:\n    type: OnDelete");
        }
        1 => {
            let _ = writeln!(
                y,
                "  updateStrategy:\n    type: RollingUpdate\n    rollingUpdate:\n      partition: {}",
                g.int(0, 4)
            );
        }
        _ => {}
    }
    if g.chance(25) {
        let scaled = if g.chance(50) { "Delete" } else { "Retain" };
        let deleted = if g.chance(50) { "Delete" } else { "Retain" };
        let _ = writeln!(
            y,
            "  persistentVolumeClaimRetentionPolicy:\n    whenScaled: {scaled}\n    whenDeleted: {deleted}"
        );
    }
    let _ = writeln!(
        y,
        "  selector:\n    matchLabels:\n      app: {name}\n  template:\n    metadata:\n      labels:\n        app: {name}\n    spec:"
    );
    if g.chance(40) {
        let _ = writeln!(y, "      terminationGracePeriodSeconds: {}", g.int(0, 30));
    }
    if g.chance(10) {
        let node = g.pick(NODES);
        let _ = writeln!(y, "      nodeSelector:\n        kubernetes.io/hostname: {node}");
    }
    let image = g.pick(IMAGES);
    let _ = writeln!(y, "      containers:\n      - name: main\n        image: {image}");
    if g.chance(40) {
        let _ = writeln!(
            y,
            "        readinessProbe:\n          httpGet:\n            path: /\n            port: 80\n          initialDelaySeconds: {}\n          periodSeconds: {}\n          failureThreshold: {}",
            g.int(0, 5),
            g.int(1, 10),
            g.int(1, 3)
        );
    }
    // The claim templates are immutable: mostly keep one shape per set name.
    let templates = if g.chance(80) {
        if name == "web" {
            1
        } else {
            0
        }
    } else {
        g.int(0, 2)
    };
    if templates > 0 {
        let _ = writeln!(y, "        volumeMounts:");
        for i in 0..templates {
            let _ = writeln!(y, "        - name: data{i}\n          mountPath: /data{i}");
        }
        let _ = writeln!(y, "  volumeClaimTemplates:");
        for i in 0..templates {
            let _ =
                writeln!(y, "  - metadata:\n      name: data{i}\n    spec:\n      accessModes: [ \"ReadWriteOnce\" ]");
            if !(name == "web" && g.chance(80)) {
                if g.chance(70) {
                    let class = g.pick(CLASSES);
                    let _ = writeln!(y, "      storageClassName: {class}");
                } else if g.chance(30) {
                    let _ = writeln!(y, "      storageClassName: \"\"");
                }
            }
            let size = if g.chance(80) { "1Gi" } else { "3Gi" };
            let _ = writeln!(y, "      resources:\n        requests:\n          storage: {size}");
        }
    }
    y
}

fn service(g: &mut G, name: &str, selects: &str, namespace: &str) -> String {
    let mut y = format!(
        "apiVersion: v1\nkind: Service\nmetadata:\n  name: {name}\n  namespace: {namespace}\n  labels:\n    app: {selects}\nspec:\n  ports:\n  - port: 80\n    name: web\n  clusterIP: None\n  selector:\n    app: {selects}\n"
    );
    if g.chance(25) {
        y.push_str("  publishNotReadyAddresses: true\n");
    }
    y
}

fn storage_classes(g: &mut G) -> String {
    let mut docs = Vec::new();
    if g.chance(70) {
        docs.push(
            "apiVersion: storage.k8s.io/v1\nkind: StorageClass\nmetadata:\n  name: fast\nprovisioner: example.com/fast\nvolumeBindingMode: Immediate\n"
                .to_string(),
        );
    }
    if g.chance(70) {
        let default = if g.chance(20) {
            "  annotations:\n    storageclass.kubernetes.io/is-default-class: \"true\"\n"
        } else {
            ""
        };
        docs.push(format!(
            "apiVersion: storage.k8s.io/v1\nkind: StorageClass\nmetadata:\n  name: slow\n{default}provisioner: rancher.io/local-path\nreclaimPolicy: Retain\nvolumeBindingMode: WaitForFirstConsumer\n"
        ));
    }
    if g.chance(70) || docs.is_empty() {
        docs.push(
            "apiVersion: storage.k8s.io/v1\nkind: StorageClass\nmetadata:\n  name: local\nprovisioner: kubernetes.io/no-provisioner\nvolumeBindingMode: WaitForFirstConsumer\n"
                .to_string(),
        );
    }
    docs.join("---\n")
}

fn volumes(g: &mut G) -> String {
    let n = g.int(1, 4);
    let mut docs = Vec::new();
    for _ in 0..n {
        let i = g.int(0, 5);
        let class = g.pick(&["local", "manual", "", "fast"]);
        let size = g.pick(&["1Gi", "2Gi", "500Mi", "10Gi"]);
        let mut y = format!(
            "apiVersion: v1\nkind: PersistentVolume\nmetadata:\n  name: pv-{i}\nspec:\n  capacity:\n    storage: {size}\n  accessModes: [ReadWriteOnce]\n  storageClassName: \"{class}\"\n"
        );
        if g.chance(30) {
            let set = g.pick(SET_NAMES);
            let _ = writeln!(y, "  claimRef:\n    namespace: default\n    name: data0-{set}-{}", g.int(0, 3));
        }
        if g.chance(60) {
            let node = g.pick(NODES);
            let _ = writeln!(
                y,
                "  local:\n    path: /mnt/disk{i}\n  nodeAffinity:\n    required:\n      nodeSelectorTerms:\n      - matchExpressions:\n        - key: kubernetes.io/hostname\n          operator: In\n          values: [{node}]"
            );
        } else {
            let _ = writeln!(y, "  hostPath:\n    path: /tmp/pv-{i}");
        }
        docs.push(y);
    }
    docs.join("---\n")
}

fn node(g: &mut G) -> String {
    let name = g.pick(NODES);
    let mut y = format!(
        "apiVersion: v1\nkind: Node\nmetadata:\n  name: {name}\n  labels:\n    kubernetes.io/hostname: {name}\nspec:\n  unschedulable: {}\n",
        g.chance(50)
    );
    if g.chance(20) {
        y.push_str("  taints:\n  - key: dedicated\n    value: db\n    effect: NoSchedule\n");
    }
    y
}

fn claim(g: &mut G) -> String {
    let class = g.pick(CLASSES);
    format!(
        "apiVersion: v1\nkind: PersistentVolumeClaim\nmetadata:\n  name: claim-{}\nspec:\n  accessModes: [ReadWriteOnce]\n  storageClassName: {class}\n  resources:\n    requests:\n      storage: 1Gi\n",
        g.int(0, 2)
    )
}

/// A valid manifest, mutated so that it is (usually) refused.
fn mutate(g: &mut G, text: &str) -> String {
    let lines: Vec<&str> = text.lines().collect();
    let at = g.below(lines.len().max(1) as u64) as usize;
    let mut out: Vec<String> = lines.iter().map(|l| l.to_string()).collect();
    match g.below(12) {
        0 => return text.replacen("replicas: ", "replicas: -", 1),
        1 => {
            return text.replacen("replicas: ", "replicas: \"", 1).replacen(
                "\n  podManagement",
                "\"\n  podManagement",
                1,
            )
        }
        2 => return text.replacen("spec:\n", "spec:\n  bogus: 1\n", 1),
        3 => {
            return text.replacen(
                "containers:\n",
                "containers:\n      - name: x\n        imagePullPolicy: Sometimes\n        colour: red\n",
                1,
            )
        }
        4 => {
            if let Some(l) = out.get_mut(at) {
                l.insert(0, '\t');
            }
        }
        5 => {
            let cut = g.below(text.len() as u64) as usize;
            let cut = (0..=cut).rev().find(|&i| text.is_char_boundary(i)).unwrap_or(0);
            return text[..cut].to_string();
        }
        6 => {
            if at < out.len() {
                let l = out[at].clone();
                out.insert(at, l);
            }
        }
        7 => {
            if at < out.len() {
                out.remove(at);
            }
        }
        8 => return text.replacen("kind: ", "kind: Widget\nx: ", 1),
        9 => return text.replacen("name: ", "name: Bad_Name-", 1),
        10 => return text.replacen("storage: ", "storage: lots-", 1),
        _ => return text.replacen("matchLabels:\n      app: ", "matchLabels:\n      app: x", 1),
    }
    let mut s = out.join("\n");
    s.push('\n');
    s
}

struct Case {
    seed: u64,
    sim_seed: u64,
    files: MemoryFiles,
    ops: Vec<Op>,
}

#[derive(Clone, Debug)]
enum Op {
    Line(String),
    Step(usize),
}

fn generate(seed: u64) -> Case {
    let mut g = G(Rng::new(seed));
    let mut files = BTreeMap::new();
    let mut valid = Vec::new();
    for i in 0..g.int(2, 5) {
        let name = g.pick(SET_NAMES);
        let ns = if g.chance(15) { "team" } else { "default" };
        let mut text = String::new();
        if g.chance(70) {
            text.push_str(&service(&mut g, service_of(name), name, ns));
            text.push_str("---\n");
        }
        text.push_str(&stateful_set(&mut g, name, ns));
        let f = format!("sts-{i}.yaml");
        files.insert(f.clone(), text);
        valid.push(f);
    }
    for (f, text) in [
        ("classes.yaml", storage_classes(&mut g)),
        ("volumes.yaml", volumes(&mut g)),
        ("node.yaml", node(&mut g)),
        ("node2.yaml", node(&mut g)),
        ("claim.yaml", claim(&mut g)),
        ("svc-db.yaml", service(&mut g, "db", "db", "default")),
        ("namespace.yaml", "apiVersion: v1\nkind: Namespace\nmetadata:\n  name: team\n".to_string()),
    ] {
        files.insert(f.to_string(), text);
        valid.push(f.to_string());
    }
    let mut invalid = Vec::new();
    for i in 0..g.int(1, 4) {
        let src = valid[g.below(valid.len() as u64) as usize].clone();
        let text = mutate(&mut g, &files[&src]);
        let f = format!("bad-{i}.yaml");
        files.insert(f.clone(), text);
        invalid.push(f);
    }
    // Start from something applied most of the time, so later commands meet state.
    let mut ops = Vec::new();
    if g.chance(50) {
        ops.push(Op::Line("kubectl apply -f namespace.yaml".to_string()));
    }
    for _ in 0..g.int(0, 3) {
        let sets: Vec<&String> = valid.iter().filter(|f| f.starts_with("sts-")).collect();
        let f = if g.chance(70) {
            sets[g.below(sets.len() as u64) as usize]
        } else {
            &valid[g.below(valid.len() as u64) as usize]
        };
        ops.push(Op::Line(format!("kubectl apply -f {f}")));
    }
    let n = g.int(8, 40);
    for _ in 0..n {
        let set = g.pick(SET_NAMES);
        let pod = format!("{set}-{}", g.int(0, 8));
        let node = g.pick(NODES);
        let ns = if g.chance(10) { " -n team" } else { "" };
        let op = match g.below(150) {
            0..=19 => {
                let f = &valid[g.below(valid.len() as u64) as usize];
                Op::Line(format!("kubectl apply -f {f}"))
            }
            20..=27 => {
                let f = &invalid[g.below(invalid.len() as u64) as usize];
                Op::Line(format!("kubectl apply -f {f}"))
            }
            28 => {
                let a = &valid[g.below(valid.len() as u64) as usize];
                let b = &invalid[g.below(invalid.len() as u64) as usize];
                Op::Line(format!("kubectl apply -f {a} -f {b}"))
            }
            29 => Op::Line("kubectl apply -f missing.yaml".to_string()),
            30..=37 => {
                let r = match g.below(10) {
                    0 => "-1".to_string(),
                    1 => "x".to_string(),
                    _ => g.int(0, 8).to_string(),
                };
                let form = g.pick(&["sts {}", "statefulset/{}", "statefulset {}"]);
                let target = if g.chance(10) { "nope" } else { set };
                Op::Line(format!("kubectl scale {} --replicas={r}{ns}", form.replace("{}", target)))
            }
            38..=44 => {
                let wait = if g.chance(30) { " --wait=false" } else { "" };
                let grace = match g.below(8) {
                    0 => " --grace-period=0 --force",
                    1 => " --grace-period=0",
                    2 => " --grace-period=5",
                    3 => " --grace-period=1 --force",
                    _ => "",
                };
                Op::Line(format!("kubectl delete pod {pod}{grace}{wait}{ns}"))
            }
            45..=54 => {
                let d = g.pick(&["100ms", "1s", "2s", "5s", "10s", "30s", "1m", "5m", "1m30s"]);
                Op::Line(format!("sleep {d}"))
            }
            55..=59 => {
                let t = g.pick(&["1s", "5s", "20s", "1m", "3m"]);
                Op::Line(format!("kubectl rollout status statefulset/{set} --timeout={t}{ns}"))
            }
            60..=64 => {
                let svc = service_of(set);
                let name = match g.below(4) {
                    0 => svc.to_string(),
                    1 => format!("{pod}.{svc}"),
                    2 => format!("{pod}.{svc}.default.svc.cluster.local"),
                    _ => format!("{svc}.default"),
                };
                if g.chance(50) {
                    Op::Line(format!("nslookup {name}"))
                } else {
                    let from = format!("{}-{}", g.pick(SET_NAMES), g.int(0, 3));
                    Op::Line(format!("kubectl exec {from} -- nslookup {name}"))
                }
            }
            65..=74 => {
                let what = g.pick(&["pods", "sts", "pvc", "pv", "nodes", "sc", "svc", "po", "statefulsets"]);
                let extra =
                    g.pick(&["", " -o wide", " -o name", " -A", " -l app=web", " -l app!=db", " --show-labels"]);
                Op::Line(format!("kubectl get {what}{extra}"))
            }
            75..=77 => {
                let junk = g.pick(&[
                    "kubectl get pods --bogus",
                    "kubectl frobnicate",
                    "helm install x",
                    "kubectl get widgets",
                    "sleep soon",
                    "kubectl rollout status statefulset/web --timeout=forever",
                    "kubectl get pods 'unterminated",
                    "kubectl scale sts web",
                    "kubectl",
                    "kubectl delete pod",
                    "kubectl rollout undo statefulset/web",
                    "node sideways kind-worker",
                    "pod explode web-0",
                    "kubectl delete sts web --cascade=sideways",
                    "kubectl delete pod web-0 --grace-period=soon",
                    "kubectl cordon",
                    "kubectl drain",
                ]);
                Op::Line(junk.to_string())
            }
            100..=104 => {
                let cascade = g.pick(&["", " --cascade=orphan", " --cascade=foreground", " --cascade=background"]);
                let wait = if g.chance(30) { " --wait=false" } else { "" };
                Op::Line(format!("kubectl delete sts {set}{cascade}{wait}{ns}"))
            }
            105..=107 => {
                let what = if g.chance(60) {
                    format!("pvc data0-{set}-{}", g.int(0, 4))
                } else {
                    format!("pv pv-{}", g.int(0, 5))
                };
                let wait = if g.chance(50) { " --wait=false" } else { " --timeout=30s" };
                Op::Line(format!("kubectl delete {what}{wait}"))
            }
            108..=111 => {
                let verb = g.pick(&["cordon", "uncordon", "cordon", "uncordon", "drain"]);
                let extra = if verb == "drain" { g.pick(&["", " --ignore-daemonsets", " --timeout=30s"]) } else { "" };
                Op::Line(format!("kubectl {verb} {node}{extra}"))
            }
            112..=116 => {
                let verb = g.pick(&["down", "up"]);
                Op::Line(format!("node {verb} {node}"))
            }
            117..=124 => {
                let verb = g.pick(&["crash", "crash --repeat", "unready", "ready"]);
                let (verb, flag) = verb.split_once(' ').unwrap_or((verb, ""));
                let flag = if flag.is_empty() { String::new() } else { format!(" {flag}") };
                Op::Line(format!("pod {verb} {pod}{flag}{ns}"))
            }
            125..=129 => {
                let image = if g.chance(85) { g.pick(IMAGES) } else { "" };
                let container = if g.chance(90) { "main" } else { "nope" };
                let target = g.pick(&["statefulset/{}", "sts/{}", "statefulset {}"]).replace("{}", set);
                Op::Line(format!("kubectl set image {target} {container}={image}{ns}"))
            }
            130..=135 => {
                let patch = match g.below(9) {
                    0 => format!("-p '{{\"spec\":{{\"replicas\":{}}}}}'", g.int(-1, 8)),
                    1 => format!(
                        "-p '{{\"spec\":{{\"updateStrategy\":{{\"type\":\"RollingUpdate\",\"rollingUpdate\":{{\"partition\":{}}}}}}}}}'",
                        g.int(0, 4)
                    ),
                    2 => format!(
                        "-p '{{\"spec\":{{\"template\":{{\"spec\":{{\"containers\":[{{\"name\":\"main\",\"image\":\"{}\"}}]}}}}}}}}'",
                        g.pick(IMAGES)
                    ),
                    3 => format!(
                        "--type=json -p '[{{\"op\":\"replace\",\"path\":\"/spec/template/spec/containers/0/image\",\"value\":\"{}\"}}]'",
                        g.pick(IMAGES)
                    ),
                    4 => "--type=merge -p '{\"spec\":{\"minReadySeconds\":3}}'".to_string(),
                    5 => "-p '{\"spec\":{\"serviceName\":\"changed\"}}'".to_string(),
                    6 => "-p '{\"spec\":{\"replicas\":\"three\"}}'".to_string(),
                    7 => "-p '{not json'".to_string(),
                    _ => "--type=json -p '[{\"op\":\"remove\",\"path\":\"/spec/nope\"}]'".to_string(),
                };
                Op::Line(format!("kubectl patch statefulset {set} {patch}{ns}"))
            }
            136..=139 => {
                let sub = match g.below(4) {
                    0 => "history".to_string(),
                    1 => format!("undo --to-revision={}", g.int(0, 3)),
                    _ => "undo".to_string(),
                };
                Op::Line(format!("kubectl rollout {sub} statefulset/{set}{ns}"))
            }
            140..=144 => {
                let what = g.pick(&["pod", "sts", "statefulset", "pvc", "pv", "node", "svc"]);
                let name = match what {
                    "pod" => pod.clone(),
                    "pvc" => format!("data0-{pod}"),
                    "pv" => format!("pv-{}", g.int(0, 5)),
                    "node" => node.to_string(),
                    "svc" => service_of(set).to_string(),
                    _ => set.to_string(),
                };
                if g.chance(20) {
                    Op::Line("kubectl get events".to_string())
                } else {
                    Op::Line(format!("kubectl describe {what} {name}{ns}"))
                }
            }
            145..=149 => {
                let host = format!("{pod}.{}", service_of(set));
                Op::Line(format!(
                    "kubectl run -i --tty --image busybox:1.28 dns-test --restart=Never --rm -- nslookup {host}"
                ))
            }
            _ => Op::Step(g.int(1, 20) as usize),
        };
        ops.push(op);
    }
    Case { seed, sim_seed: g.below(1000), files: MemoryFiles(files), ops }
}

impl Case {
    fn describe(&self) -> String {
        let mut s = format!("case seed {} (simulation seed {})\n--- files ---\n", self.seed, self.sim_seed);
        for (name, text) in &self.files.0 {
            let _ = write!(s, "### {name}\n{text}");
            if !text.ends_with('\n') {
                s.push('\n');
            }
        }
        s.push_str("--- ops ---\n");
        for op in &self.ops {
            match op {
                Op::Line(l) => {
                    let _ = writeln!(s, "{l}");
                }
                Op::Step(n) => {
                    let _ = writeln!(s, "<step x{n}>");
                }
            }
        }
        s
    }
}

// ---------------------------------------------------------------------------
// Running and checking
// ---------------------------------------------------------------------------

fn state(sim: &Simulation) -> String {
    format!("{sim:?}")
}

fn first_word_after_kubectl(line: &str) -> Option<&str> {
    let mut w = line.split_whitespace();
    match w.next()? {
        "kubectl" | "k" => w.next(),
        other => Some(other),
    }
}

/// Commands that must never change the simulation.
fn read_only(line: &str) -> bool {
    matches!(
        first_word_after_kubectl(line),
        Some("get" | "nslookup" | "exec" | "describe" | "run" | "helm" | "frobnicate")
    ) || line.starts_with("kubectl rollout history")
}

/// A refused command changes nothing, except a multi-file apply (kubectl
/// applies file by file) and a wait that failed after events ran (a timeout,
/// or the object went away meanwhile).
fn must_be_unchanged(line: &str, r: &kubectl::CommandResult) -> bool {
    if r.exit_code == 0 {
        return read_only(line);
    }
    let multi_apply = line.starts_with("kubectl apply") && line.matches(" -f ").count() > 1;
    let timed_out = r.output.contains("timed out") || r.output.contains("timeout reached");
    // A wait that printed progress first (`delete` then a failure) ran events
    // before failing; `rollout status` first lets the controllers react
    // (advances the clock by their latency) even when it then fails.
    let waited = line.contains("rollout status")
        || (multi_event(line) && r.output.lines().count() > 1 && !r.output.starts_with("error: unknown"));
    !multi_apply && !timed_out && !waited
}

/// Commands that process many events (ordered-ready needs a per-event replay).
fn multi_event(line: &str) -> bool {
    matches!(first_word_after_kubectl(line), Some("sleep" | "rollout" | "delete" | "drain"))
}

/// Replays a multi-event command one event at a time on `before`, checking
/// the invariants after each event, until it has as many steps as `after`.
fn replay_per_event(before: &Simulation, line: &str, after: &Simulation) -> Result<(), String> {
    let mut shadow = before.clone();
    let words: Vec<&str> = line.split_whitespace().collect();
    let ns = if line.contains(" -n team") { "team" } else { "default" };
    match words.as_slice() {
        ["kubectl", "delete", "pod", name, ..] if line.contains("--grace-period=0") && !line.contains("--force") => {
            // --grace-period=0 without --force means a 1s grace period.
            let _ = shadow.delete_pod_by_user_with_grace(&(ns.to_string(), name.to_string()), Some(1));
        }
        ["kubectl", "delete", ..] => {
            let no_wait = format!("{line} --wait=false");
            let _ = kubectl::run_line(&mut shadow, &no_wait, &MemoryFiles::default());
        }
        ["kubectl", "drain", node, ..] => {
            let _ = shadow.drain(node);
        }
        _ => {}
    }
    check_invariants(&shadow, before.steps().len())?;
    while shadow.steps().len() < after.steps().len() {
        let seen = shadow.steps().len();
        if !shadow.process_next_event() {
            return Err("replay ran out of events before reaching the command's steps".into());
        }
        check_invariants(&shadow, seen)
            .map_err(|e| format!("{e} (per-event replay, t={}ms, step {seen})", shadow.now_ms()))?;
    }
    Ok(())
}

/// Steps up to this many times after the last command, expecting quiet.
const DRAIN_STEPS: usize = 20_000;

/// The clock never goes back, and steps are only appended, numbered and in time order.
fn history_grew(before: &Simulation, after: &Simulation) -> Result<(), String> {
    if after.now_ms() < before.now_ms() {
        return Err(format!("the clock went back from {}ms to {}ms", before.now_ms(), after.now_ms()));
    }
    let (old, new) = (before.steps(), after.steps());
    if new.len() < old.len() || new[..old.len()] != *old {
        return Err("recorded steps were changed or removed".to_string());
    }
    let mut last_t = old.last().map_or(0, |s| s.time_ms);
    for (i, s) in new.iter().enumerate().skip(old.len()) {
        if s.index != i {
            return Err(format!("step {i} is numbered {}", s.index));
        }
        if s.time_ms < last_t || s.time_ms > after.now_ms() {
            return Err(format!("step {i} at {}ms is out of time order", s.time_ms));
        }
        last_t = s.time_ms;
    }
    Ok(())
}

/// Runs a case, checking every property; returns the transcript.
fn run_case(case: &Case) -> Result<String, String> {
    // The incremental StatefulSet sync is checked against the full one on
    // every sync it takes (`Profile::verify_fast_sync`; checks only, same trace).
    let profile = Profile { verify_fast_sync: true, ..Profile::kind() };
    let mut sim = Simulation::with_profile(case.sim_seed, profile);
    let mut out = String::new();
    for (i, op) in case.ops.iter().enumerate() {
        let steps_before = sim.steps().len();
        let before = sim.clone();
        let checked = match op {
            Op::Line(line) => {
                let before_state = state(&sim);
                let r = kubectl::run_line(&mut sim, line, &case.files);
                out.push_str(&kubectl::transcript(std::slice::from_ref(&r)));
                if must_be_unchanged(line, &r) {
                    if before.cluster() != sim.cluster() {
                        return Err(format!(
                            "op {i} `{line}` (exit {}) changed the cluster:\n{}",
                            r.exit_code, r.output
                        ));
                    }
                    if state(&sim) != before_state {
                        return Err(format!(
                            "op {i} `{line}` (exit {}) changed the simulation (steps, clock, queue or RNG):\n{}",
                            r.exit_code, r.output
                        ));
                    }
                }
                if let Err(e) = check_invariants(&sim, steps_before) {
                    let confirmed = if multi_event(line) && e.contains(" was created while ") {
                        replay_per_event(&before, line, &sim)
                    } else {
                        Err(e)
                    };
                    if let Err(e) = confirmed {
                        return Err(format!("op {i} `{line}`: invariant violated: {e}"));
                    }
                }
                history_grew(&before, &sim).map_err(|e| format!("op {i} `{line}`: {e}"))
            }
            Op::Step(n) => {
                for k in 0..*n {
                    let seen = sim.steps().len();
                    let progressed = sim.step();
                    let _ = writeln!(out, "<step> {progressed} t={}ms", sim.now_ms());
                    for s in &sim.steps()[seen..] {
                        let _ = writeln!(out, "  {}", s.message());
                    }
                    check_invariants(&sim, seen)
                        .map_err(|e| format!("op {i} <step {k} of {n}>: invariant violated: {e}"))?;
                    if !progressed {
                        break;
                    }
                }
                history_grew(&before, &sim).map_err(|e| format!("op {i} <step x{n}>: {e}"))
            }
        };
        checked?;
    }
    // Drain: the simulation settles (no livelock), keeping the invariants.
    let mut settled = false;
    let limit = if sim.cluster().pods.values().any(|p| p.crash_looping) { 500 } else { DRAIN_STEPS };
    for k in 0..limit {
        let seen = sim.steps().len();
        if !sim.step() {
            settled = true;
            break;
        }
        check_invariants(&sim, seen).map_err(|e| format!("drain step {k}: invariant violated: {e}"))?;
    }
    // `pod crash --repeat` loops on purpose (CrashLoopBackOff forever).
    let crash_looping = sim.cluster().pods.values().any(|p| p.crash_looping);
    if !settled && !crash_looping {
        let tail: Vec<String> = sim.steps().iter().rev().take(5).map(|s| s.message()).collect();
        return Err(format!(
            "the simulation did not settle within {DRAIN_STEPS} steps after the last command (t={}ms); last steps:\n{}",
            sim.now_ms(),
            tail.join("\n")
        ));
    }
    serde_json::to_string(&sim.snapshot()).map_err(|e| format!("snapshot JSON: {e}"))?;
    let (checked, differed) = sim.fast_sync_checks();
    if differed != 0 {
        return Err(format!(
            "the incremental StatefulSet sync differed from the full one in {differed} of {checked} syncs"
        ));
    }
    let _ = writeln!(out, "final t={}ms steps={}", sim.now_ms(), sim.steps().len());
    let _ = writeln!(out, "{:?}", sim.snapshot());
    Ok(out)
}

fn env_u64(name: &str, default: u64) -> u64 {
    std::env::var(name).ok().and_then(|v| v.parse().ok()).unwrap_or(default)
}

fn check_case(seed: u64) -> Result<(), String> {
    let case = generate(seed);
    let first = catch_unwind(AssertUnwindSafe(|| run_case(&case)));
    let first = match first {
        Ok(Ok(t)) => t,
        Ok(Err(e)) => return Err(format!("{e}\n{}", case.describe())),
        Err(p) => {
            let msg = p
                .downcast_ref::<String>()
                .cloned()
                .or_else(|| p.downcast_ref::<&str>().map(|s| s.to_string()))
                .unwrap_or_default();
            return Err(format!("panic: {msg}\n{}", case.describe()));
        }
    };
    if std::env::var_os("STSPLAY_PROPERTY_DUMP").is_some() {
        eprintln!("{}--- transcript ---\n{first}", case.describe());
    }
    let second = run_case(&case).map_err(|e| format!("second run: {e}\n{}", case.describe()))?;
    if first != second {
        return Err(format!("the same case gave different transcripts\n{}", case.describe()));
    }
    Ok(())
}

#[test]
fn random_command_sequences_keep_invariants() {
    let cases = env_u64("STSPLAY_PROPERTY_CASES", 200);
    let start = env_u64("STSPLAY_PROPERTY_SEED", 0);
    let t0 = std::time::Instant::now();
    for seed in start..start.saturating_add(cases) {
        if let Err(e) = check_case(seed) {
            panic!(
                "property failed for case seed {seed}; rerun with STSPLAY_PROPERTY_SEED={seed} STSPLAY_PROPERTY_CASES=1\n{e}"
            );
        }
    }
    eprintln!("property: {cases} cases from seed {start} in {:.2?}", t0.elapsed());
}

#[test]
fn generation_is_reproducible() {
    let a = generate(42).describe();
    let b = generate(42).describe();
    assert_eq!(a, b);
    assert_ne!(a, generate(43).describe());
}

// ---------------------------------------------------------------------------
// The timeline: seek and fork against fresh runs
// ---------------------------------------------------------------------------

/// A case's ops as timeline inputs (an op `Step(n)` is `step n`).
fn case_inputs(case: &Case) -> Vec<Input> {
    case.ops
        .iter()
        .filter_map(|op| match op {
            Op::Line(line) => Input::command(line).ok(),
            Op::Step(n) => Some(Input::step(*n as u64)),
        })
        .collect()
}

/// A straight run of `inputs` on a fresh simulation of the case.
fn fresh_run(case: &Case, inputs: &[Input]) -> Simulation {
    let mut sim = Scenario { seed: case.sim_seed, ..Scenario::default() }.simulation();
    for input in inputs {
        input.run(&mut sim, &case.files);
    }
    sim
}

/// For a random case pushed through a `Timeline`: `seek(i)` (random `i`,
/// several times, in random order) equals a fresh run of the first `i`
/// recorded inputs; `fork_at(i)` then `push(x)` equals a fresh run of the new
/// input list; no replay gives another result than the first run.
fn check_timeline_case(seed: u64) -> Result<(), String> {
    let case = generate(seed);
    let mut g = G(Rng::new(seed ^ 0x5eed_7173_e11e));
    let files: Rc<dyn kubectl::FileSource> = Rc::new(case.files.clone());
    let headers = Scenario { seed: case.sim_seed, ..Scenario::default() };
    let mut t = Timeline::new(&headers, Rc::clone(&files));
    for input in case_inputs(&case) {
        t.push(input);
    }
    let recorded: Vec<Input> = t.entries().iter().map(|e| e.input.clone()).collect();
    let n = recorded.len();
    for _ in 0..4 {
        let i = g.below(n as u64 + 1) as usize;
        t.seek(i);
        if state(t.current()) != state(&fresh_run(&case, &recorded[..i])) {
            return Err(format!("seek({i}) of {n} differs from a fresh run of the first {i} inputs"));
        }
    }
    // Fork somewhere and push an input of another case.
    let i = g.below(n as u64 + 1) as usize;
    let other = case_inputs(&generate(seed.wrapping_add(1_000_003)));
    let x = other.get(g.below(other.len().max(1) as u64) as usize).cloned().unwrap_or_else(|| Input::step(1));
    let dropped = t.fork_at(i);
    if dropped.as_ref().map_or(0, |d| d.entries.len()) != n - i {
        return Err(format!("fork_at({i}) of {n} dropped {:?} entries", dropped.map(|d| d.entries.len())));
    }
    let pushed = t.push(x.clone());
    let mut expected = recorded[..i].to_vec();
    if pushed.recorded {
        expected.push(x.clone());
    }
    let now: Vec<Input> = t.entries().iter().map(|e| e.input.clone()).collect();
    if now != expected {
        return Err(format!("after fork_at({i}) and `{}`, the inputs are not the prefix plus the new one", x.line()));
    }
    if state(t.current()) != state(&fresh_run(&case, &expected)) {
        return Err(format!("fork_at({i}) then `{}` differs from a fresh run of the new inputs", x.line()));
    }
    // The scenario text replays to the same state.
    let text = t.scenario().render();
    let parsed = Scenario::parse(&text).map_err(|e| format!("the timeline's scenario does not parse: {e}\n{text}"))?;
    let (replayed, _) = Timeline::from_scenario(&parsed, files);
    if state(replayed.current()) != state(t.current()) {
        return Err("the timeline's scenario replays to another state".to_string());
    }
    if let Some(m) = t.replay_mismatches().first() {
        return Err(m.to_string());
    }
    Ok(())
}

#[test]
fn timeline_seek_and_fork_equal_fresh_runs() {
    let cases = env_u64("STSPLAY_PROPERTY_CASES", 200);
    let start = env_u64("STSPLAY_PROPERTY_SEED", 0);
    let t0 = std::time::Instant::now();
    for seed in start..start.saturating_add(cases) {
        let result = catch_unwind(AssertUnwindSafe(|| check_timeline_case(seed)));
        let failure = match result {
            Ok(Ok(())) => continue,
            Ok(Err(e)) => e,
            Err(_) => "panicked (a replay diverged?)".to_string(),
        };
        panic!(
            "timeline property failed for case seed {seed}; rerun with STSPLAY_PROPERTY_SEED={seed} STSPLAY_PROPERTY_CASES=1\n{failure}\n{}",
            generate(seed).describe()
        );
    }
    eprintln!("timeline property: {cases} cases from seed {start} in {:.2?}", t0.elapsed());
}
