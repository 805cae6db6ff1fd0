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
//! - `node-usage-matches-pods`: the scheduler's per-node usage (pods, requests)
//!   is that of the pods bound or assumed to the node.
//! - `indexes-match-recount` ([`check_indexes`]): every derived index in
//!   [`Indexes`] equals a recount from scratch over the objects — claim users,
//!   unclaimed volumes and claimRefs, orphans, each pod's share, and each
//!   [`SetIndex`] field (present, missing, unhealthy, needs-work and ready
//!   ordinals, pods by revision, pods per node) — as do the pods' cached
//!   `claim_keys` and the hostname index.

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
    for p in c.pods.values() {
        let Some(node) = p.node.as_deref().or(p.assumed_node.as_deref()) else { continue };
        if !c.nodes.contains_key(node) {
            continue;
        }
        let u = recount.entry(node).or_default();
        u.pods += 1;
        let requests = crate::sim::state::pod_requests(p);
        u.cpu_millis += requests.cpu_millis;
        u.memory_bytes += requests.memory_bytes;
    }
    for (name, n) in &c.nodes {
        let want = recount.remove(name.as_str()).unwrap_or_default();
        let have = &n.usage;
        if (have.pods, have.cpu_millis, have.memory_bytes) != (want.pods, want.cpu_millis, want.memory_bytes) {
            return Err(format!("node {name}'s usage {have:?} differs from its pods' {want:?}"));
        }
    }
    check_indexes(c)?;
    Ok(())
}

/// The derived indexes as a recount from scratch over the objects would give
/// them. `SetIndex::start`/`end` are copied: they record the range of the
/// set's last sync (`reindex_set_range`), an input rather than a derivation.
pub fn recount_indexes(c: &Cluster) -> Indexes {
    let mut ix = Indexes::default();
    for (set, si) in &c.index.sets {
        let fresh = ix.sets.entry(set.clone()).or_default();
        fresh.start = si.start;
        fresh.end = si.end;
    }
    for (key, p) in &c.pods {
        for (_, claim) in &p.spec.claim_volumes {
            ix.claim_users.entry((p.namespace.clone(), claim.clone())).or_default().insert(p.name.clone());
        }
        let Some(owner) = &p.owner else {
            ix.orphans.insert(key.clone());
            continue;
        };
        let set = (p.namespace.clone(), owner.clone());
        if let Some(node) = p.node.as_deref().or(p.assumed_node.as_deref()).and_then(|n| c.nodes.get(n)) {
            *ix.sets.entry(set.clone()).or_default().pods_on_node.entry(node.index).or_insert(0) += 1;
        }
        let Some(ordinal) = p.ordinal else { continue };
        let ready = p.phase == PodPhase::Running && p.ready;
        let terminating = p.deletion_ms.is_some();
        let needs_work = match p.phase {
            PodPhase::Failed | PodPhase::Succeeded => true,
            PodPhase::Pending => !terminating && p.claim_keys.iter().any(|k| !c.claims.contains_key(k)),
            PodPhase::Running => false,
        };
        let contrib = PodContrib {
            set: set.clone(),
            ordinal,
            unhealthy: terminating || !ready,
            needs_work,
            ready,
            terminating,
            revision: p.revision.clone(),
        };
        let si = ix.sets.entry(set).or_default();
        si.present.insert(ordinal);
        if contrib.unhealthy {
            si.unhealthy.insert(ordinal);
        }
        if needs_work {
            si.needs_work.insert(ordinal);
        }
        if ready {
            si.ready += 1;
        }
        if let Some(rev) = &contrib.revision {
            if !terminating {
                si.live_by_revision.entry(rev.clone()).or_default().insert(ordinal);
            }
            *si.all_by_revision.entry(rev.clone()).or_insert(0) += 1;
        }
        ix.pod_contrib.insert(key.clone(), contrib);
    }
    for si in ix.sets.values_mut() {
        si.missing = (si.start..si.end).filter(|o| !si.present.contains(o)).collect();
    }
    for (name, v) in &c.volumes {
        match &v.claim_ref {
            None if v.phase == VolumePhase::Available => {
                ix.unclaimed_volumes.insert(name.clone());
            }
            None => {}
            Some(r) => {
                let key = (r.namespace.clone(), r.name.clone());
                ix.volumes_by_claim_ref.entry(key.clone()).or_default().insert(name.clone());
                ix.claim_ref_of_volume.insert(name.clone(), key);
            }
        }
    }
    ix.nodes_by_hostname = crate::sim::state::nodes_by_hostname(&c.nodes);
    ix
}

