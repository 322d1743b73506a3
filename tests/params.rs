//! Parameters end to end: `param NAME [TYPE] = DEFAULT`, `${NAME}` in words, `-D NAME=VALUE`
//! on the command line of build, check and diff; `-D LINT` still denies a lint; the output is
//! a function of the files and `-D` alone; `dsc fmt` keeps a word with parameters a word.

mod common;

use std::path::{Path, PathBuf};

use common::dsc;
use dsc::compose::Definitions;
use dsc::diagnostics::LintLevels;
use dsc::source::SourceFile;
use predicates::prelude::*;
use proptest::prelude::*;

const AGENT: &str = "\
param registry = registry.example.com/obs
param tag = 1.0
param memory quantity = 128Mi
param level [debug, info, warn] = info

daemonset agent in monitoring {
  container agent {
    image ${registry}/agent:${tag}
    memory 64Mi..${memory}
    env LEVEL=${level}
    command sh -c \"exec agent --node=${NODE_NAME}\"
    env NODE_NAME = field spec.nodeName
  }
}
";

fn write(dir: &Path, name: &str, text: &str) -> PathBuf {
    let path = dir.join(name);
    std::fs::write(&path, text).unwrap();
    path
}

fn yaml(output: &std::process::Output) -> String {
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    String::from_utf8(output.stdout.clone()).unwrap()
}

#[test]
fn defaults_apply_and_definitions_replace_them() {
    let dir = tempfile::tempdir().unwrap();
    let spec = write(dir.path(), "agent.ds", AGENT);
    let by_default = yaml(&dsc().arg("build").arg(&spec).output().unwrap());
    assert!(by_default.contains("image: registry.example.com/obs/agent:1.0\n"));
    assert!(by_default.contains("memory: 128Mi\n"));
    assert!(by_default.contains("value: info\n"));
    // In a quoted string, `${...}` is the shell's.
    assert!(by_default.contains("exec agent --node=${NODE_NAME}"));
    let defined = yaml(
        &dsc()
            .arg("build")
            .arg(&spec)
            .args(["-D", "tag=2.0", "-D", "memory=256Mi", "--deny=level=debug"])
            .output()
            .unwrap(),
    );
    assert!(defined.contains("image: registry.example.com/obs/agent:2.0\n"));
    assert!(defined.contains("memory: 256Mi\n"));
    assert!(defined.contains("value: debug\n"));
}

#[test]
fn a_definition_no_spec_declares_is_a_usage_error_and_nothing_is_written() {
    let dir = tempfile::tempdir().unwrap();
    let spec = write(dir.path(), "agent.ds", AGENT);
    let out = dir.path().join("out");
    dsc()
        .arg("build")
        .arg(&spec)
        .args(["-D", "tga=2.0", "-o"])
        .arg(&out)
        .assert()
        .code(2)
        .stderr(predicate::str::contains(
            "error: `-D tga=...`: no spec declares a parameter `tga`; did you mean `tag`?",
        ));
    assert!(!out.exists());
    dsc()
        .arg("check")
        .arg(&spec)
        .args(["-D", "nothing=1"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("they declare `level`, `memory`"));
    dsc()
        .arg("build")
        .arg(&spec)
        .args(["-D", "=1"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("is not a parameter name"));
}

#[test]
fn a_definition_applies_to_the_specs_that_declare_it() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "agent.ds", AGENT);
    write(
        dir.path(),
        "other.ds",
        &common::GOOD.replace("agent", "other"),
    );
    let out = dsc()
        .arg("build")
        .arg(dir.path())
        .args(["-D", "tag=3.0"])
        .output()
        .unwrap();
    assert!(yaml(&out).contains("agent:3.0"));
}

