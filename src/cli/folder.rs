//! The output folder of `dsc build -o DIR`: each spec's files are staged as soon as it
//! compiles (a temporary file, written and closed, so a build holds a handful of files open
//! however many it writes), then renamed into place all together once every spec compiled, or
//! removed when any failed. A file that already holds its output is neither staged nor touched.
//! `--check` compares instead of writing.
//!
//! A DaemonSet is written to `NAMESPACE/NAME.yaml`: the path is a function of the object's
//! identity alone, so two DaemonSets of one name in different namespaces share a folder, and
//! adding a spec never moves another's file.

use std::path::{Path, PathBuf};
use std::sync::Mutex;

use tempfile::TempPath;

use super::atomic;
use super::jobs::JobsArgs;

/// A folder being written into.
pub struct OutputFolder {
    dir: PathBuf,
    /// `dir` from the root: staging a file in a relative folder would ask for the current
    /// folder every time.
    absolute: PathBuf,
    /// The folders this run created (innermost first), removed again if nothing is written.
    created: Vec<PathBuf>,
    /// The subfolders (environments, namespaces) this run created, in the order they were made.
    created_inside: Mutex<Vec<PathBuf>>,
    /// The subfolders known to exist, so each is made (or found) once per run, and whether
    /// this run made them (a folder it made holds no earlier output to compare with).
    present: Mutex<std::collections::HashMap<PathBuf, bool>>,
}

/// One output file, ready to be committed.
pub enum Staged {
    /// The file already holds this output.
    Unchanged,
    /// The output, in a temporary file beside its target.
    Written(TempPath),
}

impl OutputFolder {
    /// Creates `dir` if needed and removes the temporary files interrupted runs left there.
    pub fn prepare(dir: &Path) -> Result<Self, String> {
        let created: Vec<PathBuf> = dir
            .ancestors()
            .take_while(|p| !p.as_os_str().is_empty() && !p.exists())
            .map(Path::to_path_buf)
            .collect();
        std::fs::create_dir_all(dir)
            .map_err(|e| format!("cannot create {}: {e}", dir.display()))?;
        for folder in folders(dir) {
            atomic::sweep(&folder);
        }
        Ok(OutputFolder {
            absolute: std::path::absolute(dir).unwrap_or_else(|_| dir.to_path_buf()),
            dir: dir.to_path_buf(),
            created,
            created_inside: Mutex::new(Vec::new()),
            present: Mutex::new(std::collections::HashMap::new()),
        })
    }

    /// The folder written into.
    pub fn dir(&self) -> &Path {
        &self.dir
    }

    /// Stages `text` as `name` (a path relative to the folder, as [`output_path`] gives)
    /// unless the file already holds it; the subfolder is created if needed.
    pub fn stage(&self, name: &str, text: &str) -> Result<Staged, String> {
        let path = self.dir.join(name);
        let parent = path.parent().unwrap_or(&self.dir);
        // `ENV/` then `ENV/NAMESPACE/` (or `NAMESPACE/`), outermost first.
        let mut missing: Vec<&Path> = parent
            .ancestors()
            .take_while(|p| *p != self.dir && p.starts_with(&self.dir))
            .collect();
        missing.reverse();
        // A folder this run made, or one inside it, holds no earlier output.
        let mut fresh = !self.created.is_empty();
        let mut present = self.present.lock().unwrap_or_else(|e| e.into_inner());
        for folder in missing {
            if let Some(made) = present.get(folder) {
                fresh |= *made;
                continue;
            }
            let made = match std::fs::create_dir(folder) {
                Ok(()) => {
                    self.created_inside
                        .lock()
                        .unwrap_or_else(|e| e.into_inner())
                        .push(folder.to_path_buf());
                    true
                }
                // An earlier run made it.
                Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => false,
                Err(e) => return Err(format!("cannot create {}: {e}", folder.display())),
            };
            present.insert(folder.to_path_buf(), made);
            fresh |= made;
        }
        drop(present);
        if !fresh && std::fs::read(&path).is_ok_and(|current| current == text.as_bytes()) {
            return Ok(Staged::Unchanged);
        }
        let folder = match parent.strip_prefix(&self.dir) {
            Ok(inside) => self.absolute.join(inside),
            Err(_) => parent.to_path_buf(),
        };
        atomic::stage(&folder, text, None)
            .map(Staged::Written)
            .map_err(|e| format!("cannot write {}: {e}", path.display()))
    }

    /// Renames every staged file into place, on the threads of `jobs`; the first failure in
    /// order is the one reported.
    pub fn commit(&self, staged: Vec<(String, Staged)>, jobs: &JobsArgs) -> Result<(), String> {
        let written: Vec<(String, TempPath)> = staged
            .into_iter()
            .filter_map(|(name, staged)| match staged {
                Staged::Written(tmp) => Some((name, tmp)),
                Staged::Unchanged => None,
            })
            .collect();
        jobs.map_owned(written, |(name, tmp)| {
            let path = self.dir.join(name);
            atomic::commit(tmp, &path).map_err(|e| format!("cannot write {}: {e}", path.display()))
        })
        .into_iter()
        .collect()
    }

    /// Nothing is written after all: the folders this run created go again (staged files are
    /// removed when dropped).
    pub fn abandon(self) {
        let inside = self
            .created_inside
            .into_inner()
            .unwrap_or_else(|e| e.into_inner());
        // Innermost first: a folder is removed only once it is empty.
        for dir in inside.iter().rev().chain(&self.created) {
            let _ = std::fs::remove_dir(dir);
        }
    }
}

