//! `dsc import --factor`: the specs imported from many DaemonSets become one defaults block of
//! the settings they share and one short agent each, which takes the block (`from imported`)
//! and says where it differs.
//!
//! Settings are compared entry by entry, as layers merge them (`compose::identities`): a label
//! by key, an env var by name, a port by number and protocol, a toleration as a member of a set.
//! A setting of the daemonset counts for an agent that writes it; a container's setting counts
//! for an agent all of whose containers write it, and goes under `container *`. Each setting
//! whose most common value is written by at least the given share of the agents (and by two)
//! goes into the block, written once. Each agent then leaves out what the block gives it,
//! writes `override` where its value differs and `remove` where it has none.
//!
//! Every agent is then compiled with the block and compared with its manifest: one that
//! compiles to anything else (the block puts a list's items in another order, say) stands
//! alone, as plain import writes it. So every agent compiles to exactly its manifest.

use std::collections::{BTreeMap, BTreeSet};

use serde_json::Value as Json;

use super::Spec;
use crate::compose::{identities, is_map, removal, Id};
use crate::diagnostics::{LintLevels, Severity};
use crate::diff::canonicalize;
use crate::print::{body_to_source, Body, Comment};
use crate::source::{SourceFile, Span};
use crate::syntax::{Arg, ArgKind, Ast, Block, Statement};

/// The name of the defaults block the agents take.
pub const BLOCK: &str = "imported";

/// The library and the agents.
#[derive(Clone, Debug)]
pub struct Factored {
    /// The library's text (`defaults imported { ... }`); `None` when no setting is shared
    /// widely enough, and every agent stands alone.
    pub library: Option<String>,
    /// One per input, in input order.
    pub agents: Vec<Agent>,
    /// The settings in the block (a map entry or a list item each).
    pub shared: usize,
    /// How many agents a setting needed to be shared by.
    pub needed: usize,
}

/// One factored DaemonSet.
#[derive(Clone, Debug)]
pub struct Agent {
    pub name: String,
    pub namespace: String,
    /// The spec, with its `use` line when it takes the block.
    pub text: String,
    /// Why it does not take the block (`None`: it does).
    pub alone: Option<Alone>,
}

/// Why an agent stands alone, as plain import writes it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Alone {
    /// No setting is shared widely enough: there is no block.
    NoBlock,
    /// Taking the block would make it longer (it lacks most of what the block holds).
    Longer,
    /// No way of writing it over the block compiles to exactly its manifest.
    Differs,
}

/// Where a setting is written: the daemonset's body, or every container.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
enum Scope {
    Pod,
    Containers,
}

type Key = (Scope, Id);

/// A setting an agent writes for itself, in its own order, though the block has it: its
/// scope and keyword.
type Pin = (Scope, String);

/// One entry of a setting as an agent writes it.
#[derive(Clone, Debug)]
struct Setting {
    key: Key,
    /// The entry's statement as printed: equal text, equal value.
    value: String,
    stmt: Statement,
}

/// An imported daemonset, as entries.
struct Parsed {
    stmt: Statement,
    pod: Vec<Setting>,
    /// The settings of each container.
    containers: Vec<Vec<Setting>>,
}

/// What the block holds for a setting.
struct Shared {
    value: String,
    stmt: Statement,
}

