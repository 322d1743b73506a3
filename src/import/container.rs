//! One canonical container → its `container NAME { ... }` or `init NAME { ... }` block: image
//! and pull policy (nothing when it is the image's default), command and args, resources and
//! devices, ports (no `host` under host networking), env and env-from, mounts, probes and hooks,
//! the security context and the remaining container settings.

use serde_json::Value as Json;

use super::storage::{mount_statements, Plan};
use super::values::{is_pair_key, object, pair, str_at, text};
use super::{probes, security};
use crate::check::image::{parse_image, relaxed_image, unparsed_image};
use crate::model::PullPolicy;
use crate::print::{Node, Value};

/// Statements whose values would make a line longer than this are written as a list, which the
/// printer lays out one item per line.
const LINE_WIDTH: usize = 100;

/// Stands for an image value that is not a reference (RFC 2606 reserves `.invalid`).
const PLACEHOLDER: &str = "placeholder.invalid";

/// The block of one container; `keyword` is `container` or `init`.
pub fn container(
    c: &Json,
    keyword: &str,
    host_network: bool,
    plan: &Plan,
    gpu_type: &Option<String>,
) -> Node {
    let name = str_at(c, "name").unwrap_or_default();
    let mut out = Vec::new();
    image(c, &mut out);
    for field in ["command", "args"] {
        if let Some(items) = super::values::strings(&c[field]).filter(|i| !i.is_empty()) {
            out.push(words(field, &items));
        }
    }
    resources(&c["resources"], gpu_type, &mut out);
    if c["securityContext"]["privileged"] == Json::Bool(true) {
        out.push(Node::new("privileged", Vec::new()));
    }
    for p in c["ports"].as_array().into_iter().flatten() {
        out.extend(port(p, host_network));
    }
    for e in c["env"].as_array().into_iter().flatten() {
        out.extend(env(e));
    }
    for e in c["envFrom"].as_array().into_iter().flatten() {
        out.extend(env_from(e));
    }
    out.extend(mount_statements(c, plan));
    probes::statements(c, &mut out);
    let mut ctx = c["securityContext"].clone();
    if let Some(map) = ctx.as_object_mut() {
        map.shift_remove("privileged");
    }
    security::container_statements(&ctx, &mut out);
    settings(c, keyword, &mut out);
    Node::new(keyword, vec![text(name)]).with_block(out)
}

/// `image REF`, and `pull POLICY` when the policy is not the one the image implies. A value
/// that is not an image reference (a template's `<IMAGE>`) is written as it is (the lint
/// `image-reference`); one the API server refuses (spaces around it) is replaced by a reference
/// under the reserved `.invalid` domain, and the round trip writes the real value in the override.
fn image(c: &Json, out: &mut Vec<Node>) {
    let Some(given) = str_at(c, "image") else {
        return;
    };
    let placeholder = format!("{PLACEHOLDER}/{}", str_at(c, "name").unwrap_or("image"));
    let (image, parsed, comment) = match parse_image(given) {
        Ok(parsed) => (given, Ok(parsed), None),
        // Not a reference, but the API server takes it: the statement keeps it, with a warning.
        Err(_) if relaxed_image(given).is_ok() => (given, Ok(unparsed_image(given)), None),
        Err(_) => (
            placeholder.as_str(),
            parse_image(&placeholder),
            Some("# placeholder: the override holds the image"),
        ),
    };
    out.push(Node {
        trailing: comment.map(str::to_string),
        ..Node::new("image", vec![text(image)])
    });
    let implied = parsed.map_or(PullPolicy::IfNotPresent, |i| i.default_pull_policy());
    let word = match str_at(c, "imagePullPolicy") {
        Some(p) if p == implied.as_str() => return,
        Some("Always") => "always",
        Some("IfNotPresent") => "if-not-present",
        Some("Never") => "never",
        _ => return,
    };
    out.push(Node::new("pull", vec![Value::word(word)]));
}

