//! The simulation: virtual clock, event queue ordered by (time, seq), cluster
//! state in `BTreeMap`s, a seeded RNG, and the mutation point for controller
//! decisions. (User actions are in `user.rs` and at the end of this file; the
//! API server's writes in [`crate::apiserver`], through
//! `Simulation::cluster_mut`.)
//!
//! Controllers ([`statefulset`], [`volume`], [`scheduler`], [`kubelet`]) are
//! pure functions from `&Cluster` to [`Action`]s. [`Simulation::step`] pops
//! the next event, asks the right controller what to do, and applies the
//! actions in [`Simulation::apply_action`], recording a [`Step`] with its
//! [`Reason`] for each visible change and enqueuing the watch reactions.

pub mod invariants;
pub mod kubelet;
pub mod nodelifecycle;
pub mod profile;
pub mod scheduler;
pub mod state;
pub mod statefulset;
mod user;
pub mod volume;

use std::collections::{BTreeMap, BTreeSet};
use std::fmt;

use crate::manifest::Diagnostic;
use crate::reason::Reason;
use crate::rng::Rng;
use crate::spec::{self, Kind, Object};

pub use profile::Profile;
pub use state::*;
pub use user::{Cascade, Drained, ObjectKind, Rollback, SimError, Updated};

/// A recorded change, with why it happened.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Step {
    /// 0-based position in [`Simulation::steps`].
    pub index: usize,
    pub time_ms: u64,
    pub reason: Reason,
}

impl Step {
    pub fn message(&self) -> String {
        self.reason.message()
    }
}

/// An `apply` that was refused; the cluster is unchanged.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ApplyError {
    /// What kubectl prints (one line per refused document).
    pub message: String,
    pub diagnostics: Vec<Diagnostic>,
}

impl fmt::Display for ApplyError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

/// Something that will happen at a virtual time.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Event {
    SyncStatefulSet(Key),
    SyncClaim(Key),
    SchedulePod {
        pod: Key,
        uid: String,
    },
    ProvisionDone {
        claim: Key,
        uid: String,
    },
    ContainersStarted {
        pod: Key,
        uid: String,
    },
    ReadinessProbe {
        pod: Key,
        uid: String,
    },
    ContainersStopped {
        pod: Key,
        uid: String,
    },
    /// The node monitor grace period after a kubelet stopped reporting.
    NodeMonitor {
        node: String,
    },
    /// A pod's toleration of `node.kubernetes.io/unreachable` runs out.
    TaintEviction {
        pod: Key,
        uid: String,
    },
    /// A crashed container's back-off is over.
    RestartContainer {
        pod: Key,
        uid: String,
    },
    /// A crash-looping container exits shortly after it starts.
    CrashContainer {
        pod: Key,
        uid: String,
    },
    /// `pod unready`: the readiness probe has failed `failureThreshold` times.
    ProbeFailing {
        pod: Key,
        uid: String,
    },
    /// pvc-protection re-checks a Terminating claim.
    ReleaseClaim {
        claim: Key,
    },
}

/// What a controller asks the simulation to do.
#[derive(Clone, Debug, PartialEq)]
pub enum Action {
    /// Create a ControllerRevision, or renumber an existing equal one (rollback).
    AddRevision {
        set: Key,
        revision: Revision,
    },
    /// `truncateHistory`: drop non-live revisions beyond `revisionHistoryLimit`.
    DeleteRevisions {
        set: Key,
        names: Vec<String>,
    },
    UpdateSetStatus {
        set: Key,
        status: SetStatus,
    },
    CreateClaim {
        claim: Claim,
        reason: Reason,
    },
    CreatePod {
        pod: Pod,
        reason: Reason,
    },
    DeletePod {
        pod: Key,
        reason_for: DeleteCause,
    },
    SelectNodeForClaims {
        pod: Key,
        node: String,
        claims: Vec<Key>,
    },
    BindPod {
        pod: Key,
        node: String,
        pinned_by_volume: Option<String>,
    },
    PodUnschedulable {
        pod: Key,
        message: String,
    },
    StartProvisioning {
        claim: Key,
        message: String,
    },
    ClaimPending {
        claim: Key,
        message: String,
    },
    CreateVolume {
        claim: Key,
    },
    BindClaim {
        claim: Key,
        volume: String,
        pre_bound: bool,
    },
    StartContainers {
        pod: Key,
        pulled: Vec<String>,
    },
    MarkReady {
        pod: Key,
    },
    MarkNotReady {
        pod: Key,
        failures: i32,
    },
    RemovePod {
        pod: Key,
    },
    MarkNodeNotReady {
        node: String,
    },
    /// A decision that changes nothing but is worth a step (a failed attempt).
    Record(Reason),
    CrashContainer {
        pod: Key,
    },
    RestartContainer {
        pod: Key,
    },
    RemoveClaim {
        claim: Key,
    },
    AdoptPod {
        set: Key,
        pod: Key,
    },
    UpdateClaimOwner {
        claim: Key,
        owned_by_set: bool,
        owner_pod: Option<String>,
    },
    RetentionApplied {
        set: Key,
        policies: (spec::RetentionPolicy, spec::RetentionPolicy),
    },
}

