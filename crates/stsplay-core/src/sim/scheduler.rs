//! A small kube-scheduler, as a pure function.
//!
//! Filters (`pkg/scheduler/framework/plugins`): node readiness and the
//! `unschedulable` flag (NodeUnschedulable), NoSchedule/NoExecute taints
//! (TaintToleration), `nodeSelector` (NodeAffinity), and volumes
//! (VolumeBinding: bound volumes' node affinity, unbound WaitForFirstConsumer
//! claims, unbound Immediate claims). Scoring approximates the default
//! profile: spread a set's pods across nodes (PodTopologySpread system
//! defaults), then prefer the least loaded node; ties are broken at random
//! (`selectHost`), here from the simulation's seeded RNG.

use std::collections::BTreeMap;

use crate::sim::state::*;
use crate::sim::Action;

pub fn schedule(c: &Cluster, key: &Key, uid: &str, tie_break: u64) -> Vec<Action> {
    let Some(pod) = c.pods.get(key) else {
        return Vec::new();
    };
    if pod.uid != uid || pod.node.is_some() || pod.is_terminating() {
        return Vec::new();
    }
    let unschedulable = |message: String| vec![Action::PodUnschedulable { pod: key.clone(), message }];

    // VolumeBinding PreFilter: every claim must exist; Immediate claims must be bound.
    // A bound volume with node affinity pins the pod (VolumeBinding).
    let mut pinned: Option<String> = None;
    let mut delayed: Vec<Key> = Vec::new();
    for (_, claim_name) in &pod.spec.claim_volumes {
        let ck = (pod.namespace.clone(), claim_name.clone());
        let Some(claim) = c.claims.get(&ck) else {
            return unschedulable(format!("persistentvolumeclaim \"{claim_name}\" not found"));
        };
        match (&claim.volume, claim.phase) {
            (Some(v), ClaimPhase::Bound) => {
                if c.volumes.get(v).is_some_and(|vol| vol.node_affinity.is_some()) {
                    pinned = Some(v.clone());
                }
            }
            _ => {
                let class = claim.storage_class.as_deref().and_then(|n| c.classes.get(n));
                if class.is_some_and(|cl| cl.class.waits_for_first_consumer()) {
                    delayed.push(ck);
                } else {
                    let total = c.nodes.len();
                    return unschedulable(format!(
                        "0/{total} nodes are available: pod has unbound immediate PersistentVolumeClaims. preemption: 0/{total} nodes are available: {total} Preemption is not helpful for scheduling."
                    ));
                }
            }
        }
    }
    // A delayed claim already has a selected node: wait for its volume.
    if delayed.iter().any(|k| c.claims.get(k).is_some_and(|cl| cl.selected_node.is_some())) {
        return Vec::new();
    }

    // Delayed claims a provisioner can serve fit any node; only the others
    // need an existing volume reachable from the node (checked per node).
    let needs_volume: Vec<&Claim> = delayed
        .iter()
        .filter_map(|k| c.claims.get(k))
        .filter(|claim| {
            claim
                .storage_class
                .as_deref()
                .and_then(|name| c.classes.get(name))
                .is_none_or(|cl| cl.class.provisioner == "kubernetes.io/no-provisioner")
        })
        .collect();
    let mut reasons: BTreeMap<String, usize> = BTreeMap::new();
    let mut feasible: Vec<&NodeState> = Vec::new();
    for n in c.nodes.values() {
        if let Some(r) = filter_node(c, pod, n, pinned.as_ref(), &needs_volume) {
            *reasons.entry(r).or_insert(0) += 1;
        } else {
            feasible.push(n);
        }
    }
    if feasible.is_empty() {
        let total = c.nodes.len();
        // FitError.Error(): the "N reason" strings are sorted as strings.
        let mut detail: Vec<String> = reasons.iter().map(|(r, n)| format!("{n} {r}")).collect();
        detail.sort();
        let detail = detail.join(", ");
        // DefaultPreemption: nodes rejected by a filter that evicting pods could
        // fix (resources, the pod's anti-affinity) are tried and, every pod
        // having priority 0, yield no victims; the others cannot help.
        let resolvable =
            |r: &str| r.starts_with("Insufficient ") || r == "Too many pods" || r.contains("anti-affinity");
        let try_nodes: usize = reasons.iter().filter(|(r, _)| resolvable(r)).map(|(_, n)| n).sum();
        let mut preemption = Vec::new();
        if total > try_nodes {
            preemption.push(format!("{} Preemption is not helpful for scheduling", total - try_nodes));
        }
        if try_nodes > 0 {
            preemption.push(format!("{try_nodes} No preemption victims found for incoming pod"));
        }
        preemption.sort();
        return unschedulable(format!(
            "0/{total} nodes are available: {detail}. preemption: 0/{total} nodes are available: {}.",
            preemption.join(", ")
        ));
    }
    // Score: fewest pods of the same owner, then fewest pods overall.
    let owner_key = pod.owner.clone().map(|o| (pod.namespace.clone(), o));
    let score = |n: &NodeState| {
        let u = &n.usage;
        let same = owner_key.as_ref().and_then(|k| u.by_owner.get(k)).copied().unwrap_or(0);
        (same, u.pods)
    };
    let best = feasible.iter().map(|n| score(n)).min().unwrap_or((0, 0));
    let ties: Vec<&&NodeState> = feasible.iter().filter(|n| score(n) == best).collect();
    let Some(chosen) = ties.get((tie_break % ties.len() as u64) as usize).map(|n| n.name().to_string()) else {
        return Vec::new();
    };
    if !delayed.is_empty() {
        return vec![Action::SelectNodeForClaims { pod: key.clone(), node: chosen, claims: delayed }];
    }
    vec![Action::BindPod { pod: key.clone(), node: chosen, pinned_by_volume: pinned }]
}

