//! The settings each block accepts, with their usage line (shown in help and the reference) and
//! a one-line meaning (shown on hover in an editor).

use std::sync::{Mutex, OnceLock, PoisonError};

/// One setting: its keyword, a usage line, where it belongs, and what it means.
pub struct Keyword {
    pub name: &'static str,
    pub usage: &'static str,
    pub place: &'static str,
    /// One or two sentences: what the setting does and the Kubernetes field(s) it compiles to,
    /// in Markdown backquotes.
    pub doc: &'static str,
}

const fn kw(
    name: &'static str,
    usage: &'static str,
    place: &'static str,
    doc: &'static str,
) -> Keyword {
    Keyword {
        name,
        usage,
        place,
        doc,
    }
}

const FILE: &str = "the top level of a file";
const DS: &str = "a `daemonset` block";
const CT: &str = "a `container` or `init` block";
const BOTH: &str = "a `daemonset` block (for the pod) or a `container` block";
const DNS_BLOCK: &str = "a `dns` block";
const LAYERED: &str = "a `defaults`, `daemonset` or `container` block, before a setting";

// The meanings of the settings a pod and a container share.
// The security settings a pod and a container share, one entry for both tables.
const USER: Keyword = kw("user", "user UID", BOTH, "The user ID the processes run as, for the whole pod or one container: `securityContext.runAsUser`.");
const GROUP: Keyword = kw("group", "group GID", BOTH, "The primary group ID of the processes, for the whole pod or one container: `securityContext.runAsGroup`.");
const NON_ROOT: Keyword = kw("run-as-non-root", "run-as-non-root [false]", BOTH, "The kubelet refuses to start a container that would run as root: `securityContext.runAsNonRoot: true` (`false` with `run-as-non-root false`).");
const SECCOMP: Keyword = kw(
    "seccomp",
    "seccomp runtime-default|unconfined|localhost PROFILE",
    BOTH,
    "The seccomp profile that filters system calls: `securityContext.seccompProfile` (`RuntimeDefault`, `Unconfined`, or `Localhost` with `localhostProfile`).",
);
const APPARMOR: Keyword = kw(
    "apparmor",
    "apparmor runtime-default|unconfined|localhost PROFILE",
    BOTH,
    "The AppArmor profile that confines the processes: `securityContext.appArmorProfile` (`RuntimeDefault`, `Unconfined`, or `Localhost` with `localhostProfile`).",
);
const SELINUX: Keyword = kw(
    "selinux",
    "selinux type=T [level=L] [user=U] [role=R]",
    BOTH,
    "The SELinux context of the processes (`type=spc_t`, for instance): `securityContext.seLinuxOptions`.",
);

// The words before a setting that say how it applies over the layers below, in the tables of
// both blocks.
const SOFT: Keyword = kw(
    "soft",
    "soft SETTING ...",
    LAYERED,
    "In a `defaults` block: a setting that a block or spec above may change without `override`.",
);
const REMOVE: Keyword = kw(
    "remove",
    "remove SETTING [WHICH]",
    LAYERED,
    "Takes out a setting a `defaults` block below sets: `remove priority`, `remove env NODE_NAME`, `remove tolerate all`, `remove container sidecar`. Removing what is not there is an error.",
);
const APPEND: Keyword = kw(
    "append",
    "append command|args|env-from|supplemental-groups ...",
    LAYERED,
    "Extends a list that a `defaults` block below sets, instead of replacing it: `append args --verbose`.",
);

pub static TOP_LEVEL: &[Keyword] = &[
    kw(
        "daemonset",
        "daemonset NAME [in NAMESPACE] { ... }",
        FILE,
        "A DaemonSet: one pod of the agent on every matching node. Compiles to `kind: DaemonSet` with `metadata.name` and `metadata.namespace` (`default` unless `in NAMESPACE`).",
    ),
    kw(
        "param",
        "param NAME [string|int|bool|quantity|duration|[WORD, ...]] = DEFAULT",
        FILE,
        "A parameter: `${NAME}` in any bare word of the file becomes its value, the default unless `-D NAME=VALUE` sets another on the command line. Compiles to nothing itself.",
    ),
    kw(
        "defaults",
        "defaults NAME [from PARENT ...] { SETTINGS }",
        FILE,
        "Settings of a daemonset body that specs take with `daemonset NAME in NAMESPACE from NAME { ... }`: firm (changed only with `override`) unless marked `soft`; `container * { ... }` reaches every container. Compiles to nothing itself.",
    ),
    kw(
        "use",
        "use PATH",
        FILE,
        "Takes the parameters of another `.ds` file of the repository (a library: `param` and `use` statements), named relative to this file: `use ../lib/node-agent.ds`. Compiles to nothing itself.",
    ),
];

