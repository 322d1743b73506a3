//! [`Body`] → canonical `.ds` text: two spaces per block level, one statement per line (broken
//! at its option groups with `\` when it does not fit in [`WIDTH`] columns), blocks always
//! expanded, lists inline when they fit, comments where they were.

use super::groups::{is_reference, line_starts};
use super::quote::{self, Place};
use super::{Body, Comment, Item, List, ListComments, Node, Value};

/// A statement stays on one line, and a list on its line, when the line fits in this many columns.
pub const WIDTH: usize = 100;

const INDENT: &str = "  ";

/// The canonical text of a file: every line ends with `\n`; an empty body prints as nothing.
pub fn body_to_source(body: &Body) -> String {
    let mut out = Out::default();
    print_body(&mut out, body, 0);
    out.text
}

/// Text being printed, with the width of its widest line. Lines inside `"""` strings do not
/// count: no layout can shorten them.
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

/// The keyword and values: on one line with every list inline when that fits. Else, when the
/// statement can break ([`line_starts`]), one `\` line per group of values, unless its lists
/// could not be inline anyway and it fits with them one item per line; else on one line with
/// every list one item per line.
/// The pair of `node` written `key = value`: a reference's, or the default of a `param`
/// (`param NAME = DEFAULT`, `param NAME TYPE = DEFAULT`), its last value.
fn spaced_pair(node: &Node) -> Option<usize> {
    if is_reference(&node.args) {
        return Some(0);
    }
    let last = node.args.len().checked_sub(1)?;
    (node.keyword == "param" && last <= 1 && matches!(node.args[last], Value::Pair { .. }))
        .then_some(last)
}

fn print_header(out: &mut Out, node: &Node, level: usize) {
    let args = Args {
        all: &node.args,
        spaced_pair: spaced_pair(node),
        ends_line: node.block.is_none() && node.trailing.is_none(),
    };
    let all = 0..node.args.len();
    let mark = out.mark();
    out.indent(level);
    out.push(&node.keyword);
    let inline = print_args(out, &args, all.clone(), level, true);
    if inline && out.fits() {
        out.keep(mark);
        return;
    }
    out.undo(mark);
    let starts = line_starts(&node.keyword, &node.args);
    if starts.len() < 2 || !inline {
        let mark = out.mark();
        out.indent(level);
        out.push(&node.keyword);
        print_args(out, &args, all, level, false);
        if starts.len() < 2 || out.fits() {
            out.keep(mark);
            return;
        }
        out.undo(mark);
    }
    print_lines(out, node, &args, &starts, level);
}

/// A statement on a line per group of values (each starting at one of `starts`), the lines
/// after the first one level deeper, each with its lists inline when the line fits.
fn print_lines(out: &mut Out, node: &Node, args: &Args, starts: &[usize], level: usize) {
    for (n, &start) in starts.iter().enumerate() {
        let end = starts.get(n + 1).copied();
        let range = start..end.unwrap_or(node.args.len());
        let line_level = if n == 0 { level } else { level + 1 };
        let print_line = |out: &mut Out, flat: bool| {
            out.indent(line_level);
            if n == 0 {
                out.push(&node.keyword);
            }
            let ok = print_args(out, args, range.clone(), line_level, flat);
            if end.is_some() {
                out.push(" \\");
            }
            ok
        };
        let mark = out.mark();
        if print_line(out, true) && out.fits() {
            out.keep(mark);
        } else {
            out.undo(mark);
            print_line(out, false);
        }
        if end.is_some() {
            out.newline();
        }
    }
}

/// The values of a statement, and what decides how its pairs are written.
struct Args<'a> {
    all: &'a [Value],
    /// The pair written with spaces around `=`: a reference's (`NAME = field PATH`) or a
    /// parameter's default (`param NAME = DEFAULT`).
    spaced_pair: Option<usize>,
    /// Nothing follows the last value on its line (a bare `key=` can end it).
    ends_line: bool,
}

/// Prints the values `range` of a statement, each after a space but the first of a continuation
/// line; `false` when `flat` was asked and a list cannot be flat.
fn print_args(
    out: &mut Out,
    args: &Args,
    range: std::ops::Range<usize>,
    level: usize,
    flat: bool,
) -> bool {
    let mut previous = out.text.len()..out.text.len();
    let first = range.start;
    for i in range {
        let arg = &args.all[i];
        // A continuation line starts with its first value.
        if i > first || first == 0 {
            out.push(" ");
        }
        let start = out.text.len();
        let last = i + 1 == args.all.len();
        let ok = match arg {
            Value::Pair { key, value } => {
                out.push(key);
                out.push(if args.spaced_pair == Some(i) {
                    " = "
                } else {
                    "="
                });
                match value.as_ref() {
                    // `key=` parses only at the end of a line without a comment.
                    Value::Empty if last && args.ends_line => true,
                    value => print_value(out, value, level, flat, Place::PairValue),
                }
            }
            // A word after a line break is decided as on one line: the layout never changes
            // what a value is.
            Value::Word(w) if w.starts_with('=') && i == first && i > 0 => {
                let mut before = Out::default();
                print_args(&mut before, args, i - 1..i, level, false);
                out.push(&quote::word_after(before.text.trim_start(), w));
                true
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
        Value::Template(w) => out.push(w),
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
