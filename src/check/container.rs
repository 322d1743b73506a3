//! A `container` or `init` block → [`Container`]: image and pull policy, command and args,
//! resources and devices, privileged, ports and environment, mounts, probes and hooks.

use foldhash::{HashMap, HashMapExt};

use super::container_settings::{check_container_setting, finish_container, ContainerExtra};
use super::cx::Cx;
use super::devices::{check_device, check_mgpu_resources, DeviceFacts};
use super::env::{check_env, check_env_from};
use super::image::{parse_image, pull_policy, relaxed_image, unparsed_image};
use super::keywords::CONTAINER;
use super::mounts::{check_mount, PendingMount};
use super::probes::{check_health, check_port_refs, resolve_implicit_ports, HealthRefs};
use super::resources::{check_request_limit, set_once};
use crate::api::names;
use crate::diagnostics::{did_you_mean, Diagnostic};
use crate::model::{rel, Container, Port, Protocol};
use crate::source::Span;
use crate::syntax::{Arg, ArgKind, Statement};

/// A checked container and what the workload-wide rules need to know about it.
pub struct ContainerFacts {
    pub container: Container,
    pub init: bool,
    pub devices: DeviceFacts,
    /// Mounts whose volumes are resolved for the whole workload.
    pub mounts: Vec<PendingMount>,
    /// Security spans and port spans for the pod-level rules (issue 4).
    pub extra: ContainerExtra,
}

