//! The checking context every statement check writes to: the diagnostics found so far and the
//! names a statement may refer to, with the helpers all blocks share (unknown keywords,
//! settings given twice, a block where none belongs, argument counts).

use foldhash::HashMap;

use super::keywords::{self, Keyword, CONTAINER, TOP_LEVEL, WORKLOAD};
use crate::diagnostics::Diagnostic;
use crate::source::Span;
use crate::syntax::Statement;

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
        let norm = |s: &str| s.replace(['-', '_'], "").to_ascii_lowercase();
        let same = known.iter().find(|k| norm(k.name) == norm(word));
        // A field of the Kubernetes type that no keyword writes: the exact override.
        let hatch = match known {
            k if std::ptr::eq(k, WORKLOAD) => super::hatch::hatch_for(word, &stmt.args, false),
            k if std::ptr::eq(k, CONTAINER) => super::hatch::hatch_for(word, &stmt.args, true),
            _ => None,
        };
        // A setting of another block is a surer diagnosis than a close spelling here.
        d = if let Some(k) = elsewhere {
            d.help(format!("`{}` belongs in {}, not {place}", k.name, k.place))
        } else if let Some(k) = same {
            d.help(format!("did you mean `{}`?", k.usage))
                .fix(stmt.keyword_span, k.name)
        } else if let Some((field, help)) = hatch {
            // A keyword that writes the field, named in its meaning, comes first.
            let writes = |k: &&Keyword| {
                k.doc.contains(&format!("`{field}`")) || k.doc.contains(&format!(".{field}`"))
            };
            match known.iter().find(writes) {
                Some(k) => d
                    .help(format!("did you mean `{}`? it writes `{field}`", k.usage))
                    .fix(stmt.keyword_span, k.name),
                None => d.help(help),
            }
        } else if let Some(k) = keywords::closest(word, known) {
            d.help(format!("did you mean `{}`?", k.usage))
                .fix(stmt.keyword_span, k.name)
        } else {
            d.help(keywords::listing(known))
        };
        self.push(d);
    }

    /// Reports a second occurrence of a setting that may appear once.
    pub fn once(&mut self, seen: &mut HashMap<String, Span>, stmt: &Statement) -> bool {
        if let Some(first) = seen.get(stmt.keyword.as_str()) {
            self.push(
                Diagnostic::error("DS0203", format!("`{}` is set twice", stmt.keyword))
                    .at(stmt.keyword_span, "set again here")
                    .also(*first, "first set here")
                    .help("keep one of them"),
            );
            return false;
        }
        seen.insert(stmt.keyword.to_string(), stmt.keyword_span);
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
                    Span::new(block.span.start(), block.span.start() + 1),
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
