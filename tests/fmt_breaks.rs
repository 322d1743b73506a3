//! Property tests of long statements: generated statements too wide for one line (options,
//! flags, pairs, references, lists with comments, `"""` strings) print with `\` continuations
//! that keep their meaning and comments, format to themselves, put each continuation line two
//! spaces deeper than its statement, and break only statements that would not fit joined.

use dsc::print::{body_to_source, format_source, Body, Item, ItemComments, List, ListComments};
use dsc::print::{Node, Value, WIDTH};
use dsc::syntax::{parse, Statement};
use proptest::prelude::*;
use proptest::string::string_regex;

fn re(pattern: &str) -> BoxedStrategy<String> {
    string_regex(pattern).unwrap().boxed()
}

/// Words that read back as words anywhere: options of the settings below, flags, plain words.
fn word() -> BoxedStrategy<Value> {
    const OPTIONS: &[&str] = &[
        "period",
        "timeout",
        "host",
        "header",
        "ro",
        "sub-path",
        "items",
        "mode",
        "optional",
        "divisor",
        "container",
        "and",
        "or",
        "add",
        "drop",
    ];
    prop_oneof![
        2 => prop::sample::select(OPTIONS).prop_map(Value::word),
        2 => re("--[a-z]{1,10}(=[a-z0-9/]{1,12})?").prop_map(Value::word),
        4 => re("[a-z/][a-z0-9./-]{0,24}").prop_map(Value::word),
    ]
    .boxed()
}

fn comment() -> BoxedStrategy<String> {
    re("#[a-z ]{0,8}")
        .prop_map(|c| c.trim_end().to_string())
        .boxed()
}

/// A list of words and numbers, sometimes with comments after its `[` and its items.
fn list() -> BoxedStrategy<Value> {
    let item = (
        prop_oneof![3 => word(), 1 => number()],
        prop::option::of(comment()),
    )
        .prop_map(|(value, trailing)| {
            let comments = ItemComments {
                trailing,
                ..ItemComments::default()
            };
            Item::with_comments(value, comments)
        });
    (
        prop::collection::vec(item, 0..8),
        prop::option::of(comment()),
    )
        .prop_map(|(items, open)| {
            let comments = ListComments {
                open,
                end: Vec::new(),
            };
            Value::List(List::with_comments(items, comments))
        })
        .boxed()
}

fn number() -> BoxedStrategy<Value> {
    re("[0-9]{1,4}(s|Mi|m)?")
        .prop_map(|n| Value::Number(n.into()))
        .boxed()
}

fn value() -> BoxedStrategy<Value> {
    let key = re("[A-Za-z][A-Za-z0-9_./-]{0,16}");
    prop_oneof![
        6 => word(),
        3 => (key.clone(), word()).prop_map(|(k, v)| Value::pair(k, v)),
        1 => (key, prop::sample::select(&["field", "resource"][..]))
            .prop_map(|(k, kind)| Value::pair(k, Value::word(kind))),
        1 => number(),
        1 => list(),
        1 => re("[a-z \"'#]{0,30}").prop_map(Value::string),
        1 => re("([a-z #]{0,12}\n){1,3}").prop_map(Value::string),
    ]
    .boxed()
}

fn node() -> BoxedStrategy<Node> {
    const KEYWORDS: &[&str] = &[
        "liveness",
        "mount",
        "volume",
        "env",
        "labels",
        "args",
        "node-affinity",
        "caps",
        "unknown",
    ];
    (
        prop::sample::select(KEYWORDS),
        prop::collection::vec(value(), 0..16),
        prop::option::of(comment()),
        any::<bool>(),
    )
        .prop_map(|(keyword, args, trailing, block)| {
            let mut node = Node::new(keyword, args);
            node.trailing = trailing;
            if block {
                node = node.with_block(vec![Node::new("image", vec![Value::word("x")])]);
            }
            node
        })
        .boxed()
}

/// Statements at the top level and one block deeper.
fn body() -> BoxedStrategy<Body> {
    (
        prop::collection::vec(node(), 0..3),
        prop::collection::vec(node(), 0..3),
    )
        .prop_map(|(top, inner)| {
            let mut statements = top;
            statements.push(Node::new("container", vec![Value::word("a")]).with_block(inner));
            Body::of(statements)
        })
        .boxed()
}

/// The column of byte `at` in `text`, and whether only spaces come before it on its line.
fn column(text: &str, at: usize) -> (usize, bool) {
    let line_start = text[..at].rfind('\n').map_or(0, |i| i + 1);
    let before = &text[line_start..at];
    (before.chars().count(), before.trim().is_empty())
}

/// Checks the continuations of `s` and the statements in its block.
fn check_statement(text: &str, s: &Statement) -> Result<(), TestCaseError> {
    let (indent, _) = column(text, s.keyword_span.start());
    let end = s.args.last().map_or(s.keyword_span.end(), |a| a.span.end());
    let header = &text[s.keyword_span.start()..end];
    for arg in &s.args {
        let (col, first_on_line) = column(text, arg.span.start());
        let line_start = arg.span.start() - col;
        if first_on_line && text[..line_start].ends_with(" \\\n") {
            prop_assert_eq!(col, indent + 2, "a continuation line of:\n{}", header);
        }
    }
    // A statement broken on lines of values alone would have been too wide joined.
    let joined: Vec<&str> = header.split(" \\\n").map(str::trim).collect();
    if joined.len() > 1 && !header.replace(" \\\n", " ").contains('\n') {
        let width = indent + joined.join(" ").chars().count();
        prop_assert!(
            width > WIDTH,
            "broken but {} columns joined:\n{}",
            width,
            header
        );
    }
    for inner in s.block.iter().flat_map(|b| &b.statements) {
        check_statement(text, inner)?;
    }
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(1024))]

    #[test]
    fn long_statements_break_without_changing_anything(body in body()) {
        let text = body_to_source(&body);
        // Parses back to the same statements, values and comments, and prints the same again.
        prop_assert_eq!(format_source(&text), Ok(text.clone()));
        // Means what the statements joined on one line mean.
        let (broken, diagnostics) = parse(&text);
        prop_assert!(diagnostics.is_empty(), "{}", text);
        let (joined, _) = parse(&text.replace(" \\\n", " "));
        prop_assert_eq!(Body::from_ast(&broken), Body::from_ast(&joined), "{}", text);
        for s in &broken.statements {
            check_statement(&text, s)?;
        }
    }
}

/// Not a property of the printer: a guard that the generated files do break statements, so the
/// property above is about long statements.
#[test]
fn generated_files_often_break_statements() {
    use proptest::strategy::ValueTree;
    let mut runner = proptest::test_runner::TestRunner::deterministic();
    let strategy = body();
    let broken = (0..200)
        .filter(|_| {
            let body = strategy.new_tree(&mut runner).unwrap().current();
            body_to_source(&body).contains(" \\\n")
        })
        .count();
    assert!(
        broken > 60,
        "only {broken} of 200 generated files break a statement"
    );
}