/// Who deleted a pod, for its reason.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum DeleteCause {
    Controller(Reason),
    User,
}

/// The whole simulated world. `Clone` is a deep copy: the web app keeps
/// clones for exact step-back.
#[derive(Clone, Debug)]
pub struct Simulation {
    profile: Profile,
    now_ms: u64,
    seq: u64,
    queue: BTreeMap<(u64, u64), Event>,
    /// StatefulSet and claim syncs already queued, so a burst of watch
    /// events queues one sync.
    queued_set_syncs: BTreeSet<Key>,
    queued_claim_syncs: BTreeSet<Key>,
    rng: Rng,
    cluster: Cluster,
    steps: Vec<Step>,
    /// (syncs checked, syncs where the fast and full paths differed), when
    /// `Profile::verify_fast_sync` is on.
    fast_sync_checks: (u64, u64),
}

/// The playground's bound on a StatefulSet's replicas (a real cluster's
/// bound is its quota and capacity; this one keeps a page responsive).
pub const MAX_REPLICAS: i32 = 10_000;

/// The error for a replica count over [`MAX_REPLICAS`].
pub fn too_many_replicas(name: &str, replicas: i32) -> String {
    format!(
        "error: statefulset \"{name}\" asks for {replicas} replicas; stsplay simulates at most {MAX_REPLICAS} replicas per StatefulSet"
    )
}

/// Upper bound on events processed by one `step()` call; a guard against a
/// controller bug turning into a frozen page.
const MAX_EVENTS_PER_STEP: usize = 100_000;

impl Simulation {
    /// A new simulation of the default (kind-like) cluster.
    pub fn new(seed: u64) -> Simulation {
        Simulation::with_profile(seed, Profile::kind())
    }

    pub fn with_profile(seed: u64, profile: Profile) -> Simulation {
        let cluster = profile.initial_cluster();
        Simulation {
            profile,
            now_ms: 0,
            seq: 0,
            queue: BTreeMap::new(),
            queued_set_syncs: BTreeSet::new(),
            queued_claim_syncs: BTreeSet::new(),
            rng: Rng::new(seed),
            cluster,
            steps: Vec::new(),
            fast_sync_checks: (0, 0),
        }
    }

    /// (syncs checked, syncs where the incremental and the reference
    /// StatefulSet sync disagreed); see `Profile::verify_fast_sync`.
    pub fn fast_sync_checks(&self) -> (u64, u64) {
        self.fast_sync_checks
    }

    pub fn now_ms(&self) -> u64 {
        self.now_ms
    }

    pub fn cluster(&self) -> &Cluster {
        &self.cluster
    }

    /// The API server's write access to the objects it stores (see
    /// [`crate::apiserver`]); controllers go through [`Simulation::apply_action`].
    pub(crate) fn cluster_mut(&mut self) -> &mut Cluster {
        &mut self.cluster
    }

    /// The seeded RNG, for the API server's uids and ClusterIPs.
    pub(crate) fn rng_mut(&mut self) -> &mut Rng {
        &mut self.rng
    }

    /// Both at once (a ClusterIP is drawn while the Services are read).
    pub(crate) fn cluster_and_rng_mut(&mut self) -> (&mut Cluster, &mut Rng) {
        (&mut self.cluster, &mut self.rng)
    }

    pub fn steps(&self) -> &[Step] {
        &self.steps
    }

