//! The pest parser and the walk from pest pairs to the [`Ast`]. A statement that fails to parse
//! is reported and skipped, so one run reports every broken line.

use pest::iterators::Pair;
use pest::Parser as _;

use super::ast::{Arg, ArgKind, Ast, Block, Statement, StrLayout};
use super::errors::{syntax_error, whole_file_error};
use super::strings::{dedent_multiline, multiline_layout, unescape};
use crate::diagnostics::Diagnostic;
use crate::source::Span;

#[derive(pest_derive::Parser)]
#[grammar = "../grammar/ds.pest"]
pub(super) struct DsParser;

/// Parses a whole file. Statements that do not parse are reported and left out of the tree.
pub fn parse(text: &str) -> (Ast, Vec<Diagnostic>) {
    let mut diagnostics = Vec::new();
    // Nesting is limited before pest sees the text: the parser and every later stage recurse
    // once per level, and a hostile file must not overflow the stack.
    if let Some(at) = too_deep(text) {
        let d = Diagnostic::error("DS0106", "blocks and lists are nested too deeply")
            .at(
                Span::new(at, at + 1),
                format!("more than {MAX_DEPTH} levels deep here"),
            )
            .help("a spec needs a few levels; close the blocks and lists that were left open");
        return (
            Ast {
                statements: Vec::new(),
            },
            vec![d],
        );
    }
    let file = match DsParser::parse(Rule::file, text) {
        Ok(mut pairs) => pairs.next(),
        Err(error) => {
            diagnostics.push(whole_file_error(text, &error));
            None
        }
    };
    let mut statements = match file {
        Some(file) => statements(file, text, &mut diagnostics),
        None => Vec::new(),
    };
    // After an unclosed block the rest of the file is read out of context: its findings would
    // be noise, so they are dropped.
    if let Some(at) = diagnostics
        .iter()
        .filter(|d| d.code == "DS0103")
        .map(|d| d.primary_span().start)
        .min()
    {
        statements.retain(|s| s.span.end <= at);
        diagnostics.retain(|d| d.primary_span().start <= at);
    }
    (Ast { statements }, diagnostics)
}

fn span_of(pair: &Pair<'_, Rule>) -> Span {
    let s = pair.as_span();
    Span::new(s.start(), s.end())
}

fn statements(parent: Pair<'_, Rule>, text: &str, out: &mut Vec<Diagnostic>) -> Vec<Statement> {
    let open = parent.as_span().start();
    let mut result = Vec::new();
    for pair in parent.into_inner() {
        match pair.as_rule() {
            Rule::good_statement => result.push(statement(pair, text, out)),
            Rule::bad_statement => out.push(bad_statement(&pair)),
            Rule::unclosed => out.push(unclosed_block(open)),
            _ => {}
        }
    }
    result
}

/// A `{` at `at` that no `}` closes.
fn unclosed_block(at: usize) -> Diagnostic {
    Diagnostic::error("DS0103", "unclosed block")
        .at(Span::new(at, at + 1), "this `{` is never closed")
        .help("add the matching `}` after the last statement of the block")
}

/// Re-parses a statement that failed inside the file on its own, for a precise message.
fn bad_statement(pair: &Pair<'_, Rule>) -> Diagnostic {
    let span = span_of(pair);
    if let Some(open) = unclosed_brace(pair.as_str()) {
        return unclosed_block(span.start + open);
    }
    match DsParser::parse(Rule::lone_statement, pair.as_str()) {
        Err(error) => syntax_error(pair.as_str(), span.start, &error),
        Ok(_) => Diagnostic::error("DS0101", "this statement cannot be parsed here")
            .at(span, "not a valid statement")
            .help("a statement is a setting name, its values, and an optional `{ ... }` block"),
    }
}

/// The deepest nesting of blocks and lists a spec may have.
const MAX_DEPTH: usize = 64;

