//! What the statements do not say, as escape-hatch fragments: the difference between the
//! compiled spec and the manifest, both canonical, becomes JSON merge patches for
//! `spec-override`, `pod-override` and each container's `override`, the three places codegen
//! merges them. Nothing of the manifest is dropped: a difference that fits in none of them
//! (the object's metadata) is an error for the caller to report.

use std::collections::BTreeMap;

use serde_json::{Map, Value as Json};

use super::values::text;
use crate::print::{Node, Value};

/// Merge patches collected over the rounds of the round trip.
#[derive(Clone, Debug, Default)]
pub struct Overrides {
    pub spec: Option<Json>,
    pub pod: Option<Json>,
    /// By (`container` or `init`, container name).
    pub containers: BTreeMap<(String, String), Json>,
}

/// The merge patch that turns `from` into `to` (RFC 7386: objects merge, `null` removes,
/// anything else replaces); `None` when they are equal.
pub fn merge_diff(from: &Json, to: &Json) -> Option<Json> {
    if from == to {
        return None;
    }
    let (Some(a), Some(b)) = (from.as_object(), to.as_object()) else {
        return Some(to.clone());
    };
    let mut patch = Map::new();
    for (k, v) in b {
        match a.get(k) {
            Some(old) => {
                if let Some(p) = merge_diff(old, v) {
                    patch.insert(k.clone(), p);
                }
            }
            None => {
                patch.insert(k.clone(), v.clone());
            }
        }
    }
    for k in a.keys().filter(|k| !b.contains_key(*k)) {
        patch.insert(k.clone(), Json::Null);
    }
    (!patch.is_empty()).then_some(Json::Object(patch))
}

/// `first` then `second` as one merge patch.
fn compose(first: &mut Json, second: &Json) {
    match (first.as_object_mut(), second.as_object()) {
        (Some(a), Some(b)) => {
            for (k, v) in b {
                match a.get_mut(k) {
                    Some(existing) => compose(existing, v),
                    None => {
                        a.insert(k.clone(), v.clone());
                    }
                }
            }
        }
        // After a replacement or a removal, an object patch applies to nothing: its nulls go.
        (None, Some(_)) => {
            let mut base = Json::Null;
            crate::model::Fragment {
                value: second.clone(),
                origin: None,
            }
            .merge_into(&mut base);
            *first = base;
        }
        _ => *first = second.clone(),
    }
}

fn add(slot: &mut Option<Json>, patch: Json) {
    match slot {
        Some(existing) => compose(existing, &patch),
        None => *slot = Some(patch),
    }
}

impl Overrides {
    /// Adds the patches that turn `compiled` into `input` (both canonical DaemonSets). An error
    /// names the first difference no override can hold.
    pub fn add_difference(&mut self, compiled: &Json, input: &Json) -> Result<bool, String> {
        let mut compiled = compiled.clone();
        let mut input = input.clone();
        let mut changed = false;
        for (list, keyword) in [("initContainers", "init"), ("containers", "container")] {
            let (Some(ours), Some(theirs)) = (take(&mut compiled, list), take(&mut input, list))
            else {
                continue;
            };
            let names = |v: &[Json]| -> Vec<String> {
                v.iter()
                    .map(|c| c["name"].as_str().unwrap_or("").to_string())
                    .collect()
            };
            if names(&ours) != names(&theirs) {
                put_back(&mut compiled, list, ours);
                put_back(&mut input, list, theirs);
                continue;
            }
            for (a, b) in ours.iter().zip(&theirs) {
                if let Some(mut p) = merge_diff(a, b) {
                    trim_filled(&mut p, a);
                    let key = (keyword.to_string(), names(std::slice::from_ref(a)).concat());
                    let slot = self.containers.entry(key).or_insert(Json::Null);
                    if slot.is_null() {
                        *slot = p;
                    } else {
                        compose(slot, &p);
                    }
                    changed = true;
                }
            }
        }
        let pod_of = |v: &mut Json| {
            v.pointer_mut("/spec/template")
                .and_then(|t| t.as_object_mut()?.shift_remove("spec"))
        };
        let (pod_ours, pod_theirs) = (pod_of(&mut compiled), pod_of(&mut input));
        if let Some(p) = merge_diff(
            &pod_ours.unwrap_or(Json::Null),
            &pod_theirs.unwrap_or(Json::Null),
        ) {
            add(&mut self.pod, p);
            changed = true;
        }
        let spec_of = |v: &mut Json| v.as_object_mut().and_then(|m| m.shift_remove("spec"));
        let (spec_ours, spec_theirs) = (spec_of(&mut compiled), spec_of(&mut input));
        if let Some(p) = merge_diff(
            &spec_ours.unwrap_or(Json::Null),
            &spec_theirs.unwrap_or(Json::Null),
        ) {
            add(&mut self.spec, p);
            changed = true;
        }
        if let Some(p) = merge_diff(&compiled, &input) {
            // Two levels deep: `metadata.labels`, `metadata.finalizers`.
            let mut fields = Vec::new();
            for (k, v) in p.as_object().into_iter().flatten() {
                match v.as_object() {
                    Some(inner) => fields.extend(inner.keys().map(|i| format!("{k}.{i}"))),
                    None => fields.push(k.clone()),
                }
            }
            return Err(format!(
                "{} cannot be written in a spec (no keyword or override sets it)",
                fields.join(", ")
            ));
        }
        Ok(changed)
    }

