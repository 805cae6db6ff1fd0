//! Why a step happened, as structured data: a rule (what upstream code path
//! this mirrors), the objects involved, and values. Text is rendered from it
//! at the edge ([`Reason::message`]); the web UI and the CLI never parse it.

use serde::Serialize;

const STS_CONTROL: &str =
    "https://github.com/kubernetes/kubernetes/blob/master/pkg/controller/statefulset/stateful_set_control.go";
const STS_POD_CONTROL: &str =
    "https://github.com/kubernetes/kubernetes/blob/master/pkg/controller/statefulset/stateful_pod_control.go";
const PV: &str =
    "https://github.com/kubernetes/kubernetes/blob/master/pkg/controller/volume/persistentvolume/pv_controller.go";
const SCHED: &str =
    "https://github.com/kubernetes/kubernetes/blob/master/pkg/scheduler/framework/plugins/volumebinding/binder.go";
const SCHEDULE_ONE: &str = "https://github.com/kubernetes/kubernetes/blob/master/pkg/scheduler/schedule_one.go";
const KUBELET: &str = "https://kubernetes.io/docs/concepts/workloads/pods/pod-lifecycle/";
const TERMINATION: &str = "https://kubernetes.io/docs/concepts/workloads/pods/pod-lifecycle/#pod-termination";
const KUBECTL: &str = "https://kubernetes.io/docs/reference/kubectl/";
const CRASH_BACKOFF: &str = "https://kubernetes.io/docs/concepts/workloads/pods/pod-lifecycle/#container-restarts";
const NODE_LIFECYCLE: &str =
    "https://github.com/kubernetes/kubernetes/blob/master/pkg/controller/nodelifecycle/node_lifecycle_controller.go";
const TAINT_EVICTION: &str =
    "https://kubernetes.io/docs/concepts/scheduling-eviction/taint-and-toleration/#taint-based-evictions";
const FORCE_DELETE: &str = "https://kubernetes.io/docs/tasks/run-application/force-delete-stateful-set-pod/";
const DRAIN: &str = "https://kubernetes.io/docs/tasks/administer-cluster/safely-drain-node/";
const GC: &str = "https://kubernetes.io/docs/concepts/architecture/garbage-collection/";
const PROTECTION: &str =
    "https://kubernetes.io/docs/concepts/storage/persistent-volumes/#storage-object-in-use-protection";

/// A reference to an API object, as `kind/namespace/name` parts.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ObjectRef {
    pub kind: &'static str,
    pub namespace: Option<String>,
    pub name: String,
}

/// A container of a pod, as events name it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct ContainerRef {
    pub name: String,
    pub image: String,
}

