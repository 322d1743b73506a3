//! The pest parser and the walk from pest pairs to the [`Ast`]. A statement that fails to parse
//! is reported and skipped, so one run reports every broken line.

use pest::iterators::Pair;
use pest::Parser as _;

use super::ast::{Arg, ArgKind, Ast, Block, Bounds, Statement, StrLayout};
use super::errors::syntax_error;
use super::grammar::{DsParser, Rule};
use super::strings::{dedent_multiline, multiline_layout, unescape};
use crate::diagnostics::Diagnostic;
use crate::source::Span;

/// Parses a whole file. Statements that do not parse are reported and left out of the tree.
pub fn parse(text: &str) -> (Ast, Vec<Diagnostic>) {
    let (mut ast, mut diagnostics) = parse_tree(text);
    // After an unclosed block the rest of the file is read out of context: its findings would
    // be noise, so they are dropped.
    if let Some(at) = diagnostics
        .iter()
        .filter(|d| d.code == "DS0103")
        .map(|d| d.primary_span().start())
        .min()
    {
        ast.statements.retain(|s| s.span.end() <= at);
        diagnostics.retain(|d| d.primary_span().start() <= at);
    }
    (ast, diagnostics)
}

/// Where a value stands: each place reads a text in its own way (`a=b` is a pair as an
/// argument, a word as the value of a pair).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ValuePlace {
    Argument,
    PairValue,
    ListItem,
}

/// Reads `text` (a word whose parameters were replaced) as one value at `place`, as if written
/// at `span`: every span of the result is `span`. `None` when it is not exactly one value.
pub fn parse_value(text: &str, span: Span, place: ValuePlace) -> Option<Arg> {
    let rule = match place {
        ValuePlace::Argument => Rule::lone_argument,
        ValuePlace::PairValue => Rule::lone_pair_value,
        ValuePlace::ListItem => Rule::lone_list_item,
    };
    let pair = DsParser::parse(rule, text)
        .ok()?
        .next()?
        .into_inner()
        .find(|p| p.as_rule() != Rule::EOI)?;
    let mut findings = Vec::new();
    let mut arg = argument(pair, 0, &mut findings)?;
    if !findings.is_empty() {
        return None;
    }
    respan(&mut arg, span);
    Some(arg)
}

/// Puts every span of `arg` at `span`.
fn respan(arg: &mut Arg, span: Span) {
    arg.span = span;
    match &mut arg.kind {
        ArgKind::Pair {
            key_span, value, ..
        } => {
            *key_span = span;
            respan(value, span);
        }
        ArgKind::Range(bounds) => {
            for side in [&mut bounds.low, &mut bounds.high].into_iter().flatten() {
                side.1 = span;
            }
        }
        ArgKind::List(items) => items.iter_mut().for_each(|i| respan(i, span)),
        ArgKind::Str { layout, .. } => *layout = StrLayout::single(span),
        ArgKind::Word(_) | ArgKind::Number(_) | ArgKind::Empty => {}
    }
}

/// Parses a whole file for an editor, which needs the tree of a file being typed: a block
/// left open holds the rest of the file (where [`parse`] drops it with its findings).
pub fn parse_tree(text: &str) -> (Ast, Vec<Diagnostic>) {
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
    let mut reader = Reader {
        text,
        at: 0,
        out: Vec::new(),
    };
    let statements = match reader.body(None) {
        Ok(statements) => statements,
        // A `}` that closes nothing at the top level: the file's structure cannot be trusted,
        // so that one error is all that is reported.
        Err(from) => {
            return (
                Ast {
                    statements: Vec::new(),
                },
                vec![stray_brace(text, from)],
            )
        }
    };
    (Ast { statements }, reader.out)
}

/// The vector without spare room. Collecting starts with room for four and a block's
/// statements grow by doubling; the tree keeps them for the whole run, and in a large file the
/// spare room was most of its memory.
fn exact<T>(mut items: Vec<T>) -> Vec<T> {
    items.shrink_to_fit();
    items
}

/// A pair's span in the file, for a pair parsed from the text at `base`.
fn span_of(pair: &Pair<'_, Rule>, base: usize) -> Span {
    let s = pair.as_span();
    Span::new(base + s.start(), base + s.end())
}

/// Reads a file one statement at a time. pest parses each statement's head (keyword and
/// values) and each bad statement on its own; this loop reads the separators, comments and
/// blocks between them, as the grammar's `body` and `block` say. So the parser holds pest's
/// tokens for one statement at a time, not for the whole file, and never re-reads a block.
struct Reader<'t> {
    text: &'t str,
    /// How far the file has been read.
    at: usize,
    out: Vec<Diagnostic>,
}

