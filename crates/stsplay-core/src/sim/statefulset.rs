//! The StatefulSet controller as a pure function.
//!
//! Mirrors `pkg/controller/statefulset/stateful_set_control.go`:
//! `updateStatefulSet` splits pods into `replicas` (ordinals in
//! `[start, start+replicas)`) and `condemned` (the rest), runs
//! `processReplica` over replicas in ordinal order, then `processCondemned`
//! over condemned pods from the highest ordinal down, then the RollingUpdate
//! pass. In OrderedReady ("monotonic") mode each pass stops at the first
//! create, delete or unhealthy pod; Parallel ("burst") mode does not wait.
//! Status is computed as `computeReplicaStatus` + `completeRollingUpdate` do.

use std::borrow::Cow;

use crate::reason::Reason;
use crate::sim::state::*;
use crate::sim::{Action, DeleteCause};
use crate::spec::{PodManagementPolicy, RetentionPolicy, StatefulSet, UpdateStrategy};

/// `controller.ComputeHash`-style name for a template revision:
/// FNV-32a of the canonical template, encoded with `rand.SafeEncodeString`.
/// (Upstream hashes its own serialization, so the hash text differs from a
/// real cluster's; its shape and stability are the same.)
pub fn revision_name(set_name: &str, canonical_template: &str) -> String {
    let mut hash: u32 = 0x811c_9dc5;
    for b in canonical_template.bytes() {
        hash ^= u32::from(b);
        hash = hash.wrapping_mul(0x0100_0193);
    }
    const ALPHANUMS: &[u8] = b"bcdfghjklmnpqrstvwxz2456789";
    let encoded: String = hash
        .to_string()
        .bytes()
        .filter_map(|b| ALPHANUMS.get(usize::from(b) % ALPHANUMS.len()).map(|c| *c as char))
        .collect();
    format!("{set_name}-{encoded}")
}

fn parse_ordinal(set_name: &str, pod_name: &str) -> Option<i32> {
    let rest = pod_name.strip_prefix(set_name)?.strip_prefix('-')?;
    if rest.is_empty() || (rest.len() > 1 && rest.starts_with('0')) {
        return None;
    }
    rest.parse::<i32>().ok()
}

/// The claim name for a template and ordinal: `<template>-<set>-<ordinal>`
/// (`getPersistentVolumeClaimName`).
pub fn claim_name(template: &str, set: &str, ordinal: i32) -> String {
    format!("{template}-{set}-{ordinal}")
}

/// `newVersionedStatefulSetPod` / `newStatefulSetPod`: identity, labels,
/// hostname/subdomain and the claim volumes for one ordinal.
pub fn new_pod(s: &SetState, revision: &Revision, ordinal: i32) -> Pod {
    let set = &s.set;
    let ns = set.meta.namespace.clone().unwrap_or_default();
    let name = format!("{}-{}", set.meta.name, ordinal);
    let mut labels = revision.template.labels.clone();
    labels.insert("controller-revision-hash".to_string(), revision.name.clone());
    labels.insert("statefulset.kubernetes.io/pod-name".to_string(), name.clone());
    labels.insert("apps.kubernetes.io/pod-index".to_string(), ordinal.to_string());
    let mut spec = revision.template.spec.clone();
    // updateStorage: template volumes named like a claim template are replaced.
    for t in &set.spec.volume_claim_templates {
        spec.claim_volumes.retain(|(v, _)| *v != t.name);
        spec.claim_volumes.push((t.name.clone(), claim_name(&t.name, &set.meta.name, ordinal)));
    }
    let claim_keys = spec.claim_volumes.iter().map(|(_, c)| (ns.clone(), c.clone())).collect();
    // updateIdentity: hostname = pod name, subdomain = serviceName.
    spec.hostname = Some(name.clone());
    spec.subdomain = (!set.spec.service_name.is_empty()).then(|| set.spec.service_name.clone());
    Pod {
        namespace: ns,
        name,
        uid: String::new(),
        labels,
        owner: Some(set.meta.name.clone()),
        ordinal: Some(ordinal),
        revision: Some(revision.name.clone()),
        spec,
        created_ms: 0,
        deletion_ms: None,
        node: None,
        assumed_node: None,
        phase: PodPhase::Pending,
        containers_running: false,
        ready: false,
        ready_since_ms: None,
        ip: None,
        restarts: 0,
        unschedulable: None,
        waiting_reason: None,
        crash_looping: false,
        probe_failing: false,
        marked_not_ready_by_node: false,
        pull_ms: 0,
        claim_keys,
        start_time_ms: None,
        started_ms: None,
        last_termination: None,
    }
}

