//! `dsc import FILE|-`: read Kubernetes manifests and print a `.ds` spec for every DaemonSet
//! in them, in the canonical layout (`dsc fmt` leaves it as it is). Notes go to stderr. Exit 0
//! when every DaemonSet was imported exactly, 1 when there is none or one could not be, 2 when
//! the input cannot be read or is not YAML or JSON.

use std::path::PathBuf;
use std::process::ExitCode;

use clap::Args;
use dsc::diff::{read_source, InputError};
use dsc::print::body_to_source;

use super::fatal;

#[derive(Args)]
pub struct ImportArgs {
    /// A file of manifests, YAML or JSON, several documents allowed (`-` reads stdin)
    #[arg(value_name = "FILE|-")]
    input: PathBuf,
}

pub fn run(args: ImportArgs) -> ExitCode {
    let text = match read_source(&args.input) {
        Ok(t) => t,
        Err(e) => return fatal(e),
    };
    let imported = match dsc::manifests_to_specs(&text) {
        Ok(i) => i,
        Err(e @ (InputError::Parse { .. } | InputError::NotAnObject { .. })) => {
            return fatal(format!("{}: {e}", args.input.display()))
        }
        Err(e) => return fatal(e),
    };
    print!("{}", body_to_source(&imported.body));
    for note in &imported.notes {
        eprintln!("note: {note}");
    }
    for failure in &imported.failures {
        eprintln!("error: {failure}");
    }
    if !imported.failures.is_empty() {
        let n = imported.failures.len();
        eprintln!(
            "error: {n} DaemonSet{} could not be imported exactly; nothing was printed for {}",
            if n == 1 { "" } else { "s" },
            if n == 1 { "it" } else { "them" }
        );
        return ExitCode::from(1);
    }
    if imported.count() == 0 {
        eprintln!("error: {} holds no DaemonSet", args.input.display());
        return ExitCode::from(1);
    }
    ExitCode::SUCCESS
}
