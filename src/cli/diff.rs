//! `dsc diff`: compile specs and compare each DaemonSet with the previous outputs (a file or a
//! directory of them), a `kubectl get` dump, or the live objects (one `kubectl get` per
//! namespace), showing exactly what the next apply changes, and close with one summary when
//! there are several. Exit 0 without changes, 1 with changes, 2 on errors (as `diff` and
//! `kubectl diff`); a spec with an error stops the run before anything is compared.
//!
//! Against a folder of outputs, every environment a repository declares is compiled and
//! compared with the folder's `ENV/`; the other sides are one environment's (`--env`). Each
//! change is traced to the statement that set its new value (`why::Trace`), and the summary
//! groups the changes by cause.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::{Args, ValueEnum};
use dsc::compose::Libraries;
use dsc::diagnostics::render::Format;
use dsc::diff::{self, DiffOptions, Kubectl, OldSide, Removed, Summary};
use dsc::Manifest;
use serde_json::Value;

use super::jobs::JobsArgs;
use super::{
    collect_inputs, fatal, keep_for_reports, read_source, EnvArgs, Fatal, LintArgs, Reporter,
    DEFAULT_MAX_DIAGNOSTICS,
};

#[derive(Args)]
#[command(group = clap::ArgGroup::new("old").required(true).args(["against", "live", "live_file"]))]
pub struct DiffArgs {
    /// Spec files or directories of `.ds` files (`-` reads stdin)
    #[arg(required = true, value_name = "SPEC|DIR")]
    inputs: Vec<PathBuf>,
    /// Compare with previous compiled manifests: a file, `-` (stdin), or a directory whose
    /// `.yaml`/`.yml` files are read (DaemonSets matched by namespace and name, other kinds
    /// left out); with environments, the directory `dsc build -o` wrote (each compared with
    /// DIR/ENV)
    #[arg(long, value_name = "FILE|DIR|-", value_hint = clap::ValueHint::AnyPath)]
    against: Option<PathBuf>,
    /// Compare with the live objects, fetched with `kubectl get daemonsets -o json`, one call
    /// per namespace
    #[arg(long)]
    live: bool,
    /// Compare with a `kubectl get -o json|yaml` dump: objects or a `List` (`-` reads stdin)
    #[arg(long, value_name = "FILE|-")]
    live_file: Option<PathBuf>,
    /// The kubeconfig context for --live
    #[arg(long, value_name = "NAME", requires = "live")]
    context: Option<String>,
    /// The kubeconfig file for --live
    #[arg(long, value_name = "FILE", requires = "live")]
    kubeconfig: Option<PathBuf>,
    /// Leave a field out of the comparison (owned by another controller); repeatable, e.g.
    /// `spec.template.metadata.annotations["example.com/injected"]`
    #[arg(long, value_name = "PATH")]
    ignore: Vec<String>,
    /// Print secret-looking env values and args instead of `<redacted #N>`
    #[arg(long)]
    show_secrets: bool,
    /// Output format
    #[arg(long, value_enum, default_value_t = DiffFormat::Text)]
    format: DiffFormat,
    /// Colour: auto (a terminal without NO_COLOR), always or never
    #[arg(long, value_enum, default_value_t = Color::Auto)]
    color: Color,
    #[command(flatten)]
    envs: EnvArgs,
    #[command(flatten)]
    jobs: JobsArgs,
    #[command(flatten)]
    lints: LintArgs,
}

#[derive(Clone, Copy, PartialEq, Eq, ValueEnum)]
enum DiffFormat {
    Text,
    Markdown,
    Json,
}

#[derive(Clone, Copy, PartialEq, Eq, ValueEnum)]
enum Color {
    Auto,
    Always,
    Never,
}

