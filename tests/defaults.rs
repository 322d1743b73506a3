//! Defaults blocks and layers: what a spec takes from the blocks it names, how each shape of
//! setting merges (maps by key, keyed lists by their Kubernetes identity, tolerations as a set,
//! atomic lists), `override`, `soft`, `remove`, `append`, `container *`, and that no order of
//! blocks, names or `use` lines changes an output.

mod common;

use std::path::Path;

use common::dsc;
use dsc::compose::Definitions;
use dsc::diagnostics::LintLevels;
use dsc::source::SourceFile;
use serde_json::Value;

/// The compiled object of a one-daemonset spec, or its error codes.
fn compile(text: &str) -> Result<Value, Vec<String>> {
    let file = SourceFile::new("agent.ds", text);
    let c = dsc::compile_with(&file, &LintLevels::default(), &Definitions::default());
    if c.has_errors() {
        return Err(c
            .diagnostics
            .iter()
            .map(|d| format!("{} {}", d.code, d.message))
            .collect());
    }
    Ok(c.manifests[0].object.clone())
}

fn yaml(text: &str) -> String {
    let file = SourceFile::new("agent.ds", text);
    let c = dsc::compile_with(&file, &LintLevels::default(), &Definitions::default());
    assert!(!c.has_errors(), "{:?}", c.diagnostics);
    dsc::objects_to_yaml(&c.manifests, "agent.ds")
}

fn codes(text: &str) -> Vec<String> {
    let file = SourceFile::new("agent.ds", text);
    let c = dsc::compile_with(&file, &LintLevels::default(), &Definitions::default());
    c.diagnostics.iter().map(|d| d.code.to_string()).collect()
}

fn pod(object: &Value) -> &Value {
    &object["spec"]["template"]["spec"]
}

const NODE_AGENT: &str = "defaults node-agent {
  priority system-node-critical
  tolerate all
  node-selector kubernetes.io/os=linux
  labels team=platform
  soft max-unavailable 10%
  container * {
    env NODE_NAME = field spec.nodeName
  }
}
";

fn agent(body: &str) -> String {
    format!("{NODE_AGENT}\ndaemonset agent in monitoring from node-agent {{\n{body}\n}}\n")
}

const CONTAINER: &str = "container agent {\n image r.example.com/agent:1\n memory 64Mi..128Mi\n}";

#[test]
fn a_spec_takes_every_setting_of_its_blocks() {
    let object = compile(&agent(&format!(
        "{CONTAINER}\ncontainer sidecar {{ image r.example.com/sidecar:1\n memory 8Mi..16Mi }}\ninit setup {{ image r.example.com/setup:1\n memory 8Mi..16Mi }}"
    )))
    .unwrap();
    let pod = pod(&object);
    assert_eq!(pod["priorityClassName"], "system-node-critical");
    assert_eq!(
        pod["tolerations"],
        serde_json::json!([{"operator": "Exists"}])
    );
    assert_eq!(pod["nodeSelector"]["kubernetes.io/os"], "linux");
    assert_eq!(object["metadata"]["labels"]["team"], "platform");
    assert_eq!(
        object["spec"]["updateStrategy"]["rollingUpdate"]["maxUnavailable"],
        "10%"
    );
    // `container *` reaches every container, and no init container.
    for c in pod["containers"].as_array().unwrap() {
        assert_eq!(c["env"][0]["name"], "NODE_NAME", "{c}");
    }
    assert!(pod["initContainers"][0].get("env").is_none());
}

#[test]
fn a_firm_setting_changes_only_with_override_and_a_soft_one_freely() {
    let firm = agent(&format!("priority system-cluster-critical\n{CONTAINER}"));
    assert_eq!(codes(&firm), ["DS0113"]);
    let object = compile(&agent(&format!(
        "override priority system-cluster-critical\nmax-unavailable 2\n{CONTAINER}"
    )))
    .unwrap();
    assert_eq!(pod(&object)["priorityClassName"], "system-cluster-critical");
    assert_eq!(
        object["spec"]["updateStrategy"]["rollingUpdate"]["maxUnavailable"],
        2
    );
    // Writing the value the block has is no change.
    assert!(compile(&agent(&format!(
        "priority system-node-critical\n{CONTAINER}"
    )))
    .is_ok());
    // An override of what no block sets is a warning, and applies.
    let lonely = agent(&format!("override service-account agent\n{CONTAINER}"));
    assert_eq!(codes(&lonely), ["DS0114"]);
}

