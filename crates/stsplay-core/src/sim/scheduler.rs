//! A small kube-scheduler, as a pure function.
//!
//! Filters (`pkg/scheduler/framework/plugins`): node readiness and the
//! `unschedulable` flag (NodeUnschedulable), NoSchedule/NoExecute taints
//! (TaintToleration), `nodeSelector` (NodeAffinity), and volumes
//! (VolumeBinding: bound volumes' node affinity, unbound WaitForFirstConsumer
//! claims, unbound Immediate claims). Scoring approximates the default
//! profile: spread a set's pods across nodes (PodTopologySpread system
//! defaults), then prefer the least loaded node; ties are broken at random
//! (`selectHost`), here from the simulation's seeded RNG. A pod with unbound
//! WaitForFirstConsumer claims is *assumed* onto the chosen node (counted in
//! its usage) while its volumes are provisioned, then bound there
//! (`schedule_one.go` `schedulingCycle`/`bindingCycle`).

use std::borrow::Cow;
use std::collections::{BTreeMap, BTreeSet};

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
    if let Some(node) = &pod.assumed_node {
        return bind_assumed(c, pod, key, node);
    }

    // VolumeBinding PreFilter: every claim must exist; Immediate claims must be bound.
    // A bound volume with node affinity pins the pod (VolumeBinding).
    let mut pinned: Option<&Volume> = None;
    let mut delayed: Vec<Key> = Vec::new();
    for (_, claim_name) in &pod.spec.claim_volumes {
        let ck = (pod.namespace.clone(), claim_name.clone());
        let Some(claim) = c.claims.get(&ck) else {
            return unschedulable(format!("persistentvolumeclaim \"{claim_name}\" not found"));
        };
        match (&claim.volume, claim.phase) {
            (Some(v), ClaimPhase::Bound) => {
                if let Some(vol) = c.volumes.get(v).filter(|vol| vol.node_affinity.is_some()) {
                    pinned = Some(vol);
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
    let want = pod_requests(pod);
    let mut reasons: BTreeMap<Cow<'static, str>, usize> = BTreeMap::new();
    // Score: fewest pods of the same owner, then fewest pods overall.
    let same_owner = pod.owner.clone().and_then(|o| c.index.sets.get(&(pod.namespace.clone(), o)));
    let score = |n: &NodeState| {
        let same = same_owner.and_then(|si| si.pods_on_node.get(&n.index)).copied().unwrap_or(0);
        (same, n.usage.pods)
    };
    let mut feasible: Vec<((u32, u32), &NodeState)> = Vec::new();
    // A volume pinned to hostnames lets only the nodes with one of them pass
    // VolumeBinding: filter those (same feasible nodes, same order) and scan
    // every node only if none fits, for the message's per-node reasons.
    if let Some(shortlist) = pinned.and_then(|v| hostname_shortlist(c, v)) {
        for n in shortlist {
            if filter_node(c, pod, &want, n, pinned, &needs_volume).is_none() {
                feasible.push((score(n), n));
            }
        }
    }
    if feasible.is_empty() {
        for n in c.nodes.values() {
            if let Some(r) = filter_node(c, pod, &want, n, pinned, &needs_volume) {
                *reasons.entry(r).or_insert(0) += 1;
            } else {
                feasible.push((score(n), n));
            }
        }
    }
    if feasible.is_empty() {
        let total = c.nodes.len();
        // FitError.Error(): the "N reason" strings are sorted as strings.
        let mut detail: Vec<String> = reasons.iter().map(|(r, n)| format!("{n} {r}")).collect();
        crate::sort::sort(&mut detail);
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
        crate::sort::sort(&mut preemption);
        return unschedulable(format!(
            "0/{total} nodes are available: {detail}. preemption: 0/{total} nodes are available: {}.",
            preemption.join(", ")
        ));
    }
    let best = feasible.iter().map(|(score, _)| *score).min().unwrap_or((0, 0));
    let ties: Vec<&NodeState> = feasible.iter().filter(|(score, _)| *score == best).map(|(_, n)| *n).collect();
    let Some(chosen) = ties.get((tie_break % ties.len() as u64) as usize).map(|n| n.name().to_string()) else {
        return Vec::new();
    };
    if !delayed.is_empty() {
        return vec![Action::SelectNodeForClaims { pod: key.clone(), node: chosen, claims: delayed }];
    }
    let pinned_by_volume = pinned.map(|v| v.name.clone());
    vec![Action::BindPod { pod: key.clone(), node: chosen, pinned_by_volume }]
}

/// The nodes that can reach `volume` when each of its node-affinity terms
/// requires `kubernetes.io/hostname In [...]` (as local volumes and the
/// local-path provisioner's do), in name order; `None` for any other affinity.
fn hostname_shortlist<'a>(c: &'a Cluster, volume: &Volume) -> Option<Vec<&'a NodeState>> {
    let mut names: BTreeSet<&String> = BTreeSet::new();
    for term in volume.node_affinity.as_ref()? {
        let hostnames = term.iter().find(|r| r.key == HOSTNAME_LABEL && r.operator == "In")?;
        for hostname in &hostnames.values {
            names.extend(c.index.nodes_by_hostname.get(hostname).into_iter().flatten());
        }
    }
    Some(names.into_iter().filter_map(|n| c.nodes.get(n)).collect())
}

/// The binding cycle of a pod assumed onto `node` (`schedule_one.go`
/// `bindingCycle`): VolumeBinding's PreBind waits until every claim is bound,
/// then the pod is bound to the node chosen in its scheduling cycle, without
/// filtering again (the node's usage has counted it since `assume`).
fn bind_assumed(c: &Cluster, pod: &Pod, key: &Key, node: &str) -> Vec<Action> {
    let mut pinned_by_volume = None;
    for claim_key in &pod.claim_keys {
        let Some(claim) = c.claims.get(claim_key) else { return Vec::new() };
        let (ClaimPhase::Bound, Some(v)) = (claim.phase, &claim.volume) else { return Vec::new() };
        if c.volumes.get(v).is_some_and(|vol| vol.node_affinity.is_some()) {
            pinned_by_volume = Some(v.clone());
        }
    }
    vec![Action::BindPod { pod: key.clone(), node: node.to_string(), pinned_by_volume }]
}

/// `None` if the pod fits on the node, else the reason of the first filter
/// that rejects it, in the default profile's plugin order: NodeUnschedulable,
/// TaintToleration, NodeAffinity, NodeResourcesFit, VolumeBinding,
/// InterPodAffinity.
fn filter_node(
    c: &Cluster,
    pod: &Pod,
    want: &crate::spec::Resources,
    n: &NodeState,
    pinned: Option<&Volume>,
    needs_volume: &[&Claim],
) -> Option<Cow<'static, str>> {
    // NodeUnschedulable: a cordoned node, unless the pod tolerates its taint.
    let tolerates_unschedulable =
        || pod.spec.tolerations.iter().any(|t| t.tolerates("node.kubernetes.io/unschedulable", None, "NoSchedule"));
    if n.node.unschedulable && !tolerates_unschedulable() {
        return Some(Cow::Borrowed("node(s) were unschedulable"));
    }
    for t in &n.node.taints {
        if t.effect == "PreferNoSchedule" {
            continue;
        }
        let tolerated = pod.spec.tolerations.iter().any(|tol| tol.tolerates(&t.key, t.value.as_deref(), &t.effect));
        if !tolerated {
            return Some(Cow::Owned(format!(
                "node(s) had untolerated taint {{{}: {}}}",
                t.key,
                t.value.clone().unwrap_or_default()
            )));
        }
    }
    let labels = &n.node.meta.labels;
    let affinity_ok = pod.spec.required_node_affinity.is_empty()
        || pod.spec.required_node_affinity.iter().any(|term| term.iter().all(|r| r.matches(labels)));
    if !pod.spec.node_selector.iter().all(|(k, v)| labels.get(k) == Some(v)) || !affinity_ok {
        return Some(Cow::Borrowed("node(s) didn't match Pod's node affinity/selector"));
    }
    // NodeResourcesFit: requests of the pods already on the node plus this one.
    let used = &n.usage;
    let alloc = n.node.allocatable;
    if used.pods >= alloc.pods {
        return Some(Cow::Borrowed("Too many pods"));
    }
    if want.cpu_millis > 0 && used.cpu_millis + want.cpu_millis > alloc.cpu_millis {
        return Some(Cow::Borrowed("Insufficient cpu"));
    }
    if want.memory_bytes > 0 && used.memory_bytes + want.memory_bytes > alloc.memory_bytes {
        return Some(Cow::Borrowed("Insufficient memory"));
    }
    if let Some(v) = pinned {
        if !v.reachable_from(&n.node.meta.labels) {
            return Some(Cow::Borrowed("node(s) had volume node affinity conflict"));
        }
    }
    for claim in needs_volume {
        if super::volume::find_best_match_for_claim(c, claim, Some(n.name()), false).is_none() {
            return Some(Cow::Borrowed("node(s) didn't find available persistent volumes to bind"));
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
            return Some(Cow::Borrowed("node(s) didn't match pod anti-affinity rules"));
        }
    }
    None
}
