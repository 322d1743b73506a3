//! Composition: what a spec takes from outside its own statements: parameters (`param NAME
//! [TYPE] = DEFAULT`, `${NAME}` in words, `-D NAME=VALUE` on the command line), libraries (`use
//! PATH`), defaults blocks and their layers (`defaults NAME { }`, `daemonset ... from NAME`), and
//! the environment built (`environments` in the root file `dsc.ds`, `overlay ENV { }`).
//!
//! Input: the parsed tree, the command line's definitions and the environment. Output: the tree
//! of each daemonset with its layers merged and every `${NAME}` replaced and read again as the
//! value it makes, the parameters it sees, where each merged setting came from, and
//! diagnostics. It runs between parsing and checking, so the checker sees plain settings, and
//! what a library or a parameter makes is checked like anything written by hand.

mod defaults;
mod environments;
mod libraries;
mod params;
mod substitute;

pub use defaults::{chain_at, identities, is_map, removal, Brought, Chain, Id};
pub use environments::ROOT_FILE;
pub use libraries::{Borrowed, Libraries};
pub use params::{declare, Definitions, Param, ParamType};

use std::path::Path;

use crate::diagnostics::{Diagnostic, Label};
use crate::source::Span;
use crate::syntax::Ast;

/// Where a spec's libraries come from: the run's [`Libraries`] and the spec's file (`None`:
/// stdin, read from the current folder); or no file access at all (`None`), where a `use` is an
/// error.
pub type Context<'a> = Option<(&'a Libraries, Option<&'a Path>)>;

/// What composing a spec found: every parameter it sees, and what each `from` brought in.
#[derive(Debug, Default)]
pub struct Composed {
    pub params: Vec<Param>,
    pub brought: Vec<Brought>,
    /// Where each setting merged from defaults blocks and overlays came from.
    pub chains: Vec<Chain>,
}

/// Declares the parameters of `ast` and takes those of its libraries, gives each its value
/// (the default, or `-D`), merges the defaults blocks each daemonset names under its body, and
/// replaces every `${NAME}` in its words.
pub fn apply(
    ast: &mut Ast,
    definitions: &Definitions,
    context: Context,
    env: Option<&str>,
    diags: &mut Vec<Diagnostic>,
) -> Composed {
    let mut blocks = Vec::new();
    let mut declared = Vec::new();
    let is_root = context
        .and_then(|(_, path)| path)
        .is_some_and(|p| p.file_name().is_some_and(|n| n == ROOT_FILE));
    for s in ast
        .statements
        .iter()
        .filter(|s| s.keyword == "environments")
    {
        if is_root {
            declared = environments::declared(ast, diags);
            break;
        }
        diags.push(
            Diagnostic::error(
                "DS0117",
                "environments are declared in the repository's root file",
            )
            .at(s.keyword_span, "not the root file")
            .help(format!(
                "move this line to `{ROOT_FILE}` at the root of the repository; it marks the root"
            )),
        );
    }
    let borrowed = match context {
        Some((libraries, path)) => {
            if !is_root {
                declared = libraries.environments_for(path);
            }
            let found = libraries.used_by(path, ast, diags);
            blocks.extend(found.iter().flat_map(|(l, _)| l.defaults.iter().cloned()));
            Libraries::params_of(&found, diags)
        }
        None => {
            for s in ast.statements.iter().filter(|s| s.keyword == "use") {
                diags.push(
                    Diagnostic::error("DS0110", "`use` is read only when compiling a file")
                        .at(s.span, "no file to read it from")
                        .help("compile the spec from its file (`dsc build agent.ds`), so the path has a folder to start from"),
                );
            }
            Vec::new()
        }
    };
    let mut params = params::declare(ast, definitions, diags);
    for b in borrowed {
        if let Some(own) = params.iter().find(|p| p.name == b.param.name) {
            diags.push(clash(own.span, &b));
            continue;
        }
        params.push(Param {
            // Found by name only; its span is in the library's file.
            span: Span::default(),
            ..b.param
        });
    }
    let env = defaults::Env {
        name: env,
        declared: &declared,
    };
    let (brought, chains) = defaults::apply(ast, &blocks, env, diags);
    substitute::substitute(ast, &params, diags);
    Composed {
        params,
        brought,
        chains,
    }
}

/// Places every finding of a composed spec: one on a line of a defaults block also labels the
/// `from` name that brought it in, one on a value that replaced another labels the value it
/// replaced, and spans in libraries become lines of their files.
pub fn locate(diags: &mut [Diagnostic], composed: &Composed, context: Context) {
    let brought = &composed.brought;
    for d in diags.iter_mut() {
        let at = d.primary_span();
        // A value that replaced another: the one replaced is named too.
        let replaced = defaults::chain_at(&composed.chains, at).and_then(|c| c.replaced.first());
        if let Some((span, layer)) =
            replaced.filter(|(s, _)| !d.labels.iter().any(|l| l.span == *s))
        {
            d.labels.push(Label {
                span: *span,
                message: format!("replaces this value of {layer}").into(),
                primary: false,
                file: None,
            });
        }
        let via = brought.iter().find(|b| {
            b.blocks
                .iter()
                .any(|s| s.start() <= at.start() && at.end() <= s.end())
        });
        if let Some(b) = via.filter(|b| !d.labels.iter().any(|l| l.span == b.via)) {
            d.labels.push(Label {
                span: b.via,
                message: format!("`{}` brings it in here", b.name).into(),
                primary: false,
                file: None,
            });
        }
    }
    if let Some((libraries, _)) = context {
        libraries.resolve(diags);
    }
}

fn clash(at: Span, b: &Borrowed) -> Diagnostic {
    Diagnostic::error(
        "DS0108",
        format!(
            "parameter `{}` is already declared in {}",
            b.param.name, b.origin
        ),
    )
    .at(at, "declared again here")
    .help("use the library's parameter (set it with `-D`), or give this one another name")
}
