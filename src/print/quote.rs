//! Values → their shortest faithful text: a word bare when the parser reads it back as that
//! word, a string in `"..."`, `'...'` or `"""` quotes, whichever reads back as the same text.
//!
//! Whether a form reads back is decided by the parser itself (words) or by the same dedent rule
//! the parser applies (`"""` strings), so the printer cannot drift from the grammar.

use crate::syntax::{dedent_multiline, parse, ArgKind};

/// Where a word stands: each place has its own rules for where a word ends.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Place {
    /// An argument of a statement.
    Argument,
    /// The value of a `key=value` pair.
    PairValue,
    /// An item of a list.
    ListItem,
}

/// The word bare if it reads back as the same word at `place`, else quoted as a string with
/// the same text is ([`single_line`]), so that formatting the output again keeps it.
pub fn word(text: &str, place: Place) -> String {
    if is_bare(text, place) {
        text.to_string()
    } else {
        single_line(text)
    }
}

/// A statement's word that starts with `=`, after the value printed as `previous`: a pair's
/// `=` may have spaces around it, so after `a` the word `=b` would read as the pair `a=b`.
pub fn word_after(previous: &str, text: &str) -> String {
    let (ast, _) = parse(&format!("k {previous} {text}\n"));
    let last = ast.statements.first().and_then(|s| s.args.last());
    let apart = last.is_some_and(|a| matches!(&a.kind, ArgKind::Word(w) if w == text));
    if apart {
        word(text, Place::Argument)
    } else {
        single_line(text)
    }
}

/// Whether `text`, written bare at `place`, parses back as exactly that word. The probes put the
/// word before everything that can follow it in printed output: a space, a line end, `,`, `]`.
fn is_bare(text: &str, place: Place) -> bool {
    if text.is_empty() || text.contains([' ', '\t', '\n', '\r', '"', '{', '}', ';']) {
        return false;
    }
    plainly_a_word(text) || reads_back_as_word(text, place)
}

/// Whether the parser reads `text`, written bare at `place`, back as exactly that word.
fn reads_back_as_word(text: &str, place: Place) -> bool {
    let is_word = |a: &crate::syntax::Arg| matches!(&a.kind, ArgKind::Word(w) if w == text);
    let (probe, expected) = match place {
        Place::Argument => (format!("k {text} {text}\n"), 2),
        Place::PairValue => (format!("k p={text}\n"), 1),
        Place::ListItem => (format!("k [{text}, {text}\n{text}]\n"), 3),
    };
    let (ast, diagnostics) = parse(&probe);
    if !diagnostics.is_empty() || ast.statements.len() != 1 {
        return false;
    }
    let args = &ast.statements[0].args;
    match place {
        Place::Argument => args.len() == expected && args.iter().all(is_word),
        Place::PairValue => matches!(
            args.as_slice(),
            [a] if matches!(&a.kind, ArgKind::Pair { value, .. } if is_word(value))
        ),
        Place::ListItem => matches!(
            args.as_slice(),
            [a] if matches!(&a.kind, ArgKind::List(items) if items.len() == expected && items.iter().all(is_word))
        ),
    }
}

/// Words that every place reads as a word, without asking the parser (which the printer
/// would otherwise run once per word): a letter or `/` first, then only letters, digits and
/// `-_./:@`, and no `..` (a range). Nothing here can start a number, string, list, comment or
/// pair; `tests::plain_words_are_what_the_parser_says` holds this to the parser.
fn plainly_a_word(text: &str) -> bool {
    let mut chars = text.chars();
    chars
        .next()
        .is_some_and(|c| c.is_ascii_alphabetic() || c == '/')
        && chars.all(|c| c.is_ascii_alphanumeric() || "-_./:@".contains(c))
        && !text.contains("..")
}

/// A string on one line: single quotes when they spare escapes (text with `\` or `"`, and no
/// `'`, line break or control character), double quotes with escapes otherwise.
pub fn single_line(text: &str) -> String {
    let escapes = text.contains(['\\', '"']);
    let raw_ok = !text.contains('\'') && !text.chars().any(char::is_control);
    if escapes && raw_ok {
        format!("'{text}'")
    } else {
        double_quoted(text)
    }
}

/// `"..."` with `\"`, `\\`, `\n`, `\r`, `\t`, `\0`, and `\u{..}` for other control characters.
fn double_quoted(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 2);
    out.push('"');
    for c in text.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            '\0' => out.push_str("\\0"),
            c if c.is_control() => out.push_str(&format!("\\u{{{:x}}}", u32::from(c))),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// The text in `"""` quotes, its lines indented by `pad`: text without a line break stays on
