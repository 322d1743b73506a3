//! `dsc import FILE|-`: read Kubernetes manifests and print a `.ds` spec for every DaemonSet
//! in them, in the canonical layout (`dsc fmt` leaves it as it is). Notes go to stderr. Exit 0
//! when every DaemonSet was imported exactly, 1 when there is none, one could not be, or one
//! breaks a rule of the API server (each reported at its line), 2 when the input cannot be read
//! or is not YAML or JSON.

use std::path::PathBuf;
use std::process::ExitCode;

use clap::Args;
use dsc::diff::{read_source, InputError};
use dsc::print::body_to_source;

use dsc::diagnostics::has_errors;
use dsc::diagnostics::render::Format;
use dsc::manifest::Versions;
use dsc::source::SourceFile;

use super::{fatal, Reporter, DEFAULT_MAX_DIAGNOSTICS};

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
    // A manifest the API server would refuse is reported, rule by rule, at its lines: an
    // import must not turn it into a spec that hides the problem.
    let name = match args.input.to_str() {
        Some("-") => "<stdin>".to_string(),
        _ => args.input.display().to_string(),
    };
    let file = SourceFile::new(name, text);
    let checked = dsc::manifest::check_manifest(&file, Versions::Legacy);
    if has_errors(&checked.diagnostics) {
        let mut reporter = Reporter::new(Format::Human, DEFAULT_MAX_DIAGNOSTICS);
        reporter.report(&file, &checked.diagnostics);
        reporter.finish(1);
        // Text that is not YAML is reported at its line as `dsc check` does (a user error).
        let unreadable = checked.diagnostics.iter().any(|d| d.code == "DS1009");
        if !unreadable {
            eprintln!(
                "error: the API server would refuse {}: fix it, then import it",
                file.name
            );
        }
        return ExitCode::from(1);
    }
    let text = file.text;
    let imported = match dsc::manifests_to_specs(&text) {
        Ok(i) => i,
        Err(e @ (InputError::Parse { .. } | InputError::NotAnObject { .. })) => {
            return fatal(format!("{}: {e}", args.input.display()))
        }
        Err(e) => return fatal(e),
    };
    super::write_text(&body_to_source(&imported.body));
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
