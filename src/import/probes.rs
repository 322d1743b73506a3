//! Probes and lifecycle hooks of a canonical container → one line each: `liveness`,
//! `readiness`, `startup`, `post-start`, `pre-stop`, with the method, its target and only the
//! timings that differ from what the compiler writes by default (1 s delay, 1 s timeout, 10 s
//! period, thresholds 1 and 3). The canonical form has no delay when it is 0, so such a probe
//! says `delay 0s`.

use serde_json::Value as Json;

use super::values::{duration, int_at, is_pair_key, pair, str_at, strings, text};
use crate::model::{
    DEFAULT_DELAY, DEFAULT_FAILURE, DEFAULT_PERIOD, DEFAULT_SUCCESS, DEFAULT_TIMEOUT,
};
use crate::print::{Node, Value};

/// The probe and hook lines of a container.
pub fn statements(c: &Json, out: &mut Vec<Node>) {
    let only_port = only_port(c);
    for (field, keyword) in [
        ("livenessProbe", "liveness"),
        ("readinessProbe", "readiness"),
        ("startupProbe", "startup"),
    ] {
        if let Some(args) = c.get(field).and_then(probe) {
            out.push(Node::new(keyword, implied_port(args, only_port.as_ref())));
        }
    }
    for (field, keyword) in [("postStart", "post-start"), ("preStop", "pre-stop")] {
        if let Some(args) = c["lifecycle"].get(field).and_then(hook) {
            out.push(Node::new(keyword, implied_port(args, only_port.as_ref())));
        }
    }
}

/// How an HTTP check names the container's only port, when it has exactly one: the checker
/// fills that port in when `http` is followed directly by a path.
fn only_port(c: &Json) -> Option<Value> {
    let [only] = c["ports"].as_array()?.as_slice() else {
        return None;
    };
    match only.get("name") {
        Some(name) => port(name),
        None => port(only.get("containerPort")?),
    }
}

/// `http PORT /path` → `http /path` when PORT is the container's only port.
fn implied_port(mut args: Vec<Value>, only: Option<&Value>) -> Vec<Value> {
    let is_http = matches!(args.first(), Some(Value::Word(w)) if w == "http" || w == "https");
    let has_path = matches!(args.get(2), Some(Value::Word(p) | Value::Str { value: p, .. }) if p.starts_with('/'));
    if is_http && has_path && only.is_some() && args.get(1) == only {
        args.remove(1);
    }
    args
}

/// A probe's line; fields it does not hold (`terminationGracePeriodSeconds`) are added by the
/// round trip in the container's override, which merges into the probe.
fn probe(p: &Json) -> Option<Vec<Value>> {
    let mut args = handler(p, false)?;
    // Headers go last: pairs at the end of a line are written without spaces.
    let headers = match args.iter().position(|a| *a == Value::word("header")) {
        Some(at) => args.split_off(at),
        None => Vec::new(),
    };
    let delay = int_at(p, "initialDelaySeconds").unwrap_or(0);
    if delay != i64::from(DEFAULT_DELAY) {
        args.extend([Value::word("delay"), duration(delay)]);
    }
    for (field, option, default) in [
        ("timeoutSeconds", "timeout", DEFAULT_TIMEOUT),
        ("periodSeconds", "period", DEFAULT_PERIOD),
    ] {
        match int_at(p, field) {
            Some(v) if v != i64::from(default) => args.extend([Value::word(option), duration(v)]),
            _ => {}
        }
    }
    for (field, option, default) in [
        ("successThreshold", "success", DEFAULT_SUCCESS),
        ("failureThreshold", "failure", DEFAULT_FAILURE),
    ] {
        match int_at(p, field) {
            Some(v) if v != i64::from(default) => {
                args.extend([Value::word(option), text(&v.to_string())])
            }
            _ => {}
        }
    }
    args.extend(headers);
    Some(args)
}

fn hook(h: &Json) -> Option<Vec<Value>> {
    if let Some(seconds) = int_at(&h["sleep"], "seconds") {
        return (h.as_object()?.len() == 1).then(|| vec![Value::word("sleep"), duration(seconds)]);
    }
    handler(h, true)
}

