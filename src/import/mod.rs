//! Import: Kubernetes YAML or JSON → `.ds` specs, the inverse of codegen.
//!
//! Input: the text of manifests (any number of documents, `List`s flattened). Output: a printer
//! [`Body`] with one `daemonset` statement per DaemonSet, in the shortest idiomatic forms of the
//! language, and notes for the user (other kinds skipped, fields written in overrides).
//!
//! Each DaemonSet is first put in the diff's canonical form, so values equal to server defaults
//! are already gone. The files of this stage each map one part of the object to statements;
//! what they cannot write is left out, and [`verify`] then compiles the printed spec, compares
//! its canonical form with the manifest's and writes every difference in `pod-override`,
//! `spec-override` or a container's `override`. So an imported spec compiles to exactly the
//! manifest, or import says why it cannot.

mod container;
pub mod factor;
mod leftovers;
mod probes;
mod scheduling;
mod security;
mod storage;
mod values;
mod verify;
mod volumes;
mod workload;

use serde_json::Value as Json;

use crate::api::names;
use crate::diff::{canonicalize_noting, describe, read_objects, InputError};
use crate::print::{Body, Node};

/// The specs imported from one input.
#[derive(Clone, Debug, Default)]
pub struct Imported {
    /// One `daemonset` statement per DaemonSet that round-trips, in input order.
    pub body: Body,
    /// What the user should know: skipped objects, overrides, changed fields.
    pub notes: Vec<String>,
    /// DaemonSets that could not be imported exactly, with why.
    pub failures: Vec<String>,
    /// What each statement of `body` compiles to: its manifest in the diff's canonical form.
    pub canonical: Vec<Json>,
}

impl Imported {
    /// How many DaemonSets were imported.
    pub fn count(&self) -> usize {
        self.body.statements.len()
    }
}

/// One imported DaemonSet.
#[derive(Clone, Debug)]
pub struct Spec {
    /// The `daemonset` statement.
    pub node: Node,
    pub notes: Vec<String>,
    /// The manifest in the diff's canonical form: what the spec compiles to.
    pub canonical: Json,
}

/// Imports every DaemonSet of a text of manifests; other kinds are skipped with a note.
pub fn import_text(text: &str) -> Result<Imported, InputError> {
    let mut out = Imported::default();
    for object in read_objects(text)? {
        let what = describe(&object);
        if object["kind"] != "DaemonSet" {
            out.notes
                .push(format!("skipped {what}: only DaemonSets are imported"));
            continue;
        }
        match manifest_to_spec(&object) {
            Ok(spec) => {
                out.notes.extend(spec.notes);
                out.body.statements.push(spec.node);
                out.canonical.push(spec.canonical);
            }
            Err(why) => out.failures.push(format!("{what}: {why}")),
        }
    }
    // YAML comments are not part of the objects; say so rather than lose them quietly.
    let comments = text
        .lines()
        .filter(|l| l.trim_start().starts_with('#'))
        .count();
    if comments > 0 && out.count() > 0 {
        let (noun, verb) = if comments == 1 {
            ("line", "is")
        } else {
            ("lines", "are")
        };
        out.notes.push(format!(
            "the input's {comments} comment {noun} {verb} not carried over into the specs"
        ));
    }
    Ok(out)
}

/// One DaemonSet (a JSON value) → its `daemonset` statement, proven to compile to the same
/// canonical object.
pub fn manifest_to_spec(object: &Json) -> Result<Spec, String> {
    let what = describe(object);
    let (mut canonical, server_owned) = canonicalize_noting(object.clone(), &[]);
    let name = canonical["metadata"]["name"]
        .as_str()
        .unwrap_or_default()
        .to_string();
    if name.is_empty() {
        return Err("the DaemonSet has no name".into());
    }
    names::dns_subdomain(&name).map_err(|why| format!("the name `{name}` {why}"))?;
    let mut notes = Vec::new();
    if !server_owned.is_empty() {
        notes.push(format!(
            "{what}: left out what the server writes, not the user: {}",
            server_owned.join(", ")
        ));
    }
    match canonical["apiVersion"].as_str() {
        Some("apps/v1") => {}
        // The versions DaemonSets had before apps/v1; servers since 1.16 refuse them.
        Some(old @ ("apps/v1beta2" | "extensions/v1beta1")) => {
            notes.push(format!(
                "{what}: written as apps/v1, the only version dsc compiles to (was {old}, \
                 which Kubernetes no longer serves since 1.16)"
            ));
            canonical["apiVersion"] = Json::from("apps/v1");
        }
        Some(other) => {
            return Err(format!(
                "apiVersion `{other}` is not a version of DaemonSet; write `apiVersion: apps/v1`"
            ))
        }
        None => return Err("the manifest has no apiVersion; write `apiVersion: apps/v1`".into()),
    }
    if canonical["metadata"]["namespace"].is_null() {
        notes.push(format!(
            "{what} has no namespace: the spec uses `default`; add `in NAMESPACE` to choose one"
        ));
        canonical["metadata"]["namespace"] = Json::from("default");
    }
    let base = workload::daemonset(&canonical, &name);
    let node = verify::round_trip(base, &canonical, &what, &mut notes)?;
    Ok(Spec {
        node,
        notes,
        canonical,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::print::body_to_source;

    const AGENT: &str = "\
apiVersion: apps/v1
kind: DaemonSet
metadata: {name: agent, namespace: monitoring, labels: {app: agent}}
spec:
  selector: {matchLabels: {app: agent}}
  template:
    metadata: {labels: {app: agent}}
    spec:
      containers:
      - name: agent
        image: registry.example.com/agent:1.0
        stdin: true
---
apiVersion: v1
kind: Service
metadata: {name: agent, namespace: monitoring}
";

    #[test]
    fn imports_daemonsets_and_skips_other_kinds() {
        let imported = import_text(AGENT).unwrap_or_default();
        assert_eq!(imported.count(), 1);
        assert!(imported.failures.is_empty(), "{:?}", imported.failures);
        let text = body_to_source(&imported.body);
        assert!(
            text.starts_with("daemonset agent in monitoring {\n  container agent {\n"),
            "{text}"
        );
        assert!(text.contains("    stdin\n"), "{text}");
        assert!(imported.notes.iter().any(|n| n.contains("skipped Service")));
    }
}
