//! The canonical form: one function that turns a live, previous or compiled DaemonSet into the
//! object a reviewer should compare.
//!
//! Input: a DaemonSet as a JSON value, from any source, and the user's ignore paths. Output: a
//! new value where, in this order,
//! 1. fields the server owns are dropped (status, managedFields, resourceVersion, uid,
//!    generation, creationTimestamp, selfLink, the last-applied and
//!    `deprecated.daemonset.template.generation` annotations, `templateGeneration`, the
//!    template's `creationTimestamp`);
//! 2. an `extensions/v1beta1` object gets its version's defaults made explicit (OnDelete, a
//!    selector from the template labels), so it compares with apps/v1 semantics;
//! 3. values are normalized: null fields removed, quantities in canonical form, whole floats
//!    as integers, YAML 1.1 octal file modes (`"0644"`) as numbers;
//! 4. values equal to server defaults are removed (`defaults.rs`);
//! 5. the ignore paths are removed;
//! 6. nulls, empty collections and zero values of non-pointer fields are pruned bottom-up
//!    (`prune.rs`);
//! 7. keys are sorted the way k8s-openapi serializes them (ASCII order, and `apiVersion`,
//!    `kind`, `metadata`, `spec`, `status` first at the top).
//!
//! The result is a fixed point: canonicalizing it again changes nothing.

use super::defaults;
use super::pattern::PathPattern;
use super::prune;
use crate::api::quantity::exact::{canonical_quantity, Rounding};
use serde_json::{json, Map, Number, Value};

/// Annotations the server or kubectl write, never the user.
const SERVER_ANNOTATIONS: [&str; 2] = [
    "kubectl.kubernetes.io/last-applied-configuration",
    "deprecated.daemonset.template.generation",
];

/// Metadata fields the server writes.
const SERVER_METADATA: [&str; 6] = [
    "managedFields",
    "resourceVersion",
    "uid",
    "generation",
    "creationTimestamp",
    "selfLink",
];

/// The canonical form of `obj`; see the module documentation for what it does.
/// Takes the value by ownership: the objects are rewritten in place, never copied.
pub fn canonicalize(v: Value, ignore: &[PathPattern]) -> Value {
    canonicalize_noting(v, ignore).0
}

/// [`canonicalize`], and the paths of the server-owned fields it dropped (`status`,
/// `metadata.uid`, ...), for a reader who should be told what was left out.
pub fn canonicalize_noting(mut v: Value, ignore: &[PathPattern]) -> (Value, Vec<String>) {
    let dropped = drop_server_fields(&mut v);
    make_legacy_defaults_explicit(&mut v);
    normalize_values(&mut v, "");
    defaults::normalize_defaults(&mut v);
    for pattern in ignore {
        pattern.remove_from(&mut v);
    }
    prune::prune(&mut v);
    sort_keys(&mut v, true);
    (v, dropped)
}

/// Removes the fields the server owns; returns the paths of those that held a value.
fn drop_server_fields(v: &mut Value) -> Vec<String> {
    let mut dropped = Vec::new();
    let mut note = |path: String, old: Option<Value>| {
        if old.is_some_and(|o| !o.is_null()) {
            dropped.push(path);
        }
    };
    let Some(obj) = v.as_object_mut() else {
        return dropped;
    };
    note("status".into(), obj.shift_remove("status"));
    if let Some(Value::Object(meta)) = obj.get_mut("metadata") {
        for field in SERVER_METADATA {
            note(format!("metadata.{field}"), meta.shift_remove(field));
        }
        if let Some(Value::Object(annotations)) = meta.get_mut("annotations") {
            for key in SERVER_ANNOTATIONS {
                note(
                    format!("metadata.annotations[{key}]"),
                    annotations.shift_remove(key),
                );
            }
        }
    }
    if let Some(Value::Object(spec)) = obj.get_mut("spec") {
        note(
            "spec.templateGeneration".into(),
            spec.shift_remove("templateGeneration"),
        );
        if let Some(Value::Object(meta)) =
            spec.get_mut("template").and_then(|t| t.get_mut("metadata"))
        {
            note(
                "spec.template.metadata.creationTimestamp".into(),
                meta.shift_remove("creationTimestamp"),
            );
        }
    }
    dropped
}

