//! The action of a probe or a lifecycle hook: `exec [COMMAND ...]`, `http PORT [PATH]`,
//! `https ...`, `tcp PORT`, `grpc PORT`, `sleep DURATION`, each with its options: the shape of
//! the arguments. The API server's rules on them (port ranges and name formats, header names,
//! sleep within the grace period: rules 122–125, 130) run on the compiled object
//! (`validate::probes`), at the arguments recorded here.

use super::cx::Cx;
use super::options::{pairs, value, Opt, Options};
use crate::api::FieldPath;
use crate::diagnostics::{did_you_mean, Diagnostic};
use crate::model::{Handler, HttpGet, Origins, PortRef};
use crate::source::Span;
use crate::syntax::{Arg, ArgKind, Statement};

/// Where a handler is used: probes check health, hooks run at start and stop.
#[derive(Clone, Copy, PartialEq, Eq)]
pub enum Use {
    Probe,
    Hook,
}

pub(super) const PROBE_METHODS: &[&str] = &["http", "https", "tcp", "grpc", "exec"];
pub(super) const HOOK_METHODS: &[&str] = &["exec", "http", "https", "sleep"];

const HTTP_OPTS: &[Opt] = &[
    value("host", "host HOST"),
    pairs("header", "header NAME=VALUE ..."),
];
const TCP_OPTS: &[Opt] = &[value("host", "host HOST")];
const GRPC_OPTS: &[Opt] = &[value("service", "service NAME")];

/// A checked handler, the options after it, and the port it names, if it names one.
pub struct CheckedHandler<'a> {
    pub handler: Handler,
    pub options: Options<'a>,
    pub port_name: Option<(String, Span)>,
}

/// Reads the handler at the start of `stmt`; `extra` are the options the setting adds (the
/// timings of a probe). Where each field was written is recorded under `at`, the probe's or
/// hook's path in the container.
pub fn check_handler<'a>(
    cx: &mut Cx,
    stmt: &'a Statement,
    used: Use,
    extra: &[Opt],
    at: &FieldPath,
    origins: &mut Origins,
) -> Option<CheckedHandler<'a>> {
    cx.no_block(stmt);
    if !cx.arity(stmt, 2, usize::MAX) {
        return None;
    }
    let kw = stmt.keyword.as_str();
    let method_arg = &stmt.args[0];
    let method = method(cx, kw, method_arg, used)?;
    let target = &stmt.args[1];
    let rest = &stmt.args[2..];
    let with = |own: &[Opt]| -> Vec<Opt> { own.iter().chain(extra).copied().collect() };
    let mut port_name = None;
    let action = at.field(match method {
        "exec" => "exec",
        "sleep" => "sleep",
        "tcp" => "tcpSocket",
        "grpc" => "grpc",
        _ => "httpGet",
    });
    origins.record(action.clone(), method_arg.span);
    let (handler, options) = match method {
        "exec" => {
            origins.record(action.field("command"), target.span);
            let command = command(cx, target, rest, extra)?;
            (Handler::Exec(command), cx.options(kw, rest, extra))
        }
        "sleep" => {
            let seconds = cx.seconds(target, "the sleep")?;
            origins.record(action.field("seconds"), target.span);
            // The v1.33 API server takes 0 (gate PodLifecycleSleepActionAllowZero, beta, on);
            // older servers do not, and it waits for nothing: a lint, not an error.
            if seconds == 0 {
                cx.push(
                    Diagnostic::warning("DS0907", "a sleep hook of 0 s waits for nothing")
                        .at(target.span, "zero")
                        .help("write a duration such as `sleep 5s`, remove the hook, or `allow zero-sleep` (clusters before 1.33 refuse it)"),
                );
            }
            (Handler::Sleep(seconds), cx.options(kw, rest, &[]))
        }
        // `http /healthz`: no port, so the container's only port (resolved with the ports).
        "http" | "https" if target.as_text().is_some_and(|t| t.starts_with('/')) => {
            port_name = Some((String::new(), target.span));
            let path = target.as_text().unwrap_or_default();
            let options = cx.options(kw, rest, &with(HTTP_OPTS));
            let host = text_option(cx, &options, "host")?;
            let headers = headers(&options, &action, origins);
            let get = HttpGet {
                path,
                port: PortRef::Name(String::new()),
                https: method == "https",
                host,
                headers,
            };
            (Handler::Http(get), options)
        }
        _ => {
            let port = port_ref(cx, target, method == "grpc")?;
            origins.record(action.field("port"), target.span);
            if let PortRef::Name(n) = &port {
                port_name = Some((n.clone(), target.span));
            }
            match method {
                "tcp" => {
                    let options = cx.options(kw, rest, &with(TCP_OPTS));
                    let host = text_option(cx, &options, "host")?;
                    (Handler::Tcp { port, host }, options)
                }
                "grpc" => {
                    let options = cx.options(kw, rest, &with(GRPC_OPTS));
                    let service = text_option(cx, &options, "service")?;
                    let PortRef::Number(port) = port else {
                        return None;
                    };
                    (Handler::Grpc { port, service }, options)
                }
                _ => {
                    let (path, rest) = match rest.first().map(|a| (a, a.as_text())) {
                        Some((_, Some(t))) if t.starts_with('/') => (t, &rest[1..]),
                        _ => ("/".to_string(), rest),
                    };
                    let known = with(HTTP_OPTS);
                    if let Some(a) = rest.first() {
                        let text = a.as_word().unwrap_or_default();
                        // A misspelled option (`peroid 5s`) is reported as one, not as a path.
                        let is_option = known.iter().any(|o| o.name == text)
                            || did_you_mean(text, known.iter().map(|o| o.name)).is_some();
                        if !text.is_empty() && !is_option && path == "/" && !text.contains('=') {
                            cx.push(
                                Diagnostic::error("DS0202", "an HTTP path starts with `/`")
                                    .at(a.span, "expected a path or an option")
                                    .help(format!("write `/{text}`"))
                                    .fix(a.span, format!("/{text}")),
                            );
                            return None;
                        }
                    }
                    let options = cx.options(kw, rest, &known);
                    let host = text_option(cx, &options, "host")?;
                    let headers = headers(&options, &action, origins);
                    let get = HttpGet {
                        path,
                        port,
                        https: method == "https",
                        host,
                        headers,
                    };
                    (Handler::Http(get), options)
                }
            }
        }
    };
    Some(CheckedHandler {
        handler,
        options,
        port_name,
    })
}

