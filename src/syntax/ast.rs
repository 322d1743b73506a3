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
