//! UI tests of diagnostics: every `tests/cases/ui/*.ds` spec and `*.yaml` manifest renders
//! exactly the `.stderr` beside it,
//! and every diagnostic code has at least one failing case.

mod common;

use dsc::diagnostics::{render, LintLevels, CODES};
use dsc::source::SourceFile;

/// The reports of a spec, or of a manifest (`.yaml`: its DaemonSets checked on their own).
fn rendered(path: &std::path::Path) -> String {
    let name = path.file_name().unwrap().to_string_lossy().into_owned();
    let file = SourceFile::new(name, std::fs::read_to_string(path).unwrap());
    let diagnostics = if path.extension().is_some_and(|e| e == "yaml") {
        dsc::manifest::check_manifest(&file, dsc::manifest::Versions::Served).diagnostics
    } else {
        dsc::compile(&file, &LintLevels::default()).diagnostics
    };
    // As the command line prints them: secret literals masked.
    let masked = dsc::diagnostics::mask_secrets(&file, &diagnostics);
    let (file, diagnostics) = match &masked {
        Some((f, d)) => (f, d.as_slice()),
        None => (&file, diagnostics.as_slice()),
    };
    diagnostics
        .iter()
        .map(|d| render::human(file, d, false))
        .collect()
}

#[test]
fn diagnostics_render_as_expected() {
    let mut failures = Vec::new();
    let specs = common::inputs("tests/cases/ui", "ds");
    let manifests = common::inputs("tests/cases/ui", "yaml");
    for path in specs.into_iter().chain(manifests) {
        let out = rendered(&path);
        if out.is_empty() {
            failures.push(format!("{} produced no diagnostic", path.display()));
        }
        failures.extend(common::golden(&path.with_extension("stderr"), &out));
    }
    common::finish(failures);
}

#[test]
fn every_code_has_a_failing_case() {
    let all: String = common::inputs("tests/cases/ui", "stderr")
        .iter()
        .map(|p| std::fs::read_to_string(p).unwrap())
        .collect();
    let missing: Vec<&str> = CODES
        .iter()
        .map(|c| c.code)
        .filter(|code| !all.contains(&format!("[{code}]")))
        .collect();
    assert!(missing.is_empty(), "codes without a UI case: {missing:?}");
}

#[test]
fn every_raised_code_is_documented() {
    let src = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut stack = vec![src];
    let mut undocumented = Vec::new();
    while let Some(dir) = stack.pop() {
        for entry in std::fs::read_dir(dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                stack.push(path);
                continue;
            }
            let text = std::fs::read_to_string(&path).unwrap();
            for (i, _) in text.match_indices("\"DS") {
                let code = &text[i + 1..(i + 7).min(text.len())];
                if code[2..].chars().all(|c| c.is_ascii_digit())
                    && dsc::diagnostics::lookup(code).is_none()
                    && !dsc::diagnostics::RETIRED.iter().any(|(c, _)| *c == code)
                {
                    undocumented.push(format!("{code} in {}", path.display()));
                }
            }
        }
    }
    assert!(
        undocumented.is_empty(),
        "codes missing from CODES: {undocumented:?}"
    );
}
