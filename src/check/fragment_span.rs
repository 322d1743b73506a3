//! Where a finding inside an override's YAML sits in the `.ds` source: the line of a field
//! path in the (dedented) string, mapped back through the string's layout.

use crate::source::Span;
use crate::syntax::StrLayout;

/// `a`, `b`, `[0]`, `c` → `a.b[0].c`.
pub fn show_path(path: &[String]) -> String {
    let mut out = String::new();
    for seg in path {
        if !out.is_empty() && !seg.starts_with('[') {
            out.push('.');
        }
        out.push_str(seg);
    }
    out
}

/// Finds the line of a path's last key in the fragment text: each key is searched after the
/// previous one, as `key:` at the start of a line or after `{`, `,`, `-` or a space.
pub fn locate_path(text: &str, layout: StrLayout, path: &[String], whole: Span) -> Span {
    let mut pos = 0;
    let mut found = None;
    for key in path.iter().filter(|k| !k.starts_with('[')) {
        let hit = text[pos..]
            .match_indices(key.as_str())
            .map(|(i, _)| pos + i)
            .find(|&i| {
                let before = text[..i].chars().next_back();
                let after = text[i + key.len()..].trim_start_matches([' ', '"', '\'']);
                matches!(
                    before,
                    None | Some(' ' | '\n' | '{' | ',' | '-' | '"' | '\'' | '\t')
                ) && after.starts_with(':')
            });
        match hit {
            Some(i) => {
                found = Some((i, key.len()));
                pos = i + key.len();
            }
            None => break,
        }
    }
    match found {
        Some((i, len)) => locate_offset(text, layout, i, len, whole),
        None => whole,
    }
}

/// Maps a byte range of the (dedented) string value to the source.
pub fn locate_offset(
    text: &str,
    layout: StrLayout,
    offset: usize,
    len: usize,
    whole: Span,
) -> Span {
    let offset = offset.min(text.len());
    let mut source = layout.body_start();
    let mut line_start = 0;
    for line in text[..offset].split_inclusive('\n') {
        if !line.ends_with('\n') {
            break;
        }
        let body = line.trim_end_matches('\n');
        source += if body.is_empty() {
            1
        } else {
            layout.indent() + body.len() + 1
        };
        line_start += line.len();
    }
    let line_is_blank = text[line_start..]
        .split('\n')
        .next()
        .is_none_or(str::is_empty);
    let start = source + if line_is_blank { 0 } else { layout.indent() } + (offset - line_start);
    let start = start.clamp(whole.start(), whole.end());
    Span::new(start, (start + len.max(1)).min(whole.end()))
}
