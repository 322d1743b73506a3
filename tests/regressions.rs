//! Defects found by fuzzing and fault injection, each through the binary as a user meets it:
//! a panic on a long line, exponential parsing of unclosed braces, a flood of diagnostics,
//! unbounded input, temporary files left by an interrupted run, imports that accepted what the
//! API server refuses.

mod common;

use common::{build_into, dsc, GOOD};
use predicates::prelude::*;

/// `dsc build SPEC -o OUT`, with `--check` when asked.
fn build_checked(
    spec: &std::path::Path,
    out: &std::path::Path,
    check: bool,
) -> assert_cmd::assert::Assert {
    let mut command = build_into(spec, out);
    if check {
        command.arg("--check");
    }
    command.assert()
}

#[test]
fn a_diagnostic_far_along_a_long_line_is_shown_cut() {
    // A label at column 65,535 or more used to make the renderer panic (exit 101).
    let text = format!("{} {{\n", "x".repeat(70_000));
    for command in [&["check", "-"][..], &["build", "-"], &["fmt", "-"]] {
        let out = dsc()
            .args(command)
            .write_stdin(text.clone())
            .output()
            .unwrap();
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(1), "{command:?}: {stderr}");
        assert!(
            stderr.contains("DS0103") || stderr.contains("syntax error"),
            "{stderr}"
        );
        if command[0] != "fmt" {
            assert!(stderr.contains("<stdin>:1:70002"), "{stderr}");
            assert!(stderr.contains("…xxx"), "the line is cut: {stderr}");
            assert!(stderr.len() < 2_000, "{stderr}");
        }
    }
}

#[test]
fn unclosed_braces_are_reported_once_however_many() {
    // Each open brace used to double the parse time: 16 of them (the nesting limit) took
    // seconds, 20 took 24 s.
    let text = "x {\n".repeat(16);
    dsc()
        .args(["check", "-"])
        .write_stdin(text)
        .assert()
        .code(1)
        .stderr(predicate::str::contains("error[DS0103]: unclosed block").count(1))
        .stderr(predicate::str::contains("<stdin>:1:3"));
}

#[test]
fn many_errors_print_the_first_hundred_and_count_the_rest() {
    let bad: String = (0..300).map(|i| format!("    bogus-key {i}\n")).collect();
    let text = GOOD.replace("    memory", &format!("{bad}    memory"));
    let out = dsc()
        .args(["check", "-"])
        .write_stdin(text.clone())
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(stderr.matches("error[DS0201]").count(), 100, "{stderr}");
    assert!(
        stderr
            .contains("note: 200 more diagnostics not shown; `--max-diagnostics 0` shows them all"),
        "{stderr}"
    );
    assert!(stderr.contains("error: 300 errors in 1 file"), "{stderr}");
    let all = dsc()
        .args(["check", "--max-diagnostics", "0", "--format", "short", "-"])
        .write_stdin(text.clone())
        .output()
        .unwrap();
    assert_eq!(
        String::from_utf8_lossy(&all.stderr)
            .matches("error[DS0201]")
            .count(),
        300
    );
    // JSON is for tools: always complete.
    let json = dsc()
        .args(["check", "--format", "json", "-"])
        .write_stdin(text)
        .output()
        .unwrap();
    let report: serde_json::Value = serde_json::from_slice(&json.stdout).unwrap();
    assert_eq!(report.as_array().map(Vec::len), Some(300));
}

#[test]
fn inputs_over_the_documented_size_are_refused() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("huge.ds");
    let line = "# a comment line that fills the file\n";
    let text = line.repeat((16 << 20) / line.len() + 1);
    std::fs::write(&path, &text).unwrap();
    dsc()
        .arg("check")
        .arg(&path)
        .assert()
        .code(2)
        .stderr(predicate::str::contains("larger than 4 MiB"));
    dsc()
        .args(["import", "-"])
        .write_stdin(text)
        .assert()
        .code(2)
        .stderr(predicate::str::contains("larger than 16 MiB"));
}

#[test]
fn temporary_files_of_an_interrupted_build_are_reported_then_removed() {
    let dir = tempfile::tempdir().unwrap();
    let spec = dir.path().join("agent.ds");
    std::fs::write(&spec, GOOD).unwrap();
    let out = dir.path().join("out");
    build_into(&spec, &out).assert().success();
    // What `kill -9` between write and rename leaves: a temporary file of a process now gone.
    let leftover = out.join(".dsc-tmp-4294967295-Ab12Cd");
    std::fs::write(&leftover, "apiVersion: apps/v1\nkind: Daem").unwrap();
    let hand_written = out.join(".tmp-notes");
    std::fs::write(&hand_written, "mine").unwrap();
    build_checked(&spec, &out, true)
        .code(1)
        .stdout(predicate::str::contains("leftover:"))
        .stdout(predicate::str::contains(".dsc-tmp-4294967295-Ab12Cd"));
    build_into(&spec, &out).assert().success();
    assert!(!leftover.exists());
    assert!(
        hand_written.exists(),
        "only dsc's own temporary files are removed"
    );
    build_checked(&spec, &out, true).success();
    // Writes leave nothing behind.
    let names: Vec<String> = std::fs::read_dir(&out)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    assert!(
        !names.iter().any(|n| n.starts_with(".dsc-tmp-")),
        "{names:?}"
    );
}

