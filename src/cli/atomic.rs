//! Atomic writes: a file is written under a temporary name in its own directory, then renamed
//! over the target, so a reader never sees half a file.
//!
//! A folder that does not exist yet is built the same way: under a temporary name beside its
//! place, its files written straight into it, then renamed into place whole.
//!
//! Temporary files and folders are named `.dsc-tmp-PID-…`. A process killed between the write
//! and the rename leaves one behind; the next `dsc build -o` or `dsc fmt` in that folder removes
//! those whose process is gone (or that are over an hour old, where a process cannot be looked
//! up), and `dsc build -o DIR --check` reports them.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::time::{Duration, SystemTime};

use tempfile::TempPath;

/// The start of every temporary file name dsc uses.
pub const TEMP_PREFIX: &str = ".dsc-tmp-";

/// A temporary file older than this is a leftover whoever wrote it.
const STALE_AFTER: Duration = Duration::from_secs(60 * 60);

/// Writes `text` to a new temporary file in `dir` and closes it: staging many files holds no
/// file descriptor open. Dropping the result removes the file. `permissions` are those of the
/// file being replaced; without them, the mode of a new file under the process's umask.
pub fn stage(
    dir: &Path,
    text: &str,
    permissions: Option<std::fs::Permissions>,
) -> std::io::Result<TempPath> {
    let mut builder = tempfile::Builder::new();
    builder.prefix(prefix());
    // A new file gets the mode any other program's would (0666 less the umask), not the
    // owner-only mode of a temporary file: the output is meant to be read.
    #[cfg(unix)]
    if permissions.is_none() {
        use std::os::unix::fs::PermissionsExt;
        builder.permissions(std::fs::Permissions::from_mode(0o666));
    }
    let mut tmp = builder.tempfile_in(dir)?;
    tmp.write_all(text.as_bytes())?;
    tmp.flush()?;
    if let Some(permissions) = permissions {
        tmp.as_file().set_permissions(permissions)?;
    }
    Ok(tmp.into_temp_path())
}

/// The start of this process's temporary names, made once: a build of many files asks for it
/// per file.
fn prefix() -> &'static str {
    static PREFIX: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    PREFIX.get_or_init(|| format!("{TEMP_PREFIX}{}-", std::process::id()))
}

/// Makes a new, empty folder under a temporary name in `dir` (with the mode any new folder
/// gets), for a folder to be built and then renamed into place with [`std::fs::rename`].
pub fn stage_folder(dir: &Path) -> std::io::Result<PathBuf> {
    static NEXT: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(0);
    loop {
        let n = NEXT.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        let path = dir.join(format!("{}d{n}", prefix()));
        match std::fs::create_dir(&path) {
            // A leftover of an earlier process that had this pid.
            Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => continue,
            made => return made.map(|()| path),
        }
    }
}

/// Renames a staged file over `target`.
pub fn commit(staged: TempPath, target: &Path) -> std::io::Result<()> {
    staged.persist(target).map_err(|e| e.error)
}

/// The temporary files and folders in `dir` that a dsc process no longer running left behind.
pub fn leftovers(dir: &Path) -> Vec<PathBuf> {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return Vec::new();
    };
    let mut found: Vec<PathBuf> = entries
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_ok_and(|t| t.is_file() || t.is_dir()))
        .filter(|e| {
            let name = e.file_name();
            let Some(rest) = name.to_str().and_then(|n| n.strip_prefix(TEMP_PREFIX)) else {
                return false;
            };
            let pid = rest.split('-').next().and_then(|p| p.parse::<u32>().ok());
            let old = e
                .metadata()
                .and_then(|m| m.modified())
                .ok()
                .and_then(|m| SystemTime::now().duration_since(m).ok())
                .is_some_and(|age| age > STALE_AFTER);
            old || pid.is_some_and(|pid| pid != std::process::id() && !running(pid))
        })
        .map(|e| e.path())
        .collect();
    found.sort();
    found
}

/// Removes the leftovers in `dir`; returns how many were removed.
pub fn sweep(dir: &Path) -> usize {
    leftovers(dir)
        .iter()
        .filter(|path| {
            std::fs::remove_file(path)
                .or_else(|_| std::fs::remove_dir_all(path))
                .is_ok()
        })
        .count()
}

/// Whether a process runs, where the system says (Linux's `/proc`); elsewhere it is assumed
/// to, and only age makes its files leftovers.
fn running(pid: u32) -> bool {
    let proc = Path::new("/proc");
    !proc.join("self").exists() || proc.join(pid.to_string()).exists()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn staged_files_are_named_and_committed() {
        let dir = tempfile::tempdir().unwrap();
        let staged = stage(dir.path(), "a: 1\n", None).unwrap();
        let name = staged.file_name().unwrap().to_string_lossy().into_owned();
        assert!(name.starts_with(&format!("{TEMP_PREFIX}{}-", std::process::id())));
        // A file of this process is not a leftover.
        assert!(leftovers(dir.path()).is_empty());
        commit(staged, &dir.path().join("a.yaml")).unwrap();
        assert_eq!(
            std::fs::read_to_string(dir.path().join("a.yaml")).unwrap(),
            "a: 1\n"
        );
        assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 1);
    }

    #[cfg(unix)]
    #[test]
    fn a_new_file_gets_the_mode_of_any_new_file() {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("plain"), "x").unwrap();
        commit(
            stage(dir.path(), "x", None).unwrap(),
            &dir.path().join("staged"),
        )
        .unwrap();
        let mode = |name: &str| {
            std::fs::metadata(dir.path().join(name))
                .unwrap()
                .permissions()
                .mode()
        };
        assert_eq!(mode("staged"), mode("plain"));
    }

    #[test]
    fn files_of_a_gone_process_are_swept() {
        let dir = tempfile::tempdir().unwrap();
        // No process has a pid this large (Linux allows at most 2^22).
        let gone = dir.path().join(format!("{TEMP_PREFIX}4294967295-abcdef"));
        std::fs::write(&gone, "half").unwrap();
        let gone_folder = dir.path().join(format!("{TEMP_PREFIX}4294967295-d0"));
        std::fs::create_dir_all(gone_folder.join("logging")).unwrap();
        std::fs::write(gone_folder.join("logging/a.yaml"), "a").unwrap();
        let other = dir.path().join(".tmpXYZ");
        std::fs::write(&other, "not ours").unwrap();
        let mine = stage_folder(dir.path()).unwrap();
        if Path::new("/proc/self").exists() {
            assert_eq!(
                leftovers(dir.path()),
                vec![gone.clone(), gone_folder.clone()]
            );
            assert_eq!(sweep(dir.path()), 2);
            assert!(!gone.exists() && !gone_folder.exists());
        }
        assert!(other.exists());
        // A folder this process is building is not a leftover.
        assert!(mine.is_dir());
    }
}