/// `command a b c`, or `command [ ... ]` when the values would not fit on one line.
fn words(keyword: &str, items: &[String]) -> Node {
    let width = 4 + keyword.len() + items.iter().map(|i| i.len() + 3).sum::<usize>();
    let values: Vec<Value> = items.iter().map(|i| text(i)).collect();
    let multiline = items.iter().any(|i| i.contains('\n'));
    if width > LINE_WIDTH && items.len() > 1 && !multiline {
        Node::new(keyword, vec![Value::list(values)])
    } else {
        Node::new(keyword, values)
    }
}

/// `cpu`, `memory`, `gpu`, `mgpu`, `rdma` and `resource` lines.
fn resources(r: &Json, gpu_type: &Option<String>, out: &mut Vec<Node>) {
    let requests = object(r, "requests");
    let limits = object(r, "limits");
    let mut names: Vec<&String> = requests.keys().chain(limits.keys()).collect();
    names.sort_by_key(|n| (!matches!(n.as_str(), "cpu" | "memory"), n.as_str()));
    names.dedup();
    let q = |m: &serde_json::Map<String, Json>, n: &str| {
        m.get(n).and_then(Json::as_str).map(str::to_string)
    };
    let typed = |mut args: Vec<Value>| {
        if let Some(card) = gpu_type {
            args.push(Value::word("type"));
            args.push(text(card));
        }
        args
    };
    let mgpu_memory = "vke.volcengine.com/mgpu-memory";
    let mgpu_core = "vke.volcengine.com/mgpu-core";
    let mgpu_ok = q(requests, mgpu_core).is_some()
        && q(requests, mgpu_core) == q(limits, mgpu_core)
        && q(requests, mgpu_memory) == q(limits, mgpu_memory);
    for name in names {
        let (request, limit) = (q(requests, name), q(limits, name));
        let count = limit.clone().filter(|t| t.parse::<u32>().is_ok());
        let node = match name.as_str() {
            "nvidia.com/gpu" | "vke.volcengine.com/rdma"
                if request.is_none() && count.is_some() =>
            {
                let count = text(&count.unwrap_or_default());
                if name == "nvidia.com/gpu" {
                    Node::new("gpu", typed(vec![count]))
                } else {
                    Node::new("rdma", vec![count])
                }
            }
            n if n == mgpu_core && mgpu_ok => {
                let mut args = vec![Value::word("core"), text(&request.unwrap_or_default())];
                if let Some(m) = q(requests, mgpu_memory) {
                    args.extend([Value::word("memory"), text(&m)]);
                }
                Node::new("mgpu", typed(args))
            }
            n if n == mgpu_memory && mgpu_ok => continue,
            "cpu" | "memory" => Node::new(name.as_str(), vec![range(request, limit)]),
            _ => Node::new("resource", vec![text(name), range(request, limit)]),
        };
        out.push(node);
    }
}

/// `100m`, `100m..500m` or `..500m`.
fn range(low: Option<String>, high: Option<String>) -> Value {
    match (low, high) {
        (Some(low), None) => Value::Number(low.into()),
        (low, high) => Value::Range { low, high },
    }
}

/// `port [NAME] NUMBER[/udp] [host N]`; the host port is the compiler's under host networking.
fn port(p: &Json, host_network: bool) -> Option<Node> {
    let number = p["containerPort"].as_i64()?;
    let mut args = Vec::new();
    if let Some(name) = str_at(p, "name") {
        args.push(text(name));
    }
    let spelled = match str_at(p, "protocol") {
        Some("UDP") => format!("{number}/udp"),
        Some("SCTP") => format!("{number}/sctp"),
        _ => number.to_string(),
    };
    args.push(text(&spelled));
    if let (Some(host), false) = (p["hostPort"].as_i64(), host_network) {
        args.push(Value::word("host"));
        args.push(text(&host.to_string()));
    }
    Some(Node::new("port", args))
}

