//! The API server's checks that depend on what is stored: update validation
//! (immutable fields), namespace existence, and stsplay's replica bound.
//! Pure functions of the cluster and the decoded objects; they change nothing.

use std::collections::BTreeSet;

use crate::sim::{too_many_replicas, Cluster, MAX_REPLICAS};
use crate::spec::{Object, StatefulSet};

/// Update validation of an object against the stored one (`None` when it
/// does not exist yet or the update is allowed).
pub fn validate_update(c: &Cluster, o: &Object) -> Option<String> {
    match o {
        Object::StatefulSet(new) => {
            let key = (new.meta.namespace.clone().unwrap_or_default(), new.meta.name.clone());
            let old = &c.sets.get(&key)?.set;
            validate_stateful_set_update(old, new)
        }
        Object::PersistentVolumeClaim(new) => {
            // `ValidatePersistentVolumeClaimUpdate` (pkg/apis/core/validation/validation.go).
            let key = (new.meta.namespace.clone().unwrap_or_default(), new.meta.name.clone());
            let old = c.claims.get(&key)?;
            // Fields the manifest leaves out keep their stored values
            // (the admitted class, the bound volume); requests may grow.
            let mut new_spec = new.spec.clone();
            if new_spec.storage_class_name.is_none() {
                new_spec.storage_class_name = old.storage_class.clone();
            }
            if new_spec.volume_name.is_none() {
                new_spec.volume_name = old.volume.clone().or_else(|| old.spec.volume_name.clone());
            }
            new_spec.request = old.spec.request.clone();
            let mut old_spec = old.spec.clone();
            old_spec.storage_class_name = old.storage_class.clone();
            old_spec.volume_name = old.volume.clone().or_else(|| old.spec.volume_name.clone());
            (new_spec != old_spec).then(|| format!(
                "The PersistentVolumeClaim \"{}\" is invalid: spec: Forbidden: spec is immutable after creation except resources.requests and volumeAttributesClassName for bound claims",
                new.meta.name
            ))
        }
        _ => None,
    }
}

/// `ValidateStatefulSetUpdate` (pkg/apis/apps/validation/validation.go): only
/// some spec fields may change.
pub fn validate_stateful_set_update(old: &StatefulSet, new: &StatefulSet) -> Option<String> {
    let mut a = old.spec.clone();
    let b = &new.spec;
    a.replicas = b.replicas;
    a.ordinals_start = b.ordinals_start;
    a.template = b.template.clone();
    a.update_strategy = b.update_strategy.clone();
    a.revision_history_limit = b.revision_history_limit;
    a.when_deleted = b.when_deleted;
    a.when_scaled = b.when_scaled;
    a.min_ready_seconds = b.min_ready_seconds;
    (a != *b).then(|| format!(
        "The StatefulSet \"{}\" is invalid: spec: Forbidden: updates to statefulset spec for fields other than 'replicas', 'ordinals', 'template', 'updateStrategy', 'revisionHistoryLimit', 'persistentVolumeClaimRetentionPolicy' and 'minReadySeconds' are forbidden",
        new.meta.name
    ))
}

/// stsplay's bound on replicas ([`MAX_REPLICAS`]; not a Kubernetes rule).
pub fn replicas_bound(o: &Object) -> Option<String> {
    match o {
        Object::StatefulSet(set) if set.spec.replicas > MAX_REPLICAS => {
            Some(too_many_replicas(&set.meta.name, set.spec.replicas))
        }
        _ => None,
    }
}

/// The `NamespaceLifecycle` admission plugin: a namespaced object needs its
/// namespace to exist, or to be created earlier in the same apply.
pub fn namespaces_exist(c: &Cluster, objects: &[&Object], source: &str) -> Vec<String> {
    let mut messages = Vec::new();
    let mut namespaces: BTreeSet<String> = c.namespaces.keys().cloned().collect();
    for o in objects {
        match o {
            Object::Namespace(m) => {
                namespaces.insert(m.name.clone());
            }
            _ if o.kind().namespaced() => {
                let ns = o.meta().namespace.clone().unwrap_or_default();
                if !namespaces.contains(&ns) {
                    messages.push(format!(
                        "Error from server (NotFound): error when creating \"{source}\": namespaces \"{ns}\" not found"
                    ));
                }
            }
            _ => {}
        }
    }
    messages
}
