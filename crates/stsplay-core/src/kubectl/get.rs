//! `kubectl get`: kubectl's column layouts (`pkg/printers/internalversion/printers.go`).

use std::collections::BTreeMap;

use super::command::{Get, OutputFormat};
use super::{fail, ok, table, Resource};
use crate::sim::{access_modes_short, Cluster, Simulation};
use crate::timefmt::human_duration;

/// A parsed `-l` selector: `k=v`, `k==v`, `k!=v`, `k`, `!k`, comma-separated.
fn parse_selector(s: &str) -> Result<Vec<(String, Option<String>, bool)>, String> {
    let mut out = Vec::new();
    for part in s.split(',') {
        let part = part.trim();
        if part.is_empty() {
            return Err(format!("error: unable to parse requirement: found '', expected: identifier in \"{s}\""));
        }
        if let Some((k, v)) = part.split_once("!=") {
            out.push((k.trim().to_string(), Some(v.trim().to_string()), false));
        } else if let Some((k, v)) = part.split_once("==").or_else(|| part.split_once('=')) {
            out.push((k.trim().to_string(), Some(v.trim().to_string()), true));
        } else if let Some(k) = part.strip_prefix('!') {
            out.push((k.trim().to_string(), None, false));
        } else if part.contains(' ') || part.contains('(') {
            return Err(format!("error: stsplay does not support set-based selectors yet: \"{part}\""));
        } else {
            out.push((part.to_string(), None, true));
        }
    }
    Ok(out)
}

fn selector_matches(sel: &[(String, Option<String>, bool)], labels: &BTreeMap<String, String>) -> bool {
    sel.iter().all(|(k, v, positive)| {
        let got = labels.get(k);
        match (v, positive) {
            (Some(v), true) => got == Some(v),
            (Some(v), false) => got != Some(v),
            (None, true) => got.is_some(),
            (None, false) => got.is_none(),
        }
    })
}

#[derive(Clone)]
struct Row {
    namespace: String,
    name: String,
    labels: BTreeMap<String, String>,
    cells: Vec<String>,
    wide: Vec<String>,
}

fn age(now: u64, created: u64) -> String {
    human_duration(now.saturating_sub(created))
}

fn none_if_empty(s: &str) -> String {
    if s.is_empty() {
        "<none>".to_string()
    } else {
        s.to_string()
    }
}

