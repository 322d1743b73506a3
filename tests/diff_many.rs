//! `dsc diff` over several specs and directories: DaemonSets matched to the previous outputs
//! by namespace and name (other kinds left out, stale ones reported), one summary at the end,
//! one `kubectl get` per namespace with `--live` (a fake kubectl logs its calls), and a spec
//! with an error stopping the run before anything is compared.

mod common;

use common::{dsc, GOOD};
use predicates::prelude::*;
use std::path::{Path, PathBuf};

fn write(path: &Path, text: &str) -> PathBuf {
    if let Some(parent) = path.parent() {
        std::fs::create_dir_all(parent).unwrap();
    }
    std::fs::write(path, text).unwrap();
    path.to_path_buf()
}

/// A spec of one DaemonSet `name` in `namespace`, image tag `tag`.
fn spec(name: &str, namespace: &str, tag: &str) -> String {
    GOOD.replace("agent in monitoring", &format!("{name} in {namespace}"))
        .replace(":1.0", &format!(":{tag}"))
}

/// What `dsc build` prints for a spec.
fn built(spec: &str) -> String {
    let out = dsc()
        .args(["build", "-"])
        .write_stdin(spec)
        .output()
        .unwrap();
    assert!(out.status.success(), "{out:?}");
    String::from_utf8(out.stdout).unwrap()
}

fn stdout(out: &std::process::Output) -> String {
    String::from_utf8_lossy(&out.stdout).into_owned()
}

