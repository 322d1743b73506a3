//! Security contexts, pod and container (F43; rules 57, 61, 62, 132, 133, 136): users and
//! groups, run-as-non-root, capabilities, read-only root, privilege escalation, seccomp,
//! AppArmor and SELinux. The same keywords serve both levels; the caller admits the ones its
//! level has.

use super::cx::Cx;
use super::profiles::{profile, selinux};
use crate::api::FieldPath;
use crate::diagnostics::{did_you_mean, Diagnostic};
use crate::model::{Origins, Security};
use crate::source::Span;
use crate::syntax::{Arg, Statement};

/// Where the settings that other rules compare were written.
#[derive(Clone, Debug, Default)]
pub struct SecuritySpans {
    pub user: Option<Span>,
    pub non_root: Option<Span>,
    pub no_escalation: Option<Span>,
    pub sys_admin: Option<Span>,
}

/// Linux capabilities (capability.h), without the `CAP_` prefix.
const CAPABILITIES: &[&str] = &[
    "ALL",
    "AUDIT_CONTROL",
    "AUDIT_READ",
    "AUDIT_WRITE",
    "BLOCK_SUSPEND",
    "BPF",
    "CHECKPOINT_RESTORE",
    "CHOWN",
    "DAC_OVERRIDE",
    "DAC_READ_SEARCH",
    "FOWNER",
    "FSETID",
    "IPC_LOCK",
    "IPC_OWNER",
    "KILL",
    "LEASE",
    "LINUX_IMMUTABLE",
    "MAC_ADMIN",
    "MAC_OVERRIDE",
    "MKNOD",
    "NET_ADMIN",
    "NET_BIND_SERVICE",
    "NET_BROADCAST",
    "NET_RAW",
    "PERFMON",
    "SETFCAP",
    "SETGID",
    "SETPCAP",
    "SETUID",
    "SYSLOG",
    "SYS_ADMIN",
    "SYS_BOOT",
    "SYS_CHROOT",
    "SYS_MODULE",
    "SYS_NICE",
    "SYS_PACCT",
    "SYS_PTRACE",
    "SYS_RAWIO",
    "SYS_RESOURCE",
    "SYS_TIME",
    "SYS_TTY_CONFIG",
    "WAKE_ALARM",
];

/// Handles one security keyword; `false` when the keyword is not one of them.
///
/// Each setting's span is recorded in `origins` under `base`, the path of the security context
/// (`spec.template.spec.securityContext` for the pod, `securityContext` for a container): the
/// API server's rules on them (id ranges, privilege escalation of a privileged container,
/// profile paths) run on the compiled object.
pub fn check_security(
    cx: &mut Cx,
    s: &Statement,
    sec: &mut Security,
    spans: &mut SecuritySpans,
    written: (&mut Origins, &FieldPath),
) -> bool {
    let (origins, base) = written;
    let kw = s.keyword.as_str();
    let field = match kw {
        "user" => "runAsUser",
        "group" => "runAsGroup",
        "fs-group" => "fsGroup",
        "supplemental-groups" => "supplementalGroups",
        "run-as-non-root" => "runAsNonRoot",
        "read-only-root" => "readOnlyRootFilesystem",
        "no-privilege-escalation" | "allow-privilege-escalation" => "allowPrivilegeEscalation",
        "caps" => "capabilities",
        "seccomp" => "seccompProfile",
        "apparmor" => "appArmorProfile",
        "selinux" => "seLinuxOptions",
        _ => return false,
    };
    if origins.get(base).is_none() {
        origins.record(base.clone(), s.span);
    }
    let at = base.field(field);
    origins.record(
        at.clone(),
        s.args.first().map_or(s.keyword_span, |a| a.span),
    );
    match kw {
        "user" | "group" | "fs-group" => {
            if cx.arity(s, 1, 1) {
                if let Some(id) = id(cx, &s.args[0], kw) {
                    match kw {
                        "user" => {
                            sec.run_as_user = Some(id);
                            spans.user = Some(s.args[0].span);
                        }
                        "group" => sec.run_as_group = Some(id),
                        _ => sec.fs_group = Some(id),
                    }
                }
            }
        }
        "supplemental-groups" => {
            if cx.arity(s, 1, usize::MAX) {
                origins.record(at.clone(), s.span);
                for a in super::args::flatten(&s.args) {
                    if let Some(g) = id(cx, a, "supplemental group") {
                        origins.record(at.index(sec.supplemental_groups.len()), a.span);
                        sec.supplemental_groups.push(g);
                    }
                }
            }
        }
        "run-as-non-root" => {
            if cx.arity(s, 0, 1) {
                // `run-as-non-root false` lets a container run as root under a pod that does not.
                match s.args.first().map(|a| (a.as_word(), a.span)) {
                    None | Some((Some("true"), _)) => sec.run_as_non_root = Some(true),
                    Some((Some("false"), _)) => sec.run_as_non_root = Some(false),
                    Some((_, at)) => {
                        cx.push(
                            Diagnostic::error("DS0407", "expected `true` or `false`")
                                .at(at, "not `true` or `false`")
                                .help("write `run-as-non-root`, or `run-as-non-root false` in a container that must run as root"),
                        );
                        return true;
                    }
                }
                spans.non_root = Some(s.keyword_span);
            }
        }
        "read-only-root" => {
            if cx.arity(s, 0, 0) {
                sec.read_only_root = true;
            }
        }
        "no-privilege-escalation" => {
            if cx.arity(s, 0, 0) {
                sec.allow_privilege_escalation = Some(false);
                spans.no_escalation = Some(s.keyword_span);
            }
        }
        "allow-privilege-escalation" => {
            if cx.arity(s, 1, 1) {
                match s.args[0].as_word() {
                    Some("true") => sec.allow_privilege_escalation = Some(true),
                    Some("false") => {
                        sec.allow_privilege_escalation = Some(false);
                        spans.no_escalation = Some(s.args[0].span);
                    }
                    _ => cx.push(
                        Diagnostic::error("DS0407", "expected `true` or `false`")
                            .at(s.args[0].span, "not `true` or `false`")
                            .help("write `allow-privilege-escalation false`, or the shorter `no-privilege-escalation`"),
                    ),
                }
            }
        }
        "caps" => caps(cx, s, sec, spans),
        "seccomp" | "apparmor" => {
            origins.record(at.clone(), s.span);
            origins.record(at.field("type"), s.args.first().map_or(s.span, |a| a.span));
            if let Some(name) = s.args.get(1) {
                origins.record(at.field("localhostProfile"), name.span);
            }
            if let Some(p) = profile(cx, s) {
                if kw == "seccomp" {
                    sec.seccomp = Some(p);
                } else {
                    sec.apparmor = Some(p);
                }
            }
        }
        "selinux" => selinux(cx, s, sec),
        _ => return false,
    }
    true
}

