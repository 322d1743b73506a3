//! Property tests of the printer: generated trees (every value kind, comments everywhere, blank
//! lines) print to text that parses back to the same tree and prints the same again; and any
//! text that parses formats without losing a statement, a value or a comment.

use dsc::print::{body_to_source, fits_triple_quotes, format_source, Body, Comment, FormatError};
use dsc::print::{Item, ItemComments, List, ListComments, Node, Value};
use proptest::prelude::*;
use proptest::string::string_regex;

fn re(pattern: &str) -> BoxedStrategy<String> {
    string_regex(pattern).unwrap().boxed()
}

fn comment() -> BoxedStrategy<String> {
    re("#[ -~é]{0,8}")
        .prop_map(|c| c.trim_end().to_string())
        .boxed()
}

fn comments() -> BoxedStrategy<Vec<Comment>> {
    prop::collection::vec((comment(), any::<bool>()), 0..3)
        .prop_map(|v| {
            v.into_iter()
                .map(|(text, blank_before)| Comment { text, blank_before })
                .collect()
        })
        .boxed()
}

fn number() -> BoxedStrategy<String> {
    re("-?[0-9]{1,3}(\\.[0-9]{1,2})?(Mi|Gi|m|%|s)?")
}

fn string() -> BoxedStrategy<Value> {
    let one_line = re("[a-z \"'\\\\\n\r\t\u{0}\u{7f}é#{};=\\[\\],$]{0,10}");
    let lines = re("(( {1,3}|\t)?[a-z\"'#{} \\\\]{0,6}\n){0,3}[a-z\"'#{} \\\\]{0,6}\n?");
    prop_oneof![
        one_line.prop_map(|value| Value::Str {
            value: value.into(),
            multiline: false
        }),
        lines.prop_map(|value| Value::Str {
            value: value.into(),
            multiline: true
        }),
    ]
    .boxed()
}

/// Values that are not lists; words as the parser would read them at that place.
fn scalar(word: BoxedStrategy<String>) -> BoxedStrategy<Value> {
    prop_oneof![
        3 => word.prop_map(Value::word),
        2 => string(),
        1 => number().prop_map(|n| Value::Number(n.into())),
        1 => (prop::option::of(number()), prop::option::of(number()))
            .prop_map(|(low, high)| Value::Range { low, high }),
    ]
    .boxed()
}

fn list(depth: u32) -> BoxedStrategy<Value> {
    let item_word = re("[a-z/][a-zA-Z0-9._:/@%+=#'\\\\-]{0,8}");
    let value = if depth == 0 {
        scalar(item_word)
    } else {
        prop_oneof![4 => scalar(item_word), 1 => list(depth - 1)].boxed()
    };
    let item = (
        comments(),
        any::<bool>(),
        value,
        prop::option::of(comment()),
    )
        .prop_map(|(above, blank_before, value, trailing)| {
            let comments = ItemComments {
                above,
                blank_before,
                trailing,
            };
            Item::with_comments(value, comments)
        });
    let quiet =
        prop::collection::vec(scalar(re("[a-z][a-z0-9.-]{0,5}")), 0..4).prop_map(Value::list);
    let noisy = (
        prop::option::of(comment()),
        prop::collection::vec(item, 0..4),
        comments(),
    )
        .prop_map(|(open, items, end)| {
            Value::List(List::with_comments(items, ListComments { open, end }))
        });
    prop_oneof![quiet, noisy].boxed()
}

fn argument() -> BoxedStrategy<Value> {
    let word = prop_oneof![
        re("[a-z/][a-zA-Z0-9._:/@%+,$()\\[\\]'#\\\\-]{0,8}"),
        re("--[a-z]{1,4}=[a-z0-9,:\\[\\]]{0,4}"),
    ]
    .boxed();
    let pair_value = prop_oneof![
        5 => scalar(re("[a-z/][a-zA-Z0-9._:/@%+,=\\[\\]'#\\\\-]{0,8}")),
        1 => Just(Value::Empty),
    ];
    let pair =
        (re("[A-Za-z_][A-Za-z0-9_./-]{0,6}"), pair_value).prop_map(|(k, v)| Value::pair(k, v));
    prop_oneof![4 => scalar(word), 2 => pair, 1 => list(1), 1 => template()].boxed()
}

/// A word with parameters, `r/a:${tag}`: printed bare, as a quoted string would not be
/// substituted.
fn template() -> BoxedStrategy<Value> {
    re("[a-z/]{0,3}\\$\\{[a-z_-]{1,5}\\}([a-z:.]{0,3}\\$\\{[a-z]{1,3}\\})?[a-z]{0,2}")
        .prop_map(|w| Value::Template(w.into()))
        .boxed()
}

