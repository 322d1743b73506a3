//! `dsc dependents CHANGED... --specs DIR...`: the specs that depend on changed files (the file
//! itself, a library they use, directly or through another, or the repository's root file), and
//! with `--outputs` the files their build writes, one per line: what a CI path filter needs to
//! build and review only what a change touches.

use std::collections::BTreeSet;
use std::path::PathBuf;
use std::process::ExitCode;

use clap::Args;
use dsc::compose::Libraries;
use dsc::diagnostics::LintLevels;

use super::{collect_inputs, fatal, folder, read_source, EnvArgs, LintArgs};

#[derive(Args)]
pub struct DependentsArgs {
    /// Changed files: specs, libraries, the root file `dsc.ds`
    #[arg(required = true, value_name = "FILE")]
    changed: Vec<PathBuf>,
    /// The specs to consider: files or directories of `.ds` files
    #[arg(long, required = true, value_name = "FILE|DIR")]
    specs: Vec<PathBuf>,
    /// Print the output files the dependent specs build (`[ENV/]NAMESPACE/NAME.yaml`, relative
    /// to the output folder) instead of the specs
    #[arg(long)]
    outputs: bool,
    #[command(flatten)]
    envs: EnvArgs,
    #[command(flatten)]
    lints: LintArgs,
}

pub fn run(args: DependentsArgs) -> ExitCode {
    let specs = match collect_inputs(&args.specs) {
        Ok(f) => f,
        Err(e) => return fatal(e.0),
    };
    let definitions = match args.lints.definitions() {
        Ok(d) => d,
        Err(e) => return fatal(e.0),
    };
    let libraries = Libraries::new(definitions);
    // A changed file that is gone (deleted in the change) still names its path.
    let changed: BTreeSet<PathBuf> = args
        .changed
        .iter()
        .map(|p| {
            p.canonicalize()
                .unwrap_or_else(|_| std::path::absolute(p).unwrap_or(p.clone()))
        })
        .collect();
    let mut out = String::new();
    for spec in &specs {
        let file = match read_source(spec, false) {
            Ok(f) => f,
            Err(e) => return fatal(e.0),
        };
        let own = spec.canonicalize().unwrap_or_else(|_| spec.clone());
        let (ast, _) = dsc::source_to_ast(&file);
        let depends = changed.contains(&own)
            || libraries
                .dependencies(spec, &ast)
                .iter()
                .any(|d| changed.contains(d));
        if !depends {
            continue;
        }
        if !args.outputs {
            out.push_str(&format!("{}\n", spec.display()));
            continue;
        }
        let runs = match super::compile_each_env(
            &file,
            spec,
            &LintLevels::default(),
            &libraries,
            &args.envs,
        ) {
            Ok(runs) => runs,
            Err(e) => return fatal(e),
        };
        for (env, compiled) in runs {
            if compiled.has_errors() {
                eprintln!(
                    "warning: {} has errors; `dsc check {}` shows them, and its outputs are not listed",
                    file.name, file.name
                );
                break;
            }
            for m in &compiled.manifests {
                let name = folder::output_path_in(env.as_deref(), &m.namespace, &m.name);
                out.push_str(&format!("{name}\n"));
            }
        }
    }
    super::write_text(&out);
    ExitCode::SUCCESS
}
