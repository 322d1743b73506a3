//! Server defaults of a DaemonSet: bring both sides to one form for every value the API server
//! would fill in.
//!
//! Input: a DaemonSet as a JSON value (server fields already dropped, values normalized).
//! Output: the same object where
//! * values the compiler always writes are filled in when absent, so that canonicalizing the
//!   compiler's output is a no-op: `imagePullPolicy` (resolved from the image, row 11),
//!   `ports[].protocol` (`TCP`, row 14), `hostPort` equal to `containerPort` under
//!   `hostNetwork` (row 15), probe timings and thresholds and HTTP handler path and
//!   scheme (rows 19-26), as `live-diff.md` 4.3 recommends, and a toleration's `operator`
//!   (`Equal`, which an absent operator means);
//! * every other defaulted value is removed when it equals the default: the STRIP rows of
//!   section 1a and S12 to S14 of 1b, conditional ones included (`serviceAccount` equal to
//!   `serviceAccountName`).
//!
//! [`default_for`] lets a change summary print `1 (default)` for a side where a value is
//! absent. Zero values and empty collections (S17, S18) are pruned by `prune.rs` afterwards.

use super::path::Path;
use super::pattern::PathPattern;
use serde_json::{json, Value};
use std::sync::OnceLock;

/// The lists of containers in a pod spec; rules on `C[]` apply to all three.
pub(crate) const CONTAINER_LISTS: [&str; 3] =
    ["containers", "initContainers", "ephemeralContainers"];

const PROBES: [&str; 3] = ["livenessProbe", "readinessProbe", "startupProbe"];

/// A field whose value the server fills in when the client leaves it empty.
struct Rule {
    pattern: PathPattern,
    default: Value,
}

/// Where the pod spec sits in a DaemonSet.
const POD_SPEC: [&str; 3] = ["spec", "template", "spec"];

/// The rules, built on first use: those of the DaemonSet from its root, those of the pod from
/// the pod spec (found once, not once per rule).
struct Rules {
    top: Vec<Rule>,
    pod: Vec<Rule>,
}

fn rules() -> &'static Rules {
    static RULES: OnceLock<Rules> = OnceLock::new();
    RULES.get_or_init(build_rules)
}

