//! `kubectl describe pod|pvc|statefulset|node NAME` and `kubectl get events`.
//!
//! The layout follows kubectl's describers (`k8s.io/kubectl/pkg/describe`):
//! `Key:  value` blocks aligned per level, lists continued on aligned lines,
//! and an Events table from [`crate::events`]. The output is abridged: fields
//! stsplay does not model (container IDs, image digests, QoS details beyond
//! BestEffort, service-account token volumes) are left out.

use super::{fail, ok, table, Resource};
use crate::events::{events, KubeEvent};
use crate::sim::{access_modes_short, Simulation};
use crate::timefmt::{human_duration, rfc1123z};

/// Aligned `Key:  value` lines at one indentation level.
struct Block {
    indent: usize,
    rows: Vec<(String, Vec<String>)>,
}

impl Block {
    fn new(indent: usize) -> Block {
        Block { indent, rows: Vec::new() }
    }
    fn field(&mut self, key: &str, value: impl Into<String>) -> &mut Block {
        self.rows.push((key.to_string(), vec![value.into()]));
        self
    }
    fn list(&mut self, key: &str, values: Vec<String>) -> &mut Block {
        let values = if values.is_empty() { vec!["<none>".to_string()] } else { values };
        self.rows.push((key.to_string(), values));
        self
    }
    fn render(&self, out: &mut String) {
        let width = self.rows.iter().map(|(k, _)| k.len() + 1).max().unwrap_or(0) + 2;
        let pad = " ".repeat(self.indent);
        for (key, values) in &self.rows {
            for (i, v) in values.iter().enumerate() {
                let head = if i == 0 { format!("{key}:") } else { String::new() };
                out.push_str(format!("{pad}{head:<width$}{v}").trim_end());
                out.push('\n');
            }
        }
    }
}

fn labels(m: &std::collections::BTreeMap<String, String>) -> Vec<String> {
    m.iter().map(|(k, v)| format!("{k}={v}")).collect()
}

fn annotations(m: &[(String, String)]) -> Vec<String> {
    m.iter().map(|(k, v)| format!("{k}: {v}")).collect()
}

fn events_section(out: &mut String, evs: &[&KubeEvent], now: u64) {
    if evs.is_empty() {
        out.push_str("Events:  <none>\n");
        return;
    }
    out.push_str("Events:\n");
    let rows: Vec<Vec<String>> = evs
        .iter()
        .map(|e| {
            let age = if e.count > 1 {
                format!(
                    "{} (x{} over {})",
                    human_duration(now.saturating_sub(e.last_ms)),
                    e.count,
                    human_duration(now.saturating_sub(e.first_ms))
                )
            } else {
                human_duration(now.saturating_sub(e.first_ms))
            };
            vec![e.event_type.to_string(), e.reason.to_string(), age, e.source.clone(), e.message.clone()]
        })
        .collect();
    let header = ["Type", "Reason", "Age", "From", "Message"];
    // describe.go writes this row literally: "----\t------\t----\t----\t-------".
    let dashes: Vec<String> = ["----", "------", "----", "----", "-------"].iter().map(|d| d.to_string()).collect();
    let mut all = vec![dashes];
    all.extend(rows);
    let widths: Vec<usize> = header
        .iter()
        .enumerate()
        .map(|(i, h)| all.iter().filter_map(|r| r.get(i)).map(String::len).chain([h.len()]).max().unwrap_or(0) + 2)
        .collect();
    let line = |cells: Vec<&str>| {
        let mut s = String::from("  ");
        for (i, c) in cells.iter().enumerate() {
            if i + 1 < cells.len() {
                s.push_str(&format!("{c:<w$}", w = widths.get(i).copied().unwrap_or(0)));
            } else {
                s.push_str(c);
            }
        }
        s.trim_end().to_string() + "\n"
    };
    out.push_str(&line(header.to_vec()));
    for r in &all {
        out.push_str(&line(r.iter().map(String::as_str).collect()));
    }
}

