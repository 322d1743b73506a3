//! Unit tests of the printer: layout rules on built trees, and comments found and placed from
//! source text.

use super::*;

fn fmt(text: &str) -> String {
    let out = format_source(text).unwrap_or_else(|d| panic!("{d:#?}"));
    assert_eq!(format_source(&out).unwrap(), out, "not idempotent:\n{out}");
    out
}

fn w(s: &str) -> Value {
    Value::word(s)
}

#[test]
fn blocks_expand_and_statements_split() {
    assert_eq!(
        fmt("daemonset a { container b { image x:1; cpu 1 } }"),
        "daemonset a {\n  container b {\n    image x:1\n    cpu 1\n  }\n}\n"
    );
    assert_eq!(fmt("init x {\n\n}\n"), "init x {}\n");
    assert_eq!(fmt(""), "");
    assert_eq!(fmt("\n\n# only\n\n"), "# only\n");
}

#[test]
fn blank_lines_are_kept_once_never_after_an_opening_brace() {
    let text = "a {\n\n  b 1\n\n\n  c 2\n  # x\n\n  d 3\n\n}\n";
    assert_eq!(fmt(text), "a {\n  b 1\n\n  c 2\n  # x\n\n  d 3\n}\n");
}

#[test]
fn top_level_blocks_are_set_apart() {
    assert_eq!(
        fmt("a 1\nb {}\n# about c\nc {}\nd 2\n# end\n"),
        "a 1\n\nb {}\n\n# about c\nc {}\n\nd 2\n# end\n"
    );
}

#[test]
fn only_the_pair_of_a_reference_takes_spaces() {
    assert_eq!(
        fmt("env A = 1 B=\"x\"\nenv N=field spec.nodeName\n"),
        "env A=1 B=\"x\"\nenv N = field spec.nodeName\n"
    );
    // Pairs that other values follow are pairs all the same: one spacing on a line.
    assert_eq!(
        fmt("liveness http 80 header A=1 B = 2 period 5s\ntolerate k = v:NoSchedule for 5m\n"),
        "liveness http 80 header A=1 B=2 period 5s\ntolerate k=v:NoSchedule for 5m\n"
    );
    assert_eq!(
        fmt("env N = field x O = 1\nfile n=resource limits.cpu divisor 1m\n"),
        "env N=field x O=1\nfile n = resource limits.cpu divisor 1m\n"
    );
}

#[test]
fn an_empty_pair_value_is_bare_only_at_the_end_of_a_line() {
    let node = |args, trailing: Option<&str>| Body {
        statements: vec![Node {
            trailing: trailing.map(String::from),
            ..Node::new("env", args)
        }],
        ..Body::default()
    };
    let empty = || Value::pair("A", Value::Empty);
    assert_eq!(body_to_source(&node(vec![empty()], None)), "env A=\n");
    assert_eq!(
        body_to_source(&node(vec![empty(), w("x")], None)),
        "env A=\"\" x\n"
    );
    assert_eq!(
        body_to_source(&node(vec![empty()], Some("# c"))),
        "env A=\"\" # c\n"
    );
}

#[test]
fn lists_are_inline_up_to_the_width() {
    let items = |n: usize| (0..n).map(|i| w(&format!("item{i:04}"))).collect();
    let print = |n| {
        body_to_source(&Body::of(vec![Node::new(
            "args",
            vec![Value::list(items(n))],
        )]))
    };
    // "args [" + 9 items of 8 columns joined by ", " + "]" = 6 + 72 + 16 + 1 = 95 columns.
    assert_eq!(print(9).len(), 96);
    let long = print(10);
    assert!(
        long.starts_with("args [\n  item0000\n  item0001\n"),
        "{long}"
    );
    assert!(long.ends_with("  item0009\n]\n"), "{long}");
}

#[test]
fn a_line_of_exactly_the_width_stays_inline() {
    let word = "x".repeat(WIDTH - "args [".len() - "]".len());
    let text = format!("args [{word}]\n");
    assert_eq!(fmt(&text), text);
    let text = format!("args [{word}y]\n");
    assert_eq!(fmt(&text), format!("args [\n  {word}y\n]\n"));
}

#[test]
fn blank_lines_inside_lists_expand_the_list() {
    assert_eq!(fmt("a [x,\n\n y, z]\n"), "a [\n  x\n\n  y\n  z\n]\n");
    assert_eq!(fmt("a [\n\n x\n y\n\n]\n"), "a [x, y]\n");
}

#[test]
fn multiline_strings_inside_lists_expand_the_list() {
    let text = "command [sh, -c, \"\"\"\n  echo hi\n  \"\"\"]\n";
    assert_eq!(
        fmt(text),
        "command [\n  sh\n  -c\n  \"\"\"\n    echo hi\n    \"\"\"\n]\n"
    );
}

