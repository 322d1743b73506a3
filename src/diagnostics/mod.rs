//! Diagnostics as plain data: stages push them and carry on; only [`render`] knows miette.

mod codes;
mod excerpt;
pub mod render;

pub use codes::{lookup, CodeInfo, CODES, RETIRED};

use std::borrow::Cow;
use std::sync::Arc;

use crate::source::{clamp_to_char_boundary, SourceFile, Span, LIBRARY_BASE};

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Severity {
    Warning,
    Error,
}

impl Severity {
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Error => "error",
            Severity::Warning => "warning",
        }
    }
}

/// A labelled span: the primary one says what is wrong here; secondary ones give context.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Label {
    pub span: Span,
    /// Borrowed when fixed text: a file of many identical mistakes holds one copy.
    pub message: Cow<'static, str>,
    pub primary: bool,
    /// The file the span is in, when it is not the one the diagnostic is reported for (a
    /// library's line that a spec's defaults brought in).
    pub file: Option<Elsewhere>,
}

/// Another file than the compiled one, for a label there. Two are equal when they have the
/// same name.
#[derive(Clone, Debug)]
pub struct Elsewhere(pub Arc<SourceFile>);

impl PartialEq for Elsewhere {
    fn eq(&self, other: &Self) -> bool {
        Arc::ptr_eq(&self.0, &other.0) || self.0.name == other.0.name
    }
}

impl Eq for Elsewhere {}

/// An edit that applies the help: the text at `span` becomes `replacement`. Editors offer it as
/// a quick fix, and `--format json` carries it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Fix {
    pub span: Span,
    pub replacement: String,
}

/// One finding: a stable code, a one-line message, labelled spans and a concrete fix.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Diagnostic {
    pub code: &'static str,
    pub severity: Severity,
    pub message: String,
    pub labels: Vec<Label>,
    /// Borrowed when fixed text (most helps are), owned when formatted.
    pub help: Option<Cow<'static, str>>,
    /// The edit the help describes, when it is exact. Boxed: most diagnostics have none.
    pub fix: Option<Box<Fix>>,
    /// A secret-looking literal this diagnostic found: masked wherever diagnostics are printed
    /// (see [`mask_secrets`]) unless asked to show secrets.
    pub secret: Option<Span>,
}

impl Diagnostic {
    /// An error with code `code` at `span`; the label says what is wrong there.
    pub fn error(code: &'static str, message: impl Into<String>) -> Self {
        Diagnostic {
            code,
            severity: Severity::Error,
            message: message.into(),
            labels: Vec::new(),
            help: None,
            fix: None,
            secret: None,
        }
    }

    pub fn warning(code: &'static str, message: impl Into<String>) -> Self {
        Diagnostic {
            severity: Severity::Warning,
            ..Diagnostic::error(code, message)
        }
    }

    /// The primary label.
    pub fn at(mut self, span: Span, label: impl Into<Cow<'static, str>>) -> Self {
        self.labels.push(Label {
            span,
            message: label.into(),
            primary: true,
            file: None,
        });
        self
    }

    /// A secondary label, for context ("first defined here").
    pub fn also(mut self, span: Span, label: impl Into<Cow<'static, str>>) -> Self {
        self.labels.push(Label {
            span,
            message: label.into(),
            primary: false,
            file: None,
        });
        self
    }

    pub fn help(mut self, help: impl Into<Cow<'static, str>>) -> Self {
        self.help = Some(help.into());
        self
    }

    /// The exact edit of the help: the text at `span` becomes `replacement`.
    pub fn fix(mut self, span: Span, replacement: impl Into<String>) -> Self {
        self.fix = Some(Box::new(Fix {
            span,
            replacement: replacement.into(),
        }));
        self
    }

    /// Marks `span` as a secret-looking literal, masked when diagnostics are printed.
    pub fn secret(mut self, span: Span) -> Self {
        self.secret = Some(span);
        self
    }

    /// "did you mean `word`?", with the edit that writes `word` in place of the primary label's
    /// text (call it after [`Diagnostic::at`]).
    pub fn suggest(self, word: &str) -> Self {
        let at = self.primary_span();
        self.help(format!("did you mean `{word}`?")).fix(at, word)
    }

    /// [`Diagnostic::suggest`] when there is a suggestion, else the help `otherwise`.
    pub fn suggest_or(self, word: Option<&str>, otherwise: impl Into<Cow<'static, str>>) -> Self {
        match word {
            Some(word) => self.suggest(word),
            None => self.help(otherwise),
        }
    }

