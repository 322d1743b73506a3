//! Diagnostics → text for people (miette) and for tools (short lines, JSON, GitHub annotations).

use miette::{GraphicalReportHandler, GraphicalTheme, LabeledSpan, MietteDiagnostic, Report};

use super::excerpt::Excerpt;
use super::{Diagnostic, Elsewhere, Label, Severity};
use crate::source::SourceFile;

/// How diagnostics are printed.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    /// Source snippets with labels and help (default)
    Human,
    /// One line each: `file:line:col: error[CODE]: message`
    Short,
    /// A JSON array, for tools
    Json,
    /// GitHub Actions workflow commands (`::error file=...`)
    Github,
}

/// `text` with each control character but line breaks and tabs shown as its picture (`␀` for
/// NUL), as the source snippet shows them: a value quoted in a message stays readable.
fn visible(text: &str) -> String {
    text.chars()
        .map(|c| match c {
            '\n' | '\t' => c,
            '\0'..='\u{1f}' => char::from_u32(0x2400 + c as u32).unwrap_or(c),
            '\u{7f}' => '\u{2421}',
            _ => c,
        })
        .collect()
}

/// The rustc-like report: a title with the code, the source with labels, and the help line.
/// Labels in other files than the primary label's (a library line a spec brought in) follow
/// as notes, one per file, each with its own source.
pub fn human(file: &SourceFile, d: &Diagnostic, color: bool) -> String {
    let home = d.primary_file(file);
    let in_file = |l: &&Label, f: &SourceFile| match &l.file {
        Some(Elsewhere(other)) => other.name == f.name,
        None => file.name == f.name,
    };
    let title = format!(
        "{}[{}]: {}",
        d.severity.as_str(),
        d.code,
        visible(&d.message)
    );
    let severity = match d.severity {
        Severity::Error => miette::Severity::Error,
        Severity::Warning => miette::Severity::Warning,
    };
    let labels: Vec<&Label> = d.labels.iter().filter(|l| in_file(l, home)).collect();
    let Some(mut out) = snippet(home, &labels, title, severity, d.help.as_deref(), color) else {
        return short(file, d);
    };
    let mut others: Vec<&SourceFile> = Vec::new();
    for l in &d.labels {
        let f = match &l.file {
            Some(Elsewhere(f)) => &**f,
            None => file,
        };
        if f.name != home.name && !others.iter().any(|o| o.name == f.name) {
            others.push(f);
        }
    }
    for other in others {
        let labels: Vec<&Label> = d.labels.iter().filter(|l| in_file(l, other)).collect();
        let title = format!("note: in {}", other.name);
        if let Some(note) = snippet(other, &labels, title, miette::Severity::Advice, None, color) {
            out.push_str(&note);
        }
    }
    out
}

/// One miette report of `labels`, all in `file`.
fn snippet(
    file: &SourceFile,
    labels: &[&Label],
    title: String,
    severity: miette::Severity,
    help: Option<&str>,
    color: bool,
) -> Option<String> {
    let spans: Vec<(usize, usize)> = labels
        .iter()
        .map(|l| (l.span.start(), l.span.end()))
        .collect();
    // miette sees only the lines the labels are on, so a report costs the size of its lines.
    let (excerpt, spans) = Excerpt::new(file, &spans);
    let labels = labels.iter().zip(spans).map(|(l, (start, end))| {
        let span = (start, end - start);
        if l.primary {
            LabeledSpan::new_primary_with_span(Some(visible(&l.message)), span)
        } else {
            LabeledSpan::new_with_span(Some(visible(&l.message)), span)
        }
    });
    let mut md = MietteDiagnostic::new(title)
        .with_severity(severity)
        .with_labels(labels);
    if let Some(help) = help {
        md = md.with_help(visible(help));
    }
    let report = Report::new(md).with_source_code(excerpt);
    let theme = if color {
        GraphicalTheme::unicode()
    } else {
        GraphicalTheme::unicode_nocolor()
    };
    let handler = GraphicalReportHandler::new_themed(theme)
        .with_width(100)
        .with_links(false);
    let mut out = String::new();
    handler.render_report(&mut out, report.as_ref()).ok()?;
    Some(out)
}

/// `file:line:col: severity[CODE]: message`
pub fn short(file: &SourceFile, d: &Diagnostic) -> String {
    let file = d.primary_file(file);
    let (line, col) = file.line_col(d.primary_span().start());
    format!(
        "{}:{line}:{col}: {}[{}]: {}\n",
        file.name,
        d.severity.as_str(),
        d.code,
        d.message
    )
}

/// GitHub Actions annotation: `::error file=F,line=L,col=C,title=CODE::message`.
pub fn github(file: &SourceFile, d: &Diagnostic) -> String {
    let file = d.primary_file(file);
    let (line, col) = file.line_col(d.primary_span().start());
    let (end_line, end_col) = file.line_col(d.primary_span().end());
    let mut message = d.message.clone();
    if let Some(help) = &d.help {
        message.push_str("\nhelp: ");
        message.push_str(help);
    }
    format!(
        "::{} file={},line={line},col={col},endLine={end_line},endColumn={end_col},title={}::{}\n",
        d.severity.as_str(),
        escape_property(&file.name),
        d.code,
        escape_data(&message)
    )
}

/// One JSON object per diagnostic, with 1-based positions.
/// Each label names its file; the diagnostic's `file` is its primary label's.
pub fn json(file: &SourceFile, d: &Diagnostic) -> serde_json::Value {
    let position_in = |f: &SourceFile, offset: usize| {
        let (line, column) = f.line_col(offset);
        serde_json::json!({ "offset": offset, "line": line, "column": column })
    };
    let position = |offset: usize| position_in(file, offset);
    serde_json::json!({
        "file": d.primary_file(file).name,
        "code": d.code,
        "name": super::lookup(d.code).map(|c| c.name),
        "severity": d.severity.as_str(),
        "message": d.message,
        "help": d.help,
        "labels": d.labels.iter().map(|l| {
            let f: &SourceFile = match &l.file {
                Some(Elsewhere(f)) => f,
                None => file,
            };
            serde_json::json!({
                "file": f.name,
                "message": l.message,
                "primary": l.primary,
                "start": position_in(f, l.span.start()),
                "end": position_in(f, l.span.end()),
            })
        }).collect::<Vec<_>>(),
        "fix": d.fix.as_ref().map(|f| serde_json::json!({
            "start": position(f.span.start()),
            "end": position(f.span.end()),
            "replacement": f.replacement,
        })),
    })
}

fn escape_data(s: &str) -> String {
    s.replace('%', "%25")
        .replace('\r', "%0D")
        .replace('\n', "%0A")
}

fn escape_property(s: &str) -> String {
    escape_data(s).replace(':', "%3A").replace(',', "%2C")
}
