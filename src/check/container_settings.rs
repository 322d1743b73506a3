//! Container settings of issue 4: the security context (via `security.rs`), `workdir`,
//! `termination-message`, `sidecar` and the `override` escape hatch, with the rules that
//! join them (rules 67–69, 133, 136).

use super::cx::Cx;
use super::keywords::CONTAINER;
use super::overrides::{check_fragment, Target};
use super::security::{check_conflicts, check_security, SecuritySpans};
use crate::diagnostics::{did_you_mean, Diagnostic};
use crate::model::{rel, Container};
use crate::source::Span;
use crate::syntax::Statement;

/// What the pod-level rules need to know about a container's settings.
#[derive(Clone, Debug, Default)]
pub struct ContainerExtra {
    pub security: SecuritySpans,
    pub privileged: Option<Span>,
    /// The span of each `port` statement, parallel to `Container::ports`.
    pub port_spans: Vec<Span>,
}

/// Handles one issue-4 container keyword; `false` when the keyword is not one of them.
pub fn check_container_setting(
    cx: &mut Cx,
    s: &Statement,
    c: &mut Container,
    extra: &mut ContainerExtra,
    init: bool,
) -> bool {
    // Called for keywords the container block does not handle itself: those of this file.
    if !CONTAINER.iter().any(|k| k.name == s.keyword) {
        return false;
    }
    cx.no_block(s);
    let settings = &mut c.settings;
    let written = (&mut c.origins, &rel(&["securityContext"]));
    if check_security(cx, s, &mut settings.security, &mut extra.security, written) {
        return true;
    }
    match s.keyword.as_str() {
        "workdir" => {
            if cx.arity(s, 1, 1) {
                if let Some(p) = absolute_path(cx, &s.args[0], "working directory") {
                    settings.working_dir = Some(p);
                    c.origins.record(rel(&["workingDir"]), s.args[0].span);
                }
            }
        }
        "termination-message" => {
            termination_message(cx, s, c);
        }
        "sidecar" => {
            if cx.arity(s, 0, 0) {
                if init {
                    settings.sidecar = true;
                    c.origins.record(rel(&["restartPolicy"]), s.keyword_span);
                } else {
                    cx.push(
                        Diagnostic::error("DS0718", "only an init container can be a sidecar")
                            .at(s.keyword_span, "this is a regular container")
                            .help("regular containers already run for the pod's whole life; to start this one before the others, declare it with `init NAME { sidecar ... }`"),
                    );
                }
            }
        }
        "stdin" | "stdin-once" | "tty" => {
            if cx.arity(s, 0, 0) {
                let (flag, field) = match s.keyword.as_str() {
                    "stdin" => (&mut settings.stdin, "stdin"),
                    "stdin-once" => (&mut settings.stdin_once, "stdinOnce"),
                    _ => (&mut settings.tty, "tty"),
                };
                *flag = true;
                c.origins.record(rel(&[field]), s.keyword_span);
            }
        }
        "stop-signal" => {
            if cx.arity(s, 1, 1) {
                settings.stop_signal = stop_signal(cx, &s.args[0]);
                c.origins
                    .record(rel(&["lifecycle", "stopSignal"]), s.args[0].span);
            }
        }
        "override" => {
            settings.container_override = check_fragment(cx, s, Target::Container);
        }
        _ => return false,
    }
    true
}

/// `termination-message file|fallback-to-logs [path PATH]` (rule 67).
fn termination_message(cx: &mut Cx, s: &Statement, c: &mut Container) {
    if !cx.arity(s, 1, 3) {
        return;
    }
    let text = s.args[0].as_text().unwrap_or_default();
    let policy = match text.to_ascii_lowercase().replace(['-', '_'], "").as_str() {
        "file" => "File",
        "fallbacktologs" | "fallbacktologsonerror" => "FallbackToLogsOnError",
        _ => {
            let mut d = Diagnostic::error(
                "DS0407",
                format!("unknown termination message policy `{text}`"),
            )
            .at(s.args[0].span, "not `file` or `fallback-to-logs`");
            d = match did_you_mean(&text, ["file", "fallback-to-logs"]) {
                Some(w) => d.suggest(w),
                None => d.help("use `file` (read the message file only) or `fallback-to-logs` (use the log tail when the file is empty and the container failed)"),
            };
            cx.push(d);
            return;
        }
    };
    c.settings.termination_message_policy = Some(policy);
    c.origins
        .record(rel(&["terminationMessagePolicy"]), s.args[0].span);
    match &s.args[1..] {
        [] => {}
        [kw, p] if kw.as_word() == Some("path") => {
            c.settings.termination_message_path = absolute_path(cx, p, "termination message path");
            c.origins.record(rel(&["terminationMessagePath"]), p.span);
        }
        [other, ..] => cx.push(
            Diagnostic::error("DS0202", "unexpected value after the policy")
                .at(other.span, "expected `path PATH`")
                .help("write `termination-message fallback-to-logs path /dev/termination-log`"),
        ),
    }
}

