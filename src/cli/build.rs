//! `dsc build`: compile specs to YAML on stdout or, with `-o DIR`, one file per DaemonSet,
//! written atomically, and nothing at all when any input has an error.

use std::collections::BTreeMap;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::Args;

use super::atomic;
use super::{collect_inputs, fatal, read_source, LintArgs, ReportArgs};

#[derive(Args)]
pub struct BuildArgs {
    /// Spec files or directories of `.ds` files (`-` reads stdin)
    #[arg(required = true, value_name = "FILE|DIR")]
    inputs: Vec<PathBuf>,
    /// Write `NAME.yaml` per DaemonSet into this directory instead of stdout
    #[arg(short, long, value_name = "DIR")]
    output: Option<PathBuf>,
    /// With -o: write nothing; exit 1 and show the difference when the files in DIR are not
    /// what the specs compile to (for CI)
    #[arg(long, requires = "output")]
    check: bool,
    /// Print secret-looking env values and args instead of `<redacted #N>`
    #[arg(long)]
    show_secrets: bool,
    #[command(flatten)]
    report: ReportArgs,
    #[command(flatten)]
    lints: LintArgs,
}

pub fn run(args: BuildArgs) -> ExitCode {
    let files = match collect_inputs(&args.inputs) {
        Ok(f) => f,
        Err(e) => return fatal(e.0),
    };
    let levels = args.lints.levels();
    let mut reporter = args.report.reporter().show_secrets(args.show_secrets);
    // file name → (yaml, source) for -o; documents in order for stdout.
    let mut outputs: BTreeMap<String, (String, String)> = BTreeMap::new();
    let mut documents = Vec::new();
    let mut collisions = Vec::new();
    for path in &files {
        let file = match read_source(path, false) {
            Ok(f) => f,
            Err(e) => return fatal(e.0),
        };
        let compiled = dsc::compile(&file, &levels);
        reporter.report(&file, &compiled.diagnostics);
        for m in &compiled.manifests {
            let yaml = m.yaml_with_header(&file.name);
            let out_name = output_file_name(&m.name);
            if let Some((_, first)) = outputs.get(&out_name) {
                collisions.push(format!(
                    "{out_name} would be written for both {first} and {}",
                    file.name
                ));
            }
            outputs.insert(out_name, (yaml.clone(), file.name.clone()));
            documents.push(yaml);
        }
    }
    reporter.finish(files.len());
    if reporter.errors > 0 {
        return ExitCode::from(1);
    }
    match &args.output {
        None => {
            let mut stdout = std::io::stdout().lock();
            if stdout
                .write_all(documents.join("---\n").as_bytes())
                .and_then(|_| stdout.flush())
                .is_err()
            {
                return fatal("cannot write to stdout");
            }
        }
        Some(dir) => {
            if let Some(c) = collisions.first() {
                eprintln!("error: two daemonsets have one name: {c}; nothing was written");
                return ExitCode::from(1);
            }
            if args.check {
                return check_committed(dir, &outputs, args.show_secrets);
            }
            if let Err(e) = write_all(dir, &outputs) {
                return fatal(e);
            }
        }
    }
    ExitCode::SUCCESS
}

