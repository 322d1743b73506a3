//! Pruning: remove what the server never serializes, so absent and empty compare equal.
//!
//! Input: a DaemonSet as a JSON value. Output: the same value without nulls, empty lists and
//! maps (S18) and zero values of non-pointer `omitempty` fields (S17: `readOnly: false`,
//! `hostPort: 0`, `workingDir: ""` …), children before parents, so a map emptied by pruning is
//! pruned too. Explicit `false` and `0` on pointer fields (`privileged`, `runAsUser`,
//! `terminationGracePeriodSeconds`, `defaultMode`, `optional`) stay: they differ from absent;
//! so does a `localhostProfile` of `""`.
//! Maps of data (labels, annotations, resource lists) keep their values as they are, and maps
//! that mean something when empty (`emptyDir: {}`, a volume's source, an empty label selector)
//! stay.

use serde_json::Value;

/// Removes nulls, empty maps and lists, and zero values of non-pointer fields, children first.
pub(crate) fn prune(v: &mut Value) {
    prune_in(v, Context::Struct);
}

/// Maps whose keys are data, not field names: their values are never pruned as zero values.
const DATA_MAPS: [&str; 9] = [
    "labels",
    "annotations",
    "nodeSelector",
    "matchLabels",
    "volumeAttributes",
    "options",
    "limits",
    "requests",
    "overhead",
];

/// Non-pointer fields whose `false` the server never serializes (omitempty).
const OMITTED_FALSE: [&str; 7] = [
    "hostNetwork",
    "hostPID",
    "hostIPC",
    "stdin",
    "stdinOnce",
    "tty",
    "readOnly",
];

/// Non-pointer integer fields whose `0` the server never serializes (omitempty). Pointer fields
/// such as `terminationGracePeriodSeconds` or `defaultMode` keep an explicit 0.
const OMITTED_ZERO: [&str; 7] = [
    "minReadySeconds",
    "hostPort",
    "initialDelaySeconds",
    "timeoutSeconds",
    "periodSeconds",
    "successThreshold",
    "failureThreshold",
];

/// Pointer string fields whose `""` the server keeps and reads: a `Localhost` profile with
/// `localhostProfile: ""` is valid, and without the field it is not.
const KEPT_EMPTY_STRING: [&str; 1] = ["localhostProfile"];

/// Maps that mean something even when empty (`emptyDir: {}`, an empty selector matches all).
const MEANINGFUL_EMPTY: [&str; 3] = ["emptyDir", "labelSelector", "namespaceSelector"];

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Context {
    /// A Kubernetes struct: its keys are field names.
    Struct,
    /// A map of user data (labels, resource lists): keys are data, values kept as they are.
    Data,
    /// An item of `volumes`: its source field stays even when empty.
    Volume,
}

fn prune_in(v: &mut Value, ctx: Context) {
    match v {
        Value::Object(map) => {
            for (key, child) in map.iter_mut() {
                let child_ctx = if DATA_MAPS.contains(&key.as_str()) {
                    Context::Data
                } else {
                    Context::Struct
                };
                match child {
                    Value::Array(items) => {
                        let item_ctx = if key == "volumes" {
                            Context::Volume
                        } else {
                            Context::Struct
                        };
                        items.iter_mut().for_each(|item| prune_in(item, item_ctx));
                    }
                    _ if ctx == Context::Data => {}
                    _ => prune_in(child, child_ctx),
                }
            }
            map.retain(|key, child| !is_prunable(key, child, ctx));
        }
        Value::Array(items) => items
            .iter_mut()
            .for_each(|item| prune_in(item, Context::Struct)),
        _ => {}
    }
}

fn is_prunable(key: &str, value: &Value, ctx: Context) -> bool {
    match value {
        Value::Null => true,
        Value::Array(items) => items.is_empty(),
        Value::Object(map) => {
            map.is_empty()
                && !MEANINGFUL_EMPTY.contains(&key)
                && !(ctx == Context::Volume && key != "name")
        }
        _ if ctx == Context::Data => false,
        Value::String(s) => s.is_empty() && !KEPT_EMPTY_STRING.contains(&key),
        Value::Bool(b) => !b && OMITTED_FALSE.contains(&key),
        Value::Number(n) => n.as_f64() == Some(0.0) && OMITTED_ZERO.contains(&key),
    }
}

#[cfg(test)]
mod tests {
    use crate::diff::canonicalize;
    use serde_json::{json, Value};

    fn canon(v: Value) -> Value {
        canonicalize(v, &[])
    }

    #[test]
    fn prunes_zero_values_but_keeps_pointers_and_data() {
        let ds = json!({"metadata": {"labels": {"empty": ""}, "annotations": {}},
            "spec": {"minReadySeconds": 0, "template": {"spec": {
                "hostNetwork": false, "terminationGracePeriodSeconds": 0, "nodeSelector": {},
                "containers": [{"name": "c", "imagePullPolicy": "Always", "args": [], "workingDir": "", "resources": {},
                    "securityContext": {"privileged": false, "runAsUser": 0},
                    "volumeMounts": [{"name": "v", "mountPath": "/v", "readOnly": false}],
                    "readinessProbe": {"initialDelaySeconds": 0, "timeoutSeconds": 0, "exec": {"command": ["true"]}}}],
                "volumes": [{"name": "v", "emptyDir": {}}, {"name": "w", "configMap": {"optional": false}}]}}}});
        assert_eq!(
            canon(ds),
            json!({"metadata": {"labels": {"empty": ""}},
                "spec": {"template": {"spec": {
                    "containers": [{"name": "c", "imagePullPolicy": "Always",
                        "readinessProbe": {"exec": {"command": ["true"]}, "timeoutSeconds": 1,
                            "periodSeconds": 10, "successThreshold": 1, "failureThreshold": 3},
                        "securityContext": {"privileged": false, "runAsUser": 0},
                        "volumeMounts": [{"mountPath": "/v", "name": "v"}]}],
                    "terminationGracePeriodSeconds": 0,
                    "volumes": [{"emptyDir": {}, "name": "v"}, {"configMap": {"optional": false}, "name": "w"}]}}}})
        );
    }
}
