//! What dsc promises about untrusted input, as one function per fuzz target.
//!
//! Input: arbitrary bytes (a `.ds` spec, or manifests as YAML or JSON). Output: nothing; each
//! function panics (`assert!`) when the library breaks a promise on that input. The
//! `fuzz_targets/*.rs` of cargo-fuzz call them, and `tests/fuzz_replay.rs` includes this very
//! file (`#[path = "../fuzz/src/lib.rs"] mod invariants;`) to replay the seeds and saved
//! reproducers on stable, so it uses only `dsc` and `std`.
//!
//! Bytes that are not UTF-8 are read lossily: the CLI reads files as UTF-8 text, and the
//! replacement characters are text like any other.
//!
//! | target | promises checked (besides "never panics") |
//! |---|---|
//! | [`compile`] | errors mean no manifests; every diagnostic has a listed code, and labels inside the text on character boundaries; every renderer (human, short, JSON, GitHub) handles every diagnostic; manifests are in canonical form, and their YAML reads back to the same objects |
//! | [`fmt`] | a refusal is a syntax error (never "unfaithful"), and then compiling fails too; formatted text formats to itself and compiles to the same manifests, with errors exactly when the input had some |
//! | [`import`] | every DaemonSet is imported or reported as a failure; each imported statement, printed alone, is canonical for `dsc fmt` and compiles without errors to exactly its input DaemonSet in canonical form |
//! | [`diff_input`] | canonicalizing is a fixed point; an object equals itself; `compare` finds changes exactly when canonical forms differ; selecting finds every named DaemonSet; diffing and rendering never panic |

use std::sync::OnceLock;

use dsc::diagnostics::{has_errors, lookup, render, LintLevels};
use dsc::diff::DiffOptions;
use dsc::diff::{canonicalize, compare, describe, diff, read_objects, select_daemonset};
use dsc::manifest::Versions;
use dsc::print::{body_to_source, Body, FormatError};
use dsc::source::SourceFile;

/// The name the fuzzed spec is compiled under.
const FILE: &str = "fuzz.ds";

/// The compiled side of every diff: a spec with the fields the diff treats specially
/// (keyed lists, quantities, probes, secrets, the update strategy).
const NEW_SIDE: &str = r#"daemonset fluent-bit in logging {
  labels app.kubernetes.io/name=fluent-bit
  pod-annotations fluentbit.io/exclude=true
  max-unavailable 10%
  init setup {
    image busybox:1.36
    args [sh, -c, "echo --token=tok-1234-abcd"]
  }
  container fluent-bit {
    image cr-cn-beijing.volces.com/obs/fluent-bit:2.2.0
    cpu 100m..500m
    memory 128Mi..512Mi
    port http 2020
    env LOG_LEVEL=info
    env NODE_NAME = field spec.nodeName
    env DB_PASSWORD = staple-horse-battery
    env LOG_TOKEN = secret log-service/token
    mount /var/log
    mount configmap fluent-bit-config at /fluent-bit/etc/ ro
    liveness http /api/v1/health period 10s
  }
}
"#;

/// Fields the CLI's users leave out of diffs (`dsc diff --ignore`), one of each pattern form.
const IGNORE: &[&str] = &[
    "metadata.annotations[\"example.com/owner-team\"]",
    "spec.template.spec.containers.*.terminationMessagePath",
    "/spec/template/spec/containers/name=istio-proxy",
];

/// How many objects of one input are diffed: enough for lists, without slowing the fuzzer.
const MAX_DIFFS: usize = 4;

fn text_of(data: &[u8]) -> String {
    String::from_utf8_lossy(data).into_owned()
}

/// Every error diagnostic of a compilation, rendered, for assertion messages.
fn errors(file: &SourceFile, compiled: &dsc::Compiled) -> String {
    compiled
        .diagnostics
        .iter()
        .filter(|d| d.severity == dsc::diagnostics::Severity::Error)
        .map(|d| render::short(file, d))
        .collect()
}

