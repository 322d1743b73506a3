//! Statements an override silently undoes (`DS0753`). Overrides are merged last as JSON merge
//! patches: a list, a value or a `null` in a fragment replaces whatever the statements wrote at
//! that field, so editing those statements would change nothing in the output. Each such
//! statement is an error at what it wrote, naming the override's field that replaces it.
//!
//! Input: the finished model (its origins say which text set which field) and the `daemonset`
//! statement (to report each statement once). Output: diagnostics.

use serde_json::Value as Json;

use super::cx::Cx;
use super::fragment_span::locate_offset;
use crate::api::{FieldPath, Seg};
use crate::diagnostics::Diagnostic;
use crate::model::{DaemonSetModel, Fragment, Origins};
use crate::source::Span;
use crate::syntax::Statement;

/// One override: its name as written, where its fields land, and the fragment.
struct Hatch<'a> {
    keyword: String,
    prefix: FieldPath,
    fragment: &'a Fragment,
}

/// What a container contributes: its path, its statement head and its origins.
struct Written<'a> {
    path: FieldPath,
    head: Span,
    origins: &'a Origins,
}

/// Reports every statement of `stmt` (a `daemonset`) whose field an override replaces.
pub fn check_replaced(cx: &mut Cx, ds: &DaemonSetModel, stmt: &Statement) {
    let pod = FieldPath(vec![
        Seg::Key("spec".into()),
        Seg::Key("template".into()),
        Seg::Key("spec".into()),
    ]);
    let mut hatches = Vec::new();
    if let Some(f) = &ds.pod.spec_override {
        let prefix = FieldPath(vec![Seg::Key("spec".into())]);
        hatches.push(hatch("spec-override", prefix, f));
    }
    if let Some(f) = &ds.pod.pod_override {
        hatches.push(hatch("pod-override", pod.clone(), f));
    }
    let mut containers = Vec::new();
    for (list, keyword, items) in [
        ("initContainers", "init", &ds.init_containers),
        ("containers", "container", &ds.containers),
    ] {
        for (i, c) in items.iter().enumerate() {
            let path = pod.key(list).index(i);
            if let Some(f) = &c.settings.container_override {
                let name = format!("`override` of {keyword} `{}`", c.name);
                hatches.push(Hatch {
                    keyword: name,
                    prefix: path.clone(),
                    fragment: f,
                });
            }
            containers.push(Written {
                path,
                head: c.span,
                origins: &c.origins,
            });
        }
    }
    let mut reported: Vec<Span> = Vec::new();
    for h in &hatches {
        let mut leaves = Vec::new();
        leaf_paths(&h.fragment.value, &mut FieldPath::default(), &mut leaves);
        for (rel, value) in leaves {
            let mut full = h.prefix.clone();
            full.0.extend(rel.0.iter().cloned());
            for at in written_under(ds, &containers, &full) {
                let statement = innermost(stmt, at);
                if reported.contains(&statement) {
                    continue;
                }
                reported.push(statement);
                cx.push(replaced(h, &rel, value, at));
            }
        }
    }
}

fn hatch<'a>(keyword: &str, prefix: FieldPath, fragment: &'a Fragment) -> Hatch<'a> {
    Hatch {
        keyword: format!("`{keyword}`"),
        prefix,
        fragment,
    }
}

/// Every field of `value` that a merge patch replaces rather than merges into: lists, scalars
/// and `null`s, with their paths from the fragment's root.
fn leaf_paths<'v>(value: &'v Json, at: &mut FieldPath, out: &mut Vec<(FieldPath, &'v Json)>) {
    match value {
        Json::Object(map) if !at.0.is_empty() || !map.is_empty() => {
            for (k, v) in map {
                at.0.push(Seg::Key(k.clone().into()));
                leaf_paths(v, at, out);
                at.0.pop();
            }
        }
        Json::Object(_) => {}
        _ => out.push((at.clone(), value)),
    }
}

/// Where statements wrote a field at or below `path`: the daemonset's own records, and for
/// containers their records, or the container statement itself when `path` holds the whole
/// container (a pod override's `containers` list).
fn written_under(ds: &DaemonSetModel, containers: &[Written], path: &FieldPath) -> Vec<Span> {
    let mut out: Vec<Span> = ds.origins.under(path).collect();
    for c in containers {
        if c.path.0.starts_with(&path.0) {
            out.push(c.head);
        } else if let Some(rest) = path.strip(&c.path) {
            out.extend(c.origins.under(&rest));
        }
    }
    out.sort_by_key(|s| (s.start(), s.end()));
    out.dedup();
    out
}

