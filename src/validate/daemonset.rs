//! `ValidateDaemonSet`: the object's metadata, its spec (selector, template, update strategy,
//! `minReadySeconds`, `revisionHistoryLimit`).

use super::field::Node;
use super::findings::Findings;
use super::metadata::{label_selector, text};
use super::{metadata, pod};

/// `ValidateDaemonSet`: the whole DaemonSet at `root`.
pub fn daemonset(root: &Node, out: &mut Findings) {
    metadata::object_meta(&root.get("metadata"), true, out);
    spec(&root.get("spec"), out);
}

/// `ValidateDaemonSetSpec`.
fn spec(spec: &Node, out: &mut Findings) {
    let selector = spec.get("selector");
    let template = spec.get("template");
    let labels = template.at(&["metadata", "labels"]);
    let clean = label_selector(&selector, out);
    // `LabelSelectorAsSelector`: a missing selector selects nothing, an empty one everything.
    if clean && !matches(&selector, &labels) {
        // The first label the selector wants with another value, when that is why: the finding
        // goes to that label (upstream reports `labels` as a whole).
        let differs = selector
            .get("matchLabels")
            .entries()
            .find(|(k, v)| labels.entry(k).is_set() && labels.entry(k).value != v.value);
        if let Some((key, wanted)) = differs {
            out.invalid(
                &labels.entry(key),
                format!(
                    "`selector` does not match template `labels`: the selector wants {}",
                    wanted.shown()
                ),
            )
            .related(&wanted.path, "the selector's value")
            .help("the selector must select the pods it creates: give the label the same value in both places");
        } else {
            let f = out.invalid(&labels, "`selector` does not match template `labels`");
            if selector.is_set() {
                f.related(&selector.path, "the selector");
                f.help("give the template every label of `spec.selector.matchLabels`, with the same values");
            } else {
                f.help("set `spec.selector.matchLabels` to the template's labels");
            }
        }
    }
    if selector.value.is_some_and(|v| v.is_object())
        && selector.get("matchLabels").is_empty()
        && selector.get("matchExpressions").is_empty()
    {
        out.invalid(&selector, "empty selector is invalid for daemonset")
            .help("select the template's labels with `spec.selector.matchLabels`");
    }

    pod::template(&template, out);
    let pod_spec = template.get("spec");
    // After the pod rules: `validateRestartPolicy` knows three values, a DaemonSet only one.
    let restart = pod_spec.get("restartPolicy");
    if let Some(policy) = text(&restart) {
        if !policy.is_empty() && policy != "Always" {
            out.not_supported(&restart, &["Always"])
                .help("remove `restartPolicy`: a DaemonSet's pods always restart");
        }
    }
    let deadline = pod_spec.get("activeDeadlineSeconds");
    if deadline.is_set() {
        out.forbidden(
            &deadline,
            "activeDeadlineSeconds in DaemonSet is not Supported",
        )
        .help("remove `activeDeadlineSeconds`");
    }
    nonnegative(&spec.get("minReadySeconds"), out);
    update_strategy(&spec.get("updateStrategy"), out);
    // Zero is a valid revisionHistoryLimit.
    let history = spec.get("revisionHistoryLimit");
    if history.int().is_some_and(|n| n < 0) {
        out.invalid(&history, "must be greater than or equal to 0")
            .help("keep 0 or more old revisions for rollbacks (the default is 10)");
    }
}

/// `ValidateNonnegativeField`.
pub fn nonnegative(node: &Node, out: &mut Findings) {
    if node.int().is_some_and(|n| n < 0) {
        out.invalid(node, "must be greater than or equal to 0");
    }
}