fn build_rules() -> Rules {
    let mut top = Vec::new();
    let mut add = |parts: &[&str], default: Value| {
        top.push(Rule {
            pattern: PathPattern::from_parts(parts),
            default,
        })
    };
    // DaemonSet spec (rows 1-5).
    add(&["spec", "updateStrategy", "type"], json!("RollingUpdate"));
    add(
        &["spec", "updateStrategy", "rollingUpdate", "maxUnavailable"],
        json!(1),
    );
    add(
        &["spec", "updateStrategy", "rollingUpdate", "maxSurge"],
        json!(0),
    );
    add(&["spec", "revisionHistoryLimit"], json!(10));
    // Pod spec (rows 6-10), from the pod spec.
    let at = |rest: &[&'static str]| -> Vec<&'static str> { rest.to_vec() };
    let mut pod_rules: Vec<(Vec<&str>, Value)> = vec![
        (at(&["dnsPolicy"]), json!("ClusterFirst")),
        (at(&["restartPolicy"]), json!("Always")),
        (at(&["terminationGracePeriodSeconds"]), json!(30)),
        (at(&["schedulerName"]), json!("default-scheduler")),
    ];
    // Containers (rows 12-27, S14).
    for list in CONTAINER_LISTS {
        let c = |rest: &[&'static str]| [&[list, "*"], rest].concat();
        pod_rules.push((
            c(&["terminationMessagePath"]),
            json!("/dev/termination-log"),
        ));
        pod_rules.push((c(&["terminationMessagePolicy"]), json!("File")));
        let value_from = ["env", "*", "valueFrom"];
        pod_rules.push((
            c(&[&value_from[..], &["fieldRef", "apiVersion"]].concat()),
            json!("v1"),
        ));
        pod_rules.push((
            c(&[&value_from[..], &["fileKeyRef", "optional"]].concat()),
            json!(false),
        ));
        pod_rules.push((
            c(&[&value_from[..], &["resourceFieldRef", "divisor"]].concat()),
            json!("0"),
        ));
        // Probe timings and HTTP path and scheme (rows 19-26) are filled, not stripped: the
        // compiler writes them out (seed F29/F30), see `fill_probe_defaults`.
        for probe in PROBES {
            pod_rules.push((c(&[probe, "grpc", "service"]), json!("")));
        }
    }
    // Volumes (rows 29-49).
    let v = |rest: &[&'static str]| [&["volumes", "*"], rest].concat();
    pod_rules.push((v(&["hostPath", "type"]), json!("")));
    for source in ["configMap", "secret", "downwardAPI", "projected"] {
        pod_rules.push((v(&[source, "defaultMode"]), json!(420)));
    }
    pod_rules.push((
        v(&["downwardAPI", "items", "*", "fieldRef", "apiVersion"]),
        json!("v1"),
    ));
    let projected = ["projected", "sources", "*"];
    pod_rules.push((
        v(&[
            &projected[..],
            &["downwardAPI", "items", "*", "fieldRef", "apiVersion"],
        ]
        .concat()),
        json!("v1"),
    ));
    pod_rules.push((
        v(&[
            &projected[..],
            &["serviceAccountToken", "expirationSeconds"],
        ]
        .concat()),
        json!(3600),
    ));
    let claim = ["ephemeral", "volumeClaimTemplate", "spec", "volumeMode"];
    pod_rules.push((v(&claim), json!("Filesystem")));
    pod_rules.push((v(&["iscsi", "iscsiInterface"]), json!("default")));
    pod_rules.push((v(&["rbd", "pool"]), json!("rbd")));
    pod_rules.push((v(&["rbd", "user"]), json!("admin")));
    pod_rules.push((v(&["rbd", "keyring"]), json!("/etc/ceph/keyring")));
    pod_rules.push((v(&["azureDisk", "cachingMode"]), json!("ReadWrite")));
    pod_rules.push((v(&["azureDisk", "fsType"]), json!("ext4")));
    pod_rules.push((v(&["azureDisk", "readOnly"]), json!(false)));
    pod_rules.push((v(&["azureDisk", "kind"]), json!("Shared")));
    pod_rules.push((v(&["scaleIO", "storageMode"]), json!("ThinProvisioned")));
    pod_rules.push((v(&["scaleIO", "fsType"]), json!("xfs")));
    let pod = pod_rules
        .into_iter()
        .map(|(parts, default)| Rule {
            pattern: PathPattern::from_parts(&parts),
            default,
        })
        .collect();
    Rules { top, pod }
}

/// Removes every value equal to its server default, including the conditional ones.
pub(crate) fn normalize_defaults(obj: &mut Value) {
    let rules = rules();
    for rule in &rules.top {
        rule.pattern
            .remove_where(obj, &|v| same_value(v, &rule.default));
    }
    if let Some(pod) = obj.pointer_mut("/spec/template/spec") {
        for rule in &rules.pod {
            rule.pattern
                .remove_where(pod, &|v| same_value(v, &rule.default));
        }
        conditional_defaults(pod);
    }
}

/// The server default standing in for an absent value at `path`, for display only.
pub(crate) fn default_for(path: &Path) -> Option<&'static Value> {
    let rules = rules();
    let (candidates, rest) = if path.starts_with_keys(&POD_SPEC) {
        (&rules.pod, &path.0[POD_SPEC.len()..])
    } else {
        (&rules.top, &path.0[..])
    };
    candidates
        .iter()
        .find(|r| r.pattern.matches_segments(rest))
        .map(|r| &r.default)
}

/// Equality that treats `1`, `1.0` and `"1"`-free numbers alike.
fn same_value(a: &Value, b: &Value) -> bool {
    match (a, b) {
        (Value::Number(x), Value::Number(y)) => x.as_f64() == y.as_f64(),
        _ => a == b,
    }
}

/// Defaults that depend on other fields of the same pod spec (rows 11, 14, 15, 28, S12).
fn conditional_defaults(pod: &mut Value) {
    let Some(pod) = pod.as_object_mut() else {
        return;
    };
    let host_network = pod.get("hostNetwork") == Some(&Value::Bool(true));
    for list in CONTAINER_LISTS {
        let Some(Value::Array(containers)) = pod.get_mut(list) else {
            continue;
        };
        for container in containers.iter_mut().filter_map(Value::as_object_mut) {
            let image = container.get("image").and_then(Value::as_str).unwrap_or("");
            let policy = default_pull_policy(image);
            fill(container, "imagePullPolicy", policy);
            fill_probe_defaults(container);
            let Some(Value::Array(ports)) = container.get_mut("ports") else {
                continue;
            };
            for port in ports.iter_mut().filter_map(Value::as_object_mut) {
                fill(port, "protocol", "TCP");
                // Row 15: under hostNetwork the compiler writes `hostPort: containerPort` (the
                // server requires them equal), so an absent host port is filled the same way.
                let unset = port
                    .get("hostPort")
                    .is_none_or(|h| same_value(h, &json!(0)));
                if host_network && unset {
                    if let Some(container_port) = port.get("containerPort").cloned() {
                        port.insert("hostPort".to_string(), container_port);
                    }
                }
            }
        }
    }
    // An absent toleration operator means `Equal`, which the compiler writes out.
    if let Some(Value::Array(tolerations)) = pod.get_mut("tolerations") {
        for t in tolerations.iter_mut().filter_map(Value::as_object_mut) {
            fill(t, "operator", "Equal");
        }
    }
    // S12: `serviceAccount` is the deprecated alias; the server copies it both ways.
    let name = pod
        .get("serviceAccountName")
        .and_then(Value::as_str)
        .unwrap_or("");
    match pod.get("serviceAccount").and_then(Value::as_str) {
        Some(alias) if name.is_empty() => {
            let alias = Value::String(alias.to_string());
            pod.insert("serviceAccountName".to_string(), alias);
            pod.shift_remove("serviceAccount");
        }
        Some(alias) if alias == name => {
            pod.shift_remove("serviceAccount");
        }
        _ => {}
    }
    // Row 28: a volume without a source is an emptyDir.
    if let Some(Value::Array(volumes)) = pod.get_mut("volumes") {
        for volume in volumes.iter_mut().filter_map(Value::as_object_mut) {
            if volume.keys().all(|k| k == "name") {
                volume.insert("emptyDir".to_string(), json!({}));
            }
        }
    }
}

/// Rows 19-26: the compiler writes every probe's timings and thresholds and every HTTP
/// handler's path and scheme, so they are filled where the server would fill them.
fn fill_probe_defaults(container: &mut serde_json::Map<String, Value>) {
    let fill_http = |handler: &mut Value| {
        if let Some(http) = handler.get_mut("httpGet").and_then(Value::as_object_mut) {
            fill(http, "path", "/");
            fill(http, "scheme", "HTTP");
        }
    };
    for name in PROBES {
        let Some(probe) = container.get_mut(name) else {
            continue;
        };
        fill_http(probe);
        if let Some(probe) = probe.as_object_mut() {
            for (key, default) in [
                ("timeoutSeconds", 1),
                ("periodSeconds", 10),
                ("successThreshold", 1),
                ("failureThreshold", 3),
            ] {
                if probe
                    .get(key)
                    .and_then(Value::as_i64)
                    .is_none_or(|v| v == 0)
                {
                    probe.insert(key.to_string(), json!(default));
                }
            }
        }
    }
    if let Some(lifecycle) = container.get_mut("lifecycle") {
        for hook in ["postStart", "preStop"] {
            if let Some(handler) = lifecycle.get_mut(hook) {
                fill_http(handler);
            }
        }
    }
}

/// Sets `key` to `value` when it is absent or empty.
fn fill(map: &mut serde_json::Map<String, Value>, key: &str, value: &str) {
    if map
        .get(key)
        .and_then(Value::as_str)
        .is_none_or(str::is_empty)
    {
        map.insert(key.to_string(), Value::String(value.to_string()));
    }
}

/// The pull policy the server fills in for `image` (row 11): `Always` for a `latest` tag or no
/// tag and no digest, otherwise `IfNotPresent` (also for references that do not parse).
pub(crate) fn default_pull_policy(image: &str) -> &'static str {
    if !plausible_reference(image) {
        return "IfNotPresent";
    }
    let (name, digest) = match image.split_once('@') {
        Some((name, digest)) => (name, Some(digest)),
        None => (image, None),
    };
    let last = name.rsplit('/').next().unwrap_or(name);
    let tag = last.split_once(':').map(|(_, tag)| tag);
    match (tag, digest) {
        (Some("latest"), _) | (None, None) => "Always",
        _ => "IfNotPresent",
    }
}

/// A rough stand-in for docker's reference grammar: enough to tell what the server's parser
/// rejects (empty, spaces, upper case in the repository path).
fn plausible_reference(image: &str) -> bool {
    if image.is_empty() || image.contains(char::is_whitespace) {
        return false;
    }
    let name = image.split('@').next().unwrap_or(image);
    let mut parts: Vec<&str> = name.split('/').collect();
    let has_domain = parts.len() > 1
        && (parts[0].contains(['.', ':'])
            || parts[0] == "localhost"
            || parts[0].chars().any(|c| c.is_ascii_uppercase()));
    if has_domain {
        parts.remove(0);
    }
    let path = parts.join("/");
    let repo = path.split(':').next().unwrap_or("");
    !repo.is_empty() && !repo.chars().any(|c| c.is_ascii_uppercase())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diff::path::Segment;

    #[test]
    fn pull_policy_follows_the_tag() {
        assert_eq!(default_pull_policy("nginx"), "Always");
        assert_eq!(default_pull_policy("nginx:latest"), "Always");
        assert_eq!(default_pull_policy("nginx:1.25"), "IfNotPresent");
        assert_eq!(default_pull_policy("nginx@sha256:abc"), "IfNotPresent");
        assert_eq!(default_pull_policy("nginx:latest@sha256:abc"), "Always");
        assert_eq!(default_pull_policy("registry:5000/x"), "Always");
        assert_eq!(default_pull_policy("registry:5000/x:2"), "IfNotPresent");
        assert_eq!(default_pull_policy("Nginx"), "IfNotPresent");
        assert_eq!(default_pull_policy(""), "IfNotPresent");
        assert_eq!(default_pull_policy("Registry.io/nginx"), "Always");
    }

    #[test]
    fn strips_unconditional_rows_and_fills_probe_timings() {
        let mut ds = json!({"spec": {
            "revisionHistoryLimit": 10,
            "updateStrategy": {"type": "RollingUpdate", "rollingUpdate": {"maxUnavailable": 1, "maxSurge": 0}},
            "template": {"spec": {
                "dnsPolicy": "ClusterFirst",
                "terminationGracePeriodSeconds": 0,
                "initContainers": [{"name": "i", "image": "i:1", "terminationMessagePolicy": "File"}],
                "containers": [{"name": "c", "image": "c:1", "livenessProbe": {"failureThreshold": 6, "periodSeconds": 10,
                    "httpGet": {"path": "/", "scheme": "HTTP", "port": 80}}}],
                "volumes": [{"name": "v", "secret": {"secretName": "s", "defaultMode": 420}},
                            {"name": "w", "configMap": {"name": "m", "defaultMode": 256}}]
            }}
        }});
        normalize_defaults(&mut ds);
        assert_eq!(
            ds,
            json!({"spec": {
                "updateStrategy": {"rollingUpdate": {}},
                "template": {"spec": {
                    "terminationGracePeriodSeconds": 0,
                    "initContainers": [{"name": "i", "image": "i:1", "imagePullPolicy": "IfNotPresent"}],
                    "containers": [{"name": "c", "image": "c:1", "imagePullPolicy": "IfNotPresent",
                        "livenessProbe": {"failureThreshold": 6, "periodSeconds": 10, "successThreshold": 1,
                            "timeoutSeconds": 1, "httpGet": {"path": "/", "scheme": "HTTP", "port": 80}}}],
                    "volumes": [{"name": "v", "secret": {"secretName": "s"}},
                                {"name": "w", "configMap": {"name": "m", "defaultMode": 256}}]
                }}
            }})
        );
    }

    #[test]
    fn host_port_filled_under_host_network_and_explicit_protocol() {
        let ports = json!([{"containerPort": 9100}]);
        let mut on = json!({"spec": {"template": {"spec": {"hostNetwork": true,
            "containers": [{"name": "c", "image": "x:1", "ports": ports.clone()}]}}}});
        let mut off = json!({"spec": {"template": {"spec": {
            "containers": [{"name": "c", "image": "x", "imagePullPolicy": "IfNotPresent", "ports": ports}]}}}});
        normalize_defaults(&mut on);
        normalize_defaults(&mut off);
        let c_on = &on["spec"]["template"]["spec"]["containers"][0];
        let c_off = &off["spec"]["template"]["spec"]["containers"][0];
        assert_eq!(
            c_on,
            &json!({"name": "c", "image": "x:1", "imagePullPolicy": "IfNotPresent",
                "ports": [{"containerPort": 9100, "hostPort": 9100, "protocol": "TCP"}]})
        );
        assert_eq!(
            c_off["ports"],
            json!([{"containerPort": 9100, "protocol": "TCP"}])
        );
        assert_eq!(
            c_off["imagePullPolicy"], "IfNotPresent",
            "x without tag defaults to Always"
        );
    }

    #[test]
    fn toleration_operator_is_equal_when_absent() {
        let mut ds = json!({"spec": {"template": {"spec": {"tolerations": [
            {"key": "a", "effect": "NoSchedule"}, {"operator": "Exists"}]}}}});
        normalize_defaults(&mut ds);
        assert_eq!(
            ds["spec"]["template"]["spec"]["tolerations"],
            json!([{"key": "a", "effect": "NoSchedule", "operator": "Equal"}, {"operator": "Exists"}])
        );
    }

    #[test]
    fn service_account_alias() {
        let mut same = json!({"spec": {"template": {"spec": {"serviceAccount": "a", "serviceAccountName": "a"}}}});
        let mut alias_only = json!({"spec": {"template": {"spec": {"serviceAccount": "a"}}}});
        let mut differ = json!({"spec": {"template": {"spec": {"serviceAccount": "a", "serviceAccountName": "b"}}}});
        for v in [&mut same, &mut alias_only] {
            normalize_defaults(v);
            assert_eq!(
                v["spec"]["template"]["spec"],
                json!({"serviceAccountName": "a"})
            );
        }
        normalize_defaults(&mut differ);
        assert_eq!(differ["spec"]["template"]["spec"]["serviceAccount"], "a");
    }

    #[test]
    fn sourceless_volume_is_an_empty_dir() {
        let mut ds = json!({"spec": {"template": {"spec": {"volumes": [{"name": "tmp"}]}}}});
        normalize_defaults(&mut ds);
        assert_eq!(
            ds["spec"]["template"]["spec"]["volumes"][0],
            json!({"name": "tmp", "emptyDir": {}})
        );
    }

    #[test]
    fn default_for_names_display_defaults() {
        let path = |keys: &[&str]| Path(keys.iter().map(|k| Segment::Key(k.to_string())).collect());
        let max = path(&["spec", "updateStrategy", "rollingUpdate", "maxUnavailable"]);
        assert_eq!(default_for(&max), Some(&json!(1)));
        assert_eq!(default_for(&path(&["spec", "minReadySeconds"])), None);
    }
}
