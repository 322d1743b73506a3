//! `${NAME}` in words: each is replaced by its parameter's value, and the word is read again
//! as the value it now makes (`cpu ${cpu}` becomes a quantity, `${low}..${high}` a range). Only
//! bare words are touched: in quoted strings `${...}` stays as written, for the shell commands
//! that use it. An unknown name is `DS0107` at the `${NAME}`.

use super::params::Param;
use crate::diagnostics::{did_you_mean, Diagnostic};
use crate::source::Span;
use crate::syntax::{parse_value, Arg, ArgKind, Ast, Statement, ValuePlace};

/// Replaces the parameters in every word of `ast` but those of `param` statements.
pub fn substitute(ast: &mut Ast, params: &[Param], diags: &mut Vec<Diagnostic>) {
    for stmt in ast.statements.iter_mut().filter(|s| s.keyword != "param") {
        statement(stmt, params, diags);
    }
}

fn statement(stmt: &mut Statement, params: &[Param], diags: &mut Vec<Diagnostic>) {
    for arg in &mut stmt.args {
        argument(arg, ValuePlace::Argument, params, diags);
    }
    if let Some(block) = &mut stmt.block {
        for inner in &mut block.statements {
            statement(inner, params, diags);
        }
    }
}

fn argument(arg: &mut Arg, place: ValuePlace, params: &[Param], diags: &mut Vec<Diagnostic>) {
    match &mut arg.kind {
        ArgKind::Word(word) if word.contains("${") => {
            let Some(text) = replaced(word, arg.span, params, diags) else {
                return;
            };
            // A value is read as what its text makes here, and that must be the text itself:
            // quotes in a value do not open a string.
            match parse_value(&text, arg.span, place)
                .filter(|v| v.as_text().as_ref() == Some(&text))
            {
                Some(value) => *arg = value,
                None => {
                    let made = if text.is_empty() {
                        "empty".to_string()
                    } else {
                        format!("`{text}`")
                    };
                    diags.push(
                        Diagnostic::error(
                            "DS0109",
                            format!("with its parameters, `{word}` is {made}, which is not a value"),
                        )
                        .at(arg.span, "replaced here")
                        .help("give the parameter a value that makes a whole word here, or leave the setting out"),
                    )
                }
            }
        }
        ArgKind::Pair { value, .. } => argument(value, ValuePlace::PairValue, params, diags),
        ArgKind::List(items) => {
            for item in items {
                argument(item, ValuePlace::ListItem, params, diags);
            }
        }
        _ => {}
    }
}

/// `word` with each `${NAME}` replaced, or `None` when a name is unknown (each reported).
fn replaced(
    word: &str,
    span: Span,
    params: &[Param],
    diags: &mut Vec<Diagnostic>,
) -> Option<String> {
    let mut out = String::with_capacity(word.len());
    let mut rest = word;
    let mut known = true;
    while let Some(at) = rest.find("${") {
        out.push_str(&rest[..at]);
        // The grammar reads `${` in a word only as a whole `${NAME}`.
        let end = rest[at..].find('}').map_or(rest.len(), |e| at + e + 1);
        let name = &rest[at + 2..end.saturating_sub(1).max(at + 2)];
        match params.iter().find(|p| p.name == name) {
            Some(p) => out.push_str(&p.value),
            None => {
                let offset = span.start() + (word.len() - rest.len()) + at;
                diags.push(unknown(
                    name,
                    Span::new(offset, offset + (end - at)),
                    params,
                ));
                known = false;
            }
        }
        rest = &rest[end..];
    }
    out.push_str(rest);
    known.then_some(out)
}

fn unknown(name: &str, span: Span, params: &[Param]) -> Diagnostic {
    let help = match did_you_mean(name, params.iter().map(|p| p.name.as_str())) {
        Some(close) => format!("did you mean `${{{close}}}`?"),
        None if params.is_empty() => format!(
            "declare it at the top of the file, with the value to use when `-D` does not set \
             one: `param {name} = VALUE`; or write the value itself"
        ),
        None => format!(
            "the parameters of this file are {}; declare another with `param {name} = VALUE`",
            params
                .iter()
                .map(|p| format!("`{}`", p.name))
                .collect::<Vec<_>>()
                .join(", ")
        ),
    };
    Diagnostic::error("DS0107", format!("`${{{name}}}` names no parameter"))
        .at(span, "not declared")
        .help(help)
}