/// `--check`: compares the files in `dir` with what would be written; prints a unified diff of
/// each difference (secret-looking values redacted as `dsc diff` redacts them, unless
/// `show_secrets`), lists missing and stale files, and exits 1 when anything differs.
fn check_committed(
    dir: &Path,
    outputs: &BTreeMap<String, (String, String)>,
    show_secrets: bool,
) -> ExitCode {
    let mut differ = 0;
    let mut out = String::new();
    for (name, (yaml, source)) in outputs {
        let path = dir.join(name);
        match std::fs::read_to_string(&path) {
            Ok(current) if current == *yaml => {}
            Ok(current) => {
                differ += 1;
                let (current, yaml) = if show_secrets {
                    (current, yaml.clone())
                } else {
                    dsc::diff::redact_yaml_texts(&current, yaml)
                };
                out.push_str(&dsc::diff::unified_diff(
                    Some(&current),
                    &yaml,
                    (
                        &format!("{} (committed)", path.display()),
                        &format!("{} (compiled from {source})", path.display()),
                    ),
                    3,
                ));
            }
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                differ += 1;
                out.push_str(&format!(
                    "missing: {} (compiled from {source})\n",
                    path.display()
                ));
            }
            Err(e) => return fatal(format!("cannot read {}: {e}", path.display())),
        }
    }
    if let Ok(entries) = std::fs::read_dir(dir) {
        let mut stale: Vec<String> = entries
            .filter_map(|e| e.ok())
            .map(|e| e.file_name().to_string_lossy().into_owned())
            .filter(|n| n.ends_with(".yaml") && !outputs.contains_key(n))
            .collect();
        stale.sort();
        for name in stale {
            differ += 1;
            out.push_str(&format!(
                "stale: {} (no spec compiles to it)\n",
                dir.join(name).display()
            ));
        }
    }
    for path in atomic::leftovers(dir) {
        differ += 1;
        out.push_str(&format!(
            "leftover: {} (a temporary file of an interrupted run; building removes it)\n",
            path.display()
        ));
    }
    super::write_text(&out);
    if differ > 0 {
        eprintln!("error: {differ} manifest(s) in {} are not what the specs compile to; run `dsc build ... -o {}`", dir.display(), dir.display());
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    }
}

/// Writes every file that changes through a temporary file in the same directory, then renames
/// it; first removes the temporary files an interrupted run left there. A file that already
/// holds its output is left alone, modification time included, so tools that watch the folder
/// see only real changes. Staged files are closed, so any number can wait for their rename.
fn write_all(dir: &Path, outputs: &BTreeMap<String, (String, String)>) -> Result<(), String> {
    std::fs::create_dir_all(dir).map_err(|e| format!("cannot create {}: {e}", dir.display()))?;
    atomic::sweep(dir);
    let mut staged = Vec::new();
    for (name, (yaml, _)) in outputs {
        if std::fs::read(dir.join(name)).is_ok_and(|current| current == yaml.as_bytes()) {
            continue;
        }
        let tmp = atomic::stage(dir, yaml, None)
            .map_err(|e| format!("cannot write {}: {e}", dir.join(name).display()))?;
        staged.push((tmp, dir.join(name)));
    }
    for (tmp, path) in staged {
        atomic::commit(tmp, &path).map_err(|e| format!("cannot write {}: {e}", path.display()))?;
    }
    Ok(())
}

/// `NAME.yaml`, or, for a name too long for a file name (a daemonset name may have 253
/// characters, a file name 255 bytes), its first 200 characters, a hash of the whole name and
/// `.yaml`: still deterministic, so `--check` finds the file again.
fn output_file_name(name: &str) -> String {
    if name.len() + ".yaml".len() <= 255 {
        return format!("{name}.yaml");
    }
    // FNV-1a: a stable hash without a dependency.
    let hash = name.bytes().fold(0xcbf2_9ce4_8422_2325_u64, |h, b| {
        (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3)
    });
    let cut = (0..=200)
        .rev()
        .find(|i| name.is_char_boundary(*i))
        .unwrap_or(0);
    let stem = name[..cut].trim_end_matches(['-', '.']);
    format!("{stem}-{:08x}.yaml", hash as u32)
}

#[cfg(test)]
mod tests {
    use super::output_file_name;

    #[test]
    fn long_names_fit_in_a_file_name() {
        assert_eq!(output_file_name("fluent-bit"), "fluent-bit.yaml");
        let long = "a".repeat(253);
        let file = output_file_name(&long);
        assert!(file.len() <= 255, "{file}");
        assert_eq!(file, output_file_name(&long));
        assert_ne!(file, output_file_name(&format!("{}b", "a".repeat(252))));
    }
}
