//! User actions beside `apply` (kubectl commands and the playground's fault
//! injection), and the mutation helpers behind the node-lifecycle,
//! kubelet-restart and claim-protection actions. Like `apply_action`, these
//! are the only code that changes the cluster. A refused action changes
//! nothing and returns a [`SimError`]; the `kubectl` module renders it in
//! kubectl's and the API server's wording.

use super::kubelet::crash_backoff_ms;
use super::nodelifecycle::UNREACHABLE_TAINT;
use super::*;
use crate::apiserver::patch;

/// `kubectl delete statefulset --cascade=...`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Cascade {
    Background,
    Foreground,
    Orphan,
}

/// `drain`'s result: whether the cordon changed the node, and the evicted
/// pods with their uids (the caller waits for them to go).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Drained {
    pub cordon: Updated,
    pub evicted: Vec<(Key, String)>,
}

/// `rollout undo`'s result (`StatefulSetRollbacker.Rollback`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Rollback {
    RolledBack,
    /// The current template already is the revision's.
    Skipped {
        revision: i64,
    },
}

/// The object types user actions name in their errors.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ObjectKind {
    Pod,
    StatefulSet,
    PersistentVolumeClaim,
    PersistentVolume,
    Node,
}

/// Why a user action was refused. Nothing changed.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum SimError {
    /// The API server's NotFound (`pods "web-9" not found`).
    NotFound { kind: ObjectKind, name: String },
    /// The API server's field.Invalid: `value` is as Go prints it (`-1`, `"x"`).
    Invalid { kind: Kind, name: String, field: String, value: String, detail: String },
    /// More replicas than [`MAX_REPLICAS`].
    TooManyReplicas { name: String, replicas: i32 },
    /// `node down` on a node whose kubelet is down (or `node up` on one that is up).
    NodeAlready { node: String, up: bool },
    /// `pod crash` on a pod without a running container.
    NoRunningContainer { pod: String, status: String },
    /// `pod unready|ready` on a pod without a readiness probe.
    NoReadinessProbe { pod: String },
    /// `set image` naming a container the template does not have.
    ContainerNotFound { container: String },
    /// `set image` on a template without containers.
    NoContainers,
    /// A patch that changed the object's kind.
    KindChanged,
    /// `rollout undo` with a single revision.
    NoRolloutHistory { name: String },
    /// `rollout undo --to-revision=N` with no such revision.
    RevisionNotFound { revision: i64 },
    /// Refused by decoding, validation or the patch code, in their own wording.
    Rejected(String),
}

fn node_not_found(node: &str) -> SimError {
    SimError::NotFound { kind: ObjectKind::Node, name: node.to_string() }
}

fn pod_not_found(key: &Key) -> SimError {
    SimError::NotFound { kind: ObjectKind::Pod, name: key.1.clone() }
}

impl Simulation {
    fn user_record(&mut self, command: &str, resource: &str, namespace: Option<String>, name: &str, verb: &str) {
        self.record(Reason::UserChange {
            command: command.to_string(),
            resource: resource.to_string(),
            namespace,
            name: name.to_string(),
            verb: verb.to_string(),
        });
    }

    // -----------------------------------------------------------------------
    // Mutation helpers for actions
    // -----------------------------------------------------------------------