/// `metav1.LabelSelectorAsSelector(selector).Matches(labels)`, for a selector that converts.
fn matches(selector: &Node, labels: &Node) -> bool {
    if !selector.is_set() {
        return false;
    }
    let label = |key: &str| labels.entry(key).str();
    let by_labels = selector
        .get("matchLabels")
        .entries()
        .all(|(k, v)| labels.entry(k).value == v.value);
    let by_expressions = selector.get("matchExpressions").items().all(|expr| {
        let Some(key) = expr.get("key").str() else {
            return false;
        };
        let mut values = expr.get("values").items().filter_map(|v| v.str());
        match (expr.get("operator").str(), label(key)) {
            (Some("In"), Some(have)) => values.any(|v| v == have),
            (Some("In"), None) => false,
            (Some("NotIn"), Some(have)) => !values.any(|v| v == have),
            (Some("NotIn"), None) => true,
            (Some("Exists"), have) => have.is_some(),
            (Some("DoesNotExist"), have) => have.is_none(),
            _ => false,
        }
    });
    by_labels && by_expressions
}

/// `ValidateDaemonSetUpdateStrategy`, after `SetDefaults_DaemonSet` (type `RollingUpdate`,
/// `maxUnavailable` 1, `maxSurge` 0 when absent).
fn update_strategy(strategy: &Node, out: &mut Findings) {
    let kind = strategy.get("type");
    match text(&kind) {
        Some("OnDelete") => {}
        Some("RollingUpdate" | "") => rolling_update(&strategy.get("rollingUpdate"), out),
        Some(_) => {
            out.not_supported(&kind, &["RollingUpdate", "OnDelete"])
                .help("a DaemonSet has no `Recreate`: use `RollingUpdate` or `OnDelete`");
        }
        None => {}
    }
}

/// `ValidateRollingUpdateDaemonSet`.
fn rolling_update(rolling: &Node, out: &mut Findings) {
    let unavailable = rolling.get("maxUnavailable");
    let surge = rolling.get("maxSurge");
    let u = int_or_percent(&unavailable, 1, out);
    let s = int_or_percent(&surge, 0, out);
    match (u, s) {
        (Some(u), Some(s)) if u != 0 && s != 0 => {
            // Related even when absent (the canonical form drops a written default of 1).
            let label = match unavailable.is_set() {
                true => "maxUnavailable set here",
                false => "maxUnavailable is 1",
            };
            let f = out
                .invalid(&surge, "may not be set when maxUnavailable is non-zero")
                .related(&unavailable.path, label);
            if unavailable.is_set() {
                f.help("only one of them may be non-zero: set `maxUnavailable: 0` to surge, or remove `maxSurge`");
            } else {
                f.help("only one of them may be non-zero, and `maxUnavailable` is 1 when not set: set `maxUnavailable` to 0 to surge, or remove `maxSurge`");
            }
        }
        (Some(0), Some(0)) => {
            out.required(&unavailable, "cannot be 0 when maxSurge is 0")
                .help("with both 0 a rollout never progresses: set `maxUnavailable` (e.g. 1), or `maxSurge` (e.g. 1) to start each new pod before its old one stops");
        }
        _ => {}
    }
}

/// `ValidatePositiveIntOrPercent` and `IsNotMoreThan100Percent` of an int-or-string, absent
/// meaning `default`; its value as `getIntOrPercentValue` reads it (`None` for another type).
fn int_or_percent(node: &Node, default: i64, out: &mut Findings) -> Option<i64> {
    if !node.is_set() {
        return Some(default);
    }
    if let Some(n) = node.int() {
        if n < 0 {
            out.invalid(node, "must be greater than or equal to 0")
                .help("give a number of pods of 0 or more, or a percentage such as `10%`");
        }
        return Some(n);
    }
    let s = node.str()?;
    match is_valid_percent(s) {
        Some(percent) => {
            if percent > 100 {
                out.invalid(node, "must not be greater than 100%")
                    .help("give a percentage of the nodes from 0% to 100% (rounded down), or a number of pods");
            }
            Some(percent)
        }
        None => {
            let help = match s.trim().parse::<i64>() {
                // A number in quotes (as templates often write it) is a string to the server.
                Ok(n) => format!(
                    "a quoted number is a string, and a string must be a percent: write `{n}` \
                     without quotes, or `{n}%`"
                ),
                Err(_) => "write a whole number (`1`) or a percent (`10%`)".into(),
            };
            out.invalid(
                node,
                "a valid percent string must be a numeric string followed by an ending '%'",
            )
            .help(help);
            // `IntValue` of a string: its number, or 0.
            Some(s.parse().unwrap_or(0))
        }
    }
}

