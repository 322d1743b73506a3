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
use crate::compose::{Composed, Definitions, Libraries};
use crate::diagnostics::{has_errors, Diagnostic, LintLevels};
use crate::model::CheckedSpec;
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

/// A spec compiled for one environment with what provenance needs: the model (where the
/// checker saw each field written) and the compose stage's chains (which layer set it, what it
/// replaced). Built once, asked about many fields.
pub struct Trace<'a> {
    file: &'a SourceFile,
    libraries: &'a Libraries,
    spec: CheckedSpec,
    composed: Composed,
}

impl<'a> Trace<'a> {
    /// Parses, composes and checks `file` (at `path`) for `env`; the spec's errors when it has
    /// any.
    pub fn new(
        file: &'a SourceFile,
        path: Option<&Path>,
        env: Option<&str>,
        libraries: &'a Libraries,
    ) -> Result<Trace<'a>, Vec<Diagnostic>> {
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
        Ok(Trace {
            file,
            libraries,
            spec,
            composed,
        })
    }

    /// The DaemonSets of the spec, each ready to be asked where its fields were set.
    pub fn daemonsets(&self) -> impl Iterator<Item = Traced<'_, 'a>> {
        self.spec.daemonsets.iter().map(|ds| Traced {
            trace: self,
            name: &ds.name,
            namespace: &ds.namespace,
            object: crate::lower_to_value(ds),
            locator: SpecLocator::new(ds),
        })
    }

    fn step(&self, span: Span, layer: String) -> Step {
        let found = self.libraries.locate(span);
        let (source, local): (&SourceFile, Span) = match &found {
            Some((library, local)) => (library, *local),
            None => (self.file, span),
        };
        let (line, column) = source.line_col(local.start());
        let start = source.line_start(line - 1);
        let text = source.text[start..]
            .lines()
            .next()
            .unwrap_or("")
            .trim()
            .to_string();
        Step {
            place: format!("{}:{line}:{column}", source.name),
            text,
            layer,
        }
    }
}

/// One DaemonSet of a [`Trace`]: its object, and where each of its fields was set.
pub struct Traced<'t, 'a> {
    trace: &'t Trace<'a>,
    pub name: &'t str,
    pub namespace: &'t str,
    /// The object compiled (before the diff's canonical form).
    pub object: Value,
    locator: SpecLocator<'t>,
}

impl Traced<'_, '_> {
    /// Where the field at `path` (indices, as [`resolve`] gives them) was set: the latest layer
    /// first, then the appends and the values it replaced. Empty when no statement set it or
    /// the field around it (dsc's own value).
    pub fn steps(&self, path: &FieldPath) -> Vec<Step> {
        // The field itself, else the nearest field around it that a statement set (an item of
        // `args` was written by the `args` statement).
        let mut around = Some(path.clone());
        let mut written = None;
        while let Some(at) = around.filter(|_| written.is_none()) {
            written = self.locator.value_span(&at);
            // Not up to the object itself: what no statement set is dsc's own.
            around = (at.0.len() > 1).then(|| at.parent());
        }
        let Some(span) = written else {
            return Vec::new();
        };
        let trace = self.trace;
        let chain = crate::compose::chain_at(&trace.composed.chains, span);
        let (first, layer) = match chain {
            Some(c) => (c.at, c.layer.clone()),
            None => (span, "daemonset".to_string()),
        };
        // The appends, latest first, above the statement they extend.
        let mut steps: Vec<Step> = chain
            .map_or(&[][..], |c| &c.appended)
            .iter()
            .rev()
            .map(|(span, layer)| trace.step(*span, format!("{layer}, appended")))
            .collect();
        steps.push(trace.step(first, layer));
        for (span, layer) in chain.map_or(&[][..], |c| &c.replaced) {
            steps.push(trace.step(*span, format!("{layer}, replaced")));
        }
        steps
    }
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
    let trace = Trace::new(file, path, env, libraries)?;
    let wanted = FieldPath::parse(field);
    Ok(trace
        .daemonsets()
        .map(|ds| {
            let (steps, value) = match resolve(&ds.object, &wanted) {
                Some((path, value)) => (ds.steps(&path), Some(value.clone())),
                None => (Vec::new(), None),
            };
            Answer {
                name: ds.name.to_string(),
                namespace: ds.namespace.to_string(),
                value,
                steps,
            }
        })
        .collect())
}

/// The value at `path` in `object`, with the path in indices (an item of a list named by its
/// `name`: `containers[agent]` is `containers[0]` when that container is named `agent`).
pub fn resolve<'a>(object: &'a Value, path: &FieldPath) -> Option<(FieldPath, &'a Value)> {
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