    pub fn profile(&self) -> &Profile {
        &self.profile
    }

    /// How many events have been queued so far (each is processed once).
    pub fn events_queued(&self) -> u64 {
        self.seq
    }

    pub fn has_pending(&self) -> bool {
        !self.queue.is_empty()
    }

    /// How many events are queued now.
    pub fn pending_events(&self) -> usize {
        self.queue.len()
    }

    /// Virtual time of the next queued event.
    pub fn next_event_ms(&self) -> Option<u64> {
        self.queue.keys().next().map(|(t, _)| *t)
    }

    /// What the next [`Simulation::step`] would record first (on a copy: this
    /// simulation is unchanged). `None` when nothing is pending.
    pub fn preview_next_step(&self) -> Option<Step> {
        let mut copy = self.clone();
        let before = copy.steps.len();
        copy.step();
        copy.steps.get(before).cloned()
    }

    /// Processes events until one of them changes something visible (records
    /// at least one step). Returns false when nothing is pending.
    pub fn step(&mut self) -> bool {
        let before = self.steps.len();
        for _ in 0..MAX_EVENTS_PER_STEP {
            if !self.process_next_event() {
                return self.steps.len() > before;
            }
            if self.steps.len() > before {
                return true;
            }
        }
        self.steps.len() > before
    }

    /// Processes every event due at or before `until_ms`, then sets the clock
    /// to `until_ms` (the `sleep` command).
    ///
    /// At most `max_events` events are processed: when a crash-looping pod
    /// (or a very long sleep) would need more, the clock stops at the last
    /// processed event and `Err(that time)` is returned, so no command can
    /// freeze the page or exhaust memory.
    pub fn advance_to(&mut self, until_ms: u64, max_events: usize) -> Result<(), u64> {
        for _ in 0..max_events {
            match self.next_event_ms() {
                Some(t) if t <= until_ms => {
                    self.process_next_event();
                }
                _ => {
                    self.now_ms = self.now_ms.max(until_ms);
                    return Ok(());
                }
            }
        }
        match self.next_event_ms() {
            Some(t) if t <= until_ms => Err(self.now_ms),
            _ => {
                self.now_ms = self.now_ms.max(until_ms);
                Ok(())
            }
        }
    }

    /// Processes one event; false if the queue was empty.
    pub fn process_next_event(&mut self) -> bool {
        let Some(((time, _), event)) = self.queue.pop_first() else {
            return false;
        };
        self.now_ms = self.now_ms.max(time);
        let actions = match &event {
            Event::SyncStatefulSet(key) => {
                self.queued_set_syncs.remove(key);
                self.cluster.reindex_set_range(key);
                let gate = self.profile.max_unavailable_statefulset;
                let actions = statefulset::sync_stateful_set(&self.cluster, key, self.now_ms, gate);
                if self.profile.verify_fast_sync && statefulset::fast_path_index(&self.cluster, key).is_some() {
                    let full = statefulset::sync_stateful_set_full(&self.cluster, key, self.now_ms, gate);
                    self.fast_sync_checks.0 += 1;
                    if full != actions {
                        self.fast_sync_checks.1 += 1;
                    }
                }
                actions
            }
            Event::SyncClaim(key) => {
                self.queued_claim_syncs.remove(key);
                volume::sync_unbound_claim(&self.cluster, key)
            }
            Event::SchedulePod { pod, uid } => {
                let tie_break = self.rng.next_u64();
                scheduler::schedule(&self.cluster, pod, uid, tie_break)
            }
            Event::ProvisionDone { claim, uid } => volume::provision_done(&self.cluster, claim, uid),
            Event::ContainersStarted { pod, uid } => kubelet::containers_started(&self.cluster, pod, uid),
            Event::ReadinessProbe { pod, uid } => kubelet::readiness_probe(&self.cluster, pod, uid),
            Event::ContainersStopped { pod, uid } => kubelet::containers_stopped(&self.cluster, pod, uid),
            Event::NodeMonitor { node } => nodelifecycle::monitor_node_health(&self.cluster, node),
            Event::TaintEviction { pod, uid } => nodelifecycle::taint_eviction(&self.cluster, pod, uid),
            Event::RestartContainer { pod, uid } => kubelet::restart_container(&self.cluster, pod, uid),
            Event::CrashContainer { pod, uid } => kubelet::crash_container(&self.cluster, pod, uid),
            Event::ProbeFailing { pod, uid } => kubelet::probe_failing(&self.cluster, pod, uid),
            Event::ReleaseClaim { claim } => volume::release_claim(&self.cluster, claim),
        };
        for action in actions {
            self.apply_action(action);
        }
        true
    }