/// extensions/v1beta1 defaulted `updateStrategy.type` to OnDelete and the selector to the
/// template labels; apps/v1 has no such defaults, so make them explicit. A strategy that has
/// `rollingUpdate` settings is read as RollingUpdate: that is what the canonical form leaves of
/// an explicit `type: RollingUpdate` (the apps/v1 default), so canonicalizing twice changes
/// nothing.
fn make_legacy_defaults_explicit(v: &mut Value) {
    if v.get("apiVersion").and_then(Value::as_str) != Some("extensions/v1beta1") {
        return;
    }
    let labels = v.pointer("/spec/template/metadata/labels").cloned();
    let Some(Value::Object(spec)) = v.get_mut("spec") else {
        return;
    };
    let strategy = spec.entry("updateStrategy").or_insert_with(|| json!({}));
    if let Value::Object(strategy) = strategy {
        let rolling = strategy.get("rollingUpdate").is_some_and(|r| !r.is_null());
        if strategy.get("type").is_none_or(Value::is_null) && !rolling {
            strategy.insert("type".to_string(), json!("OnDelete"));
        }
    }
    if spec.get("selector").is_none_or(Value::is_null) {
        if let Some(labels) = labels {
            spec.insert("selector".to_string(), json!({ "matchLabels": labels }));
        }
    }
}

/// Quantities, numbers and file modes in the form the server would print them; a null field
/// is an absent one (the defaulting rules then see it as absent too).
fn normalize_values(v: &mut Value, key: &str) {
    match v {
        Value::Object(map) => {
            map.retain(|_, child| !child.is_null());
            let quantities = match key {
                "limits" | "requests" | "overhead" => Some(Rounding::Milli),
                _ => None,
            };
            for (k, child) in map.iter_mut() {
                match quantities {
                    Some(rounding) => normalize_quantity(child, rounding),
                    None => normalize_values(child, k),
                }
            }
        }
        Value::Array(items) => items
            .iter_mut()
            .for_each(|item| normalize_values(item, key)),
        Value::Number(n) => {
            if let Some(whole) = whole_number(n) {
                *v = Value::Number(whole);
            }
        }
        Value::String(s) => match key {
            "divisor" | "sizeLimit" => normalize_quantity(v, Rounding::Nano),
            "defaultMode" | "mode" => {
                if let Some(mode) = octal_mode(s) {
                    *v = json!(mode);
                }
            }
            _ => {}
        },
        _ => {}
    }
    if matches!(key, "divisor" | "sizeLimit") && v.is_number() {
        normalize_quantity(v, Rounding::Nano);
    }
}

/// The text of a quantity written as a string or a bare number.
pub(super) fn quantity_text(v: &Value) -> Option<String> {
    match v {
        Value::String(s) => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        _ => None,
    }
}

fn normalize_quantity(v: &mut Value, rounding: Rounding) {
    let Some(text) = quantity_text(v) else {
        return;
    };
    if let Some(canonical) = canonical_quantity(&text, rounding) {
        *v = Value::String(canonical);
    }
}

/// `30.0` as `30`; other numbers unchanged.
fn whole_number(n: &Number) -> Option<Number> {
    if n.is_i64() || n.is_u64() {
        return None;
    }
    let f = n.as_f64()?;
    // Whole and small enough that the conversion to i64 is exact.
    let exact = f.fract() == 0.0 && f.abs() < 9.0e15;
    exact.then(|| Number::from(f as i64))
}

/// A file mode written as YAML 1.1 octal (`0644`, read by YAML 1.2 parsers as a string).
fn octal_mode(s: &str) -> Option<i64> {
    let digits = s
        .strip_prefix("0o")
        .or_else(|| s.strip_prefix('0').filter(|d| !d.is_empty()))?;
    i64::from_str_radix(digits, 8).ok()
}