/// Claims the pod of `ordinal` needs that do not exist yet
/// (`createMissingPersistentVolumeClaims`). Labels: the template's, plus the
/// set selector's `matchLabels` (`getPersistentVolumeClaims`).
fn missing_claims(c: &Cluster, set: &StatefulSet, ordinal: i32, default_class: Option<&str>) -> Vec<Claim> {
    let ns = set.meta.namespace.clone().unwrap_or_default();
    set.spec
        .volume_claim_templates
        .iter()
        .filter_map(|t| {
            let name = claim_name(&t.name, &set.meta.name, ordinal);
            if c.claims.contains_key(&(ns.clone(), name.clone())) {
                return None;
            }
            let mut labels = t.labels.clone();
            for (k, v) in &set.spec.selector.match_labels {
                labels.insert(k.clone(), v.clone());
            }
            let class = t.spec.storage_class_name.clone().or_else(|| default_class.map(str::to_string));
            let mut claim = Claim::new(ns.clone(), name, labels, t.spec.clone(), class, Some(set.meta.name.clone()));
            // updateClaimOwnerRefForSetAndPod: whenDeleted=Delete → owned by the set.
            claim.owned_by_set = set.spec.when_deleted == RetentionPolicy::Delete;
            Some(claim)
        })
        .collect()
}

/// The pods of ordinals `start..start+replicas`, by position (upstream's
/// `replicas` slice, indexed by `ordinal - start`).
struct Replicas<'a> {
    start: i32,
    slots: Vec<Option<&'a Pod>>,
}

impl<'a> Replicas<'a> {
    fn get(&self, ord: &i32) -> Option<&&'a Pod> {
        let i = usize::try_from(ord - self.start).ok()?;
        self.slots.get(i)?.as_ref()
    }
}

fn is_unavailable(p: &Pod, min_ready: i32, now: u64) -> bool {
    !p.is_running_and_available(min_ready, now) || p.is_terminating()
}

/// One reconcile of the StatefulSet `key`.
pub fn sync_stateful_set(c: &Cluster, key: &Key, now: u64, max_unavailable_gate: bool) -> Vec<Action> {
    match fast_path_index(c, key) {
        Some(si) => sync_fast(c, key, si, now, max_unavailable_gate),
        None => sync_stateful_set_full(c, key, now, max_unavailable_gate),
    }
}

/// The set's index when the incremental sync gives the same answer as the
/// full one: no minReadySeconds (availability would depend on time), not
/// being deleted, claim owners already following a Retain/Retain policy, and
/// no orphan in the namespace that this set would adopt.
pub fn fast_path_index<'a>(c: &'a Cluster, key: &Key) -> Option<&'a SetIndex> {
    let s = c.sets.get(key)?;
    let set = &s.set;
    let policies = (set.spec.when_deleted, set.spec.when_scaled);
    let retain = (RetentionPolicy::Retain, RetentionPolicy::Retain);
    if set.spec.min_ready_seconds != 0 || s.deleting || policies != retain || s.retention_applied != Some(retain) {
        return None;
    }
    let si = c.index.sets.get(key)?;
    let (start, end) = (set.spec.ordinals_start, set.spec.ordinals_start.saturating_add(set.spec.replicas.max(0)));
    if si.start != start || si.end != end {
        return None;
    }
    let adoptable = c.index.orphans.range((key.0.clone(), String::new())..).take_while(|k| k.0 == key.0).any(|k| {
        c.pods.get(k).is_some_and(|p| {
            !p.is_terminating()
                && parse_ordinal(&set.meta.name, &p.name).is_some()
                && set.spec.selector.matches(&p.labels)
        })
    });
    (!adoptable).then_some(si)
}

/// getStatefulSetRevisions: the update revision (created, or renumbered on a
/// rollback) and the current one.
fn revisions<'a>(
    s: &'a SetState,
    key: &Key,
    now: u64,
    actions: &mut Vec<Action>,
) -> (Cow<'a, Revision>, Option<&'a Revision>) {
    let set = &s.set;
    let update_name = revision_name(&set.meta.name, &set.spec.template.canonical);
    let latest = s.revisions.iter().map(|r| r.revision).max().unwrap_or(0);
    let update_revision: Cow<'_, Revision> = match s.revisions.iter().find(|r| r.name == update_name) {
        Some(r) if r.revision == latest => Cow::Borrowed(r),
        Some(r) => {
            let bumped = Revision { revision: latest + 1, ..r.clone() };
            actions.push(Action::AddRevision { set: key.clone(), revision: bumped.clone() });
            Cow::Owned(bumped)
        }
        None => {
            let r = Revision {
                name: update_name.clone(),
                revision: latest + 1,
                template: set.spec.template.clone(),
                template_raw: s.manifest.get("spec").and_then(|sp| sp.get("template")).cloned().unwrap_or_default(),
                created_ms: now,
            };
            actions.push(Action::AddRevision { set: key.clone(), revision: r.clone() });
            Cow::Owned(r)
        }
    };
    let current = s.revisions.iter().find(|r| r.name == s.status.current_revision);
    (update_revision, current)
}

