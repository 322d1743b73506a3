//! A canonical DaemonSet → its `daemonset NAME [in NS] { ... }` statement: metadata, labels and
//! selector in their shortest form, the update strategy and the plain pod settings (host
//! namespaces, DNS, identity, grace period), then scheduling, security, volumes and containers
//! from the other files of this stage.

use serde_json::{Map, Value as Json};

use super::values::{duration, int_at, is_true, object, pair_statements, str_at, strings, text};
use super::{container, scheduling, security, storage};
use crate::check::vke::{IMAGE_CACHE_ANNOTATION, VCI_ANNOTATION};
use crate::print::{Node, Value};

/// The `daemonset` statement for the canonical object `ds` (its name already checked).
pub fn daemonset(ds: &Json, name: &str) -> Node {
    let meta = &ds["metadata"];
    let spec = &ds["spec"];
    let pod = &spec["template"]["spec"];
    let mut args = vec![text(name)];
    if let Some(ns) = str_at(meta, "namespace").filter(|ns| *ns != "default") {
        args.push(Value::word("in"));
        args.push(text(ns));
    }
    let mut out = Vec::new();
    labels(ds, name, &mut out);
    pod_annotations(ds, &mut out);
    if let Some(secrets) = pod["imagePullSecrets"].as_array() {
        let names: Vec<Value> = secrets
            .iter()
            .filter_map(|s| str_at(s, "name"))
            .map(text)
            .collect();
        if !names.is_empty() {
            out.push(Node::new("pull-secret", names));
        }
    }
    let plan = storage::plan(pod);
    if plan.timezone {
        out.push(Node::new("timezone", vec![Value::word("host")]));
    }
    strategy(spec, &mut out);
    pod_settings(pod, &mut out);
    scheduling::statements(pod, &mut out);
    security::pod_statements(&pod["securityContext"], &mut out);
    out.extend(storage::volume_statements(&plan));
    let host_network = is_true(pod, "hostNetwork");
    let gpu_type = scheduling::gpu_type(pod);
    for (list, keyword) in [("initContainers", "init"), ("containers", "container")] {
        for c in pod[list].as_array().into_iter().flatten() {
            let mut node = container::container(c, keyword, host_network, &plan, &gpu_type);
            node.blank_before = true;
            out.push(node);
        }
    }
    Node::new("daemonset", args).with_block(out)
}

/// `labels`, `daemonset-labels`, `annotations`, `selector`, `pod-labels`: a workload label the
/// pods carry too is written once in `labels` (the default selector), one they do not carry in
/// `daemonset-labels`; the selector only when it is not `labels`, and pod labels only where they
/// add to what `labels` and `selector` give. `app: NAME` in all three is the default: nothing.
fn labels(ds: &Json, name: &str, out: &mut Vec<Node>) {
    let meta = object(&ds["metadata"], "labels");
    let selector = object(&ds["spec"]["selector"], "matchLabels");
    let pod = object(&ds["spec"]["template"]["metadata"], "labels");
    let (shared, own): (Map<String, Json>, Map<String, Json>) = meta
        .iter()
        .map(|(k, v)| (k.clone(), v.clone()))
        .partition(|(k, v)| pod.get(k) == Some(v));
    let default = shared.len() == 1 && shared.get("app") == Some(&Json::from(name));
    if !(default && *selector == shared) {
        push_pairs(out, "labels", &shared);
    }
    push_pairs(out, "daemonset-labels", &own);
    push_pairs(out, "annotations", object(&ds["metadata"], "annotations"));
    if *selector != shared || shared.is_empty() {
        push_pairs(out, "selector", selector);
    }
    let given = |k: &String, v: &Json| shared.get(k) == Some(v) || selector.get(k) == Some(v);
    let extra: Map<String, Json> = pod
        .iter()
        .filter(|(k, v)| !given(k, v))
        .map(|(k, v)| (k.clone(), v.clone()))
        .collect();
    push_pairs(out, "pod-labels", &extra);
}

/// `pod-annotations`, with the VKE placement annotations as `vci enforce` and `image-cache auto`.
fn pod_annotations(ds: &Json, out: &mut Vec<Node>) {
    let mut annotations = object(&ds["spec"]["template"]["metadata"], "annotations").clone();
    let mut vke = Vec::new();
    for (key, value, keyword, word) in [
        (VCI_ANNOTATION, "enforce", "vci", "enforce"),
        (IMAGE_CACHE_ANNOTATION, "true", "image-cache", "auto"),
    ] {
        if annotations.get(key).and_then(Json::as_str) == Some(value) {
            annotations.shift_remove(key);
            vke.push(Node::new(keyword, vec![Value::word(word)]));
        }
    }
    push_pairs(out, "pod-annotations", &annotations);
    out.extend(vke);
}

/// `keyword k=v ...` lines for a non-empty map; keys that cannot be pair keys are left to the
/// round trip, which writes them in an override.
fn push_pairs(out: &mut Vec<Node>, keyword: &str, map: &Map<String, Json>) {
    if map.is_empty() {
        return;
    }
    if let Some(nodes) = pair_statements(keyword, map, 1) {
        out.extend(nodes);
    }
}

