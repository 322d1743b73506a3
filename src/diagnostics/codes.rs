//! Every diagnostic code: its name (for `allow`/`deny`), a summary, and the explanation that
//! `dsc explain` prints. A test checks that every code the compiler raises is listed here.

pub struct CodeInfo {
    pub code: &'static str,
    pub name: &'static str,
    pub summary: &'static str,
    pub explanation: &'static str,
}

pub fn lookup(code: &str) -> Option<&'static CodeInfo> {
    CODES
        .iter()
        .find(|c| c.code.eq_ignore_ascii_case(code) || c.name.eq_ignore_ascii_case(code))
}

const fn code(
    code: &'static str,
    name: &'static str,
    summary: &'static str,
    explanation: &'static str,
) -> CodeInfo {
    CodeInfo {
        code,
        name,
        summary,
        explanation,
    }
}

/// Codes no longer raised, and what reports the same mistake now: their rules moved to the
/// API server's rules on the compiled object (`src/validate/`), which point at the same
/// arguments, or became lints where the server accepts the value. `dsc explain` still answers for them, as old CI logs quote them.
pub static RETIRED: &[(&str, &str)] = &[
    ("DS0301", "a name that breaks its format (the daemonset, namespace, containers, volumes, and the names the pod refers to): now DS1003 (invalid value) at the name, with a close valid name as help; an empty config map, secret or claim name is DS1001 (required)"),
    ("DS0208", "two containers with one name: now DS1004 (duplicate value) at the later container's name"),
    ("DS0304", "a selector that does not select the pod labels: now DS1003 (invalid value) at the pods' label, the selector's value labelled"),
    ("DS0305", "annotations over 256 KiB: now DS1007 (too long) at the first `annotations` or `pod-annotations` statement"),
    ("DS0302", "a taint, topology or selector key that is not a qualified name: now DS1003 (invalid value) at the key"),
    ("DS0306", "a pod annotation the API server reads (deletion cost, mirror pods, tolerations, seccomp, AppArmor) with a value it refuses: now DS1003 (invalid value or name) at the annotation"),
    ("DS0401", "an environment variable name or env-from prefix the API server refuses: now DS1003 (invalid value) at the name or prefix; a name outside the portable form stays the warning DS0906 (`portable-env-name`)"),
    ("DS0403", "an env field reference to a field env cannot read: now DS1002 (unsupported value) or DS1003 (invalid value) at the field path"),
    ("DS0404", "an environment variable set twice: the API server takes it, so it is now the warning DS0913 (`duplicate-env`)"),
    ("DS0408", "two ports of a container with one name: now DS1004 (duplicate value) at `ports[i].name`"),
    ("DS0411", "a request above its limit: now DS1003 (invalid value) at the request"),
    ("DS0413", "a resource name the API server refuses: now DS1003 (invalid name) at the name"),
    ("DS0414", "hugepages not in whole pages, or without cpu or memory: now DS1003 (invalid value) at the value, or DS1005 (forbidden) at the first hugepages statement"),
    ("DS0604", "a probe or hook on an init container that is not a sidecar: now DS1005 (forbidden) at the probe's or hook's keyword"),
    ("DS0605", "an HTTP header name that is not letters, digits and `-`: now DS1003 (invalid value) at the header's name"),
    ("DS0606", "a sleep hook longer than the pod's grace period: now DS1003 (invalid value) at the duration"),
    ("DS0703", "`max-unavailable` and `max-surge` both zero, or both non-zero: now DS1001 (required) at `maxUnavailable`, or DS1003 (invalid value) at `maxSurge`, `maxUnavailable` labelled"),
    ("DS0706", "a DNS configuration the API server refuses (`dns none` without a nameserver, more than 3 nameservers, more than 32 search domains or an invalid one, an option without a name): now DS1001 (required) at the policy or the empty option, or DS1003 (invalid value) at the statement or domain"),
    ("DS0707", "an invalid IP address of a nameserver or host alias: now DS1003 (invalid value) at the address"),
    ("DS0708", "a host port that conflicts with the node's network or another port: now DS1003 (invalid value, under `host-network`) or DS1004 (duplicate value) at `ports[i].hostPort`"),
    ("DS0712", "a privileged container with privilege escalation turned off: now DS1003 (invalid value) at `allowPrivilegeEscalation`, the `privileged` statement labelled"),
    ("DS0713", "`run-as-non-root` with user 0: the API server takes it, so it is now the warning DS0917 (`root-user`)"),
    ("DS0714", "`share-process-namespace` with `host-pid`: now DS1003 (invalid value) at `shareProcessNamespace`"),
    ("DS0719", "a container path that is not absolute: the API server takes it, so it is now the warning DS0909 (`relative-path`)"),
    ("DS0502", "two volumes with one name, or a volume named `host-localtime` beside `timezone host`: now DS1004 (duplicate value) at the later volume's name"),
    ("DS0504", "two mounts of a container at one path (`timezone host` mounts `/etc/localtime`): now DS1003 (invalid value) at the later mount's path"),
    ("DS0505", "a mount with both `sub-path` and `sub-path-expr`: now DS1003 (invalid value) at `subPathExpr`"),
    ("DS0506", "bidirectional mount propagation in a container that is not privileged: now DS1005 (forbidden) at the propagation"),
    ("DS0508", "an `items` key outside the config-map key form: the API server takes any key that is set (`validateKeyToPath`); an empty key is DS1001 (required)"),
    ("DS0509", "two files of one volume at one path: now DS1003 (invalid value, conflicting duplicate paths) between the items and files of a projected volume; the API server takes the others"),
    ("DS0510", "a token lifetime under 10 minutes or over 2^32 seconds: now DS1003 (invalid value) at `expires`"),
    ("DS0511", "a downward-API file with a field a volume cannot hold, or a resource without its container: now DS1002 (unsupported value), DS1003 (invalid value) or DS1001 (required) at the field"),
];

