//! Pod-level settings of a `daemonset` block (issue 4): dispatch of the strategy, scheduling,
//! DNS, host-namespace, identity, security, VKE and override keywords, and the rules that
//! join them with the containers once the whole block has been read.

use foldhash::HashMap;

use super::container::ContainerFacts;
use super::cx::Cx;
use super::dns::{check_dns, check_host_alias};
use super::overrides::{check_fragment, Target};
use super::scheduling::{check_node_affinity, check_pod_affinity, check_tolerate};
use super::security::{check_conflicts, check_security, non_root_vs_user, SecuritySpans};
use super::strategy::{self, StrategyState};
use crate::diagnostics::{did_you_mean, Diagnostic};
use crate::model::{rel, DaemonSetModel, Origins, PodSettings};
use crate::source::Span;
use crate::syntax::{ArgKind, Statement};

/// Keywords that may be repeated: each adds an entry.
const REPEATABLE: &[&str] = &[
    "tolerate",
    "node-affinity",
    "pod-affinity",
    "pod-anti-affinity",
    "host-alias",
    "node-selector",
];

/// What the pod-level rules need, collected while the block is read.
#[derive(Default)]
pub struct PodState {
    once: HashMap<String, Span>,
    strategy: StrategyState,
    security: SecuritySpans,
    node_selector: HashMap<String, Span>,
    flags: HashMap<&'static str, Span>,
}

