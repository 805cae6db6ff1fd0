//! Plain view types: what the CLI's `--json` and the web UI render.
//!
//! A [`Snapshot`] is derived from the cluster state in one place
//! ([`crate::Simulation::snapshot`]) and holds no references into it, so it is
//! cheap to keep, compare and serialize. Key names are the CLI's JSON contract.

use serde::Serialize;

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

#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct DnsRecordView {
    pub name: String,
    /// `A`, `SRV` or `PTR`.
    #[serde(rename = "type")]
    pub record_type: String,
    pub data: String,
}
