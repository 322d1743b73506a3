//! `dsc import --factor DIR MANIFEST...` end to end: the library of shared settings, one agent
//! per DaemonSet that says where it differs, each agent compiling to exactly its manifest
//! (`dsc diff AGENT --against MANIFEST` exits 0), and nothing written when anything fails.

mod common;

use std::path::{Path, PathBuf};

use common::{dsc, paths_under};

/// Three agents of one fleet: `logs` and `metrics` follow every convention; `dns` runs at
/// another priority, is not pinned to Linux nodes, and sets its env vars in another order.
const LOGS: &str = "\
apiVersion: apps/v1
kind: DaemonSet
metadata: {name: logs, namespace: logging, labels: {app: logs}}
spec:
  selector: {matchLabels: {app: logs}}
  updateStrategy: {rollingUpdate: {maxUnavailable: 10%}}
  template:
    metadata: {labels: {app: logs}}
    spec:
      priorityClassName: system-node-critical
      nodeSelector: {kubernetes.io/os: linux}
      tolerations: [{operator: Exists}]
      containers:
      - name: shipper
        image: registry.example.com/logs:1.0
        securityContext: {allowPrivilegeEscalation: false, readOnlyRootFilesystem: true}
        env:
        - name: NODE_NAME
          valueFrom: {fieldRef: {fieldPath: spec.nodeName}}
        - {name: LEVEL, value: info}
";

const METRICS: &str = "\
apiVersion: apps/v1
kind: DaemonSet
metadata: {name: metrics, namespace: monitoring, labels: {app: metrics}}
spec:
  selector: {matchLabels: {app: metrics}}
  updateStrategy: {rollingUpdate: {maxUnavailable: 10%}}
  template:
    metadata: {labels: {app: metrics}}
    spec:
      hostNetwork: true
      priorityClassName: system-node-critical
      nodeSelector: {kubernetes.io/os: linux}
      tolerations: [{operator: Exists}]
      containers:
      - name: exporter
        image: registry.example.com/metrics:2.1
        securityContext: {allowPrivilegeEscalation: false, readOnlyRootFilesystem: true}
        env:
        - name: NODE_NAME
          valueFrom: {fieldRef: {fieldPath: spec.nodeName}}
";

const DNS: &str = "\
apiVersion: apps/v1
kind: DaemonSet
metadata: {name: dns, namespace: kube-system, labels: {app: dns}}
spec:
  selector: {matchLabels: {app: dns}}
  updateStrategy: {rollingUpdate: {maxUnavailable: 10%}}
  template:
    metadata: {labels: {app: dns}}
    spec:
      priorityClassName: system-cluster-critical
      tolerations: [{operator: Exists}]
      containers:
      - name: cache
        image: registry.example.com/dns:1.23
        securityContext: {allowPrivilegeEscalation: false, readOnlyRootFilesystem: true}
        ports:
        - {name: dns, containerPort: 53, protocol: UDP}
        - {name: dns-tcp, containerPort: 53, protocol: TCP}
        env:
        - {name: ZONE, value: cluster.local}
        - name: NODE_NAME
          valueFrom: {fieldRef: {fieldPath: spec.nodeName}}
";

/// Writes the manifests into `dir`, returning their paths.
fn manifests(dir: &Path, docs: &[(&str, &str)]) -> Vec<PathBuf> {
    docs.iter()
        .map(|(name, text)| {
            let path = dir.join(format!("{name}.yaml"));
            std::fs::write(&path, text).unwrap();
            path
        })
        .collect()
}

/// `dsc import --factor OUT INPUTS... EXTRA...`.
fn factor_into(out: &Path, inputs: &[PathBuf], extra: &[&str]) -> std::process::Output {
    dsc()
        .args(["import", "--factor"])
        .arg(out)
        .args(inputs)
        .args(extra)
        .output()
        .unwrap()
}

fn read(path: &Path) -> String {
    std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// `dsc diff AGENT --against MANIFEST` exits 0 for every pair.
fn assert_exact(pairs: &[(PathBuf, PathBuf)]) {
    for (agent, manifest) in pairs {
        let out = dsc()
            .arg("diff")
            .arg(agent)
            .arg("--against")
            .arg(manifest)
            .output()
            .unwrap();
        assert_eq!(
            out.status.code(),
            Some(0),
            "{} does not compile to {}:\n{}{}\n{}",
            agent.display(),
            manifest.display(),
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr),
            read(agent)
        );
    }
}

