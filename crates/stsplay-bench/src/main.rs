//! `stsplay-bench`: native throughput figures for `stsplay-core`, printed by
//! `make bench` beside their budgets (see docs/performance.md).
//!
//! Two measurements, both through the core's public API only:
//!
//! * **throughput** — for each pod management policy (`Parallel`,
//!   `OrderedReady`) and each size (1,000 and 10,000 replicas by default):
//!   apply enough extra worker Nodes for the pods to fit with 25% to spare
//!   (110 per node: 12 workers for 1,000 replicas, 114 for 10,000) and the `web` StatefulSet (with
//!   its `www` volume claim template, as in the default example) and step
//!   until nothing is pending, roll a new image
//!   through by re-applying it with a changed image, then scale to 0 with
//!   `kubectl scale` (through [`kubectl::run_line`]). Each phase is timed. A run
//!   that passes `--limit-secs` (wall clock) is stopped and reported as such.
//!   Each configuration runs `--repeat` times (default 7, interleaved) and the
//!   run with the median total is reported: one run on a shared machine is
//!   too noisy to hold a budget against.
//! * **jump** — "go back to any of the last N steps" with the core
//!   `Timeline` (what the web app's Back and scrubber use): its checkpoints
//!   (a `Simulation::clone()` every 50-400 inputs, at most 24 kept) plus a
//!   replay of the inputs since. N inputs are pushed as the web app pushes
//!   them (Step, Apply, a scale typed in the console), then every target
//!   0..N is sought from the end and timed, and checked against the state
//!   recorded on the way forward (and the timeline's own replay check).
//!
//! Memory figures come from a counting global allocator (bytes live on the
//! heap), so they are exact for this process.
//!
//! Output: a human-readable log on stderr; with `--json`, one JSON object on
//! stdout (read by scripts/bench.mjs).

use std::alloc::{GlobalAlloc, Layout, System};
use std::rc::Rc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use serde_json::{json, Value};
use stsplay_core::kubectl::{self, MemoryFiles};
use stsplay_core::scenario::{Input, Scenario};
use stsplay_core::timeline::{Timeline, MAX_CHECKPOINTS, MAX_CHECKPOINT_EVERY, MIN_CHECKPOINT_EVERY};
use stsplay_core::{Simulation, Snapshot, DEFAULT_SEED};

// --- a counting allocator: live heap bytes ------------------------------------

struct Counting;

static LIVE: AtomicUsize = AtomicUsize::new(0);

unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        let p = unsafe { System.alloc(layout) };
        if !p.is_null() {
            LIVE.fetch_add(layout.size(), Ordering::Relaxed);
        }
        p
    }
    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        unsafe { System.dealloc(ptr, layout) };
        LIVE.fetch_sub(layout.size(), Ordering::Relaxed);
    }
    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        let p = unsafe { System.realloc(ptr, layout, new_size) };
        if !p.is_null() {
            LIVE.fetch_sub(layout.size(), Ordering::Relaxed);
            LIVE.fetch_add(new_size, Ordering::Relaxed);
        }
        p
    }
}

#[global_allocator]
static GLOBAL: Counting = Counting;

fn live_bytes() -> usize {
    LIVE.load(Ordering::Relaxed)
}

// --- the workload ---------------------------------------------------------------

const SET: (&str, &str) = ("default", "web");
const IMAGE_1: &str = "registry.k8s.io/nginx-slim:0.7";
const IMAGE_2: &str = "registry.k8s.io/nginx-slim:0.8";

/// Pods a node takes (the kubelet's default `maxPods`, as the core models it).
const PODS_PER_NODE: usize = 110;
/// Worker nodes of the default (kind-like) cluster.
const DEFAULT_WORKERS: usize = 3;

/// Extra worker nodes so that `replicas` pods fit with 25% to spare, 110 per
/// node, as a real cluster of that size would have; each gets its own /24 pod
/// CIDR. (With no room to spare, some pods of a 10,000-replica Parallel set are
/// never scheduled: see docs/performance.md.)
fn extra_nodes(replicas: usize) -> String {
    let needed = (replicas * 5 / 4).div_ceil(PODS_PER_NODE).saturating_sub(DEFAULT_WORKERS);
    (1..=needed)
        .map(|i| {
            // The kubelet labels its Node with its hostname; local-path volumes are
            // pinned to a node through that label, so it must be there.
            format!(
                "apiVersion: v1\nkind: Node\nmetadata:\n  name: bench-worker-{i}\n  labels:\n    \
                 kubernetes.io/hostname: bench-worker-{i}\n---\n"
            )
        })
        .collect()
}

