//! pest errors → diagnostics in words: what was found, what was expected, and how to fix it.
//! No pest rule name ever reaches the user.

use pest::error::{Error, ErrorVariant, InputLocation};

use super::grammar::Rule;
use crate::diagnostics::Diagnostic;
use crate::source::Span;

/// An error inside one statement that was parsed alone; `base` is its offset in the file.
pub fn syntax_error(text: &str, base: usize, error: &Error<Rule>) -> Diagnostic {
    let at = match error.location {
        InputLocation::Pos(p) => p,
        InputLocation::Span((s, _)) => s,
    };
    let expected = match &error.variant {
        ErrorVariant::ParsingError { positives, .. } => positives.clone(),
        ErrorVariant::CustomError { .. } => Vec::new(),
    };
    describe(text, base, at, &expected)
}

fn describe(text: &str, base: usize, at: usize, expected: &[Rule]) -> Diagnostic {
    let rest = text.get(at..).unwrap_or("");
    let here = Span::new(
        base + at,
        base + at + rest.chars().next().map_or(0, char::len_utf8),
    );

    // `image: nginx` — a YAML habit.
    let word_len = rest
        .find(|c: char| !(c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-'))
        .unwrap_or(rest.len());
    if word_len > 0 && rest[word_len..].starts_with(':') {
        let keyword = &rest[..word_len];
        let colon = base + at + word_len;
        let value = rest[word_len + 1..].lines().next().unwrap_or("").trim();
        return Diagnostic::error("DS0101", format!("unexpected `:` after `{keyword}`"))
            .at(Span::new(colon, colon + 1), "settings take no colon")
            .help(format!("this is not YAML: write `{keyword} {value}`"));
    }
    if let Some(quote) = rest.chars().next().filter(|c| *c == '"' || *c == '\'') {
        let line = rest.lines().next().unwrap_or("");
        if !line[1..].contains(quote) {
            return Diagnostic::error("DS0102", "unterminated string")
                .at(here, "this string is never closed")
                .help(format!(
                    "close it with `{quote}` on the same line, or use `\"\"\"` for text over several lines"
                ));
        }
    }
    if rest.starts_with('}') && !expected.contains(&Rule::block) {
        return Diagnostic::error("DS0104", "unexpected `}`")
            .at(here, "no block is open here")
            .help("remove this brace, or add the `{` it was meant to close");
    }
    if rest.is_empty()
        && expected
            .iter()
            .any(|r| matches!(r, Rule::block | Rule::list))
    {
        let opener = text.rfind(['{', '[']).unwrap_or(0);
        return Diagnostic::error("DS0103", "unclosed block")
            .at(here, "the file ends here")
            .also(
                Span::new(base + opener, base + opener + 1),
                "the last block or list opened here",
            )
            .help("add the missing `}` or `]`");
    }

    let found = found(rest);
    let mut wanted: Vec<&str> = expected.iter().filter_map(|r| phrase(*r)).collect();
    wanted.sort_unstable();
    wanted.dedup();
    let label = if wanted.is_empty() {
        "unexpected here".to_string()
    } else {
        format!("expected {}", join_or(&wanted))
    };
    let help = if expected.contains(&Rule::keyword) {
        "a statement starts with a lower-case setting name, such as `image` or `container`"
    } else if rest.starts_with('{') || rest.starts_with('[') || rest.starts_with(']') {
        "quote values that contain brackets or braces: `'^(a|b){2}$'`"
    } else {
        "each statement is a setting name followed by its values, one statement per line"
    };
    Diagnostic::error("DS0101", format!("unexpected {found}"))
        .at(here, label)
        .help(help)
}

fn found(rest: &str) -> String {
    match rest.chars().next() {
        None => "end of file".to_string(),
        Some('\n' | '\r') => "end of line".to_string(),
        Some(_) => {
            let token: String = rest
                .chars()
                .take_while(|c| !c.is_whitespace())
                .take(20)
                .collect();
            format!("`{token}`")
        }
    }
}

fn phrase(rule: Rule) -> Option<&'static str> {
    Some(match rule {
        Rule::keyword | Rule::good_statement | Rule::bad_statement => "a setting name",
        Rule::word | Rule::list_word | Rule::number | Rule::range | Rule::pair | Rule::pair_key => {
            "a value"
        }
        Rule::double_string | Rule::single_string | Rule::triple_string => "a value",
        Rule::list => "a value",
        Rule::block => "`{`",
        Rule::EOI => "the end of the statement",
        _ => return None,
    })
}

fn join_or(items: &[&str]) -> String {
    match items {
        [] => String::new(),
        [one] => (*one).to_string(),
        [init @ .., last] => format!("{} or {last}", init.join(", ")),
    }
}
