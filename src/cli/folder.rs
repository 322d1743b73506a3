//! The output folder of `dsc build -o DIR`: each spec's files are staged as soon as it
//! compiles (a temporary file, written and closed, so a build holds a handful of files open
//! however many it writes), then renamed into place all together once every spec compiled, or
//! removed when any failed. A file that already holds its output is neither staged nor touched.
//! `--check` compares instead of writing.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use tempfile::TempPath;

use super::atomic;
use super::jobs::JobsArgs;

/// A folder being written into.
pub struct OutputFolder {
    dir: PathBuf,
    /// The folders this run created (innermost first), removed again if nothing is written.
    created: Vec<PathBuf>,
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
        atomic::sweep(dir);
        Ok(OutputFolder {
            dir: dir.to_path_buf(),
            created,
        })
    }

    /// Stages `text` as `name` unless the file already holds it.
    pub fn stage(&self, name: &str, text: &str) -> Result<Staged, String> {
        let path = self.dir.join(name);
        if std::fs::read(&path).is_ok_and(|current| current == text.as_bytes()) {
            return Ok(Staged::Unchanged);
        }
        atomic::stage(&self.dir, text, None)
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
        for dir in &self.created {
            let _ = std::fs::remove_dir(dir);
        }
    }
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

/// The `.yaml` files in `dir` that no spec compiles to, sorted.
pub fn stale(dir: &Path, outputs: &BTreeSet<&str>) -> Vec<PathBuf> {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return Vec::new();
    };
    let mut stale: Vec<PathBuf> = entries
        .filter_map(|e| e.ok())
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| n.ends_with(".yaml") && !outputs.contains(n.as_str()))
        .map(|n| dir.join(n))
        .collect();
    stale.sort();
    stale
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
    fn an_existing_folder_stays() {
        let root = tempfile::tempdir().unwrap();
        let folder = OutputFolder::prepare(root.path()).unwrap();
        folder.abandon();
        assert!(root.path().exists());
    }
}
