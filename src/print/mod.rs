//! Printing: a spec as data ([`Body`]: statements, values, comments, blank lines) → `.ds` text in
//! the one canonical layout. `dsc fmt` builds the [`Body`] from a parsed file and its comments;
//! `dsc import` builds it from YAML. Both print it with [`body_to_source`].
//!
//! The printer is total: any [`Body`] prints. Its text parses back to the same tree, except
//! where a value cannot be written as asked: then it keeps its text and becomes a string (a word
//! that would read as something else, `key=` before a comment, text that `"""` cannot hold).
//! Keywords, pair keys, numbers and ranges are printed as given, so a program that builds a
//! tree must give valid ones.

mod attach;
mod groups;
mod layout;
mod quote;
mod verify;

use compact_str::CompactString;

use crate::diagnostics::{has_errors, Diagnostic};
use crate::source::Span;
use crate::syntax::{Arg, ArgKind, Ast, Block, Bounds, Statement, StrLayout};

pub use layout::{body_to_source, WIDTH};
pub use quote::fits_triple_quotes;

/// The statements of a file or of a `{ ... }` block, with the comments around them.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Body {
    /// The comment after the block's `{`, on the same line (always `None` for a file).
    pub open: Option<String>,
    pub statements: Vec<Node>,
    /// Comments after the last statement, before the `}` or the end of the file.
    pub end: Vec<Comment>,
}

/// One statement: `keyword value ... { ... }`, with its comments.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Node {
    /// Comments on their own lines just above the statement.
    pub above: Vec<Comment>,
    /// A blank line right above the statement (below its comments).
    pub blank_before: bool,
    pub keyword: CompactString,
    pub args: Vec<Value>,
    pub block: Option<Body>,
    /// The comment at the end of the statement's last line (after the `}` of a block).
    pub trailing: Option<String>,
}

/// A comment on a line of its own. `text` starts with `#` and has no trailing whitespace.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Comment {
    pub text: String,
    /// A blank line right above this comment.
    pub blank_before: bool,
}

/// A value: the printer's view of an [`ArgKind`], without spans.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Value {
    /// Printed bare when it reads back as the same word where it stands, else quoted as a
    /// string with the same text is (and then it reads back as that string).
    Word(CompactString),
    /// A word of the source holding `${NAME}`, printed as written: its parameters are replaced
    /// only in a bare word, so it is never quoted (a [`Value::Word`] with the same text is
    /// literal text, and quoted).
    Template(CompactString),
    /// Printed with quotes; `multiline` asks for `"""` quotes, used when the text fits them
    /// ([`fits_triple_quotes`]).
    Str {
        value: CompactString,
        multiline: bool,
    },
    /// Printed as written: `2020`, `250m`, `1Gi`.
    Number(CompactString),
    /// `low..high`, printed as written.
    Range {
        low: Option<String>,
        high: Option<String>,
    },
    /// `key=value`; the value is never a list.
    Pair {
        key: CompactString,
        value: Box<Value>,
    },
    List(List),
    /// The empty value of `key=`.
    Empty,
}

/// `[ ... ]`, with the comments inside it. A list with a comment or a blank line is printed one
/// item per line.
///
/// The comments sit behind a box that only a list with comments allocates: a list nested on
/// every line of a large file is millions of lists, and `dsc fmt` holds them all.
#[derive(Clone, Debug, Default)]
pub struct List {
    pub items: Vec<Item>,
    comments: Option<Box<ListComments>>,
}

/// The comments of a [`List`] that are not its items'.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ListComments {
    /// The comment after the `[`, on the same line.
    pub open: Option<String>,
    /// Comments after the last item, before the `]`.
    pub end: Vec<Comment>,
}

/// One item of a list, with its comments. Boxed like a list's, for the same reason: an item
/// without comments is its value and one pointer.
#[derive(Clone, Debug)]
pub struct Item {
    pub value: Value,
    comments: Option<Box<ItemComments>>,
}

/// The comments around an [`Item`], and the blank line above it.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ItemComments {
    pub above: Vec<Comment>,
    pub blank_before: bool,
    pub trailing: Option<String>,
}

