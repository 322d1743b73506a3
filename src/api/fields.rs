//! The pod fields and container resources that env vars and downward-API files may read
//! (rules 86, 87, 89, 90, 111): the checker offers them in "did you mean", the object rules
//! check against them.

/// Pod fields an env var may read (rule 86, `validEnvDownwardAPIFieldPathExpressions`);
/// labels and annotations only with a subscript. The object rules use the same list.
pub const ENV_FIELD_PATHS: &[&str] = &[
    "metadata.name",
    "metadata.namespace",
    "metadata.uid",
    "spec.nodeName",
    "spec.serviceAccountName",
    "status.hostIP",
    "status.hostIPs",
    "status.podIP",
    "status.podIPs",
];

/// The resources a `resourceFieldRef` reads (`validContainerResourceFieldPathExpressions`).
pub const RESOURCE_FIELDS: &[&str] = &[
    "limits.cpu",
    "limits.memory",
    "limits.ephemeral-storage",
    "requests.cpu",
    "requests.memory",
    "requests.ephemeral-storage",
];
