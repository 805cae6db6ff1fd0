//! The API server's work: what happens to an object between kubectl and the
//! stored state. [`Simulation::apply`] parses (through [`crate::manifest`],
//! with its size, depth and alias guards), decodes strictly and defaults
//! ([`crate::spec`]), admits (`DefaultStorageClass`, namespace existence,
//! stsplay's replica bound), validates updates against the stored object
//! ([`validation`]), then writes every object or none and returns kubectl's
//! output lines. [`patch`] applies merge, strategic-merge and JSON patches to
//! a stored object's JSON.
//!
//! The writes go through `Simulation`'s crate-internal hooks
//! (`cluster_mut`, `rng_mut`, `record`, `enqueue_*`); the watch reactions they
//! trigger (a StatefulSet or claim sync, rescheduling) are queued as events.

pub mod patch;
pub mod validation;

use std::collections::BTreeSet;

use crate::manifest;
use crate::reason::Reason;
use crate::sim::{
    ApplyError, Claim, ClaimPhase, ClassState, Key, NodeState, ServiceState, SetState, Simulation, Volume,
    HOSTNAME_LABEL,
};
use crate::spec::{self, Kind, Object};

/// An object as the API server stores it: JSON (a StatefulSet's last written
/// form, kept for patches, `set image` and `rollout undo`).
pub type Stored = serde_json::Value;

/// The decoder's value as stored JSON. Non-string keys become their YAML text
/// and tags are dropped, as `sigs.k8s.io/yaml`'s YAML-to-JSON conversion does.
pub fn to_json(v: &manifest::Value) -> Stored {
    use manifest::Value;
    match v {
        Value::Null => Stored::Null,
        Value::Bool(b) => Stored::Bool(*b),
        Value::Number(n) => match (n.as_i64(), n.as_u64()) {
            (Some(i), _) => Stored::from(i),
            (None, Some(u)) => Stored::from(u),
            _ => serde_json::Number::from_f64(n.as_f64().unwrap_or(0.0)).map_or(Stored::Null, Stored::Number),
        },
        Value::String(s) => Stored::String(s.clone()),
        Value::Sequence(items) => Stored::Array(items.iter().map(to_json).collect()),
        Value::Mapping(m) => Stored::Object(
            m.iter()
                .map(|(k, v)| {
                    let key = match k {
                        Value::String(s) => s.clone(),
                        other => match to_json(other) {
                            Stored::String(s) => s,
                            j => j.to_string(),
                        },
                    };
                    (key, to_json(v))
                })
                .collect(),
        ),
        Value::Tagged(t) => to_json(&t.value),
    }
}

/// Stored JSON as the decoder's value (a conversion; no text is parsed).
pub fn from_json(v: &Stored) -> manifest::Value {
    use manifest::Value;
    match v {
        Stored::Null => Value::Null,
        Stored::Bool(b) => Value::Bool(*b),
        Stored::Number(n) => match (n.as_i64(), n.as_u64()) {
            (Some(i), _) => Value::from(i),
            (None, Some(u)) => Value::from(u),
            _ => Value::from(n.as_f64().unwrap_or(0.0)),
        },
        Stored::String(s) => Value::String(s.clone()),
        Stored::Array(items) => Value::Sequence(items.iter().map(from_json).collect()),
        Stored::Object(m) => Value::Mapping(m.iter().map(|(k, v)| (Value::String(k.clone()), from_json(v))).collect()),
    }
}

/// Strict decoding of a stored (or patched) object, as for `kubectl apply`.
pub fn decode_stored(raw: &Stored, source: &str) -> Result<Object, spec::DecodeError> {
    let doc = manifest::Document { index: 1, first_line: 1, value: Some(from_json(raw)), locator: Default::default() };
    spec::decode(&doc, source)
}

/// A StatefulSet's stored form with the API server's defaults filled in
/// (`SetObjectDefaults_StatefulSet`, see [`spec::default_statefulset_object`]).
pub fn default_stateful_set(raw: &Stored) -> Stored {
    let mut value = from_json(raw);
    spec::default_statefulset_object(&mut value);
    to_json(&value)
}