impl Reader<'_> {
    /// The statements up to the `}` that closes the block opened at `open` (read), or up to
    /// the end of the file. At the top level (`open` is `None`), a `}` is an error: the start
    /// of the statement before it (or of the brace) is returned, to describe it.
    fn body(&mut self, open: Option<usize>) -> Result<Vec<Statement>, usize> {
        let mut statements = Vec::new();
        let mut last = None;
        loop {
            self.skip_trivia(true);
            match self.text.as_bytes().get(self.at) {
                None => {
                    if let Some(open) = open {
                        self.out.push(unclosed_block_in(self.text, open));
                    }
                    return Ok(exact(statements));
                }
                Some(b'}') => {
                    if open.is_none() {
                        return Err(last.unwrap_or(self.at));
                    }
                    self.at += 1;
                    return Ok(exact(statements));
                }
                Some(_) => {
                    let start = self.at;
                    last = Some(start);
                    match self.statement() {
                        Some(statement) => statements.push(statement),
                        None => {
                            self.at = start;
                            self.bad_statement();
                        }
                    }
                }
            }
        }
    }

    /// A statement from `self.at`: its head, an optional block, and then the end of the
    /// statement. `None` (with nothing reported) when it does not parse as one.
    fn statement(&mut self) -> Option<Statement> {
        let start = self.at;
        let reported = self.out.len();
        let head = DsParser::parse(Rule::head, &self.text[start..])
            .ok()?
            .next()?;
        let head_end = start + head.as_span().end();
        let mut inner = head.into_inner();
        let keyword = inner.next()?;
        let keyword_span = span_of(&keyword, start);
        let keyword = keyword.as_str().to_string();
        let args = exact(
            inner
                .filter_map(|p| argument(p, start, &mut self.out))
                .collect(),
        );
        self.at = head_end;
        self.skip_trivia(false);
        let mut block = None;
        if self.text[self.at..].starts_with('{') {
            let open = self.at;
            self.at += 1;
            let statements = self.body(Some(open)).unwrap_or_default();
            block = Some(Block {
                statements,
                span: Span::new(open, self.at),
            });
            self.skip_trivia(false);
        }
        match self.text.as_bytes().get(self.at) {
            None | Some(b'\n' | b'\r' | b';' | b'}') => Some(Statement {
                keyword: keyword.into(),
                keyword_span,
                args,
                block,
                span: Span::new(start, self.at),
            }),
            Some(_) => {
                // Something follows that is not a value: the statement is read again as a bad
                // one, and what its block reported goes with it.
                self.out.truncate(reported);
                None
            }
        }
    }

    /// Reports the statement at `self.at`, which does not parse, and reads past it: the rest
    /// of its line, with the blocks and strings it opens.
    fn bad_statement(&mut self) {
        let start = self.at;
        let pair = DsParser::parse(Rule::bad_statement, &self.text[start..])
            .ok()
            .and_then(|mut pairs| pairs.next());
        match pair {
            Some(pair) if !pair.as_str().is_empty() => {
                self.out.push(bad_statement(&pair, start));
                self.at = start + pair.as_span().end();
            }
            // A bad statement takes at least the character it starts at; should it not, the
            // line is skipped so that reading goes on.
            _ => {
                self.at = self.text[start..]
                    .find('\n')
                    .map_or(self.text.len(), |i| start + i);
            }
        }
    }

    /// Skips what the grammar skips between tokens: spaces, tabs, a `\` before a line break, a
    /// byte-order mark, comments; and, with `separators`, line breaks and `;` too.
    fn skip_trivia(&mut self, separators: bool) {
        let bytes = self.text.as_bytes();
        while let Some(&b) = bytes.get(self.at) {
            match b {
                b' ' | b'\t' => self.at += 1,
                b'\n' | b'\r' | b';' if separators => self.at += 1,
                b'\\' => match (bytes.get(self.at + 1), bytes.get(self.at + 2)) {
                    (Some(b'\r'), Some(b'\n')) => self.at += 3,
                    (Some(b'\n' | b'\r'), _) => self.at += 2,
                    _ => return,
                },
                b'#' => {
                    self.at = self.text[self.at..]
                        .find(['\n', '\r'])
                        .map_or(self.text.len(), |i| self.at + i);
                }
                _ if self.text[self.at..].starts_with('\u{feff}') => self.at += 3,
                _ => return,
            }
        }
    }
}

