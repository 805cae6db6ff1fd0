//! Named invariants that must hold after every step. Tests call
//! [`check_invariants`] after each `step()` (and the property test after each
//! command); a violation names the invariant and the objects involved.
//!
//! - `one-pod-per-identity`: pods are keyed by (namespace, name), and the key
//!   matches the pod; the StatefulSet never runs two pods with one identity.
//! - `claim-ref-matches-volume-name`: PV.claimRef ⇔ PVC.volumeName.
//! - `ordered-ready`: an OrderedReady set creates ordinal N only while every
//!   lower ordinal is Running and Ready.
//! - `dns-ready-only`: DNS publishes only ready, non-terminating endpoints
//!   unless the Service sets `publishNotReadyAddresses`.
//! - `node-usage-matches-pods`: the scheduler's per-node usage (pods, requests,
//!   pods per owner) is that of the pods bound or assumed to the node, and the
//!   hostname index matches the nodes' labels.

use super::*;

/// Invariants that must hold after every step (issue: conformance suite).
pub fn check_invariants(sim: &Simulation, from_step: usize) -> Result<(), String> {
    let c = sim.cluster();
    // at-most-one-pod-per-identity: pods are keyed by (namespace, name), so a
    // second pod with the same identity cannot exist; check the map agrees.
    for (k, p) in &c.pods {
        if *k != p.key() {
            return Err(format!("pod stored under {k:?} is {:?}", p.key()));
        }
    }
    // claim-ref-matches-volume-name: PV.claimRef ⇔ PVC.volumeName when bound.
    for cl in c.claims.values() {
        if let Some(v) = &cl.volume {
            let Some(vol) = c.volumes.get(v) else {
                return Err(format!("claim {} names missing volume {v}", cl.name));
            };
            match &vol.claim_ref {
                Some(r) if r.namespace == cl.namespace && r.name == cl.name && r.uid == cl.uid => {}
                other => return Err(format!("claim {} → {v}, but the volume's claimRef is {other:?}", cl.name)),
            }
        }
    }
    for v in c.volumes.values() {
        if v.phase == VolumePhase::Bound {
            let Some(r) = &v.claim_ref else {
                return Err(format!("bound volume {} has no claimRef", v.name));
            };
            let bound = c.claims.get(&(r.namespace.clone(), r.name.clone())).and_then(|cl| cl.volume.clone());
            if bound.as_deref() != Some(v.name.as_str()) {
                return Err(format!("volume {} is Bound to {}/{} which does not name it", v.name, r.namespace, r.name));
            }
        }
    }
    // ordered-ready: when an OrderedReady set creates ordinal N, every lower
    // ordinal in range is Running and Ready (checked on the steps of the last
    // event: a sync creates at most one pod and changes nothing else).
    for step in sim.steps().get(from_step..).unwrap_or_default() {
        let Reason::CreatePod { namespace, set, ordinal, ordered: true, .. } = &step.reason else {
            continue;
        };
        let start = c.sets.get(&(namespace.clone(), set.clone())).map_or(0, |s| s.set.spec.ordinals_start);
        for lower in start..*ordinal {
            let ready =
                c.pods.get(&(namespace.clone(), format!("{set}-{lower}"))).is_some_and(|p| p.is_running_and_ready());
            if !ready {
                return Err(format!("{set}-{ordinal} was created while {set}-{lower} is not Running and Ready"));
            }
        }
    }
    // dns-ready-only: every A record of a pod name points at a ready, non-terminating pod
    // (unless the Service publishes not-ready addresses).
    for s in c.services.values().filter(|s| s.service.is_headless() && !s.service.publish_not_ready_addresses) {
        for p in crate::dns::endpoints(c, s) {
            if !p.ready || p.is_terminating() {
                return Err(format!("DNS publishes {} which is not ready", p.name));
            }
        }
    }
    // node-usage-matches-pods: the incremental usage equals a recount.
    let mut recount: BTreeMap<&str, NodeUsage> = BTreeMap::new();
    let mut per_set: BTreeMap<Key, BTreeMap<u32, u32>> = BTreeMap::new();
    for p in c.pods.values() {
        let Some(node) = p.node.as_deref().or(p.assumed_node.as_deref()) else { continue };
        let Some(n) = c.nodes.get(node) else { continue };
        let u = recount.entry(node).or_default();
        u.pods += 1;
        let requests = crate::sim::state::pod_requests(p);
        u.cpu_millis += requests.cpu_millis;
        u.memory_bytes += requests.memory_bytes;
        if let Some(o) = &p.owner {
            *per_set.entry((p.namespace.clone(), o.clone())).or_default().entry(n.index).or_insert(0) += 1;
        }
    }
    for (name, n) in &c.nodes {
        let want = recount.remove(name.as_str()).unwrap_or_default();
        let have = &n.usage;
        if (have.pods, have.cpu_millis, have.memory_bytes) != (want.pods, want.cpu_millis, want.memory_bytes) {
            return Err(format!("node {name}'s usage {have:?} differs from its pods' {want:?}"));
        }
    }
    for (set, si) in &c.index.sets {
        let want = per_set.remove(set).unwrap_or_default();
        if si.pods_on_node != want {
            return Err(format!("{set:?} counts {:?} pods per node, its pods {want:?}", si.pods_on_node));
        }
    }
    if let Some((set, counts)) = per_set.into_iter().next() {
        return Err(format!("{set:?} has pods on nodes {counts:?} but no index"));
    }
    if crate::sim::state::nodes_by_hostname(&c.nodes) != c.index.nodes_by_hostname {
        return Err(format!("stale hostname index {:?}", c.index.nodes_by_hostname));
    }
    Ok(())
}