/// What `dsc lsp` answers at one place of the text, chosen by the input's first byte (so the
/// fuzzer moves it, and each input costs one parse per request): spans inside the text, edits
/// on character boundaries, positions that convert to UTF-16 and back.
fn editor(text: &str, diagnostics: &[dsc::diagnostics::Diagnostic]) {
    use dsc::ide;
    let inside = |s: dsc::source::Span| {
        s.start() <= s.end()
            && s.end() <= text.len()
            && text.is_char_boundary(s.start())
            && text.is_char_boundary(s.end())
    };
    let choice = text.bytes().next().map_or(0, usize::from);
    let offset = choice * text.len() / 255;
    let lines = ide::lines::LineIndex::new(text);
    if let Some(h) = ide::hover(text, offset, diagnostics) {
        assert!(inside(h.span), "hover span {:?} outside the text", h.span);
    }
    for c in ide::completions(text, offset) {
        assert!(inside(c.replace), "completion replaces {:?}", c.replace);
    }
    if let Some(target) = ide::definition(text, offset) {
        assert!(inside(target), "definition {target:?} outside the text");
    }
    let at = dsc::source::clamp_to_char_boundary(text, offset);
    let (line, column) = lines.position(text, at);
    let back = lines.offset(text, line, column);
    assert!(
        back == at || text[back..at].trim_start_matches('\r').is_empty(),
        "offset {at} is ({line}, {column}), which is offset {back}"
    );
    let whole = dsc::source::Span::new(0, text.len());
    for action in ide::quick_fixes(text, diagnostics, whole) {
        assert!(
            inside(action.fix.span),
            "fix {:?} outside the text",
            action.fix
        );
    }
}

/// Target `compile`: the whole pipeline on a spec, then every renderer on its diagnostics and
/// the emitter on its manifests, and the editor's answers.
pub fn compile(data: &[u8]) {
    let file = SourceFile::new(FILE, text_of(data));
    let compiled = dsc::compile(&file, &LintLevels::default());
    let text = &file.text;
    if compiled.has_errors() {
        assert!(
            compiled.manifests.is_empty(),
            "manifests despite errors:\n{}",
            errors(&file, &compiled)
        );
    }
    for d in &compiled.diagnostics {
        assert!(
            lookup(d.code).is_some(),
            "code {} is not listed: {d:?}",
            d.code
        );
        for label in &d.labels {
            let span = label.span;
            assert!(
                span.start() <= span.end() && span.end() <= text.len(),
                "label outside the text ({} bytes): {d:?}",
                text.len()
            );
            assert!(
                text.is_char_boundary(span.start()) && text.is_char_boundary(span.end()),
                "label not on character boundaries: {d:?}"
            );
        }
        let _ = render::human(&file, d, false);
        let _ = render::short(&file, d);
        let _ = render::github(&file, d);
        let _ = render::json(&file, d).to_string();
    }
    for m in &compiled.manifests {
        assert!(
            canonicalize(m.object.clone(), &[]) == m.object,
            "{}: the manifest is not in canonical form",
            m.name
        );
    }
    editor(text, &compiled.diagnostics);
    let yaml = dsc::objects_to_yaml(&compiled.manifests, &file.name);
    if compiled.has_errors() {
        return;
    }
    let back = match read_objects(&yaml) {
        Ok(objects) => objects,
        Err(e) => panic!("the emitted YAML does not read back: {e}\n{yaml}"),
    };
    assert_eq!(
        back.len(),
        compiled.manifests.len(),
        "documents read back from:\n{yaml}"
    );
    for (read, m) in back.iter().zip(&compiled.manifests) {
        assert!(
            *read == m.object,
            "{}: the YAML reads back to another object:\n{yaml}\nread back: {read}\ncompiled: {}",
            m.name,
            m.object
        );
    }
}

/// Target `fmt`: formatting refuses only text that does not parse, is idempotent, and keeps
/// what the spec compiles to.
pub fn fmt(data: &[u8]) {
    let file = SourceFile::new(FILE, text_of(data));
    let before = dsc::compile(&file, &LintLevels::default());
    let out = match dsc::source_to_formatted(&file) {
        Ok(out) => out,
        Err(FormatError::Syntax(diagnostics)) => {
            assert!(
                has_errors(&diagnostics),
                "formatting refused without an error: {diagnostics:?}"
            );
            assert!(
                before.has_errors(),
                "formatting found a syntax error that compiling did not: {diagnostics:?}"
            );
            return;
        }
        Err(FormatError::Unfaithful(why)) => panic!("the formatted text is unfaithful: {why}"),
    };
    let formatted = SourceFile::new(FILE, out.clone());
    match dsc::source_to_formatted(&formatted) {
        Ok(again) => assert!(
            again == out,
            "formatting is not idempotent:\n--- once\n{out}\n--- twice\n{again}"
        ),
        Err(e) => panic!("the formatted text does not format: {e:?}\n{out}"),
    }
    let after = dsc::compile(&formatted, &LintLevels::default());
    assert_eq!(
        before.has_errors(),
        after.has_errors(),
        "errors before:\n{}\nerrors after formatting:\n{}\nformatted:\n{out}",
        errors(&file, &before),
        errors(&formatted, &after)
    );
    assert!(
        before.manifests == after.manifests,
        "formatting changed the manifests:\n{out}"
    );
}