/// A user or group id, a whole number; its range (rules 57 and 132: 0 to 2147483647) is a rule
/// of the API server, checked on the compiled object.
fn id(cx: &mut Cx, arg: &Arg, what: &str) -> Option<i64> {
    let text = arg.as_text().unwrap_or_default();
    match text.parse::<i64>() {
        Ok(n) => Some(n),
        Err(_) => {
            cx.push(
                Diagnostic::error("DS0705", format!("invalid {what} id `{text}`"))
                    .at(arg.span, "not a whole number")
                    .help(format!("write a numeric id, such as `{} 65534`; names are resolved by the image, not by Kubernetes", if what == "supplemental group" { "supplemental-groups" } else { what })),
            );
            None
        }
    }
}

/// `caps add [NET_ADMIN, SYS_TIME] drop [ALL]`; names are written upper case without `CAP_`.
fn caps(cx: &mut Cx, s: &Statement, sec: &mut Security, spans: &mut SecuritySpans) {
    if !cx.arity(s, 2, usize::MAX) {
        return;
    }
    let mut adding = None;
    for a in &s.args {
        match a.as_word() {
            Some("add") => adding = Some(true),
            Some("drop") => adding = Some(false),
            _ => {
                let Some(add) = adding else {
                    cx.push(
                        Diagnostic::error("DS0202", "expected `add` or `drop`")
                            .at(a.span, "which list is this?")
                            .help("write `caps add [NET_ADMIN] drop [ALL]`"),
                    );
                    return;
                };
                for c in super::args::flatten(std::slice::from_ref(a)) {
                    let raw = c.as_text().unwrap_or_default();
                    let upper = raw.to_ascii_uppercase();
                    let name = upper.strip_prefix("CAP_").unwrap_or(&upper).to_string();
                    if !CAPABILITIES.contains(&name.as_str()) {
                        let mut d =
                            Diagnostic::warning("DS0717", format!("unknown capability `{raw}`"))
                                .at(c.span, "not a Linux capability");
                        d = match did_you_mean(&name, CAPABILITIES.iter().copied()) {
                            Some(x) => d.suggest(x),
                            None => d.help("capabilities are named as in capabilities(7) without `CAP_`, such as `NET_ADMIN`"),
                        };
                        cx.push(d);
                    }
                    if add {
                        if name == "SYS_ADMIN" {
                            spans.sys_admin = Some(c.span);
                        }
                        sec.caps_add.push(name);
                    } else {
                        sec.caps_drop.push(name);
                    }
                }
            }
        }
    }
}

/// The lints of rules 133 and 136 within one level (a container, or the pod alone).
pub fn check_conflicts(cx: &mut Cx, sec: &Security, spans: &SecuritySpans) {
    // A privileged container with privilege escalation turned off is a rule of the API server,
    // checked on the compiled object.
    if let Some(no) = spans.no_escalation {
        // The API server refuses only the spelling `CAP_SYS_ADMIN`, which dsc never writes; the
        // runtime reads `SYS_ADMIN` the same way.
        if let Some(c) = spans.sys_admin {
            cx.push(
                Diagnostic::warning("DS0923", "`SYS_ADMIN` lets the container escalate its privileges")
                    .at(no, "privilege escalation is turned off")
                    .also(c, "but this capability grants it")
                    .help("allow privilege escalation, drop `SYS_ADMIN`, or `allow sys-admin-escalation` (the API server refuses only the spelling `CAP_SYS_ADMIN`)"),
            );
        }
    }
    non_root_vs_user(
        cx,
        sec.run_as_non_root,
        spans.non_root,
        sec.run_as_user,
        spans.user,
    );
}

/// Rule 136: `run-as-non-root` with user 0 passes the API server and fails on every node: the
/// lint `root-user`.
pub fn non_root_vs_user(
    cx: &mut Cx,
    non_root: Option<bool>,
    non_root_at: Option<Span>,
    user: Option<i64>,
    user_at: Option<Span>,
) {
    if let (Some(true), Some(0), Some(n), Some(u)) = (non_root, user, non_root_at, user_at) {
        cx.push(
            Diagnostic::warning("DS0917", "`run-as-non-root` with user 0")
                .at(u, "user 0 is root")
                .also(n, "the container must not run as root")
                .help("the kubelet refuses to start this container: give a non-zero `user`, such as `user 65534`, remove `run-as-non-root`, or `allow root-user`"),
        );
    }
}