pub static WORKLOAD: &[Keyword] = &[
    kw(
        "allow",
        "allow LINT ...",
        DS,
        "Silences the named lints (warnings, never errors) in this block, as in `allow floating-tag`. Compiles to nothing.",
    ),
    kw(
        "namespace",
        "namespace NAME",
        DS,
        "The namespace the agent runs in, instead of `in NAMESPACE`: `metadata.namespace`.",
    ),
    kw(
        "labels",
        "labels KEY=VALUE ...",
        DS,
        "Workload labels, also the pod labels and, without `selector`, the selector: `metadata.labels`, `spec.template.metadata.labels` and `spec.selector.matchLabels`.",
    ),
    kw(
        "daemonset-labels",
        "daemonset-labels KEY=VALUE ...",
        DS,
        "Labels of the DaemonSet object only, neither on the pods nor in the selector: `metadata.labels`.",
    ),
    kw(
        "annotations",
        "annotations KEY=VALUE ...",
        DS,
        "Annotations of the DaemonSet object: `metadata.annotations`.",
    ),
    kw(
        "selector",
        "selector KEY=VALUE ...",
        DS,
        "An explicit selector of the agent's pods; its pairs are added to the pod labels: `spec.selector.matchLabels`. A selector must never change.",
    ),
    kw(
        "pod-labels",
        "pod-labels KEY=VALUE ...",
        DS,
        "Labels only on the pods, not in the selector (versions, for instance): `spec.template.metadata.labels`.",
    ),
    kw(
        "pod-annotations",
        "pod-annotations KEY=VALUE ...",
        DS,
        "Annotations of the pods: `spec.template.metadata.annotations`.",
    ),
    kw(
        "pull-secret",
        "pull-secret NAME ...",
        DS,
        "Secrets with the credentials to pull the images from private registries: `imagePullSecrets`.",
    ),
    // Update strategy, pod settings, scheduling, security, VKE, escape hatch (issue 4).
    kw(
        "update",
        "update rolling [max-unavailable N|N%] [max-surge N|N%] | update on-delete",
        DS,
        "How a new version reaches the nodes: `spec.updateStrategy`, `RollingUpdate` (the default) or `OnDelete` (a pod is replaced only once deleted).",
    ),
    kw(
        "max-unavailable",
        "max-unavailable N|N%",
        DS,
        "How many nodes may be without a ready pod during a rolling update: `updateStrategy.rollingUpdate.maxUnavailable`.",
    ),
    kw(
        "max-surge",
        "max-surge N|N%",
        DS,
        "How many nodes may run the new pod beside the old one during a rolling update: `rollingUpdate.maxSurge`, with `maxUnavailable: 0`.",
    ),
    kw(
        "min-ready",
        "min-ready DURATION",
        DS,
        "How long a new pod must be ready before it counts as available in a rollout: `spec.minReadySeconds`.",
    ),
    kw(
        "history",
        "history COUNT",
        DS,
        "How many old revisions are kept for a rollback: `spec.revisionHistoryLimit`.",
    ),
    kw(
        "grace",
        "grace DURATION",
        DS,
        "How long a stopping pod gets to exit before it is killed (30 s unless set): `terminationGracePeriodSeconds`.",
    ),
    kw(
        "dns",
        "dns cluster-first|cluster-first-with-host-net|default|none [{ nameservers IP ... }]",
        DS,
        "How the pod resolves names: `dnsPolicy` (`ClusterFirst`, `ClusterFirstWithHostNet`, `Default` or `None`); the block sets `dnsConfig`.",
    ),
    kw(
        "host-network",
        "host-network",
        DS,
        "The pod uses the node's network: `hostNetwork: true`, and every port's `hostPort` is its `containerPort`.",
    ),
    kw(
        "host-pid",
        "host-pid",
        DS,
        "The pod sees the node's processes: `hostPID: true`.",
    ),
    kw(
        "host-ipc",
        "host-ipc",
        DS,
        "The pod shares the node's IPC namespace: `hostIPC: true`.",
    ),
    kw(
        "share-process-namespace",
        "share-process-namespace",
        DS,
        "The pod's containers see each other's processes: `shareProcessNamespace: true` (not with `host-pid`).",
    ),
    kw(
        "priority",
        "priority CLASS",
        DS,
        "The pod's priority class, such as `system-node-critical` for an agent the node needs: `priorityClassName`.",
    ),
    kw(
        "service-account",
        "service-account NAME",
        DS,
        "The service account the pod runs as, for its access to the API: `serviceAccountName`.",
    ),
    kw(
        "automount-token",
        "automount-token true|false",
        DS,
        "Whether the service account's API token is mounted into the containers: `automountServiceAccountToken`.",
    ),
    kw(
        "host-users",
        "host-users true|false",
        DS,
        "`false` runs the pods in a user namespace, so root in a container is not root on the node: `hostUsers`.",
    ),
    kw(
        "os",
        "os linux|windows",
        DS,
        "The operating system of the pods' nodes, which the API server checks the pod against: `os.name`.",
    ),
    kw(
        "sysctl",
        "sysctl NAME=VALUE ...",
        DS,
        "Namespaced kernel parameters set for the pod, such as `net.ipv4.ip_unprivileged_port_start=0`: `securityContext.sysctls`.",
    ),
    kw(
        "scheduler",
        "scheduler NAME",
        DS,
        "The scheduler that places the pods: `schedulerName`.",
    ),
    kw(
        "runtime-class",
        "runtime-class NAME",
        DS,
        "The RuntimeClass that runs the pod's containers (gVisor, Kata, the NVIDIA runtime): `runtimeClassName`.",
    ),
    kw(
        "host-alias",
        "host-alias IP HOSTNAME ...",
        DS,
        "Host names for an IP address in the pod's `/etc/hosts`: `hostAliases` (`ip` and `hostnames`).",
    ),
    kw(
        "node-selector",
        "node-selector KEY=VALUE ...",
        DS,
        "Runs the agent only on nodes with these labels: `nodeSelector`.",
    ),
    kw(
        "tolerate",
        "tolerate all[:EFFECT] | tolerate KEY[=VALUE][:EFFECT] [for DURATION]",
        DS,
        "Lets the pods run on nodes with a matching taint (`all`: every taint): `tolerations`, and `tolerationSeconds` with `for DURATION`.",
    ),
    kw(
        "node-affinity",
        "node-affinity require|prefer WEIGHT KEY in|not-in [V, ...]|exists|does-not-exist|gt N|lt N [and ...] [or ...]",
        DS,
        "The nodes the pods must (`require`) or should (`prefer`) run on, by node labels: `affinity.nodeAffinity`.",
    ),
    kw(
        "pod-affinity",
        "pod-affinity require|prefer WEIGHT KEY=VALUE|KEY in [V, ...] ... [topology KEY] [namespaces [NS, ...]]",
        DS,
        "Runs the pods where pods with these labels run, in the same `topology` domain (the node by default): `affinity.podAffinity`.",
    ),
    kw(
        "pod-anti-affinity",
        "pod-anti-affinity require|prefer WEIGHT KEY=VALUE|KEY in [V, ...] ... [topology KEY] [namespaces [NS, ...]]",
        DS,
        "Keeps the pods away from pods with these labels, by `topology` domain (the node by default): `affinity.podAntiAffinity`.",
    ),
    USER,
    GROUP,
    kw(
        "fs-group",
        "fs-group GID",
        DS,
        "A group that owns the pod's volumes and is added to every process: `securityContext.fsGroup`.",
    ),
    kw(
        "supplemental-groups",
        "supplemental-groups GID ...",
        DS,
        "More groups for every process of the pod: `securityContext.supplementalGroups`.",
    ),
    NON_ROOT,
    SECCOMP,
    APPARMOR,
    SELINUX,
    kw(
        "image-cache",
        "image-cache auto",
        DS,
        "VKE: image caches created for the pods on VCI: pod annotation `vci.vke.volcengine.com/enable-auto-create-imc: \"true\"`.",
    ),
    kw(
        "vci",
        "vci enforce",
        DS,
        "VKE: runs the pods on VCI virtual nodes: pod annotation `vke.volcengine.com/burst-to-vci: enforce`.",
    ),
    kw(
        "pod-override",
        "pod-override \"\"\" YAML \"\"\"",
        DS,
        "YAML merged into the pod spec after everything dsc generates, as a JSON merge patch: `spec.template.spec`.",
    ),
    kw(
        "spec-override",
        "spec-override \"\"\" YAML \"\"\"",
        DS,
        "YAML merged into the DaemonSet spec after everything dsc generates, as a JSON merge patch: `spec`.",
    ),
    kw(
        "container",
        "container NAME { image IMAGE ... }",
        DS,
        "A container of the pod, running for the pod's whole life: an entry of `containers[]`.",
    ),
    kw(
        "init",
        "init NAME { image IMAGE ... }",
        DS,
        "An init container, run to completion before the containers start (unless a `sidecar`): an entry of `initContainers[]`.",
    ),
    kw(
        "volume",
        "volume NAME host|configmap|secret|pvc|empty-dir|projected|downward ...",
        DS,
        "A volume the containers mount by name: an entry of `volumes[]` (`hostPath`, `configMap`, `secret`, `persistentVolumeClaim`, `emptyDir`, `projected` or `downwardAPI`).",
    ),
    kw(
        "timezone",
        "timezone host",
        DS,
        "Every container sees the node's time zone: a `hostPath` volume `host-localtime` of `/etc/localtime`, mounted read-only at `/etc/localtime`.",
    ),
    kw(
        "override",
        "override SETTING ...",
        LAYERED,
        "Changes a firm setting of a `defaults` block below (`override priority system-cluster-critical`), so the deviation shows in review.",
    ),
    SOFT,
    REMOVE,
    APPEND,
];

