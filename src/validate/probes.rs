//! `validateProbe` (liveness, readiness and startup probes) and `validateLifecycle` (`postStart`
//! and `preStop` handlers) of one container, with `validateHandler` and its actions.
//!
//! Probe timings are read after `SetDefaults_Probe`, which turns a 0 `timeoutSeconds`,
//! `periodSeconds`, `successThreshold` or `failureThreshold` into its default. A named port is
//! checked for its form only, as the server does: it is not looked up in the container's ports.

use serde_json::Value;

use super::field::Node;
use super::findings::Findings;
use super::pod_context::PodContext;
use crate::api::names::port_name;

/// The probes, then the lifecycle handlers, of a container that may have them (a regular
/// container or a sidecar).
pub fn lifecycle_and_probes(container: &Node, ctx: &PodContext, out: &mut Findings) {
    let lifecycle = container.get("lifecycle");
    if lifecycle.is_set() {
        for hook in ["postStart", "preStop"] {
            let handler = lifecycle.get(hook);
            if handler.is_set() {
                validate_handler(
                    &handler,
                    &["exec", "httpGet", "tcpSocket", "sleep"],
                    ctx,
                    out,
                );
            }
        }
    }
    for kind in ["livenessProbe", "readinessProbe", "startupProbe"] {
        let probe = container.get(kind);
        if probe.is_set() {
            validate_probe(&probe, kind, ctx, out);
        }
    }
}

/// validateProbe with validateLivenessProbe, validateReadinessProbe and validateStartupProbe.
fn validate_probe(probe: &Node, kind: &str, ctx: &PodContext, out: &mut Findings) {
    validate_handler(probe, &["exec", "httpGet", "tcpSocket", "grpc"], ctx, out);
    for field in [
        "initialDelaySeconds",
        "timeoutSeconds",
        "periodSeconds",
        "successThreshold",
        "failureThreshold",
    ] {
        let node = probe.get(field);
        if node.int().is_some_and(|n| n < 0) {
            out.invalid(&node, "must be greater than or equal to 0");
        }
    }
    let success = probe.get("successThreshold");
    if kind != "readinessProbe" && success.int().is_some_and(|n| n != 0 && n != 1) {
        out.invalid(&success, "must be 1").help(format!(
            "a {kind} succeeds on its first success: remove the success threshold (or make it 1), or move the check to a readiness probe"
        ));
    }
    let grace = probe.get("terminationGracePeriodSeconds");
    if grace.is_set() {
        if kind == "readinessProbe" {
            out.invalid(&grace, "must not be set for readinessProbes")
                .help("remove `terminationGracePeriodSeconds`: a failing readiness probe does not stop the container");
        } else if grace.int().is_some_and(|n| n <= 0) {
            out.invalid(&grace, "must be greater than 0");
        }
    }
}

