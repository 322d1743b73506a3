//! Property tests of the diff stage: canonicalization is idempotent on any input, a manifest
//! equals itself as served by the API server, comparison finds a change exactly when canonical
//! objects differ, and no redacted secret reaches any rendering.

mod support;

use dsc::diff::{canonicalize, compare, diff, DiffOptions};
use proptest::prelude::*;
use serde_json::{json, Map, Value};

/// Field names the canonical form treats specially, so random trees hit its rules.
const VOCABULARY: &[&str] = &[
    "spec",
    "template",
    "metadata",
    "containers",
    "initContainers",
    "env",
    "ports",
    "volumes",
    "volumeMounts",
    "limits",
    "requests",
    "resources",
    "labels",
    "annotations",
    "emptyDir",
    "hostNetwork",
    "readOnly",
    "hostPort",
    "containerPort",
    "protocol",
    "imagePullPolicy",
    "image",
    "name",
    "serviceAccount",
    "serviceAccountName",
    "defaultMode",
    "divisor",
    "updateStrategy",
    "rollingUpdate",
    "maxUnavailable",
    "maxSurge",
    "type",
    "status",
    "livenessProbe",
    "timeoutSeconds",
    "httpGet",
    "path",
    "scheme",
    "valueFrom",
    "fieldRef",
    "apiVersion",
    "mountPath",
    "args",
    "value",
    "configMap",
    "hostPath",
    "x",
];

fn leaf() -> impl Strategy<Value = Value> {
    prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::Bool),
        prop_oneof![
            Just(0i64),
            Just(1),
            Just(3),
            Just(10),
            Just(30),
            Just(420),
            Just(80),
            -5i64..5
        ]
        .prop_map(|n| json!(n)),
        prop_oneof![Just(0.5f64), Just(2.0), Just(1e3), Just(-0.25)].prop_map(|f| json!(f)),
        prop::sample::select(vec![
            "",
            "0",
            "0644",
            "0o600",
            "1Gi",
            "1024Mi",
            "0.5",
            "500m",
            "1e3",
            "100n",
            "1.5Ki",
            "TCP",
            "HTTP",
            "/",
            "v1",
            "RollingUpdate",
            "OnDelete",
            "IfNotPresent",
            "Always",
            "nginx",
            "nginx:latest",
            "x:1",
            "a",
            "b",
            "10%",
            "-1",
            "abc",
        ])
        .prop_map(|s| json!(s)),
    ]
}

fn tree() -> impl Strategy<Value = Value> {
    leaf().prop_recursive(5, 64, 6, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..4).prop_map(Value::Array),
            prop::collection::vec((prop::sample::select(VOCABULARY), inner), 0..6).prop_map(
                |pairs| Value::Object(pairs.into_iter().map(|(k, v)| (k.to_string(), v)).collect())
            ),
        ]
    })
}

/// A random tree placed where the canonical form looks: top level, DaemonSet spec, pod spec.
fn object() -> impl Strategy<Value = Value> {
    (
        tree(),
        tree(),
        tree(),
        prop::sample::select(vec!["apps/v1", "extensions/v1beta1"]),
    )
        .prop_map(|(top, spec, pod, version)| {
            let mut obj = match top {
                Value::Object(map) => map,
                _ => Map::new(),
            };
            obj.insert("apiVersion".into(), json!(version));
            obj.insert(
                "spec".into(),
                json!({"extra": spec, "template": {"spec": pod}}),
            );
            Value::Object(obj)
        })
}

fn container() -> impl Strategy<Value = Value> {
    (
        prop::sample::select(vec!["a", "b", "c"]),
        prop::sample::select(vec!["nginx", "nginx:latest", "x:1", "r:5000/y", "x@sha256:ab", "Bad"]),
        prop::option::of(prop::sample::select(vec!["Always", "IfNotPresent", "Never"])),
        prop::option::of((prop::sample::select(vec![80i64, 443, 9100]), any::<bool>())),
        prop::option::of(prop::sample::select(vec!["0.5", "500m", "1", "1000m", "0.1", "2"])),
        prop::option::of(prop::sample::select(vec!["1Gi", "1024Mi", "0.5Gi", "1000M", "128Mi"])),
        prop::option::of((0i64..4, prop::sample::select(vec![0i64, 1, 10, 30]))),
        any::<bool>(),
    )
        .prop_map(|(name, image, policy, port, cpu, memory, probe, read_only)| {
            let mut c = json!({"name": name, "image": image,
                "volumeMounts": [{"name": "v", "mountPath": "/v", "readOnly": read_only}],
                "env": [{"name": "NODE", "valueFrom": {"fieldRef": {"fieldPath": "spec.nodeName"}}}]});
            if let Some(policy) = policy {
                c["imagePullPolicy"] = json!(policy);
            }
            if let Some((port, explicit_host)) = port {
                c["ports"] = if explicit_host {
                    json!([{"containerPort": port, "hostPort": port}])
                } else {
                    json!([{"containerPort": port}])
                };
            }
            let mut limits = Map::new();
            if let Some(cpu) = cpu {
                limits.insert("cpu".into(), json!(cpu));
            }
            if let Some(memory) = memory {
                limits.insert("memory".into(), json!(memory));
            }
            c["resources"] = json!({"limits": limits});
            if let Some((failure, period)) = probe {
                c["livenessProbe"] = json!({"exec": {"command": ["true"]}, "failureThreshold": failure, "periodSeconds": period});
            }
            c
        })
}