/// `exec [...]`, `http[s] PORT [PATH] [host H] [header K=V ...]`, `tcp PORT [host H]`,
/// `grpc PORT [service S]`. gRPC is for probes only; a TCP hook is a statement with a warning.
fn handler(h: &Json, hook: bool) -> Option<Vec<Value>> {
    if let Some(exec) = h.get("exec") {
        let command = strings(&exec["command"])?;
        let target = match command.as_slice() {
            [] => return None,
            [program] if !program.contains('\n') => text(program),
            _ => Value::list(command.iter().map(|s| text(s)).collect()),
        };
        return Some(vec![Value::word("exec"), target]);
    }
    if let Some(get) = h.get("httpGet") {
        let https = match str_at(get, "scheme") {
            Some("HTTPS") => true,
            Some("HTTP") | None => false,
            _ => return None,
        };
        let mut args = vec![
            Value::word(if https { "https" } else { "http" }),
            port(&get["port"])?,
        ];
        match str_at(get, "path") {
            Some("/") | None => {}
            Some(path) if path.starts_with('/') => args.push(text(path)),
            Some(_) => return None,
        }
        if let Some(host) = str_at(get, "host") {
            args.extend([Value::word("host"), text(host)]);
        }
        let headers = get["httpHeaders"].as_array().map_or(&[][..], Vec::as_slice);
        if !headers.is_empty() {
            args.push(Value::word("header"));
            for header in headers {
                let name = str_at(header, "name")?;
                if !is_pair_key(name) {
                    return None;
                }
                args.push(pair(name, str_at(header, "value").unwrap_or("")));
            }
        }
        return Some(args);
    }
    // In a hook too: the API server takes it there (the lint `tcp-hook`).
    if let Some(tcp) = h.get("tcpSocket") {
        let mut args = vec![Value::word("tcp"), port(&tcp["port"])?];
        if let Some(host) = str_at(tcp, "host") {
            args.extend([Value::word("host"), text(host)]);
        }
        return Some(args);
    }
    if hook {
        return None;
    }
    let grpc = h.get("grpc")?;
    let mut args = vec![
        Value::word("grpc"),
        text(&int_at(grpc, "port")?.to_string()),
    ];
    if let Some(service) = str_at(grpc, "service") {
        args.extend([Value::word("service"), text(service)]);
    }
    Some(args)
}

/// A port by number or by name.
fn port(p: &Json) -> Option<Value> {
    match p {
        Json::Number(n) => Some(text(&n.to_string())),
        Json::String(s) if s.chars().all(|c| c.is_ascii_digit()) => None,
        Json::String(s) => Some(text(s)),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::print::{body_to_source, Body};
    use serde_json::json;

    fn printed(c: Json) -> String {
        let mut out = Vec::new();
        statements(&c, &mut out);
        body_to_source(&Body::of(out))
    }

    #[test]
    fn only_timings_other_than_the_compilers_are_written() {
        let c = json!({
            "livenessProbe": {"httpGet": {"path": "/", "port": 8080, "scheme": "HTTP"},
                "initialDelaySeconds": 1, "timeoutSeconds": 1, "periodSeconds": 10,
                "successThreshold": 1, "failureThreshold": 3},
            "readinessProbe": {"tcpSocket": {"port": "http"}, "periodSeconds": 300},
            "lifecycle": {"preStop": {"sleep": {"seconds": 5}}}
        });
        assert_eq!(
            printed(c),
            "liveness http 8080\nreadiness tcp http delay 0s period 5m\npre-stop sleep 5s\n"
        );
    }

    #[test]
    fn what_a_handler_cannot_say_is_left_out() {
        let c = json!({
            "livenessProbe": {"httpGet": {"path": "healthz", "port": 80}},
            "lifecycle": {"postStart": {"grpc": {"port": 80}}}
        });
        assert_eq!(printed(c), "");
    }

    #[test]
    fn a_tcp_hook_is_a_statement() {
        let c = json!({"lifecycle": {"postStart": {"tcpSocket": {"port": 80}}}});
        assert_eq!(printed(c), "post-start tcp 80\n");
    }
}