/// The `RequireNamespace` visitor on one document: sets `metadata.namespace`
/// of a namespaced object that has none, refuses one that differs.
fn require_namespace(doc: &mut manifest::Document, source: &str, ns: &str) -> Result<(), String> {
    let Ok(o) = spec::decode(doc, source) else {
        // Not decodable: apply reports it as usual.
        return Ok(());
    };
    if !o.kind().namespaced() {
        return Ok(());
    }
    let Some(manifest::Value::Mapping(top)) = doc.value.as_mut() else { return Ok(()) };
    let Some(manifest::Value::Mapping(meta)) = top.get_mut("metadata") else { return Ok(()) };
    match meta.get("namespace") {
        Some(manifest::Value::String(own)) if !own.is_empty() && own != ns => Err(format!(
            "error: the namespace from the provided object \"{own}\" does not match the namespace \"{ns}\". You must pass '--namespace={own}' to perform this operation."
        )),
        Some(manifest::Value::String(own)) if !own.is_empty() => Ok(()),
        _ => {
            meta.insert(manifest::Value::String("namespace".to_string()), manifest::Value::String(ns.to_string()));
            Ok(())
        }
    }
}

impl Simulation {
    /// `kubectl apply`: all documents or none. Returns kubectl's output lines.
    pub fn apply(&mut self, yaml: &str, source: &str) -> Result<Vec<String>, ApplyError> {
        self.apply_in(yaml, source, None)
    }

    /// `kubectl apply -n NAMESPACE`: a namespaced object without a namespace
    /// goes into `namespace`; one that names another namespace is refused, as
    /// the resource builder's `RequireNamespace` visitor does when `-n` is
    /// given (cli-runtime `pkg/resource/visitor.go` `RequireNamespace`,
    /// enabled by `NamespaceParam(..).DefaultNamespace()` with
    /// `enforceNamespace` in kubectl `cmd/apply/apply.go`).
    pub fn apply_in(&mut self, yaml: &str, source: &str, namespace: Option<&str>) -> Result<Vec<String>, ApplyError> {
        let mut parsed = manifest::parse(yaml);
        manifest::expand_lists(&mut parsed);
        if let Some(ns) = namespace {
            for doc in &mut parsed.documents {
                if let Err(message) = require_namespace(doc, source, ns) {
                    return Err(ApplyError { message, diagnostics: Vec::new() });
                }
            }
        }
        let mut messages = Vec::new();
        let mut diagnostics = parsed.diagnostics.clone();
        for d in &parsed.diagnostics {
            messages.push(format!("error: error parsing {source}: {}", d));
        }
        let mut objects = Vec::new();
        for doc in &parsed.documents {
            if doc.value.is_none() {
                continue;
            }
            match spec::decode(doc, source) {
                Ok(o) => {
                    let mut raw = doc.value.clone().unwrap_or_default();
                    if let Object::StatefulSet(_) = &o {
                        spec::default_statefulset_object(&mut raw);
                    }
                    objects.push((doc.index, raw, o))
                }
                Err(e) => {
                    messages.push(e.message);
                    diagnostics.extend(e.diagnostics);
                }
            }
        }
        if messages.is_empty() && objects.is_empty() {
            messages.push("error: no objects passed to apply".to_string());
        }
        for (_, _, o) in &objects {
            messages.extend(validation::replicas_bound(o));
        }
        let decoded: Vec<&Object> = objects.iter().map(|(_, _, o)| o).collect();
        messages.extend(validation::namespaces_exist(self.cluster(), &decoded, source));
        // Update validation against what exists (immutable fields).
        for (index, _, o) in &objects {
            if let Some(msg) = validation::validate_update(self.cluster(), o) {
                let doc = parsed.documents.iter().find(|d| d.index == *index);
                if let Some(doc) = doc {
                    diagnostics.push(doc.diagnostic("spec", msg.clone()));
                }
                messages.push(msg);
            }
        }
        if !messages.is_empty() {
            return Err(ApplyError { message: messages.join("\n"), diagnostics });
        }
        let mut out = Vec::new();
        for (_, raw, o) in objects {
            out.push(self.apply_object(o, raw, "kubectl apply"));
        }
        Ok(out)
    }
    /// Records a user's change to an object and returns kubectl's line for it
    /// (`statefulset.apps/web configured`).
    pub(crate) fn user_change(
        &mut self,
        command: &str,
        kind: Kind,
        namespace: Option<String>,
        name: &str,
        verb: &str,
    ) -> String {
        self.record(Reason::UserChange {
            command: command.to_string(),
            resource: kind.resource().to_string(),
            namespace,
            name: name.to_string(),
            verb: verb.to_string(),
        });
        format!("{}/{} {}", kind.resource(), name, verb)
    }