    /// `monitorNodeHealth` + `MarkPodsNotReady`.
    pub(super) fn mark_node_not_ready(&mut self, node: &str) {
        let Some(n) = self.cluster.nodes.get_mut(node) else { return };
        if !n.ready {
            return;
        }
        n.ready = false;
        for effect in ["NoSchedule", "NoExecute"] {
            if !n.node.taints.iter().any(|t| t.key == UNREACHABLE_TAINT && t.effect == effect) {
                n.node.taints.push(spec::Taint {
                    key: UNREACHABLE_TAINT.to_string(),
                    value: None,
                    effect: effect.to_string(),
                });
            }
        }
        let mut names = Vec::new();
        let mut evict = Vec::new();
        let default_ms = self.profile.default_toleration_ms;
        for p in self.cluster.pods.values_mut().filter(|p| p.node.as_deref() == Some(node)) {
            if p.ready {
                p.ready = false;
                p.ready_since_ms = None;
                p.marked_not_ready_by_node = true;
                names.push((p.namespace.clone(), p.name.clone()));
            }
            if !p.is_terminating() {
                // The pod's own toleration of `unreachable:NoExecute` if it has
                // one, else the DefaultTolerationSeconds admission plugin's 300s.
                let own: Vec<Option<i64>> = p
                    .spec
                    .tolerations
                    .iter()
                    .filter(|t| t.tolerates(UNREACHABLE_TAINT, None, "NoExecute"))
                    .map(|t| t.toleration_seconds)
                    .collect();
                let delay = if own.is_empty() {
                    Some(default_ms)
                } else if own.iter().any(Option::is_none) {
                    None // tolerated for ever
                } else {
                    own.iter().flatten().min().map(|s| ((*s).max(0) as u64).saturating_mul(1000))
                };
                if let Some(delay) = delay {
                    evict.push((p.key(), p.uid.clone(), delay));
                }
            }
        }
        let grace_seconds = self.profile.node_monitor_grace_ms / 1000;
        for (ns, name) in &names {
            self.cluster.reindex_pod(&(ns.clone(), name.clone()));
        }
        self.record(Reason::NodeNotReady { node: node.to_string(), grace_seconds, pods: names });
        for (pod, uid, delay) in evict {
            self.enqueue(delay, Event::TaintEviction { pod: pod.clone(), uid });
            self.pod_changed(&pod);
        }
    }

    pub(super) fn crash_container(&mut self, key: &Key) {
        let Some(p) = self.cluster.pods.get_mut(key) else { return };
        if !p.containers_running {
            return;
        }
        let backoff = crash_backoff_ms(p.restarts);
        p.containers_running = false;
        p.ready = false;
        p.ready_since_ms = None;
        p.last_termination = Some((p.started_ms.unwrap_or(self.now_ms), self.now_ms));
        p.started_ms = None;
        p.waiting_reason = Some(if backoff == 0 { "Error" } else { "CrashLoopBackOff" }.to_string());
        let uid = p.uid.clone();
        let restarts = p.restarts;
        let container = p.spec.containers.first().map(|c| c.name.clone()).unwrap_or_default();
        self.record(Reason::ContainerCrashed {
            namespace: key.0.clone(),
            pod: key.1.clone(),
            uid: uid.clone(),
            container,
            restarts,
            backoff_seconds: backoff / 1000,
        });
        self.enqueue(backoff.max(self.profile.container_start_ms), Event::RestartContainer { pod: key.clone(), uid });
        self.pod_changed(key);
    }

    pub(super) fn restart_container(&mut self, key: &Key) {
        let probe_ms = self.probe_delay_ms(key);
        let Some(p) = self.cluster.pods.get_mut(key) else { return };
        if p.containers_running || p.is_terminating() {
            return;
        }
        p.restarts += 1;
        p.containers_running = true;
        p.started_ms = Some(self.now_ms);
        p.waiting_reason = None;
        p.phase = PodPhase::Running;
        let has_probe = p.spec.containers.iter().any(|c| c.readiness_probe.is_some());
        if !has_probe {
            p.ready = true;
            p.ready_since_ms = Some(self.now_ms);
        }
        let (uid, restarts, crash_looping) = (p.uid.clone(), p.restarts, p.crash_looping);
        let containers = crate::reason::ContainerRef::of(&p.spec);
        self.record(Reason::ContainerRestarted { namespace: key.0.clone(), pod: key.1.clone(), restarts, containers });
        if crash_looping {
            self.enqueue(
                self.profile.crash_after_start_ms,
                Event::CrashContainer { pod: key.clone(), uid: uid.clone() },
            );
        }
        if has_probe {
            self.enqueue(probe_ms, Event::ReadinessProbe { pod: key.clone(), uid });
        } else {
            self.after_ready(key);
        }
        self.pod_changed(key);
    }