/// validateHandler: exactly one of `kinds`, then that action's own rules.
fn validate_handler(handler: &Node, kinds: &[&'static str], ctx: &PodContext, out: &mut Findings) {
    let mut chosen: Option<Node> = None;
    for kind in kinds {
        let action = handler.get(kind);
        if !action.is_set() {
            continue;
        }
        if let Some(first) = &chosen {
            out.forbidden(&action, "may not specify more than 1 handler type")
                .help(format!("keep one handler: remove `{kind}`"))
                .related(&first.path, "first handler");
            continue;
        }
        match *kind {
            "exec" => {
                let command = action.get("command");
                if command.is_empty()
                    && (!command.is_set() || command.value.is_some_and(Value::is_array))
                {
                    out.required(&command, "command is required")
                        .help("set `command`, e.g. `[\"cat\", \"/tmp/healthy\"]`");
                }
            }
            "httpGet" => http_get(&action, out),
            "tcpSocket" => port_num_or_name(&action.get("port"), out),
            "grpc" => {
                let port = action.get("port");
                match port.int() {
                    Some(n) if (1..=65535).contains(&n) => {}
                    Some(_) => {
                        out.invalid(&port, "must be between 1 and 65535, inclusive")
                            .help("set `port` to the gRPC port number, from 1 to 65535");
                    }
                    None if !port.is_set() => {
                        out.invalid(&port, "must be between 1 and 65535, inclusive")
                            .help("set `port` to the gRPC port number");
                    }
                    None => {}
                }
            }
            _ => sleep(&action, ctx, out),
        }
        chosen = Some(action);
    }
    if chosen.is_none() {
        let list = kinds
            .iter()
            .map(|k| format!("`{k}`"))
            .collect::<Vec<_>>()
            .join(", ");
        out.required(handler, "must specify a handler type")
            .help(format!("set one of {list}"));
    }
}

/// validateHTTPGetAction: path (defaulted `/`), port, scheme (defaulted `HTTP`), header names.
fn http_get(action: &Node, out: &mut Findings) {
    port_num_or_name(&action.get("port"), out);
    let scheme = action.get("scheme");
    if let Some(text) = scheme.str() {
        if !text.is_empty() && text != "HTTP" && text != "HTTPS" {
            out.not_supported(&scheme, &["HTTP", "HTTPS"]);
        }
    }
    for header in action.get("httpHeaders").items() {
        let name = header.get("name");
        let Some(text) = name.str().or(if name.is_set() { None } else { Some("") }) else {
            continue;
        };
        if !is_http_header_name(text) {
            // Upstream reports this on `httpHeaders`; the header's name is where it is wrong.
            out.invalid(&name, "a valid HTTP header must consist of alphanumeric characters or '-' (e.g. 'X-Header-Name', regex used for validation is '[-A-Za-z0-9]+')")
                .help("write the header name alone, letters, digits and `-` only, such as `X-Probe`; its value goes in `value`");
        }
    }
}

/// IsHTTPHeaderName: `[-A-Za-z0-9]+`.
fn is_http_header_name(name: &str) -> bool {
    !name.is_empty() && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '-')
}

/// ValidatePortNumOrName: a number 1–65535, or an IANA service name (not looked up).
fn port_num_or_name(port: &Node, out: &mut Findings) {
    match port.value {
        Some(Value::String(name)) => {
            if let Err(problem) = port_name(name) {
                let help = if name.parse::<u32>().is_ok() {
                    format!("write the port as a number, `port: {name}`, not a string")
                } else {
                    "use a port number or the name of one of the container's ports".to_string()
                };
                out.invalid(port, problem).help(help);
            }
        }
        None | Some(Value::Null) => {
            out.invalid(port, "must be between 1 and 65535, inclusive")
                .help("set `port` to a port number or the name of one of the container's ports");
        }
        Some(_) => {
            if let Some(n) = port.int() {
                if !(1..=65535).contains(&n) {
                    out.invalid(port, "must be between 1 and 65535, inclusive").help(
                        "a port is a number from 1 to 65535, or the name of one of the container's ports",
                    );
                }
            }
        }
    }
}

