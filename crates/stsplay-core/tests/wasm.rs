//! The scenario suite on wasm32 (run with `cargo test -p stsplay-core
//! --target wasm32-unknown-unknown`, in Node via wasm-bindgen-test-runner):
//! each scenario's transcript must equal the `.expected` file the native run
//! produced, so native and wasm traces are identical. A native test in
//! `crates/stsplay-cli/tests/scenarios.rs` checks that every scenario is listed here.
#![cfg(target_arch = "wasm32")]

use stsplay_core::kubectl::{self, MemoryFiles};
use stsplay_core::Simulation;
use wasm_bindgen_test::wasm_bindgen_test;

const MANIFESTS: &[(&str, &str)] = &[
    ("manifests/invalid-two-errors.yaml", include_str!("../../../tests/scenarios/manifests/invalid-two-errors.yaml")),
    ("manifests/invalid-name.yaml", include_str!("../../../tests/scenarios/manifests/invalid-name.yaml")),
    (
        "manifests/invalid-restart-policy.yaml",
        include_str!("../../../tests/scenarios/manifests/invalid-restart-policy.yaml"),
    ),
    (
        "manifests/invalid-pod-management-policy.yaml",
        include_str!("../../../tests/scenarios/manifests/invalid-pod-management-policy.yaml"),
    ),
    (
        "manifests/invalid-ondelete-with-rolling-update.yaml",
        include_str!("../../../tests/scenarios/manifests/invalid-ondelete-with-rolling-update.yaml"),
    ),
    (
        "manifests/invalid-active-deadline.yaml",
        include_str!("../../../tests/scenarios/manifests/invalid-active-deadline.yaml"),
    ),
    (
        "manifests/pvc-volume-name-class-mismatch.yaml",
        include_str!("../../../tests/scenarios/manifests/pvc-volume-name-class-mismatch.yaml"),
    ),
    ("manifests/web-shop.yaml", include_str!("../../../tests/scenarios/manifests/web-shop.yaml")),
    ("manifests/node-label-ssd.yaml", include_str!("../../../tests/scenarios/manifests/node-label-ssd.yaml")),
    ("manifests/node-new-unlabelled.yaml", include_str!("../../../tests/scenarios/manifests/node-new-unlabelled.yaml")),
    ("manifests/web.yaml", include_str!("../../../tests/scenarios/manifests/web.yaml")),
    ("manifests/web-parallel.yaml", include_str!("../../../tests/scenarios/manifests/web-parallel.yaml")),
    ("manifests/typo-replica.yaml", include_str!("../../../tests/scenarios/manifests/typo-replica.yaml")),
    ("manifests/wrong-type.yaml", include_str!("../../../tests/scenarios/manifests/wrong-type.yaml")),
    ("manifests/negative-replicas.yaml", include_str!("../../../tests/scenarios/manifests/negative-replicas.yaml")),
    ("manifests/selector-mismatch.yaml", include_str!("../../../tests/scenarios/manifests/selector-mismatch.yaml")),
    ("manifests/unknown-kind.yaml", include_str!("../../../tests/scenarios/manifests/unknown-kind.yaml")),
    ("manifests/broken.yaml", include_str!("../../../tests/scenarios/manifests/broken.yaml")),
    (
        "manifests/invalid-container-field-typo.yaml",
        include_str!("../../../tests/scenarios/manifests/invalid-container-field-typo.yaml"),
    ),
    (
        "manifests/invalid-min-ready-seconds.yaml",
        include_str!("../../../tests/scenarios/manifests/invalid-min-ready-seconds.yaml"),
    ),
    (
        "manifests/invalid-ordinals-start.yaml",
        include_str!("../../../tests/scenarios/manifests/invalid-ordinals-start.yaml"),
    ),
    ("manifests/invalid-partition.yaml", include_str!("../../../tests/scenarios/manifests/invalid-partition.yaml")),
    (
        "manifests/invalid-pvc-no-access-modes.yaml",
        include_str!("../../../tests/scenarios/manifests/invalid-pvc-no-access-modes.yaml"),
    ),
    (
        "manifests/invalid-pvc-no-request.yaml",
        include_str!("../../../tests/scenarios/manifests/invalid-pvc-no-request.yaml"),
    ),
    (
        "manifests/invalid-retention-policy.yaml",
        include_str!("../../../tests/scenarios/manifests/invalid-retention-policy.yaml"),
    ),
    ("manifests/pv-access-modes.yaml", include_str!("../../../tests/scenarios/manifests/pv-access-modes.yaml")),
    ("manifests/pv-block.yaml", include_str!("../../../tests/scenarios/manifests/pv-block.yaml")),
    ("manifests/pv-labelled.yaml", include_str!("../../../tests/scenarios/manifests/pv-labelled.yaml")),
    ("manifests/pv-local-worker2.yaml", include_str!("../../../tests/scenarios/manifests/pv-local-worker2.yaml")),
    (
        "manifests/pv-manual-and-classless.yaml",
        include_str!("../../../tests/scenarios/manifests/pv-manual-and-classless.yaml"),
    ),
    ("manifests/pv-reserved.yaml", include_str!("../../../tests/scenarios/manifests/pv-reserved.yaml")),
    ("manifests/pv-sizes.yaml", include_str!("../../../tests/scenarios/manifests/pv-sizes.yaml")),
    (
        "manifests/pvc-classless-1500mi.yaml",
        include_str!("../../../tests/scenarios/manifests/pvc-classless-1500mi.yaml"),
    ),
    ("manifests/pvc-default-class.yaml", include_str!("../../../tests/scenarios/manifests/pvc-default-class.yaml")),
    (
        "manifests/pvc-empty-and-default-class.yaml",
        include_str!("../../../tests/scenarios/manifests/pvc-empty-and-default-class.yaml"),
    ),
    (
        "manifests/pvc-filesystem-and-block.yaml",
        include_str!("../../../tests/scenarios/manifests/pvc-filesystem-and-block.yaml"),
    ),
    ("manifests/pvc-manual.yaml", include_str!("../../../tests/scenarios/manifests/pvc-manual.yaml")),
    ("manifests/pvc-missing-class.yaml", include_str!("../../../tests/scenarios/manifests/pvc-missing-class.yaml")),
    (
        "manifests/pvc-reserved-and-other.yaml",
        include_str!("../../../tests/scenarios/manifests/pvc-reserved-and-other.yaml"),
    ),
    ("manifests/pvc-rwo-rwx.yaml", include_str!("../../../tests/scenarios/manifests/pvc-rwo-rwx.yaml")),
    ("manifests/pvc-selector-ssd.yaml", include_str!("../../../tests/scenarios/manifests/pvc-selector-ssd.yaml")),
    ("manifests/pvc-volume-name.yaml", include_str!("../../../tests/scenarios/manifests/pvc-volume-name.yaml")),
    ("manifests/sc-fast-immediate.yaml", include_str!("../../../tests/scenarios/manifests/sc-fast-immediate.yaml")),
    ("manifests/sc-local-storage.yaml", include_str!("../../../tests/scenarios/manifests/sc-local-storage.yaml")),
    ("manifests/web-allowed-changes.yaml", include_str!("../../../tests/scenarios/manifests/web-allowed-changes.yaml")),
    ("manifests/web-claim-labels.yaml", include_str!("../../../tests/scenarios/manifests/web-claim-labels.yaml")),
    (
        "manifests/web-claim-size-change.yaml",
        include_str!("../../../tests/scenarios/manifests/web-claim-size-change.yaml"),
    ),
    ("manifests/web-clusterip.yaml", include_str!("../../../tests/scenarios/manifests/web-clusterip.yaml")),
    (
        "manifests/web-control-plane-tolerated.yaml",
        include_str!("../../../tests/scenarios/manifests/web-control-plane-tolerated.yaml"),
    ),
    ("manifests/web-control-plane.yaml", include_str!("../../../tests/scenarios/manifests/web-control-plane.yaml")),
    ("manifests/web-history-limit.yaml", include_str!("../../../tests/scenarios/manifests/web-history-limit.yaml")),
    ("manifests/web-kube-public.yaml", include_str!("../../../tests/scenarios/manifests/web-kube-public.yaml")),
    ("manifests/web-local.yaml", include_str!("../../../tests/scenarios/manifests/web-local.yaml")),
    (
        "manifests/web-max-unavailable-v2.yaml",
        include_str!("../../../tests/scenarios/manifests/web-max-unavailable-v2.yaml"),
    ),
    ("manifests/web-min-ready.yaml", include_str!("../../../tests/scenarios/manifests/web-min-ready.yaml")),
    ("manifests/web-no-service.yaml", include_str!("../../../tests/scenarios/manifests/web-no-service.yaml")),
    ("manifests/web-ondelete-v2.yaml", include_str!("../../../tests/scenarios/manifests/web-ondelete-v2.yaml")),
    ("manifests/web-ondelete.yaml", include_str!("../../../tests/scenarios/manifests/web-ondelete.yaml")),
    ("manifests/web-ordinals-start1.yaml", include_str!("../../../tests/scenarios/manifests/web-ordinals-start1.yaml")),
    (
        "manifests/web-ordinals-v2-partition1.yaml",
        include_str!("../../../tests/scenarios/manifests/web-ordinals-v2-partition1.yaml"),
    ),
    ("manifests/web-ordinals.yaml", include_str!("../../../tests/scenarios/manifests/web-ordinals.yaml")),
    ("manifests/web-parallel-change.yaml", include_str!("../../../tests/scenarios/manifests/web-parallel-change.yaml")),
    ("manifests/web-parallel-probe.yaml", include_str!("../../../tests/scenarios/manifests/web-parallel-probe.yaml")),
    ("manifests/web-parallel-v2.yaml", include_str!("../../../tests/scenarios/manifests/web-parallel-v2.yaml")),
    ("manifests/web-probe.yaml", include_str!("../../../tests/scenarios/manifests/web-probe.yaml")),
    (
        "manifests/web-publish-not-ready.yaml",
        include_str!("../../../tests/scenarios/manifests/web-publish-not-ready.yaml"),
    ),
    (
        "manifests/web-retention-delete.yaml",
        include_str!("../../../tests/scenarios/manifests/web-retention-delete.yaml"),
    ),
    (
        "manifests/web-service-name-change.yaml",
        include_str!("../../../tests/scenarios/manifests/web-service-name-change.yaml"),
    ),
    ("manifests/web-ssd-selector.yaml", include_str!("../../../tests/scenarios/manifests/web-ssd-selector.yaml")),
    ("manifests/web-two-claims.yaml", include_str!("../../../tests/scenarios/manifests/web-two-claims.yaml")),
    ("manifests/web-v2-partition1.yaml", include_str!("../../../tests/scenarios/manifests/web-v2-partition1.yaml")),
    ("manifests/web-v2-partition2.yaml", include_str!("../../../tests/scenarios/manifests/web-v2-partition2.yaml")),
    ("manifests/web-v2-partition5.yaml", include_str!("../../../tests/scenarios/manifests/web-v2-partition5.yaml")),
    ("manifests/web-v2-probe.yaml", include_str!("../../../tests/scenarios/manifests/web-v2-probe.yaml")),
    ("manifests/web-v2.yaml", include_str!("../../../tests/scenarios/manifests/web-v2.yaml")),
    ("manifests/namespace-shop.yaml", include_str!("../../../tests/scenarios/manifests/namespace-shop.yaml")),
    ("manifests/nodes-two-cpus.yaml", include_str!("../../../tests/scenarios/manifests/nodes-two-cpus.yaml")),
    ("manifests/pv-manual-three.yaml", include_str!("../../../tests/scenarios/manifests/pv-manual-three.yaml")),
    ("manifests/pv-retain.yaml", include_str!("../../../tests/scenarios/manifests/pv-retain.yaml")),
    ("manifests/pvc-manual-second.yaml", include_str!("../../../tests/scenarios/manifests/pvc-manual-second.yaml")),
    ("manifests/web-anti-affinity.yaml", include_str!("../../../tests/scenarios/manifests/web-anti-affinity.yaml")),
    ("manifests/web-cpu-request.yaml", include_str!("../../../tests/scenarios/manifests/web-cpu-request.yaml")),
    (
        "manifests/web-cpu-request-claims.yaml",
        include_str!("../../../tests/scenarios/manifests/web-cpu-request-claims.yaml"),
    ),
    ("manifests/web-manual-class.yaml", include_str!("../../../tests/scenarios/manifests/web-manual-class.yaml")),
    ("manifests/web-no-volume.yaml", include_str!("../../../tests/scenarios/manifests/web-no-volume.yaml")),
    ("manifests/web-node-affinity.yaml", include_str!("../../../tests/scenarios/manifests/web-node-affinity.yaml")),
    (
        "manifests/web-retention-scaled-delete.yaml",
        include_str!("../../../tests/scenarios/manifests/web-retention-scaled-delete.yaml"),
    ),
];

