//! Source text + its syntax tree → [`Body`] with every comment and blank line of the text.
//!
//! The grammar skips comments, so they are found again here: a `#` can only start a comment in
//! the gaps between tokens (keywords, values, brackets and braces, all spanned in the tree), and
//! there it always does. Walking the tree in source order, each comment goes to the last token
//! on its line (a trailing comment) or, on a line of its own, to the next statement or list item
//! (or to the end of its block, list or file).

use super::{Body, Comment, Item, List, Node, Value};
use crate::source::Span;
use crate::syntax::{Arg, ArgKind, Ast, Block, Statement};

/// The tree of a parsed file with its comments and blank lines attached.
pub fn attach(text: &str, ast: &Ast) -> Body {
    let mut walker = Walker {
        text,
        comments: comments(text, ast),
        next: 0,
        pos: 0,
    };
    let mut body = walker.body(&ast.statements, text.len());
    // Every comment was taken on the way; this only guards against losing one.
    body.end.extend(walker.own_lines(usize::MAX));
    body
}

/// A comment found in the text: its span, and its text without trailing whitespace.
struct Found {
    span: Span,
    text: String,
}

/// Every comment of the text, in order.
fn comments(text: &str, ast: &Ast) -> Vec<Found> {
    let mut tokens = Vec::new();
    for s in &ast.statements {
        statement_tokens(s, &mut tokens);
    }
    tokens.sort_by_key(|t| t.start);
    tokens.push(Span::new(text.len(), text.len()));
    let mut found = Vec::new();
    let mut from = 0;
    for token in &tokens {
        let mut at = from;
        while let Some(hash) = text.get(at..token.start).and_then(|gap| gap.find('#')) {
            let start = at + hash;
            let end = text[start..]
                .find(['\n', '\r'])
                .map_or(text.len(), |e| start + e);
            found.push(Found {
                span: Span::new(start, end),
                text: text[start..end].trim_end().to_string(),
            });
            at = end;
        }
        from = from.max(token.end);
    }
    found
}

fn statement_tokens(s: &Statement, out: &mut Vec<Span>) {
    out.push(s.keyword_span);
    for arg in &s.args {
        arg_tokens(arg, out);
    }
    if let Some(block) = &s.block {
        let (open, close) = brackets(block.span);
        out.extend([open, close]);
        for inner in &block.statements {
            statement_tokens(inner, out);
        }
    }
}

fn arg_tokens(arg: &Arg, out: &mut Vec<Span>) {
    if let ArgKind::List(items) = &arg.kind {
        let (open, close) = brackets(arg.span);
        out.extend([open, close]);
        for item in items {
            arg_tokens(item, out);
        }
    } else {
        out.push(arg.span);
    }
}

/// The spans of the opening and closing bracket of a block or list.
fn brackets(span: Span) -> (Span, Span) {
    let close = span.end.saturating_sub(1).max(span.start);
    (
        Span::new(span.start, span.start + 1),
        Span::new(close, span.end),
    )
}

/// A walk over the tree in source order, with the comments not yet placed.
struct Walker<'a> {
    text: &'a str,
    comments: Vec<Found>,
    next: usize,
    /// The end of the last token or comment walked over.
    pos: usize,
}

impl Walker<'_> {
    fn gap(&self, until: usize) -> &str {
        self.text.get(self.pos.min(until)..until).unwrap_or("")
    }

    /// The next comment, if it is on the line of the last token and before `boundary`.
    fn same_line(&mut self, boundary: usize) -> Option<String> {
        let c = self.comments.get(self.next)?;
        if c.span.start >= boundary || self.gap(c.span.start).contains(['\n', '\r']) {
            return None;
        }
        let text = c.text.clone();
        self.pos = c.span.end;
        self.next += 1;
        Some(text)
    }

    /// The comments before `boundary`, each on a line of its own.
    fn own_lines(&mut self, boundary: usize) -> Vec<Comment> {
        let mut out = Vec::new();
        while let Some(c) = self
            .comments
            .get(self.next)
            .filter(|c| c.span.start < boundary)
        {
            let (start, end, text) = (c.span.start, c.span.end, c.text.clone());
            out.push(Comment {
                text,
                blank_before: self.blank_before(start),
            });
            self.pos = end;
            self.next += 1;
        }
        out
    }

    /// Whether a blank line separates the last token or comment from `at`.
    fn blank_before(&self, at: usize) -> bool {
        let lines: Vec<&str> = self.gap(at).split('\n').collect();
        lines.len() > 2
            && lines[1..lines.len() - 1]
                .iter()
                .any(|l| l.trim().is_empty())
    }

    /// The statements of a file (`close` is its length) or block (`close` is its `}`).
    fn body(&mut self, statements: &[Statement], close: usize) -> Body {
        let statements = statements
            .iter()
            .enumerate()
            .map(|(i, s)| {
                let boundary = statements
                    .get(i + 1)
                    .map_or(close, |next| next.keyword_span.start);
                self.node(s, boundary)
            })
            .collect();
        Body {
            open: None,
            statements,
            end: self.own_lines(close),
        }
    }

    fn node(&mut self, s: &Statement, boundary: usize) -> Node {
        let above = self.own_lines(s.keyword_span.start);
        let blank_before = self.blank_before(s.keyword_span.start);
        self.pos = s.keyword_span.end;
        let args = s.args.iter().map(|a| self.value(a)).collect();
        let block = s.block.as_ref().map(|b| self.block(b));
        Node {
            above,
            blank_before,
            keyword: s.keyword.clone(),
            args,
            block,
            trailing: self.same_line(boundary),
        }
    }

    fn block(&mut self, block: &Block) -> Body {
        let (open, close) = brackets(block.span);
        self.pos = open.end;
        let first = block
            .statements
            .first()
            .map_or(close.start, |s| s.keyword_span.start);
        let comment = self.same_line(first);
        let mut body = self.body(&block.statements, close.start);
        body.open = comment;
        self.pos = close.end;
        body
    }

    fn value(&mut self, arg: &Arg) -> Value {
        let ArgKind::List(items) = &arg.kind else {
            self.pos = self.pos.max(arg.span.end);
            return Value::from_arg(arg);
        };
        let (open, close) = brackets(arg.span);
        self.pos = open.end;
        let first = items.first().map_or(close.start, |i| i.span.start);
        let open = self.same_line(first);
        let items = items
            .iter()
            .enumerate()
            .map(|(i, item)| {
                let boundary = items.get(i + 1).map_or(close.start, |n| n.span.start);
                let above = self.own_lines(item.span.start);
                let blank_before = self.blank_before(item.span.start);
                let value = self.value(item);
                Item {
                    above,
                    blank_before,
                    value,
                    trailing: self.same_line(boundary),
                }
            })
            .collect();
        let end = self.own_lines(close.start);
        self.pos = close.end;
        Value::List(List { open, items, end })
    }
}