pub static CONTAINER: &[Keyword] = &[
    kw(
        "allow",
        "allow LINT ...",
        CT,
        "Silences the named lints (warnings, never errors) in this container, as in `allow floating-tag`. Compiles to nothing.",
    ),
    kw(
        "image",
        "image REGISTRY/REPOSITORY[:TAG][@DIGEST]",
        CT,
        "The image the container runs, written as given (no tag means `latest`): `image`.",
    ),
    kw(
        "pull",
        "pull always|if-not-present|never",
        CT,
        "When the image is pulled: `imagePullPolicy` (`Always`, `IfNotPresent` or `Never`); without it, `Always` for `latest` or no tag, else `IfNotPresent`.",
    ),
    kw(
        "command",
        "command PROGRAM ARG ...",
        CT,
        "The program the container runs instead of the image's entrypoint, with its arguments: `command`.",
    ),
    kw(
        "args",
        "args ARG ...",
        CT,
        "The arguments of the entrypoint (or of `command`): `args`.",
    ),
    kw(
        "cpu",
        "cpu REQUEST[..LIMIT]",
        CT,
        "The container's CPU request and limit: `resources.requests.cpu` and `resources.limits.cpu`. A container over its limit is throttled.",
    ),
    kw(
        "memory",
        "memory REQUEST[..LIMIT]",
        CT,
        "The container's memory request and limit: `resources.requests.memory` and `resources.limits.memory`. A container over its limit is killed.",
    ),
    kw(
        "resource",
        "resource NAME REQUEST[..LIMIT]",
        CT,
        "The request and limit of any other resource (`ephemeral-storage`, `hugepages-2Mi`, an extended resource): `resources.requests` and `resources.limits`.",
    ),
    kw(
        "gpu",
        "gpu COUNT [type CARD]",
        CT,
        "Whole NVIDIA GPUs: `nvidia.com/gpu` in `resources.limits`; `type CARD` pins the pods to nodes whose `machine.cluster.vke.volcengine.com/gpu-name` is that card.",
    ),
    kw(
        "mgpu",
        "mgpu core PERCENT [memory MiB] [type CARD]",
        CT,
        "VKE shared GPU, a share of a card's cores and memory: `vke.volcengine.com/mgpu-core` and `vke.volcengine.com/mgpu-memory` (requests = limits).",
    ),
    kw(
        "rdma",
        "rdma COUNT",
        CT,
        "VKE RDMA devices: `vke.volcengine.com/rdma` in `resources.limits`.",
    ),
    kw(
        "privileged",
        "privileged",
        CT,
        "Runs the container with the node's devices and every capability: `securityContext.privileged: true`.",
    ),
    kw(
        "port",
        "port [NAME] NUMBER[/udp|/sctp] [host NUMBER]",
        CT,
        "A port the container listens on, TCP unless `/udp` or `/sctp`: an entry of `ports[]` (`containerPort`, `protocol`, `name`, and `hostPort` with `host`).",
    ),
    kw(
        "env",
        "env NAME=VALUE | env NAME = field|secret|configmap|resource REF",
        CT,
        "An environment variable, literal or from a pod field, a secret, a config map or a resource: `env[].value` or `env[].valueFrom`.",
    ),
    kw(
        "env-from",
        "env-from configmap|secret NAME [prefix PREFIX] [optional]",
        CT,
        "Every key of a config map or secret as an environment variable: an entry of `envFrom[]` (`configMapRef` or `secretRef`, and `prefix`).",
    ),
    kw(
        "mount",
        "mount /HOST/PATH [ro] | mount VOLUME at PATH [ro] [sub-path PATH]",
        CT,
        "Mounts a host path, a declared `volume` or an inline source in the container: an entry of `volumeMounts[]`, and of `volumes[]` for an inline source.",
    ),
    kw(
        "liveness",
        "liveness http PORT [PATH] | tcp PORT | grpc PORT | exec [COMMAND ...] [period 10s] [failure 3]",
        CT,
        "A health check that restarts the container when it fails: `livenessProbe`.",
    ),
    kw(
        "readiness",
        "readiness http PORT [PATH] | tcp PORT | grpc PORT | exec [COMMAND ...] [period 10s] [success 1]",
        CT,
        "A health check that takes the pod out of service while it fails: `readinessProbe`.",
    ),
    kw(
        "startup",
        "startup http PORT [PATH] | tcp PORT | grpc PORT | exec [COMMAND ...] [period 10s] [failure 3]",
        CT,
        "A check that holds the other checks until it passes once: `startupProbe`.",
    ),
    kw(
        "post-start",
        "post-start exec [COMMAND ...] | http PORT [PATH] | sleep DURATION",
        CT,
        "A hook run when the container starts: `lifecycle.postStart`.",
    ),
    kw(
        "pre-stop",
        "pre-stop exec [COMMAND ...] | http PORT [PATH] | sleep DURATION",
        CT,
        "A hook run before the container is stopped (`sleep 5s` lets load balancers drain): `lifecycle.preStop`.",
    ),
    // Security context, working directory, sidecar, escape hatch (issue 4).
    USER,
    GROUP,
    NON_ROOT,
    kw(
        "caps",
        "caps [add [CAP, ...]] [drop [CAP, ...]]",
        CT,
        "Linux capabilities added to or dropped from the processes (`NET_ADMIN`, `ALL`): `securityContext.capabilities` (`add` and `drop`).",
    ),
    kw(
        "read-only-root",
        "read-only-root",
        CT,
        "The container's root filesystem is read-only: `securityContext.readOnlyRootFilesystem: true`.",
    ),
    kw(
        "no-privilege-escalation",
        "no-privilege-escalation",
        CT,
        "No process can gain more privileges than its parent (through setuid files): `securityContext.allowPrivilegeEscalation: false`.",
    ),
    kw(
        "allow-privilege-escalation",
        "allow-privilege-escalation true|false",
        CT,
        "Whether a process can gain more privileges than its parent (through setuid files): `securityContext.allowPrivilegeEscalation`.",
    ),
    SECCOMP,
    APPARMOR,
    SELINUX,
    kw(
        "stdin",
        "stdin",
        CT,
        "Keeps the container's standard input open: `stdin: true`.",
    ),
    kw(
        "stdin-once",
        "stdin-once",
        CT,
        "Closes standard input after the first client detaches: `stdinOnce: true` (with `stdin`).",
    ),
    kw(
        "tty",
        "tty",
        CT,
        "Gives the container a terminal: `tty: true`.",
    ),
    kw(
        "stop-signal",
        "stop-signal SIGNAL",
        CT,
        "The signal the runtime sends to stop the container, instead of the image's: `lifecycle.stopSignal` (needs `os` and the `ContainerStopSignals` feature gate).",
    ),
    kw(
        "workdir",
        "workdir PATH",
        CT,
        "The directory the container's command starts in: `workingDir`.",
    ),
    kw(
        "termination-message",
        "termination-message file|fallback-to-logs [path PATH]",
        CT,
        "Where the container's last words are read when it ends: `terminationMessagePolicy` (`File` or `FallbackToLogsOnError`) and `terminationMessagePath`.",
    ),
    kw(
        "sidecar",
        "sidecar",
        CT,
        "Makes an init container a sidecar that starts first and keeps running beside the containers: `restartPolicy: Always`.",
    ),
    kw(
        "override",
        "override \"\"\" YAML \"\"\" | override SETTING ...",
        CT,
        "YAML merged into this container after everything dsc generates, as a JSON merge patch: its entry of `containers[]` or `initContainers[]`. Before a setting: changes a firm setting of a `defaults` block below.",
    ),
    SOFT,
    REMOVE,
    APPEND,
];