/// Why a text was not formatted.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum FormatError {
    /// The text does not parse: its syntax diagnostics. Formatting would drop the statements
    /// that failed, so the text is left as it is.
    Syntax(Vec<Diagnostic>),
    /// The printed text would not hold what the source held (a bug in dsc): what would change.
    Unfaithful(String),
}

/// Formats a whole file: parse, recover the comments, print, and check that the result parses
/// back to the same statements, values and comments before returning it.
pub fn format_source(text: &str) -> Result<String, FormatError> {
    let (ast, diagnostics) = crate::syntax::parse(text);
    if has_errors(&diagnostics) {
        return Err(FormatError::Syntax(diagnostics));
    }
    // The syntax tree is taken apart as the printed tree is built: the two are never whole
    // together.
    let body = Body::from_source(text, ast);
    let formatted = body_to_source(&body);
    // Only the facts of the source are needed to check the output: the tree goes first.
    let facts = verify::Facts::of(&body);
    drop(body);
    verify::verify(&facts, &formatted).map_err(FormatError::Unfaithful)?;
    Ok(formatted)
}

impl Body {
    /// The tree of a parsed file with every comment of its text attached where it was written,
    /// and its blank lines. The syntax tree is consumed: its text moves into the printed tree.
    pub fn from_source(text: &str, ast: Ast) -> Body {
        attach::attach(text, ast)
    }

    /// A tree without comments, for a syntax tree that has no text (built by a program): a
    /// blank line around every statement that has a block, as in hand-written specs.
    pub fn from_ast(ast: &Ast) -> Body {
        Body::from_statements(&ast.statements)
    }

    fn from_statements(statements: &[Statement]) -> Body {
        let mut previous_block = false;
        let statements = statements
            .iter()
            .enumerate()
            .map(|(i, s)| {
                let node = Node {
                    blank_before: i > 0 && (previous_block || s.block.is_some()),
                    keyword: s.keyword.clone(),
                    args: s.args.iter().cloned().map(Value::from_arg).collect(),
                    block: s
                        .block
                        .as_ref()
                        .map(|b| Body::from_statements(&b.statements)),
                    ..Node::default()
                };
                previous_block = s.block.is_some();
                node
            })
            .collect();
        Body::of(statements)
    }

    /// The syntax tree of this body (every span empty), to check or compile it.
    pub fn to_ast(&self) -> Ast {
        Ast {
            statements: self.statements.iter().map(Node::to_statement).collect(),
        }
    }
}

impl Body {
    /// A body of `statements` alone: no comments around them.
    pub fn of(statements: Vec<Node>) -> Body {
        Body {
            statements,
            ..Body::default()
        }
    }
}

impl Node {
    /// `keyword args...`, without comments or block.
    pub fn new(keyword: impl Into<CompactString>, args: Vec<Value>) -> Node {
        Node {
            keyword: keyword.into(),
            args,
            ..Node::default()
        }
    }

    /// The same statement with a block holding `statements`.
    pub fn with_block(mut self, statements: Vec<Node>) -> Node {
        self.block = Some(Body::of(statements));
        self
    }

    fn to_statement(&self) -> Statement {
        Statement {
            keyword: self.keyword.clone(),
            keyword_span: Span::default(),
            args: self.args.iter().map(Value::to_arg).collect(),
            block: self.block.as_ref().map(|b| Block {
                statements: b.to_ast().statements,
                span: Span::default(),
            }),
            span: Span::default(),
        }
    }
}

impl Value {
    /// A word, printed bare where it can be.
    pub fn word(text: impl Into<CompactString>) -> Value {
        Value::Word(text.into())
    }

    /// A quoted string; text over several lines asks for `"""` quotes when it fits them.
    pub fn string(text: impl Into<CompactString>) -> Value {
        let value = text.into();
        let multiline = value.contains('\n') && fits_triple_quotes(&value);
        Value::Str { value, multiline }
    }

    /// `key=value`.
    pub fn pair(key: impl Into<CompactString>, value: Value) -> Value {
        Value::Pair {
            key: key.into(),
            value: Box::new(value),
        }
    }