fn method(cx: &mut Cx, kw: &str, arg: &Arg, used: Use) -> Option<&'static str> {
    let text = arg.as_text().unwrap_or_default();
    let (allowed, other) = match used {
        Use::Probe => (PROBE_METHODS, HOOK_METHODS),
        Use::Hook => (HOOK_METHODS, PROBE_METHODS),
    };
    if let Some(m) = allowed.iter().find(|m| **m == text) {
        return Some(m);
    }
    // The API server still takes `tcpSocket` in a hook (`validateLifecycleHandler`), which the
    // kubelet does not run.
    if used == Use::Hook && text == "tcp" {
        cx.push(
            Diagnostic::warning("DS0919", format!("a `{kw} tcp` hook does nothing"))
                .at(arg.span, "the kubelet does not run TCP hooks")
                .help("use `exec`, `http` or `sleep`, remove the hook, or `allow tcp-hook`"),
        );
        return Some("tcp");
    }
    let list = allowed.join(", ");
    let d = if other.contains(&text.as_str()) {
        Diagnostic::error("DS0407", format!("`{kw}` cannot use `{text}`"))
            .at(arg.span, format!("not a way to run `{kw}`"))
            .help(format!("`{kw}` takes one of: {list}"))
    } else {
        let d = Diagnostic::error("DS0407", format!("unknown `{kw}` method `{text}`"))
            .at(arg.span, "not a method");
        match did_you_mean(&text, allowed.iter().copied()) {
            Some(m) => d.suggest(m),
            None => d.help(format!("`{kw}` takes one of: {list}")),
        }
    };
    cx.push(d);
    None
}

/// `[PROGRAM ARG ...]`, or one program without arguments.
fn command(cx: &mut Cx, target: &Arg, rest: &[Arg], extra: &[Opt]) -> Option<Vec<String>> {
    if let ArgKind::List(items) = &target.kind {
        let words: Vec<String> = items.iter().filter_map(Arg::as_text).collect();
        if words.is_empty() || words.len() != items.len() {
            cx.push(
                Diagnostic::error("DS0202", "the command must be a list of words")
                    .at(target.span, "empty, or holds a list")
                    .help("write `exec [cat, /tmp/healthy]`"),
            );
            return None;
        }
        return Some(words);
    }
    let program = cx.scalar(target, "a command")?;
    let args: Vec<String> = rest
        .iter()
        .take_while(|a| {
            !a.as_word()
                .is_some_and(|w| extra.iter().any(|o| o.name == w))
        })
        .filter_map(Arg::as_text)
        .collect();
    if let (false, Some(last)) = (args.is_empty(), rest.get(args.len().saturating_sub(1))) {
        let all = std::iter::once(program).chain(args).collect::<Vec<_>>();
        cx.push(
            Diagnostic::error("DS0202", "a command with arguments is written as a list")
                .at(target.span.to(last.span), "program and arguments")
                .help(format!("write `exec [{}]`", all.join(", "))),
        );
        return None;
    }
    Some(vec![program])
}

/// A port number or the name of a declared port; gRPC takes numbers only. The number's range and
/// the name's form are rules of the API server, checked on the compiled object.
fn port_ref(cx: &mut Cx, arg: &Arg, number_only: bool) -> Option<PortRef> {
    let text = cx.scalar(arg, "a port")?;
    if text.starts_with(|c: char| c.is_ascii_digit() || c == '-') {
        return match text.parse::<i32>() {
            Ok(n) => Some(PortRef::Number(n)),
            Err(_) => {
                cx.push(
                    Diagnostic::error("DS0402", format!("invalid port number `{text}`"))
                        .at(arg.span, "not a number")
                        .help("a port is a number from 1 to 65535, or the name of a `port` of this container"),
                );
                None
            }
        };
    }
    if number_only {
        cx.push(
            Diagnostic::error(
                "DS0402",
                format!("a gRPC check takes a port number, not `{text}`"),
            )
            .at(arg.span, "a name")
            .help("write the number of the port, such as `grpc 9090`"),
        );
        return None;
    }
    Some(PortRef::Name(text))
}

fn text_option(cx: &mut Cx, options: &Options, name: &str) -> Option<Option<String>> {
    match options.value(name) {
        Some(a) => Some(Some(cx.scalar(a, "a value")?)),
        None => Some(None),
    }
}

/// `header NAME=VALUE ...`; the names' form (`[-A-Za-z0-9]+`, rule 124) is checked on the
/// compiled object, at the names recorded here.
fn headers(options: &Options, action: &FieldPath, origins: &mut Origins) -> Vec<(String, String)> {
    let mut out = Vec::new();
    for (key, key_span, value) in options.pairs("header") {
        let at = action.field("httpHeaders").index(out.len());
        origins.record(at.clone(), key_span.to(value.span));
        origins.record(at.field("name"), key_span);
        origins.record(at.field("value"), value.span);
        out.push((key.to_string(), value.as_text().unwrap_or_default()));
    }
    out
}