/// The incremental sync: the same decisions as [`sync_stateful_set_full`],
/// reading the set's [`SetIndex`] instead of walking every pod. Healthy pods
/// at the right ordinal need no work in `processReplica`, so only missing and
/// unhealthy ordinals, condemned pods and the rolling-update candidates are
/// visited; the status comes from the index's counters.
fn sync_fast(c: &Cluster, key: &Key, si: &SetIndex, now: u64, max_unavailable_gate: bool) -> Vec<Action> {
    let Some(s) = c.sets.get(key) else { return Vec::new() };
    let set = &s.set;
    let mut actions = Vec::new();
    let (update_revision, current) = revisions(s, key, now, &mut actions);
    let current_revision: &Revision = current.unwrap_or(update_revision.as_ref());
    let start = set.spec.ordinals_start;
    let replica_count = set.spec.replicas.max(0);
    let end = start.saturating_add(replica_count);
    let monotonic = set.spec.pod_management_policy == PodManagementPolicy::OrderedReady;
    let pod_at = |ord: i32| {
        if si.present.contains(&ord) {
            c.pods.get(&(key.0.clone(), format!("{}-{}", set.meta.name, ord)))
        } else {
            None
        }
    };
    let first_unhealthy: Option<String> = si
        .unhealthy
        .range(start..end)
        .chain(si.unhealthy.range(..start))
        .chain(si.unhealthy.range(end..))
        .next()
        .map(|o| format!("{}-{}", set.meta.name, o));

    let cx = Ctx {
        c,
        key,
        s,
        monotonic,
        now,
        min_ready: 0,
        default_class: c.default_class(),
        current_revision,
        update_revision: update_revision.as_ref(),
        replica_count,
    };
    let mut created_this_sync = 0;
    let mut blocked = false;
    // processReplica: healthy pods at their ordinal need nothing, so visit
    // only the missing and unhealthy ordinals, in order. In Parallel mode an
    // unhealthy pod matters only if processReplica acts on it (`needs_work`):
    // the others would be passed over, and a burst has many of them.
    // Missing and unhealthy ordinals are disjoint sorted sets: merge them
    // lazily (OrderedReady stops at the first one).
    let pods_to_visit = if monotonic { &si.unhealthy } else { &si.needs_work };
    let problems = MergeSorted {
        a: si.missing.range(span(start, end)).copied().peekable(),
        b: pods_to_visit.range(span(start, end)).copied().peekable(),
    };
    for ord in problems {
        let o = process_replica(&cx, ord, pod_at(ord), &mut actions);
        blocked |= o.blocked;
        created_this_sync += usize::from(o.created);
        if o.stop {
            break;
        }
    }

    // processCondemned, highest ordinal first.
    if !blocked {
        // Lazily: OrderedReady stops at the first, and a scale-down of
        // thousands would otherwise collect every condemned ordinal per sync.
        let condemned = si.present.range(end..).rev().chain(si.present.range(..start).rev()).copied();
        for ord in condemned {
            let Some(p) = pod_at(ord) else { continue };
            let o = process_condemned(&cx, ord, p, first_unhealthy.as_deref(), &mut actions);
            blocked |= o.blocked;
            if o.stop {
                break;
            }
        }
    }

    // Rolling update candidates: ordinals not at the update revision.
    let outdated_desc = |min: i32| -> Vec<i32> {
        let mut v: Vec<i32> = si
            .live_by_revision
            .iter()
            .filter(|(rev, _)| **rev != update_revision.name)
            .flat_map(|(_, ords)| ords.range(span(min, end)).copied())
            .collect();
        crate::sort::sort_by(&mut v, |a, b| b.cmp(a));
        v
    };
    if !blocked && created_this_sync == 0 && max_unavailable_gate {
        if let UpdateStrategy::RollingUpdate { partition, max_unavailable } = &set.spec.update_strategy {
            let max = statefulset_max_unavailable(max_unavailable.as_ref(), replica_count);
            let unavailable = si.unhealthy.range(start..end).count() as i32;
            let budget = (max - unavailable).max(0) as usize;
            for ord in outdated_desc(start.saturating_add((*partition).max(0))).into_iter().take(budget) {
                if let Some(p) = pod_at(ord) {
                    actions.push(delete_for_update(key, set, p, &update_revision.name));
                }
            }
        }
        blocked = true;
    }
    if !blocked && created_this_sync == 0 {
        if let UpdateStrategy::RollingUpdate { partition, .. } = &set.spec.update_strategy {
            let update_min = start.saturating_add((*partition).max(0));
            // Walking down from the top: the first outdated pod is deleted,
            // unless an unavailable pod comes first (then the roll waits).
            // The highest outdated ordinal: the top of each old revision's range.
            let outdated = si
                .live_by_revision
                .iter()
                .filter(|(rev, _)| **rev != update_revision.name)
                .filter_map(|(_, ords)| ords.range(span(update_min, end)).next_back().copied())
                .max();
            let unavailable = si.unhealthy.range(span(update_min, end)).next_back().copied();
            if let Some(o) = outdated.filter(|o| unavailable.is_none_or(|u| *o >= u)) {
                if let Some(p) = pod_at(o) {
                    actions.push(delete_for_update(key, set, p, &update_revision.name));
                }
            }
        }
    }

    let mut status = SetStatus {
        observed_generation: s.generation,
        replicas: si.present.len() as i32,
        ready_replicas: si.ready as i32,
        available_replicas: si.ready as i32,
        current_replicas: si.live_by_revision.get(&current_revision.name).map_or(0, |o| o.len() as i32),
        updated_replicas: si.live_by_revision.get(&update_revision.name).map_or(0, |o| o.len() as i32),
        current_revision: current_revision.name.clone(),
        update_revision: update_revision.name.clone(),
    };
    complete_rolling_update(set, &mut status);
    let live: Vec<&str> = [status.current_revision.as_str(), status.update_revision.as_str()]
        .into_iter()
        .chain(si.all_by_revision.keys().map(String::as_str))
        .collect();
    truncate_history(s, key, &live, &mut actions);
    actions.push(Action::UpdateSetStatus { set: key.clone(), status });
    actions
}