    /// Moves every label inside `text` and onto character boundaries (the start back, the end
    /// forward). Stages that map positions through an embedded document (an override's YAML)
    /// can land inside a character; a report must not.
    ///
    /// A span in a library not yet resolved to its file (see [`crate::source::LIBRARY_BASE`])
    /// is left as it is.
    pub fn fit_to(&mut self, text: &str) {
        for label in &mut self.labels {
            label.span = match &label.file {
                Some(Elsewhere(file)) => widen_to_chars(&file.text, label.span),
                None if label.span.start() >= LIBRARY_BASE => label.span,
                None => widen_to_chars(text, label.span),
            };
        }
        if let Some(secret) = &mut self.secret {
            *secret = widen_to_chars(text, *secret);
        }
        if let Some(fix) = &mut self.fix {
            let start = clamp_to_char_boundary(text, fix.span.start());
            let end = clamp_to_char_boundary(text, fix.span.end().clamp(start, text.len()));
            fix.span = Span::new(start, end);
        }
    }

    /// Where the diagnostic points: the primary label, or the first one.
    pub fn primary_span(&self) -> Span {
        self.primary_label().map_or(Span::default(), |l| l.span)
    }

    /// The primary label, or the first one.
    pub fn primary_label(&self) -> Option<&Label> {
        self.labels
            .iter()
            .find(|l| l.primary)
            .or(self.labels.first())
    }

    /// Where the diagnostic points in the compiled file: the primary label, or, when that is
    /// in another file, the first label in this one (the `from` name that brought a library's
    /// line in). `None` when no label is in this file.
    pub fn home_span(&self) -> Option<Span> {
        match self.primary_label() {
            Some(l) if l.file.is_none() => Some(l.span),
            _ => self
                .labels
                .iter()
                .find(|l| l.file.is_none())
                .map(|l| l.span),
        }
    }

    /// The file the diagnostic points into: `home` (the compiled file), or the other file its
    /// primary label is in.
    pub fn primary_file<'a>(&'a self, home: &'a SourceFile) -> &'a SourceFile {
        match self.primary_label().and_then(|l| l.file.as_ref()) {
            Some(Elsewhere(file)) => file,
            None => home,
        }
    }
}

/// `span` inside `text` and onto character boundaries, the start back and the end forward.
fn widen_to_chars(text: &str, span: Span) -> Span {
    let start = clamp_to_char_boundary(text, span.start());
    let mut end = span.end().clamp(start, text.len());
    while !text.is_char_boundary(end) {
        end += 1;
    }
    Span::new(start, end)
}

/// What to print when secrets stay hidden: a copy of the source whose secret spans (those the
/// diagnostics mark, see [`Diagnostic::secret`]) are masked byte for byte with `*`, so every
/// span still points at the same text, and the diagnostics with each secret's text masked in
/// their message, labels, help and fix. `None` when no diagnostic marks a secret.
pub fn mask_secrets(
    file: &SourceFile,
    diagnostics: &[Diagnostic],
) -> Option<(SourceFile, Vec<Diagnostic>)> {
    let spans: Vec<Span> = diagnostics
        .iter()
        .filter_map(|d| d.secret)
        .map(|s| widen_to_chars(&file.text, s))
        .filter(|s| s.end() > s.start())
        .collect();
    if spans.is_empty() {
        return None;
    }
    let mut secrets: Vec<&str> = Vec::new();
    for span in &spans {
        let text = &file.text[span.start()..span.end()];
        secrets.push(text);
        let unquoted = text.trim_matches(['"', '\'']);
        if !unquoted.is_empty() && unquoted != text {
            secrets.push(unquoted);
        }
    }
    secrets.sort_by_key(|s| std::cmp::Reverse(s.len()));
    let mask = |text: &str| -> String {
        secrets.iter().fold(text.to_string(), |out, secret| {
            out.replace(secret, &"*".repeat(secret.len()))
        })
    };
    let masked: Vec<Diagnostic> = diagnostics
        .iter()
        .map(|d| {
            let mut d = d.clone();
            d.message = mask(&d.message);
            for label in &mut d.labels {
                if secrets.iter().any(|s| label.message.contains(s)) {
                    label.message = Cow::Owned(mask(&label.message));
                }
            }
            if let Some(help) = &mut d.help {
                if secrets.iter().any(|s| help.contains(s)) {
                    *help = Cow::Owned(mask(help));
                }
            }
            if let Some(fix) = &mut d.fix {
                fix.replacement = mask(&fix.replacement);
            }
            d
        })
        .collect();
    let mut bytes = file.text.clone().into_bytes();
    for span in spans {
        bytes[span.start()..span.end()].fill(b'*');
    }
    // Whole characters became `*`, so the text is still UTF-8 and keeps its length.
    let text = String::from_utf8_lossy(&bytes).into_owned();
    Some((SourceFile::new(file.name.clone(), text), masked))
}

