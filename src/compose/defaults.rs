//! Defaults blocks and layers: `defaults NAME [from PARENT ...] { SETTINGS }` holds settings of
//! a daemonset body that every spec naming it (`daemonset NAME in NS from BLOCK ...`) takes.
//!
//! Layers, lowest first: the blocks a daemonset names (a parent below its children), then the
//! daemonset's own body. Each setting has an identity: a single setting is its keyword; a map
//! (`labels`, `node-selector`, ...) is one entry per key; keyed lists are merged by their
//! Kubernetes identity (env, volumes, containers and pull secrets by name, ports by number and
//! protocol, mounts by path); tolerations and affinity terms are sets; `command`, `args`,
//! `env-from` and `supplemental-groups` are atomic lists. Rules:
//!
//! - Two blocks of one layer (neither below the other) that set one identity differently clash:
//!   an error with both lines. Equal values merge; a block reached twice counts once.
//! - A higher layer replaces a value of a lower one when it is `soft`; a firm value (the rest)
//!   only with `override`. An `override` that replaces nothing is a warning.
//! - An atomic list set below is replaced with `override` or extended with `append`.
//! - `remove SETTING [IDENTITY]` takes out what a lower layer set; removing what is not there is
//!   an error.
//! - `container *` (`init *`) holds settings for every container (init container) of the
//!   daemonset, below the container's own; it never creates one.
//!
//! The result is a plain daemonset body: the checker sees settings, wherever they were written
//! (a library's statements keep spans that say so, see `Libraries`), and checks them all.
//! Nothing depends on the order of `use` lines, blocks or the names in `from`: blocks of one
//! layer are merged in name order and may not disagree.

use std::collections::BTreeSet;

use crate::diagnostics::{did_you_mean, Diagnostic};
use crate::source::Span;
use crate::syntax::{Arg, ArgKind, Ast, Statement};

/// A `from` name of a daemonset and the blocks it brings in: a finding on a line of one of
/// those blocks also labels the name that brought it.
#[derive(Clone, Debug)]
pub struct Brought {
    /// The `defaults` statements reached through the name.
    pub blocks: Vec<Span>,
    /// The name in `from`.
    pub via: Span,
    pub name: String,
}

/// How a statement of a layer applies to what the layers below set.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Mode {
    Plain,
    Soft,
    Override,
    Remove,
    Append,
}

/// How a setting merges across layers.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Shape {
    /// One value: the keyword is the identity.
    One,
    /// `key=value` entries, each its own identity.
    Map,
    /// Names, each its own identity (`pull-secret a b`).
    Names,
    /// One item of a list with an identity (an env var by name, a port by number+protocol).
    Keyed,
    /// A block merged setting by setting (a container).
    Nested,
    /// A member of a set (a toleration).
    Set,
    /// An atomic list: set in one layer, then replaced or appended explicitly.
    List,
}

fn shape(keyword: &str) -> Shape {
    match keyword {
        "labels" | "daemonset-labels" | "annotations" | "selector" | "pod-labels"
        | "pod-annotations" | "node-selector" | "sysctl" => Shape::Map,
        "pull-secret" => Shape::Names,
        "env" | "port" | "mount" | "volume" | "host-alias" | "resource" => Shape::Keyed,
        "container" | "init" => Shape::Nested,
        "tolerate" | "node-affinity" | "pod-affinity" | "pod-anti-affinity" | "allow" => Shape::Set,
        "command" | "args" | "env-from" | "supplemental-groups" => Shape::List,
        _ => Shape::One,
    }
}

/// What a setting is, across layers: its keyword and, for entries of a map or list, its key.
pub type Id = (String, Option<String>);

/// The entries a setting of a daemonset body or container sets, as layers merge them: each
/// one's identity and the statement that sets it alone (`labels a=1 b=2` is two). `None` for a
/// statement that is not a setting layers merge one by one: a container (merged setting by
/// setting), an overlay, a statement written with `soft`, `override`, `remove` or `append`,
/// or a container's YAML `override`.
pub fn identities(stmt: &Statement) -> Option<Vec<(Id, Statement)>> {
    if shape(&stmt.keyword) == Shape::Nested
        || stmt.keyword == "overlay"
        || matches!(
            stmt.keyword.as_str(),
            "soft" | "override" | "remove" | "append"
        )
    {
        return None;
    }
    Some(
        entries_of(stmt, SPEC, Mode::Plain)
            .into_iter()
            .map(|e| (e.id, e.stmt))
            .collect(),
    )
}

/// The arguments of `remove` that take out the entry `id`, whose statement is `stmt` (one of
/// [`identities`]): `labels team`, `env NODE_NAME`, `port 53/UDP`, `tolerate all`, `priority`.
pub fn removal(id: &Id, stmt: &Statement) -> Vec<Arg> {
    let word = |text: &str| Arg {
        kind: ArgKind::Word(text.into()),
        span: Span::default(),
    };
    let mut args = vec![word(&id.0)];
    match (shape(&id.0), &id.1) {
        (Shape::Set, _) => args.extend(stmt.args.iter().cloned()),
        (Shape::List, _) if id.0 == "env-from" => args.extend(stmt.args.iter().cloned()),
        (Shape::List | Shape::One, _) | (_, None) => {}
        (_, Some(key)) => args.push(word(key)),
    }
    args
}