#[test]
fn a_value_that_does_not_fit_is_an_error_at_the_declaration() {
    let dir = tempfile::tempdir().unwrap();
    let spec = write(dir.path(), "agent.ds", AGENT);
    dsc()
        .arg("build")
        .arg(&spec)
        .args(["-D", "memory=lots"])
        .assert()
        .code(1)
        .stdout("")
        .stderr(predicate::str::contains("error[DS0109]"))
        .stderr(predicate::str::contains("agent.ds:3:7"));
}

#[test]
fn lints_are_still_denied_with_d() {
    let dir = tempfile::tempdir().unwrap();
    let spec = write(
        dir.path(),
        "agent.ds",
        &AGENT.replace("agent:${tag}", "agent:latest"),
    );
    dsc().arg("build").arg(&spec).assert().success();
    dsc()
        .arg("build")
        .arg(&spec)
        .args(["-D", "warnings", "-D", "tag=2.0"])
        .assert()
        .code(1);
}

#[test]
fn diff_takes_definitions() {
    let dir = tempfile::tempdir().unwrap();
    let spec = write(dir.path(), "agent.ds", AGENT);
    let previous = yaml(&dsc().arg("build").arg(&spec).output().unwrap());
    let previous = write(dir.path(), "agent.yaml", &previous);
    dsc()
        .arg("diff")
        .arg(&spec)
        .arg("--against")
        .arg(&previous)
        .assert()
        .success();
    dsc()
        .arg("diff")
        .arg(&spec)
        .arg("--against")
        .arg(&previous)
        .args(["-D", "tag=2.0", "--color", "never"])
        .assert()
        .code(1)
        .stdout(predicate::str::contains("agent:2.0"));
}

#[test]
fn fmt_keeps_words_with_parameters_bare() {
    let text = "param tag=1.0\ndaemonset a in x {\n  container a {\n    image r/a:${tag}\n    memory 1Mi..2Mi\n    args \"${HOME}\"\n  }\n}\n";
    let formatted = dsc::source_to_formatted(&SourceFile::new("a.ds", text)).unwrap();
    assert!(formatted.contains("    image r/a:${tag}\n"), "{formatted}");
    assert!(formatted.contains("    args \"${HOME}\"\n"), "{formatted}");
}

/// The env value of `env V=VALUE` where VALUE is `${value}` set by `-D`, or (`written`) the
/// value written in its place.
fn env_value(value: &str, written: bool) -> Option<String> {
    let at = if written { value } else { "${value}" };
    let text = format!(
        "param value = x\ndaemonset a in x {{\n  container a {{\n    image r/a:1\n    memory 1Mi..2Mi\n    env V={at}\n  }}\n}}\n"
    );
    let definition = format!("value={value}");
    let definitions = Definitions::parse((!written).then_some(definition.as_str())).ok()?;
    let compiled = dsc::compile_with(
        &SourceFile::new("a.ds", text),
        &LintLevels::default(),
        &definitions,
    );
    let object = &compiled.manifests.first()?.object;
    let env = &object["spec"]["template"]["spec"]["containers"][0]["env"][0]["value"];
    Some(env.as_str()?.to_string())
}

proptest! {
    /// A parameter's value arrives exactly as given, or is refused with a diagnostic; and
    /// wherever writing the value out works, the parameter works too. Never a panic.
    #[test]
    fn a_parameter_arrives_as_given_wherever_its_value_written_out_would(
        value in "[A-Za-z0-9:/._=@%+~,#'\\[\\]$-]{1,24}"
    ) {
        let substituted = env_value(&value, false);
        if let Some(got) = &substituted {
            prop_assert_eq!(got, &value);
        }
        if env_value(&value, true).as_deref() == Some(value.as_str()) {
            prop_assert_eq!(substituted.as_deref(), Some(value.as_str()));
        }
    }
}

#[test]
fn values_that_look_like_other_types_stay_text() {
    for value in ["0777", "1:30", "on", "no", "2026-01-01", "1e3", "~", "true"] {
        assert_eq!(env_value(value, false).as_deref(), Some(value), "{value}");
    }
}