/// How lints are treated: allowed (silenced), warned, or denied (made errors).
#[derive(Clone, Debug, Default)]
pub struct LintLevels {
    pub allow: Vec<String>,
    pub deny: Vec<String>,
    /// `--deny warnings`: every warning becomes an error.
    pub deny_all: bool,
}

impl LintLevels {
    /// Applies the levels: drops allowed warnings, promotes denied ones.
    pub fn apply(&self, diagnostics: Vec<Diagnostic>) -> Vec<Diagnostic> {
        let names = |d: &Diagnostic| -> [String; 2] {
            let name = lookup(d.code).map_or("", |c| c.name);
            [d.code.to_ascii_lowercase(), name.to_string()]
        };
        let matches = |list: &[String], d: &Diagnostic| {
            let ids = names(d);
            list.iter()
                .any(|l| ids.iter().any(|id| id.eq_ignore_ascii_case(l)))
        };
        diagnostics
            .into_iter()
            .filter(|d| d.severity == Severity::Error || !matches(&self.allow, d))
            .map(|mut d| {
                if d.severity == Severity::Warning && (self.deny_all || matches(&self.deny, &d)) {
                    d.severity = Severity::Error;
                }
                d
            })
            .collect()
    }
}

/// True when any diagnostic is an error.
pub fn has_errors(diagnostics: &[Diagnostic]) -> bool {
    diagnostics.iter().any(|d| d.severity == Severity::Error)
}

/// Sorts diagnostics by position, keeping the order of those at the same place.
/// Those in the compiled file come first, then those in each other file by name.
pub fn sort(diagnostics: &mut [Diagnostic]) {
    diagnostics.sort_by_cached_key(|d| {
        let file = d
            .primary_label()
            .and_then(|l| l.file.as_ref())
            .map(|Elsewhere(f)| f.name.clone());
        (file, d.primary_span().start())
    });
}

/// "did you mean `x`?" for the closest candidate, when one is close enough.
pub fn did_you_mean<'a>(
    word: &str,
    candidates: impl IntoIterator<Item = &'a str>,
) -> Option<&'a str> {
    let word = word.to_ascii_lowercase();
    let mut best: Option<(f64, &str)> = None;
    for candidate in candidates {
        let lower = candidate.to_ascii_lowercase();
        let score = strsim::jaro_winkler(&word, &lower);
        // Similarity scores are low for short words (`grt` and `gt`), so for those one edit is
        // close enough.
        let short_and_close =
            word.len() >= 3 && lower.len() <= 4 && strsim::osa_distance(&word, &lower) <= 1;
        if (score > 0.8 || short_and_close) && best.is_none_or(|(s, _)| score > s) {
            best = Some((score, candidate));
        }
    }
    best.map(|(_, c)| c)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn suggests_close_words_only() {
        let words = ["image", "memory", "cpu", "port"];
        assert_eq!(did_you_mean("imag", words), Some("image"));
        assert_eq!(did_you_mean("memroy", words), Some("memory"));
        assert_eq!(did_you_mean("volume", words), None);
        assert_eq!(did_you_mean("grt", ["gt", "lt", "in"]), Some("gt"));
        assert_eq!(did_you_mean("xyz", ["gt", "lt", "in"]), None);
        assert_eq!(did_you_mean("rw", ["ro"]), None);
    }

    #[test]
    fn labels_fit_on_character_boundaries() {
        let text = "a: é\n";
        let mut d = Diagnostic::error("DS0750", "x").at(Span::new(4, 5), "inside `é`");
        d.fit_to(text);
        assert_eq!(d.labels[0].span, Span::new(3, 5));
        let mut d = Diagnostic::error("DS0750", "x").at(Span::new(9, 12), "past the end");
        d.fit_to(text);
        assert_eq!(d.labels[0].span, Span::new(6, 6));
    }

    #[test]
    fn lint_levels_allow_and_deny() {
        let warn = Diagnostic::warning("DS0901", "x");
        let levels = LintLevels {
            allow: vec!["ds0901".into()],
            ..Default::default()
        };
        assert!(levels.apply(vec![warn.clone()]).is_empty());
        let levels = LintLevels {
            deny_all: true,
            ..Default::default()
        };
        assert_eq!(levels.apply(vec![warn])[0].severity, Severity::Error);
    }
}