/// The settings of the block after `dns POLICY`.
pub static DNS: &[Keyword] = &[
    kw(
        "nameservers",
        "nameservers IP ...",
        DNS_BLOCK,
        "The DNS servers of the pod (at most 3; `dns none` needs one): `dnsConfig.nameservers`.",
    ),
    kw(
        "searches",
        "searches DOMAIN ...",
        DNS_BLOCK,
        "The search domains tried for a short host name: `dnsConfig.searches`.",
    ),
    kw(
        "options",
        "options NAME[=VALUE] ...",
        DNS_BLOCK,
        "Options of the pod's resolver, such as `ndots=2`: `dnsConfig.options` (`name` and `value`).",
    ),
];

const PV: &str = "a `projected` volume block";
const FILE_USAGE: &str =
    "file PATH = field FIELD | file PATH = resource RESOURCE container NAME [divisor D]";

/// The sources of a `volume NAME projected { ... }`.
pub static PROJECTED: &[Keyword] = &[
    kw(
        "token",
        "token PATH [expires DURATION] [audience AUDIENCE]",
        PV,
        "A file with a service-account token for the pod's identity (1 h unless `expires`): a `serviceAccountToken` source (`path`, `expirationSeconds`, `audience`).",
    ),
    kw(
        "configmap",
        "configmap NAME [items KEY=PATH ...] [optional]",
        PV,
        "A config map's keys as files, all of them or the chosen `items`: a `configMap` source.",
    ),
    kw(
        "secret",
        "secret NAME [items KEY=PATH ...] [optional]",
        PV,
        "A secret's keys as files, all of them or the chosen `items`: a `secret` source.",
    ),
    kw(
        "file",
        FILE_USAGE,
        PV,
        "A file holding a pod field or a container's resource; the files form one `downwardAPI` source (`items[].fieldRef` or `items[].resourceFieldRef`).",
    ),
];