/// A `}` at the top level, described as the whole grammar sees it from `from` (the start of
/// the statement before it, or the brace).
fn stray_brace(text: &str, from: usize) -> Diagnostic {
    let rest = &text[from..];
    match DsParser::parse(Rule::file, rest) {
        Err(error) => syntax_error(rest, from, &error),
        Ok(_) => {
            let at = from + rest.find('}').unwrap_or(0);
            Diagnostic::error("DS0104", "unexpected `}`")
                .at(Span::new(at, at + 1), "no block is open here")
                .help("remove this brace, or add the `{` it was meant to close")
        }
    }
}

/// A `{` at `at` that no `}` closes.
fn unclosed_block(at: usize) -> Diagnostic {
    Diagnostic::error("DS0103", "unclosed block")
        .at(Span::new(at, at + 1), "this `{` is never closed")
        .help("add the matching `}` after the last statement of the block")
}

/// The block left open at `open`, reported where the `}` is most likely missing: a block
/// inside it that a later line leaves by its indentation (the braces then close the wrong
/// blocks, and only the outermost is left open).
fn unclosed_block_in(text: &str, open: usize) -> Diagnostic {
    let Some((inner, line)) = misindented_open(text, open) else {
        return unclosed_block(open);
    };
    let width = text[line..].find(['\n', '\r']).unwrap_or(text.len() - line);
    let line_number = text[..line].matches('\n').count() + 1;
    Diagnostic::error("DS0103", "unclosed block")
        .at(
            Span::new(inner, inner + 1),
            "this `{` is probably never closed",
        )
        .also(
            Span::new(line, line + width.max(1)),
            "this line is outside it by its indentation",
        )
        .also(
            Span::new(open, open + 1),
            "so the `}` below close the wrong blocks, and this one is left open",
        )
        .help(format!(
            "add `}}` on a line of its own before line {line_number}"
        ))
}

/// Re-parses a statement that failed inside the file on its own, for a precise message.
fn bad_statement(pair: &Pair<'_, Rule>, base: usize) -> Diagnostic {
    let span = span_of(pair, base);
    if let Some(open) = unclosed_brace(pair.as_str()) {
        return unclosed_block(span.start() + open);
    }
    match DsParser::parse(Rule::lone_statement, pair.as_str()) {
        Err(error) => syntax_error(pair.as_str(), span.start(), &error),
        Ok(_) => Diagnostic::error("DS0101", "this statement cannot be parsed here")
            .at(span, "not a valid statement")
            .help("a statement is a setting name, its values, and an optional `{ ... }` block"),
    }
}

/// The deepest nesting of blocks and lists a spec may have. A spec needs four or five levels (a
/// daemonset, a container, a probe, a list); the limit keeps the stack of every stage small, and
/// the work and memory of layouts that grow with the square of the depth (`dsc fmt` prints a
/// list too wide for its line one item per line, each level indented further).
const MAX_DEPTH: usize = 16;

/// The offset of the first `{` or `[` beyond [`MAX_DEPTH`] levels, outside strings and comments.
fn too_deep(text: &str) -> Option<usize> {
    let mut depth = 0usize;
    for (i, b) in structure(text) {
        match b {
            b'{' | b'[' => {
                depth += 1;
                if depth > MAX_DEPTH {
                    return Some(i);
                }
            }
            b'}' | b']' => depth = depth.saturating_sub(1),
            _ => {}
        }
    }
    None
}

/// The brackets and line ends of a text, with their offsets, outside strings and comments.
fn structure(text: &str) -> impl Iterator<Item = (usize, u8)> + '_ {
    let bytes = text.as_bytes();
    let mut i = 0;
    std::iter::from_fn(move || {
        while i < bytes.len() {
            let at = i;
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
                b @ (b'{' | b'[' | b'}' | b']' | b'\n') => {
                    i += 1;
                    return Some((at, b));
                }
                _ => {}
            }
            i += 1;
        }
        None
    })
}