/// The object's events, sorted by last seen (kubectl's SortableEvents).
fn object_events<'a>(all: &'a [KubeEvent], ns: &str, kind: &str, name: &str) -> Vec<&'a KubeEvent> {
    let mut evs: Vec<&KubeEvent> = all
        .iter()
        .filter(|e| e.object_kind == kind && e.object_name == name && (kind == "node" || e.namespace == ns))
        .collect();
    crate::sort::sort_by_key(&mut evs, |e| e.last_ms);
    evs
}

/// describeContainerPorts / describeContainerHostPorts.
fn container_ports(cb: &mut Block, ctr: &crate::spec::Container) {
    if ctr.ports.is_empty() {
        cb.field("Port", "<none>");
        cb.field("Host Port", "<none>");
        return;
    }
    let ports: Vec<String> = ctr.ports.iter().map(|pt| format!("{}/{}", pt.container_port, pt.protocol)).collect();
    let hosts: Vec<String> = ctr.ports.iter().map(|pt| format!("0/{}", pt.protocol)).collect();
    cb.field("Port", ports.join(", "));
    cb.field("Host Port", hosts.join(", "));
}

/// Renders the block with a `Mounts:` row followed by the mount lines.
fn mounts(cb: &mut Block, ctr: &crate::spec::Container, out: &mut String) {
    cb.field("Mounts", if ctr.volume_mounts.is_empty() { "<none>" } else { "" });
    cb.render(out);
    for m in &ctr.volume_mounts {
        out.push_str(&format!("      {} from {} ({})\n", m.mount_path, m.name, if m.read_only { "ro" } else { "rw" }));
    }
}

