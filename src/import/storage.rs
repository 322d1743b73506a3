//! Volumes and mounts of a canonical pod spec → `volume` statements, `mount` lines and
//! `timezone host`. A volume is written inline in its mounts (`mount /var/log`) when the
//! compiler would give it the same name and the same place in the list; otherwise it is declared
//! once and mounted by name; a source without a keyword is declared with its YAML
//! (`volume NAME override """..."""`).

use std::collections::HashMap;

use serde_json::Value as Json;

use super::values::{is_true, str_at, text};
use super::volumes::Source;
use crate::check::paths::{derived_name, unique_name};
use crate::check::storage::{LOCALTIME, TIMEZONE_VOLUME};
use crate::print::{Node, Value};

/// How the volumes of a pod are written.
#[derive(Clone, Debug, Default)]
pub struct Plan {
    /// The pod's time-zone volume and mounts are those of `timezone host`.
    pub timezone: bool,
    /// `volume NAME ...` statements, in the pod's order.
    pub declared: Vec<Node>,
    /// Volumes written in their mounts, by name: their source.
    pub inline: HashMap<String, Source>,
}

/// The containers of a pod in the order the import writes them: init containers first.
fn containers(pod: &Json) -> impl Iterator<Item = &Json> {
    ["initContainers", "containers"]
        .into_iter()
        .flat_map(move |list| pod[list].as_array().into_iter().flatten())
}

fn mounts(c: &Json) -> &[Json] {
    c["volumeMounts"].as_array().map_or(&[], Vec::as_slice)
}

/// Decides which volumes are inline and which are declared.
pub fn plan(pod: &Json) -> Plan {
    let mut volumes: Vec<&Json> = pod["volumes"].as_array().into_iter().flatten().collect();
    let timezone = is_timezone(pod, &volumes);
    if timezone {
        volumes.pop();
    }
    let sources: Vec<Source> = volumes.iter().map(|v| Source::of(v)).collect();
    let inline_count = (0..=volumes.len())
        .rev()
        .find(|k| inline_works(pod, &volumes, &sources, volumes.len() - k, timezone))
        .unwrap_or(0);
    let split = volumes.len() - inline_count;
    let mut plan = Plan {
        timezone,
        ..Plan::default()
    };
    for (i, (v, source)) in volumes.iter().zip(sources).enumerate() {
        let name = str_at(v, "name").unwrap_or_default().to_string();
        if i >= split {
            plan.inline.insert(name, source);
            continue;
        }
        let mut args = vec![text(&name)];
        args.extend(source.declared_args());
        let node = Node::new("volume", args);
        plan.declared.push(match source {
            Source::Block { block, .. } => node.with_block(block),
            _ => node,
        });
    }
    plan
}

/// The `volume` statements of the plan.
pub fn volume_statements(plan: &Plan) -> Vec<Node> {
    plan.declared.clone()
}

/// `timezone host`: the last volume is the node's `/etc/localtime`, mounted read-only as the
/// last mount of every container.
fn is_timezone(pod: &Json, volumes: &[&Json]) -> bool {
    let volume_ok = volumes.last().is_some_and(|v| {
        str_at(v, "name") == Some(TIMEZONE_VOLUME)
            && v["hostPath"] == serde_json::json!({ "path": LOCALTIME })
            && v.as_object().is_some_and(|m| m.len() == 2)
    });
    let mount =
        serde_json::json!({"mountPath": LOCALTIME, "name": TIMEZONE_VOLUME, "readOnly": true});
    volume_ok && containers(pod).all(|c| mounts(c).last() == Some(&mount))
}

