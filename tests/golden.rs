//! Golden tests of compiled output: every `examples/*.ds` and `tests/cases/build/*.ds` compiles
//! without errors to exactly the `.yaml` beside it.

mod common;

use dsc::diagnostics::{render, LintLevels, Severity};
use dsc::source::SourceFile;

fn compile_dir(dir: &str) {
    let mut failures = Vec::new();
    for path in common::inputs(dir, "ds") {
        let name = path.file_name().unwrap().to_string_lossy().into_owned();
        let file = SourceFile::new(name.clone(), std::fs::read_to_string(&path).unwrap());
        let compiled = dsc::compile(&file, &LintLevels::default());
        let errors: Vec<String> = compiled
            .diagnostics
            .iter()
            .filter(|d| d.severity == Severity::Error)
            .map(|d| render::human(&file, d, false))
            .collect();
        if !errors.is_empty() {
            failures.push(format!("{name} has errors:\n{}", errors.join("")));
            continue;
        }
        let yaml = dsc::objects_to_yaml(&compiled.manifests, &name);
        failures.extend(common::golden(&path.with_extension("yaml"), &yaml));
    }
    common::finish(failures);
}

#[test]
fn examples_compile_to_their_goldens() {
    // The examples are written on another branch; until they arrive there is nothing to check.
    if std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("examples")
        .is_dir()
    {
        compile_dir("examples");
    }
}

#[test]
fn build_cases_compile_to_their_goldens() {
    compile_dir("tests/cases/build");
}