fn node(depth: u32) -> BoxedStrategy<Node> {
    let block = if depth == 0 {
        Just(None).boxed()
    } else {
        prop::option::of(body(depth - 1)).boxed()
    };
    (
        comments(),
        any::<bool>(),
        re("[a-z][a-z0-9-]{0,6}"),
        prop::collection::vec(argument(), 0..4),
        block,
        prop::option::of(comment()),
    )
        .prop_map(
            |(above, blank_before, keyword, args, block, trailing)| Node {
                above,
                blank_before,
                keyword: keyword.into(),
                args,
                block,
                trailing,
            },
        )
        .boxed()
}

fn body(depth: u32) -> BoxedStrategy<Body> {
    (
        prop::option::of(comment()),
        prop::collection::vec(node(depth), 0..4),
        comments(),
    )
        .prop_map(|(open, statements, end)| Body {
            open,
            statements,
            end,
        })
        .boxed()
}

/// The tree as it reads back: what the printer decides (blank lines at the start of a block or
/// around top-level blocks, strings `"""` cannot hold, `key=` mid-line) applied to `body`.
fn canonical(mut body: Body, top: bool) -> Body {
    if top {
        body.open = None;
    }
    let mut previous_block = false;
    let count = body.statements.len();
    for (i, node) in body.statements.iter_mut().enumerate() {
        let apart = top && i > 0 && (previous_block || node.block.is_some());
        let first = node
            .above
            .first_mut()
            .map_or(&mut node.blank_before, |c| &mut c.blank_before);
        *first = (*first || apart) && i > 0;
        previous_block = node.block.is_some();
        let ends_line = node.block.is_none() && node.trailing.is_none();
        let last = node.args.len().saturating_sub(1);
        for (j, arg) in node.args.iter_mut().enumerate() {
            canonical_value(arg, j == last && ends_line);
        }
        node.block = node.block.take().map(|b| canonical(b, false));
    }
    if let Some(c) = body.end.first_mut() {
        c.blank_before = count > 0 && (c.blank_before || (top && previous_block));
    }
    body
}

fn canonical_value(value: &mut Value, ends_line: bool) {
    match value {
        Value::Str { value, multiline } => *multiline = *multiline && fits_triple_quotes(value),
        Value::Pair { value, .. } if **value == Value::Empty && !ends_line => {
            **value = Value::string("")
        }
        Value::Pair { value, .. } => canonical_value(value, false),
        Value::List(list) => {
            let count = list.items.len();
            for (i, item) in list.items.iter_mut().enumerate() {
                let comments = item.comments_mut();
                let first = comments
                    .above
                    .first_mut()
                    .map_or(&mut comments.blank_before, |c| &mut c.blank_before);
                *first = *first && i > 0;
                canonical_value(&mut item.value, false);
            }
            if let Some(c) = list.comments_mut().end.first_mut() {
                c.blank_before = c.blank_before && count > 0;
            }
        }
        _ => {}
    }
}

fn reparse(text: &str) -> Body {
    let (ast, diagnostics) = dsc::syntax::parse(text);
    assert!(diagnostics.is_empty(), "{text}\n{diagnostics:#?}");
    Body::from_source(text, ast)
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    #[test]
    fn printed_trees_read_back_and_print_the_same(body in body(2)) {
        let text = body_to_source(&body);
        let back = reparse(&text);
        prop_assert_eq!(&back, &canonical(body.clone(), true), "printed:\n{}", text);
        prop_assert_eq!(body_to_source(&back), text);
    }

    #[test]
    fn syntax_trees_read_back_modulo_spans(body in body(2)) {
        let plain = Body::from_ast(&canonical(body, true).to_ast());
        let text = body_to_source(&plain);
        let (ast, diagnostics) = dsc::syntax::parse(&text);
        prop_assert!(diagnostics.is_empty(), "{}", text);
        prop_assert_eq!(Body::from_ast(&ast), plain);
    }
}

const TOKENS: &[&str] = &[
    "a",
    "b",
    "${p}",
    "r/${p}:1",
    "k=v",
    "k = v",
    "k=",
    "=",
    "=b",
    "1",
    "1Gi",
    "1..2",
    "..",
    "\"s\"",
    "'r\\d'",
    "[",
    "]",
    ",",
    "{",
    "}",
    ";",
    "\n",
    "\n\n",
    " ",
    "\t",
    "# c",
    "#",
    "\\\n",
    "\"\"\"\n  x\n  \"\"\"",
    "x#y",
];

