//! `dsc man`: the manual pages, generated from the clap definitions the command line is parsed
//! with: dsc(1) on stdout, a command's page with `dsc man COMMAND`, or every page written into
//! a folder with `--out DIR` (atomically, and only the files that change).

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Args, ValueHint};
use clap_mangen::roff::{bold, roman, Roff};
use clap_mangen::Man;

use super::folder::OutputFolder;
use super::jobs::JobsArgs;
use super::{fatal, write_text};

#[derive(Args)]
pub struct ManArgs {
    /// Print this command's page, dsc-COMMAND(1), instead of dsc(1)
    #[arg(value_name = "COMMAND", conflicts_with = "out")]
    command: Option<String>,
    /// Write every page (dsc.1, dsc-COMMAND.1) into this directory instead of printing one
    #[arg(long, value_name = "DIR", value_hint = ValueHint::DirPath)]
    out: Option<PathBuf>,
}

/// One manual page: the command it documents (`build`; `dsc` for dsc(1)), its file name
/// (`dsc-build.1`) and its roff text.
struct Page {
    command: String,
    file: String,
    text: String,
}

/// The DESCRIPTION of dsc(1), where `--help` has a line.
const DESCRIPTION: &str = "\
dsc compiles short .ds specs into Kubernetes DaemonSet manifests. Every mistake gets a \
diagnostic that points at the line, says what is wrong and how to fix it, before anything \
reaches a cluster. dsc also formats specs, turns manifests into specs, shows what the next \
apply changes, and serves editors over the Language Server Protocol.

A directory argument stands for every .ds file under it; - reads standard input. Each command \
has its page, dsc-COMMAND(1), and its --help.";

/// The sections of dsc(1) that clap has no place for: (heading, [(term, meaning)]).
const EXTRA: [(&str, &[(&str, &str)]); 2] = [
    (
        "EXIT STATUS",
        &[
            ("0", "Success; for a comparison, no difference."),
            (
                "1",
                "The input has errors, or a comparison found a difference \
                 (diff, build --check, fmt --check).",
            ),
            (
                "2",
                "A usage error, or a file that cannot be read or written.",
            ),
        ],
    ),
    (
        "ENVIRONMENT",
        &[
            (
                "NO_COLOR",
                "When set and not empty, nothing is printed in colour.",
            ),
            (
                "DSC_KUBECTL",
                "The kubectl that dsc diff --live runs (default: kubectl).",
            ),
            (
                "RAYON_NUM_THREADS",
                "The number of threads build and check compile with when -j is not given \
                 (default: one per core).",
            ),
        ],
    ),
];

/// `dsc` with the commands named as the values `dsc man COMMAND` takes, so that shells
/// complete them and a wrong one is reported as clap reports every bad value.
pub fn name_commands(dsc: &'static clap::Command) -> clap::Command {
    let names: Vec<&'static str> = dsc
        .get_subcommands()
        .filter(|c| !c.is_hide_set())
        .map(|c| c.get_name())
        .collect();
    dsc.clone().mut_subcommand("man", |man| {
        man.mut_arg("command", |arg| {
            arg.value_parser(clap::builder::PossibleValuesParser::new(names))
        })
    })
}

pub fn run(args: ManArgs) -> ExitCode {
    let pages = match pages() {
        Ok(pages) => pages,
        Err(e) => return fatal(e),
    };
    if let Some(dir) = args.out {
        return write_all(&dir, pages);
    }
    let wanted = args.command.as_deref().unwrap_or("dsc");
    if let Some(page) = pages.iter().find(|p| p.command == wanted) {
        write_text(&page.text);
        return ExitCode::SUCCESS;
    }
    // Not a command: parsed again with the names attached, clap says so and lists them.
    match super::command().try_get_matches_from(std::env::args_os()) {
        Err(e) => super::usage_error(e),
        Ok(_) => fatal(format!("no command `{wanted}`")),
    }
}

/// dsc(1) first, then a page per command in the order of `dsc --help` (the `help` command
/// left out, as `--help` says the same).
fn pages() -> Result<Vec<Page>, String> {
    let mut dsc = super::command()
        .disable_help_subcommand(true)
        .long_about(DESCRIPTION);
    dsc.build();
    let commands: Vec<clap::Command> = dsc
        .get_subcommands()
        .filter(|c| !c.is_hide_set())
        .cloned()
        .collect();
    std::iter::once(("dsc".to_string(), dsc))
        .chain(commands.into_iter().map(|c| (c.get_name().to_string(), c)))
        .map(|(name, command)| render(name, command))
        .collect()
}