/// The span of the innermost statement of `stmt` that holds `at` (the statement itself when
/// none of its block's does).
fn innermost(stmt: &Statement, at: Span) -> Span {
    let mut current = stmt;
    loop {
        let inner = current.block.as_ref().and_then(|b| {
            b.statements
                .iter()
                .find(|s| s.span.start() <= at.start() && at.end() <= s.span.end())
        });
        match inner {
            Some(s) => current = s,
            None => return current.span,
        }
    }
}

fn replaced(h: &Hatch, rel: &FieldPath, value: &Json, at: Span) -> Diagnostic {
    let field = rel.to_string();
    let message = match value {
        Json::Null => format!(
            "`{field}: null` in the {} removes what this statement sets",
            h.keyword
        ),
        Json::Array(_) => format!(
            "`{field}` in the {} replaces the whole list this statement adds to",
            h.keyword
        ),
        _ => format!(
            "`{field}` in the {} replaces the value this statement sets",
            h.keyword
        ),
    };
    let mut d = Diagnostic::error("DS0753", message)
        .at(at, "never reaches the output: editing it changes nothing");
    if let Some(key) = override_key(h.fragment, rel) {
        d = d.also(key, format!("`{field}` set here"));
    }
    let fix = match value {
        Json::Array(_) => format!(
            "set `{field}` in one place: take it out of the {} so the statements apply, or write every item in the override and remove the statements",
            h.keyword
        ),
        _ => format!(
            "set `{field}` in one place: take it out of the {}, or remove this statement",
            h.keyword
        ),
    };
    d.help(fix)
}

/// Where the override wrote the key of `rel`, in the spec.
fn override_key(fragment: &Fragment, rel: &FieldPath) -> Option<Span> {
    let origin = fragment.origin.as_ref()?;
    let doc = crate::yaml::spans::index(&origin.text).into_iter().next()?;
    let written = doc.fields.get(rel)?;
    let s = written.key.unwrap_or(written.value);
    Some(locate_offset(
        &origin.text,
        origin.layout,
        s.start(),
        s.end() - s.start(),
        origin.span,
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Statements that write no field of their own: what they do is checked elsewhere.
    const NO_FIELD: &[&str] = &["allow", "override", "pod-override", "spec-override"];

    /// A statement that records no origin could never be found replaced: every statement of
    /// the examples and build cases must record where it wrote.
    #[test]
    fn every_statement_records_what_it_writes() {
        let mut missing = Vec::new();
        for dir in ["examples", "tests/cases/build"] {
            let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join(dir);
            let mut files: Vec<_> = std::fs::read_dir(&dir)
                .into_iter()
                .flatten()
                .flatten()
                .map(|e| e.path())
                .filter(|p| p.extension().is_some_and(|e| e == "ds"))
                .collect();
            files.sort();
            for path in files {
                let text = std::fs::read_to_string(&path).unwrap_or_default();
                let (ast, _) = crate::syntax::parse(&text);
                let (spec, _) = crate::check::check(&ast);
                let daemonsets = ast.statements.iter().filter(|s| s.keyword == "daemonset");
                for (stmt, ds) in daemonsets.zip(&spec.daemonsets) {
                    let root = FieldPath::default();
                    let mut spans: Vec<Span> = ds.origins.under(&root).collect();
                    for c in ds.containers.iter().chain(&ds.init_containers) {
                        spans.extend(c.origins.under(&root));
                    }
                    let mut leaves = Vec::new();
                    leaf_statements(stmt, &mut leaves);
                    for s in leaves {
                        if NO_FIELD.contains(&s.keyword.as_str()) {
                            continue;
                        }
                        let inside =
                            |o: &Span| s.span.start() <= o.start() && o.end() <= s.span.end();
                        if !spans.iter().any(inside) {
                            let line = text[..s.span.start()].lines().count();
                            missing.push(format!("{}:{line}: {}", path.display(), s.keyword));
                        }
                    }
                }
            }
        }
        assert!(
            missing.is_empty(),
            "no origin recorded for:\n{}",
            missing.join("\n")
        );
    }

    fn leaf_statements<'a>(s: &'a Statement, out: &mut Vec<&'a Statement>) {
        match &s.block {
            Some(b) if matches!(s.keyword.as_str(), "daemonset" | "container" | "init") => {
                for inner in &b.statements {
                    leaf_statements(inner, out);
                }
            }
            _ => out.push(s),
        }
    }
}
