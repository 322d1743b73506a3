//! Composition: what a spec takes from outside its own statements. Today that is parameters
//! (`param NAME [TYPE] = DEFAULT` at the top of a file, `${NAME}` in words, `-D NAME=VALUE` on
//! the command line); libraries, defaults blocks and environments build on this stage.
//!
//! Input: the parsed tree and the command line's definitions. Output: the tree with every
//! `${NAME}` replaced and read again as the value it makes, the parameters it declares, and
//! diagnostics. It runs between parsing and checking, so the checker sees values, and what a
//! parameter makes is checked like anything written by hand.

mod libraries;
mod params;
mod substitute;

pub use libraries::{Borrowed, Libraries};
pub use params::{declare, Definitions, Param, ParamType};

use std::path::Path;

use crate::diagnostics::Diagnostic;
use crate::source::Span;
use crate::syntax::Ast;

/// Where a spec's libraries come from: the run's [`Libraries`] and the spec's file (`None`:
/// stdin, read from the current folder); or no file access at all (`None`), where a `use` is an
/// error.
pub type Context<'a> = Option<(&'a Libraries, Option<&'a Path>)>;

/// Declares the parameters of `ast` and takes those of its libraries, gives each its value
/// (the default, or `-D`), and replaces every `${NAME}` in its words. Returns every parameter
/// the spec sees.
pub fn apply(
    ast: &mut Ast,
    definitions: &Definitions,
    context: Context,
    diags: &mut Vec<Diagnostic>,
) -> Vec<Param> {
    let borrowed = match context {
        Some((libraries, path)) => libraries.params_for(path, ast, diags),
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
    substitute::substitute(ast, &params, diags);
    params
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