/// A working directory or termination message path: the API server does not check either, so
/// a relative one is the lint `relative-path`, and is written as given.
fn absolute_path(cx: &mut Cx, arg: &crate::syntax::Arg, what: &str) -> Option<String> {
    let p = cx.scalar(arg, "a path")?;
    if !p.starts_with('/') {
        cx.push(super::volumes::relative_path(
            arg.span,
            what,
            &p,
            "must be an absolute path, starting with `/`",
        ));
    }
    Some(p)
}

/// The signals a Linux container may be stopped with (`supportedStopSignalsLinux`), without
/// the real-time ones, which [`is_linux_signal`] adds.
const LINUX_SIGNALS: &[&str] = &[
    "SIGABRT",
    "SIGALRM",
    "SIGBUS",
    "SIGCHLD",
    "SIGCLD",
    "SIGCONT",
    "SIGFPE",
    "SIGHUP",
    "SIGILL",
    "SIGINT",
    "SIGIO",
    "SIGIOT",
    "SIGKILL",
    "SIGPIPE",
    "SIGPOLL",
    "SIGPROF",
    "SIGPWR",
    "SIGQUIT",
    "SIGSEGV",
    "SIGSTKFLT",
    "SIGSTOP",
    "SIGSYS",
    "SIGTERM",
    "SIGTRAP",
    "SIGTSTP",
    "SIGTTIN",
    "SIGTTOU",
    "SIGURG",
    "SIGUSR1",
    "SIGUSR2",
    "SIGVTALRM",
    "SIGWINCH",
    "SIGXCPU",
    "SIGXFSZ",
];

/// The signals a Windows container may be stopped with (`supportedStopSignalsWindows`).
pub const WINDOWS_SIGNALS: &[&str] = &["SIGKILL", "SIGTERM"];

/// A Linux stop signal: one of [`LINUX_SIGNALS`], `SIGRTMIN`, `SIGRTMIN+1` to `+15`,
/// `SIGRTMAX-14` to `-1`, `SIGRTMAX`.
fn is_linux_signal(name: &str) -> bool {
    let offset = |rest: &str, sign: char| {
        rest.strip_prefix(sign)
            .and_then(|n| n.parse::<u8>().ok())
            .is_some_and(|n| (1..=15).contains(&n) && !(sign == '-' && n == 15))
    };
    LINUX_SIGNALS.contains(&name)
        || match (name.strip_prefix("SIGRTMIN"), name.strip_prefix("SIGRTMAX")) {
            (Some(""), _) | (_, Some("")) => true,
            (Some(rest), _) => offset(rest, '+'),
            (_, Some(rest)) => offset(rest, '-'),
            _ => false,
        }
}

/// `stop-signal SIGNAL`: `SIGTERM`, `TERM` or `term` are one signal, written `SIGTERM`.
fn stop_signal(cx: &mut Cx, arg: &crate::syntax::Arg) -> Option<String> {
    let text = cx.scalar(arg, "a signal")?;
    let upper = text.to_ascii_uppercase();
    let name = match upper.starts_with("SIG") {
        true => upper,
        false => format!("SIG{upper}"),
    };
    if is_linux_signal(&name) {
        cx.push(
            Diagnostic::warning(
                "DS0924",
                "a stop signal needs the `ContainerStopSignals` feature gate, off by default in Kubernetes 1.33",
            )
            .at(arg.span, "dropped by an API server without the gate")
            .help("turn the gate on in the cluster and `allow feature-gate`, or handle SIGTERM in the agent (the default stop signal of most images)"),
        );
        return Some(name);
    }
    let d = Diagnostic::error("DS0407", format!("unknown signal `{text}`"))
        .at(arg.span, "not a signal a container can be stopped with");
    cx.push(d.suggest_or(
        did_you_mean(&name, LINUX_SIGNALS.iter().copied()),
        "write a signal name such as `SIGTERM`, `SIGINT` or `SIGQUIT`",
    ));
    None
}

/// The API server takes a stop signal only when the pod names its operating system, and a
/// Windows pod only `SIGTERM` or `SIGKILL`.
pub fn check_stop_signals(cx: &mut Cx, ds: &crate::model::DaemonSetModel) {
    for c in ds.init_containers.iter().chain(&ds.containers) {
        let Some(signal) = &c.settings.stop_signal else {
            continue;
        };
        let at = c
            .origins
            .get(&rel(&["lifecycle", "stopSignal"]))
            .unwrap_or(c.span);
        match ds.pod.os {
            None => cx.push(
                Diagnostic::error("DS0204", "a stop signal needs the pods' operating system")
                    .at(at, "the API server refuses it without `spec.os.name`")
                    .help("add `os linux` to the daemonset"),
            ),
            Some("windows") if !WINDOWS_SIGNALS.contains(&signal.as_str()) => cx.push(
                Diagnostic::error(
                    "DS0407",
                    format!("a Windows container cannot be stopped with `{signal}`"),
                )
                .at(at, "Windows supports `SIGTERM` and `SIGKILL` only")
                .help("write `stop-signal SIGTERM`, or remove the line"),
            ),
            _ => {}
        }
    }
}

/// The container-level rules, once the container has been read.
pub fn finish_container(cx: &mut Cx, c: &Container, extra: &ContainerExtra) {
    check_conflicts(cx, &c.settings.security, &extra.security);
}
