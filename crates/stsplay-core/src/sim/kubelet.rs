//! The kubelet, as pure functions: start containers (pulling images the node
//! lacks), report readiness, and remove a pod once its containers stopped.
//! See the "Pod Lifecycle" page on kubernetes.io.

use crate::sim::state::*;
use crate::sim::Action;

fn live_pod<'a>(c: &'a Cluster, key: &Key, uid: &str) -> Option<&'a Pod> {
    c.pods.get(key).filter(|p| p.uid == uid)
}

pub fn containers_started(c: &Cluster, key: &Key, uid: &str) -> Vec<Action> {
    let Some(p) = live_pod(c, key, uid) else {
        return Vec::new();
    };
    if p.is_terminating() || p.containers_running || !kubelet_up(c, p) {
        return Vec::new();
    }
    let Some(node) = p.node.as_deref().and_then(|n| c.nodes.get(n)) else {
        return Vec::new();
    };
    let mut pulled: Vec<String> = Vec::new();
    for container in &p.spec.containers {
        if !node.images.contains(&container.image) && !pulled.contains(&container.image) {
            pulled.push(container.image.clone());
        }
    }
    vec![Action::StartContainers { pod: key.clone(), pulled }]
}

pub fn readiness_probe(c: &Cluster, key: &Key, uid: &str) -> Vec<Action> {
    match live_pod(c, key, uid) {
        Some(p) if !p.is_terminating() && p.containers_running && !p.ready && !p.probe_failing && kubelet_up(c, p) => {
            vec![Action::MarkReady { pod: key.clone() }]
        }
        _ => Vec::new(),
    }
}

pub fn containers_stopped(c: &Cluster, key: &Key, uid: &str) -> Vec<Action> {
    match live_pod(c, key, uid) {
        Some(p) if p.is_terminating() && kubelet_up(c, p) => vec![Action::RemovePod { pod: key.clone() }],
        _ => Vec::new(),
    }
}

/// The kubelet of the pod's node is running (a stopped kubelet acts on nothing).
fn kubelet_up(c: &Cluster, p: &Pod) -> bool {
    p.node.as_deref().and_then(|n| c.nodes.get(n)).is_some_and(|n| n.kubelet_up)
}

pub fn restart_container(c: &Cluster, key: &Key, uid: &str) -> Vec<Action> {
    match live_pod(c, key, uid) {
        Some(p) if !p.is_terminating() && !p.containers_running && kubelet_up(c, p) => {
            vec![Action::RestartContainer { pod: key.clone() }]
        }
        _ => Vec::new(),
    }
}

pub fn crash_container(c: &Cluster, key: &Key, uid: &str) -> Vec<Action> {
    match live_pod(c, key, uid) {
        Some(p) if !p.is_terminating() && p.containers_running && p.crash_looping && kubelet_up(c, p) => {
            vec![Action::CrashContainer { pod: key.clone() }]
        }
        _ => Vec::new(),
    }
}

pub fn probe_failing(c: &Cluster, key: &Key, uid: &str) -> Vec<Action> {
    let Some(p) = live_pod(c, key, uid) else { return Vec::new() };
    if p.is_terminating() || !p.probe_failing || !p.ready || !kubelet_up(c, p) {
        return Vec::new();
    }
    let failures =
        p.spec.containers.iter().filter_map(|c| c.readiness_probe.as_ref()).map(|pr| pr.failure_threshold).max();
    vec![Action::MarkNotReady { pod: key.clone(), failures: failures.unwrap_or(1) }]
}

/// Back-off before the kubelet restarts a crashed container for the
/// `restarts`-th time: immediately the first time, then 10s doubling up to
/// 300s (`pkg/kubelet/kuberuntime` `doBackOff`, MaxContainerBackOff).
pub fn crash_backoff_ms(restarts: u32) -> u64 {
    if restarts == 0 {
        return 0;
    }
    let doublings = (restarts - 1).min(10);
    (10_000u64 << doublings).min(300_000)
}

#[cfg(test)]
mod tests {
    #[test]
    fn backoff_doubles_to_five_minutes() {
        let b: Vec<u64> = (0..8).map(super::crash_backoff_ms).collect();
        assert_eq!(b, [0, 10_000, 20_000, 40_000, 80_000, 160_000, 300_000, 300_000]);
    }
}
