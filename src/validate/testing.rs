//! Test fixtures for every rule file: a minimal valid DaemonSet, ways to patch it, and
//! assertions on its findings.

use serde_json::{json, Value};

use crate::validate::{daemonset, Kind};

/// A valid DaemonSet whose only container is `container`.
pub fn with_container(container: Value) -> Value {
    with_pod(|pod| pod["containers"] = json!([container]))
}

/// A valid DaemonSet after `patch` changed its pod spec.
pub fn with_pod(patch: impl FnOnce(&mut Value)) -> Value {
    let mut ds = json!({"apiVersion": "apps/v1", "kind": "DaemonSet",
        "metadata": {"name": "a", "namespace": "default"},
        "spec": {"selector": {"matchLabels": {"app": "a"}},
            "template": {"metadata": {"labels": {"app": "a"}},
                "spec": {"containers": [{"name": "a", "image": "r/a:1"}]}}}});
    patch(&mut ds["spec"]["template"]["spec"]);
    ds
}

/// The findings of `ds` as (kind, path) pairs.
pub fn found(ds: &Value) -> Vec<(Kind, String)> {
    daemonset(ds)
        .into_iter()
        .map(|f| (f.kind, f.path.to_string()))
        .collect()
}

/// Asserts that `ds` breaks exactly one rule, of `kind` at `path` (relative to the pod spec).
pub fn assert_one(ds: &Value, kind: Kind, path: &str) {
    let full = format!("spec.template.spec.{path}");
    assert_eq!(found(ds), vec![(kind, full)], "{ds}");
}

/// Asserts that `ds` breaks no rule.
pub fn assert_none(ds: &Value) {
    assert_eq!(found(ds), vec![], "{ds}");
}

/// The base container with `extra` fields merged in.
pub fn container(extra: Value) -> Value {
    let mut c = json!({"name": "a", "image": "r/a:1"});
    if let (Some(base), Some(more)) = (c.as_object_mut(), extra.as_object()) {
        for (k, v) in more {
            base.insert(k.clone(), v.clone());
        }
    }
    c
}

/// The findings of a valid DaemonSet after each field of `patch` was set in its pod spec.
pub fn pod(patch: Value) -> Vec<crate::validate::Finding> {
    let ds = with_pod(|pod| {
        if let Some(fields) = patch.as_object() {
            for (k, v) in fields {
                pod[k] = v.clone();
            }
        }
    });
    daemonset(&ds)
}

/// Asserts that `findings` hold one of `kind` at `path` (relative to the pod spec).
pub fn has(findings: &[crate::validate::Finding], kind: Kind, path: &str) {
    has_at(findings, kind, &format!("spec.template.spec.{path}"));
}

/// Asserts that `findings` hold one of `kind` at `path` (from the object's root).
pub fn has_at(findings: &[crate::validate::Finding], kind: Kind, path: &str) {
    assert!(
        findings
            .iter()
            .any(|f| f.kind == kind && f.path.to_string() == path),
        "no {kind:?} at {path} in {findings:#?}"
    );
}

/// The minimal valid DaemonSet.
pub fn valid() -> Value {
    with_pod(|_| {})
}
