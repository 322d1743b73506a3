//! `dsc completions SHELL` and `dsc man` end to end: every shell's script is printed, parses
//! in its shell and completes; a shell dsc does not know is a usage error; the manual pages
//! render, and `--out DIR` writes one per command. A shell or groff that is not installed
//! skips its check with a message.

mod common;

use std::path::Path;
use std::process::Command;
use std::time::{Duration, SystemTime};

use common::{commands, dsc};
use predicates::prelude::*;

const SHELLS: [&str; 5] = ["bash", "zsh", "fish", "elvish", "powershell"];

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
    assert!(commands.iter().any(|c| c == "man"));
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
    let pages = complete(&["dsc", "man", ""]);
    for command in commands() {
        assert!(pages.split_whitespace().any(|w| w == command), "{pages}");
    }
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
    // fish makes its folders in HOME: a scratch one, not the user's.
    let fish = || {
        let mut fish = Command::new("fish");
        fish.env("HOME", dir.path())
            .env_remove("XDG_CONFIG_HOME")
            .env_remove("XDG_DATA_HOME");
        fish
    };
    run_ok(fish().arg("--no-execute").arg(&script));
    let formats = run_ok(
        fish()
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

/// Renders a page with groff, warnings on: nothing on stderr, and the text it shows.
fn render(page: &Path) -> String {
    run_ok(
        Command::new("groff")
            .args(["-man", "-Tutf8", "-ww", "-rLL=100n", "-P-cbou"])
            .arg(page),
    )
}

fn groff() -> bool {
    installed("groff", "the manual pages' rendering")
}

#[test]
fn dsc_page_lists_every_command_and_renders() {
    let page = stdout_of(&["man"]);
    assert!(page.contains("\n.TH dsc 1 "), "{page}");
    assert!(page.contains("\n.SH NAME\ndsc \\- "), "{page}");
    for section in ["SYNOPSIS", "DESCRIPTION", "OPTIONS", "\"EXIT STATUS\""] {
        assert!(page.contains(&format!("\n.SH {section}\n")), "no {section}");
    }
    for command in commands() {
        assert!(
            page.contains(&format!("dsc\\-{command}(1)")),
            "no {command}"
        );
    }
    assert!(page.contains("\\fB\\-\\-version\\fR"));
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("dsc.1");
    std::fs::write(&file, &page).unwrap();
    if groff() {
        let text = render(&file);
        assert!(text.contains("\nNAME\n       dsc - A compiler"), "{text}");
        assert!(text.contains("\nEXIT STATUS\n"), "{text}");
        assert!(text.contains("\n       dsc-build(1)\n"), "{text}");
    }
}

#[test]
fn every_command_has_a_page_that_renders() {
    let build = stdout_of(&["man", "build"]);
    for flag in ["\\-\\-output", "\\-\\-format", "\\-\\-max\\-diagnostics"] {
        assert!(build.contains(flag), "no {flag}");
    }
    let groff = groff();
    let dir = tempfile::tempdir().unwrap();
    for command in commands() {
        let page = stdout_of(&["man", &command]);
        assert!(page.contains(&format!("\n.TH dsc-{command} 1 ")), "{page}");
        assert!(
            page.contains(&format!("\n.SH SYNOPSIS\n\\fBdsc {command}\\fR")),
            "{page}"
        );
        let file = dir.path().join(format!("dsc-{command}.1"));
        std::fs::write(&file, &page).unwrap();
        if groff {
            let text = render(&file);
            let synopsis = text.split("\nSYNOPSIS\n").nth(1).unwrap_or_default();
            let words: Vec<&str> = synopsis.split_whitespace().take(2).collect();
            assert_eq!(words, ["dsc", command.as_str()], "{text}");
        }
    }
}

#[test]
fn unknown_page_is_a_usage_error() {
    dsc()
        .args(["man", "nosuch"])
        .assert()
        .code(2)
        .stdout("")
        .stderr(predicate::str::contains("invalid value 'nosuch'"))
        .stderr(predicate::str::contains("[possible values: build, check"));
    dsc()
        .args(["man", "build", "--out", "x"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("cannot be used with"));
}

#[test]
fn out_writes_every_page_and_only_what_changes() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("share/man/man1");
    dsc()
        .args(["man", "--out"])
        .arg(&out)
        .assert()
        .success()
        .stdout("");
    let mut written: Vec<String> = std::fs::read_dir(&out)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    written.sort();
    let mut expected: Vec<String> = commands().iter().map(|c| format!("dsc-{c}.1")).collect();
    expected.push("dsc.1".to_string());
    expected.sort();
    assert_eq!(written, expected);
    assert_eq!(
        std::fs::read_to_string(out.join("dsc.1")).unwrap(),
        stdout_of(&["man"])
    );
    assert_eq!(
        std::fs::read_to_string(out.join("dsc-fmt.1")).unwrap(),
        stdout_of(&["man", "fmt"])
    );
    // Again: a page that holds its text is not touched; one that does not is replaced.
    let long_ago = SystemTime::UNIX_EPOCH + Duration::from_secs(1_000_000_000);
    let set = |name: &str| {
        let file = std::fs::File::options()
            .append(true)
            .open(out.join(name))
            .unwrap();
        file.set_modified(long_ago).unwrap();
    };
    set("dsc.1");
    std::fs::write(out.join("dsc-fmt.1"), "old").unwrap();
    set("dsc-fmt.1");
    dsc().args(["man", "--out"]).arg(&out).assert().success();
    let modified = |name: &str| {
        std::fs::metadata(out.join(name))
            .unwrap()
            .modified()
            .unwrap()
    };
    assert_eq!(modified("dsc.1"), long_ago);
    assert_ne!(modified("dsc-fmt.1"), long_ago);
    assert_eq!(
        std::fs::read_to_string(out.join("dsc-fmt.1")).unwrap(),
        stdout_of(&["man", "fmt"])
    );
    assert_eq!(std::fs::read_dir(&out).unwrap().count(), expected.len());
}

#[test]
fn out_onto_a_file_writes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("man1");
    std::fs::write(&file, "mine").unwrap();
    dsc()
        .args(["man", "--out"])
        .arg(&file)
        .assert()
        .code(2)
        .stderr(predicate::str::starts_with("error: cannot create"));
    assert_eq!(std::fs::read_to_string(&file).unwrap(), "mine");
    assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 1);
}
