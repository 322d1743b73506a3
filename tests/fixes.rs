//! Every quick fix does what its help says: for each failing spec and manifest of
//! `tests/cases/ui/`, each diagnostic's edit, applied alone, makes that diagnostic go away (no
//! finding with the same code stays at that place).

use dsc::diagnostics::LintLevels;
use dsc::manifest::{check_manifest, Versions};
use dsc::source::SourceFile;

/// The findings of `text` as if it were the file at `path` (whose `use` paths start there).
fn findings(path: &std::path::Path, text: &str) -> Vec<dsc::diagnostics::Diagnostic> {
    let name = path.file_name().unwrap().to_string_lossy();
    let file = SourceFile::new(name.as_ref(), text);
    if name.ends_with(".ds") {
        let libraries = dsc::compose::Libraries::default();
        dsc::compile_file(&file, Some(path), &LintLevels::default(), &libraries).diagnostics
    } else {
        check_manifest(&file, Versions::Served).diagnostics
    }
}

#[test]
fn every_fix_removes_its_diagnostic() {
    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/cases/ui");
    let mut paths: Vec<_> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "ds" || e == "yaml"))
        .collect();
    paths.sort();
    let mut applied = 0;
    let mut failures = Vec::new();
    for path in &paths {
        let name = path.file_name().unwrap().to_string_lossy().to_string();
        let text = std::fs::read_to_string(path).unwrap();
        for d in findings(path, &text) {
            let Some(fix) = &d.fix else { continue };
            let mut fixed = text.clone();
            fixed.replace_range(fix.span.start()..fix.span.end(), &fix.replacement);
            applied += 1;
            let at = d.primary_span().start();
            let still = findings(path, &fixed)
                .into_iter()
                .any(|after| after.code == d.code && after.primary_span().start() == at);
            if still {
                failures.push(format!(
                    "{name}: {} `{}` stays after the fix {fix:?}",
                    d.code, d.message
                ));
            }
        }
    }
    eprintln!(
        "{applied} fixes applied over {} specs and manifests",
        paths.len()
    );
    assert!(failures.is_empty(), "{}", failures.join("\n"));
    assert!(applied >= 10, "only {applied} fixes among the UI cases");
}