/// Enough nodes for `replicas`, then the default example's Service and
/// StatefulSet with `replicas`, `policy` and `image` substituted.
fn manifest(replicas: usize, policy: &str, image: &str) -> String {
    let nodes = extra_nodes(replicas);
    format!(
        r#"{nodes}apiVersion: v1
kind: Service
metadata:
  name: nginx
  labels:
    app: nginx
spec:
  ports:
  - port: 80
    name: web
  clusterIP: None
  selector:
    app: nginx
---
apiVersion: apps/v1
kind: StatefulSet
metadata:
  name: web
spec:
  serviceName: "nginx"
  replicas: {replicas}
  podManagementPolicy: {policy}
  selector:
    matchLabels:
      app: nginx
  template:
    metadata:
      labels:
        app: nginx
    spec:
      containers:
      - name: nginx
        image: {image}
        ports:
        - containerPort: 80
          name: web
        volumeMounts:
        - name: www
          mountPath: /usr/share/nginx/html
  volumeClaimTemplates:
  - metadata:
      name: www
    spec:
      accessModes: [ "ReadWriteOnce" ]
      resources:
        requests:
          storage: 1Gi
"#
    )
}

fn key() -> (String, String) {
    (SET.0.to_string(), SET.1.to_string())
}

#[derive(Debug)]
struct TimedOut;

/// Step until nothing is pending, or fail once `deadline` has passed.
/// Returns the number of `step()` calls.
fn settle(sim: &mut Simulation, deadline: Instant) -> Result<u64, TimedOut> {
    let mut calls = 0u64;
    while sim.step() {
        calls += 1;
        if calls.is_multiple_of(32) && Instant::now() > deadline {
            return Err(TimedOut);
        }
    }
    // step() returns false with events left only if the per-call guard hit.
    while sim.has_pending() {
        sim.step();
        calls += 1;
        if Instant::now() > deadline {
            return Err(TimedOut);
        }
    }
    Ok(calls)
}

fn ms(d: Duration) -> f64 {
    (d.as_secs_f64() * 1e6).round() / 1e3
}

/// One throughput run; returns its JSON record. Its total is the sum of the
/// three timed phases: creating the empty simulation is not part of the
/// workload, and the first allocation after the previous run's simulation was
/// freed can cost glibc ~100 ms of free-list consolidation.
fn throughput_run(policy: &str, replicas: usize, limit: Duration) -> Value {
    let mut sim = Simulation::new(DEFAULT_SEED);
    let files = MemoryFiles::default();
    let started = Instant::now();
    let deadline = started + limit;
    let mut phases = Vec::new();
    let mut timed_out = None;
    let mut total = Duration::ZERO;

    type Check = fn(&Simulation, usize) -> Result<(), String>;
    let plan: [(&str, Option<String>, Check); 3] = [
        ("apply + run to Ready", Some(manifest(replicas, policy, IMAGE_1)), check_ready),
        ("roll new image", Some(manifest(replicas, policy, IMAGE_2)), check_rolled),
        ("scale to 0", None, check_empty),
    ];
    let mut error = None;
    for (name, yaml, check) in plan {
        let t = Instant::now();
        let steps_before = sim.steps().len();
        match &yaml {
            Some(text) => {
                if let Err(e) = sim.apply(text, "web.yaml") {
                    error = Some(format!("{name}: apply failed: {e}"));
                    break;
                }
            }
            None => {
                let r = kubectl::run_line(&mut sim, "kubectl scale statefulset web --replicas=0", &files);
                if r.exit_code != 0 {
                    error = Some(format!("{name}: {}", r.output.trim()));
                    break;
                }
            }
        }
        let result = settle(&mut sim, deadline);
        let elapsed = t.elapsed();
        total += elapsed;
        let record = json!({
            "phase": name,
            "ms": ms(elapsed),
            "stepCalls": result.as_ref().ok(),
            "stepsRecorded": sim.steps().len() - steps_before,
            "completed": result.is_ok(),
        });
        eprintln!(
            "  {policy:<12} {replicas:>6} {name:<22} {:>10.1} ms  {:>7} steps{}",
            ms(elapsed),
            sim.steps().len() - steps_before,
            if result.is_ok() { "" } else { "  (stopped: time limit)" }
        );
        phases.push(record);
        if result.is_err() {
            timed_out = Some(name);
            break;
        }
        if let Err(e) = check(&sim, replicas) {
            error = Some(format!("{name}: {e}"));
            break;
        }
    }
    json!({
        "policy": policy,
        "replicas": replicas,
        "totalMs": ms(total),
        "completed": timed_out.is_none() && error.is_none(),
        "timedOutIn": timed_out,
        "limitSecs": limit.as_secs(),
        "error": error,
        "phases": phases,
        "stepsRecorded": sim.steps().len(),
        "virtualSeconds": sim.now_ms() / 1000,
        "nodes": sim.cluster().nodes.len(),
    })
}