/// Plausible manifests, as a user or the compiler would write them.
fn manifest() -> impl Strategy<Value = Value> {
    (
        prop::collection::vec(container(), 1..3),
        any::<bool>(),
        prop::option::of(prop::sample::select(vec!["agent", ""])),
        prop::option::of(prop::sample::select(vec![0i64, 30, 60])),
        prop::option::of(prop::sample::select(vec![json!(1), json!("10%"), json!(3)])),
        prop::option::of(prop::sample::select(vec![json!(420), json!("0644"), json!(256)])),
    )
        .prop_map(|(mut containers, host_network, account, grace, unavailable, mode)| {
            let mut seen = Vec::new();
            containers.retain(|c| {
                let name = c["name"].clone();
                let fresh = !seen.contains(&name);
                seen.push(name);
                fresh
            });
            let mut pod = json!({"containers": containers, "hostNetwork": host_network,
                "volumes": [{"name": "v", "configMap": {"name": "cm"}}, {"name": "h", "hostPath": {"path": "/h"}}]});
            if let Some(account) = account {
                pod["serviceAccountName"] = json!(account);
            }
            if let Some(grace) = grace {
                pod["terminationGracePeriodSeconds"] = json!(grace);
            }
            if let Some(mode) = mode {
                pod["volumes"][0]["configMap"]["defaultMode"] = mode;
            }
            let mut ds = json!({"apiVersion": "apps/v1", "kind": "DaemonSet",
                "metadata": {"name": "agent", "namespace": "ns", "labels": {"app": "agent"}},
                "spec": {"selector": {"matchLabels": {"app": "agent"}},
                    "template": {"metadata": {"labels": {"app": "agent"}}, "spec": pod}}});
            if let Some(unavailable) = unavailable {
                ds["spec"]["updateStrategy"] = json!({"type": "RollingUpdate", "rollingUpdate": {"maxUnavailable": unavailable}});
            }
            ds
        })
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 400, ..ProptestConfig::default() })]

    #[test]
    fn canonicalize_is_idempotent_on_any_input(obj in object()) {
        let once = canonicalize(obj.clone(), &[]);
        let twice = canonicalize(once.clone(), &[]);
        prop_assert_eq!(serde_json::to_string(&twice).ok(), serde_json::to_string(&once).ok());
    }

    #[test]
    fn a_manifest_equals_itself_as_served(ds in manifest()) {
        let served = support::as_served(&ds);
        let changes = compare(&canonicalize(ds.clone(), &[]), &canonicalize(served.clone(), &[]));
        let paths: Vec<String> = changes.iter().map(|c| format!("{} {:?} {:?}", c.path, c.from, c.to)).collect();
        prop_assert!(changes.is_empty(), "{:#?}", paths);
    }

    #[test]
    fn changes_found_exactly_when_canonical_objects_differ(a in manifest(), b in manifest()) {
        let (a, b) = (canonicalize(a.clone(), &[]), canonicalize(b.clone(), &[]));
        prop_assert_eq!(compare(&a, &b).is_empty(), a == b);
        prop_assert!(compare(&a, &a).is_empty());
    }

    #[test]
    fn redacted_secrets_never_reach_a_rendering(old in "[a-z0-9]{8,16}", new in "[a-z0-9]{8,16}") {
        let (old, new) = (format!("pw-{old}"), format!("pw-{new}"));
        let with = |secret: &str| json!({"apiVersion": "apps/v1", "kind": "DaemonSet",
            "metadata": {"name": "agent", "namespace": "ns"},
            "spec": {"template": {"spec": {"containers": [{"name": "a", "image": "x:1",
                "args": [format!("--password={secret}")],
                "env": [{"name": "DB_PASSWORD", "value": secret}]}]}}}});
        let report = diff(Some(&with(&old)), &with(&new), &DiffOptions::default());
        prop_assert_eq!(report.has_changes(), old != new);
        let outputs = [report.render_text(true), report.render_markdown(), report.render_json().to_string()];
        for out in outputs {
            prop_assert!(!out.contains(&old) && !out.contains(&new), "{}", out);
        }
    }
}
