//! The syntax tree of a `.ds` file: statements with arguments and blocks, every node spanned.
//!
//! The tree is deliberately generic (a keyword, arguments, an optional block): the semantic pass
//! decides what each keyword means, so it can suggest the right spelling of a misspelled one.

use compact_str::CompactString;

use crate::source::Span;

/// A parsed file: its top-level statements.
#[derive(Clone, Debug, PartialEq)]
pub struct Ast {
    pub statements: Vec<Statement>,
}

/// `keyword arg arg { ... }`
#[derive(Clone, Debug, PartialEq)]
pub struct Statement {
    pub keyword: CompactString,
    pub keyword_span: Span,
    pub args: Vec<Arg>,
    pub block: Option<Block>,
    pub span: Span,
}

/// `{ statements }`
#[derive(Clone, Debug, PartialEq)]
pub struct Block {
    pub statements: Vec<Statement>,
    pub span: Span,
}

/// Where the lines of a string's value sit in the source, so that a finding inside an
/// embedded document (an override's YAML) can point at its line.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct StrLayout {
    /// The source offset of the value's first line.
    body_start: u32,
    /// The indentation removed from each line of a `"""` string.
    indent: u32,
}

impl StrLayout {
    /// The layout of a value whose first line starts at `body_start` with `indent` removed
    /// from each line. Offsets are 32-bit, as a [`Span`]'s are.
    pub fn new(body_start: usize, indent: usize) -> Self {
        let clamp = |n: usize| u32::try_from(n).unwrap_or(u32::MAX);
        StrLayout {
            body_start: clamp(body_start),
            indent: clamp(indent),
        }
    }

    /// A one-line quoted string: the value starts after the quote.
    pub fn single(span: Span) -> Self {
        StrLayout::new(span.start() + 1, 0)
    }

    /// The source offset of the value's first line.
    pub fn body_start(self) -> usize {
        self.body_start as usize
    }

    /// The indentation removed from each line of a `"""` string.
    pub fn indent(self) -> usize {
        self.indent as usize
    }
}

/// The two sides of a range, each with its span.
#[derive(Clone, Debug, PartialEq)]
pub struct Bounds {
    pub low: Option<(String, Span)>,
    pub high: Option<(String, Span)>,
}

/// One argument of a statement.
#[derive(Clone, Debug, PartialEq)]
pub struct Arg {
    pub kind: ArgKind,
    pub span: Span,
}

#[derive(Clone, Debug, PartialEq)]
pub enum ArgKind {
    /// A bare word: `fluent-bit`, `/var/log`, `--flag=x`, `spec.nodeName`.
    Word(CompactString),
    /// A quoted string, escapes resolved. `multiline` is true for `"""` strings.
    Str {
        value: CompactString,
        multiline: bool,
        layout: StrLayout,
    },
    /// A number with an optional unit: `2020`, `250m`, `1Gi`, `10s`, `25%`, `0644`.
    Number(CompactString),
    /// `low..high`, either side optional: `100m..500m`. Boxed: ranges are rare, and every
    /// other argument would otherwise carry their size.
    Range(Box<Bounds>),
    /// `key=value`.
    Pair {
        key: CompactString,
        key_span: Span,
        value: Box<Arg>,
    },
    /// `[a, b, c]`.
    List(Vec<Arg>),
    /// The empty value of `key=`.
    Empty,
}

impl Arg {
    /// The argument as plain text, the way a command line would see it: words and numbers as
    /// written, strings unquoted, pairs as `key=value`. `None` for lists.
    pub fn as_text(&self) -> Option<String> {
        match &self.kind {
            ArgKind::Word(w) | ArgKind::Number(w) => Some(w.to_string()),
            ArgKind::Str { value, .. } => Some(value.to_string()),
            ArgKind::Pair { key, value, .. } => Some(format!("{key}={}", value.as_text()?)),
            ArgKind::Empty => Some(String::new()),
            ArgKind::Range(bounds) => {
                let Bounds { low, high } = &**bounds;
                let side = |s: &Option<(String, Span)>| {
                    s.as_ref().map_or(String::new(), |(t, _)| t.clone())
                };
                Some(format!("{}..{}", side(low), side(high)))
            }
            ArgKind::List(_) => None,
        }
    }

