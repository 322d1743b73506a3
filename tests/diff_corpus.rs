//! The diff stage on the shared corpus of real objects, when `../shared/corpus` is present.
//!
//! Live fixtures (`live/`, see `SOURCES.tsv` there): a live object and its own last-applied
//! annotation have the same canonical form, and older or hand-trimmed objects lose every value
//! the server added. Real manifests (`daemonsets/`): canonicalization is idempotent, and a
//! manifest equals itself as a server would return it (defaults, status, managedFields).
//! Without the corpus these tests pass vacuously; `tests/cases/diff/` covers the same ground
//! with fixtures of our own.

mod support;

use dsc::diff::{canonicalize, compare, diff, read_objects, select_daemonset, DiffOptions, Op};
use serde_json::{json, Value};
use std::path::{Path, PathBuf};

fn corpus(dir: &str) -> Option<PathBuf> {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../shared/corpus")
        .join(dir);
    path.is_dir().then_some(path)
}

fn load(dir: &Path, file: &str) -> Vec<Value> {
    let text = std::fs::read_to_string(dir.join(file)).unwrap_or_else(|e| panic!("{file}: {e}"));
    read_objects(&text).unwrap_or_else(|e| panic!("{file}: {e}"))
}

fn last_applied(live: &Value) -> Option<Value> {
    let annotations = &live["metadata"]["annotations"];
    let text = annotations["kubectl.kubernetes.io/last-applied-configuration"].as_str()?;
    serde_json::from_str(text).ok()
}

fn canon(v: &Value) -> Value {
    canonicalize(v.clone(), &[])
}

/// Every fixture that carries a last-applied annotation compares equal to it.
#[test]
fn live_fixtures_equal_their_last_applied() {
    let Some(dir) = corpus("live") else { return };
    let mut checked = Vec::new();
    for file in [
        "calico-node.apps-v1.k8s-1.23.json",
        "calico-node.extensions-v1beta1.2018.json",
        "kube-proxy.apps-v1.k8s-1.23.json",
        "daemonset.apps-v1.argo-cd-testdata.yaml",
        "fluentd-resources.list.apps-v1.json",
    ] {
        for live in load(&dir, file) {
            let Some(applied) = last_applied(&live) else {
                continue;
            };
            let changes = compare(&canon(&applied), &canon(&live));
            assert!(
                changes.is_empty(),
                "{file}: {:?}",
                changes
                    .iter()
                    .map(|c| c.path.to_string())
                    .collect::<Vec<_>>()
            );
            checked.push(file);
        }
    }
    // Only the apps/v1 calico object was applied with kubectl's client-side apply.
    assert_eq!(checked, ["calico-node.apps-v1.k8s-1.23.json"]);
}

/// `live-diff.md` 1b: last-applied to live is exactly 36 values the server added and 4
/// `readOnly: false` it dropped; the canonical form removes all 40 differences.
#[test]
fn calico_differences_are_exactly_the_server_additions() {
    let Some(dir) = corpus("live") else { return };
    let live = load(&dir, "calico-node.apps-v1.k8s-1.23.json").remove(0);
    let applied = last_applied(&live).unwrap_or_else(|| panic!("no last-applied annotation"));
    let raw = compare(&applied["spec"], &live["spec"]);
    let added = raw.iter().filter(|c| c.op == Op::Add).count();
    let removed: Vec<String> = raw
        .iter()
        .filter(|c| c.op == Op::Remove)
        .map(|c| c.path.to_string())
        .collect();
    assert_eq!(added, 36);
    assert_eq!(removed.len(), 4);
    assert!(
        removed.iter().all(|p| p.ends_with(".readOnly")),
        "{removed:?}"
    );
    assert!(raw.iter().all(|c| c.op != Op::Change && c.op != Op::Order));
    assert_eq!(canon(&applied), canon(&live));
}

#[test]
fn kube_proxy_loses_every_server_value() {
    let Some(dir) = corpus("live") else { return };
    let live = load(&dir, "kube-proxy.apps-v1.k8s-1.23.json").remove(0);
    let text = canon(&live).to_string();
    for gone in [
        "\"serviceAccount\"",
        "defaultMode",
        "\"type\":\"\"",
        "apiVersion\":\"v1",
        "\"resources\"",
        "terminationMessage",
        "schedulerName",
        "dnsPolicy",
        "restartPolicy",
        "securityContext\":{}",
        "revisionHistoryLimit",
        "updateStrategy",
        "creationTimestamp",
        "status",
        "uid",
    ] {
        assert!(!text.contains(gone), "{gone} left in {text}");
    }
    // What the user (kubeadm) set stays.
    assert!(text.contains("\"type\":\"FileOrCreate\""));
    assert!(text.contains("\"privileged\":true"));
}