/// What a sync pass knows while it walks the set's pods.
struct Ctx<'a> {
    c: &'a Cluster,
    key: &'a Key,
    s: &'a SetState,
    monotonic: bool,
    now: u64,
    min_ready: i32,
    default_class: Option<&'a str>,
    current_revision: &'a Revision,
    update_revision: &'a Revision,
    replica_count: i32,
}

/// What one `processReplica`/`processCondemned` call tells the loop.
#[derive(Default)]
struct Outcome {
    blocked: bool,
    created: bool,
    stop: bool,
}

impl Outcome {
    /// Blocked: OrderedReady stops here, Parallel goes on with the next pod.
    fn blocked(monotonic: bool) -> Outcome {
        Outcome { blocked: true, created: false, stop: monotonic }
    }
}

/// `processReplica` for one ordinal in range: replace a Failed pod, make a
/// pending pod's claims exist, create a missing pod (unless its claim is being
/// deleted), and in OrderedReady stop at a pod that is not available.
fn process_replica(cx: &Ctx<'_>, ord: i32, pod: Option<&Pod>, actions: &mut Vec<Action>) -> Outcome {
    let (c, key, s) = (cx.c, cx.key, cx.s);
    let set = &s.set;
    match pod {
        Some(p) => {
            if matches!(p.phase, PodPhase::Failed | PodPhase::Succeeded) {
                if !p.is_terminating() {
                    actions.push(Action::DeletePod {
                        pod: p.key(),
                        reason_for: DeleteCause::Controller(Reason::DeleteFailedPod {
                            namespace: key.0.clone(),
                            set: set.meta.name.clone(),
                            pod: p.name.clone(),
                            phase: p.phase.as_str().to_string(),
                        }),
                    });
                }
                return Outcome::blocked(cx.monotonic);
            }
            let claims_present = || p.claim_keys.iter().all(|k| c.claims.contains_key(k));
            if p.phase == PodPhase::Pending && p.deletion_ms.is_none() && !claims_present() {
                // isPending: make sure its claims exist.
                for claim in missing_claims(c, set, ord, cx.default_class) {
                    actions.push(create_claim_action(key, set, &p.name, claim));
                }
            }
            if cx.monotonic && (p.is_terminating() || !p.is_running_and_available(cx.min_ready, cx.now)) {
                return Outcome { blocked: true, created: false, stop: true };
            }
            Outcome::default()
        }
        None => {
            // createPersistentVolumeClaims: a claim that is being deleted fails
            // the create ("pvc ... is being deleted"); the set waits for it to
            // go and then creates a new one.
            if let Some(claim) = terminating_claim(c, key, set, ord) {
                actions.push(Action::Record(Reason::ClaimBeingDeleted {
                    namespace: key.0.clone(),
                    set: set.meta.name.clone(),
                    pod: format!("{}-{}", set.meta.name, ord),
                    claim,
                }));
                return Outcome::blocked(cx.monotonic);
            }
            let revision = if uses_current_revision(set, s, ord) { cx.current_revision } else { cx.update_revision };
            let pod = new_pod(s, revision, ord);
            for claim in missing_claims(c, set, ord, cx.default_class) {
                actions.push(create_claim_action(key, set, &pod.name, claim));
            }
            let reason = Reason::CreatePod {
                namespace: key.0.clone(),
                set: set.meta.name.clone(),
                pod: pod.name.clone(),
                ordinal: ord,
                revision: revision.name.clone(),
                ordered: cx.monotonic,
            };
            actions.push(Action::CreatePod { pod, reason });
            Outcome { blocked: cx.monotonic, created: true, stop: cx.monotonic }
        }
    }
}

