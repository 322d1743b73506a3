//! `dsc completions SHELL`: the shell's completion script, generated from the clap definitions
//! the command line is parsed with.

use std::process::ExitCode;

use clap::Args;
use clap_complete::Shell;

#[derive(Args)]
pub struct CompletionsArgs {
    /// The shell to print the script for
    #[arg(value_enum)]
    shell: Shell,
}

pub fn run(args: CompletionsArgs) -> ExitCode {
    super::write_text(&script(args.shell));
    ExitCode::SUCCESS
}

/// The completion script of `dsc` for `shell`.
fn script(shell: Shell) -> String {
    let mut out = Vec::new();
    clap_complete::generate(shell, &mut super::command(), "dsc", &mut out);
    String::from_utf8_lossy(&out).into_owned()
}

#[cfg(test)]
mod tests {
    use clap::ValueEnum;
    use clap_complete::Shell;

    /// Every command and every long option of each, from the definitions themselves: a
    /// command or option added later is expected in every script without touching this test.
    fn expected() -> Vec<(String, Vec<String>)> {
        let mut dsc = super::super::command();
        dsc.build();
        dsc.get_subcommands()
            .map(|c| {
                let longs = c
                    .get_arguments()
                    .filter_map(|a| a.get_long())
                    .map(str::to_string)
                    .collect();
                (c.get_name().to_string(), longs)
            })
            .collect()
    }

    #[test]
    fn every_script_names_every_command_and_option() {
        let expected = expected();
        assert!(expected.iter().any(|(c, _)| c == "build"));
        assert!(expected
            .iter()
            .any(|(_, longs)| longs.iter().any(|l| l == "format")));
        for shell in Shell::value_variants() {
            let script = super::script(*shell);
            for (command, longs) in &expected {
                assert!(script.contains(command.as_str()), "{shell}: no `{command}`");
                for long in longs {
                    // fish: `-l format`; the others spell the option as typed.
                    let spelled = match shell {
                        Shell::Fish => format!("-l {long}"),
                        _ => format!("--{long}"),
                    };
                    assert!(
                        script.contains(&spelled),
                        "{shell}: no `{spelled}` (of `dsc {command}`)"
                    );
                }
            }
        }
    }

    #[test]
    fn man_completes_the_command_names() {
        let script = super::script(Shell::Zsh);
        let names: Vec<String> = expected()
            .into_iter()
            .map(|(c, _)| c)
            .filter(|c| c != "help")
            .collect();
        assert!(
            script.contains(&format!("({})", names.join(" "))),
            "{script}"
        );
    }
}
