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
        // The grammar reads `${` in a word only as a whole `${NAME}`; without its `}` the
        // name would run to the end.
        let (name, end) = match rest[at..].find('}') {
            Some(e) => (&rest[at + 2..at + e], at + e + 1),
            None => (&rest[at + 2..], rest.len()),
        };
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::syntax::Arg;

    fn word_statement(word: &str) -> Ast {
        let span = Span::new(6, 6 + word.len());
        Ast {
            statements: vec![Statement {
                keyword: "image".into(),
                keyword_span: Span::new(0, 5),
                args: vec![Arg {
                    kind: ArgKind::Word(word.into()),
                    span,
                }],
                block: None,
                span: Span::new(0, span.end()),
            }],
        }
    }

    #[test]
    fn a_word_built_by_hand_with_an_open_reference_does_not_panic() {
        // The grammar never makes these; a tree built by a program might.
        for word in ["r/${é", "${", "a${b", "${}x"] {
            let mut ast = word_statement(word);
            let mut diags = Vec::new();
            substitute(&mut ast, &[], &mut diags);
            assert_eq!(diags.len(), 1, "{word}: {diags:?}");
            assert_eq!(diags[0].code, "DS0107");
        }
    }
}
