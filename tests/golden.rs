//! Golden tests of compiled output: every `examples/*.ds` and `tests/cases/build/*.ds` compiles
//! without errors to exactly the `.yaml` beside it.

mod common;

use dsc::diagnostics::LintLevels;
use dsc::source::SourceFile;

fn compile_dir(dir: &str) {
    let mut failures = Vec::new();
    for path in common::inputs(dir, "ds") {
        let name = path.file_name().unwrap().to_string_lossy().into_owned();
        let file = SourceFile::new(name.clone(), std::fs::read_to_string(&path).unwrap());
        let compiled = dsc::compile(&file, &LintLevels::default());
        let errors = common::rendered_errors(&file, &compiled);
        if !errors.is_empty() {
            failures.push(format!("{name} has errors:\n{errors}"));
            continue;
        }
        let yaml = dsc::objects_to_yaml(&compiled.manifests, &name);
        failures.extend(common::golden(&path.with_extension("yaml"), &yaml));
    }
    common::finish(failures);
}

#[test]
fn examples_compile_to_their_goldens() {
    compile_dir("examples");
}

#[test]
fn build_cases_compile_to_their_goldens() {
    compile_dir("tests/cases/build");
}

/// The README's first example (a spec, then the YAML it compiles to) stays true.
#[test]
fn readme_example_is_current() {
    let readme =
        std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/README.md")).unwrap();
    let blocks: Vec<&str> = readme.split("```").skip(1).step_by(2).take(2).collect();
    let spec = blocks[0].trim_start_matches('\n');
    let yaml = blocks[1].trim_start_matches("yaml\n");
    let file = SourceFile::new("fluent-bit.ds", spec);
    let compiled = dsc::compile(&file, &LintLevels::default());
    assert!(!compiled.has_errors(), "{:?}", compiled.diagnostics);
    assert_eq!(
        dsc::objects_to_yaml(&compiled.manifests, "fluent-bit.ds"),
        yaml
    );
}

/// The worked example of a repository (`examples/fleet`: three agents, a library, two
/// environments) builds exactly to the folder committed beside it (`BLESS=1` rewrites it).
#[test]
fn the_fleet_example_builds_to_its_folder() {
    let root = env!("CARGO_MANIFEST_DIR");
    let mut args = vec!["build", "examples/fleet/agents", "-o", "examples/fleet/out"];
    if std::env::var_os("BLESS").is_none() {
        args.push("--check");
    }
    let out = common::dsc()
        .current_dir(root)
        .args(&args)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
}
