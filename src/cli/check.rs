//! `dsc check`: compile every input, report every diagnostic, write nothing.

use std::path::PathBuf;
use std::process::ExitCode;

use clap::Args;
use dsc::diagnostics::render::{self, Format};

use super::{collect_inputs, fatal, read_source, LintArgs, ReportArgs};

#[derive(Args)]
pub struct CheckArgs {
    /// Spec files or directories of `.ds` files
    #[arg(required = true, value_name = "FILE|DIR")]
    inputs: Vec<PathBuf>,
    #[command(flatten)]
    report: ReportArgs,
    #[command(flatten)]
    lints: LintArgs,
}

pub fn run(args: CheckArgs) -> ExitCode {
    let files = match collect_inputs(&args.inputs) {
        Ok(f) => f,
        Err(e) => return fatal(e.0),
    };
    let levels = args.lints.levels();
    let mut reporter = args.report.reporter();
    let mut json = Vec::new();
    for path in &files {
        let file = match read_source(path) {
            Ok(f) => f,
            Err(e) => return fatal(e.0),
        };
        let compiled = dsc::compile(&file, &levels);
        if args.report.format == Format::Json {
            json.extend(compiled.diagnostics.iter().map(|d| render::json(&file, d)));
        }
        reporter.report(&file, &compiled.diagnostics);
    }
    if args.report.format == Format::Json {
        println!("{}", serde_json::Value::Array(json));
    }
    reporter.finish(files.len());
    if reporter.errors > 0 {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    }
}
