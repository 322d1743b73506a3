//! A generated fleet of agents for the whole-directory benches and tests: the bundled examples
//! in turn, each renamed `NAME-I`, so `n` specs compile to `n` distinct DaemonSets.

// Each bench or test that includes this module uses part of it.
#![allow(dead_code)]

use std::path::Path;

const EXAMPLES: [&str; 4] = ["fluent-bit", "node-exporter", "gpu-health", "cello"];

/// `n` specs as (file name, text).
pub fn agents(n: usize) -> Vec<(String, String)> {
    let sources: Vec<(&str, String)> = EXAMPLES
        .iter()
        .map(|name| {
            let path = format!("{}/examples/{name}.ds", env!("CARGO_MANIFEST_DIR"));
            let text = std::fs::read_to_string(&path).expect("the bundled examples exist");
            (*name, text)
        })
        .collect();
    (0..n)
        .map(|i| {
            let (name, text) = &sources[i % sources.len()];
            let renamed = text.replacen(
                &format!("\ndaemonset {name} "),
                &format!("\ndaemonset {name}-{i} "),
                1,
            );
            assert_ne!(&renamed, text, "{name}.ds starts its daemonset on a line");
            (format!("{name}-{i}.ds"), renamed)
        })
        .collect()
}

/// Writes `n` specs into `dir` (created).
pub fn write_agents(dir: &Path, n: usize) {
    std::fs::create_dir_all(dir).expect("the fleet folder can be created");
    for (name, text) in agents(n) {
        std::fs::write(dir.join(name), text).expect("a spec can be written");
    }
}

const FLEET: [&str; 3] = ["fluent-bit", "node-exporter", "node-local-dns"];

/// A repository of `n` agents that share the library of `examples/fleet` and are built for
/// `envs` environments: `dsc.ds`, `lib/node-agent.ds` and `agents/NAME-I.ds` under `dir`.
pub fn write_repo(dir: &Path, n: usize, envs: &[&str]) {
    let example = format!("{}/examples/fleet", env!("CARGO_MANIFEST_DIR"));
    let read = |relative: &str| {
        std::fs::read_to_string(format!("{example}/{relative}")).expect("examples/fleet exists")
    };
    std::fs::create_dir_all(dir.join("lib")).expect("a folder");
    std::fs::create_dir_all(dir.join("agents")).expect("a folder");
    std::fs::write(
        dir.join("dsc.ds"),
        format!("environments {}\n", envs.join(" ")),
    )
    .expect("written");
    // The example's overlays name its environments: every one named here must be declared.
    let library = read("lib/node-agent.ds");
    std::fs::write(dir.join("lib/node-agent.ds"), library).expect("written");
    let sources: Vec<(&str, String)> = FLEET
        .iter()
        .map(|name| (*name, read(&format!("agents/{name}.ds"))))
        .collect();
    for i in 0..n {
        let (name, text) = &sources[i % sources.len()];
        let renamed = text.replacen(
            &format!("\ndaemonset {name} "),
            &format!("\ndaemonset {name}-{i} "),
            1,
        );
        assert_ne!(&renamed, text, "{name}.ds starts its daemonset on a line");
        std::fs::write(dir.join(format!("agents/{name}-{i}.ds")), renamed).expect("written");
    }
}

/// `dsc build SPECS -o OUT` as a process, as CI runs it; the build must succeed.
pub fn build(specs: &Path, out: &Path) {
    let status = std::process::Command::new(env!("CARGO_BIN_EXE_dsc"))
        .arg("build")
        .arg(specs)
        .arg("-o")
        .arg(out)
        .status()
        .expect("dsc runs");
    assert!(status.success(), "the agents build");
}