    fn probe_delay_ms(&self, key: &Key) -> u64 {
        self.cluster
            .pods
            .get(key)
            .into_iter()
            .flat_map(|p| p.spec.containers.iter())
            .filter_map(|c| c.readiness_probe.as_ref())
            .map(|pr| (pr.initial_delay_seconds.max(0) as u64) * 1000 + self.profile.probe_latency_ms)
            .max()
            .unwrap_or(0)
    }

    /// pvc-protection let go: the claim object goes, and its volume is reclaimed.
    pub(super) fn remove_claim(&mut self, key: &Key) {
        let Some(claim) = self.cluster.take_claim(key) else { return };
        self.record(Reason::ClaimRemoved { namespace: key.0.clone(), claim: key.1.clone() });
        if let Some(vname) = &claim.volume {
            let policy = self.cluster.volumes.get(vname).map(|v| v.reclaim_policy.clone());
            if let Some(policy) = policy {
                self.record(Reason::ReclaimVolume {
                    volume: vname.clone(),
                    policy: policy.clone(),
                    claim: key.1.clone(),
                });
                let pv_protected = self.cluster.volumes.get(vname).is_some_and(|v| v.deletion_ms.is_some());
                if policy == "Delete" || pv_protected {
                    self.cluster.take_volume(vname);
                    self.record(Reason::VolumeRemoved { volume: vname.clone() });
                } else {
                    self.cluster.update_volume(vname, |v| v.phase = VolumePhase::Released);
                }
            }
        }
        if let Some(owner) = &claim.owner_set {
            self.enqueue_set_sync(&(key.0.clone(), owner.clone()), self.profile.controller_delay_ms);
        }
    }

    pub(super) fn update_claim_owner(&mut self, key: &Key, owned_by_set: bool, owner_pod: Option<String>) {
        let Some(c) = self.cluster.claims.get_mut(key) else { return };
        if c.owned_by_set == owned_by_set && c.owner_pod == owner_pod {
            return;
        }
        let gained_set = owned_by_set && !c.owned_by_set;
        let gained_pod = owner_pod.is_some() && c.owner_pod != owner_pod;
        c.owned_by_set = owned_by_set;
        c.owner_pod = owner_pod.clone();
        let set = c.owner_set.clone().unwrap_or_default();
        let (owner_kind, owner) = match (gained_pod, gained_set) {
            (true, _) => ("Pod", owner_pod.unwrap_or_default()),
            (false, true) => ("StatefulSet", set),
            (false, false) => return,
        };
        self.record(Reason::ClaimOwnerUpdated {
            namespace: key.0.clone(),
            claim: key.1.clone(),
            owner_kind: owner_kind.to_string(),
            owner,
        });
    }

    // -----------------------------------------------------------------------
    // Nodes
    // -----------------------------------------------------------------------

    /// `node down NODE`: the kubelet stops (fault injection).
    pub fn node_down(&mut self, node: &str) -> Result<(), SimError> {
        let Some(n) = self.cluster.nodes.get_mut(node) else { return Err(node_not_found(node)) };
        if !n.kubelet_up {
            return Err(SimError::NodeAlready { node: node.to_string(), up: false });
        }
        n.kubelet_up = false;
        self.record(Reason::NodeKubelet { node: node.to_string(), up: false });
        self.enqueue(self.profile.node_monitor_grace_ms, Event::NodeMonitor { node: node.to_string() });
        Ok(())
    }