#[test]
fn shared_settings_go_to_the_library_and_each_agent_says_where_it_differs() {
    let tmp = tempfile::tempdir().unwrap();
    let inputs = manifests(
        tmp.path(),
        &[("logs", LOGS), ("metrics", METRICS), ("dns", DNS)],
    );
    let out = tmp.path().join("agents");
    let run = factor_into(&out, &inputs, &["--share", "60"]);
    let stderr = String::from_utf8_lossy(&run.stderr);
    assert_eq!(run.status.code(), Some(0), "{stderr}");
    assert_eq!(
        paths_under(&out),
        ["dns.ds", "lib/imported.ds", "logs.ds", "metrics.ds"]
    );
    let library = read(&out.join("lib/imported.ds"));
    assert!(
        library.contains(
            "defaults imported {
  max-unavailable 10%
  priority system-node-critical
  node-selector kubernetes.io/os=linux
  tolerate all

  container * {
    env NODE_NAME = field spec.nodeName
    read-only-root
    no-privilege-escalation
  }
}
"
        ),
        "{library}"
    );
    assert!(
        stderr.contains("7 settings that at least 2 of the 3 DaemonSets write"),
        "{stderr}"
    );
    // What the block gives is left out; where `dns` differs, it says so.
    assert_eq!(
        read(&out.join("logs.ds")),
        "use lib/imported.ds

daemonset logs in logging from imported {
  container shipper {
    image registry.example.com/logs:1.0
    env LEVEL=info
  }
}
"
    );
    let dns = read(&out.join("dns.ds"));
    assert!(
        dns.contains("  remove node-selector kubernetes.io/os\n"),
        "{dns}"
    );
    assert!(
        dns.contains("  override priority system-cluster-critical\n"),
        "{dns}"
    );
    // `container *` would put NODE_NAME before ZONE: dns keeps its own order.
    let zone = dns.find("env ZONE").unwrap();
    let node = dns.find("env NODE_NAME").unwrap();
    assert!(zone < node, "{dns}");
    assert_exact(&[
        (out.join("logs.ds"), inputs[0].clone()),
        (out.join("metrics.ds"), inputs[1].clone()),
        (out.join("dns.ds"), inputs[2].clone()),
    ]);
    // Every file is in the canonical layout.
    let fmt = dsc().args(["fmt", "--check"]).arg(&out).output().unwrap();
    assert_eq!(
        fmt.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&fmt.stderr)
    );
}

#[test]
fn by_default_only_what_every_daemonset_writes_is_shared() {
    let tmp = tempfile::tempdir().unwrap();
    let inputs = manifests(
        tmp.path(),
        &[("logs", LOGS), ("metrics", METRICS), ("dns", DNS)],
    );
    let out = tmp.path().join("agents");
    assert!(factor_into(&out, &inputs, &[]).status.success());
    let library = read(&out.join("lib/imported.ds"));
    assert!(library.contains("  tolerate all\n"), "{library}");
    assert!(
        library.contains("    env NODE_NAME = field spec.nodeName\n"),
        "{library}"
    );
    assert!(!library.contains("priority"), "{library}");
    assert_exact(&[
        (out.join("logs.ds"), inputs[0].clone()),
        (out.join("metrics.ds"), inputs[1].clone()),
        (out.join("dns.ds"), inputs[2].clone()),
    ]);
}

