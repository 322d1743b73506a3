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
                label.span.start <= label.span.end && label.span.end <= text.len(),
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
