//! A repository of agents that share one library, built for three environments in one `dsc
//! build` (600 outputs from 200 specs), against 200 standalone specs: what composition costs.
//! Run with `cargo bench --bench composed`.

use std::path::Path;
use std::time::Duration;

use criterion::{criterion_group, criterion_main, BenchmarkId, Criterion};

#[path = "fleet/mod.rs"]
mod fleet;

/// A build into a new folder each time. The folders are deleted with the temporary folder at
/// the end: creating files right after deleting as many makes ext4 scan the recently freed
/// inodes at every create.
fn build(specs: &Path, outs: &Path, run: &mut usize) {
    *run += 1;
    fleet::build(specs, &outs.join(run.to_string()));
}

fn bench(c: &mut Criterion) {
    let n = 200;
    let dir = tempfile::tempdir().expect("a temporary folder");
    let repo = dir.path().join("repo");
    fleet::write_repo(&repo, n, &["staging", "prod", "dev"]);
    let standalone = dir.path().join("standalone");
    fleet::write_agents(&standalone, n);
    let outs = dir.path().join("out");
    let mut run = 0;
    let mut group = c.benchmark_group("composed");
    group.sample_size(20);
    group.measurement_time(Duration::from_secs(10));
    group.bench_with_input(
        BenchmarkId::new("one library, 3 environments", n),
        &n,
        |b, _| b.iter(|| build(&repo.join("agents"), &outs, &mut run)),
    );
    group.bench_with_input(BenchmarkId::new("standalone", n), &n, |b, _| {
        b.iter(|| build(&standalone, &outs, &mut run))
    });
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
