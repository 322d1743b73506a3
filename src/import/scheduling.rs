//! Scheduling of a canonical pod spec → `node-selector`, `tolerate`, `node-affinity`,
//! `pod-affinity` and `pod-anti-affinity` statements; the GPU card type that `gpu N type CARD`
//! writes as a node expression is recognized and left to the container's `gpu` line.

use serde_json::Value as Json;

use super::values::{
    duration, int_at, is_pair_key, object, pair, pair_statements, str_at, strings, text, word_list,
};
use crate::codegen::GPU_NAME_LABEL;
use crate::print::{Node, Value};

const DEFAULT_TOPOLOGY: &str = "kubernetes.io/hostname";

/// The scheduling statements of the pod, in the order the compiler writes them.
pub fn statements(pod: &Json, out: &mut Vec<Node>) {
    let selector = object(pod, "nodeSelector");
    if !selector.is_empty() {
        out.extend(pair_statements("node-selector", selector, 1).unwrap_or_default());
    }
    for t in pod["tolerations"].as_array().into_iter().flatten() {
        out.extend(toleration(t));
    }
    let affinity = &pod["affinity"];
    node_affinity(pod, &affinity["nodeAffinity"], out);
    for (field, keyword) in [
        ("podAffinity", "pod-affinity"),
        ("podAntiAffinity", "pod-anti-affinity"),
    ] {
        let rules = &affinity[field];
        let required = "requiredDuringSchedulingIgnoredDuringExecution";
        let preferred = "preferredDuringSchedulingIgnoredDuringExecution";
        for term in rules[required].as_array().into_iter().flatten() {
            if let Some(args) = pod_term(term) {
                let mut all = vec![Value::word("require")];
                all.extend(args);
                out.push(Node::new(keyword, all));
            }
        }
        for weighted in rules[preferred].as_array().into_iter().flatten() {
            let (Some(weight), Some(args)) = (
                int_at(weighted, "weight"),
                pod_term(&weighted["podAffinityTerm"]),
            ) else {
                continue;
            };
            let mut all = vec![Value::word("prefer"), text(&weight.to_string())];
            all.extend(args);
            out.push(Node::new(keyword, all));
        }
    }
}

/// `tolerate all`, `tolerate KEY[=VALUE][:EFFECT] [for DURATION]`; `None` for a toleration the
/// language cannot write (no operator, a value with `Exists`), left to the round trip.
fn toleration(t: &Json) -> Option<Node> {
    let key = str_at(t, "key");
    let value = str_at(t, "value").unwrap_or("");
    let effect = str_at(t, "effect");
    let target = match (str_at(t, "operator")?, key) {
        ("Exists", None) if value.is_empty() => "all".to_string(),
        ("Exists", Some(k)) if value.is_empty() => k.to_string(),
        ("Equal", Some(k)) if is_pair_key(k) && !value.contains(':') => format!("{k}={value}"),
        _ => return None,
    };
    let spelled = match effect {
        Some(e) => format!("{target}:{e}"),
        None => target,
    };
    let first = match spelled.split_once('=') {
        Some((k, "")) => Value::pair(k, Value::Empty),
        Some((k, v)) => pair(k, v),
        None => text(&spelled),
    };
    let mut args = vec![first];
    if let Some(seconds) = int_at(t, "tolerationSeconds") {
        args.push(Value::word("for"));
        args.push(duration(seconds));
    }
    Some(Node::new("tolerate", args))
}

/// The card type when every required node term ends with the GPU-name expression that
/// `gpu N type CARD` adds, and a container asks for a GPU.
pub fn gpu_type(pod: &Json) -> Option<String> {
    let wants_gpu = ["containers", "initContainers"].iter().any(|list| {
        pod[*list].as_array().into_iter().flatten().any(|c| {
            let limits = &c["resources"]["limits"];
            limits.get("nvidia.com/gpu").is_some()
                || limits.get("vke.volcengine.com/mgpu-core").is_some()
        })
    });
    let terms = required_terms(pod)?;
    let mut card = None;
    for term in terms {
        let last = term["matchExpressions"].as_array()?.last()?;
        let values = strings(&last["values"])?;
        if str_at(last, "key") != Some(GPU_NAME_LABEL)
            || str_at(last, "operator") != Some("In")
            || values.len() != 1
            || card.as_ref().is_some_and(|c| *c != values[0])
        {
            return None;
        }
        card = Some(values[0].clone());
    }
    card.filter(|_| wants_gpu)
}

