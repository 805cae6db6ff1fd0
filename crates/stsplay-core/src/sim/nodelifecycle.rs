//! The node lifecycle controller and taint-based eviction, as pure functions.
//! Upstream: `pkg/controller/nodelifecycle/node_lifecycle_controller.go`
//! (`monitorNodeHealth`: no status for `--node-monitor-grace-period`, 50s by
//! default since v1.32 → Ready=Unknown, `node.kubernetes.io/unreachable` NoSchedule and
//! NoExecute taints, `MarkPodsNotReady`), and `pkg/controller/tainteviction`
//! (pods carry a 300s toleration for `unreachable` added by the
//! DefaultTolerationSeconds admission plugin; when it runs out the pod is
//! deleted). The kubelet of an unreachable node cannot confirm the deletion,
//! so the pod stays Terminating until the node returns or it is force-deleted.

use crate::sim::state::*;
use crate::sim::Action;

pub const UNREACHABLE_TAINT: &str = "node.kubernetes.io/unreachable";

pub fn monitor_node_health(c: &Cluster, node: &str) -> Vec<Action> {
    match c.nodes.get(node) {
        Some(n) if !n.kubelet_up && n.ready => vec![Action::MarkNodeNotReady { node: node.to_string() }],
        _ => Vec::new(),
    }
}

pub fn taint_eviction(c: &Cluster, key: &Key, uid: &str) -> Vec<Action> {
    let Some(p) = c.pods.get(key).filter(|p| p.uid == uid) else { return Vec::new() };
    if p.is_terminating() {
        return Vec::new();
    }
    let node_unreachable = p.node.as_deref().and_then(|n| c.nodes.get(n)).is_some_and(|n| !n.ready);
    if !node_unreachable {
        return Vec::new();
    }
    vec![Action::DeletePod {
        pod: key.clone(),
        reason_for: crate::sim::DeleteCause::Controller(crate::reason::Reason::TaintEviction {
            namespace: key.0.clone(),
            pod: key.1.clone(),
            node: p.node.clone().unwrap_or_default(),
            toleration_seconds: p
                .spec
                .tolerations
                .iter()
                .filter(|t| t.tolerates(UNREACHABLE_TAINT, None, "NoExecute"))
                .filter_map(|t| t.toleration_seconds)
                .min()
                .map_or(300, |s| s.max(0) as u64),
        }),
    }]
}