/// `env NAME=VALUE` or `env NAME = field|resource|configmap|secret ...`; `None` for a form the
/// language cannot write (left to the round trip).
fn env(e: &Json) -> Option<Node> {
    let name = str_at(e, "name")?;
    if !is_pair_key(name) {
        return None;
    }
    let Some(from) = e.get("valueFrom") else {
        return Some(Node::new(
            "env",
            vec![pair(name, str_at(e, "value").unwrap_or(""))],
        ));
    };
    let head = |word: &str| Value::pair(name, Value::word(word));
    let optional = |r: &Json, args: &mut Vec<Value>| match r.get("optional").and_then(Json::as_bool)
    {
        Some(true) => {
            args.push(Value::word("optional"));
            true
        }
        Some(false) => false,
        None => true,
    };
    let (field, r) = from.as_object()?.iter().next()?;
    let mut args = match field.as_str() {
        "fieldRef" if object(from, "fieldRef").len() == 1 => {
            vec![head("field"), text(str_at(r, "fieldPath")?)]
        }
        "resourceFieldRef" => {
            let mut args = vec![head("resource"), text(str_at(r, "resource")?)];
            if let Some(d) = str_at(r, "divisor") {
                args.extend([Value::word("divisor"), text(d)]);
            }
            if let Some(c) = str_at(r, "containerName") {
                args.extend([Value::word("container"), text(c)]);
            }
            args
        }
        "configMapKeyRef" | "secretKeyRef" => {
            let kind = if field == "secretKeyRef" {
                "secret"
            } else {
                "configmap"
            };
            let reference = format!("{}/{}", str_at(r, "name")?, str_at(r, "key")?);
            vec![head(kind), text(&reference)]
        }
        _ => return None,
    };
    if matches!(field.as_str(), "configMapKeyRef" | "secretKeyRef") && !optional(r, &mut args) {
        return None;
    }
    Some(Node::new("env", args))
}

/// `env-from configmap|secret NAME [prefix P] [optional]`.
fn env_from(e: &Json) -> Option<Node> {
    let (kind, r) = match (e.get("configMapRef"), e.get("secretRef")) {
        (Some(r), None) => ("configmap", r),
        (None, Some(r)) => ("secret", r),
        _ => return None,
    };
    let mut args = vec![Value::word(kind), text(str_at(r, "name")?)];
    if let Some(p) = str_at(e, "prefix") {
        args.extend([Value::word("prefix"), text(p)]);
    }
    match r.get("optional").and_then(Json::as_bool) {
        Some(true) => args.push(Value::word("optional")),
        Some(false) => return None,
        None => {}
    }
    Some(Node::new("env-from", args))
}

/// `workdir`, `termination-message` and `sidecar`.
fn settings(c: &Json, keyword: &str, out: &mut Vec<Node>) {
    if let Some(dir) = str_at(c, "workingDir") {
        out.push(Node::new("workdir", vec![text(dir)]));
    }
    let policy = str_at(c, "terminationMessagePolicy");
    let path = str_at(c, "terminationMessagePath");
    if policy.is_some() || path.is_some() {
        let mut args = vec![Value::word(match policy {
            Some("FallbackToLogsOnError") => "fallback-to-logs",
            _ => "file",
        })];
        if let Some(p) = path {
            args.extend([Value::word("path"), text(p)]);
        }
        out.push(Node::new("termination-message", args));
    }
    if keyword == "init" && str_at(c, "restartPolicy") == Some("Always") {
        out.push(Node::new("sidecar", Vec::new()));
    }
    for (field, flag) in [
        ("stdin", "stdin"),
        ("stdinOnce", "stdin-once"),
        ("tty", "tty"),
    ] {
        if c[field] == Json::Bool(true) {
            out.push(Node::new(flag, Vec::new()));
        }
    }
    // Written as the API spells it; a name the language refuses is left to the override.
    if let Some(signal) = c["lifecycle"]["stopSignal"].as_str() {
        if signal.starts_with("SIG")
            && signal
                .bytes()
                .all(|b| b.is_ascii_uppercase() || b.is_ascii_digit() || b == b'+' || b == b'-')
        {
            out.push(Node::new("stop-signal", vec![text(signal)]));
        }
    }
}
