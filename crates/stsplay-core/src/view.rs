//! Plain view types: what the CLI's `--json` and the web UI render, and the
//! one function that derives them from the cluster state ([`snapshot`]).
//!
//! A [`Snapshot`] holds no references into the state, so it is cheap to keep,
//! compare and serialize. Key names are the CLI's JSON contract.
//!
//! Imports go one way: `view` reads `sim::state` and `dns`, and neither
//! imports `view` (`DnsRecordView` is `dns`'s record type, re-exported here).

use serde::Serialize;

pub use crate::dns::DnsRecordView;
use crate::sim::state::{access_modes_short, natural_cmp, Cluster};
use crate::sim::Simulation;
use crate::timefmt::human_duration;

#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Snapshot {
    pub time_seconds: u64,
    pub statefulsets: Vec<StatefulSetView>,
    pub pods: Vec<PodView>,
    pub pvcs: Vec<ClaimView>,
    pub pvs: Vec<VolumeView>,
    pub nodes: Vec<NodeView>,
    pub dns: Vec<DnsRecordView>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct StatefulSetView {
    pub namespace: String,
    pub name: String,
    pub replicas: i32,
    pub status: StatefulSetStatusView,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct StatefulSetStatusView {
    pub replicas: i32,
    pub ready_replicas: i32,
    pub current_replicas: i32,
    pub updated_replicas: i32,
    pub available_replicas: i32,
    pub current_revision: String,
    pub update_revision: String,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct PodView {
    pub namespace: String,
    pub name: String,
    /// `Pending`, `Running`, `Succeeded`, `Failed` or `Unknown`.
    pub phase: String,
    pub ready: bool,
    /// The STATUS column of `kubectl get pods` (e.g. `ContainerCreating`, `Terminating`).
    pub status: String,
    /// READY column, e.g. `1/1` (not part of the JSON contract).
    #[serde(skip)]
    pub ready_containers: String,
    pub node: Option<String>,
    pub ip: Option<String>,
    pub restarts: u32,
    /// The pod's `controller-revision-hash` label.
    pub revision: Option<String>,
    pub terminating: bool,
    /// AGE column as kubectl prints it, e.g. `12s` (not part of the JSON contract).
    #[serde(skip)]
    pub age: String,
    /// The controlling StatefulSet's name (the pod's controller ownerReference);
    /// `None` for an orphan.
    pub stateful_set: Option<String>,
    /// The pod's ordinal within its StatefulSet (`getOrdinal`,
    /// stateful_set_utils.go), when it has one.
    pub ordinal: Option<i32>,
    /// The claims its volumes name (`persistentVolumeClaim.claimName`), in
    /// volume order.
    pub claims: Vec<String>,
    /// Whether a container has a readiness probe (`pod unready` needs one);
    /// not part of the JSON contract.
    #[serde(skip)]
    pub readiness_probe: bool,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ClaimView {
    pub namespace: String,
    pub name: String,
    pub phase: String,
    pub volume: Option<String>,
    pub storage_class: Option<String>,
    /// As kubectl prints it (e.g. `1Gi`); `None` while unbound.
    pub capacity: Option<String>,
    /// ACCESS MODES column, e.g. `RWO` (not part of the JSON contract).
    #[serde(skip)]
    pub access_modes: String,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct VolumeView {
    pub name: String,
    pub phase: String,
    /// `namespace/name` of the bound claim.
    pub claim: Option<String>,
    pub storage_class: Option<String>,
    pub capacity: String,
    pub reclaim_policy: String,
    /// ACCESS MODES column, e.g. `RWO` (not part of the JSON contract).
    #[serde(skip)]
    pub access_modes: String,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct NodeView {
    pub name: String,
    pub ready: bool,
    pub schedulable: bool,
}

impl Simulation {
    /// The view of the cluster now.
    pub fn snapshot(&self) -> Snapshot {
        snapshot(self.cluster(), self.now_ms())
    }
}

fn ns_name_cmp(a: (&str, &str), b: (&str, &str)) -> std::cmp::Ordering {
    a.0.cmp(b.0).then_with(|| natural_cmp(a.1, b.1))
}

/// Derives the plain view of the cluster.
pub fn snapshot(c: &Cluster, now_ms: u64) -> Snapshot {
    let mut statefulsets: Vec<StatefulSetView> = c
        .sets
        .values()
        .map(|s| StatefulSetView {
            namespace: s.set.meta.namespace.clone().unwrap_or_default(),
            name: s.set.meta.name.clone(),
            replicas: s.set.spec.replicas,
            status: StatefulSetStatusView {
                replicas: s.status.replicas,
                ready_replicas: s.status.ready_replicas,
                current_replicas: s.status.current_replicas,
                updated_replicas: s.status.updated_replicas,
                available_replicas: s.status.available_replicas,
                current_revision: s.status.current_revision.clone(),
                update_revision: s.status.update_revision.clone(),
            },
        })
        .collect();
    crate::sort::sort_by(&mut statefulsets, |a, b| ns_name_cmp((&a.namespace, &a.name), (&b.namespace, &b.name)));
    let mut pods: Vec<PodView> = c
        .pods
        .values()
        .map(|p| PodView {
            namespace: p.namespace.clone(),
            name: p.name.clone(),
            phase: p.phase.as_str().to_string(),
            ready: p.ready,
            status: p.status_text(),
            ready_containers: p.ready_containers(),
            node: p.node.clone(),
            ip: p.ip.clone(),
            restarts: p.restarts,
            revision: p.revision.clone(),
            terminating: p.is_terminating(),
            age: human_duration(now_ms.saturating_sub(p.created_ms)),
            stateful_set: p.owner.clone(),
            ordinal: p.ordinal,
            claims: p.spec.claim_volumes.iter().map(|(_, claim)| claim.clone()).collect(),
            readiness_probe: p.spec.containers.iter().any(|c| c.readiness_probe.is_some()),
        })
        .collect();
    crate::sort::sort_by(&mut pods, |a, b| ns_name_cmp((&a.namespace, &a.name), (&b.namespace, &b.name)));
    let mut pvcs: Vec<ClaimView> = c
        .claims
        .values()
        .map(|cl| ClaimView {
            namespace: cl.namespace.clone(),
            name: cl.name.clone(),
            phase: cl.phase.as_str().to_string(),
            volume: cl.volume.clone(),
            storage_class: cl.storage_class.clone(),
            capacity: cl.capacity.as_ref().map(|q| q.text.clone()),
            access_modes: access_modes_short(&cl.bound_access_modes),
        })
        .collect();
    crate::sort::sort_by(&mut pvcs, |a, b| ns_name_cmp((&a.namespace, &a.name), (&b.namespace, &b.name)));
    let mut pvs: Vec<VolumeView> = c
        .volumes
        .values()
        .map(|v| VolumeView {
            name: v.name.clone(),
            phase: v.phase.as_str().to_string(),
            claim: v.claim_ref.as_ref().map(|r| format!("{}/{}", r.namespace, r.name)),
            storage_class: (!v.storage_class.is_empty()).then(|| v.storage_class.clone()),
            capacity: v.capacity.text.clone(),
            reclaim_policy: v.reclaim_policy.clone(),
            access_modes: access_modes_short(&v.access_modes),
        })
        .collect();
    crate::sort::sort_by(&mut pvs, |a, b| natural_cmp(&a.name, &b.name));
    let nodes = c
        .nodes
        .values()
        .map(|n| NodeView { name: n.name().to_string(), ready: n.ready, schedulable: !n.node.unschedulable })
        .collect();
    Snapshot { time_seconds: now_ms / 1000, statefulsets, pods, pvcs, pvs, nodes, dns: crate::dns::records(c) }
}