/// `None` if the pod fits on the node, else the reason of the first filter
/// that rejects it, in the default profile's plugin order: NodeUnschedulable,
/// TaintToleration, NodeAffinity, NodeResourcesFit, VolumeBinding,
/// InterPodAffinity.
fn filter_node(
    c: &Cluster,
    pod: &Pod,
    n: &NodeState,
    pinned: Option<&String>,
    needs_volume: &[&Claim],
) -> Option<String> {
    // NodeUnschedulable: a cordoned node, unless the pod tolerates its taint.
    let tolerates_unschedulable =
        pod.spec.tolerations.iter().any(|t| t.tolerates("node.kubernetes.io/unschedulable", None, "NoSchedule"));
    if n.node.unschedulable && !tolerates_unschedulable {
        return Some("node(s) were unschedulable".to_string());
    }
    for t in &n.node.taints {
        if t.effect == "PreferNoSchedule" {
            continue;
        }
        let tolerated = pod.spec.tolerations.iter().any(|tol| tol.tolerates(&t.key, t.value.as_deref(), &t.effect));
        if !tolerated {
            return Some(format!(
                "node(s) had untolerated taint {{{}: {}}}",
                t.key,
                t.value.clone().unwrap_or_default()
            ));
        }
    }
    let labels = &n.node.meta.labels;
    let affinity_ok = pod.spec.required_node_affinity.is_empty()
        || pod.spec.required_node_affinity.iter().any(|term| term.iter().all(|r| r.matches(labels)));
    if !pod.spec.node_selector.iter().all(|(k, v)| labels.get(k) == Some(v)) || !affinity_ok {
        return Some("node(s) didn't match Pod's node affinity/selector".to_string());
    }
    // NodeResourcesFit: requests of the pods already on the node plus this one.
    let used = &n.usage;
    let alloc = n.node.allocatable;
    if used.pods >= alloc.pods {
        return Some("Too many pods".to_string());
    }
    let want = requests(pod);
    if want.cpu_millis > 0 && used.cpu_millis + want.cpu_millis > alloc.cpu_millis {
        return Some("Insufficient cpu".to_string());
    }
    if want.memory_bytes > 0 && used.memory_bytes + want.memory_bytes > alloc.memory_bytes {
        return Some("Insufficient memory".to_string());
    }
    if let Some(v) = pinned.and_then(|v| c.volumes.get(v)) {
        if !v.reachable_from(&n.node.meta.labels) {
            return Some("node(s) had volume node affinity conflict".to_string());
        }
    }
    for claim in needs_volume {
        if super::volume::find_best_match_for_claim(c, claim, Some(n.name()), false).is_none() {
            return Some("node(s) didn't find available persistent volumes to bind".to_string());
        }
    }
    // InterPodAffinity: no pod matching an anti-affinity term in the same topology domain.
    for term in &pod.spec.required_anti_affinity {
        let domain = labels.get(&term.topology_key);
        let conflict = domain.is_some()
            && c.pods.values().any(|other| {
                other.namespace == pod.namespace
                    && other.name != pod.name
                    && term.selector.matches(&other.labels)
                    && other
                        .node
                        .as_deref()
                        .and_then(|on| c.nodes.get(on))
                        .is_some_and(|on| on.node.meta.labels.get(&term.topology_key) == domain)
            });
        if conflict {
            return Some("node(s) didn't match pod anti-affinity rules".to_string());
        }
    }
    None
}

/// The pod's resource requests, summed over its containers.
fn requests(p: &Pod) -> crate::spec::Resources {
    p.spec.containers.iter().fold(crate::spec::Resources::default(), |acc, c| crate::spec::Resources {
        cpu_millis: acc.cpu_millis + c.requests.cpu_millis,
        memory_bytes: acc.memory_bytes + c.requests.memory_bytes,
    })
}
