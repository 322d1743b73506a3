//! `dsc check`: compile every input, report every diagnostic, write nothing.

use std::path::PathBuf;
use std::process::ExitCode;

use clap::Args;
use dsc::diagnostics::render::Format;

use super::jobs::JobsArgs;
use super::{
    collect_inputs, fatal, keep_for_reports, read_source, EnvArgs, Fatal, LintArgs, ReportArgs,
};

#[derive(Args)]
pub struct CheckArgs {
    /// Spec files, directories of `.ds` files, or Kubernetes manifests (`.yaml`, `.yml`,
    /// `.json`) whose DaemonSets are checked with the API server's rules
    #[arg(required = true, value_name = "FILE|DIR")]
    inputs: Vec<PathBuf>,
    /// Print secret-looking literals in diagnostics as written instead of masked with `*`
    #[arg(long)]
    show_secrets: bool,
    #[command(flatten)]
    envs: EnvArgs,
    #[command(flatten)]
    jobs: JobsArgs,
    #[command(flatten)]
    report: ReportArgs,
    #[command(flatten)]
    lints: LintArgs,
}

/// A Kubernetes manifest rather than a spec, by its extension.
fn is_manifest(path: &std::path::Path) -> bool {
    path.extension()
        .and_then(|e| e.to_str())
        .is_some_and(|e| matches!(e, "yaml" | "yml" | "json"))
}

pub fn run(args: CheckArgs) -> ExitCode {
    let files = match collect_inputs(&args.inputs) {
        Ok(f) => f,
        Err(e) => return fatal(e.0),
    };
    let levels = args.lints.levels();
    let definitions = match args.lints.definitions() {
        Ok(d) => d,
        Err(e) => return fatal(e.0),
    };
    let libraries = dsc::compose::Libraries::new(definitions);
    let mut reporter = args.report.reporter().show_secrets(args.show_secrets);
    // Each input is checked on its own thread; what is printed follows the input order.
    let checked = args.jobs.map(&files, |path| {
        let manifest = is_manifest(path);
        let file = read_source(path, manifest)?;
        let (diagnostics, notes, params) = if manifest {
            let report = dsc::manifest::check_manifest(&file, dsc::manifest::Versions::Served);
            (levels.apply(report.diagnostics), report.notes, Vec::new())
        } else {
            let runs = super::compile_each_env(&file, path, &levels, &libraries, &args.envs)
                .map_err(Fatal)?;
            let params = runs
                .iter()
                .flat_map(|(_, c)| c.params.iter().map(|p| p.name.clone()))
                .collect();
            let runs = runs
                .into_iter()
                .map(|(env, c)| (env, c.diagnostics))
                .collect();
            (super::merge_environments(runs), Vec::new(), params)
        };
        Ok((
            keep_for_reports(file, &diagnostics),
            diagnostics,
            notes,
            params,
        ))
    });
    let mut json = Vec::new();
    let mut declared = std::collections::BTreeSet::new();
    for checked in checked {
        let (file, diagnostics, notes, params) = match checked {
            Ok(checked) => checked,
            Err(Fatal(e)) => return fatal(e),
        };
        if args.report.format == Format::Human {
            for note in &notes {
                eprintln!("note: {}: {note}", file.name);
            }
        }
        if args.report.format == Format::Json {
            json.extend(reporter.json(&file, &diagnostics));
        }
        reporter.report(&file, &diagnostics);
        declared.extend(params);
    }
    for (file, diagnostics) in super::library_reports(&libraries, &files) {
        if args.report.format == Format::Json {
            json.extend(reporter.json(&file, &diagnostics));
        }
        reporter.report(&file, &diagnostics);
    }
    if let Some(e) = super::undeclared(libraries.definitions(), &declared) {
        return fatal(e);
    }
    if args.report.format == Format::Json {
        outln!("{}", serde_json::Value::Array(json));
    }
    reporter.finish(files.len());
    if reporter.errors > 0 {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    }
}
