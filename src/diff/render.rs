//! Rendering a diff report: plain or coloured text, markdown for pull requests, JSON for tools.
//!
//! Input: a [`DiffReport`]. Output: text. All three forms carry the same parts in the same
//! order: a header naming the object and the direction (old → new), the path summary, the
//! rollout impact, warnings, and the unified diff of the canonical YAML.

use super::changes::{Change, Op};
use super::DiffReport;
use serde_json::{json, Value};
use similar::TextDiff;
use std::io::IsTerminal;
use std::time::Duration;

const RED: &str = "\x1b[31m";
const GREEN: &str = "\x1b[32m";
const YELLOW: &str = "\x1b[33m";
const CYAN: &str = "\x1b[36m";
const BOLD: &str = "\x1b[1m";
const RESET: &str = "\x1b[0m";

/// Whether text for stdout should be coloured: stdout is a terminal and `NO_COLOR` is unset or
/// empty (no-color.org). A convenience for the CLI, which decides.
pub fn auto_color() -> bool {
    std::io::stdout().is_terminal() && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty())
}

/// How long the line diff may search for the smallest edit. Two large texts that differ on
/// most lines would otherwise cost time quadratic in their length; past the deadline the diff
/// is still correct, only less minimal.
const DIFF_TIMEOUT: Duration = Duration::from_millis(300);

/// The unified diff of two texts (`old` is `None` for a new object), with `context` lines
/// around each change: one function for `dsc diff`, `build --check` and `fmt --check`.
pub fn unified_diff(
    old: Option<&str>,
    new: &str,
    (from, to): (&str, &str),
    context: usize,
) -> String {
    let from = if old.is_some() { from } else { "/dev/null" };
    TextDiff::configure()
        .timeout(DIFF_TIMEOUT)
        .diff_lines(old.unwrap_or(""), new)
        .unified_diff()
        .context_radius(context)
        .header(from, to)
        .to_string()
}

/// `DaemonSet kube-system/agent: 3 changes (live → compiled)`.
fn headline(report: &DiffReport, object: &str) -> String {
    let what = if report.is_new() {
        format!("new object, not in {}", report.from_label)
    } else {
        match report.changes.len() {
            0 => "no changes".to_string(),
            1 => "1 change".to_string(),
            n => format!("{n} changes"),
        }
    };
    format!(
        "{object}: {what} ({} → {})",
        report.from_label, report.to_label
    )
}

/// A value as a reader wants it: plain strings bare, everything else as compact JSON.
fn show(v: &Value) -> String {
    match v {
        Value::String(s) if is_plain(s) => s.clone(),
        other => other.to_string(),
    }
}

fn is_plain(s: &str) -> bool {
    !s.is_empty()
        && s.trim() == s
        && !s.chars().any(char::is_control)
        && !s.contains('→')
        && !s.starts_with(['(', '[', '{', '"'])
        && serde_json::from_str::<Value>(s).map_or(true, |v| v.is_string())
}

fn show_side(v: Option<&Value>, is_default: bool) -> String {
    match v {
        None => "(absent)".to_string(),
        Some(v) if is_default => format!("{} (default)", show(v)),
        Some(v) => show(v),
    }
}

/// An object too long for one line is named, not printed.
fn brief(v: &Value) -> String {
    let text = show(v);
    if text.chars().count() <= 80 {
        format!(" {text}")
    } else {
        String::new()
    }
}

/// One summary line, with the old part and the new part coloured by `paint`.
fn summary_line(change: &Change, paint: &dyn Fn(&str, &str) -> String) -> String {
    let (from, to) = (change.from.as_ref(), change.to.as_ref());
    let body = match (change.op, from, to) {
        (Op::Order, Some(Value::Array(a)), Some(Value::Array(b))) => {
            let list = |items: &[Value]| items.iter().map(show).collect::<Vec<_>>().join(", ");
            format!("order changed [{}] → [{}]", list(a), list(b))
        }
        (Op::Add, _, Some(v)) if change.list_item => {
            paint(GREEN, &format!("added item {}", show(v)))
        }
        (Op::Remove, Some(v), _) if change.list_item => {
            paint(RED, &format!("removed item {}", show(v)))
        }
        (Op::Add, _, Some(v)) if v.is_object() => paint(GREEN, &format!("added{}", brief(v))),
        (Op::Remove, Some(v), _) if v.is_object() => paint(RED, &format!("removed{}", brief(v))),
        _ => format!(
            "{} → {}",
            paint(RED, &show_side(from, change.from_default)),
            paint(GREEN, &show_side(to, change.to_default))
        ),
    };
    format!("{}: {body}", change.path)
}