/// the line (`"""echo hi"""`); text that ends with a line break gets the closing quotes on a
/// line of their own. `None` when no `"""` form reads back as exactly this text (a `"""`
/// inside, a last character `"`, every line indented, a line ending in a carriage return).
pub fn triple_quoted(text: &str, pad: &str) -> Option<String> {
    let inner = if text.contains('\n') {
        let (body, closing_line) = match text.strip_suffix('\n') {
            Some(body) => (body, true),
            None => (text, false),
        };
        let any_text = body.split('\n').any(|l| !l.trim().is_empty());
        let mut inner = String::with_capacity(text.len() + 16);
        for line in body.split('\n') {
            inner.push('\n');
            // The parser removes the indentation common to the lines with text; a text made of
            // blank lines keeps its whitespace, so it gets no indentation to remove.
            if any_text && !line.is_empty() {
                inner.push_str(pad);
            }
            inner.push_str(line);
        }
        if closing_line {
            inner.push('\n');
            inner.push_str(pad);
        }
        inner
    } else {
        text.to_string()
    };
    let reads_back =
        !inner.contains("\"\"\"") && !inner.ends_with('"') && dedent_multiline(&inner) == text;
    reads_back.then(|| format!("\"\"\"{inner}\"\"\""))
}

/// Whether `"""` quotes can hold exactly this text (else the printer uses `"..."` for it).
pub fn fits_triple_quotes(text: &str) -> bool {
    triple_quoted(text, "  ").is_some()
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    proptest! {
        #[test]
        fn plain_words_are_what_the_parser_says(text in "[a-zA-Z/][a-zA-Z0-9._/:@-]{0,12}") {
            if plainly_a_word(&text) {
                for place in [Place::Argument, Place::PairValue, Place::ListItem] {
                    prop_assert!(reads_back_as_word(&text, place), "{text:?} at {place:?}");
                }
            }
        }
    }

    #[test]
    fn words_stay_bare_where_they_read_back() {
        for w in [
            "fluent-bit",
            "--a=b,c",
            "metadata.labels['app']",
            "a\\",
            "x#y",
            "in",
        ] {
            assert_eq!(word(w, Place::Argument), w);
        }
        assert_eq!(word("b=c", Place::PairValue), "b=c");
        assert_eq!(word("a=b", Place::ListItem), "a=b");
    }

    #[test]
    fn words_that_would_read_differently_are_quoted() {
        assert_eq!(word("a=b", Place::Argument), "\"a=b\"");
        assert_eq!(word("3", Place::Argument), "\"3\"");
        assert_eq!(word("1..2", Place::Argument), "\"1..2\"");
        assert_eq!(word("#x", Place::Argument), "\"#x\"");
        assert_eq!(word("[a]", Place::Argument), "\"[a]\"");
        assert_eq!(word("a b", Place::Argument), "\"a b\"");
        assert_eq!(word("\\", Place::Argument), "'\\'");
        assert_eq!(word("a,b", Place::ListItem), "\"a,b\"");
        assert_eq!(word("", Place::PairValue), "\"\"");
    }

    #[test]
    fn strings_take_the_quotes_that_spare_escapes() {
        assert_eq!(single_line("on"), "\"on\"");
        assert_eq!(single_line(r"^\d+$"), r"'^\d+$'");
        assert_eq!(single_line("say \"hi\""), "'say \"hi\"'");
        assert_eq!(single_line("it's \"x\""), r#""it's \"x\"""#);
        assert_eq!(single_line("a\nb\t\u{1}"), r#""a\nb\t\u{1}""#);
    }

    #[test]
    fn triple_quotes_indent_and_close_on_their_own_line() {
        assert_eq!(
            triple_quoted("set -e\n  run\n\nend\n", "    ").unwrap(),
            "\"\"\"\n    set -e\n      run\n\n    end\n    \"\"\""
        );
        assert_eq!(
            triple_quoted("a\nb", "  ").unwrap(),
            "\"\"\"\n  a\n  b\"\"\""
        );
        assert_eq!(
            triple_quoted("echo hi", "  ").unwrap(),
            "\"\"\"echo hi\"\"\""
        );
        assert_eq!(triple_quoted("", "  ").unwrap(), "\"\"\"\"\"\"");
        assert_eq!(triple_quoted("\n", "  ").unwrap(), "\"\"\"\n\n  \"\"\"");
        assert_eq!(triple_quoted("  \n", "  ").unwrap(), "\"\"\"\n  \n  \"\"\"");
    }

    #[test]
    fn texts_triple_quotes_cannot_hold() {
        for text in [
            "  indented\n  all\n",
            "a\"\"\"b\n",
            "ends\nwith\"",
            "cr\r\nx\n",
            "  x",
        ] {
            assert!(!fits_triple_quotes(text), "{text:?}");
        }
    }
}
