//! Editor features as pure functions of a document's text and a byte offset: diagnostics,
//! hover, completion, go to definition, formatting and quick fixes. `dsc lsp` calls them and
//! converts positions ([`lines`]); nothing here does I/O.

mod complete;
mod definition;
mod hover;
pub mod lines;
mod params;
mod place;

pub use complete::{completions, Completion, CompletionKind};
pub use definition::definition;
pub use hover::{hover, Hover};

use crate::diagnostics::{Diagnostic, Fix, LintLevels};
use crate::source::{SourceFile, Span};

/// Every finding of `dsc check` on the document, lints at their default levels (a spec's own
/// `allow` statements apply).
pub fn diagnostics(name: &str, text: &str) -> Vec<Diagnostic> {
    crate::compile(&SourceFile::new(name, text), &LintLevels::default()).diagnostics
}

/// [`diagnostics`] of the document saved at `path`: its `use` statements read their libraries
/// from beside it, as `dsc check` would (the libraries' own findings show in their own files).
pub fn diagnostics_at(path: &std::path::Path, name: &str, text: &str) -> Vec<Diagnostic> {
    let libraries = crate::compose::Libraries::default();
    let file = SourceFile::new(name, text);
    crate::compile_file(&file, Some(path), &LintLevels::default(), &libraries).diagnostics
}

/// The document in `dsc fmt`'s layout; `None` when it does not parse (nothing is formatted
/// half).
pub fn format(text: &str) -> Option<String> {
    crate::print::format_source(text).ok()
}

/// A quick fix: the edit a diagnostic's help describes.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Action<'a> {
    pub title: String,
    pub fix: &'a Fix,
    pub diagnostic: &'a Diagnostic,
}

/// The quick fixes of the diagnostics whose text meets `range`.
pub fn quick_fixes<'a>(text: &str, diagnostics: &'a [Diagnostic], range: Span) -> Vec<Action<'a>> {
    diagnostics
        .iter()
        .filter_map(|d| {
            let fix = d.fix.as_deref()?;
            let at = d.home_span()?;
            let meets = at.start() <= range.end() && range.start() <= at.end();
            meets.then(|| {
                let old = text.get(fix.span.start()..fix.span.end()).unwrap_or("");
                let title = match (old, fix.replacement.as_str()) {
                    ("", new) => format!("insert `{}`", new.trim_end()),
                    (old, "") => format!("remove `{}`", old.trim_end()),
                    (old, new) => format!("replace `{old}` with `{new}`"),
                };
                Action {
                    title,
                    fix,
                    diagnostic: d,
                }
            })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_misspelled_setting_has_a_quick_fix() {
        let text = "daemonset a in b {\n  container c {\n    imagee r/c:1\n  }\n}\n";
        let found = diagnostics("a.ds", text);
        let at = text.find("imagee").unwrap();
        let fixes = quick_fixes(text, &found, Span::new(at, at));
        assert_eq!(fixes.len(), 1, "{found:?}");
        assert_eq!(fixes[0].title, "replace `imagee` with `image`");
        assert_eq!(fixes[0].fix.span, Span::new(at, at + 6));
    }

    #[test]
    fn formatting_needs_a_file_that_parses() {
        assert_eq!(
            format("daemonset a {\nhost-network\n}").as_deref(),
            Some("daemonset a {\n  host-network\n}\n")
        );
        assert_eq!(format("daemonset a {\n  \"x\n}\n"), None);
    }
}
