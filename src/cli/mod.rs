//! The command line: argument parsing and dispatch, input collection, and reporting of
//! diagnostics with the exit code (0 ok, 1 errors in the input, 2 usage or I/O errors).

/// `println!` that never panics: a reader that went away (`dsc explain --list | head`) ends the
/// process quietly, as a closed pipe means nobody reads the rest.
macro_rules! outln {
    ($($arg:tt)*) => {
        $crate::cli::write_line(format_args!($($arg)*))
    };
}

mod atomic;
mod build;
mod check;
mod completions;
mod dependents;
mod diff;
mod explain;
mod fmt;
mod folder;
mod import;
mod jobs;
mod lsp;
mod man;
mod stale;
mod why;

use std::io::IsTerminal;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use std::collections::BTreeSet;

use clap::{Args, CommandFactory, Parser, Subcommand};
use dsc::compose::{Definitions, Libraries};
use dsc::diagnostics::{render, Diagnostic, LintLevels, Severity};
use dsc::source::{SourceFile, Span};

/// One line to stdout; see [`write_text`].
pub fn write_line(line: std::fmt::Arguments) {
    write_text(&format!("{line}\n"));
}

/// Text to stdout; on a closed pipe the process exits 0, on any other error 2.
pub fn write_text(text: &str) {
    use std::io::Write;
    let mut out = std::io::stdout().lock();
    if let Err(e) = out.write_all(text.as_bytes()).and_then(|_| out.flush()) {
        if e.kind() != std::io::ErrorKind::BrokenPipe {
            eprintln!("error: cannot write to stdout: {e}");
            std::process::exit(2);
        }
        std::process::exit(0);
    }
}

/// Compile terse `.ds` specs into Kubernetes DaemonSet manifests.
#[derive(Parser)]
#[command(name = "dsc", version, about, long_about = None, propagate_version = true)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Compile specs to DaemonSet YAML (stdout, or one file per DaemonSet with -o)
    Build(build::BuildArgs),
    /// Check specs and report every problem, without writing anything
    Check(check::CheckArgs),
    /// Show what the next apply changes: compare with a previous manifest or the live object
    Diff(diff::DiffArgs),
    /// Explain a diagnostic code, with an example of the fix
    Explain(explain::ExplainArgs),
    /// Rewrite specs in the canonical layout, keeping every comment (--check: only show)
    Fmt(fmt::FmtArgs),
    /// Turn DaemonSet manifests into specs: print a .ds for every DaemonSet in the input
    Import(import::ImportArgs),
    /// Show where a field's final value was set: each layer with file:line
    Why(why::WhyArgs),
    /// List the specs (or their output files) that depend on changed files, for CI filters
    Dependents(dependents::DependentsArgs),
    /// Serve the Language Server Protocol over stdio, for editors
    Lsp(lsp::LspArgs),
    /// Print the shell completion script for bash, zsh, fish, elvish or powershell
    Completions(completions::CompletionsArgs),
    /// Print the manual page dsc(1), or a command's page; --out DIR writes them all
    Man(man::ManArgs),
}

/// The command line as clap defines it, as the completion scripts and manual pages are
/// generated from it (so they cannot drift from what `dsc` parses), with the names `dsc man`
/// takes. Parsing leaves those out: start-up is the same with or without the generators.
pub fn command() -> clap::Command {
    static DEFINITION: std::sync::OnceLock<clap::Command> = std::sync::OnceLock::new();
    man::name_commands(DEFINITION.get_or_init(Cli::command))
}

pub fn main() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) => return usage_error(e),
    };
    match cli.command {
        Command::Build(args) => build::run(args),
        Command::Check(args) => check::run(args),
        Command::Diff(args) => diff::run(args),
        Command::Explain(args) => explain::run(args),
        Command::Fmt(args) => fmt::run(args),
        Command::Import(args) => import::run(args),
        Command::Why(args) => why::run(args),
        Command::Dependents(args) => dependents::run(args),
        Command::Lsp(args) => lsp::run(args),
        Command::Completions(args) => completions::run(args),
        Command::Man(args) => man::run(args),
    }
}