    fn apply_object(&mut self, o: Object, raw: manifest::Value, command: &str) -> String {
        // An object that exists but was not created by `kubectl apply` has no
        // last-applied-configuration annotation: kubectl warns and adds it.
        let id = (o.kind().name().to_string(), o.meta().namespace.clone().unwrap_or_default(), o.meta().name.clone());
        let exists = match &o {
            Object::Node(n) => self.cluster().nodes.contains_key(&n.meta.name),
            Object::StorageClass(sc) => self.cluster().classes.contains_key(&sc.meta.name),
            Object::Service(svc) => self.cluster().services.contains_key(&(id.1.clone(), svc.meta.name.clone())),
            Object::Namespace(m) => self.cluster().namespaces.contains_key(&m.name),
            _ => false,
        };
        let warning = (exists && !self.cluster().applied.contains(&id)).then(|| {
            format!(
                "Warning: resource {}/{} is missing the kubectl.kubernetes.io/last-applied-configuration annotation which is required by kubectl apply. kubectl apply should only be used on resources created declaratively by either kubectl create --save-config or kubectl apply. The missing annotation will be patched automatically.\n",
                o.kind().plural().split('.').next().unwrap_or_default(),
                id.2
            )
        });
        self.cluster_mut().applied.insert(id);
        let line = self.apply_object_inner(o, raw, command);
        match warning {
            Some(w) => w + &line,
            None => line,
        }
    }