impl ContainerRef {
    pub fn of(spec: &crate::spec::PodSpec) -> Vec<ContainerRef> {
        spec.containers.iter().map(|c| ContainerRef { name: c.name.clone(), image: c.image.clone() }).collect()
    }
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(tag = "rule", rename_all = "camelCase")]
pub enum Reason {
    /// A user command changed an object (`kubectl apply`, `scale`, ...).
    #[serde(rename_all = "camelCase")]
    UserChange { command: String, resource: String, namespace: Option<String>, name: String, verb: String },
    /// `createMissingPersistentVolumeClaims` (stateful_pod_control.go): claims
    /// from `volumeClaimTemplates` are created before the pod.
    #[serde(rename_all = "camelCase")]
    CreateClaim { namespace: String, set: String, pod: String, claim: String },
    /// `processReplica` (stateful_set_control.go): a missing ordinal is created.
    #[serde(rename_all = "camelCase")]
    CreatePod { namespace: String, set: String, pod: String, ordinal: i32, revision: String, ordered: bool },
    /// `processCondemned`: ordinals beyond `replicas` go, highest first.
    #[serde(rename_all = "camelCase")]
    DeleteCondemnedPod { namespace: String, set: String, pod: String, ordinal: i32, replicas: i32 },
    /// `processReplica`: a Failed or Succeeded pod is deleted to be re-created.
    #[serde(rename_all = "camelCase")]
    DeleteFailedPod { namespace: String, set: String, pod: String, phase: String },
    /// `updateStatefulSet`: RollingUpdate deletes the highest ordinal not at the update revision.
    #[serde(rename_all = "camelCase")]
    DeletePodForUpdate { namespace: String, set: String, pod: String, from_revision: String, to_revision: String },
    /// A user deleted a pod; graceful termination starts.
    #[serde(rename_all = "camelCase")]
    DeletePod { namespace: String, pod: String, grace_seconds: i64, containers: Vec<ContainerRef> },
    /// Graceful deletion: an unscheduled pod is removed at once.
    #[serde(rename_all = "camelCase")]
    RemoveUnscheduledPod { namespace: String, pod: String },
    /// The kubelet saw every container stop and the pod object is removed.
    #[serde(rename_all = "camelCase")]
    PodTerminated { namespace: String, pod: String, node: String },
    /// Scheduler `VolumeBinding` plugin: WaitForFirstConsumer claims get the chosen node.
    #[serde(rename_all = "camelCase")]
    SelectNodeForClaims { namespace: String, pod: String, node: String, claims: Vec<String> },
    /// Scheduler: the pod is bound to a node.
    #[serde(rename_all = "camelCase")]
    BindPod { namespace: String, pod: String, node: String, pinned_by_volume: Option<String> },
    /// Scheduler: no node fits; the pod stays Pending.
    #[serde(rename_all = "camelCase")]
    PodUnschedulable { namespace: String, pod: String, message: String },
    /// PV controller `provisionClaim`: the class's provisioner creates a volume.
    #[serde(rename_all = "camelCase")]
    ProvisionVolume { namespace: String, claim: String, volume: String, provisioner: String, node: Option<String> },
    /// PV controller `syncUnboundClaim` → `bind`.
    #[serde(rename_all = "camelCase")]
    BindClaim { namespace: String, claim: String, volume: String, pre_bound: bool },
    /// PV controller `syncUnboundClaim`: the claim stays Pending, with the event text.
    #[serde(rename_all = "camelCase")]
    ClaimPending { namespace: String, claim: String, message: String },
    /// The kubelet started the containers (pulling the image first if needed).
    #[serde(rename_all = "camelCase")]
    ContainersStarted {
        namespace: String,
        pod: String,
        node: String,
        ip: String,
        pulled: Vec<String>,
        ready: bool,
        containers: Vec<ContainerRef>,
        pull_ms: u64,
    },
    /// The readiness probe succeeded.
    #[serde(rename_all = "camelCase")]
    PodReady { namespace: String, pod: String },
    /// The readiness probe failed `failureThreshold` times.
    #[serde(rename_all = "camelCase")]
    PodNotReady { namespace: String, pod: String, failures: i32 },
    /// A container exited with an error; the kubelet restarts it after a back-off.
    #[serde(rename_all = "camelCase")]
    ContainerCrashed {
        namespace: String,
        pod: String,
        uid: String,
        container: String,
        restarts: u32,
        backoff_seconds: u64,
    },
    /// The kubelet restarted a crashed container.
    #[serde(rename_all = "camelCase")]
    ContainerRestarted { namespace: String, pod: String, restarts: u32, containers: Vec<ContainerRef> },
    /// A user stopped a node's kubelet (`node down`) or started it (`node up`).
    #[serde(rename_all = "camelCase")]
    NodeKubelet { node: String, up: bool },
    /// Node lifecycle controller: no status for the grace period → Ready=Unknown,
    /// `node.kubernetes.io/unreachable` taints, pods marked NotReady.
    #[serde(rename_all = "camelCase")]
    NodeNotReady { node: String, grace_seconds: u64, pods: Vec<(String, String)> },
    /// The node reports again: Ready, taints removed.
    #[serde(rename_all = "camelCase")]
    NodeReady { node: String },
    /// Taint-based eviction: the pod's toleration of `unreachable` ran out.
    #[serde(rename_all = "camelCase")]
    TaintEviction { namespace: String, pod: String, node: String, toleration_seconds: u64 },
    /// `kubectl delete --force --grace-period=0`: the object goes at once.
    #[serde(rename_all = "camelCase")]
    ForceDeletePod { namespace: String, pod: String, node: Option<String> },
    /// `kubectl drain`: the pod is evicted from a cordoned node.
    #[serde(rename_all = "camelCase")]
    EvictPod { namespace: String, pod: String, node: String },
    /// Garbage collector: a dependent of a deleted owner is deleted.
    #[serde(rename_all = "camelCase")]
    GarbageCollect { namespace: String, owner_kind: String, owner: String, kind: String, name: String },
    /// `--cascade=orphan`: the owner reference is removed, the object stays.
    #[serde(rename_all = "camelCase")]
    Orphan { namespace: String, set: String, kind: String, name: String },
    /// The StatefulSet adopted an orphan pod that matches its selector and name.
    #[serde(rename_all = "camelCase")]
    AdoptPod { namespace: String, set: String, pod: String },
    /// `createPersistentVolumeClaims`: the pod's claim is being deleted, so the
    /// pod is not created until the claim is gone.
    #[serde(rename_all = "camelCase")]
    ClaimBeingDeleted { namespace: String, set: String, pod: String, claim: String },
    /// A claim was deleted while a pod uses it: it stays Terminating.
    #[serde(rename_all = "camelCase")]
    ClaimInUse { namespace: String, claim: String, pods: Vec<String> },
    /// A claim object is removed (nothing uses it any more).
    #[serde(rename_all = "camelCase")]
    ClaimRemoved { namespace: String, claim: String },
    /// The PV controller reclaims a volume whose claim is gone.
    #[serde(rename_all = "camelCase")]
    ReclaimVolume { volume: String, policy: String, claim: String },
    /// A volume object is removed.
    #[serde(rename_all = "camelCase")]
    VolumeRemoved { volume: String },
    /// Retention policy: a claim gets an owner reference (set or condemned pod).
    #[serde(rename_all = "camelCase")]
    ClaimOwnerUpdated { namespace: String, claim: String, owner_kind: String, owner: String },
}

