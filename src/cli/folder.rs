//! The output folder of `dsc build -o DIR`: each spec's files are staged as soon as it
//! compiles (written and closed, so a build holds a handful of files open however many it
//! writes), then put in place all together once every spec compiled, or removed when any
//! failed. In a folder that exists, each output is a temporary file beside its target, renamed
//! over it; a file that already holds its output is neither staged nor touched. A folder that
//! does not exist yet (the output folder, an environment's, a namespace's) is built under a
//! temporary name beside its place, its files written straight into it, and renamed into place
//! once: one rename for the folder instead of one per file. `--check` compares instead of
//! writing.
//!
//! A DaemonSet is written to `NAMESPACE/NAME.yaml`: the path is a function of the object's
//! identity alone, so two DaemonSets of one name in different namespaces share a folder, and
//! adding a spec never moves another's file.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::Mutex;

use tempfile::TempPath;

use super::atomic;
use super::jobs::JobsArgs;

/// A folder being written into. Dropped before [`OutputFolder::commit`] succeeded, it leaves
/// nothing behind: the folders it was building and the folders above it that it created go.
pub struct OutputFolder {
    dir: PathBuf,
    /// The folders above `dir` this run created (innermost first), removed again if nothing
    /// is written.
    created: Vec<PathBuf>,
    places: Mutex<Places>,
}

/// Where each folder's files go, found once per folder and run.
#[derive(Default)]
struct Places {
    /// By folder, relative to the output folder (`""` is the output folder itself).
    known: HashMap<PathBuf, Place>,
    /// The folders this run makes, outermost only: (temporary name, place), in the order made.
    new: Vec<(PathBuf, PathBuf)>,
    /// Whether everything is in place.
    committed: bool,
}

#[derive(Clone)]
enum Place {
    /// A folder that exists: each file is staged beside its target and renamed over it.
    Existing(PathBuf),
    /// A folder this run makes (or one inside it), under its temporary name: files are
    /// written into it directly and come into place with it.
    New(PathBuf),
}

/// One output file, ready to be committed.
pub enum Staged {
    /// The file already holds this output.
    Unchanged,
    /// The output, in a temporary file beside its target.
    Written(TempPath),
    /// The output, written in a folder this run makes; it comes into place with the folder.
    InNewFolder,
}

impl OutputFolder {
    /// Finds or starts `dir` and removes the temporary files and folders interrupted runs left
    /// there. A `dir` that does not exist is made under a temporary name (its parents are
    /// created) and comes into place at [`OutputFolder::commit`].
    pub fn prepare(dir: &Path) -> Result<Self, String> {
        // Files are staged by absolute path: in a relative folder, each would ask for the
        // current folder.
        let absolute = std::path::absolute(dir).unwrap_or_else(|_| dir.to_path_buf());
        let cannot_create = |e: std::io::Error| format!("cannot create {}: {e}", dir.display());
        let mut folder = OutputFolder {
            dir: dir.to_path_buf(),
            created: Vec::new(),
            places: Mutex::default(),
        };
        let place = match is_folder(&absolute) {
            Ok(true) => {
                for inside in folders(dir) {
                    atomic::sweep(&inside);
                }
                Place::Existing(absolute)
            }
            Ok(false) => {
                let parent = absolute.parent().unwrap_or(Path::new("/")).to_path_buf();
                folder.created = parent
                    .ancestors()
                    .take_while(|p| !p.as_os_str().is_empty() && !p.exists())
                    .map(Path::to_path_buf)
                    .collect();
                std::fs::create_dir_all(&parent).map_err(cannot_create)?;
                atomic::sweep(&parent);
                // A failure from here on drops `folder`, which removes the parents made.
                folder
                    .places
                    .get_mut()
                    .unwrap_or_else(|e| e.into_inner())
                    .begin(&parent, absolute)
                    .map_err(cannot_create)?
            }
            Err(e) => return Err(cannot_create(e)),
        };
        folder
            .places
            .get_mut()
            .unwrap_or_else(|e| e.into_inner())
            .known
            .insert(PathBuf::new(), place);
        Ok(folder)
    }

    /// The folder written into.
    pub fn dir(&self) -> &Path {
        &self.dir
    }

    /// Stages `text` as `name` (a path relative to the folder, as [`output_path`] gives)
    /// unless the file already holds it; the subfolder is made if needed.
    pub fn stage(&self, name: &str, text: &str) -> Result<Staged, String> {
        let relative = Path::new(name);
        let (Some(file), parent) = (relative.file_name(), relative.parent()) else {
            return Err(format!(
                "cannot write {}: not a file name",
                self.dir.join(name).display()
            ));
        };
        let place = self
            .places
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .find(parent.unwrap_or(Path::new("")), self)?;
        let cannot_write =
            |e: std::io::Error| format!("cannot write {}: {e}", self.dir.join(name).display());
        match place {
            Place::New(folder) => std::fs::write(folder.join(file), text)
                .map(|()| Staged::InNewFolder)
                .map_err(cannot_write),
            Place::Existing(folder) => {
                if std::fs::read(folder.join(file)).is_ok_and(|current| current == text.as_bytes())
                {
                    return Ok(Staged::Unchanged);
                }
                atomic::stage(&folder, text, None)
                    .map(Staged::Written)
                    .map_err(cannot_write)
            }
        }
    }