/// The outputs of the fleet example give back a library of its conventions, and agents no
/// longer than plain import's, shorter together.
#[test]
fn the_fleet_example_factors_back_into_its_conventions() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/fleet/out/prod");
    let mut inputs: Vec<PathBuf> = paths_under(&root)
        .into_iter()
        .map(|p| root.join(p))
        .collect();
    inputs.sort();
    assert_eq!(inputs.len(), 3, "{inputs:?}");
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("fleet");
    assert!(factor_into(&out, &inputs, &[]).status.success());
    let library = read(&out.join("lib/imported.ds"));
    for convention in [
        "  priority system-node-critical\n",
        "  tolerate all\n",
        "  node-selector kubernetes.io/os=linux\n",
        "  container * {\n    env NODE_NAME = field spec.nodeName\n",
    ] {
        assert!(library.contains(convention), "{convention:?} in\n{library}");
    }
    let mut pairs = Vec::new();
    let mut factored_lines = 0;
    let mut plain_lines = 0;
    for manifest in &inputs {
        let name = manifest.file_stem().unwrap().to_str().unwrap();
        let agent = out.join(format!("{name}.ds"));
        let text = read(&agent);
        assert!(text.contains(" from imported {"), "{text}");
        let plain = dsc().arg("import").arg(manifest).output().unwrap();
        let plain = String::from_utf8_lossy(&plain.stdout).lines().count();
        assert!(
            text.lines().count() <= plain,
            "{plain} lines imported alone:\n{text}"
        );
        factored_lines += text.lines().count();
        plain_lines += plain;
        pairs.push((agent, manifest.clone()));
    }
    assert!(
        factored_lines < plain_lines,
        "{factored_lines} lines factored, {plain_lines} imported alone"
    );
    assert_exact(&pairs);
}

#[test]
fn one_name_in_two_namespaces_gets_two_files() {
    let tmp = tempfile::tempdir().unwrap();
    let other = METRICS.replace("namespace: monitoring", "namespace: staging");
    let inputs = manifests(tmp.path(), &[("a", METRICS), ("b", &other)]);
    let out = tmp.path().join("agents");
    assert!(factor_into(&out, &inputs, &[]).status.success());
    assert_eq!(
        paths_under(&out),
        [
            "lib/imported.ds",
            "metrics.monitoring.ds",
            "metrics.staging.ds"
        ]
    );
    assert_exact(&[
        (out.join("metrics.monitoring.ds"), inputs[0].clone()),
        (out.join("metrics.staging.ds"), inputs[1].clone()),
    ]);
}

#[test]
fn a_single_daemonset_stands_alone_without_a_library() {
    let tmp = tempfile::tempdir().unwrap();
    let inputs = manifests(tmp.path(), &[("logs", LOGS)]);
    let out = tmp.path().join("agents");
    let run = factor_into(&out, &inputs, &[]);
    let stderr = String::from_utf8_lossy(&run.stderr);
    assert_eq!(run.status.code(), Some(0), "{stderr}");
    assert!(stderr.contains("there is no library"), "{stderr}");
    assert_eq!(paths_under(&out), ["logs.ds"]);
    let plain = dsc().arg("import").args(&inputs).output().unwrap();
    assert_eq!(
        read(&out.join("logs.ds")),
        String::from_utf8_lossy(&plain.stdout)
    );
}

#[test]
fn an_existing_file_is_never_overwritten() {
    let tmp = tempfile::tempdir().unwrap();
    let inputs = manifests(tmp.path(), &[("logs", LOGS), ("metrics", METRICS)]);
    let out = tmp.path().join("agents");
    std::fs::create_dir(&out).unwrap();
    std::fs::write(out.join("metrics.ds"), "# mine\n").unwrap();
    let run = factor_into(&out, &inputs, &[]);
    let stderr = String::from_utf8_lossy(&run.stderr);
    assert_eq!(run.status.code(), Some(2), "{stderr}");
    assert!(
        stderr.contains("metrics.ds already exists; nothing was written"),
        "{stderr}"
    );
    assert_eq!(paths_under(&out), ["metrics.ds"]);
    assert_eq!(read(&out.join("metrics.ds")), "# mine\n");
}

#[test]
fn a_library_folder_that_cannot_be_made_writes_nothing() {
    let tmp = tempfile::tempdir().unwrap();
    let inputs = manifests(tmp.path(), &[("logs", LOGS), ("metrics", METRICS)]);
    let out = tmp.path().join("agents");
    std::fs::create_dir(&out).unwrap();
    // A file where the library's folder goes.
    std::fs::write(out.join("lib"), "").unwrap();
    let run = factor_into(&out, &inputs, &[]);
    let stderr = String::from_utf8_lossy(&run.stderr);
    assert_eq!(run.status.code(), Some(2), "{stderr}");
    assert!(stderr.contains("cannot write into"), "{stderr}");
    assert_eq!(paths_under(&out), ["lib"]);
}

