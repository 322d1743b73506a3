//! Provenance of one field: where the final value of a field of a compiled DaemonSet was set,
//! in which layer, and what it replaced on the way (`dsc why SPEC FIELD [--env E]`).
//!
//! The checker records, for every field it writes, the argument or statement that set it
//! (`model::Origins`); the compose stage records, for every setting it merged, its layer and
//! the values it replaced (`compose::Chain`). This joins the two.

use std::path::Path;

use serde_json::Value;

use crate::api::{FieldPath, Seg};
use crate::codegen::provenance::SpecLocator;
use crate::compose::{Definitions, Libraries};
use crate::diagnostics::{has_errors, Diagnostic, LintLevels};
use crate::source::{SourceFile, Span};
use crate::validate::locate::Locator;

/// One layer that set the field.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Step {
    /// `file:line:column`.
    pub place: String,
    /// The line of the statement, trimmed.
    pub text: String,
    /// `daemonset`, `defaults node-agent`, `overlay prod`, ...
    pub layer: String,
}

/// The field in one DaemonSet of the spec.
#[derive(Clone, Debug, PartialEq)]
pub struct Answer {
    pub name: String,
    pub namespace: String,
    /// The final value, if the object has the field.
    pub value: Option<Value>,
    /// The layer that set it first, then those it replaced, latest first. Empty when no
    /// statement set it (a default of dsc or of the API server).
    pub steps: Vec<Step>,
}

/// Where `field` (an API path: `spec.template.spec.priorityClassName`; a container by name:
/// `spec.template.spec.containers[agent].image`) of each DaemonSet of `file` was set, built
/// for `env`. The spec's diagnostics instead when it has an error.
pub fn why(
    file: &SourceFile,
    path: Option<&Path>,
    env: Option<&str>,
    libraries: &Libraries,
    field: &str,
) -> Result<Vec<Answer>, Vec<Diagnostic>> {
    let (mut ast, mut diags) = crate::source_to_ast(file);
    let definitions: &Definitions = libraries.definitions();
    let context = Some((libraries, path));
    let composed = crate::compose::apply(&mut ast, definitions, context, env, &mut diags);
    let (spec, found) = crate::ast_to_model(&ast);
    diags.extend(found);
    let mut diags = LintLevels::default().apply(diags);
    if has_errors(&diags) {
        crate::compose::locate(&mut diags, &composed, context);
        diags.retain(|d| d.severity == crate::diagnostics::Severity::Error);
        return Err(diags);
    }
    let wanted = FieldPath::parse(field);
    let place = |span: Span| -> (String, String) {
        let (source, local) = match libraries.locate(span) {
            Some((library, local)) => ((*library).clone(), local),
            None => (file.clone(), span),
        };
        let (line, column) = source.line_col(local.start());
        let start = source.line_start(line - 1);
        let text = source.text[start..]
            .lines()
            .next()
            .unwrap_or("")
            .trim()
            .to_string();
        (format!("{}:{line}:{column}", source.name), text)
    };
    let mut answers = Vec::new();
    for ds in &spec.daemonsets {
        let object = crate::lower_to_value(ds);
        let (path, value) = match resolve(&object, &wanted) {
            Some((path, value)) => (path, Some(value.clone())),
            None => (wanted.clone(), None),
        };
        let locator = SpecLocator::new(ds);
        // The field itself, else the nearest field around it that a statement set (an item of
        // `args` was written by the `args` statement).
        let mut around = Some(path.clone());
        let mut written = None;
        while let Some(at) = around.filter(|_| value.is_some() && written.is_none()) {
            written = locator.value_span(&at);
            // Not up to the object itself: what no statement set is dsc's own.
            around = (at.0.len() > 1).then(|| at.parent());
        }
        let steps = written.map_or_else(Vec::new, |span| {
            let chain = crate::compose::chain_at(&composed.chains, span);
            let (first, layer) = match chain {
                Some(c) => (c.at, c.layer.clone()),
                None => (span, "daemonset".to_string()),
            };
            let step = |span: Span, layer: String| {
                let (place, text) = place(span);
                Step { place, text, layer }
            };
            // The appends, latest first, above the statement they extend.
            let mut steps: Vec<Step> = chain
                .map_or(&[][..], |c| &c.appended)
                .iter()
                .rev()
                .map(|(span, layer)| step(*span, format!("{layer}, appended")))
                .collect();
            steps.push(step(first, layer));
            for (span, layer) in chain.map_or(&[][..], |c| &c.replaced) {
                steps.push(step(*span, format!("{layer}, replaced")));
            }
            steps
        });
        answers.push(Answer {
            name: ds.name.clone(),
            namespace: ds.namespace.clone(),
            value,
            steps,
        });
    }
    Ok(answers)
}

/// The value at `path` in `object`, with the path in indices (an item of a list named by its
/// `name`: `containers[agent]` is `containers[0]` when that container is named `agent`).
fn resolve<'a>(object: &'a Value, path: &FieldPath) -> Option<(FieldPath, &'a Value)> {
    let mut at = object;
    let mut segs = Vec::with_capacity(path.0.len());
    for seg in &path.0 {
        match (seg, at) {
            (Seg::Index(i), Value::Array(items)) => {
                at = items.get(*i)?;
                segs.push(Seg::Index(*i));
            }
            (Seg::Key(key), Value::Array(items)) => {
                let i = items.iter().position(|item| item["name"] == **key)?;
                at = &items[i];
                segs.push(Seg::Index(i));
            }
            (Seg::Key(key), Value::Object(map)) => {
                at = map.get(key.as_ref())?;
                segs.push(seg.clone());
            }
            _ => return None,
        }
    }
    Some((FieldPath(segs), at))
}
