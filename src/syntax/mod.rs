//! Syntax: `.ds` text → [`Ast`], with every node spanned. pest stays inside this module.

mod ast;
mod errors;
mod grammar;
mod parser;
mod strings;

pub use ast::{Arg, ArgKind, Ast, Block, Bounds, Statement, StrLayout};
pub use parser::{parse, parse_tree, parse_value, ValuePlace};
pub use strings::dedent_multiline;
