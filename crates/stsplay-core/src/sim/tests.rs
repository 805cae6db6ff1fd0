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
