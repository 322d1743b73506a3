//! The layout has no import circles: the stages of `src/` depend on each other in one
//! direction, and so do the files inside each stage's folder. A circle is reported with the
//! whole chain, so the file to split is plain.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

/// Module name → the sibling modules it uses.
type Graph = BTreeMap<String, BTreeSet<String>>;

/// The words after each `prefix` in `text` (`super::{a, b::c}` gives `a`, `b`).
fn used_after(text: &str, prefix: &str) -> Vec<String> {
    let mut found = Vec::new();
    for (at, _) in text.match_indices(prefix) {
        let rest = &text[at + prefix.len()..];
        if let Some(group) = rest.strip_prefix('{') {
            let inner = &group[..group.find('}').unwrap_or(group.len())];
            for part in inner.split(',') {
                let name = part.trim().split("::").next().unwrap_or("").trim();
                found.push(name.to_string());
            }
        } else {
            let name: String = rest
                .chars()
                .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
                .collect();
            found.push(name);
        }
    }
    found
}

/// The `.rs` files under `dir`, recursively.
fn sources(dir: &Path) -> Vec<std::path::PathBuf> {
    let mut out = Vec::new();
    for entry in std::fs::read_dir(dir).unwrap().flatten() {
        let path = entry.path();
        if path.is_dir() {
            out.extend(sources(&path));
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
    out
}

/// The files of module `name` in folder `dir`: `name.rs`, and everything under `name/`.
fn module_files(dir: &Path, name: &str) -> Vec<std::path::PathBuf> {
    let sub = dir.join(name);
    let mut files = if sub.is_dir() {
        sources(&sub)
    } else {
        Vec::new()
    };
    let file = dir.join(format!("{name}.rs"));
    if file.is_file() {
        files.push(file);
    }
    files
}

/// A circle in `graph`, as the chain of its modules, if there is one.
fn circle(graph: &Graph) -> Option<Vec<String>> {
    fn visit(
        node: &str,
        graph: &Graph,
        done: &mut BTreeSet<String>,
        path: &mut Vec<String>,
    ) -> Option<Vec<String>> {
        if let Some(start) = path.iter().position(|n| n == node) {
            let mut chain = path[start..].to_vec();
            chain.push(node.to_string());
            return Some(chain);
        }
        if done.contains(node) {
            return None;
        }
        path.push(node.to_string());
        for next in graph.get(node).into_iter().flatten() {
            if let Some(chain) = visit(next, graph, done, path) {
                return Some(chain);
            }
        }
        path.pop();
        done.insert(node.to_string());
        None
    }
    let mut done = BTreeSet::new();
    graph
        .keys()
        .find_map(|n| visit(n, graph, &mut done, &mut Vec::new()))
}

/// A file's code without its unit tests (at the end, after `#[cfg(test)]`, or a whole
/// `tests.rs` or `testing.rs`): a test may drive its stage through the stage's entry point.
fn code_of(file: &Path) -> String {
    if file
        .file_stem()
        .is_some_and(|s| s == "tests" || s == "testing")
    {
        return String::new();
    }
    let text = std::fs::read_to_string(file).unwrap();
    match text.find("#[cfg(test)]") {
        Some(at) => text[..at].to_string(),
        None => text,
    }
}

fn src() -> std::path::PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("src")
}

/// The top-level modules of the library: a folder or a file directly under `src/`.
fn stages() -> BTreeSet<String> {
    std::fs::read_dir(src())
        .unwrap()
        .flatten()
        .map(|e| e.path())
        .filter_map(|p| Some(p.file_stem()?.to_str()?.to_string()))
        .filter(|n| !matches!(n.as_str(), "lib" | "main"))
        .collect()
}

#[test]
fn stages_depend_on_each_other_in_one_direction() {
    let stages = stages();
    assert!(
        stages.contains("check") && stages.contains("validate"),
        "{stages:?}"
    );
    let mut graph = Graph::new();
    for stage in &stages {
        let uses = graph.entry(stage.clone()).or_default();
        for f in module_files(&src(), stage) {
            let text = code_of(&f);
            for used in used_after(&text, "crate::") {
                if stages.contains(&used) && &used != stage {
                    uses.insert(used);
                }
            }
        }
    }
    // The checker and the object rules share only `api`, never each other.
    assert!(
        !graph["validate"].contains("check"),
        "{:?}",
        graph["validate"]
    );
    assert!(!graph["check"].contains("validate"), "{:?}", graph["check"]);
    if let Some(chain) = circle(&graph) {
        panic!(
            "the stages import each other in a circle: {}",
            chain.join(" → ")
        );
    }
}

#[test]
fn files_of_each_folder_depend_on_each_other_in_one_direction() {
    let mut folders = vec![src()];
    let mut circles = Vec::new();
    let mut checked = 0;
    while let Some(dir) = folders.pop() {
        let mut graph = Graph::new();
        let mut modules = BTreeSet::new();
        for entry in std::fs::read_dir(&dir).unwrap().flatten() {
            let path = entry.path();
            if path.is_dir() {
                folders.push(path.clone());
                modules.insert(path.file_name().unwrap().to_string_lossy().into_owned());
            } else if let Some(stem) = path
                .file_stem()
                .filter(|_| path.extension().is_some_and(|e| e == "rs"))
            {
                modules.insert(stem.to_string_lossy().into_owned());
            }
        }
        // The folder's `mod.rs` is its root: it declares and calls the others.
        modules.remove("mod");
        for module in &modules {
            let uses = graph.entry(module.clone()).or_default();
            for f in module_files(&dir, module) {
                let text = code_of(&f);
                // Only the folder's own files use `super::` for a sibling (a file in a
                // subfolder reaches its siblings the same way, one level down).
                let mut used = if f.parent() == Some(dir.as_path()) {
                    used_after(&text, "super::")
                } else {
                    Vec::new()
                };
                // A sibling reached by its full path (`crate::check::vke`) counts too.
                if let Ok(rel) = dir.strip_prefix(src()) {
                    if !rel.as_os_str().is_empty() {
                        let prefix =
                            format!("crate::{}::", rel.display().to_string().replace('/', "::"));
                        used.extend(used_after(&text, &prefix));
                    }
                }
                for used in used {
                    if modules.contains(&used) && &used != module {
                        uses.insert(used);
                    }
                }
            }
        }
        checked += 1;
        if let Some(chain) = circle(&graph) {
            circles.push(format!("{}: {}", dir.display(), chain.join(" → ")));
        }
    }
    assert!(checked > 5, "only {checked} folders");
    assert!(
        circles.is_empty(),
        "import circles:\n{}",
        circles.join("\n")
    );
}
