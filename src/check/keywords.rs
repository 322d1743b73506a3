//! The settings each block accepts, with their usage line (shown in help and the reference).

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

pub static TOP_LEVEL: &[Keyword] = &[kw(
    "daemonset",
    "daemonset NAME [in NAMESPACE] { ... }",
    FILE,
)];

pub static WORKLOAD: &[Keyword] = &[
    kw("allow", "allow LINT ...", DS),
    kw("namespace", "namespace NAME", DS),
    kw("labels", "labels KEY=VALUE ...", DS),
    kw("annotations", "annotations KEY=VALUE ...", DS),
    kw("selector", "selector KEY=VALUE ...", DS),
    kw("pod-labels", "pod-labels KEY=VALUE ...", DS),
    kw("pod-annotations", "pod-annotations KEY=VALUE ...", DS),
    kw("pull-secret", "pull-secret NAME ...", DS),
    kw("container", "container NAME { image IMAGE ... }", DS),
    kw("init", "init NAME { image IMAGE ... }", DS),
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
    kw("port", "port [NAME] NUMBER[/udp|/sctp]", CT),
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
];

/// The usage line of a keyword, from any table.
pub fn usage(name: &str) -> &'static str {
    [TOP_LEVEL, WORKLOAD, CONTAINER]
        .iter()
        .flat_map(|t| t.iter())
        .find(|k| k.name == name)
        .map_or("", |k| k.usage)
}
