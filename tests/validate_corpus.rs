//! No false rejection: every DaemonSet of the shared corpus of real manifests and live objects
//! (`../shared/corpus`, when present) breaks no rule of the API server. These objects were
//! accepted by real clusters, so any finding here is a rule dsc gets wrong.

use dsc::diff::{canonicalize, read_objects};
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
            let text = std::fs::read_to_string(&path).unwrap();
            let Ok(objects) = read_objects(&text) else {
                continue;
            };
            for object in objects.into_iter().filter(|o| o["kind"] == "DaemonSet") {
                // Older API versions are validated as the server stores them: in apps/v1,
                // with their version's defaults made explicit.
                let object = canonicalize(object, &[]);
                checked += 1;
                for f in dsc::validate::daemonset(&object) {
                    problems.push(format!(
                        "{}: {:?} {}: {} ({})",
                        path.file_name().unwrap().to_string_lossy(),
                        f.kind,
                        f.path,
                        f.detail,
                        f.value.unwrap_or_default()
                    ));
                }
            }
        }
    }
    assert!(
        problems.is_empty(),
        "{} findings in {checked} accepted objects:\n{}",
        problems.len(),
        problems.join("\n")
    );
}
