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

const SIZES: [usize; 5] = [1_000, 10_000, 100_000, 1_000_000, 10_000_000];
const RENDERED: usize = 100;

/// Repeats `unit` (numbered by `{i}`) after `head` until the text has `size` bytes, then `tail`.
fn fill(head: &str, unit: &str, tail: &str, size: usize) -> String {
    let mut text = String::with_capacity(size + 64);
    text.push_str(head);
    let mut i = 0;
    while text.len() + tail.len() < size {
        text.push_str(&unit.replace("{i}", &i.to_string()));
        i += 1;
    }
    text.push_str(tail);
    text
}

fn shapes(size: usize) -> Vec<(&'static str, String)> {
    let container = "daemonset a in b {\n  container c {\n    image r.example.com/c:1.0\n";
    vec![
        (
            "unclosed braces",
            fill(&"x {\n".repeat(60), "  a {i}\n", "", size),
        ),
        (
            "an error per line",
            fill(container, "    bogus-key {i}\n", "  }\n}\n", size),
        ),
        ("one long line", fill("", "x", " {\n", size)),
        (
            "deep lists",
            fill(
                container,
                &format!("    args {}a{{i}}{}\n", "[".repeat(60), "]".repeat(60)),
                "  }\n}\n",
                size,
            ),
        ),
        (
            "valid statements",
            fill(
                container,
                "    env VAR_{i} = \"value {i}\"\n",
                "  }\n}\n",
                size,
            ),
        ),
    ]
}

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
