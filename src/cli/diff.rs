//! `dsc diff`: compile specs and compare each DaemonSet with the previous outputs (a file or a
//! directory of them), a `kubectl get` dump, or the live objects (one `kubectl get` per
//! namespace), showing exactly what the next apply changes, and close with one summary when
//! there are several. Exit 0 without changes, 1 with changes, 2 on errors (as `diff` and
//! `kubectl diff`); a spec with an error stops the run before anything is compared.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::{Args, ValueEnum};
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
    /// left out)
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
    let manifests = match compile_all(&args) {
        Ok(Some(manifests)) => manifests,
        Ok(None) => return ExitCode::from(2),
        Err(e) => return fatal(e.0),
    };
    let mut old = match old_side(&args, &manifests) {
        Ok(o) => o,
        Err(e) => return fatal(e),
    };
    let options = DiffOptions {
        ignore,
        show_secrets: args.show_secrets,
        from_label: old.label.to_string(),
        to_label: "compiled".to_string(),
        ..DiffOptions::default()
    };
    let color = match args.color {
        Color::Always => true,
        Color::Never => false,
        Color::Auto => diff::auto_color(),
    };
    let reports: Vec<diff::DiffReport> = manifests
        .iter()
        .map(|(_, m)| {
            let mut placed = None;
            let previous = old
                .side
                .take(&m.namespace, &m.name)
                .map(|found| in_namespace(found.object.clone(), &m.namespace, &mut placed));
            let mut report = diff::diff(previous.as_ref(), &m.object, &options);
            report.warnings.extend(placed);
            report
        })
        .collect();
    // The live side holds every DaemonSet of a namespace, most of them made by others: only
    // the previous outputs say that a DaemonSet is no longer made.
    let removed = match old.only_in {
        Some(_) => old.side.unmatched().map(Removed::of).collect(),
        None => Vec::new(),
    };
    let summary = Summary::new(&reports, removed, old.only_in.unwrap_or(""));
    let closing = reports.len() > 1 || !summary.removed.is_empty();
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

/// A compiled DaemonSet and the spec it came from.
type Compiled = (String, Manifest);

/// Compiles every input on the pool and reports every diagnostic, in input order. `Ok(None)`
/// when a spec has an error (reported, and said on stderr) or two specs make one DaemonSet.
fn compile_all(args: &DiffArgs) -> Result<Option<Vec<Compiled>>, Fatal> {
    let files = collect_inputs(&args.inputs)?;
    let levels = args.lints.levels();
    let libraries = dsc::compose::Libraries::new(args.lints.definitions()?);
    let units = args.jobs.map(&files, |path| {
        let file = read_source(path, false)?;
        // One environment: the previous outputs and the cluster hold one object per name.
        let mut runs =
            super::compile_each_env(&file, path, &levels, &libraries, &args.envs).map_err(Fatal)?;
        if runs.len() > 1 {
            let envs: Vec<String> = runs.iter().filter_map(|(e, _)| e.clone()).collect();
            return Err(Fatal(format!(
                "{}: its repository declares the environments {}; choose one with `--env`",
                file.name,
                envs.join(", ")
            )));
        }
        let (_, compiled) = runs.pop().ok_or_else(|| Fatal("no environment".into()))?;
        Ok((keep_for_reports(file, &compiled.diagnostics), compiled))
    });
    let mut reporter =
        Reporter::new(Format::Human, DEFAULT_MAX_DIAGNOSTICS).show_secrets(args.show_secrets);
    let mut broken = Vec::new();
    let mut manifests = Vec::new();
    let mut declared = std::collections::BTreeSet::new();
    for unit in units {
        let (file, compiled) = unit?;
        reporter.report(&file, &compiled.diagnostics);
        declared.extend(compiled.params.iter().map(|p| p.name.clone()));
        if compiled.has_errors() {
            broken.push(file.name);
        } else {
            manifests.extend(
                compiled
                    .manifests
                    .into_iter()
                    .map(|m| (file.name.clone(), m)),
            );
        }
    }
    for (file, diagnostics) in super::library_reports(&libraries, &files) {
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
    let mut made: BTreeMap<(&str, &str), &str> = BTreeMap::new();
    for (spec, m) in &manifests {
        if let Some(first) = made.insert((&m.namespace, &m.name), spec) {
            eprintln!(
                "error: DaemonSet {}/{} is compiled from both {first} and {spec}; nothing to compare",
                m.namespace, m.name
            );
            return Ok(None);
        }
    }
    Ok(Some(manifests))
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

fn old_side(args: &DiffArgs, manifests: &[Compiled]) -> Result<Old, String> {
    if args.live {
        let kubectl = Kubectl::from_env()
            .context(args.context.as_deref())
            .kubeconfig(args.kubeconfig.as_deref());
        let namespaces: BTreeSet<&str> = manifests
            .iter()
            .map(|(_, m)| m.namespace.as_str())
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
    let side = OldSide::read(path).map_err(|e| e.to_string())?;
    Ok(Old {
        side,
        label,
        only_in,
    })
}