    fn enqueue(&mut self, delay_ms: u64, event: Event) {
        self.seq += 1;
        // Saturating: a `sleep` can push the clock to the end of time.
        self.queue.insert((self.now_ms.saturating_add(delay_ms), self.seq), event);
    }

    pub(crate) fn enqueue_set_sync(&mut self, key: &Key, delay_ms: u64) {
        if !self.queued_set_syncs.contains(key) {
            self.queued_set_syncs.insert(key.clone());
            self.enqueue(delay_ms, Event::SyncStatefulSet(key.clone()));
        }
    }

    pub(crate) fn enqueue_claim_sync(&mut self, key: &Key) {
        if !self.queued_claim_syncs.contains(key) {
            self.queued_claim_syncs.insert(key.clone());
            self.enqueue(self.profile.pv_sync_delay_ms, Event::SyncClaim(key.clone()));
        }
    }

    pub(crate) fn record(&mut self, reason: Reason) {
        let index = self.steps.len();
        self.steps.push(Step { index, time_ms: self.now_ms, reason });
    }

    /// The owner StatefulSet of a pod changed state: its controller reacts.
    fn pod_changed(&mut self, pod: &Key) {
        self.cluster.reindex_pod(pod);
        if let Some(owner) = self.cluster.pods.get(pod).and_then(|p| p.owner.clone()) {
            self.enqueue_set_sync(&(pod.0.clone(), owner), self.profile.controller_delay_ms);
        }
    }

    /// Watch reactions to a pod object leaving the API: its owner re-syncs (or
    /// finishes a foreground deletion), pvc-protection re-checks its claims,
    /// and the garbage collector deletes claims the pod owned.
    fn after_pod_gone(&mut self, p: &Pod) {
        let ns = p.namespace.clone();
        if let Some(owner) = &p.owner {
            let set_key = (ns.clone(), owner.clone());
            let foreground_done = self.cluster.sets.get(&set_key).is_some_and(|s| s.deleting)
                && !self.cluster.pods.values().any(|q| q.namespace == ns && q.owner.as_deref() == Some(owner.as_str()));
            if foreground_done {
                self.cluster.sets.remove(&set_key);
            } else {
                self.enqueue_set_sync(&set_key, self.profile.controller_delay_ms);
            }
        }
        for (_, claim) in &p.spec.claim_volumes {
            let ckey = (ns.clone(), claim.clone());
            let Some(c) = self.cluster.claims.get_mut(&ckey) else { continue };
            if c.owner_pod.as_deref() == Some(p.name.as_str()) && c.deletion_ms.is_none() {
                // whenScaled: Delete — the claim's owner (the condemned pod) is gone.
                c.deletion_ms = Some(self.now_ms);
                self.record(Reason::GarbageCollect {
                    namespace: ns.clone(),
                    owner_kind: "Pod".into(),
                    owner: p.name.clone(),
                    kind: "PersistentVolumeClaim".into(),
                    name: claim.clone(),
                });
            }
            if self.cluster.claims.get(&ckey).is_some_and(|c| c.deletion_ms.is_some()) {
                self.enqueue(self.profile.pv_sync_delay_ms, Event::ReleaseClaim { claim: ckey });
            }
        }
    }