/// The files of a `volume NAME downward { ... }`.
pub static DOWNWARD: &[Keyword] = &[kw(
    "file",
    FILE_USAGE,
    "a `projected` or `downward` volume block",
    "A file holding a pod field (`metadata.labels`, ...) or a container's resource (`limits.cpu`, ...): `items[].fieldRef` or `items[].resourceFieldRef`.",
)];

/// Every table, in the order a name is looked up.
fn tables() -> [&'static [Keyword]; 6] {
    [TOP_LEVEL, WORKLOAD, CONTAINER, PROJECTED, DNS, DOWNWARD]
}

/// The keyword of that name, from any table (the first where several tables have it): its
/// usage line and meaning, for an editor's hover.
pub fn find(name: &str) -> Option<&'static Keyword> {
    tables()
        .into_iter()
        .flat_map(|t| t.iter())
        .find(|k| k.name == name)
}

/// The settings of the block a statement opens: `daemonset`, `container` or `init`, `dns`, and
/// a `volume` whose second argument (`kind`) is `projected` or `downward`; none for others.
pub fn block_settings(keyword: &str, kind: Option<&str>) -> &'static [Keyword] {
    match (keyword, kind) {
        ("daemonset" | "defaults", _) => WORKLOAD,
        ("container" | "init", _) => CONTAINER,
        ("dns", _) => DNS,
        ("volume", Some("projected")) => PROJECTED,
        ("volume", Some("downward")) => DOWNWARD,
        _ => &[],
    }
}

