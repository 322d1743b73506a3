//! The closing summary of a run over several DaemonSets, printed after their reports.
//!
//! Input: the [`DiffReport`]s of the compiled DaemonSets and the old objects none of them
//! matched. Output: one line that counts them, cargo style (`3 daemonsets: 1 changed (restarts
//! pods on every node), 1 new, 1 unchanged; 1 only in the previous outputs`), preceded by a
//! line per removed object, as text or markdown; and the removed objects as JSON entries shaped
//! like the reports, so a tool reads one array.

use super::old_side::OldObject;
use super::DiffReport;
use serde_json::{json, Value};

/// An old object that no compiled DaemonSet matched: no spec makes it any more.
#[derive(Debug, Clone, PartialEq)]
pub struct Removed {
    /// Its kind (`DaemonSet`).
    pub kind: String,
    /// Its namespace (empty when it has none).
    pub namespace: String,
    /// Its name.
    pub name: String,
    /// The file it is in.
    pub origin: String,
    /// The environment whose previous outputs hold it.
    pub env: Option<String>,
}

impl Removed {
    /// The removed object for an unmatched old one.
    pub fn of(old: &OldObject) -> Removed {
        Removed {
            kind: old.object["kind"]
                .as_str()
                .unwrap_or("DaemonSet")
                .to_string(),
            namespace: old.namespace().unwrap_or("").to_string(),
            name: old.name().to_string(),
            origin: old.origin.clone(),
            env: None,
        }
    }

    /// `namespace/name`, or the name alone.
    fn path(&self) -> String {
        match self.namespace.as_str() {
            "" => self.name.clone(),
            ns => format!("{ns}/{}", self.name),
        }
    }
}

/// What a run found, counted.
#[derive(Debug, Clone, PartialEq)]
pub struct Summary {
    /// The compiled DaemonSets compared.
    pub daemonsets: usize,
    /// Those the old side does not have.
    pub new: usize,
    /// Those without a change.
    pub unchanged: usize,
    /// Those with changes, counted by rollout kind ([`super::Rollout::kind`]), in the order
    /// blocked, restart, on-delete, no-restart; kinds without any left out.
    pub changed: Vec<(&'static str, usize)>,
    /// Old objects no compiled DaemonSet matched.
    pub removed: Vec<Removed>,
    /// Where the removed objects are only: `the previous outputs`, `the live dump`.
    pub only_in: String,
}

/// Rollout kinds of a changed DaemonSet, most serious first, with what they do (one DaemonSet,
/// several).
const CHANGED: [(&str, &str, &str); 4] = [
    (
        "blocked",
        "cannot be applied (an immutable field changes)",
        "cannot be applied (an immutable field changes)",
    ),
    (
        "restart",
        "restarts pods on every node",
        "restart pods on every node",
    ),
    (
        "on-delete",
        "replaces pods only when they are deleted (OnDelete)",
        "replace pods only when they are deleted (OnDelete)",
    ),
    ("no-restart", "restarts no pod", "restart no pod"),
];

/// What changes of a rollout kind do, for `n` DaemonSets: `restarts pods on every node`.
fn does(kind: &str, n: usize) -> &'static str {
    CHANGED
        .iter()
        .find(|(k, _, _)| *k == kind)
        .map_or("", |(_, one, many)| if n == 1 { one } else { many })
}

impl Summary {
    /// Counts the reports; `removed` are the old objects nothing matched, found only in
    /// `only_in`.
    pub fn new(reports: &[DiffReport], removed: Vec<Removed>, only_in: &str) -> Summary {
        let kinds: Vec<&str> = reports.iter().map(|r| r.rollout.kind()).collect();
        let count = |kind: &str| kinds.iter().filter(|k| **k == kind).count();
        Summary {
            daemonsets: reports.len(),
            new: count("create"),
            unchanged: count("none"),
            changed: CHANGED
                .iter()
                .map(|(kind, _, _)| (*kind, count(kind)))
                .filter(|(_, n)| *n > 0)
                .collect(),
            removed,
            only_in: only_in.to_string(),
        }
    }

    /// Whether anything differs: a new, changed or removed DaemonSet.
    pub fn has_changes(&self) -> bool {
        self.new > 0 || !self.changed.is_empty() || !self.removed.is_empty()
    }

    /// The counting line, without a line break.
    pub fn line(&self) -> String {
        let changed: usize = self.changed.iter().map(|(_, n)| n).sum();
        let mut parts = Vec::new();
        if changed > 0 {
            let impact = match self.changed.as_slice() {
                [(kind, n)] => does(kind, *n).to_string(),
                several => several
                    .iter()
                    .map(|(kind, n)| format!("{n} {}", does(kind, *n)))
                    .collect::<Vec<_>>()
                    .join(", "),
            };
            parts.push(format!("{changed} changed ({impact})"));
        }
        if self.new > 0 {
            parts.push(format!("{} new", self.new));
        }
        if self.unchanged > 0 {
            parts.push(format!("{} unchanged", self.unchanged));
        }
        let s = if self.daemonsets == 1 { "" } else { "s" };
        let mut line = format!("{} daemonset{s}", self.daemonsets);
        if !parts.is_empty() {
            line.push_str(&format!(": {}", parts.join(", ")));
        }
        if !self.removed.is_empty() {
            line.push_str(&format!(
                "; {} only in {}",
                self.removed.len(),
                self.only_in
            ));
        }
        line
    }