    /// The single mutation point for controller decisions.
    pub fn apply_action(&mut self, action: Action) {
        let now = self.now_ms;
        match action {
            Action::AddRevision { set, revision } => {
                if let Some(s) = self.cluster.sets.get_mut(&set) {
                    match s.revisions.iter_mut().find(|r| r.name == revision.name) {
                        Some(existing) => existing.revision = revision.revision,
                        None => s.revisions.push(Revision { created_ms: now, ..revision }),
                    }
                }
            }
            Action::DeleteRevisions { set, names } => {
                if let Some(s) = self.cluster.sets.get_mut(&set) {
                    s.revisions.retain(|r| !names.contains(&r.name));
                }
            }
            Action::UpdateSetStatus { set, status } => {
                if let Some(s) = self.cluster.sets.get_mut(&set) {
                    s.status = status;
                }
            }
            Action::CreateClaim { mut claim, reason } => {
                let key = claim.key();
                if self.cluster.claims.contains_key(&key) {
                    return;
                }
                claim.uid = self.rng.uuid();
                claim.created_ms = now;
                self.cluster.insert_claim(claim);
                self.record(reason);
                self.enqueue_claim_sync(&key);
            }
            Action::CreatePod { mut pod, reason } => {
                let key = pod.key();
                if self.cluster.pods.contains_key(&key) {
                    return;
                }
                pod.uid = self.rng.uuid();
                pod.created_ms = now;
                let uid = pod.uid.clone();
                self.cluster.insert_pod(pod);
                self.record(reason);
                self.enqueue(self.profile.schedule_delay_ms, Event::SchedulePod { pod: key.clone(), uid });
                self.pod_changed(&key);
            }
            Action::DeletePod { pod: key, reason_for } => self.delete_pod(&key, reason_for),
            Action::SelectNodeForClaims { pod, node, claims } => {
                let mut names = Vec::new();
                for c in &claims {
                    if let Some(claim) = self.cluster.claims.get_mut(c) {
                        if claim.selected_node.is_none() {
                            claim.selected_node = Some(node.clone());
                            names.push(c.1.clone());
                        }
                    }
                }
                if names.is_empty() {
                    return;
                }
                if let Some(p) = self.cluster.pods.get_mut(&pod) {
                    p.unschedulable = None;
                }
                self.cluster.assume_pod(&pod, &node);
                self.record(Reason::SelectNodeForClaims {
                    namespace: pod.0.clone(),
                    pod: pod.1.clone(),
                    node,
                    claims: names,
                });
                for c in &claims {
                    self.enqueue_claim_sync(c);
                }
            }
            Action::BindPod { pod: key, node, pinned_by_volume } => {
                let Some(p) = self.cluster.pods.get_mut(&key) else {
                    return;
                };
                if p.node.is_some() || p.deletion_ms.is_some() {
                    return;
                }
                p.unschedulable = None;
                p.start_time_ms = Some(now);
                let uid = p.uid.clone();
                let images: Vec<String> = p.spec.containers.iter().map(|c| c.image.clone()).collect();
                self.cluster.bind_pod(&key, &node);
                self.record(Reason::BindPod {
                    namespace: key.0.clone(),
                    pod: key.1.clone(),
                    node: node.clone(),
                    pinned_by_volume,
                });
                let mut delay = self.profile.sandbox_ms + self.profile.container_start_ms;
                let cached = self.cluster.nodes.get(&node).map(|n| n.images.clone()).unwrap_or_default();
                let mut seen = BTreeSet::new();
                let mut pull_ms = 0;
                for image in images {
                    if !cached.contains(&image) && seen.insert(image) {
                        pull_ms += self.rng.jitter_ms(self.profile.image_pull_ms, self.profile.image_pull_jitter_ms);
                    }
                }
                delay += pull_ms;
                if let Some(p) = self.cluster.pods.get_mut(&key) {
                    p.pull_ms = pull_ms;
                }
                self.enqueue(delay, Event::ContainersStarted { pod: key.clone(), uid });
                self.pod_changed(&key);
            }
            Action::PodUnschedulable { pod, message } => {
                let Some(p) = self.cluster.pods.get_mut(&pod) else {
                    return;
                };
                if p.unschedulable.as_deref() == Some(message.as_str()) {
                    return;
                }
                p.unschedulable = Some(message.clone());
                self.record(Reason::PodUnschedulable { namespace: pod.0.clone(), pod: pod.1.clone(), message });
            }
            Action::StartProvisioning { claim, message } => {
                let Some(c) = self.cluster.claims.get_mut(&claim) else {
                    return;
                };
                if c.provisioning {
                    return;
                }
                c.provisioning = true;
                c.storage_provisioner = self
                    .cluster
                    .classes
                    .get(c.storage_class.as_deref().unwrap_or_default())
                    .map(|cl| cl.class.provisioner.clone());
                let uid = c.uid.clone();
                if c.pending_message.as_deref() != Some(message.as_str()) {
                    c.pending_message = Some(message.clone());
                    self.record(Reason::ClaimPending { namespace: claim.0.clone(), claim: claim.1.clone(), message });
                }
                let delay = self.rng.jitter_ms(self.profile.provision_ms, self.profile.provision_jitter_ms);
                self.enqueue(delay, Event::ProvisionDone { claim, uid });
            }
            Action::ClaimPending { claim, message } => {
                let Some(c) = self.cluster.claims.get_mut(&claim) else {
                    return;
                };
                if c.pending_message.as_deref() == Some(message.as_str()) {
                    return;
                }
                c.pending_message = Some(message.clone());
                self.record(Reason::ClaimPending { namespace: claim.0.clone(), claim: claim.1.clone(), message });
            }
            Action::CreateVolume { claim } => self.create_provisioned_volume(&claim),
            Action::BindClaim { claim: ckey, volume, pre_bound } => {
                let Some(claim) = self.cluster.claims.get(&ckey) else {
                    return;
                };
                let Some(vol) = self.cluster.volumes.get(&volume) else {
                    return;
                };
                if claim.phase == ClaimPhase::Bound || vol.phase != VolumePhase::Available {
                    return;
                }
                let claim_uid = claim.uid.clone();
                let capacity = vol.capacity.clone();
                let modes = vol.access_modes.clone();
                self.cluster.update_volume(&volume, |v| {
                    v.claim_ref = Some(ClaimRef { namespace: ckey.0.clone(), name: ckey.1.clone(), uid: claim_uid });
                    v.phase = VolumePhase::Bound;
                });
                if let Some(c) = self.cluster.claims.get_mut(&ckey) {
                    c.volume = Some(volume.clone());
                    c.phase = ClaimPhase::Bound;
                    c.capacity = Some(capacity);
                    c.bound_access_modes = modes;
                    c.pending_message = None;
                }
                self.record(Reason::BindClaim { namespace: ckey.0.clone(), claim: ckey.1.clone(), volume, pre_bound });
                // The scheduler's VolumeBinding plugin waits for this; retry waiting pods.
                let waiting: Vec<(Key, String)> = self
                    .cluster
                    .claim_users(&ckey)
                    .into_iter()
                    .filter_map(|name| self.cluster.pods.get(&(ckey.0.clone(), name)))
                    .filter(|p| p.node.is_none() && p.deletion_ms.is_none())
                    .map(|p| (p.key(), p.uid.clone()))
                    .collect();
                for (pod, uid) in waiting {
                    self.enqueue(self.profile.schedule_delay_ms, Event::SchedulePod { pod, uid });
                }
            }
            Action::StartContainers { pod: key, pulled } => {
                let Some(p) = self.cluster.pods.get(&key) else {
                    return;
                };
                let Some(node) = p.node.clone() else { return };
                let has_probe = p.spec.containers.iter().any(|c| c.readiness_probe.is_some());
                let crash_looping = p.crash_looping;
                let probe_delay_ms = p
                    .spec
                    .containers
                    .iter()
                    .filter_map(|c| c.readiness_probe.as_ref())
                    .map(|pr| (pr.initial_delay_seconds.max(0) as u64) * 1000 + self.profile.probe_latency_ms)
                    .max()
                    .unwrap_or(0);
                let uid = p.uid.clone();
                let images: Vec<String> = p.spec.containers.iter().map(|c| c.image.clone()).collect();
                let containers = crate::reason::ContainerRef::of(&p.spec);
                let pull_ms = p.pull_ms;
                let ip = self.allocate_ip(&node);
                if let Some(n) = self.cluster.nodes.get_mut(&node) {
                    n.images.extend(images);
                }
                self.cluster.set_pod_ip(&key, ip.clone());
                if let Some(p) = self.cluster.pods.get_mut(&key) {
                    p.phase = PodPhase::Running;
                    p.containers_running = true;
                    p.started_ms = Some(now);
                    if !has_probe {
                        p.ready = true;
                        p.ready_since_ms = Some(now);
                    }
                }
                self.record(Reason::ContainersStarted {
                    namespace: key.0.clone(),
                    pod: key.1.clone(),
                    node,
                    ip,
                    pulled,
                    ready: !has_probe,
                    containers,
                    pull_ms,
                });
                if crash_looping {
                    let ev = Event::CrashContainer { pod: key.clone(), uid: uid.clone() };
                    self.enqueue(self.profile.crash_after_start_ms, ev);
                }
                if has_probe {
                    self.enqueue(probe_delay_ms, Event::ReadinessProbe { pod: key.clone(), uid });
                } else {
                    self.after_ready(&key);
                }
                self.pod_changed(&key);
            }
            Action::MarkReady { pod: key } => {
                let Some(p) = self.cluster.pods.get_mut(&key) else {
                    return;
                };
                if p.ready {
                    return;
                }
                p.ready = true;
                p.ready_since_ms = Some(now);
                self.record(Reason::PodReady { namespace: key.0.clone(), pod: key.1.clone() });
                self.after_ready(&key);
                self.pod_changed(&key);
            }
            Action::RemovePod { pod: key } => {
                let Some(p) = self.cluster.take_pod(&key) else {
                    return;
                };
                let node = p.node.clone().unwrap_or_default();
                self.record(Reason::PodTerminated { namespace: key.0.clone(), pod: key.1.clone(), node });
                self.after_pod_gone(&p);
            }
            Action::MarkNotReady { pod: key, failures } => {
                let Some(p) = self.cluster.pods.get_mut(&key) else { return };
                if !p.ready {
                    return;
                }
                p.ready = false;
                p.ready_since_ms = None;
                self.record(Reason::PodNotReady { namespace: key.0.clone(), pod: key.1.clone(), failures });
                self.pod_changed(&key);
            }
            Action::MarkNodeNotReady { node } => self.mark_node_not_ready(&node),
            Action::Record(reason) => {
                // Repeated identical failures (each retry) are one step.
                if self.steps.last().map(|s| &s.reason) != Some(&reason) {
                    self.record(reason);
                }
            }
            Action::CrashContainer { pod: key } => self.crash_container(&key),
            Action::RestartContainer { pod: key } => self.restart_container(&key),
            Action::RemoveClaim { claim } => self.remove_claim(&claim),
            Action::AdoptPod { set, pod } => {
                if self.cluster.pods.get(&pod).is_none_or(|p| p.owner.is_some()) {
                    return;
                }
                self.cluster.set_pod_owner(&pod, Some(set.1.clone()));
                self.record(Reason::AdoptPod { namespace: set.0.clone(), set: set.1.clone(), pod: pod.1.clone() });
                self.enqueue_set_sync(&set, self.profile.controller_delay_ms);
            }
            Action::RetentionApplied { set, policies } => {
                if let Some(s) = self.cluster.sets.get_mut(&set) {
                    s.retention_applied = Some(policies);
                }
            }
            Action::UpdateClaimOwner { claim, owned_by_set, owner_pod } => {
                self.update_claim_owner(&claim, owned_by_set, owner_pod)
            }
        }
    }

