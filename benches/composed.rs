//! A repository of agents that share one library, built for three environments in one `dsc
//! build` (600 outputs from 200 specs), against 200 standalone specs: what composition costs.
//! Run with `cargo bench --bench composed`.

use std::path::Path;
use std::process::Command;
use std::time::Duration;

use criterion::{criterion_group, criterion_main, BenchmarkId, Criterion};

#[path = "fleet/mod.rs"]
mod fleet;

fn build(specs: &Path, out: &Path) {
    // The last build's folder is moved aside, not deleted: creating files right after deleting
    // as many makes ext4 scan the recently freed inodes at every create. The folders go with
    // the temporary folder at the end.
    if out.exists() {
        let mut aside = out.as_os_str().to_owned();
        aside.push(format!(
            ".{}",
            std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .map_or(0, |d| d.as_nanos())
        ));
        std::fs::rename(out, aside).expect("the last build's folder moves aside");
    }
    let status = Command::new(env!("CARGO_BIN_EXE_dsc"))
        .arg("build")
        .arg(specs)
        .arg("-o")
        .arg(out)
        .status()
        .expect("dsc runs");
    assert!(status.success(), "the agents build");
}

fn bench(c: &mut Criterion) {
    let n = 200;
    let dir = tempfile::tempdir().expect("a temporary folder");
    let repo = dir.path().join("repo");
    fleet::write_repo(&repo, n, &["staging", "prod", "dev"]);
    let standalone = dir.path().join("standalone");
    fleet::write_agents(&standalone, n);
    let out = dir.path().join("out");
    let mut group = c.benchmark_group("composed");
    group.sample_size(20);
    group.measurement_time(Duration::from_secs(10));
    group.bench_with_input(
        BenchmarkId::new("one library, 3 environments", n),
        &n,
        |b, _| b.iter(|| build(&repo.join("agents"), &out)),
    );
    group.bench_with_input(BenchmarkId::new("standalone", n), &n, |b, _| {
        b.iter(|| build(&standalone, &out))
    });
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