fn rows(c: &Cluster, now: u64, r: Resource) -> (Vec<&'static str>, Vec<&'static str>, Vec<Row>) {
    match r {
        // `kubectl get events` has its own listing (describe::get_events).
        Resource::Events => (vec![], vec![], vec![]),
        Resource::Pods => (
            vec!["NAME", "READY", "STATUS", "RESTARTS", "AGE"],
            vec!["IP", "NODE", "NOMINATED NODE", "READINESS GATES"],
            c.pods
                .values()
                .map(|p| Row {
                    namespace: p.namespace.clone(),
                    name: p.name.clone(),
                    labels: p.labels.clone(),
                    cells: vec![
                        p.name.clone(),
                        p.ready_containers(),
                        p.status_text(),
                        p.restarts.to_string(),
                        age(now, p.created_ms),
                    ],
                    wide: vec![
                        p.ip.clone().unwrap_or_else(|| "<none>".into()),
                        p.node.clone().unwrap_or_else(|| "<none>".into()),
                        "<none>".into(),
                        "<none>".into(),
                    ],
                })
                .collect(),
        ),
        Resource::Claims => (
            vec![
                "NAME",
                "STATUS",
                "VOLUME",
                "CAPACITY",
                "ACCESS MODES",
                "STORAGECLASS",
                "VOLUMEATTRIBUTESCLASS",
                "AGE",
            ],
            vec!["VOLUMEMODE"],
            c.claims
                .values()
                .map(|cl| Row {
                    namespace: cl.namespace.clone(),
                    name: cl.name.clone(),
                    labels: cl.labels.clone(),
                    cells: vec![
                        cl.name.clone(),
                        if cl.deletion_ms.is_some() {
                            "Terminating".to_string()
                        } else {
                            cl.phase.as_str().to_string()
                        },
                        cl.volume.clone().unwrap_or_default(),
                        cl.capacity.as_ref().map(|q| q.text.clone()).unwrap_or_default(),
                        access_modes_short(&cl.bound_access_modes),
                        cl.storage_class.clone().unwrap_or_default(),
                        "<unset>".into(),
                        age(now, cl.created_ms),
                    ],
                    wide: vec![cl.spec.volume_mode.clone()],
                })
                .collect(),
        ),
        Resource::Volumes => (
            vec![
                "NAME",
                "CAPACITY",
                "ACCESS MODES",
                "RECLAIM POLICY",
                "STATUS",
                "CLAIM",
                "STORAGECLASS",
                "VOLUMEATTRIBUTESCLASS",
                "REASON",
                "AGE",
            ],
            vec!["VOLUMEMODE"],
            c.volumes
                .values()
                .map(|v| Row {
                    namespace: String::new(),
                    name: v.name.clone(),
                    labels: v.labels.clone(),
                    cells: vec![
                        v.name.clone(),
                        v.capacity.text.clone(),
                        access_modes_short(&v.access_modes),
                        v.reclaim_policy.clone(),
                        if v.deletion_ms.is_some() { "Terminating".to_string() } else { v.phase.as_str().to_string() },
                        v.claim_ref.as_ref().map(|r| format!("{}/{}", r.namespace, r.name)).unwrap_or_default(),
                        v.storage_class.clone(),
                        "<unset>".into(),
                        String::new(),
                        age(now, v.created_ms),
                    ],
                    wide: vec![v.volume_mode.clone()],
                })
                .collect(),
        ),
        Resource::StatefulSets => (
            vec!["NAME", "READY", "AGE"],
            vec!["CONTAINERS", "IMAGES"],
            c.sets
                .values()
                .map(|s| Row {
                    namespace: s.set.meta.namespace.clone().unwrap_or_default(),
                    name: s.set.meta.name.clone(),
                    labels: s.set.meta.labels.clone(),
                    cells: vec![
                        s.set.meta.name.clone(),
                        format!("{}/{}", s.status.ready_replicas, s.set.spec.replicas),
                        age(now, s.created_ms),
                    ],
                    wide: {
                        let containers = &s.set.spec.template.spec.containers;
                        let join = |f: fn(&crate::spec::Container) -> &str| {
                            containers.iter().map(f).collect::<Vec<_>>().join(",")
                        };
                        vec![join(|c| &c.name), join(|c| &c.image)]
                    },
                })
                .collect(),
        ),
        Resource::Services => (
            vec!["NAME", "TYPE", "CLUSTER-IP", "EXTERNAL-IP", "PORT(S)", "AGE"],
            vec!["SELECTOR"],
            c.services
                .values()
                .map(|s| {
                    let svc = &s.service;
                    let ports =
                        svc.ports.iter().map(|p| format!("{}/{}", p.port, p.protocol)).collect::<Vec<_>>().join(",");
                    let selector = svc.selector.iter().map(|(k, v)| format!("{k}={v}")).collect::<Vec<_>>().join(",");
                    Row {
                        namespace: svc.meta.namespace.clone().unwrap_or_default(),
                        name: svc.meta.name.clone(),
                        labels: svc.meta.labels.clone(),
                        cells: vec![
                            svc.meta.name.clone(),
                            svc.service_type.clone(),
                            s.cluster_ip.clone(),
                            "<none>".into(),
                            none_if_empty(&ports),
                            age(now, s.created_ms),
                        ],
                        wide: vec![none_if_empty(&selector)],
                    }
                })
                .collect(),
        ),
        Resource::Nodes => (
            vec!["NAME", "STATUS", "ROLES", "AGE", "VERSION"],
            vec!["INTERNAL-IP", "EXTERNAL-IP", "OS-IMAGE", "KERNEL-VERSION", "CONTAINER-RUNTIME"],
            c.nodes
                .values()
                .map(|n| {
                    let mut status = if n.ready { "Ready".to_string() } else { "NotReady".to_string() };
                    if n.node.unschedulable {
                        status.push_str(",SchedulingDisabled");
                    }
                    Row {
                        namespace: String::new(),
                        name: n.name().to_string(),
                        labels: n.node.meta.labels.clone(),
                        cells: vec![
                            n.name().to_string(),
                            status,
                            if n.is_control_plane() { "control-plane".into() } else { "<none>".into() },
                            age(now, n.created_ms),
                            "v1.33.1".into(),
                        ],
                        wide: vec![
                            n.internal_ip(),
                            "<none>".into(),
                            "Debian GNU/Linux 12 (bookworm)".into(),
                            "6.8.0-generic".into(),
                            "containerd://2.1.1".into(),
                        ],
                    }
                })
                .collect(),
        ),
        Resource::ControllerRevisions => (
            vec!["NAME", "CONTROLLER", "REVISION", "AGE"],
            vec![],
            c.sets
                .values()
                .flat_map(|s| {
                    let ns = s.set.meta.namespace.clone().unwrap_or_default();
                    s.revisions.iter().map(move |r| Row {
                        namespace: ns.clone(),
                        name: r.name.clone(),
                        labels: r.template.labels.clone(),
                        cells: vec![
                            r.name.clone(),
                            format!("statefulset.apps/{}", s.set.meta.name),
                            r.revision.to_string(),
                            age(now, r.created_ms),
                        ],
                        wide: vec![],
                    })
                })
                .collect(),
        ),
        Resource::Namespaces => (
            vec!["NAME", "STATUS", "AGE"],
            vec![],
            c.namespaces
                .iter()
                .map(|(name, created)| Row {
                    namespace: String::new(),
                    name: name.clone(),
                    labels: [("kubernetes.io/metadata.name".to_string(), name.clone())].into_iter().collect(),
                    cells: vec![name.clone(), "Active".to_string(), age(now, *created)],
                    wide: vec![],
                })
                .collect(),
        ),
        Resource::StorageClasses => (
            vec!["NAME", "PROVISIONER", "RECLAIMPOLICY", "VOLUMEBINDINGMODE", "ALLOWVOLUMEEXPANSION", "AGE"],
            vec![],
            c.classes
                .values()
                .map(|s| {
                    let name = s.class.meta.name.clone();
                    let shown = if c.default_class() == Some(name.as_str()) {
                        format!("{name} (default)")
                    } else {
                        name.clone()
                    };
                    Row {
                        namespace: String::new(),
                        name,
                        labels: s.class.meta.labels.clone(),
                        cells: vec![
                            shown,
                            s.class.provisioner.clone(),
                            s.class.reclaim_policy.clone(),
                            s.class.volume_binding_mode.clone(),
                            "false".into(),
                            age(now, s.created_ms),
                        ],
                        wide: vec![],
                    }
                })
                .collect(),
        ),
    }
}