    /// `[a, b]`, without comments.
    pub fn list(values: Vec<Value>) -> Value {
        Value::List(List {
            items: values.into_iter().map(Item::new).collect(),
            ..List::default()
        })
    }

    /// The value of one argument of a syntax tree (lists without their comments). The argument
    /// is taken, so its text moves into the value instead of being copied.
    pub fn from_arg(arg: Arg) -> Value {
        match arg.kind {
            ArgKind::Word(w) if w.contains("${") => Value::Template(w),
            ArgKind::Word(w) => Value::Word(w),
            ArgKind::Str {
                value, multiline, ..
            } => Value::Str { value, multiline },
            ArgKind::Number(n) => Value::Number(n),
            ArgKind::Range(bounds) => {
                let Bounds { low, high } = *bounds;
                Value::Range {
                    low: low.map(|(t, _)| t),
                    high: high.map(|(t, _)| t),
                }
            }
            ArgKind::Pair { key, value, .. } => Value::pair(key, Value::from_arg(*value)),
            ArgKind::List(items) => Value::list(items.into_iter().map(Value::from_arg).collect()),
            ArgKind::Empty => Value::Empty,
        }
    }

    fn to_arg(&self) -> Arg {
        let none = Span::default();
        let kind = match self {
            Value::Word(w) | Value::Template(w) => ArgKind::Word(w.clone()),
            Value::Str { value, multiline } => ArgKind::Str {
                value: value.clone(),
                multiline: *multiline,
                layout: StrLayout::single(none),
            },
            Value::Number(n) => ArgKind::Number(n.clone()),
            Value::Range { low, high } => ArgKind::Range(Box::new(Bounds {
                low: low.clone().map(|t| (t, none)),
                high: high.clone().map(|t| (t, none)),
            })),
            Value::Pair { key, value } => ArgKind::Pair {
                key: key.clone(),
                key_span: none,
                value: Box::new(value.to_arg()),
            },
            Value::List(list) => {
                ArgKind::List(list.items.iter().map(|i| i.value.to_arg()).collect())
            }
            Value::Empty => ArgKind::Empty,
        };
        Arg { kind, span: none }
    }
}

impl List {
    /// A list whose items or ends have comments.
    pub fn with_comments(items: Vec<Item>, comments: ListComments) -> List {
        let none = comments.open.is_none() && comments.end.is_empty();
        List {
            items,
            comments: (!none).then(|| Box::new(comments)),
        }
    }

    pub fn comments(&self) -> &ListComments {
        static NONE: ListComments = ListComments {
            open: None,
            end: Vec::new(),
        };
        self.comments.as_deref().unwrap_or(&NONE)
    }

    /// The comments, to change them (boxed on first use).
    pub fn comments_mut(&mut self) -> &mut ListComments {
        self.comments.get_or_insert_with(Box::default)
    }
}

impl Item {
    /// An item without comments.
    pub fn new(value: Value) -> Item {
        Item {
            value,
            comments: None,
        }
    }

    /// An item with comments around it.
    pub fn with_comments(value: Value, comments: ItemComments) -> Item {
        let none = comments == ItemComments::default();
        Item {
            value,
            comments: (!none).then(|| Box::new(comments)),
        }
    }

    pub fn comments(&self) -> &ItemComments {
        static NONE: ItemComments = ItemComments {
            above: Vec::new(),
            blank_before: false,
            trailing: None,
        };
        self.comments.as_deref().unwrap_or(&NONE)
    }

    /// The comments, to change them (boxed on first use).
    pub fn comments_mut(&mut self) -> &mut ItemComments {
        self.comments.get_or_insert_with(Box::default)
    }
}

// Equal when they say the same: no box and an empty box are the same comments.
impl PartialEq for List {
    fn eq(&self, other: &List) -> bool {
        self.items == other.items && self.comments() == other.comments()
    }
}

impl Eq for List {}

impl PartialEq for Item {
    fn eq(&self, other: &Item) -> bool {
        self.value == other.value && self.comments() == other.comments()
    }
}

impl Eq for Item {}

#[cfg(test)]
mod tests;
