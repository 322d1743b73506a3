#![doc = include_str!("../ARCHITECTURE.md")]
#![forbid(unsafe_code)]

// pest without its `std` feature (see Cargo.toml) generates code that names `alloc`.
extern crate alloc;

pub mod api;
pub mod check;
pub mod codegen;
pub mod compose;
pub mod diagnostics;
pub mod diff;
pub mod emit;
pub mod ide;
pub mod import;
pub mod manifest;
pub mod model;
pub mod print;
pub mod source;
pub mod syntax;
pub mod validate;
pub mod why;
pub mod yaml;

use diagnostics::{Diagnostic, LintLevels};
use model::CheckedSpec;
use source::SourceFile;
use syntax::Ast;

/// Stage 1: text → syntax tree, with every statement that failed to parse reported.
pub fn source_to_ast(file: &SourceFile) -> (Ast, Vec<Diagnostic>) {
    syntax::parse(&file.text)
}

/// Stage 2: syntax tree → checked model, with every rule applied.
pub fn ast_to_model(ast: &Ast) -> (CheckedSpec, Vec<Diagnostic>) {
    check::check(ast)
}

/// Stage 3: checked model → Kubernetes objects, as JSON values in API field order.
pub fn model_to_objects(spec: &CheckedSpec) -> Vec<Manifest> {
    spec.daemonsets
        .iter()
        .map(|ds| Manifest {
            name: ds.name.clone(),
            namespace: ds.namespace.clone(),
            // Written in the diff's canonical form, as the API server would store it: what
            // the spec says explicitly but equals a server default is left out, so the
            // manifest, `dsc diff` and the live object agree.
            object: lower_to_value(ds),
        })
        .collect()
}

/// Stage 3b: the API server's rules on the final objects, every override merged → diagnostics
/// at the spec lines that set the fields (the argument or override line, else the statement).
///
/// One statement can write several fields (`labels` sets the object's labels, the pods' and
/// the selector's), so findings that land on the same argument with the same label are
/// reported once.
///
/// After an error in an earlier stage (`earlier`) the model lacks what failed, so only findings
/// about a value as written are kept (an invalid, unsupported, too long or repeated value at the
/// exact argument that set it): a missing, forbidden or unresolved field may just be the
/// statement that failed. A finding on the argument an earlier error points at is that error
/// again, and is left out; so is a reference to an item with findings of its own (a mount of a
/// volume with errors), which the spec's author reads at the item.
pub fn objects_to_findings(
    spec: &CheckedSpec,
    manifests: &[Manifest],
    file: &SourceFile,
    earlier: &[Diagnostic],
) -> Vec<Diagnostic> {
    use validate::locate::Locator;
    let earlier_errors = diagnostics::has_errors(earlier);
    let mut out = Vec::new();
    let blocked: foldhash::HashSet<_> = earlier
        .iter()
        .filter(|d| d.severity == diagnostics::Severity::Error)
        .filter_map(|d| d.labels.first())
        .map(|l| (l.span.start(), l.span.end()))
        .collect();
    let mut seen = foldhash::HashSet::default();
    for (ds, manifest) in spec.daemonsets.iter().zip(manifests) {
        let locator = codegen::provenance::SpecLocator::new(ds);
        let findings = validate::daemonset(&manifest.object);
        let consequence = |f: &validate::Finding| {
            f.kind == validate::Kind::NotFound
                && f.related.as_ref().is_some_and(|(at, _)| {
                    findings
                        .iter()
                        .any(|g| g.kind != validate::Kind::NotFound && g.path.strip(at).is_some())
                })
        };
        for finding in findings.iter().filter(|f| !consequence(f)) {
            let about_a_written_value = matches!(
                finding.kind,
                validate::Kind::Invalid
                    | validate::Kind::NotSupported
                    | validate::Kind::TooLong
                    | validate::Kind::Duplicate
            ) && locator.value_span(&finding.path).is_some();
            if earlier_errors && !about_a_written_value {
                continue;
            }
            let mut d = validate::locate::to_diagnostic(finding, &locator, &file.text);
            d.fit_to(&file.text);
            let Some(label) = d.labels.first() else {
                continue;
            };
            let place = (label.span.start(), label.span.end());
            if !blocked.contains(&place) && seen.insert((place, label.message.clone())) {
                out.push(d);
            }
        }
    }
    out
}

/// One DaemonSet as its canonical JSON value. Each form is dropped as soon as the next exists,
/// so no two copies of a large object are alive at once.
pub(crate) fn lower_to_value(ds: &model::DaemonSetModel) -> serde_json::Value {
    let object = codegen::lower(ds);
    let value = serde_json::to_value(&object);
    drop(object);
    value
        .map(|v| diff::canonicalize(v, &[]))
        .unwrap_or(serde_json::Value::Null)
}

/// Stage 4: objects → YAML text, one document each, under a header naming the source.
pub fn objects_to_yaml(manifests: &[Manifest], source_name: &str) -> String {
    let mut out = String::new();
    for (i, m) in manifests.iter().enumerate() {
        if i > 0 {
            out.push_str("---\n");
        }
        out.push_str(&m.yaml_with_header(source_name));
    }
    out
}

/// Formatting: text → the same spec in the canonical layout, every comment kept. An error
/// instead when the text does not parse: a file is never formatted half.
pub fn source_to_formatted(file: &SourceFile) -> Result<String, print::FormatError> {
    print::format_source(&file.text)
}

/// Import: Kubernetes manifests (YAML or JSON, several documents) → one `.ds` statement per
/// DaemonSet, each proven to compile back to the same canonical object; print with
/// [`print::body_to_source`].
pub fn manifests_to_specs(text: &str) -> Result<import::Imported, diff::InputError> {
    import::import_text(text)
}

