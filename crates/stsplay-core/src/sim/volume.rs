//! The PersistentVolume controller and the dynamic provisioner, as pure
//! functions. Mirrors `pkg/controller/volume/persistentvolume/pv_controller.go`
//! (`syncUnboundClaim`, `provisionClaim`) and `FindMatchingVolume` in
//! `k8s.io/component-helpers/storage/volume/pv_helpers.go` (via `index.go`'s
//! `findByClaim`).

use crate::sim::state::*;
use crate::sim::Action;

/// `findBestMatchForClaim`: among Available volumes, the pre-bound one wins;
/// otherwise volumes are searched by access-mode set (fewest modes first) and
/// the smallest capacity that fits wins. `node`: with a selected node
/// (WaitForFirstConsumer), volumes not reachable from it are skipped.
/// `delay_binding`: without a selected node, only pre-bound volumes match.
pub fn find_best_match_for_claim<'a>(
    c: &'a Cluster,
    claim: &Claim,
    node: Option<&str>,
    delay_binding: bool,
) -> Option<&'a Volume> {
    let class = claim.storage_class.clone().unwrap_or_default();
    let mut best: Option<&Volume> = None;
    // Only volumes pre-bound to this claim or unclaimed Available ones can match.
    let prebound = c.index.volumes_by_claim_ref.get(&claim.key()).into_iter().flatten();
    let candidates = prebound.chain(c.index.unclaimed_volumes.iter()).filter_map(|n| c.volumes.get(n));
    for v in candidates {
        if !claim.spec.access_modes.iter().all(|m| v.access_modes.contains(m)) {
            continue;
        }
        if v.volume_mode != claim.spec.volume_mode {
            continue;
        }
        if v.capacity.bytes < claim.spec.request.bytes {
            continue;
        }
        if let Some(r) = &v.claim_ref {
            // Pre-bound to this claim: returned before class/selector checks.
            let for_this_claim =
                r.namespace == claim.namespace && r.name == claim.name && (r.uid.is_empty() || r.uid == claim.uid);
            if for_this_claim
                && v.phase == VolumePhase::Available
                && node.is_none_or(|n| c.nodes.get(n).is_some_and(|nd| v.reachable_from(&nd.node.meta.labels)))
            {
                return Some(v);
            }
            continue;
        }
        if v.phase != VolumePhase::Available {
            continue;
        }
        if delay_binding {
            continue;
        }
        if v.storage_class != class {
            continue;
        }
        if let Some(sel) = &claim.spec.selector {
            if !sel.matches(&v.labels) {
                continue;
            }
        }
        if let Some(n) = node {
            if !c.nodes.get(n).is_some_and(|nd| v.reachable_from(&nd.node.meta.labels)) {
                continue;
            }
        }
        let better = match best {
            None => true,
            Some(b) => {
                (v.access_modes.len(), &v.capacity.bytes, &v.name) < (b.access_modes.len(), &b.capacity.bytes, &b.name)
            }
        };
        if better {
            best = Some(v);
        }
    }
    best
}

/// `checkVolumeSatisfyClaim` (pv_controller.go): why the volume cannot serve the claim.
fn check_volume_satisfy_claim(v: &Volume, claim: &Claim) -> Option<&'static str> {
    if v.capacity.bytes < claim.spec.request.bytes {
        return Some("requested PV is too small");
    }
    if v.storage_class != claim.storage_class.clone().unwrap_or_default() {
        return Some("storageClassName does not match");
    }
    if v.volume_mode != claim.spec.volume_mode {
        return Some("incompatible volumeMode");
    }
    if !claim.spec.access_modes.iter().all(|m| v.access_modes.contains(m)) {
        return Some("incompatible accessMode");
    }
    None
}