/// The report as terminal text.
pub(crate) fn text(report: &DiffReport, color: bool) -> String {
    let paint = |code: &str, s: &str| {
        if color {
            format!("{code}{s}{RESET}")
        } else {
            s.to_string()
        }
    };
    let mut out = paint(BOLD, &headline(report, &report.object()));
    out.push('\n');
    for change in &report.changes {
        out.push_str(&format!("  {}\n", summary_line(change, &paint)));
    }
    if report.has_changes() {
        let code = if report.rollout.is_blocked() {
            RED
        } else {
            YELLOW
        };
        let summary = report.rollout.summary(&report.namespace, &report.name);
        out.push_str(&paint(code, &format!("rollout: {summary}")));
        out.push('\n');
    }
    for warning in &report.warnings {
        out.push_str(&paint(YELLOW, &format!("warning: {warning}")));
        out.push('\n');
    }
    if !report.unified.is_empty() {
        out.push('\n');
        for line in report.unified.lines() {
            let code = match line.as_bytes().first() {
                _ if line.starts_with("---") || line.starts_with("+++") => BOLD,
                Some(b'-') => RED,
                Some(b'+') => GREEN,
                Some(b'@') => CYAN,
                _ => "",
            };
            out.push_str(&if code.is_empty() {
                line.to_string()
            } else {
                paint(code, line)
            });
            out.push('\n');
        }
    }
    out
}

/// A code fence longer than any run of backticks in `body`.
fn fence(body: &str) -> String {
    let mut longest = 0;
    let mut run = 0;
    for c in body.chars() {
        run = if c == '`' { run + 1 } else { 0 };
        longest = longest.max(run);
    }
    "`".repeat((longest + 1).max(3))
}

fn fenced(lang: &str, body: &str) -> String {
    let fence = fence(body);
    format!("{fence}{lang}\n{}\n{fence}\n", body.trim_end_matches('\n'))
}

/// The report as a pull-request comment.
pub(crate) fn markdown(report: &DiffReport) -> String {
    let name = match report.namespace.as_str() {
        "" => report.name.clone(),
        ns => format!("{ns}/{}", report.name),
    };
    let object = match &report.env {
        Some(env) => format!("{} `{name}` in {env}", report.kind),
        None => format!("{} `{name}`", report.kind),
    };
    let mut out = format!("#### {}\n\n", headline(report, &object));
    if report.has_changes() {
        let summary = report.rollout.summary(&report.namespace, &report.name);
        let label = if report.rollout.is_blocked() {
            "**Rollout blocked:**"
        } else {
            "**Rollout:**"
        };
        out.push_str(&format!("{label} {summary}\n\n"));
    }
    for warning in &report.warnings {
        out.push_str(&format!("> **Warning:** {warning}\n\n"));
    }
    if !report.changes.is_empty() {
        let lines: Vec<String> = report
            .changes
            .iter()
            .map(|c| summary_line(c, &|_, s: &str| s.to_string()))
            .collect();
        out.push_str(&fenced("text", &lines.join("\n")));
        out.push('\n');
    }
    if report.has_changes() && !report.unified.is_empty() {
        out.push_str("<details><summary>Unified diff</summary>\n\n");
        out.push_str(&fenced("diff", &report.unified));
        out.push_str("\n</details>\n");
    }
    out
}

/// The report as data: the object, the direction, each change, the rollout, the unified diff.
pub(crate) fn json(report: &DiffReport) -> Value {
    let changes: Vec<Value> = report
        .changes
        .iter()
        .map(|c| {
            json!({
                "path": c.path.to_string(),
                "pointer": c.path.pointer(),
                "op": c.op.name(),
                "from": c.from,
                "to": c.to,
                "from_default": c.from_default,
                "to_default": c.to_default,
                "list_item": c.list_item,
                "line": summary_line(c, &|_, s: &str| s.to_string()),
                "cause": c.cause.as_ref().map(super::Cause::json),
            })
        })
        .collect();
    json!({
        "object": {"kind": report.kind, "namespace": report.namespace, "name": report.name},
        "env": report.env,
        "from": report.from_label,
        "to": report.to_label,
        "new_object": report.is_new(),
        "has_changes": report.has_changes(),
        "changes": changes,
        "rollout": {
            "kind": report.rollout.kind(),
            "summary": report.rollout.summary(&report.namespace, &report.name),
        },
        "warnings": report.warnings,
        "unified": report.unified,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn values_print_bare_only_when_unambiguous() {
        assert_eq!(show(&json!("fluent-bit:2.2")), "fluent-bit:2.2");
        assert_eq!(show(&json!("10%")), "10%");
        assert_eq!(show(&json!("1")), r#""1""#);
        assert_eq!(show(&json!("true")), r#""true""#);
        assert_eq!(show(&json!("")), r#""""#);
        assert_eq!(show(&json!(" padded")), r#"" padded""#);
        assert_eq!(show(&json!("a\nb")), r#""a\nb""#);
        assert_eq!(show(&json!(1)), "1");
        assert_eq!(show(&json!({"a": [1]})), r#"{"a":[1]}"#);
    }

    #[test]
    fn fences_outgrow_backticks_in_the_body() {
        assert_eq!(fence("plain"), "```");
        assert_eq!(fence("a ```` b"), "`````");
        assert_eq!(fenced("diff", "x\n"), "```diff\nx\n```\n");
    }

    #[test]
    fn unified_diff_of_a_new_object_starts_from_nothing() {
        let text = unified_diff(None, "a: 1\n", ("live/x", "compiled/x"), 3);
        assert!(
            text.starts_with("--- /dev/null\n+++ compiled/x\n"),
            "{text}"
        );
        assert!(text.contains("+a: 1"));
    }
}
