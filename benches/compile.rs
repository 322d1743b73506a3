//! Compile time of realistic specs, in process: parse → check → lower → validate → emit, per stage and
//! whole. Run with `cargo bench --bench compile`.

use criterion::{black_box, criterion_group, criterion_main, Criterion};
use dsc::diagnostics::LintLevels;
use dsc::source::SourceFile;

fn example(name: &str) -> SourceFile {
    let path = format!("{}/examples/{name}", env!("CARGO_MANIFEST_DIR"));
    SourceFile::new(name, std::fs::read_to_string(path).expect("example exists"))
}

fn bench(c: &mut Criterion) {
    let lints = LintLevels::default();
    for name in [
        "fluent-bit.ds",
        "node-exporter.ds",
        "gpu-health.ds",
        "cello.ds",
    ] {
        let file = example(name);
        c.bench_function(&format!("compile {name}"), |b| {
            b.iter(|| {
                let compiled = dsc::compile(black_box(&file), &lints);
                dsc::objects_to_yaml(&compiled.manifests, &file.name)
            })
        });
    }
    let file = example("fluent-bit.ds");
    let (ast, _) = dsc::source_to_ast(&file);
    let (spec, _) = dsc::ast_to_model(&ast);
    let objects = dsc::model_to_objects(&spec);
    c.bench_function("stage parse", |b| {
        b.iter(|| dsc::source_to_ast(black_box(&file)))
    });
    c.bench_function("stage check", |b| {
        b.iter(|| dsc::ast_to_model(black_box(&ast)))
    });
    c.bench_function("stage validate", |b| {
        b.iter(|| dsc::objects_to_findings(black_box(&spec), black_box(&objects), &file, &[]))
    });
    c.bench_function("stage lower", |b| {
        b.iter(|| dsc::model_to_objects(black_box(&spec)))
    });
    c.bench_function("stage emit", |b| {
        b.iter(|| dsc::objects_to_yaml(black_box(&objects), "fluent-bit.ds"))
    });
}

criterion_group!(benches, bench);
criterion_main!(benches);
