//! `dsc why SPEC FIELD [--env ENV]`: where the final value of one field was set, layer by
//! layer, each with `file:line:column`.

use std::path::PathBuf;
use std::process::ExitCode;

use clap::Args;
use dsc::compose::Libraries;

use super::{fatal, read_source, LintArgs, ReportArgs};

#[derive(Args)]
pub struct WhyArgs {
    /// The spec
    #[arg(value_name = "FILE")]
    spec: PathBuf,
    /// An API field path of the DaemonSet: `spec.template.spec.priorityClassName`; a container
    /// by name: `spec.template.spec.containers[agent].resources.limits.memory`
    #[arg(value_name = "FIELD")]
    field: String,
    /// The environment to build (its overlays apply); without it, overlays are left out
    #[arg(long, value_name = "ENV")]
    env: Option<String>,
    #[command(flatten)]
    report: ReportArgs,
    #[command(flatten)]
    lints: LintArgs,
}

pub fn run(args: WhyArgs) -> ExitCode {
    let definitions = match args.lints.definitions() {
        Ok(d) => d,
        Err(e) => return fatal(e.0),
    };
    let libraries = Libraries::new(definitions);
    let file = match read_source(&args.spec, false) {
        Ok(f) => f,
        Err(e) => return fatal(e.0),
    };
    let path = super::spec_path(&args.spec);
    let declared = libraries.environments_for(path);
    if let Some(e) = args
        .env
        .as_deref()
        .and_then(|env| super::undeclared_env(&declared, env, &file.name))
    {
        return fatal(e);
    }
    let answers = match dsc::why::why(&file, path, args.env.as_deref(), &libraries, &args.field) {
        Ok(answers) => answers,
        Err(diagnostics) => {
            let mut reporter = args.report.reporter();
            reporter.report(&file, &diagnostics);
            reporter.finish(1);
            return ExitCode::from(1);
        }
    };
    let mut out = String::new();
    for answer in &answers {
        let env = args
            .env
            .as_deref()
            .map_or(String::new(), |e| format!(" ({e})"));
        let head = format!(
            "{} in {}{env}: {}",
            answer.name, answer.namespace, args.field
        );
        let Some(value) = &answer.value else {
            out.push_str(&format!(
                "{head} is not in the compiled object: no statement sets it, or it is the API \
                 server's default, which dsc leaves out\n"
            ));
            continue;
        };
        out.push_str(&format!("{head} = {value}\n"));
        if answer.steps.is_empty() {
            out.push_str(
                "  set by dsc itself (a default or a value derived from other settings)\n",
            );
        }
        let width = answer
            .steps
            .iter()
            .map(|s| s.place.len())
            .max()
            .unwrap_or(0);
        let text_width = answer
            .steps
            .iter()
            .map(|s| s.text.chars().count())
            .max()
            .unwrap_or(0);
        for step in &answer.steps {
            out.push_str(&format!(
                "  {:width$}  {:text_width$}  ({})\n",
                step.place, step.text, step.layer
            ));
        }
    }
    if declared.len() > 1 && args.env.is_none() {
        out.push_str(&format!(
            "note: no `--env`: the overlays of {} are left out\n",
            declared.join(", ")
        ));
    }
    super::write_text(&out);
    ExitCode::SUCCESS
}
