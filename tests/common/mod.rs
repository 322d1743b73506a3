//! Helpers shared by the test suites: golden files (compare with a file beside the input, or
//! rewrite it when `BLESS=1`), and the binary with a spec that compiles.

#![allow(dead_code)]

use std::path::{Path, PathBuf};

use dsc::diagnostics::{render, Severity};
use dsc::source::SourceFile;

/// Files in `dir` with extension `ext`, sorted.
pub fn inputs(dir: &str, ext: &str) -> Vec<PathBuf> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join(dir);
    let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("cannot read {}: {e}", dir.display()))
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|x| x == ext))
        .collect();
    files.sort();
    files
}

/// Every file under `dir` (the output folder's `NAMESPACE/NAME.yaml`, and anything else),
/// by path relative to `dir` with `/` between folders, with its bytes; sorted.
pub fn files_under(dir: &Path) -> Vec<(String, Vec<u8>)> {
    let mut files = Vec::new();
    let mut folders = vec![dir.to_path_buf()];
    while let Some(folder) = folders.pop() {
        for entry in std::fs::read_dir(&folder).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                folders.push(path);
            } else {
                let relative = path.strip_prefix(dir).unwrap().to_string_lossy();
                files.push((relative.replace('\\', "/"), std::fs::read(&path).unwrap()));
            }
        }
    }
    files.sort();
    files
}

/// The paths of [`files_under`].
pub fn paths_under(dir: &Path) -> Vec<String> {
    files_under(dir).into_iter().map(|(path, _)| path).collect()
}

/// Compares `actual` with the golden file, or writes it under `BLESS=1`. Returns a failure
/// message instead of panicking, so one run lists every mismatch.
pub fn golden(path: &Path, actual: &str) -> Option<String> {
    if std::env::var_os("BLESS").is_some() {
        std::fs::write(path, actual).unwrap();
        return None;
    }
    let expected = std::fs::read_to_string(path).unwrap_or_default();
    if expected == actual {
        return None;
    }
    let diff = similar::TextDiff::from_lines(expected.as_str(), actual)
        .unified_diff()
        .header("expected", "actual")
        .to_string();
    Some(format!(
        "{} differs (BLESS=1 to accept):\n{diff}",
        path.display()
    ))
}

/// Panics with every collected failure.
pub fn finish(failures: Vec<String>) {
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

/// The rendered errors of a compilation (warnings left out), empty when there are none.
pub fn rendered_errors(file: &SourceFile, compiled: &dsc::Compiled) -> String {
    compiled
        .diagnostics
        .iter()
        .filter(|d| d.severity == Severity::Error)
        .map(|d| render::human(file, d, false))
        .collect()
}

/// A spec that compiles without findings.
pub const GOOD: &str = "daemonset agent in monitoring {\n  container agent {\n    image registry.example.com/agent:1.0\n    memory 64Mi..128Mi\n  }\n}\n";

/// The `dsc` binary of this build.
pub fn dsc() -> assert_cmd::Command {
    assert_cmd::Command::cargo_bin("dsc").unwrap()
}

/// The commands `dsc --help` lists, `help` left out: what the binary parses, not a list kept
/// by the tests.
pub fn commands() -> Vec<String> {
    let out = dsc().arg("--help").output().unwrap();
    let help = String::from_utf8(out.stdout).unwrap();
    let listed = help.split("Commands:\n").nth(1).unwrap();
    let names: Vec<String> = listed
        .lines()
        .take_while(|l| !l.trim().is_empty())
        .filter(|l| l.starts_with("  ") && !l.starts_with("    "))
        .filter_map(|l| l.split_whitespace().next())
        .filter(|n| *n != "help")
        .map(str::to_string)
        .collect();
    assert!(names.len() > 5, "{help}");
    names
}

/// `dsc build SPEC -o OUT`, to add flags to and run.
pub fn build_into(spec: &Path, out: &Path) -> assert_cmd::Command {
    let mut command = dsc();
    command.arg("build").arg(spec).arg("-o").arg(out);
    command
}
