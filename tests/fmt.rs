//! `dsc fmt`: every `tests/cases/fmt/NAME.ds` formats to the `NAME.formatted.ds` beside it,
//! idempotently and to the same compiled YAML; the examples are already in the
//! canonical layout; and the command line: in-place rewrites, `--check`, stdin, errors.

mod common;

use std::path::Path;

use assert_cmd::Command;
use dsc::diagnostics::LintLevels;
use dsc::print::format_source;
use dsc::source::SourceFile;
use predicates::prelude::*;

fn format(text: &str) -> String {
    format_source(text).unwrap_or_else(|e| panic!("{e:?}"))
}

/// The YAML a spec compiles to, when it compiles without errors.
fn compiled(name: &str, text: &str) -> Option<String> {
    let file = SourceFile::new(name, text);
    let compiled = dsc::compile(&file, &LintLevels::default());
    (!compiled.has_errors()).then(|| dsc::objects_to_yaml(&compiled.manifests, name))
}

#[test]
fn cases_format_to_their_goldens() {
    let mut failures = Vec::new();
    let inputs = common::inputs("tests/cases/fmt", "ds");
    let inputs: Vec<_> = inputs
        .iter()
        .filter(|p| !p.to_string_lossy().ends_with(".formatted.ds"))
        .collect();
    assert!(inputs.len() >= 4, "the fmt cases are missing");
    let mut compiling = 0;
    for path in inputs {
        let name = path.file_name().unwrap().to_string_lossy().into_owned();
        let text = std::fs::read_to_string(path).unwrap();
        let out = format(&text);
        failures.extend(common::golden(&path.with_extension("formatted.ds"), &out));
        if format(&out) != out {
            failures.push(format!("{name}: formatting is not idempotent"));
        }
        let yaml = compiled(&name, &text);
        if yaml != compiled(&name, &out) {
            failures.push(format!("{name}: the formatted spec compiles differently"));
        }
        compiling += usize::from(yaml.is_some());
    }
    assert!(
        compiling > 0,
        "no fmt case compiles, so none shows that the YAML is kept"
    );
    common::finish(failures);
}

#[test]
fn examples_are_formatted() {
    for path in common::inputs("examples", "ds") {
        let text = std::fs::read_to_string(&path).unwrap();
        assert_eq!(
            format(&text),
            text,
            "{} is not in the canonical layout; run `dsc fmt examples/`",
            path.display()
        );
    }
}

fn dsc() -> Command {
    Command::cargo_bin("dsc").unwrap()
}

const MESSY: &str = "# agent\ndaemonset agent { container agent { image registry.example.com/agent:1.0 # pinned\n memory 64Mi..128Mi } }\n";
const TIDY: &str = "# agent\ndaemonset agent {\n  container agent {\n    image registry.example.com/agent:1.0 # pinned\n    memory 64Mi..128Mi\n  }\n}\n";

fn write(dir: &Path, name: &str, text: &str) -> std::path::PathBuf {
    let path = dir.join(name);
    std::fs::write(&path, text).unwrap();
    path
}

#[test]
fn rewrites_only_files_that_change() {
    let dir = tempfile::tempdir().unwrap();
    let messy = write(dir.path(), "messy.ds", MESSY);
    let tidy = write(dir.path(), "tidy.ds", TIDY);
    let before = std::fs::metadata(&tidy).unwrap().modified().unwrap();
    dsc()
        .arg("fmt")
        .arg(dir.path())
        .assert()
        .success()
        .stdout("")
        .stderr(predicate::str::contains("formatted").and(predicate::str::contains("messy.ds")))
        .stderr(predicate::str::contains("tidy.ds").not());
    assert_eq!(std::fs::read_to_string(&messy).unwrap(), TIDY);
    assert_eq!(
        std::fs::metadata(&tidy).unwrap().modified().unwrap(),
        before
    );
    assert_eq!(
        std::fs::read_dir(dir.path()).unwrap().count(),
        2,
        "no temporary file is left"
    );
    dsc().arg("fmt").arg(&messy).assert().success().stderr("");
}

