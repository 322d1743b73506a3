//! Time per byte of hostile inputs, from 1 KB to 10 MB: the whole path of `dsc check` (parse,
//! check, lower when clean, and the reports it prints, at most 100 rendered). Flat throughput
//! across sizes means time linear in the input. Run with `cargo bench --bench hostile`;
//! `DSC_BENCH_MAX=1000000` stops at 1 MB for a quicker look.
//!
//! Shapes: braces left open (the most the nesting limit allows, then the rest of the file), one
//! error per line, one long line, lists nested as deep as allowed, and a valid spec of many
//! statements for comparison.

use criterion::{black_box, criterion_group, criterion_main, BenchmarkId, Criterion, Throughput};
use dsc::diagnostics::{render, LintLevels};
use dsc::source::SourceFile;

mod shapes;
use shapes::shapes;

const SIZES: [usize; 5] = [1_000, 10_000, 100_000, 1_000_000, 10_000_000];
const RENDERED: usize = 100;

fn check(file: &SourceFile, lints: &LintLevels) -> usize {
    let compiled = dsc::compile(file, lints);
    let rendered: usize = compiled
        .diagnostics
        .iter()
        .take(RENDERED)
        .map(|d| render::human(file, d, false).len())
        .sum();
    rendered + dsc::objects_to_yaml(&compiled.manifests, &file.name).len()
}

fn bench(c: &mut Criterion) {
    let lints = LintLevels::default();
    let max: usize = std::env::var("DSC_BENCH_MAX")
        .ok()
        .and_then(|m| m.parse().ok())
        .unwrap_or(usize::MAX);
    let mut groups: Vec<(&str, Vec<(usize, SourceFile)>)> = Vec::new();
    for size in SIZES.into_iter().filter(|s| *s <= max) {
        for (i, (shape, text)) in shapes(size).into_iter().enumerate() {
            if groups.len() <= i {
                groups.push((shape, Vec::new()));
            }
            groups[i]
                .1
                .push((size, SourceFile::new("hostile.ds", text)));
        }
    }
    for (shape, files) in groups {
        let mut group = c.benchmark_group(format!("hostile/{shape}"));
        group.sample_size(10);
        for (size, file) in files {
            group.throughput(Throughput::Bytes(file.text.len() as u64));
            group.bench_with_input(BenchmarkId::from_parameter(size), &file, |b, file| {
                b.iter(|| check(black_box(file), &lints))
            });
        }
        group.finish();
    }
}

criterion_group!(benches, bench);
criterion_main!(benches);