#[test]
fn built_trees_quote_what_would_read_differently() {
    let body = Body::from_ast(
        &Body {
            statements: vec![Node::new(
                "args",
                vec![w("a=b"), w("3"), Value::list(vec![w("x,y")]), w("--ok=1")],
            )],
            ..Body::default()
        }
        .to_ast(),
    );
    assert_eq!(
        body_to_source(&body),
        "args \"a=b\" \"3\" [\"x,y\"] --ok=1\n"
    );
}

/// A word that cannot stand bare is quoted the way the string it reads back as is printed, so
/// formatting the printed text changes nothing.
#[test]
fn quoted_words_print_as_their_strings_do() {
    let body = Body::of(vec![Node::new(
        "command",
        vec![w(r"C:\dir\ -Force"), w("a b")],
    )]);
    let printed = body_to_source(&body);
    assert_eq!(printed, "command 'C:\\dir\\ -Force' \"a b\"\n");
    assert_eq!(fmt(&printed), printed);
}

#[test]
fn built_trees_get_blank_lines_around_blocks() {
    let ds = Node::new("daemonset", vec![w("a")]).with_block(vec![
        Node::new("labels", vec![Value::pair("app", w("a"))]),
        Node::new("container", vec![w("b")]).with_block(vec![Node::new("image", vec![w("x")])]),
        Node::new("container", vec![w("c")]).with_block(vec![Node::new(
            "command",
            vec![w("sh"), w("-c"), Value::string("set -e\nrun\n")],
        )]),
        Node::new("pull-secret", vec![w("s")]),
    ]);
    let body = Body::from_ast(&Body::of(vec![ds]).to_ast());
    let expected = "daemonset a {
  labels app=a

  container b {
    image x
  }

  container c {
    command sh -c \"\"\"
      set -e
      run
      \"\"\"
  }

  pull-secret s
}
";
    assert_eq!(body_to_source(&body), expected);
}

#[test]
fn comments_everywhere_are_kept_in_place() {
    let text = "# head\n\n# before a
a 1 # after a
b { # open b
  # before c
  c [ # open list
    x # after x
    # before y
    y
    # end of list
  ] # after list
  # end of b
} # after b
# end of file
";
    let expected = "# head\n\n# before a
a 1 # after a

b { # open b
  # before c
  c [ # open list
    x # after x
    # before y
    y
    # end of list
  ] # after list
  # end of b
} # after b

# end of file
";
    assert_eq!(fmt(text), expected);
}

#[test]
fn trailing_comments_go_to_the_last_statement_of_their_line() {
    assert_eq!(fmt("a 1; b 2 # on b\n"), "a 1\nb 2 # on b\n");
    assert_eq!(fmt("a { b 1 } # on a\n"), "a {\n  b 1\n} # on a\n");
    assert_eq!(fmt("a { b 1 # on b\n}\n"), "a {\n  b 1 # on b\n}\n");
    assert_eq!(fmt("a [x, # on x\n y]\n"), "a [\n  x # on x\n  y\n]\n");
}

#[test]
fn hashes_inside_words_and_strings_are_not_comments() {
    let text = "image a#b \"#c\" '#d' \"\"\"\n  #e\n  \"\"\" # real\n";
    let out = fmt(text);
    assert_eq!(out.matches('#').count(), 5, "{out}");
    assert!(out.ends_with("\"\"\" # real\n"), "{out}");
}

#[test]
fn crlf_and_tabs_become_canonical() {
    assert_eq!(
        fmt("a {\r\n\tb 1 # c\r\n\r\n\tc 2\r\n}\r\n"),
        "a {\n  b 1 # c\n\n  c 2\n}\n"
    );
}

#[test]
fn syntax_errors_refuse_to_format() {
    let Err(FormatError::Syntax(errors)) = format_source("a {\n  b \"open\n}\n") else {
        panic!("formatted a text that does not parse");
    };
    assert_eq!(errors[0].code, "DS0102");
    assert!(format_source("a {\n").is_err());
}

#[test]
fn continuation_lines_join() {
    assert_eq!(fmt("args a \\\n  b \\\n  c\n"), "args a b c\n");
}

/// `liveness http 80 /healthz` and `n` options of eleven columns each (`period 001s`).
fn probe(n: usize) -> Node {
    let mut args = vec![w("http"), Value::Number("80".into()), w("/healthz")];
    for i in 0..n {
        args.extend([w("period"), Value::Number(format!("{i:03}s").into())]);
    }
    Node::new("liveness", args)
}

#[test]
fn long_statements_break_at_option_groups() {
    let print = |n| body_to_source(&Body::of(vec![probe(n)]));
    // "liveness http 80 /healthz" is 25 columns, and each option 12 more: 6 options are 97.
    assert_eq!(print(6).lines().count(), 1);
    assert_eq!(print(6).len(), 25 + 6 * 12 + 1);
    let broken = print(8);
    assert!(
        broken.starts_with("liveness http 80 /healthz \\\n  period 000s \\\n  period 001s \\\n"),
        "{broken}"
    );
    assert!(broken.ends_with("\n  period 007s\n"), "{broken}");
    // One level deeper than the statement, with its comment and block on the last line.
    let mut node = probe(8);
    node.trailing = Some("# c".into());
    let body = Body::of(vec![
        Node::new("container", vec![w("a")]).with_block(vec![node])
    ]);
    let nested = body_to_source(&body);
    assert!(nested.contains("\n  liveness http 80 /healthz \\\n    period 000s \\\n"));
    assert!(nested.ends_with("    period 007s # c\n}\n"), "{nested}");
}

