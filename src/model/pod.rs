//! The checked pod-level and extra container-level settings: update strategy, scheduling,
//! host namespaces, DNS, security contexts and the escape-hatch fragments. Produced by the
//! checker (`check/pod.rs` and friends), read by codegen (`codegen/pod.rs` and friends).

use super::Labels;

/// Settings of the DaemonSet spec and its pod spec beyond metadata and containers.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct PodSettings {
    pub update: Option<UpdateStrategy>,
    pub min_ready_seconds: Option<i32>,
    pub revision_history: Option<i32>,
    pub grace_seconds: Option<i64>,
    /// The API spelling: `ClusterFirst`, `ClusterFirstWithHostNet`, `Default`, `None`.
    pub dns_policy: Option<&'static str>,
    pub dns_config: Option<DnsConfig>,
    pub host_network: bool,
    pub host_pid: bool,
    pub host_ipc: bool,
    pub share_process_namespace: bool,
    pub priority_class: Option<String>,
    pub service_account: Option<String>,
    pub automount_token: Option<bool>,
    /// `hostUsers`: `false` runs the pod in a user namespace.
    pub host_users: Option<bool>,
    /// `os.name`: `linux` or `windows`.
    pub os: Option<&'static str>,
    pub scheduler: Option<String>,
    pub runtime_class: Option<String>,
    pub host_aliases: Vec<HostAlias>,
    pub node_selector: Labels,
    pub tolerations: Vec<Toleration>,
    /// Required node-affinity terms (ORed); the expressions of one term are ANDed.
    pub node_required: Vec<Vec<Requirement>>,
    pub node_preferred: Vec<WeightedTerm>,
    pub pod_affinity: Vec<PodAffinityRule>,
    pub pod_anti_affinity: Vec<PodAffinityRule>,
    pub security: Security,
    /// `spec-override`: merged into the DaemonSet spec.
    pub spec_override: Option<Fragment>,
    /// `pod-override`: merged into the pod spec.
    pub pod_override: Option<Fragment>,
}

#[derive(Clone, Debug, PartialEq)]
pub enum UpdateStrategy {
    /// Limits are written as given: the server ignores them (the lint `on-delete-limits`).
    OnDelete {
        max_unavailable: Option<IntOrPercent>,
        max_surge: Option<IntOrPercent>,
    },
    /// Each side as emitted; when surge is non-zero, unavailable is `Some(Int(0))`.
    Rolling {
        max_unavailable: Option<IntOrPercent>,
        max_surge: Option<IntOrPercent>,
    },
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum IntOrPercent {
    Int(i32),
    Percent(i32),
}

impl IntOrPercent {
    pub fn is_zero(self) -> bool {
        matches!(self, IntOrPercent::Int(0) | IntOrPercent::Percent(0))
    }
}

#[derive(Clone, Debug, Default, PartialEq)]
pub struct DnsConfig {
    pub nameservers: Vec<String>,
    pub searches: Vec<String>,
    /// `name` or `name=value`.
    pub options: Vec<(String, Option<String>)>,
}

#[derive(Clone, Debug, PartialEq)]
pub struct HostAlias {
    pub ip: String,
    pub hostnames: Vec<String>,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Toleration {
    /// `None` tolerates every key (operator `Exists`).
    pub key: Option<String>,
    /// `Exists` or `Equal`.
    pub operator: &'static str,
    pub value: Option<String>,
    pub effect: Option<&'static str>,
    pub seconds: Option<i64>,
}

/// A node-selector or label-selector requirement, operator in the API spelling.
#[derive(Clone, Debug, PartialEq)]
pub struct Requirement {
    pub key: String,
    pub operator: &'static str,
    pub values: Vec<String>,
}

#[derive(Clone, Debug, PartialEq)]
pub struct WeightedTerm {
    pub weight: i32,
    pub expressions: Vec<Requirement>,
}

/// One pod (anti-)affinity term: required when `weight` is `None`.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct PodAffinityRule {
    pub weight: Option<i32>,
    pub topology_key: String,
    pub match_labels: Labels,
    pub match_expressions: Vec<Requirement>,
    pub namespaces: Vec<String>,
}

/// Security settings; the same keywords serve the pod and each container, and a field that
/// only exists at one level stays unset at the other.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Security {
    pub run_as_user: Option<i64>,
    pub run_as_group: Option<i64>,
    pub run_as_non_root: Option<bool>,
    pub fs_group: Option<i64>,
    pub supplemental_groups: Vec<i64>,
    pub seccomp: Option<Profile>,
    pub apparmor: Option<Profile>,
    pub selinux: Option<SeLinux>,
    pub caps_add: Vec<String>,
    pub caps_drop: Vec<String>,
    pub read_only_root: bool,
    pub allow_privilege_escalation: Option<bool>,
    /// Namespaced kernel parameters of the pod, in the order written.
    pub sysctls: Vec<(String, String)>,
}

/// A seccomp or AppArmor profile: `RuntimeDefault`, `Unconfined` or `Localhost` with a path.
#[derive(Clone, Debug, PartialEq)]
pub struct Profile {
    pub kind: &'static str,
    pub localhost: Option<String>,
}

#[derive(Clone, Debug, Default, PartialEq)]
pub struct SeLinux {
    pub user: Option<String>,
    pub role: Option<String>,
    pub kind: Option<String>,
    pub level: Option<String>,
}

/// Container settings of issue 4, kept together so the container model grows by one field.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct ContainerSettings {
    pub security: Security,
    pub working_dir: Option<String>,
    /// `File` or `FallbackToLogsOnError`.
    pub termination_message_policy: Option<&'static str>,
    pub termination_message_path: Option<String>,
    /// An init container that keeps running (`restartPolicy: Always`).
    pub sidecar: bool,
    pub stdin: bool,
    pub stdin_once: bool,
    pub tty: bool,
    /// `lifecycle.stopSignal`: the signal the runtime sends to stop the container.
    pub stop_signal: Option<String>,
    /// `override`: merged into the generated container.
    pub container_override: Option<Fragment>,
}

/// A checked escape-hatch fragment: a JSON object, valid against its Kubernetes type.
#[derive(Clone, Debug, PartialEq)]
pub struct Fragment {
    pub value: serde_json::Value,
    /// Where the fragment was written, for findings on the final object; `None` for a
    /// fragment a program made (import).
    pub origin: Option<FragmentOrigin>,
}

/// The text of an override string and where it sits in the spec.
#[derive(Clone, Debug, PartialEq)]
pub struct FragmentOrigin {
    /// The string's value (dedented for `"""` strings).
    pub text: String,
    pub layout: crate::syntax::StrLayout,
    /// The whole string argument.
    pub span: crate::source::Span,
}

impl Fragment {
    /// Merges the fragment into `base` as a JSON merge patch (RFC 7386): objects merge key
    /// by key, `null` removes a key, anything else (lists too) replaces the base value.
    pub fn merge_into(&self, base: &mut serde_json::Value) {
        merge(base, &self.value);
    }
}

fn merge(base: &mut serde_json::Value, patch: &serde_json::Value) {
    use serde_json::Value;
    let Value::Object(patch) = patch else {
        *base = patch.clone();
        return;
    };
    if !base.is_object() {
        *base = Value::Object(serde_json::Map::new());
    }
    if let Value::Object(map) = base {
        for (k, v) in patch {
            if v.is_null() {
                map.remove(k);
            } else {
                merge(map.entry(k.clone()).or_insert(Value::Null), v);
            }
        }
    }
}