pub static CODES: &[CodeInfo] = &[
    code("DS0101", "syntax", "the text is not valid .ds syntax",
        "A statement is a lower-case setting name, its values, and an optional `{ ... }` block, one \
statement per line (or separated by `;`). Values are words, numbers, quoted strings, `key=value` \
pairs, ranges `a..b` and lists `[a, b]`.\n\nWrong:\n    Image nginx:1.27\n\nRight:\n    image nginx:1.27"),
    code("DS0102", "unterminated-string", "a string is never closed",
        "A string opened with `\"` or `'` must be closed on the same line. For text over several \
lines, such as a shell script, use triple quotes.\n\nWrong:\n    env GREETING=\"hello\n\nRight:\n    env GREETING=\"hello\"\n    command sh -c \"\"\"\n      echo one\n      echo two\n      \"\"\""),
    code("DS0103", "unclosed-block", "a `{` or `[` is never closed",
        "Every block `{` needs its `}` and every list `[` its `]` before the end of the file.\n\n\
Wrong:\n    daemonset agent {\n      container agent { image agent:1 }\n\nRight:\n    daemonset agent {\n      container agent { image agent:1 }\n    }"),
    code("DS0104", "unexpected-brace", "a `}` closes no block",
        "A closing brace appears where no block is open. Remove it, or add the `{` it was meant to close."),
    code("DS0105", "invalid-escape", "an escape sequence in a string is not valid",
        "Double-quoted strings support `\\\"`, `\\\\`, `\\n`, `\\t`, `\\r`, `\\0`, `\\$` and `\\u{HEX}`. \
For regular expressions and other text full of backslashes, use single quotes: nothing is escaped \
inside them.\n\nWrong:\n    args \"\\d+\"\n\nRight:\n    args '\\d+'"),
    code("DS0106", "too-deep", "blocks and lists are nested more than 16 levels deep",
        "A spec uses a few levels of nesting: a daemonset, its containers, a probe, a list. More \
than 16 levels is a file that lost its closing braces or brackets, or one made to break tools; \
dsc stops before parsing it rather than spend stack, time and memory on it."),
    code("DS0107", "variable", "a word holds `${NAME}` and no parameter has that name",
        "`${NAME}` in a bare word is replaced by the parameter `NAME`, declared at the top of the \
file with its default (`param NAME = DEFAULT`) and set for a build with `-D NAME=VALUE`. A name \
no `param` declares would reach the cluster as written (an image `r/agent:${TAG}` no node can \
pull), so it is an error. In a quoted string `${...}` is left as written, for a shell to read.\n\n\
Wrong:\n    daemonset agent {\n      container agent { image registry.example.com/agent:${TAG} }\n    }\n\n\
Right:\n    param TAG = 1.2.3\n    daemonset agent {\n      container agent { image registry.example.com/agent:${TAG} }\n    }"),
    code("DS0108", "param", "a `param` statement is not a valid declaration",
        "A parameter is declared at the top of a file as `param NAME [TYPE] = DEFAULT`. The name is \
letters, digits, `_` and `-`, starting with a letter or `_`; the type is `string` (when none is \
given), `int`, `bool`, `quantity`, `duration`, or a list of the allowed words; the default is \
one word of that type, written out (it cannot use another parameter). Every parameter has a \
default, so a spec compiles without `-D`, and is declared once.\n\nWrong:\n    param tag\n    \
param replicas integer = 3\n\nRight:\n    param tag = 3.1.4\n    param replicas int = 3\n    \
param level [debug, info, warn] = info"),
    code("DS0109", "param-value", "a parameter's value does not fit where it goes",
        "A value set on the command line (`-D NAME=VALUE`) must be of the parameter's type, checked \
against its declaration; and a word with its parameters replaced must still be one value (an \
empty value cannot stand alone as `env NAME=${empty}`).\n\nWrong:\n    dsc build agent.ds -D \
size=1Gb      # param size quantity = 1Gi\n\nRight:\n    dsc build agent.ds -D size=1Gi"),
    code("DS0110", "use", "a `use` names no library of this repository, or makes a cycle",
        "`use PATH` takes the parameters of another `.ds` file. The path is relative to the file \
that writes it and ends in `.ds`; links are followed, and the file it reaches must be inside the \
repository (the nearest folder above the compiled spec that holds `.git`, or the spec's own \
folder outside one). Absolute paths, URLs and paths out of the repository are refused, so a \
build reads only the repository's files. A library holds `param`, `use` and `defaults` \
statements only, and \
no file may use itself through a chain of `use`.\n\nWrong:\n    use /etc/dsc/base.ds\n\n\
Right:\n    use ../lib/base.ds"),
    code("DS0111", "defaults-block", "a `defaults` block or a `from` list is not well formed, or names no block",
        "`defaults NAME [from PARENT ...] { SETTINGS }` holds settings of a daemonset body that \
specs take with `daemonset NAME in NAMESPACE from BLOCK ... { ... }`. A block is defined once \
among the spec's file and the libraries it uses, has a name of letters, digits, `-` and `_`, and \
cannot take settings from itself through its parents. A name in `from` that no block has gets a \
did-you-mean.\n\nWrong:\n    use ../lib/node-agent.ds\n    daemonset agent in monitoring from \
node-agnt { ... }\n\nRight:\n    use ../lib/node-agent.ds\n    daemonset agent in monitoring from \
node-agent { ... }"),
    code("DS0112", "defaults-clash", "two defaults blocks of one layer set one setting differently",
        "Blocks named side by side (`from a b`), or two parents of one block, form one layer: \
neither is above the other, so when they set the same setting (the same key of a map, the same \
item of a keyed list) to different values there is no right answer, and the result would depend \
on their order. Equal values merge. Set it in one of them only, or in a block both take it from \
(and let one change it with `override`), or in the spec itself.\n\nWrong:\n    defaults a { \
priority system-node-critical }\n    defaults b { priority system-cluster-critical }\n    \
daemonset agent from a b { ... }\n\nRight:\n    defaults a { priority system-node-critical }\n    \
defaults b from a { override priority system-cluster-critical }\n    daemonset agent from b { ... }"),
    code("DS0113", "firm-default", "a setting a defaults block fixes is changed without `override`",
        "A setting of a defaults block is a convention of the repository: a layer above it (a \
block that takes it, or the spec) may change it only by saying so, with `override` before the \
setting, so the deviation shows in review. A setting the block marks `soft` (`soft \
max-unavailable 10%`) may be changed without it. An atomic list (`command`, `args`, `env-from`, \
`supplemental-groups`) set below is replaced with `override` or extended with `append`.\n\n\
Wrong:\n    daemonset fluent-bit in logging from node-agent {\n      priority \
system-cluster-critical\n    }\n\nRight:\n    daemonset fluent-bit in logging from node-agent {\n\
      override priority system-cluster-critical\n    }"),
    code("DS0114", "override-nothing", "an `override` changes nothing that a layer below sets",
        "`override` marks a change of a value a defaults block sets. When no block below sets the \
setting, there is nothing to override: the word only misleads the reader (and hides a typo in \
the block's name, or a setting the block no longer has).\n\nWrong:\n    daemonset agent { \
override priority system-node-critical ... }\n\nRight:\n    daemonset agent { priority \
system-node-critical ... }"),
    code("DS0115", "remove-nothing", "a `remove` takes out a setting that no layer below sets",
        "`remove SETTING [WHICH]` takes out what a defaults block below sets: `remove priority`, \
`remove env NODE_NAME`, `remove labels team`, `remove tolerate all`, `remove container \
sidecar`. Removing what is not there is an error, so a removal never silently outlives the \
default it was written against.\n\nWrong:\n    daemonset agent from node-agent { remove env \
NODE_NAM ... }\n\nRight:\n    daemonset agent from node-agent { remove env NODE_NAME ... }"),
    code("DS0116", "layer-modifier", "`soft`, `override`, `remove` or `append` is used where it means nothing",
        "The four words go before a setting: `soft` in a defaults block marks a value agents may \
change freely; `override` changes a firm value of a block below; `remove` takes one out; \
`append` extends an atomic list (`command`, `args`, `env-from`, `supplemental-groups`) set \
below. Each needs a setting after it; `append` applies to lists only; `soft` has no meaning in a \
spec's own body, where nothing is above it.\n\nWrong:\n    defaults node-agent { soft }\n\n\
Right:\n    defaults node-agent { soft max-unavailable 10% }"),
    code("DS0117", "environment", "an environment is not declared, or is declared where it cannot be",
        "The environments a repository builds for are declared once, in `dsc.ds` at its root (the \
file marks the root): `environments dev staging prod`. Their names are folder names of the \
output (`OUT/ENV/NAMESPACE/NAME.yaml`): lowercase letters, digits and `-`. `overlay ENV ... { \
SETTINGS }` in a daemonset or a defaults block holds what differs in those environments; \
`dsc build` compiles every environment, so an overlay for an environment that is not declared \
(a typo) fails every build, not only the one of that environment.\n\nWrong:\n    daemonset agent \
from node-agent {\n      overlay prd { max-unavailable 1 }\n    }\n\nRight:\n    daemonset agent \
from node-agent {\n      overlay prod { max-unavailable 1 }\n    }"),
    code("DS0118", "too-many-settings", "a block that takes part in layers holds more than 10,000 settings",
        "Merging layers compares each setting with those below it. A daemonset or defaults block \
that takes part in layers (a `from`, a `defaults` block in the file, `override`, `remove`) holds \
at most 10,000 settings, nested ones counted: far more than any DaemonSet the API server \
accepts (its objects are limited in size), and few enough that no file can make a build slow. \
Nothing is merged in a file with such a block.\n\nWrong:\n    defaults huge { labels k1=v1 ... \
(10,001 settings) }\n\nRight:\n    defaults labels-a { ... }\n    defaults labels-b { ... }"),
    code("DS0201", "unknown-setting", "a setting name is not known in this block",
        "Each block accepts its own settings: `daemonset` takes workload settings such as `labels` \
and `container`; `container` takes container settings such as `image` and `port`. The help line \
suggests the closest known setting.\n\nWrong:\n    container agent { imagee agent:1 }\n\nRight:\n    container agent { image agent:1 }"),
    code("DS0202", "bad-arguments", "a setting has the wrong number or kind of values",
        "Each setting takes a fixed shape of values; the help line shows it.\n\nWrong:\n    port http\n\nRight:\n    port http 8080"),
    code("DS0203", "set-twice", "a setting that may appear once appears twice",
        "Settings such as `image`, `pull` or `namespace` have one value; giving them twice is \
almost always a merge mistake. Keep one.\n\nWrong:\n    image agent:1\n    image agent:2\n\nRight:\n    image agent:2"),
    code("DS0204", "missing", "something required is missing",
        "A file needs at least one `daemonset`; a daemonset needs at least one `container`; a \
container needs an `image`.\n\nRight:\n    daemonset agent in monitoring {\n      container agent { image registry.example.com/agent:1.0 }\n    }"),
    code("DS0205", "block", "a block is missing, or given where none is allowed",
        "`daemonset`, `container` and `init` need a `{ ... }` block; other settings take their \
values on one line and no block."),
    code("DS0206", "duplicate-daemonset", "two daemonsets with one name in one namespace",
        "Kubernetes identifies a DaemonSet by namespace and name; two with the same pair would \
overwrite each other. Rename one or move it to another namespace."),
    code("DS0207", "duplicate-key", "a label or annotation key is given twice",
        "Each key of `labels`, `annotations`, `selector`, `pod-labels` and `pod-annotations` has one value."),
    code("DS0209", "bad-allow", "`allow` names something that is not a lint",
        "`allow LINT ...` silences lints (warnings) in the block where it is written: the whole \
file at the top level, one daemonset, or one container. Errors cannot be allowed.\n\nWrong:\n    allow flaoting-tag\n\nRight:\n    allow floating-tag"),
    code("DS0303", "invalid-label-value", "the daemonset name cannot be its default label value",
        "A daemonset without `labels` is labelled, and selected, by `app: NAME`. A name may have \
253 characters, but a label value at most 63 letters, digits, `-`, `_` and `.`, starting and \
ending with a letter or digit (rule 7), so a long name needs labels of its own. The form of \
labels that are written is the API server's rule, checked on the compiled object (DS1003).\n\nWrong:\n    daemonset node-problem-detector-for-the-gpu-nodes-of-the-inference-cluster { ... }\n\nRight:\n    daemonset node-problem-detector-for-the-gpu-nodes-of-the-inference-cluster {\n      labels app=node-problem-detector\n      ...\n    }"),
    code("DS0402", "invalid-port", "a port is not a number, a protocol is unknown, or a gRPC check names a port",
        "Ports are `port [NAME] NUMBER[/udp|/sctp]`, and probes and hooks name a port by number or \
name (gRPC by number only). The number's range (1 to 65535) and the name's form (at most 15 \
lower-case letters, digits and `-`, with at least one letter; rules 73, 75, 77, 122) are the API \
server's rules, checked on the compiled object (DS1003).\n\nWrong:\n    port HTTP 80800\n\nRight:\n    port http 8080"),
    code("DS0405", "invalid-resource-field", "a resource reference names a container the daemonset does not have",
        "A resource reference (`env NAME = resource FIELD container NAME`, or a downward-API \
`file`) may name the container whose resources it reads: a container of the same daemonset. The \
API server does not check it, and the kubelet then fails to start the pod. The field (`limits.cpu`, \
`requests.memory`, ...) and the divisor (rules 89, 90, 111) are the API server's rules, checked on \
the compiled object (DS1002, DS1003).\n\nWrong:\n    env MEM = resource limits.memory container sidecra\n\nRight:\n    env MEM = resource limits.memory container sidecar"),
    code("DS0406", "invalid-image", "an image reference is not valid",
        "An image is `[registry/]repository[:tag][@digest]`; repository path components are lower \
case; a tag is at most 128 letters, digits, `_`, `.` and `-`; a digest is `algorithm:hex`. The API \
server requires only an image that is not empty and, on the pods the daemonset creates, no space or \
line break around it (`validateContainerOnlyForPod`): those are errors. Anything else that is not a \
reference is a warning, `image-reference` (DS0911).\n\nWrong:\n    image \" agent:1.0\"\n\nRight:\n    image agent:1.0"),
    code("DS0407", "unknown-value", "a setting has a value outside its allowed set",
        "Some settings take one of a few words, such as `pull always|if-not-present|never`. The \
help line lists them and suggests the closest."),
    code("DS0409", "invalid-key-ref", "a config map or secret key reference has no key",
        "A key reference is `NAME/KEY`: the name a DNS subdomain, the key letters, digits, `-`, `_` \
and `.`; those forms (rule 91) are the API server's rules, checked on the compiled object (DS1003).\n\nWrong:\n    env TOKEN = secret api-token\n\nRight:\n    env TOKEN = secret api-token/token"),
    code("DS0410", "invalid-quantity", "a resource quantity is not valid",
        "Quantities are a number and an optional unit: `m` (milli), `k M G T P E` (powers of 1000) \
or `Ki Mi Gi Ti Pi Ei` (powers of 1024). `MB` and `mb` are not units.\n\nWrong:\n    memory 128MB\n\nRight:\n    memory 128Mi"),
    code("DS0412", "extended-resource", "an extended resource is fractional, or its request differs from its limit",
        "Extended resources (GPUs, RDMA devices, `example.com/x`) are whole numbers, cannot be \
overcommitted, and are set by their limit (rules 95, 97, 98).\n\nWrong:\n    resource example.com/fpga 0.5\n\nRight:\n    resource example.com/fpga ..1"),
    code("DS0501", "unknown-volume", "a mount names a volume the daemonset does not declare",
        "`mount NAME at PATH` mounts a volume declared in the daemonset with `volume NAME ...` \
(rule 114). A source can also be written in the mount itself: `mount /var/log`, `mount configmap \
app-config at /etc/app`.\n\nWrong:\n    mount config at /etc/agent\n\nRight:\n    volume config configmap agent-config\n    ...\n    mount config at /etc/agent"),
    code("DS0503", "invalid-path", "a mount names a host path without its leading `/`",
        "`mount /HOST/PATH` mounts a host directory; a first value with a `/` that does not start \
with one is neither a volume name nor a host path. The rules on paths themselves (no `..` in a host \
path, relative paths inside a volume; rules 105, 109, 117) are the API server's, checked on the \
compiled object (DS1003); a relative host or mount path is the warning `relative-path` (DS0909).\n\n\
Wrong:\n    mount var/log\n\nRight:\n    mount /var/log"),
    code("DS0507", "invalid-mode", "a file mode is not written as an octal mode",
        "Modes are written the way people think of them, in octal with a leading zero, and compiled \
to the decimal integer Kubernetes stores (`0644` is 420), so no YAML reader can misread them. A \
mode without the leading zero is ambiguous (`420` is `0644` in decimal, `0420` in octal) and \
rejected. The range, `0000` to `0777` (rule 108), is the API server's rule, checked on the compiled \
object (DS1003).\n\nWrong:\n    volume certs secret agent-tls mode 644\n\nRight:\n    volume certs secret agent-tls mode 0644"),
    code("DS0512", "unused-volume", "a declared volume is not mounted by any container (lint)",
        "A volume that no container mounts does nothing; usually a `mount` was forgotten or names \
another volume. Mount it or remove it. Allow with `--allow unused-volume`."),
    code("DS0601", "invalid-duration", "a duration is not valid, or not whole seconds",
        "Durations are a number and a unit: `500ms`, `10s`, `2m`, `1h`, or combined: `1m30s`. Probe \
timings, sleep hooks and token lifetimes are whole seconds, so `1500ms` is rejected rather than \
rounded. A bare number has no unit and is rejected too, except `0`.\n\nWrong:\n    liveness tcp 8080 period 10\n\nRight:\n    liveness tcp 8080 period 10s"),
    code("DS0602", "which-port", "an HTTP check without a port, in a container without exactly one port",
        "`http /healthz` (no port before the path) checks the container's only port: dsc writes that \
port's name or number, which it must know to compile the check. With no port, or several, write \
the port: `http 8080 /healthz` or `http metrics /healthz`. A port named in a check that no `port` \
declares is a warning, `undeclared-port` (DS0916).\n\nWrong:\n    port metrics 2020\n    port admin 9000\n    \
liveness http /healthz\n\nRight:\n    liveness http metrics /healthz"),
    code("DS0603", "invalid-probe-setting", "a probe threshold is not a whole number, or a value is too large",
        "A probe's `success` and `failure` thresholds are whole numbers of checks, and every timing \
fits in 32 bits. Their ranges (rules 127, 128: nothing negative, a success threshold of 1 for \
liveness and startup probes) are the API server's rules, checked on the compiled object: DS1003.\n\n\
Wrong:\n    readiness http 8080 /ready failure three\n\nRight:\n    readiness http 8080 /ready failure 3"),
    code("DS0701", "invalid-update-strategy", "an update strategy a daemonset does not have",
        "A DaemonSet is updated by `rolling` (the controller replaces pods, at most `max-unavailable` \
down at a time) or by `on-delete` (a pod is replaced only when you delete it). There is no \
`recreate` for DaemonSets (rule 23); `max-unavailable 100%` replaces every pod at once. Limits \
with `on-delete` are ignored by the server: a warning, `on-delete-limits` (DS0914, rule 25).\n\nWrong:\n    update recreate\n\nRight:\n    update rolling max-unavailable 100%"),
    code("DS0702", "invalid-rollout-limit", "a max-unavailable or max-surge value is not a number or a percentage",
        "A limit is a whole number of pods (`1`) or a percentage of the nodes (`10%`, rounded \
down). Its range (not negative, at most `100%`, rules 26, 27) and the rule on the pair (exactly \
one of the two non-zero, rule 28) are the API server's rules, checked on the compiled object \
(DS1001, DS1003). With a surge, dsc writes `maxUnavailable: 0` itself, since the field otherwise \
defaults to 1 (rule 29).\n\nWrong:\n    max-unavailable 1.5%\n\nRight:\n    max-unavailable 10%"),
    code("DS0705", "out-of-range", "a number is outside its allowed range",
        "User and group ids, affinity weights and `history` counts are whole numbers. Their ranges \
(ids 0 to 2147483647, rules 57 and 132; weights 1 to 100, rules 142 and 147; `history` 0 or more, \
rule 21) are the API server's rules, checked on the compiled object (DS1003).\n\nWrong:\n    user nobody\n\nRight:\n    user 65534"),
    code("DS0709", "invalid-toleration", "a toleration breaks a rule",
        "A toleration names a taint key, or `all` for every key. The API server's rules on a \
toleration (`all` with a value, rule 149; the value's form, rule 150; a time only with \
`NoExecute`, rule 152) are checked on the compiled object (DS1003).\n\nWrong:\n    tolerate :NoSchedule\n\nRight:\n    tolerate all:NoSchedule"),
    code("DS0710", "invalid-selector-requirement", "a selector expression lacks or misuses values",
        "An expression is `KEY OPERATOR [VALUES]`: `in`, `not-in`, `gt` and `lt` take a value or a \
list after the operator. How many values each takes (rules 14, 139, 140: at least one for `in`, \
exactly one for `gt`) is the API server's rule, checked on the compiled object (DS1001). A value that is not an integer is a \
warning, `non-integer-comparison` (DS0915): the API server takes it, and the term never matches.\n\nWrong:\n    node-affinity require example.com/cores gt\n\nRight:\n    node-affinity require example.com/cores gt 4"),
    code("DS0711", "invalid-affinity", "an affinity rule is incomplete or too large",
        "A pod (anti-)affinity must select pods (`app=NAME` or an expression); a preference is one \
term, so it cannot have `or`; several `node-affinity require` lines all hold, so their `or`s \
multiply, and dsc writes at most 16 terms.\n\nWrong:\n    pod-anti-affinity require topology kubernetes.io/hostname\n\nRight:\n    pod-anti-affinity require app=driver topology kubernetes.io/hostname"),
    code("DS0715", "invalid-profile", "a seccomp or AppArmor profile is not valid",
        "Only `localhost` profiles take a name, and they need one. The profile's form (a seccomp \
path relative to the kubelet's seccomp directory, without `..`; an AppArmor name without spaces \
around it; rules 61, 62) is the API server's rule, checked on the compiled object (DS1003). An empty seccomp \
profile name is taken by the API server and only a warning, `empty-seccomp-profile` (DS0918).\n\nWrong:\n    seccomp localhost\n\nRight:\n    seccomp localhost agent.json"),
    code("DS0716", "invalid-selinux", "an SELinux option is not valid",
        "SELinux options are `user=`, `role=`, `type=` and `level=` pairs.\n\nWrong:\n    selinux spc_t\n\nRight:\n    selinux type=spc_t"),
    code("DS0717", "unknown-capability", "a capability is not a Linux capability (lint)",
        "Capabilities are named as in capabilities(7) without `CAP_`; dsc writes them upper case. \
The API server accepts any name and the container runtime fails on a misspelled one.\n\nWrong:\n    caps add [NET_ADMN]\n\nRight:\n    caps add [NET_ADMIN]"),
    code("DS0718", "sidecar-not-init", "`sidecar` in a regular container",
        "A sidecar is an init container that keeps running (`restartPolicy: Always`); regular \
containers may not set a restart policy (rule 68).\n\nWrong:\n    container proxy { sidecar ... }\n\nRight:\n    init proxy { sidecar ... }"),
    code("DS0750", "override-syntax", "an override is not a YAML mapping",
        "`pod-override`, `spec-override` and `override` take a YAML fragment in a string, usually \
`\"\"\"`: fields of the pod spec, the DaemonSet spec or the container, merged into what dsc \
generates (objects merge, lists and values replace, `null` removes).\n\nWrong:\n    pod-override shareProcessNamespace=true\n\nRight:\n    pod-override \"\"\"\n      shareProcessNamespace: true\n      \"\"\""),
    code("DS0751", "override-unknown-field", "an override names a field the Kubernetes type does not have",
        "The fragment is checked against the Kubernetes API types (v1.33). A misspelled field would \
be dropped silently by most tools and rejected by a strict API server, so dsc reports it with \
the closest field name.\n\nWrong:\n    override \"\"\"\n      stdinn: true\n      \"\"\"\n\nRight:\n    override \"\"\"\n      stdin: true\n      \"\"\""),
    code("DS0752", "override-type", "an override value has the wrong type or lacks a required field",
        "Each value must have its field's type: YAML reads `yes` and bare numbers as strings and \
integers, so quote strings and write `true`/`false`. A list in an override replaces the generated \
list, so each item needs its required fields; `null` removes a field and cannot remove a required \
one.\n\nWrong:\n    pod-override \"\"\"\n      hostUsers: no\n      \"\"\"\n\nRight:\n    pod-override \"\"\"\n      hostUsers: false\n      \"\"\""),
    code("DS0753", "override-replaces-statement", "an override replaces what a statement wrote",
        "Overrides are merged last, as JSON merge patches: a list, a value or `null` in an override \
replaces what the statements wrote at that field. The statement then never reaches the output, and \
editing it changes nothing, silently. Set each field in one place: take the field out of the \
override so the statements apply, or write it whole in the override and remove the statements.\n\n\
Wrong:\n    volume data host /data\n    pod-override \"\"\"\n      volumes:\n      - name: cache\n        emptyDir: {}\n      \"\"\"\n\n\
Right:\n    volume data host /data\n    volume cache empty-dir"),
    code("DS0801", "mixed-gpu", "a workload mixes whole GPUs and mGPU",
        "The VKE form allows one kind of GPU per workload: whole NVIDIA GPUs (`gpu`) or shared \
mGPU (`mgpu`), not both (seed F15)."),
    code("DS0802", "rdma-with-mgpu", "RDMA devices are combined with mGPU",
        "VKE does not combine RDMA with mGPU (seed F15, vke-keys 2). Use whole GPUs with RDMA."),
    code("DS0803", "gpu-card-types", "containers ask for different GPU card types",
        "The card type becomes a node-affinity term of the whole pod, so every container must name \
the same type."),
    code("DS0804", "mgpu-rule", "an mGPU request breaks VKE's admission rules",
        "mGPU compute is a percentage of one card (`30` = 30%); above 100 it must be whole cards \
(200, 300); a share below a whole card needs `memory` of at least 256 MiB; whole cards take no \
memory.\n\nWrong:\n    mgpu core 30\n\nRight:\n    mgpu core 30 memory 4Gi"),
    code("DS0810", "image-cache-without-vci", "an image cache is asked for pods that do not run on VCI (lint)",
        "VKE's automatic image cache (`vci.vke.volcengine.com/enable-auto-create-imc`) serves pods on \
VCI elastic container instances only; on ECS nodes the annotation does nothing (vke-keys 4).\n\n\
Right:\n    vci enforce\n    image-cache auto"),
    code("DS0811", "mgpu-on-vci", "mGPU is asked for pods forced onto VCI",
        "VCI does not offer shared mGPU; only ECS nodes with the mgpu add-on do (vke-keys 1.2). Use \
whole GPUs on VCI, or do not force the pods onto VCI."),
    code("DS0812", "vci-taint", "pods forced onto VCI do not tolerate the virtual-node taint (lint)",
        "VCI virtual nodes carry the taint `vci.vke.volcengine.com/node-type=vci:NoSchedule`; a \
DaemonSet places pods there only if they tolerate it.\n\nRight:\n    vci enforce\n    tolerate vci.vke.volcengine.com/node-type=vci:NoSchedule"),
    code("DS0901", "floating-tag", "an image has no tag or uses `latest` (lint)",
        "Without a pinned tag each node pulls whatever `latest` is when its pod starts, so nodes \
run different versions and a rollback cannot go back. dsc writes the implied `:latest` and \
`imagePullPolicy: Always` so the output says what will happen. Allow with `--allow floating-tag`."),
    code("DS0902", "no-memory-limit", "a container has no memory limit (lint)",
        "A node agent without a memory limit can exhaust the node when it leaks. Give `memory \
REQUEST..LIMIT`. Allow with `--allow no-memory-limit`."),
    code("DS0903", "secret-literal", "a credential is written in the spec (lint)",
        "An env var whose name says password, token, secret or key has a literal value, which \
then lives in the repository and in the manifest. Keep it in a Secret:\n    env API_TOKEN = secret agent-credentials/token"),
    code("DS0904", "suspicious-quantity", "a quantity is valid but likely a mistake (lint)",
        "`memory 128m` is 0.128 bytes (`m` is milli; `Mi` is mebibytes); `cpu 2000` is two thousand \
cores (`2000m` is two)."),
    code("DS0905", "privileged-host-root", "a privileged container mounts the node's `/` (lint)",
        "A privileged container sees every device and may change the kernel; with the node's whole \
file system mounted it can rewrite the kubelet's configuration, read every secret on the node and \
escape to the host. Agents rarely need both: mount the directories they read (`/var/log`, \
`/proc`, `/sys`) read-only, and grant capabilities instead of `privileged`. Allow with `allow \
privileged-host-root` where it is intended (a node debugger, for instance).\n\nWrong:\n    privileged\n    mount host / at /host\n\nRight:\n    caps add [SYS_PTRACE]\n    mount host /proc at /host/proc ro"),
    code("DS0906", "portable-env-name", "an environment variable name is not portable (lint)",
        "Kubernetes 1.32 and later take any printable ASCII characters except `=` in an \
environment variable name, so `1ST_RUN` or `my var` are valid. But a shell cannot read such a \
variable (`$1ST_RUN` is `$1` then `ST_RUN`), and clusters before 1.32 refuse the object. Prefer \
letters, digits and `_`, not starting with a digit; allow with `allow portable-env-name` where \
the program reads the name itself.\n\nWrong:\n    env 1ST_RUN=true\n\nRight:\n    env FIRST_RUN=true"),
    code("DS0907", "zero-sleep", "a sleep hook of 0 s (lint)",
        "Kubernetes 1.33 takes `sleep: {seconds: 0}` in a hook (the PodLifecycleSleepActionAllowZero \
gate, on by default), so a pre-stop hook can be kept in place and switched off. It waits for \
nothing, and clusters before 1.33 refuse it. Allow with `allow zero-sleep` where that is \
intended.\n\nWrong:\n    pre-stop sleep 0s\n\nRight:\n    pre-stop sleep 5s"),
    code("DS0908", "portable-dns-search", "a DNS search domain that older clusters refuse (lint)",
        "Kubernetes 1.32 relaxed the form of a pod's DNS search domains (RelaxedDNSSearchValidation, \
on by default in 1.33): a label may hold and start with `_` (`_ldap._tcp.example.com`, for SRV \
lookups) and `.` alone is allowed. Clusters before 1.32 refuse such a domain; allow with `allow \
portable-dns-search` where every cluster is newer.\n\nWrong (on an older cluster):\n    \
searches _ldap._tcp.example.com\n\nRight:\n    searches example.com"),
    code("DS0909", "relative-path", "a host, mount or container path is not absolute (lint)",
        "The v1.33 API server takes a host path, a mount path, a working directory or a termination \
message path that does not start with `/`, and a mount path with a `..` element: \
`validateHostPathVolumeSource` and `ValidateVolumeMounts` check only that they are set (and a host \
path for `..`), and `workingDir` and `terminationMessagePath` are not checked. What such a path \
means is left to the kubelet and the container runtime, which resolve it from their own working \
directory or refuse it when the pod starts. dsc writes the path as given. Write the full path; \
allow with `allow relative-path` where a runtime is known to take it.\n\n\
Wrong:\n    mount var/log\n    workdir app\n\nRight:\n    mount /var/log\n    workdir /app"),
    code("DS0910", "same-mount-path", "two mount paths of a container differ only by a trailing `/` (lint)",
        "The API server compares mount paths as strings (`ValidateVolumeMounts`), so `/var/log` and \
`/var/log/` pass as two mounts. They are one directory in the container: the runtime mounts one \
over the other, or refuses the container. Mount the directory once; allow with `allow \
same-mount-path` where that is intended.\n\nWrong:\n    mount /var/log\n    mount logs at /var/log/\n\n\
Right:\n    mount /var/log\n    mount logs at /var/log/agent"),
    code("DS0911", "image-reference", "an image is not a valid image reference (lint)",
        "The API server requires only a non-empty image without surrounding spaces; an image that is \
not `[registry/]repository[:tag][@digest]` (upper-case letters, a malformed tag or digest, a space \
inside) is stored, and every pod then fails to pull it. dsc writes the image as given, without \
adding `:latest`. Allow with `allow image-reference` where a runtime reads such names.\n\n\
Wrong:\n    image Registry.example.com/Agent:1.0\n\nRight:\n    image registry.example.com/agent:1.0"),
    code("DS0912", "object-name", "a referenced object name is not a DNS subdomain (lint)",
        "Config maps, secrets and persistent volume claims are named with DNS subdomains, so a \
volume, a projected source or an image pull secret that names one otherwise can never find it. \
The API server checks only that the name is set (`validateConfigMapVolumeSource`, \
`validateSecretVolumeSource`, `validatePersistentClaimVolumeSource`, `validateProjectionSources`, \
`validateImagePullSecrets`); the pod then waits for an object that cannot exist. Env references \
(`secret NAME/KEY`, `env-from`) are checked by the server, and remain errors (DS0409, DS0301).\n\n\
Wrong:\n    volume config configmap Agent_Config\n\nRight:\n    volume config configmap agent-config"),
    code("DS0913", "duplicate-env", "an environment variable is set twice (lint)",
        "The API server takes two definitions of one variable and only warns; the container sees \
the last one, and `kubectl apply` may drop one of them when it merges the list. dsc writes both, \
in order. Keep one; allow with `allow duplicate-env` where the repetition is intended.\n\n\
Wrong:\n    env MODE=a\n    env MODE=b\n\nRight:\n    env MODE=b"),
    code("DS0914", "on-delete-limits", "rolling-update limits with the `on-delete` strategy (lint)",
        "With `updateStrategy.type: OnDelete` the API server ignores `rollingUpdate` \
(`ValidateDaemonSetUpdateStrategy` checks it only for `RollingUpdate`) and the controller never \
reads it: the limits do nothing until the strategy is changed. dsc writes them as given. Remove \
them, or use `update rolling`; allow with `allow on-delete-limits` where they are kept for a later \
switch.\n\nWrong:\n    update on-delete max-unavailable 2\n\nRight:\n    update on-delete"),
    code("DS0915", "non-integer-comparison", "a `gt` or `lt` node-selector value that is not an integer (lint)",
        "The API server requires exactly one value for `Gt` and `Lt` (`validateNodeSelectorRequirement`) \
and does not read it. The scheduler parses both the value and the node label as integers, so a \
term with another value never matches a node. Allow with `allow non-integer-comparison` where \
that is intended.\n\nWrong:\n    node-affinity require example.com/cores gt many\n\nRight:\n    \
node-affinity require example.com/cores gt 4"),
    code("DS0916", "undeclared-port", "a probe or hook names a port the container does not declare (lint)",
        "A probe or hook may name a port instead of giving its number; dsc writes the name, which \
the kubelet looks up in the container's ports when it runs the check. The API server checks the \
name's form only (rule 126, `validatePortNumOrName`), so a typo shows when every check fails and \
the container is restarted. Declare the port, or correct the name; allow with `allow \
undeclared-port` where the port is added by an override.\n\nWrong:\n    port metrics 2020\n    \
liveness http metric /healthz\n\nRight:\n    port metrics 2020\n    liveness http metrics /healthz"),
    code("DS0917", "root-user", "`run-as-non-root` together with user 0 (lint)",
        "The API server accepts it (rule 136), and then the kubelet refuses to start the container \
on every node. The container's `user` and `run-as-non-root` override the pod's. Allow with `allow \
root-user` where another setting replaces the user before the pod runs.\n\nWrong:\n    \
run-as-non-root\n    user 0\n\nRight:\n    run-as-non-root\n    user 65534"),
    code("DS0918", "empty-seccomp-profile", "a localhost seccomp profile with an empty name (lint)",
        "`validateSeccompProfileField` checks a localhost profile's path only for being relative and \
without `..`, so `localhostProfile: \"\"` is stored. The kubelet then looks for a profile at the \
seccomp directory itself and the container does not start. Name the profile's file; allow with \
`allow empty-seccomp-profile`.\n\nWrong:\n    seccomp localhost \"\"\n\nRight:\n    seccomp \
localhost profiles/agent.json"),
    code("DS0919", "tcp-hook", "a `post-start` or `pre-stop` hook that opens a TCP connection (lint)",
        "The API server still takes `tcpSocket` in a lifecycle hook, for compatibility \
(`validateLifecycleHandler`), but the kubelet does not run it: the hook does nothing. Use an \
`exec`, `http` or `sleep` hook; allow with `allow tcp-hook` where it is kept on purpose.\n\n\
Wrong:\n    pre-stop tcp 8080\n\nRight:\n    pre-stop http 8080 /shutdown"),
    code("DS0920", "zero-devices", "a `gpu 0` or `rdma 0` that asks for no device (lint)",
        "A device count of 0 is a valid extended-resource limit, and the API server takes it; the \
container then gets no device, and the statement only marks the container as a GPU or RDMA user \
for the console's rules. Remove it, or ask for at least one; allow with `allow zero-devices`.\n\n\
Wrong:\n    gpu 0\n\nRight:\n    gpu 1"),
    code("DS0921", "portable-ip", "an IPv4 address with leading zeros (lint)",
        "With StrictIPCIDRValidation off (v1.33), the API server reads IPv4 addresses the way Go's \
legacy parser does, so `010.0.0.1` is 10.0.0.1. Other tools (glibc's resolver, `ping`) read a \
leading zero as octal, and stricter clusters refuse it. Write the address without leading zeros; \
allow with `allow portable-ip` where the value must stay as it is.\n\nWrong:\n    host-alias \
010.0.0.1 metrics.local\n\nRight:\n    host-alias 10.0.0.1 metrics.local"),
    code("DS0922", "empty-scheduler-name", "an empty scheduler name (lint)",
        "The API server does not check `schedulerName`, and defaults an empty one to \
`default-scheduler`; dsc writes the empty string as given. An empty name is a value that was \
meant to be filled in: remove `scheduler`, or name the scheduler; allow with `allow \
empty-scheduler-name`.\n\nWrong:\n    scheduler \"\"\n\nRight:\n    scheduler default-scheduler"),
    code("DS0923", "sys-admin-escalation", "`SYS_ADMIN` with privilege escalation turned off (lint)",
        "The API server refuses `allowPrivilegeEscalation: false` together with the capability \
`CAP_SYS_ADMIN` (`ValidateSecurityContext`), but not with the spelling `SYS_ADMIN`, which dsc writes \
(it drops `CAP_`). The runtime reads both the same: the capability lets the process gain the \
privileges that turning escalation off meant to deny. Drop the capability or allow escalation; \
allow with `allow sys-admin-escalation` where both are intended.\n\nWrong:\n    caps add \
[SYS_ADMIN]\n    no-privilege-escalation\n\nRight:\n    caps add [SYS_ADMIN]"),
    code("DS0924", "feature-gate", "a field the v1.33 API server drops unless a feature gate is on (lint)",
        "Some fields belong to features that are off by default in Kubernetes 1.33: image volumes \
(`ImageVolume`, beta) and a container's stop signal (`ContainerStopSignals`, alpha). Without the \
gate the API server drops the field when the object is created (an image volume with its mounts), \
silently, so the pods run without it. Turn the gate on in the cluster, or leave the field out; \
allow with `allow feature-gate` where the cluster has the gate on.\n\nWrong (default cluster):\n    \
volume models image registry.example.com/models:v1\n\nRight:\n    allow feature-gate   # the \
cluster runs with --feature-gates=ImageVolume=true\n    volume models image \
registry.example.com/models:v1"),
    code("DS1001", "required-field", "a field the API server requires is not set",
        "The object is checked with the rules the Kubernetes API server runs on create \
(`ValidateDaemonSet` and the pod validation it reaches), after the server's defaults are applied. \
This field has no default and must be set. In a spec, the field usually comes from an override; \
in a manifest, add it where the report points.\n\nWrong (manifest):\n    containers:\n    - name: agent\n\n\
Right:\n    containers:\n    - name: agent\n      image: registry.example.com/agent:1.0"),
    code("DS1002", "unsupported-value", "a field holds a value outside the set the API server accepts",
        "Some fields take one of a fixed set of values (`Always`, `OnFailure`, `Never`; `TCP`, \
`UDP`, `SCTP`; ...). Values are case-sensitive, as the API server compares them exactly.\n\n\
Wrong (override):\n    override \"\"\"\n      imagePullPolicy: always\n      \"\"\"\n\nRight:\n    pull always"),
    code("DS1003", "invalid-value", "a field holds a value the API server refuses",
        "The value has the wrong form or is out of range: a port outside 1-65535, a name that is \
not a DNS label, a negative duration, a quantity that does not parse, a selector that does not \
match the pod's labels. The label says which rule; the help says what would pass.\n\n\
Wrong (override):\n    override \"\"\"\n      ports:\n      - containerPort: 70000\n      \"\"\"\n\n\
Right:\n    port metrics 9100"),
    code("DS1004", "duplicate-value", "a value that must be unique is repeated",
        "Container names, volume names, port names, mount paths and similar keys identify an \
item; the API server refuses a repeat. The second label points at the first one.\n\n\
Wrong (manifest):\n    volumes:\n    - name: logs\n      emptyDir: {}\n    - name: logs\n      emptyDir: {}\n\n\
Right: give each volume its own name, or remove the repeat."),
    code("DS1005", "forbidden-field", "a field may not be set here, or not together with another",
        "Some fields are forbidden in a DaemonSet's pods (an `activeDeadlineSeconds`, a restart \
policy other than `Always`), or exclude each other (`value` and `valueFrom` of one variable, \
two volume sources in one volume, a probe with two handlers). Remove the field the label \
points at, or the one it conflicts with.\n\nWrong (override):\n    pod-override \"\"\"\n      restartPolicy: Never\n      \"\"\"\n\n\
Right: leave the restart policy out; DaemonSet pods always restart."),
    code("DS1006", "not-found", "a field refers to something that does not exist",
        "A mount names a volume the pod does not have, a probe names a port the container does not \
declare, a sub-path expression names an unknown variable. Declare the thing referred to, or fix \
the name.\n\nWrong (override):\n    override \"\"\"\n      volumeMounts:\n      - name: cache\n        mountPath: /cache\n      \"\"\"\n\n\
Right:\n    mount empty-dir cache at /cache"),
    code("DS1007", "too-long", "a string or list is longer than the API server allows",
        "Names, label values, messages and some lists have a maximum length (a DNS label 63 \
characters, a DNS subdomain 253, a termination message path 4096 bytes, DNS search domains 32). \
Shorten the value the label points at."),
    code("DS1009", "manifest-syntax", "a manifest is not valid YAML or JSON",
        "`dsc check` reads Kubernetes manifests (`.yaml`, `.yml`, `.json`, several documents \
separated by `---`, and `List`s) as kubectl does. The text at the label does not parse: \
usually an indentation that does not line up, a tab, or a value with `: ` that needs quotes.\n\n\
Wrong:\n    command: [sh, -c, echo a: b]\n\nRight:\n    command: [sh, -c, \"echo a: b\"]"),
    code("DS1010", "object-too-large", "the compiled DaemonSet is larger than a cluster stores",
        "etcd refuses a request over 1.5 MiB (its default `--max-request-bytes`), and the API server \
then answers `etcdserver: request is too large`, however valid each field is. The report names \
the part of the object that holds most of its bytes: usually a script in `args`, a configuration \
in an annotation or an env value. Move such data into a ConfigMap and mount it as a volume \
(`mount configmap NAME at /etc/agent`)."),
];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_and_names_are_unique() {
        for (i, a) in CODES.iter().enumerate() {
            for b in &CODES[i + 1..] {
                assert_ne!(a.code, b.code);
                assert_ne!(a.name, b.name);
            }
        }
    }
}