    /// `node up NODE`: the kubelet runs again and catches up.
    pub fn node_up(&mut self, node: &str) -> Result<(), SimError> {
        let Some(n) = self.cluster.nodes.get_mut(node) else { return Err(node_not_found(node)) };
        if n.kubelet_up {
            return Err(SimError::NodeAlready { node: node.to_string(), up: true });
        }
        n.kubelet_up = true;
        let was_not_ready = !n.ready;
        n.ready = true;
        n.node.taints.retain(|t| t.key != UNREACHABLE_TAINT);
        self.record(Reason::NodeKubelet { node: node.to_string(), up: true });
        if was_not_ready {
            self.record(Reason::NodeReady { node: node.to_string() });
        }
        let on_node: Vec<Key> =
            self.cluster.pods.values().filter(|p| p.node.as_deref() == Some(node)).map(|p| p.key()).collect();
        for key in on_node {
            let probe_ms = self.probe_delay_ms(&key);
            let Some(p) = self.cluster.pods.get_mut(&key) else { continue };
            let uid = p.uid.clone();
            if p.is_terminating() {
                let stop = (p.spec.termination_grace_period_seconds.max(0) as u64)
                    .saturating_mul(1000)
                    .min(self.profile.container_stop_ms);
                self.enqueue(
                    stop + self.profile.kubelet_cleanup_ms,
                    Event::ContainersStopped { pod: key.clone(), uid },
                );
            } else if p.waiting_reason.is_some() {
                self.enqueue(self.profile.container_start_ms, Event::RestartContainer { pod: key.clone(), uid });
            } else if !p.containers_running {
                let delay = self.profile.sandbox_ms + self.profile.container_start_ms;
                self.enqueue(delay, Event::ContainersStarted { pod: key.clone(), uid });
            } else {
                p.marked_not_ready_by_node = false;
                let has_probe = p.spec.containers.iter().any(|c| c.readiness_probe.is_some());
                if has_probe {
                    self.enqueue(probe_ms, Event::ReadinessProbe { pod: key.clone(), uid });
                } else if !p.ready {
                    p.ready = true;
                    p.ready_since_ms = Some(self.now_ms);
                    self.record(Reason::PodReady { namespace: key.0.clone(), pod: key.1.clone() });
                    self.after_ready(&key);
                }
            }
            self.pod_changed(&key);
        }
        self.reschedule_pending_pods();
        Ok(())
    }

    /// `kubectl cordon` / `kubectl uncordon`: Unchanged when the node already was.
    pub fn cordon(&mut self, node: &str, cordon: bool) -> Result<Updated, SimError> {
        let Some(n) = self.cluster.nodes.get_mut(node) else { return Err(node_not_found(node)) };
        let verb = if cordon { "cordoned" } else { "uncordoned" };
        if n.node.unschedulable == cordon {
            return Ok(Updated::Unchanged);
        }
        n.node.unschedulable = cordon;
        // doNoScheduleTaintingPass mirrors spec.unschedulable as a taint.
        const UNSCHEDULABLE: &str = "node.kubernetes.io/unschedulable";
        n.node.taints.retain(|t| t.key != UNSCHEDULABLE);
        if cordon {
            n.node.taints.push(spec::Taint {
                key: UNSCHEDULABLE.to_string(),
                value: None,
                effect: "NoSchedule".to_string(),
            });
        }
        let command = if cordon { "kubectl cordon" } else { "kubectl uncordon" };
        self.user_record(command, "node", None, node, verb);
        if !cordon {
            self.reschedule_pending_pods();
        }
        Ok(Updated::Changed)
    }

    /// `kubectl drain`: cordon, then evict every pod on the node.
    pub fn drain(&mut self, node: &str) -> Result<Drained, SimError> {
        let cordon = self.cordon(node, true)?;
        let pods: Vec<(Key, String)> = self
            .cluster
            .pods
            .values()
            .filter(|p| p.node.as_deref() == Some(node) && !p.is_terminating())
            .map(|p| (p.key(), p.uid.clone()))
            .collect();
        for (key, _) in &pods {
            let reason = Reason::EvictPod { namespace: key.0.clone(), pod: key.1.clone(), node: node.to_string() };
            self.delete_pod(key, DeleteCause::Controller(reason));
        }
        Ok(Drained { cordon, evicted: pods })
    }