    /// Puts every staged file in place, on the threads of `jobs`, then every folder this run
    /// made; the first failure in order is the one reported.
    pub fn commit(&self, staged: Vec<(String, Staged)>, jobs: &JobsArgs) -> Result<(), String> {
        let written: Vec<(String, TempPath)> = staged
            .into_iter()
            .filter_map(|(name, staged)| match staged {
                Staged::Written(tmp) => Some((name, tmp)),
                Staged::Unchanged | Staged::InNewFolder => None,
            })
            .collect();
        jobs.map_owned(written, |(name, tmp)| {
            let path = self.dir.join(name);
            atomic::commit(tmp, &path).map_err(|e| format!("cannot write {}: {e}", path.display()))
        })
        .into_iter()
        .collect::<Result<(), String>>()?;
        let mut places = self.places.lock().unwrap_or_else(|e| e.into_inner());
        let mut renamed = 0;
        let result = places.new.iter().try_for_each(|(temporary, place)| {
            std::fs::rename(temporary, place)
                .map_err(|e| format!("cannot write {}: {e}", place.display()))?;
            renamed += 1;
            Ok(())
        });
        // What is left (after a failure) is removed on drop.
        places.new.drain(..renamed);
        places.committed = result.is_ok();
        result
    }

    /// Nothing is written after all: the folders this run made or created go again (staged
    /// files are removed when dropped).
    pub fn abandon(self) {
        drop(self);
    }
}

impl Drop for OutputFolder {
    fn drop(&mut self) {
        let places = self.places.get_mut().unwrap_or_else(|e| e.into_inner());
        for (temporary, _) in places.new.drain(..) {
            let _ = std::fs::remove_dir_all(temporary);
        }
        if !places.committed {
            // Innermost first: a folder is removed only once it is empty.
            for dir in &self.created {
                let _ = std::fs::remove_dir(dir);
            }
        }
    }
}

/// Whether `path` is a folder (or a link to one), `false` when nothing is there, and an error
/// when something else is in the way: a file, or a link to nothing, which renaming a new folder
/// into place would replace.
fn is_folder(path: &Path) -> std::io::Result<bool> {
    let in_the_way = |what: &str| {
        std::io::Error::new(
            std::io::ErrorKind::AlreadyExists,
            format!("{what} of that name is in the way"),
        )
    };
    match std::fs::metadata(path) {
        Ok(meta) if meta.is_dir() => Ok(true),
        Ok(_) => Err(in_the_way("a file")),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            match std::fs::symlink_metadata(path) {
                Ok(_) => Err(in_the_way("a link to nothing")),
                Err(_) => Ok(false),
            }
        }
        Err(e) => Err(e),
    }
}

impl Places {
    /// Starts the folder `place`, which does not exist yet, under a temporary name in `beside`
    /// (its parent): it comes into place at commit.
    fn begin(&mut self, beside: &Path, place: PathBuf) -> std::io::Result<Place> {
        let temporary = atomic::stage_folder(beside)?;
        self.new.push((temporary.clone(), place));
        Ok(Place::New(temporary))
    }

    /// Where the files of `relative` (a folder inside the output folder) go, making it (under
    /// a temporary name, or inside a folder this run makes) when it does not exist.
    fn find(&mut self, relative: &Path, folder: &OutputFolder) -> Result<Place, String> {
        if let Some(place) = self.known.get(relative) {
            return Ok(place.clone());
        }
        let (Some(last), Some(parent)) = (relative.file_name(), relative.parent()) else {
            return Err(format!(
                "cannot create {}: not a folder name",
                folder.dir.join(relative).display()
            ));
        };
        let cannot_create = |e: std::io::Error| {
            format!("cannot create {}: {e}", folder.dir.join(relative).display())
        };
        let place = match self.find(parent, folder)? {
            Place::New(outer) => {
                let inside = outer.join(last);
                std::fs::create_dir(&inside).map_err(cannot_create)?;
                Place::New(inside)
            }
            Place::Existing(outer) => {
                let target = outer.join(last);
                if is_folder(&target).map_err(cannot_create)? {
                    Place::Existing(target)
                } else {
                    self.begin(&outer, target).map_err(cannot_create)?
                }
            }
        };
        self.known.insert(relative.to_path_buf(), place.clone());
        Ok(place)
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
            .filter(|e| {
                !e.file_name()
                    .as_encoded_bytes()
                    .starts_with(atomic::TEMP_PREFIX.as_bytes())
            })
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
        assert!(matches!(staged, Staged::InNewFolder));
        assert!(!dir.exists(), "the folder is built under another name");
        drop(staged);
        folder.abandon();
        assert_eq!(std::fs::read_dir(root.path()).unwrap().count(), 0);
    }