fn stderr(out: &std::process::Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

/// Specs for three DaemonSets: `monitoring/agent`, `monitoring/other` (two in one file) and
/// `logging/fresh`, all at tag 1.0.
fn specs(dir: &Path) -> PathBuf {
    let specs = dir.join("specs");
    write(&specs.join("agent.ds"), &spec("agent", "monitoring", "1.0"));
    write(
        &specs.join("team/more.ds"),
        &(spec("other", "monitoring", "1.0") + "\n" + &spec("fresh", "logging", "1.0")),
    );
    specs
}

#[test]
fn a_directory_of_specs_against_a_directory_of_previous_outputs() {
    let dir = tempfile::tempdir().unwrap();
    let specs = specs(dir.path());
    let out = dir.path().join("out");
    // File names say nothing: the objects are matched by what they say.
    write(
        &out.join("monitoring/x.yaml"),
        &built(&spec("agent", "monitoring", "1.0")),
    );
    write(
        &out.join("agent.yaml"),
        &built(&spec("other", "monitoring", "0.9")),
    );
    // Written by hand beside the outputs: other kinds, left out.
    write(
        &out.join("monitoring/rbac.yaml"),
        "apiVersion: v1\nkind: ServiceAccount\nmetadata: {name: agent, namespace: monitoring}\n---\n\
         apiVersion: rbac.authorization.k8s.io/v1\nkind: ClusterRole\nmetadata: {name: agent}\nrules: []\n",
    );
    write(
        &out.join("config.yml"),
        "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: agent, namespace: monitoring}\ndata: {a: b}\n",
    );
    write(&out.join("notes.txt"), "not YAML: [\n");
    // No spec makes this one any more.
    let stale = write(
        &out.join("old/stale.yaml"),
        &built(&spec("stale", "monitoring", "1.0")),
    );
    let run = dsc()
        .arg("diff")
        .arg(&specs)
        .arg("--against")
        .arg(&out)
        .args(["--color", "never"])
        .output()
        .unwrap();
    assert_eq!(run.status.code(), Some(1), "{}", stderr(&run));
    let text = stdout(&run);
    let heads: Vec<&str> = text
        .lines()
        .filter(|l| l.starts_with("DaemonSet "))
        .collect();
    assert_eq!(
        heads,
        [
            "DaemonSet monitoring/agent: no changes (previous → compiled)",
            "DaemonSet monitoring/other: 1 change (previous → compiled)",
            "DaemonSet logging/fresh: new object, not in previous (previous → compiled)",
        ],
        "{text}"
    );
    let tail = format!(
        "\nonly in the previous outputs: DaemonSet monitoring/stale ({})\n\
         3 daemonsets: 1 changed (restarts pods on every node), 1 new, 1 unchanged; \
         1 only in the previous outputs\n",
        stale.display()
    );
    assert!(text.ends_with(&tail), "{text}");
    assert_eq!(stderr(&run), "");

    // JSON: the reports, then the stale object in the same shape.
    let json = dsc()
        .arg("diff")
        .arg(&specs)
        .arg("--against")
        .arg(&out)
        .args(["--format", "json"])
        .output()
        .unwrap();
    assert_eq!(json.status.code(), Some(1));
    let entries: serde_json::Value = serde_json::from_slice(&json.stdout).unwrap();
    let names: Vec<(&str, bool)> = entries
        .as_array()
        .unwrap()
        .iter()
        .map(|e| {
            (
                e["object"]["name"].as_str().unwrap(),
                e["removed"].as_bool().unwrap_or(false),
            )
        })
        .collect();
    assert_eq!(
        names,
        [
            ("agent", false),
            ("other", false),
            ("fresh", false),
            ("stale", true)
        ]
    );

    // Markdown closes with the same summary.
    let md = dsc()
        .arg("diff")
        .arg(&specs)
        .arg("--against")
        .arg(&out)
        .args(["--format", "markdown"])
        .output()
        .unwrap();
    let md = stdout(&md);
    assert!(
        md.contains("#### Summary\n\n- only in the previous outputs: DaemonSet `monitoring/stale`"),
        "{md}"
    );
    assert!(md.ends_with("1 only in the previous outputs\n"), "{md}");

    // Without the stale one and with the change undone, nothing differs.
    std::fs::remove_file(&stale).unwrap();
    write(
        &out.join("agent.yaml"),
        &built(&spec("other", "monitoring", "1.0")),
    );
    write(
        &out.join("logging/fresh.yaml"),
        &built(&spec("fresh", "logging", "1.0")),
    );
    dsc()
        .arg("diff")
        .arg(&specs)
        .arg("--against")
        .arg(&out)
        .args(["--color", "never", "-j", "1"])
        .assert()
        .code(0)
        .stdout(predicate::str::ends_with("\n3 daemonsets: 3 unchanged\n"));
}

#[test]
fn previous_outputs_that_cannot_be_read_or_repeat_an_object_are_errors() {
    let dir = tempfile::tempdir().unwrap();
    let specs = specs(dir.path());
    let out = dir.path().join("out");
    let agent = built(&spec("agent", "monitoring", "1.0"));
    write(&out.join("a.yaml"), &agent);
    let broken = write(&out.join("broken.yaml"), "kind: [DaemonSet\n");
    dsc()
        .arg("diff")
        .arg(&specs)
        .arg("--against")
        .arg(&out)
        .assert()
        .code(2)
        .stdout("")
        .stderr(predicate::str::starts_with(format!(
            "error: {}: not valid JSON or YAML",
            broken.display()
        )));
    std::fs::remove_file(&broken).unwrap();
    let again = write(&out.join("b/again.yml"), &agent);
    dsc()
        .arg("diff")
        .arg(&specs)
        .arg("--against")
        .arg(&out)
        .assert()
        .code(2)
        .stdout("")
        .stderr(format!(
            "error: DaemonSet monitoring/agent is in both {} and {}\n",
            out.join("a.yaml").display(),
            again.display()
        ));
}

#[test]
fn several_specs_against_a_kubectl_dump_list() {
    let dir = tempfile::tempdir().unwrap();
    let a = write(
        &dir.path().join("a.ds"),
        &spec("agent", "monitoring", "1.0"),
    );
    let b = write(
        &dir.path().join("b.ds"),
        &spec("other", "monitoring", "1.0"),
    );
    let item = |spec: &str| -> serde_json::Value {
        let mut live: serde_json::Value = serde_yaml::from_str(&built(spec)).unwrap();
        live["metadata"]["uid"] = "0b1e6c1c".into();
        live["status"] = serde_json::json!({"numberReady": 3});
        live
    };
    let list = serde_json::json!({"apiVersion": "v1", "kind": "List", "items": [
        item(&spec("other", "monitoring", "0.9")),
        item(&spec("agent", "monitoring", "1.0")),
        item(&spec("kube-proxy", "kube-system", "1.0")),
    ]});
    let run = dsc()
        .arg("diff")
        .arg(&a)
        .arg(&b)
        .args(["--live-file", "-", "--color", "never"])
        .write_stdin(list.to_string())
        .output()
        .unwrap();
    assert_eq!(run.status.code(), Some(1), "{}", stderr(&run));
    let text = stdout(&run);
    assert!(
        text.starts_with("DaemonSet monitoring/agent: no changes (live → compiled)\n\nDaemonSet monitoring/other: 1 change (live → compiled)\n"),
        "{text}"
    );
    // A dump is the cluster's view: its DaemonSets that no spec makes (kube-proxy) are not
    // removals, as with `--live`.
    assert!(
        text.ends_with("\n2 daemonsets: 1 changed (restarts pods on every node), 1 unchanged\n"),
        "{text}"
    );
    assert!(!text.contains("kube-proxy"), "{text}");
}

#[test]
fn an_error_in_one_spec_stops_the_run_after_every_diagnostic() {
    let dir = tempfile::tempdir().unwrap();
    let specs = specs(dir.path());
    write(
        &specs.join("bad.ds"),
        &spec("bad", "monitoring", "1.0").replace("image ", "imagee "),
    );
    write(
        &specs.join("worse.ds"),
        &spec("worse", "monitoring", "1.0").replace("memory 64Mi..128Mi", "memory lots"),
    );
    let log = dir.path().join("calls.log");
    let kubectl = fake_kubectl(dir.path(), &log);
    let run = dsc()
        .arg("diff")
        .arg(&specs)
        .arg("--live")
        .env("DSC_KUBECTL", &kubectl)
        .output()
        .unwrap();
    assert_eq!(run.status.code(), Some(2));
    assert_eq!(stdout(&run), "");
    let err = stderr(&run);
    assert!(err.contains("bad.ds") && err.contains("imagee"), "{err}");
    assert!(err.contains("worse.ds"), "{err}");
    assert!(
        err.ends_with(&format!(
            "error: 2 specs have errors ({}, {}); nothing to compare\n",
            specs.join("bad.ds").display(),
            specs.join("worse.ds").display()
        )),
        "{err}"
    );
    assert!(!log.exists(), "kubectl ran for specs with errors");
}

#[test]
fn two_specs_making_one_daemonset_or_stdin_twice_are_errors() {
    let dir = tempfile::tempdir().unwrap();
    let a = write(&dir.path().join("a.ds"), GOOD);
    let b = write(&dir.path().join("b.ds"), GOOD);
    dsc()
        .arg("diff")
        .arg(&a)
        .arg(&b)
        .args(["--against", "-"])
        .write_stdin("")
        .assert()
        .code(2)
        .stdout("")
        .stderr(predicate::str::contains(format!(
            "error: DaemonSet monitoring/agent is compiled from both {} and {}",
            a.display(),
            b.display()
        )));
    dsc()
        .args(["diff", "-", "--against", "-"])
        .write_stdin(GOOD)
        .assert()
        .code(2)
        .stderr(predicate::str::contains("stdin can be read once"));
}

/// A kubectl that logs its arguments, one call a line, and prints `ns-NAMESPACE.json` from
/// `dir`, or says the namespace does not exist.
fn fake_kubectl(dir: &Path, log: &Path) -> PathBuf {
    let script = format!(
        "#!/bin/sh\nprintf '%s\\n' \"$*\" >> '{log}'\nns=\nfor a in \"$@\"; do case \"$a\" in --namespace=*) ns=\"${{a#--namespace=}}\";; esac; done\n\
         if [ -f '{dir}/ns-'\"$ns\"'.json' ]; then cat '{dir}/ns-'\"$ns\"'.json'; exit 0; fi\n\
         echo \"Error from server (NotFound): namespaces \\\"$ns\\\" not found\" >&2\nexit 1\n",
        log = log.display(),
        dir = dir.display()
    );
    let path = write(&dir.join("kubectl"), &script);
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o755)).unwrap();
    }
    path
}

