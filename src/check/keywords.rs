//! The settings each block accepts, with their usage line (shown in help and the reference).

use std::sync::{Mutex, OnceLock, PoisonError};

/// One setting: its keyword, a usage line, and where it belongs.
pub struct Keyword {
    pub name: &'static str,
    pub usage: &'static str,
    pub place: &'static str,
}

const fn kw(name: &'static str, usage: &'static str, place: &'static str) -> Keyword {
    Keyword { name, usage, place }
}

const FILE: &str = "the top level of a file";
const DS: &str = "a `daemonset` block";
const CT: &str = "a `container` or `init` block";
const BOTH: &str = "a `daemonset` block (for the pod) or a `container` block";
const DNS_BLOCK: &str = "a `dns` block";

pub static TOP_LEVEL: &[Keyword] = &[kw(
    "daemonset",
    "daemonset NAME [in NAMESPACE] { ... }",
    FILE,
)];

pub static WORKLOAD: &[Keyword] = &[
    kw("allow", "allow LINT ...", DS),
    kw("namespace", "namespace NAME", DS),
    kw("labels", "labels KEY=VALUE ...", DS),
    kw("daemonset-labels", "daemonset-labels KEY=VALUE ...", DS),
    kw("annotations", "annotations KEY=VALUE ...", DS),
    kw("selector", "selector KEY=VALUE ...", DS),
    kw("pod-labels", "pod-labels KEY=VALUE ...", DS),
    kw("pod-annotations", "pod-annotations KEY=VALUE ...", DS),
    kw("pull-secret", "pull-secret NAME ...", DS),
    // Update strategy, pod settings, scheduling, security, VKE, escape hatch (issue 4).
    kw(
        "update",
        "update rolling [max-unavailable N|N%] [max-surge N|N%] | update on-delete",
        DS,
    ),
    kw("max-unavailable", "max-unavailable N|N%", DS),
    kw("max-surge", "max-surge N|N%", DS),
    kw("min-ready", "min-ready DURATION", DS),
    kw("history", "history COUNT", DS),
    kw("grace", "grace DURATION", DS),
    kw(
        "dns",
        "dns cluster-first|cluster-first-with-host-net|default|none [{ nameservers IP ... }]",
        DS,
    ),
    kw("host-network", "host-network", DS),
    kw("host-pid", "host-pid", DS),
    kw("host-ipc", "host-ipc", DS),
    kw("share-process-namespace", "share-process-namespace", DS),
    kw("priority", "priority CLASS", DS),
    kw("service-account", "service-account NAME", DS),
    kw("automount-token", "automount-token true|false", DS),
    kw("scheduler", "scheduler NAME", DS),
    kw("runtime-class", "runtime-class NAME", DS),
    kw("host-alias", "host-alias IP HOSTNAME ...", DS),
    kw("node-selector", "node-selector KEY=VALUE ...", DS),
    kw(
        "tolerate",
        "tolerate all[:EFFECT] | tolerate KEY[=VALUE][:EFFECT] [for DURATION]",
        DS,
    ),
    kw(
        "node-affinity",
        "node-affinity require|prefer WEIGHT KEY in|not-in [V, ...]|exists|does-not-exist|gt N|lt N [and ...] [or ...]",
        DS,
    ),
    kw(
        "pod-affinity",
        "pod-affinity require|prefer WEIGHT KEY=VALUE|KEY in [V, ...] ... [topology KEY] [namespaces [NS, ...]]",
        DS,
    ),
    kw(
        "pod-anti-affinity",
        "pod-anti-affinity require|prefer WEIGHT KEY=VALUE|KEY in [V, ...] ... [topology KEY] [namespaces [NS, ...]]",
        DS,
    ),
    kw("user", "user UID", BOTH),
    kw("group", "group GID", BOTH),
    kw("fs-group", "fs-group GID", DS),
    kw("supplemental-groups", "supplemental-groups GID ...", DS),
    kw("run-as-non-root", "run-as-non-root [false]", BOTH),
    kw(
        "seccomp",
        "seccomp runtime-default|unconfined|localhost PROFILE",
        BOTH,
    ),
    kw(
        "apparmor",
        "apparmor runtime-default|unconfined|localhost PROFILE",
        BOTH,
    ),
    kw("selinux", "selinux type=T [level=L] [user=U] [role=R]", BOTH),
    kw("image-cache", "image-cache auto", DS),
    kw("vci", "vci enforce", DS),
    kw("pod-override", "pod-override \"\"\" YAML \"\"\"", DS),
    kw("spec-override", "spec-override \"\"\" YAML \"\"\"", DS),
    kw("container", "container NAME { image IMAGE ... }", DS),
    kw("init", "init NAME { image IMAGE ... }", DS),
    kw(
        "volume",
        "volume NAME host|configmap|secret|pvc|empty-dir|projected|downward ...",
        DS,
    ),
    kw("timezone", "timezone host", DS),
];