    /// The names in `dir`, sorted.
    fn names(dir: &Path) -> Vec<String> {
        let mut names: Vec<String> = std::fs::read_dir(dir)
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        names.sort();
        names
    }

    #[test]
    fn a_new_folder_comes_into_place_whole_at_commit() {
        let root = tempfile::tempdir().unwrap();
        let dir = root.path().join("out");
        let folder = OutputFolder::prepare(&dir).unwrap();
        let staged = vec![
            (
                "logging/a.yaml".to_string(),
                folder.stage("logging/a.yaml", "a: 1\n").unwrap(),
            ),
            (
                "prod/kube-system/b.yaml".to_string(),
                folder.stage("prod/kube-system/b.yaml", "b: 1\n").unwrap(),
            ),
        ];
        // Built beside its place under a temporary name, which folders() does not list.
        assert!(!dir.exists());
        assert_eq!(names(root.path()).len(), 1);
        assert!(names(root.path())[0].starts_with(atomic::TEMP_PREFIX));
        folder.commit(staged, &JobsArgs::default()).unwrap();
        drop(folder);
        assert_eq!(names(root.path()), vec!["out"]);
        assert_eq!(
            std::fs::read_to_string(dir.join("logging/a.yaml")).unwrap(),
            "a: 1\n"
        );
        assert_eq!(
            std::fs::read_to_string(dir.join("prod/kube-system/b.yaml")).unwrap(),
            "b: 1\n"
        );
    }

    #[test]
    fn a_new_subfolder_of_an_existing_folder_comes_in_whole() {
        let root = tempfile::tempdir().unwrap();
        std::fs::create_dir(root.path().join("kept")).unwrap();
        std::fs::write(root.path().join("kept/b.yaml"), "b: 1\n").unwrap();
        let folder = OutputFolder::prepare(root.path()).unwrap();
        let a = folder.stage("logging/a.yaml", "a: 1\n").unwrap();
        let b = folder.stage("kept/b.yaml", "b: 1\n").unwrap();
        let c = folder.stage("kept/c.yaml", "c: 1\n").unwrap();
        assert!(matches!(a, Staged::InNewFolder));
        assert!(matches!(b, Staged::Unchanged));
        assert!(matches!(c, Staged::Written(_)));
        assert_eq!(
            folders(root.path()),
            vec![root.path().to_path_buf(), root.path().join("kept")]
        );
        let staged = vec![
            ("logging/a.yaml".into(), a),
            ("kept/b.yaml".into(), b),
            ("kept/c.yaml".into(), c),
        ];
        folder.commit(staged, &JobsArgs::default()).unwrap();
        drop(folder);
        assert_eq!(names(root.path()), vec!["kept", "logging"]);
        assert_eq!(names(&root.path().join("kept")), vec!["b.yaml", "c.yaml"]);
        assert_eq!(
            std::fs::read_to_string(root.path().join("logging/a.yaml")).unwrap(),
            "a: 1\n"
        );
    }

    #[test]
    fn a_file_where_a_folder_goes_is_an_error_that_says_so() {
        let root = tempfile::tempdir().unwrap();
        std::fs::write(root.path().join("logging"), "").unwrap();
        let folder = OutputFolder::prepare(root.path()).unwrap();
        let Err(e) = folder.stage("logging/a.yaml", "a: 1\n") else {
            panic!("staged under a file");
        };
        assert!(
            e.contains("logging: a file of that name is in the way"),
            "{e}"
        );
        let Err(e) = OutputFolder::prepare(&root.path().join("logging")) else {
            panic!("prepared a file");
        };
        assert!(e.contains("a file of that name is in the way"), "{e}");
    }

    #[cfg(unix)]
    #[test]
    fn a_link_to_nothing_where_a_folder_goes_is_left_alone() {
        let root = tempfile::tempdir().unwrap();
        let link = root.path().join("out");
        std::os::unix::fs::symlink(root.path().join("gone"), &link).unwrap();
        let Err(e) = OutputFolder::prepare(&link) else {
            panic!("prepared over a link");
        };
        assert!(
            e.contains("a link to nothing of that name is in the way"),
            "{e}"
        );
        std::fs::create_dir(root.path().join("kept")).unwrap();
        std::os::unix::fs::symlink(root.path().join("gone"), root.path().join("kept/logging"))
            .unwrap();
        let folder = OutputFolder::prepare(&root.path().join("kept")).unwrap();
        assert!(folder.stage("logging/a.yaml", "a: 1\n").is_err());
        drop(folder);
        assert!(std::fs::symlink_metadata(&link)
            .unwrap()
            .file_type()
            .is_symlink());
        assert!(std::fs::symlink_metadata(root.path().join("kept/logging"))
            .unwrap()
            .file_type()
            .is_symlink());
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