    // -----------------------------------------------------------------------
    // Pods
    // -----------------------------------------------------------------------

    /// `kubectl delete pod NAME` (graceful). Returns the deleted pod's uid.
    pub fn delete_pod_by_user(&mut self, key: &Key) -> Result<String, SimError> {
        self.delete_pod_by_user_with_grace(key, None)
    }

    /// `kubectl delete pod NAME --grace-period=N`. Returns the deleted pod's uid.
    pub fn delete_pod_by_user_with_grace(&mut self, key: &Key, grace_seconds: Option<i64>) -> Result<String, SimError> {
        let Some(p) = self.cluster.pods.get(key) else { return Err(pod_not_found(key)) };
        let uid = p.uid.clone();
        self.user_record("kubectl delete", "pod", Some(key.0.clone()), &key.1, "deleted");
        self.delete_pod_with_grace(key, DeleteCause::User, grace_seconds);
        Ok(uid)
    }

    /// `kubectl delete pod NAME --force --grace-period=0`.
    pub fn force_delete_pod(&mut self, key: &Key) -> Result<(), SimError> {
        let Some(p) = self.cluster.take_pod(key) else { return Err(pod_not_found(key)) };
        self.user_record("kubectl delete --force", "pod", Some(key.0.clone()), &key.1, "force deleted");
        self.record(Reason::ForceDeletePod { namespace: key.0.clone(), pod: key.1.clone(), node: p.node.clone() });
        self.after_pod_gone(&p);
        Ok(())
    }

    /// `pod crash POD [--repeat]`: the container exits with an error (once,
    /// or on every start until the pod is deleted).
    pub fn crash_pod(&mut self, key: &Key, repeat: bool) -> Result<(), SimError> {
        let node_up = |sim: &Simulation, p: &Pod| {
            p.node.as_deref().and_then(|n| sim.cluster.nodes.get(n)).is_some_and(|n| n.kubelet_up)
        };
        let Some(p) = self.cluster.pods.get(key) else { return Err(pod_not_found(key)) };
        if !p.containers_running || p.is_terminating() || !node_up(self, p) {
            return Err(SimError::NoRunningContainer { pod: key.1.clone(), status: p.status_text() });
        }
        if let Some(p) = self.cluster.pods.get_mut(key) {
            p.crash_looping = repeat;
        }
        self.crash_container(key);
        Ok(())
    }

    /// `pod unready POD` / `pod ready POD`: the readiness probe starts failing
    /// or passing again. Without a readiness probe, Ready follows the container.
    pub fn set_probe_failing(&mut self, key: &Key, failing: bool) -> Result<(), SimError> {
        let Some(p) = self.cluster.pods.get_mut(key) else { return Err(pod_not_found(key)) };
        let Some(probe) = p.spec.containers.iter().find_map(|c| c.readiness_probe.clone()) else {
            return Err(SimError::NoReadinessProbe { pod: key.1.clone() });
        };
        p.probe_failing = failing;
        let uid = p.uid.clone();
        let period_ms = probe.period_seconds.max(1) as u64 * 1000;
        if failing {
            let delay = probe.failure_threshold.max(1) as u64 * period_ms;
            self.enqueue(delay, Event::ProbeFailing { pod: key.clone(), uid });
        } else {
            let delay = probe.success_threshold.max(1) as u64 * period_ms;
            self.enqueue(delay, Event::ReadinessProbe { pod: key.clone(), uid });
        }
        Ok(())
    }

    // -----------------------------------------------------------------------
    // StatefulSets, claims, volumes
    // -----------------------------------------------------------------------