    /// The daemonset statement with the override statements written in: `spec-override` and
    /// `pod-override` before the volumes and containers, `override` last in its container.
    /// Container statements whose list the override replaces are dropped: `env`, `env-from`,
    /// and `port` unless a probe or hook names one of the ports.
    pub fn apply(&self, base: &Node) -> Node {
        let mut node = base.clone();
        let Some(block) = node.block.as_mut() else {
            return node;
        };
        for stmt in block.statements.iter_mut() {
            let name = stmt.args.first().and_then(value_text).unwrap_or_default();
            let key = (stmt.keyword.to_string(), name);
            let (Some(patch), Some(inner)) = (self.containers.get(&key), stmt.block.as_mut())
            else {
                continue;
            };
            for (field, keyword) in [("env", "env"), ("envFrom", "env-from"), ("ports", "port")] {
                let kept = keyword == "port" && names_a_port(&inner.statements);
                if patch.get(field).is_some_and(Json::is_array) && !kept {
                    inner.statements.retain(|s| s.keyword != keyword);
                }
            }
            inner.statements.push(fragment("override", patch));
        }
        let at = block
            .statements
            .iter()
            .position(|s| matches!(s.keyword.as_str(), "volume" | "container" | "init"))
            .unwrap_or(block.statements.len());
        let mut hatch = Vec::new();
        if let Some(p) = &self.pod {
            hatch.push(fragment("pod-override", p));
        }
        if let Some(p) = &self.spec {
            hatch.push(fragment("spec-override", p));
        }
        block.statements.splice(at..at, hatch);
        node
    }

    /// One note per override: where it goes and which fields it holds.
    pub fn notes(&self, object: &str) -> Vec<String> {
        let fields = |p: &Json| -> String {
            p.as_object()
                .map(|m| m.keys().cloned().collect::<Vec<_>>().join(", "))
                .unwrap_or_default()
        };
        let mut out = Vec::new();
        if let Some(p) = &self.spec {
            out.push(format!("{object}: `spec-override` holds {}", fields(p)));
        }
        if let Some(p) = &self.pod {
            out.push(format!("{object}: `pod-override` holds {}", fields(p)));
        }
        for ((keyword, name), p) in &self.containers {
            out.push(format!(
                "{object}: the `override` of {keyword} `{name}` holds {}",
                fields(p)
            ));
        }
        out
    }
}

