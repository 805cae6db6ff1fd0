//! Cluster DNS, derived from state (never stored): the records CoreDNS's
//! `kubernetes` plugin serves per the kubernetes/dns specification
//! (`docs/specification.md`) and the kubernetes.io page "DNS for Services and
//! Pods".
//!
//! - A ClusterIP Service `<svc>.<ns>.svc.cluster.local` → its cluster IP.
//! - A headless Service name → the IPs of its ready endpoints (all endpoints,
//!   terminating ones included, with `publishNotReadyAddresses`).
//! - `<hostname>.<subdomain>.<ns>.svc.cluster.local` → the pod's IP, for an
//!   endpoint whose `subdomain` names that headless Service (a StatefulSet
//!   sets hostname = pod name, subdomain = `serviceName`).
//! - SRV `_<port>._<proto>.<svc>.<ns>.svc.cluster.local` for each named port:
//!   one per ready endpoint with a hostname (headless), or one pointing at the
//!   Service name (ClusterIP). Priority and weight are not prescribed by the
//!   spec; like CoreDNS, priority 0 and weight 100/N (rounded down).
//! - PTR answers for those addresses (used by `nslookup`'s output).

use crate::sim::state::{natural_cmp, Cluster, Pod, ServiceState};
use serde::Serialize;

/// A DNS record as the view shows it (also `crate::view::DnsRecordView`).
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct DnsRecordView {
    pub name: String,
    /// `A`, `SRV` or `PTR`.
    #[serde(rename = "type")]
    pub record_type: String,
    pub data: String,
}

pub const CLUSTER_DOMAIN: &str = "cluster.local";
pub const DNS_SERVER_IP: &str = "10.96.0.10";

/// The endpoints a Service publishes, in pod-name order.
pub fn endpoints<'a>(c: &'a Cluster, s: &ServiceState) -> Vec<&'a Pod> {
    let svc = &s.service;
    if svc.selector.is_empty() {
        return Vec::new();
    }
    let ns = svc.meta.namespace.as_deref().unwrap_or_default();
    let mut pods: Vec<&Pod> = c
        .pods
        .values()
        .filter(|p| p.namespace == ns && p.ip.is_some())
        .filter(|p| svc.selector.iter().all(|(k, v)| p.labels.get(k) == Some(v)))
        .filter(|p| if svc.publish_not_ready_addresses { true } else { p.ready && !p.is_terminating() })
        .collect();
    crate::sort::sort_by(&mut pods, |a, b| natural_cmp(&a.name, &b.name));
    pods
}

fn service_fqdn(s: &ServiceState) -> String {
    format!("{}.{}.svc.{CLUSTER_DOMAIN}", s.service.meta.name, s.service.meta.namespace.as_deref().unwrap_or_default())
}

/// The per-pod name under a headless service, if the pod has one there.
fn pod_fqdn(s: &ServiceState, p: &Pod) -> Option<String> {
    let host = p.spec.hostname.as_deref()?;
    (p.spec.subdomain.as_deref() == Some(s.service.meta.name.as_str())).then(|| format!("{host}.{}", service_fqdn(s)))
}

/// All A and SRV records, sorted by name (numeric ordinals in order), type, data.
pub fn records(c: &Cluster) -> Vec<DnsRecordView> {
    let mut out = Vec::new();
    let a = |name: String, ip: &str| DnsRecordView { name, record_type: "A".to_string(), data: ip.to_string() };
    let srv = |name: String, weight: usize, port: i32, target: &str| DnsRecordView {
        name,
        record_type: "SRV".to_string(),
        data: format!("0 {weight} {port} {target}."),
    };
    for s in c.services.values() {
        let named_ports: Vec<_> = s.service.ports.iter().filter(|p| p.name.is_some()).collect();
        let srv_name = |p: &crate::spec::ServicePort| {
            format!("_{}._{}.{}", p.name.clone().unwrap_or_default(), p.protocol.to_lowercase(), service_fqdn(s))
        };
        if s.service.is_headless() {
            let eps = endpoints(c, s);
            let targets: Vec<String> = eps.iter().filter_map(|p| pod_fqdn(s, p)).collect();
            for p in &eps {
                let Some(ip) = p.ip.as_deref() else { continue };
                out.push(a(service_fqdn(s), ip));
                if let Some(name) = pod_fqdn(s, p) {
                    out.push(a(name, ip));
                }
            }
            for port in &named_ports {
                for t in &targets {
                    out.push(srv(srv_name(port), 100 / targets.len().max(1), port.port, t));
                }
            }
        } else {
            out.push(a(service_fqdn(s), &s.cluster_ip));
            for port in &named_ports {
                out.push(srv(srv_name(port), 100, port.port, &service_fqdn(s)));
            }
        }
    }
    crate::sort::sort_by(&mut out, |x, y| {
        natural_cmp(&x.name, &y.name)
            .then_with(|| x.record_type.cmp(&y.record_type))
            .then_with(|| natural_cmp(&x.data, &y.data))
    });
    out.dedup();
    out
}

/// Resolves an absolute name to addresses (A records). Names compare
/// case-insensitively (RFC 4343; CoreDNS's `kubernetes` plugin lowercases the
/// query: `plugin/kubernetes/parse.go` `parseRequest` works on
/// `strings.ToLower` of the name), so `WEB-0.NGINX` finds `web-0.nginx`.
pub fn lookup(c: &Cluster, fqdn: &str) -> Vec<String> {
    let fqdn = fqdn.trim_end_matches('.');
    records(c)
        .into_iter()
        .filter(|r| r.name.eq_ignore_ascii_case(fqdn) && r.record_type == "A")
        .map(|r| r.data)
        .collect()
}

/// Reverse lookup (PTR) of an address: a Service's cluster IP, or a headless
/// endpoint (`<hostname>.<svc>...` or `<a-b-c-d>.<svc>...`).
pub fn reverse(c: &Cluster, ip: &str) -> Option<String> {
    for s in c.services.values() {
        if !s.service.is_headless() && s.cluster_ip == ip {
            return Some(service_fqdn(s));
        }
    }
    for s in c.services.values().filter(|s| s.service.is_headless()) {
        for p in endpoints(c, s) {
            if p.ip.as_deref() == Some(ip) {
                return Some(pod_fqdn(s, p).unwrap_or_else(|| format!("{}.{}", ip.replace('.', "-"), service_fqdn(s))));
            }
        }
    }
    None
}

/// The resolver of a pod in `namespace` (ClusterFirst: search path
/// `<ns>.svc.cluster.local svc.cluster.local cluster.local`, `ndots:5`).
/// Returns the name that answered and its addresses.
pub fn resolve(c: &Cluster, namespace: &str, name: &str) -> Option<(String, Vec<String>)> {
    let absolute = name.ends_with('.');
    let name = name.trim_end_matches('.');
    let mut candidates = Vec::new();
    let dots = name.matches('.').count();
    let search =
        [format!("{namespace}.svc.{CLUSTER_DOMAIN}"), format!("svc.{CLUSTER_DOMAIN}"), CLUSTER_DOMAIN.to_string()];
    if absolute || dots >= 5 {
        candidates.push(name.to_string());
    }
    if !absolute {
        candidates.extend(search.iter().map(|d| format!("{name}.{d}")));
        if dots < 5 {
            candidates.push(name.to_string());
        }
    }
    candidates.into_iter().find_map(|cand| {
        let ips = lookup(c, &cand);
        (!ips.is_empty()).then_some((cand, ips))
    })
}