    /// `kubectl scale statefulset NAME --replicas=N` (`ValidateStatefulSetSpec`:
    /// `ValidateNonnegativeField(spec.replicas)`).
    pub fn scale_stateful_set(&mut self, key: &Key, replicas: i32) -> Result<(), SimError> {
        let Some(s) = self.cluster.sets.get_mut(key) else { return Err(set_not_found(key)) };
        if replicas > MAX_REPLICAS {
            return Err(SimError::TooManyReplicas { name: key.1.clone(), replicas });
        }
        if replicas < 0 {
            return Err(SimError::Invalid {
                kind: Kind::StatefulSet,
                name: key.1.clone(),
                field: "spec.replicas".to_string(),
                value: replicas.to_string(),
                detail: "must be greater than or equal to 0".to_string(),
            });
        }
        if s.set.spec.replicas != replicas {
            s.set.spec.replicas = replicas;
            if let Some(spec) = s.manifest.get_mut("spec").and_then(|v| v.as_object_mut()) {
                spec.insert("replicas".into(), replicas.into());
            }
            s.generation += 1;
            self.enqueue_set_sync(key, self.profile.controller_delay_ms);
        }
        self.user_change("kubectl scale", Kind::StatefulSet, Some(key.0.clone()), &key.1, "scaled");
        Ok(())
    }

    /// `kubectl delete statefulset NAME [--cascade=background|foreground|orphan]`.
    pub fn delete_stateful_set(&mut self, key: &Key, cascade: Cascade) -> Result<(), SimError> {
        let Some(s) = self.cluster.sets.get(key) else { return Err(set_not_found(key)) };
        let when_deleted = s.set.spec.when_deleted;
        self.user_record("kubectl delete", "statefulset.apps", Some(key.0.clone()), &key.1, "deleted");
        let pods: Vec<Key> = self
            .cluster
            .pods
            .values()
            .filter(|p| p.namespace == key.0 && p.owner.as_deref() == Some(key.1.as_str()))
            .map(|p| p.key())
            .collect();
        let claims: Vec<Key> = self
            .cluster
            .claims
            .values()
            .filter(|c| c.namespace == key.0 && c.owner_set.as_deref() == Some(key.1.as_str()) && c.owned_by_set)
            .map(|c| c.key())
            .collect();
        if cascade == Cascade::Orphan {
            self.cluster.sets.remove(key);
            for pod in pods {
                self.cluster.set_pod_owner(&pod, None);
                self.record(Reason::Orphan {
                    namespace: key.0.clone(),
                    set: key.1.clone(),
                    kind: "Pod".into(),
                    name: pod.1,
                });
            }
            for claim in claims {
                if let Some(c) = self.cluster.claims.get_mut(&claim) {
                    c.owned_by_set = false;
                }
                let reason = Reason::Orphan {
                    namespace: key.0.clone(),
                    set: key.1.clone(),
                    kind: "PersistentVolumeClaim".into(),
                    name: claim.1,
                };
                self.record(reason);
            }
            return Ok(());
        }
        if cascade == Cascade::Foreground && !pods.is_empty() {
            if let Some(s) = self.cluster.sets.get_mut(key) {
                s.deleting = true;
            }
        } else {
            self.cluster.sets.remove(key);
        }
        for pod in pods {
            let reason = Reason::GarbageCollect {
                namespace: key.0.clone(),
                owner_kind: "StatefulSet".into(),
                owner: key.1.clone(),
                kind: "Pod".into(),
                name: pod.1.clone(),
            };
            self.delete_pod(&pod, DeleteCause::Controller(reason));
        }
        if when_deleted == spec::RetentionPolicy::Delete {
            for claim in claims {
                self.record(Reason::GarbageCollect {
                    namespace: key.0.clone(),
                    owner_kind: "StatefulSet".into(),
                    owner: key.1.clone(),
                    kind: "PersistentVolumeClaim".into(),
                    name: claim.1.clone(),
                });
                self.mark_claim_deleted(&claim);
            }
        }
        Ok(())
    }