/// `processCondemned` for one pod beyond the range: wait for a terminating
/// pod (OrderedReady), wait while a predecessor is unhealthy unless this pod is
/// the first unhealthy one, else delete it.
fn process_condemned(
    cx: &Ctx<'_>,
    ord: i32,
    p: &Pod,
    first_unhealthy: Option<&str>,
    actions: &mut Vec<Action>,
) -> Outcome {
    if p.is_terminating() {
        return if cx.monotonic { Outcome::blocked(true) } else { Outcome::default() };
    }
    let is_first_unhealthy = first_unhealthy == Some(p.name.as_str());
    if cx.monotonic && !p.is_running_and_available(cx.min_ready, cx.now) && !is_first_unhealthy {
        return Outcome::blocked(true);
    }
    actions.push(Action::DeletePod {
        pod: p.key(),
        reason_for: DeleteCause::Controller(Reason::DeleteCondemnedPod {
            namespace: cx.key.0.clone(),
            set: cx.s.set.meta.name.clone(),
            pod: p.name.clone(),
            ordinal: ord,
            replicas: cx.replica_count,
        }),
    });
    if cx.monotonic {
        Outcome::blocked(true)
    } else {
        Outcome::default()
    }
}

/// Two ascending iterators merged into one ascending iterator.
struct MergeSorted<A: Iterator<Item = i32>, B: Iterator<Item = i32>> {
    a: std::iter::Peekable<A>,
    b: std::iter::Peekable<B>,
}

impl<A: Iterator<Item = i32>, B: Iterator<Item = i32>> Iterator for MergeSorted<A, B> {
    type Item = i32;
    fn next(&mut self) -> Option<i32> {
        match (self.a.peek(), self.b.peek()) {
            (Some(x), Some(y)) if x <= y => self.a.next(),
            (Some(_), Some(_)) => self.b.next(),
            (Some(_), None) => self.a.next(),
            (None, _) => self.b.next(),
        }
    }
}

/// `lo..hi`, empty when `hi < lo` (a partition above the replica count):
/// `BTreeSet::range` panics on a reversed range.
fn span(lo: i32, hi: i32) -> std::ops::Range<i32> {
    lo..hi.max(lo)
}

/// The claim of `ordinal` that is being deleted, if any
/// (`createPersistentVolumeClaims` refuses to create the pod then).
fn terminating_claim(c: &Cluster, key: &Key, set: &StatefulSet, ord: i32) -> Option<String> {
    set.spec.volume_claim_templates.iter().find_map(|t| {
        let name = claim_name(&t.name, &set.meta.name, ord);
        c.claims.get(&(key.0.clone(), name.clone())).filter(|cl| cl.deletion_ms.is_some()).map(|_| name)
    })
}

/// `completeRollingUpdate`.
fn complete_rolling_update(set: &StatefulSet, st: &mut SetStatus) {
    if matches!(set.spec.update_strategy, UpdateStrategy::RollingUpdate { .. })
        && st.updated_replicas == st.replicas
        && st.ready_replicas == st.replicas
    {
        st.current_replicas = st.updated_replicas;
        st.current_revision = st.update_revision.clone();
    }
}