pub fn run(args: DiffArgs) -> ExitCode {
    let ignore = match DiffOptions::parse_ignore(&args.ignore) {
        Ok(i) => i,
        Err(e) => return fatal(format!("invalid --ignore path: {e}")),
    };
    let stdin = Path::new("-");
    let old_from_stdin = [&args.against, &args.live_file]
        .iter()
        .any(|p| p.as_deref() == Some(stdin));
    if old_from_stdin && args.inputs.iter().any(|p| p == stdin) {
        return fatal("stdin can be read once: give `-` for a spec or for the old side, not both");
    }
    let libraries = match args.lints.definitions() {
        Ok(definitions) => Libraries::new(definitions),
        Err(e) => return fatal(e.0),
    };
    // A folder of previous outputs holds a folder per environment: each is compared with its
    // own. A file, a dump or the cluster is one environment's.
    let folder = args.against.as_deref().filter(|p| p.is_dir());
    let built = match compile_all(&args, folder.is_some(), &libraries) {
        Ok(Some(built)) => built,
        Ok(None) => return ExitCode::from(2),
        Err(e) => return fatal(e.0),
    };
    let mut sides = match old_sides(&args, &built, folder) {
        Ok(sides) => sides,
        Err(e) => return fatal(e),
    };
    let label = sides.values().next().map_or("previous", |o| o.label);
    let only_in = sides.values().find_map(|o| o.only_in);
    let options = DiffOptions {
        ignore,
        show_secrets: args.show_secrets,
        from_label: label.to_string(),
        to_label: "compiled".to_string(),
        ..DiffOptions::default()
    };
    let color = match args.color {
        Color::Always => true,
        Color::Never => false,
        Color::Auto => diff::auto_color(),
    };
    let mut reports: Vec<diff::DiffReport> = built
        .iter()
        .map(|b| {
            let m = &b.manifest;
            let mut placed = None;
            let previous = sides
                .get_mut(&b.env)
                .and_then(|old| old.side.take(&m.namespace, &m.name))
                .map(|found| in_namespace(found.object.clone(), &m.namespace, &mut placed));
            let mut report = diff::diff(previous.as_ref(), &m.object, &options);
            report.warnings.extend(placed);
            report.env = b.env.clone();
            report
        })
        .collect();
    // The live side holds every DaemonSet of a namespace, most of them made by others: only
    // the previous outputs say that a DaemonSet is no longer made.
    let mut removed = Vec::new();
    let scope = Scope::of(&args.inputs);
    for (env, old) in &sides {
        if old.only_in.is_some() {
            removed.extend(
                old.side
                    .unmatched()
                    .filter(|o| scope.holds(o))
                    .map(|o| Removed {
                        env: env.clone(),
                        ..Removed::of(o)
                    }),
            );
        }
    }
    let closing = reports.len() > 1 || !removed.is_empty();
    // Causes are shown in JSON and in the closing summary: tracing compiles the changed specs
    // again, so a run that shows none does not.
    if closing || args.format == DiffFormat::Json {
        trace_causes(&built, &mut reports, &libraries);
    }
    let summary = Summary::new(&reports, removed, only_in.unwrap_or(""));
    match args.format {
        DiffFormat::Json => {
            let mut entries: Vec<Value> = reports.iter().map(|r| r.render_json()).collect();
            entries.extend(summary.removed_json(&options.from_label, &options.to_label));
            outln!("{}", Value::Array(entries));
        }
        DiffFormat::Text | DiffFormat::Markdown => {
            let mut texts: Vec<String> = reports
                .iter()
                .map(|r| match args.format {
                    DiffFormat::Markdown => r.render_markdown(),
                    _ => r.render_text(color),
                })
                .collect();
            if closing {
                let causes = diff::by_cause(&reports);
                let by_cause = match args.format {
                    DiffFormat::Markdown => diff::cause::render_markdown(&causes),
                    _ => diff::cause::render_text(&causes, color),
                };
                if !by_cause.is_empty() {
                    texts.push(by_cause);
                }
                texts.push(match args.format {
                    DiffFormat::Markdown => summary.render_markdown(),
                    _ => summary.render_text(color),
                });
            }
            super::write_text(&texts.join("\n"));
        }
    }
    if reports.iter().any(diff::DiffReport::has_changes) || summary.has_changes() {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    }
}

