//! `dsc diff`: compile a spec and compare each DaemonSet with a previous manifest, a
//! `kubectl get` dump, or the live object, showing exactly what the next apply changes.
//! Exit 0 without changes, 1 with changes, 2 on errors (as `diff` and `kubectl diff`).

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Args, ValueEnum};
use dsc::diagnostics::render::Format;
use dsc::diagnostics::LintLevels;
use dsc::diff::{self, DiffOptions, Kubectl};
use serde_json::Value;

use super::{fatal, read_source, Reporter, DEFAULT_MAX_DIAGNOSTICS};

#[derive(Args)]
#[command(group = clap::ArgGroup::new("old").required(true).args(["against", "live", "live_file"]))]
pub struct DiffArgs {
    /// The spec to compile (`-` reads stdin)
    #[arg(value_name = "SPEC")]
    spec: PathBuf,
    /// Compare with a previous compiled manifest (`-` reads stdin)
    #[arg(long, value_name = "FILE|-")]
    against: Option<PathBuf>,
    /// Compare with the live object, fetched with `kubectl get daemonset -o json`
    #[arg(long)]
    live: bool,
    /// Compare with a `kubectl get -o json|yaml` dump: one object or a `List` (`-` reads stdin)
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
    let file = match read_source(&args.spec, false) {
        Ok(f) => f,
        Err(e) => return fatal(e.0),
    };
    let compiled = dsc::compile(&file, &LintLevels::default());
    Reporter::new(Format::Human, DEFAULT_MAX_DIAGNOSTICS)
        .show_secrets(args.show_secrets)
        .report(&file, &compiled.diagnostics);
    if compiled.has_errors() {
        eprintln!("error: {} has errors; nothing to compare", file.name);
        return ExitCode::from(2);
    }
    let (old_objects, label) = match old_side(&args) {
        Ok(o) => o,
        Err(e) => return fatal(e),
    };
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
    let mut changed = false;
    let mut texts = Vec::new();
    let mut json = Vec::new();
    for m in &compiled.manifests {
        let mut placed = None;
        let old = match &old_objects {
            OldSide::Objects(objects) => {
                match diff::select_daemonset(objects, &m.namespace, &m.name) {
                    Ok(found) => Some(in_namespace(found, &m.namespace, &mut placed)),
                    // Not in the previous output: the DaemonSet is new.
                    Err(diff::InputError::NotFound { .. }) => None,
                    Err(e) => return fatal(e),
                }
            }
            OldSide::Live(kubectl) => match kubectl.fetch(&m.namespace, &m.name) {
                Ok(live) => live,
                Err(e) => return fatal(e),
            },
        };
        let mut report = diff::diff(old.as_ref(), &m.object, &options);
        report.warnings.extend(placed);
        changed |= report.has_changes();
        match args.format {
            DiffFormat::Text => texts.push(report.render_text(color)),
            DiffFormat::Markdown => texts.push(report.render_markdown()),
            DiffFormat::Json => json.push(report.render_json()),
        }
    }
    if args.format == DiffFormat::Json {
        outln!("{}", Value::Array(json));
    } else {
        super::write_text(&texts.join("\n"));
    }
    if changed {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
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

enum OldSide {
    Objects(Vec<Value>),
    Live(Kubectl),
}

fn old_side(args: &DiffArgs) -> Result<(OldSide, &'static str), String> {
    if args.live {
        let kubectl = Kubectl::from_env()
            .context(args.context.as_deref())
            .kubeconfig(args.kubeconfig.as_deref());
        return Ok((OldSide::Live(kubectl), "live"));
    }
    let (path, label) = match (&args.against, &args.live_file) {
        (Some(p), _) => (p, "previous"),
        (None, Some(p)) => (p, "live"),
        (None, None) => return Err("give --against FILE, --live or --live-file FILE".into()),
    };
    let text = diff::read_source(path).map_err(|e| e.to_string())?;
    let objects = diff::read_objects(&text).map_err(|e| format!("{}: {e}", path.display()))?;
    Ok((OldSide::Objects(objects), label))
}
