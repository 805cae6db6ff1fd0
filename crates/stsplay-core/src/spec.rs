//! Validated, defaulted API objects, decoded from [`manifest`] documents.
//!
//! Decoding is strict like `kubectl apply` with server-side field validation
//! (`--validate=strict`, the default): unknown fields and wrong types are
//! errors, reported with the API server's wording and positioned through the
//! document's locator. Fields that Kubernetes knows but stsplay does not model
//! are accepted and ignored (listed per type below), so upstream manifests
//! load unchanged.
//!
//! Upstream: `pkg/apis/apps/validation/validation.go` (ValidateStatefulSet*),
//! `pkg/apis/core/validation/validation.go`, `pkg/apis/apps/v1/defaults.go`.

use std::collections::BTreeMap;

use crate::manifest::{Diagnostic, Document, Value};
use crate::quantity::Quantity;

// ---------------------------------------------------------------------------
// Object types
// ---------------------------------------------------------------------------

#[derive(Clone, Debug, PartialEq, Eq, Default)]
pub struct ObjectMeta {
    pub name: String,
    /// `None` for cluster-scoped kinds; namespaced kinds default to `default`.
    pub namespace: Option<String>,
    pub labels: BTreeMap<String, String>,
    pub annotations: BTreeMap<String, String>,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Object {
    StatefulSet(StatefulSet),
    Service(Service),
    PersistentVolumeClaim(PersistentVolumeClaim),
    PersistentVolume(PersistentVolume),
    StorageClass(StorageClass),
    Node(Node),
    Namespace(ObjectMeta),
}

impl Object {
    pub fn meta(&self) -> &ObjectMeta {
        match self {
            Object::StatefulSet(o) => &o.meta,
            Object::Service(o) => &o.meta,
            Object::PersistentVolumeClaim(o) => &o.meta,
            Object::PersistentVolume(o) => &o.meta,
            Object::StorageClass(o) => &o.meta,
            Object::Node(o) => &o.meta,
            Object::Namespace(m) => m,
        }
    }

