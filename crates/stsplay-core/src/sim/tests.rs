//! Simulation tests: named invariants checked after every step, determinism,
//! and the OrderedReady / scale-down / re-creation rules of the first slice.

use super::invariants::check_invariants;
use super::*;

fn run_to_quiet(sim: &mut Simulation, max_steps: usize) {
    for _ in 0..max_steps {
        let seen = sim.steps().len();
        if !sim.step() {
            return;
        }
        if let Err(e) = check_invariants(sim, seen) {
            panic!("invariant violated at t={}ms: {e}", sim.now_ms());
        }
    }
    panic!("simulation did not settle in {max_steps} steps");
}

fn applied(seed: u64) -> Simulation {
    let mut sim = Simulation::new(seed);
    let out = sim.apply(crate::DEFAULT_EXAMPLE, "web.yaml").unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(out, ["service/nginx created", "statefulset.apps/web created"]);
    sim
}

#[test]
fn ordered_ready_creates_one_pod_at_a_time() {
    let mut sim = applied(1);
    let mut created = Vec::new();
    for _ in 0..500 {
        let seen = sim.steps().len();
        if !sim.step() {
            break;
        }
        for step in &sim.steps()[seen..] {
            let Reason::CreatePod { ordinal, .. } = &step.reason else {
                continue;
            };
            // Every lower ordinal is Running and Ready when the next is created.
            for lower in 0..*ordinal {
                let p = sim.cluster().pods.get(&("default".into(), format!("web-{lower}")));
                assert!(
                    p.is_some_and(|p| p.is_running_and_ready()),
                    "web-{lower} not ready when web-{ordinal} was created"
                );
            }
            created.push(*ordinal);
        }
        check_invariants(&sim, seen).unwrap_or_else(|e| panic!("{e}"));
    }
    assert_eq!(created, [0, 1, 2]);
    let snap = sim.snapshot();
    assert!(snap.pods.iter().all(|p| p.status == "Running" && p.ready_containers == "1/1"));
    assert!(snap.pvcs.iter().all(|c| c.phase == "Bound"));
    assert_eq!(snap.statefulsets[0].status.ready_replicas, 3);
    assert!(snap.dns.iter().any(|r| r.name == "web-0.nginx.default.svc.cluster.local"));
}

#[test]
fn same_seed_same_trace_different_seed_may_differ() {
    let trace = |seed| {
        let mut sim = applied(seed);
        run_to_quiet(&mut sim, 1000);
        sim.steps().iter().map(|s| format!("{} {}", s.time_ms, s.message())).collect::<Vec<_>>()
    };
    assert_eq!(trace(7), trace(7));
    let differs = (1..20).any(|s| trace(s) != trace(7));
    assert!(differs, "the seed never changed the trace");
}

#[test]
fn scale_down_removes_highest_ordinal_first_and_keeps_claims() {
    let mut sim = applied(3);
    run_to_quiet(&mut sim, 1000);
    let key = ("default".to_string(), "web".to_string());
    sim.scale_stateful_set(&key, 1).unwrap_or_else(|e| panic!("{e}"));
    let seen = sim.steps().len();
    run_to_quiet(&mut sim, 1000);
    let deleted: Vec<i32> = sim.steps()[seen..]
        .iter()
        .filter_map(|s| match &s.reason {
            Reason::DeleteCondemnedPod { ordinal, .. } => Some(*ordinal),
            _ => None,
        })
        .collect();
    assert_eq!(deleted, [2, 1]);
    assert_eq!(sim.cluster().pods.len(), 1);
    // Claims are retained (persistentVolumeClaimRetentionPolicy defaults to Retain).
    assert_eq!(sim.cluster().claims.len(), 3);
}

