//! The checked model: what the semantic pass proved valid, with defaults resolved. Codegen
//! reads only this, so unchecked input cannot reach the output.

use std::collections::BTreeMap;

use crate::source::Span;

mod origins;
mod probes;
mod storage;

pub use origins::{rel, Origins};

pub use probes::*;
pub use storage::*;
mod pod;
pub use pod::*;

pub type Labels = BTreeMap<String, String>;

/// Every daemonset of one file, checked.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct CheckedSpec {
    pub daemonsets: Vec<DaemonSetModel>,
}

#[derive(Clone, Debug, Default, PartialEq)]
pub struct DaemonSetModel {
    pub name: String,
    pub namespace: String,
    pub labels: Labels,
    /// Labels of the DaemonSet object only: not on the pods, not in the default selector.
    pub daemonset_labels: Labels,
    pub annotations: Labels,
    pub selector: Labels,
    pub pod_labels: Labels,
    pub pod_annotations: Labels,
    pub pull_secrets: Vec<String>,
    pub init_containers: Vec<Container>,
    pub containers: Vec<Container>,
    /// GPU card type: a required node-affinity term on the VKE gpu-name node label.
    pub gpu_type: Option<String>,
    /// Declared, then inline-mount, then reserved volumes, in that order.
    pub volumes: Vec<Volume>,
    /// Strategy, scheduling, host namespaces, DNS, security, overrides (issue 4).
    pub pod: PodSettings,
    /// Where the `daemonset` statement's head is, for diagnostics of later stages.
    pub span: Span,
    /// Where the daemonset's own fields were written, by path from the object's root.
    pub origins: Origins,
}

#[derive(Clone, Debug, Default, PartialEq)]
pub struct Container {
    pub name: String,
    /// Where the `container` or `init` statement is, for findings on the final object.
    pub span: Span,
    /// The full reference as emitted: as written, a missing tag left missing.
    pub image: String,
    pub pull_policy: PullPolicy,
    pub command: Vec<String>,
    pub args: Vec<String>,
    pub resources: Resources,
    pub privileged: bool,
    pub ports: Vec<Port>,
    pub env: Vec<EnvVar>,
    pub env_from: Vec<EnvFrom>,
    pub mounts: Vec<VolumeMount>,
    pub health: Health,
    /// Security context, working directory, sidecar, override (issue 4).
    pub settings: ContainerSettings,
    /// Where the container's fields were written, by path from the container.
    pub origins: Origins,
}

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum PullPolicy {
    Always,
    #[default]
    IfNotPresent,
    Never,
}

impl PullPolicy {
    pub fn as_str(self) -> &'static str {
        match self {
            PullPolicy::Always => "Always",
            PullPolicy::IfNotPresent => "IfNotPresent",
            PullPolicy::Never => "Never",
        }
    }
}

/// Requests and limits by resource name, quantities as written (already validated).
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Resources {
    pub requests: BTreeMap<String, String>,
    pub limits: BTreeMap<String, String>,
}

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Protocol {
    #[default]
    Tcp,
    Udp,
    Sctp,
}

impl Protocol {
    pub fn as_str(self) -> &'static str {
        match self {
            Protocol::Tcp => "TCP",
            Protocol::Udp => "UDP",
            Protocol::Sctp => "SCTP",
        }
    }
}

#[derive(Clone, Debug, Default, PartialEq)]
pub struct Port {
    pub name: Option<String>,
    pub number: i32,
    pub protocol: Protocol,
    /// `host N`, or the container port itself under `host-network`.
    pub host_port: Option<i32>,
}

#[derive(Clone, Debug, PartialEq)]
pub struct EnvVar {
    pub name: String,
    pub source: EnvSource,
}

#[derive(Clone, Debug, PartialEq)]
pub enum EnvSource {
    Value(String),
    Field(String),
    Resource {
        resource: String,
        container: Option<String>,
        divisor: Option<String>,
    },
    ConfigMapKey {
        name: String,
        key: String,
        optional: bool,
    },
    SecretKey {
        name: String,
        key: String,
        optional: bool,
    },
}

#[derive(Clone, Debug, PartialEq)]
pub struct EnvFrom {
    pub kind: EnvFromKind,
    pub name: String,
    pub prefix: Option<String>,
    pub optional: bool,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum EnvFromKind {
    ConfigMap,
    Secret,
}
