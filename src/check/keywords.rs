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
    [TOP_LEVEL, WORKLOAD, CONTAINER, PROJECTED]
        .iter()
        .flat_map(|t| t.iter())
        .find(|k| k.name == name)
        .map_or("", |k| k.usage)
}
