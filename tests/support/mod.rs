//! Test support: a manifest as an API server would return it after `kubectl apply`.
//!
//! Written from the defaulting table in `live-diff.md` section 1, independently of the diff
//! library's own rules, so that tests compare two implementations rather than one with itself.
//! It fills what a 1.23 to 1.27 server fills into a DaemonSet (including `hostPort` under
//! `hostNetwork`), adds the server-owned metadata, `managedFields`, the last-applied annotation
//! and `status`, and drops what the server never serializes (`readOnly: false`).

#![allow(dead_code)]

use serde_json::{json, Map, Value};

/// `manifest` as a GET after `kubectl apply` would return it.
pub fn as_served(manifest: &Value) -> Value {
    let mut v = manifest.clone();
    let applied = manifest.to_string();
    let Some(obj) = v.as_object_mut() else {
        return v;
    };
    let meta = object(obj, "metadata");
    meta.insert("uid".into(), json!("0b1e6c1c-7c1f-4b4e-9d6b-3f0e2f1d9a77"));
    meta.insert("resourceVersion".into(), json!("4711"));
    meta.insert("generation".into(), json!(1));
    meta.insert("creationTimestamp".into(), json!("2025-05-05T05:05:05Z"));
    meta.insert(
        "managedFields".into(),
        json!([{"manager": "kubectl-client-side-apply", "operation": "Update", "apiVersion": "apps/v1",
            "time": "2025-05-05T05:05:05Z", "fieldsType": "FieldsV1", "fieldsV1": {"f:spec": {}}}]),
    );
    let annotations = object(meta, "annotations");
    annotations.insert(
        "deprecated.daemonset.template.generation".into(),
        json!("1"),
    );
    annotations.insert(
        "kubectl.kubernetes.io/last-applied-configuration".into(),
        json!(applied + "\n"),
    );
    obj.insert(
        "status".into(),
        json!({"currentNumberScheduled": 3, "desiredNumberScheduled": 3, "numberMisscheduled": 0,
            "numberReady": 3, "observedGeneration": 1}),
    );
    let spec = object(obj, "spec");
    fill(spec, "revisionHistoryLimit", json!(10));
    let strategy = object(spec, "updateStrategy");
    fill(strategy, "type", json!("RollingUpdate"));
    if strategy["type"] == "RollingUpdate" {
        let rolling = object(strategy, "rollingUpdate");
        fill(rolling, "maxUnavailable", json!(1));
        fill(rolling, "maxSurge", json!(0));
    }
    let template = object(spec, "template");
    object(template, "metadata").insert("creationTimestamp".into(), Value::Null);
    serve_pod(object(template, "spec"));
    v
}

fn object<'a>(map: &'a mut Map<String, Value>, key: &str) -> &'a mut Map<String, Value> {
    let slot = map.entry(key.to_string()).or_insert_with(|| json!({}));
    if !slot.is_object() {
        *slot = json!({});
    }
    match slot {
        Value::Object(m) => m,
        _ => unreachable!("just made an object"),
    }
}

fn fill(map: &mut Map<String, Value>, key: &str, value: Value) {
    let empty = match map.get(key) {
        None | Some(Value::Null) => true,
        Some(Value::String(s)) => s.is_empty(),
        Some(Value::Number(n)) => n.as_f64() == Some(0.0),
        _ => false,
    };
    if empty {
        map.insert(key.to_string(), value);
    }
}

fn serve_pod(pod: &mut Map<String, Value>) {
    fill(pod, "dnsPolicy", json!("ClusterFirst"));
    fill(pod, "restartPolicy", json!("Always"));
    fill(pod, "schedulerName", json!("default-scheduler"));
    if pod
        .get("terminationGracePeriodSeconds")
        .is_none_or(Value::is_null)
    {
        pod.insert("terminationGracePeriodSeconds".into(), json!(30));
    }
    if pod.get("securityContext").is_none_or(Value::is_null) {
        pod.insert("securityContext".into(), json!({}));
    }
    let account = pod
        .get("serviceAccountName")
        .or(pod.get("serviceAccount"))
        .cloned();
    if let Some(account) = account.filter(|a| a.as_str().is_some_and(|s| !s.is_empty())) {
        pod.insert("serviceAccountName".into(), account.clone());
        pod.insert("serviceAccount".into(), account);
    }
    let host_network = pod.get("hostNetwork") == Some(&json!(true));
    for list in ["containers", "initContainers"] {
        if let Some(Value::Array(containers)) = pod.get_mut(list) {
            containers
                .iter_mut()
                .filter_map(Value::as_object_mut)
                .for_each(|c| serve_container(c, host_network));
        }
    }
    if let Some(Value::Array(volumes)) = pod.get_mut("volumes") {
        volumes
            .iter_mut()
            .filter_map(Value::as_object_mut)
            .for_each(serve_volume);
    }
}

