//! Untrusted input never panics: arbitrary text, and text assembled from the language's own
//! tokens (which reaches deep into the checker), always yields output or diagnostics.

use dsc::diagnostics::LintLevels;
use dsc::source::SourceFile;
use proptest::prelude::*;

fn compile(text: &str) {
    let file = SourceFile::new("fuzz.ds", text);
    let compiled = dsc::compile(&file, &LintLevels::default());
    if compiled.has_errors() {
        assert!(compiled.manifests.is_empty());
    }
    for d in &compiled.diagnostics {
        for label in &d.labels {
            assert!(
                label.span.start() <= label.span.end() && label.span.end() <= text.len(),
                "{d:?}"
            );
        }
        let _ = dsc::diagnostics::render::human(&file, d, false);
    }
    let _ = dsc::objects_to_yaml(&compiled.manifests, "fuzz.ds");
}

const TOKENS: &[&str] = &[
    "daemonset",
    "container",
    "init",
    "image",
    "cpu",
    "memory",
    "port",
    "env",
    "env-from",
    "labels",
    "selector",
    "pod-labels",
    "gpu",
    "mgpu",
    "rdma",
    "privileged",
    "pull",
    "command",
    "args",
    "resource",
    "a",
    "agent",
    "x/y:1",
    "100m",
    "..",
    "1Gi",
    "0",
    "-1",
    "99999",
    "=",
    "field",
    "secret",
    "configmap",
    "spec.nodeName",
    "{",
    "}",
    "[",
    "]",
    ",",
    ";",
    "\n",
    " ",
    "\"",
    "'",
    "\"\"\"",
    "#",
    "\\",
    "in",
    "type",
    "core",
    "30",
    "app=x",
    "k=",
    "=v",
    "é",
    "\t",
    "limits.cpu",
    "divisor",
    "optional",
    "prefix",
    "always",
    "mount",
    "volume",
    "/var/log",
    "at",
    "ro",
    "host",
    "configmap",
    "empty-dir",
    "projected",
    "token",
    "liveness",
    "readiness",
    "startup",
    "http",
    "tcp",
    "exec",
    "grpc",
    "pre-stop",
    "sleep",
    "5s",
    "period",
    "timezone",
    "update",
    "rolling",
    "max-surge",
    "max-unavailable",
    "10%",
    "tolerate",
    "all",
    "key:NoExecute",
    "node-affinity",
    "require",
    "prefer",
    "exists",
    "gt",
    "pod-anti-affinity",
    "topology",
    "caps",
    "add",
    "drop",
    "user",
    "run-as-non-root",
    "seccomp",
    "host-network",
    "dns",
    "none",
    "nameservers",
    "grace",
    "override",
    "pod-override",
    "sidecar",
    "allow",
    "floating-tag",
    "daemonset-labels",
    "mode",
    "0644",
    "\"\"\"\nx: [\n\"\"\"",
];

proptest! {
    #![proptest_config(ProptestConfig::with_cases(2000))]

    #[test]
    fn arbitrary_text(text in "\\PC{0,200}") {
        compile(&text);
    }

    #[test]
    fn token_soup(tokens in prop::collection::vec(prop::sample::select(TOKENS), 0..80)) {
        compile(&tokens.join(" "));
    }

    #[test]
    fn token_soup_in_a_container(tokens in prop::collection::vec(prop::sample::select(TOKENS), 0..30)) {
        compile(&format!("daemonset a {{\n container b {{\n  image x:1\n  {}\n }}\n}}\n", tokens.join(" ")));
    }
}

fn examples() -> Vec<String> {
    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/examples");
    let mut texts: Vec<String> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|x| x == "ds"))
        .map(|p| std::fs::read_to_string(p).unwrap())
        .collect();
    texts.sort();
    texts
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(1000))]

    /// Real specs with a few random edits: a deleted, replaced or inserted character or token.
    #[test]
    fn mutated_examples(which in 0usize..4, edits in prop::collection::vec((0.0f64..1.0, 0usize..3, prop::sample::select(TOKENS)), 1..4)) {
        let texts = examples();
        let mut text = texts[which % texts.len()].clone();
        for (at, kind, token) in edits {
            let mut i = ((text.len() as f64) * at) as usize;
            while !text.is_char_boundary(i) {
                i -= 1;
            }
            let end = text[i..].chars().next().map_or(i, |c| i + c.len_utf8());
            match kind {
                0 => text.replace_range(i..end, ""),
                1 => text.replace_range(i..end, token),
                _ => text.insert_str(i, token),
            }
        }
        compile(&text);
    }
}

/// Deep nesting is refused before anything recurses over it.
#[test]
fn deep_nesting_does_not_overflow_the_stack() {
    for text in [
        format!("a {}{}", "[".repeat(100_000), "]".repeat(100_000)),
        format!(
            "daemonset a {}{}",
            "{ b ".repeat(50_000),
            "}".repeat(50_000)
        ),
        "[".repeat(100_000),
    ] {
        let file = SourceFile::new("deep.ds", text);
        let compiled = dsc::compile(&file, &LintLevels::default());
        assert!(compiled.diagnostics.iter().any(|d| d.code == "DS0106"));
        assert!(dsc::source_to_formatted(&file).is_err());
    }
}