/// Whether a setting of `keyword` is merged as one of many entries with keys (a map, a list
/// of names): several such entries may share one statement.
pub fn is_map(keyword: &str) -> bool {
    matches!(shape(keyword), Shape::Map | Shape::Names)
}

/// A setting as merged so far.
#[derive(Clone, Debug)]
struct Entry {
    id: Id,
    stmt: Statement,
    /// The block that set it ([`SPEC`] for the daemonset's own body).
    origin: usize,
    soft: bool,
    /// Written with `override`: a firm value of `container *` below may be changed.
    overrode: bool,
    /// Taken out by `remove` (kept so that `container *` does not bring it back).
    removed: bool,
    /// A container's settings.
    children: Vec<Entry>,
    /// The values it replaced, latest first: each statement's span and origin.
    replaced: Vec<(Span, usize)>,
    /// The `append` statements that extended it (an atomic list), with their origins.
    appended: Vec<(Span, usize)>,
}

impl Entry {
    /// `self` in place of `old`, which joins its history.
    fn over(mut self, old: &mut Entry) -> Entry {
        self.replaced = std::mem::take(&mut old.replaced);
        self.replaced.insert(0, (old.stmt.span, old.origin));
        self
    }
}

/// The merged setting whose statement holds `span`, the narrowest.
pub fn chain_at(chains: &[Chain], span: Span) -> Option<&Chain> {
    chains
        .iter()
        .filter(|c| c.at.start() <= span.start() && span.end() <= c.at.end())
        .min_by_key(|c| c.at.len())
}

/// Where a setting of a merged daemonset was written, in which layer, and what it replaced:
/// what `dsc why` prints.
#[derive(Clone, Debug)]
pub struct Chain {
    /// The statement that set the final value.
    pub at: Span,
    /// Its layer (`defaults node-agent`, `daemonset`, `overlay prod`).
    pub layer: String,
    /// The statements whose values it replaced, latest first, with their layers.
    pub replaced: Vec<(Span, String)>,
    /// The `append` statements that extended it, in order, with their layers.
    pub appended: Vec<(Span, String)>,
}

/// The origin of the daemonset's own statements.
const SPEC: usize = usize::MAX;
/// The origin of the daemonset's overlay for the environment built.
const SPEC_OVERLAY: usize = usize::MAX - 1;

/// The environment a spec is built for (`None`: none chosen, overlays are checked and left
/// out), and the environments its repository declares.
#[derive(Clone, Copy, Debug, Default)]
pub struct Env<'a> {
    pub name: Option<&'a str>,
    pub declared: &'a [String],
}

/// One `defaults` statement.
struct Block<'a> {
    name: String,
    stmt: &'a Statement,
    parents: Vec<(String, Span)>,
}

/// Merges the blocks each daemonset names
/// in `from` (its own file's and `library_blocks`) under its body. Returns what each `from`
/// brought in.
pub fn apply(
    ast: &mut Ast,
    library_blocks: &[Statement],
    env: Env,
    diags: &mut Vec<Diagnostic>,
) -> (Vec<Brought>, Vec<Chain>) {
    let own: Vec<Statement> = ast
        .statements
        .iter()
        .filter(|s| s.keyword == "defaults")
        .cloned()
        .collect();
    let layered = ast.statements.iter().any(|s| {
        s.keyword == "daemonset"
            && (from_at(s).is_some()
                || s.block
                    .as_ref()
                    .is_some_and(|b| has_modifier(&b.statements)))
    });
    if own.is_empty() && !layered {
        return (Vec::new(), Vec::new());
    }
    // Merging compares each setting with those below it: bounded, so no input makes it slow.
    let too_many = ast
        .statements
        .iter()
        .chain(library_blocks)
        .filter(|s| matches!(s.keyword.as_str(), "daemonset" | "defaults"))
        .filter(|s| settings(s) > MAX_SETTINGS)
        .map(|s| s.keyword_span)
        .collect::<Vec<_>>();
    if !too_many.is_empty() {
        for at in too_many {
            diags.push(
                Diagnostic::error(
                    "DS0118",
                    format!("more than {MAX_SETTINGS} settings in a block that takes part in layers"),
                )
                .at(at, "too many settings")
                .help("no DaemonSet the API server accepts needs this many; split the settings, or leave the block out of `from`"),
            );
        }
        for s in ast
            .statements
            .iter_mut()
            .filter(|s| s.keyword == "daemonset")
        {
            if let Some(at) = from_at(s) {
                s.args.truncate(at);
            }
        }
        return (Vec::new(), Vec::new());
    }
    let mut blocks: Vec<Block> = Vec::new();
    for stmt in own.iter().chain(library_blocks) {
        if let Some(block) = read_block(stmt, diags) {
            if let Some(first) = blocks.iter().find(|b| b.name == block.name) {
                diags.push(
                    Diagnostic::error(
                        "DS0111",
                        format!("defaults block `{}` is defined twice", block.name),
                    )
                    .at(name_span(stmt), "defined again here")
                    .also(name_span(first.stmt), "first defined here")
                    .help(
                        "give one of them another name; a spec names the blocks it takes in `from`",
                    ),
                );
                continue;
            }
            blocks.push(block);
        }
    }
    // Names in order, so merging never depends on the order of files or statements.
    blocks.sort_by(|a, b| a.name.cmp(&b.name));
    let mut merger = Merger::new(&blocks, env, diags);
    let mut brought = Vec::new();
    for stmt in ast
        .statements
        .iter_mut()
        .filter(|s| s.keyword == "daemonset")
    {
        merger.daemonset(stmt, &mut brought);
    }
    (brought, merger.chains)
}