#[test]
fn a_manifest_the_api_server_refuses_writes_nothing() {
    let tmp = tempfile::tempdir().unwrap();
    let bad = LOGS.replace("name: logs,", "name: Logs_,");
    let inputs = manifests(tmp.path(), &[("bad", &bad), ("metrics", METRICS)]);
    let out = tmp.path().join("agents");
    let run = factor_into(&out, &inputs, &[]);
    let stderr = String::from_utf8_lossy(&run.stderr);
    assert_eq!(run.status.code(), Some(1), "{stderr}");
    assert!(stderr.contains("bad.yaml"), "{stderr}");
    assert!(!out.exists());
}

#[test]
fn share_is_a_percentage_and_needs_factor() {
    let tmp = tempfile::tempdir().unwrap();
    let inputs = manifests(tmp.path(), &[("logs", LOGS)]);
    for share in ["0", "101", "half"] {
        let run = dsc()
            .args(["import", "--factor", "out", "--share", share])
            .args(&inputs)
            .output()
            .unwrap();
        let stderr = String::from_utf8_lossy(&run.stderr);
        assert_eq!(run.status.code(), Some(2), "{share}: {stderr}");
        assert!(
            stderr.contains("is not a percentage from 1 to 100"),
            "{stderr}"
        );
    }
    let run = dsc()
        .args(["import", "--share", "50"])
        .args(&inputs)
        .output()
        .unwrap();
    assert_eq!(run.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&run.stderr).contains("--factor"));
    // Several inputs without --factor: every spec printed, in order.
    let both = manifests(tmp.path(), &[("metrics", METRICS)]);
    let run = dsc()
        .arg("import")
        .args(&inputs)
        .args(&both)
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&run.stdout);
    assert_eq!(run.status.code(), Some(0));
    assert!(
        stdout.find("daemonset logs").unwrap() < stdout.find("daemonset metrics").unwrap(),
        "{stdout}"
    );
}

/// Any fleet, any share: every agent that takes the library compiles, with it, to exactly its
/// manifest, and one that does not is plain import's spec.
mod property {
    use dsc::diagnostics::{LintLevels, Severity};
    use dsc::diff::canonicalize;
    use dsc::import::factor::factor;
    use dsc::import::{import_text, Spec};
    use dsc::print::Body;
    use dsc::source::SourceFile;
    use proptest::prelude::*;
    use serde_json::{json, Value};

    /// One container: which of the env vars, in which order, and whether it may escalate.
    fn container() -> impl Strategy<Value = (Vec<usize>, bool)> {
        (
            Just(vec![0usize, 1, 2]).prop_shuffle(),
            0usize..=3,
            any::<bool>(),
        )
            .prop_map(|(order, n, escalate)| (order[..n].to_vec(), escalate))
    }

    /// One DaemonSet: priority, host network, node selector, tolerations, containers.
    type DaemonSet = (usize, bool, Vec<bool>, Vec<usize>, Vec<(Vec<usize>, bool)>);

    fn daemonset() -> impl Strategy<Value = DaemonSet> {
        (
            0usize..3,
            any::<bool>(),
            proptest::collection::vec(any::<bool>(), 2),
            Just(vec![0usize, 1])
                .prop_shuffle()
                .prop_flat_map(|t| (Just(t), 0usize..=2))
                .prop_map(|(t, n)| t[..n].to_vec()),
            proptest::collection::vec(container(), 1..=3),
        )
    }