/// `truncateHistory`: keep `revisionHistoryLimit` non-live revisions.
fn truncate_history(s: &SetState, key: &Key, live: &[&str], actions: &mut Vec<Action>) {
    let mut history: Vec<&Revision> = s.revisions.iter().filter(|r| !live.contains(&r.name.as_str())).collect();
    crate::sort::sort_by_key(&mut history, |r| r.revision);
    let limit = s.set.spec.revision_history_limit.max(0) as usize;
    if history.len() > limit {
        let names = history.iter().take(history.len() - limit).map(|r| r.name.clone()).collect();
        actions.push(Action::DeleteRevisions { set: key.clone(), names });
    }
}

/// The reference implementation: one reconcile of the StatefulSet `key`,
/// walking all of its pods as upstream's `updateStatefulSet` does.
pub fn sync_stateful_set_full(c: &Cluster, key: &Key, now: u64, max_unavailable_gate: bool) -> Vec<Action> {
    let Some(s) = c.sets.get(key) else {
        return Vec::new();
    };
    let set = &s.set;
    let mut actions = Vec::new();

    let (update_revision, current) = revisions(s, key, now, &mut actions);
    let current_revision: &Revision = current.unwrap_or(update_revision.as_ref());

    let start = set.spec.ordinals_start;
    let replica_count = set.spec.replicas.max(0);
    let min_ready = set.spec.min_ready_seconds;
    let monotonic = set.spec.pod_management_policy == PodManagementPolicy::OrderedReady;

    // One pass over the namespace's pods: this set's, and orphans that
    // ClaimPods would adopt (name and labels make them members of this set).
    let mut pods: Vec<(i32, &Pod)> = Vec::new();
    let mut orphans: Vec<Action> = Vec::new();
    let ns_pods = c.pods.range((key.0.clone(), String::new())..).take_while(|(k, _)| k.0 == key.0).map(|(_, p)| p);
    for p in ns_pods {
        match p.owner.as_deref() {
            Some(owner) if owner == set.meta.name => {
                if let Some(ord) = p.ordinal.or_else(|| parse_ordinal(&set.meta.name, &p.name)) {
                    pods.push((ord, p));
                }
            }
            None if !p.is_terminating()
                && parse_ordinal(&set.meta.name, &p.name).is_some()
                && set.spec.selector.matches(&p.labels) =>
            {
                orphans.push(Action::AdoptPod { set: key.clone(), pod: p.key() });
            }
            _ => {}
        }
    }
    if !orphans.is_empty() {
        actions.extend(orphans);
        return actions;
    }
    if s.deleting {
        // Foreground deletion in progress: only status is kept up to date.
        actions.push(Action::UpdateSetStatus {
            set: key.clone(),
            status: compute_status(s, &pods, &current_revision.name, &update_revision.name, now),
        });
        return actions;
    }
    let mut replicas = Replicas { start, slots: vec![None; replica_count as usize] };
    let mut condemned: Vec<(i32, &Pod)> = Vec::new();
    for &(ord, p) in &pods {
        if ord >= start && ord < start.saturating_add(replica_count) {
            if let Some(slot) = replicas.slots.get_mut((ord - start) as usize) {
                *slot = Some(p);
            }
        } else {
            condemned.push((ord, p));
        }
    }
    crate::sort::sort_by_key(&mut condemned, |(ord, _)| std::cmp::Reverse(*ord));

    // The first unhealthy pod: replicas in order, then condemned from the lowest ordinal.
    let first_unhealthy: Option<String> = (start..start.saturating_add(replica_count))
        .filter_map(|o| replicas.get(&o))
        .chain(condemned.iter().rev().map(|(_, p)| p))
        .find(|p| is_unavailable(p, min_ready, now))
        .map(|p| p.name.clone());

    let cx = Ctx {
        c,
        key,
        s,
        monotonic,
        now,
        min_ready,
        default_class: c.default_class(),
        current_revision,
        update_revision: update_revision.as_ref(),
        replica_count,
    };
    let mut created_this_sync = 0;
    let mut blocked = false;
    // processReplica for each ordinal.
    for ord in start..start.saturating_add(replica_count) {
        let o = process_replica(&cx, ord, replicas.get(&ord).copied(), &mut actions);
        blocked |= o.blocked;
        created_this_sync += usize::from(o.created);
        if o.stop {
            break;
        }
    }

    // Retention policy (ClaimsMatchRetentionPolicy / UpdatePodClaimForRetentionPolicy):
    // claims are owned by the set with whenDeleted=Delete, and by their pod
    // when that pod is condemned with whenScaled=Delete.
    // The pass is skipped when the claims already follow a Retain/Retain policy
    // (claims are created with the right owners; only a policy change or
    // whenScaled=Delete needs it).
    let policies = (set.spec.when_deleted, set.spec.when_scaled);
    let retention_pass = s.retention_applied != Some(policies) || set.spec.when_scaled == RetentionPolicy::Delete;
    for &(ord, p) in pods.iter().filter(|_| retention_pass) {
        let condemned_pod = !(ord >= start && ord < start.saturating_add(replica_count));
        let owner_pod = (condemned_pod && set.spec.when_scaled == RetentionPolicy::Delete).then(|| p.name.clone());
        let owned_by_set = set.spec.when_deleted == RetentionPolicy::Delete;
        for t in &set.spec.volume_claim_templates {
            let ck = (key.0.clone(), claim_name(&t.name, &set.meta.name, ord));
            if let Some(claim) = c.claims.get(&ck) {
                if claim.deletion_ms.is_none() && (claim.owned_by_set != owned_by_set || claim.owner_pod != owner_pod) {
                    actions.push(Action::UpdateClaimOwner { claim: ck, owned_by_set, owner_pod: owner_pod.clone() });
                }
            }
        }
    }

    if s.retention_applied != Some(policies) {
        actions.push(Action::RetentionApplied { set: key.clone(), policies });
    }

    // processCondemned, highest ordinal first.
    if !blocked {
        for &(ord, p) in &condemned {
            let o = process_condemned(&cx, ord, p, first_unhealthy.as_deref(), &mut actions);
            blocked |= o.blocked;
            if o.stop {
                break;
            }
        }
    }

    // RollingUpdate with the MaxUnavailableStatefulSet gate on
    // (updateStatefulSetAfterInvariantEstablished): up to maxUnavailable pods
    // at a time, counting unavailable pods across all replicas.
    if !blocked && created_this_sync == 0 && max_unavailable_gate {
        if let UpdateStrategy::RollingUpdate { partition, max_unavailable } = &set.spec.update_strategy {
            let max = statefulset_max_unavailable(max_unavailable.as_ref(), replica_count);
            let unavailable =
                replicas.slots.iter().flatten().filter(|p| is_unavailable(p, min_ready, now)).count() as i32;
            let mut budget = max - unavailable;
            let update_min = start.saturating_add((*partition).max(0));
            for ord in (update_min..start.saturating_add(replica_count)).rev() {
                if budget <= 0 {
                    break;
                }
                let Some(p) = replicas.get(&ord) else { continue };
                if p.revision.as_deref() != Some(update_revision.name.as_str()) && !p.is_terminating() {
                    actions.push(delete_for_update(key, set, p, &update_revision.name));
                    budget -= 1;
                }
            }
        }
        blocked = true;
    }
    // RollingUpdate: the highest ordinal not at the update revision goes first,
    // one at a time, waiting for each to be available.
    if !blocked && created_this_sync == 0 {
        if let UpdateStrategy::RollingUpdate { partition, .. } = &set.spec.update_strategy {
            let update_min = start.saturating_add((*partition).max(0));
            for ord in (update_min..start.saturating_add(replica_count)).rev() {
                let Some(p) = replicas.get(&ord) else {
                    continue;
                };
                if p.revision.as_deref() != Some(update_revision.name.as_str()) && !p.is_terminating() {
                    actions.push(delete_for_update(key, set, p, &update_revision.name));
                    break;
                }
                if is_unavailable(p, min_ready, now) {
                    break;
                }
            }
        }
    }

    let status = compute_status(s, &pods, &current_revision.name, &update_revision.name, now);
    // truncateHistory: revisions used by the status or a pod are live.
    let mut live: Vec<&str> = vec![status.current_revision.as_str(), status.update_revision.as_str()];
    live.extend(pods.iter().filter_map(|(_, p)| p.revision.as_deref()));
    let mut history: Vec<&Revision> = s.revisions.iter().filter(|r| !live.contains(&r.name.as_str())).collect();
    crate::sort::sort_by_key(&mut history, |r| r.revision);
    let limit = set.spec.revision_history_limit.max(0) as usize;
    if history.len() > limit {
        let names = history.iter().take(history.len() - limit).map(|r| r.name.clone()).collect();
        actions.push(Action::DeleteRevisions { set: key.clone(), names });
    }
    actions.push(Action::UpdateSetStatus { set: key.clone(), status });
    actions
}