/// Factors `specs`: settings written by at least `share` (0 to 1) of them, and by two, go in
/// the block. `use_path` is the library as an agent's `use` names it.
pub fn factor(specs: &[Spec], share: f64, use_path: &str) -> Factored {
    let parsed: Vec<Parsed> = specs.iter().map(|s| parse(&s.node)).collect();
    let n = parsed.len();
    let needed = ((share.clamp(0.0, 1.0) * n as f64).ceil() as usize).max(2);
    let mut counts: BTreeMap<(Key, String), (usize, Statement)> = BTreeMap::new();
    for p in &parsed {
        let mut seen = BTreeSet::new();
        for s in p.pod.iter().chain(&common(&p.containers)) {
            if seen.insert((s.key.clone(), s.value.clone())) {
                let slot = counts
                    .entry((s.key.clone(), s.value.clone()))
                    .or_insert((0, s.stmt.clone()));
                slot.0 += 1;
            }
        }
    }
    // Per setting, its most common value (the first in text order on a tie).
    let mut shared: BTreeMap<Key, (usize, Shared)> = BTreeMap::new();
    for ((key, value), (count, stmt)) in counts {
        if count < needed {
            continue;
        }
        let better = shared.get(&key).is_none_or(|(c, _)| count > *c);
        if better {
            shared.insert(key, (count, Shared { value, stmt }));
        }
    }
    let shared: BTreeMap<Key, Shared> = shared.into_iter().map(|(k, (_, s))| (k, s)).collect();
    if shared.is_empty() {
        let agents = specs
            .iter()
            .zip(&parsed)
            .map(|(spec, p)| standalone(spec, p, Alone::NoBlock))
            .collect();
        return Factored {
            library: None,
            agents,
            shared: 0,
            needed,
        };
    }
    let order = order(&parsed, &shared);
    let block = block(&order, &shared);
    let library = library_text(&block, shared.len(), needed, n);
    let agents: Vec<Agent> = specs
        .iter()
        .zip(&parsed)
        .map(|(spec, p)| {
            let alone = standalone(spec, p, Alone::Differs);
            match layered(p, &shared, &order, &block, &spec.canonical) {
                Some(agent) => {
                    let text = with_use(agent, use_path);
                    // The block is taken where it makes the agent no longer.
                    if text.lines().count() <= alone.text.lines().count() {
                        Agent {
                            text,
                            alone: None,
                            ..alone
                        }
                    } else {
                        Agent {
                            alone: Some(Alone::Longer),
                            ..alone
                        }
                    }
                }
                None => alone,
            }
        })
        .collect();
    // A library no agent takes is not written.
    let taken = agents.iter().any(|a| a.alone.is_none());
    Factored {
        library: taken.then_some(library),
        agents,
        shared: shared.len(),
        needed,
    }
}

/// The agent over the block, proven to compile to `canonical`; `None` when no way of writing
/// it does. First with everything the block gives left out; when that compiles to something
/// else (the block puts items of a list before the agent's own), the agent writes its own
/// lists of the settings concerned, in its own order, keeping as few as it can.
fn layered(
    p: &Parsed,
    shared: &BTreeMap<Key, Shared>,
    order: &[Key],
    block: &Statement,
    canonical: &Json,
) -> Option<Statement> {
    let attempt = |pinned: &BTreeSet<Pin>| {
        let agent = rewrite(p, shared, order, pinned);
        compiles_to(block, &agent, canonical).then_some(agent)
    };
    let mut pinned = BTreeSet::new();
    if let Some(agent) = attempt(&pinned) {
        return Some(agent);
    }
    let candidates: BTreeSet<Pin> = p
        .pod
        .iter()
        .chain(p.containers.iter().flatten())
        .filter(|s| shared.contains_key(&s.key))
        .map(|s| (s.key.0, s.key.1 .0.clone()))
        .collect();
    pinned.clone_from(&candidates);
    let mut agent = attempt(&pinned)?;
    for c in &candidates {
        pinned.remove(c);
        match attempt(&pinned) {
            Some(a) => agent = a,
            None => {
                pinned.insert(c.clone());
            }
        }
    }
    Some(agent)
}

fn with_use(agent: Statement, use_path: &str) -> String {
    let mut body = Body::from_ast(&Ast {
        statements: vec![agent],
    });
    if let Some(first) = body.statements.first_mut() {
        first.blank_before = true;
    }
    let use_line = crate::print::Node::new("use", vec![crate::print::Value::word(use_path)]);
    body.statements.insert(0, use_line);
    body_to_source(&body)
}

