//! The Kubernetes rules, on the final object: a DaemonSet as JSON (as it will be applied, every
//! override merged, or as read from a manifest) → [`Finding`]s keyed by field path.
//!
//! This is the one place the rules of the v1.33 API server live (`ValidateDaemonSet` in
//! `pkg/apis/apps/validation` and what it reaches in `pkg/apis/core/validation`). The object is
//! read as the server reads it after defaulting: a field the server defaults is never reported
//! missing. The files follow the server's own split:
//!
//! | file | upstream |
//! |---|---|
//! | `daemonset.rs` | `ValidateDaemonSet`, `ValidateDaemonSetSpec`, update strategy, selector |
//! | `metadata.rs` | `ValidateObjectMeta`: names, labels, annotations, finalizers, owners |
//! | `pod.rs` | `ValidatePodTemplateSpec`, `ValidatePodSpec`: the pod's own fields, DNS, gates |
//! | `scheduling.rs` | affinity, tolerations, node selector, topology spread constraints |
//! | `container.rs` | `validateContainers`, `validateInitContainers`: names, images, ports, env, resources, probes, handlers |
//! | `security.rs` | pod and container security contexts, seccomp, AppArmor, sysctls |
//! | `volumes.rs` | `ValidateVolumes`: every volume source |
//! | `mounts.rs` | `ValidateVolumeMounts`, `ValidateVolumeDevices` |
//!
//! [`locate`] turns findings into diagnostics at the source: a line of a manifest, or the
//! statement or override line of a spec.

pub mod field;
pub mod findings;
pub mod locate;
pub mod size;

mod affinity;
mod claim_template;
mod container;
mod daemonset;
mod dns;
mod downward_api;
mod env;
mod metadata;
mod mounts;
mod pod;
mod pod_context;
mod pod_meta;
mod ports;
mod probes;
mod resources;
mod san_sources;
mod scheduling;
mod security;
#[cfg(test)]
mod testing;
mod volume_fields;
mod volume_files;
mod volume_sources;
mod volumes;

pub use field::Node;
pub use findings::{Finding, Findings, Kind};

use serde_json::Value;

/// Every rule of the API server on one DaemonSet object (apps/v1, as JSON).
pub fn daemonset(object: &Value) -> Vec<Finding> {
    let mut out = Findings::default();
    daemonset::daemonset(&Node::root(object), &mut out);
    out.0
}
