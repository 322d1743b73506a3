//! [`Body`] → canonical `.ds` text: two spaces per block level, one statement per line, blocks
//! always expanded, lists inline when they fit in [`WIDTH`] columns, comments where they were.

use super::groups::is_reference;
use super::quote::{self, Place};
use super::{Body, Comment, Item, List, ListComments, Node, Value};

/// Lists stay on their statement's line when the line fits in this many columns.
pub const WIDTH: usize = 100;

const INDENT: &str = "  ";

/// The canonical text of a file: every line ends with `\n`; an empty body prints as nothing.
pub fn body_to_source(body: &Body) -> String {
    let mut out = Out::default();
    print_body(&mut out, body, 0);
    out.text
}

/// Text being printed, with the width of its widest line since the layout being tried started
/// ([`Out::mark`]). Lines inside `"""` strings do not count: no layout can shorten them.
#[derive(Default)]
struct Out {
    text: String,
    line_start: usize,
    widest: usize,
}

impl Out {
    fn push(&mut self, s: &str) {
        self.text.push_str(s);
    }

    fn indent(&mut self, level: usize) {
        for _ in 0..level {
            self.text.push_str(INDENT);
        }
    }

    fn newline(&mut self) {
        self.widest = self.widest.max(self.column());
        self.text.push('\n');
        self.line_start = self.text.len();
    }

    fn blank_line(&mut self) {
        self.text.push('\n');
        self.line_start = self.text.len();
    }

    fn column(&self) -> usize {
        self.text[self.line_start..].chars().count()
    }

    /// A `"""` string: the opening line and the closing line count, the lines between do not.
    fn push_lines(&mut self, text: &str) {
        let lines: Vec<&str> = text.split('\n').collect();
        for (i, line) in lines.iter().enumerate() {
            if i > 0 {
                self.text.push('\n');
                self.line_start = self.text.len();
            }
            self.text.push_str(line);
            if i == 0 && lines.len() > 1 {
                self.widest = self.widest.max(self.column());
            }
        }
    }

    /// Starts trying a layout, at the start of a line: until [`Out::keep`] or [`Out::undo`],
    /// [`Out::fits`] measures only the lines printed from here.
    fn mark(&mut self) -> Mark {
        let mark = Mark {
            len: self.text.len(),
            line_start: self.line_start,
            widest: self.widest,
        };
        self.widest = 0;
        mark
    }

    /// Whether the lines printed since the last mark fit in [`WIDTH`] columns.
    fn fits(&self) -> bool {
        self.widest.max(self.column()) <= WIDTH
    }

    /// Keeps the layout tried since `mark`.
    fn keep(&mut self, mark: Mark) {
        self.widest = self.widest.max(mark.widest);
    }

    /// Takes back the layout tried since `mark`.
    fn undo(&mut self, mark: Mark) {
        self.text.truncate(mark.len);
        self.line_start = mark.line_start;
        self.widest = mark.widest;
    }
}

/// Where a layout being tried started: it is printed in place, then kept or taken back, so
/// trying one costs no copy of its text.
#[derive(Clone, Copy)]
struct Mark {
    len: usize,
    line_start: usize,
    widest: usize,
}

/// Statements with their comments. At the top level, a statement with a block is set apart from
/// its neighbours by a blank line; elsewhere blank lines are kept where the source had them,
/// never as the first line of a block.
fn print_body(out: &mut Out, body: &Body, level: usize) {
    let mut first = true;
    let mut previous_block = false;
    for node in &body.statements {
        let apart = level == 0 && (previous_block || node.block.is_some());
        let mut blank = apart;
        for comment in &node.above {
            print_comment(out, comment, level, blank, &mut first);
            blank = false;
        }
        if (node.blank_before || blank) && !first {
            out.blank_line();
        }
        print_statement(out, node, level);
        first = false;
        previous_block = node.block.is_some();
    }
    let mut blank = level == 0 && previous_block;
    for comment in &body.end {
        print_comment(out, comment, level, blank, &mut first);
        blank = false;
    }
}

fn print_comment(out: &mut Out, comment: &Comment, level: usize, blank: bool, first: &mut bool) {
    if (comment.blank_before || blank) && !*first {
        out.blank_line();
    }
    out.indent(level);
    out.push(&comment.text);
    out.newline();
    *first = false;
}

fn print_statement(out: &mut Out, node: &Node, level: usize) {
    print_header(out, node, level);
    if let Some(block) = &node.block {
        if block.open.is_none() && block.statements.is_empty() && block.end.is_empty() {
            out.push(" {}");
        } else {
            out.push(" {");
            trailing(out, &block.open);
            out.newline();
            print_body(out, block, level + 1);
            out.indent(level);
            out.push("}");
        }
    }
    trailing(out, &node.trailing);
    out.newline();
}

fn trailing(out: &mut Out, comment: &Option<String>) {
    if let Some(c) = comment {
        out.push(" ");
        out.push(c);
    }
}