pub fn check_container(cx: &mut Cx, stmt: &Statement) -> Option<ContainerFacts> {
    let init = stmt.keyword == "init";
    let what = if init {
        "init container name"
    } else {
        "container name"
    };
    if !cx.arity(stmt, 1, 1) {
        return None;
    }
    let name_span = stmt.args[0].span;
    // The name's format is a rule of the API server, checked on the object at `name`'s record.
    let name = cx.scalar(&stmt.args[0], what).unwrap_or_default();
    let Some(block) = &stmt.block else {
        cx.push(
            Diagnostic::error("DS0205", format!("`{}` needs a block", stmt.keyword))
                .at(stmt.span, "no `{ ... }` after the name")
                .help(format!(
                    "write `{} {} {{ image IMAGE }}`",
                    stmt.keyword,
                    stmt.args[0].as_text().unwrap_or_default()
                )),
        );
        return None;
    };
    let mut c = Container {
        name,
        // The head (`container NAME`), not the block: findings point at one line.
        span: Span::new(
            stmt.keyword_span.start(),
            stmt.args
                .first()
                .map_or(stmt.keyword_span.end(), |a| a.span.end()),
        ),
        ..Default::default()
    };
    c.origins.record(rel(&["name"]), name_span);
    let mut devices = DeviceFacts::default();
    let mut once = HashMap::new();
    let mut env_seen = HashMap::new();
    let mut image = None;
    let mut image_given = false;
    let mut pull = None;
    let mut mounts = Vec::new();
    let mut health = HealthRefs::default();
    let mut extra = ContainerExtra::default();
    let mut resource_names = HashMap::new();

    for s in &block.statements {
        let kw = s.keyword.as_str();
        if !matches!(kw, "env" | "env-from" | "port" | "resource" | "mount")
            && !once_ok(cx, &mut once, s)
        {
            continue;
        }
        match kw {
            "image" => {
                cx.no_block(s);
                image_given = true;
                if cx.arity(s, 1, 1) {
                    if let Some(text) = cx.scalar(&s.args[0], "an image reference") {
                        let span = s.args[0].span;
                        c.origins.record(rel(&["image"]), span);
                        match (parse_image(&text), relaxed_image(&text)) {
                            (Ok(i), _) => image = Some((i, span)),
                            (Err(_), Err(why)) => cx.push(
                                Diagnostic::error("DS0406", format!("invalid image reference `{text}`"))
                                    .at(span, why)
                                    .help(match text.trim() {
                                        "" => "write the image, such as `registry.example.com/team/agent:1.2.3`".to_string(),
                                        t => format!("the API server refuses the pods of this image: write `{t}`"),
                                    }),
                            ),
                            // The API server stores it; every pull of it fails.
                            (Err(why), Ok(())) => {
                                cx.push(
                                    Diagnostic::warning("DS0911", format!("`{text}` is not an image reference"))
                                        .at(span, why)
                                        .help("no node can pull it: write `registry.example.com/team/agent:1.2.3`, or `allow image-reference`"),
                                );
                                image = Some((unparsed_image(&text), span));
                            }
                        }
                    }
                }
            }
            "pull" => {
                cx.no_block(s);
                if cx.arity(s, 1, 1) {
                    pull = pull_policy(cx, &s.args[0]);
                    c.origins.record(rel(&["imagePullPolicy"]), s.args[0].span);
                }
            }
            "command" | "args" => {
                cx.no_block(s);
                if cx.arity(s, 1, usize::MAX) {
                    let words = words(&s.args);
                    let field = if kw == "command" { "command" } else { "args" };
                    c.origins.record(rel(&[field]), s.span);
                    if kw == "command" {
                        c.command = words;
                    } else {
                        c.args = words;
                    }
                }
            }
            "cpu" | "memory" | "resource" | "gpu" | "mgpu" | "rdma"
                if !set_once(cx, s, &mut resource_names) => {}
            "cpu" | "memory" | "resource" => {
                cx.no_block(s);
                if let (true, Some(name)) =
                    (kw == "resource", s.args.first().and_then(Arg::as_text))
                {
                    devices.record_resource(&name, s.span);
                }
                check_request_limit(cx, s, &mut c);
            }
            "gpu" | "mgpu" | "rdma" => {
                cx.no_block(s);
                let before = c.resources.clone();
                check_device(cx, s, &mut c.resources, &mut devices);
                for (list, map, was) in [
                    ("requests", &c.resources.requests, &before.requests),
                    ("limits", &c.resources.limits, &before.limits),
                ] {
                    for name in map.keys().filter(|k| !was.contains_key(*k)) {
                        c.origins
                            .record(rel(&["resources", list]).key(name), s.span);
                    }
                }
            }
            "privileged" => {
                cx.no_block(s);
                if cx.arity(s, 0, 0) {
                    c.privileged = true;
                    extra.privileged = Some(s.keyword_span);
                }
            }
            "port" => {
                cx.no_block(s);
                if let Some(p) = port(cx, s, &mut c) {
                    c.ports.push(p);
                    extra.port_spans.push(s.span);
                }
            }
            "env" => check_env(cx, s, &mut c, &mut env_seen),
            "env-from" => check_env_from(cx, s, &mut c),
            "mount" => mounts.extend(check_mount(cx, s)),
            "liveness" | "readiness" | "startup" | "post-start" | "pre-stop" => {
                check_health(cx, s, &mut c, &mut health)
            }
            _ if check_container_setting(cx, s, &mut c, &mut extra, init) => {}
            _ => cx.unknown_keyword(s, CONTAINER, "in a container"),
        }
    }

    check_port_refs(cx, &health, &c.ports, &c.name);
    resolve_implicit_ports(&mut c.health, &c.ports);
    check_mgpu_resources(cx, &c.resources, &devices);
    match image {
        Some((i, span)) => {
            c.pull_policy = pull.unwrap_or_else(|| i.default_pull_policy());
            if i.is_floating() {
                let what = if i.tag.is_none() {
                    "has no tag"
                } else {
                    "uses the `latest` tag"
                };
                cx.push(
                    Diagnostic::warning(
                        "DS0901",
                        format!(
                            "image `{}` {what}",
                            i.full.strip_suffix(":latest").unwrap_or(&i.full)
                        ),
                    )
                    .at(span, "floating tag: each node may run a different version")
                    .help("pin a version, such as `:1.2.3`, or a digest `@sha256:...`"),
                );
            }
            c.image = i.full;
        }
        None if image_given => {}
        // The override gives the image (one the language refuses, kept as the manifest had it).
        None if c
            .settings
            .container_override
            .as_ref()
            .is_some_and(|f| f.value.get("image").is_some_and(|i| i.is_string())) => {}
        None => cx.push(
            Diagnostic::error("DS0204", format!("container `{}` has no image", c.name))
                .at(name_span, "no `image` in this container")
                .help("add `image REGISTRY/REPOSITORY:TAG` inside the block"),
        ),
    }
    // A `memory` statement whose value is wrong is reported as such, not as a missing limit.
    let memory_unread = block.statements.iter().any(|s| s.keyword == "memory")
        && !c.resources.requests.contains_key("memory");
    if !init && !memory_unread && !c.resources.limits.contains_key("memory") && !c.image.is_empty()
    {
        cx.push(
            Diagnostic::warning(
                "DS0902",
                format!("container `{}` has no memory limit", c.name),
            )
            .at(name_span, "no `memory REQUEST..LIMIT`")
            .help("a leaking agent can exhaust the node's memory; add `memory 64Mi..256Mi`"),
        );
    }
    finish_container(cx, &c, &extra);
    Some(ContainerFacts {
        container: c,
        init,
        devices,
        mounts,
        extra,
    })
}

