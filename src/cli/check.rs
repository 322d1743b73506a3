//! `dsc check`: compile every input, report every diagnostic, write nothing.

use std::path::PathBuf;
use std::process::ExitCode;

use clap::Args;
use dsc::diagnostics::render::{self, Format};

use super::{collect_inputs, fatal, read_source, LintArgs, Reporter, DEFAULT_MAX_DIAGNOSTICS};

#[derive(Args)]
pub struct CheckArgs {
    /// Spec files or directories of `.ds` files
    #[arg(required = true, value_name = "FILE|DIR")]
    inputs: Vec<PathBuf>,
    /// How to print diagnostics
    #[arg(long, value_enum, default_value_t = Format::Human)]
    format: Format,
    /// Print at most this many diagnostics (0: all; JSON always has all)
    #[arg(long, value_name = "N", default_value_t = DEFAULT_MAX_DIAGNOSTICS)]
    max_diagnostics: usize,
    #[command(flatten)]
    lints: LintArgs,
}

pub fn run(args: CheckArgs) -> ExitCode {
    let files = match collect_inputs(&args.inputs) {
        Ok(f) => f,
        Err(e) => return fatal(e.0),
    };
    let levels = args.lints.levels();
    let mut reporter = Reporter::new(args.format, args.max_diagnostics);
    let mut json = Vec::new();
    for path in &files {
        let file = match read_source(path) {
            Ok(f) => f,
            Err(e) => return fatal(e.0),
        };
        let compiled = dsc::compile(&file, &levels);
        if args.format == Format::Json {
            json.extend(compiled.diagnostics.iter().map(|d| render::json(&file, d)));
        }
        reporter.report(&file, &compiled.diagnostics);
    }
    if args.format == Format::Json {
        println!("{}", serde_json::Value::Array(json));
    }
    reporter.finish(files.len());
    if reporter.errors > 0 {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    }
}