/// A compiled DaemonSet, the spec it came from and the environment it was built for.
struct Built {
    /// The spec's name as reported.
    spec: String,
    /// The input it was read from.
    path: PathBuf,
    env: Option<String>,
    manifest: Manifest,
}

/// Compiles every input on the pool and reports every diagnostic, in input order. `Ok(None)`
/// when a spec has an error (reported, and said on stderr) or two specs make one DaemonSet.
/// Every environment a spec's repository declares is built when `every_env` (the old side is a
/// folder of outputs, which has one folder per environment); else a repository with several
/// needs `--env`.
fn compile_all(
    args: &DiffArgs,
    every_env: bool,
    libraries: &dsc::compose::Libraries,
) -> Result<Option<Vec<Built>>, Fatal> {
    let files = collect_inputs(&args.inputs)?;
    let levels = args.lints.levels();
    let units = args.jobs.map(&files, |path| {
        let file = read_source(path, false)?;
        let mut runs =
            super::compile_each_env(&file, path, &levels, libraries, &args.envs).map_err(Fatal)?;
        if runs.len() > 1 && !every_env {
            let envs: Vec<String> = runs.iter().filter_map(|(e, _)| e.clone()).collect();
            return Err(Fatal(format!(
                "{}: its repository declares the environments {}; choose one with `--env` \
                 (`--against DIR` compares every environment with DIR/ENV)",
                file.name,
                envs.join(", ")
            )));
        }
        let diagnostics = super::merge_environments(
            runs.iter_mut()
                .map(|(env, c)| (env.clone(), std::mem::take(&mut c.diagnostics)))
                .collect(),
        );
        Ok((
            path.clone(),
            keep_for_reports(file, &diagnostics),
            diagnostics,
            runs,
        ))
    });
    let mut reporter =
        Reporter::new(Format::Human, DEFAULT_MAX_DIAGNOSTICS).show_secrets(args.show_secrets);
    let mut broken = Vec::new();
    let mut built = Vec::new();
    let mut declared = std::collections::BTreeSet::new();
    for unit in units {
        let (path, file, diagnostics, runs) = unit?;
        reporter.report(&file, &diagnostics);
        // An error in any environment: the spec makes nothing to compare.
        let failed = dsc::diagnostics::has_errors(&diagnostics);
        if failed {
            broken.push(file.name.clone());
        }
        for (env, compiled) in runs {
            declared.extend(compiled.params.iter().map(|p| p.name.clone()));
            if failed {
                continue;
            }
            built.extend(compiled.manifests.into_iter().map(|manifest| Built {
                spec: file.name.clone(),
                path: path.clone(),
                env: env.clone(),
                manifest,
            }));
        }
    }
    for (file, diagnostics) in super::library_reports(libraries, &files) {
        reporter.report(&file, &diagnostics);
        if dsc::diagnostics::has_errors(&diagnostics) {
            broken.push(file.name);
        }
    }
    if reporter.hidden() > 0 {
        let s = if reporter.hidden() == 1 { "" } else { "s" };
        eprintln!(
            "note: {} more diagnostic{s} not shown; `dsc check --max-diagnostics 0` shows them all",
            reporter.hidden()
        );
    }
    if let Some(e) = super::undeclared(libraries.definitions(), &declared) {
        return Err(Fatal(e));
    }
    match broken.as_slice() {
        [] => {}
        [one] => {
            eprintln!("error: {one} has errors; nothing to compare");
            return Ok(None);
        }
        several => {
            eprintln!(
                "error: {} specs have errors ({}); nothing to compare",
                several.len(),
                several.join(", ")
            );
            return Ok(None);
        }
    }
    let mut made: BTreeMap<(Option<&str>, &str, &str), &str> = BTreeMap::new();
    for b in &built {
        let m = &b.manifest;
        if let Some(first) = made.insert((b.env.as_deref(), &m.namespace, &m.name), &b.spec) {
            eprintln!(
                "error: DaemonSet {}/{} is compiled from both {first} and {}; nothing to compare",
                m.namespace, m.name, b.spec
            );
            return Ok(None);
        }
    }
    Ok(Some(built))
}