/// Prints a clap error (or the help or version it stands for): exit 2, or 0 for those.
pub fn usage_error(e: clap::Error) -> ExitCode {
    let _ = e.print();
    if e.use_stderr() {
        ExitCode::from(2)
    } else {
        ExitCode::SUCCESS
    }
}

/// Lint levels and parameters, shared by the commands that compile.
#[derive(Args, Clone, Debug, Default)]
pub struct LintArgs {
    /// Silence a lint, by code or name (`-A floating-tag`); repeatable
    #[arg(short = 'A', long = "allow", value_name = "LINT")]
    allow: Vec<String>,
    /// Make a lint an error (`-D secret-literal`; `-D warnings` denies every warning), or, with
    /// `=`, set a parameter the specs declare (`-D tag=3.1.4`); repeatable
    #[arg(short = 'D', long = "deny", value_name = "LINT|NAME=VALUE")]
    deny: Vec<String>,
}

impl LintArgs {
    pub fn levels(&self) -> LintLevels {
        let lints = || self.deny.iter().filter(|d| !d.contains('='));
        LintLevels {
            allow: self.allow.clone(),
            deny_all: lints().any(|d| d == "warnings"),
            deny: lints().filter(|d| *d != "warnings").cloned().collect(),
        }
    }

    /// The parameters set with `-D NAME=VALUE` (a lint name never holds `=`).
    pub fn definitions(&self) -> Result<Definitions, Fatal> {
        Definitions::parse(
            self.deny
                .iter()
                .filter(|d| d.contains('='))
                .map(String::as_str),
        )
        .map_err(Fatal)
    }
}

/// The environments to build for.
#[derive(Args, Clone, Debug, Default)]
pub struct EnvArgs {
    /// Build only this environment of those the repository's `dsc.ds` declares (every one
    /// when left out); repeatable
    #[arg(long = "env", value_name = "ENV")]
    env: Vec<String>,
}

impl EnvArgs {
    /// The environments `--env` names, as given.
    pub fn names(&self) -> impl Iterator<Item = &str> {
        self.env.iter().map(String::as_str)
    }

    /// The environments a spec is compiled for: every one its repository declares, or those
    /// `--env` names (each must be declared); `[None]` in a repository without environments.
    pub fn chosen(
        &self,
        libraries: &Libraries,
        spec: Option<&Path>,
        name: &str,
    ) -> Result<Vec<Option<String>>, String> {
        let declared = libraries.environments_for(spec);
        if declared.is_empty() {
            return match self.env.first() {
                Some(env) => Err(format!(
                    "`--env {env}`: the repository of {name} declares no environments (`environments \
                     dev prod` in `{}` at its root)",
                    dsc::compose::ROOT_FILE
                )),
                None => Ok(vec![None]),
            };
        }
        if let Some(e) = self
            .env
            .iter()
            .find_map(|e| undeclared_env(&declared, e, name))
        {
            return Err(e);
        }
        Ok(declared
            .into_iter()
            .filter(|e| self.env.is_empty() || self.env.contains(e))
            .map(Some)
            .collect())
    }
}

/// `--env ENV` for the spec `name`, whose repository declares `declared`: `None` when declared,
/// else the usage error, with "did you mean".
pub fn undeclared_env(declared: &[String], env: &str, name: &str) -> Option<String> {
    if declared.iter().any(|d| d == env) {
        return None;
    }
    let hint = match dsc::diagnostics::did_you_mean(env, declared.iter().map(String::as_str)) {
        Some(close) => format!("; did you mean `{close}`?"),
        None if declared.is_empty() => "; it declares none".to_string(),
        None => format!("; it declares {}", declared.join(", ")),
    };
    Some(format!(
        "`--env {env}`: the repository of {name} declares no such environment{hint}"
    ))
}

