//! Semantic pass: [`Ast`] → [`CheckedSpec`]. Resolves every keyword, applies defaults and every
//! rule, and reports all problems in one run (each check pushes a diagnostic and carries on).

mod allow;
mod args;
mod container;
mod container_settings;
mod devices;
mod dns;
pub mod duration;
mod env;
pub(crate) mod field_refs;
pub(crate) mod fragment_span;
mod handlers;
pub(crate) mod image;
mod keywords;
mod mounts;
mod options;
pub(crate) mod overrides;
pub(crate) mod paths;
pub(crate) mod pod;
mod probes;
mod profiles;
mod projected;
mod resources;
mod scheduling;
mod schema;
mod security;
mod selector;
pub(crate) mod storage;
mod strategy;
mod vke;
mod volumes;
mod workload;

use std::collections::HashMap;

use crate::diagnostics::Diagnostic;
use crate::model::CheckedSpec;
use crate::source::Span;
use crate::syntax::{Ast, Statement};

pub use keywords::{Keyword, CONTAINER, TOP_LEVEL, WORKLOAD};

/// Checks a parsed file. The model holds every daemonset that could be built, even when there
/// are errors; callers must not emit it unless the diagnostics hold no error.
pub fn check(ast: &Ast) -> (CheckedSpec, Vec<Diagnostic>) {
    let mut cx = Cx::default();
    let file_end = ast.statements.last().map_or(0, |s| s.span.end);
    let (stripped, allowances) = allow::extract(ast, file_end, &mut cx);
    let ast = &stripped;
    let mut spec = CheckedSpec::default();
    let mut seen: HashMap<(String, String), Span> = HashMap::new();
    for stmt in &ast.statements {
        match stmt.keyword.as_str() {
            "daemonset" => {
                if let Some((ds, name_span)) = workload::check_daemonset(&mut cx, stmt) {
                    let key = (ds.namespace.clone(), ds.name.clone());
                    if let Some(first) = seen.get(&key) {
                        cx.push(
                            Diagnostic::error(
                                "DS0206",
                                format!(
                                    "daemonset `{}` is defined twice in namespace `{}`",
                                    ds.name, ds.namespace
                                ),
                            )
                            .at(name_span, "defined again here")
                            .also(*first, "first defined here")
                            .help("rename one of them, or put them in different namespaces"),
                        );
                    } else {
                        seen.insert(key, name_span);
                    }
                    spec.daemonsets.push(ds);
                }
            }
            _ => cx.unknown_keyword(stmt, TOP_LEVEL, "at the top level of a file"),
        }
    }
    if ast.statements.is_empty() {
        cx.push(
            Diagnostic::error("DS0204", "the file defines no daemonset")
                .at(Span::new(0, 0), "nothing to compile")
                .help(
                    "start with `daemonset NAME in NAMESPACE { container NAME { image IMAGE } }`",
                ),
        );
    }
    (spec, allowances.apply(cx.diags))
}

/// The checking context: collected diagnostics and the shared statement helpers.
#[derive(Default)]
pub(crate) struct Cx {
    pub diags: Vec<Diagnostic>,
    /// The container and init container names of the daemonset being checked, read before its
    /// settings so a reference to a container can be checked where it is written.
    pub container_names: Vec<String>,
}

impl Cx {
    pub fn push(&mut self, d: Diagnostic) {
        self.diags.push(d);
    }

    /// Reports a keyword that is not valid in this block, with a suggestion.
    pub fn unknown_keyword(&mut self, stmt: &Statement, known: &'static [Keyword], place: &str) {
        let word = stmt.keyword.as_str();
        let mut d = Diagnostic::error("DS0201", format!("unknown setting `{word}` {place}"))
            .at(stmt.keyword_span, "not a setting here");
        let elsewhere = [TOP_LEVEL, WORKLOAD, CONTAINER]
            .iter()
            .flat_map(|t| t.iter())
            .find(|k| k.name == word);
        // A setting of another block is a surer diagnosis than a close spelling here.
        d = if let Some(k) = elsewhere {
            d.help(format!("`{}` belongs in {}, not {place}", k.name, k.place))
        } else if let Some(k) = crate::diagnostics::did_you_mean(word, known.iter().map(|k| k.name))
        {
            let k = known.iter().find(|x| x.name == k).map_or(k, |x| x.usage);
            d.help(format!("did you mean `{k}`?"))
        } else {
            d.help(keywords::listing(known))
        };
        self.push(d);
    }

    /// Reports a second occurrence of a setting that may appear once.
    pub fn once(&mut self, seen: &mut HashMap<String, Span>, stmt: &Statement) -> bool {
        if let Some(first) = seen.get(&stmt.keyword) {
            self.push(
                Diagnostic::error("DS0203", format!("`{}` is set twice", stmt.keyword))
                    .at(stmt.keyword_span, "set again here")
                    .also(*first, "first set here")
                    .help("keep one of them"),
            );
            return false;
        }
        seen.insert(stmt.keyword.clone(), stmt.keyword_span);
        true
    }

    /// Reports a `{ ... }` block given to a setting that takes none.
    pub fn no_block(&mut self, stmt: &Statement) {
        if let Some(block) = &stmt.block {
            self.push(
                Diagnostic::error(
                    "DS0205",
                    format!("`{}` does not take a block", stmt.keyword),
                )
                .at(
                    Span::new(block.span.start, block.span.start + 1),
                    "unexpected block",
                )
                .help(format!(
                    "write `{}` on one line: `{}`",
                    stmt.keyword,
                    keywords::usage(&stmt.keyword)
                )),
            );
        }
    }
}
