//! `dsc explain CODE`: the long explanation of a diagnostic code, with an example of the fix.

use std::process::ExitCode;

use clap::Args;
use dsc::diagnostics::{did_you_mean, lookup, CODES, RETIRED};

#[derive(Args)]
pub struct ExplainArgs {
    /// A code such as `DS0501`, or a lint name such as `floating-tag`; `--list` for all
    #[arg(required_unless_present = "list")]
    code: Option<String>,
    /// List every code with its summary, then the retired codes and what reports them now
    #[arg(long)]
    list: bool,
}

pub fn run(args: ExplainArgs) -> ExitCode {
    if args.list {
        for c in CODES {
            outln!("{}  {:<22} {}", c.code, c.name, c.summary);
        }
        // Retired codes last: older CI logs and allow lists still name them.
        for (code, now) in RETIRED {
            outln!("{code}  {:<22} no longer raised: {now}", "(retired)");
        }
        return ExitCode::SUCCESS;
    }
    let code = args.code.unwrap_or_default();
    if let Some((retired, now)) = RETIRED.iter().find(|(c, _)| c.eq_ignore_ascii_case(&code)) {
        outln!("{retired} is no longer raised: {now}.");
        return ExitCode::SUCCESS;
    }
    match lookup(&code) {
        Some(c) => {
            outln!(
                "{} ({}): {}\n\n{}",
                c.code,
                c.name,
                c.summary,
                c.explanation
            );
            ExitCode::SUCCESS
        }
        None => {
            let hint = did_you_mean(&code, CODES.iter().map(|c| c.name))
                .map(|n| format!(" (did you mean `{n}`?)"))
                .unwrap_or_default();
            eprintln!(
                "error: no diagnostic code `{code}`{hint}; `dsc explain --list` shows them all"
            );
            ExitCode::from(2)
        }
    }
}