    /// Sets the claim's deletion timestamp; pvc-protection removes it once unused.
    fn mark_claim_deleted(&mut self, key: &Key) {
        let Some(c) = self.cluster.claims.get_mut(key) else { return };
        if c.deletion_ms.is_none() {
            c.deletion_ms = Some(self.now_ms);
        }
        let users = self.cluster.claim_users(key);
        if users.is_empty() {
            self.remove_claim(key);
        } else {
            self.record(Reason::ClaimInUse { namespace: key.0.clone(), claim: key.1.clone(), pods: users });
        }
    }

    /// `kubectl delete pvc NAME`.
    pub fn delete_claim(&mut self, key: &Key) -> Result<(), SimError> {
        if !self.cluster.claims.contains_key(key) {
            return Err(SimError::NotFound { kind: ObjectKind::PersistentVolumeClaim, name: key.1.clone() });
        }
        self.user_record("kubectl delete", "persistentvolumeclaim", Some(key.0.clone()), &key.1, "deleted");
        self.mark_claim_deleted(key);
        Ok(())
    }

    /// `kubectl delete pv NAME`: a bound volume stays Terminating (pv-protection).
    pub fn delete_volume(&mut self, name: &str) -> Result<(), SimError> {
        let Some(v) = self.cluster.volumes.get_mut(name) else {
            return Err(SimError::NotFound { kind: ObjectKind::PersistentVolume, name: name.to_string() });
        };
        if v.deletion_ms.is_none() {
            v.deletion_ms = Some(self.now_ms);
        }
        let bound = v.phase == VolumePhase::Bound;
        self.user_record("kubectl delete", "persistentvolume", None, name, "deleted");
        if !bound {
            self.cluster.take_volume(name);
            self.record(Reason::VolumeRemoved { volume: name.to_string() });
        }
        Ok(())
    }
}

/// The outcome of writing a new StatefulSet object.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Updated {
    Changed,
    Unchanged,
}

fn set_not_found(key: &Key) -> SimError {
    SimError::NotFound { kind: ObjectKind::StatefulSet, name: key.1.clone() }
}

impl Simulation {
    /// Replaces a StatefulSet with a new manifest after the API server's
    /// checks (strict decoding, validation, immutable fields). Nothing changes
    /// on error.
    fn update_set_manifest(
        &mut self,
        key: &Key,
        raw: crate::apiserver::Stored,
        command: &str,
        verb: &str,
    ) -> Result<Updated, SimError> {
        let Some(s) = self.cluster.sets.get(key) else { return Err(set_not_found(key)) };
        let new = match crate::apiserver::decode_stored(&raw, "STDIN") {
            Ok(Object::StatefulSet(new)) => new,
            Ok(_) => return Err(SimError::KindChanged),
            Err(e) => return Err(SimError::Rejected(e.message)),
        };
        if new.meta.name != key.1 || new.meta.namespace.as_deref() != Some(key.0.as_str()) {
            return Err(SimError::Invalid {
                kind: Kind::StatefulSet,
                name: key.1.clone(),
                field: "metadata.name".to_string(),
                value: format!("\"{}\"", new.meta.name),
                detail: "field is immutable".to_string(),
            });
        }
        if let Some(msg) = crate::apiserver::validation::validate_stateful_set_update(&s.set, &new) {
            return Err(SimError::Rejected(msg));
        }
        if new.spec.replicas > MAX_REPLICAS {
            return Err(SimError::TooManyReplicas { name: key.1.clone(), replicas: new.spec.replicas });
        }
        if s.set == new {
            return Ok(Updated::Unchanged);
        }
        let raw = crate::apiserver::default_stateful_set(&raw);
        if let Some(s) = self.cluster.sets.get_mut(key) {
            s.set = new;
            s.manifest = raw;
            s.generation += 1;
        }
        self.user_record(command, "statefulset.apps", Some(key.0.clone()), &key.1, verb);
        self.enqueue_set_sync(key, self.profile.controller_delay_ms);
        Ok(Updated::Changed)
    }

