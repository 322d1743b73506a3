//! Libraries end to end: `use PATH` takes a file's parameters; paths are confined to the
//! repository (absolute, `..` past the root, a link out, a link loop, a URL are refused); a
//! cycle shows its chain; a file reached twice is one library; the order of `use` lines changes
//! no output; a library's own findings are reported once per run.

mod common;

use std::path::{Path, PathBuf};

use common::dsc;
use predicates::prelude::*;

/// A repository: `.git`, `lib/` with two libraries, `agents/` with two agents.
fn repo() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    std::fs::create_dir(root.join(".git")).unwrap();
    write(
        root,
        "lib/base.ds",
        "param registry = registry.example.com/obs\nuse versions.ds\n",
    );
    write(
        root,
        "lib/versions.ds",
        "param tag = 1.0\nparam memory quantity = 128Mi\n",
    );
    for name in ["a", "b"] {
        write(
            root,
            &format!("agents/{name}.ds"),
            &agent(name, "use ../lib/base.ds\nuse ../lib/versions.ds\n"),
        );
    }
    dir
}

fn agent(name: &str, uses: &str) -> String {
    format!(
        "{uses}\ndaemonset {name} in monitoring {{\n  container {name} {{\n    image ${{registry}}/{name}:${{tag}}\n    memory 64Mi..${{memory}}\n  }}\n}}\n"
    )
}

fn write(root: &Path, relative: &str, text: &str) -> PathBuf {
    let path = root.join(relative);
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(&path, text).unwrap();
    path
}

fn build(root: &Path) -> std::process::Output {
    dsc()
        .current_dir(root)
        .args(["build", "agents"])
        .output()
        .unwrap()
}