/// `syncUnboundClaim` for a Pending claim.
pub fn sync_unbound_claim(c: &Cluster, key: &Key) -> Vec<Action> {
    let Some(claim) = c.claims.get(key) else {
        return Vec::new();
    };
    if claim.phase != ClaimPhase::Pending {
        return Vec::new();
    }
    if let Some(wanted) = &claim.spec.volume_name {
        // spec.volumeName: the user asked for one volume (syncUnboundClaim's
        // "pre-bound" branch, checked by checkVolumeSatisfyClaim).
        let pending = |message: String| vec![Action::ClaimPending { claim: key.clone(), message }];
        let Some(v) = c.volumes.get(wanted) else {
            return pending(format!("volume \"{wanted}\" not found"));
        };
        let other_claim =
            v.claim_ref.as_ref().is_some_and(|r| !(r.namespace == claim.namespace && r.name == claim.name));
        if other_claim || v.phase != VolumePhase::Available {
            return pending(format!("volume \"{wanted}\" already bound to a different claim."));
        }
        if let Some(why) = check_volume_satisfy_claim(v, claim) {
            return pending(format!("Cannot bind to requested volume \"{wanted}\": {why}"));
        }
        return vec![Action::BindClaim { claim: key.clone(), volume: wanted.clone(), pre_bound: true }];
    }
    let class_name = claim.storage_class.clone().unwrap_or_default();
    let class = c.classes.get(&class_name);
    let wffc = class.is_some_and(|cl| cl.class.waits_for_first_consumer());
    let delay_binding = wffc && claim.selected_node.is_none();
    if let Some(v) = find_best_match_for_claim(c, claim, claim.selected_node.as_deref(), delay_binding) {
        let pre_bound = v.claim_ref.is_some();
        return vec![Action::BindClaim { claim: key.clone(), volume: v.name.clone(), pre_bound }];
    }
    if delay_binding {
        // emitEventForUnboundDelayBindingClaim: name the waiting pod if there is one.
        let waiting_pod = c.claim_user_pods(key).find(|p| p.node.is_none());
        let message = match waiting_pod {
            Some(p) => format!("waiting for pod {} to be scheduled", p.name),
            None => "waiting for first consumer to be created before binding".to_string(),
        };
        return vec![Action::ClaimPending { claim: key.clone(), message }];
    }
    if class_name.is_empty() {
        return vec![Action::ClaimPending {
            claim: key.clone(),
            message: "no persistent volumes available for this claim and no storage class is set".to_string(),
        }];
    }
    match class {
        None => vec![Action::ClaimPending {
            claim: key.clone(),
            message: format!("storageclass.storage.k8s.io \"{class_name}\" not found"),
        }],
        Some(cl) if cl.class.provisioner == "kubernetes.io/no-provisioner" => vec![Action::ClaimPending {
            claim: key.clone(),
            message: "no volume plugin matched name: kubernetes.io/no-provisioner".to_string(),
        }],
        Some(cl) => vec![Action::StartProvisioning {
            claim: key.clone(),
                        message: format!(
                "Waiting for a volume to be created either by the external provisioner '{}' or manually by the system administrator. If volume creation is delayed, please verify that the provisioner is running and correctly registered.",
                cl.class.provisioner
            ),
        }],
    }
}

/// The external provisioner finished: create the volume (pre-bound to the claim).
pub fn provision_done(c: &Cluster, key: &Key, uid: &str) -> Vec<Action> {
    match c.claims.get(key) {
        Some(claim) if claim.uid == uid && claim.phase == ClaimPhase::Pending => {
            vec![Action::CreateVolume { claim: key.clone() }]
        }
        _ => Vec::new(),
    }
}

/// pvc-protection: a Terminating claim is removed once no pod uses it.
pub fn release_claim(c: &Cluster, key: &Key) -> Vec<Action> {
    let Some(claim) = c.claims.get(key) else { return Vec::new() };
    if claim.deletion_ms.is_none() || !claim_users(c, key).is_empty() {
        return Vec::new();
    }
    vec![Action::RemoveClaim { claim: key.clone() }]
}

/// Pods (in any state) whose volumes name the claim.
pub fn claim_users(c: &Cluster, key: &Key) -> Vec<String> {
    c.claim_users(key)
}