#[test]
fn maps_merge_by_key() {
    let object = compile(&agent(&format!(
        "labels app=agent\nnode-selector node-role.kubernetes.io/worker=\n{CONTAINER}"
    )))
    .unwrap();
    let labels = &object["metadata"]["labels"];
    assert_eq!(labels["team"], "platform");
    assert_eq!(labels["app"], "agent");
    let selector = &pod(&object)["nodeSelector"];
    assert_eq!(selector["kubernetes.io/os"], "linux");
    assert_eq!(selector["node-role.kubernetes.io/worker"], "");
    // One key changed: only with override, and only that key.
    assert_eq!(
        codes(&agent(&format!("labels team=obs\n{CONTAINER}"))),
        ["DS0113"]
    );
    let object = compile(&agent(&format!(
        "override labels team=obs app=agent\n{CONTAINER}"
    )))
    .unwrap();
    assert_eq!(object["metadata"]["labels"]["team"], "obs");
    assert_eq!(object["metadata"]["labels"]["app"], "agent");
}

#[test]
fn the_two_53_ports_of_a_dns_agent_survive_a_layer() {
    let spec = "defaults dns {
  container node-cache {
    port dns 53/udp
    port dns-tcp 53
    port metrics 9253
  }
}
daemonset node-local-dns in kube-system from dns {
  container node-cache {
    image registry.k8s.io/dns/k8s-dns-node-cache:1.23.1
    memory 32Mi..64Mi
    override port dns-tcp 53 host 53
    port health 8080
  }
}
";
    let object = compile(spec).unwrap();
    let ports = pod(&object)["containers"][0]["ports"]
        .as_array()
        .unwrap()
        .clone();
    let summary: Vec<(i64, &str, Option<i64>)> = ports
        .iter()
        .map(|p| {
            (
                p["containerPort"].as_i64().unwrap(),
                p["protocol"].as_str().unwrap_or("TCP"),
                p["hostPort"].as_i64(),
            )
        })
        .collect();
    assert_eq!(
        summary,
        [
            (53, "UDP", None),
            (53, "TCP", Some(53)),
            (9253, "TCP", None),
            (8080, "TCP", None)
        ],
        "{ports:?}"
    );
}

#[test]
fn mounts_merge_by_path_and_env_by_name() {
    let spec = "defaults logs {
  container * {
    mount /var/log
    env LOG_LEVEL=info
  }
}
daemonset shipper in logging from logs {
  container shipper {
    image r.example.com/shipper:1
    memory 64Mi..128Mi
    override mount /var/log/ ro
    override env LOG_LEVEL=debug
    env EXTRA=1
  }
}
";
    let object = compile(spec).unwrap();
    let c = &pod(&object)["containers"][0];
    assert_eq!(c["volumeMounts"].as_array().unwrap().len(), 1, "{c}");
    assert_eq!(c["volumeMounts"][0]["readOnly"], true);
    let env: Vec<(&str, &str)> = c["env"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| (e["name"].as_str().unwrap(), e["value"].as_str().unwrap()))
        .collect();
    assert_eq!(env, [("LOG_LEVEL", "debug"), ("EXTRA", "1")]);
}

#[test]
fn tolerations_are_a_set() {
    let object = compile(&agent(&format!(
        "tolerate all\ntolerate node.kubernetes.io/not-ready:NoExecute\n{CONTAINER}"
    )))
    .unwrap();
    let tolerations = pod(&object)["tolerations"].as_array().unwrap();
    assert_eq!(tolerations.len(), 2, "{tolerations:?}");
}

#[test]
fn atomic_lists_are_replaced_or_appended_explicitly() {
    let spec = |line: &str| {
        format!(
            "defaults base {{\n  container agent {{ args --config=/etc/agent.yaml }}\n}}\ndaemonset agent in monitoring from base {{\n  container agent {{\n    image r.example.com/agent:1\n    memory 64Mi..128Mi\n    {line}\n  }}\n}}\n"
        )
    };
    let args = |line: &str| {
        let object = compile(&spec(line)).unwrap();
        pod(&object)["containers"][0]["args"].clone()
    };
    assert_eq!(
        args("append args --verbose"),
        serde_json::json!(["--config=/etc/agent.yaml", "--verbose"])
    );
    assert_eq!(args("override args --once"), serde_json::json!(["--once"]));
    assert_eq!(codes(&spec("args --once")), ["DS0113"]);
}