fn delete_for_update(key: &Key, set: &StatefulSet, p: &Pod, to_revision: &str) -> Action {
    Action::DeletePod {
        pod: p.key(),
        reason_for: DeleteCause::Controller(Reason::DeletePodForUpdate {
            namespace: key.0.clone(),
            set: set.meta.name.clone(),
            pod: p.name.clone(),
            from_revision: p.revision.clone().unwrap_or_default(),
            to_revision: to_revision.to_string(),
        }),
    }
}

/// `getStatefulSetMaxUnavailable`: a percentage of replicas rounded down,
/// and never less than 1 (default 1).
pub fn statefulset_max_unavailable(v: Option<&crate::spec::IntOrPercent>, replicas: i32) -> i32 {
    let n = match v {
        None => 1,
        Some(crate::spec::IntOrPercent::Int(n)) => *n,
        Some(crate::spec::IntOrPercent::Percent(p)) => replicas.max(0) * p / 100,
    };
    n.max(1)
}

fn create_claim_action(key: &Key, set: &StatefulSet, pod: &str, claim: Claim) -> Action {
    let reason = Reason::CreateClaim {
        namespace: key.0.clone(),
        set: set.meta.name.clone(),
        pod: pod.to_string(),
        claim: claim.name.clone(),
    };
    Action::CreateClaim { claim, reason }
}

