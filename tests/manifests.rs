//! `dsc check` on Kubernetes manifests, and `dsc import` of manifests that break a rule: the
//! binary, run as a CI job would run it.

mod common;

use common::dsc;
use predicates::prelude::*;

const GOOD: &str = "\
apiVersion: v1
kind: ConfigMap
metadata:
  name: agent-config
data:
  a: b
---
apiVersion: apps/v1
kind: DaemonSet
metadata:
  name: agent
  namespace: monitoring
spec:
  selector:
    matchLabels: {app: agent}
  template:
    metadata:
      labels: {app: agent}
    spec:
      containers:
      - name: agent
        image: registry.example.com/agent:1.0
        ports:
        - containerPort: 9100
";

fn write(dir: &tempfile::TempDir, name: &str, text: &str) -> std::path::PathBuf {
    let path = dir.path().join(name);
    std::fs::write(&path, text).unwrap();
    path
}

#[test]
fn a_valid_manifest_passes_and_other_kinds_are_noted() {
    let dir = tempfile::tempdir().unwrap();
    let path = write(&dir, "agent.yaml", GOOD);
    dsc()
        .arg("check")
        .arg(&path)
        .assert()
        .success()
        .stderr(predicate::str::contains("skipped ConfigMap agent-config"));
}

#[test]
fn a_broken_rule_fails_with_its_code_at_the_manifest_line() {
    let dir = tempfile::tempdir().unwrap();
    let path = write(&dir, "agent.yaml", &GOOD.replace("9100", "70000"));
    dsc()
        .args(["check", "--format", "short"])
        .arg(&path)
        .assert()
        .code(1)
        .stderr(
            predicate::str::contains("agent.yaml:24:26").and(predicate::str::contains("DS1003")),
        );
}

#[test]
fn import_reports_a_broken_rule_and_prints_no_spec() {
    let dir = tempfile::tempdir().unwrap();
    let path = write(&dir, "agent.yaml", &GOOD.replace("9100", "70000"));
    dsc()
        .arg("import")
        .arg(&path)
        .assert()
        .code(1)
        .stdout("")
        .stderr(predicate::str::contains("DS1003").and(predicate::str::contains("containerPort")));
}

#[test]
fn import_of_a_valid_manifest_still_works() {
    let dir = tempfile::tempdir().unwrap();
    let path = write(&dir, "agent.yaml", GOOD);
    dsc()
        .arg("import")
        .arg(&path)
        .assert()
        .success()
        .stdout(predicate::str::contains("daemonset agent in monitoring"));
}

#[test]
fn text_that_is_not_yaml_is_a_diagnostic_for_check() {
    let dir = tempfile::tempdir().unwrap();
    let path = write(&dir, "broken.yaml", "a: [\n");
    dsc()
        .arg("check")
        .arg(&path)
        .assert()
        .code(1)
        .stderr(predicate::str::contains("DS1009"));
}

/// The error codes a rendered report names, in order (`error[DS1003]` → `DS1003`).
fn error_codes(report: &str) -> Vec<String> {
    report
        .split("error[")
        .skip(1)
        .filter_map(|rest| rest.split(']').next())
        .map(str::to_string)
        .collect()
}

/// Import hides nothing: every UI manifest that `dsc check` refuses is refused by `dsc import`
/// too, with the same codes, and no spec is printed.
#[test]
fn import_refuses_every_manifest_that_check_refuses() {
    let mut failures = Vec::new();
    let mut refused = 0;
    for path in common::inputs("tests/cases/ui", "yaml") {
        let check = dsc().arg("check").arg(&path).output().unwrap();
        if check.status.code() != Some(1) {
            continue;
        }
        refused += 1;
        let import = dsc().arg("import").arg(&path).output().unwrap();
        let name = path.display();
        let notes = String::from_utf8_lossy(&import.stderr);
        if notes.contains("written as apps/v1, the only version dsc compiles to") {
            // Import converts a removed API version (with a note) instead of refusing it.
            continue;
        }
        if import.status.code() != Some(1) || !import.stdout.is_empty() {
            failures.push(format!(
                "{name}: import exited {:?} and printed {} bytes",
                import.status.code(),
                import.stdout.len()
            ));
            continue;
        }
        let want = error_codes(&String::from_utf8_lossy(&check.stderr));
        let got = error_codes(&String::from_utf8_lossy(&import.stderr));
        if want != got {
            failures.push(format!("{name}: check reports {want:?}, import {got:?}"));
        }
    }
    assert!(
        refused > 300,
        "only {refused} refused manifests among the UI cases"
    );
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}