pub static CONTAINER: &[Keyword] = &[
    kw("allow", "allow LINT ...", CT),
    kw("image", "image REGISTRY/REPOSITORY[:TAG][@DIGEST]", CT),
    kw("pull", "pull always|if-not-present|never", CT),
    kw("command", "command PROGRAM ARG ...", CT),
    kw("args", "args ARG ...", CT),
    kw("cpu", "cpu REQUEST[..LIMIT]", CT),
    kw("memory", "memory REQUEST[..LIMIT]", CT),
    kw("resource", "resource NAME REQUEST[..LIMIT]", CT),
    kw("gpu", "gpu COUNT [type CARD]", CT),
    kw("mgpu", "mgpu core PERCENT [memory MiB] [type CARD]", CT),
    kw("rdma", "rdma COUNT", CT),
    kw("privileged", "privileged", CT),
    kw("port", "port [NAME] NUMBER[/udp|/sctp] [host NUMBER]", CT),
    kw(
        "env",
        "env NAME=VALUE | env NAME = field|secret|configmap|resource REF",
        CT,
    ),
    kw(
        "env-from",
        "env-from configmap|secret NAME [prefix PREFIX] [optional]",
        CT,
    ),
    kw(
        "mount",
        "mount /HOST/PATH [ro] | mount VOLUME at PATH [ro] [sub-path PATH]",
        CT,
    ),
    kw(
        "liveness",
        "liveness http PORT [PATH] | tcp PORT | grpc PORT | exec [COMMAND ...] [period 10s] [failure 3]",
        CT,
    ),
    kw(
        "readiness",
        "readiness http PORT [PATH] | tcp PORT | grpc PORT | exec [COMMAND ...] [period 10s] [success 1]",
        CT,
    ),
    kw(
        "startup",
        "startup http PORT [PATH] | tcp PORT | grpc PORT | exec [COMMAND ...] [period 10s] [failure 3]",
        CT,
    ),
    kw(
        "post-start",
        "post-start exec [COMMAND ...] | http PORT [PATH] | sleep DURATION",
        CT,
    ),
    kw(
        "pre-stop",
        "pre-stop exec [COMMAND ...] | http PORT [PATH] | sleep DURATION",
        CT,
    ),
    // Security context, working directory, sidecar, escape hatch (issue 4).
    kw("user", "user UID", BOTH),
    kw("group", "group GID", BOTH),
    kw("run-as-non-root", "run-as-non-root [false]", BOTH),
    kw("caps", "caps [add [CAP, ...]] [drop [CAP, ...]]", CT),
    kw("read-only-root", "read-only-root", CT),
    kw("no-privilege-escalation", "no-privilege-escalation", CT),
    kw(
        "allow-privilege-escalation",
        "allow-privilege-escalation true|false",
        CT,
    ),
    kw(
        "seccomp",
        "seccomp runtime-default|unconfined|localhost PROFILE",
        BOTH,
    ),
    kw(
        "apparmor",
        "apparmor runtime-default|unconfined|localhost PROFILE",
        BOTH,
    ),
    kw(
        "selinux",
        "selinux type=T [level=L] [user=U] [role=R]",
        BOTH,
    ),
    kw("workdir", "workdir PATH", CT),
    kw(
        "termination-message",
        "termination-message file|fallback-to-logs [path PATH]",
        CT,
    ),
    kw("sidecar", "sidecar", CT),
    kw("override", "override \"\"\" YAML \"\"\"", CT),
];

/// The settings of the block after `dns POLICY`.
pub static DNS: &[Keyword] = &[
    kw("nameservers", "nameservers IP ...", DNS_BLOCK),
    kw("searches", "searches DOMAIN ...", DNS_BLOCK),
    kw("options", "options NAME[=VALUE] ...", DNS_BLOCK),
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
    ),
    kw(
        "configmap",
        "configmap NAME [items KEY=PATH ...] [optional]",
        PV,
    ),
    kw("secret", "secret NAME [items KEY=PATH ...] [optional]", PV),
    kw("file", FILE_USAGE, PV),
];

/// The files of a `volume NAME downward { ... }`.
pub static DOWNWARD: &[Keyword] = &[kw(
    "file",
    FILE_USAGE,
    "a `projected` or `downward` volume block",
)];

/// The usage line of a keyword, from any table.
pub fn usage(name: &str) -> &'static str {
    [TOP_LEVEL, WORKLOAD, CONTAINER, PROJECTED, DNS]
        .iter()
        .flat_map(|t| t.iter())
        .find(|k| k.name == name)
        .map_or("", |k| k.usage)
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
