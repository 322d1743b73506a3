//! What `dsc lsp` does while someone types: a session of 50 edits, each followed by the
//! diagnostics of the whole document (the server re-checks on every change) and a completion
//! at the cursor. On a large spec (every example, three times over, about 500 lines), and inside
//! a file with braces left open to the nesting limit. Run with `cargo bench --bench editor`.

use criterion::{black_box, criterion_group, criterion_main, Criterion};
use dsc::ide;

/// The examples, each daemonset three times, renamed: a large spec that compiles.
fn large_spec() -> String {
    let dir = format!("{}/examples", env!("CARGO_MANIFEST_DIR"));
    let mut text = String::new();
    for name in ["fluent-bit", "node-exporter", "gpu-health", "cello"] {
        let spec = std::fs::read_to_string(format!("{dir}/{name}.ds")).expect("example exists");
        for i in 0..3 {
            text.push_str(&spec.replacen(
                &format!("daemonset {name}"),
                &format!("daemonset {name}-{i}"),
                1,
            ));
            text.push('\n');
        }
    }
    text
}

/// The states of the text while `line` is typed, one character at a time, before the last
/// `}` of the first container (so every state but the last has a half-written statement).
fn session(text: &str, line: &str) -> Vec<(String, usize)> {
    let at = text.find("\n  }\n").expect("a container closes") + 1;
    (0..=line.len())
        .filter(|&n| line.is_char_boundary(n))
        .map(|n| {
            let typed = &line[..n];
            let state = format!("{}{typed}\n{}", &text[..at], &text[at..]);
            (state, at + typed.len())
        })
        .collect()
}

fn run(states: &[(String, usize)]) {
    for (text, cursor) in states {
        black_box(ide::diagnostics("agent.ds", text));
        black_box(ide::completions(text, *cursor));
    }
}

fn bench(c: &mut Criterion) {
    // 50 states: an empty line, then 49 characters.
    let line = "    env LOG_FORMAT = configmap agent-settings/for";
    let large = session(&large_spec(), line);
    assert_eq!(large.len(), 50);
    println!("large spec: {} lines", large[0].0.lines().count());
    c.bench_function("editor: 50 edits, large spec", |b| b.iter(|| run(&large)));

    let mut open = "daemonset a in b {\n  container c {\n".to_string();
    for depth in 0..13 {
        open.push_str(&format!("{}x{depth} {{\n", "  ".repeat(depth + 2)));
    }
    for i in 0..500 {
        open.push_str(&format!("    env V{i}=value\n"));
    }
    open.push_str("  }\n");
    let unclosed = session(&open, line);
    c.bench_function("editor: 50 edits, 15 unclosed braces", |b| {
        b.iter(|| run(&unclosed))
    });
}

criterion_group!(benches, bench);
criterion_main!(benches);