/// The most settings a daemonset or defaults block may hold when it takes part in layers.
const MAX_SETTINGS: usize = 10_000;

/// The statements of `stmt`'s block, nested ones included.
fn settings(stmt: &Statement) -> usize {
    stmt.block.as_ref().map_or(0, |b| {
        b.statements.len() + b.statements.iter().map(settings).sum::<usize>()
    })
}

fn has_modifier(stmts: &[Statement]) -> bool {
    stmts.iter().any(|s| {
        modifier(s).is_some()
            || s.keyword == "overlay"
            || s.block
                .as_ref()
                .is_some_and(|b| has_modifier(&b.statements))
    })
}

/// The statements of a statement's block (none without one).
fn body(stmt: &Statement) -> &[Statement] {
    stmt.block.as_ref().map_or(&[][..], |b| &b.statements)
}

/// Where `from` is among a statement's arguments.
fn from_at(stmt: &Statement) -> Option<usize> {
    stmt.args.iter().position(|a| a.as_word() == Some("from"))
}

fn name_span(stmt: &Statement) -> Span {
    stmt.args.first().map_or(stmt.keyword_span, |a| a.span)
}

/// The names after `from`, each one word.
fn names_after_from(
    stmt: &Statement,
    at: usize,
    diags: &mut Vec<Diagnostic>,
) -> Vec<(String, Span)> {
    let names: Vec<(String, Span)> = stmt.args[at + 1..]
        .iter()
        .filter_map(|a| match a.as_word() {
            Some(w) if is_block_name(w) => Some((w.to_string(), a.span)),
            _ => {
                diags.push(
                    Diagnostic::error("DS0111", "`from` takes names of defaults blocks")
                        .at(a.span, "not a block name")
                        .help("name the blocks after `from`, separated by spaces: `from node-agent gpu`"),
                );
                None
            }
        })
        .collect();
    if stmt.args.len() == at + 1 {
        diags.push(
            Diagnostic::error("DS0111", "`from` names no defaults block")
                .at(stmt.args[at].span, "no name after it")
                .help(
                    "name the blocks to take settings from: `from node-agent`, or leave `from` out",
                ),
        );
    }
    names
}

fn is_block_name(w: &str) -> bool {
    w.starts_with(|c: char| c.is_ascii_alphabetic())
        && w.chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
}

/// `defaults NAME [from PARENT ...] { ... }`, or a report of what is wrong with it.
fn read_block<'a>(stmt: &'a Statement, diags: &mut Vec<Diagnostic>) -> Option<Block<'a>> {
    let usage = "write `defaults NAME [from PARENT ...] { SETTINGS }`";
    let name = match stmt.args.first().and_then(Arg::as_word) {
        Some(w) if is_block_name(w) && w != "from" => w.to_string(),
        _ => {
            diags.push(
                Diagnostic::error("DS0111", "a `defaults` block needs a name")
                    .at(
                        name_span(stmt),
                        "expected a name (letters, digits, `-`, `_`)",
                    )
                    .help(usage),
            );
            return None;
        }
    };
    let parents = match stmt.args.len() {
        1 => Vec::new(),
        _ if stmt.args[1].as_word() == Some("from") => names_after_from(stmt, 1, diags),
        _ => {
            diags.push(
                Diagnostic::error("DS0111", "unexpected value after the defaults block's name")
                    .at(stmt.args[1].span, "expected `from` or `{`")
                    .help(usage),
            );
            Vec::new()
        }
    };
    if stmt.block.is_none() {
        diags.push(
            Diagnostic::error("DS0111", "`defaults` needs a block of settings")
                .at(stmt.span, "no `{ ... }` after the name")
                .help(usage),
        );
        return None;
    }
    Some(Block {
        name,
        stmt,
        parents,
    })
}

/// `soft X ...`, `override X ...`, `remove X ...`, `append X ...`: the mode and the statement
/// `X ...` (its span still the whole line). `None` for a plain statement, and for a container's
/// YAML `override """..."""`.
fn modifier(stmt: &Statement) -> Option<Mode> {
    let mode = match stmt.keyword.as_str() {
        "soft" => Mode::Soft,
        "override" => Mode::Override,
        "remove" => Mode::Remove,
        "append" => Mode::Append,
        _ => return None,
    };
    match stmt.args.first().map(|a| &a.kind) {
        Some(ArgKind::Str { .. }) if mode == Mode::Override => None,
        _ => Some(mode),
    }
}

/// The setting a modifier applies to, or a report that there is none.
fn unwrap(stmt: &Statement, mode: Mode, diags: &mut Vec<Diagnostic>) -> Option<Statement> {
    let Some(first) = stmt
        .args
        .first()
        .filter(|a| a.as_word().is_some_and(is_keyword))
    else {
        diags.push(
            Diagnostic::error("DS0116", format!("`{}` takes a setting", stmt.keyword))
                .at(stmt.span, "no setting after it")
                .help(match mode {
                    Mode::Remove => "write the setting to take out: `remove priority`, `remove env NODE_NAME`, `remove tolerate all`",
                    Mode::Append => "write the list to extend: `append args --verbose`",
                    Mode::Soft => "write the setting that agents may change: `soft max-unavailable 10%`",
                    _ => "write the setting to change: `override priority system-cluster-critical`",
                }),
        );
        return None;
    };
    Some(Statement {
        keyword: first.as_word().unwrap_or_default().into(),
        keyword_span: first.span,
        args: stmt.args[1..].to_vec(),
        block: stmt.block.clone(),
        span: stmt.span,
    })
}