pub(super) fn describe(sim: &Simulation, res: Resource, name: &str, ns: &str) -> (String, i32) {
    let (name, ns) = (name.to_string(), ns.to_string());
    let c = sim.cluster();
    let now = sim.now_ms();
    let all = events(sim.steps());
    let not_found = || fail(format!("Error from server (NotFound): {} \"{name}\" not found", res.plural()));
    let mut out = String::new();
    match res {
        Resource::Pods => {
            let Some(p) = c.pods.get(&(ns.clone(), name.clone())) else { return not_found() };
            let mut b = Block::new(0);
            b.field("Name", &p.name).field("Namespace", &p.namespace).field("Priority", "0");
            b.field("Service Account", "default");
            let node = match &p.node {
                Some(n) => format!("{n}/{}", c.nodes.get(n).map(|x| x.internal_ip()).unwrap_or_default()),
                None => "<none>".to_string(),
            };
            b.field("Node", node);
            if let Some(t) = p.start_time_ms {
                b.field("Start Time", rfc1123z(t));
            }
            b.list("Labels", labels(&p.labels)).field("Annotations", "<none>");
            let status = match p.deletion_ms {
                Some(d) => format!("Terminating (lasts {})", human_duration(now.saturating_sub(d))),
                None => p.phase.as_str().to_string(),
            };
            b.field("Status", status);
            if p.deletion_ms.is_some() {
                b.field("Termination Grace Period", format!("{}s", p.spec.termination_grace_period_seconds.max(0)));
            }
            b.field("IP", p.ip.clone().unwrap_or_default());
            b.render(&mut out);
            if let Some(ip) = &p.ip {
                out.push_str("IPs:\n");
                Block::new(2).field("IP", ip).render(&mut out);
            } else {
                out.push_str("IPs:              <none>\n");
            }
            if let Some(owner) = &p.owner {
                Block::new(0).field("Controlled By", format!("StatefulSet/{owner}")).render(&mut out);
            }
            out.push_str("Containers:\n");
            for ctr in &p.spec.containers {
                out.push_str(&format!("  {}:\n", ctr.name));
                let mut cb = Block::new(4);
                cb.field("Image", &ctr.image);
                container_ports(&mut cb, ctr);
                // Container status exists once the kubelet has the pod.
                if p.node.is_some() {
                    if p.containers_running {
                        cb.field("State", "Running");
                        cb.field("  Started", p.started_ms.map(rfc1123z).unwrap_or_default());
                    } else {
                        let reason = p.waiting_reason.clone().unwrap_or_else(|| "ContainerCreating".to_string());
                        cb.field("State", "Waiting");
                        cb.field("  Reason", reason);
                    }
                    if let Some((started, finished)) = p.last_termination {
                        cb.field("Last State", "Terminated");
                        cb.field("  Reason", "Error");
                        cb.field("  Exit Code", "1");
                        cb.field("  Started", rfc1123z(started));
                        cb.field("  Finished", rfc1123z(finished));
                    }
                    cb.field("Ready", if p.ready { "True" } else { "False" });
                    cb.field("Restart Count", p.restarts.to_string());
                }
                if ctr.requests.cpu_millis > 0 || ctr.requests.memory_bytes > 0 {
                    cb.field("Requests", "");
                    if ctr.requests.cpu_millis > 0 {
                        cb.field("  cpu", format!("{}m", ctr.requests.cpu_millis));
                    }
                    if ctr.requests.memory_bytes > 0 {
                        cb.field("  memory", format!("{}", ctr.requests.memory_bytes));
                    }
                }
                cb.field("Environment", "<none>");
                mounts(&mut cb, ctr, &mut out);
            }
            out.push_str("Conditions:\n");
            let scheduled = p.node.is_some();
            let cond = |b: bool| if b { "True" } else { "False" };
            let rows = if scheduled {
                vec![
                    vec!["PodReadyToStartContainers".to_string(), cond(p.ip.is_some()).to_string()],
                    vec!["Initialized".to_string(), "True".to_string()],
                    vec!["Ready".to_string(), cond(p.ready).to_string()],
                    vec!["ContainersReady".to_string(), cond(p.ready).to_string()],
                    vec!["PodScheduled".to_string(), "True".to_string()],
                ]
            } else {
                vec![vec!["PodScheduled".to_string(), "False".to_string()]]
            };
            for l in table::render(&["Type", "Status"], &rows).lines() {
                out.push_str(&format!("  {l}\n"));
            }
            out.push_str("Volumes:\n");
            if p.spec.claim_volumes.is_empty() {
                out.push_str("  <none>\n");
            }
            for (vol, claim) in &p.spec.claim_volumes {
                out.push_str(&format!("  {vol}:\n"));
                Block::new(4)
                    .field(
                        "Type",
                        "PersistentVolumeClaim (a reference to a PersistentVolumeClaim in the same namespace)",
                    )
                    .field("ClaimName", claim)
                    .field("ReadOnly", "false")
                    .render(&mut out);
            }
            let selectors = labels(&p.spec.node_selector);
            let mut tail = Block::new(0);
            // A pod with requests but no limits is Burstable (stsplay reads no limits).
            let burstable = p.spec.containers.iter().any(|c| c.requests.cpu_millis > 0 || c.requests.memory_bytes > 0);
            tail.field("QoS Class", if burstable { "Burstable" } else { "BestEffort" })
                .list("Node-Selectors", selectors);
            tail.list(
                "Tolerations",
                vec![
                    "node.kubernetes.io/not-ready:NoExecute op=Exists for 300s".to_string(),
                    "node.kubernetes.io/unreachable:NoExecute op=Exists for 300s".to_string(),
                ],
            );
            tail.render(&mut out);
            events_section(&mut out, &object_events(&all, &ns, "pod", &name), now);
        }
        Resource::Claims => {
            let Some(cl) = c.claims.get(&(ns.clone(), name.clone())) else { return not_found() };
            let mut ann = Vec::new();
            if cl.phase == crate::sim::ClaimPhase::Bound {
                ann.push(("pv.kubernetes.io/bind-completed".to_string(), "yes".to_string()));
                ann.push(("pv.kubernetes.io/bound-by-controller".to_string(), "yes".to_string()));
            }
            let provisioner = cl.storage_provisioner.clone();
            if let Some(pr) = &provisioner {
                ann.push(("volume.beta.kubernetes.io/storage-provisioner".to_string(), pr.clone()));
            }
            if let Some(n) = &cl.selected_node {
                ann.push(("volume.kubernetes.io/selected-node".to_string(), n.clone()));
            }
            if let Some(pr) = &provisioner {
                ann.push(("volume.kubernetes.io/storage-provisioner".to_string(), pr.clone()));
            }
            let status = match cl.deletion_ms {
                Some(d) => format!("Terminating (lasts {})", human_duration(now.saturating_sub(d))),
                None => cl.phase.as_str().to_string(),
            };
            let used_by = crate::sim::volume::claim_users(c, &(ns.clone(), name.clone()));
            let mut b = Block::new(0);
            b.field("Name", &cl.name).field("Namespace", &cl.namespace);
            b.field("StorageClass", cl.storage_class.clone().unwrap_or_default()).field("Status", status);
            b.field("Volume", cl.volume.clone().unwrap_or_default()).list("Labels", labels(&cl.labels));
            b.list("Annotations", annotations(&ann)).field("Finalizers", "[kubernetes.io/pvc-protection]");
            b.field("Capacity", cl.capacity.as_ref().map(|q| q.text.clone()).unwrap_or_default());
            b.field("Access Modes", access_modes_short(&cl.bound_access_modes));
            b.field("VolumeMode", &cl.spec.volume_mode);
            b.list("Used By", used_by);
            b.render(&mut out);
            events_section(&mut out, &object_events(&all, &ns, "persistentvolumeclaim", &name), now);
        }
        Resource::StatefulSets => {
            let Some(s) = c.sets.get(&(ns.clone(), name.clone())) else { return not_found() };
            let set = &s.set;
            let pods: Vec<_> =
                c.pods.values().filter(|p| p.namespace == ns && p.owner.as_deref() == Some(name.as_str())).collect();
            let count = |ph: crate::sim::PodPhase| pods.iter().filter(|p| p.phase == ph).count();
            let mut b = Block::new(0);
            b.field("Name", &set.meta.name).field("Namespace", &ns).field("CreationTimestamp", rfc1123z(s.created_ms));
            b.field("Selector", labels(&set.spec.selector.match_labels).join(","));
            b.list("Labels", labels(&set.meta.labels)).field("Annotations", "<none>");
            b.field("Replicas", format!("{} desired | {} total", set.spec.replicas, s.status.replicas));
            let strategy = match &set.spec.update_strategy {
                crate::spec::UpdateStrategy::RollingUpdate { .. } => "RollingUpdate",
                crate::spec::UpdateStrategy::OnDelete => "OnDelete",
            };
            b.field("Update Strategy", strategy);
            if let crate::spec::UpdateStrategy::RollingUpdate { partition, .. } = &set.spec.update_strategy {
                b.field("  Partition", partition.to_string());
            }
            b.field(
                "Pods Status",
                format!(
                    "{} Running / {} Waiting / {} Succeeded / {} Failed",
                    count(crate::sim::PodPhase::Running),
                    count(crate::sim::PodPhase::Pending),
                    count(crate::sim::PodPhase::Succeeded),
                    count(crate::sim::PodPhase::Failed)
                ),
            );
            b.render(&mut out);
            out.push_str("Pod Template:\n");
            Block::new(2).list("Labels", labels(&set.spec.template.labels)).render(&mut out);
            out.push_str("  Containers:\n");
            for ctr in &set.spec.template.spec.containers {
                out.push_str(&format!("   {}:\n", ctr.name));
                let mut cb = Block::new(4);
                cb.field("Image", &ctr.image);
                container_ports(&mut cb, ctr);
                cb.field("Environment", "<none>");
                mounts(&mut cb, ctr, &mut out);
            }
            Block::new(2)
                .field("Volumes", "<none>")
                .list("Node-Selectors", labels(&set.spec.template.spec.node_selector))
                .field("Tolerations", "<none>")
                .render(&mut out);
            if set.spec.volume_claim_templates.is_empty() {
                out.push_str("Volume Claims:  <none>\n");
            } else {
                out.push_str("Volume Claims:\n");
                for t in &set.spec.volume_claim_templates {
                    Block::new(2)
                        .field("Name", &t.name)
                        .field("StorageClass", t.spec.storage_class_name.clone().unwrap_or_default())
                        .list("Labels", labels(&t.labels))
                        .field("Annotations", "<none>")
                        .field("Capacity", &t.spec.request.text)
                        .field("Access Modes", format!("[{}]", t.spec.access_modes.join(" ")))
                        .render(&mut out);
                }
            }
            events_section(&mut out, &object_events(&all, &ns, "statefulset", &name), now);
        }
        Resource::Nodes => {
            let Some(n) = c.nodes.get(&name) else { return not_found() };
            let mut b = Block::new(0);
            b.field("Name", n.name());
            b.field("Roles", if n.is_control_plane() { "control-plane" } else { "<none>" });
            b.list("Labels", labels(&n.node.meta.labels)).field("CreationTimestamp", rfc1123z(n.created_ms));
            let taints: Vec<String> = n
                .node
                .taints
                .iter()
                .map(|t| match &t.value {
                    Some(v) => format!("{}={v}:{}", t.key, t.effect),
                    None => format!("{}:{}", t.key, t.effect),
                })
                .collect();
            b.list("Taints", taints).field("Unschedulable", n.node.unschedulable.to_string());
            b.render(&mut out);
            out.push_str("Conditions:\n");
            let ready = if n.ready { "True" } else { "Unknown" };
            let reason = if n.ready { "KubeletReady" } else { "NodeStatusUnknown" };
            let msg = if n.ready { "kubelet is posting ready status" } else { "Kubelet stopped posting node status." };
            let rows = vec![vec!["Ready".to_string(), ready.to_string(), reason.to_string(), msg.to_string()]];
            for l in table::render(&["Type", "Status", "Reason", "Message"], &rows).lines() {
                out.push_str(&format!("  {l}\n"));
            }
            out.push_str("Addresses:\n");
            Block::new(2).field("InternalIP", n.internal_ip()).field("Hostname", n.name()).render(&mut out);
            Block::new(0).field("PodCIDR", format!("10.244.{}.0/24", n.index)).render(&mut out);
            let pods: Vec<Vec<String>> = c
                .pods
                .values()
                .filter(|p| p.node.as_deref() == Some(name.as_str()))
                .map(|p| vec![p.namespace.clone(), p.name.clone(), human_duration(now.saturating_sub(p.created_ms))])
                .collect();
            out.push_str(&format!("Non-terminated Pods:          ({} in total)\n", pods.len()));
            if !pods.is_empty() {
                for l in table::render(&["Namespace", "Name", "Age"], &pods).lines() {
                    out.push_str(&format!("  {l}\n"));
                }
            }
            events_section(&mut out, &object_events(&all, &ns, "node", &name), now);
        }
        other => return fail(format!("error: stsplay cannot describe {} yet", other.plural())),
    }
    ok(out)
}

