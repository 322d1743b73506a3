//! Parameters in the editor: the `${NAME}` under the cursor, the `param` statement that
//! declares it, and the names a `${` may go on with.

use crate::compose::{Definitions, Param};
use crate::source::Span;
use crate::syntax::Ast;

/// The `${NAME}` of a bare word at `offset`: its name and span (from `$` to `}`), or while it is
/// being typed, the name so far (up to `offset`).
pub fn reference_at(text: &str, offset: usize) -> Option<(&str, Span)> {
    let offset = offset.min(text.len());
    let line_start = text.get(..offset)?.rfind('\n').map_or(0, |i| i + 1);
    // The cursor may be on the `$` or the `{` too.
    let on_open = [offset, offset.saturating_sub(1)]
        .into_iter()
        .find(|&at| at >= line_start && text.get(at..).is_some_and(|t| t.starts_with("${")));
    let start = match on_open {
        Some(at) => at,
        None => line_start + text[line_start..offset].rfind("${")?,
    };
    let name_start = start + 2;
    let rest = &text[name_start..];
    let len = rest
        .find(|c: char| !(c.is_ascii_alphanumeric() || matches!(c, '_' | '-' | '.')))
        .unwrap_or(rest.len());
    let end = name_start + len;
    if offset > end + usize::from(rest[len..].starts_with('}')) {
        return None;
    }
    let close = usize::from(rest[len..].starts_with('}'));
    Some((&text[name_start..end], Span::new(start, end + close)))
}

/// The parameters the file declares, as a build without `-D` sees them (declarations that are
/// not valid are left out); each [`Param::span`] is its name in its `param` statement.
pub fn declared(ast: &Ast) -> Vec<Param> {
    crate::compose::declare(ast, &Definitions::default(), &mut Vec::new())
}

/// What hover shows for a parameter.
pub fn markdown(p: &Param) -> String {
    format!(
        "Parameter `{}`: {}, `{}` unless the build sets another with `-D {}=VALUE`.",
        p.name,
        p.ty.describe(),
        p.value,
        p.name
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_reference_under_the_cursor() {
        let text = "  image r/a:${tag}\n";
        for at in [12, 13, 14, 16, 17, 18] {
            let (name, span) = reference_at(text, at).unwrap();
            assert_eq!(
                (name, &text[span.start()..span.end()]),
                ("tag", "${tag}"),
                "{at}"
            );
        }
        assert!(reference_at(text, 10).is_none());
        // Being typed: `${ta` with the cursor at its end.
        assert_eq!(reference_at("  image r/a:${ta", 16).unwrap().0, "ta");
    }
}