/// Leaves out of a container patch the values the canonical form fills in by itself where the
/// patch adds a whole probe or hook (timings and thresholds at their defaults, HTTP path `/` and
/// scheme `HTTP`) or lists the ports (protocol `TCP`), so overrides hold only what is said.
fn trim_filled(patch: &mut Json, compiled: &Json) {
    let strip = |v: &mut Json, defaults: &[(&str, Json)]| {
        if let Some(map) = v.as_object_mut() {
            map.retain(|k, value| !defaults.iter().any(|(d, dv)| d == k && dv == value));
        }
    };
    let http = [("path", Json::from("/")), ("scheme", Json::from("HTTP"))];
    let timings = [
        ("timeoutSeconds", Json::from(1)),
        ("periodSeconds", Json::from(10)),
        ("successThreshold", Json::from(1)),
        ("failureThreshold", Json::from(3)),
    ];
    for probe in ["livenessProbe", "readinessProbe", "startupProbe"] {
        if compiled.get(probe).is_none() {
            if let Some(p) = patch.get_mut(probe) {
                strip(p, &timings);
                p.get_mut("httpGet")
                    .into_iter()
                    .for_each(|h| strip(h, &http));
            }
        }
    }
    for hook in ["postStart", "preStop"] {
        if compiled["lifecycle"].get(hook).is_none() {
            if let Some(h) = patch.pointer_mut(&format!("/lifecycle/{hook}/httpGet")) {
                strip(h, &http);
            }
        }
    }
    for port in patch
        .get_mut("ports")
        .and_then(Json::as_array_mut)
        .into_iter()
        .flatten()
    {
        strip(port, &[("protocol", Json::from("TCP"))]);
    }
}

/// Whether a probe or hook of the container names one of its `port`s (which must then stay).
fn names_a_port(statements: &[Node]) -> bool {
    let names: Vec<&Value> = statements
        .iter()
        .filter(|s| s.keyword == "port" && s.args.len() > 1)
        .filter_map(|s| s.args.first())
        .collect();
    statements
        .iter()
        .filter(|s| {
            matches!(
                s.keyword.as_str(),
                "liveness" | "readiness" | "startup" | "post-start" | "pre-stop"
            )
        })
        .any(|s| s.args.get(1).is_some_and(|target| names.contains(&target)))
}

fn take(v: &mut Json, list: &str) -> Option<Vec<Json>> {
    let pod = v.pointer_mut("/spec/template/spec")?.as_object_mut()?;
    match pod.shift_remove(list)? {
        Json::Array(items) => Some(items),
        other => {
            pod.insert(list.to_string(), other);
            None
        }
    }
}

fn put_back(v: &mut Json, list: &str, items: Vec<Json>) {
    if let Some(pod) = v
        .pointer_mut("/spec/template/spec")
        .and_then(Json::as_object_mut)
    {
        pod.insert(list.to_string(), Json::Array(items));
    }
}

fn value_text(v: &Value) -> Option<String> {
    match v {
        Value::Word(w) | Value::Number(w) => Some(w.to_string()),
        Value::Str { value, .. } => Some(value.to_string()),
        _ => None,
    }
}

/// `KEYWORD """YAML"""`.
fn fragment(keyword: &str, patch: &Json) -> Node {
    let yaml = crate::emit::to_yaml(patch);
    Node::new(
        keyword,
        vec![match yaml.contains('\n') {
            true => Value::string(yaml),
            false => text(&yaml),
        }],
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn merge_diff_removes_adds_and_replaces() {
        let from = json!({"a": 1, "b": {"c": [1], "d": true}, "gone": 1});
        let to = json!({"a": 1, "b": {"c": [1, 2], "d": true}, "new": {"x": 1}});
        let patch = merge_diff(&from, &to).unwrap_or_default();
        assert_eq!(
            patch,
            json!({"b": {"c": [1, 2]}, "new": {"x": 1}, "gone": null})
        );
        let mut merged = from.clone();
        crate::model::Fragment {
            value: patch,
            origin: None,
        }
        .merge_into(&mut merged);
        assert_eq!(merged, to);
        assert_eq!(merge_diff(&to, &to), None);
    }

    #[test]
    fn patches_compose_in_order() {
        let mut first = json!({"a": {"b": 1}, "c": null});
        compose(
            &mut first,
            &json!({"a": {"d": 2}, "c": {"e": null, "f": 1}}),
        );
        assert_eq!(first, json!({"a": {"b": 1, "d": 2}, "c": {"f": 1}}));
    }
}
