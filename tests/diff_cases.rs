//! Golden cases for the diff stage, one folder each under `tests/cases/diff/`.
//!
//! A folder holds `new.yaml` (the compiled side), the old side as `old.json` or `old.yaml`
//! (absent for an object that does not exist yet; it may hold several documents or a `List`),
//! an optional `options.json` (`from`, `ignore`, `show_secrets`), and the expected renderings
//! `expected.txt`, `expected.md` and `expected.json`. `BLESS=1 cargo test` rewrites them.

use dsc::diff::{
    canonicalize, compare, diff, read_objects, read_source, select_daemonset, DiffOptions,
    DiffReport, Op,
};
use serde_json::{json, Value};
use std::fs;
use std::path::{Path, PathBuf};

fn cases() -> Vec<PathBuf> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/cases/diff");
    let mut dirs: Vec<PathBuf> = fs::read_dir(&root)
        .unwrap_or_else(|e| panic!("{}: {e}", root.display()))
        .filter_map(|entry| entry.ok().map(|e| e.path()))
        .filter(|p| p.join("new.yaml").is_file())
        .collect();
    dirs.sort();
    dirs
}

fn objects(path: &Path) -> Vec<Value> {
    let text = read_source(path).unwrap_or_else(|e| panic!("{e}"));
    read_objects(&text).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

fn options(dir: &Path) -> DiffOptions {
    let mut opts = DiffOptions::default();
    let Ok(text) = fs::read_to_string(dir.join("options.json")) else {
        return opts;
    };
    let given: Value = serde_json::from_str(&text).unwrap_or_else(|e| panic!("options.json: {e}"));
    if let Some(from) = given["from"].as_str() {
        opts.from_label = from.to_string();
    }
    let ignore: Vec<&str> = given["ignore"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(Value::as_str)
        .collect();
    opts.ignore = DiffOptions::parse_ignore(&ignore).unwrap_or_else(|e| panic!("{e}"));
    opts.show_secrets = given["show_secrets"].as_bool().unwrap_or(false);
    opts
}

fn run(dir: &Path) -> DiffReport {
    let new = objects(&dir.join("new.yaml")).remove(0);
    let (ns, name) = (
        new["metadata"]["namespace"].as_str().unwrap_or(""),
        new["metadata"]["name"].as_str().unwrap_or(""),
    );
    let old_file = ["old.json", "old.yaml"]
        .iter()
        .map(|f| dir.join(f))
        .find(|p| p.is_file());
    let old = old_file
        .map(|p| select_daemonset(&objects(&p), ns, name).unwrap_or_else(|e| panic!("{e}")));
    let opts = options(dir);
    for side in old.iter().chain([&new]) {
        let once = canonicalize(side.clone(), &opts.ignore);
        assert_eq!(
            canonicalize(once.clone(), &opts.ignore),
            once,
            "{}: not idempotent",
            dir.display()
        );
    }
    diff(old.as_ref(), &new, &opts)
}

fn check_golden(path: &Path, actual: &str) -> Option<String> {
    if std::env::var_os("BLESS").is_some() {
        fs::write(path, actual).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        return None;
    }
    let expected = fs::read_to_string(path).unwrap_or_default();
    (expected != actual).then(|| {
        format!("{} differs (run with BLESS=1 to accept):\n--- expected\n{expected}\n--- actual\n{actual}", path.display())
    })
}

#[test]
fn golden_cases() {
    let mut failures = Vec::new();
    for dir in cases() {
        let report = run(&dir);
        let json = serde_json::to_string_pretty(&report.render_json()).unwrap_or_default() + "\n";
        failures.extend(check_golden(
            &dir.join("expected.txt"),
            &report.render_text(false),
        ));
        failures.extend(check_golden(
            &dir.join("expected.md"),
            &report.render_markdown(),
        ));
        failures.extend(check_golden(&dir.join("expected.json"), &json));
    }
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
}

#[test]
fn live_object_with_server_defaults_has_no_changes() {
    let report =
        run(&Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/cases/diff/live-unchanged"));
    assert!(!report.has_changes(), "{}", report.render_text(false));
    assert!(report.unified.is_empty());
}

#[test]
fn colour_only_when_asked() {
    let report = run(&Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/cases/diff/image-and-env"));
    assert!(report.render_text(true).contains("\x1b["));
    assert!(!report.render_text(false).contains('\x1b'));
}

/// The compiler's own output is already canonical (`examples/*.yaml` and
/// `tests/cases/build/*.yaml` are its goldens): canonicalizing it changes no key order, and no
/// value other than a zero value the API server drops anyway (an env var's `value: ""`).
#[test]
fn compiler_output_is_already_canonical() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let zero = |v: &Option<Value>| matches!(v, Some(v) if *v == json!("") || *v == json!(false) || *v == json!(0));
    for dir in ["examples", "tests/cases/build"] {
        let files = fs::read_dir(root.join(dir))
            .into_iter()
            .flatten()
            .filter_map(|e| e.ok().map(|e| e.path()));
        for file in files.filter(|p| p.extension().is_some_and(|x| x == "yaml")) {
            for object in objects(&file) {
                let canonical = canonicalize(object.clone(), &[]);
                let changes = compare(&object, &canonical);
                let unexpected: Vec<String> = changes
                    .iter()
                    .filter(|c| !(c.op == Op::Remove && zero(&c.from)))
                    .map(|c| format!("{} {:?} -> {:?}", c.path, c.from, c.to))
                    .collect();
                assert!(unexpected.is_empty(), "{}: {unexpected:#?}", file.display());
                if changes.is_empty() {
                    let text = |v: &Value| serde_json::to_string_pretty(v).unwrap_or_default();
                    let (canonical, object) = (text(&canonical), text(&object));
                    let diff = similar::TextDiff::from_lines(object.as_str(), canonical.as_str());
                    assert!(
                        canonical == object,
                        "{}: key order\n{}",
                        file.display(),
                        diff.unified_diff().header("compiled", "canonical")
                    );
                }
            }
        }
    }
}

/// Swapping the YAML renderer for the project's emitter is one field.
#[test]
fn the_project_emitter_renders_the_unified_diff() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/cases/diff/image-and-env");
    let new = objects(&dir.join("new.yaml")).remove(0);
    let old = select_daemonset(&objects(&dir.join("old.yaml")), "logging", "log-agent");
    let old = old.unwrap_or_else(|e| panic!("{e}"));
    let opts = DiffOptions {
        to_yaml: dsc::emit::to_yaml,
        ..DiffOptions::default()
    };
    let report = diff(Some(&old), &new, &opts);
    assert!(
        report
            .unified
            .contains("-        image: example.org/log-agent:2.0.0\n"),
        "{}",
        report.unified
    );
    assert!(report
        .unified
        .contains("+        image: example.org/log-agent:2.1.0\n"));
}

#[test]
fn unreadable_input_names_the_file() {
    let missing = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/cases/diff/no-such-file.yaml");
    let err = read_source(&missing)
        .err()
        .map(|e| e.to_string())
        .unwrap_or_default();
    assert!(
        err.starts_with("cannot read ") && err.contains("no-such-file.yaml"),
        "{err}"
    );
}
