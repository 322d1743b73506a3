//! `ValidatePodSpecificAnnotations` of the pod template: the mirror-pod annotation, the
//! pod deletion cost and the legacy tolerations annotation. (The seccomp and AppArmor
//! annotations are checked with the security contexts.)

use serde_json::Value;

use super::field::Node;
use super::findings::Findings;
use super::scheduling;

const MIRROR: &str = "kubernetes.io/config.mirror";
const DELETION_COST: &str = "controller.kubernetes.io/pod-deletion-cost";
const TOLERATIONS: &str = "scheduler.alpha.kubernetes.io/tolerations";

/// `ValidatePodSpecificAnnotations` of the annotations at `annotations`, for the pod spec at
/// `pod`.
pub fn pod_annotations(annotations: &Node, pod: &Node, out: &mut Findings) {
    let mirror = annotations.get(MIRROR);
    if mirror.is_set() && pod.get("nodeName").str().is_none_or(str::is_empty) {
        out.invalid(
            &mirror,
            "must set spec.nodeName if mirror pod annotation is set",
        )
        .help(format!(
            "remove the `{MIRROR}` annotation: only the kubelet makes mirror pods"
        ));
    }
    let cost = annotations.get(DELETION_COST);
    if let Some(value) = cost.str() {
        if !is_deletion_cost(value) {
            out.invalid(&cost, "must be a 32bit integer")
                .help("write a whole number between -2147483648 and 2147483647, without `+` or leading zeros");
        }
    }
    let tolerations = annotations.get(TOLERATIONS);
    if let Some(json) = tolerations.str().filter(|s| !s.is_empty()) {
        match serde_json::from_str::<Value>(json) {
            Ok(list @ Value::Array(_)) => {
                let node = Node {
                    value: Some(&list),
                    path: tolerations.path.clone(),
                };
                scheduling::tolerations(&node, out);
            }
            _ => {
                out.invalid(&tolerations, "must be a JSON list of tolerations")
                    .help("use `spec.tolerations` instead of this annotation");
            }
        }
    }
}

/// `GetDeletionCostFromPodAnnotations`: a decimal int32, no `+`, no leading zeros.
fn is_deletion_cost(value: &str) -> bool {
    let first_ok = match value.as_bytes().first() {
        Some(b'-') => true,
        Some(b'0') => value == "0",
        Some(b) => b.is_ascii_digit(),
        None => false,
    };
    first_ok && value.parse::<i32>().is_ok()
}

#[cfg(test)]
mod tests {
    use crate::validate::testing::has_at as has;
    use crate::validate::{daemonset, Finding, Kind};
    use serde_json::{json, Value};

    fn with_annotations(annotations: Value) -> Vec<Finding> {
        let ds = json!({"apiVersion":"apps/v1","kind":"DaemonSet","metadata":{"name":"a","namespace":"default"},
          "spec":{"selector":{"matchLabels":{"app":"a"}},"template":{"metadata":{"labels":{"app":"a"},
          "annotations": annotations},
          "spec":{"containers":[{"name":"a","image":"r/a:1"}]}}}});
        daemonset(&ds)
    }

    const AT: &str = "spec.template.metadata.annotations";

    #[test]
    fn mirror_annotation_needs_node_name() {
        has(
            &with_annotations(json!({"kubernetes.io/config.mirror": "x"})),
            Kind::Invalid,
            &format!("{AT}[kubernetes.io/config.mirror]"),
        );
    }

    #[test]
    fn deletion_cost_is_an_int32() {
        let key = "controller.kubernetes.io/pod-deletion-cost";
        for good in ["0", "-5", "2147483647"] {
            assert!(with_annotations(json!({key: good})).is_empty(), "{good}");
        }
        for bad in ["+1", "007", "2147483648", "x", ""] {
            has(
                &with_annotations(json!({key: bad})),
                Kind::Invalid,
                &format!("{AT}[{key}]"),
            );
        }
    }

    #[test]
    fn tolerations_annotation() {
        let key = "scheduler.alpha.kubernetes.io/tolerations";
        assert!(with_annotations(json!({key: r#"[{"operator":"Exists"}]"#})).is_empty());
        has(
            &with_annotations(json!({key: "{"})),
            Kind::Invalid,
            &format!("{AT}[{key}]"),
        );
        has(
            &with_annotations(json!({key: r#"[{"key":"a","operator":"Exists","value":"b"}]"#})),
            Kind::Invalid,
            &format!("{AT}[{key}][0].operator"),
        );
    }
}