/// `IsValidPercent` (`[0-9]+%`): the number, saturated.
fn is_valid_percent(s: &str) -> Option<i64> {
    let digits = s.strip_suffix('%')?;
    if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    Some(digits.bytes().fold(0i64, |n, b| {
        n.saturating_mul(10).saturating_add(i64::from(b - b'0'))
    }))
}

#[cfg(test)]
mod tests {
    use crate::validate::testing::{has_at as has, valid};
    use crate::validate::{daemonset, Finding, Kind};
    use serde_json::{json, Value};

    fn run(patch: impl FnOnce(&mut Value)) -> Vec<Finding> {
        let mut ds = valid();
        patch(&mut ds);
        daemonset(&ds)
    }

    const LABELS: &str = "spec.template.metadata.labels";

    #[test]
    fn selector_must_match_template_labels() {
        // A label with another value is reported at that label.
        has(
            &run(|d| d["spec"]["selector"] = json!({"matchLabels": {"app": "b"}})),
            Kind::Invalid,
            &format!("{LABELS}.app"),
        );
        has(
            &run(|d| d["spec"]["selector"] = json!({"matchLabels": {"tier": "b"}})),
            Kind::Invalid,
            LABELS,
        );
        has(
            &run(|d| {
                d["spec"]
                    .as_object_mut()
                    .unwrap()
                    .remove("selector")
                    .map(drop)
                    .unwrap()
            }),
            Kind::Invalid,
            LABELS,
        );
        let exprs = |op: &str, values: Value| json!({"matchExpressions": [{"key": "app", "operator": op, "values": values}]});
        assert!(run(|d| d["spec"]["selector"] = exprs("In", json!(["a", "b"]))).is_empty());
        has(
            &run(|d| d["spec"]["selector"] = exprs("NotIn", json!(["a"]))),
            Kind::Invalid,
            LABELS,
        );
        assert!(run(|d| d["spec"]["selector"] =
            json!({"matchExpressions": [{"key": "app", "operator": "Exists"}]}))
        .is_empty());
    }

    #[test]
    fn selector_syntax() {
        let sel = "spec.selector.matchExpressions[0]";
        let f = run(|d| {
            d["spec"]["selector"] =
                json!({"matchExpressions": [{"key": "app", "operator": "in", "values": ["a"]}]})
        });
        has(&f, Kind::Invalid, &format!("{sel}.operator"));
        assert!(
            !f.iter().any(|f| f.path.to_string() == LABELS),
            "no match check on a broken selector"
        );
        has(
            &run(|d| {
                d["spec"]["selector"] =
                    json!({"matchExpressions": [{"key": "app", "operator": "In"}]})
            }),
            Kind::Required,
            &format!("{sel}.values"),
        );
        has(
            &run(
                |d| d["spec"]["selector"] = json!({"matchExpressions": [{"key": "app", "operator": "Exists", "values": ["a"]}]}),
            ),
            Kind::Forbidden,
            &format!("{sel}.values"),
        );
        has(
            &run(|d| {
                d["spec"]["selector"] = json!({"matchExpressions": [{"key": "app", "operator": "In", "values": ["a b"]}]})
            }),
            Kind::Invalid,
            &format!("{sel}.values[0]"),
        );
        has(
            &run(|d| d["spec"]["selector"] = json!({"matchLabels": {"app": "a", "x/y/z": "1"}})),
            Kind::Invalid,
            "spec.selector.matchLabels[x/y/z]",
        );
    }

    #[test]
    fn empty_selector_is_invalid() {
        has(
            &run(|d| d["spec"]["selector"] = json!({})),
            Kind::Invalid,
            "spec.selector",
        );
    }