/// Which previous outputs a run answers for. Given a folder of specs, all of them: an output
/// no spec of the folder makes any more is removed. Given spec files alone (the dependents of a
/// change, say), only the outputs their headers say they were generated from: the others belong
/// to specs outside the run.
struct Scope {
    /// The file names of the specs, `None` when a folder (or stdin) is among the inputs.
    files: Option<BTreeSet<String>>,
}

impl Scope {
    fn of(inputs: &[PathBuf]) -> Scope {
        let files = inputs
            .iter()
            .map(|p| match p.file_name() {
                Some(name) if !p.is_dir() && p != Path::new("-") => {
                    Some(name.to_string_lossy().into_owned())
                }
                _ => None,
            })
            .collect();
        Scope { files }
    }

    fn holds(&self, old: &dsc::diff::OldObject) -> bool {
        let Some(files) = &self.files else {
            return true;
        };
        let Ok(text) = std::fs::read_to_string(&old.origin) else {
            return true;
        };
        match dsc::generated_from(&text) {
            // `x.ds`, or `x.ds for prod`.
            Some(spec) => files.contains(spec.split(" for ").next().unwrap_or(spec)),
            None => true,
        }
    }
}

/// A manifest without a namespace is applied into the namespace given at apply time (`-n`), so
/// it matched the spec's DaemonSet by name; it is compared as applied there, and the report says
/// so instead of counting the namespace as a change.
fn in_namespace(mut old: Value, namespace: &str, placed: &mut Option<String>) -> Value {
    if old["metadata"]["namespace"].is_null() {
        if let Some(meta) = old["metadata"].as_object_mut() {
            meta.insert("namespace".into(), Value::from(namespace));
            *placed = Some(format!(
                "the previous manifest has no namespace; it is compared as if applied to `{namespace}`"
            ));
        }
    }
    old
}

/// What the compiled DaemonSets are compared with.
struct Old {
    side: OldSide,
    /// `previous` or `live`, for the reports' headers.
    label: &'static str,
    /// Where an unmatched old DaemonSet is only, for the summary; `None` for the cluster, where
    /// DaemonSets no spec names are none of the run's business.
    only_in: Option<&'static str>,
}

/// Each change's cause: the statement that set its new value, traced in the spec (and its
/// libraries) built for the report's environment. A spec read from stdin is not traced.
fn trace_causes(built: &[Built], reports: &mut [diff::DiffReport], libraries: &Libraries) {
    let mut by_spec: BTreeMap<(&Path, Option<&str>), Vec<usize>> = BTreeMap::new();
    for (i, (b, r)) in built.iter().zip(reports.iter()).enumerate() {
        if !r.is_new() && !r.changes.is_empty() && b.path != Path::new("-") {
            by_spec
                .entry((&b.path, b.env.as_deref()))
                .or_default()
                .push(i);
        }
    }
    for ((path, env), indices) in by_spec {
        let Ok(file) = read_source(path, false) else {
            continue;
        };
        let Ok(trace) = dsc::why::Trace::new(&file, Some(path), env, libraries) else {
            continue;
        };
        let daemonsets: Vec<dsc::why::Traced> = trace.daemonsets().collect();
        for i in indices {
            let m = &built[i].manifest;
            let Some(ds) = daemonsets
                .iter()
                .find(|ds| ds.name == m.name && ds.namespace == m.namespace)
            else {
                continue;
            };
            for change in &mut reports[i].changes {
                change.cause = change
                    .path
                    .in_object(&ds.object)
                    .and_then(|field| ds.steps(&field).into_iter().next())
                    .map(|step| diff::Cause {
                        place: step.place,
                        text: step.text,
                        layer: step.layer,
                    });
            }
        }
    }
}