/// `kubectl get events`: kubectl's event columns; repeated events show
/// `LAST SEEN (xN over FIRST)`; listed by object name, then time.
pub(super) fn get_events(sim: &Simulation, ns: &str, all_ns: bool) -> (String, i32) {
    let now = sim.now_ms();
    let mut evs: Vec<KubeEvent> = events(sim.steps()).into_iter().filter(|e| all_ns || e.namespace == ns).collect();
    if evs.is_empty() {
        return if all_ns {
            ok("No resources found\n".to_string())
        } else {
            ok(format!("No resources found in {ns} namespace.\n"))
        };
    }
    // Event objects are named `<object>.<hex timestamp>` and listed by name.
    crate::sort::sort_by(&mut evs, |a, b| {
        (&a.namespace, format!("{}.", a.object_name), a.first_ms).cmp(&(
            &b.namespace,
            format!("{}.", b.object_name),
            b.first_ms,
        ))
    });
    let rows: Vec<Vec<String>> = evs
        .iter()
        .map(|e| {
            let last = human_duration(now.saturating_sub(e.last_ms));
            let seen = if e.count > 1 {
                format!("{last} (x{} over {})", e.count, human_duration(now.saturating_sub(e.first_ms)))
            } else {
                last
            };
            let mut row = Vec::new();
            if all_ns {
                row.push(e.namespace.clone());
            }
            row.extend([
                seen,
                e.event_type.to_string(),
                e.reason.to_string(),
                format!("{}/{}", e.object_kind, e.object_name),
                e.message.clone(),
            ]);
            row
        })
        .collect();
    let mut head = Vec::new();
    if all_ns {
        head.push("NAMESPACE");
    }
    head.extend(["LAST SEEN", "TYPE", "REASON", "OBJECT", "MESSAGE"]);
    ok(table::render(&head, &rows))
}
