//! One scalar → its YAML text: chooses plain, double-quoted or literal block style for strings
//! so that YAML 1.1 and YAML 1.2 readers both read back the same string, and prints numbers so
//! that both read a number of the same type.
//!
//! The rule for strings is a whitelist: a string is plain only when no reader of either YAML
//! version can take it for anything but a string and it has no syntax meaning; everything else
//! is double-quoted, or written as a literal block when it is readable multi-line text.

/// How a string is written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StringStyle {
    /// As it is, without quotes.
    Plain,
    /// In double quotes, with escapes; always on one line.
    DoubleQuoted,
    /// A literal block (`|`, `|-` or `|+`) on the following lines.
    Literal,
}

/// Words that some YAML reader resolves to a bool, null or float when written plain; compared
/// case-insensitively. YAML 1.1 has the bool and null words; `inf`, `infinity` and `nan` are in
/// no YAML schema but Go's float parser, which go-yaml tries on `-inf`, accepts them.
const RESERVED_WORDS: &[&str] = &[
    "y", "yes", "n", "no", "true", "false", "on", "off", "null", "inf", "infinity", "nan",
];

/// Kubernetes quantity suffixes: a plain number followed by one of these is a string to every
/// YAML reader and is how quantities such as `100m` and `1Gi` are normally written.
const QUANTITY_SUFFIXES: &[&str] = &[
    "Ki", "Mi", "Gi", "Ti", "Pi", "Ei", "m", "k", "M", "G", "T", "P", "E", "%",
];

/// Chooses how to write `s` as a key or value.
pub fn string_style(s: &str) -> StringStyle {
    if is_plain_safe(s) {
        StringStyle::Plain
    } else if is_literal_safe(s) {
        StringStyle::Literal
    } else {
        StringStyle::DoubleQuoted
    }
}

/// True when `s` reads back as the same string, plain, under YAML 1.1 and 1.2 and go-yaml.
///
/// Plain strings are non-empty, made of ASCII letters, digits, single inner spaces and
/// `_ . / @ : + - , = %`, and start with a letter, `/`, `_`, a dash before a letter (`-c`,
/// `--v=2`), or a digit only when the whole string is a quantity (`100m`, `1.5Gi`, `10%`).
/// They do not end with `:` or a space, hold no `: `, and are no reserved word.
pub fn is_plain_safe(s: &str) -> bool {
    let bytes = s.as_bytes();
    let Some(&first) = bytes.first() else {
        return false;
    };
    if first.is_ascii_digit() {
        return is_quantity(s);
    }
    let dashes = bytes.iter().take_while(|&&b| b == b'-').count();
    let starts_well = match dashes {
        0 => first.is_ascii_alphabetic() || first == b'/' || first == b'_',
        // `-` alone or before a space is a sequence entry, `---` a document marker.
        1 | 2 => bytes.get(dashes).is_some_and(u8::is_ascii_alphabetic),
        _ => false,
    };
    // One pass over the bytes: the allowed characters, and no `: ` or two spaces in a row.
    let mut previous = 0u8;
    let chars_ok = bytes.iter().all(|&b| {
        let allowed = b.is_ascii_alphanumeric()
            || matches!(
                b,
                b' ' | b'_' | b'.' | b'/' | b'@' | b':' | b'+' | b'-' | b',' | b'=' | b'%'
            );
        let pair_ok = !(b == b' ' && matches!(previous, b':' | b' '));
        previous = b;
        allowed && pair_ok
    });
    let word = s.trim_start_matches('-');
    starts_well
        && chars_ok
        && !s.ends_with(' ')
        && !s.ends_with(':')
        && !RESERVED_WORDS
            .iter()
            .any(|reserved| word.eq_ignore_ascii_case(reserved))
}

/// True for a Kubernetes quantity or percentage such as `100m`, `1.5Gi`, `2E` or `10%`: digits,
/// an optional fraction, then a suffix. A bare number is not one: it would read as a number.
fn is_quantity(s: &str) -> bool {
    let Some(number) = QUANTITY_SUFFIXES
        .iter()
        .find_map(|suffix| s.strip_suffix(suffix))
    else {
        return false;
    };
    let (whole, fraction) = match number.split_once('.') {
        Some((whole, fraction)) => (whole, Some(fraction)),
        None => (number, None),
    };
    let all_digits = |part: &str| !part.is_empty() && part.bytes().all(|b| b.is_ascii_digit());
    all_digits(whole) && fraction.is_none_or(all_digits)
}

/// True when `s` can be a literal block: several lines of printable text, no carriage return
/// or tab, and a first line that starts with neither a space nor a line break (the reader takes
/// the block's indentation from that line).
fn is_literal_safe(s: &str) -> bool {
    s.contains('\n')
        && !s.starts_with([' ', '\n'])
        && s.chars()
            .all(|c| c == '\n' || (c != '\t' && !needs_escape(c)))
}

/// True for characters that must be escaped inside double quotes: the quote and backslash, and
/// everything outside YAML's printable set. Line and paragraph separators and the byte order
/// mark are printable to YAML 1.2 but line breaks or stripped to YAML 1.1 readers.
fn needs_escape(c: char) -> bool {
    !matches!(c, ' '..='~' | '\u{A0}'..='\u{D7FF}' | '\u{E000}'..='\u{FFFD}' | '\u{10000}'..)
        || matches!(c, '"' | '\\' | '\u{2028}' | '\u{2029}' | '\u{FEFF}')
}