/// A file name per agent, in `agents`' order: `NAME.ds`, or `NAME.NAMESPACE.ds` for a name
/// two namespaces use (a number after it if that is taken too).
pub fn file_names(agents: &[Agent]) -> Vec<String> {
    let mut uses: BTreeMap<&str, usize> = BTreeMap::new();
    for a in agents {
        *uses.entry(a.name.as_str()).or_default() += 1;
    }
    let mut taken: BTreeSet<String> = BTreeSet::new();
    let mut names = Vec::with_capacity(agents.len());
    for a in agents {
        let twice = uses.get(a.name.as_str()).is_some_and(|n| *n > 1);
        let stem = if twice {
            format!("{}.{}", a.name, a.namespace)
        } else {
            a.name.clone()
        };
        let mut file = format!("{stem}.ds");
        let mut k = 2;
        while taken.contains(&file) {
            file = format!("{stem}-{k}.ds");
            k += 1;
        }
        taken.insert(file.clone());
        names.push(file);
    }
    names
}

fn standalone(spec: &Spec, p: &Parsed, why: Alone) -> Agent {
    Agent {
        name: name_of(p),
        namespace: namespace_of(p),
        text: body_to_source(&Body::of(vec![spec.node.clone()])),
        alone: Some(why),
    }
}

fn name_of(p: &Parsed) -> String {
    p.stmt
        .args
        .first()
        .and_then(Arg::as_text)
        .unwrap_or_default()
}

/// The namespace after `in` (import writes none for `default`).
fn namespace_of(p: &Parsed) -> String {
    p.stmt
        .args
        .iter()
        .position(|a| a.as_word() == Some("in"))
        .and_then(|i| p.stmt.args.get(i + 1))
        .and_then(Arg::as_text)
        .unwrap_or_else(|| "default".into())
}

fn parse(node: &crate::print::Node) -> Parsed {
    let stmt = Body::of(vec![node.clone()])
        .to_ast()
        .statements
        .pop()
        .unwrap_or_else(|| empty("daemonset"));
    let mut pod = Vec::new();
    let mut containers = Vec::new();
    for s in inner(&stmt) {
        if s.keyword == "container" {
            containers.push(settings(inner(s), Scope::Containers));
        } else {
            pod.extend(settings(std::slice::from_ref(s), Scope::Pod));
        }
    }
    Parsed {
        stmt,
        pod,
        containers,
    }
}

fn inner(stmt: &Statement) -> &[Statement] {
    stmt.block.as_ref().map_or(&[][..], |b| &b.statements)
}

fn settings(stmts: &[Statement], scope: Scope) -> Vec<Setting> {
    stmts
        .iter()
        .filter_map(identities)
        .flatten()
        .map(|(id, stmt)| Setting {
            key: (scope, id),
            value: text(&stmt),
            stmt,
        })
        .collect()
}

/// The settings every container writes, with one value.
fn common(containers: &[Vec<Setting>]) -> Vec<Setting> {
    let Some((first, rest)) = containers.split_first() else {
        return Vec::new();
    };
    first
        .iter()
        .filter(|s| {
            rest.iter()
                .all(|c| c.iter().any(|o| o.key == s.key && o.value == s.value))
        })
        .cloned()
        .collect()
}

fn text(stmt: &Statement) -> String {
    body_to_source(&Body::from_ast(&Ast {
        statements: vec![stmt.clone()],
    }))
}

fn empty(keyword: &str) -> Statement {
    Statement {
        keyword: keyword.into(),
        keyword_span: Span::default(),
        args: Vec::new(),
        block: None,
        span: Span::default(),
    }
}

fn word(text: &str) -> Arg {
    Arg {
        kind: ArgKind::Word(text.into()),
        span: Span::default(),
    }
}

/// The shared settings in one order that agrees with the agents': each agent's settings, in
/// its order, merged into the order of the agents before it.
fn order(parsed: &[Parsed], shared: &BTreeMap<Key, Shared>) -> Vec<Key> {
    let mut order: Vec<Key> = Vec::new();
    for p in parsed {
        let mut at = 0;
        let containers = common(&p.containers);
        for s in p.pod.iter().chain(&containers) {
            if shared.get(&s.key).is_none_or(|v| v.value != s.value) {
                continue;
            }
            match order.iter().position(|k| *k == s.key) {
                Some(i) => at = at.max(i + 1),
                None => {
                    order.insert(at, s.key.clone());
                    at += 1;
                }
            }
        }
    }
    order
}