/// Target `import`: manifests to specs, each proven (again, here) to compile back to exactly
/// its DaemonSet; what cannot be imported is reported, never dropped.
/// The most bytes of values an imported input may stand for, aliases expanded.
const MAX_EXPANDED: usize = 64 * 1024;

/// The bytes of the objects' JSON text, counted without writing it.
fn expanded_size(objects: &[serde_json::Value]) -> usize {
    struct Count(usize);
    impl std::io::Write for Count {
        fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
            self.0 += buf.len();
            Ok(buf.len())
        }
        fn flush(&mut self) -> std::io::Result<()> {
            Ok(())
        }
    }
    let mut count = Count(0);
    let _ = serde_json::to_writer(&mut count, objects);
    count.0
}

pub fn import(data: &[u8]) {
    let text = text_of(data);
    // `dsc check FILE.yaml` and the check before an import: every label inside the text.
    let mut refused = false;
    for versions in [Versions::Served, Versions::Legacy] {
        let file = SourceFile::new("input.yaml", text.to_string());
        let found = dsc::manifest::check_manifest(&file, versions).diagnostics;
        for d in &found {
            for label in &d.labels {
                assert!(
                    label.span.end() <= text.len() && label.span.start() <= label.span.end(),
                    "a label outside the manifest: {d:?}"
                );
            }
            let _ = render::human(&file, d, false);
        }
        refused = versions == Versions::Legacy && dsc::diagnostics::has_errors(&found);
    }
    // `dsc import` refuses what the check refuses before importing it (tests/manifests.rs
    // holds it to that), so such input goes no further here either: importing it would only
    // measure text the command never reads (a few aliases can expand to a 256 KiB annotation).
    if refused {
        return;
    }
    // Aliases can make a few kilobytes a quarter of a megabyte of values that the check takes
    // (under the annotation limit). Importing that is linear (27 ms in a release build), but
    // each byte goes through import, print, compile and the round trip, and under coverage
    // instrumentation that passes the 1 s timeout; `benches/hostile.rs` measures large inputs.
    if read_objects(&text).is_ok_and(|objects| expanded_size(&objects) > MAX_EXPANDED) {
        return;
    }
    let imported = match dsc::manifests_to_specs(&text) {
        Ok(imported) => imported,
        Err(e) => {
            let _ = e.to_string();
            return;
        }
    };
    let objects = match read_objects(&text) {
        Ok(objects) => objects,
        Err(e) => panic!("imported from an input that does not read: {e}"),
    };
    let daemonsets: Vec<_> = objects
        .iter()
        .filter(|o| o["kind"] == "DaemonSet")
        .collect();
    assert_eq!(
        imported.count() + imported.failures.len(),
        daemonsets.len(),
        "DaemonSets neither imported nor reported; failures: {:?}",
        imported.failures
    );
    // Statements come in input order, skipping the DaemonSets that failed.
    let mut rest = daemonsets.iter();
    for node in &imported.body.statements {
        let spec = body_to_source(&Body::of(vec![node.clone()]));
        match dsc::print::format_source(&spec) {
            Ok(formatted) => assert!(
                formatted == spec,
                "the imported spec is not canonical for `dsc fmt`:\n{spec}\n--- formatted\n{formatted}"
            ),
            Err(e) => panic!("the imported spec does not format: {e:?}\n{spec}"),
        }
        let file = SourceFile::new("import.ds", spec.clone());
        let compiled = dsc::compile(&file, &LintLevels::default());
        assert!(
            !compiled.has_errors(),
            "the imported spec has errors:\n{}\n{spec}",
            errors(&file, &compiled)
        );
        assert_eq!(
            compiled.manifests.len(),
            1,
            "one statement, one DaemonSet:\n{spec}"
        );
        let got = canonicalize(compiled.manifests[0].object.clone(), &[]);
        // What import promises: the input's canonical form, in `default` when it names no
        // namespace, as apps/v1 (the only version dsc writes).
        let found = rest.by_ref().any(|object| {
            let mut want = canonicalize((*object).clone(), &[]);
            if let Some(meta) = want.get_mut("metadata").and_then(|m| m.as_object_mut()) {
                meta.entry("namespace").or_insert_with(|| "default".into());
            }
            if let Some(top) = want.as_object_mut() {
                top.insert("apiVersion".into(), "apps/v1".into());
            }
            want == got
        });
        assert!(
            found,
            "the imported spec compiles to none of the remaining DaemonSets:\n{spec}\ncompiles to: {got}"
        );
    }
}