    #[test]
    fn restart_policy_and_deadline() {
        assert!(
            run(|d| d["spec"]["template"]["spec"]["restartPolicy"] = json!("Always")).is_empty()
        );
        has(
            &run(|d| d["spec"]["template"]["spec"]["restartPolicy"] = json!("OnFailure")),
            Kind::NotSupported,
            "spec.template.spec.restartPolicy",
        );
        has(
            &run(|d| d["spec"]["template"]["spec"]["activeDeadlineSeconds"] = json!(10)),
            Kind::Forbidden,
            "spec.template.spec.activeDeadlineSeconds",
        );
    }

    #[test]
    fn counts_are_nonnegative() {
        assert!(run(|d| d["spec"]["minReadySeconds"] = json!(0)).is_empty());
        has(
            &run(|d| d["spec"]["minReadySeconds"] = json!(-1)),
            Kind::Invalid,
            "spec.minReadySeconds",
        );
        assert!(run(|d| d["spec"]["revisionHistoryLimit"] = json!(0)).is_empty());
        has(
            &run(|d| d["spec"]["revisionHistoryLimit"] = json!(-1)),
            Kind::Invalid,
            "spec.revisionHistoryLimit",
        );
    }

    #[test]
    fn strategy_type() {
        assert!(run(|d| d["spec"]["updateStrategy"] = json!({"type": "OnDelete"})).is_empty());
        has(
            &run(|d| d["spec"]["updateStrategy"] = json!({"type": "Recreate"})),
            Kind::NotSupported,
            "spec.updateStrategy.type",
        );
    }

    #[test]
    fn rolling_update_values() {
        let ru = |v: Value| {
            move |d: &mut Value| {
                d["spec"]["updateStrategy"] = json!({"type": "RollingUpdate", "rollingUpdate": v})
            }
        };
        let at = "spec.updateStrategy.rollingUpdate";
        assert!(run(ru(json!({"maxUnavailable": "100%"}))).is_empty());
        has(
            &run(ru(json!({"maxUnavailable": "101%"}))),
            Kind::Invalid,
            &format!("{at}.maxUnavailable"),
        );
        has(
            &run(ru(json!({"maxUnavailable": "10"}))),
            Kind::Invalid,
            &format!("{at}.maxUnavailable"),
        );
        has(
            &run(ru(json!({"maxUnavailable": -1}))),
            Kind::Invalid,
            &format!("{at}.maxUnavailable"),
        );
        // maxUnavailable defaults to 1: a surge alone is two non-zero values.
        has(
            &run(ru(json!({"maxSurge": 1}))),
            Kind::Invalid,
            &format!("{at}.maxSurge"),
        );
        assert!(run(ru(json!({"maxSurge": "10%", "maxUnavailable": 0}))).is_empty());
        has(
            &run(ru(json!({"maxSurge": 0, "maxUnavailable": "0%"}))),
            Kind::Required,
            &format!("{at}.maxUnavailable"),
        );
    }

    #[test]
    fn quoted_number_is_not_a_percent() {
        let ru = |v: Value| {
            move |d: &mut Value| {
                d["spec"]["updateStrategy"] = json!({"type": "RollingUpdate", "rollingUpdate": v})
            }
        };
        // `"2"` counts as 2 (`IntValue`), so it breaks only the percent form.
        let found = run(ru(json!({"maxUnavailable": "2"})));
        assert_eq!(found.len(), 1, "{found:#?}");
        assert_eq!(found[0].kind, Kind::Invalid);
        assert!(found[0].help.as_deref().is_some_and(|h| h.contains("`2`")));
        let found = run(ru(json!({"maxUnavailable": "10.5%", "maxSurge": 1})));
        assert_eq!(found.len(), 1, "{found:#?}");
        assert!(found[0]
            .help
            .as_deref()
            .is_some_and(|h| h.contains("`10%`")));
    }
}