/// Statements of entries in order, the entries of one map setting next to each other joined
/// into one statement.
fn joined(entries: Vec<Statement>) -> Vec<Statement> {
    let mut out: Vec<Statement> = Vec::new();
    for stmt in entries {
        match out.last_mut() {
            Some(last)
                if last.keyword == stmt.keyword
                    && is_map(&stmt.keyword)
                    && last.block.is_none()
                    && !stmt.args.is_empty() =>
            {
                last.args.extend(stmt.args);
            }
            _ => out.push(stmt),
        }
    }
    out
}

/// The `defaults imported { ... }` statement.
fn block(order: &[Key], shared: &BTreeMap<Key, Shared>) -> Statement {
    let of = |scope: Scope| {
        joined(
            order
                .iter()
                .filter(|k| k.0 == scope)
                .filter_map(|k| shared.get(k))
                .map(|s| s.stmt.clone())
                .collect(),
        )
    };
    let mut statements = of(Scope::Pod);
    let containers = of(Scope::Containers);
    if !containers.is_empty() {
        statements.push(Statement {
            args: vec![word("*")],
            block: Some(Block {
                statements: containers,
                span: Span::default(),
            }),
            ..empty("container")
        });
    }
    Statement {
        args: vec![word(BLOCK)],
        block: Some(Block {
            statements,
            span: Span::default(),
        }),
        ..empty("defaults")
    }
}

fn library_text(block: &Statement, shared: usize, needed: usize, n: usize) -> String {
    let mut body = Body::from_ast(&Ast {
        statements: vec![block.clone()],
    });
    let settings = if shared == 1 { "setting" } else { "settings" };
    let by = if needed >= n && n == 2 {
        "both".to_string()
    } else if needed >= n {
        format!("all {n}")
    } else {
        format!("at least {needed} of {n}")
    };
    let lines = [
        format!("# Written by `dsc import --factor`: the {shared} {settings} that {by} DaemonSets"),
        "# write. An agent takes them with `from imported`, and says where it differs with"
            .to_string(),
        "# `override` and `remove`.".to_string(),
    ];
    if let Some(first) = body.statements.first_mut() {
        first.above = lines
            .into_iter()
            .map(|text| Comment {
                text,
                blank_before: false,
            })
            .collect();
    }
    body_to_source(&body)
}

/// The agent: what the block gives it left out, `override` where its value differs, `remove`
/// where it has none; `from imported` after its name.
fn rewrite(
    p: &Parsed,
    shared: &BTreeMap<Key, Shared>,
    order: &[Key],
    pinned: &BTreeSet<Pin>,
) -> Statement {
    let mut statements = removals(&p.pod, Scope::Pod, shared, order, pinned);
    for s in inner(&p.stmt) {
        if s.keyword == "container" {
            let own = inner(s);
            let settings = settings(own, Scope::Containers);
            let mut body = removals(&settings, Scope::Containers, shared, order, pinned);
            for o in own {
                body.extend(differences(o, Scope::Containers, shared, pinned));
            }
            statements.push(Statement {
                block: Some(Block {
                    statements: body,
                    span: Span::default(),
                }),
                ..s.clone()
            });
        } else {
            statements.extend(differences(s, Scope::Pod, shared, pinned));
        }
    }
    let mut args = p.stmt.args.clone();
    args.extend([word("from"), word(BLOCK)]);
    Statement {
        args,
        block: Some(Block {
            statements,
            span: Span::default(),
        }),
        ..p.stmt.clone()
    }
}

/// `remove` for each shared setting of `scope` that `settings` do not write, in the block's
/// order, the keys of one map in one statement. A daemonset's pinned setting is taken out too:
/// the agent writes it again, in its place (a container's own settings keep their places).
fn removals(
    settings: &[Setting],
    scope: Scope,
    shared: &BTreeMap<Key, Shared>,
    order: &[Key],
    pinned: &BTreeSet<Pin>,
) -> Vec<Statement> {
    let mut out: Vec<Statement> = Vec::new();
    for key in order.iter().filter(|k| k.0 == scope) {
        let written = settings.iter().any(|s| s.key == *key);
        let again = scope == Scope::Pod && pinned.contains(&(scope, key.1 .0.clone()));
        if written && !again {
            continue;
        }
        let Some(s) = shared.get(key) else { continue };
        let args = removal(&key.1, &s.stmt);
        match out.last_mut() {
            Some(last)
                if is_map(&key.1 .0)
                    && last.args.first().and_then(Arg::as_word) == Some(key.1 .0.as_str()) =>
            {
                last.args.extend(args.into_iter().skip(1));
            }
            _ => out.push(Statement {
                args,
                ..empty("remove")
            }),
        }
    }
    out
}

