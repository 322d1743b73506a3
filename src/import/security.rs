//! Security contexts of a canonical pod spec or container → `user`, `group`, `fs-group`,
//! `supplemental-groups`, `run-as-non-root`, `seccomp`, `apparmor`, `selinux` and, in a
//! container, `caps`, `read-only-root` and the privilege-escalation keywords.
//! Fields without a keyword (`privileged: false`, `procMount`, `windowsOptions`, ...) are left
//! to the round trip, which writes them in an override.

use serde_json::Value as Json;

use super::values::{int_at, pair, str_at, strings, text, word_list};
use crate::print::{Node, Value};

/// The pod-level statements of `securityContext`.
pub fn pod_statements(ctx: &Json, out: &mut Vec<Node>) {
    common(ctx, out);
    if let Some(list) = ctx["sysctls"].as_array() {
        let pairs: Option<Vec<Value>> = list
            .iter()
            .map(|s| {
                let (name, value) = (str_at(s, "name")?, str_at(s, "value")?);
                let plain = s.as_object().is_some_and(|m| m.len() == 2);
                (plain && super::values::is_pair_key(name))
                    .then(|| super::values::pair(name, value))
            })
            .collect();
        if let Some(pairs) = pairs.filter(|p| !p.is_empty()) {
            out.push(Node::new("sysctl", pairs));
        }
    }
    if let Some(g) = int_at(ctx, "fsGroup") {
        out.push(Node::new("fs-group", vec![text(&g.to_string())]));
    }
    if let Some(groups) = ctx["supplementalGroups"].as_array() {
        let ids: Vec<Value> = groups
            .iter()
            .filter_map(Json::as_i64)
            .map(|g| text(&g.to_string()))
            .collect();
        if !ids.is_empty() && ids.len() == groups.len() {
            out.push(Node::new("supplemental-groups", ids));
        }
    }
}

/// The container-level statements of `securityContext` (`privileged` is the container's).
pub fn container_statements(ctx: &Json, out: &mut Vec<Node>) {
    common(ctx, out);
    if let Some(caps) = capabilities(&ctx["capabilities"]) {
        out.push(caps);
    }
    if ctx["readOnlyRootFilesystem"] == Json::Bool(true) {
        out.push(Node::new("read-only-root", Vec::new()));
    }
    match ctx["allowPrivilegeEscalation"].as_bool() {
        Some(false) => out.push(Node::new("no-privilege-escalation", Vec::new())),
        Some(true) => out.push(Node::new(
            "allow-privilege-escalation",
            vec![Value::word("true")],
        )),
        None => {}
    }
}

/// The settings both levels share.
fn common(ctx: &Json, out: &mut Vec<Node>) {
    for (field, keyword) in [("runAsUser", "user"), ("runAsGroup", "group")] {
        if let Some(id) = int_at(ctx, field) {
            out.push(Node::new(keyword, vec![text(&id.to_string())]));
        }
    }
    match ctx["runAsNonRoot"].as_bool() {
        Some(true) => out.push(Node::new("run-as-non-root", Vec::new())),
        Some(false) => out.push(Node::new("run-as-non-root", vec![Value::word("false")])),
        None => {}
    }
    for (field, keyword) in [
        ("seccompProfile", "seccomp"),
        ("appArmorProfile", "apparmor"),
    ] {
        if let Some(args) = profile(&ctx[field]) {
            out.push(Node::new(keyword, args));
        }
    }
    if let Some(node) = selinux(&ctx["seLinuxOptions"]) {
        out.push(node);
    }
}

/// `runtime-default`, `unconfined` or `localhost PROFILE`.
fn profile(p: &Json) -> Option<Vec<Value>> {
    let kind = match str_at(p, "type")? {
        "RuntimeDefault" => "runtime-default",
        "Unconfined" => "unconfined",
        "Localhost" => "localhost",
        _ => return None,
    };
    let mut args = vec![Value::word(kind)];
    match (kind, str_at(p, "localhostProfile")) {
        ("localhost", Some(path)) => args.push(text(path)),
        ("localhost", None) | (_, Some(_)) => return None,
        _ => {}
    }
    Some(args)
}

/// `selinux type=T level=L user=U role=R`.
fn selinux(options: &Json) -> Option<Node> {
    let map = options.as_object()?;
    let mut args = Vec::new();
    for (field, key) in [
        ("type", "type"),
        ("level", "level"),
        ("user", "user"),
        ("role", "role"),
    ] {
        if let Some(v) = map.get(field).and_then(Json::as_str) {
            args.push(pair(key, v));
        }
    }
    (!args.is_empty()).then(|| Node::new("selinux", args))
}

/// `caps add [A, B] drop [C]`, when every name is written the way the compiler writes it (upper
/// case, without `CAP_`); other spellings are left to the round trip.
fn capabilities(caps: &Json) -> Option<Node> {
    let mut args = Vec::new();
    for field in ["add", "drop"] {
        let Some(list) = caps.get(field) else {
            continue;
        };
        let names = strings(list)?;
        let canonical = |n: &String| {
            !n.starts_with("CAP_")
                && !n.is_empty()
                && n.chars()
                    .all(|c| c.is_ascii_uppercase() || c.is_ascii_digit() || c == '_')
        };
        if names.is_empty() || !names.iter().all(canonical) {
            return None;
        }
        args.push(Value::word(field));
        args.push(word_list(&names));
    }
    (!args.is_empty()).then(|| Node::new("caps", args))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::print::{body_to_source, Body};
    use serde_json::json;

    fn printed(nodes: Vec<Node>) -> String {
        body_to_source(&Body::of(nodes))
    }

    #[test]
    fn pod_context_becomes_one_line_per_setting() {
        let mut out = Vec::new();
        pod_statements(
            &json!({"runAsUser": 65534, "runAsGroup": 65534, "runAsNonRoot": true,
                "fsGroup": 2000, "supplementalGroups": [1, 2],
                "seccompProfile": {"type": "RuntimeDefault"},
                "seLinuxOptions": {"type": "spc_t", "level": "s0:c1,c2"}}),
            &mut out,
        );
        assert_eq!(
            printed(out),
            "user 65534\ngroup 65534\nrun-as-non-root\nseccomp runtime-default\n\
             selinux type=spc_t level=s0:c1,c2\nfs-group 2000\nsupplemental-groups 1 2\n"
        );
    }

    #[test]
    fn container_context_with_capabilities_and_escalation() {
        let mut out = Vec::new();
        container_statements(
            &json!({"capabilities": {"add": ["NET_ADMIN"], "drop": ["ALL"]},
                "readOnlyRootFilesystem": true, "allowPrivilegeEscalation": false,
                "runAsNonRoot": false,
                "appArmorProfile": {"type": "Localhost", "localhostProfile": "agent"}}),
            &mut out,
        );
        assert_eq!(
            printed(out),
            "run-as-non-root false\napparmor localhost agent\ncaps add [NET_ADMIN] drop [ALL]\n\
             read-only-root\nno-privilege-escalation\n"
        );
    }

    #[test]
    fn spellings_the_compiler_would_change_are_left_out() {
        let mut out = Vec::new();
        container_statements(
            &json!({"capabilities": {"drop": ["all"]}, "privileged": false,
                "allowPrivilegeEscalation": true}),
            &mut out,
        );
        assert_eq!(printed(out), "allow-privilege-escalation true\n");
        assert!(capabilities(&json!({"add": ["CAP_NET_ADMIN"]})).is_none());
        assert!(profile(&json!({"type": "Localhost"})).is_none());
    }
}