    /// `kubectl patch statefulset NAME -p PATCH [--type strategic|merge|json]`.
    pub fn patch_stateful_set(
        &mut self,
        key: &Key,
        patch_text: &str,
        ty: patch::PatchType,
    ) -> Result<Updated, SimError> {
        let Some(s) = self.cluster.sets.get(key) else { return Err(set_not_found(key)) };
        let patched = patch::apply_patch(&s.manifest, patch_text, ty).map_err(SimError::Rejected)?;
        self.update_set_manifest(key, patched, "kubectl patch", "patched")
    }

    /// `kubectl set image statefulset/NAME CONTAINER=IMAGE ...`.
    pub fn set_image(&mut self, key: &Key, images: &[(String, String)]) -> Result<Updated, SimError> {
        let Some(s) = self.cluster.sets.get(key) else { return Err(set_not_found(key)) };
        let mut raw = s.manifest.clone();
        let containers = raw
            .get_mut("spec")
            .and_then(|v| v.get_mut("template"))
            .and_then(|v| v.get_mut("spec"))
            .and_then(|v| v.get_mut("containers"))
            .and_then(|v| v.as_array_mut());
        let Some(containers) = containers else { return Err(SimError::NoContainers) };
        for (name, image) in images {
            let found = containers.iter_mut().find(|c| c.get("name").and_then(|n| n.as_str()) == Some(name.as_str()));
            let target = match (found, name.as_str()) {
                (Some(c), _) => c,
                (None, "*") => {
                    for c in containers.iter_mut() {
                        if let Some(m) = c.as_object_mut() {
                            m.insert("image".into(), image.clone().into());
                        }
                    }
                    continue;
                }
                (None, _) => return Err(SimError::ContainerNotFound { container: name.clone() }),
            };
            if let Some(m) = target.as_object_mut() {
                m.insert("image".into(), image.clone().into());
            }
        }
        self.update_set_manifest(key, raw, "kubectl set image", "image updated")
    }

    /// `kubectl rollout history statefulset/NAME`: (revision, name) pairs, oldest first.
    pub fn rollout_history(&self, key: &Key) -> Result<Vec<(i64, String)>, SimError> {
        let Some(s) = self.cluster.sets.get(key) else { return Err(set_not_found(key)) };
        let mut revs: Vec<(i64, String)> = s.revisions.iter().map(|r| (r.revision, r.name.clone())).collect();
        crate::sort::sort(&mut revs);
        Ok(revs)
    }

    /// `kubectl rollout undo statefulset/NAME [--to-revision=N]`
    /// (`StatefulSetRollbacker`): the set's template becomes that revision's.
    pub fn rollout_undo(&mut self, key: &Key, to_revision: Option<i64>) -> Result<Rollback, SimError> {
        let Some(s) = self.cluster.sets.get(key) else { return Err(set_not_found(key)) };
        let mut revs: Vec<&Revision> = s.revisions.iter().collect();
        crate::sort::sort_by_key(&mut revs, |r| r.revision);
        let target = match to_revision {
            Some(n) if n > 0 => revs.iter().find(|r| r.revision == n).copied(),
            _ => {
                if revs.len() < 2 {
                    return Err(SimError::NoRolloutHistory { name: key.1.clone() });
                }
                revs.get(revs.len() - 2).copied()
            }
        };
        let Some(target) = target else {
            return Err(SimError::RevisionNotFound { revision: to_revision.unwrap_or(0) });
        };
        if target.template == s.set.spec.template {
            return Ok(Rollback::Skipped { revision: target.revision });
        }
        let mut raw = s.manifest.clone();
        if let Some(spec) = raw.get_mut("spec").and_then(|v| v.as_object_mut()) {
            spec.insert("template".into(), target.template_raw.clone());
        }
        self.update_set_manifest(key, raw, "kubectl rollout undo", "rolled back")?;
        Ok(Rollback::RolledBack)
    }
}
