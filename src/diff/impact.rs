//! Rollout impact: what applying the change does to the pods on the nodes.
//!
//! Input: the changes and the new canonical object. Output: a [`Rollout`]. A change under
//! `spec.template` makes a new ControllerRevision, so the pod on every node is replaced, so
//! many at a time as the update strategy allows (or only when deleted by hand under
//! `OnDelete`); a change elsewhere (metadata, strategy, history limit) restarts nothing; a
//! change of `spec.selector` cannot be applied at all, because the field is immutable.

use super::changes::Change;
use serde_json::{json, Value};

/// What an apply of the new object does to running pods.
#[derive(Debug, Clone, PartialEq)]
pub enum Rollout {
    /// Nothing changes.
    Nothing,
    /// The DaemonSet does not exist yet: a pod starts on every matching node.
    Create,
    /// Only metadata or DaemonSet-level settings change: no pod restarts.
    NoRestart,
    /// The pod template changes: pods are replaced as the strategy says.
    Restart(Strategy),
    /// An immutable field changes: the API server rejects the apply.
    Blocked {
        /// The immutable fields that differ, e.g. `spec.selector`.
        fields: Vec<String>,
    },
}

/// The new object's update strategy, defaults filled in.
#[derive(Debug, Clone, PartialEq)]
pub enum Strategy {
    /// Replace pods node by node.
    RollingUpdate {
        /// `maxUnavailable`: an integer or a percentage string.
        max_unavailable: Value,
        /// `maxSurge`: an integer or a percentage string.
        max_surge: Value,
        /// `minReadySeconds` a new pod must be ready before the rollout moves on.
        min_ready_seconds: i64,
    },
    /// Replace a pod only when someone deletes it.
    OnDelete,
}

/// Fields the API server refuses to change on an existing DaemonSet.
const IMMUTABLE: [&[&str]; 1] = [&["spec", "selector"]];

/// The impact of going from `old` (absent: a new object) to `new` through `changes`.
pub fn assess(old: Option<&Value>, new: &Value, changes: &[Change]) -> Rollout {
    if old.is_none() {
        return Rollout::Create;
    }
    if changes.is_empty() {
        return Rollout::Nothing;
    }
    let fields: Vec<String> = IMMUTABLE
        .iter()
        .filter(|keys| changes.iter().any(|c| c.path.starts_with_keys(keys)))
        .map(|keys| keys.join("."))
        .collect();
    if !fields.is_empty() {
        return Rollout::Blocked { fields };
    }
    if changes
        .iter()
        .any(|c| c.path.starts_with_keys(&["spec", "template"]))
    {
        Rollout::Restart(strategy(new))
    } else {
        Rollout::NoRestart
    }
}

fn strategy(ds: &Value) -> Strategy {
    let spec = &ds["spec"];
    if spec["updateStrategy"]["type"] == "OnDelete" {
        return Strategy::OnDelete;
    }
    let rolling = &spec["updateStrategy"]["rollingUpdate"];
    let or = |v: &Value, default: Value| if v.is_null() { default } else { v.clone() };
    Strategy::RollingUpdate {
        max_unavailable: or(&rolling["maxUnavailable"], json!(1)),
        max_surge: or(&rolling["maxSurge"], json!(0)),
        min_ready_seconds: spec["minReadySeconds"].as_i64().unwrap_or(0),
    }
}