fn set_status(sim: &Simulation) -> Result<&stsplay_core::sim::SetStatus, String> {
    sim.cluster().sets.get(&key()).map(|s| &s.status).ok_or_else(|| "StatefulSet web is gone".to_string())
}

fn check_ready(sim: &Simulation, replicas: usize) -> Result<(), String> {
    let st = set_status(sim)?;
    if st.ready_replicas as usize == replicas {
        return Ok(());
    }
    // Say why: how many pods are unscheduled, and the first scheduler message.
    let pods = &sim.cluster().pods;
    let unbound = pods.values().filter(|p| p.node.is_none()).count();
    let why = pods.values().find_map(|p| p.unschedulable.clone());
    let unbound_claims = sim.cluster().claims.values().filter(|c| c.volume.is_none()).count();
    Err(format!(
        "{} of {replicas} ready after settling; {} pods, {unbound} not on a node, {unbound_claims} claims unbound{}",
        st.ready_replicas,
        pods.len(),
        why.map(|w| format!("; e.g. \"{w}\"")).unwrap_or_default()
    ))
}

fn check_rolled(sim: &Simulation, replicas: usize) -> Result<(), String> {
    let st = set_status(sim)?;
    let on_new = sim.cluster().pods.values().filter(|p| p.spec.containers.iter().any(|c| c.image == IMAGE_2)).count();
    if st.ready_replicas as usize == replicas && on_new == replicas {
        Ok(())
    } else {
        Err(format!("{on_new} of {replicas} pods run {IMAGE_2}, {} ready", st.ready_replicas))
    }
}

fn check_empty(sim: &Simulation, _replicas: usize) -> Result<(), String> {
    let left = sim.cluster().pods.len();
    if left == 0 {
        Ok(())
    } else {
        Err(format!("{left} pods left after scaling to 0"))
    }
}

// --- jump back ----------------------------------------------------------------

fn percentile(sorted: &[f64], p: f64) -> f64 {
    if sorted.is_empty() {
        return f64::NAN;
    }
    let i = ((p / 100.0) * (sorted.len() as f64 - 1.0)).round() as usize;
    sorted[i.min(sorted.len() - 1)]
}

