//! `validateAffinity`: node affinity (`ValidateNodeSelector` and its requirements, preferred
//! terms) and pod (anti-)affinity terms (selectors, namespaces, label keys, topology key).

use foldhash::HashSet;

use super::field::Node;
use super::findings::Findings;
use super::metadata::{label_key, label_selector, text};
use crate::api::names::{dns_label, dns_subdomain};

/// `validateAffinity` of the affinity at `affinity`.
pub fn affinity(affinity: &Node, out: &mut Findings) {
    let node = affinity.get("nodeAffinity");
    let required = node.get("requiredDuringSchedulingIgnoredDuringExecution");
    if required.is_set() {
        node_selector(&required, out);
    }
    for term in node
        .get("preferredDuringSchedulingIgnoredDuringExecution")
        .items()
    {
        weight(&term.get("weight"), out);
        node_selector_term(&term.get("preference"), out);
    }
    for kind in ["podAffinity", "podAntiAffinity"] {
        let pod = affinity.get(kind);
        for term in pod
            .get("requiredDuringSchedulingIgnoredDuringExecution")
            .items()
        {
            pod_affinity_term(&term, out);
        }
        for term in pod
            .get("preferredDuringSchedulingIgnoredDuringExecution")
            .items()
        {
            weight(&term.get("weight"), out);
            pod_affinity_term(&term.get("podAffinityTerm"), out);
        }
    }
}

/// The weight of a preferred term: 1 to 100 (absent reads as 0).
fn weight(weight: &Node, out: &mut Findings) {
    let w = if weight.is_set() {
        weight.int()
    } else {
        Some(0)
    };
    if w.is_some_and(|w| !(1..=100).contains(&w)) {
        out.invalid(weight, "must be in the range 1-100")
            .help("give a weight from 1 to 100: the scheduler adds the weight of each term a node matches");
    }
}

/// `ValidateNodeSelector`: at least one term, each term valid.
fn node_selector(selector: &Node, out: &mut Findings) {
    let terms = selector.get("nodeSelectorTerms");
    if terms.is_empty() {
        out.required(&terms, "must have at least one node selector term");
        return;
    }
    for term in terms.items() {
        node_selector_term(&term, out);
    }
}

/// `ValidateNodeSelectorTerm`: its label expressions and field expressions.
fn node_selector_term(term: &Node, out: &mut Findings) {
    for req in term.get("matchExpressions").items() {
        node_selector_requirement(&req, out);
    }
    for req in term.get("matchFields").items() {
        node_field_selector_requirement(&req, out);
    }
}

/// `ValidateNodeSelectorRequirement`: operator and value count, key a qualified name.
fn node_selector_requirement(req: &Node, out: &mut Findings) {
    let operator = req.get("operator");
    let values = req.get("values");
    let n = values.len();
    match text(&operator) {
        Some("In" | "NotIn") if n == 0 => {
            out.required(
                &values,
                "must be specified when `operator` is 'In' or 'NotIn'",
            )
            .help("give at least one value, or use the operator `Exists` to match any value");
        }
        Some("Exists" | "DoesNotExist") if n > 0 => {
            out.forbidden(
                &values,
                "may not be specified when `operator` is 'Exists' or 'DoesNotExist'",
            );
        }
        Some("Gt" | "Lt") if n != 1 => {
            out.required(
                &values,
                "must be specified single value when `operator` is 'Lt' or 'Gt'",
            )
            .help("give exactly one value, an integer such as `3`: the scheduler compares the node label with it");
        }
        Some("In" | "NotIn" | "Exists" | "DoesNotExist" | "Gt" | "Lt") | None => {}
        Some(_) => {
            out.invalid(&operator, "not a valid selector operator")
                .help(
                    "use one of `In`, `NotIn`, `Exists`, `DoesNotExist`, `Gt`, `Lt` (case matters)",
                );
        }
    }
    let key = req.get("key");
    if let Some(k) = text(&key) {
        label_key(&key, k, out);
    }
}

/// `ValidateNodeFieldSelectorRequirement`: only `metadata.name`, `In`/`NotIn` with one value,
/// a node name.
fn node_field_selector_requirement(req: &Node, out: &mut Findings) {
    let operator = req.get("operator");
    let values = req.get("values");
    match text(&operator) {
        Some("In" | "NotIn") if values.len() != 1 => {
            out.invalid(
                &values,
                "must be only one value when `operator` is 'In' or 'NotIn' for node field selector",
            )
            .help("a node field selector names one node: keep one value, or use one term per node");
        }
        Some("In" | "NotIn") | None => {}
        Some(_) => {
            out.invalid(&operator, "not a valid selector operator")
                .help("node field selectors take `In` or `NotIn`");
        }
    }
    let key = req.get("key");
    match text(&key) {
        Some("metadata.name") => {
            for value in values.items() {
                if let Some(v) = value.str() {
                    if let Err(problem) = dns_subdomain(v) {
                        out.invalid(&value, problem);
                    }
                }
            }
        }
        Some(_) => {
            out.invalid(&key, "not a valid field selector key")
                .help("the only node field is `metadata.name`");
        }
        None => {}
    }
}