#[test]
fn remove_takes_out_what_a_block_set() {
    let object = compile(&agent(
        "remove tolerate all\nremove labels team\nremove priority\ncontainer agent {\n image r.example.com/agent:1\n memory 64Mi..128Mi\n remove env NODE_NAME\n}\ncontainer other { image r.example.com/other:1\n memory 8Mi..16Mi }"
    ))
    .unwrap();
    let pod = pod(&object);
    assert!(pod.get("tolerations").is_none(), "{pod}");
    assert!(pod.get("priorityClassName").is_none());
    assert!(object["metadata"]["labels"].get("team").is_none());
    assert!(pod["containers"][0].get("env").is_none());
    // `remove` in one container leaves the others as `container *` makes them.
    assert_eq!(pod["containers"][1]["env"][0]["name"], "NODE_NAME");
    assert_eq!(
        codes(&agent(&format!("remove host-network\n{CONTAINER}"))),
        ["DS0115"]
    );
}

#[test]
fn a_block_overrides_its_parent_and_a_diamond_counts_once() {
    let spec = "defaults base {
  priority system-node-critical
  tolerate all
}
defaults logs from base { labels kind=logs }
defaults critical from base { override priority system-cluster-critical }
daemonset agent in logging from logs critical {
  container agent {
    image r.example.com/agent:1
    memory 64Mi..128Mi
  }
}
";
    let object = compile(spec).unwrap();
    assert_eq!(pod(&object)["priorityClassName"], "system-cluster-critical");
    assert_eq!(pod(&object)["tolerations"].as_array().unwrap().len(), 1);
    assert_eq!(object["metadata"]["labels"]["kind"], "logs");
}

#[test]
fn a_block_of_too_many_settings_is_refused_in_linear_time() {
    // 30,000 settings in a defaults block: refused at once rather than merged in quadratic
    // time (a test that timed it would be flaky; it finishing is the check).
    let env: String = (0..30_000).map(|i| format!("    env K{i}=v\n")).collect();
    let spec = format!(
        "defaults base {{\n  container * {{\n{env}  }}\n}}\ndaemonset agent from base {{\n  {CONTAINER}\n}}\n"
    );
    assert_eq!(codes(&spec), ["DS0118"]);
}

#[test]
fn two_blocks_of_one_layer_that_disagree_clash_and_equal_values_merge() {
    let spec = |second: &str| {
        format!(
            "defaults a {{ priority system-node-critical\n labels x=1 }}\ndefaults b {{ {second} }}\ndaemonset agent from a b {{ {CONTAINER} }}\n"
        )
    };
    assert_eq!(codes(&spec("priority system-cluster-critical")), ["DS0112"]);
    assert!(compile(&spec("priority system-node-critical\n labels y=2")).is_ok());
}

#[test]
fn no_order_of_blocks_or_names_changes_the_output() {
    let blocks = [
        "defaults a {\n  labels a=1\n  container * { env A=1 }\n  tolerate key-a\n}\n",
        "defaults b {\n  labels b=2\n  container * { env B=2 }\n  tolerate key-b\n}\n",
        "defaults c from a {\n  pod-labels c=3\n  container * { mount /var/log }\n}\n",
    ];
    let body = format!("{{\n  {CONTAINER}\n}}\n");
    let mut outputs = Vec::new();
    for order in [[0, 1, 2], [2, 1, 0], [1, 2, 0]] {
        for from in ["from a b c", "from c b a", "from b c a"] {
            let text: String = order.iter().map(|&i| blocks[i]).collect::<String>()
                + &format!("daemonset agent in monitoring {from} {body}");
            outputs.push(yaml(&text));
        }
    }
    assert!(outputs.windows(2).all(|w| w[0] == w[1]), "{outputs:#?}");
    assert!(outputs[0].contains("name: A") && outputs[0].contains("name: B"));
}