/// Whether writing the volumes from index `split` on inline gives the same names in the same
/// order: the compiler lists declared volumes first, then inline sources in the order they are
/// first mounted, named after their source (made unique with `-2`, `-3`, ...).
fn inline_works(
    pod: &Json,
    volumes: &[&Json],
    sources: &[Source],
    split: usize,
    timezone: bool,
) -> bool {
    let name_of = |v: &Json| str_at(v, "name").unwrap_or_default().to_string();
    let declared: Vec<String> = volumes[..split].iter().map(|v| name_of(v)).collect();
    // Every mount of an inline volume, in the order the compiler reads them.
    let mut uses: Vec<(String, String)> = Vec::new();
    for c in containers(pod) {
        let own = mounts(c);
        let n = own.len() - usize::from(timezone && !own.is_empty());
        for m in &own[..n] {
            let name = str_at(m, "name").unwrap_or_default().to_string();
            if volumes[split..].iter().any(|v| name_of(v) == name) {
                uses.push((name, str_at(m, "mountPath").unwrap_or_default().to_string()));
            }
        }
    }
    let mut generated: Vec<(String, &Source)> = Vec::new();
    let mut expected = volumes[split..].iter().zip(&sources[split..]);
    for (name, path) in &uses {
        if generated.iter().any(|(n, _)| n == name) {
            continue;
        }
        let Some((volume, source)) = expected.next() else {
            return false;
        };
        if name_of(volume) != *name
            || !inlinable(source, uses.iter().filter(|(n, _)| n == name).count())
        {
            return false;
        }
        if generated.iter().any(|(_, s)| *s == source) {
            return false;
        }
        let base = base_name(source, path);
        let derived = unique_name(&base, |n| {
            declared.iter().any(|d| d == n)
                || generated.iter().any(|(g, _)| g == n)
                || (timezone && n == TIMEZONE_VOLUME)
        });
        if derived != *name {
            return false;
        }
        generated.push((name.clone(), source));
    }
    expected.next().is_none()
}

/// Whether a source can be written in a mount: an empty dir only in its one mount, a claim
/// only when it is not read-only at the volume, projected and downward volumes never.
fn inlinable(source: &Source, mount_count: usize) -> bool {
    match source {
        Source::EmptyDir { .. } => mount_count == 1,
        Source::Pvc { read_only, .. } => !read_only,
        Source::Block { .. } | Source::Declared(_) => false,
        Source::Host { .. } | Source::Keyed { .. } => true,
    }
}

/// The name the compiler derives for an inline source (see `check/storage.rs`).
fn base_name(source: &Source, mount_path: &str) -> String {
    let raw = match source {
        Source::Host { path, .. } => path.as_str(),
        Source::Keyed { name, .. } => name.as_str(),
        Source::Pvc { claim, .. } => claim.as_str(),
        _ => mount_path,
    };
    let name = derived_name(raw);
    match (name.is_empty(), source) {
        (false, _) => name,
        (true, Source::Host { .. }) => "host-root".into(),
        (true, _) => "scratch".into(),
    }
}

/// The `mount` lines of a container (the time-zone mount is `timezone host`'s).
pub fn mount_statements(c: &Json, plan: &Plan) -> Vec<Node> {
    let own = mounts(c);
    let n = own.len() - usize::from(plan.timezone && !own.is_empty());
    own[..n].iter().map(|m| mount(m, plan)).collect()
}

