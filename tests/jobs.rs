//! Builds on many threads give what one thread gives: the same files, byte for byte, the same
//! YAML on stdout, the same diagnostics in the same order; and a failing spec anywhere in a
//! parallel build leaves nothing behind.

mod common;

#[path = "../benches/fleet/mod.rs"]
mod fleet;

use common::{dsc, files_under as contents};

#[test]
fn a_folder_built_on_many_threads_is_byte_identical_to_one_built_on_one() {
    let dir = tempfile::tempdir().unwrap();
    let specs = dir.path().join("specs");
    fleet::write_agents(&specs, 300);
    let mut outputs = Vec::new();
    for jobs in ["1", "2", "7"] {
        let out = dir.path().join(format!("out-{jobs}"));
        dsc()
            .args(["build", "-j", jobs])
            .arg(&specs)
            .arg("-o")
            .arg(&out)
            .assert()
            .success();
        outputs.push(contents(&out));
    }
    assert_eq!(outputs[0].len(), 300);
    assert!(outputs.iter().all(|o| *o == outputs[0]));
}

#[test]
fn stdout_and_diagnostics_do_not_depend_on_the_number_of_threads() {
    let dir = tempfile::tempdir().unwrap();
    let specs = dir.path().join("specs");
    fleet::write_agents(&specs, 60);
    // A warning in some specs (a floating tag), so diagnostics of many files interleave.
    for i in (0..60).step_by(7) {
        let path = specs.join(format!("fluent-bit-{}.ds", i / 4 * 4));
        let text = std::fs::read_to_string(&path).unwrap();
        std::fs::write(&path, text.replace("fluent-bit:2.2.0", "fluent-bit")).unwrap();
    }
    let run = |jobs: &str| {
        let output = dsc()
            .args(["build", "-j", jobs])
            .arg(&specs)
            .output()
            .unwrap();
        assert!(output.status.success());
        (output.stdout, output.stderr)
    };
    let (one_out, one_err) = run("1");
    let (many_out, many_err) = run("8");
    assert!(String::from_utf8_lossy(&one_err).contains("warning"));
    assert_eq!(one_out, many_out);
    assert_eq!(
        String::from_utf8_lossy(&one_err),
        String::from_utf8_lossy(&many_err)
    );
    let check = |jobs: &str| {
        let output = dsc()
            .args(["check", "--format", "short", "-j", jobs])
            .arg(&specs)
            .output()
            .unwrap();
        String::from_utf8_lossy(&output.stderr).into_owned()
    };
    let one = check("1");
    assert!(one.contains("DS"), "{one}");
    assert_eq!(one, check("8"));
}

#[test]
fn one_bad_spec_in_a_parallel_build_writes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let specs = dir.path().join("specs");
    fleet::write_agents(&specs, 200);
    std::fs::write(specs.join("zz-broken.ds"), "daemonset broken {\n").unwrap();
    let out = dir.path().join("out/deeper");
    dsc()
        .args(["build", "-j", "4"])
        .arg(&specs)
        .arg("-o")
        .arg(&out)
        .assert()
        .code(1);
    // The folders the build created for its output are gone again, staged files with them.
    assert_eq!(names(dir.path()), ["specs"]);
}

/// The names in `dir`, sorted.
fn names(dir: &std::path::Path) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    names
}

#[test]
fn a_failed_build_into_a_new_folder_leaves_nothing_beside_it() {
    let dir = tempfile::tempdir().unwrap();
    let specs = dir.path().join("specs");
    fleet::write_agents(&specs, 50);
    std::fs::write(specs.join("zz-broken.ds"), "daemonset broken {\n").unwrap();
    // The new folder is built beside its place: that is where nothing may be left.
    dsc()
        .args(["build", "-j", "2"])
        .arg(&specs)
        .arg("-o")
        .arg(dir.path().join("out"))
        .assert()
        .code(1);
    assert_eq!(names(dir.path()), ["specs"]);
}

#[test]
fn a_folder_that_exists_keeps_only_its_own_files_after_a_failed_build() {
    let dir = tempfile::tempdir().unwrap();
    let specs = dir.path().join("specs");
    fleet::write_agents(&specs, 50);
    let out = dir.path().join("out");
    std::fs::create_dir(&out).unwrap();
    std::fs::write(out.join("rbac.yaml"), "kind: ClusterRole\n").unwrap();
    std::fs::write(
        specs.join("broken.ds"),
        "daemonset broken in x {\n  bogus 1\n}\n",
    )
    .unwrap();
    dsc()
        .arg("build")
        .arg(&specs)
        .arg("-o")
        .arg(&out)
        .assert()
        .code(1);
    assert_eq!(
        contents(&out),
        vec![("rbac.yaml".to_string(), b"kind: ClusterRole\n".to_vec())]
    );
}

#[test]
fn an_unreadable_spec_in_a_parallel_build_writes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let specs = dir.path().join("specs");
    fleet::write_agents(&specs, 100);
    // Read first, so the specs after it are staged by the time it fails.
    std::fs::write(specs.join("a-not-utf8.ds"), b"\xff\xfe").unwrap();
    let out = dir.path().join("out/deeper");
    dsc()
        .args(["build", "-j", "3"])
        .arg(&specs)
        .arg("-o")
        .arg(&out)
        .assert()
        .code(2)
        .stderr(predicates::str::contains("a-not-utf8.ds"));
    assert_eq!(names(dir.path()), ["specs"]);
}
