//! `dsc import FILE|-...`: read Kubernetes manifests and print a `.ds` spec for every DaemonSet
//! in them, in the canonical layout (`dsc fmt` leaves it as it is). Notes go to stderr. Exit 0
//! when every DaemonSet was imported exactly, 1 when there is none, one could not be, or one
//! breaks a rule of the API server (each reported at its line), 2 when an input cannot be read
//! or is not YAML or JSON.
//!
//! `--factor DIR` writes the specs instead: `DIR/lib/imported.ds` holds a defaults block of the
//! settings the DaemonSets share (all of them, or `--share` percent), and `DIR/NAME.ds` one agent
//! per DaemonSet that takes it. Nothing is written when any input fails, or when a file it would
//! write exists.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::Args;
use dsc::diff::{read_source, InputError};
use dsc::import::factor::{factor, file_names, Alone, Factored};
use dsc::import::Spec;
use dsc::print::body_to_source;

use dsc::diagnostics::has_errors;
use dsc::diagnostics::render::Format;
use dsc::manifest::Versions;
use dsc::source::SourceFile;

use super::{atomic, fatal, Reporter, DEFAULT_MAX_DIAGNOSTICS};

/// Where the library goes, under the folder of `--factor`, and how an agent names it.
const LIBRARY: &str = "lib/imported.ds";

#[derive(Args)]
pub struct ImportArgs {
    /// Files of manifests, YAML or JSON, several documents each (`-` reads stdin)
    #[arg(value_name = "FILE|-", required = true)]
    inputs: Vec<PathBuf>,
    /// Write the specs into DIR instead of printing them: one library of the settings the
    /// DaemonSets share (DIR/lib/imported.ds) and one spec per DaemonSet (DIR/NAME.ds)
    #[arg(long, value_name = "DIR")]
    factor: Option<PathBuf>,
    /// With --factor: how many of the DaemonSets, in percent, must write a setting for it to go
    /// in the library (at least two)
    #[arg(long, value_name = "PERCENT", requires = "factor", default_value = "100", value_parser = parse_share)]
    share: u8,
}

fn parse_share(text: &str) -> Result<u8, String> {
    let number = text.strip_suffix('%').unwrap_or(text);
    match number.parse::<u8>() {
        Ok(n) if (1..=100).contains(&n) => Ok(n),
        _ => Err(format!(
            "`{text}` is not a percentage from 1 to 100: write `--share 50` for half of the DaemonSets"
        )),
    }
}

/// What the inputs held, imported.
#[derive(Default)]
struct Inputs {
    specs: Vec<Spec>,
    /// Non-blank lines of YAML read.
    lines: usize,
    failures: usize,
    refused: bool,
}

pub fn run(args: ImportArgs) -> ExitCode {
    let mut inputs = Inputs::default();
    for path in &args.inputs {
        if let Err(code) = read_one(path, &mut inputs, args.factor.is_none()) {
            return code;
        }
    }
    if inputs.refused {
        return ExitCode::from(1);
    }
    if inputs.failures > 0 {
        let n = inputs.failures;
        let (noun, pronoun) = if n == 1 {
            ("DaemonSet", "it")
        } else {
            ("DaemonSets", "them")
        };
        match args.factor {
            None => eprintln!(
                "error: {n} {noun} could not be imported exactly; nothing was printed for {pronoun}"
            ),
            Some(_) => {
                eprintln!("error: {n} {noun} could not be imported exactly; nothing was written")
            }
        }
        return ExitCode::from(1);
    }
    if inputs.specs.is_empty() {
        let names: Vec<String> = args
            .inputs
            .iter()
            .map(|p| p.display().to_string())
            .collect();
        eprintln!("error: {} holds no DaemonSet", names.join(", "));
        return ExitCode::from(1);
    }
    match &args.factor {
        None => ExitCode::SUCCESS,
        Some(dir) => write_factored(dir, &inputs, args.share),
    }
}

/// Imports one input into `inputs` (and prints its specs when `print`); `Err` ends the run.
fn read_one(path: &Path, inputs: &mut Inputs, print: bool) -> Result<(), ExitCode> {
    let text = read_source(path).map_err(fatal)?;
    let name = match path.to_str() {
        Some("-") => "<stdin>".to_string(),
        _ => path.display().to_string(),
    };
    // A manifest the API server would refuse is reported, rule by rule, at its lines: an
    // import must not turn it into a spec that hides the problem.
    let file = SourceFile::new(name, text);
    let checked = dsc::manifest::check_manifest(&file, Versions::Legacy);
    if has_errors(&checked.diagnostics) {
        let mut reporter = Reporter::new(Format::Human, DEFAULT_MAX_DIAGNOSTICS);
        reporter.report(&file, &checked.diagnostics);
        reporter.finish(1);
        // Text that is not YAML is reported at its line as `dsc check` does (a user error).
        let unreadable = checked.diagnostics.iter().any(|d| d.code == "DS1009");
        if !unreadable {
            eprintln!(
                "error: the API server would refuse {}: fix it, then import it",
                file.name
            );
        }
        inputs.refused = true;
        return Ok(());
    }
    let text = file.text;
    inputs.lines += text.lines().filter(|l| !l.trim().is_empty()).count();
    let imported = match dsc::manifests_to_specs(&text) {
        Ok(i) => i,
        Err(e @ (InputError::Parse { .. } | InputError::NotAnObject { .. })) => {
            return Err(fatal(format!("{}: {e}", path.display())))
        }
        Err(e) => return Err(fatal(e)),
    };
    if print {
        super::write_text(&body_to_source(&imported.body));
    }
    for note in &imported.notes {
        eprintln!("note: {note}");
    }
    for failure in &imported.failures {
        eprintln!("error: {failure}");
    }
    inputs.failures += imported.failures.len();
    inputs.specs.extend(
        imported
            .body
            .statements
            .into_iter()
            .zip(imported.canonical)
            .map(|(node, canonical)| Spec {
                node,
                notes: Vec::new(),
                canonical,
            }),
    );
    Ok(())
}

