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
    if p.is_terminating() || p.containers_running {
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
    vec![Action::StartContainers {
        pod: key.clone(),
        pulled,
    }]
}

pub fn readiness_probe(c: &Cluster, key: &Key, uid: &str) -> Vec<Action> {
    match live_pod(c, key, uid) {
        Some(p) if !p.is_terminating() && p.containers_running && !p.ready => {
            vec![Action::MarkReady { pod: key.clone() }]
        }
        _ => Vec::new(),
    }
}

pub fn containers_stopped(c: &Cluster, key: &Key, uid: &str) -> Vec<Action> {
    match live_pod(c, key, uid) {
        Some(p) if p.is_terminating() => vec![Action::RemovePod { pod: key.clone() }],
        _ => Vec::new(),
    }
}