/// The offset of the first `{` or `[` beyond [`MAX_DEPTH`] levels, outside strings and comments.
fn too_deep(text: &str) -> Option<usize> {
    let bytes = text.as_bytes();
    let mut depth = 0usize;
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'"' if text[i..].starts_with("\"\"\"") => {
                i = text[i + 3..]
                    .find("\"\"\"")
                    .map_or(bytes.len(), |e| i + 3 + e + 3);
                continue;
            }
            b'"' | b'\'' => {
                let quote = bytes[i];
                i += 1;
                while i < bytes.len() && bytes[i] != quote && bytes[i] != b'\n' {
                    i += if bytes[i] == b'\\' && quote == b'"' {
                        2
                    } else {
                        1
                    };
                }
            }
            b'#' if i == 0 || bytes[i - 1].is_ascii_whitespace() => {
                i = text[i..].find('\n').map_or(bytes.len(), |e| i + e);
                continue;
            }
            b'{' | b'[' => {
                depth += 1;
                if depth > MAX_DEPTH {
                    return Some(i);
                }
            }
            b'}' | b']' => depth = depth.saturating_sub(1),
            _ => {}
        }
        i += 1;
    }
    None
}

/// The offset of the outermost `{` left open in a statement's text, outside strings.
fn unclosed_brace(text: &str) -> Option<usize> {
    let mut open = Vec::new();
    let mut quote = None;
    let mut escaped = false;
    for (i, c) in text.char_indices() {
        match quote {
            Some(q) => {
                if escaped {
                    escaped = false;
                } else if c == '\\' && q == '"' {
                    escaped = true;
                } else if c == q {
                    quote = None;
                }
            }
            None => match c {
                '"' | '\'' => quote = Some(c),
                '#' => break,
                '{' => open.push(i),
                '}' => {
                    open.pop();
                }
                _ => {}
            },
        }
    }
    open.first().copied()
}

fn statement(pair: Pair<'_, Rule>, text: &str, out: &mut Vec<Diagnostic>) -> Statement {
    let span = span_of(&pair);
    let mut inner = pair.into_inner();
    let mut keyword = String::new();
    let mut keyword_span = span;
    let mut args = Vec::new();
    let mut block = None;
    if let Some(k) = inner.next() {
        keyword = k.as_str().to_string();
        keyword_span = span_of(&k);
    }
    for p in inner {
        if p.as_rule() == Rule::block {
            let block_span = span_of(&p);
            block = Some(Block {
                statements: statements(p, text, out),
                span: block_span,
            });
        } else if let Some(arg) = argument(p, out) {
            args.push(arg);
        }
    }
    Statement {
        keyword,
        keyword_span,
        args,
        block,
        span,
    }
}