fn stderr(output: &std::process::Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

#[test]
fn a_library_gives_its_parameters_and_d_sets_them() {
    let repo = repo();
    let out = build(repo.path());
    assert!(out.status.success(), "{}", stderr(&out));
    let yaml = String::from_utf8(out.stdout).unwrap();
    assert!(
        yaml.contains("image: registry.example.com/obs/a:1.0\n"),
        "{yaml}"
    );
    assert!(yaml.contains("memory: 128Mi\n"), "{yaml}");
    let out = dsc()
        .current_dir(repo.path())
        .args(["build", "agents", "-D", "tag=2.0", "-D", "memory=1Gi"])
        .output()
        .unwrap();
    let yaml = String::from_utf8(out.stdout).unwrap();
    assert!(
        yaml.contains("image: registry.example.com/obs/b:2.0\n"),
        "{yaml}"
    );
    assert!(yaml.contains("memory: 1Gi\n"), "{yaml}");
}

#[test]
fn the_order_of_use_lines_changes_no_output() {
    let repo = repo();
    let before = build(repo.path()).stdout;
    for name in ["a", "b"] {
        write(
            repo.path(),
            &format!("agents/{name}.ds"),
            &agent(name, "use ../lib/versions.ds\nuse ../lib/base.ds\n"),
        );
    }
    assert_eq!(build(repo.path()).stdout, before);
}

#[test]
fn one_file_under_two_spellings_is_one_library() {
    let repo = repo();
    write(
        repo.path(),
        "agents/a.ds",
        &agent(
            "a",
            "use ../lib/versions.ds\nuse ./../lib/../lib/versions.ds\nuse ../lib/base.ds\n",
        ),
    );
    let out = build(repo.path());
    assert!(out.status.success(), "{}", stderr(&out));
}

#[test]
fn paths_out_of_the_repository_are_refused() {
    let repo = repo();
    let root = repo.path();
    let outside = tempfile::tempdir().unwrap();
    write(outside.path(), "secret.ds", "param token = x\n");
    let escape = |path: &str| {
        write(
            root,
            "agents/a.ds",
            &agent("a", &format!("use {path}\nuse ../lib/base.ds\n")),
        );
        let out = build(root);
        assert_eq!(out.status.code(), Some(1), "{path}: {}", stderr(&out));
        stderr(&out)
    };
    let absolute = outside.path().join("secret.ds");
    assert!(escape(&absolute.display().to_string()).contains("the path is absolute"));
    assert!(escape("../../secret.ds").contains("leads outside the repository"));
    assert!(escape("https://example.com/base.ds").contains("is a URL"));
    #[cfg(unix)]
    {
        std::os::unix::fs::symlink(outside.path(), root.join("lib/out")).unwrap();
        assert!(escape("../lib/out/secret.ds").contains("leads outside the repository"));
        std::os::unix::fs::symlink(root.join("lib/loop.ds"), root.join("lib/loop.ds")).unwrap();
        assert!(escape("../lib/loop.ds").contains("cannot be followed"));
    }
    // Nothing is written when a `use` fails.
    let out_dir = root.join("out");
    dsc()
        .current_dir(root)
        .args(["build", "agents", "-o"])
        .arg(&out_dir)
        .assert()
        .code(1);
    assert!(!out_dir.exists());
}

#[test]
fn a_cycle_shows_its_whole_chain() {
    let repo = repo();
    write(
        repo.path(),
        "lib/versions.ds",
        "param tag = 1.0\nparam memory quantity = 128Mi\nuse more.ds\n",
    );
    write(repo.path(), "lib/more.ds", "use base.ds\n");
    let out = build(repo.path());
    assert_eq!(out.status.code(), Some(1));
    let err = stderr(&out);
    assert!(
        err.contains(
            "`use` makes a cycle: lib/base.ds → lib/versions.ds → lib/more.ds → lib/base.ds"
        ),
        "{err}"
    );
    assert_eq!(
        err.matches("error[DS0110]").count(),
        1,
        "reported once: {err}"
    );
}

#[test]
fn a_library_s_own_errors_are_reported_once_for_all_its_users() {
    let repo = repo();
    write(
        repo.path(),
        "lib/versions.ds",
        "param tag = 1.0\nparam memory quantity = 128MB\ndaemonset x {\n}\n",
    );
    let out = build(repo.path());
    assert_eq!(out.status.code(), Some(1));
    let err = stderr(&out);
    assert_eq!(err.matches("the default of `memory`").count(), 1, "{err}");
    assert_eq!(
        err.matches("a library holds no `daemonset`").count(),
        1,
        "{err}"
    );
    assert!(err.contains("lib/versions.ds:2:"), "{err}");
    // The library given as an input too is reported as a spec, not twice.
    let out = dsc()
        .current_dir(repo.path())
        .args(["check", "agents", "lib"])
        .output()
        .unwrap();
    let err = stderr(&out);
    assert_eq!(err.matches("the default of `memory`").count(), 1, "{err}");
}

#[test]
fn a_parameter_declared_twice_across_files_is_an_error() {
    let repo = repo();
    write(
        repo.path(),
        "agents/a.ds",
        &format!("param tag = 3.0\n{}", agent("a", "use ../lib/base.ds\n")),
    );
    let err = stderr(&build(repo.path()));
    assert!(
        err.contains("parameter `tag` is already declared in lib/versions.ds:1:7"),
        "{err}"
    );
    write(
        repo.path(),
        "lib/other.ds",
        "param registry = r.example.com\n",
    );
    write(
        repo.path(),
        "agents/a.ds",
        &agent("a", "use ../lib/base.ds\nuse ../lib/other.ds\n"),
    );
    let err = stderr(&build(repo.path()));
    assert!(
        err.contains("parameter `registry` is declared by two libraries"),
        "{err}"
    );
}

#[test]
fn stdin_reads_libraries_from_the_current_folder() {
    let repo = repo();
    let text = agent("a", "use lib/base.ds\n");
    let out = dsc()
        .current_dir(repo.path())
        .args(["build", "-"])
        .write_stdin(text)
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(String::from_utf8_lossy(&out.stdout).contains("registry.example.com/obs/a:1.0"));
}

#[test]
fn compiling_text_without_a_file_refuses_use() {
    let file = dsc::source::SourceFile::new("a.ds", agent("a", "use lib/base.ds\n"));
    let compiled = dsc::compile(&file, &dsc::diagnostics::LintLevels::default());
    assert!(compiled
        .diagnostics
        .iter()
        .any(|d| d.code == "DS0110" && d.message.contains("only when compiling a file")));
}

#[test]
fn diff_and_check_read_libraries_too() {
    let repo = repo();
    dsc()
        .current_dir(repo.path())
        .args(["check", "agents"])
        .assert()
        .success();
    let previous = build(repo.path()).stdout;
    write(
        repo.path(),
        "previous.yaml",
        &String::from_utf8(previous).unwrap(),
    );
    dsc()
        .current_dir(repo.path())
        .args([
            "diff",
            "agents",
            "--against",
            "previous.yaml",
            "-D",
            "tag=2.0",
        ])
        .args(["--color", "never"])
        .assert()
        .code(1)
        .stdout(predicate::str::contains("2 changed"));
}