    /// With `minReadySeconds`, the controller re-checks availability later
    /// (`durationStore` requeue in stateful_set.go).
    fn after_ready(&mut self, key: &Key) {
        let Some(owner) = self.cluster.pods.get(key).and_then(|p| p.owner.clone()) else {
            return;
        };
        let set_key = (key.0.clone(), owner);
        let min_ready = self.cluster.sets.get(&set_key).map(|s| s.set.spec.min_ready_seconds).unwrap_or(0);
        if min_ready > 0 {
            // Queued directly (not deduplicated): it must run at that later time.
            self.enqueue(min_ready as u64 * 1000, Event::SyncStatefulSet(set_key));
        }
    }

    fn delete_pod(&mut self, key: &Key, cause: DeleteCause) {
        self.delete_pod_with_grace(key, cause, None);
    }

    /// Graceful deletion; `grace_override` is kubectl's `--grace-period`.
    fn delete_pod_with_grace(&mut self, key: &Key, cause: DeleteCause, grace_override: Option<i64>) {
        let Some(p) = self.cluster.pods.get_mut(key) else {
            return;
        };
        if p.deletion_ms.is_some() {
            return;
        }
        let grace_s = grace_override.unwrap_or(p.spec.termination_grace_period_seconds);
        if p.node.is_none() {
            // Never scheduled: the API server deletes it without grace.
            let Some(gone) = self.cluster.take_pod(key) else { return };
            if let DeleteCause::Controller(reason) = cause {
                self.record(reason);
            }
            self.record(Reason::RemoveUnscheduledPod { namespace: key.0.clone(), pod: key.1.clone() });
            self.after_pod_gone(&gone);
            return;
        }
        // The Ready condition stays as the kubelet last reported it (kubectl shows
        // `1/1 Terminating`); EndpointSlices mark terminating endpoints not
        // ready, so DNS drops the pod at once (see dns::endpoints).
        p.deletion_ms = Some(self.now_ms);
        let uid = p.uid.clone();
        let containers = crate::reason::ContainerRef::of(&p.spec);
        let stop_ms = (grace_s.max(0) as u64).saturating_mul(1000).min(self.profile.container_stop_ms);
        match cause {
            DeleteCause::Controller(reason) => self.record(reason),
            DeleteCause::User => {}
        }
        self.record(Reason::DeletePod {
            namespace: key.0.clone(),
            pod: key.1.clone(),
            grace_seconds: grace_s,
            containers,
        });
        self.enqueue(stop_ms + self.profile.kubelet_cleanup_ms, Event::ContainersStopped { pod: key.clone(), uid });
        self.pod_changed(key);
    }

