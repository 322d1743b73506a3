//! `dsc check`: compile every input, report every diagnostic, write nothing.

use std::path::PathBuf;
use std::process::ExitCode;

use clap::Args;
use dsc::diagnostics::render::{self, Format};

use super::{collect_inputs, fatal, read_source, report, summary, LintArgs};

#[derive(Args)]
pub struct CheckArgs {
    /// Spec files or directories of `.ds` files
    #[arg(required = true, value_name = "FILE|DIR")]
    inputs: Vec<PathBuf>,
    /// How to print diagnostics
    #[arg(long, value_enum, default_value_t = Format::Human)]
    format: Format,
    #[command(flatten)]
    lints: LintArgs,
}

pub fn run(args: CheckArgs) -> ExitCode {
    let files = match collect_inputs(&args.inputs) {
        Ok(f) => f,
        Err(e) => return fatal(e.0),
    };
    let levels = args.lints.levels();
    let (mut errors, mut warnings) = (0, 0);
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
        let (e, w) = report(&file, &compiled.diagnostics, args.format);
        errors += e;
        warnings += w;
    }
    if args.format == Format::Json {
        println!("{}", serde_json::Value::Array(json));
    } else if args.format == Format::Human {
        summary(errors, warnings, files.len());
    }
    if errors > 0 {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    }
}