fn mount(m: &Json, plan: &Plan) -> Node {
    let name = str_at(m, "name").unwrap_or_default();
    let path = str_at(m, "mountPath").unwrap_or_default();
    let at = |args: &mut Vec<Value>| {
        args.push(Value::word("at"));
        args.push(text(path));
    };
    let mut args = Vec::new();
    let mut source_options = Vec::new();
    match plan.inline.get(name) {
        Some(Source::Host {
            path: host,
            options,
        }) => {
            // `mount /PATH`; a relative host path needs its kind, and its mount path.
            if !host.starts_with('/') {
                args.push(Value::word("host"));
            }
            args.push(text(host));
            if host != path || !host.starts_with('/') {
                at(&mut args);
            }
            source_options = options.clone();
        }
        Some(Source::Keyed {
            kind,
            name,
            options,
        }) => {
            args.extend([Value::word(*kind), text(name)]);
            at(&mut args);
            source_options = options.clone();
        }
        Some(Source::Pvc { claim, .. }) => {
            args.extend([Value::word("pvc"), text(claim)]);
            at(&mut args);
        }
        Some(Source::EmptyDir { options }) => {
            args.push(Value::word("empty-dir"));
            at(&mut args);
            source_options = options.clone();
        }
        Some(Source::Block { .. } | Source::Declared(_)) | None => {
            args.push(text(name));
            at(&mut args);
        }
    }
    if is_true(m, "readOnly") {
        args.push(Value::word("ro"));
    }
    for (field, option) in [("subPath", "sub-path"), ("subPathExpr", "sub-path-expr")] {
        if let Some(v) = str_at(m, field) {
            args.push(Value::word(option));
            args.push(text(v));
        }
    }
    let propagation = match str_at(m, "mountPropagation") {
        Some("None") => Some("none"),
        Some("HostToContainer") => Some("host-to-container"),
        Some("Bidirectional") => Some("bidirectional"),
        _ => None,
    };
    if let Some(p) = propagation {
        args.push(Value::word("propagation"));
        args.push(Value::word(p));
    }
    args.extend(source_options);
    Node::new("mount", args)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::print::{body_to_source, Body};
    use serde_json::json;

    fn printed(nodes: Vec<Node>) -> String {
        body_to_source(&Body::of(nodes))
    }

    fn pod(volumes: Json, mounts: Json) -> Json {
        json!({"volumes": volumes, "containers": [{"name": "c", "volumeMounts": mounts}]})
    }

    #[test]
    fn volumes_named_as_the_compiler_would_are_inline() {
        let pod = pod(
            json!([{"name": "varlog", "hostPath": {"path": "/var/log"}},
                   {"name": "var-lib-agent",
                    "hostPath": {"path": "/var/lib/agent", "type": "Directory"}},
                   {"name": "agent-config", "configMap": {"name": "agent-config"}}]),
            json!([{"name": "varlog", "mountPath": "/var/log"},
                   {"name": "var-lib-agent", "mountPath": "/data", "readOnly": true},
                   {"name": "agent-config", "mountPath": "/etc/agent"}]),
        );
        let plan = plan(&pod);
        assert_eq!(printed(plan.declared.clone()), "volume varlog /var/log\n");
        assert_eq!(
            printed(mount_statements(&pod["containers"][0], &plan)),
            "mount varlog at /var/log\nmount /var/lib/agent at /data ro type directory\n\
             mount configmap agent-config at /etc/agent\n"
        );
    }

    #[test]
    fn volumes_mounted_out_of_their_order_stay_declared() {
        let pod = pod(
            json!([{"name": "var-log", "hostPath": {"path": "/var/log"}},
                   {"name": "etc", "hostPath": {"path": "/etc"}}]),
            json!([{"name": "etc", "mountPath": "/etc"},
                   {"name": "var-log", "mountPath": "/var/log"}]),
        );
        let plan = plan(&pod);
        // Inline sources follow the declared volumes in the order of their first mount.
        assert_eq!(printed(plan.declared.clone()), "volume var-log /var/log\n");
        assert_eq!(
            printed(mount_statements(&pod["containers"][0], &plan)),
            "mount /etc\nmount var-log at /var/log\n"
        );
    }

    #[test]
    fn the_node_time_zone_is_timezone_host_and_unknown_sources_their_yaml() {
        let pod = pod(
            json!([{"name": "cache", "gitRepo": {"repository": "https://example.com/r.git"}},
                   {"name": "host-localtime", "hostPath": {"path": "/etc/localtime"}}]),
            json!([{"name": "cache", "mountPath": "/cache"},
                   {"name": "host-localtime", "mountPath": "/etc/localtime", "readOnly": true}]),
        );
        let plan = plan(&pod);
        assert!(plan.timezone);
        assert_eq!(
            printed(plan.declared.clone()),
            "volume cache override \"\"\"\n  gitRepo:\n    repository: https://example.com/r.git\n  \"\"\"\n"
        );
        assert_eq!(
            printed(mount_statements(&pod["containers"][0], &plan)),
            "mount cache at /cache\n"
        );
    }
}
