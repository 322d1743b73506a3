//! Health checks and lifecycle hooks of a container (F26–F30): `liveness`, `readiness`,
//! `startup`, `post-start` and `pre-stop` → [`Health`], with the form's timing defaults, the
//! threshold rules (127, 128), init containers (70) and named ports (126).

use super::handlers::{check_handler, Use};
use super::options::{value, Opt, Options};
use super::Cx;
use crate::diagnostics::{did_you_mean, Diagnostic};
use crate::model::{
    Handler, Health, Port, PortRef, Probe, DEFAULT_DELAY, DEFAULT_FAILURE, DEFAULT_PERIOD,
    DEFAULT_SUCCESS, DEFAULT_TIMEOUT,
};
use crate::source::Span;
use crate::syntax::{Arg, Statement};

const TIMING: &[Opt] = &[
    value("delay", "delay 1s"),
    value("timeout", "timeout 1s"),
    value("period", "period 10s"),
    value("success", "success 1"),
    value("failure", "failure 3"),
];

/// What the container and workload rules need to check later: ports named by probes and hooks,
/// and the seconds of sleep hooks.
#[derive(Clone, Debug, Default)]
pub struct HealthRefs {
    pub ports: Vec<(String, Span)>,
    pub sleeps: Vec<(i64, Span)>,
}

/// One `liveness`, `readiness`, `startup`, `post-start` or `pre-stop` statement.
pub fn check_health(cx: &mut Cx, stmt: &Statement, health: &mut Health, refs: &mut HealthRefs) {
    let kw = stmt.keyword.as_str();
    let is_probe = matches!(kw, "liveness" | "readiness" | "startup");
    let used = if is_probe { Use::Probe } else { Use::Hook };
    let extra = if is_probe { TIMING } else { &[] };
    let Some(checked) = check_handler(cx, stmt, used, extra) else {
        return;
    };
    if let Some(named) = checked.port_name {
        refs.ports.push(named);
    }
    if let (Handler::Sleep(s), Some(arg)) = (&checked.handler, stmt.args.get(1)) {
        refs.sleeps.push((*s, arg.span));
    }
    if !is_probe {
        let slot = if kw == "post-start" {
            &mut health.post_start
        } else {
            &mut health.pre_stop
        };
        *slot = Some(checked.handler);
        return;
    }
    let Some(probe) = timing(cx, kw, checked.handler, &checked.options) else {
        return;
    };
    let slot = match kw {
        "liveness" => &mut health.liveness,
        "readiness" => &mut health.readiness,
        _ => &mut health.startup,
    };
    *slot = Some(probe);
}

/// The timing options of a probe, defaults filled in (seed F29, F30).
fn timing(cx: &mut Cx, kw: &str, handler: Handler, opts: &Options) -> Option<Probe> {
    let mut ok = true;
    let mut seconds = |cx: &mut Cx, name: &str, default: i32, min: i64| -> i32 {
        let Some(arg) = opts.value(name) else {
            return default;
        };
        let what = match name {
            "delay" => "the initial delay",
            "timeout" => "the timeout",
            _ => "the period",
        };
        match cx.seconds(arg, what) {
            Some(s) if s < min => {
                cx.push(
                    Diagnostic::error("DS0603", format!("{what} of a probe must be at least 1 s"))
                        .at(arg.span, "zero")
                        .help(format!("write `{name} 1s` or more")),
                );
                ok = false;
                default
            }
            Some(s) => match i32::try_from(s) {
                Ok(s) => s,
                Err(_) => {
                    cx.push(too_large(arg, what));
                    ok = false;
                    default
                }
            },
            None => {
                ok = false;
                default
            }
        }
    };
    let delay = seconds(cx, "delay", DEFAULT_DELAY, 0);
    let timeout = seconds(cx, "timeout", DEFAULT_TIMEOUT, 1);
    let period = seconds(cx, "period", DEFAULT_PERIOD, 1);
    let success = count(cx, opts.value("success"), DEFAULT_SUCCESS);
    let failure = count(cx, opts.value("failure"), DEFAULT_FAILURE);
    if let (Some(s), Some(arg), true) = (success, opts.value("success"), kw != "readiness") {
        if s != 1 {
            cx.push(
                Diagnostic::error("DS0603", format!("the success threshold of a {kw} probe must be 1"))
                    .at(arg.span, "must be 1")
                    .help(format!("Kubernetes requires 1 for liveness and startup probes; remove `success {s}`, or put it on a readiness probe")),
            );
            return None;
        }
    }
    Some(Probe {
        handler,
        delay,
        timeout,
        period,
        success: success?,
        failure: failure?,
    })
    .filter(|_| ok)
}