/// The spec `file` (from `path`) compiled for each environment `envs` chooses.
pub fn compile_each_env(
    file: &SourceFile,
    path: &Path,
    levels: &LintLevels,
    libraries: &Libraries,
    envs: &EnvArgs,
) -> Result<Vec<(Option<String>, dsc::Compiled)>, String> {
    let spec = spec_path(path);
    let chosen = envs.chosen(libraries, spec, &file.name)?;
    Ok(chosen
        .into_iter()
        .map(|env| {
            let compiled = dsc::compile_for(file, spec, env.as_deref(), levels, libraries);
            (env, compiled)
        })
        .collect())
}

/// The findings of one spec compiled for several environments, each once: one that only some
/// environments have says which (`in \`prod\`: ...`).
pub fn merge_environments(runs: Vec<(Option<String>, Vec<Diagnostic>)>) -> Vec<Diagnostic> {
    if runs.len() <= 1 {
        return runs.into_iter().next().map(|(_, d)| d).unwrap_or_default();
    }
    let total = runs.len();
    let mut merged: Vec<(Diagnostic, Vec<String>)> = Vec::new();
    // By what tells two findings apart, so a spec of many findings merges in linear time.
    let mut index: std::collections::HashMap<(&'static str, String, Span, usize), Vec<usize>> =
        std::collections::HashMap::new();
    for (env, diagnostics) in runs {
        for d in diagnostics {
            let env = env.clone().unwrap_or_default();
            let key = (d.code, d.message.clone(), d.primary_span(), d.labels.len());
            let same = index.entry(key).or_default();
            match same.iter().find(|&&i| merged[i].0 == d) {
                Some(&i) => merged[i].1.push(env),
                None => {
                    same.push(merged.len());
                    merged.push((d, vec![env]));
                }
            }
        }
    }
    let mut out: Vec<Diagnostic> = merged
        .into_iter()
        .map(|(mut d, envs)| {
            if envs.len() < total {
                let names: Vec<String> = envs.iter().map(|e| format!("`{e}`")).collect();
                d.message = format!("in {}: {}", names.join(", "), d.message);
            }
            d
        })
        .collect();
    dsc::diagnostics::sort(&mut out);
    out
}

/// The file of a spec for its `use` paths: `None` for stdin (they start from the current
/// folder).
pub fn spec_path(path: &Path) -> Option<&Path> {
    (path != Path::new("-")).then_some(path)
}

/// The findings of the libraries the run read, each library once; a library that is also an
/// input was reported as a spec already.
pub fn library_reports(
    libraries: &Libraries,
    inputs: &[PathBuf],
) -> Vec<(SourceFile, Vec<Diagnostic>)> {
    // A run without `use` (most) reads no library: it pays nothing here.
    if libraries.is_empty() {
        return Vec::new();
    }
    let skip: Vec<PathBuf> = inputs
        .iter()
        .filter_map(|f| f.canonicalize().ok())
        .collect();
    libraries.reports(&skip)
}

/// A `-D NAME=VALUE` that no compiled spec declares: an error naming the closest parameter
/// that is declared, as cargo does for an unknown feature.
pub fn undeclared(definitions: &Definitions, declared: &BTreeSet<String>) -> Option<String> {
    let name = definitions.names().find(|n| !declared.contains(*n))?;
    let hint = match dsc::diagnostics::did_you_mean(name, declared.iter().map(String::as_str)) {
        Some(close) => format!("; did you mean `{close}`?"),
        None if declared.is_empty() => "; they declare none (`param NAME = DEFAULT`)".to_string(),
        None => format!(
            "; they declare {}",
            declared
                .iter()
                .map(|d| format!("`{d}`"))
                .collect::<Vec<_>>()
                .join(", ")
        ),
    };
    Some(format!(
        "`-D {name}=...`: no spec declares a parameter `{name}`{hint}"
    ))
}

/// An I/O or usage problem: printed, exit code 2.
pub struct Fatal(pub String);

pub fn fatal(message: impl std::fmt::Display) -> ExitCode {
    eprintln!("error: {message}");
    ExitCode::from(2)
}

/// Expands the inputs: files as given, directories to their `.ds` files (sorted, recursive).
pub fn collect_inputs(inputs: &[PathBuf]) -> Result<Vec<PathBuf>, Fatal> {
    let mut files = Vec::new();
    for input in inputs {
        if input.is_dir() {
            let mut found = Vec::new();
            walk(input, &mut found)
                .map_err(|e| Fatal(format!("cannot read directory {}: {e}", input.display())))?;
            if found.is_empty() {
                return Err(Fatal(format!("no .ds files in {}", input.display())));
            }
            found.sort();
            files.extend(found);
        } else {
            files.push(input.clone());
        }
    }
    Ok(files)
}

fn walk(dir: &Path, out: &mut Vec<PathBuf>) -> std::io::Result<()> {
    for entry in std::fs::read_dir(dir)? {
        let path = entry?.path();
        if path.is_dir() {
            walk(&path, out)?;
        } else if path.extension().is_some_and(|e| e == "ds") {
            out.push(path);
        }
    }
    Ok(())
}

/// Reads a source file (`-` is stdin).
pub fn read_source(path: &Path, manifest: bool) -> Result<SourceFile, Fatal> {
    let name = path.display().to_string();
    let limit = if manifest {
        dsc::source::MAX_MANIFEST_BYTES
    } else {
        dsc::source::MAX_SPEC_BYTES
    };
    let text = dsc::source::read_text(path, limit).map_err(|e| {
        let name = if name == "-" { "stdin" } else { &name };
        Fatal(format!("cannot read {name}: {e}"))
    })?;
    Ok(SourceFile::new(
        if name == "-" { "<stdin>".into() } else { name },
        text,
    ))
}

/// The file as it is kept until its reports are printed at the end of a run: whole when it
/// has diagnostics (their excerpts need the text), else only its name.
pub fn keep_for_reports(file: SourceFile, diagnostics: &[Diagnostic]) -> SourceFile {
    if diagnostics.is_empty() {
        SourceFile::new(file.name, String::new())
    } else {
        file
    }
}

/// How many diagnostics a run prints unless told otherwise: enough to work through, not a
/// flood (a file of a thousand broken lines would otherwise print a thousand reports).
pub const DEFAULT_MAX_DIAGNOSTICS: usize = 100;

/// How diagnostics are printed, shared by the commands that compile.
#[derive(Args, Clone, Debug)]
pub struct ReportArgs {
    /// How to print diagnostics
    #[arg(long, value_enum, default_value_t = render::Format::Human)]
    pub format: render::Format,
    /// Print at most this many diagnostics (0: all; JSON always has all)
    #[arg(long, value_name = "N", default_value_t = DEFAULT_MAX_DIAGNOSTICS)]
    max_diagnostics: usize,
}

impl ReportArgs {
    pub fn reporter(&self) -> Reporter {
        Reporter::new(self.format, self.max_diagnostics)
    }
}

/// Prints diagnostics to stderr in one format, at most `limit` in a run for the text formats
/// (0: all; JSON always has all), and counts errors, warnings and what was left out. Secret
/// literals print masked (see [`dsc::diagnostics::mask_secrets`]) unless `show_secrets`.
pub struct Reporter {
    format: render::Format,
    color: bool,
    show_secrets: bool,
    limit: usize,
    shown: usize,
    hidden: usize,
    pub errors: usize,
    pub warnings: usize,
}

impl Reporter {
    pub fn new(format: render::Format, limit: usize) -> Self {
        Reporter {
            format,
            color: std::io::stderr().is_terminal()
                && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty()),
            show_secrets: false,
            limit,
            shown: 0,
            hidden: 0,
            errors: 0,
            warnings: 0,
        }
    }

    /// Print secret-looking literals in clear (`--show-secrets`).
    pub fn show_secrets(mut self, show: bool) -> Self {
        self.show_secrets = show;
        self
    }

    /// The source and diagnostics to print: with secrets masked unless shown.
    fn printable(
        &self,
        file: &SourceFile,
        diags: &[Diagnostic],
    ) -> Option<(SourceFile, Vec<Diagnostic>)> {
        if self.show_secrets {
            None
        } else {
            dsc::diagnostics::mask_secrets(file, diags)
        }
    }

    /// The JSON objects of the diagnostics of one file, for the command to print at the end.
    pub fn json(&self, file: &SourceFile, diags: &[Diagnostic]) -> Vec<serde_json::Value> {
        let masked = self.printable(file, diags);
        let (file, diags) = match &masked {
            Some((f, d)) => (f, d.as_slice()),
            None => (file, diags),
        };
        diags.iter().map(|d| render::json(file, d)).collect()
    }

    /// Prints the diagnostics of one file (JSON is printed whole by the command, at the end);
    /// returns its (errors, warnings).
    pub fn report(&mut self, file: &SourceFile, diags: &[Diagnostic]) -> (usize, usize) {
        let errors = diags
            .iter()
            .filter(|d| d.severity == Severity::Error)
            .count();
        self.errors += errors;
        self.warnings += diags.len() - errors;
        let print_one = match self.format {
            render::Format::Human => {
                |f: &SourceFile, d: &Diagnostic, color| render::human(f, d, color)
            }
            render::Format::Short => |f: &SourceFile, d: &Diagnostic, _| render::short(f, d),
            render::Format::Github => |f: &SourceFile, d: &Diagnostic, _| render::github(f, d),
            render::Format::Json => return (errors, diags.len() - errors),
        };
        let room = if self.limit == 0 {
            diags.len()
        } else {
            self.limit.saturating_sub(self.shown).min(diags.len())
        };
        let masked = self.printable(file, diags);
        let (file, diags) = match &masked {
            Some((f, d)) => (f, d.as_slice()),
            None => (file, diags),
        };
        let out: String = diags[..room]
            .iter()
            .map(|d| print_one(file, d, self.color))
            .collect();
        eprint!("{out}");
        self.shown += room;
        self.hidden += diags.len() - room;
        (errors, diags.len() - errors)
    }

    /// How many diagnostics were left out past the limit.
    pub fn hidden(&self) -> usize {
        self.hidden
    }

    /// The closing lines: how many were not shown, then (human format) the summary.
    pub fn finish(&self, files: usize) {
        if self.hidden > 0 {
            let s = if self.hidden == 1 { "" } else { "s" };
            eprintln!(
                "note: {} more diagnostic{s} not shown; `--max-diagnostics 0` shows them all",
                self.hidden
            );
        }
        if self.format == render::Format::Human {
            summary(self.errors, self.warnings, files);
        }
    }
}

/// The closing summary line, cargo style.
fn summary(errors: usize, warnings: usize, files: usize) {
    if errors == 0 && warnings == 0 {
        return;
    }
    let plural = |n: usize, w: &str| {
        if n == 1 {
            format!("{n} {w}")
        } else {
            format!("{n} {w}s")
        }
    };
    let files = plural(files, "file");
    match (errors, warnings) {
        (0, w) => eprintln!("warning: {} in {files}", plural(w, "warning")),
        (e, 0) => eprintln!(
            "error: {} in {files}; nothing was written",
            plural(e, "error")
        ),
        (e, w) => eprintln!(
            "error: {} and {} in {files}; nothing was written",
            plural(e, "error"),
            plural(w, "warning")
        ),
    }
}