/// The folder and its subfolders (not following links): where outputs and the temporary files
/// of interrupted runs may be.
pub fn folders(dir: &Path) -> Vec<PathBuf> {
    let mut found = vec![dir.to_path_buf()];
    let inside = |dir: &Path| -> Vec<PathBuf> {
        let Ok(entries) = std::fs::read_dir(dir) else {
            return Vec::new();
        };
        let mut inside: Vec<PathBuf> = entries
            .filter_map(Result::ok)
            .filter(|e| e.file_type().is_ok_and(|t| t.is_dir()))
            .map(|e| e.path())
            .collect();
        inside.sort();
        inside
    };
    // `NAMESPACE/` and, for environments, `ENV/NAMESPACE/`.
    for first in inside(dir) {
        let second = inside(&first);
        found.push(first);
        found.extend(second);
    }
    found
}

/// `--check` for one output: `None` when `dir` holds it, else a unified diff of the committed
/// file against it (secret-looking values redacted as `dsc diff` redacts them, unless
/// `show_secrets`) or a line saying it is missing.
pub fn compare(
    dir: &Path,
    name: &str,
    text: &str,
    source: &str,
    show_secrets: bool,
) -> Result<Option<String>, String> {
    let path = dir.join(name);
    match std::fs::read_to_string(&path) {
        Ok(current) if current == text => Ok(None),
        Ok(current) => {
            let (current, text) = if show_secrets {
                (current, text.to_string())
            } else {
                dsc::diff::redact_yaml_texts(&current, text)
            };
            Ok(Some(dsc::diff::unified_diff(
                Some(&current),
                &text,
                (
                    &format!("{} (committed)", path.display()),
                    &format!("{} (compiled from {source})", path.display()),
                ),
                3,
            )))
        }
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(Some(format!(
            "missing: {} (compiled from {source})\n",
            path.display()
        ))),
        Err(e) => Err(format!("cannot read {}: {e}", path.display())),
    }
}

/// Where a DaemonSet is written, relative to the output folder: `NAMESPACE/NAME.yaml`. A
/// namespace is a DNS label, so it never holds a `/` or `.` and is never `..`.
pub fn output_path(namespace: &str, name: &str) -> String {
    format!("{namespace}/{}", output_file_name(name))
}

/// Where a DaemonSet of the environment `env` is written: `ENV/NAMESPACE/NAME.yaml` (an
/// environment's name is a DNS label too); without one, [`output_path`].
pub fn output_path_in(env: Option<&str>, namespace: &str, name: &str) -> String {
    match env {
        Some(env) => format!("{env}/{}", output_path(namespace, name)),
        None => output_path(namespace, name),
    }
}

/// `NAME.yaml`, or, for a name too long for a file name (a daemonset name may have 253
/// characters, a file name 255 bytes), its first 200 characters, a hash of the whole name and
/// `.yaml`: still deterministic, so `--check` finds the file again.
pub fn output_file_name(name: &str) -> String {
    if name.len() + ".yaml".len() <= 255 {
        return format!("{name}.yaml");
    }
    // FNV-1a: a stable hash without a dependency.
    let hash = name.bytes().fold(0xcbf2_9ce4_8422_2325_u64, |h, b| {
        (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3)
    });
    let cut = (0..=200)
        .rev()
        .find(|i| name.is_char_boundary(*i))
        .unwrap_or(0);
    let stem = name[..cut].trim_end_matches(['-', '.']);
    format!("{stem}-{:08x}.yaml", hash as u32)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn long_names_fit_in_a_file_name() {
        assert_eq!(output_file_name("fluent-bit"), "fluent-bit.yaml");
        let long = "a".repeat(253);
        let file = output_file_name(&long);
        assert!(file.len() <= 255, "{file}");
        assert_eq!(file, output_file_name(&long));
        assert_ne!(file, output_file_name(&format!("{}b", "a".repeat(252))));
    }

    #[test]
    fn an_abandoned_folder_is_removed_with_the_folders_it_created() {
        let root = tempfile::tempdir().unwrap();
        let dir = root.path().join("a/b/c");
        let folder = OutputFolder::prepare(&dir).unwrap();
        let staged = folder.stage("x.yaml", "x: 1\n").unwrap();
        assert!(matches!(staged, Staged::Written(_)));
        drop(staged);
        folder.abandon();
        assert_eq!(std::fs::read_dir(root.path()).unwrap().count(), 0);
    }

    #[test]
    fn namespace_folders_made_by_an_abandoned_run_go_too() {
        let root = tempfile::tempdir().unwrap();
        std::fs::create_dir(root.path().join("kept")).unwrap();
        let folder = OutputFolder::prepare(root.path()).unwrap();
        let a = folder
            .stage(&output_path("logging", "a"), "a: 1\n")
            .unwrap();
        let b = folder.stage(&output_path("kept", "b"), "b: 1\n").unwrap();
        drop((a, b));
        folder.abandon();
        let left: Vec<_> = std::fs::read_dir(root.path())
            .unwrap()
            .map(|e| e.unwrap().file_name())
            .collect();
        assert_eq!(left, vec!["kept"]);
    }

    #[test]
    fn an_existing_folder_stays() {
        let root = tempfile::tempdir().unwrap();
        let folder = OutputFolder::prepare(root.path()).unwrap();
        folder.abandon();
        assert!(root.path().exists());
    }
}