/// The core `Timeline` (what the web app's Back, scrubber and console use):
/// inputs pushed as the web app pushes them (Apply = `kubectl apply -f -`,
/// Step = `step`, a scale typed in the console), then every target 0..=N
/// sought and timed, from the end each time (the worst case: a jump back),
/// and compared with the state recorded on the way forward.
fn jump_bench(replicas: usize, target_inputs: usize) -> Value {
    // Inputs: apply, then Step; whenever the set settles, re-apply with the
    // other image or scale between `replicas` and replicas/2, so that the
    // history is made of real controller work all the way.
    let mut timeline = Timeline::new(&Scenario::default(), Rc::new(MemoryFiles::default()));
    let mut fingerprints: Vec<(usize, u64)> = Vec::with_capacity(target_inputs + 1);
    let mut snapshots: Vec<(usize, Snapshot)> = Vec::with_capacity(target_inputs / 250 + 1);
    let mut snapshot_bytes = 0usize;
    let mut round = 0usize;
    let before = live_bytes();
    let forward = Instant::now();
    fingerprints.push((0, 0));
    for i in 0..target_inputs {
        let sim = timeline.current();
        let input = if i == 0 {
            Input::apply_stdin(&manifest(replicas, "Parallel", IMAGE_1))
        } else if sim.has_pending() {
            Input::step(1)
        } else {
            round += 1;
            match round % 3 {
                1 => {
                    Input::apply_stdin(&manifest(replicas, "Parallel", if round % 2 == 1 { IMAGE_2 } else { IMAGE_1 }))
                }
                2 => Input::command(&format!("kubectl scale statefulset web --replicas={}", replicas / 2)).unwrap(),
                _ => Input::command(&format!("kubectl scale statefulset web --replicas={replicas}")).unwrap(),
            }
        };
        let pushed = timeline.push(input);
        assert!(pushed.recorded && pushed.result.exit_code == 0, "{}", pushed.result.output);
        let sim = timeline.current();
        fingerprints.push((sim.steps().len(), sim.now_ms()));
        if (i + 1).is_multiple_of(250) {
            let b = live_bytes();
            snapshots.push((i + 1, sim.snapshot()));
            snapshot_bytes += live_bytes().saturating_sub(b);
        }
    }
    let forward_ms = ms(forward.elapsed());
    // Heap held by the timeline: its checkpoints, the current simulation and
    // the recorded inputs (each with its output); the rest of the growth is
    // this bench's own record of the way forward (allocated before, or counted).
    let timeline_bytes = live_bytes().saturating_sub(before).saturating_sub(snapshot_bytes);
    let steps_recorded = timeline.current().steps().len();

    // What one full clone costs at the end (each Step in the web app makes one).
    let before = live_bytes();
    let t = Instant::now();
    let one = timeline.current().clone();
    let clone_at_end = ms(t.elapsed());
    let clone_bytes = live_bytes() - before;
    drop(one);

    // Seek every target 0..=N, each from the end of the timeline.
    let mut times = Vec::with_capacity(target_inputs + 1);
    let mut mismatches = 0usize;
    for (target, fingerprint) in fingerprints.iter().enumerate() {
        timeline.seek(target_inputs);
        let t = Instant::now();
        timeline.seek(target);
        times.push(ms(t.elapsed()));
        let sim = timeline.current();
        if (sim.steps().len(), sim.now_ms()) != *fingerprint {
            mismatches += 1;
        }
        if let Some((_, snap)) = snapshots.iter().find(|(i, _)| *i == target) {
            if sim.snapshot() != *snap {
                mismatches += 1;
            }
        }
    }
    mismatches += timeline.replay_mismatches().len();
    let mut sorted = times.clone();
    sorted.sort_by(|a, b| a.partial_cmp(b).unwrap());

    // Replay from the very start (no checkpoints): the worst case is the last target.
    let t = Instant::now();
    let mut replay = Scenario::default().simulation();
    let files = MemoryFiles::default();
    for entry in timeline.entries() {
        entry.input.run(&mut replay, &files);
    }
    let from_start_ms = ms(t.elapsed());

    let record = json!({
        "replicas": replicas,
        "inputs": target_inputs,
        "stepsRecorded": steps_recorded,
        "checkpointEvery": format!("{}-{}", MIN_CHECKPOINT_EVERY, MAX_CHECKPOINT_EVERY),
        "checkpoints": timeline.retained_simulations(),
        "maxCheckpoints": MAX_CHECKPOINTS,
        "timelineBytes": timeline_bytes,
        "restoreMs": {
            "median": percentile(&sorted, 50.0),
            "p95": percentile(&sorted, 95.0),
            "max": sorted.last().copied().unwrap_or(f64::NAN),
        },
        "mismatches": mismatches,
        "replayFromStartMs": from_start_ms,
        "forwardMs": forward_ms,
        "cloneAtEndMs": clone_at_end,
        "cloneAtEndBytes": clone_bytes,
    });
    eprintln!(
        "  jump: {target_inputs} inputs ({steps_recorded} steps recorded, {replicas} replicas), core Timeline: \
         seek median {:.2} ms, p95 {:.2} ms, max {:.2} ms; replay from start {:.1} ms; \
         {} simulations kept, timeline {:.1} MB; one clone at the end = {:.1} KB in {:.2} ms; mismatches {mismatches}",
        percentile(&sorted, 50.0),
        percentile(&sorted, 95.0),
        sorted.last().copied().unwrap_or(f64::NAN),
        from_start_ms,
        timeline.retained_simulations(),
        timeline_bytes as f64 / 1e6,
        clone_bytes as f64 / 1e3,
        clone_at_end,
    );
    record
}