/// Handles one issue-4 keyword of a `daemonset` block; `false` when it is not one of them.
pub fn check_pod_setting(
    cx: &mut Cx,
    s: &Statement,
    ds: &mut DaemonSetModel,
    st: &mut PodState,
) -> bool {
    let pod = &mut ds.pod;
    let kw = s.keyword.as_str();
    if !super::keywords::WORKLOAD.iter().any(|k| k.name == kw) {
        return false;
    }
    if !REPEATABLE.contains(&kw) && !cx.once(&mut st.once, s) {
        return true;
    }
    if kw != "dns" {
        cx.no_block(s);
    }
    let written = (
        &mut ds.origins,
        &rel(&["spec", "template", "spec", "securityContext"]),
    );
    if check_security(cx, s, &mut pod.security, &mut st.security, written) {
        return true;
    }
    match kw {
        "update" => {
            strategy::check_update(cx, s, &mut st.strategy);
            ds.origins.record(rel(&["spec", "updateStrategy"]), s.span);
        }
        "max-unavailable" | "max-surge" => strategy::check_limit(cx, s, &mut st.strategy),
        "min-ready" => {
            if cx.arity(s, 1, 1) {
                // A duration is never negative; one over 32 bits cannot be written in the field.
                pod.min_ready_seconds = cx
                    .duration(&s.args[0], "minimum ready time", i64::from(i32::MAX))
                    .map(|v| v as i32);
                ds.origins
                    .record(rel(&["spec", "minReadySeconds"]), s.args[0].span);
            }
        }
        "grace" => {
            if cx.arity(s, 1, 1) {
                pod.grace_seconds = cx.duration(&s.args[0], "grace period", i64::MAX);
                let at = rel(&["spec", "template", "spec", "terminationGracePeriodSeconds"]);
                ds.origins.record(at, s.args[0].span);
            }
        }
        "history" => {
            if cx.arity(s, 1, 1) {
                let text = s.args[0].as_text().unwrap_or_default();
                // A negative count is refused by the API server's rules on the object.
                match text.parse::<i32>() {
                    Ok(n) => {
                        pod.revision_history = Some(n);
                        ds.origins
                            .record(rel(&["spec", "revisionHistoryLimit"]), s.args[0].span);
                    }
                    Err(_) => cx.push(
                        Diagnostic::error("DS0705", format!("invalid history count `{text}`"))
                            .at(s.args[0].span, "not a whole number")
                            .help("write `history 5` to keep five old revisions for rollbacks (the default is 10)"),
                    ),
                }
            }
        }
        "dns" => check_dns(cx, s, pod, &mut ds.origins),
        "host-network" | "host-pid" | "host-ipc" | "share-process-namespace" => {
            if cx.arity(s, 0, 0) {
                let flag = match kw {
                    "host-network" => &mut pod.host_network,
                    "host-pid" => &mut pod.host_pid,
                    "host-ipc" => &mut pod.host_ipc,
                    _ => &mut pod.share_process_namespace,
                };
                *flag = true;
                st.flags.insert(flag_name(kw), s.keyword_span);
            }
        }
        // The names' formats are rules of the API server, checked on the object at these
        // records.
        "priority" | "runtime-class" | "service-account" => {
            if cx.arity(s, 1, 1) {
                let (what, field) = match kw {
                    "priority" => ("priority class name", "priorityClassName"),
                    "runtime-class" => ("runtime class name", "runtimeClassName"),
                    _ => ("service account name", "serviceAccountName"),
                };
                let name = cx.scalar(&s.args[0], what);
                let slot = match kw {
                    "priority" => &mut pod.priority_class,
                    "runtime-class" => &mut pod.runtime_class,
                    _ => &mut pod.service_account,
                };
                *slot = name;
                let at = rel(&["spec", "template", "spec", field]);
                ds.origins.record(at, s.args[0].span);
            }
        }
        "scheduler" => {
            // The API server does not check the name: scheduler profiles may be named freely,
            // and an empty one is defaulted to `default-scheduler`.
            if cx.arity(s, 1, 1) {
                pod.scheduler = cx.scalar(&s.args[0], "scheduler name");
                let at = rel(&["spec", "template", "spec", "schedulerName"]);
                ds.origins.record(at, s.args[0].span);
                let effect = match pod.scheduler.as_deref() {
                    Some("") => Some("the API server uses `default-scheduler` for it"),
                    Some(n) if n.trim().is_empty() => {
                        Some("no scheduler has this name, so the pods stay pending")
                    }
                    _ => None,
                };
                if let Some(effect) = effect {
                    cx.push(
                        Diagnostic::warning("DS0922", "the scheduler name is empty")
                            .at(s.args[0].span, "no scheduler named")
                            .help(format!("{effect}: remove `scheduler`, name the scheduler, or `allow empty-scheduler-name`")),
                    );
                }
            }
        }
        "automount-token" | "host-users" => {
            if cx.arity(s, 1, 1) {
                let (field, help) = match kw {
                    "automount-token" => ("automountServiceAccountToken", "write `automount-token false` when the agent never calls the API server"),
                    _ => ("hostUsers", "write `host-users false` to run the pods in a user namespace (root in the container is not root on the node)"),
                };
                ds.origins
                    .record(rel(&["spec", "template", "spec", field]), s.args[0].span);
                let value = match s.args[0].as_word() {
                    Some("true") => Some(true),
                    Some("false") => Some(false),
                    _ => {
                        cx.push(
                            Diagnostic::error("DS0407", "expected `true` or `false`")
                                .at(s.args[0].span, "not `true` or `false`")
                                .help(help),
                        );
                        None
                    }
                };
                match kw {
                    "automount-token" => pod.automount_token = value,
                    _ => pod.host_users = value,
                }
            }
        }
        "os" => {
            if cx.arity(s, 1, 1) {
                let at = rel(&["spec", "template", "spec", "os"]);
                ds.origins.record(at.field("name"), s.args[0].span);
                ds.origins.record(at, s.args[0].span);
                let text = s.args[0].as_text().unwrap_or_default();
                match text.to_ascii_lowercase().as_str() {
                    "linux" => pod.os = Some("linux"),
                    "windows" => pod.os = Some("windows"),
                    _ => {
                        let d = Diagnostic::error(
                            "DS0407",
                            format!("unknown operating system `{text}`"),
                        )
                        .at(s.args[0].span, "not `linux` or `windows`");
                        cx.push(d.suggest_or(
                            did_you_mean(&text, ["linux", "windows"]),
                            "write `os linux` or `os windows`: the pods then run only on nodes of that system",
                        ));
                    }
                }
            }
        }
        "sysctl" => check_sysctl(cx, s, pod, &mut ds.origins),
        "host-alias" => check_host_alias(cx, s, pod, &mut ds.origins),
        "node-selector" => cx.key_values(
            s,
            &mut pod.node_selector,
            &mut st.node_selector,
            (
                &mut ds.origins,
                &[rel(&["spec", "template", "spec", "nodeSelector"])],
            ),
        ),
        "tolerate" => check_tolerate(cx, s, pod, &mut ds.origins),
        "node-affinity" => check_node_affinity(cx, s, pod, &mut ds.origins),
        "pod-affinity" | "pod-anti-affinity" => check_pod_affinity(cx, s, pod, &mut ds.origins),
        "image-cache" | "vci" => {
            let want = if kw == "vci" { "enforce" } else { "auto" };
            if cx.arity(s, 1, 1) {
                if s.args[0].as_word() == Some(want) {
                    st.flags.insert(flag_name(kw), s.keyword_span);
                    let key = match kw {
                        "vci" => super::vke::VCI_ANNOTATION,
                        _ => super::vke::IMAGE_CACHE_ANNOTATION,
                    };
                    let at = rel(&["spec", "template", "metadata", "annotations"]).key(key);
                    ds.origins.record(at, s.span);
                } else {
                    cx.push(
                        Diagnostic::error("DS0407", format!("expected `{kw} {want}`"))
                            .at(s.args[0].span, format!("`{want}` is the only value"))
                            .help(if kw == "vci" {
                                "write `vci enforce` to run the pods on VCI only; leave it out to let VCI profiles decide"
                            } else {
                                "write `image-cache auto`: VKE creates and matches image caches itself; a cache id cannot be given"
                            }),
                    );
                }
            }
        }
        "pod-override" => pod.pod_override = check_fragment(cx, s, Target::Pod),
        "spec-override" => pod.spec_override = check_fragment(cx, s, Target::Spec),
        _ => return false,
    }
    true
}