/// The compiled side of the diffs: [`NEW_SIDE`] compiled once.
fn new_side() -> &'static dsc::Manifest {
    static NEW: OnceLock<dsc::Manifest> = OnceLock::new();
    NEW.get_or_init(|| {
        let file = SourceFile::new("new.ds", NEW_SIDE);
        let compiled = dsc::compile(&file, &LintLevels::default());
        match compiled.manifests.first() {
            Some(m) if !compiled.has_errors() => m.clone(),
            _ => panic!(
                "the fuzzer's own spec does not compile:\n{}",
                errors(&file, &compiled)
            ),
        }
    })
}

/// Target `diff_input`: a previous manifest or `kubectl get` dump read, selected,
/// canonicalized, compared and diffed against a compiled DaemonSet, and the report rendered.
pub fn diff_input(data: &[u8]) {
    let text = text_of(data);
    let objects = match read_objects(&text) {
        Ok(objects) => objects,
        Err(e) => {
            let _ = e.to_string();
            return;
        }
    };
    let new = new_side();
    let new_canonical = canonicalize(new.object.clone(), &[]);
    for object in &objects {
        let _ = describe(object);
        let once = canonicalize(object.clone(), &[]);
        let twice = canonicalize(once.clone(), &[]);
        assert!(
            twice == once,
            "canonicalizing is not a fixed point:\ninput: {object}\nonce:  {once}\ntwice: {twice}"
        );
        assert!(
            compare(&once, &once).is_empty(),
            "an object differs from itself: {once}"
        );
        let changes = compare(&once, &new_canonical);
        assert_eq!(
            changes.is_empty(),
            once == new_canonical,
            "compare finds changes exactly when canonical forms differ: {changes:?}\nold: {once}"
        );
    }
    if let Err(e) = select_daemonset(&objects, &new.namespace, &new.name) {
        let _ = e.to_string();
    }
    let mut selected = Vec::new();
    for object in objects.iter().filter(|o| o["kind"] == "DaemonSet") {
        let Some(name) = object["metadata"]["name"].as_str() else {
            continue;
        };
        let namespace = object["metadata"]["namespace"]
            .as_str()
            .unwrap_or(&new.namespace);
        match select_daemonset(&objects, namespace, name) {
            Ok(found) => {
                assert!(
                    found["kind"] == "DaemonSet" && found["metadata"]["name"] == name,
                    "selected {} for {namespace}/{name}",
                    describe(&found)
                );
                selected.push(found);
            }
            Err(e) => panic!("DaemonSet {namespace}/{name} is in the input but not found: {e}"),
        }
        if selected.len() == MAX_DIFFS {
            break;
        }
    }
    let ignore = match DiffOptions::parse_ignore(IGNORE) {
        Ok(ignore) => ignore,
        Err(e) => panic!("the fuzzer's own ignore paths do not parse: {e}"),
    };
    for (i, old) in selected.iter().enumerate() {
        let opts = DiffOptions {
            ignore: if i % 2 == 0 {
                Vec::new()
            } else {
                ignore.clone()
            },
            show_secrets: i % 2 == 1,
            ..DiffOptions::default()
        };
        let report = diff(Some(old), &new.object, &opts);
        let _ = (report.has_changes(), report.is_new(), report.object());
        let _ = report.render_text(false);
        let _ = report.render_text(true);
        let _ = report.render_markdown();
        let _ = report.render_json().to_string();
    }
}
