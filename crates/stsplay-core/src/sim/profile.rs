//! The cluster profile: what exists before the first apply, and how long
//! things take. Modelled on a `kind` cluster (kind v0.2x, Kubernetes v1.33):
//! one tainted control-plane node and three workers, pod CIDR 10.244.0.0/16
//! (one /24 per node), service CIDR 10.96.0.0/12 with CoreDNS at 10.96.0.10,
//! and the default StorageClass `standard` served by `rancher.io/local-path`
//! with `WaitForFirstConsumer` binding and reclaim policy `Delete`.
//!
//! The delays are typical figures for such a cluster on a laptop, not
//! measurements of any one machine; they only order and space the steps.

use std::collections::BTreeMap;

use crate::sim::state::*;
use crate::spec::{self, ObjectMeta};

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Profile {
    /// Informer + work-queue latency before a controller reacts to a change.
    pub controller_delay_ms: u64,
    /// Scheduler latency from pod creation to a scheduling attempt.
    pub schedule_delay_ms: u64,
    /// PV controller latency for a claim sync.
    pub pv_sync_delay_ms: u64,
    /// local-path provisioner: helper pod creates the directory.
    pub provision_ms: u64,
    pub provision_jitter_ms: u64,
    /// Pod sandbox + CNI setup after binding.
    pub sandbox_ms: u64,
    /// Pulling an image not yet on the node.
    pub image_pull_ms: u64,
    pub image_pull_jitter_ms: u64,
    pub container_start_ms: u64,
    /// Time a container takes to exit after SIGTERM (capped by the grace period).
    pub container_stop_ms: u64,
    /// Kubelet status sync until a stopped pod's object is removed.
    pub kubelet_cleanup_ms: u64,
    /// Latency of a readiness probe result after `initialDelaySeconds`.
    pub probe_latency_ms: u64,
    /// A crash-looping container (`pod crash --repeat`) runs this long before it exits.
    pub crash_after_start_ms: u64,
    /// kube-controller-manager `--node-monitor-grace-period`: 50s by default
    /// since v1.32 (kubernetes/kubernetes PR 126287; 40s before).
    pub node_monitor_grace_ms: u64,
    /// DefaultTolerationSeconds for `not-ready`/`unreachable` (300s).
    pub default_toleration_ms: u64,
    pub kubernetes_version: &'static str,
    /// Feature gate `MaxUnavailableStatefulSet`: Alpha (off) through v1.34,
    /// Beta (on) from v1.35 (pkg/features/kube_features.go).
    pub max_unavailable_statefulset: bool,
    /// Tests: run the reference (full-scan) StatefulSet sync beside the
    /// incremental one and count differences (`Simulation::fast_sync_checks`).
    pub verify_fast_sync: bool,
    pub node_names: Vec<&'static str>,
}

impl Profile {
    pub fn kind() -> Profile {
        Profile {
            controller_delay_ms: 5,
            schedule_delay_ms: 20,
            pv_sync_delay_ms: 10,
            provision_ms: 1_500,
            provision_jitter_ms: 300,
            sandbox_ms: 700,
            image_pull_ms: 2_500,
            image_pull_jitter_ms: 500,
            container_start_ms: 300,
            container_stop_ms: 800,
            kubelet_cleanup_ms: 200,
            probe_latency_ms: 100,
            crash_after_start_ms: 1_000,
            node_monitor_grace_ms: 50_000,
            default_toleration_ms: 300_000,
            kubernetes_version: "v1.33.1",
            max_unavailable_statefulset: false,
            verify_fast_sync: false,
            node_names: vec!["kind-control-plane", "kind-worker", "kind-worker2", "kind-worker3"],
        }
    }

    pub fn initial_cluster(&self) -> Cluster {
        let mut c = Cluster::default();
        // kind's namespaces, local-path-storage included (its provisioner's).
        for ns in ["default", "kube-node-lease", "kube-public", "kube-system", "local-path-storage"] {
            c.namespaces.insert(ns.to_string(), 0);
        }
        for (i, name) in self.node_names.iter().enumerate() {
            let mut labels = BTreeMap::new();
            labels.insert(HOSTNAME_LABEL.to_string(), name.to_string());
            labels.insert("kubernetes.io/os".to_string(), "linux".to_string());
            let mut taints = Vec::new();
            if i == 0 {
                labels.insert("node-role.kubernetes.io/control-plane".to_string(), String::new());
                taints.push(spec::Taint {
                    key: "node-role.kubernetes.io/control-plane".to_string(),
                    value: None,
                    effect: "NoSchedule".to_string(),
                });
            }
            let node = spec::Node {
                meta: ObjectMeta { name: name.to_string(), namespace: None, labels, annotations: BTreeMap::new() },
                unschedulable: false,
                taints,
                allocatable: spec::Allocatable::default(),
            };
            c.nodes.insert(name.to_string(), NodeState::new(node, i as u32, 0));
        }
        c.reindex_nodes();
        let mut annotations = BTreeMap::new();
        annotations.insert("storageclass.kubernetes.io/is-default-class".to_string(), "true".to_string());
        let standard = spec::StorageClass {
            meta: ObjectMeta { name: "standard".to_string(), namespace: None, labels: BTreeMap::new(), annotations },
            provisioner: "rancher.io/local-path".to_string(),
            reclaim_policy: "Delete".to_string(),
            volume_binding_mode: "WaitForFirstConsumer".to_string(),
        };
        c.classes.insert("standard".to_string(), ClassState { class: standard, created_ms: 0 });
        for (ns, name, ip, port, proto, selector) in [
            ("default", "kubernetes", "10.96.0.1", 443, "TCP", None),
            ("kube-system", "kube-dns", "10.96.0.10", 53, "UDP", Some(("k8s-app", "kube-dns"))),
        ] {
            let mut sel = BTreeMap::new();
            if let Some((k, v)) = selector {
                sel.insert(k.to_string(), v.to_string());
            }
            let mut ports = vec![spec::ServicePort { name: Some("https".into()), port, protocol: proto.to_string() }];
            if name == "kube-dns" {
                ports = vec![
                    spec::ServicePort { name: Some("dns".into()), port: 53, protocol: "UDP".into() },
                    spec::ServicePort { name: Some("dns-tcp".into()), port: 53, protocol: "TCP".into() },
                    spec::ServicePort { name: Some("metrics".into()), port: 9153, protocol: "TCP".into() },
                ];
            }
            let svc = spec::Service {
                meta: ObjectMeta {
                    name: name.to_string(),
                    namespace: Some(ns.to_string()),
                    labels: BTreeMap::new(),
                    annotations: BTreeMap::new(),
                },
                cluster_ip: Some(ip.to_string()),
                service_type: "ClusterIP".to_string(),
                ports,
                selector: sel,
                publish_not_ready_addresses: false,
            };
            c.services.insert(
                (ns.to_string(), name.to_string()),
                ServiceState { service: svc, cluster_ip: ip.to_string(), created_ms: 0 },
            );
        }
        c
    }
}
