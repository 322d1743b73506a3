//! Whole-directory builds, as CI runs them: `dsc build DIR -o OUT` as a process over 200, 2,000
//! and 10,000 generated agents, into a fresh folder and into one that is already up to date.
//! Run with `cargo bench --bench build`; `DSC_BENCH_MAX=2000` skips the larger fleets.

use std::time::Duration;

use criterion::{criterion_group, criterion_main, BenchmarkId, Criterion};

#[path = "fleet/mod.rs"]
mod fleet;

fn bench(c: &mut Criterion) {
    let max: usize = std::env::var("DSC_BENCH_MAX")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(10_000);
    let mut group = c.benchmark_group("build");
    group.sample_size(10);
    // Every fleet's folder stays until the end: deleting the outputs of one size right before
    // the next size builds would slow its creates down (see below).
    let mut folders = Vec::new();
    for n in [200, 2_000, 10_000].into_iter().filter(|n| *n <= max) {
        let dir = tempfile::tempdir().expect("a temporary folder");
        let specs = dir.path().join("specs");
        fleet::write_agents(&specs, n);
        group.measurement_time(Duration::from_secs(if n > 2_000 { 30 } else { 10 }));
        // Each fresh build goes to a new folder name; the folders are deleted after the bench.
        // Deleting thousands of files right before creating as many makes ext4 scan the
        // recently freed inodes at every create (`recently_deleted`): a build into a folder
        // just emptied measured the file system's allocator, not dsc (2.9 s against 2.1 s
        // for 10,000 agents here).
        let mut run = 0;
        group.bench_with_input(BenchmarkId::new("fresh folder", n), &n, |b, _| {
            b.iter_batched(
                || {
                    run += 1;
                    dir.path().join(format!("fresh-{run}"))
                },
                |out| fleet::build(&specs, &out),
                criterion::BatchSize::PerIteration,
            )
        });
        let out = dir.path().join("out");
        fleet::build(&specs, &out);
        group.bench_with_input(BenchmarkId::new("up to date", n), &n, |b, _| {
            b.iter(|| fleet::build(&specs, &out))
        });
        folders.push(dir);
    }
    group.finish();
    drop(folders);
}

criterion_group!(benches, bench);
criterion_main!(benches);
