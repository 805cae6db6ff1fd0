//! How kubectl shows a refused user action ([`SimError`]): the API server's
//! status messages as kubectl prints them (`Error from server (NotFound): ...`,
//! `The StatefulSet "web" is invalid: ...`; `apimachinery/pkg/api/errors`
//! `NewNotFound`, `NewInvalid`), kubectl's own client-side errors, and the
//! playground's wording for its faults.

use std::fmt;

use crate::sim::{too_many_replicas, ObjectKind, SimError};

impl ObjectKind {
    /// `resource.group`, as in `statefulsets.apps "web" not found`.
    pub fn plural(self) -> &'static str {
        match self {
            ObjectKind::Pod => "pods",
            ObjectKind::StatefulSet => "statefulsets.apps",
            ObjectKind::PersistentVolumeClaim => "persistentvolumeclaims",
            ObjectKind::PersistentVolume => "persistentvolumes",
            ObjectKind::Node => "nodes",
        }
    }
}

impl fmt::Display for SimError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            SimError::NotFound { kind, name } => {
                write!(f, "Error from server (NotFound): {} \"{name}\" not found", kind.plural())
            }
            SimError::Invalid { kind, name, field, value, detail } => {
                write!(f, "The {} \"{name}\" is invalid: {field}: Invalid value: {value}: {detail}", kind.name())
            }
            SimError::TooManyReplicas { name, replicas } => f.write_str(&too_many_replicas(name, *replicas)),
            SimError::NodeAlready { node, up } => {
                write!(f, "error: node {node} is already {}", if *up { "up" } else { "down" })
            }
            SimError::NoRunningContainer { pod, status } => {
                write!(f, "error: pod {pod} has no running container to crash (status {status})")
            }
            SimError::NoReadinessProbe { pod } => write!(
                f,
                "error: pod {pod} has no readinessProbe: its Ready condition follows its containers (try `pod crash`)"
            ),
            SimError::ContainerNotFound { container } => {
                write!(f, "error: unable to find container named \"{container}\"")
            }
            SimError::NoContainers => f.write_str("error: the StatefulSet has no containers"),
            SimError::KindChanged => f.write_str("error: the patch changed the object's kind"),
            SimError::NoRolloutHistory { name } => {
                write!(f, "error: no rollout history found for statefulset \"{name}\"")
            }
            SimError::RevisionNotFound { revision } => {
                write!(f, "error: unable to find specified revision {revision} in history")
            }
            SimError::Rejected(message) => f.write_str(message),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::spec::Kind;

    #[test]
    fn kubectl_wording() {
        let cases = [
            (
                SimError::NotFound { kind: ObjectKind::StatefulSet, name: "web".into() },
                "Error from server (NotFound): statefulsets.apps \"web\" not found",
            ),
            (
                SimError::NotFound { kind: ObjectKind::PersistentVolumeClaim, name: "www-web-0".into() },
                "Error from server (NotFound): persistentvolumeclaims \"www-web-0\" not found",
            ),
            (
                SimError::Invalid {
                    kind: Kind::StatefulSet,
                    name: "web".into(),
                    field: "spec.replicas".into(),
                    value: "-1".into(),
                    detail: "must be greater than or equal to 0".into(),
                },
                "The StatefulSet \"web\" is invalid: spec.replicas: Invalid value: -1: must be greater than or equal to 0",
            ),
            (SimError::NodeAlready { node: "kind-worker".into(), up: false }, "error: node kind-worker is already down"),
            (SimError::RevisionNotFound { revision: 7 }, "error: unable to find specified revision 7 in history"),
        ];
        for (e, want) in cases {
            assert_eq!(e.to_string(), want);
        }
    }
}
