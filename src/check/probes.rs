//! Health checks and lifecycle hooks of a container (F26–F30): `liveness`, `readiness`,
//! `startup`, `post-start` and `pre-stop` → [`Health`], with the form's timing defaults and
//! named ports (126). The API server's rules on them (thresholds 127, 128, init containers 70,
//! sleep within the grace period 130) run on the compiled object (`validate::probes`,
//! `validate::container`), at the arguments recorded here.

use super::cx::Cx;
use super::handlers::{check_handler, Use};
use super::options::{value, Opt, Options};
use crate::api::FieldPath;
use crate::diagnostics::{did_you_mean, Diagnostic};
use crate::model::{
    rel, Container, Handler, Health, Port, PortRef, Probe, DEFAULT_DELAY, DEFAULT_FAILURE,
    DEFAULT_PERIOD, DEFAULT_SUCCESS, DEFAULT_TIMEOUT,
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

/// What the container rules need to check later: ports named by probes and hooks.
#[derive(Clone, Debug, Default)]
pub struct HealthRefs {
    pub ports: Vec<(String, Span)>,
}

/// The API field of a probe or hook keyword, from the container.
fn field_of(kw: &str) -> FieldPath {
    match kw {
        "liveness" => rel(&["livenessProbe"]),
        "readiness" => rel(&["readinessProbe"]),
        "startup" => rel(&["startupProbe"]),
        "post-start" => rel(&["lifecycle", "postStart"]),
        _ => rel(&["lifecycle", "preStop"]),
    }
}

/// One `liveness`, `readiness`, `startup`, `post-start` or `pre-stop` statement.
pub fn check_health(cx: &mut Cx, stmt: &Statement, c: &mut Container, refs: &mut HealthRefs) {
    let kw = stmt.keyword.as_str();
    let is_probe = matches!(kw, "liveness" | "readiness" | "startup");
    let used = if is_probe { Use::Probe } else { Use::Hook };
    let extra = if is_probe { TIMING } else { &[] };
    let at = field_of(kw);
    let Some(checked) = check_handler(cx, stmt, used, extra, &at, &mut c.origins) else {
        return;
    };
    // The statement stands for the probe or hook; its keyword for the field's name (a probe
    // that an init container may not have).
    c.origins.record(at.clone(), stmt.span);
    c.origins.record_key(at.clone(), stmt.keyword_span);
    if !is_probe {
        c.origins.record(at.parent(), stmt.span);
        c.origins.record_key(at.parent(), stmt.keyword_span);
    }
    if let Some(named) = checked.port_name {
        refs.ports.push(named);
    }
    let health = &mut c.health;
    if !is_probe {
        let slot = if kw == "post-start" {
            &mut health.post_start
        } else {
            &mut health.pre_stop
        };
        *slot = Some(checked.handler);
        return;
    }
    let Some(probe) = timing(cx, checked.handler, &checked.options, &at, &mut c.origins) else {
        return;
    };
    let slot = match kw {
        "liveness" => &mut c.health.liveness,
        "readiness" => &mut c.health.readiness,
        _ => &mut c.health.startup,
    };
    *slot = Some(probe);
}

/// The timing options of a probe, defaults filled in (seed F29, F30). Their ranges, and a
/// success threshold of 1 outside readiness probes, are rules of the API server, checked on
/// the compiled object at the arguments recorded here.
fn timing(
    cx: &mut Cx,
    handler: Handler,
    opts: &Options,
    at: &FieldPath,
    origins: &mut crate::model::Origins,
) -> Option<Probe> {
    for (name, field) in [
        ("delay", "initialDelaySeconds"),
        ("timeout", "timeoutSeconds"),
        ("period", "periodSeconds"),
        ("success", "successThreshold"),
        ("failure", "failureThreshold"),
    ] {
        if let Some(arg) = opts.value(name) {
            origins.record(at.field(field), arg.span);
        }
    }
    let mut ok = true;
    let mut seconds = |cx: &mut Cx, name: &str, default: i32| -> i32 {
        let Some(arg) = opts.value(name) else {
            return default;
        };
        let what = match name {
            "delay" => "the initial delay",
            "timeout" => "the timeout",
            _ => "the period",
        };
        match cx.seconds(arg, what) {
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
    let delay = seconds(cx, "delay", DEFAULT_DELAY);
    let timeout = seconds(cx, "timeout", DEFAULT_TIMEOUT);
    let period = seconds(cx, "period", DEFAULT_PERIOD);
    let success = count(cx, opts.value("success"), DEFAULT_SUCCESS);
    let failure = count(cx, opts.value("failure"), DEFAULT_FAILURE);
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

/// `success N` / `failure N`: a whole number of checks (its range, rule 127, is checked on the
/// compiled object).
fn count(cx: &mut Cx, arg: Option<&Arg>, default: i32) -> Option<i32> {
    let Some(arg) = arg else {
        return Some(default);
    };
    let text = cx.scalar(arg, "a number of checks")?;
    match text.parse::<i64>() {
        Ok(n) => match i32::try_from(n) {
            Ok(n) => Some(n),
            Err(_) => {
                cx.push(too_large(arg, "the threshold"));
                None
            }
        },
        _ => {
            cx.push(
                Diagnostic::error("DS0603", format!("invalid threshold `{text}`"))
                    .at(arg.span, "not a whole number of checks")
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
        // A name the API server refuses is reported on the object; it names no port either.
        if names.contains(&name.as_str()) || crate::api::names::port_name(name).is_err() {
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