fn required_terms(pod: &Json) -> Option<&Vec<Json>> {
    pod["affinity"]["nodeAffinity"]["requiredDuringSchedulingIgnoredDuringExecution"]
        ["nodeSelectorTerms"]
        .as_array()
}

/// `node-affinity require E and E or E ...` (one line: several `require` lines would be ANDed)
/// and one `node-affinity prefer WEIGHT ...` line per preferred term.
fn node_affinity(pod: &Json, node: &Json, out: &mut Vec<Node>) {
    let card = gpu_type(pod);
    if let Some(terms) = required_terms(pod) {
        let terms: Vec<Vec<Json>> = terms
            .iter()
            .filter(|t| t.get("matchFields").is_none())
            .map(|t| {
                let mut expressions = t["matchExpressions"]
                    .as_array()
                    .cloned()
                    .unwrap_or_default();
                if card.is_some() {
                    expressions.pop();
                }
                expressions
            })
            .filter(|e| !e.is_empty())
            .collect();
        let require = |args: Vec<Value>| {
            Node::new(
                "node-affinity",
                [vec![Value::word("require")], args].concat(),
            )
        };
        match terms.as_slice() {
            [] => {}
            // Required lines all hold: one line per expression reads best.
            [single] => out.extend(
                single
                    .iter()
                    .map(|e| require(expressions_args(std::slice::from_ref(e), true))),
            ),
            several => {
                let mut args = Vec::new();
                for (i, term) in several.iter().enumerate() {
                    if i > 0 {
                        args.push(Value::word("or"));
                    }
                    args.extend(expressions_args(term, true));
                }
                out.push(require(args));
            }
        }
    }
    let preferred = "preferredDuringSchedulingIgnoredDuringExecution";
    for p in node[preferred].as_array().into_iter().flatten() {
        let expressions = p["preference"]["matchExpressions"].as_array();
        let (Some(weight), Some(expressions)) = (int_at(p, "weight"), expressions) else {
            continue;
        };
        let mut args = vec![Value::word("prefer"), text(&weight.to_string())];
        args.extend(expressions_args(expressions, true));
        out.push(Node::new("node-affinity", args));
    }
}

/// `KEY=VALUE and KEY in [A, B] and KEY exists ...`; `KEY=VALUE` stands for `In [VALUE]` only in
/// node expressions (in pod selectors it is a match label).
fn expressions_args(expressions: &[Json], node: bool) -> Vec<Value> {
    let mut args = Vec::new();
    for (i, e) in expressions.iter().enumerate() {
        if i > 0 {
            args.push(Value::word("and"));
        }
        let key = str_at(e, "key").unwrap_or_default();
        let values = strings(&e["values"]).unwrap_or_default();
        let op = match str_at(e, "operator").unwrap_or_default() {
            "In" if node && values.len() == 1 && is_pair_key(key) => {
                args.push(pair(key, &values[0]));
                continue;
            }
            "In" => "in",
            "NotIn" => "not-in",
            "Exists" => "exists",
            "DoesNotExist" => "does-not-exist",
            "Gt" => "gt",
            "Lt" => "lt",
            other => other,
        };
        args.push(text(key));
        args.push(Value::word(op));
        match op {
            "exists" | "does-not-exist" => {}
            "gt" | "lt" => args.extend(values.first().map(|v| text(v))),
            _ => args.push(word_list(&values)),
        }
    }
    args
}

/// The items of one pod (anti-)affinity term: match labels, expressions, topology and
/// namespaces.
fn pod_term(term: &Json) -> Option<Vec<Value>> {
    let selector = &term["labelSelector"];
    let mut args = Vec::new();
    for (k, v) in object(selector, "matchLabels") {
        if !is_pair_key(k) {
            return None;
        }
        args.push(pair(k, v.as_str()?));
    }
    if let Some(expressions) = selector["matchExpressions"].as_array() {
        if !args.is_empty() && !expressions.is_empty() {
            args.push(Value::word("and"));
        }
        args.extend(expressions_args(expressions, false));
    }
    if let Some(topology) = str_at(term, "topologyKey").filter(|t| *t != DEFAULT_TOPOLOGY) {
        args.push(Value::word("topology"));
        args.push(text(topology));
    }
    let namespaces = strings(&term["namespaces"]).unwrap_or_default();
    if !namespaces.is_empty() {
        args.push(Value::word("namespaces"));
        args.push(word_list(&namespaces));
    }
    Some(args)
}