/// A 2019 object: selfLink, no maxSurge (the server predates DaemonSetUpdateSurge).
#[test]
fn argo_cd_fixture_equals_a_minimal_manifest() {
    let Some(dir) = corpus("live") else { return };
    let live = load(&dir, "daemonset.apps-v1.argo-cd-testdata.yaml").remove(0);
    let manifest = json!({
        "apiVersion": "apps/v1", "kind": "DaemonSet",
        "metadata": {"name": "daemonset", "namespace": "statefulset", "labels": {"app.kubernetes.io/instance": "extensions"}},
        "spec": {"selector": {"matchLabels": {"name": "daemonset"}},
            "template": {"metadata": {"labels": {"name": "daemonset"}},
                "spec": {"containers": [{"name": "nginx", "image": "registry.k8s.io/nginx-slim:0.8"}]}}}
    });
    assert_eq!(canon(&live), canon(&manifest));
}

/// extensions/v1beta1 from 2018: templateGeneration dropped, probe defaults in the form the
/// compiler writes them, a user `failureThreshold: 6` kept, no hostPort invented, and the old API version reported.
#[test]
fn extensions_v1beta1_fixture() {
    let Some(dir) = corpus("live") else { return };
    let live = load(&dir, "calico-node.extensions-v1beta1.2018.json").remove(0);
    let c = canon(&live);
    assert!(c["spec"].get("templateGeneration").is_none());
    let probe = &c["spec"]["template"]["spec"]["containers"][0]["livenessProbe"];
    assert_eq!(
        probe,
        &json!({"failureThreshold": 6, "httpGet": {"path": "/liveness", "port": 9099, "scheme": "HTTP"},
            "initialDelaySeconds": 10, "periodSeconds": 10, "successThreshold": 1, "timeoutSeconds": 1})
    );
    assert!(!c.to_string().contains("hostPort"));
    assert_eq!(
        c["spec"]["template"]["metadata"]["annotations"],
        json!({"scheduler.alpha.kubernetes.io/critical-pod": ""})
    );
    assert_eq!(
        c["spec"]["updateStrategy"],
        json!({"rollingUpdate": {"maxUnavailable": 5}})
    );
    let mut as_v1 = live.clone();
    as_v1["apiVersion"] = json!("apps/v1");
    let report = diff(Some(&live), &as_v1, &DiffOptions::default());
    assert_eq!(report.changes.len(), 1, "only apiVersion differs");
    assert!(report
        .warnings
        .iter()
        .any(|w| w.contains("extensions/v1beta1")));
}

/// A `List` dump: select by name; templates with limits only stay without requests.
#[test]
fn fluentd_list_selection_and_no_pod_only_defaults() {
    let Some(dir) = corpus("live") else { return };
    let objects = load(&dir, "fluentd-resources.list.apps-v1.json");
    assert_eq!(objects.len(), 6);
    let ns = "cmp-resource-limit-test";
    let cpu = select_daemonset(&objects, ns, "fluentd-with-resource-limits-cpu")
        .unwrap_or_else(|e| panic!("{e}"));
    let resources = &canon(&cpu)["spec"]["template"]["spec"]["containers"][0]["resources"];
    assert_eq!(resources, &json!({"limits": {"cpu": "100m"}}));
    assert!(select_daemonset(&objects, ns, "fluentd").is_err());
}

/// Every real manifest: canonicalization is idempotent, and the manifest as a server would
/// return it (defaults, status, managedFields, last-applied) compares equal to it.
#[test]
fn real_manifests_equal_themselves_with_server_defaults() {
    let Some(dir) = corpus("daemonsets") else {
        return;
    };
    let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
        .into_iter()
        .flatten()
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "yaml"))
        .collect();
    files.sort();
    let mut seen = 0;
    for file in files {
        let name = file.display().to_string();
        let text = std::fs::read_to_string(&file).unwrap_or_else(|e| panic!("{name}: {e}"));
        let objects = read_objects(&text).unwrap_or_else(|e| panic!("{name}: {e}"));
        for manifest in objects.iter().filter(|o| o["kind"] == "DaemonSet") {
            let once = canon(manifest);
            assert_eq!(canon(&once), once, "{name}: not idempotent");
            let live = support::as_served(manifest);
            let changes = compare(&once, &canon(&live));
            let paths: Vec<String> = changes
                .iter()
                .map(|c| format!("{} {:?} {:?}", c.path, c.from, c.to))
                .collect();
            assert!(changes.is_empty(), "{name}: {paths:#?}");
            seen += 1;
        }
    }
    assert!(seen >= 40, "only {seen} DaemonSets in the corpus");
}