/// `indexes-match-recount`: each derived index equals [`recount_indexes`],
/// and each pod's `claim_keys` names its claim volumes. The error names the
/// index and the first entry that differs.
pub fn check_indexes(c: &Cluster) -> Result<(), String> {
    for (k, p) in &c.pods {
        let want: Vec<Key> = p.spec.claim_volumes.iter().map(|(_, cl)| (p.namespace.clone(), cl.clone())).collect();
        if p.claim_keys != want {
            return Err(format!("pod {k:?} caches claim_keys {:?}, its volumes name {want:?}", p.claim_keys));
        }
    }
    let want = recount_indexes(c);
    let have = &c.index;
    fn differs<K: Ord + std::fmt::Debug, V: PartialEq + std::fmt::Debug>(
        name: &str,
        have: &BTreeMap<K, V>,
        want: &BTreeMap<K, V>,
    ) -> Result<(), String> {
        for (k, v) in have {
            match want.get(k) {
                Some(w) if w == v => {}
                w => return Err(format!("index {name}[{k:?}] is {v:?}, a recount gives {w:?}")),
            }
        }
        match want.keys().find(|k| !have.contains_key(k)) {
            Some(k) => Err(format!("index {name} lacks {k:?} ({:?} by a recount)", want.get(k))),
            None => Ok(()),
        }
    }
    let set_of = |s: &BTreeSet<String>| s.iter().map(|n| (n.clone(), ())).collect::<BTreeMap<_, _>>();
    let keys_of = |s: &BTreeSet<Key>| s.iter().map(|n| (n.clone(), ())).collect::<BTreeMap<_, _>>();
    differs("claim_users", &have.claim_users, &want.claim_users)?;
    differs("unclaimed_volumes", &set_of(&have.unclaimed_volumes), &set_of(&want.unclaimed_volumes))?;
    differs("volumes_by_claim_ref", &have.volumes_by_claim_ref, &want.volumes_by_claim_ref)?;
    differs("claim_ref_of_volume", &have.claim_ref_of_volume, &want.claim_ref_of_volume)?;
    differs("orphans", &keys_of(&have.orphans), &keys_of(&want.orphans))?;
    differs("pod_contrib", &have.pod_contrib, &want.pod_contrib)?;
    differs("nodes_by_hostname", &have.nodes_by_hostname, &want.nodes_by_hostname)?;
    let empty = SetIndex::default();
    let sets: BTreeSet<&Key> = have.sets.keys().chain(want.sets.keys()).collect();
    for set in sets {
        let h = have.sets.get(set).unwrap_or(&empty);
        let w = want.sets.get(set).unwrap_or(&empty);
        let fields: [(&str, bool); 8] = [
            ("present", h.present == w.present),
            ("missing", h.missing == w.missing),
            ("unhealthy", h.unhealthy == w.unhealthy),
            ("needs_work", h.needs_work == w.needs_work),
            ("ready", h.ready == w.ready),
            ("live_by_revision", h.live_by_revision == w.live_by_revision),
            ("all_by_revision", h.all_by_revision == w.all_by_revision),
            ("pods_on_node", h.pods_on_node == w.pods_on_node),
        ];
        if let Some((field, _)) = fields.iter().find(|(_, same)| !same) {
            return Err(format!("index sets[{set:?}].{field} differs from a recount: {h:?} vs {w:?}"));
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The default example, settled: 3 pods, 3 bound claims and volumes.
    fn settled() -> Cluster {
        let mut sim = Simulation::new(1);
        sim.apply(crate::DEFAULT_EXAMPLE, "web.yaml").unwrap_or_else(|e| panic!("{e}"));
        for _ in 0..500 {
            if !sim.step() {
                break;
            }
        }
        check_invariants(&sim, 0).unwrap_or_else(|e| panic!("{e}"));
        sim.cluster().clone()
    }

    fn web() -> Key {
        ("default".to_string(), "web".to_string())
    }

    /// Corrupts a copy of the settled cluster and expects `check_indexes` to
    /// name `what`.
    fn fails(what: &str, corrupt: impl FnOnce(&mut Cluster)) {
        let mut c = settled();
        assert_eq!(check_indexes(&c), Ok(()));
        corrupt(&mut c);
        match check_indexes(&c) {
            Err(e) => assert!(e.contains(what), "expected {what:?} in {e:?}"),
            Ok(()) => panic!("corrupting {what} went unnoticed"),
        }
    }

    fn set_index(c: &mut Cluster) -> &mut SetIndex {
        c.index.sets.entry(web()).or_default()
    }

    #[test]
    fn each_index_is_checked_against_a_recount() {
        fails("claim_users", |c| {
            c.index.claim_users.remove(&("default".to_string(), "www-web-0".to_string()));
        });
        fails("claim_users", |c| {
            c.index.claim_users.entry(("default".to_string(), "ghost".to_string())).or_default().insert("web-0".into());
        });
        fails("unclaimed_volumes", |c| {
            c.index.unclaimed_volumes.insert("pvc-nope".into());
        });
        fails("volumes_by_claim_ref", |c| c.index.volumes_by_claim_ref.clear());
        fails("claim_ref_of_volume", |c| {
            if let Some(k) = c.index.claim_ref_of_volume.values_mut().next() {
                k.1 = "other".into();
            }
        });
        fails("orphans", |c| {
            c.index.orphans.insert(("default".to_string(), "web-0".to_string()));
        });
        fails("pod_contrib", |c| {
            if let Some(p) = c.index.pod_contrib.values_mut().next() {
                p.ready = !p.ready;
            }
        });
        fails("nodes_by_hostname", |c| c.index.nodes_by_hostname.clear());
        fails("present", |c| {
            set_index(c).present.remove(&1);
        });
        fails("missing", |c| {
            set_index(c).missing.insert(1);
        });
        fails("unhealthy", |c| {
            set_index(c).unhealthy.insert(2);
        });
        fails("needs_work", |c| {
            set_index(c).needs_work.insert(0);
        });
        fails("ready", |c| set_index(c).ready += 1);
        fails("live_by_revision", |c| set_index(c).live_by_revision.clear());
        fails("all_by_revision", |c| {
            if let Some(n) = set_index(c).all_by_revision.values_mut().next() {
                *n += 1;
            }
        });
        fails("pods_on_node", |c| {
            set_index(c).pods_on_node.insert(99, 1);
        });
        fails("claim_keys", |c| {
            if let Some(p) = c.pods.values_mut().next() {
                p.claim_keys.clear();
            }
        });
    }

    #[test]
    fn an_object_changed_behind_the_index_is_noticed() {
        // A volume changed without `update_volume` (which re-indexes it).
        fails("unclaimed_volumes", |c| {
            let name = c.volumes.keys().next().cloned().unwrap_or_default();
            if let Some(v) = c.volumes.get_mut(&name) {
                v.claim_ref = None;
                v.phase = VolumePhase::Available;
            }
        });
        // A pod whose owner changes without `set_pod_owner`.
        fails("pod_contrib", |c| {
            if let Some(p) = c.pods.values_mut().next() {
                p.owner = Some("other".into());
            }
        });
    }

    #[test]
    fn node_usage_is_checked_against_a_recount() {
        let mut sim = Simulation::new(1);
        sim.apply(crate::DEFAULT_EXAMPLE, "web.yaml").unwrap_or_else(|e| panic!("{e}"));
        for _ in 0..500 {
            if !sim.step() {
                break;
            }
        }
        assert_eq!(check_invariants(&sim, 0), Ok(()));
        let node = sim.cluster().pods.values().find_map(|p| p.node.clone()).unwrap_or_default();
        if let Some(n) = sim.cluster_mut().nodes.get_mut(&node) {
            n.usage.pods += 1;
        }
        let e = check_invariants(&sim, 0).unwrap_err();
        assert!(e.contains("usage"), "{e}");
    }
}