fn once_ok(cx: &mut Cx, once: &mut HashMap<String, Span>, s: &Statement) -> bool {
    if CONTAINER.iter().any(|k| k.name == s.keyword) {
        cx.once(once, s)
    } else {
        true
    }
}

/// Arguments as a list of words: each argument, or the items of a list.
fn words(args: &[Arg]) -> Vec<String> {
    let mut out = Vec::new();
    for a in args {
        match &a.kind {
            ArgKind::List(items) => out.extend(words(items)),
            _ => {
                if let Some(t) = a.as_text() {
                    out.push(t);
                }
            }
        }
    }
    out
}

/// The words of `pull`.
/// `port [NAME] NUMBER[/tcp|/udp|/sctp] [host NUMBER]`: the shape of the statement. What the
/// API server checks (the name's format, the number's range, names unique in the container,
/// host ports) is checked on the compiled object, at the arguments recorded here.
fn port(cx: &mut Cx, s: &Statement, c: &mut Container) -> Option<Port> {
    let (args, host_port) = split_host_port(cx, s)?;
    if !cx.arity(s, 1, 2 + 2 * usize::from(host_port.is_some())) {
        return None;
    }
    let (name_arg, number_arg) = match args {
        [n] => (None, n),
        [name, n] => (Some(name), n),
        _ => return None,
    };
    let name = match name_arg {
        Some(a) => Some(cx.scalar(a, "a port name")?),
        None => None,
    };
    let text = number_arg.as_text().unwrap_or_default();
    let (number, protocol) = match text.split_once('/') {
        Some((n, p)) => (n, Some(p)),
        None => (text.as_str(), None),
    };
    let protocol = match protocol.map(str::to_ascii_lowercase).as_deref() {
        None | Some("tcp") => Protocol::Tcp,
        Some("udp") => Protocol::Udp,
        Some("sctp") => Protocol::Sctp,
        Some(other) => {
            cx.push(
                Diagnostic::error("DS0402", format!("unknown protocol `{other}`"))
                    .at(number_arg.span, "not TCP, UDP or SCTP")
                    .suggest_or(
                        did_you_mean(other, ["tcp", "udp", "sctp"])
                            .map(|p| format!("{number}/{p}"))
                            .as_deref(),
                        format!("write `{number}/udp`, `{number}/sctp`, or `{number}` for TCP"),
                    ),
            );
            return None;
        }
    };
    let Ok(n) = number.parse::<i32>() else {
        let swapped = name_arg.is_none() && names::port_name(number).is_ok();
        let help = if let Some((host, container)) = number.split_once(':') {
            format!("give the container port only: `port {container}`; with `host-network` the host port equals it (`{host}` cannot be mapped)")
        } else if swapped {
            format!("write the name first and then the number: `port {number} 8080`")
        } else {
            "a port is a number from 1 to 65535, with an optional `/udp`".to_string()
        };
        cx.push(
            Diagnostic::error("DS0402", format!("invalid port number `{number}`"))
                .at(number_arg.span, "not a number")
                .help(help),
        );
        return None;
    };
    let at = rel(&["ports"]).index(c.ports.len());
    c.origins.record(at.clone(), s.span);
    if let Some(a) = name_arg {
        c.origins.record(at.field("name"), a.span);
    }
    c.origins.record(at.field("containerPort"), number_arg.span);
    c.origins.record(at.field("protocol"), number_arg.span);
    if let Some((_, span)) = host_port {
        c.origins.record(at.field("hostPort"), span);
    }
    Some(Port {
        name,
        number: n,
        protocol,
        host_port: host_port.map(|(p, _)| p),
    })
}

/// A host port as written, and where.
pub type HostPort = (i32, Span);

/// `port ... host N`: splits the trailing host port, and its span, off the arguments. Its
/// range is a rule of the API server, checked on the compiled object.
pub fn split_host_port<'a>(cx: &mut Cx, s: &'a Statement) -> Option<(&'a [Arg], Option<HostPort>)> {
    let n = s.args.len();
    if n < 3 || s.args[n - 2].as_word() != Some("host") {
        return Some((&s.args, None));
    }
    let arg = &s.args[n - 1];
    let text = arg.as_text().unwrap_or_default();
    match text.parse::<i32>() {
        Ok(p) => Some((&s.args[..n - 2], Some((p, arg.span)))),
        Err(_) => {
            cx.push(
                Diagnostic::error("DS0402", format!("invalid host port `{text}`"))
                    .at(arg.span, "not a number")
                    .help("write `port http 8080 host 80` to publish container port 8080 on port 80 of the node"),
            );
            None
        }
    }
}