/// Factors the specs and writes them into `dir`, all or nothing.
fn write_factored(dir: &Path, inputs: &Inputs, share: u8) -> ExitCode {
    let factored = factor(&inputs.specs, f64::from(share) / 100.0, LIBRARY);
    let names = file_names(&factored.agents);
    let mut files: Vec<(PathBuf, &str)> = Vec::new();
    if let Some(library) = &factored.library {
        files.push((dir.join(LIBRARY), library));
    }
    for (name, agent) in names.iter().zip(&factored.agents) {
        files.push((dir.join(name), &agent.text));
    }
    let existing: Vec<String> = files
        .iter()
        .filter(|(p, _)| p.symlink_metadata().is_ok())
        .map(|(p, _)| p.display().to_string())
        .collect();
    if !existing.is_empty() {
        return fatal(format!(
            "{} already exist{}; nothing was written: import into an empty folder, or remove {}",
            existing.join(", "),
            if existing.len() == 1 { "s" } else { "" },
            if existing.len() == 1 { "it" } else { "them" }
        ));
    }
    if let Err(e) = write_all(&files) {
        return fatal(format!("cannot write into {}: {e}", dir.display()));
    }
    report(dir, inputs, &factored, &names, &files);
    ExitCode::SUCCESS
}

/// Stages every file, then renames each into place: a failure before the renames writes none,
/// and the folders made for them go again.
fn write_all(files: &[(PathBuf, &str)]) -> std::io::Result<()> {
    let mut made: Vec<PathBuf> = Vec::new();
    let staged = files
        .iter()
        .map(|(path, text)| {
            let folder = path.parent().unwrap_or(Path::new("."));
            made.extend(
                folder
                    .ancestors()
                    .take_while(|p| !p.as_os_str().is_empty() && !p.exists())
                    .map(Path::to_path_buf),
            );
            std::fs::create_dir_all(folder)?;
            Ok((atomic::stage(folder, text, None)?, path))
        })
        .collect::<std::io::Result<Vec<_>>>();
    let staged = match staged {
        Ok(staged) => staged,
        Err(e) => {
            // Innermost first; a folder that holds anything stays.
            made.sort_by_key(|p| std::cmp::Reverse(p.components().count()));
            for folder in made {
                let _ = std::fs::remove_dir(folder);
            }
            return Err(e);
        }
    };
    for (tmp, path) in staged {
        atomic::commit(tmp, path)?;
    }
    Ok(())
}

fn report(
    dir: &Path,
    inputs: &Inputs,
    factored: &Factored,
    names: &[String],
    files: &[(PathBuf, &str)],
) {
    let n = factored.agents.len();
    // `all` or `at least K`: how many DaemonSets a shared setting needed.
    let by = if factored.needed >= n {
        "all".to_string()
    } else {
        format!("at least {}", factored.needed)
    };
    let settings = match factored.shared {
        1 => "1 setting".to_string(),
        k => format!("{k} settings"),
    };
    match &factored.library {
        Some(_) => eprintln!(
            "wrote {}: {settings} that {by} of the {n} DaemonSets write",
            dir.join(LIBRARY).display(),
        ),
        None if factored.shared == 0 => eprintln!(
            "note: no setting is written by {by} of the {n} DaemonSets, so there is no library: \
             every spec stands alone (--share PERCENT shares what most of them write)"
        ),
        None => eprintln!(
            "note: the {settings} that {by} of the {n} DaemonSets write would make every spec \
             longer, so there is no library: every spec stands alone"
        ),
    }
    let some = factored.library.is_some();
    for (why, says) in [
        (
            Alone::Longer,
            "the library would make them longer, so they stand alone",
        ),
        (
            Alone::Differs,
            "with the library they compile to something else, so they stand alone",
        ),
    ] {
        let alone: Vec<&str> = factored
            .agents
            .iter()
            .zip(names)
            .filter(|(a, _)| some && a.alone == Some(why))
            .map(|(_, name)| name.as_str())
            .collect();
        if !alone.is_empty() {
            eprintln!(
                "note: {} of the specs: {says}: {}",
                alone.len(),
                alone.join(", ")
            );
        }
    }
    let lines: usize = files.iter().map(|(_, t)| t.lines().count()).sum();
    let percent = if inputs.lines == 0 {
        0.0
    } else {
        100.0 * lines as f64 / inputs.lines as f64
    };
    eprintln!(
        "wrote {n} spec{} into {}: {lines} lines{}, for {} lines of YAML ({percent:.1}%)",
        if n == 1 { "" } else { "s" },
        dir.display(),
        if some { " with the library" } else { "" },
        inputs.lines
    );
}
