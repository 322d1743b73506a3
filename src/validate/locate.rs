//! Findings → diagnostics at the source: a [`Locator`] knows where each field path of the
//! object was written (a line of a manifest, a statement or override line of a spec), and the
//! nearest written ancestor stands in for a field that was never written (a missing field).

use super::findings::{Finding, Kind};
use crate::api::FieldPath;
use crate::diagnostics::Diagnostic;
use crate::source::Span;

/// Where the fields of one object were written.
pub trait Locator {
    /// The span of the value at `path`, if that exact field was written.
    fn value_span(&self, path: &FieldPath) -> Option<Span>;

    /// The span of the key of `path` (the `containerPort:` of a manifest), if it has one.
    fn key_span(&self, path: &FieldPath) -> Option<Span> {
        self.value_span(path)
    }

    /// The span that stands for the whole object when nothing nearer was written.
    fn whole(&self) -> Span;
}

/// The nearest written place for `path`: the field itself, else its closest ancestor, with
/// whether the span is the field's own.
pub fn nearest(locator: &dyn Locator, path: &FieldPath) -> (Span, bool) {
    if let Some(span) = locator.value_span(path) {
        return (span, true);
    }
    let mut up = path.clone();
    while !up.0.is_empty() {
        up = up.parent();
        if let Some(span) = locator.key_span(&up) {
            return (span, false);
        }
    }
    (locator.whole(), false)
}

/// One finding as a diagnostic, placed by `locator` in `text`.
pub fn to_diagnostic(finding: &Finding, locator: &dyn Locator, text: &str) -> Diagnostic {
    let path = &finding.path;
    let (span, exact) = match finding.kind {
        // A missing field has no value of its own: the key that named it, if one did (a spec
        // statement that names a resource without its limit), else its parent's key says
        // where it belongs.
        Kind::Required if locator.value_span(path).is_none() => match locator.key_span(path) {
            Some(span) => (span, false),
            None => nearest(locator, path),
        },
        // A forbidden field is pointed at by its key.
        Kind::Forbidden => match locator.key_span(path) {
            Some(span) => (span, true),
            None => nearest(locator, path),
        },
        _ if finding.on_key => match locator.key_span(path) {
            Some(span) => (span, true),
            None => nearest(locator, path),
        },
        _ => nearest(locator, path),
    };
    // A value is shown when it is a scalar: a whole object says nothing in a title.
    let value = finding
        .value
        .as_deref()
        .filter(|v| !v.starts_with('{') && !v.starts_with('['));
    let shown = value.map_or(String::new(), |v| format!(" {v}"));
    let message = match finding.kind {
        // An object that is there but lacks what it needs (a probe without a handler).
        Kind::Required if finding.value.as_deref().is_some_and(|v| v.starts_with('{')) => {
            format!("`{path}` is incomplete: {}", finding.detail)
        }
        Kind::Required => format!("`{path}` is required"),
        Kind::NotSupported => format!("unsupported value{shown} for `{path}`"),
        Kind::Invalid if finding.on_key => format!("invalid name{shown} in `{}`", path.parent()),
        Kind::Invalid => match value {
            Some(v) => format!("invalid value {v} for `{path}`: {}", finding.detail),
            None => format!("invalid `{path}`: {}", finding.detail),
        },
        Kind::Duplicate => format!("duplicate value{shown} for `{path}`"),
        Kind::Forbidden => format!("`{path}` is forbidden: {}", finding.detail),
        Kind::NotFound => format!("`{path}` not found:{shown}"),
        Kind::TooLong => format!("`{path}` is too long"),
    };
    let label = if exact {
        finding.detail.clone()
    } else {
        // The field was not written where the span is: say which one is meant.
        let field = path.last_key().unwrap_or("field");
        format!("`{field}`: {}", finding.detail)
    };
    let mut d = Diagnostic::error(finding.kind.code(), message).at(span, label);
    if let Some((related, text)) = &finding.related {
        let (span, _) = nearest(locator, related);
        d = d.also(span, text.clone());
    }
    d = d.help(
        finding
            .help
            .clone()
            .unwrap_or_else(|| default_help(finding)),
    );
    // The edit of a "did you mean", where the value stands exactly as written (not quoted,
    // not inside a larger statement).
    match finding.replacement.as_deref() {
        Some((written, meant)) if exact && text.get(span.start()..span.end()) == Some(written) => {
            d.fix(span, meant.clone())
        }
        _ => d,
    }
}

/// The help of a finding whose rule gave none: what to do about each kind of error.
fn default_help(finding: &Finding) -> String {
    let field = finding.path.last_key().unwrap_or("the field");
    match finding.kind {
        Kind::Required => format!("set `{field}`"),
        Kind::NotSupported => format!("use one of the {}", finding.detail),
        Kind::Invalid if finding.detail.starts_with("must") => {
            format!("change `{field}`: it {}", finding.detail)
        }
        Kind::Invalid => format!("change `{field}`"),
        Kind::Duplicate => format!("each `{field}` may appear once: remove or rename the repeat"),
        Kind::Forbidden => format!("remove `{field}`"),
        Kind::NotFound => format!("name an existing one in `{field}`, or declare it"),
        Kind::TooLong => format!("shorten `{field}`"),
    }
}
