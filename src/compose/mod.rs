//! Composition: what a spec takes from outside its own statements. Today that is parameters
//! (`param NAME [TYPE] = DEFAULT` at the top of a file, `${NAME}` in words, `-D NAME=VALUE` on
//! the command line); libraries, defaults blocks and environments build on this stage.
//!
//! Input: the parsed tree and the command line's definitions. Output: the tree with every
//! `${NAME}` replaced and read again as the value it makes, the parameters it declares, and
//! diagnostics. It runs between parsing and checking, so the checker sees values, and what a
//! parameter makes is checked like anything written by hand.

mod params;
mod substitute;

pub use params::{declare, Definitions, Param, ParamType};

use crate::diagnostics::Diagnostic;
use crate::syntax::Ast;

/// Declares the parameters of `ast`, gives each its value (the default, or `-D`), and replaces
/// every `${NAME}` in its words. Returns the parameters.
pub fn apply(ast: &mut Ast, definitions: &Definitions, diags: &mut Vec<Diagnostic>) -> Vec<Param> {
    let params = params::declare(ast, definitions, diags);
    substitute::substitute(ast, &params, diags);
    params
}
