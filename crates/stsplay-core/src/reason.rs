//! Why a step happened, as structured data: a rule (what upstream code path
//! this mirrors), the objects involved, and values. Text is rendered from it
//! at the edge ([`Reason::message`]); the web UI and the CLI never parse it.

use serde::Serialize;

const STS_CONTROL: &str = "https://github.com/kubernetes/kubernetes/blob/master/pkg/controller/statefulset/stateful_set_control.go";
const STS_POD_CONTROL: &str = "https://github.com/kubernetes/kubernetes/blob/master/pkg/controller/statefulset/stateful_pod_control.go";
const PV: &str = "https://github.com/kubernetes/kubernetes/blob/master/pkg/controller/volume/persistentvolume/pv_controller.go";
const SCHED: &str = "https://github.com/kubernetes/kubernetes/blob/master/pkg/scheduler/framework/plugins/volumebinding/binder.go";
const SCHEDULE_ONE: &str =
    "https://github.com/kubernetes/kubernetes/blob/master/pkg/scheduler/schedule_one.go";
const KUBELET: &str = "https://kubernetes.io/docs/concepts/workloads/pods/pod-lifecycle/";
const TERMINATION: &str =
    "https://kubernetes.io/docs/concepts/workloads/pods/pod-lifecycle/#pod-termination";
const KUBECTL: &str = "https://kubernetes.io/docs/reference/kubectl/";

/// A reference to an API object, as `kind/namespace/name` parts.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ObjectRef {
    pub kind: &'static str,
    pub namespace: Option<String>,
    pub name: String,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(tag = "rule", rename_all = "camelCase")]
