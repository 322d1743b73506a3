//! The old side of a run over many DaemonSets, matched to the compiled ones by identity.
//!
//! Input: the previous outputs (a file, stdin, or a directory of `.yaml`/`.yml` files read
//! recursively in sorted order), a `kubectl get` dump, or the DaemonSets listed per namespace.
//! Output: an [`OldSide`] holding every DaemonSet found (other kinds are left out), each with
//! the file it came from; [`OldSide::take`] matches one by namespace and name, and
//! [`OldSide::unmatched`] lists those no compiled DaemonSet took. File names play no part in
//! the matching: only what the objects say.

use serde_json::Value;
use std::collections::HashMap;
use std::path::{Path, PathBuf};

use super::input::{read_objects, read_source, InputError};

/// One DaemonSet of the old side and where it came from.
#[derive(Debug, Clone, PartialEq)]
pub struct OldObject {
    /// The object as read.
    pub object: Value,
    /// The file it was read from (`-` for stdin), or what produced it.
    pub origin: String,
}

impl OldObject {
    /// Its namespace, `None` for a manifest without one (applied with `kubectl apply -n`).
    pub fn namespace(&self) -> Option<&str> {
        self.object["metadata"]["namespace"].as_str()
    }

    /// Its name (empty when it has none).
    pub fn name(&self) -> &str {
        self.object["metadata"]["name"].as_str().unwrap_or("")
    }
}

/// The DaemonSets of the old side, and which of them a compiled DaemonSet took.
#[derive(Debug, Clone, Default)]
pub struct OldSide {
    objects: Vec<OldObject>,
    taken: Vec<bool>,
    /// Identity (namespace, name) → index, to refuse a second object of one identity.
    index: HashMap<(Option<String>, String), usize>,
}

impl OldSide {
    /// An old side with nothing in it: every compiled DaemonSet is new.
    pub fn new() -> OldSide {
        OldSide::default()
    }

    /// The DaemonSets of a file, of stdin (`-`), or of every `.yaml` and `.yml` file under a
    /// directory (recursively, in sorted order; symbolic links to directories are not
    /// followed). A file that is not YAML or JSON is an error naming it; two DaemonSets of one
    /// identity are an error naming both files.
    pub fn read(path: &Path) -> Result<OldSide, InputError> {
        let mut side = OldSide::new();
        let files = if path.is_dir() {
            let mut files = Vec::new();
            walk(path, &mut files).map_err(|e| InputError::Io {
                source: path.display().to_string(),
                message: e.to_string(),
            })?;
            files.sort();
            files
        } else {
            vec![path.to_path_buf()]
        };
        for file in files {
            let origin = file.display().to_string();
            let text = read_source(&file)?;
            let objects = read_objects(&text).map_err(|e| InputError::InFile {
                file: origin.clone(),
                error: Box::new(e),
            })?;
            side.add(objects, &origin)?;
        }
        Ok(side)
    }

    /// Adds the DaemonSets among `objects`, all from `origin`; other kinds are left out.
    pub fn add(&mut self, objects: Vec<Value>, origin: &str) -> Result<(), InputError> {
        for object in objects.into_iter().filter(|o| o["kind"] == "DaemonSet") {
            let old = OldObject {
                object,
                origin: origin.to_string(),
            };
            let key = (old.namespace().map(str::to_string), old.name().to_string());
            if let Some(&first) = self.index.get(&key) {
                return Err(InputError::Duplicate {
                    object: super::input::describe(&old.object),
                    first: self.objects[first].origin.clone(),
                    second: old.origin,
                });
            }
            self.index.insert(key, self.objects.len());
            self.objects.push(old);
            self.taken.push(false);
        }
        Ok(())
    }

    /// How many DaemonSets it holds.
    pub fn len(&self) -> usize {
        self.objects.len()
    }

    /// Whether it holds no DaemonSet.
    pub fn is_empty(&self) -> bool {
        self.objects.is_empty()
    }

    /// The DaemonSet `namespace/name`, marked as taken: the one with that namespace, else one
    /// without a namespace (a manifest applied with `-n`); `None` when there is neither, that
    /// is, the compiled DaemonSet is new.
    pub fn take(&mut self, namespace: &str, name: &str) -> Option<&OldObject> {
        let name = name.to_string();
        let found = self
            .index
            .get(&(Some(namespace.to_string()), name.clone()))
            .or_else(|| self.index.get(&(None, name)))
            .copied()?;
        self.taken[found] = true;
        self.objects.get(found)
    }

    /// The DaemonSets nothing took, in the order they were read.
    pub fn unmatched(&self) -> impl Iterator<Item = &OldObject> {
        self.objects
            .iter()
            .zip(&self.taken)
            .filter(|(_, taken)| !**taken)
            .map(|(object, _)| object)
    }
}

/// The `.yaml` and `.yml` files under `dir`, recursively.
fn walk(dir: &Path, out: &mut Vec<PathBuf>) -> std::io::Result<()> {
    for entry in std::fs::read_dir(dir)? {
        let entry = entry?;
        let path = entry.path();
        if entry.file_type()?.is_dir() {
            walk(&path, out)?;
        } else if path.extension().is_some_and(|e| e == "yaml" || e == "yml") {
            out.push(path);
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn ds(namespace: Option<&str>, name: &str) -> Value {
        let mut object =
            json!({"apiVersion": "apps/v1", "kind": "DaemonSet", "metadata": {"name": name}});
        if let Some(ns) = namespace {
            object["metadata"]["namespace"] = json!(ns);
        }
        object
    }

    #[test]
    fn other_kinds_are_left_out_and_identity_matches() {
        let mut side = OldSide::new();
        let config = json!({"kind": "ConfigMap", "metadata": {"name": "a", "namespace": "x"}});
        side.add(vec![config, ds(Some("x"), "a"), ds(None, "b")], "out.yaml")
            .unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(side.len(), 2);
        assert_eq!(
            side.take("x", "a").map(|o| o.origin.as_str()),
            Some("out.yaml")
        );
        assert!(side.take("y", "a").is_none());
        // No namespace: it matches by name, in any namespace.
        assert!(side.take("y", "b").is_some());
        assert_eq!(side.unmatched().count(), 0);
    }

    #[test]
    fn the_exact_namespace_wins_and_the_rest_is_unmatched() {
        let mut side = OldSide::new();
        side.add(vec![ds(None, "a"), ds(Some("x"), "a")], "f")
            .unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(
            side.take("x", "a").and_then(OldObject::namespace),
            Some("x")
        );
        let left: Vec<Option<&str>> = side.unmatched().map(OldObject::namespace).collect();
        assert_eq!(left, [None]);
    }

    #[test]
    fn one_identity_twice_names_both_files() {
        let mut side = OldSide::new();
        side.add(vec![ds(Some("x"), "a")], "one.yaml")
            .unwrap_or_else(|e| panic!("{e}"));
        let err = side.add(vec![ds(Some("x"), "a")], "two.yaml").err();
        assert_eq!(
            err.map(|e| e.to_string()).as_deref(),
            Some("DaemonSet x/a is in both one.yaml and two.yaml")
        );
    }
}
