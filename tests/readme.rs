//! The README's way in stays true: its first command compiles the bundled example from files a
//! clone has, it says how to install the binary and how long the first build takes, every
//! command has a row in its table, and the completion and man page lines run as written.

mod common;

use std::path::Path;
use std::process::Command;

use common::{commands, dsc};

const ROOT: &str = env!("CARGO_MANIFEST_DIR");

fn readme() -> String {
    std::fs::read_to_string(Path::new(ROOT).join("README.md")).unwrap()
}

/// The text of the section under `heading` (a whole line), up to the next heading of its level
/// or above.
fn section(readme: &str, heading: &str) -> String {
    let level = heading.split(' ').next().unwrap();
    let start = readme
        .find(&format!("\n{heading}\n"))
        .unwrap_or_else(|| panic!("no `{heading}` in the README"));
    let body = &readme[start + heading.len() + 2..];
    let end = body
        .match_indices("\n#")
        .find(|(at, _)| {
            let hashes = body[at + 1..].chars().take_while(|c| *c == '#').count();
            hashes <= level.len() && body[at + 1 + hashes..].starts_with(' ')
        })
        .map_or(body.len(), |(at, _)| at);
    body[..end].to_string()
}

/// The `sh` code blocks of a section.
fn sh_blocks(text: &str) -> Vec<String> {
    text.split("```sh\n")
        .skip(1)
        .map(|b| b.split("```").next().unwrap().to_string())
        .collect()
}

#[test]
fn first_command_compiles_the_bundled_example_from_a_clone() {
    let try_it = section(&readme(), "## Try it");
    let first = sh_blocks(&try_it)[0].lines().next().unwrap().to_string();
    let command = first.split('#').next().unwrap().trim();
    let args: Vec<&str> = command
        .strip_prefix("cargo run --release -- ")
        .unwrap_or_else(|| panic!("the first command is not `cargo run`: {first}"))
        .split_whitespace()
        .collect();
    assert_eq!(args[0], "build", "{first}");
    let spec = args[1];
    let out = dsc().args(&args).current_dir(ROOT).output().unwrap();
    assert!(out.status.success(), "{out:?}");
    let golden = Path::new(ROOT).join(spec).with_extension("yaml");
    assert_eq!(
        String::from_utf8(out.stdout).unwrap(),
        std::fs::read_to_string(golden).unwrap()
    );
    // A file that is here but not committed would be missing from a fresh clone.
    if Path::new(ROOT).join(".git").exists() {
        match Command::new("git")
            .args(["ls-files", "--error-unmatch", spec])
            .current_dir(ROOT)
            .output()
        {
            Ok(tracked) => assert!(tracked.status.success(), "{spec} is not committed"),
            Err(_) => eprintln!("skipped: git is not installed, so {spec} is not looked up"),
        }
    }
}

#[test]
fn try_it_says_how_to_install_and_how_long_the_first_build_takes() {
    let try_it = section(&readme(), "## Try it");
    assert!(
        sh_blocks(&try_it).iter().any(|b| b
            .lines()
            .any(|l| l.starts_with("cargo install --locked --path . "))),
        "{try_it}"
    );
    let minutes = regex::Regex::new(r"`cargo build --release` takes about \d+ minutes").unwrap();
    assert!(minutes.is_match(&try_it), "{try_it}");
}

#[test]
fn every_command_has_a_row_in_the_commands_table() {
    let table = section(&readme(), "## Commands");
    for command in commands() {
        assert!(
            table.contains(&format!("\n| `dsc {command}")),
            "no row for `dsc {command}` in the README's Commands table"
        );
    }
}

#[test]
fn completion_and_man_page_lines_run_as_written() {
    let text = section(&readme(), "### Shell completions and man page");
    let block = &sh_blocks(&text)[0];
    let home = tempfile::tempdir().unwrap();
    let home = home.path();
    // The binary as `cargo install` leaves it, in ~/.cargo/bin on the PATH.
    let bin = home.join(".cargo/bin");
    std::fs::create_dir_all(&bin).unwrap();
    std::fs::copy(env!("CARGO_BIN_EXE_dsc"), bin.join("dsc")).unwrap();
    let path = format!("{}:{}", bin.display(), std::env::var("PATH").unwrap());
    let run = Command::new("sh")
        .args(["-e", "-c", block])
        .env("HOME", home)
        .env("PATH", &path)
        .current_dir(home)
        .output()
        .unwrap();
    assert!(run.status.success(), "{block}\n{run:?}");
    let read = |file: &str| std::fs::read_to_string(home.join(file)).unwrap();
    assert!(read(".local/share/bash-completion/completions/dsc").contains("complete -F _dsc"));
    assert!(read(".zfunc/_dsc").starts_with("#compdef dsc"));
    assert!(read(".config/fish/completions/dsc.fish").contains("complete -c dsc"));
    for command in commands() {
        assert!(read(&format!(".cargo/share/man/man1/dsc-{command}.1")).contains(".TH"));
    }
    // man-db looks for pages next to the folders of the PATH, as the README says.
    if Command::new("manpath").arg("-q").output().is_err() {
        eprintln!("skipped: man-db is not installed, so `man dsc` is not looked up");
        return;
    }
    let found = Command::new("man")
        .args(["-w", "dsc"])
        .env("HOME", home)
        .env("PATH", &path)
        .env_remove("MANPATH")
        .output()
        .unwrap();
    assert_eq!(
        String::from_utf8_lossy(&found.stdout).trim(),
        home.join(".cargo/share/man/man1/dsc.1")
            .display()
            .to_string(),
        "{found:?}"
    );
}
