//! String literals: escape sequences of `"..."` and the indentation rule of `"""..."""`.

/// Resolves the escapes of a double-quoted string body: `\" \\ \n \t \r \0 \$ \u{…}`.
/// Anything else after a backslash is an error at that byte offset of the body.
pub fn unescape(body: &str) -> Result<String, usize> {
    let mut out = String::with_capacity(body.len());
    let mut chars = body.char_indices();
    while let Some((i, c)) = chars.next() {
        if c != '\\' {
            out.push(c);
            continue;
        }
        match chars.next().map(|(_, c)| c) {
            Some('n') => out.push('\n'),
            Some('t') => out.push('\t'),
            Some('r') => out.push('\r'),
            Some('0') => out.push('\0'),
            Some('u') => {
                // `\u` then `{HEX}`; the text after `\u` may be any character, so it is
                // matched, not sliced at byte offsets.
                let inner = body[i + 2..].strip_prefix('{').ok_or(i)?;
                let close = inner.find('}').ok_or(i)?;
                let c = u32::from_str_radix(&inner[..close], 16)
                    .ok()
                    .and_then(char::from_u32)
                    .ok_or(i)?;
                out.push(c);
                // `{`, the hex digits (ASCII, since they parsed) and `}`.
                for _ in 0..close + 2 {
                    chars.next();
                }
            }
            Some(c @ ('"' | '\\' | '$')) => out.push(c),
            _ => return Err(i),
        }
    }
    Ok(out)
}

/// The value of a `"""` string: the first line break after the opening quotes is dropped, the
/// indentation common to all non-blank lines is removed, and a last line holding only the
/// closing quotes' indentation is dropped (its line break stays, so scripts end with `\n`).
pub fn dedent_multiline(raw: &str) -> String {
    let m = Multiline::split(raw);
    let mut out = String::with_capacity(raw.len());
    for (i, line) in m.lines.iter().enumerate() {
        if i > 0 {
            out.push('\n');
        }
        let line = line.strip_suffix('\r').unwrap_or(line);
        out.push_str(line.get(m.indent..).unwrap_or_else(|| line.trim_start()));
    }
    if m.closing_on_own_line {
        out.push('\n');
    }
    out
}

/// A `"""` string's raw text taken apart by the rule of [`dedent_multiline`]: the line break
/// skipped after the opening quotes, the lines kept, and the indentation they share.
struct Multiline<'a> {
    skipped: usize,
    lines: Vec<&'a str>,
    closing_on_own_line: bool,
    indent: usize,
}

impl<'a> Multiline<'a> {
    fn split(raw: &'a str) -> Self {
        let skipped = if raw.starts_with("\r\n") {
            2
        } else {
            usize::from(raw.starts_with('\n'))
        };
        let mut lines: Vec<&str> = raw[skipped..].split('\n').collect();
        let closing_on_own_line =
            lines.len() > 1 && lines.last().is_some_and(|l| l.trim().is_empty());
        if closing_on_own_line {
            lines.pop();
        }
        let indent = lines
            .iter()
            .filter(|l| !l.trim().is_empty())
            .map(|l| l.len() - l.trim_start_matches([' ', '\t']).len())
            .min()
            .unwrap_or(0);
        Multiline {
            skipped,
            lines,
            closing_on_own_line,
            indent,
        }
    }
}

/// The layout of a `"""` string whose raw text starts at source offset `start`: where its
/// first line begins and how much indentation [`dedent_multiline`] removes.
pub fn multiline_layout(raw: &str, start: usize) -> super::StrLayout {
    let m = Multiline::split(raw);
    super::StrLayout::new(start + m.skipped, m.indent)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes() {
        assert_eq!(unescape(r#"a\"b\\c\n\u{e9}"#).unwrap(), "a\"b\\c\né");
        assert!(unescape(r"\u{110000}").is_err());
        // `\u` must be followed by `{`; whatever follows instead is an error at the escape,
        // a character of several bytes too (the fuzzer found a panic there).
        assert_eq!(unescape("caf\\u\u{FFFD}e9}"), Err(3));
        assert_eq!(unescape(r"x\u0041}"), Err(1));
        assert_eq!(unescape(r"\u{}"), Err(0));
        assert_eq!(unescape(r"\u{e9"), Err(0));
        assert_eq!(unescape(r"\u{1F600}!").unwrap(), "\u{1F600}!");
    }

    #[test]
    fn dedent_keeps_relative_indentation() {
        let raw = "\n    set -e\n      echo hi\n    ";
        assert_eq!(dedent_multiline(raw), "set -e\n  echo hi\n");
        assert_eq!(dedent_multiline("one line"), "one line");
    }
}