#[test]
fn a_continuation_is_kept_only_when_joining_would_exceed_the_width() {
    // `labels ` and pairs of 30 columns: joined, three take 7 + 92 = 99 columns, and one
    // more column in the last pair is 100. Two more do not fit: the continuations stay.
    let pair = |i: usize| format!("k{i}={}", "v".repeat(27));
    let text = format!("labels {} \\\n  {} \\\n  {}\n", pair(1), pair(2), pair(3));
    assert_eq!(
        fmt(&text),
        format!("labels {} {} {}\n", pair(1), pair(2), pair(3))
    );
    let text = format!("labels {} {} \\\n  {}x\n", pair(1), pair(2), pair(3));
    assert_eq!(
        fmt(&text),
        format!("labels {} {} {}x\n", pair(1), pair(2), pair(3))
    );
    let long = format!("labels {} {} \\\n  {}xx\n", pair(1), pair(2), pair(3));
    assert_eq!(
        fmt(&long),
        format!("labels {} \\\n  {} \\\n  {}xx\n", pair(1), pair(2), pair(3))
    );
    assert_eq!(fmt(&fmt(&long)), fmt(&long));
}

#[test]
fn lists_expand_only_when_their_line_does_not_fit() {
    let list = |n: usize| Value::list((0..n).map(|i| w(&format!("item{i:04}"))).collect());
    let node = |n| {
        let mut args = vec![w("exec"), list(n)];
        let seconds = |s: &str| Value::Number(s.into());
        args.extend([w("period"), seconds("10s"), w("timeout"), seconds("2s")]);
        Body::of(vec![Node::new("liveness", args)])
    };
    // The statement does not fit, its first line does: the list stays inline.
    let inline = body_to_source(&node(8));
    assert!(inline.starts_with("liveness exec [item0000, "), "{inline}");
    assert!(
        inline.contains("item0007] \\\n  period 10s \\\n  timeout 2s\n"),
        "{inline}"
    );
    // Its first line does not fit either: that line's list goes one item per line.
    let expanded = body_to_source(&node(12));
    assert!(
        expanded.starts_with("liveness exec [\n  item0000\n"),
        "{expanded}"
    );
    assert!(
        expanded.ends_with("  item0011\n] \\\n  period 10s \\\n  timeout 2s\n"),
        "{expanded}"
    );
}

#[test]
fn broken_statements_keep_their_comments_and_strings() {
    let text = format!(
        "liveness exec [sh, # the shell\n -c, \"\"\"\n  exit 0\n  \"\"\"] period {} timeout 2s # end\n",
        "1".repeat(90)
    );
    let out = fmt(&text);
    assert_eq!(
        out,
        format!(
            "liveness exec [\n  sh # the shell\n  -c\n  \"\"\"\n    exit 0\n    \"\"\"\n] \\\n  period {} \\\n  timeout 2s # end\n",
            "1".repeat(90)
        )
    );
    // A list that cannot be inline and fits without breaking the statement keeps it whole.
    assert_eq!(
        fmt("args [a, # c\n b] --x\n"),
        "args [\n  a # c\n  b\n] --x\n"
    );
}

#[test]
fn a_word_after_a_possible_key_keeps_its_equals_sign_apart() {
    // Joined as `a =b`, the two words would read as the pair `a=b`.
    assert_eq!(fmt("k a \\\n  =b\n"), "k a \"=b\"\n");
    assert_eq!(fmt("k 1..2 \\\n  =\n"), "k 1..2 \"=\"\n");
    assert_eq!(fmt("k =b \"x\" =c\n"), "k =b \"x\" =c\n");
    // On a line of its own it is quoted all the same: the layout never changes a value.
    let long = format!("k {} a \\\n  =b\n", "x".repeat(95));
    assert_eq!(
        fmt(&long),
        format!("k {} \\\n  a \\\n  \"=b\"\n", "x".repeat(95))
    );
}

#[test]
fn an_item_without_comments_is_its_value_and_a_pointer() {
    // A list nested on every line of a large file is millions of items, all held by `dsc fmt`:
    // their size is most of its memory there.
    let item = Item::new(w("x"));
    assert_eq!(item.comments(), &ItemComments::default());
    assert!(std::mem::size_of::<Item>() <= std::mem::size_of::<Value>() + 8);
    assert!(std::mem::size_of::<List>() <= 32);
}

#[test]
fn no_comments_and_empty_comments_are_the_same() {
    let mut item = Item::new(w("x"));
    item.comments_mut();
    assert_eq!(item, Item::new(w("x")));
}