/// The usage line of a keyword, from any table.
pub fn usage(name: &str) -> &'static str {
    find(name).map_or("", |k| k.usage)
}

/// "valid settings here: ..." for one table, built once per table and shared by every report
/// that names it (a file of many unknown settings holds one copy, not one per line).
pub fn listing(known: &'static [Keyword]) -> &'static str {
    static BUILT: OnceLock<Mutex<Vec<(usize, &'static str)>>> = OnceLock::new();
    let key = known.as_ptr() as usize;
    let mut built = BUILT
        .get_or_init(Mutex::default)
        .lock()
        .unwrap_or_else(PoisonError::into_inner);
    if let Some((_, text)) = built.iter().find(|(k, _)| *k == key) {
        return text;
    }
    let names: Vec<&str> = known.iter().map(|k| k.name).collect();
    // One string per keyword table, of which there are a handful: kept for the process.
    let text: &'static str =
        Box::leak(format!("valid settings here: {}", names.join(", ")).into_boxed_str());
    built.push((key, text));
    text
}

/// Words other tools use for a setting, and the keyword dsc has for it: a near spelling of one
/// ("enviroment") is a surer guess than the closest keyword by letters (`env-from`).
pub static ALIASES: &[(&str, &str)] = &[
    ("environment", "env"),
    ("environ", "env"),
    ("variables", "env"),
    ("volumemount", "mount"),
    ("volume-mount", "mount"),
    ("volumemounts", "mount"),
    ("volume-mounts", "mount"),
    ("imagepullpolicy", "pull"),
    ("pull-policy", "pull"),
    ("nodeselector", "node-selector"),
    ("serviceaccount", "service-account"),
    ("hostnetwork", "host-network"),
];

/// The keyword of `known` that `word` most likely means: the closest keyword by letters, unless
/// an [`ALIASES`] entry is closer still (`enviroment` is `environment` misspelled, so `env`).
pub fn closest(word: &str, known: &'static [Keyword]) -> Option<&'static Keyword> {
    use crate::diagnostics::did_you_mean;
    let similarity = |a: &str| strsim::jaro_winkler(&word.to_ascii_lowercase(), a);
    let direct = did_you_mean(word, known.iter().map(|k| k.name))
        .and_then(|name| known.iter().find(|k| k.name == name));
    let alias = did_you_mean(word, ALIASES.iter().map(|(a, _)| *a)).and_then(|alias| {
        let (_, target) = ALIASES.iter().find(|(a, _)| *a == alias)?;
        Some((alias, known.iter().find(|k| k.name == *target)?))
    });
    match (direct, alias) {
        (Some(d), Some((a, k))) if similarity(a) > similarity(d.name) => Some(k),
        (Some(d), _) => Some(d),
        (None, alias) => alias.map(|(_, k)| k),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_keyword_has_a_short_doc_that_names_a_field() {
        for table in tables() {
            for k in table {
                let doc = k.doc;
                assert!(!doc.trim().is_empty(), "`{}` has no doc", k.name);
                let quoted = doc.split('`').skip(1).step_by(2);
                assert!(
                    doc.matches('`').count() % 2 == 0 && quoted.clone().any(|q| !q.is_empty()),
                    "`{}`: the doc names no field or value in backquotes: {doc}",
                    k.name
                );
                assert!(
                    doc.chars().count() <= 240,
                    "`{}`: the doc is {} characters long, more than 240",
                    k.name,
                    doc.chars().count()
                );
                assert_eq!(doc, doc.trim(), "`{}`: spaces around the doc", k.name);
            }
        }
    }

    #[test]
    fn find_searches_every_table() {
        for table in tables() {
            for k in table {
                let found = find(k.name).expect("every keyword is found");
                assert_eq!(found.name, k.name);
                assert_eq!(usage(k.name), found.usage);
            }
        }
        assert!(find("memory")
            .unwrap()
            .doc
            .contains("`resources.limits.memory`"));
        assert!(find("nameservers").is_some());
        assert!(find("no-such-setting").is_none());
        assert_eq!(usage("no-such-setting"), "");
    }
}
