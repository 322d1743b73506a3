//! `dsc completions SHELL` end to end: every shell's script is printed, parses in its shell
//! and completes; a shell dsc does not know is a usage error. A shell that is not installed
//! skips its check with a message.

mod common;

use std::process::Command;

use common::dsc;
use predicates::prelude::*;

const SHELLS: [&str; 5] = ["bash", "zsh", "fish", "elvish", "powershell"];

/// The commands `dsc --help` lists, `help` left out: what the binary parses, not a list kept
/// here.
fn commands() -> Vec<String> {
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

fn stdout_of(args: &[&str]) -> String {
    let out = dsc().args(args).output().unwrap();
    assert!(out.status.success(), "dsc {args:?}: {out:?}");
    String::from_utf8(out.stdout).unwrap()
}

/// Whether `program` runs here; if not, says which check is skipped.
fn installed(program: &str, check: &str) -> bool {
    let found = Command::new(program).arg("--version").output().is_ok();
    if !found {
        eprintln!("skipped: {program} is not installed, so {check} is not checked");
    }
    found
}

fn run_ok(command: &mut Command) -> String {
    let out = command.output().unwrap();
    assert!(
        out.status.success() && out.stderr.is_empty(),
        "{command:?}: {}\n{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap()
}

#[test]
fn every_shell_gets_a_script_naming_every_command() {
    let commands = commands();
    assert!(commands.iter().any(|c| c == "completions"));
    for shell in SHELLS {
        let script = stdout_of(&["completions", shell]);
        for command in &commands {
            assert!(script.contains(command.as_str()), "{shell}: no {command}");
        }
        let format = if shell == "fish" {
            "-l format"
        } else {
            "--format"
        };
        assert!(script.contains(format), "{shell}: no {format}");
    }
}

#[test]
fn unknown_or_missing_shell_is_a_usage_error() {
    dsc()
        .args(["completions", "tcsh"])
        .assert()
        .code(2)
        .stdout("")
        .stderr(predicate::str::contains("invalid value 'tcsh'"))
        .stderr(predicate::str::contains(
            "[possible values: bash, elvish, fish, powershell, zsh]",
        ));
    dsc()
        .arg("completions")
        .assert()
        .code(2)
        .stdout("")
        .stderr(predicate::str::contains("<SHELL>"));
}

#[test]
fn bash_script_parses_and_completes() {
    if !installed("bash", "the bash script") {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let script = dir.path().join("dsc.bash");
    std::fs::write(&script, stdout_of(&["completions", "bash"])).unwrap();
    run_ok(Command::new("bash").arg("-n").arg(&script));
    // What bash asks the function for: the words so far, the cursor's word and the one before.
    let complete = |words: &[&str]| {
        let n = words.len() - 1;
        let quoted: Vec<String> = words.iter().map(|w| format!("'{w}'")).collect();
        let driver = format!(
            "source '{}'; COMP_WORDS=({}); COMP_CWORD={n}; _dsc dsc '{}' '{}'; echo \"${{COMPREPLY[*]}}\"",
            script.display(),
            quoted.join(" "),
            words[n],
            words[n - 1],
        );
        run_ok(Command::new("bash").arg("-c").arg(driver))
    };
    assert_eq!(complete(&["dsc", "bu"]).trim(), "build");
    assert_eq!(
        complete(&["dsc", "check", "--format", ""]).trim(),
        "human short json github"
    );
    assert!(complete(&["dsc", "completions", ""]).contains("bash elvish fish powershell zsh"));
}

#[test]
fn zsh_script_parses_and_loads() {
    if !installed("zsh", "the zsh script") {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let script = dir.path().join("_dsc");
    std::fs::write(&script, stdout_of(&["completions", "zsh"])).unwrap();
    run_ok(Command::new("zsh").arg("-n").arg(&script));
    // As the README installs it: a folder in fpath, then compinit.
    let loaded = run_ok(
        Command::new("zsh")
            .arg("-fc")
            .arg("fpath=(\"$1\" $fpath); autoload -Uz compinit; compinit -u -D; print -r -- ${_comps[dsc]}")
            .arg("zsh")
            .arg(dir.path()),
    );
    assert_eq!(loaded.trim(), "_dsc");
}

#[test]
fn fish_script_parses_and_completes() {
    if !installed("fish", "the fish script") {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let script = dir.path().join("dsc.fish");
    std::fs::write(&script, stdout_of(&["completions", "fish"])).unwrap();
    run_ok(Command::new("fish").arg("--no-execute").arg(&script));
    let formats = run_ok(
        Command::new("fish")
            .arg("--no-config")
            .arg("-c")
            .arg("source $argv[1]; complete -C 'dsc check --format '")
            .arg(&script),
    );
    let values: Vec<&str> = formats
        .lines()
        .filter_map(|l| l.split('\t').next())
        .collect();
    assert_eq!(values, ["github", "human", "json", "short"], "{formats}");
}