    /// The word, if this argument is a bare word.
    pub fn as_word(&self) -> Option<&str> {
        match &self.kind {
            ArgKind::Word(w) => Some(w),
            _ => None,
        }
    }

    /// What kind of value this is, in words, for diagnostics.
    pub fn describe(&self) -> &'static str {
        match &self.kind {
            ArgKind::Word(_) => "a word",
            ArgKind::Str { .. } => "a string",
            ArgKind::Number(_) => "a number",
            ArgKind::Range(_) => "a range",
            ArgKind::Pair { .. } => "a `key=value` pair",
            ArgKind::List(_) => "a list",
            ArgKind::Empty => "an empty value",
        }
    }
}

impl Statement {
    /// Moves every span of the statement `by` bytes later: a library's statements take their
    /// place in the run's span space, after the spec's own text (see `compose::Libraries`).
    pub fn shift(&mut self, by: usize) {
        let at = |s: Span| Span::new(s.start() + by, s.end() + by);
        self.keyword_span = at(self.keyword_span);
        self.span = at(self.span);
        for arg in &mut self.args {
            arg.shift(by);
        }
        if let Some(block) = &mut self.block {
            block.span = at(block.span);
            for inner in &mut block.statements {
                inner.shift(by);
            }
        }
    }

    /// The statement with its spans left out: two statements that write the same value are
    /// equal whatever their place.
    pub fn same_as(&self, other: &Statement) -> bool {
        self.keyword == other.keyword
            && self.args.len() == other.args.len()
            && self.args.iter().zip(&other.args).all(|(a, b)| a.same_as(b))
            && match (&self.block, &other.block) {
                (None, None) => true,
                (Some(a), Some(b)) => {
                    a.statements.len() == b.statements.len()
                        && a.statements
                            .iter()
                            .zip(&b.statements)
                            .all(|(x, y)| x.same_as(y))
                }
                _ => false,
            }
    }
}

impl Arg {
    fn shift(&mut self, by: usize) {
        let at = |s: Span| Span::new(s.start() + by, s.end() + by);
        self.span = at(self.span);
        match &mut self.kind {
            ArgKind::Str { layout, .. } => {
                *layout = StrLayout::new(layout.body_start() + by, layout.indent());
            }
            ArgKind::Range(bounds) => {
                for (_, span) in [&mut bounds.low, &mut bounds.high].into_iter().flatten() {
                    *span = at(*span);
                }
            }
            ArgKind::Pair {
                key_span, value, ..
            } => {
                *key_span = at(*key_span);
                value.shift(by);
            }
            ArgKind::List(items) => {
                for item in items {
                    item.shift(by);
                }
            }
            ArgKind::Word(_) | ArgKind::Number(_) | ArgKind::Empty => {}
        }
    }

    /// The argument with its spans left out (see [`Statement::same_as`]).
    pub fn same_as(&self, other: &Arg) -> bool {
        match (&self.kind, &other.kind) {
            (ArgKind::Word(a), ArgKind::Word(b)) | (ArgKind::Number(a), ArgKind::Number(b)) => {
                a == b
            }
            (ArgKind::Str { value: a, .. }, ArgKind::Str { value: b, .. }) => a == b,
            (ArgKind::Range(a), ArgKind::Range(b)) => {
                let text = |s: &Option<(String, Span)>| s.as_ref().map(|(t, _)| t.clone());
                text(&a.low) == text(&b.low) && text(&a.high) == text(&b.high)
            }
            (
                ArgKind::Pair {
                    key: ka, value: va, ..
                },
                ArgKind::Pair {
                    key: kb, value: vb, ..
                },
            ) => ka == kb && va.same_as(vb),
            (ArgKind::List(a), ArgKind::List(b)) => {
                a.len() == b.len() && a.iter().zip(b).all(|(x, y)| x.same_as(y))
            }
            (ArgKind::Empty, ArgKind::Empty) => true,
            _ => false,
        }
    }
}
