//! The fuzz targets' inputs replayed on stable: for each target, every file of
//! `fuzz/seeds/TARGET/` (committed, must not be empty), `fuzz/regressions/TARGET/` (saved
//! reproducers) and `fuzz/corpus/TARGET/` (the fuzzer's working corpus, when present) goes
//! through the same invariant function the fuzzer calls (`fuzz/src/lib.rs`). An input that
//! panics or takes longer than `DSC_FUZZ_REPLAY_TIMEOUT` seconds (default 30) fails the test;
//! every failing file is listed.

#[path = "../fuzz/src/lib.rs"]
mod invariants;

use std::path::{Path, PathBuf};
use std::sync::mpsc;
use std::time::Duration;

/// The regular files of `dir`, sorted; hidden files (`.gitkeep`) left out; none when `dir`
/// does not exist.
fn files(dir: &Path) -> Vec<PathBuf> {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return Vec::new();
    };
    let mut files: Vec<PathBuf> = entries
        .map(|e| e.unwrap().path())
        .filter(|p| p.is_file())
        .filter(|p| !p.file_name().unwrap().to_string_lossy().starts_with('.'))
        .collect();
    files.sort();
    files
}

fn timeout() -> Duration {
    let seconds = std::env::var("DSC_FUZZ_REPLAY_TIMEOUT")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(30);
    Duration::from_secs(seconds)
}

/// The panic message of a finished thread.
fn panic_message(handle: std::thread::JoinHandle<()>) -> String {
    match handle.join() {
        Ok(()) => "stopped without finishing".to_string(),
        Err(payload) => payload
            .downcast_ref::<String>()
            .cloned()
            .or_else(|| payload.downcast_ref::<&str>().map(|s| s.to_string()))
            .unwrap_or_else(|| "panicked".to_string()),
    }
}

/// Runs `check` on every input of `target`; panics listing each input that breaks it.
fn replay(target: &str, check: fn(&[u8])) {
    let fuzz = Path::new(env!("CARGO_MANIFEST_DIR")).join("fuzz");
    let seeds = files(&fuzz.join("seeds").join(target));
    assert!(
        !seeds.is_empty(),
        "no seeds in fuzz/seeds/{target}/: run scripts/fuzz-seeds"
    );
    let inputs = seeds
        .into_iter()
        .chain(files(&fuzz.join("regressions").join(target)))
        .chain(files(&fuzz.join("corpus").join(target)));
    let limit = timeout();
    let mut failures = Vec::new();
    let mut count = 0;
    for path in inputs {
        // A running fuzzer replaces files of its working corpus as it goes.
        let data = match std::fs::read(&path) {
            Ok(data) => data,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => continue,
            Err(e) => panic!("cannot read {}: {e}", path.display()),
        };
        count += 1;
        let (done, finished) = mpsc::channel();
        let handle = std::thread::spawn(move || {
            check(&data);
            let _ = done.send(());
        });
        let name = path.strip_prefix(&fuzz).unwrap_or(&path).display();
        match finished.recv_timeout(limit) {
            Ok(()) => {}
            // The thread keeps running until the test binary exits; the other inputs go on.
            Err(mpsc::RecvTimeoutError::Timeout) => {
                failures.push(format!("fuzz/{name}: still running after {limit:?}"));
            }
            Err(mpsc::RecvTimeoutError::Disconnected) => {
                failures.push(format!("fuzz/{name}: {}", panic_message(handle)));
            }
        }
    }
    assert!(
        failures.is_empty(),
        "{} of {count} inputs of `{target}` break an invariant:\n{}",
        failures.len(),
        failures.join("\n")
    );
}

#[test]
fn compile_inputs_keep_the_invariants() {
    replay("compile", invariants::compile);
}

#[test]
fn fmt_inputs_keep_the_invariants() {
    replay("fmt", invariants::fmt);
}

#[test]
fn import_inputs_keep_the_invariants() {
    replay("import", invariants::import);
}

#[test]
fn diff_inputs_keep_the_invariants() {
    replay("diff_input", invariants::diff_input);
}