/// The keyword and values: lists inline when every list can be and the lines fit, else every
/// list of the statement one item per line.
fn print_header(out: &mut Out, node: &Node, level: usize) {
    let args = Args {
        all: &node.args,
        reference: is_reference(&node.args),
        ends_line: node.block.is_none() && node.trailing.is_none(),
    };
    let mark = out.mark();
    out.indent(level);
    out.push(&node.keyword);
    if print_args(out, &args, level, true) && out.fits() {
        out.keep(mark);
        return;
    }
    out.undo(mark);
    out.indent(level);
    out.push(&node.keyword);
    print_args(out, &args, level, false);
}

/// The values of a statement, and what decides how its pairs are written.
struct Args<'a> {
    all: &'a [Value],
    /// The first value is the pair of a reference, written `NAME = field PATH`.
    reference: bool,
    /// Nothing follows the last value on its line (a bare `key=` can end it).
    ends_line: bool,
}

/// Prints the values of a statement; `false` when `flat` was asked and a list cannot be flat.
fn print_args(out: &mut Out, args: &Args, level: usize, flat: bool) -> bool {
    let mut previous = out.text.len()..out.text.len();
    for (i, arg) in args.all.iter().enumerate() {
        out.push(" ");
        let start = out.text.len();
        let last = i + 1 == args.all.len();
        let ok = match arg {
            Value::Pair { key, value } => {
                out.push(key);
                out.push(if args.reference && i == 0 { " = " } else { "=" });
                match value.as_ref() {
                    // `key=` parses only at the end of a line without a comment.
                    Value::Empty if last && args.ends_line => true,
                    value => print_value(out, value, level, flat, Place::PairValue),
                }
            }
            Value::Word(w) if w.starts_with('=') => {
                out.push(&quote::word_after(&out.text[previous.clone()], w));
                true
            }
            _ => print_value(out, arg, level, flat, Place::Argument),
        };
        previous = start..out.text.len();
        if !ok {
            return false;
        }
    }
    true
}

fn print_value(out: &mut Out, value: &Value, level: usize, flat: bool, place: Place) -> bool {
    match value {
        Value::Word(w) => out.push(&quote::word(w, place)),
        Value::Str { value, multiline } => {
            let pad = INDENT.repeat(level + 1);
            match multiline
                .then(|| quote::triple_quoted(value, &pad))
                .flatten()
            {
                Some(text) if text.contains('\n') && flat && place == Place::ListItem => {
                    return false
                }
                Some(text) => out.push_lines(&text),
                None => out.push(&quote::single_line(value)),
            }
        }
        Value::Number(n) => out.push(n),
        Value::Range { low, high } => {
            out.push(low.as_deref().unwrap_or(""));
            out.push("..");
            out.push(high.as_deref().unwrap_or(""));
        }
        Value::Pair { key, value } => {
            out.push(key);
            out.push("=");
            return print_value(out, value, level, flat, Place::PairValue);
        }
        Value::Empty => out.push("\"\""),
        Value::List(list) if flat => return print_flat_list(out, list, level),
        Value::List(list) => print_expanded_list(out, list, level),
    }
    true
}

/// `[a, b]`; `false` when the list holds a comment, a blank line or a string over several lines.
fn print_flat_list(out: &mut Out, list: &List, level: usize) -> bool {
    if list.comments() != &ListComments::default() {
        return false;
    }
    out.push("[");
    for (i, item) in list.items.iter().enumerate() {
        let comments = item.comments();
        if !comments.above.is_empty()
            || comments.trailing.is_some()
            || (i > 0 && comments.blank_before)
        {
            return false;
        }
        if i > 0 {
            out.push(", ");
        }
        if !print_value(out, &item.value, level, true, Place::ListItem) {
            return false;
        }
    }
    out.push("]");
    true
}

/// `[`, one item per line one level deeper, `]`.
fn print_expanded_list(out: &mut Out, list: &List, level: usize) {
    out.push("[");
    trailing(out, &list.comments().open);
    out.newline();
    let mut first = true;
    for item in &list.items {
        print_item(out, item, level + 1, &mut first);
    }
    for comment in &list.comments().end {
        print_comment(out, comment, level + 1, false, &mut first);
    }
    out.indent(level);
    out.push("]");
}

/// One item on its own line; an item that is a list is inline when it fits there.
fn print_item(out: &mut Out, item: &Item, level: usize, first: &mut bool) {
    let comments = item.comments();
    for comment in &comments.above {
        print_comment(out, comment, level, false, first);
    }
    if comments.blank_before && !*first {
        out.blank_line();
    }
    *first = false;
    let mark = out.mark();
    out.indent(level);
    if print_value(out, &item.value, level, true, Place::ListItem) && out.fits() {
        out.keep(mark);
    } else {
        out.undo(mark);
        out.indent(level);
        print_value(out, &item.value, level, false, Place::ListItem);
    }
    trailing(out, &comments.trailing);
    out.newline();
}