/// validateSleepAction with `PodLifecycleSleepActionAllowZero` (on by default in v1.33): 0 up to
/// the pod's `terminationGracePeriodSeconds`.
fn sleep(action: &Node, ctx: &PodContext, out: &mut Findings) {
    let seconds = action.get("seconds");
    let Some(grace) = ctx.grace_period else {
        return;
    };
    let value = if seconds.is_set() {
        seconds.int()
    } else {
        Some(0)
    };
    if let Some(n) = value {
        if n < 0 || n > grace {
            out.invalid(
                &seconds,
                format!(
                    "must be non-negative and less than terminationGracePeriodSeconds ({grace})"
                ),
            )
            .help(format!(
                "the pod is killed after {grace} s: sleep between 0 and {grace} seconds, or raise the pod's termination grace period"
            ));
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::validate::testing::*;
    use crate::validate::Kind;
    use serde_json::{json, Value};

    fn probe(kind: &str, probe: Value) -> Value {
        with_container(container(json!({ kind: probe })))
    }

    #[test]
    fn exactly_one_handler() {
        let ds = probe("livenessProbe", json!({"periodSeconds": 5}));
        assert_one(&ds, Kind::Required, "containers[0].livenessProbe");
        let ds = probe(
            "livenessProbe",
            json!({"exec": {"command": ["a"]}, "tcpSocket": {"port": 80}}),
        );
        assert_one(
            &ds,
            Kind::Forbidden,
            "containers[0].livenessProbe.tcpSocket",
        );
        let ds = probe("livenessProbe", json!({"exec": {}}));
        assert_one(
            &ds,
            Kind::Required,
            "containers[0].livenessProbe.exec.command",
        );
    }

    #[test]
    fn ports_are_numbers_or_names() {
        let at = "containers[0].readinessProbe.httpGet.port";
        assert_none(&probe(
            "readinessProbe",
            json!({"httpGet": {"port": "http-metrics"}}),
        ));
        assert_none(&probe(
            "readinessProbe",
            json!({"httpGet": {"port": 65535, "path": "/x", "scheme": "HTTPS"}}),
        ));
        assert_one(
            &probe("readinessProbe", json!({"httpGet": {"port": 65536}})),
            Kind::Invalid,
            at,
        );
        assert_one(
            &probe("readinessProbe", json!({"httpGet": {"port": "8080"}})),
            Kind::Invalid,
            at,
        );
        assert_one(
            &probe("readinessProbe", json!({"httpGet": {}})),
            Kind::Invalid,
            at,
        );
        let ds = probe("readinessProbe", json!({"tcpSocket": {"port": 0}}));
        assert_one(
            &ds,
            Kind::Invalid,
            "containers[0].readinessProbe.tcpSocket.port",
        );
        assert_none(&probe("readinessProbe", json!({"grpc": {"port": 9090}})));
        let ds = probe("readinessProbe", json!({"grpc": {"port": 70000}}));
        assert_one(&ds, Kind::Invalid, "containers[0].readinessProbe.grpc.port");
    }

    #[test]
    fn http_get_scheme_and_headers() {
        let ds = probe(
            "livenessProbe",
            json!({"httpGet": {"port": 80, "scheme": "http"}}),
        );
        assert_one(
            &ds,
            Kind::NotSupported,
            "containers[0].livenessProbe.httpGet.scheme",
        );
        let ds = probe(
            "livenessProbe",
            json!({"httpGet": {"port": 80, "httpHeaders": [{"name": "X Y", "value": "1"}]}}),
        );
        assert_one(
            &ds,
            Kind::Invalid,
            "containers[0].livenessProbe.httpGet.httpHeaders[0].name",
        );
    }

    #[test]
    fn probe_numbers() {
        let ds = probe(
            "livenessProbe",
            json!({"exec": {"command": ["a"]}, "initialDelaySeconds": -1}),
        );
        assert_one(
            &ds,
            Kind::Invalid,
            "containers[0].livenessProbe.initialDelaySeconds",
        );
        let ds = probe(
            "startupProbe",
            json!({"exec": {"command": ["a"]}, "successThreshold": 2}),
        );
        assert_one(
            &ds,
            Kind::Invalid,
            "containers[0].startupProbe.successThreshold",
        );
        assert_none(&probe(
            "readinessProbe",
            json!({"exec": {"command": ["a"]}, "successThreshold": 2,
            "initialDelaySeconds": 0}),
        ));
        let ds = probe(
            "readinessProbe",
            json!({"exec": {"command": ["a"]}, "terminationGracePeriodSeconds": 5}),
        );
        assert_one(
            &ds,
            Kind::Invalid,
            "containers[0].readinessProbe.terminationGracePeriodSeconds",
        );
        let ds = probe(
            "livenessProbe",
            json!({"exec": {"command": ["a"]}, "terminationGracePeriodSeconds": 0}),
        );
        assert_one(
            &ds,
            Kind::Invalid,
            "containers[0].livenessProbe.terminationGracePeriodSeconds",
        );
        assert_none(&probe(
            "livenessProbe",
            json!({"exec": {"command": ["a"]}, "terminationGracePeriodSeconds": 1}),
        ));
    }

    #[test]
    fn lifecycle_handlers() {
        let hook = |h: Value| with_container(container(json!({"lifecycle": {"preStop": h}})));
        assert_none(&hook(json!({"sleep": {"seconds": 0}})));
        assert_none(&hook(json!({"sleep": {"seconds": 30}})));
        assert_none(&hook(json!({"tcpSocket": {"port": 80}})));
        assert_one(
            &hook(json!({"sleep": {"seconds": 31}})),
            Kind::Invalid,
            "containers[0].lifecycle.preStop.sleep.seconds",
        );
        assert_one(
            &hook(json!({})),
            Kind::Required,
            "containers[0].lifecycle.preStop",
        );
        let ds = with_pod(|p| {
            p["terminationGracePeriodSeconds"] = json!(60);
            p["containers"][0]["lifecycle"] = json!({"postStart": {"sleep": {"seconds": 45}}});
        });
        assert_none(&ds);
    }
}
