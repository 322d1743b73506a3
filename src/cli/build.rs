//! `dsc build`: compile specs to YAML on stdout or, with `-o DIR`, one file per DaemonSet,
//! written atomically, and nothing at all when any input has an error. Specs compile on every
//! core; what is printed and written follows the order of the inputs.

use std::collections::{BTreeMap, BTreeSet};
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::Args;
use dsc::compose::{Definitions, Libraries};
use dsc::diagnostics::{render::Format, Diagnostic, LintLevels};
use dsc::source::SourceFile;

use super::folder::{self, OutputFolder, Staged};
use super::jobs::JobsArgs;
use super::stale::{self, Stale};
use super::{
    atomic, collect_inputs, fatal, keep_for_reports, read_source, EnvArgs, LintArgs, ReportArgs,
};

#[derive(Args)]
pub struct BuildArgs {
    /// Spec files or directories of `.ds` files (`-` reads stdin)
    #[arg(required = true, value_name = "FILE|DIR")]
    inputs: Vec<PathBuf>,
    /// Write `NAMESPACE/NAME.yaml` per DaemonSet into this directory instead of stdout
    #[arg(short, long, value_name = "DIR", value_hint = clap::ValueHint::DirPath)]
    output: Option<PathBuf>,
    /// With -o: write nothing; exit 1 and show the difference when the files in DIR are not
    /// what the specs compile to (for CI)
    #[arg(long, requires = "output")]
    check: bool,
    /// With -o: delete the files an earlier build generated that no spec compiles to now
    /// (known by dsc's header and place; hand-written files are never touched)
    #[arg(long, requires = "output")]
    prune: bool,
    /// Print secret-looking env values and args instead of `<redacted #N>`
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

/// Where the YAML goes.
enum Target {
    Stdout,
    Folder(OutputFolder),
    Check { dir: PathBuf, show_secrets: bool },
}

/// What one spec gave: its diagnostics (with the source, to print them; a spec without any
/// keeps only its name) and its outputs, each already staged or compared.
struct Unit {
    file: SourceFile,
    diagnostics: Vec<Diagnostic>,
    outputs: Vec<(String, Made)>,
    /// The parameters the spec declares.
    params: Vec<String>,
}

/// One output file, by target.
enum Made {
    /// The YAML document, for stdout.
    Document(String),
    /// The file in the output folder.
    Staged(Staged),
    /// `--check`: the difference from the committed file, if any.
    Compared(Option<String>),
}

pub fn run(args: BuildArgs) -> ExitCode {
    let files = match collect_inputs(&args.inputs) {
        Ok(f) => f,
        Err(e) => return fatal(e.0),
    };
    let levels = args.lints.levels();
    let definitions = match args.lints.definitions() {
        Ok(d) => d,
        Err(e) => return fatal(e.0),
    };
    let libraries = Libraries::new(definitions);
    let mut reporter = args.report.reporter().show_secrets(args.show_secrets);
    let target = match &args.output {
        None => Target::Stdout,
        Some(dir) if args.check => Target::Check {
            dir: dir.clone(),
            show_secrets: args.show_secrets,
        },
        Some(dir) => match OutputFolder::prepare(dir) {
            Ok(folder) => Target::Folder(folder),
            Err(e) => return fatal(e),
        },
    };
    let units = args.jobs.map(&files, |path| {
        compile_one(path, &target, &levels, &libraries, &args.envs)
    });
    let units = match units.into_iter().collect::<Result<Vec<Unit>, String>>() {
        Ok(units) => units,
        Err(e) => return abandon(target, fatal(e)),
    };
    let mut json = Vec::new();
    let mut outputs = Vec::new();
    let mut declared = BTreeSet::new();
    for unit in units {
        declared.extend(unit.params);
        if !unit.diagnostics.is_empty() {
            if args.report.format == Format::Json {
                json.extend(reporter.json(&unit.file, &unit.diagnostics));
            }
            reporter.report(&unit.file, &unit.diagnostics);
        }
        outputs.extend(
            unit.outputs
                .into_iter()
                .map(|(name, made)| (name, unit.file.name.clone(), made)),
        );
    }
    for (file, diagnostics) in super::library_reports(&libraries, &files) {
        if args.report.format == Format::Json {
            json.extend(reporter.json(&file, &diagnostics));
        }
        reporter.report(&file, &diagnostics);
    }
    if args.report.format == Format::Json {
        // stdout carries the YAML: the diagnostics go to stderr, as one array.
        eprintln!("{}", serde_json::Value::Array(json));
    }
    if let Some(e) = super::undeclared(libraries.definitions(), &declared) {
        drop(outputs);
        return abandon(target, fatal(e));
    }
    reporter.finish(files.len());
    if reporter.errors > 0 {
        drop(outputs);
        return abandon(target, ExitCode::from(1));
    }
    match target {
        Target::Stdout => {
            let documents: Vec<String> = outputs
                .into_iter()
                .filter_map(|(_, _, made)| match made {
                    Made::Document(yaml) => Some(yaml),
                    _ => None,
                })
                .collect();
            let mut stdout = std::io::stdout().lock();
            if stdout
                .write_all(documents.join("---\n").as_bytes())
                .and_then(|_| stdout.flush())
                .is_err()
            {
                return fatal("cannot write to stdout");
            }
            ExitCode::SUCCESS
        }
        Target::Folder(folder) => {
            if let Some(c) = collision(&outputs) {
                eprintln!("error: two daemonsets have one name: {c}; nothing was written");
                drop(outputs);
                return abandon(Target::Folder(folder), ExitCode::from(1));
            }
            let staged: Vec<(String, Staged)> = outputs
                .into_iter()
                .filter_map(|(name, _, made)| match made {
                    Made::Staged(staged) => Some((name, staged)),
                    _ => None,
                })
                .collect();
            // Stale is what no output of this build names; the renames do not change that.
            let written: BTreeSet<&str> = staged.iter().map(|(name, _)| name.as_str()).collect();
            let stale = stale::find(folder.dir(), &written);
            if let Err(e) = folder.commit(staged, &args.jobs) {
                return fatal(e);
            }
            if args.prune {
                match stale::prune(folder.dir(), &stale) {
                    Ok(log) => log.iter().for_each(|line| eprintln!("{line}")),
                    Err(e) => return fatal(e),
                }
            } else {
                warn_stale(&stale);
            }
            ExitCode::SUCCESS
        }
        Target::Check { dir, .. } => {
            if let Some(c) = collision(&outputs) {
                eprintln!("error: two daemonsets have one name: {c}");
                return ExitCode::from(1);
            }
            let made_by = Build {
                inputs: &args.inputs,
                definitions: libraries.definitions(),
                envs: &args.envs,
            };
            report_check(&dir, outputs, &made_by)
        }
    }
}

/// Reads and compiles one spec, for every environment of its repository (or the one
/// `--env` names), and makes its outputs for `target`.
fn compile_one(
    path: &Path,
    target: &Target,
    levels: &LintLevels,
    libraries: &Libraries,
    envs: &EnvArgs,
) -> Result<Unit, String> {
    let file = read_source(path, false).map_err(|e| e.0)?;
    let mut outputs = Vec::new();
    let mut runs = Vec::new();
    let mut params = Vec::new();
    for (env, compiled) in super::compile_each_env(&file, path, levels, libraries, envs)? {
        for m in &compiled.manifests {
            let yaml = m.yaml_for(&file.name, env.as_deref());
            let name = folder::output_path_in(env.as_deref(), &m.namespace, &m.name);
            let made = match target {
                Target::Stdout => Made::Document(yaml),
                Target::Folder(folder) => Made::Staged(folder.stage(&name, &yaml)?),
                Target::Check { dir, show_secrets } => Made::Compared(folder::compare(
                    dir,
                    &name,
                    &yaml,
                    &file.name,
                    *show_secrets,
                )?),
            };
            outputs.push((name, made));
        }
        params = compiled.params.into_iter().map(|p| p.name).collect();
        runs.push((env, compiled.diagnostics));
    }
    let diagnostics = super::merge_environments(runs);
    Ok(Unit {
        file: keep_for_reports(file, &diagnostics),
        diagnostics,
        outputs,
        params,
    })
}

/// Nothing is written: any folder this run created is removed (the staged files are gone by
/// then, as the caller dropped them).
fn abandon(target: Target, code: ExitCode) -> ExitCode {
    if let Target::Folder(folder) = target {
        folder.abandon();
    }
    code
}

/// The first output file name that two daemonsets would both be written to.
fn collision(outputs: &[(String, String, Made)]) -> Option<String> {
    let mut first: BTreeMap<&str, &str> = BTreeMap::new();
    for (name, source, _) in outputs {
        if let Some(earlier) = first.insert(name, source) {
            return Some(format!(
                "{name} would be written for both {earlier} and {source}; each DaemonSet \
                 needs its own name within its namespace"
            ));
        }
    }
    None
}

/// A build that leaves generated files no spec compiles to says so, and how to remove them.
fn warn_stale(stale: &[Stale]) {
    if stale.is_empty() {
        return;
    }
    eprintln!(
        "warning: {} file(s) generated by an earlier build no longer have a spec:",
        stale.len()
    );
    for file in stale {
        eprintln!("  {} (from {})", file.path.display(), file.source);
    }
    eprintln!("  = help: add `--prune` to delete them");
}

/// `--check`: prints the difference of each output from the committed file, then the stale
/// files an earlier build generated and the leftovers of interrupted runs; exits 1, with the
/// command that makes the folder right, when anything differs.
/// What a build was given that decides its outputs, for the advice of `--check`.
struct Build<'a> {
    inputs: &'a [PathBuf],
    definitions: &'a Definitions,
    envs: &'a EnvArgs,
}