#[test]
fn deleted_pod_comes_back_with_same_name_claim_and_node() {
    let mut sim = applied(5);
    run_to_quiet(&mut sim, 1000);
    let key = ("default".to_string(), "web-1".to_string());
    let before = sim.cluster().pods.get(&key).cloned().unwrap_or_else(|| panic!("web-1 missing"));
    sim.delete_pod_by_user(&key).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(sim.snapshot().pods.iter().find(|p| p.name == "web-1").map(|p| p.status.as_str()), Some("Terminating"));
    // DNS drops a terminating pod at once.
    assert!(!sim.snapshot().dns.iter().any(|r| r.name == "web-1.nginx.default.svc.cluster.local"));
    run_to_quiet(&mut sim, 1000);
    let after = sim.cluster().pods.get(&key).cloned().unwrap_or_else(|| panic!("web-1 not re-created"));
    assert_ne!(before.uid, after.uid);
    assert_eq!(before.spec.claim_volumes, after.spec.claim_volumes);
    // The local-path volume pins the new pod to the same node.
    assert_eq!(before.node, after.node);
    assert!(after.is_running_and_ready());
}

#[test]
fn invalid_apply_changes_nothing() {
    let mut sim = applied(2);
    run_to_quiet(&mut sim, 1000);
    let before = sim.cluster().clone();
    let steps = sim.steps().len();
    let bad = crate::DEFAULT_EXAMPLE.replace("replicas: 3", "replicas: 5").replace("  serviceName", "  serviceNam");
    let err = sim.apply(&bad, "web.yaml").err().unwrap_or_else(|| panic!("should fail"));
    assert!(err.message.contains("unknown field \"spec.serviceNam\""), "{}", err.message);
    assert_eq!(*sim.cluster(), before);
    assert_eq!(sim.steps().len(), steps);
    assert!(!sim.has_pending());
}

#[test]
fn immutable_fields_are_forbidden_on_update() {
    let mut sim = applied(2);
    let changed = crate::DEFAULT_EXAMPLE.replace("serviceName: \"nginx\"", "serviceName: \"other\"");
    let err = sim.apply(&changed, "web.yaml").err().unwrap_or_else(|| panic!("should fail"));
    assert!(
        err.message.starts_with(
            "The StatefulSet \"web\" is invalid: spec: Forbidden: updates to statefulset spec for fields other than"
        ),
        "{}",
        err.message
    );
    let same = sim.apply(crate::DEFAULT_EXAMPLE, "web.yaml").unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(same, ["service/nginx unchanged", "statefulset.apps/web unchanged"]);
}

#[test]
fn step_on_an_empty_queue_returns_false() {
    let mut sim = Simulation::new(1);
    assert!(!sim.step());
    assert!(!sim.has_pending());
}

#[test]
fn parallel_policy_creates_without_waiting() {
    let text = crate::DEFAULT_EXAMPLE.replace("  replicas: 3", "  replicas: 3\n  podManagementPolicy: Parallel");
    let mut sim = Simulation::new(1);
    sim.apply(&text, "web.yaml").unwrap_or_else(|e| panic!("{e}"));
    // The first controller sync creates all three pods before any is ready.
    let count = |sim: &Simulation| sim.steps().iter().filter(|s| matches!(s.reason, Reason::CreatePod { .. })).count();
    while count(&sim) < 3 && sim.step() {}
    let creates = count(&sim);
    assert_eq!(creates, 3);
    assert!(sim.cluster().pods.values().all(|p| !p.ready));
}

/// Runs a script on a simulation that checks every incremental StatefulSet
/// sync against the reference full-scan sync.
fn verified_run(script: &str, files: &[(&str, String)]) -> Simulation {
    let mut profile = Profile::kind();
    profile.verify_fast_sync = true;
    profile.max_unavailable_statefulset = script.contains("# feature-gates: MaxUnavailableStatefulSet=true");
    let mut sim = Simulation::with_profile(3, profile);
    let files = crate::kubectl::MemoryFiles(files.iter().map(|(k, v)| (k.to_string(), v.clone())).collect());
    let results = crate::kubectl::run_script(&mut sim, script, &files);
    let (checked, mismatched) = sim.fast_sync_checks();
    assert!(checked > 0, "the fast path was never taken");
    assert_eq!(
        mismatched,
        0,
        "incremental and full syncs differed {mismatched} of {checked} times:\n{}",
        crate::kubectl::transcript(&results)
    );
    sim
}