/// One compiled DaemonSet.
#[derive(Clone, Debug, PartialEq)]
pub struct Manifest {
    pub name: String,
    pub namespace: String,
    pub object: serde_json::Value,
}

impl Manifest {
    /// The YAML document, preceded by a comment that says where it came from.
    pub fn yaml_with_header(&self, source_name: &str) -> String {
        self.yaml_for(source_name, None)
    }

    /// [`Manifest::yaml_with_header`] of a build for the environment `env`, which the header
    /// names too: `# Generated by dsc from agent.ds for prod; ...`.
    pub fn yaml_for(&self, source_name: &str, env: Option<&str>) -> String {
        let base = std::path::Path::new(source_name)
            .file_name()
            .map_or(source_name.to_string(), |n| {
                n.to_string_lossy().into_owned()
            });
        let env = env.map_or(String::new(), |e| format!("{FOR_ENV}{e}"));
        format!(
            "{HEADER_START}{base}{env}{HEADER_END}\n{}",
            emit::to_yaml(&self.object)
        )
    }
}

/// The header of a generated file, around the name of its spec.
const HEADER_START: &str = "# Generated by dsc from ";
const HEADER_END: &str = "; edit the spec, not this file.";
/// Between the spec's name and the environment in the header of an environment's output.
pub const FOR_ENV: &str = " for ";

/// The spec a file says it was generated from, when its first line is the header
/// [`Manifest::yaml_with_header`] writes.
pub fn generated_from(text: &str) -> Option<&str> {
    let first = text.lines().next()?;
    first.strip_prefix(HEADER_START)?.strip_suffix(HEADER_END)
}

/// The result of compiling one file: manifests (meaningful only without errors) and findings.
#[derive(Clone, Debug)]
pub struct Compiled {
    pub manifests: Vec<Manifest>,
    pub diagnostics: Vec<Diagnostic>,
    /// The parameters the file declares, with the values they took.
    pub params: Vec<compose::Param>,
}

impl Compiled {
    pub fn has_errors(&self) -> bool {
        diagnostics::has_errors(&self.diagnostics)
    }
}

/// The whole pipeline for one file. Each stage runs even after errors in the one before, so
/// one run reports every problem; no manifest is returned when there is an error.
pub fn compile(file: &SourceFile, lints: &LintLevels) -> Compiled {
    compile_with(file, lints, &compose::Definitions::default())
}

/// [`compile`] with parameters set on the command line (`-D NAME=VALUE`). Nothing is read
/// from files: a `use` is an error (see [`compile_file`]).
pub fn compile_with(
    file: &SourceFile,
    lints: &LintLevels,
    definitions: &compose::Definitions,
) -> Compiled {
    compile_in(file, lints, definitions, None, None)
}

/// [`compile`] of the spec at `path` (`None`: stdin, whose `use` paths start from the current
/// folder), with the libraries it uses, read once per run through `libraries` (which also
/// holds the `-D` definitions).
pub fn compile_file(
    file: &SourceFile,
    path: Option<&std::path::Path>,
    lints: &LintLevels,
    libraries: &compose::Libraries,
) -> Compiled {
    compile_for(file, path, None, lints, libraries)
}

/// [`compile_file`] for the environment `env` (`None`: no environment; overlays are checked
/// and left out). The environments a spec is built for are
/// [`compose::Libraries::environments_for`] its path.
pub fn compile_for(
    file: &SourceFile,
    path: Option<&std::path::Path>,
    env: Option<&str>,
    lints: &LintLevels,
    libraries: &compose::Libraries,
) -> Compiled {
    compile_in(
        file,
        lints,
        libraries.definitions(),
        Some((libraries, path)),
        env,
    )
}

fn compile_in(
    file: &SourceFile,
    lints: &LintLevels,
    definitions: &compose::Definitions,
    context: compose::Context,
    env: Option<&str>,
) -> Compiled {
    let (mut ast, mut diags) = source_to_ast(file);
    let parse_failed = diagnostics::has_errors(&diags);
    let composed = compose::apply(&mut ast, definitions, context, env, &mut diags);
    let (spec, check_diags) = ast_to_model(&ast);
    // The tree is not needed past checking: free it before lowering makes the objects.
    drop(ast);
    // After a parse error, a "missing" finding is usually the statement that did not parse; a
    // finding on a `${NAME}` already reported is that report again.
    let variables: Vec<source::Span> = diags
        .iter()
        .filter(|d| d.code == "DS0107")
        .map(|d| d.primary_span())
        .collect();
    let on_variable = |d: &Diagnostic| {
        let at = d.primary_span();
        variables
            .iter()
            .any(|v| at.start() <= v.start() && v.end() <= at.end())
    };
    diags.extend(
        check_diags
            .into_iter()
            .filter(|d| !(on_variable(d) || parse_failed && d.code == "DS0204")),
    );
    let mut diags = lints.apply(diags);
    let mut manifests = model_to_objects(&spec);
    let findings = objects_to_findings(&spec, &manifests, file, &diags);
    diags.extend(findings);
    for (ds, manifest) in spec.daemonsets.iter().zip(&manifests) {
        diags.extend(validate::size::too_large(&manifest.object, ds.span));
    }
    compose::locate(&mut diags, &composed, context);
    for d in &mut diags {
        d.fit_to(&file.text);
    }
    diagnostics::sort(&mut diags);
    if diagnostics::has_errors(&diags) {
        manifests.clear();
    }
    Compiled {
        manifests,
        diagnostics: diags,
        params: composed.params,
    }
}
