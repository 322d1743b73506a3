//! The `dsc` binary: parse the command line, run the subcommand, exit with its code.

#![forbid(unsafe_code)]

mod cli;

fn main() -> std::process::ExitCode {
    cli::main()
}