fn argument(pair: Pair<'_, Rule>, out: &mut Vec<Diagnostic>) -> Option<Arg> {
    let span = span_of(&pair);
    let kind = match pair.as_rule() {
        Rule::word | Rule::list_word => ArgKind::Word(pair.as_str().to_string()),
        Rule::number => ArgKind::Number(pair.as_str().to_string()),
        Rule::empty_value => ArgKind::Empty,
        Rule::double_string => {
            let body = pair.into_inner().next().map_or("", |p| p.as_str());
            match unescape(body) {
                Ok(value) => ArgKind::Str {
                    value,
                    multiline: false,
                    layout: StrLayout::single(span),
                },
                Err(at) => {
                    let at = span.start + 1 + at;
                    out.push(
                        Diagnostic::error("DS0105", "invalid escape in string")
                            .at(Span::new(at, at + 2), "not a valid escape")
                            .help("write `\\\\` for a backslash, or use single quotes, where nothing is escaped: `'\\d+'`"),
                    );
                    ArgKind::Str {
                        value: body.to_string(),
                        multiline: false,
                        layout: StrLayout::single(span),
                    }
                }
            }
        }
        Rule::single_string => ArgKind::Str {
            value: pair
                .into_inner()
                .next()
                .map_or("", |p| p.as_str())
                .to_string(),
            multiline: false,
            layout: StrLayout::single(span),
        },
        Rule::triple_string => {
            let inner = pair.into_inner().next();
            let raw = inner.as_ref().map_or("", |p| p.as_str());
            let start = inner
                .as_ref()
                .map_or(span.start + 3, |p| p.as_span().start());
            ArgKind::Str {
                value: dedent_multiline(raw),
                multiline: true,
                layout: multiline_layout(raw, start),
            }
        }
        Rule::range => {
            let mut low = None;
            let mut high = None;
            let dots = pair.as_str().find("..").unwrap_or(0) + span.start;
            for p in pair.into_inner() {
                let item = (p.as_str().to_string(), span_of(&p));
                if item.1.start < dots {
                    low = Some(item);
                } else {
                    high = Some(item);
                }
            }
            ArgKind::Range { low, high }
        }
        Rule::pair => {
            let mut inner = pair.into_inner();
            let key = inner.next()?;
            let value = match inner.next() {
                Some(v) => argument(v, out)?,
                None => Arg {
                    kind: ArgKind::Empty,
                    span: Span::new(span.end, span.end),
                },
            };
            ArgKind::Pair {
                key: key.as_str().to_string(),
                key_span: span_of(&key),
                value: Box::new(value),
            }
        }
        Rule::list => ArgKind::List(pair.into_inner().filter_map(|p| argument(p, out)).collect()),
        _ => return None,
    };
    Some(Arg { kind, span })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse_ok(text: &str) -> Ast {
        let (ast, diags) = parse(text);
        assert!(diags.is_empty(), "{diags:#?}");
        ast
    }

    #[test]
    fn statements_args_and_blocks() {
        let ast = parse_ok("daemonset a in b {\n  labels app=a x = \"y\"\n  cpu 100m..1\n}\n");
        let ds = &ast.statements[0];
        assert_eq!(ds.keyword, "daemonset");
        assert_eq!(ds.args.len(), 3);
        let inner = &ds.block.as_ref().unwrap().statements;
        assert_eq!(inner[0].keyword, "labels");
        assert!(matches!(&inner[0].args[1].kind, ArgKind::Pair { key, .. } if key == "x"));
        assert!(matches!(
            &inner[1].args[0].kind,
            ArgKind::Range {
                low: Some(_),
                high: Some(_)
            }
        ));
    }

    #[test]
    fn words_keep_flags_and_commas() {
        let ast = parse_ok("args --a=b,c 10.0.0.1 'x{1}' [p, q]\n");
        let args = &ast.statements[0].args;
        assert_eq!(args[0].as_text().unwrap(), "--a=b,c");
        assert_eq!(args[1].as_text().unwrap(), "10.0.0.1");
        assert_eq!(args[2].as_text().unwrap(), "x{1}");
        assert!(matches!(&args[3].kind, ArgKind::List(items) if items.len() == 2));
    }

    #[test]
    fn recovers_after_a_bad_statement() {
        let (ast, diags) = parse("a 1\nb \"open\nc 2\nD\n");
        assert_eq!(ast.statements.len(), 2);
        assert_eq!(diags.len(), 2, "{diags:#?}");
    }

    #[test]
    fn unclosed_blocks_are_reported_once_at_the_outermost() {
        let (ast, diags) = parse("a 1\nb {\n  c {\n    d 2\n  }\n  e {\n");
        assert_eq!(ast.statements.len(), 1, "{ast:#?}");
        assert_eq!(diags.len(), 1, "{diags:#?}");
        assert_eq!(diags[0].code, "DS0103");
        assert_eq!(diags[0].primary_span(), Span::new(6, 7));
    }

    #[test]
    fn many_unclosed_blocks_parse_in_linear_time() {
        // Each open brace used to double the work: 40 of them would not finish.
        let text = "x {\n".repeat(40);
        let (_, diags) = parse(&text);
        assert_eq!(diags.len(), 1, "{diags:#?}");
        assert_eq!(diags[0].primary_span(), Span::new(2, 3));
        let text = format!("x {}\n", "{".repeat(40));
        let (_, diags) = parse(&text);
        assert_eq!(diags[0].code, "DS0103");
    }

    #[test]
    fn a_byte_order_mark_is_whitespace() {
        let ast = parse_ok("\u{feff}# saved by a Windows editor\r\na 1\r\n");
        assert_eq!(ast.statements[0].keyword, "a");
    }

    #[test]
    fn multiline_strings() {
        let ast = parse_ok("command sh -c \"\"\"\n    set -e\n    run\n    \"\"\"\n");
        let arg = &ast.statements[0].args[2];
        assert_eq!(arg.as_text().unwrap(), "set -e\nrun\n");
    }
}
