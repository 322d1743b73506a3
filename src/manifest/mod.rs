//! Manifests: Kubernetes YAML or JSON (several documents, `List`s) → every DaemonSet in it,
//! checked with the rules of [`crate::validate`], each finding at the line that set the field.
//!
//! This is what `dsc check FILE.yaml` runs: a CI job can check the output of a Helm chart or a
//! Kustomize overlay before it is applied. Other kinds are skipped with a note.

use k8s_openapi::api::apps::v1::{DaemonSet, DaemonSetSpec};
use k8s_openapi::apimachinery::pkg::apis::meta::v1::ObjectMeta;
use serde::Deserialize;
use serde_json::Value;

use crate::api::{FieldPath, Seg};
use crate::check::overrides::{self, unknown_field_help};
use crate::diagnostics::Diagnostic;
use crate::source::{SourceFile, Span};
use crate::validate::locate::{self, to_diagnostic, Locator};
use crate::validate::{self, Finding, Node};
use crate::yaml::spans::{self, DocSpans};
use crate::yaml::yaml11;

/// What checking a manifest found.
#[derive(Debug, Default)]
pub struct ManifestReport {
    pub diagnostics: Vec<Diagnostic>,
    /// Objects that were not checked, and why (`ConfigMap agent-config: not a DaemonSet`).
    pub notes: Vec<String>,
    /// How many DaemonSets were checked.
    pub daemonsets: usize,
}

/// One object of a manifest: its value, and where it sits (its document, and `items[i]` when it
/// came from a `List`).
struct Placed {
    value: Value,
    doc: usize,
    prefix: FieldPath,
}

/// Which API versions of DaemonSet a reader takes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Versions {
    /// What a v1.33 API server serves: `apps/v1` only (`dsc check`).
    Served,
    /// Also `apps/v1beta2` and `extensions/v1beta1`, read as apps/v1 with their version's
    /// defaults made explicit (`dsc import`, which converts them).
    Legacy,
}

/// Checks every DaemonSet of a manifest file.
pub fn check_manifest(file: &SourceFile, versions: Versions) -> ManifestReport {
    let mut report = ManifestReport::default();
    let text = &file.text;
    let objects = match read_placed(text) {
        Ok(objects) => objects,
        Err(d) => {
            report.diagnostics.push(d);
            return report;
        }
    };
    let docs = spans::index(text);
    let whole = Span::new(0, text.len().min(1));
    for mut object in objects {
        if let Some(doc) = docs.get(object.doc) {
            yaml11::reread(&mut object.value, &object.prefix, doc);
        }
        let kind = object
            .value
            .get("kind")
            .and_then(Value::as_str)
            .unwrap_or("");
        if kind != "DaemonSet" {
            report.notes.push(format!(
                "skipped {}: dsc checks DaemonSets",
                crate::diff::describe(&object.value)
            ));
            continue;
        }
        report.daemonsets += 1;
        let locator = ManifestLocator {
            doc: docs.get(object.doc),
            prefix: object.prefix,
            whole,
        };
        report
            .diagnostics
            .extend(unknown_fields(&object.value, &locator));
        for finding in object_findings(&object.value, versions) {
            report
                .diagnostics
                .push(to_diagnostic(&finding, &locator, &file.text));
        }
    }
    for d in &mut report.diagnostics {
        d.fit_to(text);
    }
    report
}

/// The findings on one DaemonSet object: its API version, its fields' types, then every rule.
pub fn object_findings(object: &Value, versions: Versions) -> Vec<Finding> {
    let root = Node::root(object);
    let mut out = validate::Findings::default();
    let version = root.get("apiVersion");
    let legacy = matches!(version.str(), Some("apps/v1beta2" | "extensions/v1beta1"));
    if !version.is_set() {
        out.required(&version, "a DaemonSet's API version is `apps/v1`")
            .help("write `apiVersion: apps/v1` at the top of the object");
    } else if version.str() != Some("apps/v1") && !(legacy && versions == Versions::Legacy) {
        out.not_supported(&version, &["apps/v1"])
            .help(match version.str() {
                Some("apps/v1beta2" | "extensions/v1beta1") => {
                    "this API version was removed in Kubernetes 1.16: write `apiVersion: apps/v1` \
                 (it needs `spec.selector`, and defaults `updateStrategy` to RollingUpdate)"
                }
                _ => "write `apiVersion: apps/v1`",
            });
    }
    // Each part is decoded on its own (the header was checked above): a value of the wrong
    // type is reported where it is, and the rules then read only well-typed objects.
    let metadata = decode::<ObjectMeta>(&root.get("metadata"), &mut out);
    let spec = decode::<DaemonSetSpec>(&root.get("spec"), &mut out);
    if !(metadata && spec) {
        return out.0;
    }
    if legacy {
        // Validated as the server converted them: with their version's defaults explicit.
        let converted = crate::diff::canonicalize(object.clone(), &[]);
        out.0.extend(validate::daemonset(&converted));
    } else {
        out.0.extend(validate::daemonset(object));
    }
    out.0
}

/// Decodes the value at `at` as `T`; a value of the wrong type is a finding at its path.
fn decode<T: serde::de::DeserializeOwned>(at: &Node, out: &mut validate::Findings) -> bool {
    let Some(value) = at.value else {
        return true;
    };
    match serde_path_to_error::deserialize::<_, T>(value) {
        Ok(_) => true,
        Err(e) => {
            // The place below `at` where decoding failed.
            let wrong = at.follow(&FieldPath::parse(&e.path().to_string()));
            let message = e.inner().to_string();
            let message = message.split(" at line ").next().unwrap_or(&message);
            let (detail, help) = type_error(message);
            out.invalid(&wrong, detail).help(help);
            false
        }
    }
}