    fn manifest(
        i: usize,
        (priority, host, selector, tolerations, containers): &DaemonSet,
    ) -> Value {
        let envs = [
            json!({"name": "NODE_NAME", "valueFrom": {"fieldRef": {"fieldPath": "spec.nodeName"}}}),
            json!({"name": "LEVEL", "value": "info"}),
            json!({"name": "ZONE", "value": "cluster.local"}),
        ];
        let all = [
            json!({"operator": "Exists"}),
            json!({"key": "gpu", "operator": "Exists", "effect": "NoSchedule"}),
        ];
        let mut pod = json!({
            "containers": containers.iter().enumerate().map(|(j, (env, escalate))| {
                let mut c = json!({
                    "name": format!("c{j}"),
                    "image": format!("registry.example.com/c{j}:1.0"),
                });
                if !env.is_empty() {
                    c["env"] = Value::from(env.iter().map(|&e| envs[e].clone()).collect::<Vec<_>>());
                }
                if !escalate {
                    c["securityContext"] = json!({"allowPrivilegeEscalation": false});
                }
                c
            }).collect::<Vec<_>>(),
        });
        if let Some(p) = ["", "system-node-critical", "system-cluster-critical"]
            .get(*priority)
            .filter(|p| !p.is_empty())
        {
            pod["priorityClassName"] = json!(p);
        }
        if *host {
            pod["hostNetwork"] = json!(true);
        }
        let mut nodes = serde_json::Map::new();
        if selector[0] {
            nodes.insert("kubernetes.io/os".into(), json!("linux"));
        }
        if selector[1] {
            nodes.insert("kubernetes.io/arch".into(), json!("amd64"));
        }
        if !nodes.is_empty() {
            pod["nodeSelector"] = Value::Object(nodes);
        }
        if !tolerations.is_empty() {
            pod["tolerations"] = Value::from(
                tolerations
                    .iter()
                    .map(|&t| all[t].clone())
                    .collect::<Vec<_>>(),
            );
        }
        let name = format!("agent{i}");
        json!({
            "apiVersion": "apps/v1",
            "kind": "DaemonSet",
            "metadata": {"name": name, "namespace": "agents"},
            "spec": {
                "selector": {"matchLabels": {"app": name}},
                "template": {"metadata": {"labels": {"app": name}}, "spec": pod},
            },
        })
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(48))]
        #[test]
        fn every_agent_compiles_to_its_manifest(
            fleet in proptest::collection::vec(daemonset(), 2..6),
            share in 1u8..=100,
        ) {
            let items: Vec<Value> = fleet.iter().enumerate().map(|(i, d)| manifest(i, d)).collect();
            let text = json!({"apiVersion": "v1", "kind": "List", "items": items}).to_string();
            let imported = import_text(&text).unwrap();
            prop_assert!(imported.failures.is_empty(), "{:?}", imported.failures);
            let specs: Vec<Spec> = imported
                .body
                .statements
                .iter()
                .cloned()
                .zip(imported.canonical.iter().cloned())
                .map(|(node, canonical)| Spec { node, notes: Vec::new(), canonical })
                .collect();
            let factored = factor(&specs, f64::from(share) / 100.0, "lib/imported.ds");
            for (agent, spec) in factored.agents.iter().zip(&specs) {
                if agent.alone.is_some() {
                    prop_assert_eq!(
                        &agent.text,
                        &dsc::print::body_to_source(&Body::of(vec![spec.node.clone()]))
                    );
                    continue;
                }
                let library = factored.library.as_deref().unwrap_or_default();
                let own = agent.text.strip_prefix("use lib/imported.ds\n").unwrap_or(&agent.text);
                let file = SourceFile::new("agent.ds", format!("{library}\n{own}"));
                let compiled = dsc::compile(&file, &LintLevels::default());
                // No finding that plain import's spec does not have.
                let plain = SourceFile::new(
                    "plain.ds",
                    dsc::print::body_to_source(&Body::of(vec![spec.node.clone()])),
                );
                let messages = |c: &dsc::Compiled| {
                    let mut m: Vec<String> = c
                        .diagnostics
                        .iter()
                        .filter(|d| d.severity >= Severity::Warning)
                        .map(|d| format!("{}: {}", d.code, d.message))
                        .collect();
                    m.sort();
                    m
                };
                prop_assert_eq!(
                    messages(&compiled),
                    messages(&dsc::compile(&plain, &LintLevels::default())),
                    "{}",
                    file.text
                );
                prop_assert_eq!(compiled.manifests.len(), 1);
                prop_assert_eq!(
                    canonicalize(compiled.manifests[0].object.clone(), &[]),
                    canonicalize(spec.canonical.clone(), &[]),
                    "{}", file.text
                );
            }
        }
    }
}