/// `validatePodAffinityTerm`: selectors, namespaces, match/mismatch label keys, topology key.
fn pod_affinity_term(term: &Node, out: &mut Findings) {
    let selector = term.get("labelSelector");
    label_selector(&selector, out);
    label_selector(&term.get("namespaceSelector"), out);
    for ns in term.get("namespaces").items() {
        if let Some(name) = ns.str() {
            if let Err(problem) = dns_label(name) {
                out.bad_name(&ns, name, problem);
            }
        }
    }
    match_label_keys(term, &selector, out);
    let topology = term.get("topologyKey");
    match text(&topology) {
        Some("") => {
            out.required(&topology, "can not be empty")
                .help("set `topologyKey`, e.g. `kubernetes.io/hostname`");
        }
        Some(key) => {
            label_key(&topology, key, out);
        }
        None => {}
    }
}

/// `validateMatchLabelKeysAndMismatchLabelKeys` (for a template: the selector is not yet merged).
fn match_label_keys(term: &Node, selector: &Node, out: &mut Findings) {
    let matching = term.get("matchLabelKeys");
    let mismatching = term.get("mismatchLabelKeys");
    for list in [&matching, &mismatching] {
        if list.is_empty() {
            continue;
        }
        if !selector.is_set() {
            out.forbidden(list, "must not be specified when labelSelector is not set")
                .help("add a `labelSelector`, or remove the label keys");
            continue;
        }
        for item in list.items() {
            if let Some(k) = item.str() {
                label_key(&item, k, out);
            }
        }
    }
    if selector.is_set() {
        // A key of matchLabelKeys that a matchExpression repeats after matchLabels (or an
        // earlier expression) already named it.
        let mut seen: HashSet<&str> = selector
            .get("matchLabels")
            .entries()
            .map(|(k, _)| k)
            .collect();
        for expr in selector.get("matchExpressions").items() {
            let Some(key) = expr.get("key").str() else {
                continue;
            };
            if seen.contains(key) {
                if let Some(item) = matching.items().find(|i| i.str() == Some(key)) {
                    out.invalid(&item, "exists in both matchLabelKeys and labelSelector")
                        .related(&expr.path, "the selector names the key again here")
                        .help(format!(
                            "`matchLabelKeys` adds `{key}` with the pod's own value to the selector: \
                             drop `{key}` from `matchLabelKeys`, or from the selector"
                        ));
                }
            }
            seen.insert(key);
        }
    }
    let mismatch: HashSet<&str> = mismatching.items().filter_map(|i| i.str()).collect();
    for item in matching.items() {
        if item.str().is_some_and(|k| mismatch.contains(k)) {
            let key = item.str().unwrap_or("");
            out.invalid(&item, "exists in both matchLabelKeys and mismatchLabelKeys")
                .help(format!(
                    "a key either selects pods with the same value (`matchLabelKeys`) or with a \
                     different one (`mismatchLabelKeys`): keep `{key}` in one of the two lists"
                ));
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::validate::testing::{has, pod};
    use crate::validate::Kind;
    use serde_json::{json, Value};

    fn node_expr(expr: Value) -> Value {
        json!({"affinity": {"nodeAffinity": {"requiredDuringSchedulingIgnoredDuringExecution":
            {"nodeSelectorTerms": [{"matchExpressions": [expr]}]}}}})
    }

    const EXPR: &str = "affinity.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution.nodeSelectorTerms[0].matchExpressions[0]";

    #[test]
    fn node_selector_requirements() {
        assert!(pod(node_expr(
            json!({"key": "gpu-count", "operator": "Gt", "values": ["3"]})
        ))
        .is_empty());
        assert!(pod(node_expr(json!({"key": "a", "operator": "Exists"}))).is_empty());
        has(
            &pod(node_expr(
                json!({"key": "a", "operator": "gt", "values": ["3"]}),
            )),
            Kind::Invalid,
            &format!("{EXPR}.operator"),
        );
        has(
            &pod(node_expr(
                json!({"key": "a", "operator": "Lt", "values": ["1", "2"]}),
            )),
            Kind::Required,
            &format!("{EXPR}.values"),
        );
        has(
            &pod(node_expr(json!({"key": "a", "operator": "In"}))),
            Kind::Required,
            &format!("{EXPR}.values"),
        );
        has(
            &pod(node_expr(
                json!({"key": "a", "operator": "DoesNotExist", "values": ["x"]}),
            )),
            Kind::Forbidden,
            &format!("{EXPR}.values"),
        );
        has(
            &pod(node_expr(json!({"key": "a/b/c", "operator": "Exists"}))),
            Kind::Invalid,
            &format!("{EXPR}.key"),
        );
    }

    #[test]
    fn node_selector_terms_required() {
        let f = pod(
            json!({"affinity": {"nodeAffinity": {"requiredDuringSchedulingIgnoredDuringExecution": {"nodeSelectorTerms": []}}}}),
        );
        has(&f, Kind::Required, "affinity.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution.nodeSelectorTerms");
    }

    #[test]
    fn node_field_selectors() {
        let term = |req: Value| {
            json!({"affinity": {"nodeAffinity": {"requiredDuringSchedulingIgnoredDuringExecution":
            {"nodeSelectorTerms": [{"matchFields": [req]}]}}}})
        };
        let at = "affinity.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution.nodeSelectorTerms[0].matchFields[0]";
        assert!(pod(term(
            json!({"key": "metadata.name", "operator": "In", "values": ["node-1"]})
        ))
        .is_empty());
        has(
            &pod(term(
                json!({"key": "metadata.name", "operator": "In", "values": ["a", "b"]}),
            )),
            Kind::Invalid,
            &format!("{at}.values"),
        );
        has(
            &pod(term(
                json!({"key": "spec.nodeName", "operator": "In", "values": ["a"]}),
            )),
            Kind::Invalid,
            &format!("{at}.key"),
        );
        has(
            &pod(term(json!({"key": "metadata.name", "operator": "Exists"}))),
            Kind::Invalid,
            &format!("{at}.operator"),
        );
    }

    #[test]
    fn preferred_weights() {
        let pref = |w: Value| {
            json!({"affinity": {"nodeAffinity": {"preferredDuringSchedulingIgnoredDuringExecution":
            [{"weight": w, "preference": {"matchExpressions": [{"key": "a", "operator": "Exists"}]}}]}}})
        };
        assert!(pod(pref(json!(1))).is_empty());
        assert!(pod(pref(json!(100))).is_empty());
        has(
            &pod(pref(json!(101))),
            Kind::Invalid,
            "affinity.nodeAffinity.preferredDuringSchedulingIgnoredDuringExecution[0].weight",
        );
        has(
            &pod(pref(json!(0))),
            Kind::Invalid,
            "affinity.nodeAffinity.preferredDuringSchedulingIgnoredDuringExecution[0].weight",
        );
    }

    #[test]
    fn pod_affinity_terms() {
        let anti = |term: Value| json!({"affinity": {"podAntiAffinity": {"requiredDuringSchedulingIgnoredDuringExecution": [term]}}});
        let at = "affinity.podAntiAffinity.requiredDuringSchedulingIgnoredDuringExecution[0]";
        assert!(pod(anti(json!({"labelSelector": {"matchLabels": {"app": "a"}}, "topologyKey": "kubernetes.io/hostname"}))).is_empty());
        has(
            &pod(anti(
                json!({"labelSelector": {"matchLabels": {"app": "a"}}}),
            )),
            Kind::Required,
            &format!("{at}.topologyKey"),
        );
        has(
            &pod(anti(json!({"topologyKey": "a/b/c"}))),
            Kind::Invalid,
            &format!("{at}.topologyKey"),
        );
        has(
            &pod(anti(json!({"topologyKey": "h", "namespaces": ["Kube"]}))),
            Kind::Invalid,
            &format!("{at}.namespaces[0]"),
        );
        has(
            &pod(anti(json!({"topologyKey": "h", "matchLabelKeys": ["app"]}))),
            Kind::Forbidden,
            &format!("{at}.matchLabelKeys"),
        );
        has(
            &pod(anti(
                json!({"topologyKey": "h", "labelSelector": {"matchLabels": {"app": "a"}},
            "matchLabelKeys": ["v"], "mismatchLabelKeys": ["v"]}),
            )),
            Kind::Invalid,
            &format!("{at}.matchLabelKeys[0]"),
        );
        // The server checks a template's selector as if matchLabelKeys were already merged into
        // it: a key only in matchLabels passes, a key the expressions repeat does not.
        let keyed = |selector: Value| {
            pod(anti(
                json!({"topologyKey": "h", "labelSelector": selector, "matchLabelKeys": ["app"]}),
            ))
        };
        assert!(keyed(json!({"matchLabels": {"app": "a"}})).is_empty());
        has(
            &keyed(
                json!({"matchLabels": {"app": "a"}, "matchExpressions": [{"key": "app", "operator": "Exists"}]}),
            ),
            Kind::Invalid,
            &format!("{at}.matchLabelKeys[0]"),
        );
        assert!(pod(anti(
            json!({"topologyKey": "h", "labelSelector": {"matchLabels": {"app": "a"}},
            "matchLabelKeys": ["v"], "mismatchLabelKeys": ["w"]}),
        ))
        .is_empty());
        let pref = json!({"affinity": {"podAffinity": {"preferredDuringSchedulingIgnoredDuringExecution":
            [{"weight": 200, "podAffinityTerm": {"topologyKey": "h"}}]}}});
        has(
            &pod(pref),
            Kind::Invalid,
            "affinity.podAffinity.preferredDuringSchedulingIgnoredDuringExecution[0].weight",
        );
    }
}