/// A repository with blocks in two libraries.
fn repo(uses: &str) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    std::fs::create_dir(root.join(".git")).unwrap();
    write(root, "lib/base.ds", NODE_AGENT);
    write(
        root,
        "lib/gpu.ds",
        "defaults gpu {\n  node-selector nvidia.com/gpu.present=true\n  tolerate nvidia.com/gpu:NoSchedule\n  container * { gpu 1 }\n}\n",
    );
    write(
        root,
        "agents/dcgm.ds",
        &format!(
            "{uses}\ndaemonset dcgm in monitoring from node-agent gpu {{\n  {CONTAINER}\n}}\n"
        ),
    );
    dir
}

fn write(root: &Path, relative: &str, text: &str) {
    let path = root.join(relative);
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(path, text).unwrap();
}

fn built(root: &Path) -> Vec<u8> {
    let out = dsc()
        .current_dir(root)
        .args(["build", "agents/dcgm.ds"])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    out.stdout
}

#[test]
fn no_order_of_use_lines_changes_the_output() {
    let a = repo("use ../lib/base.ds\nuse ../lib/gpu.ds");
    let b = repo("use ../lib/gpu.ds\nuse ../lib/base.ds");
    let first = built(a.path());
    assert_eq!(first, built(b.path()));
    let text = String::from_utf8(first).unwrap();
    assert!(text.contains("nvidia.com/gpu: \"1\""), "{text}");
}

#[test]
fn a_mistake_in_a_library_block_is_reported_at_its_line_and_at_the_from() {
    let dir = repo("use ../lib/base.ds\nuse ../lib/gpu.ds");
    write(
        dir.path(),
        "lib/gpu.ds",
        "defaults gpu {\n  node-selectr nvidia.com/gpu.present=true\n}\n",
    );
    let out = dsc()
        .current_dir(dir.path())
        .args(["check", "agents/dcgm.ds", "--format", "short"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("lib/gpu.ds:2:3: error[DS0201]"), "{stderr}");
    let human = dsc()
        .current_dir(dir.path())
        .args(["check", "agents/dcgm.ds"])
        .output()
        .unwrap();
    let human = String::from_utf8_lossy(&human.stderr);
    assert!(human.contains("`gpu` brings it in here"), "{human}");
    assert!(human.contains("did you mean `node-selector"), "{human}");
}

mod order {
    use super::*;
    use proptest::prelude::*;

    /// A setting whose value follows from its identity, so two blocks that share it agree.
    fn setting(i: u8) -> String {
        match i % 5 {
            0 => format!("labels k{i}=v{i}"),
            1 => format!("container * {{ env VAR_{i}=x{i} }}"),
            2 => format!("tolerate key-{i}"),
            3 => format!("pod-annotations a{i}=b{i}"),
            _ => format!("node-selector n{i}=m{i}"),
        }
    }

    fn spec(blocks: &[(String, Vec<u8>)], order: &[usize], from: &[usize]) -> String {
        let mut text = String::new();
        for &b in order {
            let (name, settings) = &blocks[b];
            let parent = if name == "c" { " from a" } else { "" };
            text.push_str(&format!("defaults {name}{parent} {{\n"));
            for s in settings {
                text.push_str(&format!("  {}\n", setting(*s)));
            }
            text.push_str("}\n");
        }
        let names: Vec<&str> = from.iter().map(|&b| blocks[b].0.as_str()).collect();
        text + &format!(
            "daemonset agent in monitoring from {} {{\n  {CONTAINER}\n}}\n",
            names.join(" ")
        )
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(64))]
        #[test]
        fn no_order_of_blocks_or_from_names_changes_the_output(
            contents in proptest::collection::vec(proptest::collection::btree_set(0u8..20, 0..6), 4),
            order in Just(vec![0usize, 1, 2, 3]).prop_shuffle(),
            from in Just(vec![0usize, 1, 2, 3]).prop_shuffle(),
        ) {
            let blocks: Vec<(String, Vec<u8>)> = ["a", "b", "c", "d"]
                .iter()
                .zip(contents)
                .map(|(n, s)| (n.to_string(), s.into_iter().collect()))
                .collect();
            let identity = [0usize, 1, 2, 3];
            let first = yaml(&spec(&blocks, &identity, &identity));
            let permuted = yaml(&spec(&blocks, &order, &from));
            prop_assert_eq!(first, permuted);
        }
    }
}