fn is_keyword(w: &str) -> bool {
    w.starts_with(|c: char| c.is_ascii_lowercase())
        && w.chars().all(|c| c.is_ascii_alphanumeric() || c == '-')
}

/// The arguments as one line of text: the value of a set member, compared and shown.
fn text_of(args: &[Arg]) -> String {
    args.iter()
        .map(|a| match &a.kind {
            ArgKind::List(items) => format!("[{}]", text_of(items)),
            _ => a.as_text().unwrap_or_default(),
        })
        .collect::<Vec<_>>()
        .join(" ")
}

/// The identity of a keyed item from its arguments (`remove` gives only the identity).
fn key_of(keyword: &str, args: &[Arg]) -> Option<String> {
    let first = args.first()?;
    match keyword {
        "env" => match &first.kind {
            ArgKind::Pair { key, .. } => Some(key.to_string()),
            _ => first.as_text(),
        },
        "port" => args.iter().find_map(|a| {
            let text = a.as_text()?;
            let (number, protocol) = text.split_once('/').unwrap_or((&text, "tcp"));
            (!number.is_empty() && number.bytes().all(|b| b.is_ascii_digit()))
                .then(|| format!("{number}/{}", protocol.to_ascii_uppercase()))
        }),
        "mount" => {
            let path = match args.iter().position(|a| a.as_word() == Some("at")) {
                Some(i) => args.get(i + 1)?.as_text()?,
                None => first.as_text()?,
            };
            let trimmed = path.trim_end_matches('/');
            Some(if trimmed.is_empty() {
                path
            } else {
                trimmed.to_string()
            })
        }
        _ => first.as_text(),
    }
}

/// A statement as the entries it sets.
fn entries_of(stmt: &Statement, origin: usize, mode: Mode) -> Vec<Entry> {
    let keyword = stmt.keyword.to_string();
    let entry = |key: Option<String>, stmt: Statement| Entry {
        id: (keyword.clone(), key),
        stmt,
        origin,
        soft: mode == Mode::Soft,
        overrode: mode == Mode::Override,
        removed: false,
        children: Vec::new(),
        replaced: Vec::new(),
        appended: Vec::new(),
    };
    let one_arg = |arg: &Arg| Statement {
        args: vec![arg.clone()],
        ..stmt.clone()
    };
    match shape(&keyword) {
        Shape::Map | Shape::Names if !stmt.args.is_empty() => stmt
            .args
            .iter()
            .map(|arg| entry(Some(map_key(arg)), one_arg(arg)))
            .collect(),
        Shape::Keyed | Shape::Nested => {
            let key = key_of(&keyword, &stmt.args).unwrap_or_else(|| text_of(&stmt.args));
            vec![entry(Some(key), stmt.clone())]
        }
        Shape::Set => vec![entry(Some(text_of(&stmt.args)), stmt.clone())],
        Shape::List if keyword == "env-from" => {
            vec![entry(Some(text_of(&stmt.args)), stmt.clone())]
        }
        _ => vec![entry(None, stmt.clone())],
    }
}

/// The key of an entry of a map (`key=value`) or a list of names (`name`).
fn map_key(arg: &Arg) -> String {
    match &arg.kind {
        ArgKind::Pair { key, .. } => key.to_string(),
        _ => arg.as_text().unwrap_or_default(),
    }
}

/// The identities a `remove` names.
fn removed_ids(stmt: &Statement) -> Vec<Id> {
    let keyword = stmt.keyword.to_string();
    match shape(&keyword) {
        Shape::Map | Shape::Names => stmt
            .args
            .iter()
            .map(|arg| (keyword.clone(), Some(map_key(arg))))
            .collect(),
        Shape::Keyed | Shape::Nested => vec![(keyword.clone(), key_of(&keyword, &stmt.args))],
        Shape::Set => vec![(keyword.clone(), Some(text_of(&stmt.args)))],
        Shape::List if keyword == "env-from" && !stmt.args.is_empty() => {
            vec![(keyword.clone(), Some(text_of(&stmt.args)))]
        }
        _ => vec![(keyword, None)],
    }
}

/// `remove` names a whole map or list: every entry of the keyword.
fn removes_all(stmt: &Statement) -> bool {
    stmt.args.is_empty()
        && matches!(
            shape(&stmt.keyword),
            Shape::Map | Shape::Names | Shape::List
        )
}

struct Merger<'a, 'd> {
    blocks: &'a [Block<'a>],
    env: Env<'a>,
    /// Each block's ancestors (the blocks below it), once resolved.
    below: Vec<BTreeSet<usize>>,
    resolved: Vec<Option<Vec<Entry>>>,
    diags: &'d mut Vec<Diagnostic>,
    /// Where each merged setting came from, for `dsc why`.
    chains: Vec<Chain>,
}