#[cfg(unix)]
#[test]
fn rewrites_keep_permissions() {
    use std::os::unix::fs::PermissionsExt;
    let dir = tempfile::tempdir().unwrap();
    let spec = write(dir.path(), "a.ds", MESSY);
    std::fs::set_permissions(&spec, std::fs::Permissions::from_mode(0o644)).unwrap();
    dsc().arg("fmt").arg(&spec).assert().success();
    let mode = std::fs::metadata(&spec).unwrap().permissions().mode();
    assert_eq!(mode & 0o777, 0o644);
}

#[test]
fn check_lists_and_diffs_without_writing() {
    let dir = tempfile::tempdir().unwrap();
    let messy = write(dir.path(), "messy.ds", MESSY);
    write(dir.path(), "tidy.ds", TIDY);
    dsc()
        .args(["fmt", "--check"])
        .arg(dir.path())
        .assert()
        .code(1)
        .stdout(predicate::str::contains("+    memory 64Mi..128Mi"))
        .stdout(predicate::str::contains("messy.ds (formatted)"))
        .stderr(
            predicate::str::contains("would reformat").and(predicate::str::contains("messy.ds")),
        )
        .stderr(predicate::str::contains(
            "1 of 2 files would be reformatted",
        ))
        .stderr(predicate::str::contains("tidy.ds").not());
    assert_eq!(std::fs::read_to_string(&messy).unwrap(), MESSY);
    dsc()
        .args(["fmt", "--check"])
        .arg(dir.path().join("tidy.ds"))
        .assert()
        .success()
        .stdout("")
        .stderr("");
}

#[test]
fn stdin_formats_to_stdout() {
    dsc()
        .args(["fmt", "-"])
        .write_stdin(MESSY)
        .assert()
        .success()
        .stdout(TIDY);
    dsc()
        .args(["fmt", "--check", "-"])
        .write_stdin(MESSY)
        .assert()
        .code(1)
        .stdout(predicate::str::contains("<stdin> (formatted)"));
    dsc()
        .args(["fmt", "--check", "-"])
        .write_stdin(TIDY)
        .assert()
        .success()
        .stdout("");
}

#[test]
fn syntax_errors_leave_the_file_untouched() {
    let dir = tempfile::tempdir().unwrap();
    let broken = "daemonset agent {\n  container agent {\n    image \"unclosed\n  }\n}\n";
    let bad = write(dir.path(), "bad.ds", broken);
    let good = write(dir.path(), "good.ds", MESSY);
    dsc()
        .arg("fmt")
        .arg(&bad)
        .arg(&good)
        .assert()
        .code(1)
        .stderr(predicate::str::contains("DS0102"))
        .stderr(predicate::str::contains(
            "bad.ds has 1 syntax error and was not formatted",
        ));
    assert_eq!(std::fs::read_to_string(&bad).unwrap(), broken);
    assert_eq!(
        std::fs::read_to_string(&good).unwrap(),
        TIDY,
        "other files are formatted"
    );
    dsc()
        .args(["fmt", "-"])
        .write_stdin("a {\n")
        .assert()
        .code(1)
        .stdout("")
        .stderr(predicate::str::contains("DS0103"));
}

#[test]
fn io_errors_exit_2() {
    dsc()
        .args(["fmt", "does-not-exist.ds"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("cannot read does-not-exist.ds"));
    let dir = tempfile::tempdir().unwrap();
    dsc()
        .arg("fmt")
        .arg(dir.path())
        .assert()
        .code(2)
        .stderr(predicate::str::contains("no .ds files"));
    dsc().args(["fmt"]).assert().code(2);
    dsc()
        .args(["fmt", "--help"])
        .assert()
        .success()
        .stdout(predicate::str::contains("--check"));
}