impl Reason {
    /// A stable identifier of the rule, e.g. `statefulset.create-pod`.
    pub fn rule_id(&self) -> &'static str {
        match self {
            Reason::UserChange { .. } => "user.change",
            Reason::CreateClaim { .. } => "statefulset.create-claim",
            Reason::CreatePod { .. } => "statefulset.create-pod",
            Reason::DeleteCondemnedPod { .. } => "statefulset.scale-down",
            Reason::DeleteFailedPod { .. } => "statefulset.replace-failed-pod",
            Reason::DeletePodForUpdate { .. } => "statefulset.rolling-update",
            Reason::DeletePod { .. } => "pod.graceful-delete",
            Reason::RemoveUnscheduledPod { .. } => "pod.delete-unscheduled",
            Reason::PodTerminated { .. } => "kubelet.pod-terminated",
            Reason::SelectNodeForClaims { .. } => "scheduler.select-node-for-claims",
            Reason::BindPod { .. } => "scheduler.bind-pod",
            Reason::PodUnschedulable { .. } => "scheduler.unschedulable",
            Reason::ProvisionVolume { .. } => "pv.provision",
            Reason::BindClaim { .. } => "pv.bind",
            Reason::ClaimPending { .. } => "pv.claim-pending",
            Reason::ContainersStarted { .. } => "kubelet.containers-started",
            Reason::PodReady { .. } => "kubelet.pod-ready",
            Reason::PodNotReady { .. } => "kubelet.pod-not-ready",
            Reason::ContainerCrashed { .. } => "kubelet.container-crashed",
            Reason::ContainerRestarted { .. } => "kubelet.container-restarted",
            Reason::NodeKubelet { .. } => "user.node-kubelet",
            Reason::NodeNotReady { .. } => "node-lifecycle.not-ready",
            Reason::NodeReady { .. } => "node-lifecycle.ready",
            Reason::TaintEviction { .. } => "node-lifecycle.taint-eviction",
            Reason::ForceDeletePod { .. } => "pod.force-delete",
            Reason::EvictPod { .. } => "kubectl.drain-evict",
            Reason::GarbageCollect { .. } => "gc.delete-dependent",
            Reason::Orphan { .. } => "gc.orphan",
            Reason::AdoptPod { .. } => "statefulset.adopt",
            Reason::ClaimInUse { .. } => "pvc-protection.in-use",
            Reason::ClaimBeingDeleted { .. } => "statefulset.claim-being-deleted",
            Reason::ClaimRemoved { .. } => "pvc-protection.removed",
            Reason::ReclaimVolume { .. } => "pv.reclaim",
            Reason::VolumeRemoved { .. } => "pv-protection.removed",
            Reason::ClaimOwnerUpdated { .. } => "statefulset.claim-retention",
        }
    }

    /// Where upstream implements or documents the rule.
    pub fn upstream(&self) -> &'static str {
        match self {
            Reason::UserChange { .. } => KUBECTL,
            Reason::CreateClaim { .. } => STS_POD_CONTROL,
            Reason::CreatePod { .. }
            | Reason::DeleteCondemnedPod { .. }
            | Reason::DeleteFailedPod { .. }
            | Reason::DeletePodForUpdate { .. } => STS_CONTROL,
            Reason::DeletePod { .. } | Reason::RemoveUnscheduledPod { .. } | Reason::PodTerminated { .. } => {
                TERMINATION
            }
            Reason::SelectNodeForClaims { .. } => SCHED,
            Reason::BindPod { .. } | Reason::PodUnschedulable { .. } => SCHEDULE_ONE,
            Reason::ProvisionVolume { .. } | Reason::BindClaim { .. } | Reason::ClaimPending { .. } => PV,
            Reason::ContainersStarted { .. } | Reason::PodReady { .. } | Reason::PodNotReady { .. } => KUBELET,
            Reason::ContainerCrashed { .. } | Reason::ContainerRestarted { .. } => CRASH_BACKOFF,
            Reason::NodeKubelet { .. } | Reason::NodeNotReady { .. } | Reason::NodeReady { .. } => NODE_LIFECYCLE,
            Reason::TaintEviction { .. } => TAINT_EVICTION,
            Reason::ForceDeletePod { .. } => FORCE_DELETE,
            Reason::EvictPod { .. } => DRAIN,
            Reason::GarbageCollect { .. } | Reason::Orphan { .. } => GC,
            Reason::AdoptPod { .. } | Reason::ClaimOwnerUpdated { .. } => STS_CONTROL,
            Reason::ClaimBeingDeleted { .. } => STS_POD_CONTROL,
            Reason::ClaimInUse { .. } | Reason::ClaimRemoved { .. } | Reason::VolumeRemoved { .. } => PROTECTION,
            Reason::ReclaimVolume { .. } => PV,
        }
    }

    /// The upstream function that makes the decision, for the "why?" view.
    pub fn upstream_function(&self) -> &'static str {
        match self {
            Reason::UserChange { .. } => "kubectl",
            Reason::CreateClaim { .. } => "createMissingPersistentVolumeClaims",
            Reason::CreatePod { .. } | Reason::DeleteFailedPod { .. } => "processReplica",
            Reason::DeleteCondemnedPod { .. } => "processCondemned",
            Reason::DeletePodForUpdate { .. } => "updateStatefulSet",
            Reason::DeletePod { .. } | Reason::RemoveUnscheduledPod { .. } => "graceful deletion",
            Reason::PodTerminated { .. } => "kubelet syncTerminatingPod",
            Reason::SelectNodeForClaims { .. } => "AssumePodVolumes",
            Reason::BindPod { .. } => "schedulingCycle / bind",
            Reason::PodUnschedulable { .. } => "schedulingCycle",
            Reason::ProvisionVolume { .. } => "provisionClaim",
            Reason::BindClaim { .. } => "syncUnboundClaim",
            Reason::ClaimPending { .. } => "syncUnboundClaim",
            Reason::ContainersStarted { .. } | Reason::PodReady { .. } | Reason::PodNotReady { .. } => {
                "kubelet SyncPod"
            }
            Reason::ContainerCrashed { .. } | Reason::ContainerRestarted { .. } => "kubelet doBackOff",
            Reason::NodeKubelet { .. } => "stsplay fault injection",
            Reason::NodeNotReady { .. } | Reason::NodeReady { .. } => "monitorNodeHealth",
            Reason::TaintEviction { .. } => "NoExecuteTaintManager",
            Reason::ForceDeletePod { .. } => "kubectl delete --force",
            Reason::EvictPod { .. } => "kubectl drain",
            Reason::GarbageCollect { .. } | Reason::Orphan { .. } => "garbage collector",
            Reason::AdoptPod { .. } => "ClaimPods (ControllerRefManager)",
            Reason::ClaimOwnerUpdated { .. } => "updateClaimOwnerRefForSetAndPod",
            Reason::ClaimBeingDeleted { .. } => "createPersistentVolumeClaims",
            Reason::ClaimInUse { .. } | Reason::ClaimRemoved { .. } => "pvc-protection controller",
            Reason::VolumeRemoved { .. } => "pv-protection controller",
            Reason::ReclaimVolume { .. } => "reclaimVolume",
        }
    }

    /// The objects this step touched.
    pub fn objects(&self) -> Vec<ObjectRef> {
        let r =
            |kind, ns: &str, name: &str| ObjectRef { kind, namespace: Some(ns.to_string()), name: name.to_string() };
        match self {
            Reason::UserChange { resource, namespace, name, .. } => {
                vec![ObjectRef { kind: kind_of_resource(resource), namespace: namespace.clone(), name: name.clone() }]
            }
            Reason::CreateClaim { namespace, set, claim, .. } => {
                vec![r("StatefulSet", namespace, set), r("PersistentVolumeClaim", namespace, claim)]
            }
            Reason::CreatePod { namespace, set, pod, .. }
            | Reason::DeleteCondemnedPod { namespace, set, pod, .. }
            | Reason::DeleteFailedPod { namespace, set, pod, .. }
            | Reason::DeletePodForUpdate { namespace, set, pod, .. } => {
                vec![r("StatefulSet", namespace, set), r("Pod", namespace, pod)]
            }
            Reason::DeletePod { namespace, pod, .. }
            | Reason::RemoveUnscheduledPod { namespace, pod }
            | Reason::PodUnschedulable { namespace, pod, .. }
            | Reason::PodReady { namespace, pod } => vec![r("Pod", namespace, pod)],
            Reason::PodTerminated { namespace, pod, node }
            | Reason::BindPod { namespace, pod, node, .. }
            | Reason::ContainersStarted { namespace, pod, node, .. } => {
                vec![r("Pod", namespace, pod), ObjectRef { kind: "Node", namespace: None, name: node.clone() }]
            }
            Reason::SelectNodeForClaims { namespace, pod, node, claims } => {
                let mut v =
                    vec![r("Pod", namespace, pod), ObjectRef { kind: "Node", namespace: None, name: node.clone() }];
                v.extend(claims.iter().map(|c| r("PersistentVolumeClaim", namespace, c)));
                v
            }
            Reason::ProvisionVolume { namespace, claim, volume, .. }
            | Reason::BindClaim { namespace, claim, volume, .. } => {
                vec![
                    r("PersistentVolumeClaim", namespace, claim),
                    ObjectRef { kind: "PersistentVolume", namespace: None, name: volume.clone() },
                ]
            }
            Reason::ClaimBeingDeleted { namespace, set, pod, claim } => vec![
                r("StatefulSet", namespace, set),
                r("Pod", namespace, pod),
                r("PersistentVolumeClaim", namespace, claim),
            ],
            Reason::ClaimPending { namespace, claim, .. }
            | Reason::ClaimInUse { namespace, claim, .. }
            | Reason::ClaimRemoved { namespace, claim }
            | Reason::ClaimOwnerUpdated { namespace, claim, .. } => vec![r("PersistentVolumeClaim", namespace, claim)],
            Reason::PodNotReady { namespace, pod, .. }
            | Reason::ContainerCrashed { namespace, pod, .. }
            | Reason::ContainerRestarted { namespace, pod, .. }
            | Reason::ForceDeletePod { namespace, pod, .. }
            | Reason::AdoptPod { namespace, pod, .. } => vec![r("Pod", namespace, pod)],
            Reason::TaintEviction { namespace, pod, node, .. } | Reason::EvictPod { namespace, pod, node } => {
                vec![r("Pod", namespace, pod), ObjectRef { kind: "Node", namespace: None, name: node.clone() }]
            }
            Reason::NodeKubelet { node, .. } | Reason::NodeNotReady { node, .. } | Reason::NodeReady { node } => {
                vec![ObjectRef { kind: "Node", namespace: None, name: node.clone() }]
            }
            Reason::GarbageCollect { namespace, kind, name, .. } | Reason::Orphan { namespace, kind, name, .. } => {
                vec![r(kind_of_name(kind), namespace, name)]
            }
            Reason::ReclaimVolume { volume, .. } | Reason::VolumeRemoved { volume } => {
                vec![ObjectRef { kind: "PersistentVolume", namespace: None, name: volume.clone() }]
            }
        }
    }

    /// One line of human text.
    pub fn message(&self) -> String {
        match self {
            Reason::UserChange { command, resource, name, verb, .. } => format!("{command}: {resource}/{name} {verb}"),
            Reason::CreateClaim { set, pod, claim, .. } => {
                format!("StatefulSet {set} created PersistentVolumeClaim {claim} for Pod {pod} (claims are created before their pod)")
            }
            Reason::CreatePod { set, pod, ordinal, revision, ordered, .. } => {
                if *ordered {
                    format!("StatefulSet {set} created Pod {pod} (ordinal {ordinal}, revision {revision}): all lower ordinals are Running and Ready")
                } else {
                    format!("StatefulSet {set} created Pod {pod} (ordinal {ordinal}, revision {revision}): Parallel policy creates without waiting")
                }
            }
            Reason::DeleteCondemnedPod { set, pod, ordinal, replicas, .. } => {
                format!("StatefulSet {set} deleted Pod {pod}: ordinal {ordinal} is outside replicas={replicas}; scale-down removes the highest ordinal first")
            }
            Reason::DeleteFailedPod { set, pod, phase, .. } => {
                format!("StatefulSet {set} deleted Pod {pod} because it is {phase}; it will be re-created with the same name")
            }
            Reason::DeletePodForUpdate { set, pod, from_revision, to_revision, .. } => {
                format!("StatefulSet {set} deleted Pod {pod} to update it from revision {from_revision} to {to_revision} (highest ordinal first)")
            }
            Reason::DeletePod { pod, grace_seconds, .. } => {
                format!("Pod {pod} is Terminating: containers get SIGTERM and up to {grace_seconds}s to stop; it leaves the Service's ready endpoints at once")
            }
            Reason::RemoveUnscheduledPod { pod, .. } => {
                format!("Pod {pod} was never scheduled to a node, so it is removed at once")
            }
            Reason::PodTerminated { pod, node, .. } => {
                format!("The kubelet on {node} saw Pod {pod}'s containers exit; the Pod object is removed")
            }
            Reason::SelectNodeForClaims { pod, node, claims, .. } => format!(
                "Scheduler chose {node} for Pod {pod} and annotated {} with volume.kubernetes.io/selected-node (WaitForFirstConsumer): provisioning can start",
                claims.join(", ")
            ),
            Reason::BindPod { pod, node, pinned_by_volume, .. } => match pinned_by_volume {
                Some(v) => format!("Scheduler bound Pod {pod} to {node} (volume {v} is only reachable from {node})"),
                None => format!("Scheduler bound Pod {pod} to {node}"),
            },
            Reason::PodUnschedulable { pod, message, .. } => format!("Pod {pod} is Pending: {message}"),
            Reason::ProvisionVolume { claim, volume, provisioner, node, .. } => match node {
                Some(n) => format!("Provisioner {provisioner} created PersistentVolume {volume} on {n} for claim {claim}"),
                None => format!("Provisioner {provisioner} created PersistentVolume {volume} for claim {claim}"),
            },
            Reason::BindClaim { claim, volume, pre_bound, .. } => {
                if *pre_bound {
                    format!("PV controller bound claim {claim} to volume {volume} (the volume was made for this claim)")
                } else {
                    format!("PV controller bound claim {claim} to volume {volume} (the smallest Available volume that fits)")
                }
            }
            Reason::ClaimPending { claim, message, .. } => format!("Claim {claim} stays Pending: {message}"),
            Reason::ContainersStarted { pod, node, ip, pulled, ready, .. } => {
                let pull = if pulled.is_empty() {
                    String::from("image already present on the node")
                } else {
                    format!("pulled {}", pulled.join(", "))
                };
                if *ready {
                    format!("Pod {pod} is Running and Ready on {node} with IP {ip} ({pull}; no readiness probe, so Ready at once)")
                } else {
                    format!("Pod {pod} is Running on {node} with IP {ip} ({pull}); waiting for its readiness probe")
                }
            }
            Reason::PodReady { pod, .. } => format!("Pod {pod} passed its readiness probe and is Ready"),
            Reason::PodNotReady { pod, failures, .. } => {
                format!("Pod {pod} failed its readiness probe {failures} time(s) in a row and is no longer Ready: it leaves the Service's ready endpoints")
            }
            Reason::ContainerCrashed { pod, container, restarts, backoff_seconds, .. } => {
                if *backoff_seconds == 0 {
                    format!("Container {container} of Pod {pod} exited with an error; the kubelet restarts it (restarts so far: {restarts})")
                } else {
                    format!("Container {container} of Pod {pod} exited with an error again: CrashLoopBackOff, next restart in {backoff_seconds}s (restarts so far: {restarts})")
                }
            }
            Reason::ContainerRestarted { pod, restarts, .. } => format!("The kubelet restarted the container of Pod {pod} (restart {restarts})"),
            Reason::NodeKubelet { node, up } => {
                if *up {
                    format!("node up: the kubelet on {node} runs again and reports status")
                } else {
                    format!("node down: the kubelet on {node} stops; its pods keep their last reported state until the control plane notices")
                }
            }
            Reason::NodeNotReady { node, grace_seconds, pods } => format!(
                "Node {node} sent no status for {grace_seconds}s: Ready=Unknown, tainted node.kubernetes.io/unreachable (NoSchedule, NoExecute); {} marked NotReady",
                if pods.is_empty() {
                    "no pods".to_string()
                } else {
                    pods.iter().map(|(_, p)| p.as_str()).collect::<Vec<_>>().join(", ")
                }
            ),
            Reason::NodeReady { node } => format!("Node {node} is Ready again; the unreachable taints are removed"),
            Reason::TaintEviction { pod, node, toleration_seconds, .. } => format!(
                "Pod {pod} tolerated node.kubernetes.io/unreachable on {node} for {toleration_seconds}s and is evicted (deleted); it stays Terminating until the kubelet confirms or it is force-deleted"
            ),
            Reason::ForceDeletePod { pod, node, .. } => match node {
                Some(n) => format!("Pod {pod} was force-deleted: the object is gone at once, without waiting for the kubelet on {n}"),
                None => format!("Pod {pod} was force-deleted"),
            },
            Reason::EvictPod { pod, node, .. } => format!("kubectl drain evicted Pod {pod} from {node}"),
            Reason::GarbageCollect { owner_kind, owner, kind, name, .. } => {
                format!("Garbage collector deleted {kind} {name}: its owner {owner_kind} {owner} is gone")
            }
            Reason::Orphan { set, kind, name, .. } => {
                format!("{kind} {name} was orphaned: StatefulSet {set} was deleted with --cascade=orphan")
            }
            Reason::AdoptPod { set, pod, .. } => {
                format!("StatefulSet {set} adopted orphan Pod {pod}: its labels match the selector and its name the set")
            }
            Reason::ClaimInUse { claim, pods, .. } => format!(
                "Claim {claim} is Terminating: kubernetes.io/pvc-protection keeps it while {} use(s) it",
                pods.join(", ")
            ),
                        Reason::ClaimRemoved { claim, .. } => format!("Claim {claim} is removed"),
            Reason::ClaimBeingDeleted { set, pod, claim, .. } => format!(
                "StatefulSet {set} did not create Pod {pod}: its claim {claim} is being deleted; it waits for the claim to go, then creates a new one"
            ),
            Reason::ReclaimVolume { volume, policy, claim } => match policy.as_str() {
                "Delete" => format!("Volume {volume} lost its claim {claim}; reclaim policy Delete: the provisioner deletes it"),
                _ => format!("Volume {volume} lost its claim {claim}; reclaim policy {policy}: it is Released and keeps its claimRef (not bound again automatically)"),
            },
            Reason::VolumeRemoved { volume } => format!("PersistentVolume {volume} is removed"),
            Reason::ClaimOwnerUpdated { claim, owner_kind, owner, .. } => format!(
                "Claim {claim} now has owner {owner_kind} {owner} (persistentVolumeClaimRetentionPolicy): it is deleted with its owner"
            ),
        }
    }
}

fn kind_of_name(kind: &str) -> &'static str {
    match kind {
        "Pod" => "Pod",
        "PersistentVolumeClaim" => "PersistentVolumeClaim",
        _ => "Object",
    }
}

fn kind_of_resource(resource: &str) -> &'static str {
    match resource {
        "statefulset.apps" => "StatefulSet",
        "service" => "Service",
        "persistentvolumeclaim" => "PersistentVolumeClaim",
        "persistentvolume" => "PersistentVolume",
        "storageclass.storage.k8s.io" => "StorageClass",
        "node" => "Node",
        "pod" => "Pod",
        _ => "Object",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn statefulset_links_point_into_the_controller() {
        let r = Reason::CreatePod {
            namespace: "default".into(),
            set: "web".into(),
            pod: "web-0".into(),
            ordinal: 0,
            revision: "web-abc".into(),
            ordered: true,
        };
        assert_eq!(r.rule_id(), "statefulset.create-pod");
        assert!(r.upstream().ends_with("stateful_set_control.go"));
        assert_eq!(r.objects().len(), 2);
        assert!(r.message().contains("web-0"));
    }
}