/// `kubectl get TYPE [NAME...]`. With names, the objects found are listed in
/// the order named and each missing one is reported after the table, and the
/// command fails (kubectl `cmd/get/get.go` `Run`: the builder continues on
/// error; `allErrs` are returned after printing).
pub(super) fn get(sim: &Simulation, g: &Get, ns: &str, all_namespaces: bool) -> (String, i32) {
    let mut missing = Vec::new();
    let (mut out, code) = get_found(sim, g, ns, all_namespaces, &mut missing);
    if missing.is_empty() {
        return (out, code);
    }
    for name in missing {
        out.push_str(&format!("Error from server (NotFound): {} \"{name}\" not found\n", g.resource.plural()));
    }
    (out, 1)
}

fn get_found(sim: &Simulation, g: &Get, ns: &str, all_namespaces: bool, missing: &mut Vec<String>) -> (String, i32) {
    let res = g.resource;
    let all_ns = all_namespaces && res.namespaced();
    let selector = match g.selector.as_deref().map(parse_selector).transpose() {
        Ok(s) => s.unwrap_or_default(),
        Err(e) => return fail(e),
    };
    let (header, wide_header, all) = rows(sim.cluster(), sim.now_ms(), res);
    let mut selected: Vec<Row> = all
        .into_iter()
        .filter(|r| !res.namespaced() || all_ns || r.namespace == ns)
        .filter(|r| selector_matches(&selector, &r.labels))
        .collect();
    // The API server lists objects in key order: namespace, then name.
    crate::sort::sort_by(&mut selected, |a, b| (&a.namespace, &a.name).cmp(&(&b.namespace, &b.name)));
    if !g.names.is_empty() {
        let by_name: std::collections::BTreeMap<String, Row> =
            selected.into_iter().map(|r| (r.name.clone(), r)).collect();
        selected = Vec::new();
        for name in &g.names {
            match by_name.get(name) {
                Some(r) => selected.push(r.clone()),
                None => missing.push(name.clone()),
            }
        }
        if selected.is_empty() {
            return (String::new(), 1);
        }
    }
    if selected.is_empty() {
        return if res.namespaced() && !all_ns {
            ok(format!("No resources found in {ns} namespace.\n"))
        } else {
            ok("No resources found\n".to_string())
        };
    }
    if g.output == OutputFormat::Name {
        let kind = match res {
            Resource::Pods => "pod",
            Resource::Claims => "persistentvolumeclaim",
            Resource::Volumes => "persistentvolume",
            Resource::StatefulSets => "statefulset.apps",
            Resource::Services => "service",
            Resource::Nodes => "node",
            Resource::StorageClasses => "storageclass.storage.k8s.io",
            Resource::ControllerRevisions => "controllerrevision.apps",
            Resource::Namespaces => "namespace",
            Resource::Events => "event",
        };
        return ok(selected.iter().map(|r| format!("{kind}/{}\n", r.name)).collect());
    }
    let wide = g.output == OutputFormat::Wide;
    // -L key1,key2: one column per label key, headed by its last path segment.
    let label_columns = &g.label_columns;
    let label_heads: Vec<String> =
        label_columns.iter().map(|k| k.rsplit('/').next().unwrap_or(k).to_uppercase()).collect();
    let show_labels = g.show_labels;
    let mut head: Vec<&str> = Vec::new();
    if all_ns {
        head.push("NAMESPACE");
    }
    head.extend(header);
    if wide {
        head.extend(wide_header);
    }
    head.extend(label_heads.iter().map(String::as_str));
    if show_labels {
        head.push("LABELS");
    }
    let body: Vec<Vec<String>> = selected
        .into_iter()
        .map(|r| {
            let mut cells = Vec::new();
            if all_ns {
                cells.push(r.namespace);
            }
            cells.extend(r.cells);
            if wide {
                cells.extend(r.wide);
            }
            cells.extend(label_columns.iter().map(|k| r.labels.get(k).cloned().unwrap_or_default()));
            if show_labels {
                let labels: Vec<String> = r.labels.iter().map(|(k, v)| format!("{k}={v}")).collect();
                cells.push(if labels.is_empty() { "<none>".to_string() } else { labels.join(",") });
            }
            cells
        })
        .collect();
    ok(table::render(&head, &body))
}