#[test]
fn incremental_sync_matches_the_full_sync() {
    let web = crate::DEFAULT_EXAMPLE.to_string();
    let v2 = web.replace("nginx-slim:0.7", "nginx-slim:0.8");
    let v2_partition =
        v2.replace("  replicas: 3", "  replicas: 3\n  updateStrategy:\n    rollingUpdate:\n      partition: 1");
    let v3_high_partition = web
        .replace("nginx-slim:0.7", "nginx-slim:0.9")
        .replace("  replicas: 3", "  replicas: 3\n  updateStrategy:\n    rollingUpdate:\n      partition: 7");
    let parallel = web.replace("  replicas: 3", "  replicas: 4\n  podManagementPolicy: Parallel");
    let parallel_v2 = parallel.replace("nginx-slim:0.7", "nginx-slim:0.8");
    let ondelete = web.replace("  replicas: 3", "  replicas: 3\n  updateStrategy:\n    type: OnDelete");
    let ondelete_v2 = ondelete.replace("nginx-slim:0.7", "nginx-slim:0.8");
    let mu =
        web.replace("  replicas: 3", "  replicas: 5\n  updateStrategy:\n    rollingUpdate:\n      maxUnavailable: 2");
    let mu_v2 = mu.replace("nginx-slim:0.7", "nginx-slim:0.8");
    let files = [
        ("web.yaml", web),
        ("v2.yaml", v2),
        ("v2p.yaml", v2_partition),
        ("v3.yaml", v3_high_partition),
        ("par.yaml", parallel),
        ("par2.yaml", parallel_v2),
        ("od.yaml", ondelete),
        ("od2.yaml", ondelete_v2),
        ("mu.yaml", mu),
        ("mu2.yaml", mu_v2),
    ];
    let scripts = [
        // scale up and down, delete, roll, partition, undo
        "kubectl apply -f web.yaml\nsleep 30s\nkubectl scale sts web --replicas=6\nsleep 40s\nkubectl scale sts web --replicas=2\nsleep 20s\nkubectl delete pod web-0 --wait=false\nsleep 20s\nkubectl apply -f v2p.yaml\nsleep 40s\nkubectl apply -f v2.yaml\nsleep 40s\nkubectl rollout undo sts/web\nsleep 60s\nkubectl apply -f v3.yaml\nsleep 30s\n",
        // node failure, force delete, crash loops, unready
        "kubectl apply -f web.yaml\nsleep 30s\nnode down kind-worker2\nsleep 400s\nkubectl delete pod web-1 --force\nkubectl delete pod web-2 --force\nsleep 10s\nnode up kind-worker2\nsleep 30s\npod crash web-0 --repeat\nsleep 90s\nkubectl delete pod web-0\nsleep 30s\n",
        // Parallel roll and scale; OnDelete
        "kubectl apply -f par.yaml\nsleep 20s\nkubectl apply -f par2.yaml\nsleep 60s\nkubectl scale sts web --replicas=1\nsleep 20s\nkubectl delete sts web --cascade=orphan\nkubectl apply -f od.yaml\nsleep 20s\nkubectl apply -f od2.yaml\nsleep 20s\nkubectl delete pod web-1\nsleep 30s\n",
        // cordon, drain, claims being deleted
        "kubectl apply -f web.yaml\nsleep 30s\nkubectl drain kind-worker\nsleep 30s\nkubectl uncordon kind-worker\nkubectl delete pvc www-web-2 --wait=false\nkubectl delete pod web-2\nsleep 60s\n",
        // maxUnavailable with the gate on
        "# feature-gates: MaxUnavailableStatefulSet=true\nkubectl apply -f mu.yaml\nsleep 40s\nkubectl apply -f mu2.yaml\nsleep 60s\n",
    ];
    for script in scripts {
        verified_run(script, &files);
    }
}

#[test]
fn partition_above_replicas_does_not_panic() {
    // Regression: BTreeSet::range panicked on update_min > end.
    let web = crate::DEFAULT_EXAMPLE.to_string();
    let v2 = web
        .replace("nginx-slim:0.7", "nginx-slim:0.8")
        .replace("  replicas: 3", "  replicas: 3\n  updateStrategy:\n    rollingUpdate:\n      partition: 5");
    let sim = verified_run(
        "kubectl apply -f web.yaml\nsleep 30s\nkubectl apply -f v2.yaml\nsleep 30s\n",
        &[("web.yaml", web), ("v2.yaml", v2)],
    );
    assert!(sim.cluster().pods.values().all(|p| p.is_running_and_ready()));
}
