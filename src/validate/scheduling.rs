//! Where a pod may run: node selector, affinity (in `affinity.rs`), tolerations and topology
//! spread constraints (`ValidateTolerations`, `validateTopologySpreadConstraints`).

use foldhash::HashSet;

use super::affinity;
use super::field::Node;
use super::findings::Findings;
use super::metadata::{label_key, label_selector, labels, text};
use crate::api::names::label_value;

/// The scheduling fields of the pod spec at `pod`.
pub fn scheduling(pod: &Node, out: &mut Findings) {
    labels(&pod.get("nodeSelector"), out);
    affinity::affinity(&pod.get("affinity"), out);
    tolerations(&pod.get("tolerations"), out);
    topology_spread(&pod.get("topologySpreadConstraints"), out);
}

/// `ValidateTolerations` of the list at `list`.
pub fn tolerations(list: &Node, out: &mut Findings) {
    for toleration in list.items() {
        let key = toleration.get("key");
        let operator = toleration.get("operator");
        let effect = toleration.get("effect");
        let key_text = text(&key);
        if let Some(k) = key_text.filter(|k| !k.is_empty()) {
            label_key(&key, k, out);
        }
        let op = text(&operator);
        if key_text == Some("") && op.is_some_and(|o| o != "Exists") {
            out.invalid(
                &operator,
                "operator must be Exists when `key` is empty, which means \"match all values and all keys\"",
            )
            .help("a toleration without a key tolerates every taint, whatever its value: remove the value (operator `Exists`), or name the taint's key");
        }
        let seconds = toleration.get("tolerationSeconds");
        if seconds.is_set() && text(&effect).is_some_and(|e| e != "NoExecute") {
            out.invalid(
                &effect,
                "effect must be 'NoExecute' when `tolerationSeconds` is set",
            )
            .related(&seconds.path, "a toleration time delays eviction only")
            .help("give the toleration the `NoExecute` effect, or remove its time: the other effects do not evict");
        }
        let value = toleration.get("value");
        match op {
            Some("Equal" | "") => {
                if let Some(Err(problem)) = value.str().map(label_value) {
                    // The server reports it at `operator`; the value is what to change.
                    out.invalid(&value, format!("with `operator: Equal`, the value {problem}"))
                        .help("a toleration's value is a label value: at most 63 letters, digits, `-`, `_` or `.`");
                }
            }
            Some("Exists") if value.str().is_some_and(|v| !v.is_empty()) => {
                out.invalid(&operator, "value must be empty when `operator` is 'Exists'")
                    .help("remove `value`, or use `operator: Equal`");
            }
            Some("Exists") => {}
            Some(_) => {
                out.not_supported(&operator, &["Equal", "Exists"]);
            }
            None => {}
        }
        if let Some(e) = text(&effect).filter(|e| !e.is_empty()) {
            if !matches!(e, "NoSchedule" | "PreferNoSchedule" | "NoExecute") {
                out.not_supported(&effect, &["NoSchedule", "PreferNoSchedule", "NoExecute"]);
            }
        }
    }
}

/// `validateTopologySpreadConstraints`.
fn topology_spread(list: &Node, out: &mut Findings) {
    let items: Vec<Node> = list.items().collect();
    for (i, c) in items.iter().enumerate() {
        let skew = c.get("maxSkew");
        let skew_value = if skew.is_set() { skew.int() } else { Some(0) };
        if skew_value.is_some_and(|s| s <= 0) {
            out.invalid(&skew, "must be greater than zero")
                .help("set `maxSkew` to 1 or more");
        }
        let topology = c.get("topologyKey");
        if text(&topology) == Some("") {
            out.required(&topology, "can not be empty")
                .help("set `topologyKey`, e.g. `topology.kubernetes.io/zone`");
        }
        let when = c.get("whenUnsatisfiable");
        let action = text(&when);
        if action.is_some_and(|a| !matches!(a, "DoNotSchedule" | "ScheduleAnyway")) {
            out.not_supported(&when, &["DoNotSchedule", "ScheduleAnyway"]);
        }
        let same = |other: &Node| {
            other.get("topologyKey").value == topology.value
                && text(&other.get("whenUnsatisfiable")) == action
        };
        if let Some(later) = items.iter().skip(i + 1).find(|other| same(other)) {
            out.duplicate(c)
                .related(&later.path, "same {topologyKey, whenUnsatisfiable} here")
                .help("two constraints may not share both `topologyKey` and `whenUnsatisfiable`: merge them, or change one of the two fields");
        }
        let min = c.get("minDomains");
        if min.is_set() {
            if min.int().is_some_and(|m| m <= 0) {
                out.invalid(&min, "must be greater than zero");
            }
            if let Some(a) = action.filter(|a| *a != "DoNotSchedule") {
                out.invalid(
                    &min,
                    format!("can only use minDomains if whenUnsatisfiable=DoNotSchedule, not {a}"),
                )
                .related(&when.path, "whenUnsatisfiable set here")
                .help("remove `minDomains`, or set `whenUnsatisfiable: DoNotSchedule`");
            }
        }
        for policy in ["nodeAffinityPolicy", "nodeTaintsPolicy"] {
            let node = c.get(policy);
            if node.is_set() && text(&node).is_some_and(|p| !matches!(p, "Honor" | "Ignore")) {
                out.not_supported(&node, &["Honor", "Ignore"]);
            }
        }
        let selector = c.get("labelSelector");
        spread_match_label_keys(&c.get("matchLabelKeys"), &selector, out);
        label_selector(&selector, out);
    }
}

