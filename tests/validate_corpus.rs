//! No false rejection: every DaemonSet of the shared corpus of real manifests and live objects
//! (`../shared/corpus`, when present) passes `dsc check` with the API server's rules, read the
//! way `dsc check FILE.yaml` reads it. These objects were accepted by real clusters, so any
//! finding here is a rule dsc gets wrong. Live objects of API versions a v1.33 server no longer
//! serves are read as `dsc import` reads them (converted to apps/v1).

use dsc::diagnostics::render;
use dsc::manifest::{check_manifest, Versions};
use dsc::source::SourceFile;
use std::path::Path;

#[test]
fn corpus_daemonsets_break_no_rule() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/corpus");
    let mut problems = Vec::new();
    let mut checked = 0;
    for dir in ["daemonsets", "live"] {
        let Ok(entries) = std::fs::read_dir(root.join(dir)) else {
            continue;
        };
        let mut paths: Vec<_> = entries.map(|e| e.unwrap().path()).collect();
        paths.sort();
        for path in paths {
            let ext = path.extension().and_then(|e| e.to_str()).unwrap_or("");
            if !matches!(ext, "yaml" | "yml" | "json") {
                continue;
            }
            let name = path.file_name().unwrap().to_string_lossy().into_owned();
            let file = SourceFile::new(name, std::fs::read_to_string(&path).unwrap());
            // Real manifests as `dsc check` reads them; live objects of old clusters as
            // `dsc import` does.
            let versions = if dir == "daemonsets" {
                Versions::Served
            } else {
                Versions::Legacy
            };
            let report = check_manifest(&file, versions);
            checked += report.daemonsets;
            problems.extend(report.diagnostics.iter().map(|d| render::short(&file, d)));
        }
    }
    assert!(
        problems.is_empty(),
        "{} findings in {checked} accepted objects:\n{}",
        problems.len(),
        problems.join("\n")
    );
    if root.is_dir() {
        assert!(
            checked >= 45,
            "only {checked} DaemonSets read from the corpus"
        );
    }
}