/// The old side of each environment built (one, `None`, without environments). A folder of
/// previous outputs holds a folder per environment, and must hold at least one of them.
fn old_sides(
    args: &DiffArgs,
    built: &[Built],
    folder: Option<&Path>,
) -> Result<BTreeMap<Option<String>, Old>, String> {
    let mut envs: BTreeSet<Option<String>> = built.iter().map(|b| b.env.clone()).collect();
    if envs.is_empty() {
        envs.insert(None);
    }
    let several = envs.len() > 1;
    if let Some(folder) = folder.filter(|_| several) {
        let names: Vec<&str> = envs.iter().flatten().map(String::as_str).collect();
        if names.iter().all(|e| !folder.join(e).is_dir()) {
            return Err(format!(
                "{} has no folder per environment ({}): give the folder `dsc build -o` wrote, \
                 or compare one environment with `--env`",
                folder.display(),
                names
                    .iter()
                    .map(|e| folder.join(e).display().to_string())
                    .collect::<Vec<_>>()
                    .join(", ")
            ));
        }
    }
    let mut sides = BTreeMap::new();
    for env in envs {
        let of_env: Vec<&Built> = built.iter().filter(|b| b.env == env).collect();
        let side = old_side(args, &of_env, env.as_deref(), several)?;
        sides.insert(env, side);
    }
    Ok(sides)
}

/// The old side for the DaemonSets of one environment (`env`), one of `several` compared in
/// one run.
fn old_side(
    args: &DiffArgs,
    manifests: &[&Built],
    env: Option<&str>,
    several: bool,
) -> Result<Old, String> {
    if args.live {
        let kubectl = Kubectl::from_env()
            .context(args.context.as_deref())
            .kubeconfig(args.kubeconfig.as_deref());
        let namespaces: BTreeSet<&str> = manifests
            .iter()
            .map(|b| b.manifest.namespace.as_str())
            .collect();
        let mut side = OldSide::new();
        for namespace in namespaces {
            let mut listed = kubectl
                .fetch_namespace(namespace)
                .map_err(|e| e.to_string())?;
            // Listed in the namespace, so in it, whatever the output says.
            for object in &mut listed {
                if let Some(meta) = object["metadata"].as_object_mut() {
                    meta.entry("namespace").or_insert(Value::from(namespace));
                }
            }
            side.add(listed, &format!("namespace {namespace}"))
                .map_err(|e| e.to_string())?;
        }
        return Ok(Old {
            side,
            label: "live",
            only_in: None,
        });
    }
    // A dump is the cluster's view, like `--live`: `kubectl get ds -A` holds kube-proxy and
    // the other DaemonSets no spec makes, and they are not removals.
    let (path, label, only_in) = match (&args.against, &args.live_file) {
        (Some(p), _) => (p, "previous", Some("the previous outputs")),
        (None, Some(p)) => (p, "live", None),
        (None, None) => return Err("give --against FILE|DIR, --live or --live-file FILE".into()),
    };
    // `dsc build -o OUT` writes OUT/ENV/...: an environment's outputs are in OUT/ENV, unless
    // the folder given is that environment's already.
    let side = match env.map(|e| (e, path.join(e))) {
        Some((_, folder)) if path.is_dir() && folder.is_dir() => {
            OldSide::read(&folder).map_err(|e| e.to_string())?
        }
        Some((env, folder)) if several => {
            eprintln!(
                "note: {} does not exist: every DaemonSet of `{env}` is new",
                folder.display()
            );
            OldSide::new()
        }
        _ => OldSide::read(path).map_err(|e| e.to_string())?,
    };
    Ok(Old {
        side,
        label,
        only_in,
    })
}
