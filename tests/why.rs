//! `dsc why`: the layers that set a field, each with its place, over the worked example.

mod common;

use common::dsc;

fn why(args: &[&str]) -> (Option<i32>, String, String) {
    let out = dsc()
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .arg("why")
        .args(args)
        .output()
        .unwrap();
    (
        out.status.code(),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

#[test]
fn an_override_names_the_convention_it_replaced() {
    let (code, stdout, _) = why(&[
        "examples/fleet/agents/node-local-dns.ds",
        "spec.template.spec.dnsPolicy",
        "--env",
        "prod",
    ]);
    assert_eq!(code, Some(0));
    assert_eq!(
        stdout,
        "node-local-dns in kube-system (prod): spec.template.spec.dnsPolicy = \"Default\"\n\
         \x20 examples/fleet/agents/node-local-dns.ds:7:3  override dns default             (daemonset)\n\
         \x20 examples/fleet/lib/node-agent.ds:21:3        dns cluster-first-with-host-net  (defaults host-agent, replaced)\n"
    );
}

#[test]
fn an_environment_overlay_is_the_top_layer_of_a_container_by_name() {
    let field = "spec.template.spec.containers[fluent-bit].resources.limits.memory";
    let (_, prod, _) = why(&[
        "examples/fleet/agents/fluent-bit.ds",
        field,
        "--env",
        "prod",
    ]);
    assert!(prod.contains("= \"512Mi\""), "{prod}");
    assert!(prod.contains("(overlay prod)"), "{prod}");
    assert!(
        prod.contains("fluent-bit.ds:9:5    memory 64Mi..128Mi"),
        "{prod}"
    );
    let (_, staging, _) = why(&[
        "examples/fleet/agents/fluent-bit.ds",
        field,
        "--env",
        "staging",
    ]);
    assert!(staging.contains("= \"128Mi\""), "{staging}");
    assert!(!staging.contains("overlay"), "{staging}");
}

#[test]
fn a_block_overlay_replaces_its_own_soft_value() {
    let (_, stdout, _) = why(&[
        "examples/fleet/agents/node-exporter.ds",
        "spec.updateStrategy.rollingUpdate.maxUnavailable",
        "--env",
        "prod",
    ]);
    assert!(
        stdout.contains("(overlay prod of defaults node-agent)"),
        "{stdout}"
    );
    assert!(stdout.contains("soft max-unavailable 10%"), "{stdout}");
}

#[test]
fn an_append_is_a_layer_of_the_list_it_extends() {
    let (_, stdout, _) = why(&[
        "examples/fleet/agents/node-exporter.ds",
        "spec.template.spec.containers[node-exporter].args[2]",
        "--env",
        "staging",
    ]);
    assert!(stdout.contains("= \"--log.level=debug\""), "{stdout}");
    let lines: Vec<&str> = stdout.lines().collect();
    assert!(
        lines[1].ends_with("(overlay staging, appended)"),
        "{stdout}"
    );
    assert!(
        lines[2].contains("args --path.rootfs=/host/root"),
        "{stdout}"
    );
    assert!(lines[2].ends_with("(daemonset)"), "{stdout}");
}

#[test]
fn a_field_nothing_sets_and_a_wrong_environment_say_so() {
    let (code, stdout, _) = why(&[
        "examples/fleet/agents/node-exporter.ds",
        "spec.minReadySeconds",
    ]);
    assert_eq!(code, Some(0));
    assert!(stdout.contains("is not in the compiled object"), "{stdout}");
    assert!(stdout.contains("note: no `--env`"), "{stdout}");
    let (code, _, stderr) = why(&[
        "examples/fleet/agents/node-exporter.ds",
        "spec",
        "--env",
        "prd",
    ]);
    assert_eq!(code, Some(2));
    assert!(stderr.contains("did you mean `prod`?"), "{stderr}");
}