impl<'a, 'd> Merger<'a, 'd> {
    fn new(blocks: &'a [Block<'a>], env: Env<'a>, diags: &'d mut Vec<Diagnostic>) -> Self {
        Merger {
            blocks,
            env,
            below: vec![BTreeSet::new(); blocks.len()],
            resolved: vec![None; blocks.len()],
            diags,
            chains: Vec::new(),
        }
    }

    fn find(&mut self, name: &str, span: Span) -> Option<usize> {
        match self.blocks.binary_search_by(|b| b.name.as_str().cmp(name)) {
            Ok(i) => Some(i),
            Err(_) => {
                let names = self.blocks.iter().map(|b| b.name.as_str());
                let d = Diagnostic::error("DS0111", format!("no defaults block is named `{name}`"))
                    .at(span, "not a defaults block");
                let help = if self.blocks.is_empty() {
                    "define it with `defaults NAME { SETTINGS }` in this file or in a library it uses (`use ../lib/defaults.ds`)".to_string()
                } else {
                    format!(
                        "the blocks this file sees are {}",
                        self.blocks
                            .iter()
                            .map(|b| format!("`{}`", b.name))
                            .collect::<Vec<_>>()
                            .join(", ")
                    )
                };
                self.diags
                    .push(d.suggest_or(did_you_mean(name, names), help));
                None
            }
        }
    }

    /// The entries of block `i`, its parents merged below it.
    fn resolve(&mut self, i: usize, chain: &mut Vec<usize>, via: Span) -> Vec<Entry> {
        if let Some(done) = &self.resolved[i] {
            return done.clone();
        }
        if let Some(at) = chain.iter().position(|&c| c == i) {
            let names: Vec<&str> = chain[at..]
                .iter()
                .chain(std::iter::once(&i))
                .map(|&c| self.blocks[c].name.as_str())
                .collect();
            self.diags.push(
                Diagnostic::error(
                    "DS0111",
                    format!("defaults blocks make a cycle: {}", names.join(" → ")),
                )
                .at(via, "closes the cycle")
                .help("a block cannot take settings from a block that takes its own; move what both need into a third block"),
            );
            return Vec::new();
        }
        chain.push(i);
        let block = &self.blocks[i];
        let mut parents: Vec<usize> = Vec::new();
        for (name, span) in &block.parents {
            if let Some(p) = self.find(name, *span) {
                let _ = self.resolve(p, chain, *span);
                if !parents.contains(&p) {
                    parents.push(p);
                }
            }
        }
        chain.pop();
        let mut below = BTreeSet::new();
        for &p in &parents {
            below.insert(p);
            below.extend(self.below[p].iter().copied());
        }
        self.below[i] = below;
        let lower = self.siblings(&parents);
        let stmts = body(block.stmt);
        let entries = self.layer(lower, stmts, i, None);
        self.resolved[i] = Some(entries.clone());
        entries
    }

    /// The entries of blocks of one layer, merged (they were resolved before).
    fn siblings(&mut self, blocks: &[usize]) -> Vec<Entry> {
        let mut sorted = blocks.to_vec();
        sorted.sort_unstable();
        let mut out: Vec<Entry> = Vec::new();
        for b in sorted {
            let entries = self.resolved[b].clone().unwrap_or_default();
            out = self.union(out, entries);
        }
        out
    }

    /// Two sets of entries of one layer: equal values merge, a block's over its ancestors',
    /// containers setting by setting; other differences clash.
    fn union(&mut self, mut out: Vec<Entry>, entries: Vec<Entry>) -> Vec<Entry> {
        for e in entries {
            let Some(i) = out.iter().position(|o| o.id == e.id) else {
                out.push(e);
                continue;
            };
            let o = &out[i];
            if o.origin == e.origin && o.stmt.span == e.stmt.span && o.children.is_empty() {
                continue;
            }
            if shape(&e.id.0) == Shape::Nested && !e.removed && !o.removed {
                // Setting by setting: each knows the block that set it.
                let children = std::mem::take(&mut out[i].children);
                out[i].children = self.union(children, e.children);
            } else if self.is_below(o.origin, e.origin) {
                out[i] = e.over(&mut out[i]);
            } else if self.is_below(e.origin, o.origin) {
            } else if o.stmt.same_as(&e.stmt) && o.removed == e.removed {
                out[i].soft &= e.soft;
            } else {
                let what = shown(&e);
                let (mine, theirs) = (self.name_of(e.origin), self.name_of(o.origin));
                let d = Diagnostic::error(
                    "DS0112",
                    format!("defaults blocks `{theirs}` and `{mine}` set `{what}` differently"),
                )
                .at(e.stmt.span, format!("set here by `{mine}`"))
                .also(o.stmt.span, format!("and here by `{theirs}`"))
                .help("blocks of one layer must agree: set it in one of them only, or in a block both take it from");
                self.diags.push(d);
            }
        }
        out
    }

    /// The block an origin is in (its body or its overlay); `None` for the daemonset's own.
    fn block_of(&self, origin: usize) -> Option<usize> {
        let n = self.blocks.len();
        match origin {
            o if o < n => Some(o),
            o if o < 2 * n => Some(o - n),
            _ => None,
        }
    }

    /// The origin of the overlay of the layer `origin`.
    fn overlay_of(&self, origin: usize) -> usize {
        match origin {
            SPEC => SPEC_OVERLAY,
            o if o < self.blocks.len() => o + self.blocks.len(),
            o => o,
        }
    }

    fn is_below(&self, lower: usize, upper: usize) -> bool {
        match (self.block_of(lower), self.block_of(upper)) {
            (Some(l), Some(u)) if l == u => lower < upper,
            (Some(l), Some(u)) => self.below[u].contains(&l),
            _ => false,
        }
    }

    /// Whether a value set at `lower` changes at `upper` only with `override`: a block's value,
    /// changed by another block or the daemonset (a layer's overlay changes the layer freely).
    fn is_firm_under(&self, lower: usize, upper: usize) -> bool {
        match self.block_of(lower) {
            Some(l) => self.block_of(upper) != Some(l),
            None => false,
        }
    }

    fn name_of(&self, origin: usize) -> &str {
        self.block_of(origin)
            .map_or("", |b| self.blocks[b].name.as_str())
    }

    /// The statements of one layer (block `origin`, or the daemonset's body) applied over
    /// `lower`. `template`: the `container *` settings below, inside a container.
    fn layer(
        &mut self,
        mut out: Vec<Entry>,
        stmts: &[Statement],
        origin: usize,
        template: Option<&[Entry]>,
    ) -> Vec<Entry> {
        let mut overlays: Vec<Statement> = Vec::new();
        for written in stmts {
            if written.keyword == "overlay" {
                let names =
                    super::environments::overlay_names(written, self.env.declared, self.diags);
                let chosen = self.env.name.is_some_and(|e| names.iter().any(|n| n == e));
                if chosen {
                    overlays.extend(
                        written
                            .block
                            .iter()
                            .flat_map(|b| b.statements.iter().cloned()),
                    );
                }
                continue;
            }
            let (mode, stmt) = match modifier(written) {
                None => (Mode::Plain, written.clone()),
                Some(mode) => match unwrap(written, mode, self.diags) {
                    Some(stmt) => (mode, stmt),
                    None => continue,
                },
            };
            if mode == Mode::Soft && origin == SPEC {
                self.diags.push(
                    Diagnostic::warning("DS0116", "`soft` matters only in a defaults block")
                        .at(written.keyword_span, "nothing is above this layer")
                        .help("write the setting without `soft`")
                        .fix(
                            Span::new(written.keyword_span.start(), stmt.keyword_span.start()),
                            "",
                        ),
                );
            }
            if mode == Mode::Remove {
                self.remove(&mut out, &stmt, written, origin, template);
                continue;
            }
            let shape = shape(&stmt.keyword);
            if shape == Shape::List {
                self.list(&mut out, &stmt, written, mode, origin);
                continue;
            }
            let mut mode = mode;
            if mode == Mode::Append {
                // Reported once: the setting then replaces what is below.
                mode = Mode::Override;
                self.diags.push(
                    Diagnostic::error("DS0116", format!("`{}` is not a list to append to", stmt.keyword))
                        .at(stmt.keyword_span, "not a list")
                        .help("`append` extends `command`, `args`, `env-from` or `supplemental-groups`; write the setting alone to add it")
                        .fix(Span::new(written.keyword_span.start(), stmt.keyword_span.start()), ""),
                );
            }
            for mut e in entries_of(&stmt, origin, mode) {
                let lower = out
                    .iter()
                    .position(|o| o.id == e.id && o.origin != origin && !o.removed);
                let Some(i) = lower else {
                    if shape == Shape::Nested {
                        let own = body(&e.stmt);
                        let inner = self.template_for(&out, &e.id);
                        e.children = self.layer(Vec::new(), own, origin, inner.as_deref());
                    }
                    let from_template =
                        template.is_some_and(|t| t.iter().any(|o| o.id == e.id && !o.removed));
                    if mode == Mode::Override && !from_template {
                        self.nothing_to_override(written, &stmt);
                    }
                    out.retain(|o| !(o.id == e.id && o.removed));
                    out.push(e);
                    continue;
                };
                if shape == Shape::Set {
                    continue;
                }
                if shape == Shape::Nested && mode != Mode::Override {
                    let own = body(&e.stmt).to_vec();
                    let inner = self.template_for(&out, &e.id);
                    let children = std::mem::take(&mut out[i].children);
                    out[i].children = self.layer(children, &own, origin, inner.as_deref());
                    out[i].stmt = Statement {
                        block: None,
                        ..e.stmt
                    };
                    out[i].origin = origin;
                    continue;
                }
                let o = &out[i];
                let firm = !o.soft && self.is_firm_under(o.origin, origin);
                if firm && mode != Mode::Override && !o.stmt.same_as(&e.stmt) {
                    let d = self.firm(o, &stmt, written);
                    self.diags.push(d);
                }
                if shape == Shape::Nested {
                    let own = body(&e.stmt).to_vec();
                    e.children = self.layer(Vec::new(), &own, origin, None);
                }
                out[i] = e.over(&mut out[i]);
            }
        }
        if !overlays.is_empty() {
            let overlay = self.overlay_of(origin);
            out = self.layer(out, &overlays, overlay, template);
        }
        out
    }

    /// The `container *` (`init *`) settings below, for the container `id`.
    fn template_for(&self, out: &[Entry], id: &Id) -> Option<Vec<Entry>> {
        if id.1.as_deref() == Some("*") {
            return None;
        }
        out.iter()
            .find(|o| o.id.0 == id.0 && o.id.1.as_deref() == Some("*"))
            .map(|o| o.children.clone())
    }

    fn remove(
        &mut self,
        out: &mut Vec<Entry>,
        stmt: &Statement,
        written: &Statement,
        origin: usize,
        template: Option<&[Entry]>,
    ) {
        let below = |o: &Entry| o.origin != origin && !o.removed;
        let ids: Vec<Id> = if removes_all(stmt) {
            let all: Vec<Id> = out
                .iter()
                .filter(|o| o.id.0 == stmt.keyword.as_str() && below(o))
                .map(|o| o.id.clone())
                .collect();
            if all.is_empty() {
                vec![(stmt.keyword.to_string(), None)]
            } else {
                all
            }
        } else {
            removed_ids(stmt)
        };
        for id in ids {
            let mut hit = false;
            for o in out.iter_mut().filter(|o| o.id == id && below(o)) {
                o.removed = true;
                o.children.clear();
                hit = true;
            }
            if !hit && template.is_some_and(|t| t.iter().any(|o| o.id == id && !o.removed)) {
                // A tombstone: `container *` brings it to every container but this one.
                out.push(Entry {
                    id: id.clone(),
                    stmt: stmt.clone(),
                    origin,
                    soft: false,
                    overrode: false,
                    removed: true,
                    children: Vec::new(),
                    replaced: Vec::new(),
                    appended: Vec::new(),
                });
                hit = true;
            }
            if !hit {
                let what = match &id.1 {
                    Some(key) => format!("`{} {key}`", id.0),
                    None => format!("`{}`", id.0),
                };
                // The keys of this setting that are there to remove.
                let there: Vec<String> = out
                    .iter()
                    .chain(template.unwrap_or_default())
                    .filter(|o| o.id.0 == id.0 && !o.removed)
                    .filter_map(|o| o.id.1.clone())
                    .collect();
                let close =
                    id.1.as_deref()
                        .and_then(|key| did_you_mean(key, there.iter().map(String::as_str)));
                let help = match close {
                    Some(close) => format!("did you mean `remove {} {close}`?", id.0),
                    None => "take out this line: the layers below do not set it".to_string(),
                };
                self.diags.push(
                    Diagnostic::error(
                        "DS0115",
                        format!("nothing to remove: no layer below sets {what}"),
                    )
                    .at(written.span, "removes nothing")
                    .help(help),
                );
            }
        }
    }

    /// `command`, `args`, `env-from`, `supplemental-groups`: set in one layer; above it
    /// replaced with `override` or extended with `append`.
    fn list(
        &mut self,
        out: &mut Vec<Entry>,
        stmt: &Statement,
        written: &Statement,
        mode: Mode,
        origin: usize,
    ) {
        let keyword = stmt.keyword.as_str();
        let lower: Vec<usize> = (0..out.len())
            .filter(|&i| out[i].id.0 == keyword && out[i].origin != origin && !out[i].removed)
            .collect();
        let entries = entries_of(stmt, origin, mode);
        let Some(&first) = lower.first() else {
            if mode == Mode::Override {
                self.nothing_to_override(written, stmt);
            }
            out.extend(entries);
            return;
        };
        match mode {
            Mode::Append if keyword == "env-from" => out.extend(entries),
            Mode::Append => {
                let o = &mut out[first];
                o.stmt.args.extend(stmt.args.iter().cloned());
                o.appended.push((written.span, origin));
            }
            _ => {
                let firm = lower
                    .iter()
                    .any(|&i| !out[i].soft && self.is_firm_under(out[i].origin, origin));
                if mode != Mode::Override && firm {
                    let d = self.firm(&out[first], stmt, written);
                    let d = d.help(format!(
                        "`{keyword}` is a list set below: write `override {}` to replace it, or `append {}` to add to it",
                        line(stmt),
                        line(stmt)
                    ));
                    self.diags.push(d);
                }
                let mut at = first;
                for &i in lower.iter().rev() {
                    out.remove(i);
                    at = i;
                }
                for (k, e) in entries.into_iter().enumerate() {
                    out.insert((at + k).min(out.len()), e);
                }
            }
        }
    }

    fn nothing_to_override(&mut self, written: &Statement, stmt: &Statement) {
        self.diags.push(
            Diagnostic::warning(
                "DS0114",
                format!(
                    "`override` changes nothing: no layer below sets `{}`",
                    shown_stmt(stmt)
                ),
            )
            .at(written.keyword_span, "overrides nothing")
            .help("write the setting without `override`")
            .fix(
                Span::new(written.keyword_span.start(), stmt.keyword_span.start()),
                "",
            ),
        );
    }

    /// A firm value of a block changed without `override`.
    fn firm(&self, lower: &Entry, stmt: &Statement, written: &Statement) -> Diagnostic {
        let block = match self.block_of(lower.origin) {
            Some(b) => format!("defaults block `{}`", self.blocks[b].name),
            None => "a defaults block".to_string(),
        };
        Diagnostic::error(
            "DS0113",
            format!(
                "`{}` is a convention of {block}: changing it takes `override`",
                shown(lower)
            ),
        )
        .at(written.span, "changes it without `override`")
        .also(lower.stmt.span, "set here")
        .help(format!(
            "write `override {}`, so the deviation is visible in review",
            line(stmt)
        ))
        .fix(
            Span::new(written.span.start(), written.span.start()),
            "override ",
        )
    }

    /// Merges the blocks `stmt` names under its body, which becomes the merged settings.
    fn daemonset(&mut self, stmt: &mut Statement, brought: &mut Vec<Brought>) {
        let names = match from_at(stmt) {
            Some(at) => {
                let names = names_after_from(stmt, at, self.diags);
                stmt.args.truncate(at);
                names
            }
            None => Vec::new(),
        };
        let mut from: Vec<usize> = Vec::new();
        for (name, span) in &names {
            let Some(i) = self.find(name, *span) else {
                continue;
            };
            let _ = self.resolve(i, &mut Vec::new(), *span);
            let mut reached: Vec<usize> = self.below[i].iter().copied().collect();
            reached.push(i);
            brought.push(Brought {
                blocks: reached.iter().map(|&b| self.blocks[b].stmt.span).collect(),
                via: *span,
                name: name.clone(),
            });
            if !from.contains(&i) {
                from.push(i);
            }
        }
        let Some(block) = &mut stmt.block else {
            return;
        };
        let lower = self.siblings(&from);
        let stmts = std::mem::take(&mut block.statements);
        let merged = self.layer(lower, &stmts, SPEC, None);
        block.statements = self.finish(merged);
    }

    /// The merged entries as statements: `container *` applied to every container below its
    /// own settings, what was removed left out.
    fn finish(&mut self, entries: Vec<Entry>) -> Vec<Statement> {
        let template = |kind: &str| {
            entries
                .iter()
                .find(|e| e.id.0 == kind && e.id.1.as_deref() == Some("*"))
                .map(|e| e.children.clone())
        };
        let containers = template("container");
        let inits = template("init");
        let mut out = Vec::new();
        for e in &entries {
            if e.removed || e.id.1.as_deref() == Some("*") && shape(&e.id.0) == Shape::Nested {
                continue;
            }
            let mut stmt = e.stmt.clone();
            self.chains.push(Chain {
                at: e.stmt.span,
                layer: self.layer_name(e.origin),
                replaced: e
                    .replaced
                    .iter()
                    .map(|&(span, origin)| (span, self.layer_name(origin)))
                    .collect(),
                appended: e
                    .appended
                    .iter()
                    .map(|&(span, origin)| (span, self.layer_name(origin)))
                    .collect(),
            });
            if shape(&e.id.0) == Shape::Nested {
                let all = match (e.id.0.as_str(), &containers, &inits) {
                    ("container", Some(t), _) | ("init", _, Some(t)) => self.under(t, &e.children),
                    _ => e.children.clone(),
                };
                let inner = self.finish(all);
                let span = e.stmt.span;
                stmt.block = Some(crate::syntax::Block {
                    statements: inner,
                    span,
                });
            }
            out.push(stmt);
        }
        out
    }

    /// A container's settings over the `container *` settings: a firm one changed without
    /// `override` is an error, a removed one stays out.
    fn under(&mut self, template: &[Entry], own: &[Entry]) -> Vec<Entry> {
        let mut out: Vec<Entry> = Vec::new();
        let mut history: Vec<(usize, Entry)> = Vec::new();
        for t in template.iter().filter(|t| !t.removed) {
            match own.iter().find(|o| o.id == t.id) {
                None => out.push(t.clone()),
                Some(o) => {
                    if let Some(mine) = own.iter().position(|x| x.id == t.id) {
                        history.push((mine, t.clone()));
                    }
                    let firm = !t.soft && self.is_firm_under(t.origin, o.origin);
                    if firm && !o.overrode && !o.removed && !o.stmt.same_as(&t.stmt) {
                        let d = self.firm(t, &o.stmt, &o.stmt);
                        self.diags.push(d);
                    }
                }
            }
        }
        let mut own = own.to_vec();
        for (i, mut t) in history {
            let mine = own[i].clone();
            own[i] = mine.over(&mut t);
        }
        out.extend(own);
        out
    }

    /// A layer as `dsc why` names it.
    fn layer_name(&self, origin: usize) -> String {
        let env = self.env.name.unwrap_or("");
        match (origin, self.block_of(origin)) {
            (SPEC, _) => "daemonset".to_string(),
            (SPEC_OVERLAY, _) => format!("overlay {env}"),
            (o, Some(b)) if o >= self.blocks.len() => {
                format!("overlay {env} of defaults {}", self.blocks[b].name)
            }
            (_, Some(b)) => format!("defaults {}", self.blocks[b].name),
            _ => String::new(),
        }
    }
}

/// A setting as a message names it: `priority`, `env NODE_NAME`, `labels team`.
fn shown(e: &Entry) -> String {
    match (&e.id.1, shape(&e.id.0)) {
        (Some(key), shape) if shape != Shape::Set => format!("{} {key}", e.id.0),
        (_, Shape::Set) => shown_stmt(&e.stmt),
        _ => e.id.0.clone(),
    }
}

fn shown_stmt(stmt: &Statement) -> String {
    match shape(&stmt.keyword) {
        Shape::One => stmt.keyword.to_string(),
        Shape::Set => line(stmt),
        _ => match key_of(&stmt.keyword, &stmt.args) {
            Some(key) => format!("{} {key}", stmt.keyword),
            None => stmt.keyword.to_string(),
        },
    }
}

/// A statement as one line of text (a block as `{ ... }`).
fn line(stmt: &Statement) -> String {
    let mut out = stmt.keyword.to_string();
    let args = text_of(&stmt.args);
    if !args.is_empty() {
        out.push(' ');
        out.push_str(&args);
    }
    if stmt.block.is_some() {
        out.push_str(" { ... }");
    }
    out
}