fn serve_container(c: &mut Map<String, Value>, host_network: bool) {
    fill(c, "terminationMessagePath", json!("/dev/termination-log"));
    fill(c, "terminationMessagePolicy", json!("File"));
    let image = c
        .get("image")
        .and_then(Value::as_str)
        .unwrap_or("")
        .to_string();
    let last = image.rsplit('/').next().unwrap_or("");
    let tag = last
        .split('@')
        .next()
        .and_then(|n| n.split_once(':'))
        .map(|(_, t)| t);
    // The server's reference parser rejects upper case in the repository; its tag is then
    // empty, which defaults to IfNotPresent.
    let parses = !image.is_empty()
        && !last
            .split([':', '@'])
            .next()
            .unwrap_or("")
            .contains(char::is_uppercase);
    let policy = match (tag, image.contains('@')) {
        (Some("latest"), _) | (None, false) if parses => "Always",
        _ => "IfNotPresent",
    };
    fill(c, "imagePullPolicy", json!(policy));
    if c.get("resources").is_none_or(Value::is_null) {
        c.insert("resources".into(), json!({}));
    }
    for list in ["limits", "requests"] {
        if let Some(Value::Object(q)) = c.get_mut("resources").and_then(|r| r.get_mut(list)) {
            for value in q.values_mut().filter(|v| v.is_number()) {
                *value = json!(value.to_string());
            }
        }
    }
    for port in items(c, "ports") {
        fill(port, "protocol", json!("TCP"));
        if host_network {
            let container_port = port.get("containerPort").cloned().unwrap_or(Value::Null);
            fill(port, "hostPort", container_port);
        }
    }
    for env in items(c, "env") {
        if let Some(Value::Object(from)) = env.get_mut("valueFrom") {
            if let Some(Value::Object(field)) = from.get_mut("fieldRef") {
                fill(field, "apiVersion", json!("v1"));
            }
            if let Some(Value::Object(resource)) = from.get_mut("resourceFieldRef") {
                fill(resource, "divisor", json!("0"));
            }
        }
    }
    for probe in ["livenessProbe", "readinessProbe", "startupProbe"] {
        if let Some(Value::Object(p)) = c.get_mut(probe) {
            fill(p, "timeoutSeconds", json!(1));
            fill(p, "periodSeconds", json!(10));
            fill(p, "successThreshold", json!(1));
            fill(p, "failureThreshold", json!(3));
            serve_http_get(p);
        }
    }
    if let Some(Value::Object(lifecycle)) = c.get_mut("lifecycle") {
        for hook in lifecycle.values_mut().filter_map(Value::as_object_mut) {
            serve_http_get(hook);
        }
    }
    for mount in items(c, "volumeMounts") {
        if mount.get("readOnly") == Some(&json!(false)) {
            mount.remove("readOnly");
        }
    }
}

fn serve_http_get(handler: &mut Map<String, Value>) {
    if let Some(Value::Object(get)) = handler.get_mut("httpGet") {
        fill(get, "path", json!("/"));
        fill(get, "scheme", json!("HTTP"));
    }
}

fn serve_volume(volume: &mut Map<String, Value>) {
    if volume.keys().all(|k| k == "name") {
        volume.insert("emptyDir".into(), json!({}));
    }
    if let Some(Value::Object(host_path)) = volume.get_mut("hostPath") {
        host_path.entry("type").or_insert(json!(""));
    }
    for source in ["configMap", "secret", "downwardAPI", "projected"] {
        if let Some(Value::Object(s)) = volume.get_mut(source) {
            s.entry("defaultMode").or_insert(json!(420));
        }
    }
    if let Some(Value::Array(items)) = volume
        .get_mut("downwardAPI")
        .and_then(|d| d.get_mut("items"))
    {
        for item in items
            .iter_mut()
            .filter_map(|i| i.get_mut("fieldRef"))
            .filter_map(Value::as_object_mut)
        {
            fill(item, "apiVersion", json!("v1"));
        }
    }
    if let Some(Value::Array(sources)) = volume
        .get_mut("projected")
        .and_then(|p| p.get_mut("sources"))
    {
        for token in sources
            .iter_mut()
            .filter_map(|s| s.get_mut("serviceAccountToken"))
            .filter_map(Value::as_object_mut)
        {
            token.entry("expirationSeconds").or_insert(json!(3600));
        }
    }
}

fn items<'a>(
    c: &'a mut Map<String, Value>,
    key: &str,
) -> impl Iterator<Item = &'a mut Map<String, Value>> {
    c.get_mut(key)
        .and_then(Value::as_array_mut)
        .into_iter()
        .flatten()
        .filter_map(Value::as_object_mut)
}