    fn apply_object_inner(&mut self, o: Object, raw: manifest::Value, command: &str) -> String {
        let now = self.now_ms();
        let kind = o.kind();
        let meta = o.meta().clone();
        let ns = meta.namespace.clone().unwrap_or_default();
        let key = (ns.clone(), meta.name.clone());
        let namespace = meta.namespace.clone();
        match o {
            Object::StatefulSet(set) => {
                let verb = match self.cluster_mut().sets.get_mut(&key) {
                    Some(existing) if existing.set == set => "unchanged",
                    Some(existing) => {
                        existing.set = set;
                        existing.manifest = to_json(&raw);
                        existing.generation += 1;
                        "configured"
                    }
                    None => {
                        let uid = self.rng_mut().uuid();
                        self.cluster_mut().sets.insert(key.clone(), SetState::new(set, to_json(&raw), uid, now));
                        "created"
                    }
                };
                if verb != "unchanged" {
                    self.enqueue_set_sync(&key, self.profile().controller_delay_ms);
                }
                self.user_change(command, kind, namespace, &meta.name, verb)
            }
            Object::Service(svc) => {
                let verb = match self.cluster_mut().services.get_mut(&key) {
                    Some(existing) if existing.service == svc => "unchanged",
                    Some(existing) => {
                        existing.service = svc;
                        "configured"
                    }
                    None => {
                        let cluster_ip = match svc.cluster_ip.clone() {
                            Some(ip) => ip,
                            None => self.allocate_cluster_ip(),
                        };
                        self.cluster_mut()
                            .services
                            .insert(key.clone(), ServiceState { service: svc, cluster_ip, created_ms: now });
                        "created"
                    }
                };
                self.user_change(command, kind, namespace, &meta.name, verb)
            }
            Object::PersistentVolumeClaim(pvc) => {
                let verb = match self.cluster_mut().claims.get_mut(&key) {
                    Some(existing) if existing.labels == pvc.meta.labels => "unchanged",
                    Some(existing) => {
                        existing.labels = pvc.meta.labels.clone();
                        "configured"
                    }
                    None => {
                        let storage_class = self.admit_claim_class(&pvc.spec.storage_class_name);
                        let mut claim = Claim::new(
                            ns.clone(),
                            meta.name.clone(),
                            pvc.meta.labels.clone(),
                            pvc.spec.clone(),
                            storage_class,
                            None,
                        );
                        claim.uid = self.rng_mut().uuid();
                        claim.created_ms = now;
                        self.cluster_mut().insert_claim(claim);
                        self.enqueue_claim_sync(&key);
                        "created"
                    }
                };
                self.user_change(command, kind, namespace, &meta.name, verb)
            }
            Object::PersistentVolume(pv) => {
                let name = meta.name.clone();
                let verb = match self.cluster().volumes.get(&name) {
                    Some(existing) if existing.same_spec(&pv) => "unchanged",
                    Some(_) => {
                        self.cluster_mut().update_volume(&name, |v| v.labels = pv.meta.labels.clone());
                        "configured"
                    }
                    None => {
                        let uid = self.rng_mut().uuid();
                        self.cluster_mut().put_volume(Volume::from_spec(&pv, uid, now));
                        "created"
                    }
                };
                // The PV controller re-syncs unbound claims when volumes appear.
                let pending: Vec<Key> = self
                    .cluster()
                    .claims
                    .values()
                    .filter(|c| c.phase == ClaimPhase::Pending)
                    .map(|c| c.key())
                    .collect();
                for c in pending {
                    self.enqueue_claim_sync(&c);
                }
                self.user_change(command, kind, None, &name, verb)
            }
            Object::StorageClass(sc) => {
                let name = meta.name.clone();
                let verb = match self.cluster_mut().classes.get_mut(&name) {
                    Some(existing) if existing.class == sc => "unchanged",
                    Some(existing) => {
                        existing.class = sc;
                        "configured"
                    }
                    None => {
                        self.cluster_mut().classes.insert(name.clone(), ClassState { class: sc, created_ms: now });
                        "created"
                    }
                };
                self.user_change(command, kind, None, &name, verb)
            }
            Object::Namespace(m) => {
                let verb = if self.cluster().namespaces.contains_key(&m.name) {
                    "unchanged"
                } else {
                    self.cluster_mut().namespaces.insert(m.name.clone(), now);
                    "created"
                };
                self.user_change(command, kind, None, &m.name, verb)
            }
            Object::Node(mut node) => {
                let name = meta.name.clone();
                let verb = match self.cluster_mut().nodes.get_mut(&name) {
                    Some(existing) => {
                        // A patch, not a replacement: labels the manifest does not
                        // mention stay (kubernetes.io/hostname, node-role...).
                        for (k, v) in &existing.node.meta.labels {
                            node.meta.labels.entry(k.clone()).or_insert_with(|| v.clone());
                        }
                        let in_spec = |k: &str| raw.get("spec").and_then(|s| s.get(k)).is_some();
                        if !in_spec("unschedulable") {
                            node.unschedulable = existing.node.unschedulable;
                        }
                        if !in_spec("taints") {
                            node.taints = existing.node.taints.clone();
                        }
                        if raw.get("status").and_then(|s| s.get("allocatable")).is_none() {
                            node.allocatable = existing.node.allocatable;
                        }
                        if existing.node == node {
                            "unchanged"
                        } else {
                            existing.node = node;
                            "configured"
                        }
                    }
                    None => {
                        // The node's kubelet labels the Node it registers with its
                        // hostname and OS (`pkg/kubelet/kubelet_node_status.go`
                        // `initialNode`); the local-path provisioner's volumes
                        // select nodes by that hostname label.
                        node.meta.labels.entry(HOSTNAME_LABEL.to_string()).or_insert_with(|| name.clone());
                        node.meta.labels.entry("kubernetes.io/os".to_string()).or_insert_with(|| "linux".to_string());
                        let index = self.cluster().nodes.values().map(|n| n.index).max().map_or(1, |i| i + 1);
                        self.cluster_mut().nodes.insert(name.clone(), NodeState::new(node, index, now));
                        "created"
                    }
                };
                if verb != "unchanged" {
                    self.cluster_mut().reindex_nodes();
                    self.reschedule_pending_pods();
                }
                self.user_change(command, kind, None, &name, verb)
            }
        }
    }

    /// `DefaultStorageClass` admission: an omitted class becomes the default one.
    fn admit_claim_class(&self, requested: &Option<String>) -> Option<String> {
        match requested {
            Some(c) => Some(c.clone()),
            None => self.cluster().default_class().map(|c| c.to_string()),
        }
    }

    fn allocate_cluster_ip(&mut self) -> String {
        let (cluster, rng) = self.cluster_and_rng_mut();
        let used: BTreeSet<&str> = cluster.services.values().map(|s| s.cluster_ip.as_str()).collect();
        loop {
            // 10.96.0.0/12, as kind's service CIDR.
            let v = rng.below(1 << 20) as u32;
            let ip = format!("10.{}.{}.{}", 96 + (v >> 16), (v >> 8) & 0xFF, v & 0xFF);
            if v & 0xFF != 0 && v & 0xFF != 255 && v > 16 && !used.contains(ip.as_str()) {
                return ip;
            }
        }
    }
}