/// `update on-delete`, `max-unavailable N`, `max-surge N`, `min-ready`, `history`.
fn strategy(spec: &Json, out: &mut Vec<Node>) {
    let strategy = &spec["updateStrategy"];
    let rolling = &strategy["rollingUpdate"];
    let limit = |v: &Json| match v {
        Json::Number(n) => Some(text(&n.to_string())),
        Json::String(s) => Some(text(s)),
        _ => None,
    };
    let on_delete = str_at(strategy, "type") == Some("OnDelete");
    if on_delete {
        out.push(Node::new("update", vec![Value::word("on-delete")]));
    }
    let surge = rolling.get("maxSurge").and_then(limit);
    let unavailable = rolling.get("maxUnavailable");
    match (surge, unavailable) {
        // A rolling surge is written with `maxUnavailable: 0`, which the compiler adds itself;
        // with on-delete the limits are written as given.
        (Some(s), Some(u)) if u == &Json::from(0) && !on_delete => {
            out.push(Node::new("max-surge", vec![s]))
        }
        (surge, unavailable) => {
            if let Some(u) = unavailable.and_then(limit) {
                out.push(Node::new("max-unavailable", vec![u]));
            }
            if let Some(s) = surge {
                out.push(Node::new("max-surge", vec![s]));
            }
        }
    }
    if let Some(n) = int_at(spec, "minReadySeconds") {
        out.push(Node::new("min-ready", vec![duration(n)]));
    }
    if let Some(n) = int_at(spec, "revisionHistoryLimit") {
        out.push(Node::new("history", vec![text(&n.to_string())]));
    }
}

/// Host namespaces, DNS, host aliases, identity and the grace period of the pod.
fn pod_settings(pod: &Json, out: &mut Vec<Node>) {
    for (field, keyword) in [
        ("hostNetwork", "host-network"),
        ("hostPID", "host-pid"),
        ("hostIPC", "host-ipc"),
        ("shareProcessNamespace", "share-process-namespace"),
    ] {
        if is_true(pod, field) {
            out.push(Node::new(keyword, Vec::new()));
        }
    }
    dns(pod, out);
    for alias in pod["hostAliases"].as_array().into_iter().flatten() {
        let mut args: Vec<Value> = str_at(alias, "ip").map(text).into_iter().collect();
        args.extend(
            strings(&alias["hostnames"])
                .unwrap_or_default()
                .iter()
                .map(|h| text(h)),
        );
        out.push(Node::new("host-alias", args));
    }
    for (field, keyword) in [
        ("priorityClassName", "priority"),
        ("serviceAccountName", "service-account"),
        ("schedulerName", "scheduler"),
        ("runtimeClassName", "runtime-class"),
    ] {
        if let Some(v) = str_at(pod, field) {
            out.push(Node::new(keyword, vec![text(v)]));
        }
    }
    if let Some(b) = pod["automountServiceAccountToken"].as_bool() {
        out.push(Node::new(
            "automount-token",
            vec![Value::word(if b { "true" } else { "false" })],
        ));
    }
    if let Some(b) = pod["hostUsers"].as_bool() {
        out.push(Node::new(
            "host-users",
            vec![Value::word(if b { "true" } else { "false" })],
        ));
    }
    match pod["os"]["name"].as_str() {
        Some(os @ ("linux" | "windows")) if pod["os"].as_object().is_some_and(|m| m.len() == 1) => {
            out.push(Node::new("os", vec![Value::word(os)]));
        }
        _ => {}
    }
    if let Some(n) = int_at(pod, "terminationGracePeriodSeconds") {
        out.push(Node::new("grace", vec![duration(n)]));
    }
}

/// `dns POLICY [{ nameservers ...; searches ...; options ... }]`.
fn dns(pod: &Json, out: &mut Vec<Node>) {
    let policy = match str_at(pod, "dnsPolicy") {
        Some("ClusterFirstWithHostNet") => "cluster-first-with-host-net",
        Some("Default") => "default",
        Some("None") => "none",
        _ => "cluster-first",
    };
    let config = &pod["dnsConfig"];
    let mut block = Vec::new();
    for (field, keyword) in [("nameservers", "nameservers"), ("searches", "searches")] {
        let items = strings(&config[field]).unwrap_or_default();
        if !items.is_empty() {
            block.push(Node::new(keyword, items.iter().map(|s| text(s)).collect()));
        }
    }
    let options: Vec<Value> = config["options"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|o| {
            let name = str_at(o, "name")?;
            Some(match str_at(o, "value") {
                Some(v) if super::values::is_pair_key(name) => super::values::pair(name, v),
                _ => text(name),
            })
        })
        .collect();
    if !options.is_empty() {
        block.push(Node::new("options", options));
    }
    let node = Node::new("dns", vec![Value::word(policy)]);
    if config.is_object() {
        out.push(node.with_block(block));
    } else if policy != "cluster-first" {
        out.push(node);
    }
}