pub enum Reason {
    /// A user command changed an object (`kubectl apply`, `scale`, ...).
    #[serde(rename_all = "camelCase")]
    UserChange {
        command: String,
        resource: String,
        namespace: Option<String>,
        name: String,
        verb: String,
    },
    /// `createMissingPersistentVolumeClaims` (stateful_pod_control.go): claims
    /// from `volumeClaimTemplates` are created before the pod.
    #[serde(rename_all = "camelCase")]
    CreateClaim {
        namespace: String,
        set: String,
        pod: String,
        claim: String,
    },
    /// `processReplica` (stateful_set_control.go): a missing ordinal is created.
    #[serde(rename_all = "camelCase")]
    CreatePod {
        namespace: String,
        set: String,
        pod: String,
        ordinal: i32,
        revision: String,
        ordered: bool,
    },
    /// `processCondemned`: ordinals beyond `replicas` go, highest first.
    #[serde(rename_all = "camelCase")]
    DeleteCondemnedPod {
        namespace: String,
        set: String,
        pod: String,
        ordinal: i32,
        replicas: i32,
    },
    /// `processReplica`: a Failed or Succeeded pod is deleted to be re-created.
    #[serde(rename_all = "camelCase")]
    DeleteFailedPod {
        namespace: String,
        set: String,
        pod: String,
        phase: String,
    },
    /// `updateStatefulSet`: RollingUpdate deletes the highest ordinal not at the update revision.
    #[serde(rename_all = "camelCase")]
    DeletePodForUpdate {
        namespace: String,
        set: String,
        pod: String,
        from_revision: String,
        to_revision: String,
    },
    /// A user deleted a pod; graceful termination starts.
    #[serde(rename_all = "camelCase")]
    DeletePod {
        namespace: String,
        pod: String,
        grace_seconds: i64,
    },
    /// Graceful deletion: an unscheduled pod is removed at once.
    #[serde(rename_all = "camelCase")]
    RemoveUnscheduledPod { namespace: String, pod: String },
    /// The kubelet saw every container stop and the pod object is removed.
    #[serde(rename_all = "camelCase")]
    PodTerminated {
        namespace: String,
        pod: String,
        node: String,
    },
    /// Scheduler `VolumeBinding` plugin: WaitForFirstConsumer claims get the chosen node.
    #[serde(rename_all = "camelCase")]
    SelectNodeForClaims {
        namespace: String,
        pod: String,
        node: String,
        claims: Vec<String>,
    },
    /// Scheduler: the pod is bound to a node.
    #[serde(rename_all = "camelCase")]
    BindPod {
        namespace: String,
        pod: String,
        node: String,
        pinned_by_volume: Option<String>,
    },
    /// Scheduler: no node fits; the pod stays Pending.
    #[serde(rename_all = "camelCase")]
    PodUnschedulable {
        namespace: String,
        pod: String,
        message: String,
    },
    /// PV controller `provisionClaim`: the class's provisioner creates a volume.
    #[serde(rename_all = "camelCase")]
    ProvisionVolume {
        namespace: String,
        claim: String,
        volume: String,
        provisioner: String,
        node: Option<String>,
    },
    /// PV controller `syncUnboundClaim` → `bind`.
    #[serde(rename_all = "camelCase")]
    BindClaim {
        namespace: String,
        claim: String,
        volume: String,
        pre_bound: bool,
    },
    /// PV controller `syncUnboundClaim`: the claim stays Pending, with the event text.
    #[serde(rename_all = "camelCase")]
    ClaimPending {
        namespace: String,
        claim: String,
        message: String,
    },
    /// The kubelet started the containers (pulling the image first if needed).
    #[serde(rename_all = "camelCase")]
    ContainersStarted {
        namespace: String,
        pod: String,
        node: String,
        ip: String,
        pulled: Vec<String>,
        ready: bool,
    },
    /// The readiness probe succeeded.
    #[serde(rename_all = "camelCase")]
    PodReady { namespace: String, pod: String },
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
            Reason::DeletePod { .. }
            | Reason::RemoveUnscheduledPod { .. }
            | Reason::PodTerminated { .. } => TERMINATION,
            Reason::SelectNodeForClaims { .. } => SCHED,
            Reason::BindPod { .. } | Reason::PodUnschedulable { .. } => SCHEDULE_ONE,
            Reason::ProvisionVolume { .. }
            | Reason::BindClaim { .. }
            | Reason::ClaimPending { .. } => PV,
            Reason::ContainersStarted { .. } | Reason::PodReady { .. } => KUBELET,
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
            Reason::ContainersStarted { .. } | Reason::PodReady { .. } => "kubelet SyncPod",
        }
    }

    /// The objects this step touched.
    pub fn objects(&self) -> Vec<ObjectRef> {
        let r = |kind, ns: &str, name: &str| ObjectRef {
            kind,
            namespace: Some(ns.to_string()),
            name: name.to_string(),
        };
        match self {
            Reason::UserChange {
                resource,
                namespace,
                name,
                ..
            } => {
                vec![ObjectRef {
                    kind: kind_of_resource(resource),
                    namespace: namespace.clone(),
                    name: name.clone(),
                }]
            }
            Reason::CreateClaim {
                namespace,
                set,
                claim,
                ..
            } => {
                vec![
                    r("StatefulSet", namespace, set),
                    r("PersistentVolumeClaim", namespace, claim),
                ]
            }
            Reason::CreatePod {
                namespace,
                set,
                pod,
                ..
            }
            | Reason::DeleteCondemnedPod {
                namespace,
                set,
                pod,
                ..
            }
            | Reason::DeleteFailedPod {
                namespace,
                set,
                pod,
                ..
            }
            | Reason::DeletePodForUpdate {
                namespace,
                set,
                pod,
                ..
            } => {
                vec![r("StatefulSet", namespace, set), r("Pod", namespace, pod)]
            }
            Reason::DeletePod { namespace, pod, .. }
            | Reason::RemoveUnscheduledPod { namespace, pod }
            | Reason::PodUnschedulable { namespace, pod, .. }
            | Reason::PodReady { namespace, pod } => vec![r("Pod", namespace, pod)],
            Reason::PodTerminated {
                namespace,
                pod,
                node,
            }
            | Reason::BindPod {
                namespace,
                pod,
                node,
                ..
            }
            | Reason::ContainersStarted {
                namespace,
                pod,
                node,
                ..
            } => {
                vec![
                    r("Pod", namespace, pod),
                    ObjectRef {
                        kind: "Node",
                        namespace: None,
                        name: node.clone(),
                    },
                ]
            }
            Reason::SelectNodeForClaims {
                namespace,
                pod,
                node,
                claims,
            } => {
                let mut v = vec![
                    r("Pod", namespace, pod),
                    ObjectRef {
                        kind: "Node",
                        namespace: None,
                        name: node.clone(),
                    },
                ];
                v.extend(
                    claims
                        .iter()
                        .map(|c| r("PersistentVolumeClaim", namespace, c)),
                );
                v
            }
            Reason::ProvisionVolume {
                namespace,
                claim,
                volume,
                ..
            }
            | Reason::BindClaim {
                namespace,
                claim,
                volume,
                ..
            } => {
                vec![
                    r("PersistentVolumeClaim", namespace, claim),
                    ObjectRef {
                        kind: "PersistentVolume",
                        namespace: None,
                        name: volume.clone(),
                    },
                ]
            }
            Reason::ClaimPending {
                namespace, claim, ..
            } => vec![r("PersistentVolumeClaim", namespace, claim)],
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
        }
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
