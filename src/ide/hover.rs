//! Hover at an offset: for a keyword its usage and meaning, for a value the field of the
//! object it sets, and for the text of a diagnostic the long explanation of its code.

use super::place::{table_of, Place};
use crate::check::Keyword;
use crate::codegen::provenance::SpecLocator;
use crate::diagnostics::{lookup, Diagnostic};
use crate::source::Span;
use crate::syntax::Ast;

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Hover {
    /// The text the hover is about.
    pub span: Span,
    pub markdown: String,
}

/// A keyword's usage line and meaning, in Markdown.
pub fn keyword_markdown(k: &Keyword) -> String {
    format!(
        "```ds\n{}\n```\n{}\n\nA setting of {}.",
        k.usage, k.doc, k.place
    )
}

/// What to show over `offset`; `diagnostics` are the document's current findings.
pub fn hover(text: &str, offset: usize, diagnostics: &[Diagnostic]) -> Option<Hover> {
    let (ast, _) = crate::syntax::parse_tree(text);
    let mut parts = Vec::new();
    let mut span = None;
    for d in diagnostics {
        let Some(at) = d.home_span() else {
            continue;
        };
        if at.start() <= offset && offset <= at.end() {
            let explanation = lookup(d.code).map_or("", |c| c.explanation);
            parts.push(format!(
                "**{}[{}]**: {}\n\n{}",
                d.severity.as_str(),
                d.code,
                d.message,
                explanation.trim()
            ));
            span.get_or_insert(at);
        }
    }
    if let Some((name, at)) = super::params::reference_at(text, offset) {
        let declared = super::params::declared(&ast);
        if let Some(p) = declared.iter().find(|p| p.name == name) {
            parts.insert(0, super::params::markdown(p));
            span = Some(at);
        }
    } else if let Some((k, at)) = keyword_at(&ast, text, offset) {
        parts.insert(0, keyword_markdown(k));
        span = Some(at);
    } else if let Some((field, at)) = field_at(&ast, offset) {
        parts.insert(0, format!("Sets `{field}`."));
        span = Some(at);
    }
    Some(Hover {
        span: span?,
        markdown: parts.join("\n\n---\n\n"),
    })
}

/// The setting whose keyword is at `offset`, looked up in its block's table.
fn keyword_at(ast: &Ast, text: &str, offset: usize) -> Option<(&'static Keyword, Span)> {
    let place = Place::find(ast, text, offset);
    let s = place.statement?;
    let at = s.keyword_span;
    if !(at.start() <= offset && offset <= at.end()) {
        return None;
    }
    let k = table_of(place.owner())
        .iter()
        .find(|k| k.name == s.keyword)?;
    Some((k, at))
}

/// The field of the object the argument at `offset` sets, from the checked model's origins.
fn field_at(ast: &Ast, offset: usize) -> Option<(String, Span)> {
    let (spec, _) = crate::check::check(ast);
    spec.daemonsets
        .iter()
        .filter_map(|ds| SpecLocator::new(ds).field_at(offset))
        .min_by_key(|(_, s)| s.len())
        .map(|(path, s)| (path.to_string(), s))
}

#[cfg(test)]
mod tests {
    use super::hover;
    use crate::diagnostics::Diagnostic;
    use crate::source::Span;

    fn over(text: &str, diagnostics: &[Diagnostic]) -> Option<String> {
        let offset = text.find('|').unwrap();
        hover(&text.replacen('|', "", 1), offset, diagnostics).map(|h| h.markdown)
    }

    #[test]
    fn a_keyword_shows_its_usage() {
        let text = "daemonset a {\n  container b {\n    mem|ory 1Gi\n  }\n}\n";
        let shown = over(text, &[]).unwrap();
        assert!(shown.contains("memory REQUEST"), "{shown}");
    }

    #[test]
    fn a_value_shows_the_field_it_sets() {
        let text = "daemonset a {\n  container b {\n    image r/b:|1\n  }\n}\n";
        let shown = over(text, &[]).unwrap();
        assert_eq!(shown, "Sets `spec.template.spec.containers[0].image`.");
    }

    #[test]
    fn a_parameter_shows_its_type_and_value() {
        let text = "param mem quantity = 1Gi
daemonset a {
  container b {
    memory ..${m|em}
  }
}
";
        let shown = over(text, &[]).unwrap();
        assert_eq!(
            shown,
            "Parameter `mem`: a quantity, `1Gi` unless the build sets another with `-D mem=VALUE`."
        );
    }

    #[test]
    fn a_diagnostic_shows_its_explanation() {
        let text = "daemonset a {\n  bog|us 1\n}\n";
        let d = Diagnostic::error("DS0201", "unknown setting `bogus`").at(Span::new(16, 21), "x");
        let shown = over(text, &[d]).unwrap();
        assert!(shown.contains("**error[DS0201]**"), "{shown}");
    }
}