#[test]
fn folders_of_an_interrupted_build_are_reported_then_removed() {
    let dir = tempfile::tempdir().unwrap();
    let spec = dir.path().join("agent.ds");
    std::fs::write(&spec, GOOD).unwrap();
    let out = dir.path().join("out");
    build_into(&spec, &out).assert().success();
    // `kill -9` during a build that was making a namespace folder, and during one that was
    // making the output folder itself (built beside it): folders of a process now gone.
    let inside = out.join(".dsc-tmp-4294967295-d0");
    std::fs::create_dir_all(inside.join("x")).unwrap();
    std::fs::write(inside.join("x/a.yaml"), "kind: Daem").unwrap();
    build_checked(&spec, &out, true)
        .code(1)
        .stdout(predicate::str::contains("leftover:"))
        .stdout(predicate::str::contains(".dsc-tmp-4294967295-d0"));
    build_into(&spec, &out).assert().success();
    assert!(!inside.exists());
    let beside = dir.path().join(".dsc-tmp-4294967295-d1");
    std::fs::create_dir_all(beside.join("monitoring")).unwrap();
    let fresh = dir.path().join("fresh");
    build_into(&spec, &fresh).assert().success();
    assert!(!beside.exists());
    assert!(fresh.join("monitoring/agent.yaml").is_file());
}

#[test]
fn fmt_removes_leftovers_beside_the_file_it_writes() {
    let dir = tempfile::tempdir().unwrap();
    let spec = dir.path().join("agent.ds");
    std::fs::write(&spec, GOOD.replace("  container", "container")).unwrap();
    let leftover = dir.path().join(".dsc-tmp-4294967295-Zz99Yy");
    std::fs::write(&leftover, "daemonset").unwrap();
    dsc().arg("fmt").arg(&spec).assert().success();
    assert!(!leftover.exists());
    assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 1);
}

fn manifest(api_version: Option<&str>, namespace: &str) -> String {
    let out = dsc()
        .args(["build", "-"])
        .write_stdin(GOOD)
        .output()
        .unwrap();
    let yaml = String::from_utf8(out.stdout).unwrap();
    let yaml = yaml.replace(
        "  namespace: monitoring\n",
        &format!("  namespace: {namespace}\n"),
    );
    match api_version {
        Some(v) => yaml.replace("apiVersion: apps/v1", &format!("apiVersion: {v}")),
        None => yaml.replace("apiVersion: apps/v1\n", ""),
    }
}

#[test]
fn an_empty_namespace_imports_as_none_and_diffs_clean() {
    let dir = tempfile::tempdir().unwrap();
    let yaml = manifest(Some("apps/v1"), "\"\"");
    let path = dir.path().join("agent.yaml");
    std::fs::write(&path, &yaml).unwrap();
    let out = dsc().arg("import").arg(&path).output().unwrap();
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let spec = dir.path().join("agent.ds");
    std::fs::write(&spec, &out.stdout).unwrap();
    assert!(String::from_utf8_lossy(&out.stderr).contains("has no namespace"));
    dsc()
        .arg("diff")
        .arg(&spec)
        .arg("--against")
        .arg(&path)
        .args(["--color", "never"])
        .assert()
        .code(0)
        .stdout(predicate::str::contains("no changes"));
}

#[test]
fn import_refuses_what_is_not_a_daemonset_version() {
    for (version, message) in [
        (
            Some("ap/v1"),
            "error[DS1002]: unsupported value \"ap/v1\" for `apiVersion`",
        ),
        (
            Some("v1"),
            "error[DS1002]: unsupported value \"v1\" for `apiVersion`",
        ),
        (None, "error[DS1001]: `apiVersion` is required"),
    ] {
        dsc()
            .args(["import", "-"])
            .write_stdin(manifest(version, "monitoring"))
            .assert()
            .code(1)
            .stderr(predicate::str::contains(message));
    }
    // The versions DaemonSets had before apps/v1 are converted, with a note.
    dsc()
        .args(["import", "-"])
        .write_stdin(manifest(Some("extensions/v1beta1"), "monitoring"))
        .assert()
        .code(0)
        .stderr(predicate::str::contains("no longer serves since 1.16"));
}