    fn create_provisioned_volume(&mut self, ckey: &Key) {
        let Some(claim) = self.cluster.claims.get(ckey) else {
            return;
        };
        let name = format!("pvc-{}", claim.uid);
        if self.cluster.volumes.contains_key(&name) {
            return;
        }
        let class_name = claim.storage_class.clone().unwrap_or_default();
        let Some(class) = self.cluster.classes.get(&class_name) else {
            return;
        };
        let provisioner = class.class.provisioner.clone();
        let node = claim.selected_node.clone();
        let volume = Volume {
            name: name.clone(),
            uid: self.rng.uuid(),
            labels: BTreeMap::new(),
            capacity: claim.spec.request.clone(),
            access_modes: claim.spec.access_modes.clone(),
            reclaim_policy: class.class.reclaim_policy.clone(),
            storage_class: class_name,
            volume_mode: claim.spec.volume_mode.clone(),
            // local-path volumes live on one node.
            node_affinity: node.as_deref().map(Volume::hostname_affinity),
            claim_ref: Some(ClaimRef { namespace: ckey.0.clone(), name: ckey.1.clone(), uid: claim.uid.clone() }),
            phase: VolumePhase::Available,
            created_ms: self.now_ms,
            deletion_ms: None,
        };
        self.cluster.put_volume(volume);
        if let Some(c) = self.cluster.claims.get_mut(ckey) {
            c.provisioning = false;
        }
        self.record(Reason::ProvisionVolume {
            namespace: ckey.0.clone(),
            claim: ckey.1.clone(),
            volume: name,
            provisioner,
            node,
        });
        self.enqueue_claim_sync(ckey);
    }

