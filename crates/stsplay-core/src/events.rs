//! Kubernetes Events, derived from the step log (never stored): each step's
//! reason maps to the events the responsible component records upstream —
//! the StatefulSet controller (`SuccessfulCreate`, `SuccessfulDelete`), the
//! scheduler (`Scheduled`, `FailedScheduling`), the PV controller and the
//! external provisioner (`WaitForFirstConsumer`, `ExternalProvisioning`,
//! `Provisioning`, `ProvisioningSucceeded`, `FailedBinding`), the kubelet
//! (`Pulling`, `Pulled`, `Created`, `Started`, `Killing`, `BackOff`,
//! `Unhealthy`), the node lifecycle controller (`NodeNotReady`, `NodeReady`)
//! and taint eviction (`TaintManagerEviction`). Repeated events on one object
//! with the same reason and message are aggregated (count, first/last seen).

use crate::reason::Reason;
use crate::sim::Step;

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct KubeEvent {
    pub namespace: String,
    /// `pod`, `statefulset`, `persistentvolumeclaim`, `node`.
    pub object_kind: &'static str,
    pub object_name: String,
    pub event_type: &'static str,
    pub reason: &'static str,
    pub message: String,
    /// The component that recorded it (describe's "From" column).
    pub source: String,
    pub first_ms: u64,
    pub last_ms: u64,
    pub count: u32,
}

fn ev(
    ns: &str,
    kind: &'static str,
    name: &str,
    ty: &'static str,
    reason: &'static str,
    source: &str,
    message: String,
) -> (String, &'static str, String, &'static str, &'static str, String, String) {
    (ns.to_string(), kind, name.to_string(), ty, reason, source.to_string(), message)
}

/// Go's `time.Duration.String()` of a duration truncated to milliseconds.
fn seconds(ms: u64) -> String {
    let whole = ms / 1000;
    let frac = ms % 1000;
    if frac == 0 {
        format!("{whole}s")
    } else {
        format!("{whole}.{}s", format!("{frac:03}").trim_end_matches('0'))
    }
}

/// An image's size for the Pulled event. stsplay has no registry: the size is
/// a stable stand-in derived from the image name (10–60 MB), not the real one.
fn image_size_bytes(image: &str) -> u64 {
    let mut h: u32 = 0x811c_9dc5;
    for b in image.bytes() {
        h ^= u32::from(b);
        h = h.wrapping_mul(0x0100_0193);
    }
    10_000_000 + u64::from(h) % 50_000_000
}

/// All events, aggregated, in recording order of their first occurrence.
pub fn events(steps: &[Step]) -> Vec<KubeEvent> {
    let mut out: Vec<KubeEvent> = Vec::new();
    for step in steps {
        for (namespace, object_kind, object_name, event_type, reason, source, message) in step_events(&step.reason) {
            if let Some(e) = out.iter_mut().find(|e| {
                e.namespace == namespace
                    && e.object_kind == object_kind
                    && e.object_name == object_name
                    && e.reason == reason
                    && e.message == message
            }) {
                e.count += 1;
                e.last_ms = step.time_ms;
                continue;
            }
            out.push(KubeEvent {
                namespace,
                object_kind,
                object_name,
                event_type,
                reason,
                message,
                source,
                first_ms: step.time_ms,
                last_ms: step.time_ms,
                count: 1,
            });
        }
    }
    out
}