/// A decoding error of serde (`invalid type: string "x", expected i32`) in the API's words.
fn type_error(message: &str) -> (String, String) {
    let Some((found, expected)) = message
        .strip_prefix("invalid type: ")
        .and_then(|m| m.split_once(", expected "))
    else {
        return (
            message.to_string(),
            "give the field a value of the type the API expects".into(),
        );
    };
    let expected = match expected {
        e if e.starts_with('i') || e.starts_with('u') => "an integer",
        "f64" | "f32" => "a number",
        "a string" => "a string",
        "a boolean" => "a boolean (`true` or `false`)",
        "a sequence" => "a list",
        e if e.starts_with("struct ") || e.starts_with("a map") => "a mapping of fields",
        e => e,
    };
    let found = match found.split(' ').next().unwrap_or(found) {
        "integer" => "an integer",
        "floating" => "a number",
        "string" => "a string",
        "boolean" => "a boolean",
        "map" => "a mapping",
        "sequence" => "a list",
        "null" | "unit" => "null",
        other => other,
    };
    (
        format!("must be {expected}, not {found}"),
        format!("write {expected} here"),
    )
}

/// Fields the DaemonSet type does not have: kubectl's strict field validation refuses them
/// (a misspelled field would otherwise be dropped silently).
fn unknown_fields(object: &Value, locator: &ManifestLocator) -> Vec<Diagnostic> {
    let mut object = object.clone();
    // The header fields are checked on their own; `status` is written by the server.
    if let Some(map) = object.as_object_mut() {
        map.remove("status");
        // A field of extensions/v1beta1 and apps/v1beta2, which apps/v1 dropped.
        if let Some(Value::Object(spec)) = map.get_mut("spec") {
            spec.remove("templateGeneration");
        }
    }
    overrides::unknown_fields::<DaemonSet>(&object)
        .into_iter()
        .map(|u| {
            let path = FieldPath(
                u.path
                    .iter()
                    .map(
                        |s| match s.strip_prefix('[').and_then(|i| i.strip_suffix(']')) {
                            Some(i) => i
                                .parse()
                                .map_or_else(|_| Seg::Key(s.clone().into()), Seg::Index),
                            None => Seg::Key(s.clone().into()),
                        },
                    )
                    .collect(),
            );
            let span = locator
                .key_span(&path)
                .unwrap_or_else(|| locate::nearest(locator, &path).0);
            Diagnostic::error("DS0751", format!("unknown field `{path}`"))
                .at(span, format!("`{}` has no such field", u.type_name))
                .help(unknown_field_help(u.type_name, u.suggestion, u.fields))
        })
        .collect()
}

/// The objects of a manifest with their places, lists flattened, empty documents skipped.
fn read_placed(text: &str) -> Result<Vec<Placed>, Diagnostic> {
    let body = text.trim_start_matches('\u{feff}');
    let documents: Vec<Value> = if body.trim_start().starts_with('{') {
        serde_json::from_str(body)
            .map(|v| vec![v])
            .map_err(|e| parse_error(text, e.to_string(), None))?
    } else {
        serde_yaml::Deserializer::from_str(body)
            .map(Value::deserialize)
            .collect::<Result<_, _>>()
            .map_err(|e| {
                let at = e.location().map(|l| l.index() + (text.len() - body.len()));
                parse_error(text, e.to_string(), at)
            })?
    };
    let mut out = Vec::new();
    for (doc, value) in documents.into_iter().enumerate() {
        crate::diff::flatten_placed(value, &mut Vec::new(), &mut |value, place| {
            let prefix = FieldPath(
                place
                    .iter()
                    .flat_map(|&i| [Seg::Key("items".into()), Seg::Index(i)])
                    .collect(),
            );
            out.push(Placed { value, doc, prefix });
        });
    }
    Ok(out)
}

fn parse_error(text: &str, message: String, at: Option<usize>) -> Diagnostic {
    let start = at.unwrap_or(0).min(text.len());
    let message = message
        .split(" at line ")
        .next()
        .unwrap_or(&message)
        .to_string();
    Diagnostic::error("DS1009", "the manifest is not valid YAML or JSON")
        .at(Span::new(start, (start + 1).min(text.len())), message)
        .help("fix the syntax at this line; `kubectl apply --dry-run=client -f FILE` reports the same")
}

/// Places findings on one object of a manifest.
struct ManifestLocator<'a> {
    doc: Option<&'a DocSpans>,
    prefix: FieldPath,
    whole: Span,
}

impl ManifestLocator<'_> {
    fn written(&self, path: &FieldPath) -> Option<spans::Written> {
        let mut full = self.prefix.clone();
        full.0.extend(path.0.iter().cloned());
        self.doc?.fields.get(&full).copied()
    }
}

impl Locator for ManifestLocator<'_> {
    fn value_span(&self, path: &FieldPath) -> Option<Span> {
        // A mapping or list is best shown by its key (`ports:`), a scalar by its text.
        self.written(path).map(|w| {
            if w.collection {
                w.key.unwrap_or(w.value)
            } else {
                w.value
            }
        })
    }

    fn key_span(&self, path: &FieldPath) -> Option<Span> {
        self.written(path).map(|w| w.key.unwrap_or(w.value))
    }

    /// The object's `kind:` line stands for the whole object.
    fn whole(&self) -> Span {
        self.key_span(&FieldPath::default().key("kind"))
            .or_else(|| {
                self.doc
                    .map(|d| Span::new(d.whole.start(), d.whole.start() + 1))
            })
            .unwrap_or(self.whole)
    }
}
