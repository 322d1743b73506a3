//! Source text + its syntax tree → [`Body`] with every comment and blank line of the text.
//!
//! The grammar skips comments, so they are found again here: a `#` can only start a comment in
//! the gaps between tokens (keywords, values, brackets and braces, all spanned in the tree), and
//! there it always does. Walking the tree in source order, each comment goes to the last token
//! on its line (a trailing comment) or, on a line of its own, to the next statement or list item
//! (or to the end of its block, list or file).

use super::{Body, Comment, Item, ItemComments, List, ListComments, Node, Value};
use crate::source::Span;
use crate::syntax::{Arg, ArgKind, Ast, Block, Statement};

/// The tree of a parsed file with its comments and blank lines attached. The syntax tree is
/// taken apart as the printed tree is built (its text moves, each statement is freed once
/// printed), so the two are never held whole together.
pub fn attach(text: &str, ast: Ast) -> Body {
    let mut walker = Walker {
        text,
        comments: comments(text, &ast),
        next: 0,
        pos: 0,
    };
    let mut body = walker.body(ast.statements, text.len());
    // Every comment was taken on the way; this only guards against losing one.
    body.end.extend(walker.own_lines(usize::MAX));
    body
}

/// A comment found in the text: its span, and its text without trailing whitespace.
struct Found {
    span: Span,
    text: String,
}

/// Every comment of the text, in order: the gaps between the tokens of the tree, visited in
/// source order (the order the parser builds it in), are searched for `#` as the walk goes, so
/// no list of the tokens is kept.
fn comments(text: &str, ast: &Ast) -> Vec<Found> {
    let mut gaps = Gaps {
        text,
        from: 0,
        found: Vec::new(),
    };
    for s in &ast.statements {
        gaps.statement(s);
    }
    gaps.token(Span::new(text.len(), text.len()));
    gaps.found
}

/// The search for comments between tokens: `from` is the end of the last token.
struct Gaps<'a> {
    text: &'a str,
    from: usize,
    found: Vec<Found>,
}

impl Gaps<'_> {
    /// The comments in the gap before `token`, then past it.
    fn token(&mut self, token: Span) {
        let text = self.text;
        let mut at = self.from;
        while let Some(hash) = text.get(at..token.start()).and_then(|gap| gap.find('#')) {
            let start = at + hash;
            let end = text[start..]
                .find(['\n', '\r'])
                .map_or(text.len(), |e| start + e);
            self.found.push(Found {
                span: Span::new(start, end),
                text: text[start..end].trim_end().to_string(),
            });
            at = end;
        }
        self.from = self.from.max(token.end());
    }

    fn statement(&mut self, s: &Statement) {
        self.token(s.keyword_span);
        for arg in &s.args {
            self.arg(arg);
        }
        if let Some(block) = &s.block {
            let (open, close) = brackets(block.span);
            self.token(open);
            for inner in &block.statements {
                self.statement(inner);
            }
            self.token(close);
        }
    }

    fn arg(&mut self, arg: &Arg) {
        if let ArgKind::List(items) = &arg.kind {
            let (open, close) = brackets(arg.span);
            self.token(open);
            for item in items {
                self.arg(item);
            }
            self.token(close);
        } else {
            self.token(arg.span);
        }
    }
}

/// The spans of the opening and closing bracket of a block or list.
fn brackets(span: Span) -> (Span, Span) {
    let close = span.end().saturating_sub(1).max(span.start());
    (
        Span::new(span.start(), span.start() + 1),
        Span::new(close, span.end()),
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
        if c.span.start() >= boundary || self.gap(c.span.start()).contains(['\n', '\r']) {
            return None;
        }
        let text = c.text.clone();
        self.pos = c.span.end();
        self.next += 1;
        Some(text)
    }

    /// The comments before `boundary`, each on a line of its own.
    fn own_lines(&mut self, boundary: usize) -> Vec<Comment> {
        let mut out = Vec::new();
        while let Some(c) = self
            .comments
            .get(self.next)
            .filter(|c| c.span.start() < boundary)
        {
            let (start, end, text) = (c.span.start(), c.span.end(), c.text.clone());
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
    // Here and below, vectors are built with their exact length rather than collected from the
    // syntax tree's: a collect may reuse the tree's larger allocation for the printed nodes.
    fn body(&mut self, statements: Vec<Statement>, close: usize) -> Body {
        let mut nodes = Vec::with_capacity(statements.len());
        let mut statements = statements.into_iter().peekable();
        while let Some(s) = statements.next() {
            let boundary = statements
                .peek()
                .map_or(close, |next| next.keyword_span.start());
            nodes.push(self.node(s, boundary));
        }
        Body {
            open: None,
            statements: nodes,
            end: self.own_lines(close),
        }
    }

    fn node(&mut self, s: Statement, boundary: usize) -> Node {
        let above = self.own_lines(s.keyword_span.start());
        let blank_before = self.blank_before(s.keyword_span.start());
        self.pos = s.keyword_span.end();
        let mut args = Vec::with_capacity(s.args.len());
        for arg in s.args {
            args.push(self.value(arg));
        }
        let block = s.block.map(|b| self.block(b));
        Node {
            above,
            blank_before,
            keyword: s.keyword,
            args,
            block,
            trailing: self.same_line(boundary),
        }
    }

    fn block(&mut self, block: Block) -> Body {
        let (open, close) = brackets(block.span);
        self.pos = open.end();
        let first = block
            .statements
            .first()
            .map_or(close.start(), |s| s.keyword_span.start());
        let comment = self.same_line(first);
        let mut body = self.body(block.statements, close.start());
        body.open = comment;
        self.pos = close.end();
        body
    }

    fn value(&mut self, arg: Arg) -> Value {
        let span = arg.span;
        let items = match arg.kind {
            ArgKind::List(items) => items,
            kind => {
                self.pos = self.pos.max(span.end());
                return Value::from_arg(Arg { kind, span });
            }
        };
        let (open, close) = brackets(span);
        self.pos = open.end();
        let first = items.first().map_or(close.start(), |i| i.span.start());
        let open = self.same_line(first);
        let mut list = Vec::with_capacity(items.len());
        let mut items = items.into_iter().peekable();
        while let Some(item) = items.next() {
            let boundary = items.peek().map_or(close.start(), |n| n.span.start());
            let above = self.own_lines(item.span.start());
            let blank_before = self.blank_before(item.span.start());
            let value = self.value(item);
            let comments = ItemComments {
                above,
                blank_before,
                trailing: self.same_line(boundary),
            };
            list.push(Item::with_comments(value, comments));
        }
        let end = self.own_lines(close.start());
        self.pos = close.end();
        Value::List(List::with_comments(list, ListComments { open, end }))
    }
}