type Row = (String, &'static str, String, &'static str, &'static str, String, String);

fn step_events(r: &Reason) -> Vec<Row> {
    const STS: &str = "statefulset-controller";
    const SCHED: &str = "default-scheduler";
    const PVC: &str = "persistentvolume-controller";
    match r {
        Reason::CreateClaim { namespace, set, pod, claim } => vec![ev(
            namespace,
            "statefulset",
            set,
            "Normal",
            "SuccessfulCreate",
            STS,
            format!("create Claim {claim} Pod {pod} in StatefulSet {set} success"),
        )],
        Reason::CreatePod { namespace, set, pod, .. } => vec![ev(
            namespace,
            "statefulset",
            set,
            "Normal",
            "SuccessfulCreate",
            STS,
            format!("create Pod {pod} in StatefulSet {set} successful"),
        )],
        Reason::DeleteCondemnedPod { namespace, set, pod, .. }
        | Reason::DeleteFailedPod { namespace, set, pod, .. }
        | Reason::DeletePodForUpdate { namespace, set, pod, .. } => vec![ev(
            namespace,
            "statefulset",
            set,
            "Normal",
            "SuccessfulDelete",
            STS,
            format!("delete Pod {pod} in StatefulSet {set} successful"),
        )],
        Reason::ClaimBeingDeleted { namespace, set, pod, claim } => vec![ev(
            namespace,
            "statefulset",
            set,
            "Warning",
            "FailedCreate",
            STS,
            format!("create Pod {pod} in StatefulSet {set} failed error: pvc {claim} is being deleted"),
        )],
        Reason::DeletePod { namespace, pod, containers, .. } => containers
            .iter()
            .map(|c| {
                ev(namespace, "pod", pod, "Normal", "Killing", "kubelet", format!("Stopping container {}", c.name))
            })
            .collect(),
        Reason::BindPod { namespace, pod, node, .. } => vec![ev(
            namespace,
            "pod",
            pod,
            "Normal",
            "Scheduled",
            SCHED,
            format!("Successfully assigned {namespace}/{pod} to {node}"),
        )],
        Reason::PodUnschedulable { namespace, pod, message } => {
            vec![ev(namespace, "pod", pod, "Warning", "FailedScheduling", SCHED, message.clone())]
        }
        Reason::ClaimPending { namespace, claim, message } => {
            let (ty, reason) = if message.starts_with("waiting for first consumer") {
                ("Normal", "WaitForFirstConsumer")
            } else if message.starts_with("waiting for pod ") {
                ("Normal", "WaitForPodScheduled")
            } else if message.starts_with("Cannot bind to requested volume") || message.starts_with("volume \"") {
                ("Warning", "VolumeMismatch")
            } else if message.starts_with("Waiting for a volume to be created") {
                ("Normal", "ExternalProvisioning")
            } else if message.starts_with("storageclass") {
                ("Warning", "ProvisioningFailed")
            } else {
                ("Normal", "FailedBinding")
            };
            let mut v = vec![ev(namespace, "persistentvolumeclaim", claim, ty, reason, PVC, message.clone())];
            if reason == "ExternalProvisioning" {
                let provisioner = message.split('\'').nth(1).unwrap_or_default().to_string();
                v.push(ev(
                    namespace,
                    "persistentvolumeclaim",
                    claim,
                    "Normal",
                    "Provisioning",
                    &provisioner,
                    format!("External provisioner is provisioning volume for claim \"{namespace}/{claim}\""),
                ));
            }
            v
        }
        Reason::ProvisionVolume { namespace, claim, volume, provisioner, .. } => vec![ev(
            namespace,
            "persistentvolumeclaim",
            claim,
            "Normal",
            "ProvisioningSucceeded",
            provisioner,
            format!("Successfully provisioned volume {volume}"),
        )],
        Reason::ContainersStarted { namespace, pod, pulled, containers, pull_ms, .. } => {
            let mut v = Vec::new();
            for c in containers {
                if pulled.contains(&c.image) {
                    v.push(ev(
                        namespace,
                        "pod",
                        pod,
                        "Normal",
                        "Pulling",
                        "kubelet",
                        format!("Pulling image \"{}\"", c.image),
                    ));
                    let took = seconds(*pull_ms);
                    v.push(ev(
                        namespace,
                        "pod",
                        pod,
                        "Normal",
                        "Pulled",
                        "kubelet",
                        format!(
                            "Successfully pulled image \"{}\" in {took} ({took} including waiting). Image size: {} bytes.",
                            c.image,
                            image_size_bytes(&c.image)
                        ),
                    ));
                } else {
                    v.push(ev(
                        namespace,
                        "pod",
                        pod,
                        "Normal",
                        "Pulled",
                        "kubelet",
                        format!("Container image \"{}\" already present on machine", c.image),
                    ));
                }
                v.push(ev(
                    namespace,
                    "pod",
                    pod,
                    "Normal",
                    "Created",
                    "kubelet",
                    format!("Created container: {}", c.name),
                ));
                v.push(ev(
                    namespace,
                    "pod",
                    pod,
                    "Normal",
                    "Started",
                    "kubelet",
                    format!("Started container {}", c.name),
                ));
            }
            v
        }
        Reason::ContainerRestarted { namespace, pod, containers, .. } => containers
            .iter()
            .flat_map(|c| {
                [
                    ev(
                        namespace,
                        "pod",
                        pod,
                        "Normal",
                        "Pulled",
                        "kubelet",
                        format!("Container image \"{}\" already present on machine", c.image),
                    ),
                    ev(namespace, "pod", pod, "Normal", "Created", "kubelet", format!("Created container: {}", c.name)),
                    ev(namespace, "pod", pod, "Normal", "Started", "kubelet", format!("Started container {}", c.name)),
                ]
            })
            .collect(),
        Reason::ContainerCrashed { namespace, pod, uid, container, backoff_seconds, .. } if *backoff_seconds > 0 => {
            vec![ev(
                namespace,
                "pod",
                pod,
                "Warning",
                "BackOff",
                "kubelet",
                format!("Back-off restarting failed container {container} in pod {pod}_{namespace}({uid})"),
            )]
        }
        Reason::PodNotReady { namespace, pod, .. } => {
            vec![ev(namespace, "pod", pod, "Warning", "Unhealthy", "kubelet", "Readiness probe failed".to_string())]
        }
        Reason::NodeNotReady { node, pods, .. } => {
            let mut v = vec![ev(
                "default",
                "node",
                node,
                "Normal",
                "NodeNotReady",
                "node-controller",
                format!("Node {node} status is now: NodeNotReady"),
            )];
            v.extend(pods.iter().map(|(ns, p)| {
                ev(ns, "pod", p, "Warning", "NodeNotReady", "node-controller", "Node is not ready".to_string())
            }));
            v
        }
        Reason::NodeReady { node } => vec![ev(
            "default",
            "node",
            node,
            "Normal",
            "NodeReady",
            "kubelet",
            format!("Node {node} status is now: NodeReady"),
        )],
        Reason::TaintEviction { namespace, pod, .. } => vec![ev(
            namespace,
            "pod",
            pod,
            "Normal",
            "TaintManagerEviction",
            "taint-eviction-controller",
            format!("Marking for deletion Pod {namespace}/{pod}"),
        )],
        _ => Vec::new(),
    }
}