/// `newVersionedStatefulSetPod`: ordinals below the partition keep the
/// current revision during a RollingUpdate.
fn uses_current_revision(set: &StatefulSet, s: &SetState, ordinal: i32) -> bool {
    match &set.spec.update_strategy {
        UpdateStrategy::RollingUpdate { partition, .. } => {
            s.status.current_revision != s.status.update_revision
                && ordinal < set.spec.ordinals_start.saturating_add(*partition)
        }
        UpdateStrategy::OnDelete => false,
    }
}

/// `computeReplicaStatus` over the set's pods, then `completeRollingUpdate`.
fn compute_status(s: &SetState, pods: &[(i32, &Pod)], current: &str, update: &str, now: u64) -> SetStatus {
    let min_ready = s.set.spec.min_ready_seconds;
    let mut st = SetStatus {
        observed_generation: s.generation,
        current_revision: current.to_string(),
        update_revision: update.to_string(),
        ..SetStatus::default()
    };
    for &(_, p) in pods {
        st.replicas += 1;
        if p.is_running_and_ready() {
            st.ready_replicas += 1;
            if p.is_running_and_available(min_ready, now) {
                st.available_replicas += 1;
            }
        }
        if !p.is_terminating() {
            if p.revision.as_deref() == Some(current) {
                st.current_replicas += 1;
            }
            if p.revision.as_deref() == Some(update) {
                st.updated_replicas += 1;
            }
        }
    }
    if matches!(s.set.spec.update_strategy, UpdateStrategy::RollingUpdate { .. })
        && st.updated_replicas == st.replicas
        && st.ready_replicas == st.replicas
    {
        st.current_replicas = st.updated_replicas;
        st.current_revision = st.update_revision.clone();
    }
    st
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn revision_names_are_stable_and_safe() {
        let a = revision_name("web", "{\"x\":1}");
        assert_eq!(a, revision_name("web", "{\"x\":1}"));
        assert_ne!(a, revision_name("web", "{\"x\":2}"));
        let suffix = a.strip_prefix("web-").unwrap_or("");
        assert!(!suffix.is_empty());
        assert!(suffix.bytes().all(|b| b"bcdfghjklmnpqrstvwxz2456789".contains(&b)));
    }

    #[test]
    fn max_unavailable_rounds_down_then_at_least_one() {
        use crate::spec::IntOrPercent::{Int, Percent};
        assert_eq!(statefulset_max_unavailable(None, 10), 1);
        assert_eq!(statefulset_max_unavailable(Some(&Int(3)), 10), 3);
        assert_eq!(statefulset_max_unavailable(Some(&Percent(25)), 10), 2);
        assert_eq!(statefulset_max_unavailable(Some(&Percent(10)), 5), 1);
    }

    #[test]
    fn ordinals_parse_like_upstream() {
        assert_eq!(parse_ordinal("web", "web-0"), Some(0));
        assert_eq!(parse_ordinal("web", "web-12"), Some(12));
        assert_eq!(parse_ordinal("web", "web-01"), None);
        assert_eq!(parse_ordinal("web", "webx-1"), None);
        assert_eq!(parse_ordinal("web", "web-"), None);
    }
}