proptest! {
    #![proptest_config(ProptestConfig::with_cases(2048))]

    #[test]
    fn text_that_parses_formats_without_loss(
        picks in prop::collection::vec(prop::sample::select(TOKENS), 0..24)
    ) {
        let text = picks.concat();
        let out = match format_source(&text) {
            Ok(out) => out,
            Err(FormatError::Syntax(_)) => return Ok(()),
            Err(e) => return Err(TestCaseError::fail(format!("{e:?} for {text:?}"))),
        };
        let again = format_source(&out);
        prop_assert_eq!(again.as_ref(), Ok(&out), "not idempotent: {:?}", text);
        let before = unglued(reparse(&text)).to_ast();
        let (after, _) = dsc::syntax::parse(&out);
        prop_assert_eq!(
            Body::from_ast(&before),
            Body::from_ast(&after),
            "{:?}",
            text
        );
        prop_assert_eq!(comment_texts(&reparse(&text)), comment_texts(&reparse(&out)));
    }
}

/// The values a format may change, keeping their text: `key=` followed by a comment is printed
/// `key=""`, and a word that reads as a word only because of what touches it is quoted: `1"x"`
/// would read as a number without the quote glued to it, and `a \<newline> =b` as the pair
/// `a=b` on one line. The parser says which words these are.
fn unglued(mut body: Body) -> Body {
    for node in &mut body.statements {
        let mut previous = String::new();
        // `key=` parses only at the very end of a statement's line.
        let ends_line = node.block.is_none() && node.trailing.is_none();
        if let Some((_, init)) = node.args.split_last_mut().filter(|_| ends_line) {
            init.iter_mut().for_each(empty_to_string);
        } else {
            node.args.iter_mut().for_each(empty_to_string);
        }
        for arg in &mut node.args {
            let here = match &*arg {
                Value::Word(w) => Some(w.to_string()),
                Value::Number(n) => Some(n.to_string()),
                Value::Range { low, high } => Some(format!(
                    "{}..{}",
                    low.as_deref().unwrap_or(""),
                    high.as_deref().unwrap_or("")
                )),
                _ => None,
            };
            match arg {
                Value::Word(w) if !reads_as_word(&format!("k {previous} {w}\n"), w) => {
                    *arg = Value::string(w.clone());
                    previous = "\"\"".into();
                    continue;
                }
                Value::Pair { value: inner, .. } => match &**inner {
                    Value::Word(w) if !reads_as_word(&format!("k p={w}\n"), w) => {
                        **inner = Value::string(w.clone())
                    }
                    _ => {}
                },
                _ => {}
            }
            previous = here.unwrap_or_default();
        }
        node.block = node.block.take().map(unglued);
    }
    body
}

fn empty_to_string(arg: &mut Value) {
    if let Value::Pair { value, .. } = arg {
        if **value == Value::Empty {
            **value = Value::string("");
        }
    }
}

/// Whether the last value of the statement in `probe` is the word `w`, alone or as a pair value.
fn reads_as_word(probe: &str, w: &str) -> bool {
    use dsc::syntax::ArgKind;
    let (ast, _) = dsc::syntax::parse(probe);
    let Some(last) = ast.statements.first().and_then(|s| s.args.last()) else {
        return false;
    };
    match &last.kind {
        ArgKind::Word(word) => word == w,
        ArgKind::Pair { value, .. } => matches!(&value.kind, ArgKind::Word(word) if word == w),
        _ => false,
    }
}

/// Every comment of a tree, in source order.
fn comment_texts(body: &Body) -> Vec<String> {
    let mut out: Vec<String> = body.open.iter().cloned().collect();
    for node in &body.statements {
        out.extend(node.above.iter().map(|c| c.text.clone()));
        for arg in &node.args {
            value_comments(arg, &mut out);
        }
        if let Some(block) = &node.block {
            out.extend(comment_texts(block));
        }
        out.extend(node.trailing.iter().cloned());
    }
    out.extend(body.end.iter().map(|c| c.text.clone()));
    out
}

fn value_comments(value: &Value, out: &mut Vec<String>) {
    if let Value::List(list) = value {
        out.extend(list.comments().open.iter().cloned());
        for item in &list.items {
            out.extend(item.comments().above.iter().map(|c| c.text.clone()));
            value_comments(&item.value, out);
            out.extend(item.comments().trailing.iter().cloned());
        }
        out.extend(list.comments().end.iter().map(|c| c.text.clone()));
    }
}