    /// A line per removed object, then the counting line; bold (and the removed red) if
    /// `color`.
    pub fn render_text(&self, color: bool) -> String {
        let paint = |code: &str, s: &str| {
            if color {
                format!("{code}{s}\x1b[0m")
            } else {
                s.to_string()
            }
        };
        let mut out = String::new();
        for removed in &self.removed {
            let line = format!(
                "only in {}: {} {} ({})",
                self.only_in,
                removed.kind,
                removed.path(),
                removed.origin
            );
            out.push_str(&paint("\x1b[31m", &line));
            out.push('\n');
        }
        out.push_str(&paint("\x1b[1m", &self.line()));
        out.push('\n');
        out
    }

    /// The same for a pull-request comment.
    pub fn render_markdown(&self) -> String {
        let mut out = String::from("#### Summary\n\n");
        for removed in &self.removed {
            out.push_str(&format!(
                "- only in {}: {} {} ({})\n",
                self.only_in,
                removed.kind,
                code(&removed.path()),
                code(&removed.origin)
            ));
        }
        if !self.removed.is_empty() {
            out.push('\n');
        }
        out.push_str(&format!("{}\n", self.line()));
        out
    }

    /// The removed objects as entries beside the reports' JSON: the same keys (`object`,
    /// `from`, `to`, `new_object`, `has_changes`, `changes`, `rollout`, `warnings`,
    /// `unified`), with `"removed": true` and the file in `origin`.
    pub fn removed_json(&self, from: &str, to: &str) -> Vec<Value> {
        self.removed
            .iter()
            .map(|r| {
                json!({
                    "object": {"kind": r.kind, "namespace": r.namespace, "name": r.name},
                    "env": r.env,
                    "from": from,
                    "to": to,
                    "new_object": false,
                    "removed": true,
                    "origin": r.origin,
                    "has_changes": true,
                    "changes": [],
                    "rollout": {
                        "kind": "none",
                        "summary": format!(
                            "only in {}: applying the compiled specs leaves it as it is; \
                             delete it if it is no longer wanted",
                            self.only_in
                        ),
                    },
                    "warnings": [],
                    "unified": "",
                })
            })
            .collect()
    }
}

/// Inline code that holds any text: the fence is longer than any run of backticks in it.
fn code(text: &str) -> String {
    let mut longest = 0;
    let mut run = 0;
    for c in text.chars() {
        run = if c == '`' { run + 1 } else { 0 };
        longest = longest.max(run);
    }
    let fence = "`".repeat(longest + 1);
    if text.starts_with('`') || text.ends_with('`') {
        format!("{fence} {text} {fence}")
    } else {
        format!("{fence}{text}{fence}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diff::{diff, DiffOptions};

    fn ds(name: &str, image: &str) -> Value {
        json!({"apiVersion": "apps/v1", "kind": "DaemonSet",
            "metadata": {"name": name, "namespace": "x"},
            "spec": {"selector": {"matchLabels": {"app": name}}, "template": {
                "metadata": {"labels": {"app": name}},
                "spec": {"containers": [{"name": "c", "image": image}]}}}})
    }

    fn reports() -> Vec<DiffReport> {
        let opts = DiffOptions::default();
        vec![
            diff(Some(&ds("a", "i:1")), &ds("a", "i:2"), &opts),
            diff(None, &ds("b", "i:1"), &opts),
            diff(Some(&ds("c", "i:1")), &ds("c", "i:1"), &opts),
        ]
    }

    fn removed() -> Removed {
        Removed {
            kind: "DaemonSet".into(),
            namespace: "x".into(),
            name: "old".into(),
            origin: "out/old.yaml".into(),
            env: None,
        }
    }

    #[test]
    fn counts_read_like_a_sentence() {
        let summary = Summary::new(&reports(), vec![removed()], "the previous outputs");
        assert!(summary.has_changes());
        assert_eq!(
            summary.render_text(false),
            "only in the previous outputs: DaemonSet x/old (out/old.yaml)\n\
             3 daemonsets: 1 changed (restarts pods on every node), 1 new, 1 unchanged; \
             1 only in the previous outputs\n"
        );
        let unchanged = Summary::new(&reports()[2..], Vec::new(), "the previous outputs");
        assert!(!unchanged.has_changes());
        assert_eq!(unchanged.line(), "1 daemonset: 1 unchanged");
    }

    #[test]
    fn several_rollout_kinds_are_counted_each() {
        let opts = DiffOptions::default();
        let mut labelled = ds("d", "i:1");
        labelled["metadata"]["labels"] = json!({"team": "a"});
        let mut reports = reports();
        reports.push(diff(Some(&ds("d", "i:1")), &labelled, &opts));
        reports.push(diff(Some(&ds("e", "i:1")), &ds("e", "i:3"), &opts));
        let summary = Summary::new(&reports, Vec::new(), "the previous outputs");
        assert_eq!(
            summary.line(),
            "5 daemonsets: 3 changed (2 restart pods on every node, 1 restarts no pod), \
             1 new, 1 unchanged"
        );
    }

    #[test]
    fn markdown_quotes_names_and_files() {
        let summary = Summary::new(&reports(), vec![removed()], "the previous outputs");
        let text = summary.render_markdown();
        assert!(
            text.contains("- only in the previous outputs: DaemonSet `x/old` (`out/old.yaml`)\n"),
            "{text}"
        );
        assert_eq!(code("a`b"), "``a`b``");
        assert_eq!(code("`a"), "`` `a ``");
    }

    #[test]
    fn removed_entries_look_like_reports() {
        let summary = Summary::new(&reports(), vec![removed()], "the previous outputs");
        let entry = &summary.removed_json("previous", "compiled")[0];
        let report = reports()[0].render_json();
        for key in report.as_object().map(|o| o.keys()).into_iter().flatten() {
            assert!(entry.get(key).is_some(), "{key} missing");
        }
        assert_eq!(entry["removed"], true);
        assert_eq!(entry["origin"], "out/old.yaml");
    }
}