impl Rollout {
    /// A short machine name: `none`, `create`, `no-restart`, `restart`, `on-delete`, `blocked`.
    pub fn kind(&self) -> &'static str {
        match self {
            Rollout::Nothing => "none",
            Rollout::Create => "create",
            Rollout::NoRestart => "no-restart",
            Rollout::Restart(Strategy::RollingUpdate { .. }) => "restart",
            Rollout::Restart(Strategy::OnDelete) => "on-delete",
            Rollout::Blocked { .. } => "blocked",
        }
    }

    /// Whether the apply cannot go through as it is.
    pub fn is_blocked(&self) -> bool {
        matches!(self, Rollout::Blocked { .. })
    }

    /// One or two sentences for a reviewer, naming the DaemonSet in commands.
    pub fn summary(&self, namespace: &str, name: &str) -> String {
        match self {
            Rollout::Nothing => "nothing to roll out".to_string(),
            Rollout::Create => "creates the DaemonSet: a pod starts on every matching node".to_string(),
            Rollout::NoRestart => {
                "no pod restarts: only metadata or DaemonSet settings change, not the pod template".to_string()
            }
            Rollout::Restart(Strategy::OnDelete) => "the pod template changes, but the update strategy is \
                 OnDelete: running pods keep the old template until someone deletes them, and each \
                 replacement starts with the new one"
                .to_string(),
            Rollout::Restart(Strategy::RollingUpdate {
                max_unavailable,
                max_surge,
                min_ready_seconds,
            }) => {
                let mut text = if is_zero(max_surge) {
                    format!(
                        "restarts the pod on every node, {} at a time (maxUnavailable: {}); \
                         a node has no pod while its pod is replaced",
                        nodes(max_unavailable),
                        show(max_unavailable)
                    )
                } else {
                    format!(
                        "replaces the pod on every node, {} at a time (maxSurge: {}, maxUnavailable: {}); \
                         the new pod starts before the old one stops",
                        nodes(max_surge),
                        show(max_surge),
                        show(max_unavailable)
                    )
                };
                if *min_ready_seconds > 0 {
                    text.push_str(&format!(
                        "; each new pod must stay ready for {min_ready_seconds}s before the next node"
                    ));
                }
                text
            }
            Rollout::Blocked { fields } => format!(
                "cannot be applied: {} is immutable, so the API server rejects the update. Delete the \
                 DaemonSet but keep its pods (`kubectl delete daemonset {name} -n {namespace} \
                 --cascade=orphan`), then apply; the new DaemonSet adopts the pods its selector \
                 matches and replaces them, and pods it does not match must be deleted by hand",
                fields.join(", ")
            ),
        }
    }
}

fn is_zero(v: &Value) -> bool {
    v.as_i64() == Some(0) || v.as_str().is_some_and(|s| s.trim_end_matches('%') == "0")
}

fn show(v: &Value) -> String {
    match v {
        Value::String(s) => s.clone(),
        other => other.to_string(),
    }
}

fn nodes(v: &Value) -> String {
    match v {
        Value::Number(n) if n.as_i64() == Some(1) => "1 node".to_string(),
        Value::Number(n) => format!("{n} nodes"),
        Value::String(s) if s.ends_with('%') => format!("{s} of the nodes"),
        other => format!("{} nodes", show(other)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diff::changes::compare;

    fn ds(strategy: Value, image: &str, selector: &str) -> Value {
        json!({"metadata": {"name": "x"}, "spec": {
            "selector": {"matchLabels": {"app": selector}},
            "updateStrategy": strategy,
            "template": {"spec": {"containers": [{"name": "c", "image": image}]}}}})
    }

    fn assess_pair(old: &Value, new: &Value) -> Rollout {
        assess(Some(old), new, &compare(old, new))
    }

    #[test]
    fn template_change_restarts_with_the_strategy() {
        let old = ds(json!({}), "a:1", "x");
        let new = ds(json!({}), "a:2", "x");
        let rollout = assess_pair(&old, &new);
        assert_eq!(rollout.kind(), "restart");
        assert!(rollout
            .summary("ns", "x")
            .contains("1 node at a time (maxUnavailable: 1)"));
        let surge = ds(
            json!({"rollingUpdate": {"maxSurge": "10%", "maxUnavailable": 0}}),
            "a:2",
            "x",
        );
        let summary = assess_pair(&old, &surge).summary("ns", "x");
        assert!(
            summary.contains("10% of the nodes at a time (maxSurge: 10%"),
            "{summary}"
        );
    }

    #[test]
    fn on_delete_restarts_nothing_now() {
        let old = ds(json!({"type": "OnDelete"}), "a:1", "x");
        let new = ds(json!({"type": "OnDelete"}), "a:2", "x");
        assert_eq!(assess_pair(&old, &new).kind(), "on-delete");
    }

    #[test]
    fn strategy_or_metadata_only_restarts_nothing() {
        let old = ds(json!({}), "a:1", "x");
        let mut new = ds(json!({"rollingUpdate": {"maxUnavailable": 3}}), "a:1", "x");
        new["metadata"]["labels"] = json!({"team": "infra"});
        assert_eq!(assess_pair(&old, &new), Rollout::NoRestart);
    }

    #[test]
    fn selector_change_is_blocked_and_says_what_to_do() {
        let old = ds(json!({}), "a:1", "x");
        let new = ds(json!({}), "a:2", "y");
        let rollout = assess_pair(&old, &new);
        assert!(rollout.is_blocked());
        let summary = rollout.summary("kube-system", "agent");
        assert!(summary.contains("kubectl delete daemonset agent -n kube-system --cascade=orphan"));
    }

    #[test]
    fn new_and_unchanged_objects() {
        let new = ds(json!({}), "a:1", "x");
        assert_eq!(assess(None, &new, &[]), Rollout::Create);
        assert_eq!(assess_pair(&new, &new), Rollout::Nothing);
    }
}