    pub fn kind(&self) -> Kind {
        match self {
            Object::StatefulSet(_) => Kind::StatefulSet,
            Object::Service(_) => Kind::Service,
            Object::PersistentVolumeClaim(_) => Kind::PersistentVolumeClaim,
            Object::PersistentVolume(_) => Kind::PersistentVolume,
            Object::StorageClass(_) => Kind::StorageClass,
            Object::Node(_) => Kind::Node,
            Object::Namespace(_) => Kind::Namespace,
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Kind {
    StatefulSet,
    Service,
    PersistentVolumeClaim,
    PersistentVolume,
    StorageClass,
    Node,
    Namespace,
}

impl Kind {
    pub fn name(self) -> &'static str {
        match self {
            Kind::StatefulSet => "StatefulSet",
            Kind::Service => "Service",
            Kind::PersistentVolumeClaim => "PersistentVolumeClaim",
            Kind::PersistentVolume => "PersistentVolume",
            Kind::StorageClass => "StorageClass",
            Kind::Node => "Node",
            Kind::Namespace => "Namespace",
        }
    }
    pub fn api_version(self) -> &'static str {
        match self {
            Kind::StatefulSet => "apps/v1",
            Kind::StorageClass => "storage.k8s.io/v1",
            _ => "v1",
        }
    }
    /// `resource.group` as kubectl prints it (`statefulset.apps/web created`).
    pub fn resource(self) -> &'static str {
        match self {
            Kind::StatefulSet => "statefulset.apps",
            Kind::Service => "service",
            Kind::PersistentVolumeClaim => "persistentvolumeclaim",
            Kind::PersistentVolume => "persistentvolume",
            Kind::StorageClass => "storageclass.storage.k8s.io",
            Kind::Node => "node",
            Kind::Namespace => "namespace",
        }
    }
    /// Plural `resource.group`, as in `statefulsets.apps "web" not found`.
    pub fn plural(self) -> &'static str {
        match self {
            Kind::StatefulSet => "statefulsets.apps",
            Kind::Service => "services",
            Kind::PersistentVolumeClaim => "persistentvolumeclaims",
            Kind::PersistentVolume => "persistentvolumes",
            Kind::StorageClass => "storageclasses.storage.k8s.io",
            Kind::Node => "nodes",
            Kind::Namespace => "namespaces",
        }
    }
    pub fn namespaced(self) -> bool {
        matches!(self, Kind::StatefulSet | Kind::Service | Kind::PersistentVolumeClaim)
    }
    fn from_type(api_version: &str, kind: &str) -> Option<Kind> {
        Some(match (api_version, kind) {
            ("apps/v1", "StatefulSet") => Kind::StatefulSet,
            ("v1", "Service") => Kind::Service,
            ("v1", "PersistentVolumeClaim") => Kind::PersistentVolumeClaim,
            ("v1", "PersistentVolume") => Kind::PersistentVolume,
            ("storage.k8s.io/v1", "StorageClass") => Kind::StorageClass,
            ("v1", "Node") => Kind::Node,
            ("v1", "Namespace") => Kind::Namespace,
            _ => return None,
        })
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum PodManagementPolicy {
    OrderedReady,
    Parallel,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum UpdateStrategy {
    RollingUpdate { partition: i32, max_unavailable: Option<IntOrPercent> },
    OnDelete,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum IntOrPercent {
    Int(i32),
    Percent(i32),
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum RetentionPolicy {
    Retain,
    Delete,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct StatefulSet {
    pub meta: ObjectMeta,
    pub spec: StatefulSetSpec,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct StatefulSetSpec {
    pub replicas: i32,
    pub selector: LabelSelector,
    pub template: PodTemplate,
    pub volume_claim_templates: Vec<ClaimTemplate>,
    pub service_name: String,
    pub pod_management_policy: PodManagementPolicy,
    pub update_strategy: UpdateStrategy,
    pub revision_history_limit: i32,
    pub min_ready_seconds: i32,
    pub ordinals_start: i32,
    pub when_deleted: RetentionPolicy,
    pub when_scaled: RetentionPolicy,
}

#[derive(Clone, Debug, PartialEq, Eq, Default)]
pub struct LabelSelector {
    pub match_labels: BTreeMap<String, String>,
    pub match_expressions: Vec<SelectorRequirement>,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SelectorRequirement {
    pub key: String,
    pub operator: String,
    pub values: Vec<String>,
}

impl LabelSelector {
    /// `metav1.LabelSelectorAsSelector(...).Matches(labels)`.
    pub fn matches(&self, labels: &BTreeMap<String, String>) -> bool {
        self.match_labels.iter().all(|(k, v)| labels.get(k) == Some(v))
            && self.match_expressions.iter().all(|r| {
                let got = labels.get(&r.key);
                match r.operator.as_str() {
                    "In" => got.is_some_and(|v| r.values.contains(v)),
                    "NotIn" => !got.is_some_and(|v| r.values.contains(v)),
                    "Exists" => got.is_some(),
                    "DoesNotExist" => got.is_none(),
                    _ => false,
                }
            })
    }
    pub fn is_empty(&self) -> bool {
        self.match_labels.is_empty() && self.match_expressions.is_empty()
    }
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PodTemplate {
    pub labels: BTreeMap<String, String>,
    pub annotations: BTreeMap<String, String>,
    pub spec: PodSpec,
    /// The template as written, with sorted keys: what a ControllerRevision hashes.
    pub canonical: String,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PodSpec {
    pub containers: Vec<Container>,
    pub termination_grace_period_seconds: i64,
    pub node_selector: BTreeMap<String, String>,
    /// Pod volumes that refer to a claim: (volume name, claim name).
    pub claim_volumes: Vec<(String, String)>,
    pub hostname: Option<String>,
    pub subdomain: Option<String>,
    pub tolerations: Vec<Toleration>,
    /// `affinity.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution`:
    /// terms are ORed, the requirements in a term ANDed.
    pub required_node_affinity: Vec<Vec<NodeRequirement>>,
    /// `affinity.podAntiAffinity.requiredDuringSchedulingIgnoredDuringExecution`.
    pub required_anti_affinity: Vec<PodAffinityTerm>,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NodeRequirement {
    pub key: String,
    pub operator: String,
    pub values: Vec<String>,
}

impl NodeRequirement {
    pub fn matches(&self, labels: &BTreeMap<String, String>) -> bool {
        let got = labels.get(&self.key);
        match self.operator.as_str() {
            "In" => got.is_some_and(|v| self.values.contains(v)),
            "NotIn" => !got.is_some_and(|v| self.values.contains(v)),
            "Exists" => got.is_some(),
            "DoesNotExist" => got.is_none(),
            "Gt" | "Lt" => {
                let (Some(v), Some(bound)) =
                    (got.and_then(|v| v.parse::<i64>().ok()), self.values.first().and_then(|b| b.parse::<i64>().ok()))
                else {
                    return false;
                };
                if self.operator == "Gt" {
                    v > bound
                } else {
                    v < bound
                }
            }
            _ => false,
        }
    }
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PodAffinityTerm {
    pub selector: LabelSelector,
    pub topology_key: String,
}

/// CPU in millicores and memory in bytes, summed over containers' requests.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Resources {
    pub cpu_millis: u64,
    pub memory_bytes: u128,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Container {
    pub name: String,
    pub image: String,
    pub ports: Vec<ContainerPort>,
    pub readiness_probe: Option<Probe>,
    pub volume_mounts: Vec<VolumeMount>,
    pub requests: Resources,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct VolumeMount {
    pub name: String,
    pub mount_path: String,
    pub read_only: bool,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ContainerPort {
    pub name: Option<String>,
    pub container_port: i32,
    pub protocol: String,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Probe {
    pub initial_delay_seconds: i32,
    pub period_seconds: i32,
    pub success_threshold: i32,
    pub failure_threshold: i32,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Toleration {
    pub key: Option<String>,
    pub operator: String,
    pub value: Option<String>,
    pub effect: Option<String>,
    pub toleration_seconds: Option<i64>,
}

impl Toleration {
    /// `ToleratesTaint` (k8s.io/api/core/v1/toleration.go).
    pub fn tolerates(&self, key: &str, value: Option<&str>, effect: &str) -> bool {
        let key_ok = match &self.key {
            None => self.operator == "Exists",
            Some(k) => k == key,
        };
        let value_ok = self.operator == "Exists" || self.value.as_deref() == value;
        let effect_ok = self.effect.as_deref().is_none_or(|e| e.is_empty() || e == effect);
        key_ok && value_ok && effect_ok
    }
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ClaimTemplate {
    pub name: String,
    pub labels: BTreeMap<String, String>,
    pub spec: ClaimSpec,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ClaimSpec {
    pub access_modes: Vec<String>,
    /// `None`: not set (the default class applies); `Some("")`: classless only.
    pub storage_class_name: Option<String>,
    pub request: Quantity,
    pub volume_name: Option<String>,
    pub selector: Option<LabelSelector>,
    pub volume_mode: String,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PersistentVolumeClaim {
    pub meta: ObjectMeta,
    pub spec: ClaimSpec,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PersistentVolume {
    pub meta: ObjectMeta,
    pub capacity: Quantity,
    pub access_modes: Vec<String>,
    pub reclaim_policy: String,
    pub storage_class_name: String,
    /// (namespace, name) of a claim this volume is pre-bound to.
    pub claim_ref: Option<(String, String)>,
    /// `nodeAffinity.required.nodeSelectorTerms`: terms ORed, requirements ANDed.
    pub node_affinity: Option<Vec<Vec<NodeRequirement>>>,
    pub volume_mode: String,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct StorageClass {
    pub meta: ObjectMeta,
    pub provisioner: String,
    pub reclaim_policy: String,
    pub volume_binding_mode: String,
}

impl StorageClass {
    /// `storageclass.kubernetes.io/is-default-class: "true"`.
    pub fn is_default(&self) -> bool {
        self.meta.annotations.get("storageclass.kubernetes.io/is-default-class").map(String::as_str) == Some("true")
    }
    pub fn waits_for_first_consumer(&self) -> bool {
        self.volume_binding_mode == "WaitForFirstConsumer"
    }
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Service {
    pub meta: ObjectMeta,
    /// `None` when the API server allocates one; `Some("None")` for headless.
    pub cluster_ip: Option<String>,
    pub service_type: String,
    pub ports: Vec<ServicePort>,
    pub selector: BTreeMap<String, String>,
    pub publish_not_ready_addresses: bool,
}

impl Service {
    pub fn is_headless(&self) -> bool {
        self.cluster_ip.as_deref() == Some("None")
    }
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ServicePort {
    pub name: Option<String>,
    pub port: i32,
    pub protocol: String,
}

/// `repr(C)`, scheduler-read fields first (see `sim::state::NodeState`).
#[derive(Clone, Debug, PartialEq, Eq)]
#[repr(C)]
pub struct Node {
    pub unschedulable: bool,
    /// `status.allocatable` (a playground convenience: real nodes report it).
    pub allocatable: Allocatable,
    pub taints: Vec<Taint>,
    pub meta: ObjectMeta,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[repr(C)]
pub struct Allocatable {
    pub pods: u32,
    pub cpu_millis: u64,
    pub memory_bytes: u128,
}

impl Default for Allocatable {
    /// What a kind node on a 4-core, 8 GiB host reports.
    fn default() -> Self {
        Allocatable { cpu_millis: 4000, memory_bytes: 8 << 30, pods: 110 }
    }
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Taint {
    pub key: String,
    pub value: Option<String>,
    pub effect: String,
}

// ---------------------------------------------------------------------------
// Errors
// ---------------------------------------------------------------------------

/// Why a document was refused, with the text kubectl would print.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DecodeError {
    pub message: String,
    pub diagnostics: Vec<Diagnostic>,
}

#[derive(Clone, Debug, PartialEq, Eq)]
enum Problem {
    /// Strict decoding: `unknown field "spec.replica"`.
    Unknown,
    /// `json: cannot unmarshal string into Go struct field StatefulSetSpec.spec.replicas of type int32`.
    Type { json: &'static str, go_struct: &'static str, go_type: &'static str },
    /// Field validation (`field.Invalid`, `field.Required`, ...), already worded.
    Invalid(String),
}

#[derive(Clone, Debug)]
struct FieldError {
    path: String,
    problem: Problem,
}

#[derive(Default)]
struct Errors {
    list: Vec<FieldError>,
}

impl Errors {
    fn unknown(&mut self, path: String) {
        self.list.push(FieldError { path, problem: Problem::Unknown });
    }
    fn type_error(&mut self, path: &str, got: &Value, go_struct: &'static str, go_type: &'static str) {
        self.list.push(FieldError {
            path: path.to_string(),
            problem: Problem::Type { json: json_type(got), go_struct, go_type },
        });
    }
    fn invalid(&mut self, path: &str, value: impl std::fmt::Display, detail: &str) {
        self.list.push(FieldError {
            path: path.to_string(),
            problem: Problem::Invalid(format!("{path}: Invalid value: {value}: {detail}")),
        });
    }
    fn required(&mut self, path: &str, detail: &str) {
        let text = if detail.is_empty() {
            format!("{path}: Required value")
        } else {
            format!("{path}: Required value: {detail}")
        };
        self.list.push(FieldError { path: path.to_string(), problem: Problem::Invalid(text) });
    }
    fn unsupported(&mut self, path: &str, value: &str, supported: &[&str]) {
        let list = supported.iter().map(|s| format!("\"{s}\"")).collect::<Vec<_>>().join(", ");
        self.list.push(FieldError {
            path: path.to_string(),
            problem: Problem::Invalid(format!("{path}: Unsupported value: \"{value}\": supported values: {list}")),
        });
    }
}

fn json_type(v: &Value) -> &'static str {
    match v {
        Value::String(_) => "string",
        Value::Number(_) => "number",
        Value::Bool(_) => "bool",
        Value::Sequence(_) => "array",
        Value::Mapping(_) | Value::Tagged(_) => "object",
        Value::Null => "null",
    }
}

/// Renders the errors of one document the way kubectl reports them.
fn render(doc: &Document, kind: Kind, name: &str, source: &str, errs: Errors) -> DecodeError {
    let diagnostics = errs
        .list
        .iter()
        .map(|e| {
            let message = match &e.problem {
                Problem::Unknown => format!("unknown field \"{}\"", e.path),
                Problem::Type { json, go_struct, go_type } => {
                    format!("cannot unmarshal {json} into Go struct field {go_struct}.{} of type {go_type}", e.path)
                }
                Problem::Invalid(text) => text.clone(),
            };
            doc.diagnostic(&e.path, message)
        })
        .collect::<Vec<_>>();
    let decode_prefix =
        format!("Error from server (BadRequest): error when creating \"{source}\": {k} in version \"v1\" cannot be handled as a {k}: ", k = kind.name());
    let unknown: Vec<_> = errs.list.iter().filter(|e| e.problem == Problem::Unknown).collect();
    let first_type_error = errs.list.iter().find_map(|e| match &e.problem {
        Problem::Type { json, go_struct, go_type } => Some((e, json, go_struct, go_type)),
        _ => None,
    });
    let message = if let Some((e, json, go_struct, go_type)) = first_type_error {
        // Go's JSON decoder stops at the first type error.
        format!(
            "{decode_prefix}json: cannot unmarshal {json} into Go struct field {go_struct}.{} of type {go_type}",
            e.path
        )
    } else if !unknown.is_empty() {
        let list = unknown.iter().map(|e| format!("unknown field \"{}\"", e.path)).collect::<Vec<_>>().join(", ");
        format!("{decode_prefix}strict decoding error: {list}")
    } else {
        let causes: Vec<String> = errs
            .list
            .iter()
            .filter_map(|e| match &e.problem {
                Problem::Invalid(t) => Some(t.clone()),
                _ => None,
            })
            .collect();
        // kubectl's MultilineError: one cause inline, several as "* cause" lines.
        if let [only] = causes.as_slice() {
            format!("The {} \"{}\" is invalid: {}", kind.name(), name, only)
        } else {
            let lines: String = causes.iter().map(|c| format!("\n* {c}")).collect();
            format!("The {} \"{}\" is invalid: {lines}", kind.name(), name)
        }
    };
    DecodeError { message, diagnostics }
}

// ---------------------------------------------------------------------------
// The strict reader
// ---------------------------------------------------------------------------

/// A mapping being read at `path`; keys read or accepted are remembered so the
/// rest can be reported as unknown.
struct Reader<'a> {
    map: Option<&'a serde_yaml::Mapping>,
    path: String,
    go_struct: &'static str,
    seen: Vec<String>,
}

fn join(path: &str, key: &str) -> String {
    if path.is_empty() {
        key.to_string()
    } else {
        format!("{path}.{key}")
    }
}

impl<'a> Reader<'a> {
    fn new(v: &'a Value, path: &str, go_struct: &'static str, errs: &mut Errors) -> Reader<'a> {
        let map = match v {
            Value::Mapping(m) => Some(m),
            Value::Null => None,
            other => {
                errs.type_error(path, other, go_struct, go_struct_type(go_struct));
                None
            }
        };
        Reader { map, path: path.to_string(), go_struct, seen: Vec::new() }
    }

    fn field(&mut self, key: &str) -> Option<&'a Value> {
        self.seen.push(key.to_string());
        let v = self.map?.get(key)?;
        if v.is_null() {
            None
        } else {
            Some(v)
        }
    }

    fn path(&self, key: &str) -> String {
        join(&self.path, key)
    }

    fn string(&mut self, key: &str, errs: &mut Errors) -> Option<String> {
        let v = self.field(key)?;
        match v {
            Value::String(s) => Some(s.clone()),
            other => {
                errs.type_error(&self.path(key), other, self.go_struct, "string");
                None
            }
        }
    }

    fn int(&mut self, key: &str, go_type: &'static str, errs: &mut Errors) -> Option<i64> {
        let v = self.field(key)?;
        match v.as_i64() {
            Some(n) if go_type != "int32" || i32::try_from(n).is_ok() => Some(n),
            _ => {
                errs.type_error(&self.path(key), v, self.go_struct, go_type);
                None
            }
        }
    }

    fn bool(&mut self, key: &str, errs: &mut Errors) -> Option<bool> {
        let v = self.field(key)?;
        match v {
            Value::Bool(b) => Some(*b),
            other => {
                errs.type_error(&self.path(key), other, self.go_struct, "bool");
                None
            }
        }
    }

    fn object(&mut self, key: &str, go_struct: &'static str, errs: &mut Errors) -> Option<Reader<'a>> {
        let path = self.path(key);
        let v = self.field(key)?;
        match v {
            Value::Mapping(_) => Some(Reader::new(v, &path, go_struct, errs)),
            other => {
                errs.type_error(&path, other, self.go_struct, go_struct_type(go_struct));
                None
            }
        }
    }

    fn list(&mut self, key: &str, go_type: &'static str, errs: &mut Errors) -> Vec<(String, &'a Value)> {
        let path = self.path(key);
        let Some(v) = self.field(key) else {
            return Vec::new();
        };
        match v {
            Value::Sequence(items) => {
                items.iter().enumerate().map(|(i, item)| (format!("{path}[{i}]"), item)).collect()
            }
            other => {
                errs.type_error(&path, other, self.go_struct, go_type);
                Vec::new()
            }
        }
    }

    fn string_list(&mut self, key: &str, errs: &mut Errors) -> Vec<String> {
        let go = self.go_struct;
        self.list(key, "[]string", errs)
            .into_iter()
            .filter_map(|(p, v)| match v {
                Value::String(s) => Some(s.clone()),
                other => {
                    errs.type_error(&p, other, go, "string");
                    None
                }
            })
            .collect()
    }

    fn string_map(&mut self, key: &str, errs: &mut Errors) -> BTreeMap<String, String> {
        let path = self.path(key);
        let mut out = BTreeMap::new();
        let Some(v) = self.field(key) else { return out };
        let Value::Mapping(m) = v else {
            errs.type_error(&path, v, self.go_struct, "map[string]string");
            return out;
        };
        for (k, val) in m {
            let Some(k) = k.as_str() else {
                errs.type_error(&path, k, self.go_struct, "map[string]string");
                continue;
            };
            match val {
                Value::String(s) => {
                    out.insert(k.to_string(), s.clone());
                }
                Value::Null => {
                    out.insert(k.to_string(), String::new());
                }
                other => errs.type_error(&join(&path, k), other, self.go_struct, "string"),
            }
        }
        out
    }

    /// Fields Kubernetes knows and stsplay accepts without modelling them.
    fn accept(&mut self, keys: &[&str]) {
        self.seen.extend(keys.iter().map(|k| k.to_string()));
    }

    /// Reports every key that was neither read nor accepted.
    fn finish(self, errs: &mut Errors) {
        let Some(map) = self.map else { return };
        for k in map.keys() {
            let name = match k.as_str() {
                Some(s) => s.to_string(),
                None => crate::manifest::key_text(k),
            };
            if !self.seen.contains(&name) {
                errs.unknown(join(&self.path, &name));
            }
        }
    }
}

fn go_struct_type(go_struct: &'static str) -> &'static str {
    go_struct
}

// ---------------------------------------------------------------------------
// Decoding per kind
// ---------------------------------------------------------------------------

const META_ACCEPTED: &[&str] = &[
    "generateName",
    "uid",
    "resourceVersion",
    "generation",
    "creationTimestamp",
    "deletionTimestamp",
    "deletionGracePeriodSeconds",
    "ownerReferences",
    "finalizers",
    "managedFields",
    "selfLink",
];

/// What to do when a document names no namespace.
pub const DEFAULT_NAMESPACE: &str = "default";

/// Decodes one document. `source` is the file name kubectl would print.
pub fn decode(doc: &Document, source: &str) -> Result<Object, DecodeError> {
    let Some(value) = &doc.value else {
        return Err(DecodeError { message: "document could not be parsed".to_string(), diagnostics: Vec::new() });
    };
    let Value::Mapping(top) = value else {
        let d = doc.diagnostic("", format!("expected a mapping with apiVersion and kind, got {}", json_type(value)));
        return Err(DecodeError {
            message: format!("error: error validating \"{source}\": error validating data: invalid object to validate"),
            diagnostics: vec![d],
        });
    };
    let api_version = top.get("apiVersion").and_then(Value::as_str).unwrap_or("");
    let kind_name = top.get("kind").and_then(Value::as_str).unwrap_or("");
    if api_version.is_empty() || kind_name.is_empty() {
        let mut missing = Vec::new();
        let mut diagnostics = Vec::new();
        for (field, v) in [("apiVersion", api_version), ("kind", kind_name)] {
            if v.is_empty() {
                missing.push(format!("{field} not set"));
                diagnostics.push(doc.diagnostic(field, format!("{field} not set")));
            }
        }
        return Err(DecodeError {
            message: format!(
                "error: error validating \"{source}\": error validating data: [{}]; if you choose to ignore these errors, turn validation off with --validate=false",
                missing.join(", ")
            ),
            diagnostics,
        });
    }
    let name_for_msg =
        top.get("metadata").and_then(|m| m.get("name")).and_then(Value::as_str).unwrap_or("").to_string();
    let Some(kind) = Kind::from_type(api_version, kind_name) else {
        let ns = top.get("metadata").and_then(|m| m.get("namespace")).and_then(Value::as_str).unwrap_or("");
        let d = doc.diagnostic("kind", format!("no matches for kind \"{kind_name}\" in version \"{api_version}\""));
        return Err(DecodeError {
            message: format!(
                "error: resource mapping not found for name: \"{name_for_msg}\" namespace: \"{ns}\" from \"{source}\": no matches for kind \"{kind_name}\" in version \"{api_version}\"\nensure CRDs are installed first"
            ),
            diagnostics: vec![d],
        });
    };
    let mut errs = Errors::default();
    let mut r = Reader::new(value, "", kind.name(), &mut errs);
    r.accept(&["apiVersion", "kind", "status"]);
    let meta = match r.object("metadata", "ObjectMeta", &mut errs) {
        Some(m) => decode_meta(m, kind, &mut errs),
        None => {
            errs.required("metadata.name", "name or generateName is required");
            ObjectMeta::default()
        }
    };
    let object = match kind {
        Kind::StatefulSet => {
            let spec = r.object("spec", "StatefulSetSpec", &mut errs);
            Object::StatefulSet(StatefulSet { spec: decode_sts_spec(spec, &mut errs), meta })
        }
        Kind::Service => {
            let spec = r.object("spec", "ServiceSpec", &mut errs);
            decode_service(spec, meta, &mut errs)
        }
        Kind::PersistentVolumeClaim => {
            let spec = r.object("spec", "PersistentVolumeClaimSpec", &mut errs);
            let spec = decode_claim_spec(spec, "spec", &mut errs);
            Object::PersistentVolumeClaim(PersistentVolumeClaim { meta, spec })
        }
        Kind::PersistentVolume => {
            let spec = r.object("spec", "PersistentVolumeSpec", &mut errs);
            decode_volume(spec, meta, &mut errs)
        }
        Kind::StorageClass => decode_storage_class(&mut r, meta, &mut errs),
        Kind::Namespace => {
            if let Some(mut sp) = r.object("spec", "NamespaceSpec", &mut errs) {
                sp.accept(&["finalizers"]);
                sp.finish(&mut errs);
            }
            Object::Namespace(meta)
        }
        Kind::Node => {
            let spec = r.object("spec", "NodeSpec", &mut errs);
            let mut node = decode_node(spec, meta, &mut errs);
            if let Object::Node(n) = &mut node {
                decode_allocatable(value, &mut n.allocatable, &mut errs);
            }
            node
        }
    };
    r.finish(&mut errs);
    if errs.list.is_empty() {
        Ok(object)
    } else {
        Err(render(doc, kind, &name_for_msg, source, errs))
    }
}

fn decode_meta(mut m: Reader<'_>, kind: Kind, errs: &mut Errors) -> ObjectMeta {
    let name = m.string("name", errs).unwrap_or_default();
    let namespace = m.string("namespace", errs);
    let labels = m.string_map("labels", errs);
    let annotations = m.string_map("annotations", errs);
    m.accept(META_ACCEPTED);
    m.finish(errs);
    if name.is_empty() {
        errs.required("metadata.name", "name or generateName is required");
    } else {
        // ValidateStatefulSetName is NameIsDNSLabel (pod names become hostnames).
        let problems = match kind {
            Kind::Service => dns1035_label(&name),
            Kind::StatefulSet => dns1123_label(&name),
            _ => dns1123_subdomain(&name),
        };
        if let Some(p) = problems {
            errs.invalid("metadata.name", format!("\"{name}\""), &p);
        }
    }
    let namespace = if kind.namespaced() {
        let ns = namespace.unwrap_or_else(|| DEFAULT_NAMESPACE.to_string());
        if let Some(p) = dns1123_label(&ns) {
            errs.invalid("metadata.namespace", format!("\"{ns}\""), &p);
        }
        Some(ns)
    } else {
        None
    };
    for (k, v) in &labels {
        validate_label(k, v, "metadata.labels", errs);
    }
    ObjectMeta { name, namespace, labels, annotations }
}

fn validate_label(key: &str, value: &str, path: &str, errs: &mut Errors) {
    let (prefix, name) = match key.rsplit_once('/') {
        Some((p, n)) => (Some(p), n),
        None => (None, key),
    };
    let name_ok = !name.is_empty()
        && name.len() <= 63
        && name.chars().all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.'))
        && name.starts_with(|c: char| c.is_ascii_alphanumeric())
        && name.ends_with(|c: char| c.is_ascii_alphanumeric());
    if !name_ok || prefix.is_some_and(|p| dns1123_subdomain(p).is_some()) {
        errs.invalid(
            path,
            format!("\"{key}\""),
            "name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')",
        );
    }
    let value_ok = value.is_empty()
        || (value.len() <= 63
            && value.chars().all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.'))
            && value.starts_with(|c: char| c.is_ascii_alphanumeric())
            && value.ends_with(|c: char| c.is_ascii_alphanumeric()));
    if !value_ok {
        errs.invalid(
            path,
            format!("\"{value}\""),
            "a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyValue',  or 'my_value',  or '12345', regex used for validation is '(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?')",
        );
    }
}

/// `IsDNS1123Subdomain`; `None` when valid, else the API server's message.
pub fn dns1123_subdomain(s: &str) -> Option<String> {
    let ok = !s.is_empty()
        && s.len() <= 253
        && s.split('.').all(|part| {
            !part.is_empty()
                && part.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
                && part.starts_with(|c: char| c.is_ascii_alphanumeric())
                && part.ends_with(|c: char| c.is_ascii_alphanumeric())
        });
    (!ok).then(|| "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')".to_string())
}

/// `IsDNS1123Label`.
pub fn dns1123_label(s: &str) -> Option<String> {
    let ok = !s.is_empty()
        && s.len() <= 63
        && s.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
        && s.starts_with(|c: char| c.is_ascii_alphanumeric())
        && s.ends_with(|c: char| c.is_ascii_alphanumeric());
    (!ok).then(|| "a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')".to_string())
}

/// `IsDNS1035Label` (Service names).
pub fn dns1035_label(s: &str) -> Option<String> {
    let ok = !s.is_empty()
        && s.len() <= 63
        && s.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
        && s.starts_with(|c: char| c.is_ascii_lowercase())
        && s.ends_with(|c: char| c.is_ascii_alphanumeric());
    (!ok).then(|| "a DNS-1035 label must consist of lower case alphanumeric characters or '-', start with an alphabetic character, and end with an alphanumeric character (e.g. 'my-name',  or 'abc-123', regex used for validation is '[a-z]([-a-z0-9]*[a-z0-9])?')".to_string())
}

fn decode_selector(mut r: Reader<'_>, errs: &mut Errors) -> LabelSelector {
    let match_labels = r.string_map("matchLabels", errs);
    let mut match_expressions = Vec::new();
    for (p, v) in r.list("matchExpressions", "[]v1.LabelSelectorRequirement", errs) {
        let mut e = Reader::new(v, &p, "LabelSelectorRequirement", errs);
        let key = e.string("key", errs).unwrap_or_default();
        let operator = e.string("operator", errs).unwrap_or_default();
        let values = e.string_list("values", errs);
        e.finish(errs);
        if !["In", "NotIn", "Exists", "DoesNotExist"].contains(&operator.as_str()) {
            errs.invalid(&join(&p, "operator"), format!("\"{operator}\""), "not a valid selector operator");
        }
        match_expressions.push(SelectorRequirement { key, operator, values });
    }
    r.finish(errs);
    LabelSelector { match_labels, match_expressions }
}

fn decode_sts_spec(spec: Option<Reader<'_>>, errs: &mut Errors) -> StatefulSetSpec {
    let mut out = StatefulSetSpec {
        replicas: 1,
        selector: LabelSelector::default(),
        template: PodTemplate {
            labels: BTreeMap::new(),
            annotations: BTreeMap::new(),
            spec: empty_pod_spec(),
            canonical: String::new(),
        },
        volume_claim_templates: Vec::new(),
        service_name: String::new(),
        pod_management_policy: PodManagementPolicy::OrderedReady,
        update_strategy: UpdateStrategy::RollingUpdate { partition: 0, max_unavailable: None },
        revision_history_limit: 10,
        min_ready_seconds: 0,
        ordinals_start: 0,
        when_deleted: RetentionPolicy::Retain,
        when_scaled: RetentionPolicy::Retain,
    };
    let Some(mut s) = spec else {
        errs.required("spec.selector", "");
        return out;
    };
    if let Some(n) = s.int("replicas", "int32", errs) {
        out.replicas = n as i32;
        if n < 0 {
            errs.invalid("spec.replicas", n, "must be greater than or equal to 0");
        }
    }
    match s.object("selector", "LabelSelector", errs) {
        Some(sel) => out.selector = decode_selector(sel, errs),
        None => errs.required("spec.selector", ""),
    }
    if out.selector.is_empty() && s.map.is_some_and(|m| m.contains_key("selector")) {
        errs.invalid(
            "spec.selector",
            "v1.LabelSelector{MatchLabels:map[string]string(nil), MatchExpressions:[]v1.LabelSelectorRequirement(nil)}",
            "empty selector is invalid for statefulset",
        );
    }
    if let Some(t) = s.object("template", "PodTemplateSpec", errs) {
        // ValidateStatefulSetSpec: only restartPolicy Always, no activeDeadlineSeconds.
        let tspec = t.map.and_then(|m| m.get("spec"));
        if let Some(policy) = tspec.and_then(|sp| sp.get("restartPolicy")).and_then(Value::as_str) {
            if policy != "Always" {
                errs.unsupported("spec.template.spec.restartPolicy", policy, &["Always"]);
            }
        }
        if tspec.and_then(|sp| sp.get("activeDeadlineSeconds")).is_some_and(|v| !v.is_null()) {
            errs.list.push(FieldError {
                path: "spec.template.spec.activeDeadlineSeconds".to_string(),
                problem: Problem::Invalid(
                    "spec.template.spec.activeDeadlineSeconds: Forbidden: activeDeadlineSeconds in StatefulSet is not Supported"
                        .to_string(),
                ),
            });
        }
        out.template = decode_template(t, errs);
    }
    if !out.selector.is_empty() && !out.selector.matches(&out.template.labels) {
        errs.invalid(
            "spec.template.metadata.labels",
            go_map(&out.template.labels),
            "`selector` does not match template `labels`",
        );
    }
    for (p, v) in s.list("volumeClaimTemplates", "[]v1.PersistentVolumeClaim", errs) {
        let mut c = Reader::new(v, &p, "PersistentVolumeClaim", errs);
        c.accept(&["apiVersion", "kind", "status"]);
        let (name, labels) = match c.object("metadata", "ObjectMeta", errs) {
            Some(mut m) => {
                let name = m.string("name", errs).unwrap_or_default();
                let labels = m.string_map("labels", errs);
                m.accept(&["namespace", "annotations"]);
                m.accept(META_ACCEPTED);
                m.finish(errs);
                (name, labels)
            }
            None => (String::new(), BTreeMap::new()),
        };
        if name.is_empty() {
            errs.required(&format!("{p}.metadata.name"), "name or generateName is required");
        }
        let cs = c.object("spec", "PersistentVolumeClaimSpec", errs);
        let spec = decode_claim_spec(cs, &format!("{p}.spec"), errs);
        c.finish(errs);
        out.volume_claim_templates.push(ClaimTemplate { name, labels, spec });
    }
    out.service_name = s.string("serviceName", errs).unwrap_or_default();
    if let Some(p) = s.string("podManagementPolicy", errs) {
        out.pod_management_policy = match p.as_str() {
            "OrderedReady" => PodManagementPolicy::OrderedReady,
            "Parallel" => PodManagementPolicy::Parallel,
            other => {
                errs.invalid(
                    "spec.podManagementPolicy",
                    format!("\"{other}\""),
                    "must be 'OrderedReady' or 'Parallel'",
                );
                PodManagementPolicy::OrderedReady
            }
        };
    }
    if let Some(mut u) = s.object("updateStrategy", "StatefulSetUpdateStrategy", errs) {
        let ty = u.string("type", errs).unwrap_or_else(|| "RollingUpdate".to_string());
        let ru = u.object("rollingUpdate", "RollingUpdateStatefulSetStrategy", errs);
        out.update_strategy = match ty.as_str() {
            "RollingUpdate" => {
                let mut partition = 0;
                let mut max_unavailable = None;
                if let Some(mut ru) = ru {
                    if let Some(p) = ru.int("partition", "int32", errs) {
                        partition = p as i32;
                        if p < 0 {
                            errs.invalid(
                                "spec.updateStrategy.rollingUpdate.partition",
                                p,
                                "must be greater than or equal to 0",
                            );
                        }
                    }
                    if let Some(v) = ru.field("maxUnavailable") {
                        max_unavailable =
                            decode_int_or_percent(v, "spec.updateStrategy.rollingUpdate.maxUnavailable", errs);
                    }
                    ru.finish(errs);
                }
                UpdateStrategy::RollingUpdate { partition, max_unavailable }
            }
            "OnDelete" => {
                if let Some(mut ru) = ru {
                    let partition = ru.int("partition", "int32", errs).unwrap_or(0);
                    let max = ru.field("maxUnavailable").map(|v| match v {
                        Value::Number(n) => format!("{{Type:0, IntVal:{n}, StrVal:\"\"}}"),
                        Value::String(s) => format!("{{Type:1, IntVal:0, StrVal:\"{s}\"}}"),
                        _ => "{}".to_string(),
                    });
                    ru.finish(errs);
                    let max = match max {
                        Some(m) => format!("(*intstr.IntOrString)(&intstr.IntOrString{m})"),
                        None => "(*intstr.IntOrString)(nil)".to_string(),
                    };
                    errs.invalid(
                        "spec.updateStrategy.rollingUpdate",
                        format!("apps.RollingUpdateStatefulSetStrategy{{Partition:{partition}, MaxUnavailable:{max}}}"),
                        "only allowed for updateStrategy 'RollingUpdate'",
                    );
                }
                UpdateStrategy::OnDelete
            }
            other => {
                errs.unsupported("spec.updateStrategy.type", other, &["OnDelete", "RollingUpdate"]);
                UpdateStrategy::RollingUpdate { partition: 0, max_unavailable: None }
            }
        };
        u.finish(errs);
    }
    if let Some(n) = s.int("revisionHistoryLimit", "int32", errs) {
        out.revision_history_limit = n as i32;
        if n < 0 {
            errs.invalid("spec.revisionHistoryLimit", n, "must be greater than or equal to 0");
        }
    }
    if let Some(n) = s.int("minReadySeconds", "int32", errs) {
        out.min_ready_seconds = n as i32;
        if n < 0 {
            errs.invalid("spec.minReadySeconds", n, "must be greater than or equal to 0");
        }
    }
    if let Some(mut o) = s.object("ordinals", "StatefulSetOrdinals", errs) {
        if let Some(n) = o.int("start", "int32", errs) {
            out.ordinals_start = n as i32;
            if n < 0 {
                errs.invalid("spec.ordinals.start", n, "must be greater than or equal to 0");
            }
        }
        o.finish(errs);
    }
    if let Some(mut p) =
        s.object("persistentVolumeClaimRetentionPolicy", "StatefulSetPersistentVolumeClaimRetentionPolicy", errs)
    {
        for (key, slot) in [("whenDeleted", &mut out.when_deleted), ("whenScaled", &mut out.when_scaled)] {
            if let Some(v) = p.string(key, errs) {
                *slot = match v.as_str() {
                    "Retain" => RetentionPolicy::Retain,
                    "Delete" => RetentionPolicy::Delete,
                    other => {
                        errs.unsupported(
                            &format!("spec.persistentVolumeClaimRetentionPolicy.{key}"),
                            other,
                            &["Retain", "Delete"],
                        );
                        RetentionPolicy::Retain
                    }
                };
            }
        }
        p.finish(errs);
    }
    s.finish(errs);
    out
}

fn go_map(m: &BTreeMap<String, String>) -> String {
    let inner = m.iter().map(|(k, v)| format!("\"{k}\":\"{v}\"")).collect::<Vec<_>>().join(", ");
    format!("map[string]string{{{inner}}}")
}

fn decode_int_or_percent(v: &Value, path: &str, errs: &mut Errors) -> Option<IntOrPercent> {
    match v {
        Value::Number(n) => match n.as_i64().and_then(|n| i32::try_from(n).ok()) {
            Some(n) if n >= 1 => Some(IntOrPercent::Int(n)),
            Some(n) => {
                errs.invalid(path, n, "must be greater than 0");
                None
            }
            None => {
                errs.invalid(path, n, "must be an integer");
                None
            }
        },
        Value::String(s) => match s.strip_suffix('%').and_then(|p| p.parse::<i32>().ok()) {
            Some(p) if (1..=100).contains(&p) => Some(IntOrPercent::Percent(p)),
            Some(_) => {
                errs.invalid(path, format!("\"{s}\""), "must be greater than 0 and less than or equal to 100%");
                None
            }
            None => {
                errs.invalid(path, format!("\"{s}\""), "a valid percent string must be a numeric string followed by an ending '%' (e.g. '1%',  or '93%', regex used for validation is '[0-9]+%')");
                None
            }
        },
        other => {
            errs.type_error(path, other, "RollingUpdateStatefulSetStrategy", "intstr.IntOrString");
            None
        }
    }
}

fn empty_pod_spec() -> PodSpec {
    PodSpec {
        containers: Vec::new(),
        termination_grace_period_seconds: 30,
        node_selector: BTreeMap::new(),
        claim_volumes: Vec::new(),
        hostname: None,
        subdomain: None,
        tolerations: Vec::new(),
        required_node_affinity: Vec::new(),
        required_anti_affinity: Vec::new(),
    }
}

/// `NodeSelector.nodeSelectorTerms`: a list of terms of match expressions.
fn decode_node_selector_terms(mut req: Reader<'_>, errs: &mut Errors) -> Vec<Vec<NodeRequirement>> {
    let mut terms = Vec::new();
    for (tp, term) in req.list("nodeSelectorTerms", "[]v1.NodeSelectorTerm", errs) {
        let mut t = Reader::new(term, &tp, "NodeSelectorTerm", errs);
        let mut reqs = Vec::new();
        for (ep, e) in t.list("matchExpressions", "[]v1.NodeSelectorRequirement", errs) {
            let mut r = Reader::new(e, &ep, "NodeSelectorRequirement", errs);
            let key = r.string("key", errs).unwrap_or_default();
            let operator = r.string("operator", errs).unwrap_or_default();
            let values = r.string_list("values", errs);
            r.finish(errs);
            if !["In", "NotIn", "Exists", "DoesNotExist", "Gt", "Lt"].contains(&operator.as_str()) {
                errs.unsupported(
                    &join(&ep, "operator"),
                    &operator,
                    &["DoesNotExist", "Exists", "Gt", "In", "Lt", "NotIn"],
                );
            }
            reqs.push(NodeRequirement { key, operator, values });
        }
        t.accept(&["matchFields"]);
        t.finish(errs);
        terms.push(reqs);
    }
    req.finish(errs);
    terms
}

/// Parses a CPU quantity (`100m`, `0.5`, `2`) into millicores.
pub fn parse_cpu_millis(text: &str) -> Result<u64, String> {
    if let Some(m) = text.strip_suffix('m') {
        return m.parse::<u64>().map_err(|_| format!("invalid cpu quantity {text:?}"));
    }
    Quantity::parse(text).map(|q| (q.bytes as u64).saturating_mul(1000)).or_else(|_| {
        text.parse::<f64>()
            .ok()
            .filter(|f| f.is_finite() && *f >= 0.0)
            .map(|f| (f * 1000.0).round() as u64)
            .ok_or_else(|| format!("invalid cpu quantity {text:?}"))
    })
}

const POD_SPEC_ACCEPTED: &[&str] = &[
    "initContainers",
    "ephemeralContainers",
    "restartPolicy",
    "activeDeadlineSeconds",
    "dnsPolicy",
    "serviceAccountName",
    "serviceAccount",
    "automountServiceAccountToken",
    "nodeName",
    "hostNetwork",
    "hostPID",
    "hostIPC",
    "shareProcessNamespace",
    "securityContext",
    "imagePullSecrets",
    "schedulerName",
    "hostAliases",
    "priorityClassName",
    "priority",
    "dnsConfig",
    "readinessGates",
    "runtimeClassName",
    "enableServiceLinks",
    "preemptionPolicy",
    "overhead",
    "topologySpreadConstraints",
    "setHostnameAsFQDN",
    "os",
    "hostUsers",
    "schedulingGates",
    "resourceClaims",
    "resources",
];

const CONTAINER_ACCEPTED: &[&str] = &[
    "command",
    "args",
    "workingDir",
    "envFrom",
    "env",
    "resizePolicy",
    "restartPolicy",
    "volumeDevices",
    "livenessProbe",
    "startupProbe",
    "lifecycle",
    "terminationMessagePath",
    "terminationMessagePolicy",
    "imagePullPolicy",
    "securityContext",
    "stdin",
    "stdinOnce",
    "tty",
];

const VOLUME_SOURCES: &[&str] = &[
    "hostPath",
    "emptyDir",
    "gcePersistentDisk",
    "awsElasticBlockStore",
    "gitRepo",
    "secret",
    "nfs",
    "iscsi",
    "glusterfs",
    "rbd",
    "flexVolume",
    "cinder",
    "cephfs",
    "flocker",
    "downwardAPI",
    "fc",
    "azureFile",
    "configMap",
    "vsphereVolume",
    "quobyte",
    "azureDisk",
    "photonPersistentDisk",
    "projected",
    "portworxVolume",
    "scaleIO",
    "storageos",
    "csi",
    "ephemeral",
    "image",
];

fn decode_template(mut t: Reader<'_>, errs: &mut Errors) -> PodTemplate {
    let canonical = t.map.map(|m| canonical_json(&Value::Mapping(m.clone()))).unwrap_or_default();
    let (labels, annotations) = match t.object("metadata", "ObjectMeta", errs) {
        Some(mut m) => {
            let labels = m.string_map("labels", errs);
            let annotations = m.string_map("annotations", errs);
            m.accept(&["name", "namespace"]);
            m.accept(META_ACCEPTED);
            m.finish(errs);
            (labels, annotations)
        }
        None => (BTreeMap::new(), BTreeMap::new()),
    };
    for (k, v) in &labels {
        validate_label(k, v, "spec.template.metadata.labels", errs);
    }
    let spec = match t.object("spec", "PodSpec", errs) {
        Some(s) => decode_pod_spec(s, errs),
        None => {
            errs.required("spec.template.spec.containers", "");
            empty_pod_spec()
        }
    };
    t.finish(errs);
    PodTemplate { labels, annotations, spec, canonical }
}

fn decode_pod_spec(mut s: Reader<'_>, errs: &mut Errors) -> PodSpec {
    let mut out = empty_pod_spec();
    let base = s.path.clone();
    for (p, v) in s.list("containers", "[]v1.Container", errs) {
        let mut c = Reader::new(v, &p, "Container", errs);
        let name = c.string("name", errs).unwrap_or_default();
        let image = c.string("image", errs).unwrap_or_default();
        let mut ports = Vec::new();
        for (pp, pv) in c.list("ports", "[]v1.ContainerPort", errs) {
            let mut port = Reader::new(pv, &pp, "ContainerPort", errs);
            let pname = port.string("name", errs);
            let number = port.int("containerPort", "int32", errs).unwrap_or(0) as i32;
            let protocol = port.string("protocol", errs).unwrap_or_else(|| "TCP".to_string());
            port.accept(&["hostPort", "hostIP"]);
            port.finish(errs);
            if !(1..=65535).contains(&number) {
                errs.invalid(&join(&pp, "containerPort"), number, "must be between 1 and 65535, inclusive");
            }
            ports.push(ContainerPort { name: pname, container_port: number, protocol });
        }
        let readiness_probe = c.object("readinessProbe", "Probe", errs).map(|mut pr| {
            let probe = Probe {
                initial_delay_seconds: pr.int("initialDelaySeconds", "int32", errs).unwrap_or(0) as i32,
                period_seconds: pr.int("periodSeconds", "int32", errs).unwrap_or(10) as i32,
                success_threshold: pr.int("successThreshold", "int32", errs).unwrap_or(1) as i32,
                failure_threshold: pr.int("failureThreshold", "int32", errs).unwrap_or(3) as i32,
            };
            pr.accept(&["exec", "httpGet", "tcpSocket", "grpc", "timeoutSeconds", "terminationGracePeriodSeconds"]);
            pr.finish(errs);
            probe
        });
        let mut requests = Resources::default();
        if let Some(mut res) = c.object("resources", "ResourceRequirements", errs) {
            let rpath = join(&p, "resources");
            let values = res.string_map_or_numbers("requests", errs);
            for (k, v) in &values {
                match k.as_str() {
                    "cpu" => match parse_cpu_millis(v) {
                        Ok(m) => requests.cpu_millis = m,
                        Err(e) => errs.invalid(&format!("{rpath}.requests[cpu]"), format!("\"{v}\""), &e),
                    },
                    "memory" => match Quantity::parse(v) {
                        Ok(q) => requests.memory_bytes = q.bytes,
                        Err(e) => errs.invalid(&format!("{rpath}.requests[memory]"), format!("\"{v}\""), &e),
                    },
                    _ => {}
                }
            }
            res.accept(&["limits", "claims"]);
            res.finish(errs);
        }
        let mut volume_mounts = Vec::new();
        for (mp, mv) in c.list("volumeMounts", "[]v1.VolumeMount", errs) {
            let mut m = Reader::new(mv, &mp, "VolumeMount", errs);
            let name = m.string("name", errs).unwrap_or_default();
            let mount_path = m.string("mountPath", errs).unwrap_or_default();
            let read_only = m.bool("readOnly", errs).unwrap_or(false);
            m.accept(&["subPath", "subPathExpr", "mountPropagation", "recursiveReadOnly"]);
            m.finish(errs);
            if name.is_empty() {
                errs.required(&join(&mp, "name"), "");
            }
            if mount_path.is_empty() {
                errs.required(&join(&mp, "mountPath"), "");
            }
            volume_mounts.push(VolumeMount { name, mount_path, read_only });
        }
        c.accept(CONTAINER_ACCEPTED);
        c.finish(errs);
        if name.is_empty() {
            errs.required(&join(&p, "name"), "");
        } else if let Some(m) = dns1123_label(&name) {
            errs.invalid(&join(&p, "name"), format!("\"{name}\""), &m);
        }
        if image.is_empty() {
            errs.required(&join(&p, "image"), "");
        }
        out.containers.push(Container { name, image, ports, readiness_probe, volume_mounts, requests });
    }
    if out.containers.is_empty() {
        errs.required(&join(&base, "containers"), "");
    }
    if let Some(g) = s.int("terminationGracePeriodSeconds", "int64", errs) {
        out.termination_grace_period_seconds = g;
        if g < 0 {
            errs.invalid(&join(&base, "terminationGracePeriodSeconds"), g, "must be greater than or equal to 0");
        }
    }
    out.node_selector = s.string_map("nodeSelector", errs);
    for (p, v) in s.list("volumes", "[]v1.Volume", errs) {
        let mut vol = Reader::new(v, &p, "Volume", errs);
        let name = vol.string("name", errs).unwrap_or_default();
        if let Some(mut pvc) = vol.object("persistentVolumeClaim", "PersistentVolumeClaimVolumeSource", errs) {
            let claim = pvc.string("claimName", errs).unwrap_or_default();
            pvc.accept(&["readOnly"]);
            pvc.finish(errs);
            out.claim_volumes.push((name, claim));
        }
        vol.accept(VOLUME_SOURCES);
        vol.finish(errs);
    }
    out.hostname = s.string("hostname", errs);
    out.subdomain = s.string("subdomain", errs);
    for (p, v) in s.list("tolerations", "[]v1.Toleration", errs) {
        let mut t = Reader::new(v, &p, "Toleration", errs);
        let tol = Toleration {
            key: t.string("key", errs),
            operator: t.string("operator", errs).unwrap_or_else(|| "Equal".to_string()),
            value: t.string("value", errs),
            effect: t.string("effect", errs),
            toleration_seconds: t.int("tolerationSeconds", "int64", errs),
        };
        t.finish(errs);
        out.tolerations.push(tol);
    }
    if let Some(mut aff) = s.object("affinity", "Affinity", errs) {
        if let Some(mut na) = aff.object("nodeAffinity", "NodeAffinity", errs) {
            if let Some(req) = na.object("requiredDuringSchedulingIgnoredDuringExecution", "NodeSelector", errs) {
                out.required_node_affinity = decode_node_selector_terms(req, errs);
            }
            na.accept(&["preferredDuringSchedulingIgnoredDuringExecution"]);
            na.finish(errs);
        }
        if let Some(mut pa) = aff.object("podAntiAffinity", "PodAntiAffinity", errs) {
            for (tp, term) in pa.list("requiredDuringSchedulingIgnoredDuringExecution", "[]v1.PodAffinityTerm", errs) {
                let mut t = Reader::new(term, &tp, "PodAffinityTerm", errs);
                let selector = t
                    .object("labelSelector", "LabelSelector", errs)
                    .map(|sel| decode_selector(sel, errs))
                    .unwrap_or_default();
                let topology_key = t.string("topologyKey", errs).unwrap_or_default();
                t.accept(&["namespaces", "namespaceSelector", "matchLabelKeys", "mismatchLabelKeys"]);
                t.finish(errs);
                if topology_key.is_empty() {
                    errs.required(&join(&tp, "topologyKey"), "can not be empty");
                }
                out.required_anti_affinity.push(PodAffinityTerm { selector, topology_key });
            }
            pa.accept(&["preferredDuringSchedulingIgnoredDuringExecution"]);
            pa.finish(errs);
        }
        aff.accept(&["podAffinity"]);
        aff.finish(errs);
    }
    s.accept(POD_SPEC_ACCEPTED);
    s.finish(errs);
    out
}

const ACCESS_MODES: &[&str] = &["ReadWriteOnce", "ReadOnlyMany", "ReadWriteMany", "ReadWriteOncePod"];

fn decode_claim_spec(spec: Option<Reader<'_>>, path: &str, errs: &mut Errors) -> ClaimSpec {
    let mut out = ClaimSpec {
        access_modes: Vec::new(),
        storage_class_name: None,
        request: Quantity { bytes: 0, text: "0".to_string() },
        volume_name: None,
        selector: None,
        volume_mode: "Filesystem".to_string(),
    };
    let Some(mut s) = spec else {
        errs.required(&join(path, "accessModes"), "at least 1 access mode is required");
        errs.required(&join(path, "resources[storage]"), "");
        return out;
    };
    out.access_modes = s.string_list("accessModes", errs);
    for m in &out.access_modes {
        if !ACCESS_MODES.contains(&m.as_str()) {
            errs.unsupported(&join(path, "accessModes"), m, ACCESS_MODES);
        }
    }
    if out.access_modes.is_empty() {
        errs.required(&join(path, "accessModes"), "at least 1 access mode is required");
    }
    out.storage_class_name = s.string("storageClassName", errs);
    out.volume_name = s.string("volumeName", errs);
    if let Some(mode) = s.string("volumeMode", errs) {
        if mode != "Filesystem" && mode != "Block" {
            errs.unsupported(&join(path, "volumeMode"), &mode, &["Block", "Filesystem"]);
        }
        out.volume_mode = mode;
    }
    out.selector = s.object("selector", "LabelSelector", errs).map(|sel| decode_selector(sel, errs));
    let mut found_request = false;
    if let Some(mut res) = s.object("resources", "VolumeResourceRequirements", errs) {
        let rpath = join(path, "resources");
        for key in ["requests", "limits"] {
            let values = res.string_map_or_numbers(key, errs);
            for (k, v) in values {
                if k != "storage" {
                    continue;
                }
                match Quantity::parse(&v) {
                    Ok(q) => {
                        if key == "requests" {
                            found_request = true;
                            if q.bytes == 0 {
                                errs.invalid(
                                    &format!("{rpath}.requests[storage]"),
                                    format!("\"{v}\""),
                                    "must be greater than zero",
                                );
                            }
                            out.request = q;
                        }
                    }
                    Err(m) => {
                        // Reported once: the request exists, it is just malformed.
                        found_request |= key == "requests";
                        errs.invalid(&format!("{rpath}.{key}[storage]"), format!("\"{v}\""), &m)
                    }
                }
            }
        }
        res.finish(errs);
    }
    if !found_request {
        errs.required(&format!("{path}.resources[storage]"), "");
    }
    s.accept(&["dataSource", "dataSourceRef", "volumeAttributesClassName"]);
    s.finish(errs);
    out
}

impl Reader<'_> {
    /// Resource lists: values may be YAML numbers (`storage: 1`) or strings.
    fn string_map_or_numbers(&mut self, key: &str, errs: &mut Errors) -> BTreeMap<String, String> {
        let path = self.path(key);
        let mut out = BTreeMap::new();
        let Some(v) = self.field(key) else { return out };
        let Value::Mapping(m) = v else {
            errs.type_error(&path, v, self.go_struct, "v1.ResourceList");
            return out;
        };
        for (k, val) in m {
            let Some(k) = k.as_str() else { continue };
            let text = match val {
                Value::String(s) => s.clone(),
                Value::Number(n) => n.to_string(),
                other => {
                    errs.type_error(&join(&path, k), other, "ResourceList", "resource.Quantity");
                    continue;
                }
            };
            out.insert(k.to_string(), text);
        }
        out
    }
}

fn decode_service(spec: Option<Reader<'_>>, meta: ObjectMeta, errs: &mut Errors) -> Object {
    let mut out = Service {
        meta,
        cluster_ip: None,
        service_type: "ClusterIP".to_string(),
        ports: Vec::new(),
        selector: BTreeMap::new(),
        publish_not_ready_addresses: false,
    };
    if let Some(mut s) = spec {
        out.cluster_ip = s.string("clusterIP", errs).filter(|s| !s.is_empty());
        if let Some(t) = s.string("type", errs) {
            if !["ClusterIP", "NodePort", "LoadBalancer", "ExternalName"].contains(&t.as_str()) {
                errs.unsupported("spec.type", &t, &["ClusterIP", "ExternalName", "LoadBalancer", "NodePort"]);
            }
            out.service_type = t;
        }
        for (p, v) in s.list("ports", "[]v1.ServicePort", errs) {
            let mut port = Reader::new(v, &p, "ServicePort", errs);
            let name = port.string("name", errs);
            let number = port.int("port", "int32", errs).unwrap_or(0) as i32;
            let protocol = port.string("protocol", errs).unwrap_or_else(|| "TCP".to_string());
            port.accept(&["appProtocol", "targetPort", "nodePort"]);
            port.finish(errs);
            if !(1..=65535).contains(&number) {
                errs.invalid(&join(&p, "port"), number, "must be between 1 and 65535, inclusive");
            }
            out.ports.push(ServicePort { name, port: number, protocol });
        }
        out.selector = s.string_map("selector", errs);
        out.publish_not_ready_addresses = s.bool("publishNotReadyAddresses", errs).unwrap_or(false);
        s.accept(&[
            "clusterIPs",
            "externalIPs",
            "sessionAffinity",
            "loadBalancerIP",
            "loadBalancerSourceRanges",
            "externalName",
            "externalTrafficPolicy",
            "healthCheckNodePort",
            "sessionAffinityConfig",
            "ipFamilies",
            "ipFamilyPolicy",
            "allocateLoadBalancerNodePorts",
            "loadBalancerClass",
            "internalTrafficPolicy",
            "trafficDistribution",
        ]);
        s.finish(errs);
    }
    if out.ports.is_empty() && !out.is_headless() && out.service_type != "ExternalName" {
        errs.required("spec.ports", "");
    }
    if out.ports.len() > 1 {
        if let Some(i) = out.ports.iter().position(|p| p.name.is_none()) {
            errs.required(&format!("spec.ports[{i}].name"), "");
        }
    }
    Object::Service(out)
}

fn decode_volume(spec: Option<Reader<'_>>, meta: ObjectMeta, errs: &mut Errors) -> Object {
    let mut out = PersistentVolume {
        meta,
        capacity: Quantity { bytes: 0, text: "0".to_string() },
        access_modes: Vec::new(),
        reclaim_policy: "Retain".to_string(),
        storage_class_name: String::new(),
        claim_ref: None,
        node_affinity: None,
        volume_mode: "Filesystem".to_string(),
    };
    let Some(mut s) = spec else {
        errs.required("spec.capacity", "");
        return Object::PersistentVolume(out);
    };
    let caps = s.string_map_or_numbers("capacity", errs);
    match caps.get("storage") {
        Some(v) => match Quantity::parse(v) {
            Ok(q) => out.capacity = q,
            Err(m) => errs.invalid("spec.capacity[storage]", format!("\"{v}\""), &m),
        },
        None => errs.required("spec.capacity[storage]", ""),
    }
    out.access_modes = s.string_list("accessModes", errs);
    if out.access_modes.is_empty() {
        errs.required("spec.accessModes", "");
    }
    for m in &out.access_modes {
        if !ACCESS_MODES.contains(&m.as_str()) {
            errs.unsupported("spec.accessModes", m, ACCESS_MODES);
        }
    }
    if let Some(p) = s.string("persistentVolumeReclaimPolicy", errs) {
        if !["Retain", "Delete", "Recycle"].contains(&p.as_str()) {
            errs.unsupported("spec.persistentVolumeReclaimPolicy", &p, &["Delete", "Recycle", "Retain"]);
        }
        out.reclaim_policy = p;
    }
    out.storage_class_name = s.string("storageClassName", errs).unwrap_or_default();
    if let Some(mut c) = s.object("claimRef", "ObjectReference", errs) {
        let ns = c.string("namespace", errs).unwrap_or_else(|| DEFAULT_NAMESPACE.to_string());
        let name = c.string("name", errs).unwrap_or_default();
        c.accept(&["kind", "apiVersion", "uid", "resourceVersion", "fieldPath"]);
        c.finish(errs);
        out.claim_ref = Some((ns, name));
    }
    if let Some(mode) = s.string("volumeMode", errs) {
        out.volume_mode = mode;
    }
    if let Some(mut na) = s.object("nodeAffinity", "VolumeNodeAffinity", errs) {
        let mut terms = Vec::new();
        if let Some(req) = na.object("required", "NodeSelector", errs) {
            terms = decode_node_selector_terms(req, errs);
        }
        na.finish(errs);
        out.node_affinity = Some(terms);
    }
    s.accept(&["mountOptions", "volumeAttributesClassName", "local"]);
    s.accept(VOLUME_SOURCES);
    s.finish(errs);
    Object::PersistentVolume(out)
}

fn decode_storage_class(r: &mut Reader<'_>, meta: ObjectMeta, errs: &mut Errors) -> Object {
    let provisioner = r.string("provisioner", errs).unwrap_or_default();
    if provisioner.is_empty() {
        errs.required("provisioner", "");
    }
    let reclaim_policy = r.string("reclaimPolicy", errs).unwrap_or_else(|| "Delete".to_string());
    if !["Retain", "Delete"].contains(&reclaim_policy.as_str()) {
        errs.unsupported("reclaimPolicy", &reclaim_policy, &["Delete", "Retain"]);
    }
    let volume_binding_mode = r.string("volumeBindingMode", errs).unwrap_or_else(|| "Immediate".to_string());
    if !["Immediate", "WaitForFirstConsumer"].contains(&volume_binding_mode.as_str()) {
        errs.unsupported("volumeBindingMode", &volume_binding_mode, &["Immediate", "WaitForFirstConsumer"]);
    }
    r.accept(&["parameters", "mountOptions", "allowVolumeExpansion", "allowedTopologies"]);
    Object::StorageClass(StorageClass { meta, provisioner, reclaim_policy, volume_binding_mode })
}

/// `status.allocatable` of a Node manifest (cpu, memory, pods); other status
/// fields are ignored, as the API server ignores status on create.
fn decode_allocatable(value: &Value, out: &mut Allocatable, errs: &mut Errors) {
    let Some(Value::Mapping(m)) = value.get("status").and_then(|s| s.get("allocatable")) else { return };
    for (k, v) in m {
        let (Some(k), Some(text)) =
            (k.as_str(), v.as_str().map(str::to_string).or_else(|| v.as_i64().map(|n| n.to_string())))
        else {
            continue;
        };
        let path = format!("status.allocatable[{k}]");
        match k {
            "cpu" => match parse_cpu_millis(&text) {
                Ok(m) => out.cpu_millis = m,
                Err(e) => errs.invalid(&path, format!("\"{text}\""), &e),
            },
            "memory" => match Quantity::parse(&text) {
                Ok(q) => out.memory_bytes = q.bytes,
                Err(e) => errs.invalid(&path, format!("\"{text}\""), &e),
            },
            "pods" => match text.parse::<u32>() {
                Ok(n) => out.pods = n,
                Err(_) => errs.invalid(&path, format!("\"{text}\""), "must be a whole number"),
            },
            _ => {}
        }
    }
}

fn decode_node(spec: Option<Reader<'_>>, meta: ObjectMeta, errs: &mut Errors) -> Object {
    let mut out = Node { meta, unschedulable: false, taints: Vec::new(), allocatable: Allocatable::default() };
    if let Some(mut s) = spec {
        out.unschedulable = s.bool("unschedulable", errs).unwrap_or(false);
        for (p, v) in s.list("taints", "[]v1.Taint", errs) {
            let mut t = Reader::new(v, &p, "Taint", errs);
            let key = t.string("key", errs).unwrap_or_default();
            let value = t.string("value", errs);
            let effect = t.string("effect", errs).unwrap_or_default();
            t.accept(&["timeAdded"]);
            t.finish(errs);
            if !["NoSchedule", "PreferNoSchedule", "NoExecute"].contains(&effect.as_str()) {
                errs.unsupported(&join(&p, "effect"), &effect, &["NoExecute", "NoSchedule", "PreferNoSchedule"]);
            }
            out.taints.push(Taint { key, value, effect });
        }
        s.accept(&["podCIDR", "podCIDRs", "providerID", "configSource", "externalID"]);
        s.finish(errs);
    }
    Object::Node(out)
}

/// `SetDefaults_StatefulSet` (pkg/apis/apps/v1/defaults.go) on the stored
/// object, so patches see what the API server stores: replicas,
/// podManagementPolicy, updateStrategy (with rollingUpdate.partition),
/// revisionHistoryLimit and persistentVolumeClaimRetentionPolicy. The pod
/// template is left as written (its text is what revisions hash).
pub fn default_statefulset_object(raw: &mut Value) {
    let Some(spec) = raw.get_mut("spec").and_then(Value::as_mapping_mut) else { return };
    let mut set_default = |key: &str, v: Value| {
        if spec.get(key).is_none_or(Value::is_null) {
            spec.insert(key.into(), v);
        }
    };
    set_default("replicas", 1.into());
    set_default("podManagementPolicy", "OrderedReady".into());
    set_default("revisionHistoryLimit", 10.into());
    let mut retention = serde_yaml::Mapping::new();
    retention.insert("whenDeleted".into(), "Retain".into());
    retention.insert("whenScaled".into(), "Retain".into());
    set_default("persistentVolumeClaimRetentionPolicy", Value::Mapping(retention));
    let mut strategy = serde_yaml::Mapping::new();
    strategy.insert("type".into(), "RollingUpdate".into());
    set_default("updateStrategy", Value::Mapping(strategy));
    if let Some(us) = spec.get_mut("updateStrategy").and_then(Value::as_mapping_mut) {
        if us.get("type").is_none() {
            us.insert("type".into(), "RollingUpdate".into());
        }
        if us.get("type").and_then(Value::as_str) == Some("RollingUpdate") {
            if us.get("rollingUpdate").is_none_or(Value::is_null) {
                us.insert("rollingUpdate".into(), Value::Mapping(serde_yaml::Mapping::new()));
            }
            if let Some(ru) = us.get_mut("rollingUpdate").and_then(Value::as_mapping_mut) {
                if ru.get("partition").is_none() {
                    ru.insert("partition".into(), 0.into());
                }
            }
        }
    }
}

/// JSON text with sorted keys: equal templates give equal text.
pub fn canonical_json(v: &Value) -> String {
    fn convert(v: &Value) -> serde_json::Value {
        match v {
            Value::Null => serde_json::Value::Null,
            Value::Bool(b) => serde_json::Value::Bool(*b),
            Value::Number(n) => {
                if let Some(i) = n.as_i64() {
                    serde_json::Value::from(i)
                } else if let Some(u) = n.as_u64() {
                    serde_json::Value::from(u)
                } else {
                    serde_json::Number::from_f64(n.as_f64().unwrap_or(0.0))
                        .map(serde_json::Value::Number)
                        .unwrap_or(serde_json::Value::Null)
                }
            }
            Value::String(s) => serde_json::Value::String(s.clone()),
            Value::Sequence(items) => serde_json::Value::Array(items.iter().map(convert).collect()),
            Value::Mapping(m) => {
                let mut out = serde_json::Map::new();
                for (k, v) in m {
                    let key = match k.as_str() {
                        Some(s) => s.to_string(),
                        None => crate::manifest::key_text(k),
                    };
                    out.insert(key, convert(v));
                }
                serde_json::Value::Object(out)
            }
            Value::Tagged(t) => convert(&t.value),
        }
    }
    convert(v).to_string()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::manifest;

    fn decode_text(text: &str) -> Vec<Result<Object, DecodeError>> {
        manifest::parse(text).documents.iter().map(|d| decode(d, "test.yaml")).collect()
    }

    fn first_err(text: &str) -> DecodeError {
        match decode_text(text).into_iter().next() {
            Some(Err(e)) => e,
            other => panic!("expected an error, got {other:?}"),
        }
    }

    #[test]
    fn default_example_decodes_with_defaults() {
        let objs = decode_text(crate::DEFAULT_EXAMPLE);
        assert_eq!(objs.len(), 2);
        let Some(Ok(Object::StatefulSet(s))) = objs.get(1) else { panic!("{objs:?}") };
        assert_eq!(s.meta.namespace.as_deref(), Some("default"));
        assert_eq!(s.spec.replicas, 3);
        assert_eq!(s.spec.service_name, "nginx");
        assert_eq!(s.spec.pod_management_policy, PodManagementPolicy::OrderedReady);
        assert_eq!(s.spec.update_strategy, UpdateStrategy::RollingUpdate { partition: 0, max_unavailable: None });
        assert_eq!(s.spec.revision_history_limit, 10);
        assert_eq!(s.spec.template.spec.termination_grace_period_seconds, 30);
        assert_eq!(s.spec.volume_claim_templates[0].spec.request.bytes, 1 << 30);
        let Some(Ok(Object::Service(svc))) = objs.first() else { panic!() };
        assert!(svc.is_headless());
    }

    #[test]
    fn unknown_field_is_reported_with_position() {
        let text = crate::DEFAULT_EXAMPLE.replace("  replicas: 3", "  replica: 3");
        let objs = decode_text(&text);
        let Some(Err(e)) = objs.get(1) else { panic!("{objs:?}") };
        assert!(e.message.ends_with("strict decoding error: unknown field \"spec.replica\""), "{}", e.message);
        assert!(e.message.starts_with("Error from server (BadRequest): error when creating \"test.yaml\": StatefulSet in version \"v1\" cannot be handled as a StatefulSet"));
        let d = &e.diagnostics[0];
        assert_eq!(text.lines().nth(d.line - 1).map(str::trim), Some("replica: 3"));
        assert_eq!(d.path, "spec.replica");
    }

    #[test]
    fn wrong_type_uses_go_json_wording() {
        let text = crate::DEFAULT_EXAMPLE.replace("  replicas: 3", "  replicas: three");
        let objs = decode_text(&text);
        let Some(Err(e)) = objs.get(1) else { panic!() };
        assert!(
            e.message.ends_with(
                "json: cannot unmarshal string into Go struct field StatefulSetSpec.spec.replicas of type int32"
            ),
            "{}",
            e.message
        );
    }

    #[test]
    fn negative_replicas_is_invalid() {
        let text = crate::DEFAULT_EXAMPLE.replace("  replicas: 3", "  replicas: -1");
        let objs = decode_text(&text);
        let Some(Err(e)) = objs.get(1) else { panic!() };
        assert_eq!(
            e.message,
            "The StatefulSet \"web\" is invalid: spec.replicas: Invalid value: -1: must be greater than or equal to 0"
        );
    }

    #[test]
    fn selector_must_match_template_labels() {
        let text = crate::DEFAULT_EXAMPLE.replace("      app: nginx\n  template", "      app: other\n  template");
        let objs = decode_text(&text);
        let Some(Err(e)) = objs.get(1) else { panic!("{objs:?}") };
        assert_eq!(
            e.message,
            "The StatefulSet \"web\" is invalid: spec.template.metadata.labels: Invalid value: map[string]string{\"app\":\"nginx\"}: `selector` does not match template `labels`"
        );
    }

    #[test]
    fn unknown_kind_and_missing_kind() {
        let e = first_err("apiVersion: v1\nkind: Widget\nmetadata:\n  name: w\n");
        assert!(e.message.contains("no matches for kind \"Widget\" in version \"v1\""), "{}", e.message);
        let e = first_err("metadata:\n  name: w\n");
        assert!(e.message.contains("[apiVersion not set, kind not set]"), "{}", e.message);
    }

    #[test]
    fn invalid_name_is_reported() {
        let e = first_err("apiVersion: v1\nkind: Service\nmetadata:\n  name: Bad_Name\nspec:\n  clusterIP: None\n");
        assert!(
            e.message.starts_with(
                "The Service \"Bad_Name\" is invalid: metadata.name: Invalid value: \"Bad_Name\": a DNS-1035 label"
            ),
            "{}",
            e.message
        );
    }

    #[test]
    fn accepted_but_unmodelled_fields_load() {
        let text = "apiVersion: apps/v1\nkind: StatefulSet\nmetadata:\n  name: db\nspec:\n  selector:\n    matchLabels: {app: db}\n  serviceName: db\n  template:\n    metadata:\n      labels: {app: db}\n    spec:\n      securityContext: {fsGroup: 1000}\n      containers:\n      - name: db\n        image: postgres:16\n        env:\n        - name: A\n          value: b\n        resources:\n          requests: {cpu: 100m}\n";
        let objs = decode_text(text);
        assert!(matches!(objs.first(), Some(Ok(Object::StatefulSet(_)))), "{objs:?}");
    }

    #[test]
    fn storage_class_and_volume_decode() {
        let text = "apiVersion: storage.k8s.io/v1\nkind: StorageClass\nmetadata:\n  name: fast\nprovisioner: example.com/fast\nvolumeBindingMode: WaitForFirstConsumer\n---\napiVersion: v1\nkind: PersistentVolume\nmetadata:\n  name: pv0\nspec:\n  capacity:\n    storage: 5Gi\n  accessModes: [ReadWriteOnce]\n  hostPath:\n    path: /tmp\n";
        let objs = decode_text(text);
        let Some(Ok(Object::StorageClass(sc))) = objs.first() else { panic!("{objs:?}") };
        assert!(sc.waits_for_first_consumer());
        assert_eq!(sc.reclaim_policy, "Delete");
        let Some(Ok(Object::PersistentVolume(pv))) = objs.get(1) else { panic!("{objs:?}") };
        assert_eq!(pv.reclaim_policy, "Retain");
        assert_eq!(pv.capacity.text, "5Gi");
    }

    #[test]
    fn canonical_json_sorts_keys() {
        let a: Value = serde_yaml::from_str("b: 1\na: [x, {d: 2, c: 3}]").unwrap_or(Value::Null);
        assert_eq!(canonical_json(&a), r#"{"a":["x",{"c":3,"d":2}],"b":1}"#);
    }
}