/// `s` in double quotes, with every character that needs it escaped.
pub fn double_quoted(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    for c in s.chars() {
        if !needs_escape(c) {
            out.push(c);
            continue;
        }
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\0' => out.push_str("\\0"),
            '\t' => out.push_str("\\t"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            c if u32::from(c) <= 0xFF => out.push_str(&format!("\\x{:02X}", u32::from(c))),
            c if u32::from(c) <= 0xFFFF => out.push_str(&format!("\\u{:04X}", u32::from(c))),
            c => out.push_str(&format!("\\U{:08X}", u32::from(c))),
        }
    }
    out.push('"');
    out
}

/// The header of a literal block for `s`: `|-` when it has no final line break, `|` for one,
/// `|+` for more, so that the reader's chomping gives back exactly the line breaks of `s`.
pub fn literal_header(s: &str) -> &'static str {
    match s.len() - s.trim_end_matches('\n').len() {
        0 => "|-",
        1 => "|",
        _ => "|+",
    }
}

/// A JSON number as YAML. Integers as serde_json prints them; floats likewise, but always with
/// a `.` and a signed exponent (`1.0e+300` for serde_json's `1e300`), since the YAML 1.1 float
/// pattern requires both and would otherwise read a string.
pub fn number(n: &serde_json::Number) -> String {
    let text = n.to_string();
    if !n.is_f64() {
        return text;
    }
    let (mantissa, exponent) = match text.split_once(['e', 'E']) {
        Some((mantissa, exponent)) => (mantissa, Some(exponent)),
        None => (text.as_str(), None),
    };
    let mut out = mantissa.to_string();
    if !out.contains('.') {
        out.push_str(".0");
    }
    if let Some(exponent) = exponent {
        out.push('e');
        if !exponent.starts_with(['-', '+']) {
            out.push('+');
        }
        out.push_str(exponent);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ordinary_kubernetes_strings_are_plain() {
        for s in [
            "nginx",
            "node-exporter",
            "app.kubernetes.io/name",
            "registry.k8s.io/pause:3.9",
            "nginx@sha256:abc123",
            "/var/log",
            "_private",
            "100m",
            "1.5Gi",
            "250Mi",
            "10%",
            "2E",
            "--v=2",
            "-c",
            "RollingUpdate",
            "hello world",
            "a,b",
            "key=value",
        ] {
            assert_eq!(string_style(s), StringStyle::Plain, "{s}");
        }
    }

    #[test]
    fn strings_that_read_as_something_else_are_quoted() {
        for s in [
            "",
            "no",
            "No",
            "NO",
            "y",
            "N",
            "on",
            "Off",
            "true",
            "null",
            "~",
            "Null",
            "0777",
            "0o17",
            "0x1F",
            "1:30",
            "190:20:30",
            "2026-01-01",
            "1e3",
            "1_000",
            ".5",
            "+1",
            "-1",
            "2",
            "1.5",
            ".inf",
            "-inf",
            "-Infinity",
            "nan",
            "=",
            "<<",
            " x",
            "x ",
            "#",
            "a #b",
            ": ",
            "a: b",
            "a:",
            "- x",
            "-",
            "---",
            "---a",
            "[a]",
            "{a}",
            "*a",
            "&a",
            "!a",
            "|",
            ">",
            "%x",
            "@x",
            "`x",
            "\"",
            "'",
            "\\",
            "a  b",
            "1.12.1",
            "10.0.0.1",
            "café",
        ] {
            assert_ne!(string_style(s), StringStyle::Plain, "{s:?}");
        }
    }

    #[test]
    fn multi_line_text_is_a_literal_block_unless_it_cannot_be() {
        assert_eq!(string_style("a\nb\n"), StringStyle::Literal);
        assert_eq!(string_style("a\n  b"), StringStyle::Literal);
        for s in [
            "\na",
            " a\nb",
            "a\r\nb",
            "a\tb\nc",
            "a\u{7}\nb",
            "a\u{2028}\nb",
        ] {
            assert_eq!(string_style(s), StringStyle::DoubleQuoted, "{s:?}");
        }
    }

    #[test]
    fn chomping_follows_the_trailing_line_breaks() {
        assert_eq!(literal_header("a\nb"), "|-");
        assert_eq!(literal_header("a\nb\n"), "|");
        assert_eq!(literal_header("a\nb\n\n"), "|+");
    }

    #[test]
    fn escapes_cover_quotes_controls_and_separators() {
        assert_eq!(
            double_quoted("a\"b\\c\n\t\r\0\u{7f}\u{85}\u{2028}\u{feff}é😀"),
            "\"a\\\"b\\\\c\\n\\t\\r\\0\\x7F\\x85\\u2028\\uFEFFé😀\""
        );
    }

    #[test]
    fn floats_carry_a_point_and_a_signed_exponent() {
        let float = |f: f64| number(&serde_json::Number::from_f64(f).unwrap_or(0.into()));
        assert_eq!(float(1.5), "1.5");
        assert_eq!(float(3.0), "3.0");
        assert_eq!(float(1e300), "1.0e+300");
        assert_eq!(float(1.5e-7), "1.5e-7");
        assert_eq!(number(&serde_json::Number::from(-7)), "-7");
    }
}
