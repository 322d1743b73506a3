//! Tests of `env.rs`: one small DaemonSet per rule, failing and passing at each boundary.

use crate::validate::testing::*;
use crate::validate::Kind;
use serde_json::{json, Value};

fn env(list: Value) -> Value {
    with_container(container(json!({ "env": list })))
}

fn field_ref(path: &str) -> Value {
    env(json!([{"name": "X", "valueFrom": {"fieldRef": {"fieldPath": path}}}]))
}

#[test]
fn names_are_relaxed() {
    assert_none(&env(json!([{"name": "1 weird.name-ok", "value": "v"}])));
    assert_one(
        &env(json!([{"name": "A=B"}])),
        Kind::Invalid,
        "containers[0].env[0].name",
    );
    assert_one(
        &env(json!([{"name": ""}])),
        Kind::Required,
        "containers[0].env[0].name",
    );
    assert_one(
        &env(json!([{"name": "é"}])),
        Kind::Invalid,
        "containers[0].env[0].name",
    );
}

#[test]
fn value_from_has_exactly_one_source() {
    let ds = env(json!([{"name": "X", "valueFrom": {}}]));
    assert_one(&ds, Kind::Invalid, "containers[0].env[0].valueFrom");
    let ds = env(json!([{"name": "X", "value": "v",
        "valueFrom": {"fieldRef": {"fieldPath": "metadata.name"}}}]));
    assert_one(&ds, Kind::Invalid, "containers[0].env[0].valueFrom");
    let ds = env(
        json!([{"name": "X", "valueFrom": {"fieldRef": {"fieldPath": "metadata.name"},
        "secretKeyRef": {"name": "s", "key": "k"}}}]),
    );
    assert_one(&ds, Kind::Invalid, "containers[0].env[0].valueFrom");
}

#[test]
fn field_ref_paths() {
    for ok in [
        "metadata.name",
        "status.hostIPs",
        "spec.host",
        "metadata.labels['app.kubernetes.io/name']",
        "metadata.annotations['Example.com/X']",
    ] {
        assert_none(&field_ref(ok));
    }
    let at = "containers[0].env[0].valueFrom.fieldRef.fieldPath";
    assert_one(&field_ref("metadata.labels"), Kind::NotSupported, at);
    assert_one(&field_ref("status.phase"), Kind::NotSupported, at);
    assert_one(&field_ref("spec.nodename"), Kind::Invalid, at);
    assert_one(&field_ref("spec.nodeName['x']"), Kind::Invalid, at);
    assert_one(&field_ref(""), Kind::Required, at);
    let ds = field_ref("metadata.labels['a b']");
    assert_one(
        &ds,
        Kind::Invalid,
        "containers[0].env[0].valueFrom.fieldRef.fieldPath",
    );
}

#[test]
fn resource_field_refs() {
    let r = |sel: Value| env(json!([{"name": "X", "valueFrom": {"resourceFieldRef": sel}}]));
    assert_none(&r(json!({"resource": "limits.memory", "divisor": "1Mi"})));
    assert_none(&r(json!({"resource": "requests.cpu", "divisor": "1m"})));
    assert_none(&r(
        json!({"resource": "requests.hugepages-2Mi", "divisor": 1}),
    ));
    let at = "containers[0].env[0].valueFrom.resourceFieldRef";
    assert_one(
        &r(json!({"resource": "request.cpu"})),
        Kind::NotSupported,
        &format!("{at}.resource"),
    );
    assert_one(
        &r(json!({"resource": "limits.cpu", "divisor": "1Mi"})),
        Kind::Invalid,
        &format!("{at}.divisor"),
    );
    assert_one(
        &r(json!({"divisor": "1"})),
        Kind::Required,
        &format!("{at}.resource"),
    );
}

#[test]
fn key_refs_need_name_and_key() {
    let k = |sel: Value| env(json!([{"name": "X", "valueFrom": {"configMapKeyRef": sel}}]));
    assert_none(&k(json!({"name": "cm", "key": "a.b_c"})));
    let at = "containers[0].env[0].valueFrom.configMapKeyRef";
    assert_one(
        &k(json!({"name": "cm"})),
        Kind::Required,
        &format!("{at}.key"),
    );
    assert_one(
        &k(json!({"name": "cm", "key": "a/b"})),
        Kind::Invalid,
        &format!("{at}.key"),
    );
    assert_one(
        &k(json!({"key": "k"})),
        Kind::Invalid,
        &format!("{at}.name"),
    );
    assert_one(
        &k(json!({"name": "CM", "key": "k"})),
        Kind::Invalid,
        &format!("{at}.name"),
    );
}

#[test]
fn env_from_sources() {
    let f = |list: Value| with_container(container(json!({ "envFrom": list })));
    assert_none(&f(
        json!([{"prefix": "APP_", "configMapRef": {"name": "cm-"}}, {"secretRef": {"name": "s"}}]),
    ));
    let ds = f(json!([{"prefix": "A=", "secretRef": {"name": "s"}}]));
    assert_one(&ds, Kind::Invalid, "containers[0].envFrom[0].prefix");
    assert_one(
        &f(json!([{"prefix": "P"}])),
        Kind::Invalid,
        "containers[0].envFrom[0]",
    );
    let ds = f(json!([{"configMapRef": {"name": "a"}, "secretRef": {"name": "b"}}]));
    assert_one(&ds, Kind::Invalid, "containers[0].envFrom[0]");
    let ds = f(json!([{"configMapRef": {}}]));
    assert_one(
        &ds,
        Kind::Required,
        "containers[0].envFrom[0].configMapRef.name",
    );
}