/// Inside the block left open at `open`, the inner `{` most likely missing its `}`, judged by
/// indentation as a reader would: the first block that a later line leaves by indentation (a
/// line indented no deeper than the line that opened it) while the braces say it is still open.
/// Also that line's offset.
fn misindented_open(text: &str, open: usize) -> Option<(usize, usize)> {
    let indent = |line_start: usize| {
        let line = &text[line_start..];
        let body = line.trim_start_matches([' ', '\t']);
        (line.len() - body.len(), body)
    };
    let line_of = |at: usize| text[..at].rfind('\n').map_or(0, |n| n + 1);
    // Indentation says something only where blocks are indented deeper than the outer one.
    let outer = indent(line_of(open)).0;
    // Each open brace inside, with the indentation of its line.
    let mut stack: Vec<(usize, usize)> = Vec::new();
    for (i, b) in structure(&text[open + 1..]).map(|(i, b)| (open + 1 + i, b)) {
        match b {
            b'{' => stack.push((i, indent(line_of(i)).0)),
            b'}' => {
                stack.pop();
            }
            b'\n' => {
                let (depth, body) = indent(i + 1);
                let ignored = body.is_empty()
                    || body.starts_with(['}', '#', '\n', '\r'])
                    || body.starts_with(']');
                if let Some(&(brace, opener)) = stack.last() {
                    if !ignored && depth <= opener && opener > outer {
                        return Some((brace, i + 1 + depth));
                    }
                }
            }
            _ => {}
        }
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

/// One value of a statement, parsed from the text at `base`.
fn argument(pair: Pair<'_, Rule>, base: usize, out: &mut Vec<Diagnostic>) -> Option<Arg> {
    let span = span_of(&pair, base);
    let kind = match pair.as_rule() {
        Rule::word | Rule::list_word => ArgKind::Word(pair.as_str().into()),
        Rule::number => ArgKind::Number(pair.as_str().into()),
        Rule::empty_value => ArgKind::Empty,
        Rule::double_string => {
            let body = pair.into_inner().next().map_or("", |p| p.as_str());
            match unescape(body) {
                Ok(value) => ArgKind::Str {
                    value: value.as_str().into(),
                    multiline: false,
                    layout: StrLayout::single(span),
                },
                Err(at) => {
                    let at = span.start() + 1 + at;
                    out.push(
                        Diagnostic::error("DS0105", "invalid escape in string")
                            .at(Span::new(at, at + 2), "not a valid escape")
                            .help("write `\\\\` for a backslash, or use single quotes, where nothing is escaped: `'\\d+'`"),
                    );
                    ArgKind::Str {
                        value: body.into(),
                        multiline: false,
                        layout: StrLayout::single(span),
                    }
                }
            }
        }
        Rule::single_string => ArgKind::Str {
            value: pair.into_inner().next().map_or("", |p| p.as_str()).into(),
            multiline: false,
            layout: StrLayout::single(span),
        },
        Rule::triple_string => {
            let inner = pair.into_inner().next();
            let raw = inner.as_ref().map_or("", |p| p.as_str());
            let start = inner
                .as_ref()
                .map_or(span.start() + 3, |p| base + p.as_span().start());
            ArgKind::Str {
                value: dedent_multiline(raw).as_str().into(),
                multiline: true,
                layout: multiline_layout(raw, start),
            }
        }
        Rule::range => {
            let mut low = None;
            let mut high = None;
            let dots = pair.as_str().find("..").unwrap_or(0) + span.start();
            for p in pair.into_inner() {
                let item = (p.as_str().to_string(), span_of(&p, base));
                if item.1.start() < dots {
                    low = Some(item);
                } else {
                    high = Some(item);
                }
            }
            ArgKind::Range(Box::new(Bounds { low, high }))
        }
        Rule::pair => {
            let mut inner = pair.into_inner();
            let key = inner.next()?;
            let value = match inner.next() {
                Some(v) => argument(v, base, out)?,
                None => Arg {
                    kind: ArgKind::Empty,
                    span: Span::new(span.end(), span.end()),
                },
            };
            ArgKind::Pair {
                key: key.as_str().into(),
                key_span: span_of(&key, base),
                value: Box::new(value),
            }
        }
        Rule::list => ArgKind::List(exact(
            pair.into_inner()
                .filter_map(|p| argument(p, base, out))
                .collect(),
        )),
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
            ArgKind::Range(b) if b.low.is_some() && b.high.is_some()
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
    fn a_missing_brace_is_found_by_indentation() {
        let text =
            "daemonset a {\n  container b {\n    image x\n\n  container c {\n    image y\n  }\n}\n";
        let (_, diags) = parse(text);
        assert_eq!(diags.len(), 1, "{diags:#?}");
        let at = text.find("b {").unwrap() + 2;
        assert_eq!(diags[0].primary_span(), Span::new(at, at + 1));
        assert_eq!(
            diags[0].help.as_deref(),
            Some("add `}` on a line of its own before line 5")
        );
        // Without indentation, the outermost block is reported.
        let (_, diags) = parse("a {\nb {\nc 1\nd {\n}\n}\n");
        assert_eq!(diags[0].primary_span(), Span::new(2, 3));
    }

    #[test]
    fn many_unclosed_blocks_parse_in_linear_time() {
        // Each open brace used to double the work: 16 of them took seconds, 40 would not finish.
        let text = "x {\n".repeat(MAX_DEPTH);
        let (_, diags) = parse(&text);
        assert_eq!(diags.len(), 1, "{diags:#?}");
        assert_eq!(diags[0].primary_span(), Span::new(2, 3));
        let text = format!("x {}\n", "{".repeat(MAX_DEPTH - 1));
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