/// The page of `command`: clap's sections, with those of [`EXTRA`] before VERSION on dsc(1),
/// and SEE ALSO at the end.
fn render(name: String, command: clap::Command) -> Result<Page, String> {
    let see_also: Vec<String> = if name == "dsc" {
        command
            .get_subcommands()
            .filter(|c| !c.is_hide_set())
            .map(|c| format!("dsc-{}(1)", c.get_name()))
            .collect()
    } else {
        vec!["dsc(1)".to_string()]
    };
    let man = Man::new(command).source(format!("dsc {}", env!("CARGO_PKG_VERSION")));
    let file = man.get_filename();
    let mut bytes = Vec::new();
    man.render(&mut bytes)
        .map_err(|e| format!("cannot render {file}: {e}"))?;
    let text = String::from_utf8_lossy(&bytes);
    let (head, tail) = text
        .find(".SH VERSION\n")
        .map_or((&*text, ""), |at| text.split_at(at));
    let mut extra = Roff::new();
    if name == "dsc" {
        for (heading, items) in EXTRA {
            extra.control("SH", [heading]);
            for (term, meaning) in items {
                extra
                    .control("TP", [])
                    .text([bold(*term)])
                    .text([roman(*meaning)]);
            }
        }
    }
    let mut end = Roff::new();
    end.control("SH", ["SEE ALSO"])
        .text([roman(see_also.join(", "))]);
    Ok(Page {
        command: name,
        file,
        text: format!("{head}{}{tail}{}", body(&extra), body(&end)),
    })
}

/// The roff text of `roff` without the preamble every rendering starts with (the page has it).
fn body(roff: &Roff) -> String {
    let text = roff.render();
    let preamble = Roff::new().render();
    text.strip_prefix(&preamble).unwrap_or(&text).to_string()
}

/// Writes every page into `dir`, all or none.
fn write_all(dir: &std::path::Path, pages: Vec<Page>) -> ExitCode {
    let folder = match OutputFolder::prepare(dir) {
        Ok(folder) => folder,
        Err(e) => return fatal(e),
    };
    let staged: Result<Vec<_>, String> = pages
        .into_iter()
        .map(|p| folder.stage(&p.file, &p.text).map(|s| (p.file, s)))
        .collect();
    let result = staged.and_then(|staged| folder.commit(staged, &JobsArgs::default()));
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            folder.abandon();
            fatal(e)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The commands as clap defines them, `help` left out.
    fn commands() -> Vec<clap::Command> {
        let mut dsc = super::super::command().disable_help_subcommand(true);
        dsc.build();
        dsc.get_subcommands().cloned().collect()
    }

    #[test]
    fn every_command_has_a_page_with_every_option() {
        let pages = pages().unwrap();
        let commands = commands();
        assert!(commands.len() > 5);
        assert_eq!(pages.len(), commands.len() + 1);
        let dsc = &pages[0];
        assert_eq!((dsc.command.as_str(), dsc.file.as_str()), ("dsc", "dsc.1"));
        for command in commands {
            let name = command.get_name();
            assert!(
                dsc.text.contains(&format!("dsc\\-{name}(1)")),
                "dsc(1) does not list {name}"
            );
            let page = pages
                .iter()
                .find(|p| p.command == name)
                .unwrap_or_else(|| panic!("no page for {name}"));
            assert_eq!(page.file, format!("dsc-{name}.1"));
            assert!(
                page.text.contains(&format!(".TH dsc-{name} 1 ")),
                "{}",
                page.text
            );
            for long in command.get_arguments().filter_map(|a| a.get_long()) {
                let roff = format!("\\-\\-{}", long.replace('-', "\\-"));
                assert!(page.text.contains(&roff), "dsc-{name}(1) has no --{long}");
            }
            assert!(
                page.text.ends_with(".SH \"SEE ALSO\"\ndsc(1)\n"),
                "{}",
                page.text
            );
        }
    }

    #[test]
    fn dsc_page_has_the_sections_clap_has_no_place_for() {
        let pages = pages().unwrap();
        let text = &pages[0].text;
        let at = |heading: &str| {
            text.find(&format!("\n.SH {heading}\n"))
                .unwrap_or_else(|| panic!("no {heading} in {text}"))
        };
        let order = [
            "NAME",
            "SYNOPSIS",
            "DESCRIPTION",
            "OPTIONS",
            "SUBCOMMANDS",
            "\"EXIT STATUS\"",
            "ENVIRONMENT",
            "VERSION",
            "\"SEE ALSO\"",
        ]
        .map(at);
        assert!(order.windows(2).all(|w| w[0] < w[1]), "{text}");
        assert!(text.starts_with(".ie \\n(.g .ds Aq \\(aq\n.el .ds Aq '\n.TH dsc 1 "));
        assert_eq!(text.matches(".ds Aq").count(), 2, "one preamble only");
    }
}