macro_rules! scenario {
    ($name:literal) => {
        (
            $name,
            include_str!(concat!("../../../tests/scenarios/", $name, ".script")),
            include_str!(concat!("../../../tests/scenarios/", $name, ".expected")),
        )
    };
}

const SCENARIOS: &[(&str, &str, &str)] = &[
    scenario!("namespaces-kind-default"),
    scenario!("events-kubelet-pulled-message"),
    scenario!("describe-pvc-terminating-lasts"),
    scenario!("describe-pod-last-state"),
    scenario!("describe-events-sorted-by-last-seen"),
    scenario!("describe-container-ports"),
    scenario!("describe-node-cordoned"),
    scenario!("scheduler-assumes-pod-while-volume-provisions"),
    scenario!("scheduler-preemption-insufficient-cpu"),
    scenario!("scheduler-preemption-anti-affinity"),
    scenario!("node-down-grace-period"),
    scenario!("patch-json-defaulted-field"),
    scenario!("statefulset-waits-for-terminating-claim"),
    scenario!("delete-force-implies-grace-zero"),
    scenario!("validation-two-errors"),
    scenario!("validation-statefulset-name-dns-label"),
    scenario!("validation-restart-policy"),
    scenario!("validation-pod-management-policy"),
    scenario!("validation-ondelete-with-rolling-update"),
    scenario!("validation-active-deadline"),
    scenario!("terminating-pod-stays-ready"),
    scenario!("pv-binding-volume-name-class-mismatch"),
    scenario!("apply-missing-namespace"),
    scenario!("apply-existing-node-merges"),
    scenario!("statefulset-basics"),
    scenario!("step-through-ordered-creation"),
    scenario!("bad-input"),
    scenario!("parallel-scale"),
    scenario!("cordon-keeps-pods-off-node"),
    scenario!("crashed-container-restarts-in-place"),
    scenario!("delete-statefulset-keeps-claims"),
    scenario!("dns-clusterip-service"),
    scenario!("dns-headless-ready-only"),
    scenario!("dns-namespace-search-path"),
    scenario!("dns-pod-names"),
    scenario!("dns-publish-not-ready"),
    scenario!("dns-service-missing"),
    scenario!("dns-terminating-pod-removed"),
    scenario!("immediate-binding-provisions-without-pod"),
    scenario!("local-volume-pins-replacement-pod"),
    scenario!("min-ready-seconds-slows-scale-up"),
    scenario!("missing-ordinal-recreated-first"),
    scenario!("missing-storage-class"),
    scenario!("no-provisioner-class-no-volume"),
    scenario!("node-joined-gets-hostname-label"),
    scenario!("node-down-no-second-pod"),
    scenario!("node-selector-no-match"),
    scenario!("ondelete-no-automatic-update"),
    scenario!("ordered-ready-creation"),
    scenario!("ordered-ready-waits-for-readiness"),
    scenario!("ordinals-start-names"),
    scenario!("ordinals-start-partition-positions"),
    scenario!("ordinals-start-shift"),
    scenario!("parallel-ignores-readiness"),
    scenario!("pv-binding-access-modes"),
    scenario!("pv-binding-claimref"),
    scenario!("pv-binding-class-match"),
    scenario!("pv-binding-empty-class"),
    scenario!("pv-binding-selector"),
    scenario!("pv-binding-smallest-fit"),
    scenario!("pv-binding-volume-mode"),
    scenario!("pv-binding-volume-name"),
    scenario!("pv-node-affinity-pins-pod"),
    scenario!("pvc-from-claim-templates"),
    scenario!("pvc-protection-while-in-use"),
    scenario!("pvc-retained-and-reused"),
    scenario!("pvc-retention-delete"),
    scenario!("pvc-template-labels"),
    scenario!("revision-history-limit"),
    scenario!("rolling-update-highest-first"),
    scenario!("rolling-update-max-unavailable-ignored"),
    scenario!("rolling-update-parallel-one-at-a-time"),
    scenario!("rolling-update-partition"),
    scenario!("rolling-update-partition-above-replicas"),
    scenario!("rolling-update-partition-keeps-old-revision"),
    scenario!("rolling-update-staged"),
    scenario!("rolling-update-waits-for-ready"),
    scenario!("rollout-undo"),
    scenario!("scale-down-blocked-by-unhealthy-condemned"),
    scenario!("scale-down-blocked-by-unhealthy-replica"),
    scenario!("scale-down-condemned-unhealthy"),
    scenario!("scale-down-highest-first"),
    scenario!("scale-down-waits-for-unhealthy-pod"),
    scenario!("statefulset-allowed-updates"),
    scenario!("statefulset-immutable-fields"),
    scenario!("taint-needs-toleration"),
    scenario!("terminating-pod-blocks-replacement"),
    scenario!("tutorial-staged-update"),
    scenario!("validation-negative-min-ready-seconds"),
    scenario!("validation-negative-ordinals-start"),
    scenario!("validation-negative-partition"),
    scenario!("validation-pvc-required-fields"),
    scenario!("validation-retention-policy-value"),
    scenario!("validation-unknown-nested-field"),
    scenario!("wffc-claim-waits-for-pod"),
    scenario!("crash-loop-backoff"),
    scenario!("crash-once-restarts"),
    scenario!("delete-foreground-cascade"),
    scenario!("delete-foreground-no-wait"),
    scenario!("delete-orphan-then-adopt"),
    scenario!("describe-pvc-used-by"),
    scenario!("dns-exec-from-other-namespace"),
    scenario!("dns-run-busybox-tutorial"),
    scenario!("drain-local-volume-pending"),
    scenario!("drain-recreates-pod-elsewhere"),
    scenario!("fault-unready-needs-probe"),
    scenario!("force-delete-pod"),
    scenario!("get-pods-label-columns"),
    scenario!("get-statefulsets-all-namespaces"),
    scenario!("namespace-create-then-apply"),
    scenario!("node-affinity-required"),
    scenario!("node-down-timeline"),
    scenario!("patch-json-replicas"),
    scenario!("patch-merge-replaces-containers"),
    scenario!("patch-strategic-merges-containers"),
    scenario!("pod-anti-affinity-one-per-node"),
    scenario!("pv-protection-bound-volume"),
    scenario!("pv-reclaim-retain-released"),
    scenario!("pvc-retention-when-scaled-only"),
    scenario!("readiness-unready-halts-scale-up"),
    scenario!("resources-insufficient-cpu"),
    scenario!("rolling-update-max-unavailable-gate-on"),
    scenario!("rollout-undo-to-revision"),
    scenario!("set-image-rolls-pods"),
];

#[wasm_bindgen_test]
fn scenarios_match_native_transcripts() {
    let files = MemoryFiles(MANIFESTS.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect());
    for (name, script, expected) in SCENARIOS {
        let mut sim = kubectl::simulation_for_script(script);
        let got = kubectl::transcript(&kubectl::run_script(&mut sim, script, &files));
        assert_eq!(&got, expected, "scenario {name} differs on wasm32");
    }
}

#[wasm_bindgen_test]
fn default_example_runs_to_ready_on_wasm() {
    let mut sim = Simulation::new(stsplay_core::DEFAULT_SEED);
    sim.apply(stsplay_core::DEFAULT_EXAMPLE, "web.yaml").unwrap_or_else(|e| panic!("{e}"));
    let mut steps = 0;
    while sim.step() && steps < 1000 {
        steps += 1;
    }
    let snap = sim.snapshot();
    assert_eq!(snap.pods.len(), 3);
    assert!(snap.pods.iter().all(|p| p.ready));
    assert!(snap.dns.iter().any(|r| r.name == "web-0.nginx.default.svc.cluster.local"));
}