fn report_check(dir: &Path, mut outputs: Vec<(String, String, Made)>, build: &Build) -> ExitCode {
    outputs.sort_by(|a, b| a.0.cmp(&b.0));
    let mut differ = 0;
    let mut out = String::new();
    for (_, _, made) in &outputs {
        if let Made::Compared(Some(difference)) = made {
            differ += 1;
            out.push_str(difference);
        }
    }
    let names: BTreeSet<&str> = outputs.iter().map(|(name, _, _)| name.as_str()).collect();
    let stale = stale::find(dir, &names);
    for file in &stale {
        differ += 1;
        out.push_str(&format!(
            "stale: {} (generated from {}; no spec compiles to it now)\n",
            file.path.display(),
            file.source
        ));
    }
    for path in folder::folders(dir)
        .iter()
        .flat_map(|d| atomic::leftovers(d))
    {
        differ += 1;
        out.push_str(&format!(
            "leftover: {} (left by an interrupted run; building removes it)\n",
            path.display()
        ));
    }
    super::write_text(&out);
    if differ > 0 {
        eprintln!(
            "error: {differ} file(s) in {} are not what the specs compile to\n  = help: run `{}`",
            dir.display(),
            fix_command(build, dir, !stale.is_empty())
        );
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    }
}

/// The build that makes `--check` pass: the same inputs, parameters and folder, pruning when
/// stale files are in the way; quoted for a POSIX shell.
fn fix_command(build: &Build, dir: &Path, prune: bool) -> String {
    let quote =
        |text: &str| shlex::try_quote(text).map_or_else(|_| text.to_string(), |q| q.into_owned());
    let mut command = vec!["dsc".to_string(), "build".to_string()];
    command.extend(build.inputs.iter().map(|p| quote(&p.to_string_lossy())));
    command.extend(["-o".to_string(), quote(&dir.to_string_lossy())]);
    for (name, value) in build.definitions.items() {
        command.extend(["-D".to_string(), quote(&format!("{name}={value}"))]);
    }
    for env in build.envs.names() {
        command.extend(["--env".to_string(), quote(env)]);
    }
    if prune {
        command.push("--prune".to_string());
    }
    command.join(" ")
}
