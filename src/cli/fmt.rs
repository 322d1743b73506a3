//! `dsc fmt`: rewrite specs in the canonical layout, in place and atomically, only the files
//! that change; `--check` writes nothing and shows what would change; `-` formats stdin to
//! stdout. A file with a syntax error is reported and left untouched.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::Args;
use dsc::diagnostics::render::Format;
use dsc::print::FormatError;
use dsc::source::SourceFile;

use super::atomic;
use super::{collect_inputs, fatal, read_source, Reporter, DEFAULT_MAX_DIAGNOSTICS};

#[derive(Args)]
pub struct FmtArgs {
    /// Spec files or directories of `.ds` files (`-` formats stdin to stdout)
    #[arg(required = true, value_name = "FILE|DIR")]
    inputs: Vec<PathBuf>,
    /// Write nothing: print a diff of each file that would change, and exit 1 if any would
    #[arg(long)]
    check: bool,
}

pub fn run(args: FmtArgs) -> ExitCode {
    let files = match collect_inputs(&args.inputs) {
        Ok(f) => f,
        Err(e) => return fatal(e.0),
    };
    let (mut changed, mut unparsed) = (0, 0);
    for path in &files {
        let file = match read_source(path, false) {
            Ok(f) => f,
            Err(e) => return fatal(e.0),
        };
        let formatted = match dsc::source_to_formatted(&file) {
            Ok(text) => text,
            Err(FormatError::Syntax(diagnostics)) => {
                let (errors, _) = Reporter::new(Format::Human, DEFAULT_MAX_DIAGNOSTICS)
                    .report(&file, &diagnostics);
                let plural = if errors == 1 { "" } else { "s" };
                eprintln!(
                    "error: {} has {errors} syntax error{plural} and was not formatted",
                    file.name
                );
                unparsed += 1;
                continue;
            }
            Err(FormatError::Unfaithful(change)) => {
                eprintln!(
                    "error: internal error: formatting {} would change it: {change}; the file \
                     was not formatted. Please report this, with the file",
                    file.name
                );
                unparsed += 1;
                continue;
            }
        };
        let stdin = path.as_os_str() == "-";
        if stdin && !args.check {
            if let Err(e) = write_stdout(&formatted) {
                return fatal(e);
            }
            continue;
        }
        if formatted == file.text {
            continue;
        }
        changed += 1;
        if args.check {
            eprintln!("would reformat {}", file.name);
            if let Err(e) = write_stdout(&diff(&file, &formatted)) {
                return fatal(e);
            }
        } else if let Err(e) = write_in_place(path, &formatted) {
            return fatal(e);
        } else {
            eprintln!("formatted {}", file.name);
        }
    }
    if args.check && changed > 0 {
        let of = if files.len() == 1 { "file" } else { "files" };
        eprintln!(
            "{changed} of {} {of} would be reformatted; `dsc fmt` without `--check` rewrites them",
            files.len()
        );
    }
    if unparsed > 0 || (args.check && changed > 0) {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    }
}

/// A unified diff from the file as it is to the file formatted.
fn diff(file: &SourceFile, formatted: &str) -> String {
    dsc::diff::unified_diff(
        Some(&file.text),
        formatted,
        (&file.name, &format!("{} (formatted)", file.name)),
        3,
    )
}

fn write_stdout(text: &str) -> Result<(), String> {
    let mut stdout = std::io::stdout().lock();
    stdout
        .write_all(text.as_bytes())
        .and_then(|_| stdout.flush())
        .map_err(|e| format!("cannot write to stdout: {e}"))
}

/// Replaces the file through a temporary file in its directory, keeping its permissions; a
/// symbolic link is followed, so the file it points to is replaced, not the link.
fn write_in_place(path: &Path, text: &str) -> Result<(), String> {
    let name = path.display();
    let target = std::fs::canonicalize(path).map_err(|e| format!("cannot write {name}: {e}"))?;
    let permissions = std::fs::metadata(&target)
        .map_err(|e| format!("cannot write {name}: {e}"))?
        .permissions();
    let dir = target.parent().unwrap_or(Path::new("."));
    atomic::sweep(dir);
    let tmp = atomic::stage(dir, text, Some(permissions))
        .map_err(|e| format!("cannot write {name}: {e}"))?;
    atomic::commit(tmp, &target).map_err(|e| format!("cannot write {name}: {e}"))
}