/// The run with the median total time (of an odd count; the upper median of
/// an even one), or the first that did not complete; with `runsTotalMs`.
fn median_run(mut runs: Vec<Value>) -> Value {
    let totals: Vec<Value> = runs.iter().map(|r| r["totalMs"].clone()).collect();
    let pick = match runs.iter().position(|r| r["completed"] != true) {
        Some(i) => i,
        None => {
            let mut order: Vec<usize> = (0..runs.len()).collect();
            let total = |i: usize| runs[i]["totalMs"].as_f64().unwrap_or(f64::MAX);
            order.sort_by(|&a, &b| total(a).total_cmp(&total(b)));
            order[order.len() / 2]
        }
    };
    let mut chosen = runs.swap_remove(pick);
    chosen["runsTotalMs"] = Value::Array(totals);
    chosen
}

// --- main -------------------------------------------------------------------------

struct Args {
    replicas: Vec<usize>,
    policies: Vec<String>,
    limit: Duration,
    jump_inputs: usize,
    jump_replicas: usize,
    repeat: usize,
    json: bool,
    only: Option<String>,
}

fn usage() -> ! {
    eprintln!(
        "usage: stsplay-bench [--json] [--only throughput|jump] [--replicas 1000,10000] \
         [--policies Parallel,OrderedReady] [--limit-secs 60] [--jump-inputs 2000] \
         [--jump-replicas 200] [--repeat 7]"
    );
    std::process::exit(2);
}

fn parse_args() -> Args {
    let mut args = Args {
        replicas: vec![1000, 10_000],
        policies: vec!["Parallel".into(), "OrderedReady".into()],
        limit: Duration::from_secs(60),
        jump_inputs: 2000,
        jump_replicas: 200,
        repeat: 7,
        json: false,
        only: None,
    };
    let mut it = std::env::args().skip(1);
    while let Some(a) = it.next() {
        let mut value = || it.next().unwrap_or_else(|| usage());
        match a.as_str() {
            "--json" => args.json = true,
            "--only" => args.only = Some(value()),
            "--replicas" => {
                args.replicas = value().split(',').map(|s| s.trim().parse().unwrap_or_else(|_| usage())).collect()
            }
            "--policies" => args.policies = value().split(',').map(str::to_string).collect(),
            "--limit-secs" => args.limit = Duration::from_secs(value().parse().unwrap_or_else(|_| usage())),
            "--jump-inputs" => args.jump_inputs = value().parse().unwrap_or_else(|_| usage()),
            "--jump-replicas" => args.jump_replicas = value().parse().unwrap_or_else(|_| usage()),
            "--repeat" => args.repeat = value().parse().ok().filter(|&n: &usize| n > 0).unwrap_or_else(|| usage()),
            _ => usage(),
        }
    }
    args
}

fn main() {
    let args = parse_args();
    let run = |what: &str| args.only.as_deref().is_none_or(|o| o == what);
    let mut out = json!({ "profile": if cfg!(debug_assertions) { "debug" } else { "release" } });
    if run("throughput") {
        eprintln!("stsplay-bench: throughput (limit {} s per run)", args.limit.as_secs());
        // Each (size, policy) `--repeat` times, interleaved so that a noisy
        // moment on the machine does not fall on one configuration only; the
        // run with the median total is reported, with every run's total.
        let configs: Vec<(usize, &String)> =
            args.replicas.iter().flat_map(|&n| args.policies.iter().map(move |p| (n, p))).collect();
        let mut runs: Vec<Vec<Value>> = vec![Vec::new(); configs.len()];
        for round in 0..args.repeat {
            eprintln!("  round {} of {}", round + 1, args.repeat);
            for (i, (n, policy)) in configs.iter().enumerate() {
                // The outcome is deterministic: a run that did not complete will not next time.
                if runs[i].last().is_some_and(|r| r["completed"] != true) {
                    continue;
                }
                runs[i].push(throughput_run(policy, *n, args.limit));
            }
        }
        out["throughput"] = Value::Array(runs.into_iter().map(median_run).collect());
    }
    if run("jump") {
        eprintln!("stsplay-bench: jump back");
        out["jump"] = jump_bench(args.jump_replicas, args.jump_inputs);
    }
    if args.json {
        println!("{out}");
    }
}
