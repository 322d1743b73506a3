//! The round trip inside import: the spec built from a manifest is printed, compiled and its
//! canonical form compared with the manifest's. A statement the checker rejects is taken out
//! (its fields then differ), and every difference goes into an override; this repeats until
//! the spec compiles to exactly the manifest, or reports why it cannot.

use serde_json::Value as Json;

use super::leftovers::Overrides;
use crate::diagnostics::{LintLevels, Severity};
use crate::print::{body_to_source, Body, Node, Value};
use crate::source::SourceFile;
use crate::syntax::{parse, Statement};

/// Rounds of compile, compare and correct before giving up.
const MAX_ROUNDS: usize = 8;

/// Statements that hold others: never taken out, a problem in them is reported instead.
const CONTAINERS: &[&str] = &["daemonset", "container", "init"];

/// The spec `base` corrected until it compiles to `input` (canonical), with a note for every
/// statement taken out and every override written.
pub fn round_trip(
    mut base: Node,
    input: &Json,
    object: &str,
    notes: &mut Vec<String>,
) -> Result<Node, String> {
    let mut overrides = Overrides::default();
    for _ in 0..MAX_ROUNDS {
        let node = overrides.apply(&base);
        let text = print(&node);
        let file = SourceFile::new("import.ds", text.clone());
        let compiled = crate::compile(&file, &LintLevels::default());
        let errors: Vec<_> = compiled
            .diagnostics
            .iter()
            .filter(|d| d.severity == Severity::Error)
            .collect();
        if !errors.is_empty() {
            // Every rejected statement of this round is taken out at once.
            let mut removed: Vec<Node> = Vec::new();
            for error in errors {
                let rejected = || {
                    format!(
                        "the imported spec does not compile: {} ({})",
                        error.message, error.code
                    )
                };
                let at = error
                    .labels
                    .iter()
                    .find(|l| l.primary)
                    .map_or(0, |l| l.span.start());
                let culprit = statement_at(&node, &text, at).ok_or_else(rejected)?;
                let Some(leaf) = culprit.last() else {
                    return Err(rejected());
                };
                if removed.contains(leaf) {
                    continue;
                }
                if !remove(&mut base, &culprit) {
                    return Err(rejected());
                }
                notes.push(format!(
                    "{object}: `{}` is rejected ({}: {}); its fields go in an override",
                    print_one(Some(leaf)),
                    error.code,
                    error.message
                ));
                removed.push(leaf.clone());
            }
            continue;
        }
        let Some(manifest) = compiled.manifests.first() else {
            return Err("the imported spec compiles to nothing".into());
        };
        if !overrides.add_difference(&manifest.object, input)? {
            notes.extend(overrides.notes(object));
            return Ok(node);
        }
    }
    Err(format!(
        "the imported spec still differs from the manifest after {MAX_ROUNDS} rounds"
    ))
}

fn print(node: &Node) -> String {
    body_to_source(&Body::of(vec![node.clone()]))
}

fn print_one(node: Option<&Node>) -> String {
    let Some(node) = node else {
        return String::new();
    };
    let mut leaf = node.clone();
    leaf.block = None;
    print(&leaf).trim_end().to_string()
}

/// The statements from the top of `node` down to the innermost one whose text holds `offset`
/// in `text` (the printed `node`).
fn statement_at(node: &Node, text: &str, offset: usize) -> Option<Vec<Node>> {
    let (ast, _) = parse(text);
    let mut path = Vec::new();
    let mut statements: &[Statement] = &ast.statements;
    let mut nodes: &[Node] = std::slice::from_ref(node);
    loop {
        let i = statements
            .iter()
            .position(|s| s.span.start() <= offset && offset <= s.span.end())?;
        let found = nodes.get(i)?;
        path.push(found.clone());
        let inner = statements[i]
            .block
            .as_ref()
            .map(|b| b.statements.as_slice());
        match (inner, found.block.as_ref()) {
            (Some(inner), Some(body))
                if inner
                    .iter()
                    .any(|s| s.span.start() <= offset && offset <= s.span.end()) =>
            {
                statements = inner;
                nodes = &body.statements;
            }
            _ => return Some(path),
        }
    }
}

/// Takes the last statement of `path` out of `base`, found by the keywords and names of the
/// statements above it; `false` when it is a daemonset or a container, or not in `base`.
fn remove(base: &mut Node, path: &[Node]) -> bool {
    let Some((leaf, parents)) = path.split_last() else {
        return false;
    };
    if CONTAINERS.contains(&leaf.keyword.as_str()) || parents.is_empty() {
        return false;
    }
    let mut current = base;
    for parent in &parents[1..] {
        let Some(next) = current.block.as_mut().and_then(|b| {
            b.statements
                .iter_mut()
                .find(|s| s.keyword == parent.keyword && first(s) == first(parent))
        }) else {
            return false;
        };
        current = next;
    }
    let Some(block) = current.block.as_mut() else {
        return false;
    };
    let before = block.statements.len();
    if let Some(i) = block.statements.iter().position(|s| s == leaf) {
        block.statements.remove(i);
    }
    block.statements.len() < before
}

fn first(node: &Node) -> Option<&Value> {
    node.args.first()
}