/// `validateMatchLabelKeysInTopologySpread`: valid keys, not already in the selector.
fn spread_match_label_keys(keys: &Node, selector: &Node, out: &mut Findings) {
    if keys.is_empty() {
        return;
    }
    if !selector.is_set() {
        out.forbidden(keys, "must not be specified when labelSelector is not set")
            .help("add a `labelSelector`, or remove `matchLabelKeys`");
    }
    let mut in_selector: HashSet<&str> = selector
        .get("matchLabels")
        .entries()
        .map(|(k, _)| k)
        .collect();
    in_selector.extend(
        selector
            .get("matchExpressions")
            .items()
            .filter_map(|e| e.get("key").str()),
    );
    for item in keys.items() {
        let Some(k) = item.str() else { continue };
        label_key(&item, k, out);
        if in_selector.contains(k) {
            out.invalid(&item, "exists in both matchLabelKeys and labelSelector")
                .help("drop the key from `matchLabelKeys` or from the selector");
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::validate::testing::{has, pod};
    use crate::validate::Kind;
    use serde_json::{json, Value};

    #[test]
    fn node_selector_labels() {
        assert!(pod(json!({"nodeSelector": {"kubernetes.io/os": "linux"}})).is_empty());
        has(
            &pod(json!({"nodeSelector": {"os": "a b"}})),
            Kind::Invalid,
            "nodeSelector.os",
        );
    }

    #[test]
    fn tolerations() {
        assert!(pod(json!({"tolerations": [{"operator": "Exists"}, {"key": "k", "value": "v", "effect": "NoExecute", "tolerationSeconds": 5}]})).is_empty());
        has(
            &pod(json!({"tolerations": [{"effect": "NoSchedule"}]})),
            Kind::Invalid,
            "tolerations[0].operator",
        );
        has(
            &pod(json!({"tolerations": [{"key": "k", "operator": "exists"}]})),
            Kind::NotSupported,
            "tolerations[0].operator",
        );
        has(
            &pod(json!({"tolerations": [{"key": "k", "operator": "Exists", "value": "v"}]})),
            Kind::Invalid,
            "tolerations[0].operator",
        );
        has(
            &pod(json!({"tolerations": [{"key": "k", "value": "a b"}]})),
            Kind::Invalid,
            "tolerations[0].value",
        );
        has(
            &pod(
                json!({"tolerations": [{"key": "k", "operator": "Exists", "effect": "NoSchedule", "tolerationSeconds": 1}]}),
            ),
            Kind::Invalid,
            "tolerations[0].effect",
        );
        has(
            &pod(
                json!({"tolerations": [{"key": "k", "operator": "Exists", "effect": "noschedule"}]}),
            ),
            Kind::NotSupported,
            "tolerations[0].effect",
        );
        has(
            &pod(json!({"tolerations": [{"key": "a b", "operator": "Exists"}]})),
            Kind::Invalid,
            "tolerations[0].key",
        );
    }

    #[test]
    fn topology_spread_constraints() {
        let c = |extra: Value| {
            let mut base = json!({"maxSkew": 1, "topologyKey": "zone", "whenUnsatisfiable": "DoNotSchedule",
                "labelSelector": {"matchLabels": {"app": "a"}}});
            for (k, v) in extra.as_object().unwrap() {
                base[k] = v.clone();
            }
            base
        };
        let at = "topologySpreadConstraints[0]";
        assert!(pod(json!({"topologySpreadConstraints": [c(json!({"minDomains": 1, "nodeAffinityPolicy": "Honor", "matchLabelKeys": ["pod-template-hash"]}))]})).is_empty());
        has(
            &pod(json!({"topologySpreadConstraints": [c(json!({"maxSkew": 0}))]})),
            Kind::Invalid,
            &format!("{at}.maxSkew"),
        );
        has(
            &pod(json!({"topologySpreadConstraints": [c(json!({"topologyKey": ""}))]})),
            Kind::Required,
            &format!("{at}.topologyKey"),
        );
        has(
            &pod(json!({"topologySpreadConstraints": [c(json!({"whenUnsatisfiable": "Never"}))]})),
            Kind::NotSupported,
            &format!("{at}.whenUnsatisfiable"),
        );
        has(
            &pod(json!({"topologySpreadConstraints": [c(json!({})), c(json!({}))]})),
            Kind::Duplicate,
            at,
        );
        has(
            &pod(json!({"topologySpreadConstraints": [c(json!({"minDomains": 0}))]})),
            Kind::Invalid,
            &format!("{at}.minDomains"),
        );
        has(
            &pod(
                json!({"topologySpreadConstraints": [c(json!({"minDomains": 2, "whenUnsatisfiable": "ScheduleAnyway"}))]}),
            ),
            Kind::Invalid,
            &format!("{at}.minDomains"),
        );
        has(
            &pod(json!({"topologySpreadConstraints": [c(json!({"nodeTaintsPolicy": "honor"}))]})),
            Kind::NotSupported,
            &format!("{at}.nodeTaintsPolicy"),
        );
        has(
            &pod(json!({"topologySpreadConstraints": [c(json!({"matchLabelKeys": ["app"]}))]})),
            Kind::Invalid,
            &format!("{at}.matchLabelKeys[0]"),
        );
        has(
            &pod(
                json!({"topologySpreadConstraints": [c(json!({"labelSelector": {"matchLabels": {"app": "a b"}}}))]}),
            ),
            Kind::Invalid,
            &format!("{at}.labelSelector.matchLabels.app"),
        );
    }
}