/// `success N` / `failure N`: a whole number of checks, at least 1 (rule 127).
fn count(cx: &mut Cx, arg: Option<&Arg>, default: i32) -> Option<i32> {
    let Some(arg) = arg else {
        return Some(default);
    };
    let text = cx.scalar(arg, "a number of checks")?;
    match text.parse::<i64>() {
        Ok(n) if n >= 1 => match i32::try_from(n) {
            Ok(n) => Some(n),
            Err(_) => {
                cx.push(too_large(arg, "the threshold"));
                None
            }
        },
        _ => {
            cx.push(
                Diagnostic::error("DS0603", format!("invalid threshold `{text}`"))
                    .at(arg.span, "not a whole number of checks, 1 or more")
                    .help("a threshold counts consecutive checks, such as `failure 3`"),
            );
            None
        }
    }
}

fn too_large(arg: &Arg, what: &str) -> Diagnostic {
    Diagnostic::error("DS0603", format!("{what} is too large"))
        .at(arg.span, "more than 2^31 - 1")
        .help("use a value below 2147483647")
}

/// Rule 70 (seed F17): an init container that is not a sidecar has no probes and no hooks, since
/// it runs to completion before the containers start. `checks` are the keywords' spans.
pub fn init_without_checks(cx: &mut Cx, checks: &[(String, Span)], sidecar: bool) -> bool {
    if sidecar {
        return true;
    }
    for (kw, at) in checks {
        let what = if matches!(kw.as_str(), "liveness" | "readiness" | "startup") {
            format!("a {kw} probe")
        } else {
            format!("a `{kw}` hook")
        };
        cx.push(
            Diagnostic::error("DS0604", format!("an init container cannot have {what}"))
                .at(*at, "not allowed in `init`")
                .help("init containers run to completion before the others start: move this to a `container` block, or add `sidecar` if this one keeps running beside them"),
        );
    }
    checks.is_empty()
}

/// Every port name a probe or hook uses should be a `port` of the container (rule 126; the
/// lint `undeclared-port`, as the API server does not look); an HTTP check without a port
/// (`http /healthz`, an empty name here) needs the container to have exactly one, since dsc
/// must write that port.
pub fn check_port_refs(cx: &mut Cx, refs: &HealthRefs, ports: &[Port], container: &str) {
    let names: Vec<&str> = ports.iter().filter_map(|p| p.name.as_deref()).collect();
    for (name, span) in &refs.ports {
        if name.is_empty() {
            if ports.len() != 1 {
                let has = if ports.is_empty() {
                    "no port"
                } else {
                    "several ports"
                };
                cx.push(
                    Diagnostic::error("DS0602", format!("which port? container `{container}` has {has}"))
                        .at(*span, "no port given before the path")
                        .help(if ports.is_empty() {
                            "declare the port with `port NAME NUMBER`, or give the number: `http 8080 /healthz`".to_string()
                        } else {
                            format!(
                                "name the port before the path: `http {} /PATH`",
                                names.first().copied().unwrap_or("8080")
                            )
                        }),
                );
            }
            continue;
        }
        if names.contains(&name.as_str()) {
            continue;
        }
        // The name is written as given; the API server checks its form only, and the kubelet
        // looks it up when it runs the check.
        let d = Diagnostic::warning(
            "DS0916",
            format!("container `{container}` has no port named `{name}`"),
        )
        .at(*span, "not a port of this container");
        let d = match did_you_mean(name, names.iter().copied()) {
            Some(n) => d.help(format!(
                "did you mean `{n}`? every check of an unknown port fails (or `allow undeclared-port`)"
            )),
            None => d.help(format!(
                "every check of an unknown port fails: declare it with `port {name} NUMBER`, write the port number here, or `allow undeclared-port`"
            )),
        };
        cx.push(d);
    }
}

/// Fills the port of an HTTP check written without one (`http /healthz`): the container's only
/// port, by name when it has one. `check_port_refs` has reported the other cases.
pub fn resolve_implicit_ports(health: &mut Health, ports: &[Port]) {
    let [only] = ports else { return };
    let port = match &only.name {
        Some(name) => PortRef::Name(name.clone()),
        None => PortRef::Number(only.number),
    };
    let fill = |h: &mut Handler| {
        if let Handler::Http(get) = h {
            if get.port == PortRef::Name(String::new()) {
                get.port = port.clone();
            }
        }
    };
    for probe in [
        &mut health.liveness,
        &mut health.readiness,
        &mut health.startup,
    ]
    .into_iter()
    .flatten()
    {
        fill(&mut probe.handler);
    }
    for hook in [&mut health.post_start, &mut health.pre_stop]
        .into_iter()
        .flatten()
    {
        fill(hook);
    }
}

/// A sleep hook must end within the pod's grace period (rule 130): the API server rejects a
/// longer one.
pub fn check_sleeps(cx: &mut Cx, refs: &HealthRefs, grace_seconds: i64) {
    for (seconds, span) in &refs.sleeps {
        if *seconds > grace_seconds {
            cx.push(
                Diagnostic::error(
                    "DS0606",
                    format!("a {seconds} s sleep hook outlasts the pod's {grace_seconds} s grace period"),
                )
                .at(*span, "longer than the grace period")
                .help(format!(
                    "the pod is killed after {grace_seconds} s; sleep `{grace_seconds}s` or less"
                )),
            );
        }
    }
}