    /// host-local IPAM: the next free address in the node's pod CIDR.
    fn allocate_ip(&mut self, node: &str) -> String {
        let Some(n) = self.cluster.nodes.get_mut(node) else {
            return String::from("10.244.0.250");
        };
        for _ in 0..253 {
            let host = n.next_ip_host;
            n.next_ip_host = if n.next_ip_host >= 254 { 2 } else { n.next_ip_host + 1 };
            if !n.pod_ips.contains(&host) {
                return format!("10.244.{}.{}", n.index, host);
            }
        }
        format!("10.244.{}.255", n.index)
    }

    /// A Node was added or changed: the scheduling queue moves the pods it
    /// found unschedulable back to the active queue
    /// (`scheduling_queue.go` `MoveAllToActiveOrBackoffQueue` on a Node event).
    /// Pods not marked unschedulable are queued or waiting already.
    pub(crate) fn reschedule_pending_pods(&mut self) {
        let pending: Vec<(Key, String)> = self
            .cluster
            .pods
            .values()
            .filter(|p| p.node.is_none() && p.deletion_ms.is_none() && p.unschedulable.is_some())
            .map(|p| (p.key(), p.uid.clone()))
            .collect();
        for (pod, uid) in pending {
            self.enqueue(self.profile.schedule_delay_ms, Event::SchedulePod { pod, uid });
        }
    }
}

#[cfg(test)]
mod tests;