#[cfg(unix)]
#[test]
fn live_fetches_each_namespace_once() {
    let dir = tempfile::tempdir().unwrap();
    let specs = dir.path().join("specs");
    write(&specs.join("a.ds"), &spec("a", "monitoring", "1.0"));
    write(
        &specs.join("b.ds"),
        &(spec("b", "monitoring", "1.0") + "\n" + &spec("c", "logging", "1.0")),
    );
    write(&specs.join("c.ds"), &spec("d", "logging", "1.0"));
    write(&specs.join("e.ds"), &spec("e", "monitoring", "1.0"));
    write(&specs.join("new/f.ds"), &spec("f", "not-there", "1.0"));
    let live = |specs: &[String]| -> String {
        let items: Vec<serde_json::Value> = specs
            .iter()
            .map(|s| serde_yaml::from_str(&built(s)).unwrap())
            .collect();
        serde_json::json!({"apiVersion": "v1", "kind": "List", "items": items}).to_string()
    };
    // monitoring: a unchanged, b changed, e missing (new), and one no spec names.
    write(
        &dir.path().join("ns-monitoring.json"),
        &live(&[
            spec("a", "monitoring", "1.0"),
            spec("b", "monitoring", "0.9"),
            spec("someone-elses", "monitoring", "1.0"),
        ]),
    );
    write(
        &dir.path().join("ns-logging.json"),
        &live(&[spec("c", "logging", "1.0"), spec("d", "logging", "1.0")]),
    );
    let log = dir.path().join("calls.log");
    let kubectl = fake_kubectl(dir.path(), &log);
    let run = dsc()
        .arg("diff")
        .arg(&specs)
        .args([
            "--live",
            "--context=-c",
            "--kubeconfig=-k",
            "--color",
            "never",
        ])
        .env("DSC_KUBECTL", &kubectl)
        .output()
        .unwrap();
    assert_eq!(run.status.code(), Some(1), "{}", stderr(&run));
    let calls = std::fs::read_to_string(&log).unwrap();
    assert_eq!(
        calls,
        "get daemonsets --namespace=logging --output=json --context=-c --kubeconfig=-k\n\
         get daemonsets --namespace=monitoring --output=json --context=-c --kubeconfig=-k\n\
         get daemonsets --namespace=not-there --output=json --context=-c --kubeconfig=-k\n"
    );
    let text = stdout(&run);
    let heads: Vec<&str> = text
        .lines()
        .filter(|l| l.starts_with("DaemonSet "))
        .collect();
    assert_eq!(
        heads,
        [
            "DaemonSet monitoring/a: no changes (live → compiled)",
            "DaemonSet monitoring/b: 1 change (live → compiled)",
            "DaemonSet logging/c: no changes (live → compiled)",
            "DaemonSet logging/d: no changes (live → compiled)",
            "DaemonSet monitoring/e: new object, not in live (live → compiled)",
            "DaemonSet not-there/f: new object, not in live (live → compiled)",
        ],
        "{text}"
    );
    // The cluster's other DaemonSets are none of the run's business.
    assert!(!text.contains("someone-elses"), "{text}");
    assert!(
        text.ends_with(
            "\n6 daemonsets: 1 changed (restarts pods on every node), 2 new, 3 unchanged\n"
        ),
        "{text}"
    );

    // A failure other than a missing namespace stops the run.
    write(
        &dir.path().join("ns-logging.json"),
        "{\"kind\": \"Status\"}",
    );
    dsc()
        .arg("diff")
        .arg(&specs)
        .arg("--live")
        .env("DSC_KUBECTL", &kubectl)
        .assert()
        .code(2)
        .stdout("")
        .stderr("error: expected a List of DaemonSets, kubectl returned kind \"Status\"\n");
}