fn flag_name(kw: &str) -> &'static str {
    match kw {
        "host-network" => "host-network",
        "host-pid" => "host-pid",
        "host-ipc" => "host-ipc",
        "share-process-namespace" => "share-process-namespace",
        "vci" => "vci",
        _ => "image-cache",
    }
}

/// The rules that join pod settings and containers, once the block has been read.
pub fn finish(
    cx: &mut Cx,
    ds: &mut DaemonSetModel,
    containers: &mut [ContainerFacts],
    st: &PodState,
) {
    ds.pod.update = strategy::finish(cx, &st.strategy, &mut ds.origins);
    check_conflicts(cx, &ds.pod.security, &st.security);
    host_ports(containers, st);
    for c in containers.iter_mut() {
        if let Some(p) = c.extra.privileged {
            let sc = rel(&["securityContext"]);
            if c.container.origins.get(&sc).is_none() {
                c.container.origins.record(sc.clone(), p);
            }
            c.container.origins.record(sc.field("privileged"), p);
        }
    }
    for c in containers.iter() {
        let sec = &c.container.settings.security;
        let spans = &c.extra.security;
        // Rule 136 across levels: the container's value wins over the pod's.
        if sec.run_as_user.is_none() && sec.run_as_non_root.is_some() {
            non_root_vs_user(
                cx,
                sec.run_as_non_root,
                spans.non_root,
                ds.pod.security.run_as_user,
                st.security.user,
            );
        }
        if sec.run_as_non_root.is_none() && sec.run_as_user.is_some() {
            non_root_vs_user(
                cx,
                ds.pod.security.run_as_non_root,
                st.security.non_root,
                sec.run_as_user,
                spans.user,
            );
        }
    }
    // The host namespaces' own rules (shareProcessNamespace with hostPID) are rules of the
    // API server, checked on the compiled object at these statements.
    for (flag, field) in [
        ("host-network", "hostNetwork"),
        ("host-pid", "hostPID"),
        ("host-ipc", "hostIPC"),
        ("share-process-namespace", "shareProcessNamespace"),
    ] {
        if let Some(span) = st.flags.get(flag) {
            ds.origins
                .record(rel(&["spec", "template", "spec", field]), *span);
        }
    }
    super::vke::finish(cx, ds, containers, &st.flags);
}

/// Under `host-network` every port is published on the node as itself: the host port is the
/// container port unless the spec says otherwise. Conflicts (rules 78 and 79) are rules of the
/// API server, checked on the compiled object.
fn host_ports(containers: &mut [ContainerFacts], st: &PodState) {
    if !st.flags.contains_key("host-network") {
        return;
    }
    for c in containers.iter_mut() {
        for p in &mut c.container.ports {
            p.host_port.get_or_insert(p.number);
        }
    }
}

/// `sysctl NAME=VALUE ...`: namespaced kernel parameters of the pod, in the order written. The
/// names' format and which of them are namespaced are the API server's rules, on the object.
fn check_sysctl(cx: &mut Cx, s: &Statement, pod: &mut PodSettings, origins: &mut Origins) {
    if !cx.arity(s, 1, usize::MAX) {
        return;
    }
    let list = rel(&["spec", "template", "spec", "securityContext", "sysctls"]);
    for arg in &s.args {
        let ArgKind::Pair {
            key,
            key_span,
            value,
        } = &arg.kind
        else {
            cx.push(
                Diagnostic::error("DS0202", "expected `NAME=VALUE`")
                    .at(arg.span, format!("{} is not a pair", arg.describe()))
                    .help("write the parameter and its value: `sysctl net.ipv4.ip_unprivileged_port_start=0`"),
            );
            continue;
        };
        let Some(text) = cx.scalar(value, "a sysctl value") else {
            continue;
        };
        let at = list.index(pod.security.sysctls.len());
        origins.record(at.clone(), arg.span);
        origins.record(at.field("name"), *key_span);
        origins.record(at.field("value"), value.span);
        pod.security.sysctls.push((key.to_string(), text));
    }
}
