//! Golden tests of import: every `tests/cases/import/NAME.yaml` imports to the `NAME.ds` beside
//! it, with the notes of the run in `NAME.notes` (`BLESS=1` rewrites both). Each golden is also
//! held to what import promises: it compiles without errors to exactly the DaemonSets of its
//! manifest (the diff's canonical forms compared), importing what it compiles to gives it back,
//! and `dsc fmt` leaves it as it is.

mod common;

use dsc::diagnostics::LintLevels;
use dsc::diff::{canonicalize, compare, read_objects};
use dsc::print::{body_to_source, format_source};
use dsc::source::SourceFile;
use serde_json::Value;

/// What the manifest should compile to: its canonical form, in `default` when it names no
/// namespace (a spec always has one), as apps/v1.
fn expected(object: &Value) -> Value {
    let mut want = canonicalize(object.clone(), &[]);
    if want["metadata"]["namespace"].is_null() {
        want["metadata"]["namespace"] = Value::from("default");
    }
    want["apiVersion"] = Value::from("apps/v1");
    want
}

/// The problems of one case, empty when it holds what import promises.
fn check_case(name: &str, manifest: &str, spec: &str) -> Vec<String> {
    let mut problems = Vec::new();
    match format_source(spec) {
        Ok(formatted) if formatted == spec => {}
        Ok(_) => problems.push(format!("{name}: `dsc fmt` would change the imported spec")),
        Err(e) => problems.push(format!("{name}: the imported spec does not format: {e:?}")),
    }
    let file = SourceFile::new(format!("{name}.ds"), spec);
    let compiled = dsc::compile(&file, &LintLevels::default());
    let errors = common::rendered_errors(&file, &compiled);
    if !errors.is_empty() {
        problems.push(format!("{name}: the spec has errors:\n{errors}"));
        return problems;
    }
    let daemonsets: Vec<Value> = read_objects(manifest)
        .unwrap_or_default()
        .into_iter()
        .filter(|o| o["kind"] == "DaemonSet")
        .collect();
    if daemonsets.len() != compiled.manifests.len() {
        problems.push(format!(
            "{name}: {} DaemonSets in the manifest, {} compiled",
            daemonsets.len(),
            compiled.manifests.len()
        ));
    }
    // Importing what the spec compiles to gives the spec again.
    let rebuilt = dsc::objects_to_yaml(&compiled.manifests, name);
    match dsc::manifests_to_specs(&rebuilt) {
        Ok(again) if body_to_source(&again.body) == spec => {}
        Ok(again) => problems.push(format!(
            "{name}: importing the compiled spec gives another spec:\n{}",
            body_to_source(&again.body)
        )),
        Err(e) => problems.push(format!("{name}: the compiled spec does not import: {e}")),
    }
    for (object, compiled) in daemonsets.iter().zip(&compiled.manifests) {
        let changes = compare(
            &expected(object),
            &canonicalize(compiled.object.clone(), &[]),
        );
        if let Some(first) = changes.first() {
            problems.push(format!(
                "{name}: {} does not round-trip: {} changes, the first at {}",
                compiled.name,
                changes.len(),
                first.path
            ));
        }
    }
    problems
}

#[test]
fn import_cases_match_their_goldens_and_round_trip() {
    let mut failures = Vec::new();
    let cases = common::inputs("tests/cases/import", "yaml");
    assert!(!cases.is_empty(), "no import cases");
    for path in cases {
        let name = path.file_stem().unwrap().to_string_lossy().into_owned();
        let manifest = std::fs::read_to_string(&path).unwrap();
        let imported = dsc::manifests_to_specs(&manifest).unwrap_or_else(|e| panic!("{name}: {e}"));
        if !imported.failures.is_empty() {
            failures.push(format!("{name}: {}", imported.failures.join("; ")));
        }
        let spec = body_to_source(&imported.body);
        let mut notes = imported.notes.join("\n");
        notes.push('\n');
        failures.extend(common::golden(&path.with_extension("ds"), &spec));
        failures.extend(common::golden(&path.with_extension("notes"), &notes));
        failures.extend(check_case(&name, &manifest, &spec));
    }
    common::finish(failures);
}

/// Every case directory file is an input or a golden of one.
#[test]
fn every_golden_has_its_manifest() {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/cases/import");
    for entry in std::fs::read_dir(&dir).unwrap() {
        let path = entry.unwrap().path();
        let input = path.with_extension("yaml");
        assert!(
            input.is_file(),
            "{} has no manifest beside it",
            path.display()
        );
    }
}