/// A statement of the agent against the block: what the block gives is left out, a different
/// value is written with `override`, the rest as it was.
fn differences(
    stmt: &Statement,
    scope: Scope,
    shared: &BTreeMap<Key, Shared>,
    pinned: &BTreeSet<Pin>,
) -> Vec<Statement> {
    let Some(entries) = identities(stmt) else {
        return vec![stmt.clone()];
    };
    let pin = pinned.contains(&(scope, stmt.keyword.to_string()));
    let mut kept = Vec::new();
    let mut changed = Vec::new();
    for (id, entry) in entries {
        match shared.get(&(scope, id)) {
            // Taken out below it (a daemonset's), or the same value again (a container's).
            Some(_) if pin && scope == Scope::Pod => kept.push(entry),
            Some(s) if pin && s.value == text(&entry) => kept.push(entry),
            Some(s) if s.value == text(&entry) => {}
            Some(_) => changed.push(entry),
            None => kept.push(entry),
        }
    }
    if changed.is_empty() && kept.len() == 1 {
        return kept;
    }
    let mut out = joined(kept);
    for stmt in joined(changed) {
        let mut args = vec![word(&stmt.keyword)];
        args.extend(stmt.args);
        out.push(Statement {
            args,
            block: stmt.block,
            ..empty("override")
        });
    }
    out
}

/// Whether `agent`, compiled with `block`, gives exactly `canonical`.
fn compiles_to(block: &Statement, agent: &Statement, canonical: &Json) -> bool {
    let text = body_to_source(&Body::from_ast(&Ast {
        statements: vec![block.clone(), agent.clone()],
    }));
    let file = SourceFile::new("factor.ds", text);
    let compiled = crate::compile(&file, &LintLevels::default());
    if compiled
        .diagnostics
        .iter()
        .any(|d| d.severity == Severity::Error)
    {
        return false;
    }
    match compiled.manifests.as_slice() {
        [one] => canonicalize(one.object.clone(), &[]) == canonicalize(canonical.clone(), &[]),
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn agent(name: &str, namespace: &str) -> Agent {
        Agent {
            name: name.into(),
            namespace: namespace.into(),
            text: String::new(),
            alone: None,
        }
    }

    #[test]
    fn a_name_two_namespaces_use_takes_the_namespace_and_a_number_if_still_taken() {
        let agents = [
            agent("dns", "kube-system"),
            agent("logs", "logging"),
            agent("dns", "edge"),
            agent("dns", "kube-system"),
        ];
        assert_eq!(
            file_names(&agents),
            [
                "dns.kube-system.ds",
                "logs.ds",
                "dns.edge.ds",
                "dns.kube-system-2.ds"
            ]
        );
    }

    #[test]
    fn entries_of_one_map_share_a_statement_and_other_settings_do_not() {
        let stmt = |keyword: &str, arg: &str| Statement {
            args: vec![word(arg)],
            ..empty(keyword)
        };
        let joined = joined(vec![
            stmt("labels", "a=1"),
            stmt("labels", "b=2"),
            stmt("tolerate", "all"),
            stmt("tolerate", "gpu"),
            stmt("labels", "c=3"),
        ]);
        let shape: Vec<(String, usize)> = joined
            .iter()
            .map(|s| (s.keyword.to_string(), s.args.len()))
            .collect();
        assert_eq!(
            shape,
            [
                ("labels".to_string(), 2),
                ("tolerate".to_string(), 1),
                ("tolerate".to_string(), 1),
                ("labels".to_string(), 1)
            ]
        );
    }
}