/// Keys in k8s-openapi's order, the resource header first at the top: struct fields sorted by
/// their Rust (snake_case) names, so `seLinuxOptions` comes before `seccompProfile`; the maps a
/// `BTreeMap` holds (labels, annotations, selectors, resource lists) in plain string order.
fn sort_keys(v: &mut Value, top: bool) {
    sort_keys_in(v, top, false)
}

const STRING_MAPS: [&str; 7] = [
    "labels",
    "annotations",
    "matchLabels",
    "nodeSelector",
    "limits",
    "requests",
    "overhead",
];

/// The order of fields in a Kubernetes object as the API server writes them: by name, with
/// each capital read as `_` and its lower case (`hostIPC` before `hostNetwork` before
/// `hostPID`), compared without building the transformed names.
fn field_order(a: &str, b: &str) -> std::cmp::Ordering {
    fn spelled(key: &str) -> impl Iterator<Item = u8> + '_ {
        key.bytes().flat_map(|c| {
            let pair = if c.is_ascii_uppercase() {
                [Some(b'_'), Some(c.to_ascii_lowercase())]
            } else {
                [Some(c), None]
            };
            pair.into_iter().flatten()
        })
    }
    spelled(a).cmp(spelled(b))
}

fn sort_keys_in(v: &mut Value, top: bool, string_map: bool) {
    match v {
        Value::Object(map) => {
            for (key, child) in map.iter_mut() {
                sort_keys_in(
                    child,
                    false,
                    !string_map && STRING_MAPS.contains(&key.as_str()),
                );
            }
            if string_map {
                map.sort_keys();
            } else if !map.keys().is_sorted_by(|a, b| field_order(a, b).is_le()) {
                let mut entries: Vec<(String, Value)> = std::mem::take(map).into_iter().collect();
                entries.sort_by(|(a, _), (b, _)| field_order(a, b));
                map.extend(entries);
            }
            if top {
                let mut ordered = Map::new();
                for key in ["apiVersion", "kind", "metadata", "spec", "status"] {
                    if let Some(value) = map.shift_remove(key) {
                        ordered.insert(key.to_string(), value);
                    }
                }
                ordered.append(map);
                *map = ordered;
            }
        }
        Value::Array(items) => items
            .iter_mut()
            .for_each(|item| sort_keys_in(item, false, false)),
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn canon(v: Value) -> Value {
        canonicalize(v, &[])
    }

    #[test]
    fn drops_server_fields() {
        let live = json!({
            "kind": "DaemonSet", "apiVersion": "apps/v1",
            "metadata": {"name": "a", "uid": "u", "resourceVersion": "1", "generation": 2,
                "creationTimestamp": "t", "selfLink": "/x", "managedFields": [{}],
                "annotations": {"deprecated.daemonset.template.generation": "2",
                    "kubectl.kubernetes.io/last-applied-configuration": "{}"}},
            "spec": {"templateGeneration": 3, "template": {"metadata": {"creationTimestamp": null}}},
            "status": {"numberReady": 1}
        });
        assert_eq!(
            canon(live),
            json!({"apiVersion": "apps/v1", "kind": "DaemonSet", "metadata": {"name": "a"}})
        );
    }

    #[test]
    fn quantities_in_resource_lists_and_divisors() {
        let ds = json!({"spec": {"template": {"spec": {"containers": [{"name": "c",
            "resources": {"limits": {"cpu": 0.5, "memory": "1024Mi"}, "requests": {"cpu": "1000m", "memory": 0}},
            "env": [{"name": "L", "valueFrom": {"resourceFieldRef": {"resource": "limits.cpu", "divisor": 0}}},
                    {"name": "M", "valueFrom": {"resourceFieldRef": {"resource": "limits.memory", "divisor": "1024Ki"}}}]}],
            "volumes": [{"name": "t", "emptyDir": {"sizeLimit": "1000M"}}]}}}});
        let c = canon(ds);
        let container = &c["spec"]["template"]["spec"]["containers"][0];
        assert_eq!(
            container["resources"],
            json!({"limits": {"cpu": "500m", "memory": "1Gi"}, "requests": {"cpu": "1", "memory": "0"}})
        );
        assert_eq!(
            container["env"][0],
            json!({"name": "L", "valueFrom": {"resourceFieldRef": {"resource": "limits.cpu"}}})
        );
        assert_eq!(
            container["env"][1]["valueFrom"]["resourceFieldRef"]["divisor"],
            "1Mi"
        );
        assert_eq!(
            c["spec"]["template"]["spec"]["volumes"][0]["emptyDir"]["sizeLimit"],
            "1G"
        );
    }

    #[test]
    fn update_strategy_collapses_bottom_up() {
        let ds = json!({"spec": {"updateStrategy": {"type": "RollingUpdate", "rollingUpdate": {"maxUnavailable": 1, "maxSurge": 0}}}});
        assert_eq!(canon(ds), json!({}));
        let ds = json!({"spec": {"updateStrategy": {"type": "RollingUpdate", "rollingUpdate": {"maxUnavailable": "10%"}}}});
        assert_eq!(
            canon(ds),
            json!({"spec": {"updateStrategy": {"rollingUpdate": {"maxUnavailable": "10%"}}}})
        );
    }

    #[test]
    fn octal_modes_and_whole_floats() {
        let ds = json!({"spec": {"template": {"spec": {"terminationGracePeriodSeconds": 60.0,
            "volumes": [{"name": "a", "configMap": {"name": "a", "defaultMode": "0644"}},
                        {"name": "b", "secret": {"secretName": "b", "defaultMode": "0o400"}}]}}}});
        let c = canon(ds);
        let pod = &c["spec"]["template"]["spec"];
        assert_eq!(pod["terminationGracePeriodSeconds"], json!(60));
        assert_eq!(
            pod["volumes"][0],
            json!({"configMap": {"name": "a"}, "name": "a"})
        );
        assert_eq!(pod["volumes"][1]["secret"]["defaultMode"], json!(256));
    }

    #[test]
    fn legacy_extensions_defaults_become_explicit() {
        let ds = json!({"apiVersion": "extensions/v1beta1", "spec": {"template": {"metadata": {"labels": {"app": "x"}}}}});
        let c = canon(ds);
        assert_eq!(c["spec"]["updateStrategy"], json!({"type": "OnDelete"}));
        assert_eq!(c["spec"]["selector"], json!({"matchLabels": {"app": "x"}}));
        assert_eq!(canon(c.clone()), c);
    }

    #[test]
    fn ignore_paths_remove_fields_and_leave_no_empty_maps() {
        let ds = json!({"spec": {"template": {"metadata": {"annotations": {"sidecar.example.com/status": "x"}},
            "spec": {"containers": [{"name": "app", "imagePullPolicy": "Always"}, {"name": "proxy"}]}}}});
        let ignore = [
            PathPattern::parse(
                r#"spec.template.metadata.annotations["sidecar.example.com/status"]"#,
            ),
            PathPattern::parse("spec.template.spec.containers.proxy"),
        ]
        .map(|p| p.unwrap_or_else(|e| panic!("{e}")));
        let c = canonicalize(ds.clone(), &ignore);
        assert_eq!(
            c,
            json!({"spec": {"template": {"spec": {"containers": [{"name": "app", "imagePullPolicy": "Always"}]}}}})
        );
    }

    #[test]
    fn keys_in_k8s_openapi_order() {
        let c = canon(
            json!({"spec": {"b": 1, "a": 2}, "metadata": {"name": "x"}, "kind": "DaemonSet", "apiVersion": "apps/v1"}),
        );
        let keys: Vec<&String> = c
            .as_object()
            .map(|m| m.keys().collect())
            .unwrap_or_default();
        assert_eq!(keys, ["apiVersion", "kind", "metadata", "spec"]);
        let spec_keys: Vec<&String> = c["spec"]
            .as_object()
            .map(|m| m.keys().collect())
            .unwrap_or_default();
        assert_eq!(spec_keys, ["a", "b"]);
    }
}
