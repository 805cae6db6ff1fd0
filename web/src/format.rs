//! Pure text helpers for the views (no DOM, unit-tested natively).

use stsplay_core::{PodView, StatefulSetView};

/// `12400` → `"12.4"` (seconds, one decimal): the core's format.
pub use stsplay_core::timefmt::seconds;

/// The virtual clock line, e.g. `t = 12.4 s`.
pub fn clock(ms: u64) -> String {
    format!("t = {} s", seconds(ms))
}

/// A CSS class for a pod's STATUS column (or a claim's/volume's phase).
pub fn status_class(status: &str) -> &'static str {
    match status {
        "Running" | "Bound" | "Available" | "Completed" | "Succeeded" => "ok",
        "Pending" | "ContainerCreating" | "PodInitializing" | "Released" => "wait",
        "Terminating" => "gone",
        s if s.starts_with("Init:") => "wait",
        _ => "bad",
    }
}

/// kubectl prints `<none>` for empty optional columns of `get pods -o wide`.
pub fn or_none(value: &Option<String>) -> String {
    value.clone().unwrap_or_else(|| "<none>".to_string())
}

/// A pod's display name: namespaced unless it is in `default`.
pub fn qualified(namespace: &str, name: &str) -> String {
    if namespace.is_empty() || namespace == "default" {
        name.to_string()
    } else {
        format!("{namespace}/{name}")
    }
}

/// Whether `sts` controls `pod` (its controller ownerReference, as the core
/// reports it; orphans and look-alike names are not counted).
pub fn owned_by(sts: &StatefulSetView, pod: &PodView) -> bool {
    pod.namespace == sts.namespace && pod.stateful_set.as_deref() == Some(sts.name.as_str())
}

/// Counts of the STATUS column among `sts`'s pods, in first-seen order.
pub fn status_counts(sts: &StatefulSetView, pods: &[PodView]) -> Vec<(String, usize)> {
    let mut counts: Vec<(String, usize)> = Vec::new();
    for pod in pods.iter().filter(|p| owned_by(sts, p)) {
        match counts.iter_mut().find(|(s, _)| *s == pod.status) {
            Some((_, n)) => *n += 1,
            None => counts.push((pod.status.clone(), 1)),
        }
    }
    counts
}

/// The STATUS column of `kubectl get nodes`: `Ready`, `NotReady`, with
/// `,SchedulingDisabled` when cordoned.
pub fn node_status(n: &stsplay_core::NodeView) -> String {
    let ready = if n.ready { "Ready" } else { "NotReady" };
    if n.schedulable {
        ready.to_string()
    } else {
        format!("{ready},SchedulingDisabled")
    }
}

/// `READY n/m` as `kubectl get statefulsets` prints it.
pub fn sts_ready(sts: &StatefulSetView) -> String {
    format!("{}/{}", sts.status.ready_replicas, sts.replicas)
}

#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests {
    use super::*;
    use stsplay_core::StatefulSetStatusView;

    /// A pod named `<owner>-<n>` owned by `owner`, or an orphan (`owner` empty).
    fn pod(ns: &str, owner: &str, name: &str, status: &str) -> PodView {
        PodView {
            namespace: ns.into(),
            name: name.into(),
            phase: "Running".into(),
            ready: true,
            status: status.into(),
            ready_containers: "1/1".into(),
            node: None,
            ip: None,
            restarts: 0,
            revision: None,
            terminating: false,
            age: "1s".into(),
            stateful_set: (!owner.is_empty()).then(|| owner.to_string()),
            ordinal: None,
            claims: Vec::new(),
            readiness_probe: false,
        }
    }

    fn sts(name: &str) -> StatefulSetView {
        StatefulSetView {
            namespace: "default".into(),
            name: name.into(),
            replicas: 3,
            status: StatefulSetStatusView {
                replicas: 2,
                ready_replicas: 1,
                current_replicas: 2,
                updated_replicas: 2,
                available_replicas: 1,
                current_revision: String::new(),
                update_revision: String::new(),
            },
        }
    }

    #[test]
    fn formats_time() {
        assert_eq!(clock(0), "t = 0.0 s");
        assert_eq!(clock(12_400), "t = 12.4 s");
        assert_eq!(seconds(12_499), "12.4");
        assert_eq!(seconds(61_050), "61.0");
    }

    #[test]
    fn counts_statuses_of_owned_pods_only() {
        let pods = vec![
            pod("default", "web", "web-0", "Running"),
            pod("default", "web", "web-1", "ContainerCreating"),
            pod("default", "web", "web-2", "Running"),
            pod("default", "webby", "webby-0", "Running"),
            pod("other", "web", "web-3", "Running"),
            // Named like web's pods, but orphaned (e.g. `--cascade=orphan`).
            pod("default", "", "web-4", "Running"),
        ];
        assert_eq!(
            status_counts(&sts("web"), &pods),
            vec![("Running".to_string(), 2), ("ContainerCreating".to_string(), 1)]
        );
        assert_eq!(sts_ready(&sts("web")), "1/3");
    }

    #[test]
    fn classes_and_names() {
        assert_eq!(status_class("Running"), "ok");
        assert_eq!(status_class("ContainerCreating"), "wait");
        assert_eq!(status_class("Terminating"), "gone");
        assert_eq!(status_class("CrashLoopBackOff"), "bad");
        assert_eq!(qualified("default", "web-0"), "web-0");
        assert_eq!(qualified("kube-system", "dns"), "kube-system/dns");
        assert_eq!(or_none(&None), "<none>");
    }
}
